"""Building many agreements at once: in parallel across CPU cores, with progress and a summary.

A change of the 別表 means 19 or more 変更連携協約書 signed the same week. The agreements are built in forked
worker processes, one per core, each building one after another; a bad file is reported with its
location and does not stop the others, and the good ones are complete. A process that dies (killed,
out of memory, a crash in a C library) is that one agreement's failure ("worker died"): the others
finish and the summary is printed. Nothing crosses a process boundary but plain data (an Outcome),
so every outcome is reported the same way whether it ran in a worker or inline.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TextIO

from ..errors import ExitStatus, InputError, KyoyakuError, Problem, Report, describe
from ..input.lint import lint
from ..input.loading import LoadedAgreement
from ..messages import text
from .build import BuildOptions, build_agreement, check_agreement
from .common import columns

#: Test hook: the worker building the agreement file of this name kills itself (``NAME``: SIGKILL;
#: ``NAME:exit``: os._exit(3)), so the tests can prove a dead worker fails only its agreement.
KILL_WORKER_ENV = "KYOYAKU_TEST_KILL_WORKER"


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
    #: why it failed (None when built)
    failure: Report | None = None
    #: 公用文 proof-reading warnings of a built agreement
    warnings: tuple[Problem, ...] = field(default=())
    agreement_id: str = ""
    #: the files the agreement was made from, when it loaded (``--watch`` watches them, without
    #: loading the agreement again)
    sources: tuple[Path, ...] = ()

    @property
    def label(self) -> str:
        """The status column of the summary table, in the user's language."""
        if self.failure is not None and self.failure.code == WorkerDied.code:
            return text("status-worker-died")
        return text(_LABELS.get(self.status, "status-internal-error"))


_LABELS = {
    ExitStatus.OK: "status-ok",
    ExitStatus.BAD_INPUT: "status-bad-input",
    ExitStatus.INSTALLATION: "status-installation",
    ExitStatus.INTERRUPTED: "status-interrupted",
}


class WorkerDied(KyoyakuError):
    """The process building one agreement ended without a result; that agreement was not built."""

    code = "worker-died"


def build_one(path: Path, options: BuildOptions, strict: bool = False, debug: bool = False) -> Outcome:
    """Check, proof-read and build one agreement; every failure becomes an Outcome, never a raise."""
    start = time.perf_counter()
    loaded = None
    try:
        loaded = check_agreement(path)
        warnings = proofread(loaded, strict)
        built = build_agreement(loaded, options)
    except Exception as exc:  # each kind is described by the one error boundary
        report = describe(exc, source=path, debug=debug)
        sources = loaded.agreement.sources if loaded else ()
        return Outcome(path, report.status, seconds=_since(start), failure=report, sources=sources)
    agreement = loaded.agreement
    return Outcome(
        path, ExitStatus.OK, agreement.partner.municipality, agreement.kind, built.written,
        pages=built.pages, size=built.size, seconds=_since(start), warnings=warnings, agreement_id=agreement.id,
        sources=agreement.sources,
    )


def proofread(loaded: LoadedAgreement, strict: bool) -> tuple[Problem, ...]:
    """The 公用文 warnings of a checked agreement; with ``strict`` they are errors (InputError), so
    the agreement is not built."""
    warnings = lint(loaded.texts)
    if strict and warnings:
        raise InputError([replace(w, message=f"({text('strict')}) {w.message}") for w in warnings])
    return tuple(replace(w, severity="warning") for w in warnings)


def _since(start: float) -> float:
    return time.perf_counter() - start


