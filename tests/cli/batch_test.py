#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Batch runs of `mrmlguard validate`: directory walks (-r), file lists
(--files-from, stdin, NUL-separated), parallel judging (-j) with output in
input order, streamed output (a verdict appears while the list is still being
written), the summary line, the SARIF results cap and -o -.

usage: batch_test.py --mrmlguard BINARY --repo REPO_ROOT
"""

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = None
REPO = None


def run(*args, stdin=None, cwd=None):
    proc = subprocess.run([BINARY, *args], input=stdin, capture_output=True, cwd=cwd or REPO, timeout=300)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def data(name):
    return os.path.join(REPO, "tests", "cli", "data", name)


class BatchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mrmlguard-batch-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def tree(self):
        """t/a.mrml (accepted), t/sub/B.MRML (accepted), t/sub/c.mrml (rejected),
        t/sub/x.mrb (accepted bundle), t/notes.txt (not a scene name: skipped),
        t/sub/loop -> t (a link to a directory: not followed)."""
        root = os.path.join(self.tmp, "t")
        os.makedirs(os.path.join(root, "sub"))
        shutil.copyfile(data("minimal.mrml"), os.path.join(root, "a.mrml"))
        shutil.copyfile(data("minimal.mrml"), os.path.join(root, "sub", "B.MRML"))
        shutil.copyfile(data("remote-storage.mrml"), os.path.join(root, "sub", "c.mrml"))
        shutil.copyfile(data("minimal.mrb"), os.path.join(root, "sub", "x.mrb"))
        shutil.copyfile(data("not-a-scene.txt"), os.path.join(root, "notes.txt"))
        os.symlink(root, os.path.join(root, "sub", "loop"))
        return root

    def test_recursive_walk_finds_scenes_in_name_order(self):
        root = self.tree()
        code, out, err = run("validate", "-r", root)
        self.assertEqual(code, 1, err)
        verdicts = [line.split(": ")[0] for line in out.splitlines() if line.endswith(")") or line.endswith("accepted")]
        verdicts = [v for v in verdicts if not v.startswith("mrmlguard")]
        lines = out.splitlines()
        self.assertEqual(lines[-1], "mrmlguard: 4 files: 3 accepted, 1 rejected, 0 unreadable")
        self.assertNotIn("notes.txt", out)
        self.assertNotIn("loop", out)
        order = [line.split(":")[0] for line in lines if line.split(":")[0].startswith(root)]
        first_seen = list(dict.fromkeys(order))
        self.assertEqual(first_seen, [os.path.join(root, "a.mrml"), os.path.join(root, "sub", "B.MRML"),
                                      os.path.join(root, "sub", "c.mrml"), os.path.join(root, "sub", "x.mrb")])

    def test_directory_without_recursive_is_unreadable(self):
        root = self.tree()
        code, out, _ = run("validate", root)
        self.assertEqual(code, 2)
        self.assertIn("is a directory", out)

    def test_files_from_stdin_and_file(self):
        root = self.tree()
        listing = f"{root}/a.mrml\n\n{root}/sub/c.mrml\r\n{self.tmp}/missing.mrml\n"
        code, out, _ = run("validate", "--files-from", "-", stdin=listing.encode())
        self.assertEqual(code, 2)
        self.assertTrue(out.endswith("mrmlguard: 3 files: 1 accepted, 1 rejected, 1 unreadable\n"), out)
        list_file = os.path.join(self.tmp, "list.txt")
        with open(list_file, "w") as f:
            f.write(listing)
        code2, out2, _ = run("validate", "--files-from", list_file)
        self.assertEqual((code2, out2), (code, out))

    def test_files_from_null_separated_with_a_listed_directory(self):
        root = self.tree()
        listing = f"{root}/sub\0{root}/a.mrml\0".encode()
        code, out, _ = run("validate", "--format", "json", "-r", "--null", "--files-from", "-", stdin=listing)
        self.assertEqual(code, 1)
        doc = json.loads(out)
        self.assertEqual([f["path"] for f in doc["files"]],
                         [f"{root}/sub/B.MRML", f"{root}/sub/c.mrml", f"{root}/sub/x.mrb", f"{root}/a.mrml"])
        self.assertEqual(doc["summary"], {"files": 4, "accepted": 3, "rejected": 1, "unreadable": 0})

    def test_missing_file_list(self):
        code, out, _ = run("validate", "--files-from", os.path.join(self.tmp, "nope.txt"))
        self.assertEqual(code, 2)
        self.assertIn("cannot read the file list", out)

    def test_jobs_keep_input_order(self):
        def lines(jobs):
            code, out, _ = run("validate", "-r", "-j", str(jobs), "--format", "jsonl", "corpus", "tests/cli/data")
            rows = [json.loads(line) for line in out.splitlines()]
            for row in rows:
                row["stats"].pop("elapsed_microseconds")
            return code, rows
        one = lines(1)
        self.assertGreater(len(one[1]), 100)
        self.assertEqual(lines(4), one)
        self.assertEqual(lines(0), one)

    def test_output_is_streamed(self):
        """The first verdict is written while the file list is still open."""
        proc = subprocess.Popen([BINARY, "validate", "--files-from", "-"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
        try:
            proc.stdin.write(f"{data('minimal.mrml')}\n".encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            self.assertTrue(ready, "no output while the list was open")
            first = os.read(proc.stdout.fileno(), 4096).decode()
            self.assertIn("minimal.mrml: accepted", first)
            self.assertIsNone(proc.poll())
            proc.stdin.write(f"{data('remote-storage.mrml')}\n".encode())
            proc.stdin.close()
            rest = proc.stdout.read().decode()
            self.assertEqual(proc.wait(60), 1)
            proc.stdout.close()
            proc.stderr.close()
            self.assertTrue(rest.endswith("mrmlguard: 2 files: 1 accepted, 1 rejected, 0 unreadable\n"), rest)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def test_json_and_sarif_documents_over_a_tree(self):
        code, out, _ = run("validate", "-r", "-j", "2", "--format", "json", "corpus")
        self.assertEqual(code, 1)
        doc = json.loads(out)
        s = doc["summary"]
        self.assertEqual(s["files"], len(doc["files"]))
        self.assertEqual(s["files"], s["accepted"] + s["rejected"] + s["unreadable"])
        code, out, _ = run("validate", "-r", "--format", "sarif", "corpus")
        log = json.loads(out)
        run0 = log["runs"][0]
        self.assertEqual(len(run0["artifacts"]), s["files"])
        for result in run0["results"]:
            self.assertLess(result["locations"][0]["physicalLocation"]["artifactLocation"]["index"], s["files"])
            self.assertIn("mrmlguardLocation/v1", result["partialFingerprints"])

    def test_sarif_cap_keeps_room_for_errors(self):
        # The scene has 16 warnings and notes and no error: three copies fill
        # the nine tenths left to them, the bundle's errors still get in.
        scene = "corpus/real/aigt/SlicerScenes/ScoliosisRecord/2019-05-07-Scene.mrml"
        code, out, _ = run("validate", "--format", "sarif", "--max-results", "20", scene, scene, scene,
                           data("traversal.mrb"))
        run0 = json.loads(out)["runs"][0]
        results = run0["results"]
        self.assertEqual(sum(r["level"] != "error" for r in results), 18)
        self.assertEqual(len(results), 19)  # the 18 and the bundle's one error
        self.assertTrue(any(r["ruleId"] == "zip.entry.path-traversal" for r in results))
        notes = run0["invocations"][0]["toolExecutionNotifications"]
        self.assertEqual(notes[-1]["descriptor"]["id"], "results-truncated")
        self.assertGreater(notes[-1]["properties"]["omittedWarningsAndNotes"], 0)
        code, out, _ = run("validate", "-r", "--format", "sarif", "--max-results", "0", "corpus/real")
        self.assertGreater(len(json.loads(out)["runs"][0]["results"]), 20)

    def test_output_dash_is_stdout(self):
        code, out, _ = run("validate", "-o", "-", data("minimal.mrml"), cwd=self.tmp)
        self.assertEqual(code, 0)
        self.assertIn("accepted", out)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "-")))

    def test_summary_switches(self):
        code, out, _ = run("validate", data("minimal.mrml"))
        self.assertNotIn("mrmlguard:", out)
        code, out, _ = run("validate", "--summary", data("minimal.mrml"))
        self.assertTrue(out.endswith("mrmlguard: 1 file: 1 accepted, 0 rejected, 0 unreadable\n"))
        code, out, _ = run("validate", "--no-summary", "-q", data("minimal.mrml"), data("minimal.mrb"))
        self.assertEqual(out, "")

    def test_usage_errors(self):
        for args in (["-j", "x", "a.mrml"], ["-j", "999", "a.mrml"], ["--null", "a.mrml"],
                     ["--max-results", "-1", "a.mrml"], ["--files-from"], ["--files-from", "-", "-"]):
            code, _, err = run("validate", *args)
            self.assertEqual(code, 2, args)
            self.assertIn("mrmlguard validate:", err)


class ConfigTest(unittest.TestCase):
    """.mrmlguard.toml: found upward from the working directory, or --config;
    the command line wins; errors name the file and line."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mrmlguard-config-")
        self.sub = os.path.join(self.tmp, "a", "b")
        os.makedirs(self.sub)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, text, where=None):
        path = os.path.join(where or self.tmp, ".mrmlguard.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_found_upward_and_applied(self):
        self.write('# policy\nprofile = "default"\n[limits]\nmax_input_bytes = 280 # bytes: minimal.mrb (279) passes\n'
                   '[severity]\nmrml.storage.uri = "note"\n')
        code, out, _ = run("validate", data("remote-storage.mrml"), data("minimal.mrb"), cwd=self.sub)
        self.assertEqual(code, 1)
        self.assertIn("remote-storage.mrml: error: limit max_input_bytes (280)", out)
        self.assertIn("minimal.mrb: accepted", out)
        code, out, _ = run("validate", "--limit", "max_input_bytes=1K", data("remote-storage.mrml"), cwd=self.sub)
        self.assertEqual(code, 0, out)
        self.assertIn("note: uri", out)
        # The command line wins over the file, and --no-config skips it.
        code, out, _ = run("validate", "--limit", "max_input_bytes=1M", "--severity", "mrml.storage.uri=error",
                           data("minimal.mrb"), data("remote-storage.mrml"), cwd=self.sub)
        self.assertEqual(code, 1)
        self.assertIn("minimal.mrb: accepted", out)
        self.assertIn("error: uri", out)
        code, _, _ = run("validate", "--no-config", data("minimal.mrb"), cwd=self.sub)
        self.assertEqual(code, 0)

    def test_nearest_file_wins_and_explicit_config(self):
        self.write('[limits]\nmax_input_bytes = 100\n')
        self.write('[limits]\n"max_input_bytes" = "1K"\n', os.path.join(self.tmp, "a"))
        code, _, _ = run("validate", data("minimal.mrb"), cwd=self.sub)
        self.assertEqual(code, 0)  # a/.mrmlguard.toml (1K) is nearer than the root's (100)
        code, _, _ = run("validate", "--config", os.path.join(self.tmp, ".mrmlguard.toml"), data("minimal.mrb"),
                         cwd=self.sub)
        self.assertEqual(code, 1)
        code, out, _ = run("extract", data("minimal.mrb"), os.path.join(self.tmp, "out"), cwd=self.tmp)
        self.assertEqual(code, 1)  # extract reads it too

    def test_strict_profile_from_file(self):
        self.write('profile = "strict"\n')
        scene = "corpus/real/aigt/SlicerScenes/ScoliosisRecord/2019-05-07-Scene.mrml"
        code, _, _ = run("validate", os.path.join(REPO, scene), cwd=self.tmp)
        self.assertEqual(code, 1)  # its warnings are errors in the strict profile
        code, _, _ = run("validate", "--profile", "default", os.path.join(REPO, scene), cwd=self.tmp)
        self.assertEqual(code, 0)

    def test_errors_name_file_and_line(self):
        cases = {
            'profile = "lax"\n': "unknown profile 'lax'",
            '\nbogus = 1\n': ":2: unknown key 'bogus'",
            '[output]\n': ":1: unknown table [output]",
            '[limits]\nno_such_limit = 3\n': "unknown limit 'no_such_limit'",
            '[limits]\nmax_input_bytes = "lots"\n': "bad value 'lots'",
            '[severity]\n"no.rule" = "error"\n': "unknown rule 'no.rule'",
            '[severity]\n"mrml.storage.uri" = "fatal"\n': "unknown severity 'fatal'",
            'profile = "strict" trailing\n': ":1: unexpected text after the value",
            'profile "strict"\n': ":1: expected '=' after profile",
            'profile = "unterminated\n': ":1: a string value",
        }
        for text, message in cases.items():
            self.write(text)
            code, _, err = run("validate", data("minimal.mrml"), cwd=self.tmp)
            self.assertEqual(code, 2, text)
            self.assertIn(message, err, text)
        code, _, err = run("validate", "--config", os.path.join(self.tmp, "missing.toml"), data("minimal.mrml"))
        self.assertEqual(code, 2)
        self.assertIn("cannot read", err)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mrmlguard", required=True)
    parser.add_argument("--repo", required=True)
    args, rest = parser.parse_known_args()
    global BINARY, REPO
    BINARY, REPO = os.path.abspath(args.mrmlguard), os.path.abspath(args.repo)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
