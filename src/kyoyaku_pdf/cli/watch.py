"""``build --watch``: rebuild an agreement whenever one of its files is saved.

A clerk keeps the PDF open beside the editor; each save rebuilds (atomically, so the viewer never
sees half a file) and reports the time it took or the located error. The files watched are each
agreement's own sources (its file, the shared texts, the 別表) as its last build read them, and
the folders named on the command line, so a new partner's file saved there is built too.

How a save is seen: on Linux the kernel says so at once (inotify, through libc: no dependency);
elsewhere, or when the kernel refuses (too many watches), the files are looked at every
``POLL`` seconds. Either way the truth is each file's stamp (mtime, size, inode): an event only
says "look now", and a look every ``BACKSTOP`` seconds catches what no event reports (a network
folder). A changed file is built only once it is complete — its writer closed it or renamed it
into place, or it has not changed for ``SETTLE`` seconds — so an editor's truncate-then-write is
not built half-written into a wrong PDF; a build that still fails on a half-saved file reports
the error, keeps the last good PDF, and the file is built again when it settles.
"""

from __future__ import annotations

import ctypes
import errno
import os
import select
import struct
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Self

from ..errors import KyoyakuError
from ..input.loading import load_agreement
from .batch import Outcome, build_all, build_one
from .build import BuildOptions
from .common import agreement_files

#: seconds between looks at the files when the kernel does not say when they change (a look is a
#: ``stat`` per file: ~0.7 % of a core at this rate, measured in docs/performance.md)
POLL = 0.05
#: seconds between looks even when it does: what no event reports (a network folder) is seen too
BACKSTOP = 1.0
#: seconds a changed file must stay unchanged before it is built, unless its writer closed it or
#: renamed it into place (then it is built at once)
SETTLE = 0.1
#: seconds within which two changes may show the same modification time (FAT keeps 2 s)
COARSE = 2.0

#: (mtime_ns, size, inode) of a file; None while it does not exist
Stamp = tuple[int, int, int] | None


def stamp(path: Path) -> Stamp:
    """What tells one version of a file from the next: mtime alone can repeat on a coarse clock
    (FAT keeps 2 s), a rename over the file changes the inode, a rewrite the size."""
    try:
        st = path.stat()
    except OSError:
        return None  # deleted or unreadable: a change too
    return st.st_mtime_ns, st.st_size, st.st_ino


def sources_of(path: Path) -> tuple[Path, ...]:
    """The files an agreement is made from, before its first build (so a save during that build
    is seen); just the file itself while it does not load."""
    try:
        return load_agreement(path).agreement.sources
    except (KyoyakuError, OSError):
        return (path,)


def sources_after(outcome: Outcome, previous: tuple[Path, ...]) -> tuple[Path, ...]:
    """The files to watch after a build: those it read; when it failed before knowing them, the
    files it was made from before and every file its problems name (a broken shared file must
    still be seen when it is mended)."""
    if outcome.sources:
        return outcome.sources
    named = (Path(p.location.file) for p in (outcome.failure.problems if outcome.failure else ()) if p.location.file)
    return tuple(dict.fromkeys(f for f in (outcome.source, *previous, *named) if not f.is_dir()))


def watch(
    agreements: list[Path], options: BuildOptions, report: Callable[[Outcome], None], *,
    interval: float = POLL, should_stop: Callable[[], bool] = lambda: False, strict: bool = False,
    folders: list[Path] | tuple[Path, ...] = (), on_new: Callable[[Path], None] = lambda _: None,
) -> None:
    """Build every agreement, then rebuild each one whose files change, until ``should_stop()``.
    An agreement file newly saved in one of ``folders`` is built and watched from then on.
    ``interval``: seconds between looks when the kernel gives no events."""
    with waker() as wakes:
        watcher = _Watcher(options, report, strict, wakes, interval)
        watcher.build(agreements)
        listing = _Listing(folders, wakes)
        while not should_stop():
            events = wakes.wait(watcher.timeout())
            for path in listing.new(watcher.built):
                on_new(path)
                watcher.add(path)
            watcher.look(events)
            watcher.build(watcher.due())


