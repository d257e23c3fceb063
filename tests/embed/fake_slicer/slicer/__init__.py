# SPDX-License-Identifier: BSD-3-Clause
"""A stand-in for the parts of 3D Slicer that slicer/MrmlGuard uses.

The classes have the shape of the real ones (Slicer 5.x main; each class
names the file it imitates), so that the module's guards are tested against
the same control flow:

- qSlicerCoreIOManager / qSlicerIOManager: readers tried by type in
  registration order, confidence re-checked, a refusing reader falls through
  to the next (qSlicerCoreIOManager::loadNodes); loadScene and loadFile call
  loadNodes *inside C++* (here: _loadNodes_cxx), so a Python-level patch of
  the slot does not see them; dialogs registered by (type, action), a later
  one replacing an earlier one (qSlicerIOManager::registerDialog).
- PythonQt's rule that a slot cannot be overwritten on an instance but can on
  the class (PythonQtInstanceWrapper.cpp / PythonQtClassWrapper.cpp).
- Slicer's readers: the scene reader (*.mrml), the bundle reader (*.mrb *.zip
  *.xar, extracting with "libarchive": recorded, never done here) and the
  Sequences reader (*.seq.mrb *.mrb).
- vtkMRMLScene::Import/Connect firing StartImportEvent before LoadIntoScene,
  which fails with "No URL specified" when an observer emptied the URL.
- qSlicerScriptedLoadableModule::setup: registerFileDialog, registerIO, then
  the module's setup().

Anything the module uses that is not here raises AttributeError, so a new
Slicer call shows up as a test failure until it is added here. Every load is
recorded in `calls`; `reset()` starts a new test.
"""

import os
import tempfile

from vtk import vtkCollection, vtkCommand  # noqa: F401

calls = []


# --- PythonQt ----------------------------------------------------------------------


class _PythonQtWrapper:
    """Instances refuse assignment to their class's slots, as PythonQt does
    (PythonQtInstanceWrapper.cpp, PythonQtInstanceWrapper_setattro: "Slot ...
    can not be overwritten"). Class attributes can be replaced
    (PythonQtClassWrapper_setattro is PyType_Type's)."""

    _SLOTS = ()

    def __setattr__(self, name, value):
        for klass in type(self).__mro__:
            if name in getattr(klass, "_SLOTS", ()):
                raise AttributeError(f"Slot {name} can not be overwritten on a {type(self).__name__} object")
        object.__setattr__(self, name, value)


class _Signal:
    def __init__(self):
        self.slots = []

    def connect(self, slot):
        self.slots.append(slot)

    def disconnect(self, slot):
        self.slots.remove(slot)

    def emit(self, *args):
        for slot in list(self.slots):
            slot(*args)


# --- MRML --------------------------------------------------------------------------


class vtkMRMLMessageCollection:
    def __init__(self):
        self.messages = []

    def AddMessage(self, kind, text):
        self.messages.append((kind, text))

    def AddMessages(self, other, prefix=""):
        self.messages.extend((kind, prefix + text) for kind, text in other.messages)

    def ClearMessages(self):
        self.messages.clear()

    def GetNumberOfMessages(self):
        return len(self.messages)

    def GetAllMessagesAsString(self):
        return "\n".join(text for _, text in self.messages)


class FakeStorageNode:
    def __init__(self, file_name, more=()):
        self._file_name = file_name
        self._names = list(more)

    def GetFileName(self):
        return self._file_name

    def SetFileName(self, name):
        self._file_name = name

    def GetNumberOfFileNames(self):
        return len(self._names)

    def GetNthFileName(self, index):
        return self._names[index]

    def ResetNthFileName(self, index, name):
        self._names[index] = name


class FakeNode:
    def __init__(self, node_id, name=""):
        self._id = node_id
        self._name = name

    def GetID(self):
        return self._id

    def GetName(self):
        return self._name

    def SetName(self, name):
        self._name = name


