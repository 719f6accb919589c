"""End to end: the size levers of the signing PDF (issue 14) change no page, no text and no tag.

The levers: the writer (pdf/writer.py) makes each page's content stream, Flate alone, once per
distinct content, so copy 2's pages point at copy 1's streams, and stores the copies' twin objects
one under the other; the font subsets carry no hinting (pdf/unhinted.py) and no unused ASCII block
(pdf/fonts.py). Each test reads the files back with
code that did not write them (pikepdf, fontTools, poppler, pdfminer, veraPDF) and compares them with
the same agreement built with every lever turned off in this process.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from pdfminer.high_level import extract_text
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace
from test_e2e_pdf import AGREEMENT, run_poppler

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.pdf import writer
from kyoyaku_pdf.pdf.fonts import FALLBACKS, MINCHO, register
from kyoyaku_pdf.pdf.unhinted import HINTING_TABLES, UnhintedFace

#: the bundled agreement: copy 1 on pages 1–7, a blank back page 8, copy 2 on pages 9–15
COPY_PAGES, BLANK = 7, 7


def _build(out: Path, *extra: str) -> Path:
    assert main(["build", "-o", str(out), *extra, str(AGREEMENT)]) == 0
    [path] = sorted(out.glob("*/*-copy1.pdf" if "--split-copies" in extra else "*/*.pdf"))
    return path


def _levers_off(mp: pytest.MonkeyPatch, only_sharing: bool = False) -> None:
    """Every size lever undone (``only_sharing``: just the shared content streams)."""
    mp.setattr(writer, "_twin_pages", lambda pages: [[index] for index in range(len(pages))])  # ReportLab makes each page stream
    if only_sharing:
        return
    mp.setattr(UnhintedFace, "makeSubset", TTFontFace.makeSubset)
    register(MINCHO)
    for spec in (MINCHO, *FALLBACKS.values()):
        if spec.name in pdfmetrics.getRegisteredFontNames():
            mp.setattr(pdfmetrics.getFont(spec.name), "_asciiReadable", 1)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The signing PDF (2 copies) and the one-copy file, with the levers and without them."""
    root = tmp_path_factory.mktemp("size")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        made = {"two": _build(root / "two"), "one": _build(root / "one", "--split-copies")}
        with pytest.MonkeyPatch.context() as off:
            _levers_off(off, only_sharing=True)
            made["unshared"] = _build(root / "unshared")
        with pytest.MonkeyPatch.context() as off:
            _levers_off(off)
            made["two-off"] = _build(root / "two-off")
            made["one-off"] = _build(root / "one-off", "--split-copies")
        made["again"] = _build(root / "again")
    return made


def _contents(page: pikepdf.Page) -> pikepdf.Stream:
    contents = page.obj.Contents
    assert isinstance(contents, pikepdf.Stream), "ReportLab writes one content stream per page"
    return contents


def test_the_bundled_agreement_is_within_110_kb(files: dict[str, Path]) -> None:
    assert files["two"].stat().st_size <= 110_000
    assert files["one"].stat().st_size < files["two"].stat().st_size


def test_the_second_copy_costs_at_most_2_percent(files: dict[str, Path]) -> None:
    """Issue 14: copy 2 has its own pages and structure elements, stored as twins of copy 1's."""
    assert files["two"].stat().st_size <= 1.02 * files["one"].stat().st_size


def test_copy_two_points_at_copy_ones_content_streams(files: dict[str, Path]) -> None:
    with pikepdf.open(files["two"]) as two, pikepdf.open(files["one"]) as one, pikepdf.open(files["unshared"]) as unshared:
        assert len(two.pages) == 2 * COPY_PAGES + 1 and len(one.pages) == COPY_PAGES
        streams = [_contents(page).objgen for page in two.pages]
        assert streams[COPY_PAGES + 1:] == streams[:COPY_PAGES]
        assert len(set(streams)) == COPY_PAGES + 1, "copy 1's pages and the blank page, each once"
        # without sharing, copy 2's streams were separate objects with the very same bytes
        separate = [_contents(page) for page in unshared.pages]
        assert len({s.objgen for s in separate}) == len(separate)
        for index in range(COPY_PAGES):
            assert separate[index].read_bytes() == separate[COPY_PAGES + 1 + index].read_bytes()
        # every page of the shared file draws exactly what it drew before
        assert [_contents(p).read_bytes() for p in two.pages] == [s.read_bytes() for s in separate]
        assert [_contents(p).read_bytes() for p in one.pages] == [s.read_bytes() for s in separate[:COPY_PAGES]]


def _owners(pdf: pikepdf.Pdf) -> dict[int, list[pikepdf.Object]]:
    """StructParents key → the parent tree's array of elements (by MCID)."""
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    return {int(nums[i]): list(nums[i + 1]) for i in range(0, len(nums), 2)}


def _claims(element: pikepdf.Object, page: pikepdf.Object, mcid: int) -> bool:
    """Does ``element`` name (``page``, ``mcid``) among its kids, as an integer or an MCR?"""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    for kid in kids:
        if isinstance(kid, int) and kid == mcid and element.Pg.objgen == page.objgen:
            return True
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR" and kid.MCID == mcid:
            if kid.Pg.objgen == page.objgen:
                return True
    return False


def _descendants(element: pikepdf.Object) -> set[tuple[int, int]]:
    found = {element.objgen}
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found |= _descendants(kid)
    return found


