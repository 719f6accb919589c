"""The file writer: ReportLab's objects, serialised with object streams, a cross-reference stream and
the structure tree — in one pass, without re-opening the file.

ReportLab draws the pages and knows how to format each of its objects (``PDFDocument``'s table:
``idToObject`` by name, ``numberToId`` by object number, ``format(document)`` for the bytes); it
would then write them one after another with a classic xref table. Here the same bytes are written
as PDF 1.7 (ISO 32000-1 7.5.7–7.5.8): every non-stream object (pages, fonts' dictionaries, the
structure elements) packed into one Flate-compressed object stream, the streams (page content,
font programs, the XMP packet) as ordinary objects, then a compressed cross-reference stream. The
structure tree (structure.py) is registered as objects of ReportLab's table before it formats
anything, so every reference, ReportLab's or ours, comes from the one numbering.

Before, pikepdf (qpdf) re-opened ReportLab's file to add the tree and save it this way: ~23 ms of
import in every process and ~16 ms of every build. What qpdf did besides is done here too:
identical page content is stored once (tested on the bytes), and the trailer /ID comes from the
content, so the same input gives the same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from hashlib import md5

from reportlab.pdfbase.pdfdoc import PDFDocument, PDFName, PDFObject, PDFPage, PDFString, format as rl_format
from reportlab.pdfgen.canvas import Canvas

from ..layout.tagging import Tags
from .metadata import DocumentMetadata
from .structure import structure_tree

#: Header: the version and a comment of bytes ≥ 128 that marks the file as binary (7.5.2).
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
#: zlib level of the object stream and the xref stream: the best ratio; they are small (~30 KB).
OBJECT_STREAM_LEVEL = 9


class RawObject(PDFObject):
    """An object whose bytes are already made: a dictionary or array of the structure tree."""

    __RefOnly__ = 1  # always an indirect object

    def __init__(self, body: bytes) -> None:
        self.body = body

    def format(self, document: PDFDocument) -> bytes:
        return self.body


class RawStream(PDFObject):
    """A stream whose data are already encoded: ``entries`` are its dictionary's other keys."""

    __RefOnly__ = 1

    def __init__(self, data: bytes, entries: bytes = b"") -> None:
        self.data, self.entries = data, entries

    def format(self, document: PDFDocument) -> bytes:
        return b"<<%s/Length %d>>stream\n%s" % (self.entries, len(self.data), self.data) + b"endstream"


class SavingCanvas(Canvas):
    """A canvas that finishes its last page on ``save`` but writes nothing: ``write_pdf`` does."""

    def save(self) -> None:
        if len(self._code):
            self.showPage()


def write_pdf(canvas: Canvas, tags: Tags, meta: DocumentMetadata) -> bytes:
    """The finished file of what ``canvas`` drew (a SavingCanvas after the build), with the
    structure ``tags`` recorded while drawing and the catalog entries of a tagged, titled
    document: /MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle and the XMP packet with the
    PDF/UA identification (ISO 14289-1 5, 7.1)."""
    document = canvas._doc
    _prepare(document, canvas)
    pages: list[PDFPage] = list(document.Pages.pages)
    _share_contents(pages)
    numbers = [document.idToObjectNumberAndVersion[page.__InternalName__][0] for page in pages]
    tree = structure_tree(tags, numbers, document.objectcounter + 1)
    refs = [document.Reference(RawObject(body)) for body in tree.bodies]
    cat = document.Catalog
    cat.StructTreeRoot = refs[tree.root]
    cat.MarkInfo = b"<</Marked true>>"
    cat.ViewerPreferences = b"<</DisplayDocTitle true>>"
    cat.Lang = PDFString(meta.lang)
    cat.Metadata = RawStream(meta.xmp(), b"/Type/Metadata/Subtype/XML")
    for index, page in enumerate(pages):
        _add_page_entries(page, tree.keys.get(index))
    return _serialise(document)


def _prepare(document: PDFDocument, canvas: Canvas) -> None:
    """What ReportLab's ``GetPDFData`` does before formatting: the fonts' objects, the catalog and
    the Info dictionary registered, the outline prepared (and left out when there is none)."""
    for font in document.delayedFonts:
        font.addObjects(document)
    document.info.invariant = document.invariant
    document.Reference(document.Catalog)
    document.Reference(document.info)
    document.Outlines.prepare(document, canvas)
    if document.Outlines.ready < 0:
        document.Catalog.Outlines = None


def _share_contents(pages: list[PDFPage]) -> None:
    """Each page's content as one stream, compressed once per distinct content: a page whose
    content bytes equal an earlier page's points at that page's stream object (the second copy
    of an agreement draws exactly what the first drew; its MCIDs restart at 0 on each page). A
    page's appearance is its content read with its own /Resources, and its marked content maps
    through its own /StructParents to its own copy's elements — both stay per page."""
    streams: dict[tuple[bytes, bool], RawStream] = {}
    for page in pages:
        if page.Contents or page.Override_default_compilation or not page.stream:
            continue  # content ReportLab was given otherwise stays as ReportLab writes it
        code = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
        key = (code, bool(page.compression))
        if key not in streams:
            streams[key] = RawStream(zlib.compress(code), b"/Filter/FlateDecode") if page.compression \
                else RawStream(code)
        page.Contents = streams[key]


