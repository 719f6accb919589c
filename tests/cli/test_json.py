"""--json: one JSON document on stdout, the shape the README documents, for check, build and diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datafiles import AGREEMENT, SCHEDULES, data_copy, edit, line_of

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import ExitStatus

PROBLEM_KEYS = {"file", "line", "column", "field", "place", "code", "message", "severity"}


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    status = main(args)
    captured = capsys.readouterr()
    document = json.loads(captured.out)  # the whole of stdout is one document
    assert set(document) == {"command", "status", "problems", "results"} and document["status"] == status
    assert all(set(p) == PROBLEM_KEYS for p in document["problems"])
    return status, document, captured.err


def test_check_json_lists_errors_and_warnings_with_their_places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "content: 企業の事業活動を支援するため、", "content: 企業の事業活動を支援するため、、")
    broken = data / "broken.yaml"
    broken.write_text((data / AGREEMENT).read_text(encoding="utf-8").replace("id: kumamoto-mifune-henko-r7", "id: broken")
                      .replace("date: 2025-03-24", "date: 2025-02-30"), encoding="utf-8")
    status, document, err = run_json(["check", "--json", str(data / AGREEMENT), str(broken)], capsys)
    assert status == ExitStatus.BAD_INPUT and err == "" and document["command"] == "check"
    warning = next(p for p in document["problems"] if p["severity"] == "warning")
    assert (warning["file"], warning["line"], warning["field"]) == (str(data / SCHEDULES), line_of(data, SCHEDULES, "、、"), "schedules[0].areas[2].content")
    error = next(p for p in document["problems"] if p["severity"] == "error")
    assert error["file"] == str(broken) and error["line"] == line_of(data, "broken.yaml", "date:") and "2025-02-30" in error["message"]
    assert [(r["file"], r["status"]) for r in document["results"]] == [(str(data / AGREEMENT), 0), (str(broken), 2)]


def test_build_json_gives_each_agreement_its_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    status, document, err = run_json(["build", "--json", str(data / AGREEMENT), "-o", str(tmp_path / "out")], capsys)
    assert status == 0 and document["problems"] == [] and err == ""
    [result] = document["results"]
    assert result["id"] == "kumamoto-mifune-henko-r7" and result["partner"] == "御船町" and result["pages"] == 15
    assert [Path(p).is_file() for p in result["written"]] == [True] and result["bytes"] == Path(result["written"][0]).stat().st_size


def test_diff_json_lists_the_changes_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = data_copy(tmp_path / "old"), data_copy(tmp_path / "new")
    edit(new, SCHEDULES, "共同利用の推進等", "相互利用の推進等")
    status, document, _ = run_json(["diff", "--json", str(old / AGREEMENT), str(new / AGREEMENT), "-o", str(tmp_path / "d.pdf")], capsys)
    assert status == ExitStatus.FINDINGS
    [result] = document["results"]
    assert result["written"] == str(tmp_path / "d.pdf") and len(result["changes"]) == 1
    assert result["changes"] == ["別表第3 1 (5) 公共施設の有効利用 取組内容: 「共同利用」→「相互利用」"]


def test_an_error_that_is_not_in_a_file_is_still_one_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kyoyaku_pdf.cli.build as build

    monkeypatch.setattr(build, "render_signing_pdf", lambda *_, **__: 1 / 0)
    status, document, _ = run_json(["--lang", "ja", "build", "--json", str(data_copy(tmp_path) / AGREEMENT), "-o", str(tmp_path)], capsys)
    assert status == ExitStatus.INTERNAL_ERROR
    [problem] = document["problems"]
    assert problem["line"] is None and problem["code"] == "internal-error" and "内部エラー" in problem["message"]
    assert document["results"][0]["status"] == ExitStatus.INTERNAL_ERROR
