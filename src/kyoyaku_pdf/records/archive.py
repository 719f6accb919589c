"""A tamper-evident archive of PDF/A files: write-once version folders, manifests, a hash chain.

Layout of an archive root::

    ledger.jsonl                      one line per archived version, each naming the SHA-256 of the
                                      previous line (a hash chain: editing or deleting a line shows)
    <agreement-id>/<version>/
        <agreement-id>.pdf            the PDF/A file
        sources/…                     copies of the YAML files it was made from
        manifest.json                 SHA-256 of every file above, of the fonts and ICC profile used,
                                      the tool version, the PDF/A level, the dates

A version folder is written once (into a temporary folder, then renamed into place) and its files
are made read-only; an existing version is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import KyoyakuError
from ..pdf.fonts import MINCHO
from ..pdf.pdfa import PdfaLevel, srgb_profile

MANIFEST = "manifest.json"
LEDGER = "ledger.jsonl"


class ArchiveRefused(KyoyakuError):
    """The archive step would change an existing version, or the archive cannot be used."""


@dataclass(frozen=True)
class ArchiveEntry:
    folder: Path
    manifest: dict[str, object]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store(
    root: Path, agreement_id: str, version: str, agreement_date: dt.date,
    pdf: bytes, level: PdfaLevel, sources: tuple[Path, ...],
) -> ArchiveEntry:
    """File one version; refuse if it exists. Returns the new version folder and its manifest."""
    target = root / agreement_id / version
    if target.exists():
        raise ArchiveRefused(
            f"{target} already exists: an archived version is never changed. "
            "To file a corrected agreement, give it a new --version."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=target.parent))
    try:
        files = _write_files(staging, agreement_id, pdf, sources)
        manifest = _manifest(agreement_id, version, agreement_date, level, files)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _make_read_only(staging)
        os.rename(staging, target)
    except BaseException:
        _remove_tree(staging)
        raise
    _append_ledger(root, target.relative_to(root) / MANIFEST, file_sha256(target / MANIFEST))
    return ArchiveEntry(target, manifest)


def _write_files(folder: Path, agreement_id: str, pdf: bytes, sources: tuple[Path, ...]) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    pdf_name = f"{agreement_id}.pdf"
    (folder / pdf_name).write_bytes(pdf)
    entries.append({"path": pdf_name, "role": "pdf/a", "bytes": len(pdf), "sha256": sha256(pdf)})
    base = sources[0].parent
    for source in sources:
        relative = Path(os.path.relpath(source, base))
        if ".." in relative.parts:
            relative = Path(source.name)
        copy = folder / "sources" / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        data = copy.read_bytes()
        entries.append({"path": f"sources/{relative.as_posix()}", "role": "source", "bytes": len(data), "sha256": sha256(data)})
    return entries


def _manifest(agreement_id: str, version: str, agreement_date: dt.date, level: PdfaLevel,
              files: list[dict[str, object]]) -> dict[str, object]:
    return {
        "agreement_id": agreement_id,
        "version": version,
        "agreement_date": agreement_date.isoformat(),
        "archived_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "tool": f"kyoyaku-pdf {__version__}",
        "pdfa_level": level.label,
        "files": files,
        # provenance: what the PDF was made with (not stored in the archive; their programs are embedded)
        "fonts": [{"name": MINCHO.name, "file": MINCHO.file, "sha256": file_sha256(MINCHO.path)}],
        "icc_profile": {"file": "sRGB.icc", "sha256": sha256(srgb_profile())},
    }


def _make_read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            path.chmod(0o444)


def _remove_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    shutil.rmtree(folder, ignore_errors=True)


def _ledger_lines(root: Path) -> list[str]:
    ledger = root / LEDGER
    return ledger.read_text(encoding="utf-8").splitlines() if ledger.exists() else []


def _append_ledger(root: Path, manifest: Path, manifest_hash: str) -> None:
    lines = _ledger_lines(root)
    previous = sha256(lines[-1].encode("utf-8")) if lines else ""
    record = {"manifest": manifest.as_posix(), "sha256": manifest_hash, "previous": previous}
    with (root / LEDGER).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def verify(root: Path) -> tuple[list[str], int]:
    """Re-hash everything under ``root``; return (problems, number of versions checked)."""
    if not root.is_dir():
        raise ArchiveRefused(f"{root}: no archive here (not a folder)")
    problems: list[str] = []
    manifests = sorted(root.glob(f"*/*/{MANIFEST}"))
    for manifest_path in manifests:
        problems += _verify_version(manifest_path)
    problems += _verify_ledger(root, manifests)
    return problems, len(manifests)


def _verify_version(manifest_path: Path) -> list[str]:
    folder = manifest_path.parent
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{manifest_path}: unreadable manifest ({exc})"]
    problems = []
    for relative, expected in listed.items():
        path = folder / relative
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif file_sha256(path) != expected:
            problems.append(f"{path}: changed (SHA-256 differs from the manifest)")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    problems += [f"{folder / extra}: not listed in the manifest" for extra in sorted(present - set(listed))]
    return problems


def _verify_ledger(root: Path, manifests: list[Path]) -> list[str]:
    problems = []
    previous = ""
    recorded: set[str] = set()
    for number, line in enumerate(_ledger_lines(root), start=1):
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(f"{root / LEDGER}:{number}: not a ledger record")
            previous = sha256(line.encode("utf-8"))
            continue
        if record.get("previous") != previous:
            problems.append(f"{root / LEDGER}:{number}: the hash chain is broken (a line before it was changed or removed)")
        manifest = root / record.get("manifest", "")
        recorded.add(str(record.get("manifest")))
        if not manifest.is_file():
            problems.append(f"{manifest}: missing (recorded in the ledger, line {number})")
        elif file_sha256(manifest) != record.get("sha256"):
            problems.append(f"{manifest}: changed (SHA-256 differs from the ledger, line {number})")
        previous = sha256(line.encode("utf-8"))
    for manifest in manifests:
        if manifest.relative_to(root).as_posix() not in recorded:
            problems.append(f"{manifest}: not recorded in the ledger")
    return problems
