"""One way to make a located problem from a catalogue message, so every problem carries its code.

``--json`` reports each problem's ``code`` beside its text, and tests can ask for a code rather than
for wording that changes with the language.
"""

from __future__ import annotations

from ..errors import InputError, Location, Problem
from ..messages import text


def problem(location: Location, field: str, code: str, place: str = "", **values: object) -> Problem:
    """The problem ``code`` (a message of the catalogue, filled with ``values``) at ``location``."""
    return Problem(location, field, text(code, **values), place, code)


def refuse(location: Location, field: str, code: str, **values: object) -> InputError:
    """A single located problem, to raise."""
    return InputError([problem(location, field, code, **values)])
