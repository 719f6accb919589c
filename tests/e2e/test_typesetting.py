"""End to end: the JLReq typesetting and the layout defects of issue 12, read back from the PDFs.

Every kind of output is built with the real command from a copy of data/ (plus a few edits), then
read only by libraries that did not write it: pdfminer.six (each character's box, in drawing order)
and poppler's pdftotext (-raw and -bbox). Characters are grouped into the lines a reader sees: the
same baseline, split where the space between two inks is wider than 0.75 em (a table rule between
two cells); the widest the typesetting itself makes is the 和欧間 expanded to half an em.

What is checked: punctuation squeezed only on lines that needed it; no paragraph ends on a line
carrying only the end of a sentence; 1.5 em for consecutive marks; a quarter em at kanji–digit
boundaries; 0 禁則 violations; 乙's name on its office's baseline for a long 「…郡…」 address; every
新旧対照表 page opening with an area name or （続き）; page numbers where they belong and nowhere
else; the gaps never read as spaces except the 和欧間 (and not at all without it); same bytes twice.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer, LTCurve

from kyoyaku_pdf.cli.main import main

REPO = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
#: A number or role label stands this far (half an em) before its text: a separation, not spacing.
LABEL_GAP = 0.45
#: Full-width marks whose em box holds half an em of アキ after (closing) or before (opening) the ink.
CLOSING = set("」』）〕】、，。．")
OPENING = set("「『（〔【")
NO_LINE_START = set("、。，．）」』】〕・ゝ々ー" "ぁぃぅぇぉっゃゅょ" "ァィゥェォッャュョ")
NO_LINE_END = set("（「『【〔")
CELL_GAP = 0.75  # em: a wider gap between two characters on one baseline separates two cells
LONG_ADDRESS = "熊本県上益城郡御船町大字御船995番地1"


def japanese(ch: str) -> bool:
    o = ord(ch)
    return (0x3041 <= o <= 0x30FF and ch != "・") or 0x4E00 <= o <= 0x9FFF


def western(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    size: float

    @property
    def ink_right(self) -> float:
        """Where the ink ends: a closing mark's right half is empty."""
        return self.x1 - self.size / 2 if self.text in CLOSING else self.x1


@dataclass(frozen=True)
class VisualLine:
    page: int
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def y(self) -> float:
        return self.glyphs[0].y0


def _flat(container):  # type: ignore[no-untyped-def]
    for item in container:
        yield item
        if isinstance(item, LTContainer):
            yield from _flat(item)


@dataclass
class Pdf:
    path: Path

    @cached_property
    def pages(self) -> list[tuple[list[Glyph], list[tuple[float, float, float, float]]]]:
        out = []
        for page in extract_pages(self.path):
            items = list(_flat(page))
            glyphs = [Glyph(o.get_text(), o.x0, o.x1, round(o.y0, 2), o.size) for o in items if isinstance(o, LTChar)]
            shapes = [o.bbox for o in items if isinstance(o, LTCurve)]
            out.append((glyphs, shapes))
        return out

    @cached_property
    def lines(self) -> list[VisualLine]:
        out = []
        for number, (glyphs, _) in enumerate(self.pages, start=1):
            rows: dict[float, list[Glyph]] = {}
            for g in glyphs:
                rows.setdefault(g.y0, []).append(g)
            for _, row in sorted(rows.items(), reverse=True):
                row.sort(key=lambda g: g.x0)
                segment = [row[0]]
                for a, b in zip(row, row[1:]):
                    if b.x0 - a.ink_right > CELL_GAP * a.size:
                        out.append(VisualLine(number, tuple(segment)))
                        segment = []
                    segment.append(b)
                out.append(VisualLine(number, tuple(segment)))
        return out

    def page_lines(self, page: int) -> list[VisualLine]:
        return [line for line in self.lines if line.page == page]


