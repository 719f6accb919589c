"""The file writer: ReportLab's objects, serialised with object streams, a cross-reference stream and
the structure tree — in one pass, without re-opening the file.

ReportLab draws the pages and knows how to format each of its objects (``PDFDocument``'s table:
``idToObject`` by name, ``numberToId`` by object number, ``format(document)`` for the bytes); it
would then write them one after another with a classic xref table. Here the same bytes are written
as PDF 1.7 (ISO 32000-1 7.5.7–7.5.8): the streams (page content, font programs, the XMP packet) as
ordinary objects, every other object (pages, fonts' dictionaries, the structure elements) packed
into Flate-compressed object streams, then a compressed cross-reference stream. The structure
tree (structure.py) is registered as objects of ReportLab's table before it formats anything, so
every reference, ReportLab's or ours, comes from the one numbering.

A document with copies (pages of the same content) has twins: copy 2's pages, elements and
ParentTree arrays repeat copy 1's but for the numbers they refer to. They get an object stream of
their own in which each twin lies under its original and is stored, with the PNG Up predictor,
as the difference to it (``_stacked``): copy 2 then costs ~1.7 KB instead of ~4.6 KB.

Before, pikepdf (qpdf) re-opened ReportLab's file to add the tree and save it this way: ~23 ms of
import in every process and ~16 ms of every build. What qpdf did besides is done here too:
identical page content is stored once (tested on the bytes), and the trailer /ID comes from the
content, so the same input gives the same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from hashlib import md5

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFPage,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfbase.pdfdoc import format as rl_format
from reportlab.pdfgen.canvas import Canvas

from ..layout.tagging import Tags
from ..runtime.memo import remember
from .metadata import DocumentMetadata
from .structure import StructureTree, structure_tree

#: Header: the version and a comment of bytes ≥ 128 that marks the file as binary (7.5.2).
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
#: zlib level of the object streams and the xref stream. Measured on the bundled agreement's three
#: (4, 89 and 4 KB decoded), best of 20: 6 → 6,258 B in 0.54 ms, 7 → 6,217 B in 0.66 ms,
#: 8 → 6,161 B in 1.27 ms. zlib's default: 0.7 ms of every build (~3 % of a warm one) for 98 bytes of
#: a 98 KB file (two copies against one: 1.0183× instead of 1.0176×).
OBJECT_STREAM_LEVEL = 6


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
    twin_pages = _twin_pages(pages)
    _number_side_by_side(document, twin_pages)
    numbers = [_number(document, page) for page in pages]
    first = document.objectcounter + 1
    tree = structure_tree(tags, numbers, first, any(len(group) > 1 for group in twin_pages))
    refs = [document.Reference(RawObject(body)) for body in tree.bodies]
    if [document.idToObjectNumberAndVersion[ref.name][0] for ref in refs] != list(range(first, first + len(refs))):
        raise AssertionError("the structure's objects were not numbered as planned")  # they refer to each other
    _mark_catalog(document, refs[0], meta)  # the StructTreeRoot
    for index, page in enumerate(pages):
        _add_page_entries(page, tree.keys.get(index))
    return _serialise(document, _twins(tree, first, twin_pages, numbers))


def _mark_catalog(document: PDFDocument, root: PDFObject, meta: DocumentMetadata) -> None:
    """The catalog's entries of a tagged, titled document (ReportLab's catalog writes the keys it
    knows: these are among them; the dictionaries as bytes stay direct)."""
    catalog = document.Catalog
    catalog.StructTreeRoot = root
    catalog.MarkInfo = b"<</Marked true>>"
    catalog.ViewerPreferences = b"<</DisplayDocTitle true>>"
    catalog.Lang = PDFString(meta.lang)
    catalog.Metadata = RawStream(meta.xmp(), b"/Type/Metadata/Subtype/XML")


def _twins(tree: StructureTree, first: int, twin_pages: list[list[int]], numbers: list[int]) -> list[tuple[int, ...]]:
    """The object numbers of each group of twins: the copies' elements, and for each group of
    pages with the same content their dictionaries and their ParentTree arrays."""
    twins = [tuple(first + index for index in group) for group in tree.twins]
    for group in twin_pages:
        if len(group) > 1:
            twins.append(tuple(numbers[index] for index in group))
            if all(index in tree.arrays for index in group):
                twins.append(tuple(first + tree.arrays[index] for index in group))
    return twins


def _number(document: PDFDocument, obj: PDFObject) -> int:
    return document.idToObjectNumberAndVersion[obj.__InternalName__][0]


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


def _twin_pages(pages: list[PDFPage]) -> list[list[int]]:
    """The pages' indices grouped by content: each page's content as one stream, compressed once
    per distinct content, and a page whose content bytes equal an earlier page's points at that
    page's stream object (the second copy of an agreement draws exactly what the first drew; its
    MCIDs restart at 0 on each page). A page's appearance is its content read with its own
    /Resources, and its marked content maps through its own /StructParents to its own copy's
    elements — both stay per page."""
    streams: dict[tuple[bytes, bool], RawStream] = {}
    groups: dict[PDFObject, list[int]] = {}  # by content stream (by page where ReportLab makes it)
    for index, page in enumerate(pages):
        if page.Contents or page.Override_default_compilation or not page.stream:
            groups[page] = [index]  # content ReportLab was given otherwise stays as ReportLab writes it
            continue
        code = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
        key = (code, bool(page.compression))
        if key not in streams:
            streams[key] = RawStream(_deflate(code), b"/Filter/FlateDecode") if page.compression \
                else RawStream(code)
        page.Contents = streams[key]
        groups.setdefault(streams[key], []).append(index)
    return list(groups.values())


def _number_side_by_side(document: PDFDocument, groups: list[list[int]]) -> None:
    """Renumber the pages among the numbers they have so that pages sharing a content stream get
    consecutive numbers: a reference to copy 2's page N then differs from one to copy 1's page N
    in the last digit, and the writer can store the twins' dictionaries one under the other."""
    pages = document.Pages.pages
    names = [pages[index].__InternalName__ for group in groups for index in group]
    table = document.idToObjectNumberAndVersion
    for number, name in zip(sorted(table[name][0] for name in names), names):
        table[name] = (number, 0)
        document.numberToId[number] = name


