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
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Callable, NamedTuple

__all__ = [
    "CANNOT_START",
    "EARLIEST_DATE",
    "article_caption",
    "article_number",
    "CANNOT_END",
    "CLOSING",
    "FULL_STOPS",
    "Line",
    "MIDDLE_DOTS",
    "OPENING",
    "Typesetting",
    "break_lines",
    "item_number",
    "kinsoku_units",
    "schedule_caption",
    "schedule_number",
    "section_number",
    "set_line",
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
      | …{2,} | ‥{2,} | ―{2,} | —{2,}          # 分離禁止 (cl-08): …… ‥‥ ―― —— (no group: findall)
      | .                                      # anything else is its own token
    )
    [ ]*
    """,
    re.VERBOSE | re.DOTALL,
)


def _ends_cannot_end(unit: str) -> bool:
    """True if the unit may not end a line: its last visible character is a 行末禁則 one, or it is
    only spaces (leading spaces of a text), which must not make a line of their own."""
    if unit[-1] != _SPACE:  # most units: no trailing space to look past
        return unit[-1] in CANNOT_END
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
    return kinsoku_units(_TOKEN.findall(segment))


def kinsoku_units(tokens: list[str]) -> list[str]:
    """``tokens`` (each with the spaces after it) glued so that a break between two units never
    violates 禁則: a token beginning with a CANNOT_START character joins the one before it, one
    ending with a CANNOT_END character the one after it. Any tokenizing serves: the CLI's help keeps
    every run of ASCII (an option, a path) whole."""
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
# Spacing classes (JLReq 3.1.4–3.1.6 and Appendix A; JIS X 4051)
# --------------------------------------------------------------------------

#: cl-01 opening brackets: the glyph stands in the right half of its em box (half an em of アキ before it).
OPENING: frozenset[str] = frozenset("‘“（〔［｛〈《「『【〘〖〝⦅")
#: cl-02 closing brackets and cl-07 commas: the glyph stands in the left half (half an em of アキ after it).
CLOSING: frozenset[str] = frozenset("’”）〕］｝〉》」』】〙〗〟⦆" "、，")
#: cl-06 full stops: like commas, but JIS X 4051 keeps their half em inside a line; only at the line end
#: may it go (JLReq Table 5, "1/2=0").
FULL_STOPS: frozenset[str] = frozenset("。．")
#: cl-05 middle dots: a quarter em on each side.
MIDDLE_DOTS: frozenset[str] = frozenset("・：；")

# Amounts, in em.
_HALF = 0.5
_QUARTER = 0.25
#: 和欧間 (between Western and Japanese characters): a quarter em, down to an eighth under squeezing
#: (JIS X 4051 "1/4-1/8"), up to a half em under expansion.
_LATIN_GAP, _LATIN_MIN, _LATIN_MAX = 0.25, 0.125, 0.5
#: Inside a line the half em of a bracket or comma first gives a quarter (JLReq Table 5, book
#: practice: "1/2-1/4"; at the line end or start it may go entirely, "1/2=0"), and the rest (JIS X
#: 4051: "1/2-0") only where pushing the unit down instead would open gaps wider than _MAX_SPREAD.
_PUNCT_MIN = 0.25

# 追い込み priorities, applied in this order until the line fits (JIS X 4051's order: 和欧間 first, then
# middle dots, then brackets and commas); _FIXED: a full stop's half em inside a line never goes.
_SHRINK_LATIN, _SHRINK_MIDDLE, _SHRINK_PUNCT, _FIXED = range(4)


@dataclass(frozen=True)
class Typesetting:
    """How lines are set.

    ``latin_spacing``: a quarter em between Western letters/digits and kana/kanji (JLReq 3.2.6 d,
    Word's default for Japanese documents), shrinkable to an eighth when a line is squeezed.
    ``hanging``: ぶら下げ — a 、 or 。 that does not fit even after squeezing hangs past the line end
    instead of pulling the character before it down; off by default, because a 協約書 set 両端揃え
    must keep every glyph inside the text block (JLReq allows it only for cl-06/07).
    """

    latin_spacing: bool = True
    hanging: bool = False


def _is_western(ch: str) -> bool:
    return "!" <= ch <= "~"


def _is_japanese(ch: str) -> bool:
    """Kana and kanji (JLReq cl-15, cl-16, cl-19), the characters a 四分アキ separates from Latin."""
    o = ord(ch)
    if ch in MIDDLE_DOTS or ch == "゠":
        return False
    return (
        0x3041 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF or ch in "々〆〇"
    )


class _Right(NamedTuple):
    """All the gap after a glyph depends on, of that glyph: its アキ after the ink and how it may go,
    whether it is an opening bracket or a word space, and its script (for 和欧間)."""

    after: float
    level: int
    opening: bool
    space: bool
    script: str


class _Left(NamedTuple):
    """All the gap before a glyph depends on, of that glyph."""

    before: float
    level: int
    closes: bool
    script: str


#: every kind of side met so far, numbered (a handful per font size: the values are lengths in points)
_LEFT_KINDS: dict[_Left, int] = {}
_RIGHT_KINDS: dict[_Right, int] = {}


class _Glyph(NamedTuple):
    """A character with its advance and the アキ its em box holds before and after the ink, and its
    two sides as the spacing between neighbours sees them (made by ``_glyph``: a tuple, as it is made
    for every character a setter meets, and read for every character it sets)."""

    char: str
    advance: float
    before: float
    after: float
    ink: float
    left: _Left
    right: _Right
    #: the kind of each side, a small number standing for ``left`` / ``right`` in the setter's
    #: tables of neighbours (a tuple of two ints hashes faster than two tuples of four and five fields)
    left_kind: int
    right_kind: int


def _glyph(
    char: str, advance: float, before: float = 0.0, after: float = 0.0,
    before_level: int = _SHRINK_PUNCT, after_level: int = _SHRINK_PUNCT,
) -> _Glyph:
    """The glyph of ``char``, its アキ (and how each may go) before and after the ink given."""
    script = _script(char)
    closes = after > 0 and before == 0  # a closing mark set in a full em: one that follows another sets solid
    left = _Left(before, before_level, closes, script)
    right = _Right(after, after_level, char in OPENING, char == _SPACE, script)
    return _Glyph(char, advance, before, after, advance - before - after, left, right,
                  _LEFT_KINDS.setdefault(left, len(_LEFT_KINDS)), _RIGHT_KINDS.setdefault(right, len(_RIGHT_KINDS)))


class _Gap(NamedTuple):
    """The space between two inks (or before the first / after the last), and how it may change. What
    it is set to is kept apart (a line's gaps are set as a list of floats): this is the same for every
    pair of neighbours of the same kinds, and shared by them."""

    natural: float
    shrink: float = 0.0
    level: int = _SHRINK_PUNCT
    #: what a mark's アキ inside a line may give beyond ``shrink``, as the last resort
    hard: float = 0.0
    #: first expansion pass: word spaces and 和欧間 grow up to this much more
    stretch: float = 0.0


#: no space, and none to take or give (the gaps of an empty line, and a hanging mark's last)
_NO_GAP = _Gap(0.0)


class _Setter:
    """Glyph metrics and the JLReq spacing of a run of characters, for one font size (``em``)."""

    def __init__(self, measure: Measure, em: float, setting: Typesetting) -> None:
        self.measure = measure
        self.em = em
        self.setting = setting
        self._glyphs: dict[str, _Glyph] = {}
        #: the gap between two neighbours depends on nothing but the right side of the one and the
        #: left side of the other, of which a text has a handful of kinds: each pair of kinds is worked
        #: out once, as (natural, shrink, level, hard, stretch) and as its two terms of a minimum width
        self._pairs: dict[tuple[int, int], _Gap] = {}
        self._terms: dict[tuple[int, int], tuple[float, float]] = {}

    def glyph(self, ch: str) -> _Glyph:
        found = self._glyphs.get(ch)
        if found is None:
            found = self._glyphs[ch] = self._make_glyph(ch)
        return found

    def _make_glyph(self, ch: str) -> _Glyph:
        advance = self.measure(ch)
        if abs(advance - self.em) > 0.01 * self.em:  # a proportional or half-width form carries no アキ
            return _glyph(ch, advance)
        half, quarter = _HALF * self.em, _QUARTER * self.em
        if ch in OPENING:
            return _glyph(ch, advance, before=half)
        if ch in CLOSING:
            return _glyph(ch, advance, after=half)
        if ch in FULL_STOPS:
            return _glyph(ch, advance, after=half, after_level=_FIXED)
        if ch in MIDDLE_DOTS:
            return _glyph(ch, advance, before=quarter, after=quarter, before_level=_SHRINK_MIDDLE, after_level=_SHRINK_MIDDLE)
        return _glyph(ch, advance)

    def inner_gap(self, p: _Glyph, q: _Glyph) -> _Gap:
        """The gap between two neighbours (see ``_pair``)."""
        key = (p.right_kind, q.left_kind)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = self._pair(p.right, q.left)
        return found

    def _pair(self, p: _Right, q: _Left) -> _Gap:
        """約物の詰め and 四分アキ between two neighbours: of two marks' アキ only one half em is kept
        (」「 、「), none between two closing marks (」。 ）、) or two opening ones (（「)."""
        if (p.after and q.closes) or (p.opening and q.before):
            aki, level = 0.0, _SHRINK_PUNCT
        elif p.after >= q.before:
            aki, level = p.after, p.level
        else:
            aki, level = q.before, q.level
        natural, shrink = aki, self._inner_shrink(aki, level)
        hard = aki - shrink if level == _SHRINK_PUNCT else 0.0
        em = self.em
        stretch = _QUARTER * em if p.space else 0.0  # a word space grows first (JIS X 4051 欧文間隔)
        if aki == 0 and self.setting.latin_spacing and {p.script, q.script} == {_LATIN, _JAPANESE}:
            natural, shrink, level = _LATIN_GAP * em, (_LATIN_GAP - _LATIN_MIN) * em, _SHRINK_LATIN
            stretch = (_LATIN_MAX - _LATIN_GAP) * em
        return _Gap(natural, shrink, level, hard, stretch)

    def terms(self, p: _Glyph, q: _Glyph) -> tuple[float, float]:
        """What the gap between ``p`` and ``q`` adds to a minimum width: every shrinkable space at its
        minimum, then also the marks' アキ down to nothing (the two values ``min_width`` sums)."""
        key = (p.right_kind, q.left_kind)
        found = self._terms.get(key)
        if found is None:
            natural, shrink, _, hard, _ = self.inner_gap(p, q)
            found = self._terms[key] = (natural - shrink - 0.0, natural - shrink - hard)
        return found

    def _inner_shrink(self, aki: float, level: int) -> float:
        """How much of a mark's アキ inside a line may go."""
        if level == _FIXED:
            return 0.0
        if level == _SHRINK_PUNCT:
            return max(0.0, aki - _PUNCT_MIN * self.em)
        return aki

    def gaps(self, glyphs: list[_Glyph]) -> list[_Gap]:
        """The n+1 gaps of n glyphs: before the first (an opening bracket's アキ at the line start),
        between neighbours, and after the last (a closing mark's アキ at the line end, which may go
        even for a full stop). Gap ``i`` stands before glyph ``i``: a line may break there if ``i`` is
        one of its break places."""
        if not glyphs:
            return [_NO_GAP]
        first, last = glyphs[0], glyphs[-1]
        pairs, inner = self._pairs, self.inner_gap
        out = [_Gap(first.before, first.before, first.left.level)]
        out += [pairs.get((p.right_kind, q.left_kind)) or inner(p, q) for p, q in zip(glyphs, glyphs[1:])]
        out.append(_Gap(last.after, last.after, min(last.right.level, _SHRINK_PUNCT)))
        return out

    def min_width(self, text: str, hard: bool = False) -> float:
        """The narrowest this text can be set: every shrinkable space at its minimum (with ``hard``,
        the marks' アキ inside the line down to nothing). Measured from scratch; ``_Extent`` keeps the
        same sums as a line grows, adding the terms in the same order, so it gets the same float."""
        glyphs = [self.glyph(c) for c in text]
        gaps = self.gaps(glyphs)
        return sum(g.ink for g in glyphs) + sum(gap.natural - gap.shrink - (gap.hard if hard else 0.0) for gap in gaps)


_LATIN, _JAPANESE = "latin", "japanese"


def _script(ch: str) -> str:
    """Which side of a 和欧間 a character stands on, if either."""
    if _is_western(ch):
        return _LATIN
    return _JAPANESE if _is_japanese(ch) else ""


def _shrink(values: list[float], gaps: list[_Gap], excess: float) -> None:
    """Take ``excess`` away from the ``values`` the ``gaps`` are set to, priority by priority, evenly
    (in proportion) within a priority; the marks' last quarter em inside the line last of all."""
    stages = [[(i, g.shrink) for i, g in enumerate(gaps) if g.level == level and g.shrink > 0]
              for level in (_SHRINK_LATIN, _SHRINK_MIDDLE, _SHRINK_PUNCT)]
    stages.append([(i, g.hard) for i, g in enumerate(gaps) if g.hard > 0])
    for members in stages:
        if excess <= _FUZZ:
            return
        capacity = sum(amount for _, amount in members)
        if capacity <= 0:
            continue
        take = min(excess, capacity)
        for i, amount in members:
            values[i] -= amount * take / capacity
        excess -= take


def _stretch(values: list[float], gaps: list[_Gap], breaks: frozenset[int], slack: float) -> None:
    """Expand in JIS X 4051 order: word spaces and 和欧間 first (up to a half em), then the rest evenly
    over the places where a line may break (never inside a number or word, never between a mark and
    the character it belongs to), or over every gap if the line has no such place."""
    stretchy = [(i, g.stretch) for i, g in enumerate(gaps) if g.stretch > 0]
    capacity = sum(amount for _, amount in stretchy)
    if capacity > 0:
        take = min(slack, capacity)
        for i, amount in stretchy:
            values[i] += amount * take / capacity
        slack -= take
    spread = _spread_places(len(gaps), breaks)
    if slack > _FUZZ and spread:
        for i in spread:
            values[i] += slack / len(spread)


def _spread_places(gaps: int, breaks: frozenset[int]) -> list[int]:
    """The gaps inside a line over which justifying spreads what is left: the break places, or every
    inner gap if the line has none."""
    inner = range(1, gaps - 1)
    return [i for i in inner if i in breaks] or list(inner)


@dataclass(frozen=True)
class Line:
    """One laid-out line.

    ``text`` is a verbatim slice of the source (trailing ASCII spaces included, so lines join back
    to the source). ``positions`` give, for every character of ``text``, the x of its em box from the
    line's start, as set: the renderer draws each glyph there and nothing else. ``width`` is the
    extent of the set line (without trailing spaces and without a hanging 、。). ``justify`` is True
    for every line but the last of a paragraph or hard-break segment.
    """

    text: str
    width: float
    justify: bool
    positions: tuple[float, ...] = ()

    def __hash__(self) -> int:
        """Hashed once: a line is the key of what drawing it writes, looked up for every line drawn."""
        try:
            return self.__dict__["_hash"]
        except KeyError:
            found = self.__dict__["_hash"] = hash((self.text, self.width, self.justify, self.positions))
            return found

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickled by its fields alone: the remembered hash is of this process's string hashing."""
        return Line, (self.text, self.width, self.justify, self.positions)


Measure = Callable[[str], float]


def _set_line(
    setter: _Setter, text: str, breaks: frozenset[int], target: float | None, justify: bool, hang: bool = False,
    last: bool | None = None,
) -> Line:
    """Set one line's characters: squeeze to ``target`` if they overflow it, expand to it if
    ``justify``; a hanging last character stands past the end. The Line is marked justified unless
    it is the ``last`` of its paragraph or segment (default: unless it is not expanded)."""
    visible = text.rstrip(_SPACE)
    body = visible[:-1] if hang else visible
    glyphs = [setter.glyph(c) for c in body]
    gaps = setter.gaps(glyphs)
    if hang and glyphs:
        gaps[-1] = _NO_GAP
    values = [gap.natural for gap in gaps]
    natural = sum(g.ink for g in glyphs) + sum(values)
    if target is not None and natural > target + _FUZZ:
        _shrink(values, gaps, natural - target)
    elif target is not None and justify and natural < target - _FUZZ:
        _stretch(values, gaps, breaks, target - natural)
    positions: list[float] = []
    x = 0.0
    for glyph, value in zip(glyphs, values):
        x += value
        positions.append(x - glyph.before)
        x += glyph.ink
    width = x + values[-1] if glyphs else 0.0
    x = width
    rest = text[len(body):]
    if hang:
        hung = setter.glyph(rest[0])
        gap = setter.inner_gap(glyphs[-1], hung).natural if glyphs else 0.0
        x += gap - hung.before
    for ch in rest:  # the hanging mark, then trailing spaces: after the set width, unmeasured
        positions.append(x)
        x += setter.glyph(ch).advance
    return Line(text, width, justify if last is None else not last, tuple(positions))


def set_line(text: str, measure: Measure, setting: Typesetting = Typesetting(), em: float | None = None) -> Line:
    """``text`` set on one line at its natural JLReq spacing (約物の詰め, 四分アキ), not justified:
    for short texts that are placed, not broken (labels, names, titles)."""
    return _set_line(_setter(measure, _em(measure, em), setting), text, frozenset(), None, False)


@lru_cache(maxsize=64)
def _setter(measure: Measure, em: float, setting: Typesetting) -> _Setter:
    """One setter per measure, size and setting, kept: a document sets hundreds of paragraphs with the
    same few, and the setter remembers every glyph and every pair of neighbours it has worked out.
    ``measure`` must give the same advance for the same character every time (as a font does)."""
    return _Setter(measure, em, setting)


def _em(measure: Measure, em: float | None) -> float:
    """The em of the font: given, or the advance of U+3000 (always one em in a Japanese font)."""
    return em if em is not None else measure("\u3000")


class _Extent(NamedTuple):
    """The narrowest a line's text can be set — ``_Setter.min_width`` of it without its trailing
    spaces, without and with the hard squeeze — kept as the line grows, so that trying one more unit
    costs that unit's characters instead of measuring the whole line again. The sums add the same
    terms in the same order as ``min_width`` does, so they are the same floats: the same lines."""

    ink: float = 0.0
    soft: float = 0.0
    hard: float = 0.0
    #: the last glyph measured (None while nothing visible is)
    last: _Glyph | None = None
    #: trailing spaces, not measured yet: they count only once something visible follows them
    spaces: str = ""

    def plus(self, setter: _Setter, unit: str) -> _Extent:
        """The extent of the text with ``unit`` added."""
        last = self.last
        if len(unit) == 1 and unit != _SPACE and not self.spaces:  # one character: most units are
            glyph = setter.glyph(unit)
            if last is None:
                return _Extent(self.ink + glyph.ink, self.soft, self.hard, glyph)
            soft_term, hard_term = setter.terms(last, glyph)
            return _Extent(self.ink + glyph.ink, self.soft + soft_term, self.hard + hard_term, glyph)
        visible = unit.rstrip(_SPACE)
        if not visible:
            return _Extent(self.ink, self.soft, self.hard, last, self.spaces + unit)
        ink, soft, hard = self.ink, self.soft, self.hard
        for ch in self.spaces + visible:
            glyph = setter.glyph(ch)
            if last is not None:
                soft_term, hard_term = setter.terms(last, glyph)
                soft += soft_term
                hard += hard_term
            ink += glyph.ink
            last = glyph
        return _Extent(ink, soft, hard, last, unit[len(visible):])

    def width(self, hard: bool = False) -> float:
        return self.ink + (self.hard if hard else self.soft)


@dataclass
class _Filling:
    """The line being filled: its text, where its units start (break places), the room it has, and
    its extent while it is filled (``_lengthen_last_line``, which moves text between the finished
    last two lines, sets only their text and break places)."""

    avail: float
    text: str = ""
    breaks: list[int] = field(default_factory=list)
    #: the class looked up as each line starts: tests/text swap in a measurement from scratch
    extent: _Extent = field(default_factory=lambda: _Extent())

    def grown(self, setter: _Setter, unit: str) -> _Extent:
        return self.extent.plus(setter, unit)

    def add(self, unit: str, extent: _Extent) -> None:
        """Add ``unit``, whose extent with the line's text is ``extent`` (from ``grown``)."""
        if self.text:
            self.breaks.append(len(self.text))
        self.text += unit
        self.extent = extent


def _break_segment(
    segment: str, first_avail: float, width: float, setter: _Setter, justify: bool
) -> list[Line]:
    """Greedy filling of one hard-break-free segment, squeezing before pushing down: a unit stays on
    the line if the line can be squeezed to take it (追い込み); otherwise it goes whole to the next
    line (追い出し) — or, with ``hanging``, a final 、。 hangs past the end."""
    done: list[tuple[_Filling, bool]] = []
    line = _Filling(first_avail)

    def squeeze_hard(grown: _Extent) -> bool:
        """Take a mark's last quarter em rather than push down, when pushing would open the line too
        wide (justified text only: a ragged line just ends earlier)."""
        return justify and grown.width(hard=True) <= line.avail + _FUZZ and (
            _spread(setter, line.text, frozenset(line.breaks), line.avail) > _MAX_SPREAD * setter.em
        )

    def finish(hang: bool = False) -> None:
        nonlocal line
        done.append((line, hang))
        line = _Filling(width)

    for unit in _segment_units(segment):
        grown = line.grown(setter, unit)
        if grown.width() <= line.avail + _FUZZ or (line.text and squeeze_hard(grown)):
            line.add(unit, grown)
            continue
        if line.text and _can_hang(setter, line.text + unit, line.avail):
            line.add(unit, grown)
            finish(hang=True)
            continue
        if line.text:  # the unit goes whole to the next line (追い出し)
            finish()
            grown = line.grown(setter, unit)
            if grown.width() <= line.avail + _FUZZ:
                line.add(unit, grown)
                continue
        pieces = _force_split(unit, line.avail, width, setter)
        for piece in pieces[:-1]:
            line.add(piece, line.grown(setter, piece))
            finish()
        line.add(pieces[-1], line.grown(setter, pieces[-1]))
    done.append((line, False))
    _lengthen_last_line(done, setter, justify)
    lines = []
    for index, (filled, hang) in enumerate(done):
        is_last = index == len(done) - 1
        breaks = frozenset(filled.breaks)
        lines.append(_set_line(setter, filled.text, breaks, filled.avail, justify and not is_last, hang, is_last))
    return lines


#: A paragraph's last line should not carry only the end of a sentence (「む。」, 「する。」): in justified
#: text it gets at least this many characters, taken from the line before, ...
_MIN_LAST_LINE = 4
#: ... as long as that line then needs no more than this much extra space per gap (em) — the spacing
#: the signing copies keep, where it does not yet read as a gap. Ragged text (cells set flush left)
#: only avoids a last line of a single character (「…の推」/「進」), at any cost to the line before.
_MAX_SPREAD = 0.09
_MIN_LAST_RAGGED = 2


def _lengthen_last_line(done: list[tuple[_Filling, bool]], setter: _Setter, justify: bool) -> None:
    """Move units from the end of the line before the last onto the last line, one by one, until the
    last is long enough (see ``_MIN_LAST_LINE``) — unless the justified line before would spread by
    more than ``_MAX_SPREAD`` em a gap, or the last line would no longer fit; then nothing moves."""
    if len(done) < 2 or done[-2][1]:
        return
    least = _MIN_LAST_LINE if justify else _MIN_LAST_RAGGED
    before, last = done[-2][0], done[-1][0]
    text, breaks, tail = before.text, list(before.breaks), last.text
    while len(tail.rstrip(_SPACE)) < least and breaks:
        cut = breaks.pop()
        text, tail = text[:cut], text[cut:] + tail
        if setter.min_width(tail.rstrip(_SPACE)) > last.avail + _FUZZ:
            return
        if justify and _spread(setter, text, frozenset(breaks), before.avail) > _MAX_SPREAD * setter.em:
            return
    if len(tail.rstrip(_SPACE)) < least:
        return
    moved = len(before.text) - len(text)
    last.breaks = [moved] + [b + moved for b in last.breaks]
    before.text, before.breaks, last.text = text, breaks, tail


def _spread(setter: _Setter, text: str, breaks: frozenset[int], avail: float) -> float:
    """The extra space per break place that justifying ``text`` to ``avail`` takes, after word spaces
    and 和欧間 have grown as far as they may."""
    visible = text.rstrip(_SPACE)
    glyphs = [setter.glyph(c) for c in visible]
    gaps = setter.gaps(glyphs)
    slack = avail - sum(g.ink for g in glyphs) - sum(g.natural for g in gaps)
    slack -= sum(g.stretch for g in gaps)
    places = _spread_places(len(gaps), breaks)
    return max(slack, 0.0) / len(places) if places else float("inf")

def _can_hang(setter: _Setter, text: str, avail: float) -> bool:
    """ぶら下げ: the line ends with a 、。 and fits without it."""
    visible = text.rstrip(_SPACE)
    if not setter.setting.hanging or len(visible) < 2 or visible != text or visible[-1] not in "、。，．":
        return False
    return setter.min_width(visible[:-1]) <= avail + _FUZZ


def _force_split(unit: str, first_avail: float, width: float, setter: _Setter) -> list[str]:
    """Cut a unit wider than its line into the longest fitting prefixes.

    The first piece gets ``first_avail``, later pieces a full ``width``.  Each
    piece has at least one character so layout always progresses even if a
    single glyph is wider than the line.  This is the only place rules may break.
    """
    pieces: list[str] = []
    avail = first_avail
    while unit:
        extent, end = _Extent().plus(setter, unit[0]), 1
        while end < len(unit):
            grown = extent.plus(setter, unit[end])
            if grown.width() > avail + _FUZZ:
                break
            extent, end = grown, end + 1
        pieces.append(unit[:end])
        unit, avail = unit[end:], width
    return pieces


def break_lines(
    text: str,
    width: float,
    measure: Measure,
    first_indent: float = 0.0,
    *,
    setting: Typesetting = Typesetting(),
    justify: bool = True,
    em: float | None = None,
) -> list[Line]:
    """Break ``text`` into lines of at most ``width`` (the first ``width - first_indent``) and set them.

    Per line, in JLReq §3.8's order: a unit that would overflow stays if the spacing JLReq lets go
    (和欧間 down to an eighth, middle dots, the half em of brackets and commas down to a quarter inside
    the line — to nothing if pushing down would open gaps over 0.09 em — and entirely at its end, a
    full stop's only there) makes room (追い込み); otherwise it moves whole
    to the next line (追い出し), so 禁則 holds and no glyph passes the margin (unless ``setting.hanging``
    lets a 、。 hang). Then, if ``justify``, every line but the last is expanded to the full width in
    JIS X 4051's order (word spaces and 和欧間, then the break places evenly). Only a unit wider than
    its line is cut, character by character. ``measure`` is called with single characters; ``em`` is
    the font size (default: the advance of U+3000).

    ``"\\n"`` is a hard break: the line before it is not justified, and a blank segment between two
    newlines yields an empty Line; a single trailing newline adds no line.  ``first_indent`` applies
    to the first line of ``text`` only (it may be negative for a hanging first line).
    """
    if width <= 0:
        raise ValueError(f"width must be > 0, got {width}")
    if first_indent >= width:
        raise ValueError(f"first_indent {first_indent} leaves no room in width {width}")
    if not text:
        return []
    setter = _setter(measure, _em(measure, em), setting)
    segments = text.split("\n")
    if text.endswith("\n"):
        segments.pop()
    result: list[Line] = []
    for i, segment in enumerate(segments):
        first_avail = width - first_indent if i == 0 else width
        result += _break_segment(segment, first_avail, width, setter, justify)
    return result
