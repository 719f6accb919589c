"""fonts: coverage of every text by the bundled font, checked against its cmap with fontTools."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont as Program
from reportlab.pdfgen.canvas import Canvas

from kyoyaku_pdf.input.binding import TextField
from kyoyaku_pdf.errors import Location
from kyoyaku_pdf.pdf import fonts
from kyoyaku_pdf.pdf.fonts import IPAMJ, MINCHO, glyph_outline, missing_glyphs, register


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests compare the exact English wording (the catalogue's second language)."""
    monkeypatch.setenv("KYOYAKU_LANG", "en")


def field(text: str) -> TextField:
    return TextField("partner.name", Location("a.yaml", 8, 9), text)


def test_font_is_loaded_from_the_repository() -> None:
    assert MINCHO.path == Path(__file__).resolve().parents[2] / "fonts" / "BIZUDMincho-Regular.ttf"
    assert MINCHO.path.is_file()
    assert (MINCHO.path.parent / MINCHO.licence).is_file()


def test_covered_text_has_no_problem() -> None:
    assert missing_glyphs([field("熊本市中央区手取本町1番1号　藤木正（ICT）「」、。")]) == []


def test_missing_glyph_names_the_character_and_code_point() -> None:
    [problem] = missing_glyphs([field("𠮷田太郎")])
    assert str(problem) == (
        "a.yaml:8:9: partner.name: the font BIZUDMincho has no glyph for '𠮷' "
        "(U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7), first at character 1 of the text; "
        "set print.fallback_font: ipamj-mincho to use IPAmj Mincho for it"
    )


def test_fallback_font_covers_what_the_main_font_lacks() -> None:
    assert missing_glyphs([field("𠮷田太郎")], fallback=IPAMJ) == []
    [problem] = missing_glyphs([field("\U0001F600")], fallback=IPAMJ)
    assert "BIZUDMincho or IPAmjMincho has no glyph" in problem.message


def test_variation_selector_is_reported_not_dropped() -> None:
    [problem] = missing_glyphs([field("辻\U000E0100")], fallback=IPAMJ)
    assert problem.message.startswith("variation selector U+E0100 after '辻': kyoyaku-pdf cannot print ideographic variants")


def test_each_missing_character_is_reported_once() -> None:
    problems = missing_glyphs([field("𠮷𠮷\U0001F600")])
    assert [p.message.split("(")[1].split(" ")[0] for p in problems] == ["U+1F600", "U+20BB7"]


def test_seal_guide_outline_is_a_closed_drawing() -> None:
    outline = glyph_outline("印")
    ops = [op for op, _ in outline.commands]
    assert outline.units_per_em > 0 and ops[0] == "M" and ops[-1] == "Z" and ops.count("M") == ops.count("Z")


def test_the_seal_guide_is_the_glyph_fonttools_finds_for_the_character() -> None:
    """The outline is read by glyph number, from ReportLab's cmap (fontTools would name every glyph
    first): the number of the glyph fontTools' own best cmap gives."""
    with Program(MINCHO.path, lazy=True) as font:
        expected = font.getGlyphID(font.getBestCmap()[ord("印")])
    assert fonts._face(MINCHO.path).charToGlyph[ord("印")] == expected


def test_embedded_advances_are_in_font_units_past_the_last_full_hmetric() -> None:
    """𠮷 is glyph 32,914 of IPAmj Mincho, after its 1,960 full hMetrics: the advance ReportLab
    keeps for the subset must be the font's own (2048 units), not the width scaled to 1/1000 em."""
    name = register(IPAMJ)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont(name, 12)
    canvas.drawString(100, 700, "\U00020bb7")
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values() if "IPAmj" in str(f.BaseFont))
        subset = Program(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
        cmap = subset["cmap"].tables[0].cmap  # ReportLab's subsets carry one (1,0) table
        code, glyph = next((c, g) for c, g in cmap.items() if g != ".notdef" and c not in range(32, 128))
        embedded = subset["hmtx"][glyph][0] * 1000 / subset["head"].unitsPerEm
        assert embedded == float(font.Widths[code - int(font.FirstChar)]) == 1000, (embedded, list(font.Widths)[:4])
