"""Stand-in for slicer.util (Base/Python/slicer/util.py): the loaders have the
real control flow, a type from the file name when none is given and then
app.coreIOManager().loadNodes(...), resolved at call time (loadScene and
loadSequence look loadNodeFromFile up in this module's globals)."""

import slicer


def _load(filename, filetype, properties):
    from vtk import vtkCollection
    properties = dict(properties or {})
    properties["fileName"] = str(filename)
    if filetype is None:
        filetype = slicer.app.coreIOManager().fileType(filename)
    loaded = vtkCollection()
    messages = slicer.vtkMRMLMessageCollection()
    success = slicer.app.coreIOManager().loadNodes(filetype, properties, loaded, messages)
    if not success:
        text = f"Failed to load node from file: {filename}"
        if messages.GetNumberOfMessages() > 0:
            text += "\n" + messages.GetAllMessagesAsString()
        raise RuntimeError(text)
    return loaded


def loadNodeFromFile(filename, filetype=None, properties={}, returnNode=False):
    loaded = _load(filename, filetype, properties)
    return loaded.GetItemAsObject(0) if loaded.GetNumberOfItems() > 0 else None


def loadNodesFromFile(filename, filetype=None, properties={}, returnNode=False):
    return iter(_load(filename, filetype, properties))


def loadScene(filename, properties={}):
    return loadNodeFromFile(filename, "SceneFile", properties, returnNode=False)


def loadSequence(filename, properties={}):
    return loadNodeFromFile(filename, "SequenceFile", properties)


def errorDisplay(text, windowTitle=None, parent=None, standardButtons=None, **kwargs):
    # Slicer's signature; detailedText goes through **kwargs to the message box.
    slicer.calls.append(("errorDisplay", text, windowTitle, kwargs.get("detailedText")))


def getNodesByClass(className, scene=None):
    if className != "vtkMRMLStorageNode":
        raise AssertionError(className)
    return list((scene or slicer.mrmlScene).storage_nodes)


def mainWindow():
    return slicer.app.main_window


def findChild(widget, name, properties=None):
    if name == "RecentlyLoadedMenu" and widget is slicer.app.main_window:
        return widget.menu
    raise RuntimeError(f"could not find child {name}")
