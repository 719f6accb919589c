"""The output location: a file where a folder must be, a read-only folder, a full disk — each in
words (Japanese by default), exit 2, the previous PDF intact, nothing half-written left behind;
and a closed stdout (| head) ends quietly."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from datafiles import AGREEMENT, SCHEDULES, data_copy, edit

import kyoyaku_pdf.records.safe_files as safe_files
from kyoyaku_pdf.cli.main import COLLECT_AFTER, main
from kyoyaku_pdf.errors import ExitStatus


def build(data: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--lang", "ja", "build", str(data / AGREEMENT), "-o", str(out)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_output_folder_under_an_existing_file_is_named_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    blocking = tmp_path / "report.pdf"
    blocking.write_bytes(b"an existing file")
    status, out, err = build(data, blocking / "out", capsys)
    assert status == ExitStatus.BAD_INPUT and out == ""
    assert f"{blocking} はファイルで、フォルダーが必要な場所にあります" in err and "-o" in err
    assert "内部エラー" not in err and "Traceback" not in err
    assert blocking.read_bytes() == b"an existing file"


def _inject(monkeypatch: pytest.MonkeyPatch, where: str, code: int) -> None:
    """Make the next write of an output fail at ``where`` with ``code``, as the kernel would (the
    writer is records/safe_files.py: os.write, os.fsync, creating the temporary file, os.replace)."""
    error = OSError(code, os.strerror(code))
    if where == "write":
        real_write = os.write

        def half_then_full(fd: int, data: Any) -> int:  # part of the data lands, then the disk is full
            real_write(fd, bytes(data)[: len(data) // 2])
            raise error
        monkeypatch.setattr(safe_files.os, "write", half_then_full)
    elif where == "fsync":
        monkeypatch.setattr(safe_files.os, "fsync", lambda fd: (_ for _ in ()).throw(error))
    elif where == "mkstemp":
        def refuse(folder_fd: int, name: str, *_: object) -> None:
            raise OSError(code, os.strerror(code), name)
        monkeypatch.setattr(safe_files, "create_file", refuse)
    elif where == "replace":
        def refuse_replace(source: str, target: str, **_: object) -> None:
            raise OSError(code, os.strerror(code), source, None, target)
        monkeypatch.setattr(safe_files.os, "replace", refuse_replace)


@pytest.mark.parametrize(("code", "where", "words"), [
    (errno.ENOSPC, "write", "ディスクの空きが足りない"),
    (errno.ENOSPC, "fsync", "ディスクの空きが足りない"),
    (errno.EROFS, "mkstemp", "読み取り専用"),
    (errno.EACCES, "mkstemp", "書き込む権限がありません"),
    (errno.EACCES, "replace", "書き込む権限がありません"),
])
def test_a_refused_write_is_exit_2_in_words_and_the_old_pdf_is_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: int, where: str, words: str,
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assert build(data, out, capsys)[0] == 0
    [pdf] = list(out.rglob("*.pdf"))
    before = pdf.read_bytes()
    edit(data, SCHEDULES, "共同利用の推進等", "相互利用の推進等")  # the new PDF would differ
    _inject(monkeypatch, where, code)
    status, stdout, err = build(data, out, capsys)
    assert status == ExitStatus.BAD_INPUT and stdout == ""
    assert words in err and str(pdf.parent) in err
    assert ("空きを作ってから" if code == errno.ENOSPC else "-o で指定してください") in err, "what to do instead"
    assert "内部エラー" not in err and "不具合" not in err and "Traceback" not in err
    assert pdf.read_bytes() == before, "the last good PDF is kept"
    assert sorted(p.name for p in pdf.parent.iterdir()) == [pdf.name], "no temporary file is left"


def test_a_full_disk_in_english_too(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _inject(monkeypatch, "fsync", errno.ENOSPC)
    status = main(["--lang", "en", "build", str(data_copy(tmp_path) / AGREEMENT), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "the disk is full" in err and "kumamoto-mifune-henko-r7.pdf was not written" in err


def test_a_closed_stdout_ends_quietly(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """`kyoyaku-pdf check … | head`: the reader is gone before we write; no traceback."""
    data = data_copy(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "kyoyaku_pdf", "check", str(data), str(data / AGREEMENT)],
                               env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as head does after its lines
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 128 + 13
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_a_file_system_error_elsewhere_is_exit_2_in_neutral_words(capsys: pytest.CaptureFixture[str]) -> None:
    from kyoyaku_pdf.errors import describe
    from kyoyaku_pdf.messages import set_language

    set_language("ja")
    try:
        report = describe(PermissionError(errno.EACCES, "Permission denied", "/srv/x.pdf"))
    finally:
        set_language(None)
    assert report.status == ExitStatus.BAD_INPUT and report.lines == ("kyoyaku-pdf: /srv/x.pdf の読み書きに失敗しました: 権限がありません",)


@pytest.mark.parametrize("args", [["build", "{data}/" + AGREEMENT, "-o", "{out}"], ["check", "--json", "{data}/" + AGREEMENT],
                                  ["--version"]])
def test_stdout_on_a_full_disk_is_exit_2_in_words_and_the_pdf_is_kept(tmp_path: Path, cli_env: dict[str, str], args: list[str]) -> None:
    """`kyoyaku-pdf build … > file` on a full disk (/dev/full fails every write with ENOSPC): the
    PDF was written and stays; the user is told on stderr why the output is missing, exit 2."""
    data, out = data_copy(tmp_path), tmp_path / "out"
    argv = [a.format(data=data, out=out) for a in args]
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "--lang", "ja", *argv], env=cli_env,
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "標準出力に書けませんでした（ディスクの空きが足りません）" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr and "内部エラー" not in result.stderr
    assert result.stderr.count("標準出力") == 1, "said once"
    if argv[0] == "build":
        assert len(list(out.rglob("*.pdf"))) == 1


def test_the_console_entry_exits_with_mains_status(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """run() leaves by os._exit (no teardown): the status, stdout and stderr still arrive whole."""
    script = "from kyoyaku_pdf.cli.main import run; run()"
    good = subprocess.run([sys.executable, "-c", script, "check", str(data_copy(tmp_path) / AGREEMENT)], env=cli_env,
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and good.stdout.strip().endswith("問題ありません")
    bad = subprocess.run([sys.executable, "-c", script, "check", str(tmp_path / "none.yaml")], env=cli_env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == ExitStatus.BAD_INPUT and "none.yaml:1:1:" in bad.stderr


def test_a_profiler_still_writes_its_results(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """run() skips the teardown only when nothing waits for it: under cProfile (or coverage) the
    interpreter exits normally, so the profile is written (docs/performance.md tells how to profile)."""
    profile = tmp_path / "check.prof"
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "kyoyaku_pdf", "check",
                             str(data_copy(tmp_path) / AGREEMENT)], env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert profile.stat().st_size > 0


def test_the_console_entry_collects_with_the_commands_thresholds(cli_env: dict[str, str]) -> None:
    """run() sets the collector up before the command (set_up_process, which the warm benchmark
    shares): the command runs with COLLECT_AFTER, not Python's (700, 10, 10)."""
    script = ("import gc, kyoyaku_pdf.cli.main as m; "
              "m.main = lambda: print(tuple(gc.get_threshold())) or 0; m.run()")
    result = subprocess.run([sys.executable, "-c", script], env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tuple(COLLECT_AFTER)) != str((700, 10, 10))