# =============================================================================================
# Builds
# =============================================================================================


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"expected {old!r} in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _partner(data: Path, name: str, *edits: tuple[str, str]) -> Path:
    """A partner file made from the bundled one with a new id and the given edits."""
    path = data / f"{name}.yaml"
    shutil.copy(data / "mifune-henko-r7.yaml", path)
    _edit(path, "id: kumamoto-mifune-henko-r7", f"id: {name}")
    for old, new in edits:
        _edit(path, old, new)
    return path


@dataclass
class Outputs:
    root: Path

    def pdf(self, relative: str) -> Pdf:
        path = self.root / relative
        assert path.is_file(), f"expected {path} to be written"
        return Pdf(path)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    root = tmp_path_factory.mktemp("typeset")
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    # a 締結 whose 別表 text holds consecutive marks of every kind
    _edit(data / "common" / "beppyo-r7.yaml", "ICTを活用した効果的な", "（「ICT」）、「ICT」を活用した効果的な")
    teiketsu = _partner(data, "typeset-teiketsu", ("kind: 変更", "kind: 締結"), ("kumamoto-henko-r7.yaml", "kumamoto-teiketsu-r7.yaml"))
    long_address = _partner(data, "typeset-long-address", ("address: 御船町大字御船995番地1", f"address: {LONG_ADDRESS}"))
    plain = _partner(data, "typeset-plain", ("  name: 藤木正\n", "  name: 藤木正\nprint:\n  latin_spacing: false\n"))
    numbered = _partner(data, "typeset-numbered", ("  name: 藤木正\n", "  name: 藤木正\nprint:\n  page_numbers: true\n"))
    bundled = data / "mifune-henko-r7.yaml"
    # the corrected version for the 新旧対照表: one phrase of a 別表 changed
    new = data.parent / "new"
    shutil.copytree(data, new)
    _edit(new / "common" / "beppyo-r7.yaml", "熊本港の利用促進に取り組む。", "熊本港の利用推進に取り組む。")
    out = root / "out"
    for agreement in (bundled, teiketsu, long_address, plain, numbered):
        assert main(["build", "-o", str(out), str(agreement)]) == 0
    assert main(["notice", str(bundled), "-o", str(out)]) == 0
    assert main(["diff", str(bundled), str(new / bundled.name), "--all", "-o", str(out / "shinkyu-all.pdf")]) == 1
    assert main(["diff", str(bundled), str(new / bundled.name), "--all", "-o", str(out / "shinkyu-again.pdf")]) == 1
    return Outputs(out)


SIGNING = "kumamoto-mifune-henko-r7/kumamoto-mifune-henko-r7.pdf"
KOKUJI = "kumamoto-mifune-henko-r7/notices/kumamoto-mifune-henko-r7-kokuji-partner.pdf"
TODOKEDE = "kumamoto-mifune-henko-r7/notices/kumamoto-mifune-henko-r7-todokede-partner.pdf"
TEIKETSU = "typeset-teiketsu/typeset-teiketsu.pdf"
SHINKYU = "shinkyu-all.pdf"
ALL = (SIGNING, KOKUJI, TODOKEDE, TEIKETSU, SHINKYU, "typeset-long-address/typeset-long-address.pdf")


# =============================================================================================
# Checkers (plain functions of what was read, so the self-tests below can prove they fail)
# =============================================================================================


def squeezed_marks(line: VisualLine) -> list[int]:
    """Indices of marks whose アキ the line gave up for line adjustment (not 約物の詰め between two
    marks, which is always made): the next glyph starts less than an em after a closing mark, or an
    opening mark starts less than an em after the glyph before it."""
    out = []
    g = line.glyphs
    for i, (a, b) in enumerate(zip(g, g[1:])):
        if a.text in CLOSING and b.text not in CLOSING | OPENING and b.x0 - a.x0 < 0.95 * a.size:
            out.append(i)
        if b.text in OPENING and a.text not in CLOSING | OPENING and b.x0 < a.x1 - 0.45 * b.size:
            out.append(i + 1)
    return out


