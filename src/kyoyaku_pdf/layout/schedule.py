"""The 別表: caption, policy-field title, optional numbered sub-headings, and one bordered table per
policy area.

Each policy area is its own three-row table (area name spanning the rows, row label, text), all
with the same column widths, so areas stack into one continuous table and a page break can only
fall between two areas: a policy area's rows never split, and a continued table keeps its columns.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from ..japanese import item_number, schedule_caption, section_number
from ..model import ROW_LABELS, PolicyArea, Schedule
from .paragraph import JaParagraph, TextStyle
from .theme import Theme

#: Inner widths of the area and label columns, in table characters; the text column takes the rest.
AREA_COLUMN_CHARS = 9.5
LABEL_COLUMN_CHARS = 4


def schedule_flowables(number: int, schedule: Schedule, theme: Theme) -> list[Flowable]:
    """The flowables of 別表第``number``, in reading order."""
    body = TextStyle(theme.font, theme.body_size, theme.body_leading, align="left")
    caption = body.but(keep_with_next=True)
    title = body.but(keep_with_next=True, left_indent=theme.body_size, space_after=theme.body_leading / 3)
    out: list[Flowable] = [
        JaParagraph(schedule_caption(number, schedule.basis), caption),
        JaParagraph(schedule.title, title),
    ]
    out += _area_tables(schedule.areas, theme)
    for index, section in enumerate(schedule.sections, start=1):
        heading = body.but(keep_with_next=True, space_before=theme.body_leading / 2, space_after=theme.body_leading / 4)
        out.append(JaParagraph(section.title, heading, label=section_number(index)))
        out += _area_tables(section.areas, theme)
    return out


def column_widths(theme: Theme) -> tuple[float, float, float]:
    pad = 2 * theme.table_padding
    area = AREA_COLUMN_CHARS * theme.table_size + pad
    label = LABEL_COLUMN_CHARS * theme.table_size + pad
    return area, label, theme.text_width - area - label


def _area_tables(areas: tuple[PolicyArea, ...], theme: Theme) -> list[Flowable]:
    return [_area_table(index, area, theme) for index, area in enumerate(areas, start=1)]


def _area_table(number: int, area: PolicyArea, theme: Theme) -> Flowable:
    cell = TextStyle(theme.font, theme.table_size, theme.table_leading)
    label = cell.but(align="center")
    name = cell.but(align="left")  # a narrow cell: spreading a short line would open wide gaps
    texts = (area.content, area.hub_role, area.partner_role)
    rows = [
        [JaParagraph(area.name, name, label=item_number(number)) if i == 0 else "", JaParagraph(row_label, label), JaParagraph(text, cell)]
        for i, (row_label, text) in enumerate(zip(ROW_LABELS, texts))
    ]
    table = Table(rows, colWidths=column_widths(theme), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), theme.font),  # else ReportLab selects Helvetica for empty cells
                ("GRID", (0, 0), (-1, -1), theme.rule_width, (0, 0, 0)),
                ("SPAN", (0, 0), (0, -1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), theme.table_padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), theme.table_padding),
                ("TOPPADDING", (0, 0), (-1, -1), theme.table_padding * 0.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), theme.table_padding * 0.6),
            ]
        )
    )
    return KeepTogether([table])
