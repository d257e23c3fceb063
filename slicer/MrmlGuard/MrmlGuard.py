# SPDX-License-Identifier: BSD-3-Clause
"""MrmlGuard: a 3D Slicer module that checks scene files with mrmlguard before Slicer reads them.

Layers, each closing load paths the one before cannot (docs/slicer.md has the
table of load paths, what guards each, and its test):

1. A file reader, type "MrmlGuardSceneFile", confidence 0.95 for .mrml, .mrb,
   .zip and .xar (Slicer's scene readers answer about 0.55). It wins whenever
   Slicer picks the type from the file name: drag and drop, Add Data's default
   choice, loadNodeFromFile(path) without a type, the command line. It
   declines *.seq.mrb, which the MrmlGuardSequences module's reader takes.
2. MrmlGuardFileDialog, registered for ("SceneFile", Read): File > Load Scene
   and Add Scene open it instead of Slicer's standard dialog
   (qSlicerIOManager::registerDialog replaces a dialog of the same type and
   action).
3. Class-level wrappers of the IO manager's loadNodes, loadScene and loadFile
   (PythonQt refuses instance attributes for slots, the class accepts them),
   and of slicer.util.loadNodeFromFile / loadNodesFromFile as a second layer:
   every Python caller that names "SceneFile" or "SequenceFile" (loadScene,
   loadSequence, Sample Data, the WebServer's open) goes through the gate.
4. A StartImportEvent observer on the main scene: a backstop that refuses,
   at XML level only, a scene file about to be parsed that the gate did not
   hand over (Slicer's own reader chosen in Add Data's file-type column, C++
   callers). For a bundle, Slicer's libarchive has already extracted it.
5. Recent files: entries recorded with Slicer's types are given the guarded
   types when the menu opens; entries for removed temporary copies are dropped.
6. The DICOM "Slicer Data Bundle" plugin and slicer.util.extractArchive: while
   they run, applicationLogic() returns a proxy whose OpenSlicerDataBundle and
   Unzip use mrmlguard's extractor.
7. In a Slicer with slicer/patches/0002, an observer of vtkMRMLFileValidator.

On load, the gate (SceneGate):
  - validates the file with the mrmlguard Python module;
  - rejected or unreadable: the findings are reported and nothing is loaded;
  - accepted .mrml: Slicer's own scene reader loads it ("SceneFile");
  - accepted bundle (default "extract" mode): mrmlguard's extractor writes it
    into a fresh temporary folder, Slicer loads the checked main scene from
    there, the scene is pointed back at the bundle's folder as Slicer's own
    bundle reader does, and the folder is removed; libarchive never sees the
    file. With MRMLGUARD_SLICER_BUNDLE_MODE=slicer the original bundle is
    handed to Slicer's reader instead.

Everything that talks to Slicer is in SlicerAdapter and the install_* helpers;
SceneGate holds the decisions. Tested against a stand-in (tests/embed/fake_slicer).
"""

import contextlib
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
SEQUENCE_FILE_TYPE = "MrmlGuardSequenceFile"
# Slicer's readers answer 0.5 + 0.01 * (length of the matched extension).
CONFIDENCE = 0.95
EXTENSIONS = (".mrml", ".mrb", ".zip", ".xar")
# Sequence bundles: Slicer's Sequences reader (0.58) loads them as a sequence,
# not as a scene; the scene reader declines them, MrmlGuardSequences takes them.
SEQUENCE_EXTENSIONS = (".seq.mrb",)
# Slicer's file types the wrappers guard, and the gate's kind for each.
GUARDED_TYPES = {"SceneFile": "scene", "SequenceFile": "sequence"}
# The guarded type that replaces each of Slicer's, for recent-file entries.
GUARDED_TYPE_FOR = {"SceneFile": FILE_TYPE, "SequenceFile": SEQUENCE_FILE_TYPE}


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


