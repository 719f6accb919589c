"""Binding located YAML to the model's dataclasses, and the JSON Schema of the same types.

Both walk the dataclass type hints, so the format is written down once (in ``model``): what the
validator accepts is what the schema publishes. Binding collects every problem of a file instead of
stopping at the first, and records each text with its field path and location for later checks
(such as font coverage) that must point back into the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import types
import typing
import unicodedata
from dataclasses import MISSING, dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal, TypeVar, get_args, get_origin

from ..errors import Location, Problem
from ..messages import shown, text
from ..text.japanese import EARLIEST_DATE
from .model import FILL_IN, AgreementFile, CommonFile, ScheduleFile
from .places import AGREEMENT, COMMON, SCHEDULES, place_of
from .problems import problem
from ..runtime.memo import remember
from .source import KEEP_READ, SourceNode

T = TypeVar("T")


@dataclass(frozen=True)
class TextField:
    """A text value as written in a file, with where it was written and its place in the document."""

    path: str
    location: Location
    text: str
    #: (the kind of file, its root node): what ``place`` is named from, when first asked for
    origin: tuple[str, SourceNode | None] = dataclasses.field(default=("", None), compare=False, repr=False)

    @cached_property
    def place(self) -> str:
        """Its place in the document's terms ("" unknown). Named when a problem or a warning asks
        for it: a build without any never does (~25 µs a text, ~3 ms of a cold build)."""
        return place_of(self.origin[0], self.origin[1], self.path)

    def problem(self, code: str, **values: object) -> Problem:
        """A problem with this text (its location, field path and place), message ``code``."""
        return problem(self.location, self.path, code, self.place, **values)


#: Files bound before in this process, by their tree's id: (tree, type, value, its texts). A whole
#: file's binding is made of its tree alone when it is the binder's first of that file and no key
#: was found misplaced before it (the two states of the binder it reads), and a tree is kept by
#: source.py for exactly its bytes, so the same tree is the same file: ``--watch`` re-binds on a save
#: only the file that changed. Only files bound without a problem are kept; the tree is held, so
#: its id is not reused while the entry lives.
_bound: dict[int, tuple[SourceNode, type, Any, tuple[TextField, ...]]] = {}
#: Entries kept at most: as many as source.py keeps trees.
KEEP_BOUND = KEEP_READ


#: The kind of file each root type is (for naming places in the document's terms).
_FILE_KINDS: dict[type, str] = {AgreementFile: AGREEMENT, CommonFile: COMMON, ScheduleFile: SCHEDULES}


@dataclass
class Binder:
    """Accumulates problems and texts while binding one or more files."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    texts: list[TextField] = dataclasses.field(default_factory=list)
    #: each bound file's name → (its kind, its root node), to name places in it
    files: dict[str, tuple[str, SourceNode]] = dataclasses.field(default_factory=dict)
    #: field paths whose key was found written outside its mapping (not reported missing as well)
    misplaced: set[str] = dataclasses.field(default_factory=set)

    def bind(self, cls: type[T], node: SourceNode, path: str = "") -> T | None:
        """Build ``cls`` from ``node``; None (with problems recorded) if anything is wrong."""
        whole_file = not path and node.location.file not in self.files
        self.files.setdefault(node.location.file, (_FILE_KINDS.get(cls, ""), node))
        kept = _bound.get(id(node)) if whole_file else None
        if kept is not None and kept[0] is node and kept[1] is cls:
            self.texts += kept[3]
            return kept[2]  # type: ignore[no-any-return]
        before, texts_before, none_misplaced = len(self.problems), len(self.texts), not self.misplaced
        value = self._value(cls, node, path, {})
        if len(self.problems) != before:
            return None
        if whole_file and none_misplaced:
            remember(_bound, id(node), (node, cls, value, tuple(self.texts[texts_before:])), KEEP_BOUND)
        return value

    def place(self, location: Location, path: str) -> str:
        """The place of ``path`` in the file of ``location``, in the document's terms ("" unknown)."""
        kind, root = self.files.get(location.file, ("", None))
        return place_of(kind, root, path)

    def fail(self, node_or_loc: SourceNode | Location, path: str, code: str, **values: object) -> None:
        """Record the problem ``code`` at a node (or location) of a bound file, with its place."""
        loc = node_or_loc.location if isinstance(node_or_loc, SourceNode) else node_or_loc
        self.problems.append(problem(loc, path, code, self.place(loc, path), **values))

    def placed(self, problems: list[Problem]) -> list[Problem]:
        """``problems`` with their places filled in where the maker did not know them."""
        return [p if p.place or not p.field else dataclasses.replace(p, place=self.place(p.location, p.field))
                for p in problems]

    def _value(self, tp: Any, node: SourceNode, path: str, meta: dict[str, Any]) -> Any:
        origin = get_origin(tp)
        if dataclasses.is_dataclass(tp):
            return self._dataclass(tp, node, path)
        if origin is tuple:
            return self._sequence(get_args(tp)[0], node, path)
        if origin is Literal:
            return self._literal(get_args(tp), node, path)
        return self._scalar(tp, node, path, meta)

    def _dataclass(self, cls: Any, node: SourceNode, path: str) -> Any:
        if not isinstance(node.value, dict):
            self.fail(node, path, "type-mapping", got=_describe(node))
            return None
        fields, hints, parts = _shape(cls)
        meant = self._unknown_keys(node, path, list(fields), parts)
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            child = node.value.get(name)
            if child is None:
                if f.default is MISSING and f.default_factory is MISSING and name not in meant \
                        and _join(path, name) not in self.misplaced:
                    self.fail(node, _join(path, name), "key-missing", key=name)
                continue
            kwargs[name] = self._value(hints[name], child, _join(path, name), dict(f.metadata))
        try:
            return cls(**kwargs)
        except TypeError:  # a field already reported as missing or wrong
            return None

    def _unknown_keys(self, node: SourceNode, path: str, fields: list[str], parts: dict[str, frozenset[str]]) -> set[str]:
        """Report each key the type does not have, with the nearest valid one (difflib) if any; the
        keys so suggested are returned, so they are not reported as missing as well. A key that
        belongs to a part of this mapping (``office:`` typed at the left margin, out of ``partner:``)
        is said to be so."""
        meant: set[str] = set()
        absent = [f for f in fields if f not in node.key_locations]
        for key, loc in node.key_locations.items():
            if key in fields:
                continue
            owner = next((name for name, keys in parts.items() if key in keys), None)
            if owner is not None:
                meant_path = _join(_join(path, owner), key)
                self.problems.append(problem(loc, _join(path, shown(key)), "key-belongs-under",
                                             self.place(loc, meant_path), key=shown(key), owner=owner))
                self.misplaced.add(meant_path)
                continue
            import difflib  # only for a mistyped key

            typed = unicodedata.normalize("NFKC", key).strip().lower()
            near = difflib.get_close_matches(typed, absent, n=1, cutoff=0.6) or difflib.get_close_matches(
                typed, fields, n=1, cutoff=0.6)
            if near:
                meant.add(near[0])
                self.fail(loc, _join(path, shown(key)), "key-unknown-suggest", key=shown(key), suggestion=near[0])
            else:
                self.fail(loc, _join(path, shown(key)), "key-unknown", key=shown(key), keys=", ".join(fields))
        return meant

    def _sequence(self, item_type: Any, node: SourceNode, path: str) -> tuple[Any, ...] | None:
        if not isinstance(node.value, tuple):
            self.fail(node, path, "type-list", got=_describe(node))
            return None
        if not node.value:
            self.fail(node, path, "list-empty")
        return tuple(self._value(item_type, item, f"{path}[{i}]", {}) for i, item in enumerate(node.value))

    def _literal(self, choices: tuple[Any, ...], node: SourceNode, path: str) -> Any:
        if node.value not in choices:
            self.fail(node, path, "value-choice", choices=" / ".join(map(str, choices)), got=_describe(node))
        return node.value

    def _scalar(self, tp: Any, node: SourceNode, path: str, meta: dict[str, Any]) -> Any:
        value = node.value
        if isinstance(value, str) and FILL_IN in value and tp is not str:
            self.fail(node, path, "not-filled-in")
            return value
        if tp is dt.date and isinstance(value, str):
            return self._date_text(value, node, path)
        if not _is_instance(value, tp):
            self.fail(node, path, "type-wrong", expected=text(_TYPE_NAMES.get(tp, "type-text")), got=_describe(node))
            return value
        if tp is str:
            self._check_text(value, node, path, meta)
        elif tp in (int, float):
            self._check_range(value, node, path, meta)
        elif tp is dt.date and value < EARLIEST_DATE:
            self.fail(node, path, "date-too-early", date=value.isoformat(), earliest=EARLIEST_DATE.isoformat())
        return value

    def _date_text(self, value: str, node: SourceNode, path: str) -> dt.date | None:
        """A date written as text: a quoted ISO date is a date (as the schema's ``format: date``
        says); a 和暦 or slashed date, or one that does not exist, is refused saying what to type."""
        from .dates import read_date  # a date written as text is rare: its patterns are made for it

        reading = read_date(value)
        if reading.code:
            self.fail(node, path, reading.code, **reading.values)
            return None
        assert reading.date is not None
        return self._scalar(dt.date, SourceNode(reading.date, node.location), path, {})  # type: ignore[no-any-return]

    def _check_text(self, value: str, node: SourceNode, path: str, meta: dict[str, Any]) -> None:
        if FILL_IN in value:
            self.fail(node, path, "not-filled-in")
        elif not value.strip():
            self.fail(node, path, "text-empty")
        elif value != value.strip():
            self.fail(node, path, "text-spaces")
        pattern = meta.get("pattern")
        if pattern and not re.fullmatch(pattern, value):
            self.fail(node, path, "text-pattern", value=shown(value, 40), pattern=pattern)
        self.texts.append(TextField(path, node.location, value, self.files.get(node.location.file, ("", None))))

    def _check_range(self, value: float, node: SourceNode, path: str, meta: dict[str, Any]) -> None:
        low, high = meta.get("minimum"), meta.get("maximum")
        if not math.isfinite(value):
            self.fail(node, path, "number-not-finite", value=value)
        elif (low is not None and value < low) or (high is not None and value > high):
            self.fail(node, path, "number-range", value=value, low=low, high=high)


