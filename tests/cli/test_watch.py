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


# In this process, with either way of seeing a save: the kernel's events (inotify) or polling.

from collections.abc import Callable

import pytest
from datafiles import SCHEDULES as SCHEDULES_FILE
from test_batch import synthetic_folder

from kyoyaku_pdf.cli import watch as watching
from kyoyaku_pdf.cli.batch import Outcome, build_one
from kyoyaku_pdf.cli.build import BuildOptions
from kyoyaku_pdf.errors import ExitStatus, Location, Problem, Report


@pytest.fixture(params=["inotify", "polling"])
def wakes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The watcher sees saves through the kernel's events, or (the fallback) by polling."""
    if request.param == "inotify" and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    monkeypatch.setattr(watching, "waker", watching.Inotify if request.param == "inotify" else watching.Poller)
    return str(request.param)


def watch_while(agreements: list[Path], out: Path, script: Callable[[], None], expect: int,
                folders: tuple[Path, ...] = ()) -> list[Outcome]:
    """Run ``watch`` here; once the first builds are reported, ``script`` edits files in a thread.
    Stops when the script is done and ``expect`` more outcomes came, after a grace period that
    lets any further (unwanted) build show itself; every outcome in order."""
    outcomes: list[Outcome] = []
    thread = threading.Thread(target=script, daemon=True)
    state = {"since": 0.0}

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if len(outcomes) == len(agreements):
            thread.start()

    def should_stop() -> bool:
        if thread.is_alive() or len(outcomes) < len(agreements) + expect:
            state["since"] = 0.0
            return time.monotonic() > deadline
        state["since"] = state["since"] or time.monotonic()
        return time.monotonic() - state["since"] > watching.SETTLE + 1.0

    deadline = time.monotonic() + 60
    watching.watch(agreements, BuildOptions(out_dir=out), report, should_stop=should_stop, folders=folders)
    return outcomes[len(agreements):]


def reference_pdf(data: Path, tmp_path: Path) -> bytes:
    """The signing PDF of the bundled agreement as its files are now, built apart."""
    outcome = build_one(data / AGREEMENT, BuildOptions(out_dir=tmp_path / "reference"))
    assert outcome.status == ExitStatus.OK, outcome.failure
    return outcome.written[0].read_bytes()


