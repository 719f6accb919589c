"""Reading YAML source files into a tree that remembers where every value came from.

The model step needs line and column for every field it rejects, so this step keeps PyYAML's marks
instead of throwing them away as ``yaml.safe_load`` does. It knows nothing of the agreement format.

Hostile or broken files are refused here with a located message: files that are too large, not
UTF-8, binary, syntactically broken, with duplicate keys, or with anchors/aliases (which our format
never needs and which make "billion laughs" bombs possible).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError, Location, Problem, problem_at

#: Agreement files are a few kilobytes; anything this large is a mistake, refused before reading.
MAX_FILE_BYTES = 1024 * 1024

Scalar = Union[str, int, float, bool, dt.date, None]


@dataclass(frozen=True)
class SourceNode:
    """A YAML value with its location.

    ``value`` is a scalar, a tuple of nodes (sequence) or a dict of nodes (mapping); for mappings
    ``key_locations`` gives where each key was written, so an unknown key can be pointed at.
    """

    value: Scalar | tuple[SourceNode, ...] | dict[str, SourceNode]
    location: Location
    key_locations: dict[str, Location] = field(default_factory=dict)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    def at(self, path: str) -> SourceNode:
        """The node at a field path such as ``schedules[0].remove[1]``; the deepest node that exists
        on the way (so a message about a missing part still points near it)."""
        node = self
        for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
            value = node.value
            if key and isinstance(value, dict) and key in value:
                node = value[key]
            elif index and isinstance(value, tuple) and int(index) < len(value):
                node = value[int(index)]
            else:
                break
        return node

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, tuple)


def read_source(path: Path) -> SourceNode:
    """Read and parse one YAML file; raise InputError (every problem located) if it is unusable."""
    name = str(path)
    text = _read_text(path, name)
    loader = None
    try:
        loader = _Loader(text, name)
        root = loader.get_single_node()
        if root is None:
            raise problem_at(Location(name, 1, 1), "", "the file is empty")
        problems: list[Problem] = []
        tree = _convert(root, name, loader, problems)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(name, exc, text) from None
    except yaml.YAMLError as exc:  # unmarked errors are rare; still the user's file
        raise problem_at(Location(name, 1, 1), "", f"not valid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise InputError(problems)
    return tree


def _read_text(path: Path, name: str) -> str:
    """Decode the file as UTF-8, saying plainly what it looks like when it is not."""
    start = Location(name, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise problem_at(
                start, "", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise problem_at(start, "", "no such file") from None
    except IsADirectoryError:
        raise problem_at(start, "", "is a folder, not a YAML file") from None
    except OSError as exc:
        raise problem_at(start, "", f"cannot be read: {exc.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2].count(b"\x00") == 1:
        raise problem_at(start, "", "the file is UTF-16; save it as UTF-8 (without BOM or with)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(name, data, exc) from None
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        raise problem_at(Location(name, line, col), "", "binary data (NUL byte): not a YAML text file")
    problems = [_stray_character(text, match.start(), name) for match in _STRAY.finditer(text)]
    if problems:
        raise InputError(problems[:20])
    return text


#: Characters that have no place in an agreement's text: C0/C1 controls (but tab, LF, CR), DEL,
#: non-characters, and the Unicode line/paragraph separators YAML would count as line breaks
#: (which would make every later line number wrong).
_STRAY = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _stray_character(text: str, index: int, name: str) -> Problem:
    char = text[index]
    line, col = _line_col(text, index)
    what = unicodedata.name(char, "a control character")
    return Problem(Location(name, line, col), "", f"character U+{ord(char):04X} ({what}) cannot be used here; delete it")


def _encoding_error(name: str, data: bytes, exc: UnicodeDecodeError) -> InputError:
    prefix = data[: exc.start].decode("utf-8", errors="replace")
    line, col = _line_col(prefix, len(prefix))
    hint = "it is not UTF-8"
    try:
        data.decode("cp932")
        hint = "it looks like Shift_JIS (CP932); save it as UTF-8"
    except UnicodeDecodeError:
        hint = "it is not UTF-8 text; save it as UTF-8"
    return problem_at(Location(name, line, col), "", f"cannot decode byte 0x{data[exc.start]:02x}: {hint}")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_error(name: str, exc: yaml.MarkedYAMLError, text: str) -> InputError:
    """Point at the mistake: for an unclosed quote or bracket that is where it opened, not the end
    of the file where PyYAML noticed it."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or str(exc)
    opened = exc.context_mark is not None and exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
    if opened and exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
        message = f"{exc.context.removeprefix('while ')} that starts here is never closed ({message} at line {mark.line + 1})"
        mark = exc.context_mark
    if "\t" in message or (mark is not None and _has_tab_indent(text, mark.line)):
        message = "a tab character is used for indentation; YAML needs spaces"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return problem_at(Location(name, line, col), "", f"YAML syntax error: {message}")


def _has_tab_indent(text: str, line_index: int) -> bool:
    lines = text.splitlines()
    if line_index >= len(lines):
        return False
    line = lines[line_index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


#: Agreement files nest four or five levels; far deeper is a hostile or broken file.
MAX_DEPTH = 64


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses, where they are written, what our format never needs: aliases
    (billion-laughs bombs), explicit tags (object construction, odd types) and deep nesting."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.file_name = name
        self.depth = 0

    def _refuse(self, message: str) -> InputError:
        mark = self.peek_event().start_mark
        return problem_at(Location(self.file_name, mark.line + 1, mark.column + 1), "", message)

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            raise self._refuse("YAML anchors and aliases (& and *) are not supported; write the value out")
        tag = getattr(self.peek_event(), "tag", None)
        if tag not in (None, "!"):
            raise self._refuse(f"YAML tags such as {tag} are not supported; write the plain value")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._refuse(f"nested more than {MAX_DEPTH} levels deep; this is not an agreement file")
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.depth -= 1


def _loc(node: Node, name: str) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: Node, name: str, loader: yaml.SafeLoader, problems: list[Problem]) -> SourceNode:
    """Turn a composed node into a SourceNode, refusing duplicate keys."""
    location = _loc(node, name)
    if isinstance(node, ScalarNode):
        return SourceNode(_scalar(node, location, loader, problems), location)
    if isinstance(node, SequenceNode):
        items = tuple(_convert(item, name, loader, problems) for item in node.value)
        return SourceNode(items, location)
    assert isinstance(node, MappingNode)
    values: dict[str, SourceNode] = {}
    keys: dict[str, Location] = {}
    for key_node, value_node in node.value:
        key_loc = _loc(key_node, name)
        if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(key_loc, "", "keys must be plain names (no merge keys << )"))
            continue
        key = str(key_node.value)
        if key in values:
            problems.append(Problem(key_loc, key, f"duplicate key (first given at line {keys[key].line})"))
            continue
        keys[key] = key_loc
        values[key] = _convert(value_node, name, loader, problems)
    return SourceNode(values, location, keys)


def _scalar(node: ScalarNode, location: Location, loader: yaml.SafeLoader, problems: list[Problem]) -> Scalar:
    """Resolve a scalar with YAML's safe rules (int, bool, date…); an impossible date is located."""
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError) as exc:
        problems.append(Problem(location, "", f"invalid value {_short(node.value)}: {str(exc).splitlines()[0]}"))
        return None
    if isinstance(value, dt.datetime):
        return value  # reported as a wrong type by the model, which wants a date
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    problems.append(Problem(location, "", f"unsupported value {_short(node.value)}"))
    return None


def _short(text: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short (a wrong file can be long)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")
