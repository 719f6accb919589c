"""revision: ``diff --since REV`` hands git nothing but a verified commit, and reads no committed link."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import InputError, Problem
from kyoyaku_pdf.input.revision import RevisionError, checkout_at

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=where, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of data/, committed once."""
    shutil.copytree(DATA, tmp_path / "data")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "data")
    git(tmp_path, "commit", "-q", "-m", "data")
    return tmp_path


def test_a_committed_revision_is_read(repo: Path) -> None:
    old, temporary = checkout_at(repo / "data" / AGREEMENT, "HEAD")
    try:
        assert old.read_bytes() == (repo / "data" / AGREEMENT).read_bytes()
    finally:
        temporary.cleanup()


@pytest.mark.parametrize("revision", ["--output=VICTIM", "--list", "-o", "--remote=x", "", "HEAD\x00", "nope"])
def test_a_revision_that_looks_like_an_option_is_a_bad_revision(repo: Path, revision: str) -> None:
    victim = repo / "VICTIM"
    victim.write_text("keep me", encoding="utf-8")
    revision = revision.replace("VICTIM", str(victim))
    with pytest.raises(RevisionError):
        checkout_at(repo / "data" / AGREEMENT, revision)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_diff_since_an_option_exits_2_in_words_and_touches_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "ja")
    victim = repo / "VICTIM"
    victim.write_text("keep me", encoding="utf-8")
    assert main(["diff", str(repo / "data" / AGREEMENT), f"--since=--output={victim}", "-o", str(repo / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "リビジョン" in err and "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "keep me" and not (repo / "x.pdf").exists()
    assert main(["diff", str(repo / "data" / AGREEMENT), "--since=--list"]) == 2


def commit_and_refuse(repo: Path) -> Problem:
    """Commit data/ as it is now; the one problem that reading it at HEAD gives."""
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "change")
    with pytest.raises(InputError) as caught:
        checkout_at(repo / "data" / AGREEMENT, "HEAD")
    [problem] = caught.value.problems
    return problem


def test_a_committed_symlink_is_refused_where_it_lies(repo: Path) -> None:
    link = repo / "data" / "common" / "passwd.yaml"
    link.symlink_to("/etc/passwd")
    problem = commit_and_refuse(repo)
    assert problem.code == "revision-link" and Path(problem.location.file) == link
    assert "/etc/passwd" in problem.message


def test_a_committed_file_over_the_limit_is_refused_without_reading_it_into_memory(repo: Path) -> None:
    big = repo / "data" / "common" / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    problem = commit_and_refuse(repo)
    assert problem.code == "file-too-large" and Path(problem.location.file) == big


def test_a_large_file_beside_the_data_is_left_out_not_refused(repo: Path) -> None:
    scan = repo / "data" / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(2 * 1024 * 1024))
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "scan")
    old, temporary = checkout_at(repo / "data" / AGREEMENT, "HEAD")
    try:
        assert old.is_file() and not (old.parent / "scan.pdf").exists()
    finally:
        temporary.cleanup()
