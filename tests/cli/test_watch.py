"""watch: a saved correction is rebuilt and reported; a broken save is reported, the PDF kept."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from datafiles import AGREEMENT, REPO, SCHEDULES, data_copy, edit


class Lines:
    """The watcher's output lines, read by a thread (a blocking readline cannot time out)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert process.stdout is not None
        threading.Thread(target=lambda: [self.queue.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError(f"{needle!r} not seen in {self.seen}")


def test_watch_rebuilds_on_save_and_keeps_the_pdf_on_a_bad_save(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "kyoyaku_pdf", "build", "--watch", str(data / AGREEMENT), "-o", str(out)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = Lines(process)
    try:
        first = lines.wait_for(" built ")
        pdf = Path(first.split(" built ")[1].split(" in ")[0])
        before = pdf.read_bytes()
        time.sleep(0.05)
        edit(data, SCHEDULES, "共同利用の推進等の公共施設の有効利用に取り組む。", "相互利用の推進等の公共施設の有効利用に取り組む。")
        again = lines.wait_for(" built ")
        assert again.rstrip().endswith(" s") and pdf.read_bytes() != before
        good = pdf.read_bytes()
        edit(data, SCHEDULES, "partner_role: 甲と連携して企業誘致に取り組む。", "partner_role: [")
        lines.wait_for("not built")
        assert any("YAML syntax error" in line and str(data / SCHEDULES) in line for line in lines.seen)
        assert pdf.read_bytes() == good, "the last good PDF is kept"
        edit(data, SCHEDULES, "partner_role: [", "partner_role: 甲と連携して企業誘致に取り組む。")
        lines.wait_for(" built ")  # the mended shared file is still watched
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert "Traceback" not in "".join(lines.seen)


def test_watch_builds_a_new_agreement_file_saved_in_a_watched_folder(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "kyoyaku_pdf", "build", "--watch", str(data), "-o", str(out)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = Lines(process)
    try:
        lines.wait_for(" built ")
        partner = (data / AGREEMENT).read_text(encoding="utf-8").replace("id: kumamoto-mifune-henko-r7", "id: synthetic-new")
        (data / "synthetic-new.yaml").write_text(partner, encoding="utf-8")
        lines.wait_for("new agreement file")
        built = lines.wait_for("synthetic-new.pdf")
        assert " built " in built and (out / "synthetic-new" / "synthetic-new.pdf").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert "Traceback" not in "".join(lines.seen)
