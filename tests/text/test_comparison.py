"""新旧対照表: alignment and phrase diff (comparison.py), and the PDF (layout/comparison.py) read back.

The four correction scenarios are made from the bundled data the way a clerk makes them — a copy of
data/ with one edit in the YAML — and loaded with the real loader. The PDF is built here (the lead
wires ``render_comparison_pdf`` into pdf.py) and read back with pdfminer.six only, which did not
write it: which characters stand above a drawn underline, in which column (by x position, the columns
named by the header row), that unchanged areas are collapsed to （略）, and that no character leaves
the page, crosses a table rule or overlaps another.
"""

from __future__ import annotations

import re

import io
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from datafiles import AGREEMENT, DATA, SCHEDULES, data_copy, edit
from kyoyaku_pdf.text.comparison import (
    ChangeKind,
    Comparison,
    compare,
    diff_text,
    has_changes,
    script_class,
    summary_lines,
)
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register
from kyoyaku_pdf.layout.comparison import OMITTED, comparison_story
from kyoyaku_pdf.layout.tagging import Tags
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.layout.theme import Theme
from kyoyaku_pdf.input.loading import load_agreement
from kyoyaku_pdf.input.model import ROW_LABELS, Agreement, PolicyArea

FONT = register()
THEME = Theme(fonts=FontSet(FONT, codepoints(MINCHO)))
MM = 72 / 25.4
TITLE = "熊本市及び御船町における連携中枢都市圏の形成に係る変更連携協約"

# ---------------------------------------------------------------------------------------------
# The correction scenarios, as YAML edits on a copy of data/
# ---------------------------------------------------------------------------------------------

OLD_ROLE = "甲と連携して共同利用の推進等の公共施設の有効利用に取り組む。"
NEW_ROLE = "甲と連携して公共施設の相互利用の推進に取り組む。"
INSERTED = PolicyArea(
    name="脱炭素社会の推進",
    content="圏域全体で脱炭素社会の実現を図るため、再生可能エネルギーの導入促進等に取り組む。",
    hub_role="乙と連携して再生可能エネルギーの導入促進等に取り組むとともに、圏域市町村全体の調整を行う。",
    partner_role="甲と連携して再生可能エネルギーの導入促進等に取り組む。",
)
SECTION_3 = "      # 3\n"


def _inserted_yaml(area: PolicyArea) -> str:
    return (
        f"          - name: {area.name}\n            content: {area.content}\n"
        f"            hub_role: {area.hub_role}\n            partner_role: {area.partner_role}\n"
    )


def _without_section_3(folder: Path) -> None:
    text = (folder / SCHEDULES).read_text(encoding="utf-8")
    edit(folder, SCHEDULES, text[text.index(SECTION_3):], "")


SCENARIOS = {
    "reworded": lambda d: edit(d, SCHEDULES, f"partner_role: {OLD_ROLE}", f"partner_role: {NEW_ROLE}"),
    "inserted": lambda d: edit(d, SCHEDULES, "          - name: 公共施設の有効利用\n",
                               _inserted_yaml(INSERTED) + "          - name: 公共施設の有効利用\n"),
    "removed-section": _without_section_3,
    "mayor": lambda d: edit(d, AGREEMENT, "name: 藤木正", "name: 試験太郎"),
}


@pytest.fixture(scope="module")
def old() -> Agreement:
    return load_agreement(DATA / AGREEMENT).agreement


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Agreement]:
    out = {}
    for name, change in SCENARIOS.items():
        folder = data_copy(tmp_path_factory.mktemp(name))
        change(folder)
        out[name] = load_agreement(folder / AGREEMENT).agreement
    return out


@pytest.fixture(scope="module")
def comparisons(old: Agreement, corrected: dict[str, Agreement]) -> dict[str, Comparison]:
    return {name: compare(old, new) for name, new in corrected.items()}


# =============================================================================================
# Phrase diff: the widening rule
# =============================================================================================


def phrases(old: str, new: str) -> list[tuple[str, str]]:
    return list(diff_text(old, new).phrases())


