# SPDX-License-Identifier: BSD-3-Clause
"""ctypes declarations of the mrmlguard C API (include/mrmlguard/mrmlguard.h).

Kept apart from the public module so that every foreign call has one declared
signature in one place: ctypes guesses int for anything undeclared, which
would truncate pointers and 64-bit values silently.
"""

import ctypes
import ctypes.util
import os
import subprocess
import sys

# Error codes (mrmlguard_error); values never change meaning.
OK = 0
E_INVALID_ARGUMENT = 1
E_UNKNOWN_PROFILE = 2
E_UNKNOWN_LIMIT = 3
E_UNKNOWN_RULE = 4
E_BAD_SEVERITY = 5
E_IO = 6
E_EMPTY_INPUT = 7
E_NOMEM = 8
E_INTERNAL = 9
E_OUT_OF_RANGE = 10

SEVERITY_NAMES = ("off", "note", "warning", "error")
STATUS_NAMES = ("ok", "io-error", "empty-input", "invalid-argument", "internal")
KIND_NAMES = ("unknown", "bundle", "scene")

_POLICY = ctypes.c_void_p
_REPORT = ctypes.c_void_p
_STR = ctypes.c_char_p
_INT = ctypes.c_int
_SIZE = ctypes.c_size_t

# name: (restype, argtypes)
_SIGNATURES = {
    "mrmlguard_version": (_STR, []),
    "mrmlguard_strerror": (_STR, [_INT]),
    "mrmlguard_severity_name": (_STR, [_INT]),
    "mrmlguard_policy_new": (_POLICY, [_STR]),
    "mrmlguard_policy_free": (None, [_POLICY]),
    "mrmlguard_policy_set_limit": (_INT, [_POLICY, _STR, ctypes.c_uint64]),
    "mrmlguard_policy_get_limit": (_INT, [_POLICY, _STR, ctypes.POINTER(ctypes.c_uint64)]),
    "mrmlguard_policy_set_severity": (_INT, [_POLICY, _STR, _INT]),
    "mrmlguard_validate_file": (_INT, [_POLICY, _STR, ctypes.POINTER(_REPORT)]),
    "mrmlguard_validate_buffer": (_INT, [_POLICY, ctypes.c_void_p, _SIZE, _STR,
                                         ctypes.POINTER(_REPORT)]),
    "mrmlguard_extract": (_INT, [_POLICY, _STR, _STR, ctypes.POINTER(_REPORT),
                                 ctypes.POINTER(_STR)]),
    "mrmlguard_sanitize": (_INT, [_POLICY, _STR, _STR, ctypes.POINTER(ctypes.c_void_p)]),
    "mrmlguard_sanitize_result_free": (None, [ctypes.c_void_p]),
    "mrmlguard_sanitize_written": (_INT, [ctypes.c_void_p]),
    "mrmlguard_sanitize_json": (_STR, [ctypes.c_void_p]),
    "mrmlguard_report_free": (None, [_REPORT]),
    "mrmlguard_report_accepted": (_INT, [_REPORT]),
    "mrmlguard_report_status": (_INT, [_REPORT]),
    "mrmlguard_report_status_message": (_STR, [_REPORT]),
    "mrmlguard_report_kind": (_INT, [_REPORT]),
    "mrmlguard_report_path": (_STR, [_REPORT]),
    "mrmlguard_report_main_scene": (_STR, [_REPORT]),
    "mrmlguard_report_finding_count": (_SIZE, [_REPORT]),
    "mrmlguard_report_json": (_STR, [_REPORT]),
    "mrmlguard_finding_rule_id": (_STR, [_REPORT, _SIZE]),
    "mrmlguard_finding_severity": (_INT, [_REPORT, _SIZE]),
    "mrmlguard_finding_entry": (_STR, [_REPORT, _SIZE]),
    "mrmlguard_finding_offset": (_INT, [_REPORT, _SIZE, ctypes.POINTER(ctypes.c_uint64)]),
    "mrmlguard_finding_line": (ctypes.c_uint32, [_REPORT, _SIZE]),
    "mrmlguard_finding_column": (ctypes.c_uint32, [_REPORT, _SIZE]),
    "mrmlguard_finding_node_id": (_STR, [_REPORT, _SIZE]),
    "mrmlguard_finding_attribute": (_STR, [_REPORT, _SIZE]),
    "mrmlguard_finding_message": (_STR, [_REPORT, _SIZE]),
    "mrmlguard_finding_limit": (_STR, [_REPORT, _SIZE]),
}


def _candidate_names():
    if sys.platform == "win32":
        return ["mrmlguard.dll", "libmrmlguard.dll"]
    if sys.platform == "darwin":
        return ["libmrmlguard.0.dylib", "libmrmlguard.dylib"]
    # The SONAME first: it is what an installed tree always has.
    return ["libmrmlguard.so.0", "libmrmlguard.so"]


def _pkg_config_libdir():
    """The libdir pkg-config gives for mrmlguard, or None (no pkg-config, no .pc)."""
    try:
        out = subprocess.run(["pkg-config", "--variable=libdir", "mrmlguard"], capture_output=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    libdir = out.stdout.decode("utf-8", "replace").strip()
    return libdir if out.returncode == 0 and libdir else None


def find_library_candidates():
    """Returns the paths and names tried, in order (see load_library)."""
    candidates = []
    here = os.path.dirname(os.path.abspath(__file__))
    folders = [
        os.path.join(here, "_lib"),  # a wheel that carries the library
        here,                        # the Slicer module folder ships it beside or inside
        os.path.dirname(here),
        # cmake --install puts the package in <prefix>/lib/python3/site-packages
        # and the library in <prefix>/lib.
        os.path.dirname(os.path.dirname(os.path.dirname(here))),
    ]
    libdir = _pkg_config_libdir()
    if libdir:
        folders.append(libdir)
    for folder in folders:
        for name in _candidate_names():
            path = os.path.join(folder, name)
            if os.path.isfile(path) and path not in candidates:
                candidates.append(path)
    found = ctypes.util.find_library("mrmlguard")
    if found:
        candidates.append(found)
    candidates.extend(_candidate_names())
    return candidates


def load_library():
    """Loads libmrmlguard and declares every function used.

    Order: the MRMLGUARD_LIBRARY environment variable (a path; when it is set
    and cannot be loaded, that is an error, never a silent fallback to some
    other copy), then the copy a wheel carries (mrmlguard/_lib), then a
    library next to this package (inside it or beside it, as the Slicer module
    folder ships it), then <prefix>/lib of a cmake --install tree, then the
    libdir pkg-config names, then the system loader.
    """
    explicit = os.environ.get("MRMLGUARD_LIBRARY")
    if explicit:
        try:
            lib = ctypes.CDLL(explicit)
        except OSError as error:
            raise OSError(f"MRMLGUARD_LIBRARY={explicit!r} cannot be loaded: {error}") from error
        return _declare(lib)
    errors = []
    for candidate in find_library_candidates():
        try:
            return _declare(ctypes.CDLL(candidate))
        except OSError as error:
            errors.append(f"{candidate}: {error}")
    raise OSError("libmrmlguard not found; set MRMLGUARD_LIBRARY to its path. Tried: "
                  + "; ".join(errors))


def _declare(lib):
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)  # AttributeError: an older library
        function.restype = restype
        function.argtypes = argtypes
    return lib
