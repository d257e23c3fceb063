#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Runs one golden CLI test: a declarative *.test file (format in README.md here).

Usage: run_cli_test.py --mrmlguard BIN --repo REPO FILE.test

The command runs with the repository as its working folder, so paths in the
output are the stable relative ones written in the test. Exit status: 0 pass,
1 fail, 77 skipped (CTest SKIP_RETURN_CODE), 2 a broken test file.
"""

import argparse
import difflib
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

SKIP = 77
LEVELS = {"none", "note", "warning", "error"}


class TestFileError(Exception):
    pass


class Skip(Exception):
    pass


def parse_test(path):
    """Returns a list of (key, value) in file order; '#' lines are comments."""
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise TestFileError(f"{path}:{number}: expected 'key: value', got {line!r}")
            entries.append((key.strip(), value.strip(), number))
    return entries


def strict_json(data, what):
    """Parses bytes as strict JSON: UTF-8, no NaN/Infinity, no duplicate keys, no lone surrogates."""
    try:
        text = data.decode("utf-8")  # strict: rejects invalid UTF-8 and encoded surrogates
    except UnicodeDecodeError as e:
        raise AssertionError(f"{what} is not UTF-8: {e}")

    def no_constants(name):
        raise AssertionError(f"{what} holds {name}, which JSON does not allow")

    def pairs(items):
        keys = [k for k, _ in items]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise AssertionError(f"{what} has duplicate keys {sorted(dupes)}")
        return dict(items)

    try:
        doc = json.loads(text, parse_constant=no_constants, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise AssertionError(f"{what} is not valid JSON: {e}")

    def walk(v):
        if isinstance(v, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in v):
                raise AssertionError(f"{what} holds a lone surrogate escape in {v!r}")
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)

    walk(doc)
    return doc


def json_path(doc, path):
    """'files.0.findings.0.rule' -> value; raises AssertionError when absent."""
    v = doc
    for part in path.split("."):
        if isinstance(v, list):
            try:
                v = v[int(part)]
            except (ValueError, IndexError):
                raise AssertionError(f"JSON path {path}: no item {part}")
        elif isinstance(v, dict):
            if part not in v:
                raise AssertionError(f"JSON path {path}: no key {part!r}")
            v = v[part]
        else:
            raise AssertionError(f"JSON path {path}: {part!r} below a scalar")
    return v


def scalar_text(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def check_sarif(doc):
    """The fields SARIF 2.1.0 and GitHub code scanning require."""
    assert doc.get("version") == "2.1.0", "SARIF version must be 2.1.0"
    assert isinstance(doc.get("$schema"), str), "SARIF $schema missing"
    runs = doc.get("runs")
    assert isinstance(runs, list) and len(runs) == 1, "SARIF must hold exactly one run"
    run = runs[0]
    driver = run["tool"]["driver"]
    assert driver.get("name") == "mrmlguard", "tool.driver.name must be mrmlguard"
    rules = driver.get("rules")
    assert isinstance(rules, list) and rules, "tool.driver.rules must list the rules"
    ids = []
    for rule in rules:
        assert isinstance(rule.get("id"), str) and rule["id"], f"rule without id: {rule}"
        assert rule["shortDescription"]["text"], f"rule {rule['id']} without shortDescription"
        assert rule["defaultConfiguration"]["level"] in LEVELS, f"rule {rule['id']} has a bad level"
        ids.append(rule["id"])
    assert len(set(ids)) == len(ids), "duplicate rule ids in tool.driver.rules"
    for result in run.get("results", []):
        assert result["ruleId"], "result without ruleId"
        if "ruleIndex" in result:
            assert ids[result["ruleIndex"]] == result["ruleId"], "ruleIndex does not match ruleId"
        assert result["level"] in LEVELS, f"result level {result['level']!r}"
        assert result["message"]["text"], "result without message text"
        locations = result["locations"]
        assert len(locations) == 1, "result must have one location"
        physical = locations[0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri and all(0x20 < ord(c) < 0x7F for c in uri), f"artifact uri {uri!r} is not a clean URI"
        assert physical["region"]["startLine"] >= 1, "region.startLine must be >= 1"
    assert isinstance(run["invocations"][0]["executionSuccessful"], bool), "invocation.executionSuccessful missing"


def unprivileged_prefix(binary):
    """Argv prefix that runs a command without the power to ignore file modes."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        raise Skip("running as root and setpriv (util-linux) is missing: cannot test permission denied")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    probe = subprocess.run(prefix + [binary, "--version"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        raise Skip("running as root, and user nobody (65534) cannot run " + binary +
                   " (a folder above it is not world-executable?): cannot test permission denied")
    return prefix


