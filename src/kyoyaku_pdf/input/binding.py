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
from dataclasses import MISSING, dataclass
from typing import Any, Literal, TypeVar, get_args, get_origin

from ..errors import Location, Problem
from ..text.japanese import EARLIEST_DATE
from .model import FILL_IN
from .source import SourceNode

T = TypeVar("T")


@dataclass(frozen=True)
class TextField:
    """A text value as written in a file, with where it was written."""

    path: str
    location: Location
    text: str


@dataclass
class Binder:
    """Accumulates problems and texts while binding one or more files."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    texts: list[TextField] = dataclasses.field(default_factory=list)

    def bind(self, cls: type[T], node: SourceNode, path: str = "") -> T | None:
        """Build ``cls`` from ``node``; None (with problems recorded) if anything is wrong."""
        before = len(self.problems)
        value = self._value(cls, node, path, {})
        return value if len(self.problems) == before else None

    def fail(self, node_or_loc: SourceNode | Location, path: str, message: str) -> None:
        loc = node_or_loc.location if isinstance(node_or_loc, SourceNode) else node_or_loc
        self.problems.append(Problem(loc, path, message))

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
            self.fail(node, path, f"expected a mapping (key: value lines), got {_describe(node)}")
            return None
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for key, loc in node.key_locations.items():
            if key not in fields:
                self.fail(loc, _join(path, key), f"unknown key; expected one of: {', '.join(fields)}")
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            child = node.value.get(name)
            if child is None:
                if f.default is MISSING and f.default_factory is MISSING:
                    self.fail(node, _join(path, name), "missing key")
                continue
            kwargs[name] = self._value(hints[name], child, _join(path, name), dict(f.metadata))
        try:
            return cls(**kwargs)
        except TypeError:  # a field already reported as missing or wrong
            return None

    def _sequence(self, item_type: Any, node: SourceNode, path: str) -> tuple[Any, ...] | None:
        if not isinstance(node.value, tuple):
            self.fail(node, path, f"expected a list (lines starting with '- '), got {_describe(node)}")
            return None
        if not node.value:
            self.fail(node, path, "the list is empty")
        return tuple(self._value(item_type, item, f"{path}[{i}]", {}) for i, item in enumerate(node.value))

    def _literal(self, choices: tuple[Any, ...], node: SourceNode, path: str) -> Any:
        if node.value not in choices:
            self.fail(node, path, f"must be one of: {', '.join(map(str, choices))}; got {node.value!r}")
        return node.value

    def _scalar(self, tp: Any, node: SourceNode, path: str, meta: dict[str, Any]) -> Any:
        value = node.value
        if isinstance(value, str) and FILL_IN in value and tp is not str:
            self.fail(node, path, "not filled in yet (the mark from `kyoyaku-pdf new` is still there)")
            return value
        if not _is_instance(value, tp):
            self.fail(node, path, f"expected {_TYPE_NAMES.get(tp, tp)}, got {_describe(node)}")
            return value
        if tp is str:
            self._check_text(value, node, path, meta)
        elif tp in (int, float):
            self._check_range(value, node, path, meta)
        elif tp is dt.date and value < EARLIEST_DATE:
            self.fail(node, path, f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}: such a date cannot be written in 和暦")
        return value

    def _check_text(self, value: str, node: SourceNode, path: str, meta: dict[str, Any]) -> None:
        if FILL_IN in value:
            self.fail(node, path, "not filled in yet (the mark from `kyoyaku-pdf new` is still there)")
        elif not value.strip():
            self.fail(node, path, "the text is empty")
        elif value != value.strip():
            self.fail(node, path, "the text begins or ends with white space")
        pattern = meta.get("pattern")
        if pattern and not re.fullmatch(pattern, value):
            self.fail(node, path, f"{value!r} does not match the required form {pattern}")
        self.texts.append(TextField(path, node.location, value))

    def _check_range(self, value: float, node: SourceNode, path: str, meta: dict[str, Any]) -> None:
        low, high = meta.get("minimum"), meta.get("maximum")
        if not math.isfinite(value):
            self.fail(node, path, f"{value} is not a number that can be used here")
        elif (low is not None and value < low) or (high is not None and value > high):
            self.fail(node, path, f"{value} is out of range ({low}–{high})")


def _is_instance(value: Any, tp: Any) -> bool:
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, tp)


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", dt.date: "a date (YYYY-MM-DD)"}


def _describe(node: SourceNode) -> str:
    value = node.value
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {value if len(value) <= 40 else value[:40] + '…'!r}"


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
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
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
