"""End to end: build the bundled agreement with the real command, then read the PDF back.

The PDF is read only by libraries that did not write it: pdfminer.six (text with positions,
drawn shapes), pikepdf (structure, content streams), fontTools (the embedded font programs) and
poppler's pdftotext/pdffonts/pdfinfo. The expectations are built from the YAML files themselves
(yaml.safe_load), never through kyoyaku_pdf code: the few things the program derives (the 令和
date, "(1)" numbers, the 別表 captions, placeholders) are rebuilt here by tiny local helpers.

The agreement is built once per session (plus a few builds that determinism and the checker's own
test need). Each checker is a plain function of simple values, so the self-tests at the end can
feed it bad input and prove it can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pikepdf
import pytest
import yaml
from fontTools.ttLib import TTFont
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTContainer, LTCurve, LTTextLine
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from kyoyaku_pdf.cli.main import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
AGREEMENT = DATA / "mifune-henko-r7.yaml"

MM = 72 / 25.4
A4 = (595.28, 841.89)
JST = dt.timezone(dt.timedelta(hours=9), "JST")
MIN_MARGIN = 15 * MM
SEAL_SIDE = (25 * MM, 35 * MM)

#: JLReq 行頭禁則 / 行末禁則 characters checked on the rendered lines.
NO_LINE_START = set("、。，．）」』】〕・ゝ々ー" "ぁぃぅぇぉっゃゅょ" "ァィゥェォッャュョ")
NO_LINE_END = set("（「『【〔")

#: Operators that put marks on a page (text, paths, painting, images, shadings, XObjects).
MARKING_OPS = {
    "Tj", "TJ", "'", '"',
    "m", "l", "c", "v", "y", "h", "re",
    "S", "s", "f", "F", "f*", "B", "B*", "b", "b*",
    "sh", "Do", "BI", "INLINE IMAGE",
}
STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}
#: Names a reader replaces by a standard-14 font when the font is not embedded.
STANDARD_14_LOOKALIKES = ("Helvetica", "Arial", "Times", "Courier", "Symbol", "ZapfDingbats")


# =============================================================================================
# Expectations, from the YAML alone
# =============================================================================================


@dataclass(frozen=True)
class AgreementData:
    agreement: dict
    common: dict
    book: dict

    @property
    def hub(self) -> dict:
        return self.common["hub"]

    @property
    def partner(self) -> dict:
        return self.agreement["partner"]

    @property
    def copies(self) -> int:
        return int(self.common["copies"])

    @property
    def date(self) -> dt.date:
        return self.agreement["date"]


def load_data(agreement_path: Path) -> AgreementData:
    """The three YAML files of an agreement, each path relative to the file that names it."""
    agreement = yaml.safe_load(agreement_path.read_text(encoding="utf-8"))
    common_path = agreement_path.parent / agreement["common"]
    common = yaml.safe_load(common_path.read_text(encoding="utf-8"))
    book = yaml.safe_load((common_path.parent / common["schedules"]).read_text(encoding="utf-8"))
    return AgreementData(agreement, common, book)


def reiwa(day: dt.date) -> str:
    """令和 date with half-width digits (令和元年 for 2019)."""
    assert day >= dt.date(2019, 5, 1), f"the local helper only knows 令和, got {day}"
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def fill(text: str, data: AgreementData) -> str:
    values = {"甲": data.hub["municipality"], "乙": data.partner["municipality"], "通数": str(data.copies)}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    assert "{" not in text and "}" not in text, f"unfilled placeholder left in {text!r}"
    return text


ROWS = (("取組内容", "content"), ("甲の役割", "hub_role"), ("乙の役割", "partner_role"))


def expected_units(data: AgreementData) -> list[tuple[str, str]]:
    """Every text unit of one copy, in reading order, as (where, text)."""
    c = data.common
    units: list[tuple[str, str]] = [(f"cover title line {i}", t) for i, t in enumerate(c["cover"]["title_lines"], 1)]
    units += [("cover 甲", data.hub["municipality"]), ("cover 乙", data.partner["municipality"])]
    units.append(("heading", fill(c["heading"], data)))
    units += [(f"recital {i}", fill(t, data)) for i, t in enumerate(c["recital"], 1)]
    units.append(("closing", fill(c["closing"], data)))
    units.append(("date", reiwa(data.date)))
    for role, party in (("甲", data.hub), ("乙", data.partner)):
        units.append((f"{role} role mark", role))
        units += [(f"{role} {key}", party[key]) for key in ("address", "municipality", "office", "name")]
    for n, schedule in enumerate(data.book["schedules"], 1):
        where = f"別表第{n}"
        units.append((f"{where} caption", f"別表第{n}（{schedule['basis']}関係）"))
        units.append((f"{where} title", schedule["title"]))
        units += _area_units(where, schedule.get("areas", []))
        for k, section in enumerate(schedule.get("sections", []), 1):
            units.append((f"{where} section {k} number", str(k)))
            units.append((f"{where} section {k} title", section["title"]))
            units += _area_units(f"{where} section {k}", section["areas"])
    return units


def _area_units(where: str, areas: list[dict]) -> list[tuple[str, str]]:
    units = []
    for n, area in enumerate(areas, 1):
        units.append((f"{where} ({n}) number", f"({n})"))
        units.append((f"{where} ({n}) name", area["name"]))
        for label, key in ROWS:
            units.append((f"{where} ({n}) {label} label", label))
            units.append((f"{where} ({n}) {label}", area[key]))
    return units


# =============================================================================================
# Checkers: plain functions of simple values, so that they can be tested on bad input too
# =============================================================================================

_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all white space: line breaks inside cells and paragraphs are layout, not text."""
    return _WS.sub("", text)


