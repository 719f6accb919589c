"""Measuring, setting and drawing text with a main font and, glyph by glyph, a fallback font.

Names of real people contain characters common fonts lack (𠮷 U+20BB7 is not in BIZ UD Mincho). A
document may name a fallback font (IPAmj Mincho has ~58,000 glyphs); each character the main font
cannot draw is set in the fallback, so both fonts are embedded as subsets and the text still extracts
exactly. Every drawing of text in the layout goes through ``FontSet``.

Drawing follows what ``japanese`` decided, glyph by glyph: a line is one text object, one ``TJ`` array
per font subset, whose numbers move each glyph from where the font's advance leaves it to the x the
line was set at (約物の詰め, 四分アキ, justification). Nothing but the line's own characters is shown,
so the extracted text is the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..text.japanese import Line, Typesetting, break_lines, set_line


@lru_cache(maxsize=65536)
def _advance(font: str, char: str, size: float) -> float:
    return stringWidth(char, font, size)


@lru_cache(maxsize=4096)
def _broken(fonts: FontSet, text: str, width: float, size: float, first_indent: float, justify: bool) -> tuple[Line, ...]:
    lines = break_lines(text, width, fonts.measure(size), first_indent, setting=fonts.setting, justify=justify, em=size)
    return tuple(lines)


@dataclass(frozen=True)
class FontSet:
    """The registered main font, an optional fallback, the code points the main font covers, and how
    Japanese text is set with them (``setting``: 四分アキ, ぶら下げ)."""

    main: str
    covered: frozenset[int]
    fallback: str | None = None
    setting: Typesetting = field(default_factory=Typesetting)

    def font_for(self, char: str) -> str:
        if self.fallback is None or ord(char) in self.covered:
            return self.main
        return self.fallback

    def advance(self, char: str, size: float) -> float:
        """One character's advance in its font (the measure ``japanese`` sets lines with)."""
        return _advance(self.font_for(char), char, size)

    def measure(self, size: float):  # type: ignore[no-untyped-def]
        """The single-character measure at ``size``, for ``japanese``."""
        return lambda char: self.advance(char, size)

    def set(self, text: str, size: float) -> Line:
        """``text`` on one line at its natural JLReq spacing."""
        return set_line(text, self.measure(size), self.setting, size)

    def break_lines(self, text: str, width: float, size: float, first_indent: float = 0.0, *, justify: bool = True) -> list[Line]:
        """``text`` broken into set lines ``width`` wide. Platypus asks the same paragraph again and
        again (every wrap, split and KeepTogether trial), so the result is remembered: the lines are
        immutable and depend on nothing but these arguments."""
        return list(_broken(self, text, width, size, first_indent, justify))

    def width(self, text: str, size: float) -> float:
        """The width ``text`` takes when set on one line (with 約物の詰め and 四分アキ)."""
        return self.set(text, size).width

    def draw(self, canvas: Canvas, x: float, y: float, text: str, size: float) -> None:
        """Draw ``text`` set on one line, its baseline at ``y``."""
        self.draw_line(canvas, x, y, self.set(text, size), size)

    def draw_centred(self, canvas: Canvas, x: float, y: float, text: str, size: float) -> None:
        line = self.set(text, size)
        self.draw_line(canvas, x - line.width / 2, y, line, size)

    def draw_line(self, canvas: Canvas, x: float, y: float, line: Line, size: float) -> None:
        """Draw a set line: each glyph at ``x + line.positions[i]``, in one text object."""
        if not line.text:
            return
        text_object = canvas.beginText(x, y)
        code = text_object._code
        doc = canvas._doc
        pen = 0.0  # where the font's advances have taken the text position, from x
        glyphs = list(zip(line.text, line.positions))
        for font_name, run in groupby(glyphs, key=lambda g: self.font_for(g[0])):
            font = getFont(font_name)
            for subset, chars in _subset_runs(font, list(run), doc):
                code.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
                parts: list[str] = []
                for char, encoded, position in chars:
                    shift = position - pen
                    if abs(shift) > 1e-4:
                        parts.append(fp_str(-shift * 1000 / size))
                    parts.append(f"({canvas._escape(encoded)})")
                    pen = position + _advance(font_name, char, size)
                code.append(f"[{' '.join(parts)}] TJ")
        canvas.drawText(text_object)


def _subset_runs(font, glyphs, doc):  # type: ignore[no-untyped-def]
    """(subset, [(char, encoded byte, position)]) runs: ReportLab's TrueType subsets hold 256 glyphs
    each and a TJ string shows glyphs of one subset."""
    runs: list[tuple[int, list[tuple[str, bytes, float]]]] = []
    for char, position in glyphs:
        ((subset, encoded),) = font.splitString(char, doc)
        if runs and runs[-1][0] == subset:
            runs[-1][1].append((char, encoded, position))
        else:
            runs.append((subset, [(char, encoded, position)]))
    return runs
