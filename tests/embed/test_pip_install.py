#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pip install ./python into a fresh virtual environment, offline, then use
the installed package from outside the source tree: it finds libmrmlguard
through pkg-config, its API is typed (dataclasses, enums, py.typed), and
`python -m mrmlguard` gives the CLI's verdicts and exit codes.

usage: test_pip_install.py LIBRARY SOURCE_DIR
Exit 77 (skipped) when no interpreter here can make a venv with setuptools and
wheel (Debian: python3-venv python3-setuptools python3-wheel).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def find_base_python():
    # The venv needs setuptools and wheel for an offline --no-build-isolation
    # build; --system-site-packages lends them from the base interpreter.
    for python in ("/usr/bin/python3", shutil.which("python3"), sys.executable):
        if not python or not os.path.exists(python):
            continue
        probe = subprocess.run([python, "-c", "import venv, setuptools, wheel, ensurepip"], capture_output=True)
        if probe.returncode == 0:
            return python
    return None


def main():
    library, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    base = find_base_python()
    if base is None:
        print("skip: no python3 with venv, ensurepip, setuptools and wheel")
        return SKIP
    work = tempfile.mkdtemp(prefix="mrmlguard-pip-")
    try:
        venv = os.path.join(work, "venv")
        subprocess.run([base, "-m", "venv", "--system-site-packages", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        # A copy of python/ so the build leaves nothing in the source tree.
        tree = os.path.join(work, "python")
        shutil.copytree(os.path.join(source, "python"), tree,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
        env = dict(os.environ)
        env.pop("MRMLGUARD_LIBRARY", None)
        env.pop("PYTHONPATH", None)
        subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", tree],
                       check=True, env=env)

        # pkg-config finds the library (as for an installed libmrmlguard).
        pc_dir = os.path.join(work, "pkgconfig")
        os.makedirs(pc_dir)
        with open(os.path.join(pc_dir, "mrmlguard.pc"), "w") as f:
            f.write(f"libdir={os.path.dirname(library)}\nName: mrmlguard\nDescription: test\nVersion: 0.1.0\n"
                    "Libs: -L${libdir} -lmrmlguard\nCflags:\n")
        env["PKG_CONFIG_PATH"] = pc_dir
        if shutil.which("pkg-config") is None:
            print("skip: pkg-config not installed")
            return SKIP

        data = os.path.join(source, "tests", "cli", "data")
        check = f"""
import dataclasses, os, sys
import mrmlguard
from mrmlguard import Finding, Kind, Report, Severity, Status
here = os.path.dirname(mrmlguard.__file__)
assert here.startswith({venv!r}), here                      # the installed copy, not the source
assert os.path.isfile(os.path.join(here, "py.typed"))
assert os.path.dirname(mrmlguard.library_path()) == {os.path.dirname(library)!r}, mrmlguard.library_path()
assert mrmlguard.version() == mrmlguard.__version__
assert dataclasses.is_dataclass(Finding) and dataclasses.is_dataclass(Report)
ok = mrmlguard.validate({os.path.join(data, "minimal.mrb")!r})
assert ok.accepted and ok.status is Status.OK and ok.kind is Kind.BUNDLE, ok
bad = mrmlguard.validate({os.path.join(data, "traversal.mrb")!r})
assert not bad.accepted and bad.errors[0].severity is Severity.ERROR and bad.errors[0].severity == "error"
assert bad.errors[0].rule_id == "zip.entry.path-traversal"
again = mrmlguard.validate({os.path.join(data, "traversal.mrb")!r})
assert again.findings == bad.findings                           # value equality
gone = mrmlguard.validate({os.path.join(work, "missing.mrml")!r})
assert gone.status is Status.IO_ERROR and not gone
assert mrmlguard.validate.__annotations__["return"] in (Report, "Report")
print("api ok")
"""
        outside = os.path.join(work, "elsewhere")
        os.makedirs(outside)
        subprocess.run([python, "-c", check], check=True, env=env, cwd=outside)

        def cli(*args):
            return subprocess.run([python, "-m", "mrmlguard", *args], capture_output=True, env=env, cwd=outside)

        r = cli(os.path.join(data, "minimal.mrml"))
        assert r.returncode == 0 and b": accepted" in r.stdout, r
        r = cli(os.path.join(data, "minimal.mrml"), os.path.join(data, "traversal.mrb"))
        assert r.returncode == 1, r
        assert b"traversal.mrb@328: error:" in r.stdout, r.stdout
        r = cli("--format", "json", os.path.join(data, "remote-storage.mrml"), os.path.join(work, "missing.mrml"))
        assert r.returncode == 2, r
        doc = json.loads(r.stdout)
        assert doc["summary"] == {"files": 2, "accepted": 0, "rejected": 1, "unreadable": 1}, doc["summary"]
        r = cli("--profile", "paranoid", os.path.join(data, "minimal.mrml"))
        assert r.returncode == 2, r
        r = cli("--limit", "nope=1", os.path.join(data, "minimal.mrml"))
        assert r.returncode == 2 and b"unknown limit" in r.stderr, r
        print("pip install test: ok")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
