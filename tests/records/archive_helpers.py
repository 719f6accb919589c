"""Shared by the archive tests: a fast filing (the PDF bytes need not be a real PDF/A for the archive
layer), and the check every fault test ends with."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from datafiles import AGREEMENT, COMMON, DATA, SCHEDULES

from kyoyaku_pdf.pdf.pdfa import LEVELS
from kyoyaku_pdf.records import archive
from kyoyaku_pdf.records.verify import verify

AGREEMENT_ID = "kumamoto-mifune-henko-r7"
SOURCES = (DATA / AGREEMENT, DATA / COMMON, DATA / SCHEDULES)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def file_version(root: Path, version: str = "v1", pdf: bytes = PDF) -> archive.ArchiveEntry:
    return archive.store(root, AGREEMENT_ID, version, dt.date(2025, 3, 24), pdf, LEVELS["2u"], SOURCES,
                         report=lambda message: None)


def codes(root: Path) -> list[str]:
    return [finding.code for finding in verify(root).findings]


def assert_clean(root: Path, versions: int) -> None:
    """Intact, with exactly ``versions`` filed, and nothing left over anywhere in the root."""
    report = verify(root)
    assert report.findings == [], [str(f) for f in report.findings]
    assert report.versions == versions == report.ledger_lines
    assert not [p for p in root.iterdir() if p.name.startswith(archive.STAGING_PREFIX)]


@pytest.fixture()
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A folder on tmpfs when there is one: the fault tests run hundreds of filings, and fsync on a
    real disk would make them slow without making them any more exact (the logic is what is tested)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="kyoyaku-archive-", dir=shm))
    try:
        yield folder
    finally:
        for parent, folders, _ in os.walk(folder):
            for path in (os.path.join(parent, name) for name in folders):
                if not os.path.islink(path):
                    os.chmod(path, 0o700)
        shutil.rmtree(folder)


def ledger_has_a_line(root: Path) -> bool:
    ledger = root / archive.LEDGER
    return ledger.is_file() and ledger.read_bytes().endswith(b"\n")
