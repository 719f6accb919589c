"""Labels and paths stay inside: no version label, id or planted link makes the archive or an output
write anywhere but inside its root; the last good output survives a full disk."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
from archive_helpers import AGREEMENT_ID, PDF, SOURCES, assert_clean, codes, file_version, scratch  # noqa: F401
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import OutputError
from kyoyaku_pdf.pdf.pdfa import LEVELS
from kyoyaku_pdf.records import archive
from kyoyaku_pdf.records.archive import ArchiveRefused, check_label
from kyoyaku_pdf.records.safe_files import write_atomically

BAD_LABELS = ["../../outside", "./../../outside", "a/b", "..", "a..b", ".hidden", "-x", "", "x" * 65, "a\\b",
              "a b", "a\tb", "/abs", "ver\u202esion"]


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("label", BAD_LABELS)
def test_a_bad_version_label_is_refused_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   label: str) -> None:
    work = tmp_path / "work"
    root = work / "archive"
    work.mkdir()
    assert main(["archive", str(DATA / AGREEMENT), "--root", str(root), f"--version={label}"]) == 2
    err = capsys.readouterr().err
    assert "版の名前" in err and "使えません" in err and "Traceback" not in err
    assert "\t" not in err and "\u202e" not in err, "echoed input is escaped"
    assert tree(tmp_path) == ["work"], "no archive, no empty folder, nothing outside"


@pytest.mark.parametrize("label", ["2025-03-24", "2025-03-24-r2", "r2", "v1.2", "令和7年3月", "a_b+c"])
def test_ordinary_labels_are_accepted(label: str) -> None:
    assert check_label(label) == label


@pytest.mark.parametrize("agreement_id", ["../x", "A", "a/b", ".x", "-x", "x" * 65])
def test_the_archive_checks_the_id_itself(scratch: Path, agreement_id: str) -> None:
    with pytest.raises(ArchiveRefused, match="識別子"):
        archive.store(scratch / "archive", agreement_id, "v1", dt.date(2025, 3, 24), PDF, LEVELS["2u"], SOURCES)
    assert tree(scratch) == []


@pytest.mark.parametrize("planted", [AGREEMENT_ID, f"{AGREEMENT_ID}/v1", archive.LEDGER, archive.LOCK])
def test_a_link_planted_in_the_archive_is_never_followed(scratch: Path, planted: str) -> None:
    root, outside = scratch / "archive", scratch / "outside"
    outside.mkdir()
    (outside / "victim").write_bytes(b"keep")
    if "/" in planted:
        (root / AGREEMENT_ID).mkdir(parents=True)
    root.mkdir(exist_ok=True)
    (root / planted).symlink_to(outside / ("victim" if planted in (archive.LEDGER, archive.LOCK) else "."))
    with pytest.raises(ArchiveRefused):
        file_version(root)
    assert tree(outside) == ["victim"] and (outside / "victim").read_bytes() == b"keep"
    assert "archive-verify-stray-link" in codes(root) or "archive-verify-not-a-file" in codes(root)


def test_a_link_planted_after_filing_is_reported_and_the_next_filing_refused(scratch: Path) -> None:
    root, outside = scratch / "archive", scratch / "outside"
    file_version(root, "v1")
    outside.mkdir()
    moved = root / AGREEMENT_ID
    moved.rename(outside / AGREEMENT_ID)
    moved.symlink_to(outside / AGREEMENT_ID)
    before = tree(outside)
    assert {"archive-verify-stray-link", "archive-verify-version-not-folder"} <= set(codes(root))
    with pytest.raises(ArchiveRefused, match="シンボリックリンク"):
        file_version(root, "v2")
    assert tree(outside) == before and not (outside / AGREEMENT_ID / "v2").exists()


def test_staging_and_the_lock_are_inside_the_root(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(archive, "reached", lambda step: seen.append(tree(scratch)))
    file_version(scratch / "archive")
    assert all(p.startswith("archive") for listing in seen for p in listing)
    assert_clean(scratch / "archive", versions=1)


# --- output files -------------------------------------------------------------------------------------------


def build(out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["build", str(DATA / AGREEMENT), "-o", str(out)])
    return status, capsys.readouterr().err


def test_a_link_planted_at_the_output_folder_is_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / AGREEMENT_ID).symlink_to(outside)
    status, err = build(out, capsys)
    assert status == 2 and "シンボリックリンク" in err and "Traceback" not in err
    assert tree(outside) == []


def test_a_link_planted_at_the_output_file_is_replaced_not_written_through(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.pdf"
    victim.write_bytes(b"keep")
    (out / AGREEMENT_ID).mkdir(parents=True)
    target = out / AGREEMENT_ID / f"{AGREEMENT_ID}.pdf"
    target.symlink_to(victim)
    status, _ = build(out, capsys)
    assert status == 0 and victim.read_bytes() == b"keep"
    assert not target.is_symlink() and target.read_bytes().startswith(b"%PDF")


def test_a_link_planted_at_the_notices_folder_is_not_followed(tmp_path: Path) -> None:
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (out / AGREEMENT_ID).mkdir(parents=True)
    (out / AGREEMENT_ID / "notices").symlink_to(outside)
    with pytest.raises(OutputError, match="シンボリックリンク"):
        write_atomically(out / AGREEMENT_ID / "notices" / "x.txt", b"text")
    assert tree(outside) == []


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_full_disk_keeps_the_last_good_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], failing: str) -> None:
    out = tmp_path / "out"
    assert build(out, capsys)[0] == 0
    target = out / AGREEMENT_ID / f"{AGREEMENT_ID}.pdf"
    good = target.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, failing, full)
    status, err = build(out, capsys)
    monkeypatch.undo()
    assert status == 2 and "ディスクの空きが足りない" in err and "前回の出力はそのまま残っています" in err
    assert "Traceback" not in err and "内部エラー" not in err
    assert target.read_bytes() == good
    assert tree(out) == [AGREEMENT_ID, f"{AGREEMENT_ID}/{AGREEMENT_ID}.pdf"], "no temporary file left"


def test_a_killed_writers_temporary_file_is_removed_next_time(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "x"
    folder.mkdir(parents=True)
    dead = os.fork()
    if dead == 0:  # pragma: no cover
        os._exit(0)
    os.waitpid(dead, 0)
    (folder / f".x.pdf.{dead}.abcd.tmp").write_bytes(b"half")
    (folder / f".x.pdf.{os.getpid()}.live.tmp").write_bytes(b"another run")
    write_atomically(folder / "x.pdf", b"%PDF")
    assert tree(folder) == [f".x.pdf.{os.getpid()}.live.tmp", "x.pdf"]


def test_a_folder_planted_at_the_target_an_instant_before_the_move_is_not_replaced(
        scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = scratch / "archive"

    def plant(step: str) -> None:
        if step == "intent-written":
            (root / AGREEMENT_ID / "v1").mkdir(parents=True)  # empty: a plain rename(2) would replace it
    monkeypatch.setattr(archive, "reached", plant)
    with pytest.raises(ArchiveRefused, match="既に綴り込まれています"):
        file_version(root)
    assert tree(root / AGREEMENT_ID) == ["v1"]
    assert codes(root) == ["archive-verify-unrecorded-no-manifest"]


def test_a_torn_ledger_line_no_filing_explains_stops_filing(scratch: Path) -> None:
    """Not ours to cut (no interrupted filing names it): filing stops, with a message, until checked."""
    root = scratch / "archive"
    file_version(root, "v1")
    with (root / archive.LEDGER).open("ab") as ledger:
        ledger.write(b'{"manifest": "forged')
    with pytest.raises(ArchiveRefused, match="途中で切れています"):
        file_version(root, "v2")
    assert codes(root) == ["archive-verify-ledger-torn"]


def test_a_ledger_that_is_a_folder_is_refused_and_reported(scratch: Path) -> None:
    root = scratch / "archive"
    (root / archive.LEDGER).mkdir(parents=True)
    with pytest.raises(ArchiveRefused, match="ledger.jsonl"):
        file_version(root, "v1")
    assert codes(root) == ["archive-verify-not-a-file"]