def _add_page_entries(page: PDFPage, key: int | None) -> None:
    """/Tabs /S on every page (PDF/UA 7.18.3) and /StructParents where it has marked content.
    ReportLab's page writes the keys its ``__NoDefault__`` lists; this page's list gets the two."""
    page.__NoDefault__ = [*PDFPage.__NoDefault__, "Tabs", *([] if key is None else ["StructParents"])]
    page.Tabs = PDFName("S")
    page.StructParents = key


@dataclass
class _Body:
    """One object's bytes as ReportLab formatted them, and whether it is a stream."""

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
        data = rl_format(_deflated(obj), document, toplevel=1)  # (no encryption: the signing PDF has none)
        stream = data.endswith((b"endstream", b"endstream\n"))
        bodies.append(_Body(number, _eol_before_endstream(data) if stream else data.strip(), stream))
        number += 1
    return bodies


#: Stream data compressed in this process (font subsets, ToUnicode maps, page content: ~3.5 ms of
#: a warm rebuild), by the data. Each is what zlib makes of the bytes, so a kept one is never stale.
_DEFLATED: dict[bytes, bytes] = {}
DEFLATED_KEPT = 32


def _deflate(data: bytes) -> bytes:
    """``data`` Flate-compressed as ReportLab compresses streams, from the memo when made before."""
    deflated = _DEFLATED.get(data)
    if deflated is None:
        deflated = PDFZCompress.encode(data)
        remember(_DEFLATED, data, deflated, DEFLATED_KEPT)
    return deflated


def _deflated(obj: PDFObject) -> PDFObject:
    """``obj``, or for a stream ReportLab would Flate-compress as it formats it, the same stream
    with its data compressed by ``_deflate``."""
    if not (isinstance(obj, PDFStream) and obj.filters == [PDFZCompress] and isinstance(obj.content, bytes)
            and "Filter" not in obj.dictionary.dict):
        return obj
    entries = PDFDictionary({**obj.dictionary.dict, "Filter": PDFArray([PDFName(PDFZCompress.pdfname)])})
    return PDFStream(entries, _deflate(obj.content), filters=())


