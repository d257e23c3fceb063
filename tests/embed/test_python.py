# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the mrmlguard Python module (python/mrmlguard) over the build tree's libmrmlguard.

CTest sets MRMLGUARD_LIBRARY to the library and MRMLGUARD_SOURCE_DIR.
"""

import io
import json
import os
import shutil
import sys
import tempfile
import unittest
import zipfile

SOURCE_DIR = os.environ.get(
    "MRMLGUARD_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)))
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

import mrmlguard  # noqa: E402

SCENE = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
         b'<MRML version="Slicer4.4.0" userTags="">\n</MRML>\n')
DOCTYPE_SCENE = b'<?xml version="1.0"?>\n<!DOCTYPE MRML>\n<MRML version="Slicer4.4.0"></MRML>\n'


def make_bundle(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


class PythonModuleTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="mrmlguard-py-test-")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.work, name)
        with open(path, "wb") as stream:
            stream.write(data)
        return path

    def test_version_and_library(self):
        self.assertRegex(mrmlguard.version(), r"^\d+\.\d+\.\d+$")
        if os.environ.get("MRMLGUARD_LIBRARY"):
            self.assertEqual(mrmlguard.library_path(), os.environ["MRMLGUARD_LIBRARY"])

    def test_accepted_scene(self):
        report = mrmlguard.validate(self.write("Scene.mrml", SCENE))
        self.assertTrue(report.accepted, report.findings)
        self.assertEqual(report.verdict, "accepted")
        self.assertEqual(report.status, "ok")
        self.assertEqual(report.kind, "scene")
        self.assertEqual(report.errors, [])
        document = json.loads(report.to_json())
        self.assertIsInstance(document, dict)
        self.assertIn(report.path, report.to_json())

    def test_rejected_scene_has_located_findings(self):
        report = mrmlguard.validate(self.write("Evil.mrml", DOCTYPE_SCENE))
        self.assertFalse(report.accepted)
        self.assertEqual(report.verdict, "rejected")
        self.assertEqual(report.status, "ok")
        doctype = [f for f in report.findings if f.rule_id == "xml.doctype"]
        self.assertEqual(len(doctype), 1, report.findings)
        finding = doctype[0]
        self.assertEqual(finding.severity, "error")
        self.assertEqual(finding.line, 2)
        self.assertGreater(finding.column, 0)
        self.assertIn("DOCTYPE", finding.message)
        for name in ("entry", "node_id", "attribute", "message", "rule_id"):
            self.assertIsInstance(getattr(finding, name), str)

    def test_unreadable_file_is_a_status_not_an_exception(self):
        report = mrmlguard.validate(os.path.join(self.work, "missing.mrml"))
        self.assertFalse(report.accepted)
        self.assertEqual(report.status, "io-error")
        self.assertTrue(report.status_message)

    def test_empty_file(self):
        report = mrmlguard.validate(self.write("Empty.mrml", b""))
        self.assertFalse(report.accepted)
        self.assertEqual(report.status, "empty-input")

    def test_validate_bytes(self):
        self.assertTrue(mrmlguard.validate_bytes(SCENE, "Scene.mrml").accepted)
        self.assertTrue(mrmlguard.validate_bytes(bytearray(SCENE), "Scene.mrml").accepted)
        self.assertTrue(mrmlguard.validate_bytes(memoryview(SCENE), "Scene.mrml").accepted)
        report = mrmlguard.validate_bytes(DOCTYPE_SCENE, "Evil.mrml")
        self.assertFalse(report.accepted)
        self.assertEqual(report.path, "Evil.mrml")

    def test_hostile_bytes_never_crash(self):
        samples = [b"\0" * 100, b"PK\x03\x04" + b"\xff" * 200, b"<" * 5000,
                   b"PK\x05\x06" + b"\0" * 18, bytes(range(256)) * 4,
                   make_bundle([("../x", b"1")])[:-7]]
        for data in samples:
            report = mrmlguard.validate_bytes(data, "x.mrb")
            self.assertFalse(report.accepted, data[:16])

    def test_limits_and_severities(self):
        deep = b"<MRML>" + b"<a>" * 40 + b"</a>" * 40 + b"</MRML>"
        report = mrmlguard.validate_bytes(deep, "Deep.mrml", limits={"max_xml_depth": 8})
        self.assertFalse(report.accepted)
        self.assertTrue(any(f.limit == "max_xml_depth" for f in report.findings), report.findings)
        report = mrmlguard.validate_bytes(DOCTYPE_SCENE, "Evil.mrml", severities={"xml.doctype": "warning"})
        self.assertEqual([f.severity for f in report.findings if f.rule_id == "xml.doctype"], ["warning"])
        self.assertTrue(mrmlguard.validate_bytes(SCENE, "S.mrml", limits={"max_scene_bytes": "1M"}).accepted)

    def test_caller_mistakes_raise(self):
        with self.assertRaises(ValueError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", profile="lenient")
        with self.assertRaises(ValueError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", limits={"max_nonsense": 1})
        with self.assertRaises(ValueError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", limits={"max_xml_depth": -1})
        with self.assertRaises(ValueError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", severities={"no.such.rule": "error"})
        with self.assertRaises(ValueError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", severities={"xml.doctype": "fatal"})
        with self.assertRaises(TypeError):
            mrmlguard.validate_bytes(SCENE, "S.mrml", limits={"max_xml_depth": 1.5})

    def test_strict_profile(self):
        self.assertIsInstance(mrmlguard.validate_bytes(SCENE, "S.mrml", profile="strict"),
                              mrmlguard.Report)

    def test_extract_accepted_bundle(self):
        bundle = self.write("Case.mrb", make_bundle([("Case/Case.mrml", SCENE),
                                                     ("Case/Data/notes.txt", b"hello")]))
        destination = os.path.join(self.work, "out")
        report = mrmlguard.extract(bundle, destination)
        self.assertTrue(report.accepted, report.findings)
        self.assertEqual(report.kind, "bundle")
        self.assertEqual(report.main_scene, "Case/Case.mrml")
        self.assertEqual(os.path.realpath(report.main_scene_path),
                         os.path.realpath(os.path.join(destination, "Case", "Case.mrml")))
        with open(report.main_scene_path, "rb") as stream:
            self.assertEqual(stream.read(), SCENE)

    def test_extract_rejected_bundle_leaves_nothing(self):
        bundle = self.write("Evil.mrb", make_bundle([("Evil/Evil.mrml", SCENE), ("../evil.py", b"x")]))
        destination = os.path.join(self.work, "out")
        report = mrmlguard.extract(bundle, destination)
        self.assertFalse(report.accepted)
        self.assertIsNone(report.main_scene_path)
        self.assertFalse(os.path.exists(os.path.join(self.work, "evil.py")))
        self.assertTrue(not os.path.exists(destination) or os.listdir(destination) == [])

    def test_sanitize(self):
        scene = (b'<MRML version="Slicer4.4.0"><Model id="m" storageNodeRef="s"></Model>'
                 b'<ModelStorage id="s" fileName="m.vtk" uri="http://evil/x"></ModelStorage></MRML>')
        src = self.write("in.mrml", scene)
        dest = os.path.join(self.work, "out.mrml")
        result = mrmlguard.sanitize(src, dest)
        self.assertTrue(result.written, result.refusal)
        self.assertEqual(result.outcome, "written")
        self.assertEqual([c.rule_id for c in result.changes], ["mrml.storage.uri"])
        self.assertEqual(result.changes[0].before, "http://evil/x")
        self.assertEqual(result.changes[0].after, "")
        with open(dest, "rb") as stream:
            self.assertEqual(stream.read(), scene.replace(b"http://evil/x", b""))
        self.assertTrue(mrmlguard.validate(dest).accepted)
        # Unchanged when accepted; refused (nothing written) when no rewrite exists.
        self.assertEqual(mrmlguard.sanitize(dest, os.path.join(self.work, "again.mrml")).outcome, "unchanged")
        refused = mrmlguard.sanitize(self.write("bad.mrml", DOCTYPE_SCENE), os.path.join(self.work, "no.mrml"))
        self.assertFalse(refused.written)
        self.assertEqual(refused.outcome, "refused")
        self.assertFalse(os.path.exists(os.path.join(self.work, "no.mrml")))
        self.assertEqual(mrmlguard.sanitize(src, src).status, "invalid-argument")

    def test_library_override_must_load(self):
        import subprocess
        code = ("import mrmlguard\n"
                "try:\n    mrmlguard.version()\nexcept mrmlguard.MrmlguardError as e:\n"
                "    print('refused', e)\n")
        env = dict(os.environ, MRMLGUARD_LIBRARY=os.path.join(self.work, "nope.so"),
                   PYTHONPATH=os.path.join(SOURCE_DIR, "python"))
        output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True).stdout
        self.assertIn("refused", output)
        self.assertIn("nope.so", output)


if __name__ == "__main__":
    unittest.main()
