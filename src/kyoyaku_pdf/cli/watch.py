"""``build --watch``: rebuild an agreement whenever one of its files is saved.

A clerk keeps the PDF open beside the editor; each save rebuilds (atomically, so the viewer never
sees half a file) and reports the time it took or the located error. The files watched are each
agreement's own sources (its file, the shared texts, the 別表), found anew after every build, and
the folders named on the command line, so a new partner's file saved there is built too.
Polling modification times keeps this free of platform-specific file-watch libraries.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..errors import KyoyakuError
from .batch import Outcome, build_one
from .build import BuildOptions, agreement_files, check_agreement


def sources_of(path: Path, previous: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The files an agreement is made from. While it does not load, the files it was made from
    before stay watched (a broken shared file must still be seen when it is mended)."""
    try:
        return check_agreement(path).agreement.sources
    except (KyoyakuError, OSError):
        return tuple(dict.fromkeys((path, *previous)))


def _stamp(paths: set[Path]) -> dict[Path, float]:
    stamps = {}
    for path in paths:
        try:
            stamps[path] = path.stat().st_mtime_ns
        except OSError:
            stamps[path] = -1  # deleted or unreadable: a change too
    return stamps


def watch(
    agreements: list[Path], options: BuildOptions, report: Callable[[Outcome], None], *,
    interval: float = 0.3, should_stop: Callable[[], bool] = lambda: False, strict: bool = False,
    folders: list[Path] | tuple[Path, ...] = (), on_new: Callable[[Path], None] = lambda _: None,
) -> None:
    """Build every agreement, then rebuild each one whose files change, until ``should_stop()``.
    An agreement file newly saved in one of ``folders`` is built and watched from then on."""
    watched = {path: sources_of(path) for path in agreements}
    stamps = _stamp({f for files in watched.values() for f in files})  # before building: a save
    for path in agreements:                                              # during the build counts
        report(build_one(path, options, strict))
    while not should_stop():
        time.sleep(interval)
        for path in _new_agreements(folders, watched):
            on_new(path)
            watched[path] = sources_of(path)
            stamps.update(_stamp(set(watched[path])))
            report(build_one(path, options, strict))
        now = _stamp({f for files in watched.values() for f in files})
        changed = {f for f in now if now[f] != stamps.get(f)}
        if not changed:
            continue
        stamps = now
        for path, files in watched.items():
            if changed & set(files):
                report(build_one(path, options, strict))
                watched[path] = sources_of(path, files)
        stamps.update(_stamp({f for files in watched.values() for f in files} - set(stamps)))


def _new_agreements(folders: list[Path] | tuple[Path, ...], watched: dict[Path, tuple[Path, ...]]) -> list[Path]:
    """Agreement files in the watched folders that are not watched yet (a partner file just saved)."""
    return [path for folder in folders for path in agreement_files(folder) if path not in watched]
