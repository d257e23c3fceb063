"""Stand-in for slicer.util: the calls SlicerAdapter makes."""

import slicer


def loadNodesFromFile(filename, filetype=None, properties=None):
    if filetype != "SceneFile":
        raise AssertionError(f"the hook must delegate to Slicer's SceneFile readers, not {filetype!r}")
    return iter(slicer._load_scene(filename, properties or {}))


def errorDisplay(text, windowTitle=None, parent=None, standardButtons=None, **kwargs):
    # Slicer's signature; detailedText goes through **kwargs to the message box.
    slicer.calls.append(("errorDisplay", text, windowTitle, kwargs.get("detailedText")))


def getNodesByClass(className):
    if className != "vtkMRMLStorageNode":
        raise AssertionError(className)
    return list(slicer.mrmlScene.storage_nodes)
