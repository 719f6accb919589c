"""Tests for kyoyaku_pdf.text.japanese: 和暦, numbering, 禁則 units and line breaking.

The module is tested on its own with a fake metric: 10 for non-ASCII (full-width),
5 for ASCII (half-width), so widths in the golden cases can be checked by hand.
"""

from __future__ import annotations

import ast
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kyoyaku_pdf.text.japanese as jp
from kyoyaku_pdf.text.japanese import (
    CANNOT_END,
    CANNOT_START,
    Line,
    Typesetting,
    break_lines,
    set_line,
    item_number,
    schedule_caption,
    section_number,
    unbreakable_units,
    wareki,
)


def measure(s: str) -> float:
    return sum(10 if ord(c) > 0x7F else 5 for c in s)


def texts(lines: list[Line]) -> list[str]:
    return [line.text for line in lines]


def summary(lines: list[Line]) -> list[tuple[str, float, bool]]:
    """(text, set width, justify) of each line: what the golden cases below check."""
    return [(line.text, round(line.width, 6), line.justify) for line in lines]


PLAIN = Typesetting(latin_spacing=False)
#: the narrowest a text can be set with the fake metric (em 10), every squeezable space taken
SQUEEZED = jp._Setter(measure, 10.0, Typesetting())


# --------------------------------------------------------------------------
# module hygiene
# --------------------------------------------------------------------------


def test_module_imports_only_stdlib() -> None:
    tree = ast.parse(Path(jp.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    non_stdlib = imported - set(sys.stdlib_module_names) - {"__future__"}
    assert not non_stdlib


# --------------------------------------------------------------------------
# 和暦
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 3, 24), "令和7年3月24日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1873, 1, 1), "明治6年1月1日"),
        (date(2030, 12, 31), "令和12年12月31日"),
    ],
)
def test_wareki(d: date, expected: str) -> None:
    assert wareki(d) == expected


def test_wareki_accepts_datetime() -> None:
    assert wareki(datetime(2019, 5, 1, 9, 30)) == "令和元年5月1日"


@pytest.mark.parametrize("d", [date(1872, 12, 31), date(1868, 10, 23), date(1600, 1, 1)])
def test_wareki_rejects_dates_before_gregorian_adoption(d: date) -> None:
    with pytest.raises(ValueError, match="1873-01-01"):
        wareki(d)


def test_wareki_rejects_non_date() -> None:
    with pytest.raises(TypeError):
        wareki("2025-03-24")  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# numbering
# --------------------------------------------------------------------------


def test_item_number() -> None:
    assert item_number(1) == "(1)"
    assert item_number(12) == "(12)"


def test_section_number() -> None:
    assert section_number(1) == "1"
    assert section_number(10) == "10"


@pytest.mark.parametrize("func", [item_number, section_number])
@pytest.mark.parametrize("bad", [0, -1])
def test_numbers_reject_non_positive(func: Callable[[int], str], bad: int) -> None:
    with pytest.raises(ValueError):
        func(bad)


@pytest.mark.parametrize("func", [item_number, section_number])
@pytest.mark.parametrize("bad", [True, 1.0, "1"])
def test_numbers_reject_non_int(func: Callable[[int], str], bad: object) -> None:
    with pytest.raises(TypeError):
        func(bad)  # type: ignore[arg-type]


def test_schedule_caption() -> None:
    assert schedule_caption(1, "第3条第1号") == "別表第1（第3条第1号関係）"
    assert schedule_caption(3, "第3条第3号") == "別表第3（第3条第3号関係）"


@pytest.mark.parametrize("basis", ["", " 第3条", "第3条関係", "（第3条）", "(第3条)"])
def test_schedule_caption_rejects_malformed_basis(basis: str) -> None:
    with pytest.raises(ValueError):
        schedule_caption(1, basis)


def test_schedule_caption_rejects_zero() -> None:
    with pytest.raises(ValueError):
        schedule_caption(0, "第3条")


# --------------------------------------------------------------------------
# 禁則 character sets
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ch",
    list("）〕］｝〉》」』】〙〗〟’”)]}")  # cl-02
    + list("‐〜゠–")  # cl-03
    + list("？！‼⁇⁈⁉?!")  # cl-04
    + list("・：；:;")  # cl-05
    + list("。．.")  # cl-06
    + list("、，,")  # cl-07
    + list("ヽヾゝゞ々〻")  # cl-09
    + ["ー"]  # cl-10
    + list("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇿ")  # cl-11
    + list("％‰℃°′″%"),  # postfixes
)
def test_cannot_start_members(ch: str) -> None:
    assert ch in CANNOT_START


