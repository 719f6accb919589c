"""One agreement (the bundled 御船町 変更連携協約書), kyoyaku-pdf against Typst setting the same document
with the same font, in one run. Prints figures and ratios; asserts nothing.

- cold: the whole process (interpreter start, imports, fonts, build, atomic write), as a clerk runs
  it; pairs run in turn, kyoyaku-pdf then Typst; the ratio is the median of the pairs' ratios.
  Once with the per-user font cache as every run after the first finds it, once with it empty.
- warm: one more build in a process that has built once (what ``--watch`` does on a save:
  load, check, proof-read, lay out, write) against Typst's warm compile in its own process.
- size: the two-copy signing PDF against the one-copy file and against Typst's two-copy PDF.

Targets (issue 14): cold ≤ 2.0× Typst, warm ≤ 1.0×, two-copy ≤ 1.02× one copy and ≤ 110 KB.
``python benchmarks/bench_build.py [--quick]``; ``--warm N`` is the in-process worker it runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    AGREEMENT,
    REPO,
    TYPST_MISSING,
    Row,
    env,
    kyoyaku,
    machine,
    median,
    paired,
    run,
    spread,
    table,
    typst,
    typst_available,
)


def ratio_row(figure: str, pairs: list, attribute: str, target: str, scale: float = 1.0, digits: int = 3) -> Row:
    ours = [getattr(a, attribute) for a, _ in pairs]
    theirs = [getattr(b, attribute) for _, b in pairs]
    ratios = [x / y for x, y in zip(ours, theirs)]
    return Row(figure, spread(ours, scale, digits), spread(theirs, scale, digits), f"{median(ratios):.2f}×", target)


def cold_rows(tmp: Path, pairs: int) -> list[Row]:
    ours = kyoyaku("build", AGREEMENT, "-o", tmp / "cold")
    if not typst_available():
        runs = [run(ours) for _ in range(pairs + 1)][1:]
        return [Row("cold whole process, wall s", spread([r.wall for r in runs]), TYPST_MISSING)]
    measured = paired(ours, typst(tmp / "typst.pdf"), pairs)
    rows = [ratio_row("cold whole process, wall s", measured, "wall", "≤ 2.0×"),
            ratio_row("cold whole process, CPU s", measured, "cpu", "≤ 2.0×"),
            ratio_row("cold whole process, peak MiB", measured, "peak_mib", "-", digits=1)]
    empty = []
    for n in range(max(3, pairs // 2)):  # a fresh, empty font cache for every run: the first run ever
        empty.append((run(ours, env(KYOYAKU_CACHE_DIR=str(tmp / f"empty-cache-{n}"))), run(typst(tmp / "typst.pdf"))))
    rows.append(ratio_row("cold, empty font cache, wall s", empty, "wall", "-"))
    return rows


def warm_worker(builds: int) -> None:
    """In this process: build once, then ``builds`` times; print the median in ms as JSON."""
    import time

    sys.path.insert(0, str(REPO / "src"))
    from kyoyaku_pdf.cli.batch import build_one
    from kyoyaku_pdf.cli.build import BuildOptions
    from kyoyaku_pdf.cli.main import set_up_process

    set_up_process()  # the process as `build --watch` has it (the collector's thresholds)
    with tempfile.TemporaryDirectory() as tmp:
        options = BuildOptions(out_dir=Path(tmp))
        assert build_one(AGREEMENT, options).written, "the bundled agreement did not build"
        times = []
        for _ in range(builds):
            start = time.perf_counter()
            build_one(AGREEMENT, options)
            times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"median_ms": median(times)}))


def warm_rows(tmp: Path, rounds: int, builds: int) -> list[Row]:
    """Rounds in turn: ours (``builds`` warm builds in one process), then Typst's (as many)."""
    ours_command = [sys.executable, __file__, "--warm", str(builds)]
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(json.loads(run(ours_command).stdout.splitlines()[-1])["median_ms"])
        if typst_available():
            printed = run(typst(tmp / "typst.pdf", repeat=builds)).stdout
            theirs.append(float(re.search(r"median ([\d.]+) ms", printed).group(1)))
    if not theirs:
        return [Row("warm build in one process, ms", spread(ours, digits=1), TYPST_MISSING)]
    ratios = [x / y for x, y in zip(ours, theirs)]
    return [Row("warm build in one process, ms", spread(ours, digits=1), spread(theirs, digits=1),
                f"{median(ratios):.2f}×", "≤ 1.0×")]


def size_rows(tmp: Path) -> list[Row]:
    run(kyoyaku("build", AGREEMENT, "-o", tmp / "two"))
    run(kyoyaku("build", AGREEMENT, "-o", tmp / "one", "--split-copies"))
    [two] = (tmp / "two").rglob("*.pdf")
    one = next(p for p in (tmp / "one").rglob("*.pdf") if p.name.endswith("-copy1.pdf"))
    two_size, one_size = two.stat().st_size, one.stat().st_size
    rows = [Row("two-copy / one-copy PDF", f"{two_size:,} / {one_size:,} B", "-", f"{two_size / one_size:.2f}×", "≤ 1.02×")]
    if typst_available():
        run(typst(tmp / "typst-size.pdf"))
        theirs = (tmp / "typst-size.pdf").stat().st_size
        rows.append(Row("two-copy PDF, bytes", f"{two_size:,}", f"{theirs:,}", f"{two_size / theirs:.2f}×", "≤ 110,000 B"))
    else:
        rows.append(Row("two-copy PDF, bytes", f"{two_size:,}", TYPST_MISSING, "-", "≤ 110,000 B"))
    return rows


def rows(quick: bool = False) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        return (cold_rows(folder, 3 if quick else 9) + warm_rows(folder, 3 if quick else 5, 10 if quick else 20)
                + size_rows(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test, not a measurement)")
    parser.add_argument("--warm", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:
        return warm_worker(args.warm)
    print(table(rows(args.quick), f"one agreement: {AGREEMENT.relative_to(REPO)} — {machine()}"))


if __name__ == "__main__":
    main()
