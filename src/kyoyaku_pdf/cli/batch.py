"""Building many agreements at once: in parallel across CPU cores, with progress and a summary.

A change of the 別表 means 19 or more 変更連携協約書 signed the same week. Each agreement is built
in its own worker process; a bad file is reported with its location and does not stop the others,
and the good ones are complete. Nothing crosses a process boundary but plain data (no exceptions),
so every outcome is reported the same way whether it ran in a worker or inline.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from ..errors import ExitStatus, InputError
from ..input.lint import lint
from ..input.loading import LoadedAgreement
from ..pdf.fonts import FontError
from .build import BuildOptions, build_agreement, check_agreement

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class Outcome:
    """What became of one agreement file."""

    source: Path
    status: ExitStatus
    partner: str = ""
    kind: str = ""
    written: tuple[Path, ...] = ()
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    messages: tuple[str, ...] = field(default=())  # located errors and warnings, for stderr

    @property
    def label(self) -> str:
        return {ExitStatus.OK: "ok", ExitStatus.BAD_INPUT: "bad input"}.get(self.status, "internal error")


def build_one(path: Path, options: BuildOptions, strict: bool = False, debug: bool = False) -> Outcome:
    """Check, proof-read and build one agreement; every failure becomes an Outcome, never a raise."""
    start = time.perf_counter()
    try:
        loaded = check_agreement(path)
        warnings = proofread(loaded, strict)
        built = build_agreement(loaded, options)
    except InputError as exc:
        return Outcome(path, ExitStatus.BAD_INPUT, messages=tuple(str(exc).splitlines()), seconds=_since(start))
    except FontError as exc:
        return Outcome(path, ExitStatus.INTERNAL_ERROR, messages=(f"kyoyaku-pdf: {exc}",), seconds=_since(start))
    except Exception as exc:  # a bug: report it, keep building the others
        detail = traceback.format_exc().splitlines() if debug else []
        message = f"{path}: internal error: {type(exc).__name__}: {exc} (this is a bug in kyoyaku-pdf; rerun with --debug)"
        return Outcome(path, ExitStatus.INTERNAL_ERROR, messages=(*detail, message), seconds=_since(start))
    agreement = loaded.agreement
    return Outcome(
        path, ExitStatus.OK, agreement.partner.municipality, agreement.kind, built.written,
        pages=built.pages, size=built.size, seconds=_since(start),
        messages=warnings,
    )


def proofread(loaded: LoadedAgreement, strict: bool) -> tuple[str, ...]:
    """The 公用文 warnings of a checked agreement as message lines; with ``strict`` they are
    errors (InputError), so the agreement is not built."""
    warnings = lint(loaded.texts)
    if strict and warnings:
        raise InputError([replace(w, message=f"(strict) {w.message}") for w in warnings])
    return tuple(f"{w.location}: {w.field}: warning: {w.message}" for w in warnings)


def _since(start: float) -> float:
    return time.perf_counter() - start


def build_all(
    paths: list[Path], options: BuildOptions, *, strict: bool = False, debug: bool = False,
    jobs: int | None = None, on_done: Callable[[int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every file, in parallel when there are several; outcomes in the order of ``paths``."""
    jobs = min(jobs or os.cpu_count() or 1, len(paths))
    if jobs <= 1:
        outcomes = []
        for path in paths:
            outcomes.append(build_one(path, options, strict, debug))
            if on_done:
                on_done(len(outcomes), outcomes[-1])
        return outcomes
    # imported here: a single build needs no pool (~12 ms). fork: the workers inherit the imported
    # modules; each loads the fonts itself (from the disk cache), in parallel, nothing in the parent first
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures: list[Future[Outcome]] = [pool.submit(build_one, p, options, strict, debug) for p in paths]
        done = 0
        for future in as_completed(futures):
            done += 1
            if on_done:
                on_done(done, future.result())
        return [f.result() for f in futures]


class Progress:
    """A one-line progress bar on a terminal; plain lines when the output is a file or pipe."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr  # looked up now, so a redirected stderr is honoured
        self.tty = self.stream.isatty()

    def __call__(self, done: int, outcome: Outcome) -> None:
        name = outcome.source.name
        if self.tty:
            width = 30
            filled = width * done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {name[:40]:<40}")
            if done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{self.total}] {outcome.label}: {outcome.source} ({outcome.seconds:.2f} s)\n")
        self.stream.flush()


def summary_table(outcomes: list[Outcome]) -> str:
    """partner, kind, pages, bytes, time, status — one row per agreement, aligned for a terminal."""
    rows = [("partner", "kind", "pages", "bytes", "time", "status", "file")]
    for o in outcomes:
        rows.append((o.partner or "-", o.kind or "-", str(o.pages) if o.pages else "-",
                     f"{o.size:,}" if o.size else "-", f"{o.seconds:.2f} s", o.label, str(o.source)))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i], right=i in (2, 3, 4)) for i, cell in enumerate(row)).rstrip() for row in rows]
    ok = sum(o.status == ExitStatus.OK for o in outcomes)
    lines.append(f"{ok} of {len(outcomes)} built")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill
