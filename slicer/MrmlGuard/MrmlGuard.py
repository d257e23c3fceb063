"""MrmlGuard: a 3D Slicer module that checks scene files with mrmlguard before Slicer reads them.

It registers a file reader for .mrml, .mrb, .zip and .xar (the extensions of
Slicer's own scene readers) with a file type of its own, "MrmlGuardSceneFile",
and a confidence above theirs. Slicer picks the reader with the highest
confidence whenever it chooses the file type from the file name: drag and drop,
the Add Data dialog, slicer.util.loadNodeFromFile(path) without a type, files
given on the command line. On load:

  - the file is validated with the mrmlguard Python module;
  - rejected or unreadable: the findings are shown (error dialog with details,
    and the reader's user messages) and nothing is loaded;
  - accepted .mrml: Slicer's own scene reader loads it ("SceneFile");
  - accepted .mrb (default "extract" mode): mrmlguard's extractor writes the
    bundle into a fresh temporary folder (only what it checked, no symlinks,
    nothing outside the folder), Slicer's scene reader loads the main scene
    from there, the scene is pointed back at the bundle's folder as Slicer's
    own bundle reader does, and the folder is removed. libarchive never sees
    the file. With MRMLGUARD_SLICER_BUNDLE_MODE=slicer the original bundle is
    handed to Slicer's bundle reader instead.

What it cannot guard (Slicer always uses its own reader for these): File >
Load Scene / Add Scene, slicer.util.loadScene, loadNodes("SceneFile", ...),
SampleData, the DICOM bundle plugin, and the Add Data dialog's "extract
archive" question for .zip files. See docs/slicer.md.

Everything that talks to Slicer is in SlicerAdapter; SceneGate holds the
decisions and is tested against a stand-in (tests/embed/fake_slicer).
"""

import logging
import os
import shutil
import sys
import tempfile

import slicer
from slicer.ScriptedLoadableModule import ScriptedLoadableModule

# File type of this reader. Different from Slicer's "SceneFile" on purpose:
# loadNodes(fileType) tries every reader of that type in registration order
# and falls back to the next one when a reader returns False, so a refusing
# "SceneFile" reader would be followed by Slicer's own, which would load the
# file anyway.
FILE_TYPE = "MrmlGuardSceneFile"
# Slicer's readers answer 0.5 + 0.01 * (length of the matched extension).
CONFIDENCE = 0.95
EXTENSIONS = (".mrml", ".mrb", ".zip", ".xar")