def expect_none(problems: list[str], title: str = "") -> None:
    """Fail with the first problems listed one per line (and no assertion-rewriting noise)."""
    if problems:
        more = f"\n… and {len(problems) - 12} more" if len(problems) > 12 else ""
        pytest.fail("\n".join(([title] if title else []) + problems[:12]) + more, pytrace=False)


def account_for(text: str, units: list[tuple[str, str]]) -> list[str]:
    """Consume ``text`` left to right with the units in order; return every problem found:
    a unit not found, text skipped before a unit, or text left over after the last unit."""
    text = squash(text)
    problems: list[str] = []
    pos = 0
    for where, unit in units:
        unit = squash(unit)
        found = text.find(unit, pos)
        if found < 0:
            problems.append(
                f"{where}: expected {unit!r} at character {pos} of the copy's text, "
                f"found {text[pos:pos + len(unit) + 10]!r}…"
            )
            continue
        if found > pos:
            problems.append(f"{where}: unexpected text {text[pos:found]!r} at character {pos}, before {unit!r}")
        pos = found + len(unit)
    if pos < len(text):
        problems.append(f"unexpected text after the last unit, at character {pos}: {text[pos:pos + 80]!r}")
    return problems


class Box(NamedTuple):
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def overlaps(a: Box, b: Box, eps: float = 0.01) -> bool:
    """The two boxes share an area (not merely an edge)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > eps and min(a.y1, b.y1) - max(a.y0, b.y0) > eps


def margin_problems(chars: Iterable[Box], page: tuple[float, float], margin: float, where: str) -> list[str]:
    width, height = page
    out = []
    for c in chars:
        side = {
            "left": c.x0, "bottom": c.y0, "right": width - c.x1, "top": height - c.y1,
        }
        for name, distance in side.items():
            if distance < margin - 1e-6:
                out.append(f"{where}: {c.text!r} at {tuple(round(v, 1) for v in c[:4])} is {distance / MM:.1f} mm "
                           f"from the {name} edge, expected ≥ {margin / MM:.0f} mm")
    return out


def kinsoku_problems(lines: Iterable[str], where: str = "") -> list[str]:
    out = []
    for line in lines:
        text = squash(line)
        if not text:
            continue
        if text[0] in NO_LINE_START:
            out.append(f"{where}line begins with {text[0]!r} (行頭禁則): {text!r}")
        if text[-1] in NO_LINE_END:
            out.append(f"{where}line ends with {text[-1]!r} (行末禁則): {text!r}")
    return out


def digit_runs(texts: Iterable[str]) -> Counter[str]:
    """Multi-digit runs (e.g. 995) in the texts: a run split across lines shows as a different run."""
    return Counter(run for t in texts for run in re.findall(r"\d+", squash(t)) if len(run) > 1)


def seal_problems(name: str, chars: list[Box], shapes: list[Box]) -> tuple[list[str], Box | None]:
    """Find ``name`` in the page's characters (in drawing order) and the seal square beside its last
    character; return the problems and the square."""
    texts = [c.text for c in chars]
    starts = [i for i in range(len(chars) - len(name) + 1) if texts[i:i + len(name)] == list(name)]
    if len(starts) != 1:
        return [f"expected the name {name!r} exactly once among the page's characters, found it {len(starts)} times"], None
    name_chars = chars[starts[0]:starts[0] + len(name)]
    last = name_chars[-1]
    line_y0, line_y1 = min(c.y0 for c in name_chars), max(c.y1 for c in name_chars)
    squares = [s for s in shapes if SEAL_SIDE[0] <= s.width <= SEAL_SIDE[1] and SEAL_SIDE[0] <= s.height <= SEAL_SIDE[1]
               and abs(s.width - s.height) <= 1 * MM]
    beside = [s for s in squares if abs(s.x0 - last.x1) <= last.width and min(s.y1, line_y1) > max(s.y0, line_y0)]
    if not beside:
        found = [tuple(round(v, 1) for v in s[:4]) for s in squares]
        return [f"{name!r}: expected a 25–35 mm square whose left edge is within {last.width:.1f} pt of x={last.x1:.1f} "
                f"(right edge of {last.text!r}) and that overlaps y {line_y0:.1f}–{line_y1:.1f}; squares found: {found}"], None
    square = beside[0]
    intruders = [c for c in chars if c is not last and overlaps(c, square)]
    if intruders:
        return [f"{name!r}: the seal square {tuple(round(v, 1) for v in square[:4])} should touch no text but the name's "
                f"last character {last.text!r}; it overlaps {''.join(c.text for c in intruders)!r}"], square
    return [], square


def parse_pdfinfo_date(value: str) -> dt.datetime:
    """pdfinfo -isodates: 2025-03-24T00:00:00+09, …Z, or …+09:00."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(Z|([+-])(\d\d):?(\d\d)?)?", value.strip())
    assert m, f"expected an ISO date from pdfinfo -isodates, found {value!r}"
    y, mo, d, h, mi, s = map(int, m.groups()[:6])
    tz = dt.timezone.utc
    if m.group(8):
        offset = dt.timedelta(hours=int(m.group(9)), minutes=int(m.group(10) or 0))
        tz = dt.timezone(offset if m.group(8) == "+" else -offset)
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=tz)


