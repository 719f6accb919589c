"""The 記名押印 block: each party's role mark, address, municipality, office and name, with a seal space.

Convention (礒崎陽輔『分かりやすい公用文の書き方』 and municipal manuals): the 公印 is stamped over the
last character of the name, its right edge one character short of the line end. Older practice
leaves one character between the name and the seal; both are offered. The seal space is kept clear
of every other line: if a long address would reach into it, the name line moves down until it
does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..errors import LayoutProblem
from ..messages import text as message
from ..text.japanese import break_lines
from ..input.model import ROLE_FIELDS, Party, SealPosition
from .paragraph import ASCENT
from .theme import Theme

#: The share of the name's last character the seal covers in the "over-last-char" position.
SEAL_OVERLAP = 1 / 3


@dataclass(frozen=True)
class GlyphOutline:
    """A glyph as drawing commands in font units (for the 印 guide: drawn, not text, so it never
    pollutes the extracted text of the agreement)."""

    units_per_em: int
    commands: tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True)
class PlacedText:
    text: str
    x: float
    baseline: float  # distance of the baseline below the top of the block


@dataclass(frozen=True)
class SealBox:
    x: float
    top: float  # distance of the box's top below the top of the block
    size: float


@dataclass(frozen=True)
class PartyLayout:
    texts: tuple[PlacedText, ...]
    seal: SealBox
    height: float


class SignatureBlock(Flowable):
    """Both parties' signature lines, one under the other, each with its seal space."""

    def __init__(
        self,
        parties: tuple[tuple[str, Party], ...],
        theme: Theme,
        position: SealPosition,
        guide: GlyphOutline | None,
    ) -> None:
        super().__init__()
        self.parties = parties
        self.theme = theme
        self.position = position
        self.guide = guide
        self._layouts: list[PartyLayout] = []

    @property
    def _em(self) -> float:
        return self.theme.body_size

    def _measure(self, text: str) -> float:
        return self.theme.fonts.width(text, self._em)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._layouts = [self._layout_party(role, party, avail_width) for role, party in self.parties]
        gap = self.theme.body_leading
        self.width = avail_width
        self.height = sum(p.height for p in self._layouts) + gap * (len(self._layouts) - 1)
        return self.width, self.height

    def _layout_party(self, role: str, party: Party, width: float) -> PartyLayout:
        em, leading = self._em, self.theme.body_leading
        mark_x = width - 24 * em  # the block stands in the right part of the page, as in real agreements
        text_x = mark_x + 2 * em
        seal_size = party.seal_mm * mm
        seal_x = width - em - seal_size
        name_end = seal_x + SEAL_OVERLAP * em if self.position == "over-last-char" else seal_x - em
        name_width = self._measure(party.name)
        if text_x + name_width > name_end:
            room = int((name_end - text_x) // em)
            raise LayoutProblem(f"{ROLE_FIELDS[role]}.name", message("name-too-long", room=room))
        texts: list[PlacedText] = []
        baseline = self._first_baseline()
        for i, line in enumerate(self._wrapped(party.address, width - text_x)):
            if i == 0:
                texts.append(PlacedText(role, mark_x, baseline))
            texts.append(PlacedText(line, text_x, baseline))
            baseline += leading
        for line in self._wrapped(party.municipality, width - text_x):
            texts.append(PlacedText(line, text_x, baseline))
            baseline += leading
        office_lines = self._wrapped(party.office, width - text_x)
        same_line = len(office_lines) == 1 and text_x + self._measure(party.office) + em <= name_end - name_width
        for line in office_lines if not same_line else office_lines[:-1]:
            texts.append(PlacedText(line, text_x, baseline))
            baseline += leading
        if same_line:
            texts.append(PlacedText(office_lines[-1], text_x, baseline))
        baseline += self._clearance(texts, seal_x, seal_size, baseline)
        texts.append(PlacedText(party.name, name_end - name_width, baseline))
        seal_top = self._em_box_center(baseline) - seal_size / 2
        height = max(baseline + self._descent(), seal_top + seal_size)
        return PartyLayout(tuple(texts), SealBox(seal_x, seal_top, seal_size), height)

    def _first_baseline(self) -> float:
        return (self.theme.body_leading - self._em) / 2 + ASCENT * self._em

    def _descent(self) -> float:
        return (1 - ASCENT) * self._em + (self.theme.body_leading - self._em) / 2

    def _em_box_center(self, baseline: float) -> float:
        return baseline - (ASCENT - 0.5) * self._em

    def _wrapped(self, text: str, width: float) -> list[str]:
        return [line.text for line in break_lines(text, width, self._measure)]

    def _clearance(self, placed: list[PlacedText], seal_x: float, seal_size: float, name_baseline: float) -> float:
        """How far the name line must move down so that the seal space touches no line above."""
        seal_top = self._em_box_center(name_baseline) - seal_size / 2
        gap = self._em / 4
        needed = 0.0
        for item in placed:
            right = item.x + self._measure(item.text)
            if right + gap > seal_x and item.x < seal_x + seal_size + gap:
                bottom = item.baseline + (1 - ASCENT) * self._em
                needed = max(needed, bottom + gap - seal_top)
        return needed

    def draw(self) -> None:
        top = self.height
        for layout in self._layouts:
            for item in layout.texts:
                self.theme.fonts.draw(self.canv, item.x, top - item.baseline, item.text, self._em)
            self._draw_seal_space(layout.seal, top)
            top -= layout.height + self.theme.body_leading

    def _draw_seal_space(self, seal: SealBox, top: float) -> None:
        if self.guide is None:
            return
        canv = self.canv
        canv.saveState()
        gray = self.theme.guide_gray
        canv.setStrokeGray(gray)
        canv.setFillGray(gray)
        canv.setLineWidth(0.4)
        canv.setDash(2, 2)
        bottom = top - seal.top - seal.size
        canv.rect(seal.x, bottom, seal.size, seal.size, stroke=1, fill=0)
        mark = seal.size * 0.4
        self._draw_outline(self.guide, seal.x + (seal.size - mark) / 2, bottom + (seal.size - mark) / 2 + 0.12 * mark, mark)
        canv.restoreState()

    def _draw_outline(self, outline: GlyphOutline, x: float, y: float, size: float) -> None:
        scale = size / outline.units_per_em
        path = self.canv.beginPath()
        for op, pts in outline.commands:
            p = [v * scale for v in pts]
            if op == "M":
                path.moveTo(x + p[0], y + p[1])
            elif op == "L":
                path.lineTo(x + p[0], y + p[1])
            elif op == "C":
                path.curveTo(x + p[0], y + p[1], x + p[2], y + p[3], x + p[4], y + p[5])
            else:
                path.close()
        self.canv.drawPath(path, stroke=0, fill=1, fillMode=0)
