# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the Slicer pre-load hook (slicer/MrmlGuard/MrmlGuard.py) against a stand-in Slicer.

Run by CTest with MRMLGUARD_LIBRARY pointing at the build tree's libmrmlguard
and MRMLGUARD_SOURCE_DIR at the source tree.
"""

import io
import os
import shutil
import sys
import tempfile
import unittest
import zipfile

SOURCE_DIR = os.environ.get(
    "MRMLGUARD_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_slicer"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "slicer", "MrmlGuard"))

import slicer  # noqa: E402  (the stand-in)
import MrmlGuard  # noqa: E402
import mrmlguard  # noqa: E402

SCENE = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
         b'<MRML version="Slicer4.4.0" userTags="">\n</MRML>\n')
HOSTILE_SCENE = (b'<?xml version="1.0"?>\n<!DOCTYPE MRML [<!ENTITY a "aaaa">]>\n'
                 b'<MRML version="Slicer4.4.0">&a;</MRML>\n')


def make_bundle(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


class FakeReaderParent:
    """What Slicer hands a scripted reader as `parent`."""

    def __init__(self):
        self.loadedNodes = None
        self._messages = slicer.vtkMRMLMessageCollection()

    def userMessages(self):
        return self._messages


class SlicerHookTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="mrmlguard-hook-test-")
        self.slicer_temp = os.path.join(self.work, "slicer-temp")
        os.mkdir(self.slicer_temp)
        slicer.reset(self.slicer_temp)
        self.parent = FakeReaderParent()
        self.reader = MrmlGuard.MrmlGuardFileReader(self.parent)

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(data)
        return path

    def calls(self, kind):
        return [call for call in slicer.calls if call[0] == kind]

    def assertRefused(self, loaded, *texts):
        self.assertFalse(loaded)
        self.assertEqual(self.calls("load"), [], "a refused file must never reach Slicer's reader")
        displays = self.calls("errorDisplay")
        self.assertEqual(len(displays), 1)
        shown = displays[0][1] + "\n" + (displays[0][3] or "")
        for text in texts:
            self.assertIn(text, shown)
        self.assertTrue(self.parent.userMessages().messages, "the refusal is also a user message")
        return shown

    # --- reader registration --------------------------------------------------

    def test_reader_identity_and_confidence(self):
        self.assertEqual(self.reader.fileType(), "MrmlGuardSceneFile")
        self.assertNotEqual(self.reader.fileType(), "SceneFile")
        for name in ("a.mrml", "b.MRB", "c.zip", "d.xar", "/x/y/Scene.mrml"):
            # Slicer's scene readers answer 0.5 + 0.01 * extension length.
            self.assertGreater(self.reader.canLoadFileConfidence(name), 0.6, name)
        for name in ("a.nrrd", "a.mrml.txt", "mrml", "a.seg.nrrd", "a.seq.mrb", "A.SEQ.MRB"):
            self.assertEqual(self.reader.canLoadFileConfidence(name), 0.0, name)
        self.assertIn("*.mrb", self.reader.extensions()[0])

    # --- plain scenes -----------------------------------------------------------

    def test_accepted_scene_is_delegated_to_slicer(self):
        path = self.write("Scene.mrml", SCENE)
        loaded = self.reader.load({"fileName": path, "clear": True})
        self.assertTrue(loaded)
        loads = self.calls("load")
        self.assertEqual(len(loads), 1)
        self.assertEqual(loads[0][1], path)
        self.assertEqual(loads[0][2]["clear"], True, "the caller's properties go along")
        self.assertEqual(self.parent.loadedNodes, ["vtkMRMLScalarVolumeNode1", "vtkMRMLModelNode1"])
        self.assertEqual(self.calls("errorDisplay"), [])

    def test_rejected_scene_is_refused_with_findings(self):
        path = self.write("Evil.mrml", HOSTILE_SCENE)
        shown = self.assertRefused(self.reader.load({"fileName": path}), "Evil.mrml", "xml.doctype")
        self.assertIn("error:", shown)

    def test_unreadable_file_is_refused(self):
        path = os.path.join(self.work, "missing.mrml")
        self.assertRefused(self.reader.load({"fileName": path}), "could not read")

    def test_directory_is_refused(self):
        folder = os.path.join(self.work, "folder.mrml")
        os.mkdir(folder)
        self.assertRefused(self.reader.load({"fileName": folder}), "could not read")

    def test_no_file_name_is_refused(self):
        self.assertRefused(self.reader.load({}), "no file name")

    def test_missing_library_fails_closed(self):
        class BrokenGuard:
            @staticmethod
            def validate(*args, **kwargs):
                raise mrmlguard.MrmlguardError("libmrmlguard not found")

            extract = validate

        path = self.write("Scene.mrml", SCENE)
        adapter = MrmlGuard.SlicerAdapter(self.parent.userMessages())
        loaded, ids = MrmlGuard.SceneGate(adapter, guard=BrokenGuard).load({"fileName": path})
        self.assertFalse(loaded)
        self.assertEqual(ids, [])
        self.assertEqual(self.calls("load"), [])
        self.assertIn("libmrmlguard not found", self.calls("errorDisplay")[0][1])

    def test_slicer_failure_after_acceptance_is_reported(self):
        path = self.write("Scene.mrml", SCENE)
        slicer.behaviour.fail_load = "Syntax error in scene file"
        self.assertFalse(self.reader.load({"fileName": path}))
        self.assertIn("Slicer could not load", self.calls("errorDisplay")[0][1])

    # --- bundles ------------------------------------------------------------------

    def test_accepted_bundle_is_extracted_and_loaded_from_the_copy(self):
        path = self.write("cases/Case.mrb", make_bundle([("Case/Case.mrml", SCENE)]))
        loaded = self.reader.load({"fileName": path, "clear": False})
        self.assertTrue(loaded, self.calls("errorDisplay"))
        loads = self.calls("load")
        self.assertEqual(len(loads), 1)
        loaded_path = loads[0][1]
        self.assertTrue(loaded_path.startswith(self.slicer_temp + os.sep), loaded_path)
        self.assertTrue(loaded_path.endswith(os.path.join("Case", "Case.mrml")), loaded_path)
        self.assertEqual(slicer.behaviour.seen_scene_bytes, SCENE, "Slicer read the checked bytes")
        self.assertEqual(loads[0][2]["clear"], False)
        # The temporary copy is gone, as after Slicer's own bundle reader.
        self.assertEqual(os.listdir(self.slicer_temp), [])
        # The scene now points at the bundle's folder, not at the removed copy.
        scene = slicer.mrmlScene
        cases = os.path.realpath(os.path.join(self.work, "cases"))
        self.assertEqual(scene.url, os.path.join(cases, "Case.mrml"))
        self.assertEqual(scene.root, cases)
        self.assertTrue(scene.marked_modified)
        node = scene.storage_nodes[0]
        self.assertEqual(node.GetFileName(), os.path.join("Data", "a.nrrd"))
        self.assertEqual(node.GetNthFileName(0), os.path.join("Data", "b.nrrd"))
        self.assertEqual(node.GetNthFileName(1), "/elsewhere/c.nrrd")

    def test_rejected_bundle_writes_nothing_and_loads_nothing(self):
        path = self.write("cases/Evil.mrb", make_bundle([("Evil/Evil.mrml", SCENE),
                                                         ("../../slicerrc.py", b"print(1)")]))
        self.assertRefused(self.reader.load({"fileName": path}), "zip.entry.path-traversal")
        self.assertEqual(os.listdir(self.slicer_temp), [])
        self.assertFalse(os.path.exists(os.path.join(self.work, "slicerrc.py")))
        self.assertFalse(os.path.exists(os.path.join(os.path.dirname(self.work), "slicerrc.py")))

    def test_bundle_with_hostile_scene_is_refused(self):
        path = self.write("Evil.mrb", make_bundle([("Evil/Evil.mrml", HOSTILE_SCENE)]))
        self.assertRefused(self.reader.load({"fileName": path}), "xml.doctype")

    def test_non_zip_bundle_is_refused(self):
        # A tar file named .mrb: Slicer's libarchive would read it; mrmlguard does not.
        path = self.write("Tar.mrb", b"Scene/Scene.mrml".ljust(512, b"\0") + b"\0" * 1024)
        self.assertRefused(self.reader.load({"fileName": path}))

    def test_slicer_bundle_mode_hands_the_original_bundle_to_slicer(self):
        path = self.write("Case.mrb", make_bundle([("Case/Case.mrml", SCENE)]))
        gate = MrmlGuard.SceneGate(MrmlGuard.SlicerAdapter(self.parent.userMessages()), bundle_mode="slicer")
        loaded, _ = gate.load({"fileName": path})
        self.assertTrue(loaded)
        self.assertEqual(self.calls("load")[0][1], path)
        self.assertFalse(slicer.mrmlScene.marked_modified, "Slicer's bundle reader does that itself")


if __name__ == "__main__":
    unittest.main()
