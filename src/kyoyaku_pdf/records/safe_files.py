"""Writing files that survive kills, full disks and planted links: the one home of careful file I/O.

Why dir fds and O_NOFOLLOW: a path is looked up again on every call, so a symlink planted between two
calls (or before the run) would redirect a write outside the output folder or the archive. Folders the
tool owns are opened once, without following links, and every file is created relative to that open
folder with O_EXCL, so nothing is ever written through a link. Each write is fsynced, and so is the
folder that names it, so that a power cut cannot lose a rename that already returned.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import KyoyakuError, OutputError
from ..messages import shown, text

if TYPE_CHECKING:
    import ctypes

#: open a folder the tool owns: never through a symbolic link
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: create a new file: fails if anything (file, link, folder) already has the name
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
#: read an existing file: never through a link, and never waiting on a FIFO planted in its place
READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: how many folder levels above an output file are never followed (out/<id>/, <id>/notices/)
OWNED_LEVELS = 2
#: deeper than this, a tree is not ours (ours are 3 levels deep): refuse rather than recurse on
MAX_DEPTH = 32


class OutputLinkRefused(OutputError):
    """A symbolic link (or a file) stands where the tool creates an output folder: not followed, so
    nothing is written where it points; the last good output is untouched."""

    code = "output-link"

    def __init__(self, folder: Path) -> None:
        self.target = folder
        self.errno = errno.ELOOP
        KyoyakuError.__init__(self, f"{shown(folder, 200)}: {text('safe-output-folder-link')}")


#: errno → the reason in a word or two (the common ones shared with errors.py's messages)
_REASONS = {errno.ENOSPC: "errno-disk-full", errno.EDQUOT: "errno-disk-full", errno.EACCES: "errno-no-permission",
            errno.EPERM: "errno-no-permission", errno.EROFS: "errno-read-only", errno.ENOTDIR: "errno-not-a-folder",
            errno.EISDIR: "errno-is-a-folder", errno.ENOENT: "errno-no-such-file", errno.ELOOP: "safe-fs-link",
            errno.EEXIST: "safe-fs-exists"}


def os_reason(exc: OSError) -> str:
    """An OS error as a short Japanese (or English) reason: disk full, no permission, a link …"""
    code = _REASONS.get(exc.errno or 0)
    return text(code) if code else text("safe-fs-other", detail=shown(exc.strerror or exc))


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is out (a write may be short), so a file is never silently cut."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def create_file(folder_fd: int, name: str, data: bytes, mode: int = 0o666) -> None:
    """Create ``name`` in the open folder with ``data``, fsynced; refuse if anything has the name."""
    fd = os.open(name, NEW_FILE_FLAGS, mode, dir_fd=folder_fd)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def open_folder(parent_fd: int, name: str, create: bool = False, mode: int = 0o777) -> int:
    """Open (creating it if asked) the folder ``name`` in the open folder, never through a link."""
    if create:
        try:
            os.mkdir(name, mode, dir_fd=parent_fd)
            os.fsync(parent_fd)
        except FileExistsError:
            pass
    return os.open(name, DIR_FLAGS, dir_fd=parent_fd)


def kind_of(parent_fd: int, name: str) -> str:
    """What ``name`` is, without following it: "missing", "link", "folder", "file" or "other"."""
    try:
        mode = os.lstat(name, dir_fd=parent_fd).st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(mode):
        return "link"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def remove_tree(parent_fd: int, name: str, depth: int = 0) -> None:
    """Delete ``name`` and all below it, read-only or not, never following a link (a link is
    removed itself, not what it points to). Missing is fine: recovery may run twice."""
    if depth > MAX_DEPTH:
        raise OSError(errno.ELOOP, "folder tree too deep", name)
    kind = kind_of(parent_fd, name)
    if kind == "missing":
        return
    if kind != "folder":
        os.unlink(name, dir_fd=parent_fd)
        return
    fd = os.open(name, DIR_FLAGS, dir_fd=parent_fd)
    try:
        os.fchmod(fd, 0o700)
        for entry in os.listdir(fd):
            remove_tree(fd, entry, depth + 1)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=parent_fd)


def rename_no_replace(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    """rename(2) that fails with EEXIST instead of replacing what has the name (Linux renameat2
    RENAME_NOREPLACE): a write-once folder is never swapped for one planted an instant before."""
    libc = _libc()
    if libc is not None:
        import ctypes  # loaded already, by _libc

        if libc.renameat2(src_fd, os.fsencode(src), dst_fd, os.fsencode(dst), 1) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL):  # EINVAL: a file system without the flag
            raise OSError(code, os.strerror(code), dst)
    if kind_of(dst_fd, dst) != "missing":
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    os.rename(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, for renameat2: ctypes (~3 ms to import) is loaded by the archive's
    write-once renames alone, never by a build."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return libc
    except (OSError, AttributeError):
        return None


@contextmanager
def opened(fd: int) -> Iterator[int]:
    """Close a raw fd when the block ends, however it ends. (What was written through it was
    fsynced before; a failing close of a folder or read-only fd loses nothing, so it is ignored.)"""
    try:
        yield fd
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


# --- output files: out/<id>/<id>.pdf and friends ------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: a failed or killed run never leaves a
    half-written file and never destroys the last good one. The file's folder and the one above it
    (out/<id>/) are opened without following links: a link planted there is OutputLinkRefused, and a
    link at the file itself is replaced, never written through. An OS failure (disk full …) is raised
    as the OSError, for the caller to name its target (cli/build.py: OutputError)."""
    with opened(_output_folder(path.parent)) as folder_fd:
        remove_stale_temporaries(folder_fd, path.name)
        _replace_file(folder_fd, path.name, data)


def _output_folder(folder: Path) -> int:
    """Open the file's folder: the last OWNED_LEVELS levels (out/<id>, <id>/notices — the ones the tool
    creates and a planted link would redirect) are never followed; the path above them is the user's."""
    parts = [p for p in folder.parts[1 if folder.anchor else 0:] if p != "."]
    owned = parts[-OWNED_LEVELS:]
    anchor = Path(folder.anchor or ".", *parts[: len(parts) - len(owned)])
    anchor.mkdir(parents=True, exist_ok=True)
    fd = os.open(anchor, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    for name in owned:
        try:
            with opened(fd):
                fd = open_folder(fd, name, create=True)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EEXIST):
                raise OutputLinkRefused(anchor / name) from None
            raise
        anchor = anchor / name
    return fd


def _replace_file(folder_fd: int, name: str, data: bytes) -> None:
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"  # secrets.token_hex(4), without importing random
    try:
        create_file(folder_fd, temporary, data)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        os.fsync(folder_fd)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=folder_fd)
        except OSError:
            pass
        raise


def remove_stale_temporaries(folder_fd: int, name: str) -> None:
    """Delete temporary files a killed run left beside ``name`` (SIGKILL allows no clean-up); a
    temporary file whose writer is still running is left alone."""
    prefix = f".{name}."
    for stale in os.listdir(folder_fd):
        if not (stale.startswith(prefix) and stale.endswith(".tmp")):
            continue
        pid = stale[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and kind_of(folder_fd, stale) == "file":
            os.unlink(stale, dir_fd=folder_fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