class vtkMRMLScene:
    """vtkMRMLScene, as far as the module sees it (Libs/MRML/Core/vtkMRMLScene.h)."""

    StartImportEvent = 0x2000 + 1  # the value does not matter, the name does

    def __init__(self):
        self.url = ""
        self.root = ""
        self.storage_nodes = []
        self.nodes = {}
        self.marked_modified = False
        self._observers = []

    def GetRootDirectory(self):
        return self.root

    def SetRootDirectory(self, root):
        self.root = root

    def GetURL(self):
        return self.url

    def SetURL(self, url):
        self.url = url

    def GetLoadFromXMLString(self):
        return 0

    def SetStorableNodesModifiedSinceRead(self):
        self.marked_modified = True

    def AddObserver(self, event, callback):
        self._observers.append((event, callback))
        return len(self._observers)

    def RemoveObserver(self, tag):
        self._observers[tag - 1] = (None, None)

    def GetNodeByID(self, node_id):
        return self.nodes.get(node_id)

    def GetUniqueNameByString(self, base):
        names = {node.GetName() for node in self.nodes.values()}
        if base not in names:
            return base
        index = 1
        while f"{base}_{index}" in names:
            index += 1
        return f"{base}_{index}"

    def NewID(self, class_name):
        """IDs are the class name and a count per class, as Slicer's."""
        index = 1
        while f"{class_name}{index}" in self.nodes:
            index += 1
        return f"{class_name}{index}"

    def AddNewNode(self, class_name, name=""):
        node = FakeNode(self.NewID(class_name), name)
        self.nodes[node.GetID()] = node
        return node

    def Import(self, userMessages=None):
        """vtkMRMLScene::Import: StartState(ImportState) fires StartImportEvent
        synchronously, then LoadIntoScene reads this->URL and fails with
        "No URL specified" when it is empty (vtkMRMLScene.cxx, Import and
        LoadIntoScene)."""
        for event, callback in list(self._observers):
            if event == self.StartImportEvent:
                callback(self, event)
        # LoadIntoScene asks the validator before parsing (patch 0002).
        if self.url and not _validate(self.url, _FileValidator.SceneFile, userMessages):
            return False
        if not self.url:
            if userMessages is not None:
                userMessages.AddMessage(vtkCommand.ErrorEvent, "No URL specified")
            return False
        return True

    Connect = Import  # Connect clears the scene first, then imports


class _FileValidator:
    """vtkMRMLFileValidator from slicer/patches/0002-*.patch: one instance;
    Validate() invokes ValidateFileEvent, observers call Refuse(reason)."""

    ValidateFileEvent = 0x1000 + 1800
    SceneFile, SceneBundle = 0, 1
    _instance = None

    @classmethod
    def GetInstance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        self._observers = []
        self.path, self.kind, self.refused, self.reason = "", 0, False, ""

    def AddObserver(self, event, callback):
        self._observers.append(callback)
        return len(self._observers)

    def RemoveObserver(self, tag):
        self._observers[tag - 1] = None

    def GetPath(self):
        return self.path

    def GetKind(self):
        return self.kind

    def Refuse(self, reason):
        self.refused, self.reason = True, reason

    def Validate(self, path, kind, userMessages=None):
        self.path, self.kind, self.refused, self.reason = path, kind, False, ""
        for callback in list(self._observers):
            if callback is not None:
                callback(self, self.ValidateFileEvent)
        if self.refused and userMessages is not None:
            userMessages.AddMessage(vtkCommand.ErrorEvent, self.reason)
        return not self.refused


def enable_patched_validator():
    """Makes this stand-in a Slicer with slicer/patches/0002 applied."""
    global vtkMRMLFileValidator
    _FileValidator._instance = None
    vtkMRMLFileValidator = _FileValidator


def _validate(path, kind, messages):
    validator = globals().get("vtkMRMLFileValidator")
    return validator is None or validator.GetInstance().Validate(path, kind, messages)


# --- IO manager and readers -----------------------------------------------------------


def _default_confidence(reader, file_name):
    """qSlicerFileReader::canLoadFileConfidence: 0.5 + 0.01 x the longest
    matching extension, and only for a readable regular file whose suffix has
    no '~' (supportedNameFilters)."""
    if not os.path.isfile(file_name) or not os.access(file_name, os.R_OK) or "~" in file_name.rsplit(".", 1)[-1]:
        return 0.0
    longest = 0
    for pattern in reader.extensions():
        inside = pattern[pattern.find("(") + 1:pattern.rfind(")")] if "(" in pattern else pattern
        for glob in inside.split():
            suffix = glob.lstrip("*")
            if suffix and file_name.lower().endswith(suffix.lower()):
                longest = max(longest, len(suffix))
    return 0.5 + 0.01 * longest if longest else 0.0


