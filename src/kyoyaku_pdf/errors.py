"""Errors that reach the user, where in their files the problems are, and the one place that turns
any exception into what the user reads and the exit status.

A clerk edits YAML by hand; every mistake must come back as ``FILE:LINE:COL: field.path: message``
so an editor can jump to it. Problems are collected, not raised one by one, so that one run reports
everything wrong in a file at once.

Every error class carries its exit status (``exit_status``) and its message (``str(exc)``, in the
language in force); ``describe()`` is the single function that turns an exception — ours, an
``OSError`` from the file system, or a bug — into a ``Report``. The CLI, the batch workers and
``build --watch`` all print that report, so one mistake reads the same wherever it happens.
"""

from __future__ import annotations

import errno
import traceback
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import ClassVar, Iterable, Literal, Sequence

from .messages import shown, text


class ExitStatus(IntEnum):
    """The command's exit codes are part of its interface (scripts and CI rely on them)."""

    OK = 0
    #: a verdict, not a failure: ``diff`` found changes, ``verify-archive``/``preflight`` findings (as diff(1))
    FINDINGS = 1
    #: a problem in the input or the output location (not a PDF, a file where a folder must be, read-only, disk full)
    BAD_INPUT = 2
    #: a bug in kyoyaku-pdf — the only status that asks for a bug report (EX_SOFTWARE, sysexits.h)
    INTERNAL_ERROR = 70
    #: the installation is incomplete: a bundled font is missing or unreadable (EX_CONFIG, sysexits.h)
    INSTALLATION = 78
    #: Ctrl-C (128 + SIGINT, as shells report it)
    INTERRUPTED = 130


#: Which status a run with several outcomes ends with: the one the user must act on first. A bug
#: outranks everything (it must never hide behind "bad input"), then a broken installation.
SEVERITY_ORDER = (ExitStatus.OK, ExitStatus.FINDINGS, ExitStatus.BAD_INPUT, ExitStatus.INSTALLATION,
         ExitStatus.INTERRUPTED, ExitStatus.INTERNAL_ERROR)


def worst(statuses: Iterable[int]) -> ExitStatus:
    """The exit status of a run made of several outcomes (OK when there are none)."""
    return max((ExitStatus(s) for s in statuses), key=SEVERITY_ORDER.index, default=ExitStatus.OK)


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1, as editors show them."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, tied to the field it concerns.

    ``place`` names it in the document's own terms (``別表第3 1 (4) … 取組内容``) when known; ``code``
    is the catalogue code of the message, for scripts (``--json``)."""

    location: Location
    field: str
    message: str
    #: the place in the document's own terms (``別表第3 1 (4) DV被害者への支援等 取組内容``, ``乙 職名``)
    place: str = ""
    #: the catalogue code of the message (for ``--json``); "" where none was given
    code: str = ""
    severity: Severity = "error"

    @property
    def label(self) -> str:
        """The place in the document's terms with the field path (``乙 氏名 [partner.name]``)."""
        return f"{self.place} [{self.field}]" if self.place and self.field else self.place or self.field

    def __str__(self) -> str:
        return f"{self.location}:{f' {self.label}:' if self.label else ''} {self.message}"


class KyoyakuError(Exception):
    """Root of the errors this package raises on purpose; each class says which exit status it means
    and its message (``str(exc)``) is already in the user's language."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.BAD_INPUT
    #: catalogue code of the message, for ``--json`` (subclasses name their own)
    code: ClassVar[str] = "error"
    #: the located problems (none for an error that is not about a place in a file)
    problems: Sequence[Problem] = ()


class InputError(KyoyakuError):
    """The user's input is wrong; carries every problem found, sorted by place."""

    code = "input"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.location, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutProblem(KyoyakuError):
    """The data cannot be laid out as given (e.g. a name longer than the signature column).

    ``field`` is the path of the text to shorten (``partner.name``); the build step turns it into a
    located InputError, since the fix is in the user's file.
    """

    code = "layout"

    def __init__(self, field: str, message: str = "") -> None:
        # ReportLab re-raises errors from inside KeepTogether as type(exc)(*args) with a note
        # prefixed to the first text argument: keep both arguments in args so that still works
        self.field = field
        self.message = message or field
        super().__init__(field, message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class OutputError(KyoyakuError):
    """An output could not be written where it was asked for: a file where a folder must be, a
    read-only folder, a full disk. The user's to fix (another ``-o``, free space); the last good
    output is untouched because every write is atomic."""

    code = "output"

    def __init__(self, target: Path, error: OSError) -> None:
        self.target = target
        self.errno = error.errno
        super().__init__(_output_message(target, error))


class StandardOutputError(KyoyakuError):
    """Standard output could not be written (redirected to a full disk, a read-only or vanished
    file): the files the command made are kept; the user's to fix where the output goes."""

    code = "stdout"

    def __init__(self, error: OSError) -> None:
        super().__init__(text("stdout-failed", detail=_os_detail(error)))


class InstallationError(KyoyakuError):
    """A part of the installation (a bundled font) is missing: neither the input nor a bug."""

    exit_status = ExitStatus.INSTALLATION
    code = "installation"


def problem_at(location: Location, field: str, message: str) -> InputError:
    """Shorthand for the common case of a single located problem."""
    return InputError([Problem(location, field, message)])


@dataclass(frozen=True)
class Report:
    """What the user is told about one failure: plain data, so it crosses a process boundary."""

    status: ExitStatus
    lines: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default=())
    code: str = ""
    message: str = ""


