"""The archive (PDF/A) variant: one copy of the signing pages, made conformant by a post-pass.

There is no second layout path: ReportLab renders one copy exactly as for signing; this pass adds
what ISO 19005 needs and ReportLab does not write — XMP metadata agreeing with the Info dictionary,
an sRGB OutputIntent, the right PDF version and object-stream setting — and saves deterministically.
ReportLab's own TrueType subsets (symbolic simple fonts with one (1,0) cmap, no /Encoding,
ToUnicode maps, widths from the font's hmtx) already meet 19005-1 6.3 and 19005-2 6.2.11; the
preflight module checks that on every file, and PDFBox Preflight confirms it for PDF/A-1b.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .metadata import DocumentMetadata

if TYPE_CHECKING:
    import pikepdf  # imported where used: ~25 ms that a build without --pdfa does not need


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


#: The levels offered; the CLI's choices come from this table.
LEVELS: dict[str, PdfaLevel] = {
    "2u": PdfaLevel("2u", 2, "U", "1.7", object_streams=False),
    "2b": PdfaLevel("2b", 2, "B", "1.7", object_streams=False),
    "1b": PdfaLevel("1b", 1, "B", "1.4", object_streams=False),  # 19005-1 6.1.2: PDF 1.4, no object streams
}
DEFAULT_LEVEL = "2u"


def srgb_profile() -> bytes:
    """The bundled ICC v2.3 sRGB profile (Debian icc-profiles-free, zlib licence; see icc/LICENSE-sRGB.txt)."""
    return resources.files(__package__).joinpath("icc/sRGB.icc").read_bytes()


def make_pdfa(signing_pdf: bytes, meta: DocumentMetadata, level: PdfaLevel) -> bytes:
    """Turn ReportLab's output into a PDF/A file of ``level``; same input, same bytes."""
    import pikepdf
    from pikepdf import Name

    with pikepdf.open(io.BytesIO(signing_pdf)) as pdf:
        _set_info(pdf, meta)
        metadata = pdf.make_stream(meta.xmp(level.part, level.conformance))
        metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
        pdf.Root.Metadata = metadata
        pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf)])
        pdf.Root.Lang = pikepdf.String(meta.lang)
        if Name.PageMode in pdf.Root:
            del pdf.Root.PageMode
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,  # trailer /ID from the content: required, and reproducible
            force_version=level.pdf_version,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            linearize=False,
        )
        return out.getvalue()


def _set_info(pdf: pikepdf.Pdf, meta: DocumentMetadata) -> None:
    """The Info dictionary, rewritten from the same value as the XMP so the two agree exactly."""
    import pikepdf
    from pikepdf import Dictionary

    info = Dictionary(
        Title=pikepdf.String(meta.title),
        Author=pikepdf.String(meta.author),
        Subject=pikepdf.String(meta.subject),
        Keywords=pikepdf.String(meta.keywords),
        Creator=pikepdf.String(meta.creator),
        Producer=pikepdf.String(meta.producer),
        CreationDate=pikepdf.String(meta.pdf_date()),
        ModDate=pikepdf.String(meta.pdf_date()),
    )
    pdf.trailer.Info = pdf.make_indirect(info)


def _output_intent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    import pikepdf
    from pikepdf import Dictionary, Name

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