def _import_mrmlguard():
    """Imports the mrmlguard Python package, looking beside this file first.

    The installed Slicer folder ships the package (and libmrmlguard) next to
    this module; MRMLGUARD_PYTHONPATH points elsewhere; in the source tree the
    package is ../../python.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    folders = [here]
    if os.environ.get("MRMLGUARD_PYTHONPATH"):
        folders.insert(0, os.environ["MRMLGUARD_PYTHONPATH"])
    folders.append(os.path.join(here, os.pardir, os.pardir, "python"))
    for folder in folders:
        if os.path.isfile(os.path.join(folder, "mrmlguard", "__init__.py")) and folder not in sys.path:
            sys.path.insert(0, folder)
            break
    import mrmlguard
    return mrmlguard


class SlicerAdapter:
    """The few calls into Slicer this module makes, in one place."""

    def __init__(self, reader_parent=None):
        self.reader_parent = reader_parent

    def temporary_directory(self):
        return slicer.app.temporaryPath

    def load_scene(self, path, properties):
        """Loads a scene with Slicer's own scene readers; returns the new node ids.

        Raises RuntimeError (with Slicer's messages) when loading fails.
        """
        properties = dict(properties)
        properties["fileName"] = path
        properties.pop("fileType", None)
        load_nodes = getattr(slicer.util, "loadNodesFromFile", None)
        if load_nodes is None:  # Slicer before 5.4
            if not slicer.app.coreIOManager().loadNodes("SceneFile", properties):
                raise RuntimeError(f"Slicer failed to load {path}")
            return []
        nodes = load_nodes(path, "SceneFile", properties)
        return [node.GetID() for node in nodes if node is not None and node.GetID()]

    def rebase_bundle_scene(self, bundle_path, extracted_folder):
        """After loading a scene from an extracted bundle, point the scene back at
        the bundle's folder, as vtkMRMLScene::ReadFromMRB does after its own
        extraction: URL and root directory next to the .mrb, storage file names
        below the temporary folder made relative, and every storable node marked
        modified so that a later save writes the data instead of referring to
        files that are gone."""
        scene = slicer.mrmlScene
        loaded_root = scene.GetRootDirectory()
        bundle = os.path.realpath(bundle_path)
        folder = os.path.dirname(bundle)
        base = os.path.splitext(os.path.basename(bundle))[0]
        scene.SetURL(os.path.join(folder, base + ".mrml"))
        scene.SetRootDirectory(folder)
        prefix = os.path.realpath(extracted_folder) + os.sep
        for node in slicer.util.getNodesByClass("vtkMRMLStorageNode"):
            for index in range(-1, node.GetNumberOfFileNames()):
                name = node.GetFileName() if index < 0 else node.GetNthFileName(index)
                if not name or not os.path.realpath(name).startswith(prefix):
                    continue
                relative = os.path.relpath(os.path.realpath(name), os.path.realpath(loaded_root))
                if index < 0:
                    node.SetFileName(relative)
                else:
                    node.ResetNthFileName(index, relative)
        scene.SetStorableNodesModifiedSinceRead()

    def refuse(self, title, text, details):
        """Tells the user why a file was not loaded."""
        logging.error("%s\n%s", text, details)
        if self.reader_parent is not None:
            import vtk
            self.reader_parent.userMessages().AddMessage(vtk.vtkCommand.ErrorEvent, text)
        slicer.util.errorDisplay(text, windowTitle=title, detailedText=details)

    def note(self, text):
        logging.info(text)


class _SlicerLoadError(Exception):
    """Slicer's own reader failed on a file mrmlguard accepted."""


class SceneGate:
    """Decides, for one load request, whether and how Slicer may read the file."""

    def __init__(self, adapter, guard=None, profile=None, bundle_mode=None):
        self.adapter = adapter
        self.guard = guard  # the mrmlguard module; imported on first use when None
        self.profile = profile or os.environ.get("MRMLGUARD_PROFILE", "default")
        self.bundle_mode = bundle_mode or os.environ.get("MRMLGUARD_SLICER_BUNDLE_MODE", "extract")

    @staticmethod
    def confidence(path):
        name = str(path).lower()
        return CONFIDENCE if name.endswith(EXTENSIONS) else 0.0

    def load(self, properties):
        """Returns (loaded, node_ids). Never raises: any failure refuses the file."""
        path = properties.get("fileName") if properties else None
        if not path:
            self._refuse("(no file)", "no file name was given to the reader", "")
            return False, []
        try:
            return self._load(str(path), properties)
        except _SlicerLoadError as error:
            # Accepted, but Slicer's own reader failed: not a refusal by
            # mrmlguard, yet nothing (or not everything) was loaded.
            self._refuse(path, f"Slicer could not load {path}: {error}", str(error))
        except Exception as error:  # fail closed, whatever went wrong
            self._refuse(path, f"mrmlguard could not check {path}: {error}", repr(error))
        return False, []

    def _delegate(self, path, properties):
        try:
            return self.adapter.load_scene(path, properties)
        except Exception as error:
            raise _SlicerLoadError(str(error)) from error

    def _load(self, path, properties):
        guard = self.guard
        if guard is None:
            guard = self.guard = _import_mrmlguard()
        if self.bundle_mode == "extract" and self._looks_like_zip(path):
            return self._load_bundle_extracted(guard, path, properties)
        report = guard.validate(path, profile=self.profile)
        if not report.accepted:
            self._refuse_report(path, report)
            return False, []
        self._note_warnings(path, report)
        return True, self._delegate(path, properties)

    @staticmethod
    def _looks_like_zip(path):
        try:
            with open(path, "rb") as stream:
                return stream.read(4) == b"PK\x03\x04"
        except OSError:
            return False  # validate() reports why it cannot be read

    def _load_bundle_extracted(self, guard, path, properties):
        folder = tempfile.mkdtemp(prefix="mrmlguard-", dir=self.adapter.temporary_directory())
        try:
            report = guard.extract(path, folder, profile=self.profile)
            if not report.accepted or not report.main_scene_path:
                if report.status != "ok":
                    # Extraction stopped early (for instance on the first unsafe
                    # entry name); a plain validation lists every finding, which
                    # says more to the user than the extractor's one reason.
                    checked = guard.validate(path, profile=self.profile)
                    if checked.status == "ok" and not checked.accepted:
                        report = checked
                self._refuse_report(path, report)
                return False, []
            self._note_warnings(path, report)
            self.adapter.note(f"mrmlguard accepted {path} and extracted it into {folder}")
            ids = self._delegate(report.main_scene_path, properties)
            self.adapter.rebase_bundle_scene(path, folder)
            return True, ids
        finally:
            # Slicer's own bundle reader removes its folder after loading too:
            # the data is in memory by then.
            shutil.rmtree(folder, ignore_errors=True)

    def _refuse_report(self, path, report):
        name = os.path.basename(path)
        if report.status != "ok":
            text = f"{name} was not loaded: mrmlguard could not read it ({report.status_message})."
            self._refuse(path, text, report.status_message)
            return
        errors = report.errors
        text = (f"{name} was not loaded: mrmlguard found {len(errors)} "
                f"error{'s' if len(errors) != 1 else ''} that make opening it unsafe.")
        if errors:
            text += f"\nFirst: {errors[0].message} [{errors[0].rule_id}]"
        self._refuse(path, text, self._details(report))

    @staticmethod
    def _details(report):
        lines = []
        for finding in report.findings:
            where = finding.location()
            lines.append(f"{finding.severity}: {finding.message} [{finding.rule_id}]"
                         + (f" at {where}" if where else "")
                         + (f" (node {finding.node_id})" if finding.node_id else ""))
        return "\n".join(lines)

    def _note_warnings(self, path, report):
        if report.warnings:
            self.adapter.note(f"mrmlguard accepted {path} with {len(report.warnings)} warning(s):\n"
                              + self._details(report))

    def _refuse(self, path, text, details):
        try:
            self.adapter.refuse(f"mrmlguard: {os.path.basename(str(path))}", text, details)
        except Exception:  # showing the message failed: still refuse, and say so in the log
            logging.exception("mrmlguard refused %s: %s", path, text)


class MrmlGuard(ScriptedLoadableModule):
    def __init__(self, parent):
        ScriptedLoadableModule.__init__(self, parent)
        parent.title = "MrmlGuard"
        parent.categories = ["Utilities"]
        parent.dependencies = []
        parent.contributors = ["mrmlguard"]
        parent.helpText = (
            "Checks .mrml and .mrb scene files with mrmlguard before Slicer reads them, "
            "and refuses crafted ones. Files opened by drag and drop or Add Data go "
            "through it; File > Load Scene does not.")
        parent.acknowledgementText = ""
        # Nothing to show: the module only contributes its file reader.
        parent.hidden = True


class MrmlGuardFileReader:
    """Found by Slicer's scripted-module loader through its name (<Module>FileReader)."""

    def __init__(self, parent):
        self.parent = parent

    def description(self):
        return "Scene checked by mrmlguard"

    def fileType(self):
        return FILE_TYPE

    def extensions(self):
        return ["Scene checked by mrmlguard (*.mrml *.mrb *.zip *.xar)"]

    def canLoadFileConfidence(self, filePath):
        return SceneGate.confidence(filePath)

    def load(self, properties):
        try:
            loaded, ids = SceneGate(SlicerAdapter(self.parent)).load(properties)
        except Exception:  # SceneGate.load does not raise; belt and braces
            logging.exception("MrmlGuard reader failed")
            return False
        self.parent.loadedNodes = ids
        return loaded