@pytest.mark.parametrize("ch", list("（〔［｛〈《「『【〘〖〝‘“([{") + list("¥＄￥＃$#"))
def test_cannot_end_members(ch: str) -> None:
    assert ch in CANNOT_END


@pytest.mark.parametrize("ch", list("あア漢1aA\u3000 ―…"))
def test_ordinary_characters_are_not_kinsoku(ch: str) -> None:
    assert ch not in CANNOT_START
    assert ch not in CANNOT_END


def test_kinsoku_sets_are_disjoint_single_characters() -> None:
    assert not CANNOT_START & CANNOT_END
    assert all(len(c) == 1 for c in CANNOT_START | CANNOT_END)


# --------------------------------------------------------------------------
# unbreakable_units
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("995番地1", ["995", "番", "地", "1"]),
        ("1,234.5円", ["1,234.5", "円"]),
        ("DVとICT", ["DV", "と", "ICT"]),
        ("50%と10km", ["50%", "と", "10km"]),
        ("50％", ["50％"]),
        ("¥1,000", ["¥1,000"]),
        ("＃3と$5", ["＃3", "と", "$5"]),
        ("1,234、", ["1,234、"]),
        ("1,a", ["1,", "a"]),
        ("……と――", ["……", "と", "――"]),
        ("…と", ["…", "と"]),
        ("あ「い」。う", ["あ", "「い」。", "う"]),
        ("こ」。", ["こ」。"]),
        ("（（あ", ["（（あ"]),
        ("あ，？い", ["あ，？", "い"]),
        ("ICT plan", ["ICT ", "plan"]),
        ("a  b", ["a  ", "b"]),
        ("  あ", ["  あ"]),  # leading spaces never form a line of their own
        ("「 あ", ["「 あ"]),
        ("\u3000甲", ["\u3000", "甲"]),
        ("「\nあ", ["「", "\n", "あ"]),
        ("あ\n。", ["あ", "\n", "。"]),
        ("", []),
    ],
)
def test_unbreakable_units(text: str, expected: list[str]) -> None:
    assert unbreakable_units(text) == expected


# --------------------------------------------------------------------------
# break_lines golden cases (width 100 = ten full-width characters)
# --------------------------------------------------------------------------


def test_full_stop_pulls_previous_character_down() -> None:
    lines = break_lines("あいうえおかきくけこ。さ", 100, measure)
    assert summary(lines) == [
        ("あいうえおかきくけ", 100, True),  # justified: set to the full width
        ("こ。さ", 30, False),
    ]


def test_closing_bracket_and_stop_move_together() -> None:
    assert texts(break_lines("あいうえおかきくけこ」。さ", 100, measure)) == [
        "あいうえおかきくけ",
        "こ」。さ",
    ]


def test_closing_bracket_and_stop_stay_when_they_fit() -> None:
    assert texts(break_lines("あいうえおかきく」。さ", 100, measure)) == ["あいうえおかきく」。", "さ"]


def test_opening_bracket_never_ends_a_line() -> None:
    assert texts(break_lines("あいうえおかきくけ「こさ」", 100, measure)) == [
        "あいうえおかきくけ",
        "「こさ」",
    ]


def test_fullwidth_comma_and_question_never_start_a_line() -> None:
    assert texts(break_lines("あいうえおかきくけこ，？さ", 100, measure)) == [
        "あいうえおかきくけ",
        "こ，？さ",
    ]


@pytest.mark.parametrize("dash", ["……", "‥‥", "――", "——"])
def test_leader_and_dash_pairs_are_kept_whole(dash: str) -> None:
    assert texts(break_lines(f"あいうえおかきくけ{dash}と", 100, measure)) == [
        "あいうえおかきくけ",
        f"{dash}と",
    ]


def test_house_number_is_kept_whole() -> None:
    assert texts(break_lines("あいうえおかきくけ995番地1", 100, measure)) == [
        "あいうえおかきくけ",
        "995番地1",
    ]


def test_latin_word_is_kept_whole() -> None:
    assert texts(break_lines("あいうえおかきくけICTを", 100, measure)) == [
        "あいうえおかきくけ",
        "ICTを",
    ]


