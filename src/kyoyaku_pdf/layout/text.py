"""Measuring, setting and drawing text with a main font and, glyph by glyph, a fallback font.

Names of real people contain characters common fonts lack (𠮷 U+20BB7 is not in BIZ UD Mincho). A
document may name a fallback font (IPAmj Mincho has ~58,000 glyphs); each character the main font
cannot draw is set in the fallback, so both fonts are embedded as subsets and the text still extracts
exactly. Every drawing of text in the layout goes through ``FontSet``.

Drawing follows what ``japanese`` decided, glyph by glyph: a line is one text object, one ``TJ`` array
per font subset, whose numbers move a glyph from where the font's advance leaves it to the x the line
was set at (約物の詰め, 四分アキ, justification); glyphs the advance already places share one string.
The operators go straight into the page's content (ReportLab's text object would take a Python call
per glyph), and what a document wrote for a line is written again when it draws the line again.
Nothing but the line's own characters is shown, so the extracted text is the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import Callable
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..text.japanese import Line, Typesetting, break_lines, set_line


@lru_cache(maxsize=65536)
def _advance(font: str, char: str, size: float) -> float:
    return stringWidth(char, font, size)


@lru_cache(maxsize=256)
def _measure(fonts: FontSet, size: float) -> Callable[[str], float]:
    return lambda char: fonts.advance(char, size)


@lru_cache(maxsize=4096)
def _broken(fonts: FontSet, text: str, width: float, size: float, first_indent: float, justify: bool) -> tuple[Line, ...]:
    lines = break_lines(text, width, fonts.measure(size), first_indent, setting=fonts.setting, justify=justify, em=size)
    return tuple(lines)


@lru_cache(maxsize=4096)
def _set(fonts: FontSet, text: str, size: float) -> Line:
    return set_line(text, fonts.measure(size), fonts.setting, size)


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

    def measure(self, size: float) -> Callable[[str], float]:
        """The single-character measure at ``size``, for ``japanese``: the same function every time,
        so that ``japanese`` keeps what it worked out with it (glyphs, spacing between neighbours)."""
        return _measure(self, size)

    def set(self, text: str, size: float) -> Line:
        """``text`` on one line at its natural JLReq spacing (remembered, as ``break_lines``: labels,
        names and page numbers are measured while laid out and set again when drawn)."""
        return _set(self, text, size)

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
        """Draw a set line: each glyph at ``x + line.positions[i]``, in one text object written
        straight into the page's content. Glyphs the font's advance already puts in place share one
        string; a number moves the next glyph where the line was set."""
        if not line.text:
            return
        shown = _drawn.setdefault(canvas._doc, {})
        key = (self, line, size)
        body = shown.get(key)
        if body is None:
            body = shown[key] = self._show(canvas._doc, line, size)
        canvas._code.append(f"BT 1 0 0 {1 if canvas.bottomup else -1} {fp_str(x, y)} Tm {body} ET")

    def _show(self, doc: object, line: Line, size: float) -> str:
        """The font selections and text-showing operators of ``line`` in ``doc``: the same every time
        the document draws the line (both copies of an agreement do), because the glyph codes and
        subset names a document gives characters never change once given."""
        size_text = fp_str(size)
        code = []
        for font_name, text, moves in _runs(self, line, size):
            font = getFont(font_name)
            start = 0
            for subset, encoded in font.splitString(text, doc):  # one string per 256-glyph subset
                code.append(f"{font.getSubsetInternalName(subset, doc)} {size_text} Tf")
                code.append(_shown(encoded, moves[start:start + len(encoded)]))
                start += len(encoded)
        return " ".join(code)


#: per document being drawn, what ``FontSet._show`` wrote for each line (gone with the document)
_drawn: WeakKeyDictionary[object, dict[tuple[FontSet, Line, float], str]] = WeakKeyDictionary()


@lru_cache(maxsize=8192)
def _runs(fonts: FontSet, line: Line, size: float) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """What drawing ``line`` needs that does not depend on the document: the runs of characters of one
    font, and for each character the ``TJ`` number (in thousandths of the size, as ``fp_str`` writes
    it) that moves it from where the previous advance left the text position to where it was set,
    or "" when it is there already. A build draws every line of both copies with the same Lines."""
    runs: list[tuple[str, str, tuple[str, ...]]] = []
    pen = 0.0  # where the font's advances have taken the text position, from the line's start
    for font_name, group in groupby(zip(line.text, line.positions), key=lambda g: fonts.font_for(g[0])):
        chars = list(group)
        moves = []
        for char, position in chars:
            shift = position - pen
            moves.append(fp_str(-shift * 1000 / size) if abs(shift) > 1e-4 else "")
            pen = position + _advance(font_name, char, size)
        runs.append((font_name, "".join(c for c, _ in chars), tuple(moves)))
    return tuple(runs)


def _shown(encoded: bytes, moves: tuple[str, ...]) -> str:
    """The operator showing ``encoded`` (one byte a glyph): ``<…> Tj`` when no glyph needs moving,
    else a ``TJ`` array whose strings break only where a number moves the next glyph. Hexadecimal
    strings: two digits a glyph, where a literal string writes most subset codes as ``\\ooo``."""
    parts: list[str] = []
    begin = 0
    for index, move in enumerate(moves):
        if move:
            if index > begin:
                parts.append(f"<{encoded[begin:index].hex()}>")
            parts.append(move)
            begin = index
    parts.append(f"<{encoded[begin:].hex()}>")
    if len(parts) == 1:
        return f"{parts[0]} Tj"
    return f"[{''.join(parts)}] TJ"
