"""pdf.unhinted: the embedded subsets lose their hinting and nothing else, checked with fontTools."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from fontTools.ttLib.tables import ttProgram
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from reportlab.pdfbase.ttfonts import TTFontFace

from kyoyaku_pdf.pdf import fonts
from kyoyaku_pdf.pdf.unhinted import HINTING_TABLES, UnhintedFace, unhinted

#: characters of the agreement: kana, kanji, digits, Latin, punctuation (one subset's worth)
TEXT = "熊本市及び御船町における連携中枢都市圏の形成に係る変更連携協約書（令和7年3月24日）ICT・DV被害者、。"


@pytest.fixture(scope="module")
def hinted() -> bytes:
    """ReportLab's own subset of BIZ UD Mincho for TEXT, hinting and all."""
    face = TTFontFace(str(fonts.MINCHO.path))
    return face.makeSubset([0, *sorted({ord(ch) for ch in TEXT})])


def _font(data: bytes) -> FontToolsFont:
    return FontToolsFont(io.BytesIO(data))


def _outline(glyph: Glyph, glyf: object) -> object:
    """What a glyph draws and how it is measured: contours, points, on-curve flags, components."""
    glyph.expand(glyf)
    if glyph.isComposite():
        return [(c.glyphName, c.x, c.y, c.flags & ~0x0100) for c in glyph.components]
    if glyph.numberOfContours == 0:
        return None
    return list(glyph.endPtsOfContours), list(glyph.coordinates), list(glyph.flags)


def test_the_source_subset_is_hinted(hinted: bytes) -> None:
    """The premise: ReportLab copies BIZ UD Mincho's hinting into its subsets."""
    font = _font(hinted)
    assert HINTING_TABLES <= set(font.keys())
    assert any(len(font["glyf"][name].program.getBytecode()) for name in font.getGlyphOrder()
               if font["glyf"][name].numberOfContours > 0)


def test_outlines_metrics_and_cmap_stay_hints_go(hinted: bytes) -> None:
    stripped = unhinted(hinted)
    before, after = _font(hinted), _font(stripped)
    assert not HINTING_TABLES & set(after.keys())
    assert set(before.keys()) - HINTING_TABLES == set(after.keys())
    assert after.getGlyphOrder() == before.getGlyphOrder()
    for name in before.getGlyphOrder():
        old, new = before["glyf"][name], after["glyf"][name]
        assert _outline(new, after["glyf"]) == _outline(old, before["glyf"]), name
        assert not hasattr(new, "program") or not new.program.getBytecode(), name
    assert after["hmtx"].metrics == before["hmtx"].metrics
    assert after["cmap"].getcmap(1, 0).cmap == before["cmap"].getcmap(1, 0).cmap
    for table in ("name", "OS/2", "post", "hhea"):
        assert after.reader[table] == before.reader[table], table
    maxp = after["maxp"]
    assert (maxp.maxZones, maxp.maxFunctionDefs, maxp.maxSizeOfInstructions) == (1, 0, 0)
    assert (maxp.maxPoints, maxp.maxContours) == (before["maxp"].maxPoints, before["maxp"].maxContours)
    assert len(stripped) < len(hinted) - 4000  # fpgm alone is ~4 KB


def test_glyphs_end_where_their_data_ends(hinted: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """Each glyph is cut at the end of its coordinates and padded to 4 bytes: fontTools finds no
    excess data (it warns at more than 3 bytes) and the file passes its checksum test."""
    after = _font(unhinted(hinted))
    for name in after.getGlyphOrder():
        after["glyf"][name].expand(after["glyf"])
    assert "excess" not in caplog.text
    assert unhinted(unhinted(hinted)) == unhinted(hinted), "stripping twice changes nothing more"


def test_a_composite_glyph_loses_its_instructions_and_keeps_its_components(hinted: bytes) -> None:
    """BIZ UD Mincho's subsets hold simple glyphs only, so a composite is made here with fontTools:
    two components, with instructions after the last (WE_HAVE_INSTRUCTIONS)."""
    font = _font(hinted)
    order = font.getGlyphOrder()
    composite = Glyph()
    composite.numberOfContours = -1
    composite.components = []
    for index, (x, y) in enumerate([(0, 0), (300, -40)]):
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = order[1 + index], x, y, 0x0004
        composite.components.append(component)
    composite.program = ttProgram.Program()
    composite.program.fromBytecode(b"\xb0\x01\x2f")  # PUSHB[0] 1, MDAP — any instructions
    font["glyf"][order[3]] = composite
    buffer = io.BytesIO()
    font.save(buffer)
    made = buffer.getvalue()
    assert _font(made)["glyf"][order[3]].program.getBytecode() == b"\xb0\x01\x2f"
    after = _font(unhinted(made))
    glyph = after["glyf"][order[3]]
    assert [(c.glyphName, c.x, c.y) for c in glyph.components] == [(order[1], 0, 0), (order[2], 300, -40)]
    assert all(not c.flags & 0x0100 for c in glyph.components)
    assert not hasattr(glyph, "program") or not glyph.program.getBytecode()


def test_the_registered_face_embeds_unhinted_subsets() -> None:
    """What ReportLab embeds for our fonts goes through ``UnhintedFace.makeSubset``."""
    face = fonts._face(fonts.MINCHO.path)
    assert isinstance(face, UnhintedFace)
    subset = [0, *sorted({ord(ch) for ch in TEXT})]
    assert face.makeSubset(subset) == unhinted(TTFontFace.makeSubset(face, subset))


def test_a_subset_is_made_once_per_face_and_list_of_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    face = fonts._face(fonts.MINCHO.path)
    made: list[tuple[int, ...]] = []
    original = TTFontFace.makeSubset

    def counting(self: TTFontFace, subset: list[int]) -> bytes:
        made.append(tuple(subset))
        return original(self, subset)

    monkeypatch.setattr(TTFontFace, "makeSubset", counting)
    subset = [0, *sorted({ord(ch) for ch in TEXT})]
    first = face.makeSubset(subset)
    shorter = face.makeSubset(subset[:-1])
    assert face.makeSubset(list(subset)) is first and len(made) <= 2, "the same list again: the kept subset"
    assert shorter != first and shorter == unhinted(original(face, subset[:-1])), "another list: its own subset"
    for extra in range(20):  # more lists than are kept: the oldest go, each is made again when asked for
        face.makeSubset([*subset[:-1], 0x4e00 + extra])
    before = len(made)
    assert face.makeSubset(subset) == first and len(made) == before + 1


def test_a_table_is_sliced_from_the_font_once_and_is_the_fonts_own_bytes() -> None:
    face = fonts._face(fonts.MINCHO.path)
    glyf = face.get_table("glyf")
    assert glyf is face.get_table("glyf"), "asked again (by every subset): not copied again"
    copied = TTFontFace.get_table(face, "glyf")
    assert len(glyf) == len(copied) > 1_000_000
    for where in (slice(0, 10), slice(1000, 1234), slice(len(copied) - 7, len(copied)), slice(5, 5)):
        assert type(glyf[where]) is bytes and glyf[where] == copied[where], "each slice: bytes, the font's own"
    assert face.get_table("head") == TTFontFace.get_table(face, "head")
