"""pdf.structure and pdf.writer: the recorded tree written as StructTreeRoot/ParentTree with the pages,
read back with pikepdf."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest

from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.pdf.metadata import DocumentMetadata
from kyoyaku_pdf.pdf.structure import StructureError
from kyoyaku_pdf.pdf.writer import SavingCanvas, write_pdf

META = DocumentMetadata("題", "作者", "件名", "語", "kyoyaku-pdf", "kyoyaku-pdf", dt.datetime(2025, 3, 24, tzinfo=dt.timezone.utc))


def _two_pages(tags: Tags) -> SavingCanvas:
    """Page 1: a heading and the first part of a cell; page 2: the rest of the cell."""
    canvas = SavingCanvas(io.BytesIO(), invariant=1)
    heading = tags.root.add("H1")
    cell = tags.root.add("Table").add("TR").add("TD")
    for element in (heading, cell):
        with element.marked(canvas):
            canvas.drawString(100, 700, "x")
    canvas.showPage()
    with cell.marked(canvas):
        canvas.drawString(100, 700, "y")
    canvas.showPage()
    canvas.save()
    return canvas


def test_elements_parent_tree_and_pages() -> None:
    tags = Tags()
    data = write_pdf(_two_pages(tags), tags, META)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        heading, table = document.K
        td = table.K.K  # a single kid is written without an array
        page1, page2 = (p.obj for p in pdf.pages)
        assert (str(heading.S), heading.K, heading.Pg.objgen) == ("/H1", 0, page1.objgen)
        assert "/Type" not in heading, "the optional /Type /StructElem is left out"
        assert td.K[0] == 1 and td.K[1].Type == "/MCR" and td.K[1].Pg.objgen == page2.objgen and td.K[1].MCID == 0
        nums = list(root.ParentTree.Nums)
        assert nums[0] == 0 and [e.objgen for e in nums[1]] == [heading.objgen, td.objgen]
        assert nums[2] == 1 and [e.objgen for e in nums[3]] == [td.objgen]
        assert (page1.StructParents, page2.StructParents, root.ParentTreeNextKey) == (0, 1, 2)
        assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "ja"
        assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf.Root.Metadata.read_bytes()
    again = Tags()
    assert write_pdf(_two_pages(again), again, META) == data, "same input, same bytes"


def test_an_mcid_recorded_twice_is_refused() -> None:
    tags = Tags()
    canvas = _two_pages(tags)
    tags.root.add("P").kids.append(tags.root.kids[0].kids[0])  # the heading's mark, claimed again
    with pytest.raises(StructureError, match="recorded twice"):
        write_pdf(canvas, tags, META)


def _copies(tags: Tags, third: str) -> bytes:
    """Three pages, each a heading drawn under its own element: page 3 draws ``third``, which is
    page 1's text when the pages are to be the same (MCIDs restart at 0 on each page)."""
    canvas = SavingCanvas(io.BytesIO(), invariant=1)
    for text in ("copy", "other", third):
        with tags.root.add("H1").marked(canvas):
            canvas.drawString(100, 700, text)
        canvas.showPage()
    canvas.save()
    return write_pdf(canvas, tags, META)


def test_identical_pages_share_one_content_stream_and_keep_their_own_structure() -> None:
    tags = Tags()
    with pikepdf.open(io.BytesIO(_copies(tags, "copy"))) as pdf:
        first, second, third = (p.obj for p in pdf.pages)
        assert third.Contents.objgen == first.Contents.objgen != second.Contents.objgen
        assert (first.StructParents, second.StructParents, third.StructParents) == (0, 1, 2)
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        one, three = nums[1][0], nums[5][0]
        assert one.objgen != three.objgen, "each page's MCID 0 has its own element"
        assert (one.Pg.objgen, three.Pg.objgen) == (first.objgen, third.objgen)
        assert [e.objgen for e in pdf.Root.StructTreeRoot.K[0].K] == [one.objgen, nums[3][0].objgen, three.objgen]


def test_pages_that_differ_in_one_byte_keep_their_own_streams() -> None:
    tags = Tags()
    with pikepdf.open(io.BytesIO(_copies(tags, "copY"))) as pdf:
        objects = {p.obj.Contents.objgen for p in pdf.pages}
        assert len(objects) == 3


def test_the_structure_is_saved_in_object_streams() -> None:
    tags = Tags()
    data = _copies(tags, "copy")
    assert b"/Type/ObjStm" in data and b"/Type/XRef" in data and b"/S/H1" not in data, "the elements are compressed"
    assert data.startswith(b"%PDF-1.7")
