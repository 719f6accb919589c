"""Japanese text rules: 禁則 (kinsoku), 和暦 dates, numbering and line breaking.

This is the single home of Japanese-specific typography so that the renderer can
stay a dumb "draw these lines" layer.  It is pure Python (stdlib only) on purpose:
the rules can be tested without fonts or ReportLab, and the renderer supplies
font metrics through a ``measure`` callback.

Why not ReportLab's ``wordWrap='CJK'``?  See docs/reportlab-cjk-wrap.md: it hangs
line-start-prohibited characters past the margin, ignores line-end rules, splits
some number runs, turns U+3000 into an ASCII space and never justifies CJK lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

__all__ = [
    "CANNOT_START",
    "EARLIEST_DATE",
    "article_caption",
    "article_number",
    "CANNOT_END",
    "Line",
    "break_lines",
    "item_number",
    "schedule_caption",
    "schedule_number",
    "section_number",
    "unbreakable_units",
    "wareki",
]

# --------------------------------------------------------------------------
# 禁則文字 (JLReq 3.1.7 / Appendix A character classes)
# --------------------------------------------------------------------------

#: 行頭禁則: characters that must not begin a line.
CANNOT_START: frozenset[str] = frozenset(
    # cl-02 closing brackets (full-width, then ASCII and half-width forms)
    "’”）〕］｝〉》」』】〙〗〟⦆»" ")]}｣"
    # cl-03 hyphens; ～ (U+FF5E) is the common Windows stand-in for 〜
    "‐〜゠–～"
    # cl-04 dividing punctuation
    "？！‼⁇⁈⁉" "?!"
    # cl-05 middle dots, cl-06 full stops, cl-07 commas (+ ASCII / half-width)
    "・：；" ":;･"
    "。．" ".｡"
    "、，" ",､"
    # cl-09 iteration marks, cl-10 prolonged sound mark
    "ヽヾゝゞ々〻"
    "ーｰ"
    # cl-11 small kana (incl. U+31F0-31FF small katakana extension, half-width small kana)
    "ぁぃぅぇぉっゃゅょゎゕゖ"
    "ァィゥェォッャュョヮヵヶ"
    + "".join(chr(c) for c in range(0x31F0, 0x3200))
    + "ｧｨｩｪｫｬｭｮｯ"
    # cl-13 postfixed abbreviations (units that belong to the preceding number)
    "％‰℃°′″￠" "%"
)

#: 行末禁則: characters that must not end a line.
CANNOT_END: frozenset[str] = frozenset(
    # cl-01 opening brackets (full-width, then ASCII and half-width forms)
    "‘“（〔［｛〈《「『【〘〖〝⦅«" "([{｢"
    # cl-12 prefixed abbreviations (currency and number signs)
    "¥＄￥＃£￡" "$#"
)

_SPACE = " "  # the only character treated as an inter-word break opportunity
_FUZZ = 1e-6  # tolerance for float widths, as ReportLab's rl_config._FUZZ

# --------------------------------------------------------------------------
# 和暦
# --------------------------------------------------------------------------

# (first day of the era, era name), newest first.
_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 10, 23), "明治"),
)
# Before 明治6年1月1日 Japan used the lunisolar calendar, so a Gregorian date
# has no faithful 和暦 rendering with the same month and day.
_GREGORIAN_ADOPTION = date(1873, 1, 1)
#: The earliest date ``wareki`` can write (Japan adopted the Gregorian calendar on 明治6年1月1日).
EARLIEST_DATE = _GREGORIAN_ADOPTION


def wareki(d: date) -> str:
    """Format ``d`` as 和暦 with half-width digits, e.g. ``令和7年3月24日``.

    The first year of an era is written 元年, as official documents do.
    """
    if not isinstance(d, date):
        raise TypeError(f"wareki() needs a datetime.date, got {type(d).__name__}")
    d = date(d.year, d.month, d.day)  # a datetime does not compare with a date
    if d < _GREGORIAN_ADOPTION:
        raise ValueError(
            f"{d.isoformat()} is before 1873-01-01 (明治6年, adoption of the Gregorian "
            "calendar); such dates cannot be written as 和暦 with the same month and day"
        )
    for start, name in _ERAS:
        if d >= start:
            year = d.year - start.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{name}{year_text}年{d.month}月{d.day}日"
    raise AssertionError("unreachable: 明治 covers every date after 1873-01-01")


# --------------------------------------------------------------------------
# Numbering
# --------------------------------------------------------------------------


def _require_positive(n: int, what: str) -> None:
    """Reject non-int (including bool) and n < 1: numbering starts at 1."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"{what} must be >= 1, got {n}")