def has_deep_mode(binary):
    """Whether the binary was built with deep mode (ITK): `validate --deep` is
    a usage error (2) without it, so `validate --deep --help` exits 0 only with it."""
    probe = subprocess.run([binary, "validate", "--deep", "--help"], capture_output=True, timeout=60)
    if probe.returncode not in (0, 2):
        raise TestFileError(f"{binary} validate --deep --help exited {probe.returncode}")
    return probe.returncode == 0


def run_test(path, binary, repo):
    entries = parse_test(path)
    tmp = tempfile.mkdtemp(prefix="mrmlguard-cli-")
    os.chmod(tmp, 0o755)  # an unprivileged run must reach files set up here
    subst = {"{tmp}": tmp, "{data}": "tests/cli/data", "{corpus}": "corpus", "{esc}": "\x1b"}

    def expand(text):
        for k, v in subst.items():
            text = text.replace(k, v)
        return text

    try:
        args = None
        expected_exit = None
        unprivileged = False
        env = dict(os.environ)
        checks = []
        for key, value, number in entries:
            if key == "args":
                args = [expand(a) for a in shlex.split(value)]
            elif key == "exit":
                expected_exit = int(value)
            elif key == "run-as":
                if value != "unprivileged":
                    raise TestFileError(f"{path}:{number}: run-as takes 'unprivileged'")
                unprivileged = True
            elif key == "requires":
                if not os.path.exists(os.path.join(repo, expand(value))):
                    raise TestFileError(f"{path}:{number}: required file {value} is missing from the repository")
            elif key == "requires-deep":
                if value not in ("yes", "no"):
                    raise TestFileError(f"{path}:{number}: requires-deep takes 'yes' or 'no'")
                if has_deep_mode(binary) != (value == "yes"):
                    raise Skip("this mrmlguard was built " + ("without" if value == "yes" else "with") +
                               " deep mode (ITK)")
            elif key == "env":
                name, sep, val = value.partition("=")
                if not sep or not name:
                    raise TestFileError(f"{path}:{number}: env takes NAME=VALUE")
                env[name] = expand(val)
            elif key == "setup":
                setup(expand(value), repo, path, number)
            else:
                checks.append((key, value, number))
        if args is None or expected_exit is None:
            raise TestFileError(f"{path}: needs 'args:' and 'exit:'")

        prefix = unprivileged_prefix(binary) if unprivileged else []
        cmd = prefix + [binary] + args
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, timeout=120)
        out, err = proc.stdout, proc.stderr

        def show():
            return (f"command: {shlex.join(cmd)}\nexit: {proc.returncode}\n"
                    f"--- stdout ---\n{out.decode('utf-8', 'replace')}--- stderr ---\n{err.decode('utf-8', 'replace')}")

        failures = []
        if proc.returncode != expected_exit:
            failures.append(f"exit status {proc.returncode}, expected {expected_exit}")
        json_doc = {}
        for key, value, number in checks:
            where = f"{os.path.basename(path)}:{number}"
            try:
                check(key, expand(value), out, err, json_doc, repo, tmp, path, number)
            except AssertionError as e:
                failures.append(f"{where}: {key}: {e}")
        if failures:
            print(show())
            for f in failures:
                print("FAIL", f)
            return 1
        print(f"ok: {shlex.join(['mrmlguard'] + args)} -> exit {proc.returncode}")
        return 0
    finally:
        # chmod 000 files are removable by their owner; restore folder modes first.
        for dirpath, dirnames, _ in os.walk(tmp):
            for d in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)


def setup(step, repo, path, number):
    """copy SRC DST | write FILE [TEXT...] | mkdir DIR | chmod MODE FILE | bytes FILE HEX | sized FILE N"""
    words = shlex.split(step)
    if not words:
        raise TestFileError(f"{path}:{number}: empty setup")
    op, rest = words[0], words[1:]

    def abs_(p):
        return p if os.path.isabs(p) else os.path.join(repo, p)

    if op == "copy" and len(rest) == 2:
        shutil.copyfile(abs_(rest[0]), abs_(rest[1]))
    elif op == "write" and len(rest) >= 1:
        with open(abs_(rest[0]), "w", encoding="utf-8") as f:
            f.write(" ".join(rest[1:]))
    elif op == "bytes" and len(rest) == 2:
        with open(abs_(rest[0]), "wb") as f:
            f.write(bytes.fromhex(rest[1]))
    elif op == "mkdir" and len(rest) == 1:
        os.makedirs(abs_(rest[0]), exist_ok=True)
    elif op == "chmod" and len(rest) == 2:
        os.chmod(abs_(rest[1]), int(rest[0], 8))
    else:
        raise TestFileError(f"{path}:{number}: unknown setup step {step!r}")


