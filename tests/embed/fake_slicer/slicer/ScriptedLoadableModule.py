# SPDX-License-Identifier: BSD-3-Clause
"""Stand-in for slicer.ScriptedLoadableModule."""


class ScriptedLoadableModule:
    def __init__(self, parent):
        self.parent = parent
