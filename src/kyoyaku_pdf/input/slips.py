"""YAML slips found where they were typed: the mistakes a clerk makes with a Japanese input method on.

PyYAML notices a full-width colon ``office： 御船町長`` one line later as "could not find expected ':'",
and takes ``　address: x`` (indented with U+3000) as a key named "　address" without complaint. This
scanner reads the file line by line as a person would, before PyYAML, and names each slip at the
character typed, with what to type instead:

- full-width ``：`` ``＃`` ``－`` or U+3000 where YAML wants ``:`` ``#`` ``-`` or a space;
- a missing space after ``key:``; a tab in the indentation;
- a key whose indentation lines up with none of the keys above it (checked only when PyYAML fails,
  where it explains the failure; valid YAML is never second-guessed on layout). Only the first such
  slip is reported: after it, which column the clerk meant is a guess, and guesses cascade.

It follows quotes, flow brackets and block scalars (``|``, ``>``) across lines so that their contents
are not mistaken for structure; lines it cannot classify are left to PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..errors import Location, Problem
from .problems import problem

#: A structural line: indentation, list dashes (ASCII or a full-width look-alike), then maybe ``key:``.
_LINE = re.compile(
    r"(?P<indent>[ \t\u3000]*)(?P<dashes>(?:[-－−ー][ \u3000]+)*)"
    r"(?:(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<gap>[ \u3000]*)(?P<colon>[:：])(?P<after>.?))?"
)
_DASH = re.compile(r"[-－−ー][ \u3000]+")
_FULL_DASHES = "－−ー"
#: A column (from 0) of the current line → its Location.
At = Callable[[int], Location]
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")


@dataclass
class _State:
    """What the lines before have left open."""

    quote: str = ""  # the quote character of a quoted scalar still open
    flow: int = 0  # depth of [ { still open
    block_scalar_column: int | None = None  # lines deeper than this belong to a | or > scalar
    containers: list[tuple[int, str]] = field(default_factory=list)  # (column, "map"|"seq") open
    opener: int | None = None  # the column of a key (or dash) whose value starts on the next line
    opened: Location | None = None  # where the quote or the outermost bracket still open began
    plain_column: int | None = None  # lines deeper than this continue a plain value (a long text)
    layout_found: bool = False  # after the first indentation slip, the rest of the layout is guesswork


def find_slips(text: str, name: str, layout: bool) -> list[Problem]:
    """Every slip of ``text`` (a file called ``name``); ``layout``: also check indentation."""
    state = _State()
    found: list[Problem] = []
    lines = re.split(r"\r\n|\r|\n", text)  # YAML's line breaks, so the numbers are PyYAML's
    for number, line in enumerate(lines, start=1):
        found += _slips_of_line(line, Location(name, number, 1), state, layout)
    if layout and (state.quote or state.flow) and state.opened is not None:
        code = "yaml-unclosed-quote" if state.quote else "yaml-unclosed-bracket"
        found.append(problem(state.opened, "", code, line=len(lines) - (lines[-1] == "")))  # the last line
    return found


def _slips_of_line(line: str, start: Location, state: _State, layout: bool) -> list[Problem]:
    if state.quote or state.flow:
        _follow_quotes(line, 0, state, start)
        return []
    stripped = line.lstrip(" \t\u3000")
    indent = len(line) - len(stripped)
    if state.block_scalar_column is not None:
        if not stripped or indent > state.block_scalar_column:
            return []
        state.block_scalar_column = None
    if not stripped or stripped.startswith("#"):
        return []
    at = lambda column: Location(start.file, start.line, column + 1)  # noqa: E731
    match = _LINE.match(line)
    assert match is not None  # every part is optional
    # a line deeper than a key with a plain value continues that text (…\n  http://…), unless it
    # looks like a key of its own, which PyYAML will refuse
    continued = state.plain_column is not None and indent > state.plain_column
    found = _character_slips(line, indent, at, continued)
    keyed = bool(match.group("key")) and match.group("after") in ("", " ", "#")
    if layout and not found and not state.layout_found and (keyed or not continued):
        slips = _layout_slips(match, state, at)
        state.layout_found = bool(slips)
        found += slips
    if continued:
        return found
    state.plain_column = None
    if match.group("key") or match.group("dashes"):
        value_start = match.end("colon") if match.group("key") else match.end("dashes")
        value = line[value_start:].strip()
        if match.group("key") and _BLOCK_SCALAR.match(value):
            state.block_scalar_column = match.start("key")
        _follow_quotes(line, value_start, state, start)
        if value and not value.startswith("#") and not (state.quote or state.flow) and state.block_scalar_column is None:
            state.plain_column = match.start("key") if match.group("key") else indent
    return found


def _character_slips(line: str, indent: int, at: At, continued: bool) -> list[Problem]:
    """Full-width look-alikes of YAML's syntax, tabs in the indentation, a missing space after ``:``."""
    found = []
    leading = line[:indent]
    for char, code in (("\t", "yaml-tab"), ("\u3000", "yaml-fullwidth-space-indent")):
        if char in leading:
            found.append(problem(at(leading.index(char)), "", code))
    match = _LINE.match(line)
    assert match is not None
    rest = line[indent:]
    if rest.startswith("＃"):
        found.append(problem(at(indent), "", "yaml-fullwidth-hash"))
    for dash in _DASH.finditer(match.group("dashes")):
        column = indent + dash.start()
        if dash.group()[0] in _FULL_DASHES:
            found.append(problem(at(column), "", "yaml-fullwidth-dash", typed=dash.group()[0]))
        elif "\u3000" in dash.group():
            found.append(problem(at(column + 1), "", "yaml-fullwidth-space-after", mark="-"))
    if match.group("key"):
        found += _colon_slips(match, at, continued)
    return found


