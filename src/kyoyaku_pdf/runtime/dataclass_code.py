"""The methods ``dataclasses`` writes for each class, compiled once per Python rather than on every
start of a process.

For each ``@dataclass`` the standard library writes ``__init__``, ``__repr__``, ``__eq__`` (and,
frozen, ``__setattr__``, ``__delattr__``, ``__hash__``) as source text and compiles each with
``exec``: ~0.6 ms a class, ~31 ms for the 52 classes a build imports (a tenth of a whole build),
three quarters of it compiling. The code compiled from a given text never changes, so it is kept:
``dataclasses``' own calls of ``exec`` — the module's global name ``exec``, set here, shadows the
builtin for that module alone — find the text's code in a dict read at start-up from the per-user
cache (cache.py), or compile it and remember it; :func:`save` (the command line's ``run``, before
it leaves) writes the dict back when something new was compiled. Exactly what ``exec(text, …)``
does in ``dataclasses`` (a module with no ``from __future__`` imports, so no inherited compiler
flags): ``exec(compile(text, "<string>", "exec", dont_inherit=True), …)``; only the compiling is
spared. A Python whose ``dataclasses`` compiles otherwise simply never calls this.

Unlike the font cache, this entry holds code. It is trusted as the ``.pyc`` files Python writes
itself are: written by this user, read only from a folder nobody else can write in (cache.py),
its payload checked against its SHA-256, and named by the interpreter's bytecode magic number, so
that another Python never reads it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from . import cache

#: The entry holds at most this many texts (~1 KB of code each; reading 300 takes ~1 ms): past it,
#: only those this process used are written back, so edits of the classes do not pile up.
MAX_TEXTS = 1000

#: Source text → its compiled code: what the entry held, and what this process compiled.
_codes: dict[str, CodeType] = {}
#: The texts this process compiled (none: nothing to save) and those it used.
_compiled: set[str] = set()
_used: set[str] = set()


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None,
          **kwargs: Any) -> None:
    """``exec`` for ``dataclasses``: a text is compiled once, then run from its code."""
    if isinstance(source, str):
        code = _codes.get(source)
        if code is None:
            code = _codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _compiled.add(source)
        _used.add(source)
        source = code
    exec(source, globals, locals, **kwargs)


def _entry() -> Path | None:
    """This Python's entry in the cache folder, or None when there is no folder fit to use."""
    folder = cache.cache_dir()
    if folder is None:
        return None
    return folder / f"dataclass-code-{sys.implementation.cache_tag}-{importlib.util.MAGIC_NUMBER.hex()}.bin"


def _is_codes(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, CodeType) for k, v in value.items())


def install() -> None:
    """Read the stored codes and hand ``dataclasses`` the caching ``exec`` (once per process)."""
    if getattr(dataclasses, "exec", None) is _exec:
        return
    path = _entry()
    found = cache.read_entry(path) if path is not None else None
    if found is not None and _is_codes(found[0]):
        _codes.update(found[0])
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def save() -> None:
    """Write the codes back if this process compiled any (a cache that cannot be written is no error)."""
    if not _compiled:
        return
    path = _entry()
    if path is None:
        return
    keep = _codes if len(_codes) <= MAX_TEXTS else {text: _codes[text] for text in _used}
    if cache.write_entry(path, keep):
        _compiled.clear()