def test_ideographic_space_is_kept_and_measured() -> None:
    lines = break_lines("\u3000あいうえおかきくけこさ", 100, measure)
    assert summary(lines) == [
        ("\u3000あいうえおかきくけ", 100, True),
        ("こさ", 20, False),
    ]


def test_ideographic_space_may_start_a_continuation_line() -> None:
    assert texts(break_lines("あいうえおかきくけこ\u3000さ", 100, measure)) == [
        "あいうえおかきくけこ",
        "\u3000さ",
    ]


def test_hard_newline() -> None:
    assert summary(break_lines("あいうえおかきくけこさ\nし", 100, measure)) == [
        ("あいうえおかきくけこ", 100, True),
        ("さ", 10, False),
        ("し", 10, False),
    ]


def test_hard_newline_blank_line_and_trailing_newline() -> None:
    assert summary(break_lines("あ\n\nい\n", 100, measure)) == [
        ("あ", 10, False),
        ("", 0, False),
        ("い", 10, False),
    ]


def test_newline_separates_kinsoku_context() -> None:
    # 。 after a hard break cannot be glued to the previous paragraph.
    assert texts(break_lines("あ\n。", 100, measure)) == ["あ", "。"]


def test_ascii_space_stays_at_line_end_and_is_not_measured() -> None:
    assert summary(break_lines("ICT plan", 30, measure)) == [
        ("ICT ", 30, True),  # a line of one word is letter-spaced: it has no other place to spread
        ("plan", 20, False),
    ]


def test_space_does_not_push_a_full_line() -> None:
    # "abcdefghij" fills 50 exactly; the following space must not force a break before it.
    assert texts(break_lines("abcdefghij k", 50, measure)) == ["abcdefghij ", "k"]


def test_first_indent_narrows_only_the_first_line() -> None:
    assert summary(break_lines("あいうえおかきくけこさしすせそたちつて", 100, measure, first_indent=20)) == [
        ("あいうえおかきく", 80, True),
        ("けこさしすせそたちつ", 100, True),
        ("て", 10, False),
    ]


def test_negative_first_indent_widens_the_first_line() -> None:
    assert texts(break_lines("あいうえおかきくけこさしす", 100, measure, first_indent=-20)) == [
        "あいうえおかきくけこさし",
        "す",
    ]


def test_unit_wider_than_line_is_forced_apart() -> None:
    assert summary(break_lines("ABCDEFGHIJKLMNOPQRSTUVW", 50, measure)) == [
        ("ABCDEFGHIJ", 50, True),
        ("KLMNOPQRST", 50, True),
        ("UVW", 15, False),
    ]


def test_forced_split_uses_full_width_after_first_line() -> None:
    lines = break_lines("ABCDEFGHIJKLMNOP", 50, measure, first_indent=-10)
    assert texts(lines) == ["ABCDEFGHIJKL", "MNOP"]


def test_glyph_wider_than_line_still_progresses() -> None:
    assert texts(break_lines("あい", 5, measure)) == ["あ", "い"]


def test_empty_text() -> None:
    assert break_lines("", 100, measure) == []


@pytest.mark.parametrize(("width", "indent"), [(0, 0), (-10, 0), (100, 100), (100, 150)])
def test_break_lines_rejects_impossible_geometry(width: float, indent: float) -> None:
    with pytest.raises(ValueError):
        break_lines("あ", width, measure, first_indent=indent)


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

ALPHABET = (
    "あいうえおかきくけこさしすせそっゃゅょー"
    "アイウエオカキクケコッャュョ"
    "漢字協約市町村第条号別表甲乙々"
    "、。，．？！・：；「」『』（）【】〔〕…―〜％￥＃"
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "()[],.:;?!%$#"
    "   \u3000"
)
text_st = st.text(alphabet=ALPHABET + "\n", max_size=80)
DASH_RUN = "…‥―—"


def _segments(text: str) -> list[str]:
    segs = text.split("\n")
    if text.endswith("\n"):
        segs.pop()
    return segs if text else []


def _lines_by_segment(text: str, lines: list[Line]) -> list[list[Line]]:
    """Regroup lines per hard-break segment (each segment ends with a justify=False line)."""
    groups: list[list[Line]] = [[]]
    for line in lines:
        groups[-1].append(line)
        if not line.justify:
            groups.append([])
    assert groups.pop() == []
    return groups


