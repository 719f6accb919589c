"""batch: many agreements at once — parallel, every outcome reported, good outputs complete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from datafiles import DATA

from kyoyaku_pdf.cli.batch import KILL_WORKER_ENV, Outcome, Progress, build_all, summary_table
from kyoyaku_pdf.cli.build import BuildOptions
from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import ExitStatus


def synthetic_folder(tmp_path: Path, count: int) -> Path:
    """Partner files of clearly synthetic municipalities (合成町NN); every third a 締結."""
    folder = tmp_path / "data"
    shutil.copytree(DATA / "common", folder / "common")
    for n in range(1, count + 1):
        kind, common = ("締結", "kumamoto-teiketsu-r7.yaml") if n % 3 == 0 else ("変更", "kumamoto-henko-r7.yaml")
        (folder / f"synthetic-{n:02d}.yaml").write_text(
            f"id: synthetic-{n:02d}\nkind: {kind}\ncommon: common/{common}\ndate: 2025-03-24\n"
            f"partner:\n  address: 合成県合成町{n}番地\n  municipality: 合成町{n:02d}\n  office: 合成町{n:02d}長\n  name: 合成太郎\n",
            encoding="utf-8",
        )
    return folder


def test_parallel_batch_builds_every_partner_and_reports_the_broken_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = synthetic_folder(tmp_path, 6)
    broken = folder / "synthetic-04.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: 2025-03-24", "date: 2025-02-30"), encoding="utf-8")
    status = main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{broken}:4:7: 締結日 [date]: there is no date '2025-02-30' (2/2025 has 28 days)" in err
    assert sorted(p.parent.name for p in (tmp_path / "out").rglob("*.pdf")) == [f"synthetic-{n:02d}" for n in (1, 2, 3, 5, 6)]
    rows = out.splitlines()
    header = rows.index(next(r for r in rows if r.startswith("partner")))
    table = rows[header + 1:header + 7]
    assert [("bad input" in r) for r in table] == [False, False, False, True, False, False]
    assert "締結" in table[2] and "変更" in table[0] and rows[-1] == "5 of 6 built"
    assert err.count("[") >= 6, "one progress line per agreement when not on a terminal"


def test_parallel_and_sequential_give_the_same_bytes(tmp_path: Path) -> None:
    folder = synthetic_folder(tmp_path, 4)
    files = sorted(folder.glob("*.yaml"))
    parallel = build_all(files, BuildOptions(out_dir=tmp_path / "p"), jobs=2)
    sequential = build_all(files, BuildOptions(out_dir=tmp_path / "s"), jobs=1)
    assert all(o.status == ExitStatus.OK for o in parallel + sequential)
    for a, b in zip(parallel, sequential):
        assert a.source == b.source and a.pages == b.pages and a.written[0].read_bytes() == b.written[0].read_bytes()


def test_summary_table_aligns_wide_characters() -> None:
    outcomes = [
        Outcome(Path("a.yaml"), ExitStatus.OK, "御船町", "変更", pages=15, size=133398, seconds=0.5),
        Outcome(Path("b.yaml"), ExitStatus.BAD_INPUT, seconds=0.01),
    ]
    lines = summary_table(outcomes).splitlines()
    assert lines[0].split() == ["partner", "kind", "pages", "bytes", "time", "status", "file"]
    assert lines[1].split() == ["御船町", "変更", "15", "133,398", "0.50", "s", "ok", "a.yaml"]
    assert lines[2].split()[:5] == ["-", "-", "-", "-", "0.01"] and "bad input" in lines[2]
    assert lines[-1] == "1 of 2 built"


def test_progress_prints_plain_lines_off_a_terminal(tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    Progress(2, stream)(1, Outcome(Path("x.yaml"), ExitStatus.OK, seconds=0.25))
    assert stream.getvalue() == "[1/2] ok: x.yaml (0.25 s)\n"


@pytest.mark.parametrize("how", ["", ":exit"])
def test_a_worker_that_dies_fails_only_its_agreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str,
) -> None:
    """A real worker process is killed (SIGKILL) or leaves with os._exit while building one file;
    the others are built, the summary is printed and that one agreement is reported as failed."""
    folder = synthetic_folder(tmp_path, 5)
    monkeypatch.setenv(KILL_WORKER_ENV, f"synthetic-03.yaml{how}")
    status = main(["--lang", "ja", "build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"])
    out, err = capsys.readouterr()
    assert status == ExitStatus.BAD_INPUT
    assert sorted(p.parent.name for p in (tmp_path / "out").rglob("*.pdf")) == [f"synthetic-{n:02d}" for n in (1, 2, 4, 5)]
    [row] = [r for r in out.splitlines() if "synthetic-03.yaml" in r]
    assert "処理が異常終了" in row
    assert out.splitlines()[-1] == "5 件中 4 件を作りました"
    assert f"{folder / 'synthetic-03.yaml'}: " in err and ("SIGKILL" in err if not how else "終了コード 3" in err)
    assert "BrokenProcessPool" not in err and "Traceback" not in err


def test_a_problem_in_a_shared_file_is_reported_once_per_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = synthetic_folder(tmp_path, 4)
    schedules = folder / "common" / "beppyo-r7.yaml"
    schedules.write_text(schedules.read_text(encoding="utf-8").replace("hub_role: 熊本港の利用促進のための事業を実施する。", "hub_role:"), encoding="utf-8")
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"]) == ExitStatus.BAD_INPUT
    out, err = capsys.readouterr()
    problem_lines = [line for line in err.splitlines() if str(schedules) in line]
    assert len(problem_lines) == 1 and "hub_role" in problem_lines[0]
    assert out.splitlines()[-1] == "0 of 4 built"


def test_two_files_with_one_id_are_refused_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = synthetic_folder(tmp_path, 3)
    copy = folder / "synthetic-04.yaml"
    copy.write_text((folder / "synthetic-02.yaml").read_text(encoding="utf-8"), encoding="utf-8")  # copied, not yet edited
    for command in (["build", str(folder), "-o", str(tmp_path / "out")], ["check", str(folder)]):
        assert main(["--lang", "ja", *command]) == ExitStatus.BAD_INPUT
        err = capsys.readouterr().err
        assert f"{copy}:1:5: id: id synthetic-02 は {folder / 'synthetic-02.yaml'} と同じです" in err
    assert not (tmp_path / "out").exists()


def test_summary_and_progress_are_japanese_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYOYAKU_LANG")
    folder = synthetic_folder(tmp_path, 2)
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-4].split() == ["相手方", "種別", "ページ", "バイト", "時間", "結果", "ファイル"]
    assert out.splitlines()[-1] == "2 件中 2 件を作りました" and all("完了" in row for row in out.splitlines()[-3:-1])
    assert "[1/2] 完了: " in err and " 秒)" in err


def test_ctrl_c_stops_a_batch_quietly_and_leaves_no_temporary_file(tmp_path: Path, cli_env: dict[str, str]) -> None:
    import os
    import signal
    import subprocess
    import sys

    folder = synthetic_folder(tmp_path, 8)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "kyoyaku_pdf", "--lang", "ja", "build", str(folder), "-o", str(out), "-j", "2"],
                               env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: workers are busy with the next ones
    assert first.startswith("[1/8]"), first
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C on a terminal: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.INTERRUPTED
    assert "中断しました" in err and "Traceback" not in err
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "no half-written file"
    assert all(pdf.read_bytes().startswith(b"%PDF-") for pdf in out.rglob("*.pdf"))


def test_a_wrong_font_folder_is_an_installation_problem_said_once(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """KYOYAKU_FONT_DIR, when set, is used alone: a wrong setting is reported, never silently
    replaced by the bundled copy; every file fails alike, so the message is printed once."""
    import subprocess
    import sys

    folder = synthetic_folder(tmp_path, 3)
    env = {**cli_env, "KYOYAKU_FONT_DIR": str(tmp_path / "no-fonts"), "KYOYAKU_LANG": "ja"}
    result = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", str(folder), "-o", str(tmp_path / "out"), "-j", "2"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == ExitStatus.INSTALLATION == 78
    assert result.stderr.count(f"フォントファイル {tmp_path / 'no-fonts' / 'BIZUDMincho-Regular.ttf'} がありません") == 1
    assert "不具合" not in result.stderr and not (tmp_path / "out").exists()
    assert result.stdout.splitlines()[-1] == "3 件中 0 件を作りました"


def test_one_worker_per_core_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinned to one core (taskset, a container's CPU set), a batch uses one worker, not one per
    core of the machine: two would only take turns on it."""
    import os

    from kyoyaku_pdf.cli import batch

    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no CPU affinity on this platform")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert batch.usable_cores() == 1
    ran_inline: list[Path] = []
    monkeypatch.setattr(batch, "build_one", lambda path, *args: ran_inline.append(path) or Outcome(path, ExitStatus.OK))
    build_all([Path("a.yaml"), Path("b.yaml")], BuildOptions())
    assert ran_inline == [Path("a.yaml"), Path("b.yaml")], "built here, one after the other: no worker forked"


