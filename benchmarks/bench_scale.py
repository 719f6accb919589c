"""Scale: every partner of every 連携中枢都市圏 in Japan, from synthetic partners — 38 圏域, 376
members counted with their hubs (総務省, 2024-04-01), so 338 bilateral agreements.

Prints the wall time and peak memory (largest single process) of building them all on the cores
there are, how the time grows with the number of agreements (a least-squares line through
subsets of 1/8, 1/4, 1/2 and all of them, its R² and each point's deviation from it: linear means
R² ≈ 1 and a cost per agreement that stays put), and whether the outputs are byte-identical
whatever -j (SHA-256 of every PDF, -j 1 against the default). Asserts nothing.
``python benchmarks/bench_scale.py [--quick]`` (quick: 1/8 of the agreements).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Row, command_line, kyoyaku, run
from synthetic import MEMBERS, REGIONS, nationwide


def fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least squares t = a + b·n: (a, b, R²)."""
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    a = my - b * mx
    total = sum((y - my) ** 2 for _, y in points)
    residual = sum((y - a - b * x) ** 2 for x, y in points)
    return a, b, 1 - residual / total if total else 1.0


def _line(points: list[tuple[int, float]], what: str) -> list[Row]:
    """The fitted line of one figure, and the points with their worst deviation from it."""
    a, b, r2 = fit(points)
    deviation = max(abs(y - (a + b * x)) / (a + b * x) for x, y in points)
    return [Row(f"scale: {what} s = a + b·n", f"b {b * 1000:.0f} ms/agreement, a {a:.2f} s, R² {r2:.4f}", target="R² ≈ 1"),
            Row(f"scale: n → {what} s (worst deviation)",
                ", ".join(f"{x}: {y:.1f}" for x, y in points) + f" ({deviation * 100:.0f} %)")]


def combined_digest(out: Path) -> tuple[int, str]:
    """(number of PDFs, one SHA-256 over every PDF's path and SHA-256, in path order)."""
    pdfs = sorted(out.rglob("*.pdf"))
    lines = "".join(f"{p.relative_to(out)} {hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in pdfs)
    return len(pdfs), hashlib.sha256(lines.encode()).hexdigest()


def rows(quick: bool = False) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        files = nationwide(Path(tmp) / "data")
        if quick:
            files = files[: len(files) // 8]
        sizes = sorted({max(2, len(files) * k // 8) for k in (1, 2, 4, 8)})
        points, cpu_points, full = [], [], None
        for size in sizes:
            measured = run(kyoyaku("build", *files[:size], "-o", Path(tmp) / f"out-{size}"))
            points.append((size, measured.wall))
            cpu_points.append((size, measured.cpu))
            full = measured
        single = run(kyoyaku("build", *files, "-o", Path(tmp) / "out-j1", "-j", "1"))
        count, parallel_digest = combined_digest(Path(tmp) / f"out-{sizes[-1]}")
        _, single_digest = combined_digest(Path(tmp) / "out-j1")
    lines = [*_line(points, "wall"), *_line(cpu_points, "CPU")]
    scope = f"{len(files)} agreements ({REGIONS} 圏域, {MEMBERS} members)" if not quick else f"{len(files)} agreements (quick)"
    return [
        Row(f"scale: {scope}, wall s (default -j)", f"{full.wall:.1f}"),
        Row("scale: same, -j 1, wall s / CPU s", f"{single.wall:.1f} / {single.cpu:.1f}"),
        Row("scale: peak memory, largest process, MiB", f"{full.peak_mib:.0f} (-j 1: {single.peak_mib:.0f})"),
        *lines,
        Row(f"scale: {count} PDFs byte-identical across -j", "yes" if parallel_digest == single_digest else "NO",
            target="yes"),
    ]


def main() -> None:
    command_line(rows, __doc__, "scale", "1/8 of the agreements (a smoke test)")


if __name__ == "__main__":
    main()
