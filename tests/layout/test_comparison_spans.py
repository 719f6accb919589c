"""layout: the 新旧対照表's underlined phrases are Spans — exactly the glyphs under each 傍線, in place.

A MarkedParagraph is drawn on a canvas that logs the marked-content operators and every glyph run
drawn; the recorded structure then says which element each run belongs to.
"""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from kyoyaku_pdf.layout.comparison import UNDERLINE_WIDTH, MarkedParagraph
from kyoyaku_pdf.layout.paragraph import TextStyle
from kyoyaku_pdf.layout.tagging import Element, MarkedContent, Tags
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register

FONTS = FontSet(register(), codepoints(MINCHO))
STYLE = TextStyle(FONTS, 10.5, 15.5)
TEXT = "企業の事業活動を支援するため、熊本港の利用推進に取り組む。" * 3
#: two phrases, the second running over a line end
SPANS = ((19, 23), (40, 75))


class _LoggingCanvas(Canvas):
    """A canvas that notes every literal (BDC/EMC) in order, with the glyph runs logged beside it."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), invariant=1, initialFontName=FONTS.main)
        self.log: list[tuple[str, object]] = []

    def addLiteral(self, s: str) -> None:  # noqa: N802 (ReportLab's name)
        self.log.append(("literal", s))
        super().addLiteral(s)


@pytest.fixture(autouse=True)
def logged_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every glyph run drawn goes into the canvas's log, between the literals around it."""
    original = FontSet.draw_line

    def logging(self, canvas, x, y, line, size):  # type: ignore[no-untyped-def]
        canvas.log.append(("run", (x, line)))
        original(self, canvas, x, y, line, size)

    monkeypatch.setattr(FontSet, "draw_line", logging)


def _draw(paragraphs: list[MarkedParagraph], width: float) -> list[tuple[int, str, str, float, float]]:
    """Draw each paragraph on a page of its own; (page, open role, text, x0, x1) of every glyph run."""
    canvas = _LoggingCanvas()
    out = []
    for page, paragraph in enumerate(paragraphs, 1):
        paragraph.wrap(width, 1e9)
        canvas.log.clear()
        paragraph.drawOn(canvas, 0, 0)
        stack: list[str] = []
        for kind, value in canvas.log:
            if kind == "literal":
                if str(value).endswith("BDC") or str(value).endswith("BMC"):
                    stack.append(str(value))
                elif value == "EMC":
                    stack.pop()
                continue
            x, line = value  # type: ignore[misc]
            last = line.positions[-1] + FONTS.advance(line.text[-1], STYLE.size)
            out.append((page, stack[-1] if stack else "", line.text, x, x + last))
        canvas.showPage()
    return out


def _owner(tags_root: Element, page: int, mcid: int) -> Element:
    (owner,) = [e for e in tags_root.elements() if MarkedContent(page, mcid) in e.kids]
    return owner


def test_each_phrase_is_a_span_holding_exactly_the_underlined_glyphs() -> None:
    tags = Tags()
    paragraph = tags.root.add("P")
    para = MarkedParagraph(TEXT, STYLE, "(3)", spans=SPANS, label_marked=True, tag=paragraph)
    drawn = _draw([para], 200)
    assert "".join(text for _, _, text, _, _ in drawn) == "(3)" + TEXT, "every character drawn once, in order"
    spans = [k for k in paragraph.kids if isinstance(k, Element)]
    assert [s.role for s in spans] == ["Span"] * 3, f"expected the number and two phrases as Spans, found {spans}"
    assert all(s.attributes == {"TextDecorationType": "Underline", "TextDecorationThickness": UNDERLINE_WIDTH} for s in spans)
    by_span: dict[int, str] = {}
    span_extents = []
    for page, role, text, x0, x1 in drawn:
        mcid = int(role.split("MCID ")[1].split(">")[0])
        owner = _owner(tags.root, page, mcid)
        assert role.startswith(f"/{owner.role} "), f"the marked content's tag {role!r} is not its element's role {owner.role}"
        if owner is not paragraph:
            by_span[spans.index(owner)] = by_span.get(spans.index(owner), "") + text
            span_extents.append((x0, x1))
    assert by_span == {0: "(3)", 1: TEXT[slice(*SPANS[0])], 2: TEXT[slice(*SPANS[1])]}, f"found {by_span}"
    underlines = [x for x0, x1, _ in para.underline_segments() for x in (x0, x1)]
    extents = [x for pair in span_extents for x in pair]
    assert underlines == pytest.approx(extents, abs=0.01), "each 傍線 stands under exactly its Span's glyphs"
    kinds = ["Span" if isinstance(k, Element) else "text" for k in paragraph.kids]
    runs_of_kinds = [k for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1]]
    assert runs_of_kinds == ["Span", "text", "Span", "text", "Span", "text"], f"expected the Spans in reading order, found {kinds}"


def test_a_phrase_cut_by_a_page_break_is_one_span_on_both_pages() -> None:
    tags = Tags()
    paragraph = tags.root.add("P")
    para = MarkedParagraph(TEXT, STYLE, spans=SPANS, tag=paragraph)
    para.wrap(200, 1e9)
    cut_line = next(i for i, start in enumerate(para.line_starts()) if start > SPANS[1][0])
    head, tail = para.split(200, cut_line * STYLE.leading)
    drawn = _draw([head, tail], 200)  # type: ignore[list-item]
    assert "".join(text for _, _, text, _, _ in drawn) == TEXT
    spans = [k for k in paragraph.kids if isinstance(k, Element)]
    assert len(spans) == 2, f"expected the two phrases as two Spans, the cut one not doubled, found {len(spans)}"
    pages = {kid.page for kid in spans[1].kids if isinstance(kid, MarkedContent)}
    assert pages == {1, 2}, f"expected the cut phrase's Span to hold content on both pages, found {pages}"


def test_an_untagged_paragraph_draws_no_spans() -> None:
    """Measuring (no tag) or a repeated marker (an artifact) draws as before: no Span, one sequence."""
    drawn = _draw([MarkedParagraph(TEXT, STYLE, spans=SPANS)], 200)
    assert all(role == "" for _, role, _, _, _ in drawn), "no marked content without a tag"
    assert "".join(text for _, _, text, _, _ in drawn) == TEXT
