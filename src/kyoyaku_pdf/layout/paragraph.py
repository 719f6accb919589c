"""A Japanese paragraph flowable: our own line breaking and 両端揃え instead of ReportLab's.

ReportLab's ``wordWrap='CJK'`` lets several characters hang past the margin, ignores 行末禁則 and
does not justify CJK lines (docs/reportlab-cjk-wrap.md). Here ``japanese.break_lines`` breaks and
sets the lines (JLReq line adjustment: 約物の詰め, 四分アキ, squeezing before pushing down, 両端揃え) and
each line is drawn glyph by glyph where it was set (``FontSet.draw_line``). Every character of the
text is drawn exactly once, in order (U+3000 included), so text extracted from the PDF equals the
source text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..text.japanese import Line
from .tagging import Tag, begin, end
from .text import FontSet

Align = Literal["justify", "left", "center", "right"]

#: Where the baseline sits inside an em box of a Japanese font (ideographic em box: -0.12..0.88 em).
ASCENT = 0.88


@dataclass(frozen=True)
class TextStyle:
    """Look of a paragraph; sizes in points, indents in points."""

    fonts: FontSet
    size: float
    leading: float
    align: Align = "justify"
    first_indent: float = 0.0
    left_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    #: the gap after a label, in em; None: half an em after a hanging number, one after an article number
    label_gap: float | None = None

    def but(self, **changes: object) -> TextStyle:
        return replace(self, **changes)  # type: ignore[arg-type]


class Placed(Flowable):
    """A flowable whose ``drawOn`` writes what ReportLab's does — ``q``, the translation to (x, y),
    the drawing, ``Q``, the same bytes — without saving and restoring the canvas's Python-side state
    (some twenty attributes, copied for every cell of every table). So its ``draw`` must leave that
    state as it found it (every ``saveState`` restored) and must not ask the canvas where it is
    (``absolutePosition``): the canvas does not know of the translation."""

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        x = self._hAlignAdjust(x, _sW)
        code = canvas._code
        code.append("q")
        code.append(f"1 0 0 1 {fp_str(x, y)} cm")
        self.canv = canvas
        self.draw()
        del self.canv
        code.append("Q")


class JaParagraph(Placed):
    """A paragraph of Japanese text with an optional number ``label``.

    A hanging label (``(1)`` of an item) keeps every line after it; a leading label (``第1条`` of an
    article, ``hanging=False``) starts the first line at the margin and the following lines at
    the style's left indent, as articles are set in 例規. The label is drawn, never part of
    ``text``, so the source text extracts unchanged.

    ``tag`` is the structure element (or artifact) the text belongs to, ``label_tag`` the label's
    (default: the same); the parts of a split paragraph keep them."""

    def __init__(
        self, text: str, style: TextStyle, label: str = "", *, hanging: bool = True, _lines: list[Line] | None = None,
        tag: Tag = None, label_tag: Tag = None,
    ) -> None:
        super().__init__()
        self.tag = tag
        self.label_tag = label_tag
        self.text = text
        self.style = style
        self.label = label
        self.hanging = hanging
        self._fixed_lines = _lines
        self._lines: list[Line] = _lines or []
        self._line_width = 0.0
        #: the width and style the lines were last set for: platypus and the table blocks wrap a
        #: paragraph again and again with the same width (text and label never change)
        self._wrapped_for: tuple[float, TextStyle] | None = None
        #: where the lines start and the first line's indent, as of the last wrap (see line_x)
        self._x0 = self._indent0 = 0.0
        self.keepWithNext = style.keep_with_next
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    # -- measuring ---------------------------------------------------------------------------
    def _measure(self, text: str) -> float:
        return self.style.fonts.width(text, self.style.size)

    @property
    def _label_width(self) -> float:
        """A label takes its own width plus a gap: half an em after a hanging number, a full-width
        space's worth after an article number (第1条　)."""
        if not self.label:
            return 0.0
        gap = self.style.label_gap
        if gap is None:
            gap = 0.5 if self.hanging else 1.0
        return self._measure(self.label) + self.style.size * gap

    @property
    def _text_x(self) -> float:
        return self.style.left_indent + (self._label_width if self.hanging else 0.0)

    @property
    def _first_indent(self) -> float:
        """Indent of the first line relative to the others (a leading label pushes it right)."""
        if self.hanging or not self.label:
            return self.style.first_indent
        return self._label_width - self.style.left_indent

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        wrapped_for = self._wrapped_for
        if wrapped_for is not None and wrapped_for[0] == avail_width and wrapped_for[1] is self.style:
            return self.width, self.height
        self._wrapped_for = (avail_width, self.style)
        self._x0, self._indent0 = self._text_x, self._first_indent
        self._line_width = avail_width - self._x0
        if self._fixed_lines is None:
            justify = self.style.align == "justify"
            self._lines = self.style.fonts.break_lines(
                self.text, self._line_width, self.style.size, self._first_indent, justify=justify
            )
        self.width = avail_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Split between lines; the continuation keeps the line breaks already made."""
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return []
        head, tail = self._lines[:fit], self._lines[fit:]
        first = JaParagraph(
            self.text, self.style.but(space_after=0, keep_with_next=False), self.label, hanging=self.hanging, _lines=head
        )
        # the continuation has no label but keeps the indent of the lines it continues
        rest_style = self.style.but(space_before=0, first_indent=0, left_indent=self._text_x)
        return [first.tagged_as(self), JaParagraph(self.text, rest_style, "", _lines=tail).tagged_as(self)]

    def tagged_as(self, other: JaParagraph) -> JaParagraph:
        """This paragraph, its content belonging where ``other``'s does (a part of a split paragraph)."""
        self.tag, self.label_tag = other.tag, other.label_tag
        return self

    # -- drawing -----------------------------------------------------------------------------
    def draw(self) -> None:
        """The label, then the lines, each a marked-content sequence of its structure element."""
        style, canvas = self.style, self.canv
        baseline = self.first_baseline
        if self.label:
            tag = self.label_tag or self.tag
            begin(canvas, tag)
            style.fonts.draw(canvas, self._label_x, baseline, self.label, style.size)
            end(canvas, tag)
        if self._lines:
            begin(canvas, self.tag)
            self._draw_lines(baseline)
            end(canvas, self.tag)

    def _draw_lines(self, baseline: float) -> None:
        style, canvas = self.style, self.canv
        fonts, size, leading = style.fonts, style.size, style.leading
        for index, line in enumerate(self._lines):
            fonts.draw_line(canvas, self.line_x(index), baseline, line, size)
            baseline -= leading

    @property
    def first_baseline(self) -> float:
        """The first line's baseline, from the paragraph's bottom (the em box centred in the leading)."""
        style = self.style
        return self.height - (style.leading - style.size) / 2 - ASCENT * style.size

    @property
    def _label_x(self) -> float:
        return self.style.left_indent if self.hanging else 0.0

    def line_x(self, index: int) -> float:
        """Where line ``index`` starts: its indent, and for centred or right-aligned text the share
        of the room the set line leaves (as of the last wrap)."""
        indent = self._indent0 if index == 0 else 0.0
        align = self.style.align
        if align != "center" and align != "right":
            return self._x0 + indent
        slack = self._line_width - indent - self._lines[index].width
        return self._x0 + indent + (slack / 2 if align == "center" else slack)
