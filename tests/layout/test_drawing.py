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