def test_each_copy_keeps_its_own_pages_keys_and_elements(files: dict[str, Path]) -> None:
    with pikepdf.open(files["two"]) as pdf:
        pages = [page.obj for page in pdf.pages]
        owners = _owners(pdf)
        keys = [int(page.StructParents) for page in pages if "/StructParents" in page]
        assert len(keys) == len(set(keys)) == len(pages) - 1, "each page with content its own key (not the blank)"
        first, second = pdf.Root.StructTreeRoot.K[0].K
        assert (str(first.S), str(second.S)) == ("/Part", "/Part")
        parts = _descendants(first), _descendants(second)
        assert not parts[0] & parts[1]
        for index in range(COPY_PAGES):
            page1, page2 = pages[index], pages[COPY_PAGES + 1 + index]
            mine, twin = owners[int(page1.StructParents)], owners[int(page2.StructParents)]
            assert len(mine) == len(twin) > 0
            assert [str(e.S) for e in mine] == [str(e.S) for e in twin], "the same roles, MCID for MCID"
            for mcid, (a, b) in enumerate(zip(mine, twin)):
                assert a.objgen != b.objgen
                assert _claims(a, page1, mcid) and _claims(b, page2, mcid), (index, mcid)
                assert a.objgen in parts[0] and b.objgen in parts[1], (index, mcid)


def _parts(struct_text: str) -> list[str]:
    """``pdfinfo -struct-text``'s output cut at each top-level Part."""
    return [part.rstrip("\n") for part in struct_text.split("\n  Part\n")[1:]]


def test_both_copies_read_whole_in_the_structure(files: dict[str, Path]) -> None:
    two = run_poppler("pdfinfo", "-struct-text", str(files["two"]))
    one = run_poppler("pdfinfo", "-struct-text", str(files["one"]))
    copies = _parts(two)
    assert len(copies) == 2 and copies[0] == copies[1] == _parts(one)[0]
    assert "変更連携協約書" in copies[1] and "乙の役割" in copies[1]


@pytest.mark.parametrize("reader", ["pdftotext", "struct-text", "pdfminer"])
def test_the_text_is_what_it_was_without_the_levers(files: dict[str, Path], reader: str) -> None:
    read: Callable[[Path], str] = {
        "pdftotext": lambda path: run_poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"),
        "struct-text": lambda path: run_poppler("pdfinfo", "-struct-text", str(path)),
        "pdfminer": lambda path: extract_text(str(path)),
    }[reader]
    for name in ("two", "one"):
        assert read(files[name]) == read(files[f"{name}-off"]), name


def test_the_pages_look_the_same_as_without_the_levers(files: dict[str, Path], tmp_path: Path) -> None:
    pngs = {}
    for name in ("two", "two-off"):
        run_poppler("pdftoppm", "-r", "40", "-gray", str(files[name]), str(tmp_path / name))
        pngs[name] = sorted(tmp_path.glob(f"{name}-*.pgm"))
    assert len(pngs["two"]) == 2 * COPY_PAGES + 1
    for ours, theirs in zip(pngs["two"], pngs["two-off"], strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name


def _used_codes(pdf: pikepdf.Pdf) -> dict[str, set[int]]:
    """Font resource name → the single-byte codes the pages' text operators show with it."""
    used: dict[str, set[int]] = {}
    font = ""
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                font = str(operands[0])
            strings = [operands[-1]] if op in ("Tj", "'", '"') else list(operands[0]) if op == "TJ" else []
            for item in strings:
                if isinstance(item, pikepdf.String):
                    used.setdefault(font, set()).update(bytes(item))
    return used


def test_the_subsets_hold_the_glyphs_drawn_and_no_hinting(files: dict[str, Path]) -> None:
    with pikepdf.open(files["two"]) as pdf, pikepdf.open(files["two-off"]) as off:
        used = _used_codes(pdf)
        resources = pdf.pages[1].obj.Resources.Font
        assert set(used) <= set(resources.keys())
        for name in used:
            font = resources[name]
            program = FontToolsFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            assert not HINTING_TABLES & set(program.keys()), name
            assert len(program.getGlyphOrder()) <= len(used[name] | {0, 32}), "only .notdef, the space and glyphs drawn"
        glyphs_off = sum(len(FontToolsFont(io.BytesIO(f.FontDescriptor.FontFile2.read_bytes())).getGlyphOrder())
                         for f in off.pages[1].obj.Resources.Font.values())
        glyphs = sum(len(FontToolsFont(io.BytesIO(f.FontDescriptor.FontFile2.read_bytes())).getGlyphOrder())
                     for f in resources.values())
        assert glyphs < glyphs_off, "ReportLab's ASCII block is no longer embedded"


def test_page_streams_are_flate_alone_and_reportlab_is_left_as_it_was(files: dict[str, Path]) -> None:
    with pikepdf.open(files["two"]) as pdf:
        assert {str(_contents(page).Filter) for page in pdf.pages} == {"/FlateDecode"}
    assert rl_config.useA85 == 1, "ReportLab's process-wide setting is left as it was"


def test_rebuilds_are_byte_identical_with_or_without_a_font_cache(
    files: dict[str, Path], tmp_path: Path, cli_env: dict[str, str]
) -> None:
    assert files["again"].read_bytes() == files["two"].read_bytes()
    (tmp_path / "not-a-folder").write_text("x")  # the cache root is a file: no cache can be used
    env = {**cli_env, "KYOYAKU_CACHE_DIR": str(tmp_path / "not-a-folder")}
    done = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", "-o", str(tmp_path / "out"), str(AGREEMENT)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [path] = (tmp_path / "out").glob("*/*.pdf")
    assert path.read_bytes() == files["two"].read_bytes()


@pytest.mark.parametrize("name", ["two", "one"])
def test_verapdf_ua1(files: dict[str, Path], verapdf, name: str) -> None:  # type: ignore[no-untyped-def]
    result = verapdf.validate(files[name], "ua1")
    assert result.passed, str(result)
