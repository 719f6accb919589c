"""A filing cannot be half done: a fault at every step, and at every write and fsync, leaves an archive
that verifies (or whose leftover recovery removes) and a retry that succeeds.

The steps are the ones the code announces (archive.STEPS); the first test pins that list to what a
filing really passes through, so a new step cannot escape the fault tests."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from archive_helpers import AGREEMENT_ID, PDF, assert_clean, codes, file_version, ledger_has_a_line, scratch
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.records import archive
from kyoyaku_pdf.records.archive import STEPS, ArchiveRefused, recover

COMMITTED_AT = STEPS.index("committed")
#: what an interrupted filing may leave for verify to report and recovery to resolve: its staging
#: folder, the version folder it had placed before its ledger line, and that line torn by a kill mid-write
LEFTOVERS = {"archive-verify-staging-leftover", "archive-verify-uncommitted", "archive-verify-ledger-torn"}


class Fault(Exception):
    """Raised by the test hook: the filing's own error handling runs (as for a bug or Ctrl-C)."""


def hook_at(step: str, action: Callable[[], None]) -> Callable[[str], None]:
    def reached(name: str) -> None:
        if name == step:
            action()
    return reached


def raise_fault() -> None:
    raise Fault


def test_a_filing_passes_every_step_in_order(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(archive, "reached", seen.append)
    file_version(scratch / "archive")
    assert tuple(seen) == STEPS


def retry_and_check(root: Path, committed: bool | None = None) -> None:
    """After the fault: retry; the version is then filed exactly once and the archive is clean. The
    retry may be refused as a duplicate only if the interrupted filing had committed (its ledger line
    exists): given, or else read from the ledger."""
    committed = ledger_has_a_line(root) if committed is None else committed
    try:
        entry = file_version(root)
    except ArchiveRefused as exc:  # the first filing was complete: a plain retry is refused as a duplicate
        assert committed, f"retry refused although nothing was filed: {exc}"
    else:
        assert (entry.folder / f"{AGREEMENT_ID}.pdf").read_bytes() == PDF
    assert_clean(root, versions=1)


@pytest.mark.parametrize("step", STEPS)
def test_an_error_at_each_step_is_rolled_back_or_complete(scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                          step: str) -> None:
    root = scratch / "archive"
    monkeypatch.setattr(archive, "reached", hook_at(step, raise_fault))
    with pytest.raises(Fault):
        file_version(root)
    monkeypatch.undo()
    committed = STEPS.index(step) >= COMMITTED_AT
    left = codes(root) if root.exists() else []
    # before the commit the filing undid itself at once; after it, only the staging folder may remain
    assert left in ([], ["archive-verify-staging-leftover"]) and (not left or step == "committed"), left
    retry_and_check(root, committed)


def killed_child(root: Path, arm: Callable[[], None]) -> None:
    """File in a forked child that ``arm`` sets up to SIGKILL itself: no clean-up of any kind runs."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            arm()
            file_version(root)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child was to be killed"


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_is_recovered(scratch: Path, step: str) -> None:
    root = scratch / "archive"
    killed_child(root, lambda: setattr(archive, "reached", hook_at(step, kill_self)))
    committed = STEPS.index(step) >= COMMITTED_AT
    left = codes(root) if root.exists() else []
    assert set(left) <= LEFTOVERS and ("archive-verify-staging-leftover" in left or not left), left
    done = recover(root) if root.exists() else []
    assert [d.outcome for d in done] == (
        [] if not left else ["finished"] if committed else ["discarded"] if STEPS.index(step) < STEPS.index(
            "intent-written") else ["rolled-back"]
    )
    retry_and_check(root, committed)


def count_calls(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> int:
    calls = []
    real = getattr(os, name)
    monkeypatch.setattr(os, name, lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    file_version(folder / "count")
    monkeypatch.undo()
    return len(calls)


def faulty(name: str, at: int, fault: Callable[[Callable, tuple], None]) -> Callable:
    """os.<name> that behaves normally except on call number ``at``, where ``fault`` acts instead."""
    real = getattr(os, name)
    calls = [0]

    def call(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == at:
            fault(real, args)
        return real(*args, **kwargs)
    return call


def half_then_enospc(real: Callable, args: tuple) -> None:
    """A full disk in the middle of a write: half the bytes land, then ENOSPC."""
    if len(args) == 2 and not isinstance(args[0], str):
        real(args[0], bytes(args[1])[: len(args[1]) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("name", ["write", "fsync"])
def test_a_full_disk_at_each_write_and_fsync_leaves_nothing(scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], name: str) -> None:
    total = count_calls(scratch, monkeypatch, name)
    assert total >= (7 if name == "write" else 10), "every file, the intent and the ledger line are written"
    for at in range(1, total + 1):
        root = scratch / f"{name}-{at}"
        monkeypatch.setattr(os, name, faulty(name, at, half_then_enospc))
        try:
            file_version(root)
        except ArchiveRefused as refused:  # undone at once: nothing at all is left
            assert "ディスクの空きが足りません" in str(refused) and "取り消した" in str(refused)
            assert codes(root) == [], (at, codes(root))
            ledger = root / archive.LEDGER
            assert not ledger.exists() or ledger.read_bytes() == b"", "no line, not even a torn one"
        else:  # only a fault after the commit point, while tidying up, leaves the filing standing
            assert name == "fsync" and ledger_has_a_line(root) and set(codes(root)) <= LEFTOVERS
        monkeypatch.undo()
        retry_and_check(root)


@pytest.mark.parametrize("name", ["write", "fsync", "rename"])
def test_a_kill_during_each_system_call_is_recovered(scratch: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """SIGKILL in the middle of every write (half its bytes written: a torn file or ledger line), or
    just before every fsync and rename; the next filing recovers and succeeds."""
    total = count_calls(scratch, monkeypatch, name)
    for at in range(1, total + 1):
        root = scratch / f"{name}-{at}"

        def arm(at: int = at) -> None:
            def die(real: Callable, args: tuple) -> None:
                if name == "write":
                    real(args[0], bytes(args[1])[: len(args[1]) // 2])
                kill_self()
            setattr(os, name, faulty(name, at, die))

        killed_child(root, arm)
        assert set(codes(root)) <= LEFTOVERS, (at, codes(root))
        retry_and_check(root)


def test_an_error_while_rolling_back_is_left_to_recovery(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC at the commit and then a failing clean-up: the version folder stays placed but not in the
    ledger; verify says so, and the next filing rolls it back and succeeds."""
    root = scratch / "archive"
    monkeypatch.setattr(archive, "reached", hook_at("read-only", raise_fault))
    monkeypatch.setattr(archive, "_unplace", lambda *a: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(Fault):
        file_version(root)
    monkeypatch.undo()
    assert sorted(codes(root)) == ["archive-verify-staging-leftover", "archive-verify-uncommitted"]
    retry_and_check(root, committed=False)


def test_a_real_kill_of_the_command_then_recover(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """The documented test hook KYOYAKU_TEST_KILL_AT kills a real `kyoyaku-pdf archive` after the version
    folder is in place but before its ledger line; `archive --recover` rolls it back and says so."""
    root = tmp_path / "archive"
    command = [sys.executable, "-m", "kyoyaku_pdf", "archive", str(DATA / AGREEMENT), "--root", str(root)]
    killed = subprocess.run(command, env=cli_env | {archive.KILL_AT_ENV: "placed"}, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL
    verified = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "verify-archive", str(root)], env=cli_env,
                              capture_output=True, text=True)
    assert verified.returncode == 1 and "archive --recover" in verified.stdout and "Traceback" not in verified.stderr
    recovered = subprocess.run(command[:4] + ["--recover", "--root", str(root)], env=cli_env, capture_output=True,
                               text=True)
    assert recovered.returncode == 0 and "取り消しました" in recovered.stdout, recovered
    retried = subprocess.run(command, env=cli_env, capture_output=True, text=True)
    assert retried.returncode == 0 and retried.stdout.strip() == str(root / AGREEMENT_ID / "2025-03-24")
    assert_clean(root, versions=1)


def test_a_real_kill_after_the_commit_and_the_retry_succeeds(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "archive"
    command = [sys.executable, "-m", "kyoyaku_pdf", "archive", str(DATA / AGREEMENT), "--root", str(root)]
    killed = subprocess.run(command, env=cli_env | {archive.KILL_AT_ENV: "committed"}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    retried = subprocess.run(command, env=cli_env, capture_output=True, text=True)
    assert retried.returncode == 0, retried.stderr
    assert "台帳に記録済み" in retried.stderr and "新たには何も書いていません" in retried.stderr
    assert_clean(root, versions=1)


def test_safe_files_write_everything_even_on_short_writes(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data)[:1000]))
    entry = file_version(scratch / "archive")
    monkeypatch.undo()
    assert (entry.folder / f"{AGREEMENT_ID}.pdf").read_bytes() == PDF
    assert_clean(scratch / "archive", versions=1)