def column_edge(line: VisualLine, lines: list[VisualLine]) -> float:
    """The right edge of the text in ``line``'s column: where the ink of most lines of its page that
    share some of its horizontal extent ends (justified lines all end there; the widest is taken of
    the edges that tie)."""
    ends = Counter(round(o.glyphs[-1].ink_right, 1) for o in lines
                   if o.page == line.page and o.x0 < line.x1 and o.x1 > line.x0)
    most = max(ends.values())
    return max(edge for edge, count in ends.items() if count == most)


def kinsoku_problems(lines: list[VisualLine]) -> list[str]:
    out = []
    for line in lines:
        text = line.text.strip()
        if text and text[0] in NO_LINE_START:
            out.append(f"page {line.page}: line begins with {text[0]!r}: {text!r}")
        if text and text[-1] in NO_LINE_END:
            out.append(f"page {line.page}: line ends with {text[-1]!r}: {text!r}")
    return out


def short_sentence_ends(lines: list[VisualLine]) -> list[str]:
    """Lines that carry only the end of a sentence: three characters or fewer, ending in 。."""
    return [f"page {l.page}: {l.text!r}" for l in lines if l.text.endswith("。") and len(l.glyphs) <= 3]


def mark_pair_spans(lines: list[VisualLine]) -> list[tuple[str, float]]:
    """(pair, em) from the first mark's box start to the second's box end, for consecutive marks."""
    out = []
    for line in lines:
        for a, b in zip(line.glyphs, line.glyphs[1:]):
            if a.text in CLOSING | OPENING and b.text in CLOSING | OPENING:
                out.append((a.text + b.text, (b.x1 - a.x0) / a.size))
    return out


def latin_gaps(lines: list[VisualLine]) -> list[tuple[str, float]]:
    """(pair, em) of the space between a kana/kanji and a Latin letter or digit next to it (not a
    sub-heading's number before its title: a label, half an em off)."""
    out = []
    for line in lines:
        for i, (a, b) in enumerate(zip(line.glyphs, line.glyphs[1:])):
            if i == 0 and a.text.isdigit() and b.x0 - a.x1 >= LABEL_GAP * b.size:
                continue
            if (western(a.text) and japanese(b.text)) or (japanese(a.text) and western(b.text)):
                out.append((a.text + b.text, (b.x0 - a.x1) / max(a.size, b.size)))
    return out


def page_number_of(lines: list[VisualLine], page: int) -> str | None:
    """The 「- N -」 at the foot of ``page`` (below the 25 mm bottom margin), if any."""
    foot = [l.text for l in lines if l.page == page and l.y < 25 * MM]
    found = [t for t in foot if re.fullmatch(r"- \d+ -", t)]
    assert len(found) <= 1 and len(foot) == len(found), f"page {page}: unexpected text at the foot: {foot}"
    return found[0] if found else None


# =============================================================================================
# The line adjustment
# =============================================================================================


@pytest.mark.parametrize("relative", [SIGNING, TEIKETSU, SHINKYU])
def test_punctuation_is_squeezed_and_only_on_lines_that_needed_it(outputs: Outputs, relative: str) -> None:
    pdf = outputs.pdf(relative)
    squeezed = [line for line in pdf.lines if squeezed_marks(line)]
    assert squeezed, "expected some line to have kept a unit by squeezing its punctuation"
    # a full line's last box reaches the column edge (a line-end mark's box may pass it: its アキ went)
    loose = [f"page {l.page}: {l.text!r} ends at {l.x1:.1f}, the column at {column_edge(l, pdf.lines):.1f}"
             for l in squeezed if l.x1 < column_edge(l, pdf.lines) - 0.05 * l.glyphs[-1].size]
    assert loose == [], "a line gave up punctuation space without being full:\n" + "\n".join(loose)


