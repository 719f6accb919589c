"""layout/text: a font set seeded with known breaks hands them back without breaking again, and
hands over, once, the breaks it was asked for and whether any had to be broken — as plain data
another process can be seeded with."""

from __future__ import annotations

import marshal
from collections.abc import Iterator

import pytest

from kyoyaku_pdf.layout import text
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register
from kyoyaku_pdf.text.japanese import Typesetting

FONTS = FontSet(register(), codepoints(MINCHO), None, Typesetting())
TEXT = "令和7年3月24日に、甲及び乙が（「協約」）を締結し、それぞれ各1通を保有する。\n第2項 以下同じ。"
ARGS = (TEXT, 200.0, 10.5, 10.5, True)


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each test starts as a new process would: nothing remembered, nothing seeded; the texts
    ``japanese.break_lines`` is called with are listed."""
    calls: list[str] = []
    breaking = text.break_lines

    def counted(source: str, *args: object, **kwargs: object) -> object:
        calls.append(source)
        return breaking(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(text, "break_lines", counted)
    monkeypatch.setattr(text, "_seeded", {})
    monkeypatch.setattr(text, "_used", {})
    monkeypatch.setattr(text, "_missed", set())
    text._broken.cache_clear()
    yield calls
    text._broken.cache_clear()


def broken() -> list[text.Line]:
    return FONTS.break_lines(TEXT, 200.0, 10.5, 10.5, justify=True)


def test_an_unseeded_font_set_keeps_nothing_for_others(fresh_process: list[str]) -> None:
    broken()
    assert fresh_process == [TEXT]
    assert text.used_breaks(FONTS) == ({}, False)


def test_what_a_seeded_font_set_was_asked_is_handed_over_once_as_plain_data(fresh_process: list[str]) -> None:
    text.seed_breaks(FONTS, {})
    lines = broken()
    broken()  # remembered: not broken again
    used, missed = text.used_breaks(FONTS)
    assert fresh_process == [TEXT] and list(used) == [ARGS] and missed
    assert marshal.loads(marshal.dumps(used)) == used  # what the disk cache can store
    assert used[ARGS] == tuple((l.text, l.width, l.justify, l.positions) for l in lines)
    assert text.used_breaks(FONTS) == ({}, False)
    broken()  # asked again (the next document): no longer noted
    assert text.used_breaks(FONTS) == ({}, False) and fresh_process == [TEXT]


def test_seeded_breaks_are_the_lines_without_breaking(fresh_process: list[str]) -> None:
    text.seed_breaks(FONTS, {})
    lines = broken()
    stored = marshal.loads(marshal.dumps(text.used_breaks(FONTS)[0]))
    text._broken.cache_clear()  # as in the next process
    text._seeded.clear()
    fresh_process.clear()
    text.seed_breaks(FONTS, stored)
    assert broken() == lines
    assert fresh_process == []
    assert text.used_breaks(FONTS) == (stored, False), "asked for, and not broken: a seeded result"


@pytest.mark.parametrize("entry", [
    "not lines",
    (("令和", 21.0, True),),  # a field short
    (("令和7年", 21.0, True, (0.0, 10.5)),),  # a position short
    (("令和7年", 42.0, True, (0.0, 10.5, 21.0, 31.5)),),  # lines of another text
])
def test_a_seeded_entry_that_is_not_lines_of_the_text_is_broken_again(fresh_process: list[str], entry: object) -> None:
    text.seed_breaks(FONTS, {ARGS: entry})  # type: ignore[dict-item]
    lines = broken()
    assert fresh_process == [TEXT]
    assert text.used_breaks(FONTS) == ({ARGS: tuple((l.text, l.width, l.justify, l.positions) for l in lines)}, True)


def test_seeds_are_per_font_set(fresh_process: list[str]) -> None:
    text.seed_breaks(FONTS, {})
    lines = broken()
    text._broken.cache_clear()
    text.seed_breaks(FONTS, text.used_breaks(FONTS)[0])
    other = FontSet(FONTS.main, FONTS.covered, None, Typesetting(latin_spacing=False))
    other_lines = other.break_lines(TEXT, 200.0, 10.5, 10.5, justify=True)
    assert broken() == lines
    assert fresh_process == [TEXT, TEXT], "FONTS's seeds are not another font set's"
    assert other_lines != lines  # 四分アキ off sets 7, 3, 24 and 1 closer