class qSlicerFileReader(_PythonQtWrapper):
    """Base/QTCore/qSlicerFileReader.h."""

    _SLOTS = ("userMessages", "loadedNodes", "setLoadedNodes")

    def __init__(self):
        object.__setattr__(self, "_messages", vtkMRMLMessageCollection())
        object.__setattr__(self, "_loaded", [])
        object.__setattr__(self, "scene", None)

    def userMessages(self):
        return self._messages

    def loadedNodes(self):
        return list(self._loaded)

    def setLoadedNodes(self, ids):
        object.__setattr__(self, "_loaded", list(ids))

    def setMRMLScene(self, scene):
        object.__setattr__(self, "scene", scene)

    def canLoadFileConfidence(self, file_name):
        return _default_confidence(self, file_name)


class _SceneReader(qSlicerFileReader):
    """Modules/Loadable/Data/qSlicerSceneReader.cxx: *.mrml, SceneFile,
    scene->SetURL + Connect (clear) or Import."""

    def description(self):
        return "MRML Scene"

    def fileType(self):
        return "SceneFile"

    def extensions(self):
        return ["MRML Scene (*.mrml)"]

    def load(self, properties, record=True):
        path = properties["fileName"]
        if record:
            calls.append(("load", path, dict(properties), self.description()))
        if behaviour.fail_load:
            self.userMessages().AddMessage(vtkCommand.ErrorEvent, behaviour.fail_load)
            return False
        with open(path, "rb") as stream:  # the file must be there when Slicer reads it
            behaviour.seen_scene_bytes = stream.read()
        scene = self.scene
        scene.SetURL(path)
        scene.SetRootDirectory(os.path.dirname(path))
        if not scene.Import(self.userMessages()):
            return False
        # A scene from a bundle refers to its data below its own folder.
        scene.storage_nodes.append(
            FakeStorageNode(os.path.join(os.path.dirname(path), "Data", "a.nrrd"),
                            [os.path.join(os.path.dirname(path), "Data", "b.nrrd"), "/elsewhere/c.nrrd"]))
        ids = [scene.AddNewNode("vtkMRMLScalarVolumeNode").GetID(), scene.AddNewNode("vtkMRMLModelNode").GetID()]
        self.setLoadedNodes(ids)
        return True


class _SceneBundleReader(_SceneReader):
    """Base/QTCore/qSlicerSceneBundleReader.cxx: *.mrb *.zip *.xar, SceneFile,
    vtkMRMLScene::ReadFromMRB, which unpacks with libarchive (vtkArchive::UnZip).
    Here the unpacking is only recorded: an unguarded path."""

    def description(self):
        return "MRB Slicer Data Bundle"

    def extensions(self):
        return ["MRB Slicer Data Bundle (*.mrb *.zip *.xar)"]

    def load(self, properties):
        """vtkMRMLScene::ReadFromMRB: unpack into the cache (here with
        zipfile, safe names only: the stand-in does not reproduce
        libarchive's behaviour, only that it ran), pick the shallowest .mrml
        (UnpackSlicerDataBundle), then load it."""
        import zipfile
        path = properties["fileName"]
        # UnpackSlicerDataBundle asks the validator first (patch 0002).
        if not _validate(path, _FileValidator.SceneBundle, self.userMessages()):
            return False
        calls.append(("libarchive", path))
        folder = tempfile.mkdtemp(prefix="slicer-unpack-", dir=app.temporaryPath)
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    target = os.path.realpath(os.path.join(folder, info.filename))
                    if target.startswith(os.path.realpath(folder) + os.sep) and not info.is_dir():
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        with open(target, "wb") as out:
                            out.write(archive.read(info))
        except (OSError, zipfile.BadZipFile) as error:
            self.userMessages().AddMessage(vtkCommand.ErrorEvent, str(error))
            return False
        scenes = sorted((dirpath.count(os.sep), os.path.join(dirpath, name))
                        for dirpath, _, names in os.walk(folder) for name in names if name.endswith(".mrml"))
        if not scenes:
            return False
        inner = dict(properties)
        inner["fileName"] = scenes[0][1]
        calls.append(("load", path, dict(properties), self.description()))
        return _SceneReader.load(self, inner, record=False)


