"""The 別表: caption, policy-field title, optional numbered sub-headings, and one bordered block per
policy area.

Each policy area is drawn as one three-row block (area name spanning the rows, at the top | row
label | text), all blocks with the same column widths, so areas stack into one continuous table and
a continued table keeps its columns. The area name is set as typed into a Word table cell,
「(4) DV被害者への支援等」: the number leads the first line and a continuation line starts at the
cell's left edge, not under the name (the published text's wraps — 「(4) 移住・/定住の促/進」, a
longer second line than first — show no hanging indent). Every line of the name then starts at
the same x, which is what keeps it one text box for layout analysis: pdfminer joins lines into a box
only when they are left-, right- or centre-aligned within half a line height (5.25 pt at 10.5 pt);
a line indented by the 21 pt number, with a short last line, is none of these.

A block is kept whole on a page; only a block taller than a whole page splits, between lines, with
the continuation's area cell marked （続き） and the split row's label repeated — never ReportLab's
LayoutError, never text outside its cell.

We draw the blocks ourselves instead of using ReportLab's Table because a Table cannot split inside
a row, and a spanning cell makes even its row splits unreliable.

Structure: the caption is an H2, the title an H3, a sub-heading an H4; the areas of a 別表 (or of a
sub-heading) are one ``Table``, each area three ``TR``: the area name a row header (``TH``, Scope
Row, RowSpan 3) in the first, each row label a ``TH`` (Scope Row) and each text a ``TD``. A split
block keeps its cells' elements; what it repeats (（続き）, the split row's label) is an artifact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.platypus import Flowable

from ..text.japanese import item_number, schedule_caption, section_number
from ..input.model import ROW_LABELS, PolicyArea, Schedule
from .paragraph import JaParagraph, Placed, TextStyle
from .tagging import ARTIFACT, Element, begin, end
from .theme import Theme

#: Inner widths of the area and label columns, in table characters; the text column takes the rest.
AREA_COLUMN_CHARS = 9.5
LABEL_COLUMN_CHARS = 4
#: What the area cell of a continued block says after the number.
CONTINUED = "（続き）"


def schedule_flowables(number: int, schedule: Schedule, theme: Theme, parent: Element) -> list[Flowable]:
    """The flowables of 別表第``number``, in reading order, their elements added under ``parent``."""
    body = TextStyle(theme.fonts, theme.body_size, theme.body_leading, align="left")
    caption = body.but(keep_with_next=True)
    title = body.but(keep_with_next=True, left_indent=theme.body_size, space_after=theme.body_leading / 3)
    out: list[Flowable] = [
        JaParagraph(schedule_caption(number, schedule.basis), caption, tag=parent.add("H2")),
        JaParagraph(schedule.title, title, tag=parent.add("H3")),
    ]
    out += _area_blocks(schedule.areas, theme, parent)
    for index, section in enumerate(schedule.sections, start=1):
        heading = body.but(keep_with_next=True, space_before=theme.body_leading / 2, space_after=theme.body_leading / 4)
        out.append(JaParagraph(section.title, heading, label=section_number(index), tag=parent.add("H4")))
        out += _area_blocks(section.areas, theme, parent)
    return out


def column_widths(theme: Theme) -> tuple[float, float, float]:
    pad = 2 * theme.table_padding
    area = AREA_COLUMN_CHARS * theme.table_size + pad
    label = LABEL_COLUMN_CHARS * theme.table_size + pad
    return area, label, theme.text_width - area - label


def _area_blocks(areas: tuple[PolicyArea, ...], theme: Theme, parent: Element) -> list[Flowable]:
    """One block per area, all rows of one ``Table``."""
    if not areas:
        return []
    table = parent.add("Table")
    return [AreaBlock.of(index, area, theme, table) for index, area in enumerate(areas, start=1)]


@dataclass
class _Row:
    """One row of a policy area's block: its label cell, its text cell, and its height once wrapped."""

    label: JaParagraph
    text: JaParagraph
    height: float = 0.0