@pytest.mark.parametrize(
    ("char", "cls"),
    [("公", "kanji"), ("々", "kanji"), ("の", "hiragana"), ("リ", "katakana"), ("ー", "katakana"),
     ("9", "digit"), ("９", "digit"), ("I", "latin"), ("Ｉ", "latin"), ("、", "other"), ("・", "other"),
     ("（", "other"), ("\u3000", "other"), ("𠮷", "kanji")],
)
def test_script_classes(char: str, cls: str) -> None:
    assert script_class(char) == cls


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a kanji change takes in the rest of its kanji run (産業/企業 share 業: still one word)
        ("圏域のリーディング産業を育成する", "圏域のリーディング企業を育成する", [("産業", "企業")]),
        ("大西一史", "大西二郎", [("大西一史", "大西二郎")]),
        ("文化及び学術の振興", "文化及び芸術の振興", [("学術", "芸術")]),
        # an insertion inside a kanji word underlines the word on both sides
        ("公共施設の利用", "公共交通施設の利用", [("公共施設", "公共交通施設")]),
        # a changed okurigana takes in its kanji; the change does not spread into the kana before
        ("取り組む", "取り組み", [("組む", "組み")]),
        # Latin and digits are words of their own class; 第/号 (kanji) are not taken in
        ("ICTを活用した", "AIを活用した", [("ICT", "AI")]),
        ("第3条第3号", "第3条第4号", [("3", "4")]),
        # hunks one character apart merge ...
        ("乙と連携して取り組む。", "甲と協力して取り組む。", [("乙と連携", "甲と協力")]),
        ("令和7年3月24日", "令和7年4月1日", [("3月24", "4月1")]),
        # ... and so do hunks separated by one 文節-like run (公共施設の)
        (OLD_ROLE, NEW_ROLE, [("共同利用の推進等の公共施設の有効利用", "公共施設の相互利用の推進")]),
        # but not across two runs or punctuation
        ("甲と連携して地域医療の充実に取り組む。", "乙と連携して広域医療の充実に取り組む。", [("甲", "乙"), ("地域医療", "広域医療")]),
        ("熊本港の利用、促進", "長崎港の利用、推進", [("熊本港", "長崎港"), ("促進", "推進")]),
        # a pure insertion between kana and kanji underlines only the inserted phrase
        ("甲と連携して取り組む。", "甲と連携して積極的に取り組む。", [("", "積極的に")]),
        ("同じ", "同じ", []),
    ],
)
def test_phrase_widening(old: str, new: str, expected: list[tuple[str, str]]) -> None:
    assert phrases(old, new) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙連携公共施設利用推進のにをとしてるむ、。ICT12ー", max_size=30),
       st.text(alphabet="甲乙連携公共施設利用推進のにをとしてるむ、。ICT12ー", max_size=30))
def test_hunks_are_ordered_aligned_and_cover_every_difference(old: str, new: str) -> None:
    diff = diff_text(old, new)
    o = n = 0
    for h in diff.hunks:
        assert o <= h.old_start <= h.old_end <= len(old) and n <= h.new_start <= h.new_end <= len(new)
        assert (h.old_start, h.new_start) != (o, n) or (o, n) == (0, 0), "hunks are merged when adjacent"
        assert old[o:h.old_start] == new[n:h.new_start]
        assert old[h.old_start:h.old_end] != new[h.new_start:h.new_end]
        o, n = h.old_end, h.new_end
    assert old[o:] == new[n:]
    assert bool(diff.hunks) == (old != new)


def test_spans_are_index_pairs_on_each_side() -> None:
    diff = diff_text(OLD_ROLE, NEW_ROLE)
    assert [OLD_ROLE[a:b] for a, b in diff.old_spans] == ["共同利用の推進等の公共施設の有効利用"]
    assert [NEW_ROLE[a:b] for a, b in diff.new_spans] == ["公共施設の相互利用の推進"]
    insertion = diff_text("甲と連携して取り組む。", "甲と連携して積極的に取り組む。")
    assert insertion.old_spans == () and insertion.new_spans == ((6, 10),)


def test_unchanged_text_outside_the_spans_is_equal_on_both_sides() -> None:
    """Hunks stay aligned through widening and merging: what lies between them is the same text."""
    pairs = [(OLD_ROLE, NEW_ROLE), ("令和7年3月24日", "令和7年4月1日"), ("甲と連携して地域医療の充実", "乙と協力して広域医療の充実")]
    for old, new in pairs:
        diff = diff_text(old, new)
        o = n = 0
        for h in diff.hunks:
            assert old[o:h.old_start] == new[n:h.new_start]
            o, n = h.old_end, h.new_end
        assert old[o:] == new[n:]


# =============================================================================================
# Alignment
# =============================================================================================


def _with_section_areas(agreement: Agreement, areas: tuple[PolicyArea, ...]) -> Agreement:
    """``agreement`` with section 1 of 別表第3 holding ``areas``."""
    schedule = agreement.schedules[2]
    sections = (replace(schedule.sections[0], areas=areas),) + schedule.sections[1:]
    return replace(agreement, schedules=agreement.schedules[:2] + (replace(schedule, sections=sections),))


def test_identical_versions_have_no_changes(old: Agreement) -> None:
    comparison = compare(old, old)
    assert not has_changes(comparison) and summary_lines(comparison) == []


def test_renamed_area_is_a_rename_not_a_removal_and_an_addition(old: Agreement) -> None:
    areas = old.schedules[2].sections[0].areas
    culture = areas[5]
    renamed = replace(
        culture,
        name="文化及び芸術の振興",
        hub_role=culture.hub_role.replace("学術", "芸術"),
        partner_role=culture.partner_role.replace("学術", "芸術"),
    )
    comparison = compare(old, _with_section_areas(old, areas[:5] + (renamed,) + areas[6:]))
    area = comparison.schedules[2].sections[0].areas[5]
    assert area.kind is ChangeKind.CHANGED and area.renamed and (area.old_number, area.new_number) == (6, 6)
    assert summary_lines(comparison) == [
        "別表第3 1 (6) 文化及び芸術の振興 取組名: 「学術」→「芸術」",
        "別表第3 1 (6) 文化及び芸術の振興 甲の役割: 「学術」→「芸術」",
        "別表第3 1 (6) 文化及び芸術の振興 乙の役割: 「学術」→「芸術」",
    ]