class _SequencesReader(qSlicerFileReader):
    """Modules/Loadable/Sequences/qSlicerSequencesReader.cxx: SequenceFile,
    *.seq.mrb *.mrb (and NRRD sequences); vtkSlicerSequencesLogic::AddSequence
    reads a .seq.mrb with vtkMRMLScene::ReadFromMRB (libarchive)."""

    def description(self):
        return "Sequence"

    def fileType(self):
        return "SequenceFile"

    def extensions(self):
        return ["Sequence (*.seq.mrb *.mrb)", "Volume Sequence (*.seq.nrrd *.seq.nhdr)"]

    def load(self, properties):
        if properties["fileName"].lower().endswith(".mrb"):
            calls.append(("libarchive", properties["fileName"]))
        calls.append(("load", properties["fileName"], dict(properties), self.description()))
        node = modules.sequences.logic().AddSequence(properties["fileName"], self.userMessages())
        self.setLoadedNodes([node.GetID()] if node else [])
        return node is not None


class qSlicerScriptedFileReader(qSlicerFileReader):
    """Base/QTCore/qSlicerScriptedFileReader.cxx: forwards to the Python
    <Module>FileReader object, which gets this object as its `parent`."""

    def __init__(self, python_class):
        super().__init__()
        object.__setattr__(self, "py", python_class(self))

    def description(self):
        return self.py.description()

    def fileType(self):
        return self.py.fileType()

    def extensions(self):
        return self.py.extensions()

    def canLoadFileConfidence(self, file_name):
        if hasattr(self.py, "canLoadFileConfidence"):
            return self.py.canLoadFileConfidence(file_name)
        return super().canLoadFileConfidence(file_name)

    def load(self, properties):
        self.setLoadedNodes([])
        object.__setattr__(self, "loadedNodes_py", None)
        result = self.py.load(properties)
        return bool(result)

    # The Python reader sets `self.parent.loadedNodes = [...]`: a property there.
    def __setattr__(self, name, value):
        if name == "loadedNodes":
            self.setLoadedNodes(value)
            return
        super().__setattr__(name, value)


class qSlicerCoreIOManager(_PythonQtWrapper):
    """Base/QTCore/qSlicerCoreIOManager.{h,cxx}. registerIO is C++ only."""

    _SLOTS = ("loadNodes", "loadScene", "loadFile", "fileType", "emitNewFileLoaded")

    def __init__(self):
        object.__setattr__(self, "_readers", [])  # d->Readers, registration order
        object.__setattr__(self, "newFileLoaded", _Signal())

    def registerIO(self, reader):
        self._readers.append(reader)

    def readers(self, file_type=None):
        return [r for r in self._readers if file_type is None or r.fileType() == file_type]

    def fileType(self, file_name):
        """The type of the most confident reader (qSlicerCoreIOManager::fileType)."""
        best, best_type = 0.0, "NoFile"
        for reader in self._readers:
            confidence = reader.canLoadFileConfidence(str(file_name))
            if confidence > best:
                best, best_type = confidence, reader.fileType()
        return best_type

    def loadNodes(self, fileType, properties, loadedNodes=None, userMessages=None):
        """The Q_INVOKABLE slot seen from Python."""
        return qSlicerCoreIOManager._loadNodes_cxx(self, fileType, properties, loadedNodes, userMessages)

    def _loadNodes_cxx(self, fileType, properties, loadedNodes=None, userMessages=None):
        """qSlicerCoreIOManager::loadNodes as C++ runs it: never through Python."""
        names = properties["fileName"]
        if isinstance(names, (list, tuple)):
            result = True
            for name in names:
                one = dict(properties)
                one["fileName"] = name
                result &= qSlicerCoreIOManager._loadNodes_cxx(self, fileType, one, loadedNodes, userMessages)
            return result
        success, nodes = False, []
        for reader in self.readers(fileType):
            reader.userMessages().ClearMessages()
            reader.setMRMLScene(mrmlScene)
            if reader.canLoadFileConfidence(str(names)) <= 0.0:
                continue
            ok = reader.load(dict(properties))
            if userMessages is not None:
                userMessages.AddMessages(reader.userMessages(), f"Loading {names} - ")
            if not ok:
                continue
            nodes = reader.loadedNodes()
            success = True
            break
        if not success and userMessages is not None and not userMessages.GetNumberOfMessages():
            userMessages.AddMessage(vtkCommand.ErrorEvent, f"Loading {names} - load failed.")
        if loadedNodes is not None:
            for node_id in nodes:
                loadedNodes.AddItem(mrmlScene.GetNodeByID(node_id))
        parameters = dict(properties)
        parameters["fileType"] = fileType
        parameters["nodeIDs"] = nodes
        self.newFileLoaded.emit(parameters)
        return success

    def loadScene(self, fileName, clear=True, userMessages=None):
        """qSlicerCoreIOManager::loadScene: loadNodes("SceneFile") in C++."""
        return self._loadNodes_cxx("SceneFile", {"fileName": fileName, "clear": clear}, None, userMessages)

    def loadFile(self, fileName, userMessages=None):
        """qSlicerCoreIOManager::loadFile: loadNodes(fileType(file)) in C++."""
        return self._loadNodes_cxx(self.fileType(fileName), {"fileName": fileName}, None, userMessages)

    def emitNewFileLoaded(self, parameters):
        self.newFileLoaded.emit(dict(parameters))


