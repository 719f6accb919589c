"""Measuring, setting and drawing text with a main font and, glyph by glyph, a fallback font.

Names of real people contain characters common fonts lack (𠮷 U+20BB7 is not in BIZ UD Mincho). A
document may name a fallback font (IPAmj Mincho has ~58,000 glyphs); each character the main font
cannot draw is set in the fallback, so both fonts are embedded as subsets and the text still extracts
exactly. Every drawing of text in the layout goes through ``FontSet``.

Drawing follows what ``japanese`` decided, glyph by glyph: a line is one text object, one ``TJ`` array
per font subset, whose numbers move a glyph from where the font's advance leaves it to the x the line
was set at (約物の詰め, 四分アキ, justification); glyphs the advance already places share one string.
The operators go straight into the page's content (ReportLab's text object would take a Python call
per glyph), and what was written for a line is written again wherever the line's characters have
the same glyph codes and subset names: in the same document (the second copy) and in the next build
of it (``--watch``), never where a document numbered them otherwise. Nothing but the line's own
characters is shown, so the extracted text is the source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import Callable, Mapping, NamedTuple, Sequence
from weakref import ref

from reportlab.pdfbase.ttfonts import TTFont

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..runtime.memo import remember
from ..text.japanese import Line, Typesetting, break_lines, set_line


@lru_cache(maxsize=65536)
def _advance(font: str, char: str, size: float) -> float:
    return stringWidth(char, font, size)


@lru_cache(maxsize=256)
def _measure(fonts: FontSet, size: float) -> Callable[[str], float]:
    return lambda char: fonts.advance(char, size)


#: What ``break_lines`` is asked besides the font set: (text, width, size, first_indent, justify).
BreakArgs = tuple[str, float, float, float, bool]
#: A Line as plain data, (text, width, justify, positions): what a disk cache can store.
PlainLine = tuple[str, float, bool, tuple[float, ...]]
#: Breaks a process remembers (a document has a few hundred paragraphs: room for many documents).
_BREAKS_KEPT = 4096


@lru_cache(maxsize=_BREAKS_KEPT)
def _broken(fonts: FontSet, text: str, width: float, size: float, first_indent: float, justify: bool) -> tuple[Line, ...]:
    """The lines of a paragraph: as seeded when they were (a build in another process broke it), else
    broken (which ``used_breaks`` then tells)."""
    args = (text, width, size, first_indent, justify)
    seeded = _seeded.get(fonts)  # None: a font set nobody keeps the breaks of
    if seeded is not None:
        known = _lines_of(seeded.get(args), text)
        if known is not None:
            return known
        _missed.add(fonts)
    return tuple(break_lines(text, width, fonts.measure(size), first_indent, setting=fonts.setting, justify=justify, em=size))


#: Per font set whose breaks are kept (pdf/breakcache.py: on disk): the results it was seeded with;
#: the breaks asked for until ``used_breaks`` hands them over (then no more are noted: a warm
#: rebuild pays nothing for it); and whether any of them had to be worked out (was not seeded).
_seeded: dict[FontSet, dict[BreakArgs, tuple[PlainLine, ...]]] = {}
_used: dict[FontSet, dict[BreakArgs, tuple[Line, ...]]] = {}
_missed: set[FontSet] = set()


def seed_breaks(fonts: FontSet, entries: Mapping[BreakArgs, Sequence[PlainLine]]) -> None:
    """Take ``entries`` as what ``fonts.break_lines(*args)`` gives, and note from now on which breaks
    are asked for, for ``used_breaks``. The caller vouches that the entries were worked out by this
    very code with these very fonts (pdf/breakcache.py keys them so); each is made into Lines only
    when asked for, so seeding costs nothing per entry, and one that is not well formed is worked
    out again instead."""
    _seeded.setdefault(fonts, {}).update(entries)
    _used.setdefault(fonts, {})
    _missed.discard(fonts)


def used_breaks(fonts: FontSet) -> tuple[dict[BreakArgs, tuple[PlainLine, ...]], bool]:
    """The breaks asked of a seeded font set since it was seeded, as plain data, and whether any
    had to be worked out anew; handed over once, after which none are noted (then: nothing, False)."""
    used = _used.pop(fonts, None)
    missed = fonts in _missed
    _missed.discard(fonts)
    if used is None:
        return {}, False
    return {args: tuple(map(_plain, lines)) for args, lines in used.items()}, missed


def _plain(line: Line) -> PlainLine:
    return line.text, line.width, line.justify, line.positions


def _lines_of(plain: object, text: str) -> tuple[Line, ...] | None:
    """The Lines a seeded entry holds, or None when it holds none or nothing that could break ``text``
    (each line's characters each with a position, joining back to the text without its newlines)."""
    if not isinstance(plain, tuple):
        return None
    try:
        lines = tuple(Line(*fields) for fields in plain)
    except TypeError:
        return None
    for line in lines:
        if not (isinstance(line.text, str) and isinstance(line.positions, tuple) and len(line.positions) == len(line.text)):
            return None
    if "".join(line.text for line in lines) != text.replace("\n", ""):
        return None
    return lines


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

    def __post_init__(self) -> None:
        # hashed once, when made: a font set is part of the key of every line drawn and paragraph set
        object.__setattr__(self, "_hash", hash((self.main, self.covered, self.fallback, self.setting)))

    def __hash__(self) -> int:
        return self.__dict__["_hash"]

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Made anew from its fields when unpickled, so hashed with that process's string hashing."""
        return FontSet, (self.main, self.covered, self.fallback, self.setting)

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
        immutable and depend on nothing but these arguments (and so may come from another process:
        ``seed_breaks``)."""
        lines = _broken(self, text, width, size, first_indent, justify)
        used = _used.get(self)
        if used is not None:  # a font set whose breaks are kept: note what this document asks for
            used[(text, width, size, first_indent, justify)] = lines
        return list(lines)

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
        doc = canvas._doc
        drawn = _drawing.lines_of(doc)
        key = (self, line, size)
        body = drawn.get(key)
        if body is None:
            body = drawn[key] = self._body(doc, key)
        canvas._code.append(f"BT 1 0 0 {1 if canvas.bottomup else -1} {fp_str(x, y)} Tm {body} ET")

    def _body(self, doc: object, key: tuple[FontSet, Line, float]) -> str:
        """The font selections and text-showing operators of a line in ``doc``: as written before,
        in this or another document, if ``doc`` gives the line's characters the same glyph codes and
        subset names (a document gives them in the order it first meets the characters and never
        changes them once given); else written anew."""
        shown = _shown.get(key)
        if shown is not None and shown.holds_in(doc):
            return shown.body
        _, line, size = key
        runs = self._encode(doc, line, size)  # gives the characters met for the first time their codes
        if shown is None or not shown.holds_in(doc):
            codes = tuple(_Codes.of(font, text, doc) for font, text, _ in runs)
            shown = _Shown(_operators(runs, size), codes)
            remember(_shown, key, shown, _SHOWN_KEPT)
        return shown.body

    def _encode(self, doc: object, line: Line, size: float) -> list[_Run]:
        """The line's runs in ``doc``'s glyph codes, as ReportLab encodes them (which gives a code to
        every character the document has not met yet, and names the subsets it uses)."""
        runs = []
        for font_name, text, moves in _runs(self, line, size):
            font = getFont(font_name)
            start, chunks = 0, []
            for subset, encoded in font.splitString(text, doc):  # one string per 256-glyph subset
                chunks.append((font.getSubsetInternalName(subset, doc), encoded, moves[start:start + len(encoded)]))
                start += len(encoded)
            runs.append((font, text, chunks))
        return runs


#: a run of one font in a document's codes: the font, its characters, and per subset its name, the
#: characters' codes and their ``TJ`` numbers
_Run = tuple[TTFont, str, list[tuple[str, bytes, tuple[str, ...]]]]


def _operators(runs: list[_Run], size: float) -> str:
    """Select each subset and show its glyphs."""
    size_text = fp_str(size)
    code = []
    for _, _, chunks in runs:
        for name, encoded, moves in chunks:
            code.append(f"{name} {size_text} Tf")
            code.append(_shown_text(encoded, moves))
    return " ".join(code)


class _Codes(NamedTuple):
    """What a document's drawing of some characters in one font depends on: the font's subset name
    there and the glyph code of each character (None: the font has no glyph; it shows as code 0)."""

    font: TTFont
    name: str
    chars: tuple[int, ...]
    codes: list[int | None]

    @classmethod
    def of(cls, font: TTFont, text: str, doc: object) -> _Codes:
        state = font.state[doc]
        chars = tuple(dict.fromkeys(map(ord, text.replace("\xa0", " "))))  # splitString draws U+00A0 as a space
        return cls(font, state.internalName, chars, list(map(state.assignments.get, chars)))

    def hold_in(self, doc: object) -> bool:
        state = self.font.state.get(doc)
        if state is None or state.internalName != self.name:
            return False
        return list(map(state.assignments.get, self.chars)) == self.codes


class _Shown(NamedTuple):
    """A line's operators as a document wrote them, and the codes they were written with."""

    body: str
    codes: tuple[_Codes, ...]

    def holds_in(self, doc: object) -> bool:
        """The same operators are what ``doc`` would write: its subsets name and number every character
        of the line as the document that wrote them did (so nothing new is given a code either)."""
        return all(codes.hold_in(doc) for codes in self.codes)


#: the operators of the lines drawn lately, in any document: a line whose characters a document has
#: coded as the one that wrote them is not encoded again (the next build of the same agreement)
_shown: dict[tuple[FontSet, Line, float], _Shown] = {}
_SHOWN_KEPT = 8192


class _Drawing:
    """What the document being drawn wrote for each line (checked once, then written as it is: the
    second copy draws every line again). One document at a time, as a build draws them; another
    document starts afresh (the document is held weakly, so its memory goes with it)."""

    def __init__(self) -> None:
        self.document: Callable[[], object | None] = lambda: None
        self.drawn: dict[tuple[FontSet, Line, float], str] = {}

    def lines_of(self, doc: object) -> dict[tuple[FontSet, Line, float], str]:
        if self.document() is not doc:
            self.document, self.drawn = ref(doc), {}
        return self.drawn


_drawing = _Drawing()


@lru_cache(maxsize=8192)
def _runs(fonts: FontSet, line: Line, size: float) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """What drawing ``line`` needs that does not depend on the document: the runs of characters of one
    font, and for each character the ``TJ`` number (in thousandths of the size, as ``fp_str`` writes
    it) that moves it from where the previous advance left the text position to where it was set,
    or "" when it is there already. A build draws every line of both copies with the same Lines."""
    if fonts.fallback is None:  # one font: one run (most documents)
        return ((fonts.main, line.text, _moves(fonts.main, line.text, line.positions, 0.0, size)[0]),)
    runs: list[tuple[str, str, tuple[str, ...]]] = []
    pen = 0.0  # where the font's advances have taken the text position, from the line's start
    for font_name, group in groupby(zip(line.text, line.positions), key=lambda g: fonts.font_for(g[0])):
        chars, positions = zip(*group)
        moves, pen = _moves(font_name, chars, positions, pen, size)
        runs.append((font_name, "".join(chars), moves))
    return tuple(runs)


def _moves(
    font: str, chars: Sequence[str], positions: Sequence[float], pen: float, size: float
) -> tuple[tuple[str, ...], float]:
    """The ``TJ`` number of each character (see ``_runs``), and where the pen stands after them."""
    moves = []
    for char, position in zip(chars, positions):
        shift = position - pen
        moves.append(fp_str(-shift * 1000 / size) if abs(shift) > 1e-4 else "")
        pen = position + _advance(font, char, size)
    return tuple(moves), pen


def _shown_text(encoded: bytes, moves: tuple[str, ...]) -> str:
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
