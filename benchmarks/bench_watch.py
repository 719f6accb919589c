"""``build --watch``: how long from saving a YAML file until the rebuild is reported.

Starts the real command on a copy of the bundled data, waits for its first build, then saves the
partner file again and again (at moments unrelated to the watcher's polling) and times each save
to the report line (the one naming the written PDF). Target (issue 14): ≤ 150 ms. Asserts nothing.
``python benchmarks/bench_watch.py [--quick]``
"""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import AGREEMENT, REPO, Row, command_line, env, kyoyaku, spread

TIMEOUT = 20.0  # seconds to wait for any one report before giving up


def _lines(stream, sink: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    """Every line the watcher prints, with the moment it arrived."""
    for line in stream:
        sink.put((time.perf_counter(), line))


def _report_after(sink: queue.Queue, moment: float, name: str) -> float:
    """The arrival time of the first report line naming ``name`` printed after ``moment``."""
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        try:
            arrived, line = sink.get(timeout=TIMEOUT)
        except queue.Empty:
            break
        if arrived >= moment and name in line:
            return arrived
    raise SystemExit("the watcher reported no rebuild")


def latencies(saves: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data)
        source = data / AGREEMENT.name
        process = subprocess.Popen(kyoyaku("build", "--watch", source, "-o", Path(tmp) / "out"), cwd=REPO, env=env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        sink: queue.Queue = queue.Queue()
        threading.Thread(target=_lines, args=(process.stdout, sink), daemon=True).start()
        try:
            name = "kumamoto-mifune-henko-r7.pdf"
            _report_after(sink, 0.0, name)  # the first build
            text, measured = source.read_text(encoding="utf-8"), []
            for n in range(saves):
                time.sleep(0.37 + 0.11 * (n % 5))  # phases that do not follow the polling period
                saved = time.perf_counter()
                source.write_text(text + "#" * (n % 2) + "\n", encoding="utf-8")
                measured.append(_report_after(sink, saved, name) - saved)
            return measured
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def rows(quick: bool = False) -> list[Row]:
    return [Row("watch: save → rebuild reported, ms", spread(latencies(4 if quick else 12), 1000, 0), target="≤ 150 ms")]


def main() -> None:
    command_line(rows, __doc__, "watch", "fewer saves (a smoke test, not a measurement)")


if __name__ == "__main__":
    main()