class qSlicerFileDialog:
    """Base/QTGUI/qSlicerFileDialog.h: IOAction."""

    Read = 0
    Write = 1


class qSlicerStandardFileDialog(qSlicerFileDialog):
    """qSlicerStandardFileDialog::exec: a file chooser whose filters are the
    extensions of every reader of the type, then ioManager->loadNodes(type)."""

    def __init__(self, file_type, action):
        self.fileType, self.action = file_type, action

    @staticmethod
    def getOpenFileName(ioProperties=None):
        calls.append(("chooser", dict(ioProperties or {})))
        return list(behaviour.chosen_files)

    def exec_(self, properties):
        files = qSlicerStandardFileDialog.getOpenFileName({"fileType": self.fileType})
        if not files:
            return False
        properties = dict(properties)
        properties["fileName"] = files if len(files) > 1 else files[0]
        return app.ioManager()._loadNodes_cxx(self.fileType, properties)


class qSlicerScriptedFileDialog(_PythonQtWrapper):
    """Base/QTGUI/qSlicerScriptedFileDialog.cxx: the Python <Module>FileDialog
    gets this object; fileType, description and action are writable
    properties (qSlicerStandardFileDialog's Q_PROPERTYs); exec() stores the
    properties for ioProperties() and calls execDialog(), which must return a
    bool."""

    def __init__(self, python_class):
        object.__setattr__(self, "fileType", "")
        object.__setattr__(self, "description", "")
        object.__setattr__(self, "action", qSlicerFileDialog.Read)
        object.__setattr__(self, "_properties", {})
        object.__setattr__(self, "_mime_accepted", False)
        object.__setattr__(self, "destroyed", _Signal())
        object.__setattr__(self, "py", python_class(self))

    def ioProperties(self):
        return dict(self._properties)

    def acceptMimeData(self, accept):
        object.__setattr__(self, "_mime_accepted", accept)

    def isMimeDataAccepted(self):
        object.__setattr__(self, "_mime_accepted", False)
        if hasattr(self.py, "isMimeDataAccepted"):
            self.py.isMimeDataAccepted()
        return self._mime_accepted

    def exec_(self, properties):
        object.__setattr__(self, "_properties", dict(properties))
        result = self.py.execDialog()
        if not isinstance(result, bool):
            return False  # "function 'execDialog' is expected to return a boolean"
        return result


class qSlicerIOManager(qSlicerCoreIOManager):
    """Base/QTGUI/qSlicerIOManager.cxx."""

    def __init__(self):
        super().__init__()
        object.__setattr__(self, "_read_dialogs", [])

    def registerDialog(self, dialog):
        """Replaces a dialog of the same type and action, prepends the new one
        (qSlicerIOManager::registerDialog). C++ only."""
        for existing in list(self._read_dialogs):
            if existing.fileType == dialog.fileType and existing.action == dialog.action:
                self._read_dialogs.remove(existing)
                existing.destroyed.emit()
        self._read_dialogs.insert(0, dialog)

    def isDialogRegistered(self, fileType, action):
        return any(d.fileType == fileType and d.action == action for d in self._read_dialogs)

    def openDialog(self, fileType, action, properties):
        dialog = next((d for d in self._read_dialogs if d.fileType == fileType and d.action == action), None)
        if dialog is None:
            dialog = qSlicerStandardFileDialog(fileType, action)
        return dialog.exec_(properties)

    def openLoadSceneDialog(self):
        return self.openDialog("SceneFile", qSlicerFileDialog.Read, {"clear": True})

    def openAddSceneDialog(self):
        return self.openDialog("SceneFile", qSlicerFileDialog.Read, {"clear": False})


