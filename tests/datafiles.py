"""Copies of the bundled data in a temporary folder, with one deliberate change, for error tests."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
AGREEMENT = "mifune-henko-r7.yaml"
COMMON = "common/kumamoto-henko-r7.yaml"
SCHEDULES = "common/beppyo-r7.yaml"


def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of data/ under tmp_path; returns the folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(folder: Path, relative: str, old: str, new: str, count: int = 1) -> Path:
    """Replace ``old`` by ``new`` in one file of the copy (it must occur); return the file."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def line_of(folder: Path, relative: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate((folder / relative).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found in {relative}")