@pytest.mark.parametrize("relative", [SIGNING, KOKUJI, TEIKETSU])
def test_no_paragraph_ends_on_a_line_with_only_the_end_of_a_sentence(outputs: Outputs, relative: str) -> None:
    assert short_sentence_ends(outputs.pdf(relative).lines) == []


def test_the_comparison_table_has_few_lines_with_only_the_end_of_a_sentence(outputs: Outputs) -> None:
    """Its columns are 16 characters wide: only one character may come down with 「む。」 before the
    line above spreads more than 0.09 em a gap, so some remain (54 before this change, 24 now)."""
    lines = outputs.pdf(SHINKYU).lines
    assert len(short_sentence_ends(lines)) <= 0.05 * len(lines)


@pytest.mark.parametrize("relative", ALL)
def test_no_line_breaks_against_kinsoku(outputs: Outputs, relative: str) -> None:
    assert kinsoku_problems(outputs.pdf(relative).lines) == []


def test_consecutive_marks_take_one_and_a_half_em(outputs: Outputs) -> None:
    spans = mark_pair_spans(outputs.pdf(TEIKETSU).lines)
    pairs = {pair for pair, _ in spans}
    assert {"。）", "（「", "」）", "）、"} <= pairs, pairs
    # squeezing may take more, justification add its 0.09 em at most (a break place between two marks)
    assert all(1.0 - 1e-3 <= span <= 1.5 + 0.09 for _, span in spans), spans
    assert statistics.median(span for _, span in spans) == pytest.approx(1.5, abs=1e-3)


def test_a_quarter_em_between_kanji_and_digits(outputs: Outputs) -> None:
    pdf = outputs.pdf(SIGNING)
    date = next(line for line in pdf.lines if line.text == "令和7年3月24日")
    assert [round(gap, 3) for _, gap in latin_gaps([date])] == [0.25] * 6
    gaps = [gap for _, gap in latin_gaps(pdf.lines)]
    assert gaps and all(0.125 - 1e-3 <= gap <= 0.5 + 1e-3 for gap in gaps), sorted(gaps)[:5]
    assert statistics.median(gaps) == pytest.approx(0.25, abs=1e-3)


def test_latin_spacing_can_be_switched_off(outputs: Outputs) -> None:
    gaps = [gap for _, gap in latin_gaps(outputs.pdf("typeset-plain/typeset-plain.pdf").lines)]
    assert gaps and max(abs(g) for g in gaps) < 0.09


@pytest.mark.parametrize("relative", [SIGNING, SHINKYU])
def test_justification_spreads_at_most_0_09_em_a_gap(outputs: Outputs, relative: str) -> None:
    spread = [(b.x0 - a.x1) / a.size for line in outputs.pdf(relative).lines
              for a, b in zip(line.glyphs, line.glyphs[1:]) if japanese(a.text) and japanese(b.text)]
    labels = [gap for gap in spread if gap >= LABEL_GAP]  # 取組内容 and 甲 stand half an em before their text
    assert spread and max(gap for gap in spread if gap < LABEL_GAP) <= 0.09
    assert all(gap == pytest.approx(0.5, abs=1e-3) for gap in labels)


# =============================================================================================
# Extracted text: the gaps are no spaces
# =============================================================================================