def _is_ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _splits_a_run(seg: str, p: int) -> bool:
    """True if a break at index p of seg falls inside a number, Latin word or dash run."""
    a, b = seg[p - 1], seg[p]
    if _is_ascii_alnum(a) and _is_ascii_alnum(b):
        return True
    if a in ",." and p >= 2 and seg[p - 2].isdigit() and b.isdigit() and b.isascii():
        return True
    return a == b and a in DASH_RUN


@settings(max_examples=400, deadline=None)
@given(
    text=text_st,
    width=st.integers(min_value=1, max_value=200),
    indent=st.sampled_from([0, 10, 20, -20]),
)
def test_break_lines_general_invariants(text: str, width: int, indent: int) -> None:
    if indent >= width:
        indent = 0
    lines = break_lines(text, width, measure, first_indent=indent)
    assert "".join(texts(lines)) == text.replace("\n", "")
    groups = _lines_by_segment(text, lines)
    assert ["".join(texts(g)) for g in groups] == _segments(text)
    for i, line in enumerate(lines):
        assert "\n" not in line.text
        assert len(line.positions) == len(line.text)
        assert all(b >= a - 1e-9 for a, b in zip(line.positions, line.positions[1:])), line
        avail = width - indent if i == 0 else width
        # Over-wide lines exist only when a single glyph is wider than the line.
        assert line.width <= avail + 1e-6 or len(line.text.rstrip(" ")) == 1
        if line.justify and line.text.strip():
            assert line.width == pytest.approx(avail) or len(line.text.rstrip(" ")) == 1
        if i > 0 and lines[i - 1].justify:
            assert line.text != ""  # only blank hard-break segments are empty


@settings(max_examples=400, deadline=None)
@given(
    text=text_st,
    width=st.integers(min_value=1, max_value=200),
    indent=st.sampled_from([0, 10, 20, -20]),
)
def test_break_lines_keeps_every_rule_when_nothing_is_forced(
    text: str, width: int, indent: int
) -> None:
    units = [u for u in unbreakable_units(text) if u != "\n"]
    widest = max((SQUEEZED.min_width(u.rstrip(" ")) for u in units), default=0)
    width = max(width, widest + max(indent, 0), indent + 1)
    lines = break_lines(text, width, measure, first_indent=indent)
    assert "".join(texts(lines)) == text.replace("\n", "")

    first_line = True
    for seg, group in zip(_segments(text), _lines_by_segment(text, lines)):
        pos = 0
        unit_at: dict[int, str] = {}  # start offset -> unit
        for u in unbreakable_units(seg):
            unit_at[pos] = u
            pos += len(u)
        pos = 0
        for k, line in enumerate(group):
            avail = width - indent if first_line else width
            first_line = False
            assert line.width <= avail + 1e-6
            if k > 0:
                assert line.text[0] not in CANNOT_START, (seg, texts(group))
                assert not line.text.startswith(" ")
                assert not _splits_a_run(seg, pos), (seg, texts(group))
            if k < len(group) - 1:
                visible = line.text.rstrip(" ")
                assert visible and visible[-1] not in CANNOT_END, (seg, texts(group))
                # 追い出し only after 追い込み: the next unit did not fit even with every space squeezed
                # (the line before the last may have given units to a too short last line)
                nxt = unit_at[pos + len(line.text)]
                assert SQUEEZED.min_width((line.text + nxt).rstrip(" ")) > avail or k == len(group) - 2
            pos += len(line.text)


@settings(max_examples=400, deadline=None)
@given(text=text_st)
def test_unbreakable_units_invariants(text: str) -> None:
    units = unbreakable_units(text)
    assert "".join(units) == text
    assert all(units)
    # Regroup units per segment, the newline being its own unit.
    groups: list[list[str]] = [[]]
    for u in units:
        if "\n" in u:
            assert u == "\n"
            groups.append([])
        else:
            groups[-1].append(u)
    for seg, group in zip(text.split("\n"), groups, strict=True):
        pos = 0
        for k, u in enumerate(group):
            if k > 0:
                assert u[0] not in CANNOT_START
                assert not u.startswith(" ")
                assert not _splits_a_run(seg, pos)
            if k < len(group) - 1:
                visible = u.rstrip(" ")
                assert not (visible and visible[-1] in CANNOT_END)
            pos += len(u)


# --------------------------------------------------------------------------
# JLReq line adjustment: 約物の詰め, 四分アキ, squeezing before pushing, expansion order, ぶら下げ
# (fake metric: em = 10, so a half em is 5 and a quarter em 2.5)
# --------------------------------------------------------------------------


