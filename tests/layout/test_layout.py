"""layout: the flowables measured on their own (geometry, keep rules), without writing a file."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reportlab.lib.units import mm

from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register
from kyoyaku_pdf.text.japanese import CANNOT_START
from kyoyaku_pdf.layout.paragraph import JaParagraph, TextStyle
from kyoyaku_pdf.layout.schedule import AreaBlock, column_widths, schedule_flowables
from kyoyaku_pdf.errors import LayoutProblem
from kyoyaku_pdf.layout.signature import SEAL_OVERLAP, SignatureBlock
from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.layout.theme import Theme
from kyoyaku_pdf.input.model import Party, PolicyArea, Schedule, Section


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests compare the exact English wording (the catalogue's second language)."""
    monkeypatch.setenv("KYOYAKU_LANG", "en")


FONT = register()
FONTS = FontSet(FONT, codepoints(MINCHO))
THEME = Theme(fonts=FONTS)
EM = THEME.body_size
HUB = Party("熊本市中央区手取本町1番1号", "熊本市", "熊本市長", "大西一史")
PARTNER = Party("御船町大字御船995番地1", "御船町", "御船町長", "藤木正", seal_mm=24)


def block(*parties: Party, position: str = "over-last-char") -> SignatureBlock:
    roles = ("甲", "乙")
    sig = SignatureBlock(tuple(zip(roles, parties)), THEME, position, None)  # type: ignore[arg-type]
    sig.wrap(THEME.text_width, THEME.text_height)
    return sig


def boxes(sig: SignatureBlock, index: int) -> list[tuple[str, float, float, float, float]]:
    """(text, left, right, top, bottom) of every text of one party, top-down coordinates."""
    layout = sig._layouts[index]
    return [
        (t.text, t.x, t.right, t.baseline - 0.88 * EM, t.baseline + 0.12 * EM)
        for t in layout.texts
    ]


@pytest.mark.parametrize("party", [HUB, PARTNER])
def test_seal_covers_a_third_of_the_last_character_and_stops_one_character_short(party: Party) -> None:
    sig = block(party)
    seal = sig._layouts[0].seal
    name = next(b for b in boxes(sig, 0) if b[0] == party.name)
    assert seal.size == pytest.approx(party.seal_mm * mm)
    assert seal.x + seal.size == pytest.approx(THEME.text_width - EM)
    assert name[2] - seal.x == pytest.approx(SEAL_OVERLAP * EM)
    assert seal.top < name[3] and seal.top + seal.size > name[4], "the seal must straddle the name line"


def test_after_name_position_leaves_one_character() -> None:
    sig = block(HUB, position="after-name")
    seal = sig._layouts[0].seal
    name = next(b for b in boxes(sig, 0) if b[0] == HUB.name)
    assert seal.x - name[2] == pytest.approx(EM)


@pytest.mark.parametrize("address", [HUB.address, "熊本市中央区手取本町1番1号熊本市役所本庁舎14階総務局", "長" * 60])
def test_no_other_text_touches_the_seal_space(address: str) -> None:
    sig = block(replace(HUB, address=address), PARTNER)
    for index in range(2):
        seal = sig._layouts[index].seal
        name = next(b for b in boxes(sig, index) if b[0] in (HUB.name, PARTNER.name))
        for text, left, right, top, bottom in boxes(sig, index):
            if text == name[0]:
                continue
            overlaps = left < seal.x + seal.size and right > seal.x and top < seal.top + seal.size and bottom > seal.top
            assert not overlaps, f"{text!r} runs into the seal space"
        assert sig._layouts[index].height >= seal.top + seal.size


def test_long_address_wraps_inside_the_column() -> None:
    sig = block(replace(HUB, address="長" * 60))
    for _, left, right, _, _ in boxes(sig, 0):
        assert right <= THEME.text_width + 0.01 and left >= 0


def test_name_too_long_for_the_column_is_a_layout_problem() -> None:
    with pytest.raises(LayoutProblem, match="shorten"):
        block(replace(HUB, name="大" * 40))


def test_justified_paragraph_fills_the_line_and_keeps_kinsoku() -> None:
    style = TextStyle(FONTS, EM, THEME.body_leading, first_indent=EM)
    text = "この連携協約の締結を証するため、本連携協約書2通を作成し、甲及び乙が記名押印の上、それぞれ各1通を保有する。" * 3
    paragraph = JaParagraph(text, style)
    _, height = paragraph.wrap(THEME.text_width, 1000)
    lines = paragraph._lines
    assert height == len(lines) * THEME.body_leading
    assert "".join(line.text for line in lines) == text
    assert all(line.text[0] not in CANNOT_START for line in lines[1:])
    assert all(line.justify for line in lines[:-1]) and not lines[-1].justify