def _pdftotext(path: Path, *args: str) -> str:
    tool = shutil.which("pdftotext")
    if not tool:
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run([tool, *args, str(path), "-"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def word_breaks(bbox_html: str) -> list[tuple[str, str, float]]:
    """From ``pdftotext -bbox``: (end of a word, start of the next, gap in em) for neighbouring words
    on one line nearer than a label's half em — the places poppler reads a space that is neither a cell
    gap nor the half em after a number or role label."""
    words = [(float(x0), float(y0), float(x1), float(y1), text)
             for x0, y0, x1, y1, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', bbox_html)]
    out = []
    for a, b in zip(words, words[1:]):
        size = a[3] - a[1]
        if abs(a[1] - b[1]) < 0.1 and 0 <= b[0] - a[2] < LABEL_GAP * size:
            out.append((a[4][-1], b[4][0], (b[0] - a[2]) / size))
    return out


@pytest.mark.parametrize("relative", [SIGNING, SHINKYU, KOKUJI])
def test_poppler_reads_a_space_only_at_the_latin_spacing(outputs: Outputs, relative: str) -> None:
    """Squeezing and justification never open a gap poppler reads as a space; the 四分アキ does (poppler
    and pdfminer infer a space from any gap over 0.1 em, whatever the operators: measured, see the
    report) — so the characters are exact and every space is at a kana/kanji–Latin boundary."""
    breaks = word_breaks(_pdftotext(outputs.pdf(relative).path, "-bbox"))
    stray = [b for b in breaks if not ((western(b[0]) and japanese(b[1])) or (japanese(b[0]) and western(b[1])))]
    assert stray == []


def test_without_latin_spacing_poppler_reads_no_space_at_all(outputs: Outputs) -> None:
    pdf = outputs.pdf("typeset-plain/typeset-plain.pdf")
    assert word_breaks(_pdftotext(pdf.path, "-bbox")) == []
    raw = _pdftotext(pdf.path, "-raw")
    assert "令和7年3月24日" in raw and "御船町大字御船995番地1" in raw


def test_the_characters_are_the_source_text_in_order(outputs: Outputs) -> None:
    raw = re.sub(r"\s", "", _pdftotext(outputs.pdf(SIGNING).path, "-raw"))
    for text in ("令和7年3月24日", "御船町大字御船995番地1", "熊本市中央区手取本町1番1号", "ICTを活用した広域的な情報発信"):
        assert text in raw
    drawn = "".join(g.text for g in outputs.pdf(SIGNING).pages[1][0])
    assert "この連携協約の締結を証するため、本連携協約書2通を作成し、甲及び乙が記名押印の上、それぞれ各1通を保有する。" in drawn


# =============================================================================================
# The defects
# =============================================================================================


def test_the_name_stands_on_its_office_baseline_with_a_long_address(outputs: Outputs) -> None:
    pdf = outputs.pdf("typeset-long-address/typeset-long-address.pdf")
    page = next(p for p in range(1, len(pdf.pages) + 1) if any("藤木正" in l.text for l in pdf.page_lines(p)))
    lines = pdf.page_lines(page)
    name = next(l for l in lines if l.text == "藤木正")
    office = next(l for l in lines if l.text == "御船町長")
    assert name.y == office.y, f"the name's baseline {name.y} differs from its office's {office.y}"
    role = next(l for l in lines if l.text == "乙")
    column = [l.text for l in lines if l.x0 == office.x0 and office.y <= l.y <= role.y]
    assert len(column) == 4 and "".join(column) == LONG_ADDRESS + "御船町" + "御船町長", column
    glyphs, shapes = pdf.pages[page - 1]
    seals = [s for s in shapes if 25 * MM <= s[2] - s[0] <= 35 * MM and 25 * MM <= s[3] - s[1] <= 35 * MM]
    seal = min(seals, key=lambda s: abs((s[1] + s[3]) / 2 - name.y))
    inside = [g.text for g in glyphs if g.x1 > seal[0] + 0.1 and g.x0 < seal[2] and g.y0 + g.size > seal[1] and g.y0 < seal[3]]
    assert inside == ["正"], f"the seal space {seal} should hold only the name's last character, holds {inside}"


def test_every_comparison_page_opens_with_an_area_name_or_its_continuation(outputs: Outputs) -> None:
    pdf = outputs.pdf(SHINKYU)
    assert len(pdf.pages) > 2
    for page in range(2, len(pdf.pages) + 1):
        texts = [l.text for l in pdf.page_lines(page)]
        header = texts.index("改正後")
        first = texts[header + 2]  # the line under the header row, left column
        # an area's number and name, its continuation, or a new part: a 別表 caption or a sub-heading
        opens = re.match(r"\(\d+\)", first) or "（続き）" in first or first.startswith("別表第") or re.match(r"\d+\D", first)
        assert opens, f"page {page} opens with {first!r}"
    assert sum("（続き）" in l.text for l in pdf.lines) >= 2


@pytest.mark.parametrize("relative", [KOKUJI, SHINKYU])
def test_multi_page_notices_and_tables_are_numbered_on_every_page(outputs: Outputs, relative: str) -> None:
    pdf = outputs.pdf(relative)
    assert len(pdf.pages) > 1
    for page in range(1, len(pdf.pages) + 1):
        assert page_number_of(pdf.lines, page) == f"- {page} -"
        number = next(l for l in pdf.page_lines(page) if l.text == f"- {page} -")
        body = [l for l in pdf.page_lines(page) if l.y >= 25 * MM]
        centre = (min(l.x0 for l in body) + max(l.x1 for l in body)) / 2
        assert abs((number.x0 + number.x1) / 2 - centre) < 12, "the number stands centred under the text"


def test_a_one_page_notification_and_the_signing_copies_carry_no_number(outputs: Outputs) -> None:
    todokede = outputs.pdf(TODOKEDE)
    assert len(todokede.pages) == 1 and page_number_of(todokede.lines, 1) is None
    signing = outputs.pdf(SIGNING)
    assert all(page_number_of(signing.lines, p) is None for p in range(1, len(signing.pages) + 1))


def test_page_numbers_on_the_signing_copies_when_asked(outputs: Outputs) -> None:
    """Each copy counts from the page after its cover; covers and the inserted blank page carry none."""
    pdf = outputs.pdf("typeset-numbered/typeset-numbered.pdf")
    numbers = [page_number_of(pdf.lines, p) for p in range(1, len(pdf.pages) + 1)]
    per_copy = (len(pdf.pages) - 1) // 2  # two copies, a blank page between them
    expected_copy = [None] + [f"- {n} -" for n in range(1, per_copy)]
    assert numbers == expected_copy + [None] + expected_copy


def test_comparison_rebuilds_byte_identically(outputs: Outputs) -> None:
    assert outputs.pdf(SHINKYU).path.read_bytes() == outputs.pdf("shinkyu-again.pdf").path.read_bytes()


# =============================================================================================
# The checkers can fail
# =============================================================================================


def _line(text: str, xs: list[float], size: float = 10.0, page: int = 1, y: float = 100.0) -> VisualLine:
    return VisualLine(page, tuple(Glyph(c, x, x + (size if ord(c) > 0x7F else size / 2), y, size) for c, x in zip(text, xs)))


def test_checkers_report_bad_lines() -> None:
    assert kinsoku_problems([_line("。あ", [0, 10])]) and kinsoku_problems([_line("あ「", [0, 10])])
    assert short_sentence_ends([_line("む。", [0, 10])])
    assert mark_pair_spans([_line("」。", [0, 10])]) == [("」。", 2.0)]
    assert latin_gaps([_line("和7", [0, 10])]) == [("和7", 0.0)]
    assert squeezed_marks(_line("あ、い", [0, 10, 15])) == [1] and squeezed_marks(_line("あ、い", [0, 10, 20])) == []
    full, short = _line("あ、いう", [0, 10, 15, 25]), _line("あいう", [0, 10, 20], y=80)
    assert column_edge(short, [full, full, short]) == 35 and short.x1 < 35  # a squeezed short line is caught
    html = '<word xMin="0" yMin="0" xMax="10" yMax="10">令和</word><word xMin="12" yMin="0" xMax="20" yMax="10">7</word>'
    assert word_breaks(html) == [("和", "7", 0.2)]
    with pytest.raises(AssertionError):
        page_number_of([_line("ああ", [0, 10], y=10)], 1)