def check(key, value, out, err, json_doc, repo, tmp, path, number):
    streams = {"stdout": out, "stderr": err}
    stream, _, kind = key.partition("-")
    if stream in streams and kind:
        data = streams[stream]
        text = data.decode("utf-8", "replace")
        if kind == "contains":
            assert value in text, f"{value!r} not found"
        elif kind == "not-contains":
            assert value not in text, f"{value!r} found"
        elif kind == "empty":
            assert data == b"", f"not empty ({len(data)} bytes)"
        elif kind == "clean":
            # Safe to print on a terminal: UTF-8, no control character but
            # newline, no DEL, C1 or bidi control, no line separators.
            try:
                decoded = data.decode("utf-8")
            except UnicodeDecodeError as e:
                raise AssertionError(f"not UTF-8: {e}")
            for c in decoded:
                o = ord(c)
                bad = (o < 0x20 and c != "\n") or 0x7F <= o <= 0x9F or 0x202A <= o <= 0x202E \
                    or 0x2066 <= o <= 0x2069 or o in (0x200E, 0x200F, 0x061C, 0x2028, 0x2029)
                assert not bad, f"raw U+{o:04X} in output"
        elif kind == "lines":
            n = text.count("\n")
            assert n == int(value), f"{n} lines, expected {value}"
        elif kind == "golden":
            golden_path = os.path.join(repo, value)
            with open(golden_path, "rb") as f:
                golden = f.read().decode("utf-8")
            actual = text.replace(tmp, "{tmp}")
            if actual != golden:
                diff = "".join(difflib.unified_diff(golden.splitlines(True), actual.splitlines(True),
                                                    value, "actual output"))
                raise AssertionError(f"output differs from {value}:\n{diff}")
        elif kind == "json":
            json_doc["doc"] = strict_json(data, stream)
        elif kind == "sarif":
            doc = strict_json(data, stream)
            json_doc["doc"] = doc
            try:
                check_sarif(doc)
            except (KeyError, IndexError, TypeError) as e:
                raise AssertionError(f"SARIF field missing: {e!r}")
        else:
            raise TestFileError(f"{path}:{number}: unknown check {key}")
    elif key == "file-json":
        with open(value if os.path.isabs(value) else os.path.join(repo, value), "rb") as f:
            json_doc["doc"] = strict_json(f.read(), value)
    elif key == "json":
        # json: dotted.path = expected   (or  dotted.path ~ substring)
        for op in (" = ", " ~ "):
            if op in value:
                jpath, expected = value.split(op, 1)
                break
        else:
            raise TestFileError(f"{path}:{number}: json check needs 'path = value' or 'path ~ text'")
        if "doc" not in json_doc:
            raise TestFileError(f"{path}:{number}: json check before stdout-json/stdout-sarif/file-json")
        actual = scalar_text(json_path(json_doc["doc"], jpath.strip()))
        if op == " = ":
            assert actual == expected, f"{jpath.strip()} is {actual!r}, expected {expected!r}"
        else:
            assert expected in actual, f"{jpath.strip()} is {actual!r}, expected to contain {expected!r}"
    elif key == "exists":
        assert os.path.exists(value), f"{value} does not exist"
    elif key == "not-exists":
        assert not os.path.exists(value), f"{value} exists"
    elif key == "empty-dir":
        assert os.path.isdir(value) and not os.listdir(value), f"{value} is not an empty folder"
    elif key == "mode":
        # mode: 644 FILE  -- permission bits of an extracted file
        mode, file = value.split(None, 1)
        actual = stat.S_IMODE(os.lstat(file).st_mode)
        assert actual == int(mode, 8), f"{file} has mode {actual:o}, expected {mode}"
    else:
        raise TestFileError(f"{path}:{number}: unknown check {key}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mrmlguard", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("test")
    a = p.parse_args()
    try:
        return run_test(os.path.abspath(a.test), os.path.abspath(a.mrmlguard), os.path.abspath(a.repo))
    except Skip as e:
        print(f"SKIP: {e}")
        return SKIP
    except TestFileError as e:
        print(f"broken test file: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