def test_a_different_area_at_the_same_place_is_removed_and_added(old: Agreement) -> None:
    """Boilerplate roles (甲と連携して…に取り組む。) make different areas look alike; that is no rename."""
    areas = old.schedules[2].sections[0].areas
    comparison = compare(old, _with_section_areas(old, areas[:7] + (INSERTED,) + areas[8:]))
    kinds = [(a.kind, a.name) for a in comparison.schedules[2].sections[0].areas if a.kind is not ChangeKind.UNCHANGED]
    assert kinds == [(ChangeKind.REMOVED, "企業誘致の促進"), (ChangeKind.ADDED, "脱炭素社会の推進")]
    assert summary_lines(comparison) == ["別表第3 1 (8) 企業誘致の促進: 削除", "別表第3 1 (8) 脱炭素社会の推進: 追加"]


def test_a_moved_area_is_renumbered_where_only_the_number_changed(old: Agreement) -> None:
    areas = old.schedules[2].sections[0].areas
    comparison = compare(old, _with_section_areas(old, areas[1:]))
    section = comparison.schedules[2].sections[0]
    assert section.areas[0].kind is ChangeKind.REMOVED
    assert all(a.kind is ChangeKind.RENUMBERED and a.old_number == a.new_number + 1 for a in section.areas[1:])
    assert comparison.schedules[2].sections[1].kind is ChangeKind.UNCHANGED


def test_renamed_section_is_paired_by_position_and_a_removed_one_by_likeness(old: Agreement) -> None:
    schedule = old.schedules[2]
    renamed = replace(schedule.sections[1], title="交通及び情報ネットワークの強化に係る政策分野")
    sections = (schedule.sections[0], renamed, schedule.sections[2])
    new = replace(old, schedules=old.schedules[:2] + (replace(schedule, sections=sections),))
    sections = compare(old, new).schedules[2].sections
    assert [s.kind for s in sections] == [ChangeKind.UNCHANGED, ChangeKind.CHANGED, ChangeKind.UNCHANGED]
    # section 2 removed and section 3 renamed in one gap: section 3 is found by its areas
    renamed_3 = replace(schedule.sections[2], title="行政運営の強化に係る政策分野")
    new = replace(old, schedules=old.schedules[:2] + (replace(schedule, sections=(schedule.sections[0], renamed_3)),))
    sections = compare(old, new).schedules[2].sections
    assert [(s.kind, s.old_number, s.new_number) for s in sections] == [
        (ChangeKind.UNCHANGED, 1, 1), (ChangeKind.REMOVED, 2, None), (ChangeKind.CHANGED, 3, 2)]


def test_comparison_is_immutable(comparisons: dict[str, Comparison]) -> None:
    comparison = comparisons["reworded"]
    with pytest.raises(AttributeError):
        comparison.schedules = ()  # type: ignore[misc]
    assert isinstance(comparison.schedules, tuple) and isinstance(comparison.schedules[2].sections[0].areas, tuple)


# =============================================================================================
# The four scenarios: summary lines
# =============================================================================================

RENUMBERED = ["公共施設の有効利用", "文化及び学術の振興", "空家対策等都市空間に関する課題への対応", "企業誘致の促進",
              "新規就農者への支援", "観光の振興", "災害等への対応", "環境の保全"]

