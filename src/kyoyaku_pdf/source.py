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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InputError, Location, Problem, problem_at

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
    loader = _Loader(text, name)
    try:
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
    return text


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
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or str(exc)
    if "\t" in message or (mark is not None and _has_tab_indent(text, mark.line)):
        message = "a tab character is used for indentation; YAML needs spaces"
    return problem_at(Location(name, line, col), "", f"YAML syntax error: {message}")


def _has_tab_indent(text: str, line_index: int) -> bool:
    lines = text.splitlines()
    if line_index >= len(lines):
        return False
    line = lines[line_index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases where they are used (before any expansion can happen)."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.file_name = name

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise problem_at(
                Location(self.file_name, mark.line + 1, mark.column + 1), "",
                "YAML anchors and aliases (& and *) are not supported; write the value out",
            )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


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
        problems.append(Problem(location, "", f"invalid value {node.value!r}: {exc}"))
        return None
    if isinstance(value, dt.datetime):
        return value  # reported as a wrong type by the model, which wants a date
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    problems.append(Problem(location, "", f"unsupported value {node.value!r}"))
    return None
