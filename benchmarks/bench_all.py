"""``make bench``: every benchmark, one table — one agreement against Typst (cold, warm, size), the
23-partner batch, ``--watch`` latency and the nationwide scale run. Prints; asserts nothing.
``python benchmarks/bench_all.py [--quick] [--skip-scale]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_batch
import bench_build
import bench_scale
import bench_watch
from harness import TYPST_MISSING, machine, table, typst_available


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test, not a measurement)")
    parser.add_argument("--skip-scale", action="store_true", help="leave out the nationwide run (~1–2 min)")
    args = parser.parse_args()
    heading = machine()  # the load before this run added its own
    rows = bench_build.rows(args.quick) + bench_batch.rows(args.quick) + bench_watch.rows(args.quick)
    if not args.skip_scale:
        rows += bench_scale.rows(args.quick)
    print(table(rows, f"kyoyaku-pdf benchmarks — {heading}"))
    print("medians (min–max); ratio = kyoyaku-pdf / Typst, the median of pairs run in turn; absolute times vary "
          "with the machine's load: compare ratios")
    if not typst_available():
        print(TYPST_MISSING)


if __name__ == "__main__":
    main()
