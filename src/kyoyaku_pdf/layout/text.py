"""Measuring and drawing text with a main font and, glyph by glyph, a fallback font.

Names of real people contain characters common fonts lack (𠮷 U+20BB7 is not in BIZ UD Mincho). A
document may name a fallback font (IPAmj Mincho has ~58,000 glyphs); each character the main font
cannot draw is set in the fallback, in its own run, so both fonts are embedded as subsets and the
text still extracts exactly. Every drawing of text in the layout goes through ``FontSet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class FontSet:
    """The registered main font, an optional fallback, and the code points the main font covers."""

    main: str
    covered: frozenset[int]
    fallback: str | None = None

    def font_for(self, char: str) -> str:
        if self.fallback is None or ord(char) in self.covered:
            return self.main
        return self.fallback

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font, text) runs: consecutive characters that share a font."""
        if self.fallback is None:
            return [(self.main, text)]
        return [(font, "".join(chars)) for font, chars in groupby(text, key=self.font_for)]

    def width(self, text: str, size: float) -> float:
        return sum(stringWidth(run, font, size) for font, run in self.runs(text))

    def draw(self, canvas: Canvas, x: float, y: float, text: str, size: float, char_space: float = 0.0) -> None:
        """Draw ``text`` with its baseline at ``y``; ``char_space`` is added after every character."""
        text_object = canvas.beginText(x, y)
        # always set it: character spacing is graphics state and would carry over from the line before
        text_object.setCharSpace(char_space)
        for font, run in self.runs(text):
            text_object.setFont(font, size)
            text_object.textOut(run)
        canvas.drawText(text_object)

    def draw_centred(self, canvas: Canvas, x: float, y: float, text: str, size: float) -> None:
        self.draw(canvas, x - self.width(text, size) / 2, y, text, size)
