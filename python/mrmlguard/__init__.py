# SPDX-License-Identifier: BSD-3-Clause
"""mrmlguard: judge a 3D Slicer scene (.mrml) or bundle (.mrb) before Slicer opens it.

    import mrmlguard
    report = mrmlguard.validate("case.mrb")
    if not report.accepted:
        for f in report.errors:
            print(f"{f.rule_id}: {f.message}")

A thin layer over libmrmlguard's C API with ctypes: standard library only, so
it runs in Slicer's bundled Python. The library is found through the
MRMLGUARD_LIBRARY environment variable, then next to this package, then by
the system loader (see _capi.load_library).

Nothing here raises because of what is *in* a file: a file that could not be
read gives a Report whose status is not "ok" (and which is never accepted).
Exceptions are for the caller's mistakes (ValueError: unknown profile, limit,
rule or severity; TypeError), for MemoryError, and for MrmlguardError (the
library is missing or reported an internal error).
"""

from __future__ import annotations

import ctypes
import enum
import json
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _capi

__all__ = [
    "Finding", "Report", "Severity", "Status", "Kind", "MrmlguardError", "validate", "validate_bytes",
    "extract", "sanitize", "SanitizeChange", "SanitizeResult", "version", "library_path", "__version__",
]

# The version of this package; version() is the loaded library's.
__version__ = "0.1.0"

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
LimitValue = Union[int, str]


class Severity(str, enum.Enum):
    """A finding's severity. A str: Severity.ERROR == "error"."""

    OFF = "off"
    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


class Status(str, enum.Enum):
    """Whether a file could be judged at all ("ok"), or why not."""

    OK = "ok"
    IO_ERROR = "io-error"
    EMPTY_INPUT = "empty-input"
    INVALID_ARGUMENT = "invalid-argument"
    INTERNAL = "internal"

    def __str__(self) -> str:
        return self.value


class Kind(str, enum.Enum):
    """What the input turned out to be."""

    BUNDLE = "bundle"
    SCENE = "scene"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


class MrmlguardError(RuntimeError):
    """libmrmlguard could not be loaded or failed (code: an mrmlguard_error value)."""

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Finding:
    """One thing mrmlguard judged wrong (or worth a note) in a file."""

    rule_id: str                  # stable id, e.g. "zip.entry.path-traversal"
    severity: Severity            # note, warning or error
    entry: str = ""               # bundle entry ("" for the file itself)
    offset: Optional[int] = None  # byte offset, or None when not known
    line: int = 0                 # 1-based, 0 when not known
    column: int = 0               # 1-based, 0 when not known
    node_id: str = ""             # MRML node id, "" when not about a node
    attribute: str = ""           # attribute name, "" when not about one
    message: str = ""
    limit: str = ""               # limit name when a limit was reached

    def location(self) -> str:
        """Returns "entry:line:col" with the parts that are known."""
        text = self.entry
        if self.line:
            text += f":{self.line}" + (f":{self.column}" if self.column else "")
        elif self.offset is not None:
            text += f"@{self.offset}"
        return text

    def __repr__(self) -> str:
        return f"Finding({self.severity} {self.rule_id} {self.location()!r}: {self.message!r})"