class AreaBlock(Placed):
    """One policy area as a bordered three-column block; splits between lines only if it must."""

    def __init__(self, number: str, area_cell: JaParagraph, rows: list[_Row], theme: Theme) -> None:
        super().__init__()
        self.number = number
        self.area_cell = area_cell
        self.rows = rows
        self.theme = theme

    @classmethod
    def of(cls, number: int, area: PolicyArea, theme: Theme, table: Element) -> AreaBlock:
        styles = _cell_styles(theme)
        texts = (area.content, area.hub_role, area.partner_role)
        trs = [table.add("TR") for _ in texts]
        name = JaParagraph(area.name, styles.name, label=item_number(number), hanging=False,
                           tag=trs[0].add("TH", Scope="Row", RowSpan=len(trs)))  # the number leads, see above
        rows = [
            _Row(JaParagraph(label, styles.label, tag=tr.add("TH", Scope="Row")), JaParagraph(text, styles.text, tag=tr.add("TD")))
            for tr, label, text in zip(trs, ROW_LABELS, texts)
        ]
        return cls(name.label, name, rows, theme)

    # -- geometry ----------------------------------------------------------------------------
    @property
    def _vpad(self) -> float:
        return self.theme.table_padding * 0.6

    def _inner(self) -> tuple[float, float, float]:
        pad = 2 * self.theme.table_padding
        return tuple(w - pad for w in column_widths(self.theme))  # type: ignore[return-value]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        area_w, label_w, text_w = self._inner()
        for row in self.rows:
            label_h = row.label.wrap(label_w, 1e9)[1]
            text_h = row.text.wrap(text_w, 1e9)[1]
            row.height = max(label_h, text_h) + 2 * self._vpad
        area_h = self.area_cell.wrap(area_w, 1e9)[1] + 2 * self._vpad
        shortfall = area_h - sum(r.height for r in self.rows)
        if shortfall > 0:  # a long area name: the last row grows to make room
            self.rows[-1].height += shortfall
        self.width = sum(column_widths(self.theme))
        self.height = sum(r.height for r in self.rows)
        return self.width, self.height

    # -- splitting ---------------------------------------------------------------------------
    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Keep the block whole ([]: move it to the next page) unless it is taller than a page; then cut
        between lines at ``avail_height``. (Keeping is done here, not by KeepTogether, because
        ReportLab does not join a keep-with-next heading to a KeepTogether.)"""
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        if self.height <= self.theme.text_height:
            return []
        used, index = 0.0, 0
        while self.rows[index].height + used <= avail_height:
            used += self.rows[index].height
            index += 1
        head_rows, tail_rows = self.rows[:index], self.rows[index:]
        room = avail_height - used - 2 * self._vpad
        cut = self._split_row(self.rows[index], room)
        if cut is not None:
            head_rows, tail_rows = head_rows + [cut[0]], [cut[1]] + tail_rows[1:]
        if not head_rows:
            return []
        area_head, area_tail = self._split_area(avail_height)
        return [AreaBlock(self.number, area_head, head_rows, self.theme),
                AreaBlock(self.number, area_tail, tail_rows, self.theme)]

    def _split_row(self, row: _Row, room: float) -> tuple[_Row, _Row] | None:
        """The row's text cut to ``room``, the label kept on the first part and repeated on the second."""
        _, label_w, text_w = self._inner()
        if row.label.wrap(label_w, 1e9)[1] > room:
            return None
        parts = row.text.split(text_w, room)
        if len(parts) != 2:
            return None
        head, tail = parts
        assert isinstance(head, JaParagraph) and isinstance(tail, JaParagraph)
        return _Row(row.label, head), _Row(JaParagraph(row.label.text, row.label.style, tag=ARTIFACT), tail)

    def _split_area(self, height: float) -> tuple[JaParagraph, JaParagraph]:
        """The area cell for each part: the name (cut too if it is taller), then （続き）."""
        area_w = self._inner()[0]
        room = height - 2 * self._vpad
        parts = self.area_cell.split(area_w, room) if self.area_cell.wrap(area_w, 1e9)[1] > room else []
        if len(parts) == 2:
            head, tail = parts
            assert isinstance(head, JaParagraph) and isinstance(tail, JaParagraph)
            return head, tail
        return self.area_cell, JaParagraph(CONTINUED, self.area_cell.style, label=self.number, hanging=False, tag=ARTIFACT)

    # -- drawing -----------------------------------------------------------------------------
    def draw(self) -> None:
        """The rules (an artifact), then the cells in reading order: area, then label and text of each row."""
        area, label, text = column_widths(self.theme)
        pad = self.theme.table_padding
        self._draw_rules(area, label)
        self._draw_top(self.area_cell, pad, self.height, area - 2 * pad)
        top = self.height
        for row in self.rows:
            bottom = top - row.height
            self._draw_middle(row.label, area + pad, bottom, row.height, label - 2 * pad)
            self._draw_middle(row.text, area + label + pad, bottom, row.height, text - 2 * pad)
            top = bottom

    def _draw_rules(self, area: float, label: float) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self.theme.rule_width)
        begin(canv, ARTIFACT)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.line(area, 0, area, self.height)
        canv.line(area + label, 0, area + label, self.height)
        top = self.height
        for row in self.rows[:-1]:
            top -= row.height
            canv.line(area, top, self.width, top)
        end(canv, ARTIFACT)
        canv.restoreState()

    def _draw_top(self, cell: JaParagraph, x: float, top: float, width: float) -> None:
        """Draw a cell's paragraph at the top of its box, level with the first row's first line (as
        in a Word table; centred, it stood beside the middle row, and text extraction read it there)."""
        _, cell_height = cell.wrap(width, 1e9)
        cell.drawOn(self.canv, x, top - self._vpad - cell_height)

    def _draw_middle(self, cell: JaParagraph, x: float, bottom: float, height: float, width: float) -> None:
        """Draw a cell's paragraph centred vertically in its box."""
        _, cell_height = cell.wrap(width, 1e9)
        cell.drawOn(self.canv, x, bottom + (height - cell_height) / 2)


@lru_cache(maxsize=16)
def _cell_styles(theme: Theme) -> _CellStyles:
    """The cell styles of a theme, made once: every block of every 別表 has the same (styles and
    themes are immutable)."""
    return _CellStyles(theme)


class _CellStyles:
    """The three cell styles of a block: narrow cells are left-aligned (spreading a short line would
    open wide gaps), label cells centred, text cells justified; the area number is followed by half
    an em, as the source's 「(4) 」."""

    def __init__(self, theme: Theme) -> None:
        self.text = TextStyle(theme.fonts, theme.table_size, theme.table_leading)
        self.label = self.text.but(align="center")
        self.name = self.text.but(align="left", label_gap=0.5)
