"""What the benchmarks share: running a whole process and reading the kernel's own accounting of it,
running two commands in turn (A B A B …) so a ratio holds while the machine's speed drifts, medians,
the Typst yardstick, and the one table ``make bench`` prints.

Absolute times are printed, never asserted: these machines are shared and noisy. Quote the medians
and, against Typst, the median of the ratios of pairs run one right after the other.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"
#: The same 変更連携協約書 set by Typst (copied from shared/anchors/typst), with our BIZ UD Mincho.
TYPST_BUILD = REPO / "benchmarks" / "typst" / "build.py"


@dataclass(frozen=True)
class Run:
    """One finished process: wall and CPU (user + sys) seconds, peak memory of the largest single
    process in its tree (the kernel's ru_maxrss, as wait4 reports it), exit status, output."""

    wall: float
    cpu: float
    peak_mib: float
    status: int
    stdout: str


def env(**extra: str) -> dict[str, str]:
    """This checkout's src/ first, English messages (the benchmarks read some of them)."""
    base = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    path = os.pathsep.join(p for p in (str(REPO / "src"), base.get("PYTHONPATH", "")) if p)
    return {**base, "PYTHONPATH": path, "KYOYAKU_LANG": "en", **extra}


def kyoyaku(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "kyoyaku_pdf", *map(str, args)]


def run(command: Sequence[str], environment: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``command`` to its end; times and memory from the kernel (os.wait4), not from Python.
    Output goes to temporary files, so no pipe can stall the process being timed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=REPO, env=environment or env(), stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if check and process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, stdout)


def paired(a: Sequence[str], b: Sequence[str], pairs: int, warmup: int = 1,
           env_a: dict[str, str] | None = None, env_b: dict[str, str] | None = None) -> list[tuple[Run, Run]]:
    """A and B in turn, ``warmup`` pairs first (not counted), then ``pairs`` counted pairs."""
    for _ in range(warmup):
        run(a, env_a), run(b, env_b)
    return [(run(a, env_a), run(b, env_b)) for _ in range(pairs)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 3) -> str:
    """``median (min–max)``: a wide range says the machine was noisy."""
    return f"{median(values) * scale:.{digits}f} ({min(values) * scale:.{digits}f}–{max(values) * scale:.{digits}f})"


def typst_available() -> bool:
    try:
        import typst
    except ImportError:
        return False
    return TYPST_BUILD.is_file()


def typst(out: Path, repeat: int = 0) -> list[str]:
    """The Typst yardstick as a whole process (``repeat``: also N warm compiles in it)."""
    command = [sys.executable, str(TYPST_BUILD), "--font-dir", str(REPO / "fonts"), "--out", str(out)]
    return command + (["--repeat", str(repeat)] if repeat else [])


TYPST_MISSING = "typst not installed (pip install -e '.[bench]'): no ratios"


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, ours, Typst's, the ratio (ours / Typst), the target."""

    figure: str
    ours: str
    typst: str = "-"
    ratio: str = "-"
    target: str = "-"


def table(rows: Sequence[Row], title: str) -> str:
    """The rows aligned, East Asian wide characters counted as two columns."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    cells = [("figure", "kyoyaku-pdf", "Typst", "ratio", "target")] + [
        (r.figure, r.ours, r.typst, r.ratio, r.target) for r in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(5)]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def command_line(rows: Callable[[bool], Sequence[Row]], doc: str, title: str, quick_help: str) -> None:
    """``python bench_X.py [--quick]``: print the benchmark's rows as one table."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    print(table(rows(parser.parse_args().quick), f"{title} — {machine()}"))


def machine() -> str:
    """Cores and load: a load above the core count means other work shared the machine."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load average {load:.1f} at the start, Python {sys.version.split()[0]}"
