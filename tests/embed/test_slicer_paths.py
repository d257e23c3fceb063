# SPDX-License-Identifier: BSD-3-Clause
"""The load paths the MrmlGuard modules close, against the stand-in Slicer.

Each test loads the modules the way qSlicerScriptedLoadableModule does
(slicer.load_scripted_module), then opens a crafted file by one of Slicer's
load paths and asserts that Slicer's own readers (and its libarchive) never
ran on it. Baseline tests show the same path unguarded without the modules,
so that a stand-in that stopped imitating Slicer would be noticed.

Run by CTest with MRMLGUARD_LIBRARY and MRMLGUARD_SOURCE_DIR set.
"""

import io
import logging
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
import vtk  # noqa: E402  (the stand-in)
import MrmlGuard  # noqa: E402
import MrmlGuardSequences  # noqa: E402

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


class PathsTest(unittest.TestCase):
    load_modules = True

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="mrmlguard-paths-test-")
        self.slicer_temp = os.path.join(self.work, "slicer-temp")
        os.mkdir(self.slicer_temp)
        slicer.reset(self.slicer_temp)
        if self.load_modules:
            # Module order as Slicer loads them: alphabetical, dependencies first.
            slicer.load_scripted_module(MrmlGuard, "MrmlGuard")
            slicer.load_scripted_module(MrmlGuardSequences, "MrmlGuardSequences")
        self.good_mrml = self.write("Good.mrml", SCENE)
        self.evil_mrml = self.write("Evil.mrml", HOSTILE_SCENE)
        self.good_mrb = self.write("cases/Good.mrb", make_bundle([("Good/Good.mrml", SCENE)]))
        self.evil_mrb = self.write("cases/Evil.mrb", make_bundle([("Evil/Evil.mrml", SCENE),
                                                                  ("../../slicerrc.py", b"print(1)")]))
        self.good_seq = self.write("cases/Cine.seq.mrb", make_bundle([("Cine/Cine.seq.mrml", SCENE)]))
        self.evil_seq = self.write("cases/Bad.seq.mrb", make_bundle([("Bad/Bad.seq.mrml", HOSTILE_SCENE)]))

    def tearDown(self):
        MrmlGuard.uninstall_guards()
        shutil.rmtree(self.work, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(data)
        return path

    def calls(self, kind):
        return [call for call in slicer.calls if call[0] == kind]

    def loaded_paths(self):
        return [call[1] for call in self.calls("load")]

    def assertSlicerNeverRead(self, *paths):
        self.assertEqual(self.calls("libarchive"), [], "libarchive must not see a bundle")
        for path in paths:
            self.assertNotIn(path, self.loaded_paths())
        self.assertEqual(self.calls("AddSequence"), [])
        self.assertEqual(slicer.mrmlScene.nodes, {}, "nothing may be added to the scene")

    def assertLoadedFromCheckedCopy(self, file_type="SceneFile"):
        loads = self.calls("load")
        self.assertEqual(len(loads), 1, slicer.calls)
        self.assertTrue(loads[0][1].startswith(self.slicer_temp + os.sep), loads[0][1])
        self.assertEqual(self.calls("libarchive"), [])
        self.assertEqual(os.listdir(self.slicer_temp), [], "the checked copy is removed")
        return loads[0]


class RegistrationTest(PathsTest):
    def test_modules_register_a_dialog_two_readers_and_the_wrappers(self):
        io_manager = slicer.app.ioManager()
        self.assertTrue(io_manager.isDialogRegistered("SceneFile", slicer.qSlicerFileDialog.Read))
        types = [reader.fileType() for reader in io_manager.readers()]
        self.assertEqual(types, ["SceneFile", "SceneFile", "SequenceFile", "MrmlGuardSceneFile",
                                 "MrmlGuardSequenceFile"])
        self.assertEqual(io_manager.fileType(self.good_mrb), "MrmlGuardSceneFile")
        self.assertEqual(io_manager.fileType(self.good_mrml), "MrmlGuardSceneFile")
        self.assertEqual(io_manager.fileType(self.good_seq), "MrmlGuardSequenceFile")
        self.assertTrue(getattr(io_manager.loadNodes, "__func__", None).mrmlguard_wrapper)
        self.assertTrue(slicer.util.loadNodeFromFile.mrmlguard_wrapper)

    def test_stand_in_refuses_slot_assignment_on_instances_like_pythonqt(self):
        with self.assertRaises(AttributeError):
            slicer.app.coreIOManager().loadNodes = lambda *args: True

    def test_a_later_dialog_for_scene_files_is_reported(self):
        class Other:
            def __init__(self, dialog):
                dialog.fileType = "SceneFile"
                dialog.action = slicer.qSlicerFileDialog.Read

            def execDialog(self):
                return True

        with self.assertLogs(level=logging.ERROR) as logs:
            slicer.app.ioManager().registerDialog(slicer.qSlicerScriptedFileDialog(Other))
            slicer.app.startupCompleted.emit()
        self.assertIn("no longer guarded", "\n".join(logs.output))

    def test_reinstalling_does_not_wrap_twice(self):
        MrmlGuard.install_guards()
        original = MrmlGuard._Installed.originals[(slicer.qSlicerCoreIOManager, "loadNodes")]
        self.assertFalse(getattr(original, "mrmlguard_wrapper", False))


class LoadSceneDialogTest(PathsTest):
    def test_load_scene_refuses_a_crafted_bundle(self):
        slicer.behaviour.chosen_files = [self.evil_mrb]
        self.assertFalse(slicer.app.ioManager().openLoadSceneDialog())
        self.assertSlicerNeverRead(self.evil_mrb)
        self.assertIn("zip.entry.path-traversal", self.calls("errorDisplay")[0][3])

    def test_load_scene_loads_an_accepted_bundle_from_the_checked_copy_with_clear(self):
        slicer.behaviour.chosen_files = [self.good_mrb]
        self.assertTrue(slicer.app.ioManager().openLoadSceneDialog())
        load = self.assertLoadedFromCheckedCopy()
        self.assertIs(load[2]["clear"], True)
        self.assertEqual(self.calls("chooser")[0][1]["fileType"], "SceneFile")

    def test_add_scene_passes_clear_false(self):
        slicer.behaviour.chosen_files = [self.good_mrml]
        self.assertTrue(slicer.app.ioManager().openAddSceneDialog())
        self.assertEqual(self.calls("load")[0][1], self.good_mrml)
        self.assertIs(self.calls("load")[0][2]["clear"], False)

    def test_add_scene_refuses_a_hostile_scene(self):
        slicer.behaviour.chosen_files = [self.evil_mrml]
        self.assertFalse(slicer.app.ioManager().openAddSceneDialog())
        self.assertSlicerNeverRead(self.evil_mrml)

    def test_cancelled_chooser_loads_nothing(self):
        slicer.behaviour.chosen_files = []
        self.assertFalse(slicer.app.ioManager().openLoadSceneDialog())
        self.assertEqual(self.calls("load"), [])

    def test_dialog_does_not_take_drag_and_drop(self):
        dialog = slicer.app.ioManager()._read_dialogs[0]
        self.assertFalse(dialog.isMimeDataAccepted())


class PythonCallersTest(PathsTest):
    def test_util_load_scene_raises_with_the_finding(self):
        with self.assertRaises(RuntimeError) as raised:
            slicer.util.loadScene(self.evil_mrb)
        self.assertIn("zip.entry.path-traversal", str(raised.exception))
        self.assertSlicerNeverRead(self.evil_mrb)
        self.assertEqual(self.calls("errorDisplay"), [], "API callers get an exception, not a dialog")

    def test_util_load_node_from_file_with_scene_type(self):
        with self.assertRaises(RuntimeError):
            slicer.util.loadNodeFromFile(self.evil_mrml, "SceneFile")
        self.assertSlicerNeverRead(self.evil_mrml)
        node = slicer.util.loadNodeFromFile(self.good_mrb, "SceneFile")
        self.assertEqual(node.GetID(), "vtkMRMLScalarVolumeNode1")
        self.assertLoadedFromCheckedCopy()

    def test_util_load_nodes_from_file_returns_an_iterator(self):
        nodes = list(slicer.util.loadNodesFromFile(self.good_mrml, "SceneFile"))
        self.assertEqual([n.GetID() for n in nodes], ["vtkMRMLScalarVolumeNode1", "vtkMRMLModelNode1"])

    def test_io_manager_load_nodes_like_sample_data(self):
        # SampleData.py: slicer.app.coreIOManager().loadNodes(fileType, properties, loaded, messages)
        loaded = vtk.vtkCollection()
        messages = slicer.vtkMRMLMessageCollection()
        ok = slicer.app.coreIOManager().loadNodes("SceneFile", {"fileName": self.evil_mrb}, loaded, messages)
        self.assertFalse(ok)
        self.assertEqual(loaded.GetNumberOfItems(), 0)
        self.assertIn("path-traversal", messages.GetAllMessagesAsString())
        self.assertSlicerNeverRead(self.evil_mrb)

    def test_io_manager_load_nodes_accepted_fills_the_collection_and_records_the_guarded_type(self):
        recorded = []
        slicer.app.coreIOManager().newFileLoaded.connect(recorded.append)
        loaded = vtk.vtkCollection()
        self.assertTrue(slicer.app.coreIOManager().loadNodes("SceneFile", {"fileName": self.good_mrb}, loaded))
        self.assertEqual(loaded.GetNumberOfItems(), 2)
        self.assertLoadedFromCheckedCopy()
        outer = [p for p in recorded if p["fileName"] == self.good_mrb]
        self.assertEqual(len(outer), 1)
        self.assertEqual(outer[0]["fileType"], "MrmlGuardSceneFile")

    def test_io_manager_load_scene_and_load_file(self):
        manager = slicer.app.coreIOManager()
        self.assertFalse(manager.loadScene(self.evil_mrml, False))
        self.assertFalse(manager.loadFile(self.evil_mrb))
        self.assertSlicerNeverRead(self.evil_mrml, self.evil_mrb)
        self.assertTrue(manager.loadScene(self.good_mrml, True))
        self.assertEqual(self.calls("load")[0][2]["clear"], True)

    def test_file_list_is_checked_file_by_file(self):
        ok = slicer.app.coreIOManager().loadNodes("SceneFile", {"fileName": [self.good_mrml, self.evil_mrml]})
        self.assertFalse(ok)
        self.assertEqual(self.loaded_paths(), [self.good_mrml])

    def test_webserver_open_with_a_caller_chosen_type(self):
        # SlicerRequestHandler.loadIntoScene: slicer.util.loadNodeFromFile(localFile, filetype, ...)
        with self.assertRaises(RuntimeError):
            slicer.util.loadNodeFromFile(self.evil_mrb, "SceneFile", {})
        self.assertSlicerNeverRead(self.evil_mrb)

    def test_other_types_pass_through_untouched(self):
        volume = self.write("v.nrrd", b"NRRD0004\n")
        with self.assertRaises(RuntimeError):  # no volume reader in the stand-in
            slicer.util.loadNodeFromFile(volume, "VolumeFile")
        self.assertEqual(slicer.calls, [])

    def test_util_layer_guards_alone_when_the_class_patch_does_not_take(self):
        # If PythonQt did not let the class attribute win, slicer.util's
        # wrappers still guard (the second layer of item 2).
        for klass in (slicer.qSlicerCoreIOManager, slicer.qSlicerIOManager):
            for name in ("loadNodes", "loadScene", "loadFile"):
                setattr(klass, name, MrmlGuard._Installed.originals[(klass, name)])
        with self.assertRaises(RuntimeError):
            slicer.util.loadScene(self.evil_mrb)
        self.assertSlicerNeverRead(self.evil_mrb)
        slicer.util.loadScene(self.good_mrb)
        self.assertLoadedFromCheckedCopy()


class SequenceTest(PathsTest):
    def test_scene_reader_declines_sequence_bundles(self):
        reader = MrmlGuard.MrmlGuardFileReader(None)
        self.assertEqual(reader.canLoadFileConfidence(self.good_seq), 0.0)
        # Slicer's Sequences reader answers 0.58; the guarded one beats it.
        self.assertAlmostEqual(slicer.app.coreIOManager().readers("SequenceFile")[0]
                               .canLoadFileConfidence(self.good_seq), 0.58)
        seq_reader = MrmlGuardSequences.MrmlGuardSequencesFileReader(None)
        self.assertGreater(seq_reader.canLoadFileConfidence(self.good_seq), 0.58)
        # A plain .mrb: never chosen by name (Slicer's readers answer 0.54), but loadable by type.
        self.assertGreater(seq_reader.canLoadFileConfidence(self.good_mrb), 0.0)
        self.assertLess(seq_reader.canLoadFileConfidence(self.good_mrb), 0.54)
        self.assertEqual(slicer.app.coreIOManager().fileType(self.good_mrb), "MrmlGuardSceneFile")

    def test_dropped_sequence_bundle_is_extracted_and_loaded_as_a_sequence(self):
        node = slicer.util.loadNodeFromFile(self.good_seq)  # type from the name, as drag and drop
        self.assertEqual(self.calls("libarchive"), [])
        added = self.calls("AddSequence")
        self.assertEqual(len(added), 1)
        self.assertTrue(added[0][1].startswith(self.slicer_temp + os.sep), added[0][1])
        self.assertTrue(added[0][1].endswith(".mrml"))
        self.assertEqual(slicer.behaviour.seen_sequence_bytes, SCENE)
        self.assertEqual(os.listdir(self.slicer_temp), [])
        self.assertEqual(node.GetName(), "Cine")
        self.assertEqual(node.GetStorageNode().GetFileName(), os.path.realpath(self.good_seq))
        inner = node.GetSequenceScene()
        self.assertEqual(inner.GetRootDirectory(), os.path.dirname(os.path.realpath(self.good_seq)))
        self.assertEqual(inner.storage_nodes[0].GetFileName(), os.path.join("Data", "f0.nrrd"))
        self.assertTrue(inner.marked_modified)
        browsers = [i for i in slicer.mrmlScene.nodes if i.startswith("vtkMRMLSequenceBrowserNode")]
        self.assertEqual(len(browsers), 1)
        self.assertEqual(self.calls("showSequenceBrowser")[0][1], browsers[0])

    def test_hostile_sequence_bundle_is_refused_by_every_path(self):
        with self.assertRaises(RuntimeError):
            slicer.util.loadNodeFromFile(self.evil_seq)
        with self.assertRaises(RuntimeError):
            slicer.util.loadSequence(self.evil_seq)
        self.assertFalse(slicer.app.coreIOManager().loadNodes("SequenceFile", {"fileName": self.evil_seq}))
        self.assertSlicerNeverRead(self.evil_seq)

    def test_sequence_show_false_adds_no_browser(self):
        slicer.util.loadSequence(self.good_seq, {"show": False, "name": "Mine"})
        names = [n.GetName() for n in slicer.mrmlScene.nodes.values()]
        self.assertEqual(names, ["Mine"])

    def test_nrrd_sequences_pass_through(self):
        nrrd = self.write("v.seq.nrrd", b"NRRD0004\n")
        slicer.app.coreIOManager().loadNodes("SequenceFile", {"fileName": nrrd})
        self.assertEqual(self.loaded_paths(), [nrrd])
        self.assertEqual(self.calls("libarchive"), [])

    def test_tar_named_seq_mrb_is_refused(self):
        tar = self.write("T.seq.mrb", b"Cine/Cine.seq.mrml".ljust(512, b"\0") + b"\0" * 1024)
        with self.assertRaises(RuntimeError):
            slicer.util.loadSequence(tar)
        self.assertSlicerNeverRead(tar)


class BackstopTest(PathsTest):
    def cxx_load(self, path, file_type="SceneFile"):
        """A C++ caller (Add Data with Slicer's reader picked in the file-type
        column, qSlicerDataDialog::addFile): loadNodes inside C++."""
        manager = slicer.app.coreIOManager()
        messages = slicer.vtkMRMLMessageCollection()
        ok = slicer.qSlicerCoreIOManager._loadNodes_cxx(manager, file_type, {"fileName": path}, None, messages)
        return ok, messages.GetAllMessagesAsString()

    def test_unchecked_hostile_scene_is_not_parsed(self):
        ok, messages = self.cxx_load(self.evil_mrml)
        self.assertFalse(ok)
        self.assertIn("No URL specified", messages)
        self.assertEqual(slicer.mrmlScene.nodes, {})
        self.assertIn("xml.doctype", self.calls("errorDisplay")[0][3])

    def test_unchecked_bundle_is_refused_only_after_extraction(self):
        hostile = self.write("cases/Xml.mrb", make_bundle([("Xml/Xml.mrml", HOSTILE_SCENE)]))
        ok, _ = self.cxx_load(hostile)
        self.assertFalse(ok)
        self.assertEqual(slicer.mrmlScene.nodes, {})
        # The backstop is XML level only: Slicer's libarchive already ran.
        self.assertEqual(self.calls("libarchive"), [("libarchive", hostile)])

    def test_unchecked_accepted_scene_loads(self):
        ok, _ = self.cxx_load(self.good_mrml)
        self.assertTrue(ok)
        self.assertEqual(len(slicer.mrmlScene.nodes), 2)

    def test_scenes_handed_over_by_the_gate_are_not_checked_twice(self):
        class CountingGuard:
            count = 0

            @classmethod
            def validate(cls, *args, **kwargs):
                cls.count += 1
                raise AssertionError("the backstop validated a file the gate handed over")

        MrmlGuard._Installed.backstop.guard = CountingGuard
        slicer.util.loadScene(self.good_mrb)
        self.assertEqual(CountingGuard.count, 0)

    def test_backstop_failure_refuses(self):
        class Broken:
            @staticmethod
            def validate(*args, **kwargs):
                raise OSError("library gone")

        MrmlGuard._Installed.backstop.guard = Broken
        with self.assertLogs(level=logging.ERROR):
            ok, _ = self.cxx_load(self.good_mrml)
        self.assertFalse(ok)


class RecentFilesTest(PathsTest):
    def recent_entries(self):
        return [a.property("fileParameters") for a in slicer.app.main_window.showRecentMenu()
                if a.property("fileParameters")]

    def test_entries_recorded_as_scene_file_get_the_guarded_type(self):
        # For instance after a save (qSlicerMainWindow::onFileSaved records SceneFile).
        slicer.app.coreIOManager().emitNewFileLoaded({"fileName": self.evil_mrb, "fileType": "SceneFile"})
        slicer.app.coreIOManager().emitNewFileLoaded({"fileName": self.good_seq, "fileType": "SequenceFile"})
        entries = {e["fileName"]: e["fileType"] for e in self.recent_entries()}
        self.assertEqual(entries[self.evil_mrb], "MrmlGuardSceneFile")
        self.assertEqual(entries[self.good_seq], "MrmlGuardSequenceFile")
        action = next(a for a in slicer.app.main_window.menu.actions()
                      if (a.property("fileParameters") or {}).get("fileName") == self.evil_mrb)
        self.assertFalse(slicer.app.main_window.triggerRecent(action))
        self.assertSlicerNeverRead(self.evil_mrb)

    def test_no_entry_points_at_a_removed_checked_copy(self):
        slicer.util.loadNodeFromFile(self.good_mrb)  # as drag and drop
        recorded = [p["fileName"] for p in slicer.app.main_window.recent]
        self.assertTrue(any(name.startswith(self.slicer_temp) for name in recorded),
                        "the stand-in records the inner load, as Slicer does")
        names = [e["fileName"] for e in self.recent_entries()]
        self.assertEqual(names, [self.good_mrb])
        self.assertEqual(self.recent_entries()[0]["fileType"], "MrmlGuardSceneFile")

    def test_plain_mrb_recorded_as_sequence_stays_loadable(self):
        slicer.app.coreIOManager().emitNewFileLoaded({"fileName": self.good_mrb, "fileType": "SequenceFile"})
        entry = self.recent_entries()[0]
        self.assertEqual(entry["fileType"], "MrmlGuardSequenceFile")
        action = slicer.app.main_window.menu.actions()[0]
        self.assertTrue(slicer.app.main_window.triggerRecent(action))
        self.assertEqual(self.calls("libarchive"), [])

    def test_without_the_module_a_scene_file_entry_reaches_libarchive(self):
        MrmlGuard.uninstall_guards()
        slicer.app.coreIOManager().emitNewFileLoaded({"fileName": self.good_mrb, "fileType": "SceneFile"})
        action = slicer.app.main_window.showRecentMenu()[0]
        slicer.app.main_window.triggerRecent(action)
        self.assertEqual(self.calls("libarchive"), [("libarchive", self.good_mrb)])


class DicomBundleTest(PathsTest):
    class Loadable:
        def __init__(self, data):
            self.zip_bytes = data

    def setUp(self):
        super().setUp()
        slicer.app.startupCompleted.emit()  # the module wraps the plugin then
        import DICOMSlicerDataBundlePlugin
        self.plugin = DICOMSlicerDataBundlePlugin.DICOMSlicerDataBundlePluginClass()

    def test_crafted_embedded_bundle_is_refused(self):
        with open(self.evil_mrb, "rb") as stream:
            self.assertFalse(self.plugin.load(self.Loadable(stream.read())))
        self.assertEqual(self.calls("libarchive"), [])
        self.assertEqual(slicer.mrmlScene.nodes, {})

    def test_accepted_embedded_bundle_loads_with_clear(self):
        with open(self.good_mrb, "rb") as stream:
            self.assertTrue(self.plugin.load(self.Loadable(stream.read())))
        self.assertEqual(self.calls("libarchive"), [])
        self.assertIs(self.calls("load")[0][2]["clear"], True)
        self.assertIsInstance(slicer.app.applicationLogic(), slicer._ApplicationLogic,
                              "the class is restored after load")

    def test_without_the_module_the_plugin_reaches_libarchive(self):
        MrmlGuard.uninstall_guards()
        with open(self.good_mrb, "rb") as stream:
            self.plugin.load(self.Loadable(stream.read()))
        self.assertEqual(len(self.calls("libarchive")), 1)


class ExtractArchiveTest(PathsTest):
    def setUp(self):
        super().setUp()
        self.out = os.path.join(self.work, "cache", "CTData")
        os.makedirs(self.out)
        self.write("cache/CTData/kept.txt", b"already here")
        self.data_zip = self.write("data.zip", make_bundle([("CT/1.dcm", b"\0" * 300), ("CT/2.dcm", b"\0" * 300)]))
        self.evil_zip = self.write("evil.zip", make_bundle([("CT/1.dcm", b"\0" * 300), ("../../../x.txt", b"x")]))

    def test_data_archive_is_extracted_by_mrmlguard(self):
        self.assertTrue(slicer.util.extractArchive(self.data_zip, self.out, 3))
        self.assertEqual(self.calls("libarchive"), [])
        self.assertEqual(sorted(slicer.util.getFilesInDirectory(self.out, False)),
                         ["CT/1.dcm", "CT/2.dcm", "kept.txt"])
        self.assertEqual(os.listdir(self.slicer_temp), [])
        self.assertIsInstance(slicer.app.applicationLogic(), slicer._ApplicationLogic)

    def test_crafted_archive_is_refused_with_nothing_written(self):
        self.assertFalse(slicer.util.extractArchive(self.evil_zip, self.out))
        self.assertEqual(self.calls("libarchive"), [])
        self.assertEqual(slicer.util.getFilesInDirectory(self.out, False), ["kept.txt"])
        self.assertFalse(os.path.exists(os.path.join(self.work, "x.txt")))

    def test_a_link_in_the_destination_is_not_followed(self):
        outside = os.path.join(self.work, "outside")
        os.mkdir(outside)
        os.symlink(outside, os.path.join(self.out, "CT"))
        self.assertFalse(slicer.util.extractArchive(self.data_zip, self.out))
        self.assertEqual(os.listdir(outside), [])

    def test_without_the_module_libarchive_extracts(self):
        MrmlGuard.uninstall_guards()
        slicer.util.extractArchive(self.data_zip, self.out)
        self.assertEqual(self.calls("libarchive"), [("libarchive", self.data_zip)])


class PatchedSlicerValidatorTest(PathsTest):
    """A Slicer with slicer/patches/0002 (vtkMRMLFileValidator): the module
    observes it, so even a C++ caller's bundle is refused before libarchive."""

    load_modules = False

    def setUp(self):
        super().setUp()
        slicer.enable_patched_validator()
        slicer.load_scripted_module(MrmlGuard, "MrmlGuard")

    def cxx_load(self, path):
        manager = slicer.app.coreIOManager()
        messages = slicer.vtkMRMLMessageCollection()
        ok = slicer.qSlicerCoreIOManager._loadNodes_cxx(manager, "SceneFile", {"fileName": path}, None, messages)
        return ok, messages.GetAllMessagesAsString()

    def test_crafted_bundle_is_refused_before_libarchive(self):
        ok, messages = self.cxx_load(self.evil_mrb)
        self.assertFalse(ok)
        self.assertEqual(self.calls("libarchive"), [])
        self.assertIn("zip.entry.path-traversal", messages)

    def test_accepted_bundle_and_handed_over_scenes_load(self):
        ok, _ = self.cxx_load(self.good_mrb)
        self.assertTrue(ok)
        self.assertEqual(self.calls("libarchive"), [("libarchive", self.good_mrb)])
        slicer.util.loadScene(self.good_mrb)  # through the gate: not checked twice, still loads

    def test_uninstall_stops_observing(self):
        MrmlGuard.uninstall_guards()
        ok, _ = self.cxx_load(self.evil_mrb)
        self.assertTrue(ok, "without the module the patched Slicer accepts everything")


class BaselineTest(PathsTest):
    """Without the modules, the stand-in shows each path unguarded."""

    load_modules = False

    def test_load_scene_dialog_reaches_libarchive(self):
        slicer.behaviour.chosen_files = [self.good_mrb]
        self.assertTrue(slicer.app.ioManager().openLoadSceneDialog())
        self.assertEqual(self.calls("libarchive"), [("libarchive", self.good_mrb)])

    def test_util_load_scene_and_sequences_reach_libarchive(self):
        slicer.util.loadScene(self.good_mrb)
        slicer.util.loadSequence(self.good_seq)
        self.assertEqual([c[1] for c in self.calls("libarchive")], [self.good_mrb, self.good_seq])


if __name__ == "__main__":
    unittest.main()
