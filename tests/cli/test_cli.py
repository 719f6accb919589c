"""cli: exit codes, located messages on stderr, and output that a failed run never touches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from datafiles import AGREEMENT, REPO, SCHEDULES, data_copy, edit, line_of

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import ExitStatus


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_build_writes_the_signing_pdf_and_prints_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    status, out, err = run(["build", str(data / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    target = tmp_path / "out" / "kumamoto-mifune-henko-r7" / "kumamoto-mifune-henko-r7.pdf"
    assert (status, out, err) == (0, f"{target}\n", "")
    assert target.read_bytes().startswith(b"%PDF-")
    assert list(target.parent.iterdir()) == [target], "no temporary file may be left behind"


def test_bad_input_exits_2_with_a_located_message_and_keeps_the_old_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_copy(tmp_path)
    out_dir = tmp_path / "out"
    assert run(["build", str(data / AGREEMENT), "-o", str(out_dir)], capsys)[0] == 0
    [pdf] = list(out_dir.rglob("*.pdf"))
    before = pdf.read_bytes()
    edit(data, SCHEDULES, "hub_role: 熊本港の利用促進のための事業を実施する。", "hub_role:")
    status, out, err = run(["build", str(data / AGREEMENT), "-o", str(out_dir)], capsys)
    line = line_of(data, SCHEDULES, "content: 企業の事業活動") + 1
    assert status == 2 and out == ""
    assert err == (f"{data / SCHEDULES}:{line}:18: 別表第1 (3) 物流機能の強化 甲の役割 [schedules[0].areas[2].hub_role]: "
                   "expected text, got nothing (null)\n")
    assert "Traceback" not in err
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == [pdf.name]


def test_check_reports_every_problem_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "name: 藤木正", "name: 𠮷田正")
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 2025-02-30")
    status, out, err = run(["check", str(data / AGREEMENT)], capsys)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "2025-02-30" in lines[0]  # the date stops binding before fonts are checked
    edit(data, AGREEMENT, "date: 2025-02-30", "date: 2025-03-24")
    status, out, err = run(["check", str(data / AGREEMENT)], capsys)
    name_line = line_of(data, AGREEMENT, "𠮷")
    assert status == 2
    assert err == f"{data / AGREEMENT}:{name_line}:9: 乙 氏名 [partner.name]: the font BIZUDMincho has no glyph for '𠮷' (U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7), first at character 1 of the text; set print.fallback_font: ipamj-mincho to use IPAmj Mincho for it\n"
    assert not (tmp_path / "out").exists()


def test_one_bad_agreement_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    bad = data / "broken.yaml"
    bad.write_text("id: broken\ncommon: [\n", encoding="utf-8")
    status, out, err = run(["build", str(bad), str(data / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    assert status == 2
    lines = out.splitlines()
    assert lines[0].endswith("kumamoto-mifune-henko-r7.pdf") and Path(lines[0]).is_file()
    assert lines[1].split() == ["partner", "kind", "pages", "bytes", "time", "status", "file"]
    assert "bad input" in lines[2] and str(bad) in lines[2]
    assert "御船町" in lines[3] and "変更" in lines[3] and " ok " in lines[3]
    assert lines[-1] == "1 of 2 built"
    assert f"{bad}:2:9: YAML syntax error: the flow sequence or mapping that starts here is never closed" in err  # where [ is


def test_split_copies_writes_one_identical_file_per_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    status, out, _ = run(["build", "--split-copies", str(data / AGREEMENT), "-o", str(tmp_path)], capsys)
    paths = [Path(line) for line in out.splitlines()]
    assert status == 0 and [p.name for p in paths] == ["kumamoto-mifune-henko-r7-copy1.pdf", "kumamoto-mifune-henko-r7-copy2.pdf"]
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_internal_error_exits_with_its_own_status_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kyoyaku_pdf.cli.build as build

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(build, "render_signing_pdf", broken)
    status, _, err = run(["build", str(data_copy(tmp_path) / AGREEMENT), "-o", str(tmp_path)], capsys)
    assert status == ExitStatus.INTERNAL_ERROR == 70
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err and "report" in err


def test_help_explains_every_build_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    for option in ("--out", "--split-copies", "--no-seal-guide", "AGREEMENT.yaml"):
        assert option in text


def test_the_installed_command_builds_the_bundled_data_by_default(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "kyoyaku_pdf", "build", "-o", str(tmp_path)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_file()


def test_missing_font_is_an_installation_message_not_a_bug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kyoyaku_pdf.pdf.fonts as fonts

    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path / "no-fonts")
    fonts._codepoints.cache_clear()
    status, out, err = run(["build", str(data_copy(tmp_path) / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    assert status == ExitStatus.INSTALLATION and out == ""
    assert "font file missing" in err and "KYOYAKU_FONT_DIR" in err and "bug" not in err
    assert not (tmp_path / "out").exists()


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    out_dir = tmp_path / "out"
    assert run(["build", str(data / AGREEMENT), "-o", str(out_dir)], capsys)[0] == 0
    [pdf] = list(out_dir.rglob("*.pdf"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = pdf.parent / f".{pdf.name}.{dead.stdout.strip()}.abc123.tmp"
    stale.write_bytes(b"%PDF- half written")
    live = pdf.parent / f".{pdf.name}.{os.getpid()}.def456.tmp"  # a run still writing: left alone
    live.write_bytes(b"%PDF- being written")
    assert run(["build", str(data / AGREEMENT), "-o", str(out_dir)], capsys)[0] == 0
    assert not stale.exists() and live.exists()


def test_proofreading_warns_and_strict_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "content: 企業の事業活動を支援するため、", "content: 企業の事業活動を支援するため、、")
    line = line_of(data, SCHEDULES, "、、")
    status, out, err = run(["check", str(data / AGREEMENT)], capsys)
    assert status == 0 and out.endswith("ok (1 warnings)\n")
    assert err == (f"{data / SCHEDULES}:{line}:18: 別表第1 (3) 物流機能の強化 取組内容 [schedules[0].areas[2].content]: "
                   "warning: doubled punctuation '、、' at character 15\n")
    status, out, err = run(["build", "--strict", str(data / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    assert status == 2 and "(strict) doubled punctuation" in err and not (tmp_path / "out").exists()
    status, out, err = run(["build", str(data / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    assert status == 0 and "warning: doubled punctuation" in err


def test_new_refuses_an_id_another_agreement_file_already_has(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    assert main(["--lang", "ja", "new", "kumamoto-mifune-henko-r7", "--data", str(data)]) == ExitStatus.BAD_INPUT
    err = capsys.readouterr().err
    assert f"id kumamoto-mifune-henko-r7 は {data / AGREEMENT} が既に使っています" in err
    assert not (data / "kumamoto-mifune-henko-r7.yaml").exists()


def test_a_proofreading_warning_names_its_place_in_the_document_as_an_error_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "name: 藤木正", "name: 藤木 正")
    status, out, err = run(["--lang", "ja", "check", str(data / AGREEMENT)], capsys)
    line = line_of(data, AGREEMENT, "藤木 正")
    assert status == 0 and out.strip().endswith("問題ありません（警告 1 件）")
    assert err.startswith(f"{data / AGREEMENT}:{line}:9: 乙 氏名 [partner.name]: 警告: 文の途中に空白")