def describe(exc: BaseException, *, source: Path | None = None, debug: bool = False) -> Report:
    """The one translation of an exception into a message and an exit status.

    ``source`` names the agreement file being processed, for errors that are not located in it.
    ``debug`` adds the traceback of an internal error (the report a maintainer needs)."""
    prefix = f"{source}: " if source is not None else "kyoyaku-pdf: "
    if isinstance(exc, KeyboardInterrupt):
        message = text("interrupted")
        return Report(ExitStatus.INTERRUPTED, (f"kyoyaku-pdf: {message}",), code="interrupted", message=message)
    if isinstance(exc, KyoyakuError):
        if exc.problems:
            return Report(exc.exit_status, tuple(str(p) for p in exc.problems), tuple(exc.problems), exc.code)
        return Report(exc.exit_status, (prefix + str(exc),), code=exc.code, message=str(exc))
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        message = _os_message(exc)  # not from a write (those are OutputErrors): read or write alike
        return Report(ExitStatus.BAD_INPUT, (prefix + message,), code="os-error", message=message)
    detail = tuple(traceback.format_exception(exc)) if debug else ()
    message = text("internal-error", detail=shown(f"{type(exc).__name__}: {exc}", 300))
    lines = (*"".join(detail).splitlines(), prefix + message, "  " + text("report-bug"))
    return Report(ExitStatus.INTERNAL_ERROR, lines, code="internal-error", message=message)


def _os_message(error: OSError) -> str:
    """An OSError that did not come from writing an output, in the user's words."""
    detail = _os_detail(error)
    if error.filename is None:
        return text("os-error", detail=detail)
    return text("os-error-at", path=shown(error.filename, 200), detail=detail)


def _os_detail(error: OSError) -> str:
    """What the system said, in the user's words where the catalogue has them."""
    return text(f"errno-{_OS_CODES[error.errno]}") if error.errno in _OS_CODES else shown(error.strerror or error)


#: errno → message code; the message says what happened and what to do, and that the old output is kept.
_OS_CODES = {
    errno.ENOSPC: "disk-full",
    errno.EDQUOT: "disk-full",
    errno.EROFS: "read-only",
    errno.EACCES: "no-permission",
    errno.EPERM: "no-permission",
    errno.ENOTDIR: "not-a-folder",
    errno.EEXIST: "not-a-folder",
    errno.EISDIR: "is-a-folder",
    errno.ENOENT: "no-such-file",
}


def _output_message(target: Path, error: OSError) -> str:
    code = _OS_CODES.get(error.errno or 0)
    if code is None:
        return text("os-error-at", path=shown(target, 200), detail=shown(error.strerror or error))
    if code == "not-a-folder":
        blocking = _blocking_file(target)
        if blocking is not None:
            return text("file-in-the-way", path=shown(target, 200), file=shown(blocking, 200))
    if code == "disk-full":
        code = "disk-full-at"
    return text(code, path=shown(_folder_of(target, code), 200))


def _blocking_file(target: Path) -> Path | None:
    """The existing file that stands where ``target`` needs a folder (``-o report.pdf/out``)."""
    for ancestor in (target, *target.parents):
        if ancestor.exists() or ancestor.is_symlink():
            return ancestor if not ancestor.is_dir() else None
    return None


def _folder_of(target: Path, code: str) -> Path:
    """Name the folder, not our hidden temporary file, when the problem is the folder's."""
    if code in ("read-only", "no-permission", "disk-full-at") and target.name.startswith(".") and target.name.endswith(".tmp"):
        return target.parent
    return target