EXPECTED_SUMMARY = {
    "reworded": [
        "別表第3 1 (5) 公共施設の有効利用 乙の役割: 「共同利用の推進等の公共施設の有効利用」→「公共施設の相互利用の推進」",
    ],
    "inserted": ["別表第3 1 (5) 脱炭素社会の推進: 追加"]
    + [f"別表第3 1 ({n})→({n + 1}) {name}: 番号のみ" for n, name in enumerate(RENUMBERED, start=5)],
    "removed-section": [
        "別表第3 3 圏域マネジメント能力の強化に係る政策分野: 削除",
        "別表第3 3 (1) 職員の育成: 削除",
    ],
    "mayor": ["乙 氏名: 「藤木正」→「試験太郎」"],
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_summary_lines(comparisons: dict[str, Comparison], scenario: str) -> None:
    assert has_changes(comparisons[scenario])
    assert summary_lines(comparisons[scenario]) == EXPECTED_SUMMARY[scenario]


def test_renumbered_areas_change_only_their_number(comparisons: dict[str, Comparison]) -> None:
    areas = comparisons["inserted"].schedules[2].sections[0].areas
    assert [a.kind for a in areas[:4]] == [ChangeKind.UNCHANGED] * 4
    assert areas[4].kind is ChangeKind.ADDED and areas[4].new_number == 5 and areas[4].old_number is None
    for area in areas[5:]:
        assert area.kind is ChangeKind.RENUMBERED and area.new_number == area.old_number + 1  # type: ignore[operator]
        assert all(t.kind is ChangeKind.UNCHANGED for t in area.texts)


# =============================================================================================
# The PDF, read back with pdfminer
# =============================================================================================


def render(comparison: Comparison, new_on_left: bool = True, show_all: bool = False) -> bytes:
    """What pdf.py's render_comparison_pdf is to do: A4, one frame on the theme's text block,
    invariant, the registered font as initial font (no Helvetica)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=THEME.page_size, invariant=1, initialFontName=THEME.font,
                          title=f"{TITLE} 新旧対照表")
    frame = Frame(THEME.binding_margin, THEME.bottom_margin, THEME.text_width, THEME.text_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(comparison_story(comparison, THEME, Tags().root, new_on_left=new_on_left, show_all=show_all))
    return buffer.getvalue()


@dataclass(frozen=True)
class Glyph:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    font: str

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Rule:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y1 - self.y0 < 1.0 and self.x1 - self.x0 > 1.0

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 < 1.0 and self.y1 - self.y0 > 1.0


def _walk(item: object) -> list[object]:
    if isinstance(item, LTContainer) and not isinstance(item, LTChar):
        return [x for child in item for x in _walk(child)]
    return [item]


def _edges(page: int, x0: float, y0: float, x1: float, y1: float) -> list[Rule]:
    """A rectangle's four sides (a thin one is already a line)."""
    if x1 - x0 < 1.0 or y1 - y0 < 1.0:
        return [Rule(page, x0, y0, x1, y1)]
    return [Rule(page, x0, y0, x1, y0), Rule(page, x0, y1, x1, y1),
            Rule(page, x0, y0, x0, y1), Rule(page, x1, y0, x1, y1)]


class Sheet:
    """The 新旧対照表 PDF as pdfminer sees it: glyphs, rules, underlines and the two columns."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.glyphs: list[Glyph] = []
        self.rules: list[Rule] = []
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        self.page_sizes = []
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data))):
            interpreter.process_page(page)
            layout = device.get_result()
            self.page_sizes.append((layout.width, layout.height))
            for item in _walk(layout):
                if isinstance(item, LTChar):
                    self.glyphs.append(Glyph(number, item.get_text(), *item.bbox, item.fontname))
                elif isinstance(item, LTCurve):
                    self.rules += _edges(number, *item.bbox)
        lines = [r for r in self.rules if r.horizontal]
        self.underlines = [r for r in lines if self._under(r)]
        self.table_rules = [r for r in self.rules if r not in self.underlines]
        table = [r for r in self.table_rules if r.horizontal]
        #: the table's left and right edge on each page (pages may be mirrored)
        self.edges = {
            page: (min(r.x0 for r in table if r.page == page), max(r.x1 for r in table if r.page == page))
            for page in {r.page for r in table}
        }
        header = self.line_text(self._header_line())
        assert header in ("改正後改正前", "改正前改正後"), header
        self.new_is_left = header.startswith("改正後")

    # -- geometry --------------------------------------------------------------------------------
    def _above(self, rule: Rule) -> list[Glyph]:
        """The glyphs standing on ``rule``: bottom within 1 pt of it, centre within its length."""
        return [g for g in self.glyphs if g.page == rule.page and abs(g.y0 - rule.y0) <= 1.0
                and rule.x0 - 0.5 <= g.cx <= rule.x1 + 0.5 and not g.text.isspace()]

    def _under(self, rule: Rule) -> bool:
        return bool(self._above(rule))

    def _header_line(self) -> list[Glyph]:
        first = [g for g in self.glyphs if g.page == 0 and self.edges[0][0] <= g.x0]
        top = max(g.y0 for g in first if g.y1 < max(r.y1 for r in self.table_rules if r.page == 0) + 0.5)
        return sorted((g for g in first if abs(g.y0 - top) < 0.5), key=lambda g: g.x0)

    @staticmethod
    def line_text(glyphs: list[Glyph]) -> str:
        return "".join(g.text for g in glyphs)

    # -- columns ---------------------------------------------------------------------------------
    def side_is_left(self, side: str) -> bool:
        return self.new_is_left == (side == "new")

    def in_table(self, glyph: Glyph) -> bool:
        """Inside the table, below its header row (repeated on every page)."""
        rows = sorted({round(r.y0, 1) for r in self.table_rules if r.page == glyph.page and r.horizontal}, reverse=True)
        left, right = self.edges.get(glyph.page, (0.0, 0.0))
        return len(rows) > 1 and glyph.y1 < rows[1] and left <= glyph.x0 and glyph.x1 <= right

    def middle(self, page: int) -> float:
        """x of the rule between the two columns."""
        return sum(self.edges[page]) / 2

    def on_left(self, glyph: Glyph) -> bool:
        return glyph.cx < self.middle(glyph.page)

    def column(self, side: str) -> list[Glyph]:
        """The glyphs of one side's column in reading order (page, line, x); spanning caption rows
        start in the left column and so count there."""
        left = self.side_is_left(side)
        chosen = [g for g in self.glyphs if self.in_table(g) and self.on_left(g) == left]
        return sorted(chosen, key=lambda g: (g.page, -round(g.y0, 1), g.x0))

    def table_rows(self) -> list[str]:
        """The text of every table row (between two row rules), both columns, top to bottom."""
        rows: list[str] = []
        for page in range(len(self.page_sizes)):
            ys = sorted({round(r.y0, 1) for r in self.table_rules if r.page == page and r.horizontal}, reverse=True)
            for top, bottom in zip(ys[1:], ys[2:]):
                inside = [g for g in self.glyphs if g.page == page and bottom < g.y0 < top and self.in_table(g)]
                rows.append("".join(g.text for g in sorted(inside, key=lambda g: (-round(g.y0, 1), g.x0))))
        return rows

    def column_text(self, side: str) -> str:
        return "".join(g.text for g in self.column(side) if not g.text.isspace())

    def underline_of(self, glyph: Glyph) -> Rule | None:
        return next((u for u in self.underlines if u.page == glyph.page and abs(glyph.y0 - u.y0) <= 1.0
                     and u.x0 - 0.5 <= glyph.cx <= u.x1 + 0.5), None)

    def underlined_runs(self, side: str) -> list[str]:
        """Underlined glyphs of a column, in reading order, as runs (phrases). A run goes on under
        the same underline, and over a line break when it is a wrap: the line before ends within
        3 em of the column's edge, and the next line follows one leading lower (or on the next
        page). A glyph without underline, a new underline on the same line (a number, then its
        name) or a new paragraph ends it."""
        glyphs = self.column(side)
        runs: list[str] = []
        previous: tuple[Glyph, Rule] | None = None
        for index, glyph in enumerate(glyphs):
            rule = self.underline_of(glyph)
            if rule is None:
                previous = None
                continue
            continues = False
            if previous is not None:
                before, before_rule = previous
                same_line = before.page == glyph.page and abs(before.y0 - glyph.y0) < 0.5
                first_on_line = index == 0 or glyphs[index - 1] is before and not same_line
                edge = self.middle(before.page) if self.side_is_left(side) else self.edges[before.page][1]
                wrapped = before.x1 >= edge - 3 * THEME.table_size and first_on_line and (
                    before.page != glyph.page or abs(before.y0 - glyph.y0 - THEME.table_leading) < 0.5)
                continues = (same_line and before_rule == rule) or wrapped
            if continues:
                runs[-1] += glyph.text
            else:
                runs.append(glyph.text)
            previous = (glyph, rule)
        return runs

    def rows_of_omitted(self, side: str) -> int:
        return self.column_text(side).count(OMITTED)


@pytest.fixture(scope="module")
def sheets(comparisons: dict[str, Comparison]) -> dict[str, Sheet]:
    return {name: Sheet(render(c)) for name, c in comparisons.items()}


NEW_RUNS = {
    "reworded": ["公共施設の相互利用の推進"],
    "inserted": ["(5)", INSERTED.name, INSERTED.content, INSERTED.hub_role, INSERTED.partner_role]
    + [f"({n})" for n in range(6, 14)],
    "removed-section": [],
    "mayor": ["試験太郎"],
}
OLD_RUNS = {
    "reworded": ["共同利用の推進等の公共施設の有効利用"],
    "inserted": [f"({n})" for n in range(5, 13)],
    "removed-section": ["3", "圏域マネジメント能力の強化に係る政策分野", "(1)", "職員の育成",
                        "圏域マネジメント能力の高い職員を育成するため、職員の資質及び公務能力の向上に取り組む。",
                        "乙と連携して職員の資質及び公務能力の向上に取り組むとともに、圏域市町村全体の調整を行う。",
                        "甲と連携して職員の資質及び公務能力の向上に取り組む。"],
    "mayor": ["藤木正"],
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_underlined_words_per_column(sheets: dict[str, Sheet], scenario: str) -> None:
    sheet = sheets[scenario]
    assert sheet.new_is_left, "改正後 is the left column by default"
    assert sheet.underlined_runs("new") == NEW_RUNS[scenario]
    assert sheet.underlined_runs("old") == OLD_RUNS[scenario]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_underline_spans_exactly_its_characters(sheets: dict[str, Sheet], scenario: str) -> None:
    sheet = sheets[scenario]
    for rule in sheet.underlines:
        glyphs = sheet._above(rule)
        assert rule.x0 == pytest.approx(min(g.x0 for g in glyphs), abs=0.3)
        assert rule.x1 == pytest.approx(max(g.x1 for g in glyphs), abs=0.3)
        assert rule.y0 == pytest.approx(glyphs[0].y0 , abs=0.3)  # at the em box's foot, ~0.12 em under the baseline


def test_swapped_columns_put_the_new_text_on_the_right(comparisons: dict[str, Comparison]) -> None:
    sheet = Sheet(render(comparisons["reworded"], new_on_left=False))
    assert not sheet.new_is_left
    new_glyphs = [g for g in sheet.column("new") if sheet.underline_of(g)]
    assert new_glyphs and not any(sheet.on_left(g) for g in new_glyphs)
    assert sheet.underlined_runs("new") == NEW_RUNS["reworded"]
    assert sheet.underlined_runs("old") == OLD_RUNS["reworded"]


def _area_names(agreement: Agreement) -> list[str]:
    return [a.name for s in agreement.schedules for a in s.all_areas()]


EXPECTED_OMITTED = {
    # 別表第1, 第2 whole; 別表第3 表題; areas (1)-(4); (6)-(12) with sections 2 and 3
    "reworded": 5,
    # as above, areas (6)… now each renumbered (their texts （略）), then sections 2 and 3
    "inserted": 4 + 8 + 1,
    # 別表第1, 第2, 別表第3 表題 with sections 1 and 2 (one run)
    "removed-section": 3,
    # 本文 before the parties and 甲; 別表第1–第3
    "mayor": 4,
}


#: The areas whose names a side shows; every other area is inside a （略）.
SHOWN_AREAS = {
    "reworded": {"new": {"公共施設の有効利用"}, "old": {"公共施設の有効利用"}},
    "inserted": {"new": set(RENUMBERED) | {INSERTED.name}, "old": set(RENUMBERED)},
    "removed-section": {"new": set(), "old": {"職員の育成"}},
    "mayor": {"new": set(), "old": set()},
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_unchanged_areas_are_collapsed(
    sheets: dict[str, Sheet], old: Agreement, corrected: dict[str, Agreement], scenario: str
) -> None:
    sheet = sheets[scenario]
    for side, agreement in (("new", corrected[scenario]), ("old", old)):
        text = sheet.column_text(side)
        assert sheet.rows_of_omitted(side) == EXPECTED_OMITTED[scenario]
    rows = sheet.table_rows()
    assert rows.count(OMITTED * 2) >= 3
    assert all(not (a == b == OMITTED * 2) for a, b in zip(rows, rows[1:])), "collapsed rows are merged"
    for side, agreement in (("new", corrected[scenario]), ("old", old)):
        text = sheet.column_text(side)
        shown = {name for name in _area_names(agreement) if name in text}
        assert shown == SHOWN_AREAS[scenario][side]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_texts_extract_whole_in_their_column(
    sheets: dict[str, Sheet], comparisons: dict[str, Comparison], scenario: str
) -> None:
    sheet = sheets[scenario]
    new_text, old_text = sheet.column_text("new"), sheet.column_text("old")
    schedule = comparisons[scenario].schedules[2]
    for section in schedule.sections:
        for area in section.areas:
            if area.kind in (ChangeKind.CHANGED, ChangeKind.ADDED):
                for change in area.texts:
                    assert change.new in new_text
            if area.kind in (ChangeKind.CHANGED, ChangeKind.REMOVED):
                for change in area.texts:
                    assert change.old in old_text
    for party in comparisons[scenario].parties:
        if party.kind is ChangeKind.CHANGED:
            assert party.text("name").new in new_text and party.text("name").old in old_text
    assert "".join(g.text for g in sheet.glyphs if g.page == 0).startswith(TITLE + "新旧対照表改正後改正前")


#: JLReq marks whose em box holds empty space (アキ) that 約物の詰め may take: the next glyph may stand
#: in it, so em boxes of a squeezed pair overlap by up to that much without the glyphs touching.
AKI_AFTER = set("」』）〕】、，。．")
AKI_BEFORE = set("「『（〔【")
MIDDLE_DOTS = set("・：；")  # a quarter em each side


def squeezable(a: str, b: str, em: float) -> float:
    """How far the em boxes of neighbours ``a`` and ``b`` may overlap without their inks touching."""
    return em / 2 * ((a in AKI_AFTER) + (b in AKI_BEFORE)) + em / 4 * ((a in MIDDLE_DOTS) + (b in MIDDLE_DOTS))


#: What opens a policy area's continuation on a new page: its number and name, then （続き）.
CONTINUATION = re.compile(r"\(\d+\)[^()（）]*（続き）")


def without_continuations(text: str) -> str:
    """A column's text without the continuation markers and the row labels (repeated where a row's
    text goes on on a new page), so a text split over pages reads whole."""
    return re.sub("|".join(ROW_LABELS), "", CONTINUATION.sub("", text))


def layout_problems(sheet: Sheet, margin: float = 15 * MM) -> list[str]:
    """Glyphs off the page (or inside the 15 mm edge), across a table rule, or on top of each other."""
    problems = []
    for g in sheet.glyphs:
        width, height = sheet.page_sizes[g.page]
        if g.x0 < margin or g.x1 > width - margin or g.y0 < margin or g.y1 > height - margin:
            problems.append(f"{g.text!r} on page {g.page + 1} is off the page")
        for r in sheet.table_rules:
            if r.page != g.page:
                continue
            if r.vertical and g.x0 + 0.3 < r.x0 < g.x1 - 0.3 and g.y0 < r.y1 and g.y1 > r.y0:
                problems.append(f"{g.text!r} on page {g.page + 1} crosses a column rule")
            if r.horizontal and g.y0 + 0.3 < r.y0 < g.y1 - 0.3 and g.x0 < r.x1 and g.x1 > r.x0:
                problems.append(f"{g.text!r} on page {g.page + 1} crosses a row rule")
    by_line: dict[tuple[int, float], list[Glyph]] = {}
    for g in sheet.glyphs:
        by_line.setdefault((g.page, round(g.y0, 1)), []).append(g)
    for line in by_line.values():
        line.sort(key=lambda g: g.x0)
        for a, b in zip(line, line[1:]):
            if b.x0 < a.x1 - 0.3 - squeezable(a.text, b.text, a.x1 - a.x0):
                problems.append(f"{a.text!r} and {b.text!r} overlap on page {a.page + 1}")
    return problems


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_text_leaves_the_page_or_its_column(sheets: dict[str, Sheet], scenario: str) -> None:
    assert layout_problems(sheets[scenario]) == []


def test_layout_checker_can_fail(sheets: dict[str, Sheet]) -> None:
    sheet = sheets["reworded"]
    g = sheet.glyphs[-1]
    middle = sheet.middle(g.page)
    moved = Glyph(g.page, g.text, middle - 3, g.y0, middle + 7.5, g.y1, g.font)
    sheet_copy = object.__new__(Sheet)
    sheet_copy.__dict__.update(sheet.__dict__, glyphs=sheet.glyphs + [moved])
    assert any("crosses a column rule" in p for p in layout_problems(sheet_copy))


def test_every_glyph_is_in_the_embedded_mincho_and_no_helvetica(sheets: dict[str, Sheet]) -> None:
    for sheet in sheets.values():
        assert {g.font.split("+")[-1] for g in sheet.glyphs} == {"BIZUDMincho-Regular"}
        assert b"Helvetica" not in sheet.data


def test_same_input_same_bytes(comparisons: dict[str, Comparison]) -> None:
    assert render(comparisons["mayor"]) == render(comparisons["mayor"])


def test_show_all_shows_every_area_and_splits_rows_across_pages(
    comparisons: dict[str, Comparison], corrected: dict[str, Agreement]
) -> None:
    sheet = Sheet(render(comparisons["reworded"], show_all=True))
    new_text = without_continuations(sheet.column_text("new"))
    assert OMITTED not in new_text
    position = 0
    for schedule in corrected["reworded"].schedules:
        for area in schedule.all_areas():
            for text in (area.name, area.content, area.hub_role, area.partner_role):
                found = new_text.find(text, position)
                assert found >= 0, text
                position = found + len(text)
    assert sheet.underlined_runs("new") == NEW_RUNS["reworded"]
    assert len(sheet.page_sizes) > 2
    assert layout_problems(sheet) == []
    headers = [g for g in sheet.glyphs if g.text == "後"]
    assert {g.page for g in headers} == set(range(len(sheet.page_sizes))), "the header row repeats on every page"


def test_an_area_taller_than_a_page_splits_between_lines(old: Agreement) -> None:
    """A row taller than a page: no LayoutError, every character in its column, the underline
    following the text over the page break."""
    areas = old.schedules[2].sections[0].areas
    long_content = "".join(f"第{i}項の事業として、圏域市町村が連携して地域の課題の解決に取り組む。" for i in range(1, 41))
    base = _with_section_areas(old, (replace(areas[0], content=long_content),) + areas[1:])
    grown = replace(areas[0], content=long_content + "以上の取組を推進する。")
    sheet = Sheet(render(compare(base, _with_section_areas(old, (grown,) + areas[1:]))))
    assert len(sheet.page_sizes) >= 3
    assert sheet.underlined_runs("new") == ["以上の取組を推進する。"] and sheet.underlined_runs("old") == []
    assert grown.content in without_continuations(sheet.column_text("new"))
    assert long_content in without_continuations(sheet.column_text("old"))
    # every page the area continues on opens with its number and name, then （続き）
    continued_on = {g.page for g in sheet.column("new") if g.text == "項"} - {min(g.page for g in sheet.column("new") if g.text == "項")}
    markers = sheet.column_text("new").count(f"(1){grown.name}（続き）")
    assert len(sheet.page_sizes) - 1 >= markers >= len(continued_on) >= 2
    # the long 取組内容 goes on under its label on each new page
    assert sheet.column_text("new").count("取組内容") == 1 + len(continued_on)
    assert layout_problems(sheet) == []
    # a long text changed at its start: the whole text on both sides, split over pages alike
    changed = replace(areas[0], content="前文の" + long_content[1:])
    sheet = Sheet(render(compare(base, _with_section_areas(old, (changed,) + areas[1:]))))
    assert sheet.underlined_runs("new") == ["前文の"] and sheet.underlined_runs("old") == ["第"]
    pages = {g.page for g in sheet.column("new") if g.text == "項"}
    assert len(pages) >= 2, "the long text runs over pages"
    assert layout_problems(sheet) == []


def test_collapsed_section_and_removed_section_rows(comparisons: dict[str, Comparison]) -> None:
    """The removed section's heading and area stand on the 改正前 side only, the 改正後 side empty."""
    sheet = Sheet(render(comparisons["removed-section"]))
    assert "職員の育成" not in sheet.column_text("new")
    assert "職員の育成" in sheet.column_text("old")
    heading = [g for g in sheet.glyphs if g.text == "圏" and sheet.underline_of(g)]
    assert heading and all(sheet.on_left(g) != sheet.new_is_left for g in heading)