def item_number(n: int) -> str:
    """号 number ``(1)``: half-width parentheses and digits, as in the source document."""
    _require_positive(n, "item number")
    return f"({n})"


def section_number(n: int) -> str:
    """Sub-heading number of 別表第3 (``1``, ``2``); validated so 0 cannot slip through."""
    _require_positive(n, "section number")
    return str(n)


def article_number(n: int) -> str:
    """The number of an article, 第1条, as written in 横書き 例規 (算用数字)."""
    _require_positive(n, "article number")
    return f"第{n}条"


def article_caption(caption: str) -> str:
    """An article's caption in full-width parentheses: 目的 → （目的）."""
    if not caption or caption[0] in "(（" or caption[-1] in ")）":
        raise ValueError(f"article caption {caption!r} must be given without parentheses")
    return f"（{caption}）"


def schedule_number(n: int) -> str:
    """The number of a 別表 as the text refers to it: 別表第3 (the caption adds its basis)."""
    _require_positive(n, "schedule number")
    return f"別表第{n}"


def schedule_caption(n: int, basis: str) -> str:
    """Caption ``別表第1（第3条第1号関係）``: the article the schedule belongs to.

    ``basis`` is the article reference only; the full-width parentheses and 関係
    are added here, so passing them too is rejected rather than doubled.
    """
    _require_positive(n, "schedule number")
    if not basis or basis != basis.strip():
        raise ValueError(f"schedule basis must be non-empty without surrounding spaces: {basis!r}")
    if basis.endswith("関係") or basis[0] in "（(" or basis[-1] in "）)":
        raise ValueError(f"pass the bare basis (e.g. '第3条第1号'), not {basis!r}")
    return f"{schedule_number(n)}（{basis}関係）"


# --------------------------------------------------------------------------
# Unbreakable units
# --------------------------------------------------------------------------

# One raw token, optionally followed by ASCII spaces: a break is allowed *after*
# a space, never before it, so the space always stays at the end of its line.
_TOKEN = re.compile(
    r"""
    (?:
        (?:[A-Za-z]+|[0-9]+(?:[.,][0-9]+)*)+   # Latin word / number: ICT, 1,234.5, 10km, A4
      | (?P<dash>[…‥―—])(?P=dash)+             # 分離禁止 (cl-08): …… ‥‥ ―― ——
      | .                                      # anything else is its own token
    )
    [ ]*
    """,
    re.VERBOSE | re.DOTALL,
)


def _ends_cannot_end(unit: str) -> bool:
    """True if the unit may not end a line: its last visible character is a 行末禁則 one, or it is
    only spaces (leading spaces of a text), which must not make a line of their own."""
    visible = unit.rstrip(_SPACE)
    return not visible or visible[-1] in CANNOT_END


def _glue_cannot_start(units: list[str]) -> list[str]:
    """Append every unit beginning with a 行頭禁則 char to its predecessor.

    Applied left to right, so ``」。`` both follow the character before them.
    """
    out: list[str] = []
    for unit in units:
        if out and unit[0] in CANNOT_START:
            out[-1] += unit
        else:
            out.append(unit)
    return out


def _glue_cannot_end(units: list[str]) -> list[str]:
    """Prepend every unit ending with a 行末禁則 char to its successor."""
    out: list[str] = []
    carry = ""
    for unit in units:
        if _ends_cannot_end(unit):
            carry += unit
        else:
            out.append(carry + unit)
            carry = ""
    if carry:  # an opening bracket at the very end: nothing to attach it to
        out.append(carry)
    return out


def _segment_units(segment: str) -> list[str]:
    """Units of a text containing no newline."""
    tokens = [m.group() for m in _TOKEN.finditer(segment)]
    return _glue_cannot_end(_glue_cannot_start(tokens))