def test_paragraph_splits_between_lines_and_loses_nothing() -> None:
    style = TextStyle(FONTS, EM, THEME.body_leading)
    paragraph = JaParagraph("あ" * 200, style)
    paragraph.wrap(THEME.text_width, 1000)
    head, tail = paragraph.split(THEME.text_width, THEME.body_leading * 2.5)
    head.wrap(THEME.text_width, 1000)
    tail.wrap(THEME.text_width, 1000)
    assert len(head._lines) == 2
    assert "".join(line.text for p in (head, tail) for line in p._lines) == "あ" * 200


def test_schedule_has_one_block_per_area_and_headings_keep_with_next() -> None:
    area = PolicyArea("名", "内容", "甲", "乙")
    schedule = Schedule("第3条第3号", "表題", sections=(Section("見出し", (area, replace(area, name="名2"))),))
    flowables = schedule_flowables(3, schedule, THEME, Tags().root)
    assert [type(f).__name__ for f in flowables] == ["JaParagraph", "JaParagraph", "JaParagraph", "AreaBlock", "AreaBlock"]
    caption, title, heading = flowables[:3]
    assert caption.text == "別表第3（第3条第3号関係）" and heading.label == "1"  # type: ignore[attr-defined]
    assert all(f.getKeepWithNext() for f in (caption, title, heading))


def test_area_block_moves_whole_unless_taller_than_a_page() -> None:
    block = AreaBlock.of(1, PolicyArea("名", "内容", "甲", "乙"), THEME, Tags().root.add("Table"))
    _, height = block.wrap(THEME.text_width, THEME.text_height)
    assert block.split(THEME.text_width, height - 1) == [], "a block that fits on a page is kept whole"


def test_tall_area_block_splits_between_lines_and_keeps_every_character() -> None:
    text = "乙と連携して企業誘致に取り組む。" * 250
    block = AreaBlock.of(2, PolicyArea("企業誘致の促進", "内容", "甲の役割の文", text), THEME, Tags().root.add("Table"))
    _, height = block.wrap(THEME.text_width, THEME.text_height)
    assert height > THEME.text_height
    pieces, rest = [], block
    while True:
        parts = rest.split(THEME.text_width, THEME.text_height)
        if parts == [rest]:
            pieces.append(rest)
            break
        head, rest = parts
        assert head.wrap(THEME.text_width, THEME.text_height)[1] <= THEME.text_height + 0.01
        pieces.append(head)
    assert len(pieces) >= 3
    drawn = "".join(line.text for piece in pieces for row in piece.rows if row.label.text == "乙の役割" for line in row.text._lines)
    assert drawn == text
    assert all(p.area_cell.text == "（続き）" and p.area_cell.label == "(2)" for p in pieces[1:])
    assert all([r.label.text for r in p.rows][0] == "乙の役割" for p in pieces[1:])


def test_table_columns_fill_the_text_block() -> None:
    widths = column_widths(THEME)
    assert sum(widths) == pytest.approx(THEME.text_width)
    assert widths[1] >= 4 * THEME.table_size  # 取組内容 fits on one line


@pytest.mark.parametrize("address", ["熊本県上益城郡御船町大字御船995番地1", "熊本県上益城郡御船町大字御船字滝尾上原地区995番地1"])
def test_a_long_address_wraps_short_of_the_seal_and_the_name_keeps_its_office_line(address: str) -> None:
    party = replace(PARTNER, address=address, seal_mm=30)
    sig = block(party)
    placed = boxes(sig, 0)
    name = next(b for b in placed if b[0] == party.name)
    office = next(b for b in placed if b[0] == party.office)
    assert name[3] == office[3], "the name stands on its office title's line"
    seal = sig._layouts[0].seal
    for text, left, right, top, bottom in placed:
        if text != party.name and bottom > seal.top and top < seal.top + seal.size:
            assert right <= seal.x, f"{text!r} reaches into the seal space"
    assert "".join(b[0] for b in placed if b[0] not in ("甲", party.municipality, party.office, party.name)) == address


def test_a_page_frame_copies_as_deepcopy_does_for_less() -> None:
    """platypus deep-copies the frame for every KeepTogether wrap: the clone has the same values,
    and its own copy of each mutable one."""
    import copy

    from reportlab.platypus import Frame

    from kyoyaku_pdf.layout.document import _Frame

    frame = _Frame(10, 20, 300, 400, id="odd")
    frame._frameBGs = [("bg", 1)]
    frame._atTop = 0
    clone = copy.deepcopy(frame)
    plain = Frame.__new__(Frame)
    plain.__dict__.update(vars(frame))
    reference = copy.deepcopy(plain)
    assert type(clone) is _Frame and vars(clone) == vars(reference) == vars(frame)
    assert clone._frameBGs is not frame._frameBGs and clone._frameBGs[0] is frame._frameBGs[0]
