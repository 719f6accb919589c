"""Page geometry and type sizes of the signing copies, in one immutable value.

The text block is a whole number of body characters wide (37 × 12 pt), so a line of full-width
characters fills it exactly, as on the 字詰め grid of real official documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from .text import FontSet


@dataclass(frozen=True)
class Theme:
    """Everything the layout needs to know about the page and the type, nothing about the data."""

    fonts: FontSet
    page_size: tuple[float, float] = A4
    #: binding side: room for staples and for the 契印 across each page join
    binding_margin: float = 30 * mm
    top_margin: float = 30 * mm
    bottom_margin: float = 25 * mm
    chars_per_line: int = 37
    body_size: float = 12.0
    body_leading: float = 21.0
    heading_size: float = 14.0
    table_size: float = 10.5
    #: under 1.5 em: the gap between a cell's lines stays under pdfminer's line_margin (0.5 em), so
    #: its default layout analysis keeps each cell in one text box (16.5 pt left 0.57 em)
    table_leading: float = 15.5
    #: two paddings ≥ 1 em (10.6 pt): neighbouring cells' texts stand at least 1 em apart, so
    #: poppler never joins a row label into the line of the text beside it
    table_padding: float = 5.3
    cover_title_size: float = 22.0
    cover_main_size: float = 30.0
    cover_parties_size: float = 20.0
    rule_width: float = 0.6
    #: how light the 印 guide and seal frame are (1 = white)
    guide_gray: float = 0.72

    @property
    def font(self) -> str:
        """The main font's name (for ReportLab settings that take one font)."""
        return self.fonts.main

    @property
    def text_width(self) -> float:
        return self.chars_per_line * self.body_size

    @property
    def text_height(self) -> float:
        return self.page_size[1] - self.top_margin - self.bottom_margin

    @property
    def outer_margin(self) -> float:
        return self.page_size[0] - self.binding_margin - self.text_width
