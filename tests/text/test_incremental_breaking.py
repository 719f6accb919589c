"""The breaker measures a line as it grows (``japanese._Extent``): it must break every paragraph exactly
as measuring each candidate line from scratch (``_Setter.min_width`` of the whole text, as the breaker
did before) would — same lines, same widths, same glyph positions, float for float.

The reference below is that straightforward measurement, swapped in for the running sums; the
paragraphs are generated (every spacing class JLReq distinguishes, Latin and digits, spaces, hard
breaks) and set with metrics whose widths are not exact binary fractions, so that summing in another
order would show, and with the bundled font's own advances over the bundled texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kyoyaku_pdf.text.japanese as jp
from kyoyaku_pdf.text.japanese import Line, Typesetting, break_lines, unbreakable_units

ALPHABET = (
    "あいうえおかきくけこっゃー漢字協約市町村第条号別表甲乙々〆"
    "アイウエオッャ"
    "、。，．？！・：；「」『』（）【】〔〕…―〜％￥＃"
    "0123456789ABCXYZabcxyz()[],.:;?!%$#\u3000"
)
#: long enough to break into several lines, with word spaces (between Latin words, and stray ones)
#: about one character in eight and a hard break now and then
paragraphs = st.text(alphabet=st.sampled_from([*ALPHABET, *" " * 12, "\n"]), min_size=10, max_size=240)
settings_st = st.builds(Typesetting, latin_spacing=st.booleans(), hanging=st.booleans())


def irregular(char: str) -> float:
    """A metric of 10.5 pt type whose half-width and proportional advances are not binary fractions
    (as a real font's are, at a real size): 5.25 for digits, 0.37–0.67 em for other ASCII, 0.9 em for
    a few full-width forms (which therefore carry no アキ)."""
    if char.isdigit() and char.isascii():
        return 5.25
    if char.isascii():
        return 10.5 * (0.37 + (ord(char) % 7) * 0.05)
    if char in "ー〜※":
        return 10.5 * 0.9
    return 10.5


@dataclass(frozen=True)
class FromScratch:
    """The reference for ``japanese._Extent``: the line's whole text, measured again at every question."""

    text: str = ""
    setter: jp._Setter | None = None

    def plus(self, setter: jp._Setter, unit: str) -> FromScratch:
        return FromScratch(self.text + unit, setter)

    def width(self, hard: bool = False) -> float:
        return self.setter.min_width(self.text.rstrip(" "), hard) if self.setter else 0.0


def from_scratch(*args: object, **kwargs: object) -> list[Line]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jp, "_Extent", FromScratch)
        return break_lines(*args, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(text=paragraphs, setting=settings_st)
def test_the_running_extent_is_the_minimum_width_of_the_text_so_far(text: str, setting: Typesetting) -> None:
    setter = jp._Setter(irregular, 10.5, setting)
    extent, so_far = jp._Extent(), ""
    for unit in unbreakable_units(text.replace("\n", "")):
        extent, so_far = extent.plus(setter, unit), so_far + unit
        for hard in (False, True):
            assert extent.width(hard) == setter.min_width(so_far.rstrip(" "), hard), (so_far, hard)


@settings(max_examples=400, deadline=None)
@given(
    text=paragraphs,
    width=st.floats(min_value=5.0, max_value=250.0, allow_nan=False),
    indent=st.sampled_from([0.0, 10.5, 21.0, -10.5, 3.7]),
    setting=settings_st,
    justify=st.booleans(),
)
def test_breaking_as_the_line_grows_is_breaking_from_scratch(
    text: str, width: float, indent: float, setting: Typesetting, justify: bool
) -> None:
    indent = indent if indent < width else 0.0
    kwargs = {"setting": setting, "justify": justify, "em": 10.5}
    assert break_lines(text, width, irregular, indent, **kwargs) == from_scratch(text, width, irregular, indent, **kwargs)


def _bundled_texts() -> list[str]:
    """Every string of the bundled data longer than a few characters (article texts, 別表 cells)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str) and len(node) > 4:
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((Path(__file__).resolve().parents[2] / "data").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


BUNDLED = _bundled_texts()


@pytest.fixture(scope="module")
def font_measure():  # type: ignore[no-untyped-def]
    """BIZ UD Mincho's advances at 10.5 pt, as the layout measures with."""
    from kyoyaku_pdf.layout.text import FontSet
    from kyoyaku_pdf.pdf.fonts import MINCHO, codepoints, register

    return FontSet(register(), codepoints(MINCHO)).measure(10.5)


def test_the_bundled_data_has_texts_to_break() -> None:
    assert len(BUNDLED) > 50 and sum(map(len, BUNDLED)) > 3000


@settings(max_examples=150, deadline=None)
@given(
    picked=st.lists(st.sampled_from(BUNDLED), min_size=1, max_size=4),
    width=st.floats(min_value=40.0, max_value=460.0, allow_nan=False),
    indent=st.sampled_from([0.0, 10.5, 21.0, -21.0]),
    justify=st.booleans(),
)
def test_bundled_texts_in_the_bundled_font_break_as_from_scratch(
    font_measure, picked: list[str], width: float, indent: float, justify: bool  # type: ignore[no-untyped-def]
) -> None:
    text = "".join(picked)
    indent = indent if indent < width else 0.0
    kwargs = {"justify": justify, "em": 10.5}
    assert break_lines(text, width, font_measure, indent, **kwargs) == from_scratch(text, width, font_measure, indent, **kwargs)
