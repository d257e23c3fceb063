# SPDX-License-Identifier: BSD-3-Clause
"""Stand-in for the VTK names the hook uses."""


class vtkCommand:
    ErrorEvent = 39
    WarningEvent = 38


class vtkCollection:
    def __init__(self):
        self._items = []

    def AddItem(self, item):
        self._items.append(item)

    def GetNumberOfItems(self):
        return len(self._items)

    def GetItemAsObject(self, index):
        return self._items[index]

    def __iter__(self):
        return iter(list(self._items))