# --- Sequences ---------------------------------------------------------------------------


class _SequenceNode(FakeNode):
    def __init__(self, node_id, name, storage):
        super().__init__(node_id, name)
        self._storage = storage
        self._scene = vtkMRMLScene()

    def GetStorageNode(self):
        return self._storage

    def GetSequenceScene(self):
        return self._scene


class _SequencesLogic:
    """vtkSlicerSequencesLogic::AddSequence: a sequence node with a
    vtkMRMLSequenceStorageNode for .seq.mrb/.mrb/.seq.mrml/.mrml; the storage
    node reads .mrb with ReadFromMRB (libarchive) and .mrml with SetURL +
    Connect (vtkMRMLSequenceStorageNode::ReadDataInternal)."""

    def AddSequence(self, file_name, userMessages=None):
        calls.append(("AddSequence", file_name))
        lower = file_name.lower()
        if not lower.endswith((".mrb", ".mrml")) or not os.path.isfile(file_name):
            if userMessages is not None:
                userMessages.AddMessage(vtkCommand.ErrorEvent, f"Failed to read sequence: {file_name}")
            return None
        with open(file_name, "rb") as stream:
            behaviour.seen_sequence_bytes = stream.read()
        storage = FakeStorageNode(file_name)
        base = os.path.basename(file_name).split(".")[0]
        node = _SequenceNode(mrmlScene.NewID("vtkMRMLSequenceNode"), base, storage)
        mrmlScene.nodes[node.GetID()] = node
        inner = node.GetSequenceScene()
        inner.SetURL(file_name)
        inner.SetRootDirectory(os.path.dirname(file_name))
        inner.storage_nodes.append(FakeStorageNode(os.path.join(os.path.dirname(file_name), "Data", "f0.nrrd")))
        return node

    def UpdateProxyNodesFromSequences(self, browser):
        calls.append(("UpdateProxyNodesFromSequences", browser.GetID()))


class _SequenceBrowserNode(FakeNode):
    def SetAndObserveMasterSequenceNodeID(self, node_id):
        self.master = node_id


class _Module:
    def __init__(self, logic):
        self._logic = logic

    def logic(self):
        return self._logic


class _Modules:
    pass


class qSlicerSequencesModule:
    @staticmethod
    def showSequenceBrowser(browser):
        calls.append(("showSequenceBrowser", browser.GetID()))
        return True


# --- main window: recent files ---------------------------------------------------------------


class QAction:
    def __init__(self, text):
        self.text = text
        self._properties = {}

    def property(self, name):
        value = self._properties.get(name)
        return dict(value) if isinstance(value, dict) else value

    def setProperty(self, name, value):
        self._properties[name] = dict(value) if isinstance(value, dict) else value


class QMenu:
    def __init__(self, name):
        self.objectName = name
        self._actions = []
        self.aboutToShow = _Signal()

    def actions(self):
        return list(self._actions)

    def addAction(self, text):
        action = QAction(text)
        self._actions.append(action)
        return action

    def removeAction(self, action):
        self._actions.remove(action)

    def clear(self):
        self._actions = []


class qSlicerMainWindow:
    """Base/QTApp/qSlicerMainWindow.cxx: newFileLoaded -> addFileToRecentFiles
    (same file name replaced) -> setupRecentlyLoadedMenu (one action per
    entry, newest first, "fileParameters" property, then "Clear History");
    a triggered action reads its property and calls loadNodes in C++."""

    def __init__(self, io_manager):
        self.recent = []
        self.menu = QMenu("RecentlyLoadedMenu")
        io_manager.newFileLoaded.connect(self.addFileToRecentFiles)

    def addFileToRecentFiles(self, properties):
        name = properties.get("fileName")
        if not name:
            return
        self.recent = [p for p in self.recent if os.path.abspath(p["fileName"]) != os.path.abspath(name)]
        self.recent.append(dict(properties))
        self.menu.clear()
        for entry in reversed(self.recent):
            self.menu.addAction(entry["fileName"]).setProperty("fileParameters", entry)
        self.menu.addAction("Clear History").setProperty("clearMenu", True)

    def showRecentMenu(self):
        self.menu.aboutToShow.emit()
        return self.menu.actions()

    def triggerRecent(self, action):
        parameters = action.property("fileParameters")
        return app.coreIOManager()._loadNodes_cxx(parameters["fileType"], parameters)