def _eol_before_endstream(data: bytes) -> bytes:
    """A stream as 7.3.8.1 has it: an end-of-line marker after the data, before ``endstream``
    (ReportLab writes the data right up to the keyword)."""
    return data.removesuffix(b"\n").removesuffix(b"endstream") + b"\nendstream"


def _serialise(document: PDFDocument, twins: list[tuple[int, ...]]) -> bytes:
    """Header, the stream objects, the object streams with all the others (``twins`` stored one
    under the other in a second one), the xref stream."""
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
    container = len(bodies)
    for layout in _layouts({body.number: body.data for body in bodies if not body.stream}, twins):
        container += 1
        for index, number in enumerate(layout.numbers):
            entries[number] = (2, container, index)
        chunk = layout.object(container)
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


@dataclass
class _Layout:
    """An object stream's decoded bytes: the object numbers in stream order, the header's length,
    and the rows of the PNG predictor (``columns`` bytes each, with their filter types) or None."""

    numbers: list[int]
    data: bytes
    first: int
    columns: int = 0
    filters: list[int] | None = None

    def object(self, number: int) -> bytes:
        """The object stream as an indirect object (7.5.7), Flate-compressed."""
        parms = b""
        data = self.data
        if self.filters is not None:
            parms = b"/DecodeParms<</Predictor 15/Columns %d>>" % self.columns
            data = _png_rows(data, self.columns, self.filters)
        data = zlib.compress(data, OBJECT_STREAM_LEVEL)
        return b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode%s/Length %d>>stream\n%s\nendstream\nendobj\n" % (
            number, len(self.numbers), self.first, parms, len(data), data)


def _layouts(bodies: dict[int, bytes], twins: list[tuple[int, ...]]) -> list[_Layout]:
    """The object streams: the objects as they are, and the twins stacked in a second one."""
    bands = _bands(bodies, twins, STACK_COLUMNS)
    stacked = {n for band in bands for group, _ in band for n in group}
    plain = _plain({n: data for n, data in bodies.items() if n not in stacked})
    return [plain, _stacked(bodies, bands, STACK_COLUMNS)] if bands else [plain]


def _plain(bodies: dict[int, bytes]) -> _Layout:
    """The objects one per line in number order, after the pairs of object number and offset."""
    offsets = []
    at = 0
    for number, data in bodies.items():
        offsets.append(b"%d %d" % (number, at))
        at += len(data) + 1
    head = b" ".join(offsets) + b"\n"
    return _Layout(list(bodies), head + b"\n".join(bodies.values()) + b"\n", len(head))


#: Row width of a stacked object stream: room for many elements side by side, and a multiple of
#: 1000 keeps an offset one row down different in one digit. Measured (two copies, B): 300 →
#: 98,820, 400 → 98,500, 500 → 98,046, 800 → 98,193, 1000 → 98,007.
STACK_COLUMNS = 1000


_Band = list[tuple[tuple[int, ...], int]]  # groups of twins of one size side by side: (numbers, column)


def _stacked(bodies: dict[int, bytes], bands: list[_Band], width: int) -> _Layout:
    """The groups of twins (the copies' elements, pages, ParentTree arrays: bytes alike but for
    the digits of their references) in consecutive rows at the same column, and their header
    entries likewise, so that with the PNG Up predictor every row but the first of a group is
    the difference to the row above: zeros but for those digits, which Deflate stores in a few
    bits. Every row is Up: a band's first row is preceded by a row of NULs (whitespace, 7.2.2),
    the one row type whose meaning no reader can get wrong — pyHanko 0.x decodes a row of type
    None (0) as zeros, whatever it holds."""
    rows: list[bytes] = []
    placed: list[tuple[int, int]] = []  # (number, offset) in stream order
    zeros = bytes(width)
    for band in bands:
        if rows:  # a row of NULs before each band but the first (the PNG rows start from zeros)
            rows.append(zeros)
        for member in range(len(band[0][0])):
            row = bytearray(b" " * width)
            for group, at in band:
                data = bodies[group[member]]
                row[at:at + len(data)] = data
                placed.append((group[member], len(rows) * width + at))
            rows.append(bytes(row))
    head = _stacked_header(placed, bands, width)
    data = b"".join(head + rows)
    return _Layout([n for n, _ in placed], data, len(head) * width, width,
                   [0 if row == zeros else 2 for row in head + rows])