class _Watcher:
    """Which agreement is made from which files, the stamps its last build read, and which
    changed files are complete."""

    def __init__(self, options: BuildOptions, report: Callable[[Outcome], None], strict: bool,
                 waker: Poller, interval: float) -> None:
        self.options, self.report, self.strict, self.waker = options, report, strict, waker
        self.interval = interval
        #: agreement → each of its files' stamp as its last build read it
        self.built: dict[Path, dict[Path, Stamp]] = {}
        #: file → its stamp at the last look, and since when (monotonic) it has been so
        self.seen: dict[Path, tuple[Stamp, float]] = {}
        #: file → its stamp when its writer was last seen closing it (an event)
        self.closed: dict[Path, Stamp] = {}
        #: agreements found in a watched folder and not built yet
        self.fresh: set[Path] = set()

    def look(self, events: dict[str, bool]) -> None:
        """Stamp every watched file; note those whose writer has finished (``events``: path →
        whether the last event on it ended a write: closed, renamed in, deleted)."""
        clock = time.monotonic()
        for path in {f for files in self.built.values() for f in files}:
            now = stamp(path)
            if path not in self.seen or self.seen[path][0] != now:
                self.seen[path] = (now, clock)
            ended = next((events[key] for key in _keys(path) if key in events), None) if events else None
            if ended is True:
                self.closed[path] = now
            elif ended is False:
                self.closed.pop(path, None)

    def changed(self, agreement: Path) -> set[Path]:
        return {f for f, built in self.built[agreement].items() if self.seen[f][0] != built}

    def settles_in(self, path: Path) -> float:
        """Seconds until a changed file counts as complete (≤ 0: it does): at once when its writer
        closed it as it is now; else SETTLE after it was last modified (its writer has been done
        that long) or after it was first seen as it is (a deleted file, a modification time from
        another clock), whichever comes first."""
        now, since = self.seen[path]
        by_sight = SETTLE - (time.monotonic() - since)
        if now is None:
            return by_sight
        if self.closed.get(path) == now:
            return 0.0
        return min(by_sight, SETTLE - (time.time_ns() - now[0]) / 1e9)

    def due(self) -> list[Path]:
        """The agreements to build now: some file changed, and every changed file complete."""
        return [a for a in self.built if (files := self.changed(a)) and all(self.settles_in(f) <= 0 for f in files)]

    def timeout(self) -> float:
        """How long to wait for an event: until the first changed file would settle, else until
        the next look the kernel's silence cannot excuse."""
        waiting = [self.settles_in(f) for a in self.built for f in self.changed(a)]
        return max(0.005, min([BACKSTOP if self.waker.events else self.interval, *(w for w in waiting if w > 0)]))

    def build(self, agreements: list[Path]) -> None:
        """Build ``agreements`` and watch the files each build read, with the stamps they had
        before it (a save during the build is a change). The first is built in this process, so
        it is warm for the next save (parsed fonts, broken lines); the others in workers forked
        from it, in parallel, sharing what it has warmed."""
        before = {a: self._before(a) for a in agreements}
        self.waker.add(_folders_of(f for stamps in before.values() for f in stamps))

        def finished(outcome: Outcome) -> None:
            agreement, stamps = outcome.source, before[outcome.source]
            files = sources_after(outcome, tuple(stamps))
            self.waker.add(_folders_of(files))
            self.built[agreement] = {f: stamps[f] if f in stamps else stamp(f) for f in files}
            self.fresh.discard(agreement)
            for path in files:
                self.seen.setdefault(path, (self.built[agreement][path], time.monotonic()))
            self.report(outcome)

        if agreements:
            finished(build_one(agreements[0], self.options, self.strict))
        if agreements[1:]:
            build_all(agreements[1:], self.options, strict=self.strict, on_done=lambda _, outcome: finished(outcome))

    def add(self, agreement: Path) -> None:
        """A new agreement file: absent until now, so built once it is complete."""
        self.built[agreement] = {agreement: None}
        self.fresh.add(agreement)

    def _before(self, agreement: Path) -> dict[Path, Stamp]:
        """The stamps of the files a build is about to read: as last looked at (the version judged
        complete); for an agreement never built, its files found by loading it, as they are now."""
        if agreement in self.built and agreement not in self.fresh:
            return {f: self.seen[f][0] for f in self.built[agreement]}
        return {f: stamp(f) for f in sources_of(agreement)}