# =============================================================================================
# Reading a PDF
# =============================================================================================


@dataclass
class PageRead:
    """One page as pdfminer sees it: characters and shapes in drawing order, and text lines."""

    chars: list[Box]
    shapes: list[Box]
    lines: list[str]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


def _flatten(container: Iterable) -> Iterator:
    """Every layout object, depth first, in order (figures, text boxes and lines opened)."""
    for item in container:
        yield item
        if isinstance(item, LTContainer):
            yield from _flatten(item)


def read_with_pdfminer(path: Path) -> list[PageRead]:
    """Without layout analysis the page holds its objects in drawing order; analysing the same page
    afterwards gives the text lines (a small char_margin keeps table columns apart)."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with path.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
            layout = device.get_result()
            items = list(_flatten(layout))
            chars = [Box(*o.bbox, o.get_text()) for o in items if isinstance(o, LTChar)]
            shapes = [Box(*o.bbox) for o in items if isinstance(o, LTCurve)]  # LTRect, LTLine are LTCurves
            layout.analyze(LAParams(char_margin=0.3))
            lines = [o.get_text() for o in _flatten(layout) if isinstance(o, LTTextLine)]
            pages.append(PageRead(chars, shapes, lines))
    return pages


def have(tool: str) -> str | None:
    return shutil.which(tool) or (f"/usr/bin/{tool}" if Path(f"/usr/bin/{tool}").is_file() else None)


def poppler(tool: str) -> str:
    found = have(tool)
    if not found:
        pytest.skip(f"poppler's {tool} is not installed (apt-get install poppler-utils); this check needs it")
    return found


def run_poppler(tool: str, *args: str) -> str:
    done = subprocess.run([poppler(tool), *args], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, f"{tool} {' '.join(args)} exited {done.returncode}: {done.stderr}"
    return done.stdout


def read_with_pdftotext(path: Path) -> list[str]:
    """Per-page text in content-stream order (-raw): the reading order the PDF itself gives."""
    out = run_poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def marking_ops(page: pikepdf.Page) -> Counter[str]:
    return Counter(str(i.operator) for i in pikepdf.parse_content_stream(page) if str(i.operator) in MARKING_OPS)


def copy_starts(page_texts: list[str], first_cover_line: str) -> list[int]:
    """0-based indices of the pages that begin a copy: each copy opens with its cover."""
    marker = squash(first_cover_line)
    return [i for i, t in enumerate(page_texts) if squash(t).startswith(marker)]


@dataclass
class SigningPdf:
    """A built signing PDF and what the independent readers make of it (each read once, lazily)."""

    path: Path
    data: AgreementData
    label: str = "bundled"

    @cached_property
    def raw(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def pdfminer(self) -> list[PageRead]:
        return read_with_pdfminer(self.path)

    @cached_property
    def pdftotext(self) -> list[str]:
        return read_with_pdftotext(self.path)

    @cached_property
    def pike(self) -> pikepdf.Pdf:
        return pikepdf.open(io.BytesIO(self.raw))

    @cached_property
    def starts(self) -> list[int]:
        first_line = self.data.common["cover"]["title_lines"][0]
        starts = copy_starts([p.text for p in self.pdfminer], first_line)
        assert starts, f"expected pages beginning with the cover line {first_line!r}, found none in {self.path}"
        return starts

    @property
    def pages_per_copy(self) -> int:
        return len(self.pdfminer) - self.starts[-1]

    def copy_pages(self, k: int) -> range:
        """Pages (0-based) of copy ``k`` (0-based), without an inserted blank page."""
        return range(self.starts[k], self.starts[k] + self.pages_per_copy)


# =============================================================================================
# Builds (once per session) and fixtures
# =============================================================================================


def build(out: Path, *extra: str, agreement: Path = AGREEMENT) -> int:
    return main(["build", "-o", str(out), *extra, str(agreement)])


def pdf_in(out: Path, data: AgreementData, suffix: str = "") -> Path:
    ident = data.agreement["id"]
    return out / ident / f"{ident}{suffix}.pdf"


@dataclass
class Builds:
    out: Path
    status: int
    split_out: Path
    split_status: int


@pytest.fixture(scope="session")
def data() -> AgreementData:
    return load_data(AGREEMENT)


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        out = tmp_path_factory.mktemp("build")
        status = build(out)
        split_out = tmp_path_factory.mktemp("split")
        split_status = build(split_out, "--split-copies")
    return Builds(out, status, split_out, split_status)


@pytest.fixture(scope="session")
def signing(builds: Builds, data: AgreementData) -> SigningPdf:
    path = pdf_in(builds.out, data)
    assert builds.status == 0 and path.is_file(), f"expected exit 0 and {path}; got exit {builds.status}"
    return SigningPdf(path, data)


@pytest.fixture(scope="session")
def split_files(builds: Builds, data: AgreementData) -> list[Path]:
    assert builds.split_status == 0, f"expected exit 0 from build --split-copies, got {builds.split_status}"
    return sorted((builds.split_out / data.agreement["id"]).glob("*.pdf"))


#: The variant's changes to a copy of data/: (file, old, new). One character of a 別表 text; a
#: partner address so long that the line break falls on the digit run 995; a hub address that
#: reaches into the seal space's column, so the name line must move down to keep the seal clear.
VARIANT_EDITS = (
    ("common/kumamoto-henko-r7.yaml", "address: 熊本市中央区手取本町1番1号", "address: 熊本市中央区手取本町1番1号熊本市役所本庁舎"),
    ("common/beppyo-r7.yaml", "熊本港の利用促進に取り組む。", "熊本港の利用推進に取り組む。"),
    ("mifune-henko-r7.yaml", "address: 御船町大字御船995番地1", "address: 熊本県上益城郡御船町大字御船字滝尾上原地区995番地1"),
)


@pytest.fixture(scope="session")
def variant(tmp_path_factory: pytest.TempPathFactory) -> SigningPdf:
    """The agreement built from an edited copy of data/ (see VARIANT_EDITS)."""
    root = tmp_path_factory.mktemp("variant")
    shutil.copytree(DATA, root / "data")
    for relative, old, new in VARIANT_EDITS:
        path = root / "data" / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"expected {old!r} once in {relative}, found it {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    agreement = root / "data" / AGREEMENT.name
    changed = load_data(agreement)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        status = build(root / "out", agreement=agreement)
    assert status == 0, f"expected the edited data to build (exit 0), got {status}"
    return SigningPdf(pdf_in(root / "out", changed), changed, "variant")


@pytest.fixture(params=["bundled", "variant"])
def any_pdf(request: pytest.FixtureRequest) -> SigningPdf:
    """The bundled agreement, then the variant (long addresses, one character changed)."""
    return request.getfixturevalue("signing" if request.param == "bundled" else "variant")


# =============================================================================================
# The command
# =============================================================================================


def test_build_in_process_returns_zero_and_writes_the_signing_pdf(builds: Builds, data: AgreementData) -> None:
    assert builds.status == 0, f"expected main(['build', …]) to return 0, got {builds.status}"
    written = sorted(p.relative_to(builds.out).as_posix() for p in builds.out.rglob("*") if p.is_file())
    target = pdf_in(builds.out, data).relative_to(builds.out).as_posix()
    assert target in written, f"expected {target} in the output folder, found {written}"
    leftovers = [w for w in written if Path(w).name.startswith(".") or w.endswith(".tmp")]
    assert not leftovers, f"expected no temporary files left behind, found {leftovers}"
    assert pdf_in(builds.out, data).read_bytes().startswith(b"%PDF-"), "expected the file to start with %PDF-"


def test_build_as_a_subprocess_gives_the_same_bytes_in_another_folder(
    signing: SigningPdf, data: AgreementData, tmp_path: Path, repo_root: Path, cli_env: dict[str, str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kyoyaku_pdf", "build", "-o", str(tmp_path / "elsewhere")],
        cwd=repo_root, env=cli_env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, f"expected exit 0 from python -m kyoyaku_pdf build, got {done.returncode}: {done.stderr}"
    target = pdf_in(tmp_path / "elsewhere", data)
    assert str(target) in done.stdout.splitlines(), f"expected the written path {target} on stdout, found {done.stdout!r}"
    assert target.read_bytes() == signing.raw, (
        "expected byte-identical PDFs from two builds into different folders (in-process and subprocess); "
        f"sizes {len(signing.raw)} and {target.stat().st_size}"
    )


# =============================================================================================
# 1. Text fidelity
# =============================================================================================


def _readers(pdf: SigningPdf) -> list[tuple[str, list[str]]]:
    """Per-page text by pdfminer, and by pdftotext when poppler is installed."""
    readers = [("pdfminer", [p.text for p in pdf.pdfminer])]
    if have("pdftotext"):
        readers.append(("pdftotext", pdf.pdftotext))
    return readers


def _copy_text(pages: list[str], pdf: SigningPdf, k: int) -> str:
    return "".join(pages[i] for i in pdf.copy_pages(k))


def test_copy_text_is_exactly_the_data_pdfminer(any_pdf: SigningPdf) -> None:
    copies = any_pdf.data.copies
    assert len(any_pdf.starts) == copies, f"expected {copies} copies (covers), found them on pages {[s + 1 for s in any_pdf.starts]}"
    problems = account_for(_copy_text([p.text for p in any_pdf.pdfminer], any_pdf, 0), expected_units(any_pdf.data))
    expect_none(problems, "pdfminer: the text of copy 1 differs from the data")


def test_copy_text_is_exactly_the_data_pdftotext(signing: SigningPdf, data: AgreementData) -> None:
    pages = signing.pdftotext
    assert len(pages) == len(signing.pdfminer), f"expected pdftotext to see {len(signing.pdfminer)} pages, found {len(pages)}"
    problems = account_for(_copy_text(pages, signing, 0), expected_units(data))
    expect_none(problems, "pdftotext: the text of copy 1 differs from the data")


def test_no_unmapped_glyphs_in_the_extracted_text(signing: SigningPdf) -> None:
    for reader, pages in _readers(signing):
        text = "".join(pages)
        assert "(cid:" not in text, f"{reader}: expected every glyph to map to Unicode, found '(cid:' at {text.find('(cid:')}"
        assert "\ufffd" not in text, f"{reader}: expected no U+FFFD, found one at {text.find(chr(0xFFFD))}"
        assert text.strip(), f"{reader}: expected text, found none"


def test_second_copy_text_equals_the_first(signing: SigningPdf) -> None:
    for reader, pages in _readers(signing):
        first, second = (squash(_copy_text(pages, signing, k)) for k in (0, 1))
        assert first, f"{reader}: expected text in copy 1, found none"
        assert second == first, (
            f"{reader}: expected copy 2's text to equal copy 1's ({len(first)} chars), found {len(second)} chars; "
            f"first difference at {next((i for i, (a, b) in enumerate(zip(first, second)) if a != b), min(len(first), len(second)))}"
        )


def test_text_checker_notices_a_changed_character(variant: SigningPdf, data: AgreementData) -> None:
    """The checker itself: one character changed in a copy of the data must be reported."""
    copy1 = _copy_text([p.text for p in variant.pdfminer], variant, 0)
    problems = account_for(copy1, expected_units(data))  # the original data against the changed PDF
    assert problems, "expected the checker to report the changed character, it reported nothing"
    assert any("別表第1 (3) 取組内容" in p for p in problems), f"expected a problem at 別表第1 (3) 取組内容, found {problems}"
    expect_none(account_for(copy1, expected_units(variant.data)), "expected the changed PDF to match the changed data")


# =============================================================================================
# 2. Fonts
# =============================================================================================


def _fonts_of(resources: pikepdf.Object | None, depth: int = 0) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every font of a resource dictionary, including those in form XObjects and Type3 fonts."""
    if resources is None or depth > 8:
        return
    for name, font in dict(resources.get("/Font", {})).items():
        yield name, font
        if "/Resources" in font:
            yield from _fonts_of(font.Resources, depth + 1)
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts_of(xobject.Resources, depth + 1)


