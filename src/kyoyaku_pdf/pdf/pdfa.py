"""The archive (PDF/A) variant: one copy of the signing pages, made conformant by a post-pass.

There is no second layout path: ReportLab renders one copy exactly as for signing (already tagged,
with its structure tree: see structure.py and writer.py); this pass adds what ISO 19005 needs and ReportLab does
not write — XMP metadata agreeing with the Info dictionary, an sRGB OutputIntent, the right PDF
version and object-stream setting — and saves deterministically. The structure tree is what
level A (2a: 2u plus logical structure, 19005-2 6.8) adds to U; the other levels keep it too.
ReportLab's own TrueType subsets (symbolic simple fonts with one (1,0) cmap, no /Encoding,
ToUnicode maps, widths from the font's hmtx) already meet 19005-1 6.3 and 19005-2 6.2.11; the
preflight module checks that on every file, and PDFBox Preflight confirms it for PDF/A-1b.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from typing import Callable

import pikepdf
from pikepdf import Dictionary, Name

from .metadata import DocumentMetadata


@dataclass(frozen=True)
class PdfaLevel:
    """A PDF/A level as data: part, conformance letter, and the file syntax it implies."""

    name: str
    part: int
    conformance: str
    pdf_version: str
    object_streams: bool

    @property
    def label(self) -> str:
        return f"PDF/A-{self.part}{self.conformance.lower()}"


#: The levels offered (records/choices.py names them, and the default, for the parser without
#: importing this module; a test holds the two alike).
LEVELS: dict[str, PdfaLevel] = {
    "2a": PdfaLevel("2a", 2, "A", "1.7", object_streams=False),
    "2u": PdfaLevel("2u", 2, "U", "1.7", object_streams=False),
    "2b": PdfaLevel("2b", 2, "B", "1.7", object_streams=False),
    "1b": PdfaLevel("1b", 1, "B", "1.4", object_streams=False),  # 19005-1 6.1.2: PDF 1.4, no object streams
}


def srgb_profile() -> bytes:
    """The bundled ICC v2.3 sRGB profile (Debian icc-profiles-free, zlib licence; see icc/LICENSE-sRGB.txt)."""
    return resources.files(__package__).joinpath("icc/sRGB.icc").read_bytes()


def make_pdfa(
    signing_pdf: bytes, meta: DocumentMetadata, level: PdfaLevel, extra: Callable[[pikepdf.Pdf], None] | None = None
) -> bytes:
    """Turn the tagged signing copy into a PDF/A file of ``level``; same input, same bytes (the
    trailer /ID, required, comes from the content). ``extra`` edits the document further before
    the one deterministic save (the electronic copy's fields)."""
    with pikepdf.open(io.BytesIO(signing_pdf)) as pdf:
        if extra is not None:
            extra(pdf)
        _set_info(pdf, meta)
        mark_catalog(pdf, meta, (level.part, level.conformance))
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf)])
        if Name.PageMode in pdf.Root:
            del pdf.Root.PageMode
        return save(pdf, level.pdf_version)


def _set_info(pdf: pikepdf.Pdf, meta: DocumentMetadata) -> None:
    """The Info dictionary, rewritten from the same value as the XMP so the two agree exactly."""
    info = Dictionary(
        Title=pikepdf.String(meta.title),
        Author=pikepdf.String(meta.author),
        Subject=pikepdf.String(meta.subject),
        Keywords=pikepdf.String(meta.keywords),
        Creator=pikepdf.String(meta.creator),
        CreationDate=pikepdf.String(meta.pdf_date()),
        ModDate=pikepdf.String(meta.pdf_date()),
    )
    if meta.producer:
        info.Producer = pikepdf.String(meta.producer)
    pdf.trailer.Info = pdf.make_indirect(info)


def _output_intent(pdf: pikepdf.Pdf) -> Dictionary:
    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    return Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=pdf.make_indirect(profile),
    )


def mark_catalog(pdf: pikepdf.Pdf, meta: DocumentMetadata, pdfa: tuple[int, str]) -> None:
    """The catalog entries of a tagged, titled document and its XMP packet with the PDF/A
    identification (part, conformance) — what writer.py writes for the signing PDF, written again
    because the packet changes."""
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String(meta.lang)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    metadata = pdf.make_stream(meta.xmp(pdfa))
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = metadata


def save(pdf: pikepdf.Pdf, version: str) -> bytes:
    """Same content, same bytes: the trailer /ID from the content; no object streams (not allowed
    in PDF/A-1, and the levels keep one file syntax)."""
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        force_version=version,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        linearize=False,
        fix_metadata_version=False,  # keep our XMP as written: no lxml (~10 ms of import) to rewrite it
    )
    return out.getvalue()
