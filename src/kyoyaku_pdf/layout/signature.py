"""The 記名押印 block: each party's role mark, address, municipality, office and name, with a seal space.

Convention (礒崎陽輔『分かりやすい公用文の書き方』 and municipal manuals): the 公印 is stamped over the
last character of the name, its right edge one character short of the line end. Older practice
leaves one character between the name and the seal; both are offered. The seal space is kept clear
of every other line: a text above the name line that would reach into the seal's column (a long
「…郡…」 address) is wrapped short of it, so the name always stays on its office title's line.

Structure: each party is a ``Div`` of ``P`` in reading order — role mark, address, municipality,
office, name; the seal frame and its 印 are an artifact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from ..errors import LayoutProblem
from ..messages import text as message
from ..text.japanese import Line
from ..input.model import ROLE_FIELDS, Party, SealPosition
from .paragraph import ASCENT
from .tagging import ARTIFACT, Element, Tag, begin, end
from .theme import Theme

#: A party's items in reading order; the texts above the name line are owned by -1 (the role mark),
#: 0 (address), 1 (municipality) and 2 (office, when it stands above the name line).
PARTY_ITEMS = ("role", "address", "municipality", "office", "name")
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
    """One line of a party's 記名 block, where it stands in the block."""

    line: Line
    x: float
    baseline: float  # distance of the baseline below the top of the block
    tag: Tag = None  # the element the text belongs to

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def right(self) -> float:
        return self.x + self.line.width


@dataclass(frozen=True)
class SealBox:
    """The square left for a party's 印, in the block's coordinates."""

    x: float
    top: float  # distance of the box's top below the top of the block
    size: float


@dataclass(frozen=True)
class PartyLayout:
    """A party's 記名押印 block as laid out: its lines, its seal square and how tall it is."""

    role: str
    texts: tuple[PlacedText, ...]
    seal: SealBox
    height: float


@dataclass(frozen=True)
class SealSpace:
    """Where a party's seal space was drawn, in page coordinates (points from the page's lower left).

    Recorded at drawing time so the electronic copy can put each signature field exactly on the
    seal square of the paper layout, without the PDF layer re-deriving the geometry."""

    role: str
    page: int  # 1-based
    x: float
    y: float
    size: float


