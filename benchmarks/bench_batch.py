"""Benchmark of a batch build: 23 synthetic partners (clearly synthetic, in a temporary folder).

Whole process from a cold start (`python -m kyoyaku_pdf build DIR`), in parallel (one worker per
core) and sequentially (-j 1); prints total time, time per agreement and the speed-up. Target
(issue #6): all 23 signing PDFs in ≤ 5 s whole-process. Asserts nothing; the figures are printed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARTNERS = 23
TARGET_S = 5.0


def synthetic_partners(folder: Path, count: int = PARTNERS) -> list[Path]:
    """``count`` partner files named 合成町NN (never real municipalities); every fifth a 締結."""
    shutil.copytree(REPO / "data" / "common", folder / "common")
    files = []
    for n in range(1, count + 1):
        kind, common = ("締結", "kumamoto-teiketsu-r7.yaml") if n % 5 == 0 else ("変更", "kumamoto-henko-r7.yaml")
        path = folder / f"synthetic-{n:02d}.yaml"
        path.write_text(
            f"id: synthetic-{n:02d}\nkind: {kind}\ncommon: common/{common}\ndate: 2025-03-24\n"
            f"partner:\n  address: 合成県合成町大字合成{n}番地\n  municipality: 合成町{n:02d}\n"
            f"  office: 合成町{n:02d}長\n  name: 合成太郎{n:02d}\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def run(folder: Path, out: Path, jobs: int | None) -> float:
    command = [sys.executable, "-m", "kyoyaku_pdf", "build", str(folder), "-o", str(out)]
    if jobs:
        command += ["-j", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        synthetic_partners(folder)
        parallel = [run(folder, Path(tmp) / f"p{i}", None) for i in range(3)]
        sequential = [run(folder, Path(tmp) / f"s{i}", 1) for i in range(3)]
        pdfs = list((Path(tmp) / "p0").rglob("*.pdf"))
    p, s = statistics.median(parallel), statistics.median(sequential)
    print(f"{PARTNERS} synthetic partners ({len(pdfs)} signing PDFs), {os.cpu_count()} cores, cold whole process, median of 3")
    print(f"parallel   : {p:.2f} s total, {p / PARTNERS * 1000:.0f} ms per agreement  target {TARGET_S} s  ratio {p / TARGET_S:.2f}")
    print(f"sequential : {s:.2f} s total, {s / PARTNERS * 1000:.0f} ms per agreement")
    print(f"speed-up   : {s / p:.2f}x")


if __name__ == "__main__":
    main()