# --- application ----------------------------------------------------------------------------


class _ApplicationLogic:
    """vtkSlicerApplicationLogic: OpenSlicerDataBundle unpacks with
    vtkArchive::UnZip and connects the scene (vtkMRMLApplicationLogic.cxx)."""

    def OpenSlicerDataBundle(self, bundle, directory):
        calls.append(("libarchive", bundle))
        return os.path.join(directory, "scene.mrml")

    def Unzip(self, archive, directory):
        """vtkMRMLApplicationLogic::Unzip -> vtkArchive::UnZip: recorded only."""
        calls.append(("libarchive", archive))
        return True


class qSlicerApplication(_PythonQtWrapper):
    _SLOTS = ("applicationLogic", "coreIOManager", "ioManager")

    def __init__(self):
        object.__setattr__(self, "temporaryPath", tempfile.gettempdir())
        object.__setattr__(self, "_io", qSlicerIOManager())
        object.__setattr__(self, "startupCompleted", _Signal())
        object.__setattr__(self, "_logic", _ApplicationLogic())
        object.__setattr__(self, "main_window", qSlicerMainWindow(self._io))

    def applicationLogic(self):
        return self._logic

    def coreIOManager(self):
        return self._io

    def ioManager(self):
        return self._io


class _Behaviour:
    """What the next load does; tests change it."""

    def __init__(self):
        self.fail_load = None  # an error message: Slicer's scene reader fails with it
        self.seen_scene_bytes = None  # content of the scene file when Slicer read it
        self.seen_sequence_bytes = None
        self.chosen_files = []  # what the user picks in a file chooser


app = qSlicerApplication()
mrmlScene = vtkMRMLScene()
behaviour = _Behaviour()
modules = _Modules()


def reset(temporary_path):
    """A fresh Slicer: Data and Sequences modules set up (their readers
    registered in module order, qSlicerDataModule::setup then
    qSlicerSequencesModule::setup)."""
    global app, mrmlScene, behaviour
    globals().pop("vtkMRMLFileValidator", None)  # an unpatched Slicer
    calls.clear()
    app = qSlicerApplication()
    object.__setattr__(app, "temporaryPath", temporary_path)
    mrmlScene = vtkMRMLScene()
    behaviour = _Behaviour()
    modules.sequences = _Module(_SequencesLogic())
    io = app.coreIOManager()
    io.registerIO(_SceneReader())
    io.registerIO(_SceneBundleReader())
    io.registerIO(_SequencesReader())


class _ModuleParent:
    """qSlicerScriptedLoadableModule as the Python module's `parent`."""


def load_scripted_module(python_module, name):
    """What qSlicerScriptedLoadableModule does with <name>.py: instantiate the
    module class, then setup(): registerFileDialog (<name>FileDialog),
    registerIO (<name>FileReader), then the module's own setup() if any."""
    instance = getattr(python_module, name)(_ModuleParent())
    dialog_class = getattr(python_module, name + "FileDialog", None)
    if dialog_class is not None:
        app.ioManager().registerDialog(qSlicerScriptedFileDialog(dialog_class))
    reader_class = getattr(python_module, name + "FileReader", None)
    if reader_class is not None:
        app.coreIOManager().registerIO(qSlicerScriptedFileReader(reader_class))
    if hasattr(instance, "setup"):
        instance.setup()
    return instance


def _new_browser(name):
    node = _SequenceBrowserNode(mrmlScene.NewID("vtkMRMLSequenceBrowserNode"), name)
    mrmlScene.nodes[node.GetID()] = node
    return node


def _add_new_node_by_class(class_name, name=""):
    if class_name == "vtkMRMLSequenceBrowserNode":
        return _new_browser(name)
    return mrmlScene.AddNewNode(class_name, name)


vtkMRMLScene.AddNewNodeByClass = staticmethod(_add_new_node_by_class)

from . import util  # noqa: E402,F401  (slicer.util is an attribute of slicer)
