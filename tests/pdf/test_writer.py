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
    monkeypatch.setattr(writer, "_layouts", lambda bodies, twins: [writer._plain(bodies)])
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


def _decoded(layout: writer._Layout) -> bytes:
    """The stream a reader decodes: the PNG rows undone (Up: each byte plus the byte above)."""
    rows = writer._png_rows(layout.data, layout.columns, layout.filters or [])
    out, above = bytearray(), bytes(layout.columns)
    for start in range(0, len(rows), layout.columns + 1):
        kind, row = rows[start], rows[start + 1:start + 1 + layout.columns]
        row = row if kind == 0 else bytes((a + b) & 0xFF for a, b in zip(row, above))
        out += row
        above = row
    return bytes(out)


@pytest.mark.parametrize("count", [30, 200])
def test_a_stacked_stream_holds_every_object_where_its_header_says(count: int) -> None:
    """Many one-digit twins (more than a band's header row has room for) and a few singles."""
    bodies = {n: b"%d" % (n % 10) for n in range(10, 10 + 2 * count)}
    bodies.update({1: b"<</Type/Catalog>>", 2: b"<</Long[" + b"1 " * 600 + b"]>>"})
    twins = [(n, n + 1) for n in range(10, 10 + 2 * count, 2)]
    plain, stacked = writer._layouts(bodies, twins)
    assert sorted(plain.numbers) == [1, 2] and plain.filters is None
    assert set(stacked.filters or []) <= {0, 2}, "rows of NULs (type 0) between bands, all else Up"
    assert all(stacked.data[i:i + stacked.columns] == bytes(stacked.columns)
               for i, kind in zip(range(0, len(stacked.data), stacked.columns), stacked.filters or []) if kind == 0)
    data = _decoded(stacked)
    assert data == stacked.data
    header = data[:stacked.first].split()
    pairs = list(zip(header[0::2], header[1::2]))
    assert sorted(int(n) for n, _ in pairs) == sorted(stacked.numbers) == list(range(10, 10 + 2 * count))
    offsets = [int(at) for _, at in pairs]
    assert offsets == sorted(offsets), "offsets in increasing order (7.5.7)"
    for number, at in pairs:
        start = stacked.first + int(at)
        assert data[start:start + len(bodies[int(number)])] == bodies[int(number)], number


def test_pyhanko_reads_the_stacked_objects_as_qpdf_does() -> None:
    """pyHanko (which reads a signing PDF to refuse it) decodes a PNG row of type None as zeros:
    the stacked stream has no such row but rows of NULs."""
    generic = pytest.importorskip("pyhanko.pdf_utils.generic")
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = _two_copies()
    reader = PdfFileReader(io.BytesIO(data))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elements = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and "/P" in obj]
        assert len(elements) == 1 + 2 * (1 + 2 * 4)  # Document; per copy a Part, per page H1, Table, TR, TH
        for element in elements:
            read = generic.Reference(element.objgen[0], 0, reader).get_object()
            assert (str(read["/S"]), read.get("/P").idnum) == (str(element.S), element.P.objgen[0])