class SignatureBlock(Flowable):
    """Both parties' signature lines, one under the other, each with its seal space."""

    def __init__(
        self,
        parties: tuple[tuple[str, Party], ...],
        theme: Theme,
        position: SealPosition,
        guide: GlyphOutline | None,
        parent: Element | None = None,
        record: list[SealSpace] | None = None,
    ) -> None:
        super().__init__()
        self.parties = parties
        self.theme = theme
        self.position = position
        self.guide = guide
        #: when given, every seal space drawn is appended here (for the electronic copy's fields)
        self.record = record
        self._layouts: list[PartyLayout] = []
        #: the width the layouts were made for (parties, theme and position never change)
        self._wrapped_for: float | None = None
        self._tags = [self._party_tags(parent) for _ in parties]

    @staticmethod
    def _party_tags(parent: Element | None) -> dict[str, Tag]:
        """One ``P`` per item of a party, in reading order, inside the party's ``Div``."""
        if parent is None:
            return dict.fromkeys(PARTY_ITEMS)
        party = parent.add("Div")
        return {name: party.add("P") for name in PARTY_ITEMS}

    @property
    def _em(self) -> float:
        return self.theme.body_size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width == self._wrapped_for:  # KeepTogether and the frame ask again with the same width
            return self.width, self.height
        self._layouts = [
            self._layout_party(role, party, avail_width, tags) for (role, party), tags in zip(self.parties, self._tags)
        ]
        gap = self.theme.body_leading
        self.width = avail_width
        self.height = sum(p.height for p in self._layouts) + gap * (len(self._layouts) - 1)
        self._wrapped_for = avail_width
        return self.width, self.height

    def _layout_party(self, role: str, party: Party, width: float, tags: dict[str, Tag]) -> PartyLayout:
        em = self._em
        mark_x = width - 23.8 * em  # the block stands in the right part of the page, as in real agreements
        # 0.8 em after the role mark: under the 1 em at which text extraction (poppler) takes the marks
        # for a column of their own and reads 乙 before 甲's name; still nearly a full-width space
        text_x = mark_x + 1.8 * em
        seal = SealBox(width - em - party.seal_mm * mm, 0.0, party.seal_mm * mm)
        name_end = seal.x + SEAL_OVERLAP * em if self.position == "over-last-char" else seal.x - em
        name = self.theme.fonts.set(party.name, em)
        if text_x + name.width > name_end:
            room = int((name_end - text_x) // em)
            raise LayoutProblem(f"{ROLE_FIELDS[role]}.name", message("name-too-long", room=room))
        office = self.theme.fonts.set(party.office, em)
        same_line = text_x + office.width + em <= name_end - name.width
        above = [party.address, party.municipality] + ([] if same_line else [party.office])
        short: set[int] = set()
        while True:  # wrap short of the seal column every text that would reach into it
            owners, texts, baseline = self._stack(role, above, short, mark_x, text_x, width, seal.x)
            reaching = {owner for owner, item in zip(owners, texts) if self._touches(item, seal, baseline)}
            if reaching <= short:
                break
            short |= reaching
        texts = [replace(item, tag=tags[PARTY_ITEMS[owner + 1]]) for owner, item in zip(owners, texts)]
        line_texts = [PlacedText(office, text_x, baseline, tags["office"])] if same_line else []
        line_texts.append(PlacedText(name, name_end - name.width, baseline, tags["name"]))
        # a safety net (the loop above leaves nothing to clear): the whole name line moves, office and all
        baseline += max((self._overlap(item, seal, baseline) for item in texts), default=0.0)
        texts += [replace(item, baseline=baseline) for item in line_texts]
        seal = replace(seal, top=self._seal_top(seal, baseline))
        height = max(baseline + self._descent(), seal.top + seal.size)
        return PartyLayout(role, tuple(texts), seal, height)

    def _stack(
        self, role: str, above: list[str], short: set[int], mark_x: float, text_x: float, width: float, seal_x: float
    ) -> tuple[list[int], list[PlacedText], float]:
        """The lines above the name line (the role mark on the first), which text each line belongs
        to (-1: the mark), and the name line's baseline. ``short``: the texts wrapped to end a quarter
        em before the seal's column."""
        owners: list[int] = []
        texts: list[PlacedText] = []
        baseline = self._first_baseline()
        fonts, em = self.theme.fonts, self._em
        for index, text in enumerate(above):
            room = (seal_x - self._gap if index in short else width) - text_x
            for line in fonts.break_lines(text, room, em, justify=False):
                if not texts:
                    owners.append(-1)
                    texts.append(PlacedText(fonts.set(role, em), mark_x, baseline))
                owners.append(index)
                texts.append(PlacedText(line, text_x, baseline))
                baseline += self.theme.body_leading
        return owners, texts, baseline

    @property
    def _gap(self) -> float:
        """The clear space kept around the seal space."""
        return self._em / 4

    def _seal_top(self, seal: SealBox, name_baseline: float) -> float:
        """The seal space is centred on the name line's em box."""
        return name_baseline - (ASCENT - 0.5) * self._em - seal.size / 2

    def _touches(self, item: PlacedText, seal: SealBox, name_baseline: float) -> bool:
        return self._overlap(item, seal, name_baseline) > 0 and item.right + self._gap > seal.x

    def _overlap(self, item: PlacedText, seal: SealBox, name_baseline: float) -> float:
        """How far the name line would have to move down for the seal space to clear ``item`` (0 if
        it does not reach the seal's column or stands clear above it)."""
        if item.right + self._gap <= seal.x or item.x >= seal.x + seal.size + self._gap:
            return 0.0
        bottom = item.baseline + (1 - ASCENT) * self._em
        return max(0.0, bottom + self._gap - self._seal_top(seal, name_baseline))

    def _first_baseline(self) -> float:
        return (self.theme.body_leading - self._em) / 2 + ASCENT * self._em

    def _descent(self) -> float:
        return (1 - ASCENT) * self._em + (self.theme.body_leading - self._em) / 2

    def draw(self) -> None:
        top = self.height
        for layout in self._layouts:
            for item in layout.texts:
                begin(self.canv, item.tag)
                self.theme.fonts.draw_line(self.canv, item.x, top - item.baseline, item.line, self._em)
                end(self.canv, item.tag)
            self._record(layout.role, layout.seal, top)
            self._draw_seal_space(layout.seal, top)
            top -= layout.height + self.theme.body_leading

    def _record(self, role: str, seal: SealBox, top: float) -> None:
        if self.record is None:
            return
        x, y = self.canv.absolutePosition(seal.x, top - seal.top - seal.size)
        self.record.append(SealSpace(role, self.canv.getPageNumber(), x, y, seal.size))

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
        mark = seal.size * 0.4
        with ARTIFACT.marked(canv):
            canv.rect(seal.x, bottom, seal.size, seal.size, stroke=1, fill=0)
            self._draw_outline(self.guide, seal.x + (seal.size - mark) / 2, bottom + (seal.size - mark) / 2 + 0.12 * mark, mark)
        canv.restoreState()

    def _draw_outline(self, outline: GlyphOutline, x: float, y: float, size: float) -> None:
        self.canv.drawPath(_outline_path(outline, x, y, size), stroke=0, fill=1, fillMode=0)


@lru_cache(maxsize=64)
def _outline_path(outline: GlyphOutline, x: float, y: float, size: float) -> PDFPathObject:
    """The outline as a path at (x, y), ``size`` high, built once: both copies and every rebuild draw
    the same guide at the same places, and a path holds nothing of the document it is drawn in (only
    its numbers), so it is never stale. Not to be changed once made."""
    scale = size / outline.units_per_em
    path = PDFPathObject()
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
    return path