def _colon_slips(match: re.Match[str], at: At, continued: bool) -> list[Problem]:
    key, colon, after = match.group("key"), match.group("colon"), match.group("after")
    if colon == "：":
        return [problem(at(match.start("colon")), "", "yaml-fullwidth-colon", key=key)]
    if after == "\u3000":
        return [problem(at(match.start("after")), "", "yaml-fullwidth-space-after", mark=":")]
    if after and after not in " \t#" and not continued:  # (a text may hold http://…)
        return [problem(at(match.start("after")), "", "yaml-no-space-after-colon", key=key)]
    return []


def _layout_slips(match: re.Match[str], state: _State, at: At) -> list[Problem]:
    """Indentation that lines up with none of the open keys or lists; updates the open containers."""
    indent = len(match.group("indent"))
    dashes = list(_DASH.finditer(match.group("dashes")))
    first_kind = "seq" if dashes else "map" if match.group("key") else ""
    if not first_kind:
        return []  # a continuation line of a text: not structure
    found = []
    if state.opener is not None and (indent > state.opener or (first_kind == "seq" and indent == state.opener)):
        pass  # the value of the key above, started on this line
    else:
        columns = [c for c, kind in state.containers if kind == first_kind]
        if not columns and first_kind == "seq":
            found.append(problem(at(indent), "", "yaml-dash-not-here"))
        elif indent not in columns and columns:
            nearest = min(columns, key=lambda c: (abs(c - indent), -c))  # a tie: the sibling
            deeper = state.opener is None and indent > max(columns)
            code = "yaml-indent-too-deep" if deeper else "yaml-indent-misaligned"
            found.append(problem(at(indent), "", code, column=nearest + 1))
            indent = nearest
    state.containers = [entry for entry in state.containers if entry[0] < indent] + [(indent, first_kind)]
    for dash in dashes[1:]:
        state.containers.append((indent + dash.start(), "seq"))
    key_column = indent + (dashes[-1].end() if dashes else 0)
    if dashes and match.group("key"):
        state.containers.append((key_column, "map"))
    after = match.group("after")
    opens = (match.group("key") and after in ("", "#")) or (dashes and not match.group("key") and not after)
    state.opener = (key_column if match.group("key") else indent) if opens else None
    return found


def _follow_quotes(line: str, start: int, state: _State, where: Location) -> None:
    """Track a quoted value or flow brackets opened at ``start`` (a value's start) and left open for
    the next lines; a plain value (甲[注]) holds no structure and is not followed."""
    index, at_value_start = start, not (state.quote or state.flow)
    while index < len(line):
        char = line[index]
        if state.quote:
            if char == "\\" and state.quote == '"':
                index += 1
            elif char == state.quote and state.quote == "'" and line[index + 1: index + 2] == "'":
                index += 1
            elif char == state.quote:
                state.quote = ""
        elif char in " \t":
            index += 1
            continue
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return
        elif char in "\"'" and (at_value_start or (state.flow and line[index - 1] in " [{,:")):
            state.quote = char
            state.opened = state.opened if state.flow else Location(where.file, where.line, index + 1)
        elif char in "[{" and (at_value_start or state.flow):
            if not state.flow:
                state.opened = Location(where.file, where.line, index + 1)
            state.flow += 1
        elif char in "]}" and state.flow:
            state.flow -= 1
        elif at_value_start:
            return  # a plain value
        at_value_start = False
        index += 1