def build_all(
    paths: list[Path], options: BuildOptions, *, strict: bool = False, debug: bool = False,
    jobs: int | None = None, on_done: Callable[[int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every file, in parallel when there are several; outcomes in the order of ``paths``."""
    jobs = min(jobs or usable_cores(), len(paths))
    if jobs <= 1:
        outcomes = []
        for path in paths:
            outcomes.append(build_one(path, options, strict, debug))
            if on_done:
                on_done(len(outcomes), outcomes[-1])
        return outcomes
    return _in_workers(paths, lambda path: build_one(path, options, strict, debug), jobs, on_done)


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine has when it is pinned (taskset,
    a container's CPU set), where one worker per core of the machine would only take turns."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def _in_workers(
    paths: list[Path], work: Callable[[Path], Outcome], jobs: int, on_done: Callable[[int, Outcome], None] | None,
) -> list[Outcome]:
    """``jobs`` forked worker processes, each building one agreement after another (so each keeps
    its warm caches). Not a ProcessPoolExecutor: a pool whose worker dies is broken for every task
    still in it (BrokenProcessPool); here a death fails only the agreement that worker was building,
    a fresh worker takes its place, and the rest are built as usual. When no process can be started
    (fork: the user's process limit, no memory), the agreements wait for a worker there is, or are
    built here, one after the other, as with ``-j 1``."""
    from .workers import Worker, WorkerGone, ready

    _warm_fonts()
    serve = _serving(work)
    pending = list(enumerate(paths))
    idle: list[Worker] = []
    leaving: list[Worker] = []
    busy: dict[Worker, tuple[int, Path]] = {}
    outcomes: dict[int, Outcome] = {}

    def record(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_done:
            on_done(len(outcomes), outcome)

    try:
        while pending or busy:
            while pending and len(busy) < jobs:
                try:
                    worker = idle.pop() if idle else Worker(serve)
                except OSError:  # no process to be had: wait for a busy worker, or build it here
                    if busy:
                        break
                    index, path = pending.pop(0)
                    record(index, work(path))
                    continue
                busy[worker] = pending.pop(0)
                try:
                    worker.send(str(busy[worker][1]))
                except WorkerGone:  # it died while idle: its end reads as EOF below, "worker died"
                    pass
            for worker in ready(list(busy)) if busy else ():
                index, path = busy.pop(worker)
                try:
                    outcome: Outcome = worker.receive()
                except WorkerGone:
                    outcome = _died(path, worker.stop(grace=1.0))  # its pipe closed: it is ending
                else:
                    if pending:
                        idle.append(worker)
                    else:  # nothing left for it: it leaves while the others finish
                        worker.leave()
                        leaving.append(worker)
                record(index, outcome)
    finally:  # done, or interrupted (Ctrl-C reaches the workers too: each cleans up and leaves)
        for worker in idle:
            worker.leave()
        for worker in idle + leaving:
            worker.stop()
        for worker in busy:
            worker.stop(grace=3.0)
    return [outcomes[i] for i in range(len(paths))]


def _serving(work: Callable[[Path], Outcome]) -> Callable[[str], Outcome]:
    """What a worker runs for each path it is sent (as a string: plain data): the test hook, then
    the work."""
    def serve(name: str) -> Outcome:
        path = Path(name)
        _test_hook(path)
        return work(path)
    return serve


def _warm_fonts() -> None:
    """Register the main font once in the parent, so no worker parses it again; a missing font is
    left for each worker to report as its outcome."""
    from ..pdf.fonts import MINCHO, FontError, codepoints, register

    try:
        register(MINCHO)
        codepoints(MINCHO)
    except FontError:
        pass


def _test_hook(path: Path) -> None:
    hook = os.environ.get(KILL_WORKER_ENV, "")
    if hook and hook.split(":")[0] == path.name:
        if hook.endswith(":exit"):
            os._exit(3)
        os.kill(os.getpid(), signal.SIGKILL)


def _died(path: Path, exitcode: int | None) -> Outcome:
    """The outcome of an agreement whose worker ended without answering: "worker died"."""
    report = describe(WorkerDied(text("worker-died", how=_how_it_ended(exitcode))), source=path)
    return Outcome(path, report.status, failure=report)


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return text("ended-by-signal", signal=signal.Signals(-exitcode).name)
        except ValueError:
            return text("ended-by-signal", signal=str(-exitcode))
    return text("ended-with-status", status=exitcode)


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
            self.stream.write(f"[{done}/{self.total}] {outcome.label}: {outcome.source} "
                              f"({text('seconds', seconds=outcome.seconds)})\n")
        self.stream.flush()


def summary_table(outcomes: list[Outcome]) -> str:
    """partner, kind, pages, bytes, time, status — one row per agreement, aligned for a terminal."""
    rows = [tuple(text(f"column-{name}") for name in ("partner", "kind", "pages", "bytes", "time", "status", "file"))]
    for o in outcomes:
        rows.append((o.partner or "-", o.kind or "-", str(o.pages) if o.pages else "-",
                     f"{o.size:,}" if o.size else "-", text("seconds", seconds=o.seconds), o.label, str(o.source)))
    widths = [max(columns(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i], right=i in (2, 3, 4)) for i, cell in enumerate(row)).rstrip() for row in rows]
    ok = sum(o.status == ExitStatus.OK for o in outcomes)
    lines.append(text("built-of", ok=ok, total=len(outcomes)))
    return "\n".join(lines)


def _pad(cell: str, width: int, right: bool) -> str:
    fill = " " * (width - columns(cell))
    return fill + cell if right else cell + fill