def test_added_schedule_and_paragraph_stand_whole_on_the_new_side(old: Agreement) -> None:
    """A schedule added at the end and a paragraph added to the recital: shown whole on the new side."""
    extra = replace(old.schedules[0], basis="第3条第4号", title="新しい政策分野", areas=(INSERTED,))
    paragraph = "附則として、この協約は締結の日から効力を生ずる。"
    new = replace(old, schedules=old.schedules + (extra,), recital=old.recital + (paragraph,))
    comparison = compare(old, new)
    assert summary_lines(comparison) == [
        "本文第3段落: 追加",
        "別表第4 新しい政策分野: 追加",
        "別表第4 (1) 脱炭素社会の推進: 追加",
    ]
    sheet = Sheet(render(comparison))
    runs = sheet.underlined_runs("new")
    assert paragraph in runs and "別表第4（第3条第4号関係）" in runs
    assert sheet.underlined_runs("old") == []
    assert layout_problems(sheet) == []


def test_areas_in_sections_carry_the_section_number(old: Agreement) -> None:
    """Area numbers restart in every section, so a section prefix tells (1) of 1 from (1) of 3."""
    schedule = old.schedules[2]
    last = schedule.sections[2]
    changed = replace(last, areas=(replace(last.areas[0], partner_role="甲と連携して職員の資質の向上に取り組む。"),))
    new = replace(old, schedules=old.schedules[:2] + (replace(schedule, sections=schedule.sections[:2] + (changed,)),))
    assert summary_lines(compare(old, new)) == [
        "別表第3 3 (1) 職員の育成 乙の役割: 「資質及び公務能力」→「資質」",
    ]