def unbreakable_units(text: str) -> list[str]:
    """Split ``text`` into the atoms of line breaking: a break may fall only between units.

    A unit is an ASCII number or Latin word (``1,234.5``, ``ICT``, ``10km``), a run
    of the same ``…‥―—`` character, or a single other character; ASCII spaces
    trail the unit before them.  Then 禁則 gluing: a unit starting with a
    CANNOT_START char joins the previous unit, and one ending with a CANNOT_END
    char joins the next, so no break can violate 禁則.  A newline is always its
    own unit and nothing is glued across it.  ``''.join(result) == text``.
    """
    units: list[str] = []
    for i, segment in enumerate(text.split("\n")):
        if i:
            units.append("\n")
        units.extend(_segment_units(segment))
    return units


# --------------------------------------------------------------------------
# Line breaking
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One laid-out line.

    ``text`` is a verbatim slice of the source (trailing ASCII spaces included,
    so lines join back to the source); ``width`` excludes those trailing spaces
    and is what a renderer should stretch when ``justify`` is True.
    """

    text: str
    width: float
    justify: bool


Measure = Callable[[str], float]


def _visible_width(s: str, measure: Measure) -> float:
    """Width that counts for fitting: trailing spaces may overhang the margin."""
    return measure(s.rstrip(_SPACE))


def _fits(s: str, avail: float, measure: Measure) -> bool:
    return _visible_width(s, measure) <= avail + _FUZZ


def _force_split(unit: str, first_avail: float, width: float, measure: Measure) -> list[str]:
    """Cut a unit wider than its line into the longest fitting prefixes.

    The first piece gets ``first_avail``, later pieces a full ``width``.  Each
    piece has at least one character so layout always progresses even if a
    single glyph is wider than the line.  This is the only place rules may break.
    """
    pieces: list[str] = []
    avail = first_avail
    while unit:
        end = 1
        while end < len(unit) and _fits(unit[: end + 1], avail, measure):
            end += 1
        pieces.append(unit[:end])
        unit, avail = unit[end:], width
    return pieces


def _break_segment(
    segment: str, first_avail: float, width: float, measure: Measure
) -> list[str]:
    """Greedy 追い出し filling of one hard-break-free segment; returns line texts."""
    lines: list[str] = []
    current = ""
    avail = first_avail
    for unit in _segment_units(segment):
        if _fits(current + unit, avail, measure):
            current += unit
            continue
        if current:  # unit goes whole to the next line (追い出し, no ぶら下げ)
            lines.append(current)
            current, avail = "", width
            if _fits(unit, avail, measure):
                current = unit
                continue
        *full, current = _force_split(unit, avail, width, measure)
        lines.extend(full)
        if full:
            avail = width
    lines.append(current)
    return lines


def break_lines(
    text: str,
    width: float,
    measure: Measure,
    first_indent: float = 0.0,
) -> list[Line]:
    """Break ``text`` into lines of at most ``width`` (the first ``width - first_indent``).

    Greedy filling of unbreakable_units: a unit that does not fit moves whole to
    the next line (JLReq 追い出し), so 禁則 holds without hanging punctuation
    past the margin (ぶら下げ), which a 協約書 with 両端揃え must not show.
    Only a unit wider than its line is cut, character by character.

    ``"\\n"`` is a hard break: the line before it is not justified, and a blank
    segment between two newlines yields an empty Line; a single trailing newline
    adds no line.  ``first_indent`` applies to the first line of ``text`` only
    (it may be negative for a hanging first line).
    """
    if width <= 0:
        raise ValueError(f"width must be > 0, got {width}")
    if first_indent >= width:
        raise ValueError(f"first_indent {first_indent} leaves no room in width {width}")
    if not text:
        return []
    segments = text.split("\n")
    if text.endswith("\n"):
        segments.pop()
    result: list[Line] = []
    for i, segment in enumerate(segments):
        first_avail = width - first_indent if i == 0 else width
        texts = _break_segment(segment, first_avail, width, measure)
        for j, line_text in enumerate(texts):
            is_last = j == len(texts) - 1
            result.append(Line(line_text, _visible_width(line_text, measure), not is_last))
    return result
