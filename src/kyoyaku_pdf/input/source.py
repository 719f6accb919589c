"""Reading YAML source files into a tree that remembers where every value came from.

The model step needs line and column for every field it rejects, so this step keeps PyYAML's marks
instead of throwing them away as ``yaml.safe_load`` does. It knows nothing of the agreement format.

Hostile or broken files are refused here with a located message: files that are too large, not
UTF-8, binary, syntactically broken, with duplicate keys, or with anchors/aliases (which our format
never needs and which make "billion laughs" bombs possible).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from ..errors import InputError, Location, Problem
from ..messages import shown
from ..runtime.memo import remember
from .problems import problem, refuse
from .slips import find_slips

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


def read_source(path: Path, problems: list[Problem] | None = None) -> SourceNode:
    """Read and parse one YAML file; raise InputError (every problem located) if it is unusable.

    Problems that leave the tree readable (a duplicate key, an impossible value) are appended to
    ``problems`` when it is given, so the caller can report them with the file's other problems;
    without it they are raised here.
    """
    name = str(path)
    data = read_limited(path, Location(name, 1, 1))
    tree = _read.get((name, data))
    if tree is not None:
        return tree
    tree, found = _parsed(data, name)
    if found and problems is None:
        raise InputError(found)
    if problems is not None:
        problems += found
    if not found:
        remember(_read, (name, data), tree, KEEP_READ)
    return tree


#: Files read before in this process, without a problem: (name, exact bytes) → tree. A tree is
#: made only of its file's bytes and name (the name is in every location), so an entry can never
#: be stale: an edited file is other bytes. It spares ``--watch`` parsing, on every save, the shared
#: files that did not change, and a build the second reading of its agreement (cli/common.py reads
#: each id first). A file with problems is read again each time: their messages are worded in the
#: language of each reading.
_read: dict[tuple[str, bytes], SourceNode] = {}
#: Entries kept at most (a data folder's files are a few kilobytes each): the oldest go first.
KEEP_READ = 256


def _parsed(data: bytes, name: str) -> tuple[SourceNode, list[Problem]]:
    """The tree of a file's bytes and the problems that leave it readable; InputError for the rest."""
    text = _decoded(data, name)
    slips = find_slips(text, name, layout=False)
    if slips:
        raise InputError(slips)
    return _parse_fast(text, name) or _parse(text, name)


def _parse_fast(text: str, name: str) -> tuple[SourceNode, list[Problem]] | None:
    """The tree of a well-formed file by libyaml's parser (~0.3 ms for the bundled agreement's three
    files against ~10 ms for PyYAML's pure-Python one), with the same checks of every event; None
    for anything else, which ``_parse`` then reads again and reports in the words and at the places
    it always has: libyaml words its errors differently, and may place them elsewhere.

    Only a file without a tab takes this way (PyYAML refuses a tab in places libyaml accepts,
    ``key:<TAB>value``, and counts its columns differently), and only without a "!" (FastLoader).
    Of 124,000 mangled copies of the bundled files tried (slips, quotes, brackets, tags, anchors,
    CRLF, 𠮷), the 58,499 that this reads were read by PyYAML to the same tree, with the same lines
    and columns; tests/input/test_source.py holds that on the bundled files (LF and CRLF) and on
    400 mangled copies."""
    if _FastLoader is None or "\t" in text:
        return None
    found: list[Problem] = []
    try:
        loader = _FastLoader(text, name)
        try:
            root = loader.get_single_node()
            tree = _convert(root, name, loader, found) if root is not None else None
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - whatever went wrong, the reference parser reads the file again
        return None
    return (tree, found) if tree is not None and not found else None