def _add_page_entries(page: PDFPage, key: int | None) -> None:
    """/Tabs /S on every page (PDF/UA 7.18.3) and /StructParents where it has marked content.
    ReportLab's page writes the keys its ``__NoDefault__`` lists; this page's list gets the two."""
    page.__NoDefault__ = [*PDFPage.__NoDefault__, "Tabs", *([] if key is None else ["StructParents"])]
    page.Tabs = PDFName("S")
    page.StructParents = key


@dataclass
class _Body:
    number: int
    data: bytes
    stream: bool


def _formatted(document: PDFDocument) -> list[_Body]:
    """Every registered object's bytes in number order; formatting registers more objects as it
    goes (ReportLab's own loop does the same), so the table is read until it is exhausted."""
    bodies = []
    number = 1
    while number in document.numberToId:
        obj = document.idToObject[document.numberToId[number]]
        document.encrypt.register(number, 0)
        data = rl_format(obj, document, toplevel=1)
        stream = data.endswith((b"endstream", b"endstream\n"))
        bodies.append(_Body(number, _eol_before_endstream(data) if stream else data.strip(), stream))
        number += 1
    return bodies


def _eol_before_endstream(data: bytes) -> bytes:
    """A stream as 7.3.8.1 has it: an end-of-line marker after the data, before ``endstream``
    (ReportLab writes the data right up to the keyword)."""
    return data.removesuffix(b"\n").removesuffix(b"endstream") + b"\nendstream"


def _serialise(document: PDFDocument) -> bytes:
    """Header, the stream objects, one object stream with all the others, the xref stream."""
    bodies = _formatted(document)
    out = [HEADER]
    offset = len(HEADER)
    entries: dict[int, tuple[int, int, int]] = {}  # number → (type, field 2, field 3), 7.5.8.3
    for body in bodies:
        if body.stream:
            entries[body.number] = (1, offset, 0)
            chunk = b"%d 0 obj\n%s\nendobj\n" % (body.number, body.data)
            out.append(chunk)
            offset += len(chunk)
    packed = [body for body in bodies if not body.stream]
    container = len(bodies) + 1
    for index, body in enumerate(packed):
        entries[body.number] = (2, container, index)
    chunk = _object_stream(container, packed)
    entries[container] = (1, offset, 0)
    out.append(chunk)
    offset += len(chunk)
    xref = container + 1
    entries[xref] = (1, offset, 0)
    ident = md5(b"".join(out), usedforsecurity=False).hexdigest().encode()
    root = document.idToObjectNumberAndVersion[document.Catalog.__InternalName__][0]
    info = document.idToObjectNumberAndVersion[document.info.__InternalName__][0]
    trailer = b"/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]" % (root, info, ident, ident)
    out.append(_xref_stream(xref, entries, trailer))
    out.append(b"startxref\n%d\n%%%%EOF\n" % offset)
    return b"".join(out)


def _object_stream(number: int, bodies: list[_Body]) -> bytes:
    """The objects in one compressed object stream (7.5.7): the pairs of object number and
    offset, then the objects, each on its own line."""
    offsets = []
    at = 0
    for body in bodies:
        offsets.append(b"%d %d" % (body.number, at))
        at += len(body.data) + 1
    head = b" ".join(offsets) + b"\n"
    data = zlib.compress(head + b"\n".join(body.data for body in bodies) + b"\n", OBJECT_STREAM_LEVEL)
    return b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n%s\nendstream\nendobj\n" % (
        number, len(bodies), len(head), len(data), data)


def _xref_stream(number: int, entries: dict[int, tuple[int, int, int]], trailer: bytes) -> bytes:
    """The cross-reference stream (7.5.8) with the trailer's entries: one row per object number
    0..Size-1, the PNG Up predictor over the rows (neighbouring rows differ in a byte or two)."""
    size = number + 1
    width = max(1, (max(value for _, value, _ in entries.values()).bit_length() + 7) // 8)
    last = max(1, (max(index for _, _, index in entries.values()).bit_length() + 7) // 8)
    rows = [(0, 0, 0)] + [entries[n] for n in range(1, size)]  # object 0: the head of the free list
    columns = 1 + width + last
    raw = bytearray()
    previous = bytes(columns)
    for kind, value, index in rows:
        row = bytes([kind]) + value.to_bytes(width, "big") + index.to_bytes(last, "big")
        raw.append(2)  # PNG "Up": each byte as the difference to the byte above
        raw.extend((a - b) & 0xFF for a, b in zip(row, previous))
        previous = row
    data = zlib.compress(bytes(raw), OBJECT_STREAM_LEVEL)
    return (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 %d %d]%s/Filter/FlateDecode/DecodeParms<</Columns %d/Predictor 12>>"
            b"/Length %d>>stream\n%s\nendstream\nendobj\n") % (
        number, size, width, last, trailer, columns, len(data), data)

