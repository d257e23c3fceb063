# SPDX-License-Identifier: BSD-3-Clause
"""MrmlGuardSequences: the guarded reader for sequence bundles (*.seq.mrb).

A scripted module registers at most one file reader (<Module>FileReader,
qSlicerScriptedLoadableModule::registerIO), so the sequence reader lives in
its own module beside MrmlGuard.

Slicer's Sequences reader (qSlicerSequencesReader, type "SequenceFile",
confidence 0.58 for .seq.mrb) reads the bundle with vtkMRMLScene::ReadFromMRB,
that is libarchive. This reader answers 0.95 for *.seq.mrb, so drag and drop
and Add Data pick it; it extracts the bundle with mrmlguard (refusing it on
any error) and gives the checked main scene to
vtkSlicerSequencesLogic::AddSequence, whose storage node reads a .mrml with
SetURL + Connect (vtkMRMLSequenceStorageNode::ReadDataInternal): libarchive
never sees the file. slicer.util.loadSequence and loadNodes("SequenceFile")
go through the same gate through MrmlGuard's wrappers.
"""

import logging

from slicer.ScriptedLoadableModule import ScriptedLoadableModule

import MrmlGuard as _guard


class MrmlGuardSequences(ScriptedLoadableModule):
    def __init__(self, parent):
        ScriptedLoadableModule.__init__(self, parent)
        parent.title = "MrmlGuard Sequences"
        parent.categories = ["Utilities"]
        parent.dependencies = ["MrmlGuard", "Sequences"]
        parent.contributors = ["mrmlguard"]
        parent.helpText = "Checks sequence bundles (.seq.mrb) with mrmlguard before Slicer reads them."
        parent.acknowledgementText = ""
        parent.hidden = True


class MrmlGuardSequencesFileReader:
    def __init__(self, parent):
        self.parent = parent

    def description(self):
        return "Sequence checked by mrmlguard"

    def fileType(self):
        return _guard.SEQUENCE_FILE_TYPE

    def extensions(self):
        return ["Sequence checked by mrmlguard (*.seq.mrb)"]

    def canLoadFileConfidence(self, filePath):
        return _guard.SceneGate.sequence_confidence(filePath)

    def load(self, properties):
        try:
            gate = _guard.SceneGate(_guard.SlicerAdapter(self.parent.userMessages()), kind="sequence")
            loaded, ids = gate.load(properties)
        except Exception:  # SceneGate.load does not raise; belt and braces
            logging.exception("MrmlGuardSequences reader failed")
            return False
        self.parent.loadedNodes = ids
        return loaded