@dataclass
class Report:
    """The answer for one input; every field is a plain Python value."""

    path: str
    status: Status                 # ok, io-error, empty-input, ...
    status_message: str            # why it could not be judged
    accepted: bool                 # status ok and no error finding
    kind: Kind                     # bundle, scene or unknown
    main_scene: str                # for a bundle: entry Slicer would load ("" if none)
    findings: List[Finding]        # in discovery order
    json_text: str = field(default="", repr=False, compare=False)
    main_scene_path: Optional[str] = None  # extract(): scene below the destination

    @property
    def verdict(self) -> str:
        return "accepted" if self.accepted else "rejected"

    @property
    def errors(self) -> List[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> List[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    def to_json(self) -> str:
        """The report as the CLI's JSON document (docs/json-schema.md), as text."""
        return self.json_text

    def to_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = json.loads(self.json_text)
        return result

    def __bool__(self) -> bool:
        return self.accepted

    def __repr__(self) -> str:
        return (f"Report({self.path!r}, {self.verdict}, status={self.status}, "
                f"findings={len(self.findings)})")


# The loaded library, made on first use so that importing this package never
# fails (a Slicer module can then say clearly that the library is missing).
_lock = threading.Lock()
_lib = None


def _library() -> Any:
    global _lib
    with _lock:
        if _lib is None:
            try:
                _lib = _capi.load_library()
            except (OSError, AttributeError) as error:
                raise MrmlguardError(str(error)) from error
        return _lib


def library_path() -> str:
    """Returns the file name of the loaded libmrmlguard."""
    name: str = _library()._name
    return name


def version() -> str:
    """Returns the library version, "MAJOR.MINOR.PATCH"."""
    return _text(_library().mrmlguard_version())


def _text(raw: Optional[bytes]) -> str:
    # Strings from the library are UTF-8; an entry name from a hostile bundle
    # may not be, and must never make reporting it fail.
    return "" if raw is None else raw.decode("utf-8", errors="replace")


def _encode_path(path: PathLike) -> bytes:
    return os.fsencode(os.fspath(path))


def _check(lib: Any, code: int) -> None:
    if code == _capi.OK:
        return
    message = _text(lib.mrmlguard_strerror(code))
    if code in (_capi.E_UNKNOWN_PROFILE, _capi.E_UNKNOWN_LIMIT, _capi.E_UNKNOWN_RULE,
                _capi.E_BAD_SEVERITY, _capi.E_INVALID_ARGUMENT):
        raise ValueError(message)
    if code == _capi.E_NOMEM:
        raise MemoryError(message)
    raise MrmlguardError(message, code)


def _parse_limit_value(name: str, value: LimitValue) -> int:
    if isinstance(value, bool):
        raise TypeError(f"limit {name}: expected an integer, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        # The CLI's spelling: decimal with an optional K, M or G (powers of 1024).
        text = value.strip()
        scale = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1:].lower(), 1)
        digits = text[:-1] if scale != 1 else text
        if not digits.isdigit():
            raise ValueError(f"limit {name}: {value!r} is not a number")
        number = int(digits) * scale
    else:
        raise TypeError(f"limit {name}: expected an integer, got {type(value).__name__}")
    if not 0 <= number < (1 << 64):
        raise ValueError(f"limit {name}: {value!r} is out of range")
    return number


class _Policy:
    """Owns one mrmlguard_policy handle for the duration of a call."""

    def __init__(self, lib: Any, profile: str, limits: Optional[Mapping[str, LimitValue]],
                 severities: Optional[Mapping[str, str]]) -> None:
        self.lib = lib
        if not isinstance(profile, str):
            raise TypeError("profile must be a string")
        self.handle = lib.mrmlguard_policy_new(profile.encode("utf-8"))
        if not self.handle:
            if profile not in ("default", "strict"):
                raise ValueError(f"unknown profile {profile!r} (expected 'default' or 'strict')")
            raise MemoryError("mrmlguard_policy_new failed")
        try:
            for name, value in (limits or {}).items():
                number = _parse_limit_value(name, value)
                code = lib.mrmlguard_policy_set_limit(self.handle, name.encode("utf-8"), number)
                if code == _capi.E_UNKNOWN_LIMIT:
                    raise ValueError(f"unknown limit {name!r}")
                _check(lib, code)
            for rule_id, severity in (severities or {}).items():
                if severity not in _capi.SEVERITY_NAMES:
                    raise ValueError(f"rule {rule_id}: bad severity {severity!r} "
                                     f"(expected one of {', '.join(_capi.SEVERITY_NAMES)})")
                code = lib.mrmlguard_policy_set_severity(
                    self.handle, rule_id.encode("utf-8"), _capi.SEVERITY_NAMES.index(severity))
                if code == _capi.E_UNKNOWN_RULE:
                    raise ValueError(f"unknown rule id {rule_id!r}")
                _check(lib, code)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.handle:
            self.lib.mrmlguard_policy_free(self.handle)
            self.handle = None

    def __enter__(self) -> "_Policy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _finish(lib: Any, code: int, handle: Optional[int], main_scene_path: Optional[str] = None) -> Report:
    """Copies a report handle into Python objects and frees it."""
    if not handle:
        _check(lib, code)
        raise MrmlguardError("mrmlguard returned no report", code)
    try:
        findings = []
        for i in range(lib.mrmlguard_report_finding_count(handle)):
            offset = ctypes.c_uint64(0)
            has_offset = lib.mrmlguard_finding_offset(handle, i, ctypes.byref(offset)) == _capi.OK
            severity = lib.mrmlguard_finding_severity(handle, i)
            findings.append(Finding(
                rule_id=_text(lib.mrmlguard_finding_rule_id(handle, i)),
                severity=Severity(_capi.SEVERITY_NAMES[severity] if 0 <= severity < 4 else "error"),
                entry=_text(lib.mrmlguard_finding_entry(handle, i)),
                offset=offset.value if has_offset else None,
                line=lib.mrmlguard_finding_line(handle, i),
                column=lib.mrmlguard_finding_column(handle, i),
                node_id=_text(lib.mrmlguard_finding_node_id(handle, i)),
                attribute=_text(lib.mrmlguard_finding_attribute(handle, i)),
                message=_text(lib.mrmlguard_finding_message(handle, i)),
                limit=_text(lib.mrmlguard_finding_limit(handle, i))))
        status = lib.mrmlguard_report_status(handle)
        kind = lib.mrmlguard_report_kind(handle)
        json_raw = lib.mrmlguard_report_json(handle)
        if json_raw is None:
            raise MemoryError("mrmlguard_report_json failed")
        return Report(
            path=_text(lib.mrmlguard_report_path(handle)),
            status=Status(_capi.STATUS_NAMES[status] if 0 <= status < 5 else "internal"),
            status_message=_text(lib.mrmlguard_report_status_message(handle)),
            accepted=lib.mrmlguard_report_accepted(handle) == 1,
            kind=Kind(_capi.KIND_NAMES[kind] if 0 <= kind < 3 else "unknown"),
            main_scene=_text(lib.mrmlguard_report_main_scene(handle)),
            findings=findings,
            json_text=_text(json_raw),
            main_scene_path=main_scene_path)
    finally:
        lib.mrmlguard_report_free(handle)


def validate(path: PathLike, profile: str = "default", limits: Optional[Mapping[str, LimitValue]] = None,
             severities: Optional[Mapping[str, str]] = None) -> Report:
    """Validates the .mrml or .mrb file at `path`.

    profile: "default" or "strict". limits: {"max_zip_entries": 500, ...}
    (integers, or strings such as "64M"). severities: {"mrml.tag.unknown":
    "error", ...} overriding the profile. Returns a Report.
    """
    lib = _library()
    with _Policy(lib, profile, limits, severities) as policy:
        handle = ctypes.c_void_p()
        code = lib.mrmlguard_validate_file(policy.handle, _encode_path(path), ctypes.byref(handle))
        return _finish(lib, code, handle.value)


def validate_bytes(data: Union[bytes, bytearray, memoryview], name_hint: str = "", profile: str = "default",
                   limits: Optional[Mapping[str, LimitValue]] = None,
                   severities: Optional[Mapping[str, str]] = None) -> Report:
    """Validates a scene or bundle held in memory (bytes, bytearray, memoryview).

    name_hint stands in for the path in the report and is used for the
    extension check; nothing is read from disk.
    """
    lib = _library()
    data = bytes(data)  # one contiguous, immutable buffer for the whole call
    with _Policy(lib, profile, limits, severities) as policy:
        handle = ctypes.c_void_p()
        buffer = ctypes.c_char_p(data)  # points into `data`, no copy
        code = lib.mrmlguard_validate_buffer(
            policy.handle, ctypes.cast(buffer, ctypes.c_void_p), len(data),
            os.fsencode(name_hint), ctypes.byref(handle))
        return _finish(lib, code, handle.value)


def extract(bundle: PathLike, dest: PathLike, profile: str = "default",
            limits: Optional[Mapping[str, LimitValue]] = None,
            severities: Optional[Mapping[str, str]] = None) -> Report:
    """Validates the bundle and, only if it is accepted, extracts it into `dest`.

    `dest` must not exist or be an empty directory; when the bundle is
    rejected nothing is left there. On success report.main_scene_path is the
    scene file to open.
    """
    lib = _library()
    with _Policy(lib, profile, limits, severities) as policy:
        handle = ctypes.c_void_p()
        scene = ctypes.c_char_p()
        code = lib.mrmlguard_extract(policy.handle, _encode_path(bundle), _encode_path(dest),
                                     ctypes.byref(handle), ctypes.byref(scene))
        # `scene` points into the report: copy it before _finish frees it.
        main_scene_path = os.fsdecode(scene.value) if scene.value else None
        return _finish(lib, code, handle.value, main_scene_path)


@dataclass(frozen=True)
class SanitizeChange:
    """One change sanitize made: the rule that asked for it, what it did, where, before and after."""

    rule_id: str
    action: str                   # drop-node, clear-attribute, reset-attribute, ...
    entry: str = ""
    offset: Optional[int] = None
    line: int = 0
    column: int = 0
    node_id: str = ""
    attribute: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class SanitizeResult:
    """What sanitize did: `written` is True when `dest` holds the sanitized file."""

    written: bool
    outcome: str                  # "written", "unchanged", "refused" or "error"
    changes: List[SanitizeChange]
    refusal: str = ""             # why nothing was written
    status: str = "ok"            # "ok", or why the input could not be read or dest not written
    error: str = ""
    report: Any = None            # the whole change report (the "mrmlguard-sanitize" JSON document)


def sanitize(src: PathLike, dest: PathLike, profile: str = "default",
             limits: Optional[Mapping[str, LimitValue]] = None,
             severities: Optional[Mapping[str, str]] = None) -> SanitizeResult:
    """Writes to `dest` a copy of `src` with every error neutralised by its rule's action.

    Nothing is written when a finding has no safe rewrite (malformed XML, ZIP
    structure attacks, traversal) or the rewritten file is still rejected; an
    accepted `src` is copied byte for byte. `dest` is replaced atomically and
    is never `src`.
    """
    lib = _library()
    with _Policy(lib, profile, limits, severities) as policy:
        handle = ctypes.c_void_p()
        code = lib.mrmlguard_sanitize(policy.handle, _encode_path(src), _encode_path(dest), ctypes.byref(handle))
        if not handle.value:
            _check(lib, code)
            raise MrmlguardError("mrmlguard returned no sanitize result", code)
        try:
            text = lib.mrmlguard_sanitize_json(handle.value)
            written = lib.mrmlguard_sanitize_written(handle.value) == 1
        finally:
            lib.mrmlguard_sanitize_result_free(handle.value)
    if text is None:
        raise MrmlguardError("mrmlguard could not write the sanitize report", code)
    doc = json.loads(text.decode("utf-8"))
    changes = []
    for c in doc["changes"]:
        loc = c.get("location", {})
        changes.append(SanitizeChange(
            rule_id=c["rule"], action=c["action"], entry=loc.get("entry", ""), offset=loc.get("offset"),
            line=loc.get("line", 0), column=loc.get("column", 0), node_id=loc.get("node_id", ""),
            attribute=loc.get("attribute", ""), before=c["before"], after=c["after"]))
    return SanitizeResult(written=written, outcome=doc["outcome"], changes=changes,
                          refusal=doc.get("refusal", ""), status=doc.get("status", "ok"),
                          error=doc.get("error", ""), report=doc)
