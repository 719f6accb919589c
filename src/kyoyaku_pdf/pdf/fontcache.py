"""What parsing a font file yields, kept on disk so the next process does not parse it again.

Parsing BIZ UD Mincho with ReportLab takes ~30 ms and IPAmj Mincho ~130 ms; drawing the 印 of the
seal guide with fontTools costs ~45 ms of import and ~100 ms of parsing. A clerk's build is a new
process each time, so these costs were paid on every run. This module keeps the results in a
per-user cache folder and hands them back in a few milliseconds.

Never stale: an entry's name is derived from the font file's (size, mtime_ns, ctime_ns, inode,
device) — taken with ``fstat`` on the very file object that is read — plus this module's format
version and the versions of ReportLab and fontTools, whose parsers made the data. Never shared
unsafely: the folder is ``$XDG_CACHE_HOME/kyoyaku-pdf`` (or ``~/.cache/kyoyaku-pdf``), made 0700,
and used only while it is a real folder owned by this user that nobody else can write in. Never trusted
blindly: each entry carries the SHA-256 of its payload, checked before the payload is decoded, and
the payload is ``marshal`` data of plain values (no pickle: nothing in it can run code). Any
problem — no home, a read-only disk, a corrupt or foreign entry — falls back silently to parsing.
Entries are written to a temporary file and renamed, so concurrent batch workers never see half.
Never growing without end: every font file's version has its own entry (a face is 0.7–3 MB), so each
new entry removes all but the ``KEEP`` most recently used of its kind (use refreshes an entry's mtime,
at most once a day).
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Bump when what is stored, or how, changes: older entries are then simply never looked up.
FORMAT = 2
_MAGIC = b"kyoyaku-pdf font cache\n"
_DIGEST = hashlib.sha256().digest_size
#: entries of one kind kept when a new one is written: one per installation in use, with room to spare
KEEP = 8
_DAY_NS = 86_400 * 10**9


def cache_dir() -> Path | None:
    """The per-user cache folder, made if need be; None when there is none fit to use.

    ``KYOYAKU_CACHE_DIR``, else an absolute ``XDG_CACHE_HOME``, else ``~/.cache``, then ``kyoyaku-pdf``
    (the root the veraPDF driver's cache uses too). A folder of ours that others can only read (made
    0755 by a tool with the usual umask) is closed to 0700 first: nobody else can have written in it.
    One others can write in, or not ours, or a symlink, is not used at all."""
    base = os.environ.get("KYOYAKU_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # XDG: relative paths are invalid
    folder = root / "kyoyaku-pdf"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        if info.st_mode & 0o077:
            folder.chmod(0o700)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return folder


def file_key(info: os.stat_result) -> str:
    """What identifies one version of a file: any rewrite or replacement changes it."""
    return f"{info.st_size}-{info.st_mtime_ns}-{info.st_ctime_ns}-{info.st_ino}-{info.st_dev}"


def cached(kind: str, key: str, libraries: tuple[str, ...], make: Callable[[], Any],
           valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """The value stored for (``kind``, ``key``), or ``make()`` — stored for next time when possible.
    ``libraries`` name the packages whose code makes the value: installing another version of one
    of them makes a new entry. ``make`` must return plain data (dicts, lists, tuples, numbers,
    strings, bytes); a stored value ``valid`` refuses is made again and replaced."""
    folder = cache_dir()
    path = folder / _entry_name(kind, key, libraries) if folder else None
    if path is not None:
        found = _read(path)
        if found is not None and valid(found[0]):
            _mark_used(path)
            return found[0]
    value = make()
    if path is not None and _write(path, value):
        _prune(path.parent, kind, keep=path)
    return value


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


def _read(path: Path) -> tuple[Any] | None:
    """(value,) from an intact entry; None for a missing, unreadable or corrupt one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[len(_MAGIC):len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST:]
    if not data.startswith(_MAGIC) or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return (marshal.loads(payload),)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, value: Any) -> bool:
    """Store ``value`` atomically; a cache that cannot be written is no error (False)."""
    try:
        payload = marshal.dumps(value)
    except ValueError:
        return False
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
    return True
