"""The structure tree: the post-pass that makes ReportLab's output a tagged PDF (ISO 32000-1 14.7–14.8).

While the pages were drawn, the layout recorded every marked-content sequence (page, MCID) under
its element (``layout/tagging.py``). Here, in one pass over the finished file, that tree becomes
PDF objects: a ``StructElem`` per element with its kids in reading order (MCIDs on the element's
page as integers, on another page as MCR dictionaries — a cell continued on the next page stays one
element), the ``ParentTree`` number tree mapping each page's MCIDs back to their elements,
``/StructParents`` and ``/Tabs /S`` on the pages, and in the catalog ``/MarkInfo``, ``/Lang``,
``/ViewerPreferences /DisplayDocTitle`` and an XMP packet carrying the PDF/UA identification and
dc:title (ISO 14289-1 5, 7.1). All roles are standard structure types, so no RoleMap is needed.

The same pass keeps the file small: pages whose content is byte-for-byte the same (the second
copy's) share one content stream object, and the dictionaries are saved in object streams.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..layout.tagging import Element, MarkedContent, Tags
from .metadata import DocumentMetadata

#: Attributes written under the Table attribute owner (ISO 32000-1 14.8.5.7).
TABLE_ATTRIBUTES = ("Scope", "RowSpan", "ColSpan")
#: Attributes written under the Layout owner (14.8.5.4): the 傍線 of a 新旧対照表 phrase.
LAYOUT_ATTRIBUTES = ("TextDecorationType", "TextDecorationThickness")


class StructureError(AssertionError):
    """The recorded tree is inconsistent with the pages (a bug in the layout, never bad input)."""


def add_structure(pdf_bytes: bytes, tags: Tags, meta: DocumentMetadata) -> bytes:
    """``pdf_bytes`` (ReportLab's output) with its structure tree, identical page content stored
    once, saved deterministically with object streams."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        write_structure(pdf, tags)
        mark_catalog(pdf, meta)
        share_identical_contents(pdf)
        return save(pdf, "1.7", object_streams=True)


def share_identical_contents(pdf: pikepdf.Pdf) -> int:
    """Point every page whose content stream is byte-for-byte that of an earlier page at the earlier
    page's stream object; return how many pages now share. The second copy of an agreement draws
    exactly what the first drew (its MCIDs restart at 0 on each page), so its pages' content is
    stored once. Nothing a reader sees or a checker tags changes: a page's appearance is its content
    bytes read with its own /Resources, and its marked content is mapped through its own
    /StructParents to its own copy's elements (ISO 32000-1 14.7.4.4) — both stay per page. Equality
    is tested on the stored bytes and the stream dictionary, never assumed."""
    first: dict[tuple[bytes, bytes], pikepdf.Object] = {}
    shared = 0
    for page in pdf.pages:
        contents = page.obj.get(Name.Contents)
        if not isinstance(contents, pikepdf.Stream):  # no content, or an array of streams
            continue
        kept = first.setdefault((contents.stream_dict.unparse(resolved=True), contents.read_raw_bytes()), contents)
        if kept.objgen != contents.objgen:
            page.obj.Contents = kept
            shared += 1
    return shared


def write_structure(pdf: pikepdf.Pdf, tags: Tags) -> None:
    """StructTreeRoot, the elements, the ParentTree and each page's /StructParents."""
    pages = [page.obj for page in pdf.pages]
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    parents: dict[int, dict[int, pikepdf.Object]] = {}  # page index → MCID → element
    document = _element(pdf, tags.root, root, pages, parents)
    root.K = Array([document])
    nums = Array()
    for index, page in enumerate(pages):
        owners = parents.get(index)
        if not owners:
            continue
        if sorted(owners) != list(range(len(owners))):
            raise StructureError(f"page {index + 1}: MCIDs {sorted(owners)} are not 0..{len(owners) - 1}")
        page.StructParents = index
        nums.extend([index, pdf.make_indirect(Array([owners[mcid] for mcid in range(len(owners))]))])
    for page in pages:
        page.Tabs = Name.S
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root


def _element(
    pdf: pikepdf.Pdf, element: Element, parent: pikepdf.Object, pages: list[pikepdf.Object],
    parents: dict[int, dict[int, pikepdf.Object]],
) -> pikepdf.Object:
    """One StructElem and, recursively, its kids; registers its MCIDs in ``parents``."""
    node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.role), P=parent))
    marks = [kid for kid in element.kids if isinstance(kid, MarkedContent)]
    home = marks[0].page - 1 if marks else None
    if home is not None:
        node.Pg = pages[home]
    kids = Array()
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(_element(pdf, kid, node, pages, parents))
            continue
        owners = parents.setdefault(kid.page - 1, {})
        if kid.mcid in owners:
            raise StructureError(f"page {kid.page}: MCID {kid.mcid} recorded twice")
        owners[kid.mcid] = node
        if kid.page - 1 == home:
            kids.append(kid.mcid)
        else:
            kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page - 1], MCID=kid.mcid))
    if len(kids):
        node.K = kids
    attributes = _attributes(element)
    if attributes is not None:
        node.A = attributes
    return node


def _attributes(element: Element) -> pikepdf.Object | None:
    """The element's /A: one attribute dictionary per owner it has attributes of (an array if two)."""
    found = []
    for owner, names in (("Table", TABLE_ATTRIBUTES), ("Layout", LAYOUT_ATTRIBUTES)):
        values = {k: Name("/" + v) if isinstance(v, str) else v for k, v in element.attributes.items() if k in names}
        if values:
            found.append(Dictionary(O=Name("/" + owner), **values))
    return None if not found else found[0] if len(found) == 1 else Array(found)


def mark_catalog(pdf: pikepdf.Pdf, meta: DocumentMetadata, pdfa: tuple[int, str] | None = None) -> None:
    """The catalog entries of a tagged, titled document and its XMP packet (with the PDF/A
    identification when ``pdfa`` = (part, conformance) is given)."""
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String(meta.lang)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    metadata = pdf.make_stream(meta.xmp(pdfa))
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = metadata


def save(pdf: pikepdf.Pdf, version: str, object_streams: bool = False) -> bytes:
    """Same content, same bytes: the trailer /ID from the content. ``object_streams``: the
    dictionaries (structure elements, pages, fonts' dictionaries) packed into compressed object
    streams with a cross-reference stream (PDF 1.5; not allowed in PDF/A-1) — about a third of the
    bundled agreement's signing PDF was their uncompressed syntax and 20-byte xref lines."""
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(
        out,
        deterministic_id=True,
        force_version=version,
        object_stream_mode=mode,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        linearize=False,
        fix_metadata_version=False,  # keep our XMP as written: no lxml (~10 ms of import) to rewrite it
    )
    return out.getvalue()