def gaps(line: Line) -> list[float]:
    """Distance from each em box's origin to the next one's."""
    return [round(b - a, 6) for a, b in zip(line.positions, line.positions[1:])]


@pytest.mark.parametrize(
    ("pair", "width"),
    [("」。", 15), ("（「", 15), ("」）", 15), ("）、", 15), ("」「", 15), ("、「", 15), ("。」", 15)],
)
def test_consecutive_marks_take_one_and_a_half_em(pair: str, width: float) -> None:
    assert set_line(pair, measure).width == width


def test_consecutive_marks_inside_text_leave_the_neighbours_solid() -> None:
    line = set_line("と」。次（「例", measure)
    # と 」 (half an em: its アキ dropped before 。) 。 (its アキ kept) 次 （ (its アキ kept) 「 (its アキ
    # dropped after （: drawn half an em after （, so both inks touch) 例
    assert gaps(line) == [10, 5, 10, 10, 5, 10]
    assert line.width == 60


def test_quarter_em_between_digits_or_latin_and_kanji() -> None:
    line = set_line("第3条ICTを", measure)
    assert gaps(line) == [12.5, 7.5, 12.5, 5, 5, 7.5]
    assert set_line("第3条ICTを", measure, PLAIN).width == 10 + 5 + 10 + 15 + 10


def test_no_quarter_em_next_to_punctuation_or_inside_numbers() -> None:
    assert gaps(set_line("「995」", measure)) == [10, 5, 5, 5]


def test_squeezing_keeps_a_unit_that_pushing_would_move() -> None:
    # 11 em on a 10 em line: the half ems of the two 、 and of the line-end 。 give 1.5 em
    lines = break_lines("あ、い、うえおかきく。", 100, measure)
    assert summary(lines) == [("あ、い、うえおかきく。", 100, False)]
    line = lines[0]
    assert line.positions[-1] + 5 <= 100  # the 。 ink stays inside the line


def test_pushing_only_when_squeezing_cannot_make_room() -> None:
    # one line-end 。 can give half an em, one em is needed: こ goes down with its 。
    assert texts(break_lines("あいうえおかきくけこ。さ", 100, measure)) == ["あいうえおかきくけ", "こ。さ"]


def test_a_full_stop_inside_a_line_keeps_its_half_em() -> None:
    # JIS X 4051: only at the line end may a 。's half em go
    assert texts(break_lines("あいうえおかきく」。さ", 100, measure)) == ["あいうえおかきく」。", "さ"]


def test_squeezing_order_takes_the_latin_gap_before_punctuation() -> None:
    # natural 100 on 97.5: the 和欧間 2.5 + 2.5 give 2.5 (down to an eighth each), the 、 nothing
    lines = break_lines("あいう、え1かきくけ", 97.5, measure)
    assert len(lines) == 1 and lines[0].width == 97.5
    assert gaps(lines[0])[3] == 10  # the 、 kept its half em
    assert gaps(lines[0])[4] == pytest.approx(10 + 1.25) and gaps(lines[0])[5] == pytest.approx(5 + 1.25)


def test_expansion_goes_to_latin_gaps_first_then_evenly_to_break_places() -> None:
    # natural 100 on 105: the two 和欧間 take the 5 (a quarter more each, up to half an em)
    first = break_lines("あい1うえおかきくけこさしす", 105, measure)[0]
    assert first.text == "あい1うえおかきくけ" and first.width == 105
    assert gaps(first) == [10, 15, 10] + [10] * 6
    # on 107 the 2 left after that are spread evenly over the nine break places
    first = break_lines("あい1うえおかきくけこさしす", 107, measure)[0]
    assert gaps(first) == pytest.approx([10 + 2 / 9, 15 + 2 / 9, 10 + 2 / 9] + [10 + 2 / 9] * 6)


def test_no_expansion_inside_a_number_or_between_a_mark_and_its_character() -> None:
    first = break_lines("あい「123」うえおかきくけこ", 100, measure)[0]
    g = gaps(first)
    # the digits stay solid and 「 sticks to 1, 3 to 」 — only the break places opened up
    assert first.text.startswith("あい「123」")
    assert g[3] == 5 and g[4] == 5  # 1→2, 2→3


def test_justified_line_fills_the_width_and_the_last_line_does_not() -> None:
    lines = break_lines("あいうえおかきくけこさしすせそ", 95, measure)
    assert [line.width for line in lines] == [95, 60]
    assert lines[1].positions == (0, 10, 20, 30, 40, 50)


