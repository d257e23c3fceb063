# SPDX-License-Identifier: BSD-3-Clause
"""Stand-in for Modules/Scripted/DICOMPlugins/DICOMSlicerDataBundlePlugin.py:
load() writes the ZIP embedded in the DICOM file to <temp>/sceneImport*/scene.zip
and calls slicer.app.applicationLogic().OpenSlicerDataBundle(zipPath, sceneDir),
then returns sceneFile != "". (The stand-in's loadable carries the ZIP bytes
instead of a DICOM file.)"""

import os
import tempfile

import slicer


class DICOMSlicerDataBundlePluginClass:
    def load(self, loadable):
        scene_dir = tempfile.mkdtemp("", "sceneImport", slicer.app.temporaryPath)
        zip_path = os.path.join(scene_dir, "scene.zip")
        with open(zip_path, "wb") as stream:
            stream.write(loadable.zip_bytes)
        scene_file = slicer.app.applicationLogic().OpenSlicerDataBundle(zip_path, scene_dir)
        return scene_file != ""