@lru_cache(maxsize=None)
def _shape(cls: type) -> tuple[dict[str, dataclasses.Field[Any]], dict[str, Any], dict[str, frozenset[str]]]:
    """A model type's fields, their types, and the keys of each part that is itself a mapping — the
    same for every value bound, so found once: ``get_type_hints`` evaluates the annotations' text
    each time (the model is written with ``from __future__ import annotations``), ~4 ms a load."""
    hints = typing.get_type_hints(cls)
    parts = {name: frozenset(f.name for f in dataclasses.fields(tp)) for name, tp in hints.items()
             if dataclasses.is_dataclass(tp)}
    return {f.name: f for f in dataclasses.fields(cls)}, hints, parts


def _is_instance(value: Any, tp: Any) -> bool:
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, tp)


#: The catalogue code naming each scalar type in a message.
_TYPE_NAMES = {str: "type-text", int: "type-int", float: "type-number", bool: "type-bool", dt.date: "type-date"}


def _describe(node: SourceNode) -> str:
    """What was written, in words, for "expected …, got …"."""
    value = node.value
    if isinstance(value, dict):
        return text("got-mapping")
    if isinstance(value, tuple):
        return text("got-list")
    if value is None:
        return text("got-null")
    if isinstance(value, bool):
        return text("got-bool", value=str(value).lower())
    if isinstance(value, (dt.date, dt.datetime)):
        return text("got-date", value=value.isoformat())
    if isinstance(value, (int, float)):
        return text("got-number", value=value)
    return text("got-text", value=shown(value, 40))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# ---- JSON Schema -------------------------------------------------------------------------------