def _bands(bodies: dict[int, bytes], twins: list[tuple[int, ...]], width: int) -> list[_Band]:
    """The groups of twins packed into bands of ``width`` columns, each group in a slot as wide
    as its longest member; as many groups in a band as their header entries have room for (an
    object number and an offset of up to ten digits each)."""
    limit = width // 22
    bands: list[_Band] = []
    column = width
    for group in sorted((g for g in twins if max(len(bodies[n]) for n in g) < width), key=len):
        slot = max(len(bodies[n]) for n in group) + 1
        if column + slot > width or len(bands[-1]) == limit or len(bands[-1][0][0]) != len(group):
            bands.append([])
            column = 0
        bands[-1].append((group, column))
        column += slot
    return bands


def _stacked_header(placed: list[tuple[int, int]], bands: list[_Band], width: int) -> list[bytes]:
    """The header rows: for each row of stacked objects, one row of their (number, offset) pairs
    in fixed-width fields, so that the rows of a band line up too. No NULs between bands: the
    next band's first row differs from the row above in a few digits of each field as well."""
    digits = len(str(max(n for n, _ in placed))), len(str(max(at for _, at in placed)))
    rows: list[bytes] = []
    index = 0
    for band in bands:
        for _ in band[0][0]:
            pairs = placed[index:index + len(band)]
            index += len(band)
            row = b"".join(b"%*d %*d " % (digits[0], n, digits[1], at) for n, at in pairs)
            if len(row) > width:
                raise AssertionError(f"a header row of {len(row)} bytes in rows of {width}")
            rows.append(row.ljust(width))
    return rows


def _png_rows(data: bytes, columns: int, filters: list[int]) -> bytes:
    """``data`` as PNG predictor rows (ISO 32000-1 7.4.4.4): each row its filter type, then its
    bytes — as they are (type 0) or as the difference to the row above (type 2, Up)."""
    ups = _bytewise_difference(data, bytes(columns) + data[:-columns]) if 2 in filters else data
    return b"".join(b"%c%s" % (kind, (ups if kind else data)[at:at + columns])
                    for kind, at in zip(filters, range(0, len(data), columns)))


def _bytewise_difference(data: bytes, above: bytes) -> bytes:
    """(data[i] - above[i]) mod 256 for every byte, computed on the two as integers (subtraction
    without borrows between bytes: the high bit of each byte set in the minuend, cleared in the
    subtrahend, then put right) — one operation for the whole stream instead of a loop over bytes."""
    size = len(data)
    high = int.from_bytes(b"\x80" * size, "big")
    x, y = int.from_bytes(data, "big"), int.from_bytes(above, "big")
    return ((((x | high) - (y & ~high)) ^ ((x ^ ~y) & high)) & ((1 << 8 * size) - 1)).to_bytes(size, "big")


def _xref_stream(number: int, entries: dict[int, tuple[int, int, int]], trailer: bytes) -> bytes:
    """The cross-reference stream (7.5.8) with the trailer's entries: one row per object number
    0..Size-1, the PNG Up predictor over the rows (neighbouring rows differ in a byte or two)."""
    size = number + 1
    width = max(1, (max(value for _, value, _ in entries.values()).bit_length() + 7) // 8)
    last = max(1, (max(index for _, _, index in entries.values()).bit_length() + 7) // 8)
    rows = [(0, 0, 0)] + [entries[n] for n in range(1, size)]  # object 0: the head of the free list
    columns = 1 + width + last
    raw = b"".join(bytes([kind]) + value.to_bytes(width, "big") + index.to_bytes(last, "big")
                   for kind, value, index in rows)
    data = zlib.compress(_png_rows(raw, columns, [2] * size), OBJECT_STREAM_LEVEL)
    return (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 %d %d]%s/Filter/FlateDecode/DecodeParms<</Columns %d/Predictor 12>>"
            b"/Length %d>>stream\n%s\nendstream\nendobj\n") % (
        number, size, width, last, trailer, columns, len(data), data)
