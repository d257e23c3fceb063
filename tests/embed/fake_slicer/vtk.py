"""Stand-in for the one VTK name the hook uses."""


class vtkCommand:
    ErrorEvent = 39
    WarningEvent = 38
