"""verify-archive sees everything and never crashes: every stray entry of the root, every malformed
ledger line (with its number) and manifest, writable files, and --expect against a kept hash."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from archive_helpers import AGREEMENT_ID, assert_clean, file_version, scratch  # noqa: F401 (fixture)
from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.records.archive import LEDGER, LOCK, MANIFEST, recover

VERSION = Path(AGREEMENT_ID) / "v1"


@pytest.fixture()
def root(scratch: Path) -> Path:
    archive_root = scratch / "archive"
    file_version(archive_root, "v1")
    return archive_root


def verify_json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    status = main(["verify-archive", str(root), "--json", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部エラー" not in err
    return status, json.loads(out)


def findings(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[tuple[str, str, int | None]]:
    """(code, file relative to the root, line) of every finding, via the --json output."""
    status, document = verify_json(root, capsys, *extra)
    problems = document["problems"]
    assert status == (1 if problems else 0) == document["status"]
    return sorted((p["code"], os.path.relpath(p["file"], root), p["line"]) for p in problems)


def writable(path: Path) -> None:
    path.chmod(0o755 if path.is_dir() else 0o644)


def append_ledger(root: Path, data: bytes) -> None:
    with (root / LEDGER).open("ab") as handle:
        handle.write(data)


@pytest.mark.parametrize(
    ("line", "code"),
    [(b"[]", "archive-verify-ledger-not-record"), (b"1", "archive-verify-ledger-not-record"),
     (b'{"manifest": null}', "archive-verify-ledger-not-record"), (b"\xff\xfe{}", "archive-verify-ledger-not-utf8"),
     (b"{not json", "archive-verify-ledger-not-json"), (b"", "archive-verify-ledger-not-json"),
     (b'{"manifest": "../../etc/manifest.json", "sha256": "00", "previous": ""}', "archive-verify-ledger-bad-path")],
    ids=["list", "number", "null-manifest", "bad-utf8", "not-json", "empty-line", "outside-path"],
)
def test_a_malformed_ledger_line_is_a_finding_with_its_number(root: Path, capsys: pytest.CaptureFixture[str],
                                                              line: bytes, code: str) -> None:
    append_ledger(root, line + b"\n")
    found = findings(root, capsys)
    assert (code, LEDGER, 2) in found
    # a line that is not a record cannot name the right "previous"; only the outside path one can try
    assert set(found) <= {(code, LEDGER, 2), ("archive-verify-chain-broken", LEDGER, 2)}


def test_a_torn_last_line_is_a_finding(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_ledger(root, b'{"manifest": "kumamoto')
    assert findings(root, capsys) == [("archive-verify-ledger-torn", LEDGER, 2)]


def test_a_duplicate_record_is_a_finding(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = (root / LEDGER).read_bytes().rstrip(b"\n")
    record = json.loads(first) | {"previous": hashlib.sha256(first).hexdigest()}
    append_ledger(root, json.dumps(record, sort_keys=True).encode() + b"\n")
    assert findings(root, capsys) == [("archive-verify-ledger-duplicate", LEDGER, 2)]


def replace_manifest(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def tamper(folder: Path) -> None:
        writable(folder)
        (folder / MANIFEST).unlink()
        make(folder / MANIFEST)
    return tamper


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (replace_manifest(lambda p: p.mkdir()), ("archive-verify-manifest-not-file", f"{VERSION}/{MANIFEST}", None)),
        (replace_manifest(lambda p: p.write_bytes(b"{bad json")), ("archive-verify-manifest-not-json", f"{VERSION}/{MANIFEST}", None)),
        (replace_manifest(lambda p: p.write_bytes(b"[1, 2]")), ("archive-verify-manifest-not-manifest", f"{VERSION}/{MANIFEST}", None)),
        (replace_manifest(lambda p: p.write_text('{"files": [{"path": "../../../etc/passwd", "sha256": "0"}]}')),
         ("archive-verify-manifest-bad-entry", f"{VERSION}/{MANIFEST}", None)),
        (replace_manifest(lambda p: p.symlink_to("/etc/hostname")), ("archive-verify-manifest-not-file", f"{VERSION}/{MANIFEST}", None)),
        (replace_manifest(lambda p: None), ("archive-verify-manifest-missing", f"{VERSION}/{MANIFEST}", None)),
    ],
    ids=["folder", "bad-json", "not-object", "path-outside", "symlink", "missing"],
)
def test_a_broken_manifest_is_a_finding(root: Path, capsys: pytest.CaptureFixture[str], tamper, expected) -> None:  # type: ignore[no-untyped-def]
    tamper(root / VERSION)
    found = findings(root, capsys)
    assert expected in found, found


def test_a_version_folder_replaced_by_a_link_is_found(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = root.parent / "copy"
    (root / VERSION).rename(copy)
    (root / VERSION).symlink_to(copy)
    found = findings(root, capsys)
    assert ("archive-verify-version-not-folder", str(VERSION), None) in found
    assert ("archive-verify-stray-link", str(VERSION), None) in found


@pytest.mark.parametrize(
    ("plant", "expected"),
    [
        (lambda r: (r / "stray.txt").write_text("x"), ("archive-verify-stray-file", "stray.txt")),
        (lambda r: (r / "link").symlink_to(r.parent), ("archive-verify-stray-link", "link")),
        (lambda r: (r / "Not-An-Id").mkdir(), ("archive-verify-stray-folder", "Not-An-Id")),
        (lambda r: (r / ".filing-deadbeef").mkdir(), ("archive-verify-staging-leftover", ".filing-deadbeef")),
        (lambda r: (r / AGREEMENT_ID / "forged").mkdir(), ("archive-verify-unrecorded-no-manifest", f"{AGREEMENT_ID}/forged")),
        (lambda r: ((r / AGREEMENT_ID / "forged").mkdir(), (r / AGREEMENT_ID / "forged" / MANIFEST).write_text("{}")),
         ("archive-verify-unrecorded", f"{AGREEMENT_ID}/forged")),
        (lambda r: (r / AGREEMENT_ID / "x.pdf").write_text("x"), ("archive-verify-stray-file", f"{AGREEMENT_ID}/x.pdf")),
        (lambda r: (r / AGREEMENT_ID / "v9").symlink_to(r / VERSION), ("archive-verify-stray-link", f"{AGREEMENT_ID}/v9")),
        (lambda r: (writable(r / VERSION), (r / VERSION / "evil").symlink_to("/etc/passwd")),
         ("archive-verify-link-inside", f"{VERSION}/evil")),
        (lambda r: (r / LOCK).unlink() or (r / LOCK).mkdir(), ("archive-verify-not-a-file", LOCK)),
    ],
    ids=["file", "link", "bad-name", "staging", "forged-empty", "forged-manifest", "file-in-id", "link-in-id",
         "link-inside-version", "lock-folder"],
)
def test_every_entry_that_is_not_a_filed_version_is_reported(root: Path, capsys: pytest.CaptureFixture[str],
                                                             plant, expected) -> None:  # type: ignore[no-untyped-def]
    plant(root)
    assert expected in [(code, path) for code, path, _ in findings(root, capsys)]


def test_writable_files_and_folders_are_reported(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    writable(root / VERSION / "sources")
    writable(root / VERSION / f"{AGREEMENT_ID}.pdf")
    assert findings(root, capsys) == [("archive-verify-writable", f"{VERSION}/{AGREEMENT_ID}.pdf", None),
                                      ("archive-verify-writable", f"{VERSION}/sources", None)]


def test_a_staging_leftover_is_reported_until_recovered(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / ".filing-0badf00d").mkdir()
    assert findings(root, capsys) == [("archive-verify-staging-leftover", ".filing-0badf00d", None)]
    assert [r.outcome for r in recover(root)] == ["discarded"]
    assert_clean(root, versions=1)


def test_expect_checks_the_chain_end_against_the_kept_hash(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = hashlib.sha256((root / LEDGER).read_bytes().rstrip(b"\n")).hexdigest()
    assert findings(root, capsys, "--expect", kept) == []
    assert findings(root, capsys, "--expect", kept.upper()) == []
    file_version(root, "v2")
    assert findings(root, capsys, "--expect", kept) == [("archive-verify-expect-earlier", LEDGER, 1)]
    # a consistent rewrite: both lines replaced by a chain that verifies on its own, without v1
    (root / LEDGER).chmod(0o644)
    second = (root / LEDGER).read_bytes().splitlines()[1]
    (root / LEDGER).write_bytes(json.dumps(json.loads(second) | {"previous": ""}, sort_keys=True).encode() + b"\n")
    found = findings(root, capsys, "--expect", kept)
    assert ("archive-verify-expect-not-found", LEDGER, None) in found


@pytest.mark.parametrize("value", ["abc", "g" * 64, "--list"])
def test_a_malformed_expect_is_bad_input(root: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    status, document = verify_json(root, capsys, f"--expect={value}")
    assert status == 2 == document["status"] and "SHA-256" in document["problems"][0]["message"]


def test_json_shape_and_japanese_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "stray.txt").write_text("x")
    status, document = verify_json(root, capsys)
    assert status == 1 and document["command"] == "verify-archive"
    problem = document["problems"][0]
    assert set(problem) == {"file", "line", "column", "field", "place", "code", "message", "severity"}
    assert problem["severity"] == "error" and "ファイルです" in problem["message"]
    result = document["results"][0]
    assert result["versions"] == 1 and result["chain_end"] == hashlib.sha256(
        (root / LEDGER).read_bytes().rstrip(b"\n")).hexdigest()
    assert main(["verify-archive", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root / 'stray.txt'}: 保存庫の中の" in out and "綴り込み 1 件を確認しました。問題 1 件。" in out


def test_no_archive_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-archive", str(tmp_path / "none")]) == 2
    assert "保存庫（フォルダ）はありません" in capsys.readouterr().err


def test_an_empty_root_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(tmp_path, capsys) == []


def test_fifos_planted_anywhere_neither_hang_nor_crash(root: Path, cli_env: dict[str, str]) -> None:
    """A FIFO as the lock, the ledger, a manifest or an archived file: opening one for reading would wait
    for a writer forever. Run in a subprocess with a timeout, so a hang fails instead of stopping the suite."""
    for path in (root / LOCK, root / VERSION / MANIFEST, root / VERSION / f"{AGREEMENT_ID}.pdf"):
        writable(path.parent)
        path.unlink()
        os.mkfifo(path)
    command = [sys.executable, "-m", "kyoyaku_pdf", "verify-archive", str(root), "--json"]
    run = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    found = {(p["code"], os.path.relpath(p["file"], root)) for p in json.loads(run.stdout)["problems"]}
    assert {("archive-verify-not-a-file", LOCK), ("archive-verify-manifest-not-file", f"{VERSION}/{MANIFEST}"),
            ("archive-verify-special-inside", f"{VERSION}/{AGREEMENT_ID}.pdf")} <= found
    (root / LEDGER).unlink()
    os.mkfifo(root / LEDGER)
    run = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and ("archive-verify-not-a-file", LEDGER) in {
        (p["code"], os.path.relpath(p["file"], root)) for p in json.loads(run.stdout)["problems"]}
    filing = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "archive", str(DATA / AGREEMENT), "--root",
                             str(root), "--version", "v2"], env=cli_env, capture_output=True, text=True, timeout=60)
    assert filing.returncode == 2 and "ロックファイル" in filing.stderr and "Traceback" not in filing.stderr


def test_a_planted_deep_tree_is_a_finding_not_a_crash(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    writable(root / VERSION)
    deep = root / VERSION / "/".join(["d"] * 60)
    deep.mkdir(parents=True)
    found = findings(root, capsys)
    assert ("archive-verify-too-deep", str(VERSION / "/".join(["d"] * 33)), None) in found


def test_an_extra_empty_folder_and_a_hard_link_inside_a_version_are_found(root: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    writable(root / VERSION)
    (root / VERSION / "extra").mkdir()
    (root / VERSION / "extra").chmod(0o555)
    os.link(root / VERSION / f"{AGREEMENT_ID}.pdf", root.parent / "elsewhere.pdf")
    (root / VERSION).chmod(0o555)
    assert findings(root, capsys) == [("archive-verify-folder-unlisted", f"{VERSION}/extra", None),
                                      ("archive-verify-hard-link", f"{VERSION}/{AGREEMENT_ID}.pdf", None)]


def test_an_older_versions_staging_leftover_is_reported_and_removed_by_recover(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kyoyaku-pdf before this change staged in <id>/.<version>.XXXXXXXX and could leave it behind."""
    leftover = root / AGREEMENT_ID / ".2025-03-24.k3j_x9q2"
    (leftover / "sources").mkdir(parents=True)
    (leftover / "kumamoto-mifune-henko-r7.pdf").write_bytes(b"%PDF half")
    (leftover / "kumamoto-mifune-henko-r7.pdf").chmod(0o444)
    assert findings(root, capsys) == [("archive-verify-staging-leftover", str(leftover.relative_to(root)), None)]
    assert main(["archive", "--recover", "--root", str(root)]) == 0
    assert ".2025-03-24.k3j_x9q2" in capsys.readouterr().out
    assert not leftover.exists()
    assert_clean(root, versions=1)