def _identity(path):
    """What makes a file the same file: real path, device, inode, size, mtime."""
    try:
        real = os.path.realpath(str(path))
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    return (real, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class HandOver:
    """The files the gate is handing to Slicer right now, after checking them.

    The wrappers and the import observer let exactly these through (same
    path, device, inode, size and mtime); everything else is checked. An
    entry lives only while the gate's call into Slicer runs.
    """

    def __init__(self):
        self._files = []

    @contextlib.contextmanager
    def handing(self, path):
        identity = _identity(path)
        self._files.append(identity)
        try:
            yield
        finally:
            self._files.remove(identity)

    def contains(self, path):
        identity = _identity(path)
        return identity is not None and identity in self._files


HANDED_OVER = HandOver()


class SlicerAdapter:
    """The calls into Slicer the gate makes, in one place.

    messages: a vtkMRMLMessageCollection-like sink for refusals (the reader's
    userMessages(), or the caller's collection); interactive: also show an
    error dialog (the reader and the Load Scene dialog do; Python API callers
    get the messages and an exception instead).
    """

    def __init__(self, messages=None, interactive=True):
        self.messages = messages
        self.interactive = interactive

    def temporary_directory(self):
        return slicer.app.temporaryPath

    def load_with_slicer(self, path, file_type, properties):
        """Loads a checked file with Slicer's own readers of file_type
        ("SceneFile" or "SequenceFile"); returns the new node ids.

        Raises RuntimeError (with Slicer's messages) when loading fails.
        """
        properties = dict(properties)
        properties["fileName"] = path
        properties.pop("fileType", None)
        with HANDED_OVER.handing(path):
            load_nodes = getattr(slicer.util, "loadNodesFromFile", None)
            if load_nodes is None:  # Slicer before 5.4
                if not slicer.app.coreIOManager().loadNodes(file_type, properties):
                    raise RuntimeError(f"Slicer failed to load {path}")
                return []
            nodes = load_nodes(path, file_type, properties)
        return [node.GetID() for node in nodes if node is not None and node.GetID()]

    def load_scene(self, path, properties):
        return self.load_with_slicer(path, "SceneFile", properties)

    def load_sequence_scene(self, scene_path, bundle_path, extracted_folder, properties):
        """Loads the checked main scene of an extracted sequence bundle as a
        sequence, as qSlicerSequencesReader::load does with the bundle:
        vtkSlicerSequencesLogic::AddSequence (whose storage node reads a .mrml
        with SetURL + Connect, never libarchive), the name, then a browser
        node when "show" is not false. Returns the new node ids."""
        logic = slicer.modules.sequences.logic()
        messages = slicer.vtkMRMLMessageCollection()
        with HANDED_OVER.handing(scene_path):
            node = logic.AddSequence(scene_path, messages)
        if node is None:
            raise RuntimeError(messages.GetAllMessagesAsString() or f"Slicer failed to load {bundle_path}")
        base = os.path.basename(bundle_path)
        for suffix in SEQUENCE_EXTENSIONS + (".mrb",):
            if base.lower().endswith(suffix):
                base = base[:-len(suffix)]
                break
        wanted = str(properties.get("name") or base)
        if node.GetName() != wanted:  # AddSequence named it after the extracted file
            node.SetName(slicer.mrmlScene.GetUniqueNameByString(wanted))
        # The sequence points at the bundle, as after Slicer's own reading.
        node.GetStorageNode().SetFileName(os.path.realpath(bundle_path))
        self.rebase_bundle_scene(bundle_path, extracted_folder, node.GetSequenceScene())
        ids = [node.GetID()]
        if properties.get("show", True):
            browser = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLSequenceBrowserNode", node.GetName() + " browser")
            browser.SetAndObserveMasterSequenceNodeID(node.GetID())
            ids.append(browser.GetID())
            try:  # showing the toolbar is cosmetic: the sequence is loaded either way
                show = getattr(slicer.modules.sequences, "showSequenceBrowser", None) \
                    or slicer.qSlicerSequencesModule.showSequenceBrowser
                show(browser)
            except Exception:
                logging.exception("mrmlguard: could not show the sequence browser")
            logic.UpdateProxyNodesFromSequences(browser)
        return ids

    def rebase_bundle_scene(self, bundle_path, extracted_folder, scene=None):
        """After loading a scene from an extracted bundle, point the scene back at
        the bundle's folder, as vtkMRMLScene::ReadFromMRB does after its own
        extraction: URL and root directory next to the .mrb, storage file names
        below the temporary folder made relative, and every storable node marked
        modified so that a later save writes the data instead of referring to
        files that are gone."""
        scene = scene if scene is not None else slicer.mrmlScene
        loaded_root = scene.GetRootDirectory()
        bundle = os.path.realpath(bundle_path)
        folder = os.path.dirname(bundle)
        base = os.path.splitext(os.path.basename(bundle))[0]
        scene.SetURL(os.path.join(folder, base + ".mrml"))
        scene.SetRootDirectory(folder)
        prefix = os.path.realpath(extracted_folder) + os.sep
        for node in slicer.util.getNodesByClass("vtkMRMLStorageNode", scene):
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
        """Tells the user (or the caller) why a file was not loaded."""
        logging.error("%s\n%s", text, details)
        if self.messages is not None:
            import vtk
            self.messages.AddMessage(vtk.vtkCommand.ErrorEvent, text)
        if self.interactive:
            slicer.util.errorDisplay(text, windowTitle=title, detailedText=details)

    def note(self, text):
        logging.info(text)


class _SlicerLoadError(Exception):
    """Slicer's own reader failed on a file mrmlguard accepted."""


class SceneGate:
    """Decides, for one load request, whether and how Slicer may read the file."""

    def __init__(self, adapter, guard=None, profile=None, bundle_mode=None, kind="scene"):
        """kind: "scene" (Slicer's SceneFile readers load the checked file) or
        "sequence" (a sequence bundle, loaded as Slicer's Sequences reader does)."""
        if kind not in ("scene", "sequence"):
            raise ValueError(kind)
        self.kind = kind
        self.adapter = adapter
        self.guard = guard  # the mrmlguard module; imported on first use when None
        self.profile = profile or os.environ.get("MRMLGUARD_PROFILE", "default")
        self.bundle_mode = bundle_mode or os.environ.get("MRMLGUARD_SLICER_BUNDLE_MODE", "extract")

    @staticmethod
    def confidence(path):
        """The scene reader's confidence: above Slicer's scene readers for
        their extensions, 0 for sequence bundles (the Sequences reader's)."""
        name = str(path).lower()
        if name.endswith(SEQUENCE_EXTENSIONS):
            return 0.0
        return CONFIDENCE if name.endswith(EXTENSIONS) else 0.0

    @staticmethod
    def sequence_confidence(path):
        """The sequence reader's confidence: above the Sequences reader's 0.58
        for *.seq.mrb; low but positive for other .mrb files, so that Slicer
        never picks it by name (the scene reader's 0.95 wins) but an explicit
        loadNodes("MrmlGuardSequenceFile", x.mrb) passes loadNodes' confidence
        re-check (recent-file entries Slicer recorded as SequenceFile)."""
        name = str(path).lower()
        if name.endswith(SEQUENCE_EXTENSIONS):
            return CONFIDENCE
        return 0.1 if name.endswith(".mrb") else 0.0

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
        """Hands a checked file (a scene, or with mode "slicer" a bundle) to
        Slicer's readers of the kind's own type."""
        try:
            return self.adapter.load_with_slicer(
                path, "SceneFile" if self.kind == "scene" else "SequenceFile", properties)
        except Exception as error:
            raise _SlicerLoadError(str(error)) from error

    def _delegate_extracted(self, main_scene, bundle, folder, properties):
        """Hands the checked main scene of an extracted bundle to Slicer."""
        try:
            if self.kind == "sequence":
                return self.adapter.load_sequence_scene(main_scene, bundle, folder, properties)
            ids = self.adapter.load_scene(main_scene, properties)
            self.adapter.rebase_bundle_scene(bundle, folder)
            return ids
        except Exception as error:
            raise _SlicerLoadError(str(error)) from error

    def _load(self, path, properties):
        guard = self.guard
        if guard is None:
            guard = self.guard = _import_mrmlguard()
        if self.kind == "sequence" or (self.bundle_mode == "extract" and self._looks_like_zip(path)):
            if self.bundle_mode == "extract" or not self._looks_like_zip(path):
                # A sequence bundle that is not a ZIP file is refused by the
                # extractor; Slicer's libarchive would have read it.
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
            return True, self._delegate_extracted(report.main_scene_path, path, folder, properties)
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


# --- Python callers of the IO manager and of slicer.util ----------------------------------


def _gate_for(file_type, file_name):
    """The gate's kind for a load request naming one of Slicer's guarded
    types, or None when the request is not one the gate must see."""
    kind = GUARDED_TYPES.get(str(file_type))
    if kind is None or not file_name:
        return None
    if kind == "sequence" and not str(file_name).lower().endswith(".mrb"):
        return None  # NRRD sequences: no scene, no archive
    if HANDED_OVER.contains(file_name):
        return None  # the gate itself is handing this checked file over
    return kind


def _nodes(ids):
    scene = slicer.mrmlScene
    return [node for node in (scene.GetNodeByID(i) for i in ids) if node is not None]


def guarded_load_nodes(original, manager, fileType, properties, loadedNodes=None, userMessages=None):
    """qSlicerCoreIOManager::loadNodes as Python callers see it after install_guards()."""
    names = properties.get("fileName") if hasattr(properties, "get") else None
    if isinstance(names, (list, tuple)):  # loadNodes loads a file list one by one
        result = True
        for name in names:
            one = dict(properties)
            one["fileName"] = name
            result &= guarded_load_nodes(original, manager, fileType, one, loadedNodes, userMessages)
        return result
    kind = _gate_for(fileType, names)
    if kind is None:
        return original(manager, fileType, properties, loadedNodes, userMessages)
    properties = dict(properties)
    properties.pop("fileType", None)
    gate = SceneGate(SlicerAdapter(userMessages, interactive=False), kind=kind)
    loaded, ids = gate.load(properties)
    if loadedNodes is not None:
        for node in _nodes(ids):
            loadedNodes.AddItem(node)
    if loaded:
        # Recorded with the guarded type, so that the recent-files entry for
        # this file goes through the gate again (qSlicerMainWindow records
        # newFileLoaded parameters as they are).
        parameters = dict(properties)
        parameters.update({"fileName": str(names), "fileType": GUARDED_TYPE_FOR[str(fileType)], "nodeIDs": ids})
        manager.emitNewFileLoaded(parameters)
    return loaded


def _wrap_manager_class(klass, originals):
    load_nodes = originals[(klass, "loadNodes")]

    def loadNodes(self, fileType, properties, loadedNodes=None, userMessages=None):
        return guarded_load_nodes(load_nodes, self, fileType, properties, loadedNodes, userMessages)

    def loadScene(self, fileName, clear=True, userMessages=None):
        # qSlicerCoreIOManager::loadScene is loadNodes("SceneFile", ...) in C++.
        return guarded_load_nodes(load_nodes, self, "SceneFile", {"fileName": fileName, "clear": clear},
                                  None, userMessages)

    def loadFile(self, fileName, userMessages=None):
        # qSlicerCoreIOManager::loadFile is loadNodes(fileType(fileName), ...) in C++.
        return guarded_load_nodes(load_nodes, self, self.fileType(fileName), {"fileName": fileName},
                                  None, userMessages)

    for function in (loadNodes, loadScene, loadFile):
        function.mrmlguard_wrapper = True
        setattr(klass, function.__name__, function)


def _util_load(original, first, filename, filetype=None, properties={}, returnNode=False):
    if filetype is None:
        filetype = slicer.app.coreIOManager().fileType(filename)
    kind = _gate_for(filetype, filename)
    if kind is None:
        return original(filename, filetype, properties, returnNode)
    messages = slicer.vtkMRMLMessageCollection()
    request = dict(properties or {})
    request["fileName"] = str(filename)
    loaded, ids = SceneGate(SlicerAdapter(messages, interactive=False), kind=kind).load(request)
    nodes = _nodes(ids)
    if returnNode:
        return loaded, (nodes[0] if nodes else None)
    if not loaded:
        text = f"Failed to load node from file: {filename}"
        if messages.GetNumberOfMessages() > 0:
            text += "\n" + messages.GetAllMessagesAsString()
        raise RuntimeError(text)
    if first:
        return nodes[0] if nodes else None
    return iter(nodes)


def _wrap_util(originals):
    load_node = originals[(slicer.util, "loadNodeFromFile")]
    load_nodes = originals[(slicer.util, "loadNodesFromFile")]

    def loadNodeFromFile(filename, filetype=None, properties={}, returnNode=False):
        return _util_load(load_node, True, filename, filetype, properties, returnNode)

    def loadNodesFromFile(filename, filetype=None, properties={}, returnNode=False):
        return _util_load(load_nodes, False, filename, filetype, properties, returnNode)

    for function in (loadNodeFromFile, loadNodesFromFile):
        function.mrmlguard_wrapper = True
        function.__doc__ = getattr(originals[(slicer.util, function.__name__)], "__doc__", None)
        setattr(slicer.util, function.__name__, function)


# --- the backstop: StartImportEvent ------------------------------------------------------------


class ImportBackstop:
    """Observes StartImportEvent on the main scene.

    vtkMRMLScene::Import fires it synchronously before LoadIntoScene parses
    this->URL; LoadIntoScene fails with "No URL specified" when the URL is
    empty (Libs/MRML/Core/vtkMRMLScene.cxx, Import and LoadIntoScene). A scene
    file that the gate is not handing over is validated here, and a rejected
    one is not parsed: SetURL(""). XML level only: on the bundle path Slicer's
    libarchive has already extracted the bundle when this fires, and for
    Load Scene (Connect) the old scene is already cleared. Sequence
    sub-scenes are separate scene objects and are not observed.
    """

    def __init__(self, guard=None, profile=None, interactive=True):
        self.guard = guard
        self.profile = profile or os.environ.get("MRMLGUARD_PROFILE", "default")
        self.interactive = interactive
        self.scene = None
        self.tag = None

    def observe(self, scene):
        self.scene = scene
        self.tag = scene.AddObserver(slicer.vtkMRMLScene.StartImportEvent, self.on_start_import)

    def stop(self):
        if self.scene is not None and self.tag is not None:
            self.scene.RemoveObserver(self.tag)
        self.scene = self.tag = None

    def on_start_import(self, scene, event=None):
        try:
            self._check(scene)
        except Exception:  # an observer must not raise into VTK; refuse instead
            logging.exception("mrmlguard: the import check failed; the scene is not loaded")
            scene.SetURL("")

    def _check(self, scene):
        if scene.GetLoadFromXMLString():
            return  # an in-memory string (scene views, undo): not a file from outside
        url = scene.GetURL()
        if not url or HANDED_OVER.contains(url):
            return
        guard = self.guard
        if guard is None:
            guard = self.guard = _import_mrmlguard()
        report = guard.validate(url, profile=self.profile)
        if report.accepted:
            return
        scene.SetURL("")
        gate = SceneGate(SlicerAdapter(None, self.interactive), guard=guard, profile=self.profile)
        gate._refuse_report(url, report)


class ValidatorHook:
    """Plugs mrmlguard into vtkMRMLFileValidator, the pre-load hook proposed to
    Slicer in slicer/patches/0002-*.patch. In a Slicer with that patch, MRML
    asks the validator before it unpacks any bundle (UnpackSlicerDataBundle)
    and before it parses any scene file (LoadIntoScene), whoever the caller:
    this closes the paths the Python layers cannot, before libarchive runs.
    Without the patch, slicer.vtkMRMLFileValidator does not exist and nothing
    is installed."""

    def __init__(self, guard=None, profile=None):
        self.guard = guard
        self.profile = profile or os.environ.get("MRMLGUARD_PROFILE", "default")
        self.validator = None
        self.tag = None

    @staticmethod
    def available():
        return hasattr(slicer, "vtkMRMLFileValidator")

    def observe(self):
        self.validator = slicer.vtkMRMLFileValidator.GetInstance()
        self.tag = self.validator.AddObserver(slicer.vtkMRMLFileValidator.ValidateFileEvent, self.on_validate)

    def stop(self):
        if self.validator is not None and self.tag is not None:
            self.validator.RemoveObserver(self.tag)
        self.validator = self.tag = None

    def on_validate(self, validator, event=None):
        try:
            path = validator.GetPath()
            if HANDED_OVER.contains(path):
                return  # the gate checked it and is handing it over now
            guard = self.guard
            if guard is None:
                guard = self.guard = _import_mrmlguard()
            report = guard.validate(path, profile=self.profile)
            if report.accepted:
                return
            errors = report.errors
            reason = (report.status_message if report.status != "ok"
                      else f"{errors[0].message} [{errors[0].rule_id}]" if errors else "rejected")
            validator.Refuse(f"{os.path.basename(path)} was not loaded: mrmlguard: {reason}")
        except Exception as error:  # never raise into VTK; refuse instead
            logging.exception("mrmlguard: the validator check failed")
            validator.Refuse(f"mrmlguard could not check the file: {error}")


# --- recent files -------------------------------------------------------------------------------------


def guarded_type_for(file_type, file_name):
    """The guarded file type that should replace a recorded one, or None."""
    name = str(file_name).lower()
    if str(file_type) in GUARDED_TYPES and name.endswith(SEQUENCE_EXTENSIONS):
        return SEQUENCE_FILE_TYPE
    if str(file_type) == "SceneFile":
        return FILE_TYPE
    if str(file_type) == "SequenceFile" and name.endswith(".mrb"):
        return SEQUENCE_FILE_TYPE
    return None


class RecentFilesGuard:
    """File > Recent: qSlicerMainWindow::onFileRecentLoadedActionTriggered
    reads the action's "fileParameters" property when it is triggered and
    calls loadNodes(fileType) in C++ (Base/QTApp/qSlicerMainWindow.cxx), so
    an entry recorded as "SceneFile" (after a save, or before this module was
    installed) would reach Slicer's reader. When the menu is about to show,
    each such entry is given the guarded type, and entries that point into
    the gate's own temporary copies (recorded by the inner load of an
    extracted bundle; the folder is gone) are removed from the menu."""

    MENU = "RecentlyLoadedMenu"  # objectName in Base/QTApp/Resources/UI/qSlicerMainWindow.ui

    def __init__(self):
        self.menu = None

    def attach(self, main_window):
        if main_window is None:
            return False
        self.menu = slicer.util.findChild(main_window, self.MENU)
        self.menu.aboutToShow.connect(self.rewrite)
        return True

    def rewrite(self):
        try:
            temporary = os.path.join(os.path.realpath(slicer.app.temporaryPath), "mrmlguard-")
            for action in list(self.menu.actions()):
                parameters = action.property("fileParameters")
                if not parameters:
                    continue  # the separator and "Clear History"
                parameters = dict(parameters)
                name = str(parameters.get("fileName", ""))
                if name and os.path.realpath(name).startswith(temporary):
                    self.menu.removeAction(action)
                    continue
                guarded = guarded_type_for(parameters.get("fileType"), name)
                if guarded is not None:
                    parameters["fileType"] = guarded
                    action.setProperty("fileParameters", parameters)
        except Exception:
            logging.exception("mrmlguard: could not rewrite the recent-files menu")


# --- the DICOM "Slicer Data Bundle" plugin and slicer.util.extractArchive -------------------------


class _GuardedApplicationLogic:
    """Stands in for slicer.app.applicationLogic() while a wrapped caller runs:
    OpenSlicerDataBundle and Unzip go through mrmlguard, everything else to
    Slicer's application logic."""

    def __init__(self, logic):
        self._logic = logic

    def __getattr__(self, name):
        return getattr(self._logic, name)

    def OpenSlicerDataBundle(self, bundle, temporaryDirectory=None):
        # vtkMRMLApplicationLogic::OpenSlicerDataBundle: unpack, then Connect
        # (the scene is cleared). Returns the main scene's path, "" when refused,
        # so that the plugin's `sceneFile != ""` reports the refusal.
        loaded, _ = SceneGate(SlicerAdapter(None, interactive=True)).load({"fileName": str(bundle), "clear": True})
        return str(bundle) if loaded else ""

    def Unzip(self, archive, destination):
        """vtkMRMLApplicationLogic::Unzip (vtkArchive::UnZip) with mrmlguard's
        extractor: a data archive holds no scene, so bundle.no-scene is only a
        note here; every ZIP-level rule (traversal, absolute names, links,
        sizes) still refuses. Extracted into a fresh folder, then moved into
        `destination` (which may already hold files, as with Unzip)."""
        return extract_data_archive(str(archive), str(destination))


def extract_data_archive(archive, destination, guard=None):
    """Returns True when mrmlguard accepted the archive and its files are in
    `destination`; False (nothing written to `destination`) otherwise."""
    guard = guard or _import_mrmlguard()
    work = tempfile.mkdtemp(prefix="mrmlguard-", dir=slicer.app.temporaryPath)
    try:
        staged = os.path.join(work, "x")
        report = guard.extract(archive, staged, profile=os.environ.get("MRMLGUARD_PROFILE", "default"),
                               severities={"bundle.no-scene": "note"})
        if not report.accepted:
            errors = report.errors
            reason = (report.status_message if report.status != "ok"
                      else f"{errors[0].message} [{errors[0].rule_id}]" if errors else "rejected")
            logging.error("mrmlguard refused to extract %s: %s", archive, reason)
            return False
        root = os.path.realpath(destination)
        os.makedirs(root, exist_ok=True)
        moves = []
        for folder, _, names in os.walk(staged):
            for name in names:
                source = os.path.join(folder, name)
                target = os.path.join(root, os.path.relpath(source, staged))
                # A link already in the destination must not carry a file out of it.
                parent = os.path.realpath(os.path.dirname(target))
                if (parent != root and not parent.startswith(root + os.sep)) or os.path.islink(target):
                    logging.error("mrmlguard: %s would leave %s through a link; nothing extracted", name, root)
                    return False
                moves.append((source, target))
        for source, target in moves:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(source, target)
        return True
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _guarded_application_logic():
    """While active, slicer.app.applicationLogic() (a slot: replaced at class
    level) returns the guarded proxy."""
    app_class = type(slicer.app)
    saved = app_class.__dict__.get("applicationLogic")
    logic = slicer.app.applicationLogic()
    if isinstance(logic, _GuardedApplicationLogic):  # nested: already guarded
        yield
        return
    app_class.applicationLogic = lambda app_self: _GuardedApplicationLogic(logic)
    try:
        yield
    finally:
        if saved is None:
            del app_class.applicationLogic
        else:
            app_class.applicationLogic = saved


def install_dicom_guard():
    """Wraps DICOMSlicerDataBundlePluginClass.load (Modules/Scripted/
    DICOMPlugins/DICOMSlicerDataBundlePlugin.py). The plugin extracts the
    embedded ZIP into a file, then calls appLogic.OpenSlicerDataBundle, which
    unpacks it with vtkArchive::UnZip and connects the scene, bypassing the IO
    manager. During the plugin's load, applicationLogic() returns the guarded
    proxy. Returns False when the plugin is not there."""
    try:
        import DICOMSlicerDataBundlePlugin as plugin
    except ImportError:
        return False
    klass = plugin.DICOMSlicerDataBundlePluginClass
    if getattr(klass.load, "mrmlguard_wrapper", False):
        return True
    original = klass.load

    def load(self, loadable):
        with _guarded_application_logic():
            return original(self, loadable)

    load.mrmlguard_wrapper = True
    klass.load = load
    _Installed.originals[(klass, "load")] = original
    return True


def _wrap_extract_archive(originals):
    """slicer.util.extractArchive (Base/Python/slicer/util.py) unpacks with
    applicationLogic().Unzip; downloadAndExtractArchive and Sample Data's .zip
    data sets call it. During the call, Unzip is mrmlguard's extractor."""
    original = originals[(slicer.util, "extractArchive")]

    def extractArchive(archiveFilePath, outputDir, expectedNumberOfExtractedFiles=None):
        with _guarded_application_logic():
            return original(archiveFilePath, outputDir, expectedNumberOfExtractedFiles)

    extractArchive.mrmlguard_wrapper = True
    extractArchive.__doc__ = getattr(original, "__doc__", None)
    slicer.util.extractArchive = extractArchive


# --- installation ---------------------------------------------------------------------------------


class _Installed:
    originals = {}
    backstop = None
    validator = None
    recent = None
    dialog_alive = False


def _manager_classes():
    return [klass for klass in (getattr(slicer, "qSlicerCoreIOManager", None),
                                getattr(slicer, "qSlicerIOManager", None)) if klass is not None]


def install_guards(backstop=True):
    """Installs layers 3 and 4 (see the module's docstring). Idempotent."""
    if _Installed.originals:
        return
    originals = {}
    # Save every class's own slot before wrapping any: qSlicerIOManager
    # would otherwise inherit the wrapper of its base class as its original.
    for klass in _manager_classes():
        for name in ("loadNodes", "loadScene", "loadFile"):
            originals[(klass, name)] = getattr(klass, name)
    for name in ("loadNodeFromFile", "loadNodesFromFile", "extractArchive"):
        originals[(slicer.util, name)] = getattr(slicer.util, name)
    _Installed.originals = originals
    for klass in _manager_classes():
        _wrap_manager_class(klass, originals)
    _wrap_util(originals)
    _wrap_extract_archive(originals)
    manager = slicer.app.coreIOManager()
    if not getattr(manager.loadNodes, "mrmlguard_wrapper", False) and \
            not getattr(getattr(manager.loadNodes, "__func__", None), "mrmlguard_wrapper", False):
        logging.warning("mrmlguard: the IO manager's loadNodes is not wrapped for Python callers; "
                        "only slicer.util's loaders are")
    if backstop:
        _Installed.backstop = ImportBackstop()
        _Installed.backstop.observe(slicer.mrmlScene)
    _Installed.recent = RecentFilesGuard()
    if not _Installed.recent.attach(slicer.util.mainWindow()):
        _Installed.recent = None  # no main window (--no-main-window, tests)
    if ValidatorHook.available():
        _Installed.validator = ValidatorHook()
        _Installed.validator.observe()


def uninstall_guards():
    """Restores what install_guards() replaced (tests, module reload)."""
    for (owner, name), original in _Installed.originals.items():
        setattr(owner, name, original)
    _Installed.originals = {}
    if _Installed.backstop is not None:
        _Installed.backstop.stop()
        _Installed.backstop = None
    if _Installed.validator is not None:
        _Installed.validator.stop()
        _Installed.validator = None
    if _Installed.recent is not None:
        _Installed.recent.menu.aboutToShow.disconnect(_Installed.recent.rewrite)
        _Installed.recent = None


def on_startup_completed():
    """Late tasks: the DICOM plugin (a module set up after this one), and a
    check that nothing set up after this module replaced the dialog."""
    if not install_dicom_guard():
        logging.info("mrmlguard: no DICOM Slicer Data Bundle plugin to guard")
    if not _Installed.dialog_alive:
        logging.error("mrmlguard: File > Load Scene is no longer guarded: another module replaced "
                      "the scene dialog")


# --- the Slicer module, its reader and its dialog ---------------------------------------------------


class MrmlGuard(ScriptedLoadableModule):
    def __init__(self, parent):
        ScriptedLoadableModule.__init__(self, parent)
        parent.title = "MrmlGuard"
        parent.categories = ["Utilities"]
        parent.dependencies = []
        parent.contributors = ["mrmlguard"]
        parent.helpText = (
            "Checks .mrml and .mrb scene files with mrmlguard before Slicer reads them, "
            "and refuses crafted ones: drag and drop, Add Data, File > Load Scene and Add Scene, "
            "and Python callers. See docs/slicer.md for the paths it cannot guard.")
        parent.acknowledgementText = ""
        # Nothing to show: the module only contributes its reader, dialog and wrappers.
        parent.hidden = True

    def setup(self):
        """Called by qSlicerScriptedLoadableModule::setup after the dialog and
        the reader were registered."""
        install_guards()
        slicer.app.startupCompleted.connect(on_startup_completed)


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
            loaded, ids = SceneGate(SlicerAdapter(self.parent.userMessages())).load(properties)
        except Exception:  # SceneGate.load does not raise; belt and braces
            logging.exception("MrmlGuard reader failed")
            return False
        self.parent.loadedNodes = ids
        return loaded


class MrmlGuardFileDialog:
    """Registered for ("SceneFile", Read) by qSlicerScriptedLoadableModule::
    registerFileDialog; File > Load Scene and Add Scene (openLoadSceneDialog,
    openAddSceneDialog) then run execDialog instead of Slicer's standard
    dialog, with ioProperties()["clear"] true or false."""

    def __init__(self, qSlicerFileDialog):
        self.qSlicerFileDialog = qSlicerFileDialog
        qSlicerFileDialog.fileType = "SceneFile"
        qSlicerFileDialog.description = "Scene checked by mrmlguard"
        qSlicerFileDialog.action = slicer.qSlicerFileDialog.Read
        _Installed.dialog_alive = True
        qSlicerFileDialog.destroyed.connect(self._replaced)

    @staticmethod
    def _replaced(*args):
        # Reported at startup-completed (modules register dialogs during
        # setup); not here, where application exit destroys it too.
        _Installed.dialog_alive = False

    def execDialog(self):
        properties = self.qSlicerFileDialog.ioProperties()
        files = slicer.qSlicerStandardFileDialog.getOpenFileName(
            {"fileType": "SceneFile", "multipleFiles": False})
        if not files:
            return False
        result = True
        for path in files:
            request = {"fileName": str(path), "clear": bool(properties.get("clear", True))}
            try:
                loaded, _ = SceneGate(SlicerAdapter(None, interactive=True)).load(request)
            except Exception:
                logging.exception("MrmlGuard dialog failed")
                loaded = False
            result = result and loaded
        return bool(result)

    def isMimeDataAccepted(self):
        # Never: drag and drop goes to the reader, not to this dialog.
        pass