def test_unjustified_lines_keep_their_natural_set() -> None:
    lines = break_lines("あいうえおかきくけこさしすせそ", 95, measure, justify=False)
    assert [line.width for line in lines] == [90, 60]


def test_hanging_is_off_by_default_and_hangs_only_commas_and_full_stops() -> None:
    text = "あいうえおかきくけこ。さ"
    assert texts(break_lines(text, 100, measure)) == ["あいうえおかきくけ", "こ。さ"]
    hung = break_lines(text, 100, measure, setting=Typesetting(hanging=True))
    assert texts(hung) == ["あいうえおかきくけこ。", "さ"]
    assert hung[0].width == 100 and hung[0].positions[-1] == 100  # the 。 stands past the end
    assert texts(break_lines("あいうえおかきくけこ」さ", 100, measure, setting=Typesetting(hanging=True)))[0] == "あいうえおかきくけ"


@settings(max_examples=300, deadline=None)
@given(text=text_st, width=st.integers(min_value=30, max_value=200))
def test_no_ink_passes_the_margin_without_hanging(text: str, width: int) -> None:
    setter = jp._Setter(measure, 10.0, Typesetting())
    for line in break_lines(text, width, measure):
        visible = line.text.rstrip(" ")
        if len(visible) <= 1:
            continue
        last = setter.glyph(visible[-1])
        ink_end = line.positions[len(visible) - 1] + last.before + last.ink
        assert ink_end <= width + 1e-6 or SQUEEZED.min_width(visible) > width, line


def test_last_line_gets_more_than_the_end_of_a_sentence() -> None:
    # 30 em lines: 「む。」 alone would end the paragraph; two characters more go down with it
    text = "あ" * 30 + "む。"
    lines = break_lines(text, 300, measure)
    assert texts(lines) == ["あ" * 28, "ああむ。"]
    assert lines[0].width == 300 and max(gaps(lines[0])) - 10 <= 0.09 * 10


def test_last_line_stays_short_rather_than_spreading_the_line_before_too_far() -> None:
    # on a 10 em line two characters more would open 2 em over 7 gaps (0.29 em each): nothing moves
    assert texts(break_lines("あいうえおかきくけこむ。", 100, measure)) == ["あいうえおかきくけこ", "む。"]


def test_ragged_text_only_avoids_a_lone_last_character() -> None:
    assert texts(break_lines("あいうえおかきくけこむ", 100, measure, justify=False)) == ["あいうえおかきくけ", "こむ"]
    assert texts(break_lines("あいうえおかきくけこむ。", 100, measure, justify=False)) == ["あいうえおかきくけこ", "む。"]


def test_inside_a_line_a_comma_keeps_a_quarter_em() -> None:
    # 10 em on 9.75: the 、 gives a quarter em (JLReq's book practice, 1/2-1/4), enough
    line = break_lines("あ、いうえおかきくけ", 97.5, measure)[0]
    assert line.text == "あ、いうえおかきくけ" and gaps(line)[1] == pytest.approx(7.5)
    # on 9.7 it is not, and pushing け down would spread the rest 0.1 em a gap: the 、 gives its all
    line = break_lines("あ、いうえおかきくけ", 97, measure)[0]
    assert line.text == "あ、いうえおかきくけ" and gaps(line)[1] == pytest.approx(7)


def test_a_comma_gives_its_last_quarter_only_if_pushing_would_open_the_line_too_wide() -> None:
    # on a 19.7 em line pushing one character down opens only 0.04 em a gap: it goes
    assert texts(break_lines("あ、" + "い" * 18, 197, measure)) == ["あ、" + "い" * 17, "い"]
    # ragged text never squeezes that far: the line just ends earlier
    assert texts(break_lines("あ、いうえおかきくけ", 97, measure, justify=False)) == ["あ、いうえおかき", "くけ"]


def test_kinsoku_units_glue_any_tokens_by_the_same_rules() -> None:
    """The CLI's help tokenizes otherwise (every ASCII run whole) and is glued by the same 禁則."""
    tokens = ["PDF", "（", "改", "正", "後", "）", "。", "kyoyaku-pdf ", "「", "略", "」"]
    units = jp.kinsoku_units(tokens)
    assert "".join(units) == "".join(tokens)
    assert units == ["PDF", "（改", "正", "後）。", "kyoyaku-pdf ", "「略」"]
    assert jp.kinsoku_units(["a", "（"]) == ["a", "（"]  # an opening bracket at the very end stays
