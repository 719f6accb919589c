"""layout: glyphs are drawn exactly where japanese.break_lines set them (read back with pdfminer)."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer
from reportlab.pdfgen.canvas import Canvas

from kyoyaku_pdf.layout.paragraph import JaParagraph, TextStyle
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register

FONTS = FontSet(register(), codepoints(MINCHO))
TEXT = "令和7年3月24日に、甲及び乙が（「協約」）を締結し、それぞれ各1通を保有する。" * 2


def _chars(data: bytes) -> list[LTChar]:
    def flat(container):  # type: ignore[no-untyped-def]
        for item in container:
            yield item
            if isinstance(item, LTContainer):
                yield from flat(item)

    return [c for page in extract_pages(io.BytesIO(data)) for c in flat(page) if isinstance(c, LTChar)]


@pytest.mark.parametrize("align", ["justify", "left", "center"])
def test_each_glyph_stands_at_its_set_position(align: str) -> None:
    para = JaParagraph(TEXT, TextStyle(FONTS, 10.5, 16.5, align=align))  # type: ignore[arg-type]
    para.wrap(200, 1000)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=FONTS.main)
    para.drawOn(canvas, 50, 400)
    canvas.save()
    chars = _chars(buffer.getvalue())
    expected = [(ch, 50 + para.line_x(i) + x) for i, line in enumerate(para._lines) for ch, x in zip(line.text, line.positions)]
    assert [c.get_text() for c in chars] == [ch for ch, _ in expected]
    assert max(abs(c.x0 - x) for c, (_, x) in zip(chars, expected)) < 0.01
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        operators = {str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[0])}
    assert "TJ" in operators and "Tc" not in operators  # glyph by glyph, no character spacing


def _canvas() -> tuple[io.BytesIO, Canvas]:
    buffer = io.BytesIO()
    return buffer, Canvas(buffer, invariant=1, initialFontName=FONTS.main)


def _shows(data: bytes) -> list[tuple[str, object]]:
    """The text-showing operators of the first page with their operands, as pikepdf reads them."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(str(op), operands) for operands, op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op) in ("Tj", "TJ")]


def test_glyphs_the_advance_already_places_share_one_string() -> None:
    plain = FONTS.set("連携協約の変更に関する協議", 10.5)  # solid kanji and kana: no glyph is moved
    justified = FONTS.break_lines(TEXT, 200, 10.5)[0]  # every break place opened a little
    buffer, canvas = _canvas()
    FONTS.draw_line(canvas, 50, 500, plain, 10.5)
    FONTS.draw_line(canvas, 50, 400, justified, 10.5)
    canvas.save()
    (op, (string,)), (array_op, (array,)) = _shows(buffer.getvalue())
    assert op == "Tj" and len(bytes(string)) == len(plain.text)
    strings = [bytes(item) for item in array if isinstance(item, pikepdf.String)]
    numbers = [item for item in array if not isinstance(item, pikepdf.String)]
    assert array_op == "TJ" and sum(map(len, strings)) == len(justified.text)
    assert len(strings) <= len(numbers) + 1 < len(justified.text)  # a string breaks only at a number
    chars = _chars(buffer.getvalue())
    expected = [(ch, 50 + x) for line in (plain, justified) for ch, x in zip(line.text, line.positions)]
    assert [c.get_text() for c in chars] == [ch for ch, _ in expected]
    assert max(abs(c.x0 - x) for c, (_, x) in zip(chars, expected)) < 0.01


def test_a_line_drawn_again_in_another_document_gets_that_documents_glyph_codes() -> None:
    """What a document wrote for a line is reused when the same document draws it again (the second
    copy), never in another document, whose subsets number the glyphs in the order it met them."""
    line = FONTS.set("甲及び乙は協約を締結する。", 10.5)
    first, canvas = _canvas()
    FONTS.draw_line(canvas, 50, 500, line, 10.5)
    FONTS.draw_line(canvas, 50, 400, line, 10.5)
    canvas.save()
    second, canvas = _canvas()
    FONTS.draw(canvas, 50, 600, "乙は、熊本連携中枢都市圏", 10.5)  # gives 乙 and は other codes first
    FONTS.draw_line(canvas, 50, 500, line, 10.5)
    canvas.save()
    assert _shows(first.getvalue())[0] == _shows(first.getvalue())[1]
    assert bytes(_shows(second.getvalue())[1][1][0]) != bytes(_shows(first.getvalue())[0][1][0])
    assert "".join(c.get_text() for c in _chars(first.getvalue())) == line.text * 2
    assert "".join(c.get_text() for c in _chars(second.getvalue())) == "乙は、熊本連携中枢都市圏" + line.text