def _parse(text: str, name: str) -> tuple[SourceNode, list[Problem]]:
    """The tree of ``text`` by PyYAML's pure-Python parser, the reference for every message: a
    syntax error becomes a located problem in the clerk's words."""
    loader = None
    found: list[Problem] = []
    try:
        loader = _Loader(text, name)
        root = loader.get_single_node()
        if root is None:
            raise refuse(Location(name, 1, 1), "", "file-empty")
        tree = _convert(root, name, loader, found)
    except yaml.MarkedYAMLError as exc:
        raise InputError(find_slips(text, name, layout=True) or [_syntax_error(name, exc, text)]) from None
    except yaml.YAMLError as exc:  # unmarked errors are rare; still the user's file
        raise refuse(Location(name, 1, 1), "", "yaml-other", detail=shown(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return tree, found


def _decoded(data: bytes, name: str) -> str:
    """Decode the file as UTF-8, saying plainly what it looks like when it is not."""
    start = Location(name, 1, 1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2].count(b"\x00") == 1:
        raise refuse(start, "", "file-utf16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _encoding_error(name, data, exc) from None
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        raise refuse(Location(name, line, col), "", "file-binary")
    text = compose(text)
    problems = [_stray_character(text, match.start(), name) for match in _STRAY.finditer(text)]
    if problems:
        raise InputError(problems[:20])
    return text


def read_limited(path: Path, start: Location) -> bytes:
    """At most MAX_FILE_BYTES of a regular file, whatever ``stat`` says and whatever the file is.

    A FIFO or a device (``/dev/zero``) is refused before a byte is read: opening a FIFO without
    O_NONBLOCK waits for a writer, and a device's size says nothing of how much it gives.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise refuse(start, "", "file-folder" if path.is_dir() else "file-not-regular")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise refuse(start, "", "file-missing") from None
    except OSError as exc:
        raise refuse(start, "", "file-unreadable", reason=shown(exc.strerror)) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the stat above
            raise refuse(start, "", "file-not-regular")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = max(len(data), path.stat().st_size)
        raise refuse(start, "", "file-too-large", size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}")
    return data


#: Characters that have no place in an agreement's text: C0/C1 controls (but tab, LF, CR), DEL,
#: non-characters, the Unicode line/paragraph separators YAML would count as line breaks (which
#: would make every later line number wrong), and the invisible characters that print as nothing
#: or as a stray hyphen or gap: soft hyphen, zero-width space/joiners, word joiner, a BOM inside the
#: text; and a combining voiced mark left over when there is nothing to compose it with.
_STRAY = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
    "\u00ad\u200b-\u200d\u2060\ufeff\u3099\u309a]"
)
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: A base character followed by combining marks, as a Mac's file system and some IMEs write が
#: (か + U+3099) or é (e + U+0301).
_DECOMPOSED = re.compile("[^\u0300-\u036f\u3099\u309a][\u0300-\u036f\u3099\u309a]+")


def compose(text: str) -> str:
    """Compose decomposed characters (か + U+3099 → が) so that duplicates and glyph checks see
    what prints. Only base + combining-mark runs are touched: a blanket NFC would also replace CJK
    compatibility ideographs (U+F900–FAFF, used for 戸籍 names) by their unified forms."""
    return _DECOMPOSED.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)


def _stray_character(text: str, index: int, name: str) -> Problem:
    char = text[index]
    line, col = _line_col(text, index)
    code = "char-invisible" if char in _INVISIBLE else "char-combining" if char in "\u3099\u309a" else "char-control"
    what = unicodedata.name(char, "")
    return problem(Location(name, line, col), "", code, code_point=f"U+{ord(char):04X}", name=what)


def _encoding_error(name: str, data: bytes, exc: UnicodeDecodeError) -> InputError:
    prefix = data[: exc.start].decode("utf-8", errors="replace")
    line, col = _line_col(prefix, len(prefix))
    try:
        data.decode("cp932")
        code = "file-shift-jis"
    except UnicodeDecodeError:
        code = "file-not-utf8"
    return refuse(Location(name, line, col), "", code, byte=f"0x{data[exc.start]:02x}")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_error(name: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """PyYAML's complaint in the clerk's words, pointed at the mistake: for an unclosed quote or
    bracket that is where it opened, not the end of the file where PyYAML noticed it; for a line
    that is not ``key: value``, that line, not the next one."""
    mark = exc.problem_mark or exc.context_mark
    context, what = exc.context or "", exc.problem or ""
    code, values = "yaml-syntax", {"detail": shown(what or exc)}
    if exc.context_mark is not None and ("quoted scalar" in context or "flow" in context):
        if mark is None or exc.context_mark.line != mark.line or "end of stream" in what:
            code = "yaml-unclosed-quote" if "quoted" in context else "yaml-unclosed-bracket"
            values = {"line": (mark.line + 1) if mark else "?"}
            mark = exc.context_mark
    elif "simple key" in context and "expected ':'" in what and exc.context_mark is not None:
        code, mark, values = "yaml-not-key-value", exc.context_mark, {}
    elif _RESERVED_START.search(what) or _RESERVED_CONTEXT.search(context):
        start = exc.context_mark if _RESERVED_CONTEXT.search(context) and exc.context_mark else mark
        char = text[start.index] if start is not None and start.index < len(text) else "?"
        code, mark, values = "yaml-reserved-char", start, {"char": shown(char)}
    elif "expected a comment or a line break" in what or _after_quote(text, mark):
        code, values = "yaml-text-after-value", {}
    elif "expected the node content" in what:
        code = "yaml-value-missing"
    elif "mapping values are not allowed" in what:
        code, values = "yaml-colon-in-value", {}
    elif "block end" in what or "block mapping" in context or "block collection" in context:
        code, values = "yaml-indent", {}
    if "\t" in what or (mark is not None and _has_tab_indent(text, mark.line)):
        code, values = "yaml-tab", {}
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return problem(Location(name, line, col), "", code, **values)


#: PyYAML's words for a value that starts with a character YAML reserves (` @ % & * ! | >).
_RESERVED_START = re.compile(r"cannot start any token")
_RESERVED_CONTEXT = re.compile(r"while (scanning|parsing) an? (anchor|alias|tag|block scalar)")


def _after_quote(text: str, mark: yaml.Mark | None) -> bool:
    """Whether PyYAML stopped right after a closing quote on the same line ("藤木"正)."""
    if mark is None or not 0 < mark.index <= len(text):
        return False
    before = text[text.rfind("\n", 0, mark.index) + 1: mark.index].rstrip(" ")
    return before.endswith(('"', "'")) and before.count(before[-1]) >= 2


def _has_tab_indent(text: str, line_index: int) -> bool:
    lines = text.split("\n")
    if line_index >= len(lines):
        return False
    line = lines[line_index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


#: Agreement files nest four or five levels; far deeper is a hostile or broken file.
MAX_DEPTH = 64


class _Checked:
    """Composes nodes refusing, where they are written, what our format never needs: aliases
    (billion-laughs bombs), explicit tags (object construction, odd types) and deep nesting.
    Checked on the parser's events, before a node is made, whichever parser makes them."""

    file_name: str
    depth: int
    check_event: Any
    peek_event: Any
    #: the tags a node may carry: none, or the non-specific "!" (a plain text)
    tags: tuple[str | None, ...] = (None, "!")

    def _refuse(self, code: str, **values: object) -> InputError:
        mark = self.peek_event().start_mark
        return refuse(Location(self.file_name, mark.line + 1, mark.column + 1), "", code, **values)

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            raise self._refuse("yaml-alias")
        tag = getattr(self.peek_event(), "tag", None)
        if tag not in self.tags:
            raise self._refuse("yaml-tag", tag=shown(tag))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._refuse("yaml-too-deep", limit=MAX_DEPTH)
        try:
            return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]
        finally:
            self.depth -= 1


class _Loader(_Checked, yaml.SafeLoader):
    """PyYAML's pure-Python SafeLoader, checked: the reference reading of every file."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.file_name = name
        self.depth = 0


def _fast_loader() -> type | None:
    """libyaml's parser (in PyYAML's wheels) under PyYAML's own composer, constructor and resolver,
    checked as ``_Loader``; None where PyYAML was built without it."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - a PyYAML without libyaml: the reference parser serves
        return None

    class FastLoader(_Checked, Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc, valid-type]
        #: a "!" reaches the resolver with other flags from libyaml (``copies: !`` is a text, not
        #: null): refused here, so that the reference parser reads such a file
        tags = (None,)

        def __init__(self, text: str, name: str) -> None:
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)
            self.file_name = name
            self.depth = 0

    return FastLoader