# =============================================================================================
# A 締結: articles (第N条) compared too
# =============================================================================================

TEIKETSU = "common/kumamoto-teiketsu-r7.yaml"
REPORT_TEXT = "乙は、毎年度、第3条に規定する取組の実施状況を甲に報告するものとする。"


def _teiketsu(folder: Path) -> Path:
    edit(folder, AGREEMENT, "kind: 変更", "kind: 締結")
    edit(folder, AGREEMENT, "common: common/kumamoto-henko-r7.yaml", f"common: {TEIKETSU}")
    return folder / AGREEMENT


def test_articles_of_a_conclusion_are_compared(tmp_path: Path) -> None:
    old = load_agreement(_teiketsu(data_copy(tmp_path / "old"))).agreement
    folder = data_copy(tmp_path / "new")
    edit(folder, TEIKETSU, "甲及び乙が協議して別に定める。", "甲及び乙が協議して定める。")
    edit(folder, TEIKETSU, "  - caption: 連絡会議\n", f"  - caption: 報告\n    text: {REPORT_TEXT}\n  - caption: 連絡会議\n")
    new = load_agreement(_teiketsu(folder)).agreement
    comparison = compare(old, new)
    assert summary_lines(comparison) == [
        "第4条: 「別に」→「」",
        "第5条（報告）: 追加",
        "第5条→第6条（連絡会議）: 番号のみ",
    ]
    sheet = Sheet(render(comparison))
    assert sheet.underlined_runs("new") == ["報告", "第5条", REPORT_TEXT, "第6条"]
    assert sheet.underlined_runs("old") == ["別に", "第5条"]
    assert "前条に規定する取組に係る事務を処理するために要する経費については、甲及び乙が協議して定める。" in sheet.column_text("new")
    assert "目的" not in sheet.column_text("new") and OMITTED in sheet.column_text("new")
    assert layout_problems(sheet) == []


def test_diff_command_exit_status_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Like diff: 0 when nothing changed, 1 when something did, 2 for bad input; the PDF is written."""
    from kyoyaku_pdf.cli.main import main

    data = data_copy(tmp_path)
    same = tmp_path / "same.pdf"
    assert main(["diff", str(DATA / AGREEMENT), str(data / AGREEMENT), "-o", str(same)]) == 0
    assert capsys.readouterr().out == "" and same.read_bytes().startswith(b"%PDF")
    edit(data, AGREEMENT, "name: 藤木正", "name: 試験太郎")
    assert main(["diff", str(DATA / AGREEMENT), str(data / AGREEMENT), "-o", str(tmp_path / "d.pdf")]) == 1
    assert capsys.readouterr().out == "乙 氏名: 「藤木正」→「試験太郎」\n"
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 2025-13-01")
    assert main(["diff", str(DATA / AGREEMENT), str(data / AGREEMENT), "-o", str(tmp_path / "e.pdf")]) == 2
    assert "2025-13-01" in capsys.readouterr().err and not (tmp_path / "e.pdf").exists()