def page_fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """(where, font) for every font resource of every page."""
    for number, page in enumerate(pdf.pages, 1):
        for name, font in _fonts_of(page.obj.get("/Resources")):
            yield f"page {number} font {name} ({font.get('/BaseFont', '?')})", font


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d) for d in font.DescendantFonts)
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def font_problems(pdf: pikepdf.Pdf) -> tuple[list[str], int]:
    """Fonts not embedded, not subset or without /ToUnicode; and how many font resources were seen."""
    problems, checked = [], 0
    for where, font in page_fonts(pdf):
        checked += 1
        base = str(font.get("/BaseFont", ""))
        if font.get("/Subtype") == "/Type3":
            problems.append(f"{where}: expected an embedded outline font, found Type3")
        elif not _embedded(font):
            problems.append(f"{where}: expected FontFile/FontFile2/FontFile3 in its descriptor, found none")
        if not re.fullmatch(r"/[A-Z]{6}\+.+", base):
            problems.append(f"{where}: expected a subset name ABCDEF+Name, found {base!r}")
        if "/ToUnicode" not in font:
            problems.append(f"{where}: expected a /ToUnicode CMap, found keys {sorted(font.keys())}")
    return problems, checked


def width_problems(pdf: pikepdf.Pdf) -> tuple[list[str], int]:
    """Compare /Widths of each simple TrueType font with its embedded program's advances (±1/1000 em);
    return the problems and how many codes were compared."""
    problems, seen, compared = [], set(), 0
    for where, font in page_fonts(pdf):
        if font.objgen in seen or font.get("/Subtype") != "/TrueType":
            continue
        seen.add(font.objgen)
        program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
        upem = program["head"].unitsPerEm
        hmtx = program["hmtx"].metrics
        cmaps = {(t.platformID, t.platEncID): t.cmap for t in program["cmap"].tables}
        cmap = cmaps.get((3, 0)) or cmaps.get((1, 0))
        if not cmap:
            problems.append(f"{where}: expected a (3,0) or (1,0) cmap in the subset, found {list(cmaps)}")
            continue
        first, last, widths = int(font.FirstChar), int(font.LastChar), [float(w) for w in font.Widths]
        if len(widths) != last - first + 1:
            problems.append(f"{where}: expected {last - first + 1} widths for codes {first}..{last}, found {len(widths)}")
            continue
        for code in range(first, last + 1):
            glyph = cmap.get(code) or cmap.get(0xF000 + code)
            if glyph is None:
                continue
            expected = round(hmtx[glyph][0] * 1000 / upem)
            if abs(widths[code - first] - expected) > 1:
                problems.append(f"{where} code {code} ({glyph}): expected width {expected} from the font program, "
                                f"found /Widths {widths[code - first]:g}")
            compared += 1
    return problems, compared


