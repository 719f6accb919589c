"""Turning the laid-out story into PDF bytes: fonts, metadata, determinism.

Determinism: ReportLab's invariant mode fixes the object order, the writer derives the file ID
from the content; the dates in the Info dictionary are the agreement's own date (or
SOURCE_DATE_EPOCH when set), never the clock, so the same input always gives the same bytes. Every PDF is tagged: the story records its structure while
it is drawn, and the writer (writer.py) serialises the pages with the structure tree (structure.py).
"""

from __future__ import annotations

import datetime as dt
import io
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import PDFPage
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from . import breakcache
from .fonts import FALLBACKS, MINCHO, codepoints, glyph_outline, register
from ..errors import LayoutProblem
from ..layout.document import AgreementDocTemplate, CoverPage, LayoutInputs, signing_story
from ..layout.signature import SealSpace, SignatureBlock
from ..layout.tagging import Element, Tags
from ..layout.text import FontSet
from ..layout.theme import Theme
from .metadata import DocumentMetadata, agreement_metadata
from .writer import SavingCanvas, write_pdf
from ..input.model import Agreement
from ..text.japanese import Typesetting

if TYPE_CHECKING:  # the 新旧対照表 and notice modules are imported by those commands alone (~30 ms)
    from ..text.comparison import Comparison
    from ..text.notice import Notice


@dataclass(frozen=True)
class RenderedPdf:
    """A finished PDF file's bytes and its page count."""

    data: bytes
    pages: int


def render_signing_pdf(
    agreement: Agreement, copies: int | None = None, seal_spaces: list[SealSpace] | None = None
) -> RenderedPdf:
    """The signing PDF with ``copies`` copies (default: as many as the agreement says); where each
    seal space was drawn is appended to ``seal_spaces`` when a list is given."""
    fonts = font_set(agreement)
    guide = glyph_outline("印") if agreement.print.seal_guide else None
    inputs = LayoutInputs(Theme(fonts=fonts), guide, agreement.print.page_numbers, seal_spaces)
    tags = Tags()
    count = copies or agreement.copies
    story = signing_story(agreement, inputs, count, tags.root)
    return _build(story, inputs.theme, agreement_metadata(agreement), tags,
                  lambda doc: repeat_copies(doc, tags, count, seal_spaces))


def _build(
    story: list[Flowable], theme: Theme, meta: DocumentMetadata, tags: Tags,
    finish: Callable[[AgreementDocTemplate], None] | None = None, page_numbers: bool = False,
) -> RenderedPdf:
    """Lay the story out on the mirrored A4 pages: fonts embedded (no Helvetica), dates fixed;
    ``page_numbers``: every page numbered 「- 1 -」 at its foot; ``finish`` then adds what is not
    laid out (the later copies); then write the file with the structure ``tags`` recorded while
    drawing (ReportLab itself writes nothing: the writer formats its objects)."""
    doc = AgreementDocTemplate(
        io.BytesIO(), theme, page_numbers, invariant=1, initialFontName=theme.fonts.main,
        title=meta.title, author=meta.author, subject=meta.subject, keywords=meta.keywords,
        creator=meta.creator, producer=meta.producer, lang=meta.lang,
    )
    stamp = _timestamp(meta.created)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = SavingCanvas(*args, **kwargs)
        canvas._doc._timeStamp = stamp  # the document's date, not the clock
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    breakcache.keep(theme.fonts)  # a process's first document: its breaks, for the next process
    if finish is not None:
        finish(doc)
    canvas = doc.canv  # the one build() drew on
    return RenderedPdf(write_pdf(canvas, tags, meta), len(canvas._doc.Pages.pages))


def repeat_copies(doc: AgreementDocTemplate, tags: Tags, copies: int, seal_spaces: list[SealSpace] | None) -> None:
    """The copies after the first, laid out once: the first copy's pages again, each copy starting
    on an odd page (after a blank one when the first copy has an odd number of pages), with
    elements of their own (PDF/UA: a page's content belongs to its own copy's elements) and their
    seal spaces. Laid out, a later copy draws exactly what the first drew, MCIDs included (tested
    on the bytes against laying it out): platypus's layout of two copies took 12.1 ms, of one
    7.5 ms (warm render 26 → 20 ms; the file still holds every copy's page and element objects)."""
    if copies < 2:
        return
    first = doc.first_copy_pages
    assert first is not None, "the story of several copies ends with the break to the next one"
    copy = [*range(first), *([first] * (first % 2))]  # the first copy's pages, and the blank one after it
    order = (copy * copies)[: copies * len(copy) - first % 2]  # for each page, the page it repeats
    document = doc.canv._doc
    pages = document.Pages.pages
    assert len(pages) <= len(order), "laid out: the first copy, a blank page, and the next one begun"
    for index, source in enumerate(order):
        if index >= len(pages):
            document.addPage(_page_like(pages[source]))
        elif index != source:  # the page platypus began for the second copy, nothing drawn on it yet
            _page_like(pages[source], pages[index])
    part = tags.root.kids[-1]
    assert isinstance(part, Element) and len(tags.root.kids) == 1, "the document: the first copy's Part"
    spaces = list(seal_spaces or ())
    for later in range(1, copies):
        part.repeated(tags.root, later * len(copy))
        if seal_spaces is not None:
            seal_spaces += [replace(space, page=space.page + later * len(copy)) for space in spaces]


