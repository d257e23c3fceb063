# SPDX-License-Identifier: BSD-3-Clause
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


def getFilesInDirectory(directory, absolutePath=True):
    import os
    found = []
    for folder, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(folder, name)
            found.append(path if absolutePath else os.path.relpath(path, directory))
    return found


def extractArchive(archiveFilePath, outputDir, expectedNumberOfExtractedFiles=None):
    """The control flow of Slicer's: .zip only, skip when the expected number
    of files is there, applicationLogic().Unzip, then count the files."""
    import os
    if not os.path.exists(archiveFilePath) or os.path.splitext(archiveFilePath)[1].lower() != ".zip":
        return False
    if expectedNumberOfExtractedFiles is not None and \
            len(getFilesInDirectory(outputDir, False)) == expectedNumberOfExtractedFiles:
        return True
    ok = slicer.app.applicationLogic().Unzip(archiveFilePath, outputDir)
    if ok is False or (expectedNumberOfExtractedFiles is not None and
                       len(getFilesInDirectory(outputDir, False)) != expectedNumberOfExtractedFiles):
        return False
    return True
