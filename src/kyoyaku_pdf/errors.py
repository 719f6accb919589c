"""Errors that reach the user, and where in their files the problems are.

A clerk edits YAML by hand; every mistake must come back as ``FILE:LINE:COL: field.path: message``
so an editor can jump to it. Problems are collected, not raised one by one, so that one run reports
everything wrong in a file at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    """The command's exit codes are part of its interface (scripts and CI rely on them)."""

    OK = 0
    #: a verdict, not a failure: ``diff`` found changes, ``verify-archive``/``preflight`` findings (as diff(1))
    FINDINGS = 1
    INTERNAL_ERROR = 1
    BAD_INPUT = 2


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1, as editors show them."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, tied to the field it concerns."""

    location: Location
    field: str
    message: str
    #: the place in the document's own terms (``別表第3 1 (4) DV被害者への支援等 取組内容``, ``乙 職名``)
    place: str = ""
    #: the catalogue code of the message (for ``--json``); "" where none was given
    code: str = ""

    def __str__(self) -> str:
        label = f"{self.place} [{self.field}]" if self.place and self.field else self.place or self.field
        return f"{self.location}:{f' {label}:' if label else ''} {self.message}"


class KyoyakuError(Exception):
    """Root of the errors this package raises on purpose; each class says which exit status it means."""

    exit_status: ExitStatus = ExitStatus.BAD_INPUT


class InputError(KyoyakuError):
    """The user's input is wrong; carries every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.location, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutProblem(KyoyakuError):
    """The data cannot be laid out as given (e.g. a name longer than the signature column).

    ``field`` is the path of the text to shorten (``partner.name``); the build step turns it into a
    located InputError, since the fix is in the user's file.
    """

    def __init__(self, field: str, message: str = "") -> None:
        # ReportLab re-raises errors from inside KeepTogether as type(exc)(*args) with a note
        # prefixed to the first text argument: keep both arguments in args so that still works
        self.field = field
        self.message = message or field
        super().__init__(field, message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def problem_at(location: Location, field: str, message: str) -> InputError:
    """Shorthand for the common case of a single located problem."""
    return InputError([Problem(location, field, message)])
