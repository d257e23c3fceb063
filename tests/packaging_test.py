#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The CI packaging, tested here without GitHub or Docker: the Action's
validation script (packaging/github-action.sh) with GitHub's environment
files, the pre-commit hook's entry and file pattern, the container's build
steps (packaging/docker-build.sh install, smoke, runtime-packages) on an
existing build, and the shape of action.yml and the Dockerfile.

usage: packaging_test.py --mrmlguard BINARY --repo REPO_ROOT --build BUILD_DIR
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = REPO = BUILD = None


class ActionScript(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mrmlguard-action-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_action(self, paths, args=""):
        out = os.path.join(self.tmp, "output")
        summary = os.path.join(self.tmp, "summary.md")
        sarif = os.path.join(self.tmp, "out.sarif")
        env = dict(os.environ, MRMLGUARD=BINARY, INPUT_PATHS=paths, INPUT_ARGS=args, INPUT_JOBS="2",
                   INPUT_SARIF_FILE=sarif, GITHUB_OUTPUT=out, GITHUB_STEP_SUMMARY=summary)
        proc = subprocess.run([os.path.join(REPO, "packaging", "github-action.sh")], env=env, cwd=REPO,
                              capture_output=True, timeout=300)
        outputs = dict(line.split("=", 1) for line in open(out).read().splitlines()) if os.path.exists(out) else {}
        return proc, outputs, sarif, summary

    def test_rejected_file_gives_sarif_outputs_and_annotations(self):
        proc, outputs, sarif, summary = self.run_action("tests/cli/data/minimal.mrb\ntests/cli/data/traversal.mrb")
        self.assertEqual(proc.returncode, 0, proc.stderr)  # the verdict is the exit-code output
        self.assertEqual(outputs["exit-code"], "1")
        self.assertEqual(outputs["sarif-file"], sarif)
        log = json.load(open(sarif))
        self.assertEqual(log["version"], "2.1.0")
        self.assertEqual([r["ruleId"] for r in log["runs"][0]["results"]], ["zip.entry.path-traversal"])
        stdout = proc.stdout.decode()
        self.assertIn("::error file=tests/cli/data/traversal.mrb::rejected (1 error)", stdout)
        self.assertIn("mrmlguard: 2 files: 1 accepted, 1 rejected, 0 unreadable", open(summary).read())

    def test_folder_walk_and_extra_args(self):
        folder = os.path.join(self.tmp, "scenes")
        os.makedirs(folder)
        shutil.copyfile(os.path.join(REPO, "tests/cli/data/minimal.mrml"), os.path.join(folder, "a.mrml"))
        proc, outputs, sarif, _ = self.run_action(folder, "--profile strict --no-config")
        self.assertEqual(outputs["exit-code"], "0", proc.stdout)
        self.assertEqual(len(json.load(open(sarif))["runs"][0]["artifacts"]), 1)

    def test_missing_command(self):
        env = dict(os.environ, MRMLGUARD=os.path.join(self.tmp, "nope"), INPUT_PATHS=".")
        proc = subprocess.run([os.path.join(REPO, "packaging", "github-action.sh")], env=env, cwd=self.tmp,
                              capture_output=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"::error::mrmlguard not found", proc.stdout)

    def test_action_yml_runs_the_script_and_uploads(self):
        text = open(os.path.join(REPO, "action.yml")).read()
        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML not installed")
        action = yaml.safe_load(text)
        self.assertEqual(action["runs"]["using"], "composite")
        steps = action["runs"]["steps"]
        self.assertTrue(any("packaging/github-action.sh" in s.get("run", "") for s in steps))
        self.assertTrue(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps))
        self.assertIn("exit-code", action["outputs"])
        workflow = yaml.safe_load(open(os.path.join(REPO, "docs", "examples", "github-workflow.yml")))
        self.assertEqual(workflow["permissions"]["security-events"], "write")


class PreCommitHook(unittest.TestCase):
    def hooks(self):
        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML not installed")
        return {h["id"]: h for h in yaml.safe_load(open(os.path.join(REPO, ".pre-commit-hooks.yaml")))}

    def test_pattern_selects_scenes(self):
        pattern = re.compile(self.hooks()["mrmlguard"]["files"])
        for name in ("a.mrml", "dir/B.MRB", "x.Mrml"):
            self.assertTrue(pattern.search(name), name)
        for name in ("a.mrml.txt", "notes.md", "a.nrrd"):
            self.assertFalse(pattern.search(name), name)

    def test_entry_fails_on_crafted_file(self):
        hook = self.hooks()["mrmlguard"]
        self.assertEqual(hook["language"], "system")
        entry = hook["entry"].split()
        self.assertEqual(entry[0], "mrmlguard")
        data = os.path.join(REPO, "tests", "cli", "data")
        good = subprocess.run([BINARY] + entry[1:] + [os.path.join(data, "minimal.mrml"), os.path.join(data, "minimal.mrb")],
                              capture_output=True)
        self.assertEqual((good.returncode, good.stdout), (0, b""))  # silent when every file passes
        bad = subprocess.run([BINARY] + entry[1:] + [os.path.join(data, "minimal.mrml"), os.path.join(data, "traversal.mrb")],
                             capture_output=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn(b"zip.entry.path-traversal", bad.stdout)
        # A staged file whose name begins with '-' is a file, not an option.
        weird = os.path.join(tempfile.mkdtemp(), "-x.mrml")
        shutil.copyfile(os.path.join(data, "minimal.mrml"), weird)
        os.chdir(os.path.dirname(weird))
        self.assertEqual(subprocess.run([BINARY] + entry[1:] + ["-x.mrml"]).returncode, 0)
        os.chdir(REPO)


class ContainerSteps(unittest.TestCase):
    def test_install_smoke_and_runtime_packages(self):
        stage = tempfile.mkdtemp(prefix="mrmlguard-stage-")
        try:
            script = os.path.join(REPO, "packaging", "docker-build.sh")
            subprocess.run([script, "install", BUILD, stage], check=True)
            self.assertTrue(os.access(os.path.join(stage, "bin", "mrmlguard"), os.X_OK))
            self.assertTrue(os.path.isfile(os.path.join(stage, "share", "doc", "mrmlguard", "LICENSE")))
            subprocess.run([script, "smoke", stage, REPO], check=True, capture_output=True)
            if shutil.which("dpkg") is None:
                self.skipTest("dpkg not here: runtime-packages needs Debian")
            pkgs = subprocess.run([script, "runtime-packages", stage], check=True, capture_output=True).stdout.split()
            for needed in (b"libexpat1", b"libxml2", b"libzip4"):
                self.assertIn(needed, pkgs)
            self.assertNotIn(b"libc6", pkgs)
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def test_dockerfile_shape(self):
        text = open(os.path.join(REPO, "Dockerfile")).read()
        froms = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.M)
        self.assertEqual(len(froms), 2)  # multi-stage: builder, then runtime
        self.assertEqual(froms[0][1], "builder")
        runtime = text[text.rindex("\nFROM "):]
        self.assertIn("COPY --from=builder", runtime)
        self.assertNotIn("build-essential", runtime)
        user = re.findall(r"^USER\s+(\S+)", runtime, re.M)
        self.assertTrue(user and user[-1].split(":")[0] not in ("root", "0"), user)
        for step in ("build", "install", "smoke", "runtime-packages"):
            self.assertIn(f"docker-build.sh {step} ", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mrmlguard", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--build", required=True)
    args, rest = parser.parse_known_args()
    global BINARY, REPO, BUILD
    BINARY, REPO, BUILD = (os.path.abspath(p) for p in (args.mrmlguard, args.repo, args.build))
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