_FastLoader = _fast_loader()


def _loc(node: Node, name: str) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: Node, name: str, loader: SafeConstructor, problems: list[Problem]) -> SourceNode:
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
            problems.append(problem(key_loc, "", "yaml-key-not-plain"))
            continue
        key = str(key_node.value)
        if key in values:
            problems.append(problem(key_loc, shown(key), "yaml-duplicate-key", key=shown(key), line=keys[key].line))
            continue
        keys[key] = key_loc
        values[key] = _convert(value_node, name, loader, problems)
    return SourceNode(values, location, keys)


def _scalar(node: ScalarNode, location: Location, loader: SafeConstructor, problems: list[Problem]) -> Scalar:
    """Resolve a scalar with YAML's safe rules (int, bool, date…).

    A date-like value that is no date (2025-02-30) stays the text it was, so the model reports it
    in words with the file's other problems, as it does a quoted "2025-02-30".
    """
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)
        problems.append(problem(location, "", "value-invalid", value=_short(node.value), detail=shown(str(exc).splitlines()[0])))
        return None
    if isinstance(value, dt.datetime):
        return value  # reported as a wrong type by the model, which wants a date
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    problems.append(problem(location, "", "value-unsupported", value=_short(node.value)))
    return None


def _short(text: str, limit: int = 40) -> str:
    """A value quoted in a message, cut short and made safe to show."""
    return f"「{shown(text, limit)}」"
