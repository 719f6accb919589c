"""layout: the 別表's area cell — where its lines stand, and that layout analysis keeps it in one piece.

The area name is drawn as a Word table cell holds 「(4) DV被害者への支援等」: the number leads the first
line, a continuation line starts at the cell's left edge. Read back with pdfminer.six's default
LAParams, every line of a name must then fall into one text box: pdfminer joins lines into a box
only if they are left-, right- or centre-aligned within half a line height, and a continuation line
indented under the name (a hanging number) with a short last line is none of these — that split
「(4) DV被害者への支 / 援等」.
"""

from __future__ import annotations

import io

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextBox
from reportlab.pdfgen.canvas import Canvas

from kyoyaku_pdf.input.model import PolicyArea
from kyoyaku_pdf.layout.paragraph import JaParagraph
from kyoyaku_pdf.layout.schedule import AreaBlock, column_widths
from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.layout.theme import Theme
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register

FONTS = FontSet(register(), codepoints(MINCHO))
THEME = Theme(fonts=FONTS)
#: one to four lines in the area column, most with a short last line (the case that split)
NAMES = [
    "企業誘致の促進",
    "DV被害者への支援等",
    "公共施設の有効利用",
    "空家対策等都市空間に関する課題への対応",
    "地域公共交通ネットワークの維持及び確保に係る連携",
    "地域公共交通ネットワークの維持及び確保に係る連携事業の推進",
]
#: the 取組内容 of the seed's (4): one line, level with the name's first line
ONE_LINE = "配偶者等からの暴力の防止及び被害者の保護に取り組む。"


def _block(name: str, number: int = 4) -> AreaBlock:
    block = AreaBlock.of(number, PolicyArea(name, ONE_LINE, "乙と連携して取り組む。", "甲と連携して取り組む。"), THEME,
                         Tags().root.add("Table"))
    block.wrap(THEME.text_width, THEME.text_height)
    return block


def _name_cell(block: AreaBlock) -> JaParagraph:
    cell = block.area_cell
    cell.wrap(column_widths(THEME)[0] - 2 * THEME.table_padding, 1e9)
    return cell


@pytest.mark.parametrize("name", NAMES)
def test_the_number_leads_and_every_continuation_line_starts_at_the_cells_left_edge(name: str) -> None:
    cell = _name_cell(_block(name))
    assert cell.label == "(4)" and cell.text == name, "the number is drawn as the label, the name as the text"
    starts = [cell.line_x(i) for i in range(len(cell._lines))]
    gap = FONTS.width("(4)", THEME.table_size) + THEME.table_size / 2
    assert starts[0] == pytest.approx(gap), f"expected the name half an em after the number, found it at {starts[0]:.2f} pt"
    assert all(x == pytest.approx(0.0) for x in starts[1:]), f"expected continuation lines at the left edge, found {starts[1:]}"
    assert "".join(line.text for line in cell._lines) == name


def test_names_of_one_to_four_lines_are_tested() -> None:
    counts = [len(_name_cell(_block(name))._lines) for name in NAMES]
    assert set(counts) == {1, 2, 3, 4}, f"expected names of one to four lines, found {counts}"
    last = [_name_cell(_block(name))._lines[-1].text for name in NAMES]
    assert any(len(text) <= 2 for text in last), f"expected a name with a short last line among {last}"


def _text_boxes(block: AreaBlock) -> list[str]:
    """The text of every LTTextBox pdfminer (default LAParams) finds on a page holding ``block``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=FONTS.main)
    block.drawOn(canvas, THEME.binding_margin, THEME.page_size[1] - THEME.top_margin - block.height)
    canvas.save()
    (page,) = extract_pages(io.BytesIO(buffer.getvalue()), laparams=LAParams())
    return [box.get_text() for box in page if isinstance(box, LTTextBox)]


@pytest.mark.parametrize("name", NAMES)
def test_pdfminer_default_layout_reads_each_area_name_as_one_text_box(name: str) -> None:
    whole = f"(4){name}"
    boxes = ["".join(text.split()) for text in _text_boxes(_block(name))]
    holding = [text for text in boxes if text in whole or "(4)" in text]
    assert len(holding) == 1 and whole in holding[0], f"expected the area name whole in one text box, {whole!r}; found {holding}"
