"""A one-character correction changes only the page it is on: the others render pixel-identical.

Rendered with poppler (pdftoppm), not with the code that wrote the PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from datafiles import AGREEMENT, SCHEDULES, data_copy, edit

from kyoyaku_pdf.cli.main import main

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


def render(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(folder / "p")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("p-*.pgm"))]


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize(
    ("old", "new", "marker"),
    [
        ("乙と連携して共同利用の推進等", "乙と連携して共同利用の促進等", "共同利用の促進等"),  # 別表第3 (5) 甲の役割
        ("name: 藤木正", "name: 藤木匠", "藤木匠"),  # the mayor's name on the signature page
    ],
    ids=["schedule-text", "mayor-name"],
)
def test_only_the_corrected_page_changes(tmp_path: Path, old: str, new: str, marker: str) -> None:
    data = data_copy(tmp_path)
    assert main(["build", str(data / AGREEMENT), "-o", str(tmp_path / "before")]) == 0
    edit(data, AGREEMENT if "name:" in old else SCHEDULES, old, new)
    assert main(["build", str(data / AGREEMENT), "-o", str(tmp_path / "after")]) == 0
    [before] = (tmp_path / "before").rglob("*.pdf")
    [after] = (tmp_path / "after").rglob("*.pdf")
    old_pages, new_pages = render(before, tmp_path / "r1"), render(after, tmp_path / "r2")
    assert len(old_pages) == len(new_pages), "a same-width correction must not change the page count"
    corrected = {i for i, text in enumerate(page_texts(after)) if marker in text.replace(" ", "")}
    assert len(corrected) == 2, "the corrected text is on one page of each copy"
    changed = {i for i, (a, b) in enumerate(zip(old_pages, new_pages)) if a != b}
    assert changed == corrected
