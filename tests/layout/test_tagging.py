"""layout.tagging: what the flowables mark while drawing, seen in the canvas's own operators and in
the recorded elements (no PDF objects: those are pdf/structure.py's, tested in tests/pdf)."""

from __future__ import annotations

import io
import re

from reportlab.pdfgen.canvas import Canvas

from kyoyaku_pdf.input.model import PolicyArea
from kyoyaku_pdf.layout.document import ArtifactPageTemplate
from kyoyaku_pdf.layout.paragraph import JaParagraph, TextStyle
from kyoyaku_pdf.layout.schedule import AreaBlock
from kyoyaku_pdf.layout.tagging import ARTIFACT, Element, MarkedContent, Tags, as_artifact
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.layout.theme import Theme
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register

FONTS = FontSet(register(), codepoints(MINCHO))
THEME = Theme(fonts=FONTS)
STYLE = TextStyle(FONTS, 10.5, 15.5)


def _canvas() -> Canvas:
    return Canvas(io.BytesIO(), pagesize=THEME.page_size, invariant=1)


def _code(canvas: Canvas) -> str:
    return "\n".join(canvas._code)


def test_a_paragraph_marks_its_label_and_its_lines_with_their_own_elements() -> None:
    tags = Tags()
    items = tags.root.add("L").add("LI")
    label, body = items.add("Lbl"), items.add("LBody")
    paragraph = JaParagraph("圏域のリーディング産業を育成する。", STYLE, label="(1)", tag=body, label_tag=label)
    canvas = _canvas()
    paragraph.wrap(200, 1000)
    paragraph.drawOn(canvas, 0, 0)
    code = _code(canvas)
    assert re.findall(r"/(\w+) <</MCID (\d+)>> BDC", code) == [("Lbl", "0"), ("LBody", "1")], code
    assert code.count("BDC") == code.count("EMC") == 2, "every sequence opened must be closed"
    assert label.kids == [MarkedContent(1, 0)] and body.kids == [MarkedContent(1, 1)]


def test_mcids_count_per_page() -> None:
    tags = Tags()
    cell = tags.root.add("TD")
    canvas = _canvas()
    for _ in range(2):
        with cell.marked(canvas):
            pass
    canvas.showPage()
    with cell.marked(canvas):
        pass
    assert cell.kids == [MarkedContent(1, 0), MarkedContent(1, 1), MarkedContent(2, 0)]


def test_a_split_block_keeps_its_cells_and_marks_what_it_repeats_as_artifacts() -> None:
    """A block taller than a page: the continued text is the same TD; the repeated label and the
    （続き） of the area cell are artifacts, so nothing is read twice."""
    tags = Tags()
    table = tags.root.add("Table")
    block = AreaBlock.of(1, PolicyArea("名", "長い内容の文。" * 300, "甲", "乙"), THEME, table)
    block.wrap(THEME.text_width, THEME.text_height)
    head, tail = block.split(THEME.text_width, THEME.text_height / 2)
    assert head.rows[0].text.tag is tail.rows[0].text.tag, "the continued text must stay one TD"
    assert isinstance(head.rows[0].text.tag, Element) and head.rows[0].text.tag.role == "TD"
    assert tail.rows[0].label.tag is ARTIFACT and tail.area_cell.tag is ARTIFACT
    trs = table.kids
    assert [k.role for k in trs] == ["TR"] * 3
    area = trs[0].kids[0]
    assert (area.role, area.attributes) == ("TH", {"Scope": "Row", "RowSpan": 3})


def test_rules_and_page_decorations_are_artifacts() -> None:
    canvas = _canvas()
    table = Tags().root.add("Table")
    block = AreaBlock.of(1, PolicyArea("名", "内容", "甲", "乙"), THEME, table)
    block.wrap(THEME.text_width, THEME.text_height)
    block.drawOn(canvas, 0, 0)
    code = _code(canvas)
    rules = code[code.index("/Artifact BMC"):code.index("EMC", code.index("/Artifact BMC"))]
    assert " re" in rules and " l" in rules, "the block's rectangle and lines must be inside the artifact"
    decorated = _canvas()
    as_artifact(lambda c, doc: c.line(0, 0, 10, 10))(decorated, None)
    assert re.search(r"/Artifact <</Type /Pagination>> BDC.*EMC", _code(decorated), re.S), _code(decorated)


def test_page_template_decorations_are_artifacts_however_they_are_set() -> None:
    template = ArtifactPageTemplate(id="odd", onPage=lambda c, doc: c.line(0, 0, 5, 5))
    template.onPageEnd = lambda c, doc: c.line(0, 0, 9, 9)  # assigned later, as a doc template may
    canvas = _canvas()
    template.onPage(canvas, None)
    template.onPageEnd(canvas, None)
    code = _code(canvas)
    assert code.count("/Artifact <</Type /Pagination>> BDC") == 2 and code.count("EMC") == 2, code
    bare = _canvas()
    ArtifactPageTemplate(id="plain").onPage(bare, None)
    assert "Artifact" not in _code(bare), "no empty artifact for a template without decorations"


def test_a_repeated_element_is_its_own_tree_with_its_marks_pages_later() -> None:
    tags = Tags()
    part = tags.root.add("Part")
    table = part.add("Table")
    cell = table.add("TR").add("TH", Scope="Row")
    cell.kids += [MarkedContent(3, 0), MarkedContent(4, 2)]
    part.kids.append(MarkedContent(1, 5))
    twin = part.repeated(tags.root, 8)
    assert tags.root.kids == [part, twin] and twin.parent is tags.root
    assert [e.role for e in twin.elements()] == ["Part", "Table", "TR", "TH"]
    twin_cell = list(twin.elements())[-1]
    assert twin_cell.attributes == {"Scope": "Row"} and twin_cell.attributes is not cell.attributes
    assert twin_cell.kids == [MarkedContent(11, 0), MarkedContent(12, 2)] and twin.kids[-1] == MarkedContent(9, 5)
    assert cell.kids == [MarkedContent(3, 0), MarkedContent(4, 2)], "the original is left as it was"
    assert all(a is not b for a, b in zip(part.elements(), twin.elements()))
