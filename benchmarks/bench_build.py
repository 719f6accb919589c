"""Benchmark of `kyoyaku-pdf build` on the bundled agreement; prints figures, asserts nothing.

Cold: the whole process (Python start, imports, font loading, build, write), as a clerk runs it.
Warm: one more build in a process that has already built once (the --watch / batch case).
Targets (issue #2): cold ≤ 1.0 s, warm ≤ 150 ms, two-copy PDF ≤ 200 KB; ratios < 1 meet them.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kyoyaku_pdf.cli.build import BuildOptions, build_agreement  # noqa: E402

AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"
TARGETS = {"cold_s": 1.0, "warm_ms": 150.0, "bytes": 200 * 1000}


def cold_runs(out: Path, runs: int) -> list[float]:
    """Whole-process wall time of the real command, each a fresh interpreter."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", str(AGREEMENT), "-o", str(out)],
                       cwd=REPO, check=True, capture_output=True, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
        times.append(time.perf_counter() - start)
    return times


def warm_runs(out: Path, runs: int) -> tuple[list[float], Path]:
    """In-process build time after a first build (load, check, lay out, write)."""
    options = BuildOptions(out_dir=out)
    pdf = build_agreement(AGREEMENT, options).written[0]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build_agreement(AGREEMENT, options)
        times.append(time.perf_counter() - start)
    return times, pdf


def page_count(data: bytes) -> int:
    """Page objects in the file (``/Type /Page`` not followed by ``s``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold = cold_runs(out, 7)
        warm, pdf = warm_runs(out, 20)
        data = pdf.read_bytes()
    size = len(data)
    cold_s, warm_ms = statistics.median(cold), statistics.median(warm) * 1000
    print(f"bundled agreement: {AGREEMENT.relative_to(REPO)}")
    print(f"cold whole process : median {cold_s:.3f} s  (min {min(cold):.3f}, max {max(cold):.3f}, n={len(cold)})"
          f"  target {TARGETS['cold_s']} s  ratio {cold_s / TARGETS['cold_s']:.2f}")
    print(f"warm build         : median {warm_ms:.1f} ms (min {min(warm)*1000:.1f}, max {max(warm)*1000:.1f}, n={len(warm)})"
          f"  target {TARGETS['warm_ms']:.0f} ms  ratio {warm_ms / TARGETS['warm_ms']:.2f}")
    print(f"two-copy PDF       : {size:,} bytes, {page_count(data)} pages"
          f"  target {TARGETS['bytes']:,} bytes  ratio {size / TARGETS['bytes']:.2f}")


if __name__ == "__main__":
    main()
