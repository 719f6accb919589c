"""Page templates and the story of the signing copies: cover, recital with signatures, 別表 — per copy.

Pages are mirrored for duplex printing: the binding margin (room for staples and the 契印) is on the
left of odd pages and the right of even pages. Every copy starts on an odd page, so each copy's
cover lands on a front side; a blank page is inserted where needed. No file I/O happens here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable, Frame, KeepTogether, PageBreak, PageTemplate, Spacer

from ..japanese import wareki
from ..model import Agreement
from .paragraph import ASCENT, JaParagraph, TextStyle
from .schedule import schedule_flowables
from .signature import GlyphOutline, SignatureBlock
from .theme import Theme


@dataclass(frozen=True)
class LayoutInputs:
    """What the layout needs besides the agreement: the theme and the drawn 印 guide (or None)."""

    theme: Theme
    seal_guide: GlyphOutline | None


class AgreementDocTemplate(BaseDocTemplate):
    """Two mirrored page templates that alternate page by page, plus the odd-page break action."""

    def __init__(self, target: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(target, pagesize=theme.page_size, **kwargs)
        self.addPageTemplates([_template("odd", "even", theme, theme.binding_margin), _template("even", "odd", theme, theme.outer_margin)])

    def handle_breakToOddPage(self) -> None:
        """End the page; if the next page would be even, leave it blank."""
        self.handle_pageBreak()
        if (self.page + 1) % 2 == 0:
            self._hanging.append(PageBreak())


def _template(name: str, following: str, theme: Theme, left: float) -> PageTemplate:
    frame = Frame(
        left, theme.bottom_margin, theme.text_width, theme.text_height,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name,
    )
    return PageTemplate(id=name, frames=[frame], autoNextPageTemplate=following)


def break_to_odd_page() -> Flowable:
    return ActionFlowable(("breakToOddPage",))


def signing_story(agreement: Agreement, inputs: LayoutInputs, copies: int) -> list[Flowable]:
    """``copies`` identical copies, each starting on an odd page."""
    story: list[Flowable] = []
    for copy in range(copies):
        if copy:
            story.append(break_to_odd_page())
        story += copy_story(agreement, inputs)
    return story


def copy_story(agreement: Agreement, inputs: LayoutInputs) -> list[Flowable]:
    """One copy: cover page, recital page with date and signatures, then the 別表."""
    theme = inputs.theme
    story: list[Flowable] = [CoverPage(agreement, theme), PageBreak()]
    story += _recital(agreement, inputs)
    story.append(PageBreak())
    for number, schedule in enumerate(agreement.schedules, start=1):
        flowables = schedule_flowables(number, schedule, theme)
        if number > 1:
            flowables[0].spaceBefore = theme.body_leading * 1.5
        story += flowables
    return story


def _recital(agreement: Agreement, inputs: LayoutInputs) -> list[Flowable]:
    theme = inputs.theme
    em, leading = theme.body_size, theme.body_leading
    body = TextStyle(theme.font, em, leading, first_indent=em)
    heading = TextStyle(theme.font, theme.heading_size, leading * 1.2, align="center", space_after=leading * 1.5)
    story: list[Flowable] = [JaParagraph(agreement.heading, heading)]
    story += [JaParagraph(text, body) for text in agreement.recital]
    story.append(JaParagraph(agreement.closing, body.but(space_before=leading)))
    date = JaParagraph(wareki(agreement.date), body.but(first_indent=2 * em, align="left", space_before=leading))
    signatures = SignatureBlock(agreement.parties, theme, agreement.print.seal_position, inputs.seal_guide)
    story.append(KeepTogether([date, Spacer(0, leading), signatures]))
    return story


class CoverPage(Flowable):
    """The cover: title lines large and centred in the upper half, the parties' names lower down."""

    def __init__(self, agreement: Agreement, theme: Theme) -> None:
        super().__init__()
        self.agreement = agreement
        self.theme = theme

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height - 1  # a hair less, so the frame accepts it
        return self.width, self.height

    def _lines(self) -> list[tuple[str, float, float]]:
        """(text, size, baseline as a fraction of the height from the top) of each cover line."""
        theme, lines = self.theme, self.agreement.cover_lines
        sizes = [theme.cover_title_size] * (len(lines) - 1) + [theme.cover_main_size]
        out = [(text, size, 0.22 + 0.09 * i) for i, (text, size) in enumerate(zip(lines, sizes))]
        return out

    def draw(self) -> None:
        canv, font = self.canv, self.theme.font
        for text, size, fraction in self._lines():
            canv.setFont(font, size)
            canv.drawCentredString(self.width / 2, self.height * (1 - fraction) - ASCENT * size, text)
        size = self.theme.cover_parties_size
        names = [party.municipality for _, party in self.agreement.parties]
        canv.setFont(font, size)
        gap = 2 * size  # two full-width spaces' worth between the names
        total = sum(canv.stringWidth(n, font, size) for n in names) + gap * (len(names) - 1)
        x = (self.width - total) / 2
        for name in names:
            canv.drawString(x, self.height * 0.32, name)
            x += canv.stringWidth(name, font, size) + gap