class _Listing:
    """New agreement files in the watched folders, listed again only when a folder's stamp
    changes — or while its mtime is under COARSE old, since a clock that coarse (FAT keeps 2 s)
    can hide a second change within the same tick."""

    def __init__(self, folders: Iterable[Path], waker: Poller) -> None:
        self.folders = {folder: stamp(folder) for folder in folders}
        waker.add({key for folder in self.folders for key in (os.path.abspath(folder), os.path.realpath(folder))})

    def new(self, known: Iterable[Path]) -> list[Path]:
        found: list[Path] = []
        for folder, last in self.folders.items():
            now = stamp(folder)
            if now == last and (now is None or time.time_ns() - now[0] >= COARSE * 1e9):
                continue
            self.folders[folder] = now
            found += [p for p in agreement_files(folder) if p not in known and p not in found]
        return found


def _folders_of(files: Iterable[Path]) -> set[str]:
    return {os.path.dirname(key) for path in files for key in _keys(path)}


def _keys(path: Path) -> set[str]:
    """The names the kernel may report a file by: as written (folders normalised) and, through
    any symbolic link, as it really is."""
    absolute = os.path.abspath(path)
    return {absolute, os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute)),
            os.path.realpath(absolute)}


class Poller:
    """Waits for the next look: simply a sleep (the fallback where the kernel does not say)."""

    events = False

    def add(self, folders: Iterable[str]) -> None:
        """Watch ``folders`` (nothing to do when polling)."""

    def wait(self, timeout: float) -> dict[str, bool]:
        """Sleep ``timeout`` seconds, or less when the kernel reports a change; the changes seen,
        by path: whether the last one ended a write."""
        time.sleep(timeout)
        return {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        pass


# inotify(7): the events of a watched folder, and the ones that end a write
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_IGNORED, _IN_ONLYDIR = 0x400, 0x800, 0x8000, 0x01000000
_FOLDER_EVENTS = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
                  | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_ONLYDIR)
_WRITE_ENDED = _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_MOVED_FROM | _IN_DELETE
_WRITING = _IN_MODIFY | _IN_CREATE
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of NUL-padded name


class Inotify(Poller):
    """Linux's inotify (inotify(7)) through libc. Folders are watched, not files: an editor that
    saves by writing a new file and renaming it over the old one replaces the file's inode, not
    its folder's. If the kernel refuses a folder (the per-user limit of watches), this falls back
    to looking every ``POLL`` seconds."""

    events = True

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._add_watch = libc.inotify_add_watch
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        self.folders: dict[int, str] = {}

    def add(self, folders: Iterable[str]) -> None:
        for folder in set(folders) - set(self.folders.values()):
            wd = self._add_watch(self.fd, os.fsencode(folder), _FOLDER_EVENTS)
            if wd < 0 and ctypes.get_errno() != errno.ENOENT:  # a folder not there yet (looked at anyway)
                self.events = False  # the kernel will not say: look every POLL seconds instead
            elif wd >= 0:
                self.folders[wd] = folder

    def wait(self, timeout: float) -> dict[str, bool]:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        changes: dict[str, bool] = {}
        while ready:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            for wd, mask, name in _events(data):
                if mask & _IN_IGNORED:  # the folder was removed: watched again if it comes back
                    self.folders.pop(wd, None)
                elif wd in self.folders and (mask & (_WRITE_ENDED | _WRITING)):
                    changes[os.path.join(self.folders[wd], name)] = not mask & _WRITING
        return changes

    def __exit__(self, *_: object) -> None:
        os.close(self.fd)


def _events(data: bytes) -> Iterable[tuple[int, int, str]]:
    """(watch descriptor, mask, name) of each event in one read of the inotify descriptor."""
    offset = 0
    while offset + _EVENT.size <= len(data):
        wd, mask, _, length = _EVENT.unpack_from(data, offset)
        offset += _EVENT.size
        yield wd, mask, os.fsdecode(data[offset:offset + length].rstrip(b"\0"))
        offset += length


def waker() -> Poller:
    """inotify where the kernel has it, else the polling sleep."""
    if sys.platform.startswith("linux"):
        try:
            return Inotify()
        except (OSError, AttributeError):  # no inotify (an old or unusual libc), or no descriptors left
            pass
    return Poller()
