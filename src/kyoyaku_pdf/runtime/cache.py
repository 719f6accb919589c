"""The per-user cache folder and its entries: what the font cache (pdf/fontcache.py), the line
breaks (pdf/breakcache.py) and the compiled dataclass methods (dataclass_code.py) keep between
processes.

Never shared unsafely: the folder is ``$XDG_CACHE_HOME/kyoyaku-pdf`` (or ``~/.cache/kyoyaku-pdf``),
made 0700, and used only while it is a real folder owned by this user that nobody else can write
in. Never trusted blindly: each entry carries the SHA-256 of its payload, checked before the
payload is decoded, and the payload is ``marshal`` data. Any problem — no home, a read-only disk, a
corrupt or foreign entry — reads as no entry, and the caller makes the value again. Entries are
written to a temporary file and renamed, so concurrent processes never see half of one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from pathlib import Path
from typing import Any

_MAGIC = b"kyoyaku-pdf font cache\n"
_DIGEST = hashlib.sha256().digest_size


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


def read_entry(path: Path) -> tuple[Any] | None:
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


def write_entry(path: Path, value: Any) -> bool:
    """Store ``value`` atomically; a cache that cannot be written is no error (False)."""
    import tempfile  # writing is rare: not paid by the processes that only read

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
