"""What parsing a font file yields, kept on disk so the next process does not parse it again.

Parsing BIZ UD Mincho with ReportLab takes ~30 ms and IPAmj Mincho ~130 ms; drawing the 印 of the
seal guide with fontTools costs ~45 ms of import and ~100 ms of parsing. A clerk's build is a new
process each time, so these costs were paid on every run. This module keeps the results in a
per-user cache folder and hands them back in a few milliseconds.

Never stale: an entry's name is derived from the font file's (size, mtime_ns, ctime_ns, inode,
device) — taken with ``fstat`` on the very file object that is read — plus this module's format
version and the versions of ReportLab and fontTools, whose parsers made the data. The folder and
the safety of its entries (the user's own 0700 folder, a SHA-256 checked before decoding, atomic
writes, any problem read as a miss and the font parsed again) are cache.py's; what is stored here
is ``marshal`` data of plain values (no pickle: nothing in it can run code).
Never growing without end: every font file's version has its own entry (a face is 0.7–3 MB), so each
new entry removes all but the ``KEEP`` most recently used of its kind (use refreshes an entry's mtime,
at most once a day).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..runtime.cache import cache_dir, read_entry, write_entry

#: Bump when what is stored, or how, changes: older entries are then simply never looked up.
FORMAT = 2
#: entries of one kind kept when a new one is written: one per installation in use, with room to spare
KEEP = 8
_DAY_NS = 86_400 * 10**9


def file_key(info: os.stat_result) -> str:
    """What identifies one version of a file: any rewrite or replacement changes it."""
    return f"{info.st_size}-{info.st_mtime_ns}-{info.st_ctime_ns}-{info.st_ino}-{info.st_dev}"


def cached(kind: str, key: str, libraries: tuple[str, ...], make: Callable[[], Any],
           valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """The value stored for (``kind``, ``key``), or ``make()`` — stored for next time when possible.
    ``libraries`` name the packages whose code makes the value: installing another version of one
    of them makes a new entry. ``make`` must return plain data (dicts, lists, tuples, numbers,
    strings, bytes); a stored value ``valid`` refuses is made again and replaced."""
    path = entry(kind, key, libraries)
    found = load(path, valid) if path is not None else None
    if found is not None:
        return found[0]
    value = make()
    if path is not None:
        store(path, kind, value)
    return value


def entry(kind: str, key: str, libraries: tuple[str, ...]) -> Path | None:
    """Where the value for (``kind``, ``key``) made by ``libraries`` is kept (see ``cached``); None
    when there is no cache folder fit to use."""
    folder = cache_dir()
    return folder / _entry_name(kind, key, libraries) if folder else None


def load(path: Path, valid: Callable[[Any], bool] = lambda value: True) -> tuple[Any] | None:
    """(value,) from the entry at ``path`` if it is intact and ``valid``, marked as used; else None."""
    found = read_entry(path)
    if found is None or not valid(found[0]):
        return None
    _mark_used(path)
    return found


def store(path: Path, kind: str, value: Any) -> None:
    """Write ``value`` (plain data) to the entry at ``path``; the oldest entries of ``kind`` then go."""
    if write_entry(path, value):
        _prune(path.parent, kind, keep=path)


def _mark_used(path: Path) -> None:
    """Refresh the entry's mtime (once a day at most) so that pruning keeps what is in use."""
    try:
        if os.stat(path).st_mtime_ns < time.time_ns() - _DAY_NS:
            os.utime(path)
    except OSError:
        pass


def _prune(folder: Path, kind: str, keep: Path) -> None:
    """Remove all but the KEEP most recently used entries of ``kind`` (``keep`` itself stays). An entry
    another process is reading stays readable through its open file; a later lookup just misses."""
    try:
        entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(folder)
                   if e.name.startswith(f"{kind}-") and e.name.endswith(".bin") and e.is_file(follow_symlinks=False)]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, old in entries[KEEP:]:
        if old != str(keep):
            try:
                os.unlink(old)
            except OSError:
                pass


def _entry_name(kind: str, key: str, libraries: tuple[str, ...]) -> str:
    identity = "\0".join((str(FORMAT), kind, key, *(f"{name} {_library_key(name)}" for name in libraries)))
    return f"{kind}-{hashlib.sha256(identity.encode()).hexdigest()[:40]}.bin"


def _library_key(name: str) -> str:
    """The installed version of a package, without importing it (importing fontTools alone costs
    ~15 ms, reading its metadata ~35 ms): the identity of its ``__init__`` file, which any install
    replaces."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec else None
    try:
        return f"{origin} {file_key(os.stat(origin))}" if origin else "absent"
    except OSError:
        return "absent"
