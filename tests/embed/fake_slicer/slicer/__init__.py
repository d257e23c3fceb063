"""A stand-in for the parts of 3D Slicer's `slicer` module that slicer/MrmlGuard uses.

Only what SlicerAdapter calls exists here; anything else raises
AttributeError, so a new Slicer call in the adapter shows up as a test
failure until it is added (and documented) here. Every call is recorded in
`calls` for the tests to inspect; `reset()` starts a new test.
"""

import os
import tempfile

from . import util  # noqa: F401  (slicer.util is an attribute of slicer)

calls = []


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
    def __init__(self, node_id):
        self._id = node_id

    def GetID(self):
        return self._id


class FakeScene:
    def __init__(self):
        self.url = ""
        self.root = ""
        self.storage_nodes = []
        self.marked_modified = False

    def GetRootDirectory(self):
        return self.root

    def SetRootDirectory(self, root):
        self.root = root

    def SetURL(self, url):
        self.url = url

    def SetStorableNodesModifiedSinceRead(self):
        self.marked_modified = True


class FakeApp:
    def __init__(self):
        self.temporaryPath = tempfile.gettempdir()


class _Behaviour:
    """What the next load does; tests change it."""

    def __init__(self):
        self.fail_load = None  # an error message: loading raises RuntimeError
        self.seen_scene_bytes = None  # content of the scene file when it was loaded


app = FakeApp()
mrmlScene = FakeScene()
behaviour = _Behaviour()


def reset(temporary_path):
    calls.clear()
    app.temporaryPath = temporary_path
    global mrmlScene, behaviour
    mrmlScene = FakeScene()
    behaviour = _Behaviour()


def _load_scene(path, properties):
    """What Slicer's scene reader does, as far as the hook can see it."""
    calls.append(("load", path, dict(properties)))
    if behaviour.fail_load:
        raise RuntimeError(behaviour.fail_load)
    with open(path, "rb") as stream:  # the file must be there when Slicer reads it
        behaviour.seen_scene_bytes = stream.read()
    mrmlScene.SetURL(path)
    mrmlScene.SetRootDirectory(os.path.dirname(path))
    # A scene from a bundle refers to its data below its own folder.
    mrmlScene.storage_nodes.append(
        FakeStorageNode(os.path.join(os.path.dirname(path), "Data", "a.nrrd"),
                        [os.path.join(os.path.dirname(path), "Data", "b.nrrd"), "/elsewhere/c.nrrd"]))
    return [FakeNode("vtkMRMLScalarVolumeNode1"), FakeNode("vtkMRMLModelNode1")]
