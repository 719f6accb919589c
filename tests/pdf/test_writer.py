"""pdf.writer: the file ReportLab's objects are serialised into, read back with pikepdf (qpdf)."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest

from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.pdf import writer
from kyoyaku_pdf.pdf.metadata import DocumentMetadata
from kyoyaku_pdf.pdf.writer import SavingCanvas, write_pdf

META = DocumentMetadata("題", "作者", "件名", "語", "kyoyaku-pdf", "kyoyaku-pdf", dt.datetime(2025, 3, 24, tzinfo=dt.timezone.utc))


def _two_copies() -> bytes:
    """Two copies of a two-page document: pages 3–4 draw what pages 1–2 drew, each copy a Part."""
    tags = Tags()
    canvas = SavingCanvas(io.BytesIO(), invariant=1)
    for _ in range(2):
        part = tags.root.add("Part")
        for text in ("first", "second"):
            with part.add("H1").marked(canvas):
                canvas.drawString(100, 700, text)
            with part.add("Table").add("TR").add("TH", Scope="Row").marked(canvas):
                canvas.drawString(100, 600, text)
            canvas.showPage()
    canvas.save()
    return write_pdf(canvas, tags, META)


def _objects(data: bytes) -> dict[tuple[int, int], str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {obj.objgen: repr(obj) for obj in pdf.objects if not isinstance(obj, pikepdf.Stream)}


def test_stacked_twins_read_back_as_the_plain_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    stacked = _two_copies()
    assert b"/Predictor 15" in stacked, "the twins were stacked"
    monkeypatch.setattr(writer, "_stacked", lambda bodies, twins: writer._plain(bodies))
    plain = _two_copies()
    assert b"/Predictor 15" not in plain
    assert _objects(stacked) == _objects(plain), "the same objects under the same numbers"


def test_twin_pages_are_numbered_side_by_side_and_keep_their_own_keys() -> None:
    with pikepdf.open(io.BytesIO(_two_copies())) as pdf:
        pages = [page.obj for page in pdf.pages]
        numbers = [page.objgen[0] for page in pages]
        assert numbers[2] == numbers[0] + 1 and numbers[3] == numbers[1] + 1
        assert [int(page.StructParents) for page in pages] == [0, 1, 2, 3]
        assert pages[2].Contents.objgen == pages[0].Contents.objgen


def test_file_syntax() -> None:
    data = _two_copies()
    assert data.startswith(b"%PDF-1.7\n%") and data.endswith(b"%%EOF\n")
    assert b"\nendstream" in data and b"\x00endstream" not in data, "an EOL before every endstream"
    assert data.count(b"endstream") == data.count(b"\nendstream")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        first, second = (bytes(part) for part in pdf.trailer.ID)
        assert first == second and len(first) == 16
        assert pdf.Root.MarkInfo.Marked is True and pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.Metadata.Subtype == "/XML" and b"<pdfuaid:part>1" in pdf.Root.Metadata.read_bytes()
    assert _two_copies() == data, "same input, same bytes"


def test_a_stream_reportlab_compresses_is_formatted_as_reportlab_formats_it() -> None:
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFDocument, PDFStream, PDFZCompress

    document = PDFDocument(invariant=1)
    for data in (b"font program " * 50, b"another " * 40, b"font program " * 50):
        stream = PDFStream(PDFDictionary({"Length1": len(data)}), data, filters=[PDFZCompress])
        assert writer._deflated(stream).format(document) == stream.format(document)
    page = PDFStream(PDFDictionary(), b"BT ET", filters=None)
    assert writer._deflated(page) is page, "a stream ReportLab does not compress is left alone"