def _page_code(lines: list[tuple[str, float]], before: str = "") -> str:
    """The first page's operators of a document that draws ``before`` (if given), then each line."""
    _, canvas = _canvas()
    if before:
        FONTS.draw(canvas, 50, 700, before, 10.5)
    for index, (text, size) in enumerate(lines):
        FONTS.draw(canvas, 50, 600 - 20 * index, text, size)
    return "\n".join(canvas._code)


def test_what_another_document_wrote_for_a_line_is_reused_only_where_its_codes_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The next build of a document writes every line as the first did, and exactly what encoding the
    line afresh writes; a document that met the line's characters in another order gets its own codes,
    whatever an earlier document wrote for the same line."""
    import kyoyaku_pdf.layout.text as text_module

    lines = [("甲及び乙は協約を締結する。", 10.5), ("連携協約の変更に関する協議", 12.0), ("甲及び乙は協約を締結する。", 12.0)]
    first, again = _page_code(lines), _page_code(lines)
    assert again == first
    monkeypatch.setattr(text_module, "_shown", {})  # nothing remembered: every line encoded afresh
    assert _page_code(lines) == first
    reordered = _page_code(lines, before="乙は、熊本連携中枢都市圏")  # 乙 and は get the first codes
    monkeypatch.setattr(text_module, "_shown", {})
    assert reordered == _page_code(lines, before="乙は、熊本連携中枢都市圏") != first


def test_a_pickled_line_or_font_set_forgets_its_hash() -> None:
    """Both remember their hash, of this process's string hashing: another process must hash anew."""
    import pickle

    line = FONTS.set("甲及び乙", 10.5)
    for thing in (line, FONTS):
        hash(thing)
        pickled = pickle.dumps(thing)
        assert b"_hash" not in pickled, "a hash of this process's string hashing must not travel"
        copied = pickle.loads(pickled)
        assert copied == thing and hash(copied) == hash(thing)


def test_placed_flowables_write_what_reportlabs_draw_on_writes() -> None:
    """Placed.drawOn skips ReportLab's copy of the canvas state, not a byte of its operators: a
    paragraph and a 別表 block drawn either way give the same content, and leave the canvas as found."""
    from reportlab.platypus import Flowable

    from kyoyaku_pdf.input.model import PolicyArea
    from kyoyaku_pdf.layout.schedule import AreaBlock
    from kyoyaku_pdf.layout.tagging import Tags
    from kyoyaku_pdf.layout.theme import Theme

    theme = Theme(fonts=FONTS)

    def drawn(draw_on) -> tuple[list[str], dict[str, object]]:  # type: ignore[no-untyped-def]
        _, canvas = _canvas()
        tags = Tags()
        flowables = [
            JaParagraph(TEXT, TextStyle(FONTS, 10.5, 16.5), label="(1)", tag=tags.root.add("P")),
            AreaBlock.of(1, PolicyArea("名", "内容の文。" * 20, "甲の役割", "乙の役割"), theme, tags.root.add("Table")),
        ]
        for index, flowable in enumerate(flowables):
            flowable.wrap(theme.text_width, 1e9)
            draw_on(flowable, canvas, 30.5 + index, 400.25)
        state = {name: canvas.__dict__[name] for name in canvas.STATE_ATTRIBUTES if name != "_extgstate"}
        return canvas._code, state

    assert drawn(lambda f, *args: f.drawOn(*args)) == drawn(lambda f, *args: Flowable.drawOn(f, *args))
