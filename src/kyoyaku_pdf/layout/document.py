"""Page templates and the story of the signing copies: cover, recital with signatures, 別表 — per copy.

Pages are mirrored for duplex printing: the binding margin (room for staples and the 契印) is on the
left of odd pages and the right of even pages. Every copy starts on an odd page, so each copy's
cover lands on a front side; a blank page is inserted where needed. No file I/O happens here.

Structure: each copy is a ``Part`` of the ``Document``: the cover title an H1 and the names on it
``P``; the heading an H2; the recital, closing and date ``P``; an article's caption an H3, its text a
``P``, its items an ``L`` of ``LI`` (``Lbl`` (1), ``LBody``); then the signature block and the 別表.
Whatever the page templates draw around the story (page numbers) is a pagination artifact.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Callable

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable, Frame, KeepTogether, PageBreak, PageTemplate, Spacer
from reportlab.platypus.doctemplate import _doNothing

from ..errors import LayoutProblem
from ..messages import text as message
from ..text.japanese import article_caption, article_number, item_number, wareki
from ..input.model import Agreement, ResolvedArticle
from .paragraph import ASCENT, JaParagraph, TextStyle
from .schedule import schedule_flowables
from .signature import GlyphOutline, SealSpace, SignatureBlock
from .tagging import Element, Tag, as_artifact, list_item, marked
from .theme import Theme


@dataclass(frozen=True)
class LayoutInputs:
    """What the layout needs besides the agreement: the theme, the drawn 印 guide (or None),
    whether the copies carry page numbers (print: page_numbers), and ``seal_spaces``: when a list,
    it receives where each seal space was drawn (the electronic copy's signature fields)."""

    theme: Theme
    seal_guide: GlyphOutline | None
    page_numbers: bool = False
    seal_spaces: list[SealSpace] | None = None


#: How a page number is written: centred at the foot, 「- 1 -」.
PAGE_NUMBER_FORM = "- {} -"
#: Where the page number's em box stands: its bottom this far above the paper's edge (clear of the
#: 15 mm every printer can print, under the 25 mm bottom margin).
PAGE_NUMBER_BOTTOM = 16 * mm


class AgreementDocTemplate(BaseDocTemplate):
    """Two mirrored page templates that alternate page by page, plus the odd-page break action.

    Page numbers: with ``page_numbers`` every page is numbered from 1; otherwise only the pages
    between a ``NumberPages`` and a ``StopPageNumbers`` flowable (a copy of the agreement, its cover
    uncounted), or none."""

    def __init__(self, target: Any, theme: Theme, page_numbers: bool = False, **kwargs: Any) -> None:
        super().__init__(target, pagesize=theme.page_size, **kwargs)
        self.theme = theme
        #: the page shown as 1 (None: no numbers), and the last page numbered from it
        self.number_from: int | None = 1 if page_numbers else None
        self.number_until: int | None = None
        #: the last page of the first copy (where the story's first break to an odd page came)
        self.first_copy_pages: int | None = None
        templates = [_template("odd", "even", theme, theme.binding_margin), _template("even", "odd", theme, theme.outer_margin)]
        for template in templates:
            template.onPageEnd = self._number_page
        self.addPageTemplates(templates)

    def handle_breakToOddPage(self) -> None:
        """End the page; if the next page would be even, leave it blank."""
        if self.first_copy_pages is None:
            self.first_copy_pages = self.page
        self.handle_pageBreak()
        if (self.page + 1) % 2 == 0:
            self._hanging.append(PageBreak())

    def _number_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        start, until = self.number_from, self.number_until
        if start is None or self.page < start or (until is not None and self.page > until):
            return
        frame = self.pageTemplate.frames[0]
        draw_page_number(canvas, self.page - start + 1, self.theme, frame._x1 + frame._width / 2)


def draw_page_number(canvas: Canvas, number: int, theme: Theme, centre: float) -> None:
    """The one place a page number is drawn (so it can be marked as an artifact): 「- 1 -」 centred
    under the text block at the foot of the page."""
    size = theme.table_size
    theme.fonts.draw_centred(canvas, centre, PAGE_NUMBER_BOTTOM + (1 - ASCENT) * size, PAGE_NUMBER_FORM.format(number), size)


class NumberPages(Flowable):
    """Zero-size marker: number the pages from the next one (a copy's cover carries no number)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        doc.number_from, doc.number_until = doc.page + 1, None


class StopPageNumbers(NumberPages):
    """Zero-size marker: this page is the last one numbered (an inserted blank page carries none)."""

    def draw(self) -> None:
        doc = self.canv._doctemplate
        doc.number_until = doc.page


class _Decoration:
    """A page template's callback (onPage, onPageEnd) whose drawing is a pagination artifact,
    however it is set: in the constructor or assigned later."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, template: object, owner: type | None = None) -> Callable[[Any, Any], None]:
        return getattr(template, self.slot)

    def __set__(self, template: object, draw: Callable[[Any, Any], None]) -> None:
        setattr(template, self.slot, draw if draw is _doNothing else as_artifact(draw))


class ArtifactPageTemplate(PageTemplate):
    """A page template whose decorations (page numbers…) are artifacts, so they never mix with the
    document's text in the structure."""

    onPage = _Decoration()
    onPageEnd = _Decoration()


class _Frame(Frame):
    """ReportLab's frame, copied cheaply: every ``KeepTogether`` wrap deep-copies the current frame
    (platypus ``_listWrapOn``, a dozen times a build), and ``deepcopy`` walks its ~50 attributes
    one by one (~0.05 ms each copy). Only the non-atomic ones (``_frameBGs``, a list) need copying:
    the clone is what ``deepcopy`` makes, for a tenth of the work."""

    def __deepcopy__(self, memo: dict[int, object]) -> _Frame:
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        clone.__dict__.update({k: v if isinstance(v, _ATOMIC) else deepcopy(v, memo) for k, v in vars(self).items()})
        return clone


#: what ``deepcopy`` returns as it is
_ATOMIC = (int, float, str, bytes, bool, type(None))


def _template(name: str, following: str, theme: Theme, left: float) -> PageTemplate:
    frame = _Frame(
        left, theme.bottom_margin, theme.text_width, theme.text_height,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name,
    )
    return ArtifactPageTemplate(id=name, frames=[frame], autoNextPageTemplate=following)


def break_to_odd_page() -> Flowable:
    return ActionFlowable(("breakToOddPage",))


def signing_story(agreement: Agreement, inputs: LayoutInputs, copies: int, document: Element) -> list[Flowable]:
    """What is laid out of ``copies`` identical copies, each to start on an odd page, each a ``Part``
    of ``document``: the first copy, then (when there are more) the break to the odd page the next
    one starts on. The later copies are not laid out again: they are the first one's pages and
    elements repeated (pdf/render.py ``repeat_copies``, tagging.py ``Element.repeated``), which
    is what laying them out gave, byte for byte, at 1.6 times the layout's time."""
    story = copy_story(agreement, inputs, document.add("Part"))
    return [*story, break_to_odd_page()] if copies > 1 else story


def copy_story(agreement: Agreement, inputs: LayoutInputs, part: Element) -> list[Flowable]:
    """One copy: cover page, recital page with date and signatures, then the 別表."""
    theme = inputs.theme
    story: list[Flowable] = [NumberPages()] if inputs.page_numbers else []
    story += [CoverPage(agreement, theme, part), PageBreak()]
    story += agreement_text(
        agreement, theme, part,
        lambda: SignatureBlock(agreement.parties, theme, agreement.print.seal_position, inputs.seal_guide,
                               part.add("Div"), inputs.seal_spaces),
    )
    story.append(PageBreak())
    story += schedules_story(agreement, theme, part)
    if inputs.page_numbers:
        story.append(StopPageNumbers())
    return story


def body_style(theme: Theme) -> TextStyle:
    """Body text: one character's indent on the first line, justified."""
    return TextStyle(theme.fonts, theme.body_size, theme.body_leading, first_indent=theme.body_size)


def agreement_text(
    agreement: Agreement, theme: Theme, parent: Element, signatures: Callable[[], Flowable]
) -> list[Flowable]:
    """Heading, recital, articles, then the closing, the date and the flowable ``signatures`` makes
    kept together (so the signatures never stand on a page of their own). The signing copies make
    the seal block, the 告示 the parties' names as text; it is made after the date, so its elements
    follow the date's in reading order."""
    em, leading = theme.body_size, theme.body_leading
    body = body_style(theme)
    heading = TextStyle(theme.fonts, theme.heading_size, leading * 1.2, align="center", space_after=leading * 1.5)
    story: list[Flowable] = [JaParagraph(agreement.heading, heading, tag=parent.add("H2"))]
    story += [JaParagraph(text, body, tag=parent.add("P")) for text in agreement.recital]
    story += _articles(agreement.articles, body, parent)
    closing = JaParagraph(agreement.closing, body.but(space_before=leading), tag=parent.add("P"))
    date = JaParagraph(wareki(agreement.date), body.but(first_indent=2 * em, align="left", space_before=leading),
                       tag=parent.add("P"))
    story.append(KeepTogether([closing, date, Spacer(0, leading), signatures()]))
    return story


def schedules_story(agreement: Agreement, theme: Theme, parent: Element) -> list[Flowable]:
    """Every 別表, one after the other, each a ``Sect`` of ``parent``."""
    story: list[Flowable] = []
    for number, schedule in enumerate(agreement.schedules, start=1):
        flowables = schedule_flowables(number, schedule, theme, parent.add("Sect"))
        if number > 1:
            flowables[0].spaceBefore = theme.body_leading * 1.5
        story += flowables
    return story


@dataclass(frozen=True)
class _CoverLine:
    """One line of the cover, centred as a group of parts."""

    parts: tuple[str, ...]  # drawn centred as a group, two characters' space between parts
    size: float
    baseline: float  # distance below the top of the page's text block
    tags: tuple[Tag, ...]  # the element of each part


def _articles(articles: tuple[ResolvedArticle, ...], body: TextStyle, parent: Element) -> list[Flowable]:
    """Articles as in 例規: （見出し） one character in, then 第N条 at the margin with its text, the
    following lines one character in; listed items (1)… one character in, hanging."""
    em = body.size
    caption = body.but(align="left", first_indent=0, left_indent=em, keep_with_next=True, space_before=body.leading / 2)
    text = body.but(first_indent=0, left_indent=em)
    story: list[Flowable] = []
    for number, article in enumerate(articles, start=1):
        section = parent.add("Sect")
        story.append(JaParagraph(article_caption(article.caption), caption, tag=section.add("H3")))
        story.append(JaParagraph(article.text, text, label=article_number(number), hanging=False, tag=section.add("P")))
        if article.items:
            items = section.add("L")
            for k, item in enumerate(article.items, start=1):
                label, body_element = list_item(items)
                story.append(JaParagraph(item, text, label=item_number(k), tag=body_element, label_tag=label))
    return story


class CoverPage(Flowable):
    """The cover: title lines large and centred in the upper part, the parties' names lower down.

    Long lines wrap (禁則 kept); a title too long for the page is a located problem, never text
    off the page."""

    TITLE_TOP = 0.22  # where the title starts, as a share of the text block's height
    PARTIES_AT = 0.68  # where the parties' names stand, unless the title reaches further

    def __init__(self, agreement: Agreement, theme: Theme, parent: Element | None = None) -> None:
        super().__init__()
        self.agreement = agreement
        self.theme = theme
        self._placed: list[_CoverLine] = []
        # the title lines are one heading; each party's name on the cover is a paragraph
        self._title_tag: Tag = parent.add("H1") if parent else None
        self._name_tags: tuple[Tag, ...] = tuple(
            parent.add("P") if parent else None for _ in agreement.parties
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height - 1  # a hair less, so the frame accepts it
        self._placed = self._layout(avail_width, self.height)
        return self.width, self.height

    def _layout(self, width: float, height: float) -> list[_CoverLine]:
        theme, fonts = self.theme, self.theme.fonts
        lines = self.agreement.cover_lines
        sizes = [theme.cover_title_size] * (len(lines) - 1) + [theme.cover_main_size]
        placed: list[_CoverLine] = []
        cursor = self.TITLE_TOP * height
        for text, size in zip(lines, sizes):
            for line in fonts.break_lines(text, width, size):
                placed.append(_CoverLine((line.text,), size, cursor + ASCENT * size, (self._title_tag,)))
                cursor += 1.4 * size
            cursor += 0.9 * size  # title lines stand apart; a wrapped line's parts stay close
        size = theme.cover_parties_size
        names = tuple(party.municipality for _, party in self.agreement.parties)
        side_by_side = sum(fonts.width(n, size) for n in names) + 2 * size * (len(names) - 1) <= width
        rows = [(names, self._name_tags)] if side_by_side else [((n,), (t,)) for n, t in zip(names, self._name_tags)]
        cursor = max(cursor + 2 * size, self.PARTIES_AT * height)
        for row, tags in rows:
            wrapped = [row] if side_by_side else [(l.text,) for l in fonts.break_lines(row[0], width, size)]
            for parts in wrapped:
                placed.append(_CoverLine(parts, size, cursor + ASCENT * size, tags))
                cursor += 1.5 * size
        if cursor > height:
            raise LayoutProblem("cover.title_lines", message("cover-too-long"))
        return placed

    def draw(self) -> None:
        for line in self._placed:
            self._draw_line(line)

    def _draw_line(self, line: _CoverLine) -> None:
        """Centre the line; the names' two-character gap is space, not text, so it never extracts."""
        fonts, y = self.theme.fonts, self.height - line.baseline
        gap = 2 * line.size
        total = sum(fonts.width(p, line.size) for p in line.parts) + gap * (len(line.parts) - 1)
        x = (self.width - total) / 2
        for part, tag in zip(line.parts, line.tags):
            with marked(self.canv, tag):
                fonts.draw(self.canv, x, y, part, line.size)
            x += fonts.width(part, line.size) + gap