def test_every_font_is_embedded_subset_and_has_to_unicode(signing: SigningPdf) -> None:
    problems, checked = font_problems(signing.pike)
    assert checked, "expected fonts on the pages, found none"
    expect_none(problems)


def test_no_standard_14_font_anywhere(signing: SigningPdf) -> None:
    fonts = [o for o in signing.pike.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
    assert fonts, "expected font dictionaries in the file, found none"
    for font in fonts:
        base = str(font.get("/BaseFont", "/"))[1:]
        plain = base.split("+", 1)[-1]
        standard = plain in STANDARD_14 or (not _embedded(font) and plain.startswith(STANDARD_14_LOOKALIKES))
        assert not standard, f"expected no standard-14 font, found {base!r} (object {font.objgen})"
    assert b"Helvetica" not in signing.raw, "expected the word Helvetica nowhere in the file, found it"


def test_pdffonts_reports_every_font_embedded_subset_with_unicode(signing: SigningPdf) -> None:
    out = run_poppler("pdffonts", str(signing.path)).splitlines()
    header, rule, rows = out[0], out[1], [r for r in out[2:] if r.strip()]
    assert rows, f"expected pdffonts to list fonts, found:\n{out}"
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    columns = {header[a:b].strip(): (a, b) for a, b in spans}
    for row in rows:
        for col in ("emb", "sub", "uni"):
            a, b = columns[col]
            assert row[a:b].strip() == "yes", f"expected '{col}' = yes for every font, found {row[a:b].strip()!r} in: {row}"


def test_widths_agree_with_the_embedded_font_programs(signing: SigningPdf) -> None:
    problems, compared = width_problems(signing.pike)
    assert compared > 100, f"expected to compare the widths of many codes, compared {compared}"
    expect_none(problems)


# =============================================================================================
# 3. Geometry
# =============================================================================================


def test_every_page_is_a4(signing: SigningPdf) -> None:
    for number, page in enumerate(signing.pike.pages, 1):
        for key in ("/MediaBox", "/CropBox"):
            if key not in page.obj and key == "/CropBox":
                continue
            x0, y0, x1, y1 = (float(v) for v in page.obj[key])
            size = (x1 - x0, y1 - y0)
            assert abs(size[0] - A4[0]) <= 0.5 and abs(size[1] - A4[1]) <= 0.5 and (x0, y0) == (0, 0), (
                f"page {number} {key}: expected A4 {A4} at (0, 0), found {(x0, y0, x1, y1)}"
            )


def test_all_text_keeps_15_mm_from_every_edge(signing: SigningPdf) -> None:
    problems = []
    for number, (page, read) in enumerate(zip(signing.pike.pages, signing.pdfminer), 1):
        box = [float(v) for v in page.MediaBox]
        problems += margin_problems(read.chars, (box[2], box[3]), MIN_MARGIN, f"page {number}")
    assert sum(len(p.chars) for p in signing.pdfminer) > 1000, "expected many characters to check"
    expect_none(problems)


# =============================================================================================
# 4. Copies
# =============================================================================================


def test_copies_start_on_odd_pages_and_the_page_count_fits(signing: SigningPdf, data: AgreementData) -> None:
    starts, ppc, total = signing.starts, signing.pages_per_copy, len(signing.pike.pages)
    assert len(starts) == data.copies, f"expected {data.copies} copies (covers) in the file, found them on pages {[s + 1 for s in starts]}"
    assert all(s % 2 == 0 for s in starts), f"expected every copy to start on an odd page, found pages {[s + 1 for s in starts]}"
    assert starts == [k * (ppc + ppc % 2) for k in range(data.copies)], (
        f"expected copies at pages {[k * (ppc + ppc % 2) + 1 for k in range(data.copies)]} ({ppc} pages each), "
        f"found {[s + 1 for s in starts]}"
    )
    expected = 2 * ppc + ppc % 2
    assert total == expected, f"expected 2 × {ppc} pages{' + 1 blank' if ppc % 2 else ''} = {expected}, found {total}"
    if have("pdfinfo"):
        pages = int(re.search(r"^Pages:\s*(\d+)", run_poppler("pdfinfo", str(signing.path)), re.M).group(1))
        assert pages == total, f"expected pdfinfo to count {total} pages as pikepdf does, found {pages}"


def test_the_inserted_page_is_empty(signing: SigningPdf) -> None:
    ppc = signing.pages_per_copy
    if ppc % 2 == 0:
        pytest.skip(f"a copy has {ppc} pages (even): no blank page is inserted")
    index = ppc  # 0-based: right after copy 1
    page = signing.pike.pages[index]
    read = signing.pdfminer[index]
    assert not (read.chars or read.shapes), (
        f"expected page {index + 1} to be blank, found text {read.text!r} and {len(read.shapes)} shapes"
    )
    if have("pdftotext"):
        found = squash(signing.pdftotext[index])
        assert not found, f"expected no text on page {index + 1}, pdftotext found {found!r}"
    assert not marking_ops(page), f"expected no drawing operators on page {index + 1}, found {dict(marking_ops(page))}"
    assert "/Annots" not in page.obj, f"expected no annotations on page {index + 1}, found {page.obj.get('/Annots')}"


def test_copy_2_pages_repeat_copy_1_page_by_page(signing: SigningPdf) -> None:
    pages = signing.pike.pages
    for a, b in zip(signing.copy_pages(0), signing.copy_pages(1)):
        assert (a - b) % 2 == 0, f"pages {a + 1} and {b + 1} differ in parity, so their margins differ"
        ra, rb = signing.pdfminer[a], signing.pdfminer[b]
        assert rb.text == ra.text, f"expected page {b + 1}'s text to equal page {a + 1}'s, found {rb.text[:60]!r} vs {ra.text[:60]!r}"
        assert len(rb.shapes) == len(ra.shapes), f"expected {len(ra.shapes)} shapes on page {b + 1} as on page {a + 1}, found {len(rb.shapes)}"
        ops_a, ops_b = marking_ops(pages[a]), marking_ops(pages[b])
        assert ops_a, f"expected drawing operators on page {a + 1}, found none"
        assert ops_b == ops_a, f"expected the drawing operators of page {b + 1} to equal page {a + 1}'s {dict(ops_a)}, found {dict(ops_b)}"


def test_split_copies_writes_identical_files_of_one_copy_each(signing: SigningPdf, split_files: list[Path], data: AgreementData) -> None:
    ident = data.agreement["id"]
    expected = [f"{ident}-copy{k}.pdf" for k in range(1, data.copies + 1)]
    assert [p.name for p in split_files] == expected, f"expected {expected}, found {[p.name for p in split_files]}"
    first = split_files[0].read_bytes()
    for other in split_files[1:]:
        assert other.read_bytes() == first, f"expected {other.name} byte-identical to {split_files[0].name}"
    with pikepdf.open(split_files[0]) as pdf:
        assert len(pdf.pages) == signing.pages_per_copy, (
            f"expected {signing.pages_per_copy} pages in {split_files[0].name}, found {len(pdf.pages)}"
        )
    single = "".join(p.text for p in read_with_pdfminer(split_files[0]))
    assert squash(single) == squash(_copy_text([p.text for p in signing.pdfminer], signing, 0)), (
        "expected the split copy's text to equal copy 1 of the signing PDF"
    )


# =============================================================================================
# 5. Seal spaces
# =============================================================================================


def test_a_seal_square_stands_at_each_mayors_name(any_pdf: SigningPdf) -> None:
    signing, data = any_pdf, any_pdf.data
    names = [data.hub["name"], data.partner["name"]]
    pages = [i for i in signing.copy_pages(0) if all(n in signing.pdfminer[i].text for n in names)]
    assert len(pages) == 1, f"expected one signature page holding {names}, found pages {[i + 1 for i in pages]}"
    read = signing.pdfminer[pages[0]]
    squares = []
    for name in names:
        problems, square = seal_problems(name, read.chars, read.shapes)
        expect_none(problems, f"page {pages[0] + 1}: seal space")
        squares.append(square)
    assert squares[0] != squares[1], f"expected a square of its own for each name, found {squares}"


# =============================================================================================
# 6. Determinism
# =============================================================================================


def test_same_bytes_with_source_date_epoch_set_twice(tmp_path: Path, data: AgreementData, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = 1_700_000_000  # 2023-11-14T22:13:20Z
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    assert build(tmp_path / "one") == 0 and build(tmp_path / "two") == 0, "expected both builds to succeed"
    one, two = pdf_in(tmp_path / "one", data), pdf_in(tmp_path / "two", data)
    assert one.read_bytes() == two.read_bytes(), "expected identical bytes from two builds with the same SOURCE_DATE_EPOCH"
    if not have("pdfinfo"):
        return  # the bytes are checked; the date needs poppler's pdfinfo
    info = run_poppler("pdfinfo", "-isodates", str(one))
    stamp = parse_pdfinfo_date(re.search(r"^CreationDate:\s*(.+)$", info, re.M).group(1))
    expected = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    assert stamp == expected, f"expected CreationDate = SOURCE_DATE_EPOCH {expected.isoformat()}, found {stamp.isoformat()}"


def test_creation_date_is_the_agreement_date(signing: SigningPdf, data: AgreementData) -> None:
    info = run_poppler("pdfinfo", "-isodates", str(signing.path))
    for key in ("CreationDate", "ModDate"):
        m = re.search(rf"^{key}:\s*(.+)$", info, re.M)
        assert m, f"expected {key} in pdfinfo's output, found:\n{info}"
        stamp = parse_pdfinfo_date(m.group(1))
        assert stamp.astimezone(JST).date() == data.date, (
            f"expected {key} on the agreement date {data.date} (JST), found {stamp.isoformat()}"
        )


# =============================================================================================
# 7. Japanese line breaking on the rendered pages
# =============================================================================================


def _copy1_lines(signing: SigningPdf) -> list[str]:
    return [line for i in signing.copy_pages(0) for line in signing.pdfminer[i].lines]


def test_no_line_breaks_against_kinsoku(any_pdf: SigningPdf) -> None:
    lines = _copy1_lines(any_pdf)
    assert len(lines) > 100, f"expected the text lines of a whole copy, found {len(lines)}"
    problems = kinsoku_problems(lines)
    expect_none(problems)


def test_digit_runs_are_never_split_across_lines(any_pdf: SigningPdf) -> None:
    """In the variant the address line is full just before 995: the run must move whole."""
    expected = digit_runs(text for _, text in expected_units(any_pdf.data))
    assert expected["995"] >= 1, f"expected the data to hold the run 995 (address), found runs {dict(expected)}"
    lines = _copy1_lines(any_pdf)
    if any_pdf.label == "variant":
        address = squash(any_pdf.data.partner["address"])
        head = address[:address.index("995")]
        assert any(re.search(re.escape(head) + r"\d{0,2}$", squash(line)) for line in lines), (
            f"expected the variant's address to fill its line up to just before 995 ({head!r}), so that the break "
            "falls on the digit run; the layout changed: adjust VARIANT_EDITS"
        )
    found = digit_runs(lines)
    assert found == expected, f"expected the digit runs {dict(expected)} whole on their lines, found {dict(found)}"


# =============================================================================================
# The checkers can fail
# =============================================================================================


UNITS = [("a", "甲乙"), ("b", "丙"), ("c", "丁戊")]


@pytest.mark.parametrize(
    "text, needle",
    [
        ("甲乙丙丁己", "c: expected '丁戊'"),  # a changed character
        ("甲乙己丙丁戊", "unexpected text '己'"),  # an extra character
        ("甲乙丙丁戊己", "after the last unit"),  # trailing text
        ("丙甲乙丁戊", "unexpected text '丙'"),  # units out of order
        ("甲乙丁戊", "b: expected '丙'"),  # a unit missing
    ],
    ids=["changed", "extra", "trailing", "reordered", "missing"],
)
def test_account_for_reports_bad_text(text: str, needle: str) -> None:
    assert account_for("甲乙\n丙 丁\n戊", UNITS) == [], "expected white space to be ignored"
    problems = account_for(text, UNITS)
    assert any(needle in p for p in problems), f"expected a problem containing {needle!r} for {text!r}, found {problems}"


NAME = [Box(100 + 12 * i, 500, 112 + 12 * i, 512, ch) for i, ch in enumerate("大西一史")]
SQUARE = Box(144, 463, 229, 548)  # 30 mm, left edge 4 pt inside the last character


@pytest.mark.parametrize(
    "chars, shapes, problem",
    [
        (NAME, [SQUARE], ""),
        (NAME, [Box(200, 463, 285, 548)], "expected a 25–35 mm square"),  # too far right
        (NAME, [Box(144, 300, 229, 385)], "expected a 25–35 mm square"),  # below the name line
        (NAME, [Box(144, 463, 164, 548)], "expected a 25–35 mm square"),  # not square
        (NAME, [Box(144, 463, 144 + 40 * MM, 463 + 40 * MM)], "expected a 25–35 mm square"),  # too big
        (NAME + [Box(150, 470, 162, 482, "長")], [SQUARE], "it overlaps '長'"),  # text inside
        (NAME[:3], [SQUARE], "exactly once"),  # the name is not there
    ],
    ids=["good", "too-far-right", "below-the-name", "not-square", "too-big", "text-inside", "no-name"],
)
def test_seal_checker(chars: list[Box], shapes: list[Box], problem: str) -> None:
    problems, _ = seal_problems("大西一史", chars, shapes)
    if problem:
        assert any(problem in p for p in problems), f"expected a problem containing {problem!r}, found {problems}"
    else:
        assert problems == [], f"expected no problem, found {problems}"


def test_line_and_margin_checkers_report_bad_input() -> None:
    for lines in (["あいう", "。えお"], ["ゃ"], ["ー"], ["かき（"], ["【"]):
        assert kinsoku_problems(lines), f"expected a 禁則 problem in {lines}, found none"
    assert not kinsoku_problems(["（かき）", "くけ。"]), f"expected no 禁則 problem, found {kinsoku_problems(['（かき）', 'くけ。'])}"
    split, whole = digit_runs(["番地99", "5番"]), digit_runs(["番地995番"])
    assert split != whole, f"expected a split run to differ from the whole one, found {split} and {whole}"
    near = margin_problems([Box(10, 100, 20, 110, "字")], A4, MIN_MARGIN, "p")
    assert near and "left edge" in near[0], f"expected a left-margin problem, found {near}"
    inside = margin_problems([Box(50, 100, 60, 110, "字")], A4, MIN_MARGIN, "p")
    assert not inside, f"expected no margin problem, found {inside}"
    top = margin_problems([Box(50, 800, 60, 830, "字")], A4, MIN_MARGIN, "p")
    assert top and "top edge" in top[0], f"expected a top-margin problem, found {top}"


def test_date_helpers() -> None:
    stamp = parse_pdfinfo_date("2025-03-24T00:00:00+09")
    assert stamp == dt.datetime(2025, 3, 24, tzinfo=JST), f"expected 2025-03-24 00:00 JST, found {stamp}"
    stamp = parse_pdfinfo_date("2025-03-23T15:00:00Z")
    assert stamp.astimezone(JST).date() == dt.date(2025, 3, 24), f"expected 2025-03-24 in JST, found {stamp}"
    for day, text in ((dt.date(2019, 5, 1), "令和元年5月1日"), (dt.date(2025, 3, 24), "令和7年3月24日")):
        assert reiwa(day) == text, f"expected {text} for {day}, found {reiwa(day)}"


def test_font_checkers_report_a_tampered_file(signing: SigningPdf) -> None:
    """A copy of the PDF with one width off, one font unembedded, one without /ToUnicode."""
    pdf = pikepdf.open(io.BytesIO(signing.raw))
    fonts = {font.objgen: font for _, font in page_fonts(pdf)}
    assert len(fonts) >= 2, f"expected at least two fonts to tamper with, found {len(fonts)}"
    first, second = list(fonts.values())[:2]
    first.Widths[20] = float(first.Widths[20]) + 40
    problems, _ = width_problems(pdf)
    assert len(problems) == 1 and "code 20" in problems[0], f"expected one width problem at code 20, found {problems}"
    del second.FontDescriptor["/FontFile2"]
    del first["/ToUnicode"]
    first.BaseFont = pikepdf.Name("/BIZUDMincho-Regular")
    problems, _ = font_problems(pdf)
    for needle in ("FontFile", "/ToUnicode", "subset name"):
        assert any(needle in p for p in problems), f"expected a problem about {needle}, found {problems}"