def test_a_single_build_does_not_import_the_process_machinery(tmp_path: Path, cli_env: dict[str, str]) -> None:
    import json
    import subprocess
    import sys

    script = ("import json, sys\nfrom kyoyaku_pdf.cli.main import main\n"
              f"status = main(['build', {str(DATA / 'mifune-henko-r7.yaml')!r}, '-o', {str(tmp_path / 'out')!r}])\n"
              "print(json.dumps([status, sorted(m for m in sys.modules if m.startswith('multiprocessing'))]))")
    result = subprocess.run([sys.executable, "-c", script], env=cli_env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert json.loads(result.stdout.splitlines()[-1]) == [0, []], result.stderr


@pytest.mark.parametrize("forks_allowed", [0, 1])
def test_a_batch_that_cannot_start_its_workers_still_builds_every_agreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks_allowed: int,
) -> None:
    """fork refused (the user's process limit: EAGAIN) for every worker, or for the second: the
    agreements are built by the worker there is, or here — every one, the same bytes as -j 1."""
    import errno
    import os

    folder = synthetic_folder(tmp_path, 4)
    files = sorted(folder.glob("*.yaml"))
    forking, started = os.fork, []

    def limited() -> int:
        if len(started) >= forks_allowed:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        started.append(1)
        return forking()

    monkeypatch.setattr(os, "fork", limited)
    parallel = build_all(files, BuildOptions(out_dir=tmp_path / "p"), jobs=2)
    monkeypatch.setattr(os, "fork", forking)
    sequential = build_all(files, BuildOptions(out_dir=tmp_path / "s"), jobs=1)
    assert [o.status for o in parallel] == [ExitStatus.OK] * 4
    for a, b in zip(parallel, sequential):
        assert a.source == b.source and a.written[0].read_bytes() == b.written[0].read_bytes()


def test_batch_after_batch_leaves_no_descriptor_or_process_behind(tmp_path: Path) -> None:
    """A --watch session runs a batch on every save of a shared file, for hours: each batch's pipes
    are closed and its workers reaped (by the next batch at the latest)."""
    import os

    from kyoyaku_pdf.cli import workers

    folder = synthetic_folder(tmp_path, 3)
    files = sorted(folder.glob("*.yaml"))
    build_all(files, BuildOptions(out_dir=tmp_path / "0"), jobs=2)
    descriptors = len(os.listdir("/proc/self/fd"))
    for n in range(1, 4):
        assert all(o.status == ExitStatus.OK for o in build_all(files, BuildOptions(out_dir=tmp_path / str(n)), jobs=2))
        assert len(os.listdir("/proc/self/fd")) <= descriptors, "(fewer: a file an earlier test left to the collector)"
        assert len(workers._ENDING) <= 4, "only the last two batches' workers may still be ending"
    workers.reap_ending()
    assert not workers._ENDING and not workers._PARENT_ENDS
