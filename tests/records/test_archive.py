"""archive: write-once versions, manifests that hash everything, a ledger chain, and verification."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf import __version__
from kyoyaku_pdf.records.archive import LEDGER, MANIFEST
from kyoyaku_pdf.records.verify import verify
from kyoyaku_pdf.cli.main import main

VERSION_DIR = Path("kumamoto-mifune-henko-r7") / "2025-03-24"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English wording; the Japanese is checked in test_archive_verify.py."""
    monkeypatch.setenv("KYOYAKU_LANG", "en")


@pytest.fixture()
def root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    archive_root = tmp_path / "archive"
    assert main(["archive", str(DATA / AGREEMENT), "--root", str(archive_root)]) == 0
    assert capsys.readouterr().out.strip() == str(archive_root / VERSION_DIR)
    return archive_root


def force_write(path: Path, data: bytes) -> None:
    path.chmod(0o644)  # the test plays a tamperer who makes it writable again
    path.write_bytes(data)


def test_manifest_hashes_every_file_and_names_tools(root: Path) -> None:
    folder = root / VERSION_DIR
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert set(listed) == {"kumamoto-mifune-henko-r7.pdf", "sources/mifune-henko-r7.yaml",
                           "sources/common/kumamoto-henko-r7.yaml", "sources/common/beppyo-r7.yaml"}
    for relative, digest in listed.items():
        assert sha(folder / relative) == digest
    assert sha(folder / "sources/common/beppyo-r7.yaml") == sha(DATA / "common/beppyo-r7.yaml")
    assert manifest["tool"] == f"kyoyaku-pdf {__version__}" and manifest["pdfa_level"] == "PDF/A-2a"  # the default level
    assert manifest["agreement_date"] == "2025-03-24" and manifest["archived_at"]
    assert manifest["fonts"][0]["sha256"] == sha(DATA.parent / "fonts" / "BIZUDMincho-Regular.ttf")
    assert (folder / "kumamoto-mifune-henko-r7.pdf").read_bytes().startswith(b"%PDF-1.7")
    assert all(not (p.stat().st_mode & 0o222) for p in folder.rglob("*") if p.is_file()), "archived files are read-only"
    assert all(p.stat().st_mode & 0o777 == 0o555 for p in [folder, *folder.rglob("*")] if p.is_dir()), "and folders"


def test_existing_version_is_never_overwritten(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = root / VERSION_DIR / "kumamoto-mifune-henko-r7.pdf"
    before = pdf.read_bytes()
    status = main(["archive", str(DATA / AGREEMENT), "--root", str(root), "--pdfa", "1b"])
    err = capsys.readouterr().err
    assert status == 2 and "already exists (ledger line 1): an archived version is never changed" in err
    assert pdf.read_bytes() == before
    assert len((root / LEDGER).read_text().splitlines()) == 1
    assert [p.name for p in (root / VERSION_DIR.parent).iterdir()] == ["2025-03-24"], "no staging folder left"


def test_a_new_version_label_files_alongside(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", str(DATA / AGREEMENT), "--root", str(root), "--version", "2025-03-24-r2"]) == 0
    capsys.readouterr()
    report = verify(root)
    assert (report.findings, report.versions) == ([], 2)


def test_intact_archive_verifies(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-archive", str(root)]) == 0
    summary, end = capsys.readouterr().out.strip().splitlines()
    assert summary.endswith("1 archived versions checked, 0 problems")
    assert end.startswith(f"ledger end hash: {hashlib.sha256((root / LEDGER).read_bytes()[:-1]).hexdigest()} ")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda f: force_write(f / "kumamoto-mifune-henko-r7.pdf", (f / "kumamoto-mifune-henko-r7.pdf").read_bytes()[:-1] + b" "),
         "kumamoto-mifune-henko-r7.pdf: changed"),
        (lambda f: (f / "sources/mifune-henko-r7.yaml").unlink(), "sources/mifune-henko-r7.yaml: missing"),
        (lambda f: (f / "extra.pdf").write_bytes(b"%PDF"), "extra.pdf: not listed in the manifest"),
        (lambda f: force_write(f / MANIFEST, (f / MANIFEST).read_bytes().replace(b'"PDF/A-2a"', b'"PDF/A-2b"')),
         "manifest.json: changed (SHA-256 differs from the ledger"),
    ],
    ids=["pdf-changed", "source-missing", "extra-file", "manifest-edited"],
)
def test_tampering_is_found(root: Path, capsys: pytest.CaptureFixture[str], tamper, expected: str) -> None:  # type: ignore[no-untyped-def]
    tamper(root / VERSION_DIR)
    assert main(["verify-archive", str(root)]) == 1
    assert expected in capsys.readouterr().out


def test_rewriting_the_ledger_breaks_the_chain(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", str(DATA / AGREEMENT), "--root", str(root), "--version", "r2"]) == 0
    ledger = root / LEDGER
    first, second = ledger.read_text().splitlines()
    ledger.write_text(first.replace('"previous": ""', '"previous": "x"') + "\n" + second + "\n")
    capsys.readouterr()
    assert main(["verify-archive", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{ledger}:1: the hash chain is broken" in out and f"{ledger}:2: the hash chain is broken" in out


def test_verify_without_an_archive_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-archive", str(tmp_path / "none")]) == 2
    assert "no archive here" in capsys.readouterr().err


def test_every_message_code_the_archive_uses_is_in_the_catalogue() -> None:
    """A mistyped code would be a KeyError in the one moment a records officer needs the message."""
    import re

    from kyoyaku_pdf.messages import catalogue

    src = Path(__file__).resolve().parents[2] / "src" / "kyoyaku_pdf"
    used: set[str] = set()
    for module in ("records/archive.py", "records/verify.py", "records/executed.py", "records/safe_files.py",
                   "cli/commands/archive.py"):
        used |= set(re.findall(r'"((?:archive|safe)-[a-z0-9-]+)"', (src / module).read_text(encoding="utf-8")))
    kinds = {"missing", "link", "folder", "file", "other"}
    used |= {f"archive-kind-{k}" for k in kinds} | {f"archive-verify-stray-{k}" for k in ("link", "folder", "file")}
    used |= {f"archive-recovered-{o}" for o in ("finished", "rolled-back", "discarded")}
    used -= {"archive-refused"}  # the --json problem code of a refusal, not a message
    assert used - set(catalogue()) == set()


def test_recover_with_nothing_to_do_and_archive_without_a_file(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "--recover", "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == f"{root}: no interrupted filing"
    assert main(["archive", "--root", str(root)]) == 2
    assert "give the agreement file to file, or --recover" in capsys.readouterr().err
    assert main(["archive", "--recover", "--root", str(root.parent / "none")]) == 2
    assert "no archive here" in capsys.readouterr().err