def _page_like(source: PDFPage, page: PDFPage | None = None) -> PDFPage:
    """``page`` (a new one by default) made the same as ``source`` — the same content, size and
    entries — but for the name the document registers it under."""
    page = page if page is not None else PDFPage.__new__(PDFPage)
    page.__dict__.update({key: value for key, value in vars(source).items() if key != "__InternalName__"})
    page.Annots = list(source.Annots)
    return page


def render_notice_pdf(notice: Notice, agreement: Agreement) -> bytes:
    """A 告示 or 届出 as PDF: the same fonts, embedding, determinism and metadata rules. Every page
    of a 告示 is numbered; a 届出 only if it runs over one page (a one-page letter carries none)."""
    from ..layout.notice import notice_story

    fonts = font_set(agreement)
    theme = Theme(fonts=fonts)
    title = f"{notice.party.municipality} {notice.kind}（{agreement.title}）"
    meta = replace(agreement_metadata(agreement), title=title, subject=f"{notice.kind}の案")

    def build(numbered: bool) -> RenderedPdf:
        tags = Tags()  # a build records its own structure
        return _build(notice_story(notice, agreement, theme, tags.root), theme, meta, tags, page_numbers=numbered)

    numbered = notice.kind == "告示"
    rendered = build(numbered)
    if not numbered and rendered.pages > 1:
        rendered = build(True)
    return rendered.data


def render_comparison_pdf(
    comparison: Comparison, old: Agreement, new: Agreement, new_on_left: bool = True, show_all: bool = False
) -> bytes:
    """The 新旧対照表 of two versions (dates and metadata of the new one); the fallback font of
    either version serves, so every character of both can be drawn."""
    from ..layout.comparison import comparison_story

    uses_fallback = new if new.print.fallback_font != "none" else old
    theme = Theme(fonts=font_set(uses_fallback))
    meta = replace(agreement_metadata(new), title=f"{comparison.title} 新旧対照表", subject="新旧対照表")
    tags = Tags()
    story = comparison_story(comparison, theme, tags.root, new_on_left=new_on_left, show_all=show_all)
    return _build(story, theme, meta, tags, page_numbers=True).data


def layout_problems(agreement: Agreement) -> list[LayoutProblem]:
    """What cannot be laid out, found before any page is built (so ``check`` finds it too): the
    parties' names against the signature column, and the cover's lines against the cover page."""
    theme = Theme(fonts=font_set(agreement))
    problems = []
    for flowable in (
        SignatureBlock(agreement.parties, theme, agreement.print.seal_position, None),
        CoverPage(agreement, theme),
    ):
        try:
            flowable.wrap(theme.text_width, theme.text_height)
        except LayoutProblem as exc:
            problems.append(exc)
    return problems


def font_set(agreement: Agreement) -> FontSet:
    """The main font and, if the document names one, its fallback, registered with ReportLab; the
    layout breaks its lines as the disk cache remembers (breakcache.py)."""
    spec = FALLBACKS.get(agreement.print.fallback_font)
    setting = Typesetting(latin_spacing=agreement.print.latin_spacing)
    fonts = FontSet(register(MINCHO), codepoints(MINCHO), register(spec) if spec else None, setting)
    breakcache.seed(fonts, (MINCHO, spec) if spec else (MINCHO,))  # the breaks earlier builds worked out
    return fonts


def _timestamp(moment: dt.datetime) -> TimeStamp:
    """ReportLab's timestamp object, set to ``moment`` instead of the clock."""
    stamp = TimeStamp(invariant=1)
    offset = moment.utcoffset() or dt.timedelta(0)
    stamp.t = moment.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(moment.timetuple())[:6]
    stamp.dhh, stamp.dmm = divmod(int(offset.total_seconds()) // 60, 60)
    stamp.tzname = moment.tzname() or "UTC"
    return stamp
