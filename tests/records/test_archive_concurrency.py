"""Two clerks at once: real processes filing at the same moment. Different versions all succeed with
an intact chain; the same version: exactly one wins, the others are refused (exit 2) in Japanese."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

from archive_helpers import AGREEMENT_ID, assert_clean, file_version, scratch  # noqa: F401 (fixture)
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.records.archive import ArchiveRefused

PROCESSES = 6


def _file_when_released(root: str, version: str, barrier: multiprocessing.synchronize.Barrier,
                        results: multiprocessing.Queue) -> None:
    barrier.wait()
    try:
        entry = file_version(Path(root), version)
        results.put(("filed", version, str(entry.folder)))
    except ArchiveRefused as exc:
        results.put(("refused", version, str(exc)))
    except BaseException as exc:  # anything else is a failure of the test: report it, do not hang
        results.put(("crashed", version, repr(exc)))


def file_at_once(root: Path, versions: list[str]) -> list[tuple[str, str, str]]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(versions))
    results = context.Queue()
    workers = [context.Process(target=_file_when_released, args=(str(root), v, barrier, results)) for v in versions]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return outcomes


def test_different_versions_at_once_all_file_with_an_intact_chain(scratch: Path) -> None:
    root = scratch / "archive"
    versions = [f"r{n}" for n in range(PROCESSES)]
    outcomes = file_at_once(root, versions)
    assert sorted(o[:2] for o in outcomes) == [("filed", v) for v in versions]
    assert_clean(root, versions=PROCESSES)


def test_the_same_version_at_once_exactly_one_wins(scratch: Path) -> None:
    root = scratch / "archive"
    outcomes = file_at_once(root, ["v1"] * PROCESSES)
    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["filed"] + ["refused"] * (PROCESSES - 1), outcomes
    assert all("既に綴り込まれています" in o[2] for o in outcomes if o[0] == "refused")
    assert_clean(root, versions=1)


def test_two_commands_at_once(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """The real command, twice the same version and once another, started together."""
    root = tmp_path / "archive"
    command = [sys.executable, "-m", "kyoyaku_pdf", "archive", str(DATA / AGREEMENT), "--root", str(root)]
    runs = [subprocess.Popen(command + extra, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for extra in ([], [], ["--version", "r2"])]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    same = sorted(status for status, _, _ in results[:2])
    assert same == [0, 2], results
    assert results[2][0] == 0, results[2]
    loser = next(err for status, _, err in results[:2] if status == 2)
    assert "既に綴り込まれています" in loser and "Traceback" not in loser and "内部エラー" not in loser
    assert_clean(root, versions=2)
