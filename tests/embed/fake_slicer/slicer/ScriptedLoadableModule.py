"""Stand-in for slicer.ScriptedLoadableModule."""


class ScriptedLoadableModule:
    def __init__(self, parent):
        self.parent = parent