def test_a_half_written_save_is_not_built(wakes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor truncates the 別表 and writes it in two parts: the first part alone is a valid
    agreement (the last section missing), so building it would make a wrong PDF. Only the whole
    file is built: when its writer closes it (inotify) or once it has settled (polling)."""
    monkeypatch.setattr(watching, "SETTLE", 1.0)  # far longer than the pause inside the write
    data = data_copy(tmp_path)
    schedules = data / SCHEDULES_FILE
    whole = schedules.read_text(encoding="utf-8").replace("職員の育成", "職員の人材育成")
    cut = whole.index("      # 3")

    def save_in_two_parts() -> None:
        with schedules.open("w", encoding="utf-8") as file:
            file.write(whole[:cut])
            file.flush()
            time.sleep(0.4)
            file.write(whole[cut:])

    [outcome] = watch_while([data / AGREEMENT], tmp_path / "out", save_in_two_parts, expect=1)
    assert outcome.status == ExitStatus.OK
    assert outcome.written[0].read_bytes() == reference_pdf(data, tmp_path)


def test_a_save_by_rename_is_built_once(wakes: str, tmp_path: Path) -> None:
    """Editors that write a temporary file and rename it over the old one: one build, of the new
    text; the temporary file itself is not an agreement and builds nothing."""
    data = data_copy(tmp_path)
    schedules = data / SCHEDULES_FILE

    def save_by_rename() -> None:
        temporary = schedules.with_name(".beppyo-r7.yaml.tmp")
        temporary.write_text(schedules.read_text(encoding="utf-8").replace("職員の育成", "職員の人材育成"), encoding="utf-8")
        os.replace(temporary, schedules)

    [outcome] = watch_while([data / AGREEMENT], tmp_path / "out", save_by_rename, expect=1, folders=(data,))
    assert outcome.status == ExitStatus.OK and outcome.source == data / AGREEMENT
    assert outcome.written[0].read_bytes() == reference_pdf(data, tmp_path)


def test_a_rebuild_loads_the_agreement_once(wakes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's own loading tells which files to watch next: no second load after it."""
    import kyoyaku_pdf.cli.build as building

    loads: list[Path] = []

    def counted(load: Callable[[Path], object]) -> Callable[[Path], object]:
        def loading(path: Path) -> object:
            loaded = load(path)
            loads.append(path)  # once read: a save from now on is seen as the next one
            return loaded
        return loading

    monkeypatch.setattr(building, "load_agreement", counted(building.load_agreement))
    monkeypatch.setattr(watching, "load_agreement", counted(watching.load_agreement))
    data = data_copy(tmp_path)

    def save_twice() -> None:
        """Each save once the rebuild of the one before has read the files: on a loaded machine a
        fixed pause could let both saves (the second undoing the first) be seen as one."""
        loads.clear()
        for count, (old, new) in enumerate((("職員の育成", "職員の人材育成"), ("職員の人材育成", "職員の育成")), 1):
            edit(data, SCHEDULES_FILE, old, new)
            deadline = time.monotonic() + 30
            while len(loads) < count and time.monotonic() < deadline:
                time.sleep(0.02)

    outcomes = watch_while([data / AGREEMENT], tmp_path / "out", save_twice, expect=2)
    assert [o.status for o in outcomes] == [ExitStatus.OK, ExitStatus.OK]
    assert loads == [data / AGREEMENT] * 2


def test_a_shared_file_saved_rebuilds_every_agreement_using_it_once(wakes: str, tmp_path: Path) -> None:
    """Three partners share the 別表: one save, three builds (in parallel workers), each once."""
    folder = synthetic_folder(tmp_path, 3)
    agreements = sorted(folder.glob("*.yaml"))
    out = tmp_path / "out"

    def save() -> None:
        edit(folder, "common/beppyo-r7.yaml", "職員の育成", "職員の人材育成")

    outcomes = watch_while(agreements, out, save, expect=3)
    assert sorted(o.source for o in outcomes) == agreements
    assert all(o.status == ExitStatus.OK for o in outcomes)
    reference = build_one(agreements[1], BuildOptions(out_dir=tmp_path / "reference"))
    assert (out / "synthetic-02" / "synthetic-02.pdf").read_bytes() == reference.written[0].read_bytes()


def test_inotify_tells_a_write_in_progress_from_a_finished_one(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    target = tmp_path / "a.yaml"
    with watching.Inotify() as kernel:
        kernel.add([str(tmp_path)])
        with target.open("w", encoding="utf-8") as file:
            file.write("id: a\n")
            file.flush()
            assert kernel.wait(5) == {str(target): False}, "created and written, still open"
        assert kernel.wait(5) == {str(target): True}, "closed by its writer"
        (tmp_path / "b.tmp").write_text("id: a\n", encoding="utf-8")
        assert kernel.wait(5) == {str(tmp_path / "b.tmp"): True}
        os.replace(tmp_path / "b.tmp", target)
        assert kernel.wait(5) == {str(tmp_path / "b.tmp"): True, str(target): True}, "renamed into place"
        assert kernel.wait(0.05) == {}


def test_a_failed_build_watches_the_files_its_problems_name(tmp_path: Path) -> None:
    """…and only files: a problem with no file, or one placed at a folder, adds nothing (a folder's
    stamp changes with every file saved in it, which would rebuild for nothing)."""
    broken = tmp_path / "common" / "new-common.yaml"
    report = Report(ExitStatus.BAD_INPUT, ("…",), (Problem(Location(str(broken), 3, 1), "x", "…"),
                                                  Problem(Location("", 1, 1), "", "…"),
                                                  Problem(Location(str(tmp_path), 1, 1), "", "…")))
    outcome = Outcome(tmp_path / "a.yaml", ExitStatus.BAD_INPUT, failure=report)
    assert watching.sources_after(outcome, (tmp_path / "a.yaml", tmp_path / "old.yaml")) == (
        tmp_path / "a.yaml", tmp_path / "old.yaml", broken)
    built = Outcome(tmp_path / "a.yaml", ExitStatus.OK, sources=(tmp_path / "a.yaml", tmp_path / "c.yaml"))
    assert watching.sources_after(built, (tmp_path / "old.yaml",)) == (tmp_path / "a.yaml", tmp_path / "c.yaml")


def test_when_the_kernel_refuses_a_folder_the_watcher_polls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the per-user limit of inotify watches (ENOSPC) a folder goes unwatched by the
    kernel: the watcher then looks every POLL seconds instead of waiting for events."""
    import ctypes
    import errno

    if not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")

    def refused(fd: int, folder: bytes, mask: int) -> int:
        ctypes.set_errno(errno.ENOSPC)
        return -1

    with watching.Inotify() as kernel:
        assert kernel.events
        monkeypatch.setattr(kernel, "_add_watch", refused)
        kernel.add([str(tmp_path)])
        assert not kernel.events
        watcher = watching._Watcher(BuildOptions(), lambda _: None, False, kernel, interval=0.05)
        assert watcher.timeout() == 0.05


def test_a_save_paused_midway_is_reported_then_built_when_complete(
    wakes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A writer that pauses longer than SETTLE in the middle of a line: the half-written file is
    built and refused with its located problem, the last good PDF stays as it was, and the file is
    built again once its writer has finished."""
    monkeypatch.setattr(watching, "SETTLE", 0.05)
    data = data_copy(tmp_path)
    schedules = data / SCHEDULES_FILE
    whole = schedules.read_text(encoding="utf-8").replace("職員の育成", "職員の人材育成")
    cut = whole.index("職員の人材育成") - 5  # inside "- name: …": the half file lacks the area's texts
    pdf = tmp_path / "out" / "kumamoto-mifune-henko-r7" / "kumamoto-mifune-henko-r7.pdf"
    seen: list[bytes] = []

    def save_with_a_pause() -> None:
        seen.append(pdf.read_bytes())
        with schedules.open("w", encoding="utf-8") as file:
            file.write(whole[:cut])
            file.flush()
            time.sleep(1.0)  # the half file is built (and refused) meanwhile
            seen.append(pdf.read_bytes())
            file.write(whole[cut:])

    outcomes = watch_while([data / AGREEMENT], tmp_path / "out", save_with_a_pause, expect=2)
    assert [o.status for o in outcomes] == [ExitStatus.BAD_INPUT, ExitStatus.OK]
    assert seen[1] == seen[0], "the last good PDF is kept"
    assert outcomes[0].failure is not None and str(schedules) in outcomes[0].failure.lines[0]
    assert outcomes[1].written[0].read_bytes() == reference_pdf(data, tmp_path) != seen[0]


def test_a_new_file_is_found_when_the_folder_shows_no_change(tmp_path: Path) -> None:
    """A clock too coarse to show a second change (FAT: 2 s) leaves the folder's stamp as it was:
    a folder modified lately is listed again anyway."""
    listing = watching._Listing([tmp_path], watching.Poller())
    before = os.stat(tmp_path)
    (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
    os.utime(tmp_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert watching.stamp(tmp_path) == listing.folders[tmp_path]
    assert listing.new([]) == [tmp_path / "a.yaml"]
    assert listing.new([tmp_path / "a.yaml"]) == []