_SCHEMA_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string", "minLength": 1},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date"},
}


def json_schema(cls: type, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a file type, for editors' completion and checking."""
    definitions: dict[str, Any] = {}
    root = _schema_of(cls, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _schema_of(tp: Any, defs: dict[str, Any], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    meta = meta or {}
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder against recursion
            defs[tp.__name__] = _object_schema(tp, defs)
        out: dict[str, Any] = {"$ref": f"#/$defs/{tp.__name__}"}
    elif origin is tuple:
        out = {"type": "array", "minItems": 1, "items": _schema_of(get_args(tp)[0], defs)}
    elif origin is Literal:
        out = {"enum": list(get_args(tp))}
    elif isinstance(tp, types.UnionType):
        raise TypeError(f"unions are not part of the format: {tp}")
    else:
        out = dict(_SCHEMA_SCALARS[tp])
    if "doc" in meta:
        out["description"] = meta["doc"]
    for key in ("pattern", "minimum", "maximum"):
        if key in meta:
            out[key] = meta[key]
    return out


def _object_schema(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    fields, hints, _ = _shape(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in fields.values():
        props[f.name] = _schema_of(hints[f.name], defs, dict(f.metadata))
        if f.default is MISSING and f.default_factory is MISSING:
            required.append(f.name)
        elif f.default is not MISSING and not dataclasses.is_dataclass(f.default) and f.default != ():
            props[f.name]["default"] = f.default
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        schema["required"] = required
    if cls.__doc__:
        schema["description"] = " ".join(cls.__doc__.split())
    return schema
