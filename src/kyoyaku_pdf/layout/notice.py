"""The 告示 and 届出 as flowables: the notice's blocks, then (告示) the agreement's own text.

The agreement part reuses the signing copy's flowables (heading, recital, articles, 別表) so it
reads the same; the parties are named as text, without seal spaces, as in a published 告示.

Structure: the notice's title (告示) or subject (届出) is the H1, numbered items an ``L``, the
other blocks ``P``; the parties of the 告示 a ``Div`` each, one ``P`` a line.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Spacer

from ..input.model import Agreement
from ..text.notice import Block, Notice
from .document import agreement_text, body_style, schedules_story
from .paragraph import JaParagraph, TextStyle
from .tagging import Element, list_item
from .theme import Theme


def notice_story(notice: Notice, agreement: Agreement, theme: Theme, document: Element) -> list[Flowable]:
    story = _blocks(notice.blocks, theme, document)
    if notice.includes_agreement:
        story.append(Spacer(0, theme.body_leading))
        text = document.add("Sect")
        story += agreement_text(agreement, theme, text, lambda: _PartiesText(agreement, theme, text.add("Div")))
        story.append(PageBreak())
        story += schedules_story(agreement, theme, text)
    return story


def _blocks(blocks: tuple[Block, ...], theme: Theme, parent: Element) -> list[Flowable]:
    """The notice's own blocks: the first title or centred line is its heading (H1), items a list."""
    story: list[Flowable] = []
    heading_done = False
    items: Element | None = None
    for block in blocks:
        paragraph = _block(block, theme)
        if block.style == "item":
            items = items or parent.add("L")
            paragraph.label_tag, paragraph.tag = list_item(items)
        else:
            items = None
            is_heading = block.style in ("title", "center") and not heading_done
            heading_done = heading_done or is_heading
            paragraph.tag = parent.add("H1" if is_heading else "P")
        story.append(paragraph)
    return story


def _block(block: Block, theme: Theme) -> JaParagraph:
    em, leading = theme.body_size, theme.body_leading
    body = body_style(theme)
    flat = body.but(first_indent=0, align="left")
    styles: dict[str, TextStyle] = {
        "title": flat.but(space_after=leading / 2),
        "left": flat,
        "date": flat.but(left_indent=2 * em, space_before=leading / 2),
        "right": flat.but(align="right", left_indent=em, space_before=leading / 2),
        "center": flat.but(align="center", space_before=leading / 2, space_after=leading / 2),
        "body": body.but(space_before=leading / 2),
        "item": flat.but(left_indent=em),
    }
    return JaParagraph(block.text, styles.get(block.style, flat), label=block.label)


class _PartiesText(Flowable):
    """甲 and 乙 with address, municipality, office and name as lines of text (no seal spaces)."""

    def __init__(self, agreement: Agreement, theme: Theme, parent: Element) -> None:
        super().__init__()
        style = TextStyle(theme.fonts, theme.body_size, theme.body_leading, align="left", left_indent=13 * theme.body_size)
        divs = [parent.add("Div") for _ in agreement.parties]
        self.paragraphs = [
            JaParagraph(line, style.but(space_before=theme.body_leading / 2 if i == 0 and k else 0), label=role if i == 0 else "",
                        tag=divs[k].add("P"))
            for k, (role, party) in enumerate(agreement.parties)
            for i, line in enumerate((party.address, party.municipality, f"{party.office}　{party.name}"))
        ]
        for paragraph in self.paragraphs:  # lines after the first align under the text, not the role
            if not paragraph.label:
                paragraph.style = paragraph.style.but(left_indent=paragraph.style.left_indent + 1.5 * theme.body_size)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        heights = [p.wrap(avail_width, avail_height)[1] + p.style.space_before for p in self.paragraphs]
        self.width, self.height = avail_width, sum(heights)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for paragraph in self.paragraphs:
            y -= paragraph.style.space_before + paragraph.height
            paragraph.drawOn(self.canv, 0, y)

