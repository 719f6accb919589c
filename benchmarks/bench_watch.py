"""``build --watch``: how long from saving a YAML file until the rebuild is reported.

Starts the real command on a copy of the bundled data, waits for its first build, then saves the
partner file again and again (at moments unrelated to any polling) and times each save to the
report line (the one naming the written PDF). Prints the median latency, the build time the
watcher itself reports (the rest is seeing the save and printing), and the CPU the watcher uses
while nothing changes. Target (issue 14): ≤ 150 ms. Asserts nothing.
``python benchmarks/bench_watch.py [--quick]``
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import AGREEMENT, REPO, Row, command_line, env, kyoyaku, spread

TIMEOUT = 20.0  # seconds to wait for any one report before giving up


def _lines(stream, sink: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    """Every line the watcher prints, with the moment it arrived."""
    for line in stream:
        sink.put((time.perf_counter(), line))


def _report_after(sink: queue.Queue, moment: float, name: str) -> tuple[float, float]:
    """The arrival time of the first report line naming ``name`` printed after ``moment``, and
    the build time it reports ("built … in 0.12 s")."""
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        try:
            arrived, line = sink.get(timeout=TIMEOUT)
        except queue.Empty:
            break
        if arrived >= moment and name in line:
            return arrived, float(line.rsplit(" in ", 1)[1].split()[0])
    raise SystemExit("the watcher reported no rebuild")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Watched:
    latencies: list[float]  # save → report line, s
    builds: list[float]  # the build time the watcher reported, s
    idle_cpu: float  # share of one core used while nothing changed


def measure(saves: int, idle: float) -> Watched:
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
            time.sleep(0.5)
            cpu, start = _cpu_seconds(process.pid), time.perf_counter()
            time.sleep(idle)
            idle_cpu = (_cpu_seconds(process.pid) - cpu) / (time.perf_counter() - start)
            text, latencies, builds = source.read_text(encoding="utf-8"), [], []
            for n in range(saves):
                time.sleep(0.37 + 0.11 * (n % 5))  # phases that do not follow any polling period
                saved = time.perf_counter()
                source.write_text(text + "#" * (n % 2) + "\n", encoding="utf-8")
                arrived, built = _report_after(sink, saved, name)
                latencies.append(arrived - saved)
                builds.append(built)
            return Watched(latencies, builds, idle_cpu)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def rows(quick: bool = False) -> list[Row]:
    watched = measure(4 if quick else 12, 1.0 if quick else 5.0)
    return [
        Row("watch: save → rebuild reported, ms", spread(watched.latencies, 1000, 0), target="≤ 150 ms"),
        Row("watch: of which the build, ms (as reported)", spread(watched.builds, 1000, 0)),
        Row("watch: CPU while idle, % of a core", f"{100 * watched.idle_cpu:.2f}"),
    ]


def main() -> None:
    command_line(rows, __doc__, "watch", "fewer saves (a smoke test, not a measurement)")


if __name__ == "__main__":
    main()
