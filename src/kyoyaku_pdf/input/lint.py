"""公用文 proof-reading: the slips a careful reader would mark in red before an agreement is signed.

Loading rejects input that cannot be printed; this module only warns. Everything here prints without
complaint, yet a document clerk would send it back: digits or Latin letters in two widths, half-width
katakana, stray spaces, unbalanced brackets, one sentence lacking the 。 its siblings have, doubled
punctuation. Each rule is a small function over all the texts (some must see the whole document to
know its house style) and is listed in ``RULES``, so tests and callers can run them one by one.

Standard library only: the lint must run where the PDF stack is not installed (an editor hook, CI on
a data repository), so it imports neither the YAML reader nor reportlab. It takes the ``TextField``
records that loading already collected, so every warning points at the file, line and column where
the text was written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from ..messages import shown
from ..messages import text as message

if TYPE_CHECKING:  # binding imports the YAML reader at run time; the lint only needs the shape
    from .binding import TextField

#: A rule looks at every text of the document and returns its warnings.
Rule = Callable[[Sequence["TextField"]], list[Problem]]

#: Fields that are identifiers or file paths, never printed (model.AgreementFile.id and .common,
#: model.CommonFile.schedules): they are ASCII by nature and must not set or break the house style.
UNPRINTED_FIELDS = frozenset({"id", "common", "schedules"})

_HALF_DIGIT = re.compile(r"[0-9]")
_FULL_DIGIT = re.compile(r"[０-９]")
_HALF_LATIN = re.compile(r"[A-Za-z]")
_FULL_LATIN = re.compile(r"[Ａ-Ｚａ-ｚ]")
_HALF_KATAKANA = re.compile(r"[\uff65-\uff9f]+")
_SPACES = " \u3000"
_LEADING_SPACE = re.compile(r"^[ \u3000]+")
_TRAILING_SPACE = re.compile(r"[ \u3000]+$")
_SPACE_RUN = re.compile(r"[ \u3000]{2,}")
#: A run of spaces inside a text (not at either end).
_INNER_SPACE = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")
#: A number that starts a heading (第1, 別表第2, 3, 3., (1), （１）, 一): the one place inside a
#: text where 公用文 puts a full-width space, between the number and its heading.
_NUMBER_LABEL = re.compile(
    r"(?:(?:別表)?第[0-9０-９一二三四五六七八九十百千]+[条項号章節款]?|[0-9０-９]+[.．]?"
    r"|[(（][0-9０-９]+[)）]|[一二三四五六七八九十]+)\u3000"
)
_BRACKETS = (("「", "」"), ("（", "）"), ("『", "』"), ("【", "】"), ("(", ")"))
_CLOSERS = "".join(close for _, close in _BRACKETS)
_DOUBLED_PUNCTUATION = re.compile(r"[、。]{2,}")

#: The fields that hold sentences, by family: within a family a proof-reader expects one style (all
#: end with 。 or none do). Recital paragraphs and the closing are one family, the body of the text;
#: each row of the 別表 tables is a family across every table. Names, titles, addresses, offices and
#: captions are not sentences and are left alone.
_SENTENCE_FAMILIES = {
    "content": "content",
    "hub_role": "hub_role",
    "partner_role": "partner_role",
    "recital": "body",
    "closing": "body",
}


def lint(texts: Sequence[TextField]) -> list[Problem]:
    """Every warning of every rule, sorted by where the text was written (then by rule order)."""
    problems = [problem for rule in RULES for problem in rule(texts)]
    return sorted(problems, key=lambda p: (p.location, p.field))


# ---- rules --------------------------------------------------------------------------------------


def mixed_digit_widths(texts: Sequence[TextField]) -> list[Problem]:
    """Digits must be all half-width or all full-width in one document; mark the minority's texts."""
    return _minority_width(texts, _HALF_DIGIT, _FULL_DIGIT, "digit")


def mixed_latin_widths(texts: Sequence[TextField]) -> list[Problem]:
    """Latin letters (ICT, DV) must be one width throughout the document; mark the minority's texts."""
    return _minority_width(texts, _HALF_LATIN, _FULL_LATIN, "latin")


def half_width_katakana(texts: Sequence[TextField]) -> list[Problem]:
    """Half-width katakana never belongs in an official document; suggest the full-width spelling."""
    problems = []
    for text, chars in _prose(texts):
        for run in _HALF_KATAKANA.finditer(chars):
            full = unicodedata.normalize("NFKC", run.group())
            problems.append(_warn(text, "lint-half-katakana", run=shown(run.group()), at=_at(run.start()), full=full))
    return problems


def stray_spaces(texts: Sequence[TextField]) -> list[Problem]:
    """Spaces at either end, or two in a row, are typing slips: the layout places and indents text."""
    problems = []
    for text, chars in _prose(texts):
        leading = _LEADING_SPACE.match(chars)
        trailing = _TRAILING_SPACE.search(chars)
        if leading:
            problems.append(_warn(text, "lint-leading-space", spaces=_spaces(leading.group()), at=_at(0)))
        for run in _SPACE_RUN.finditer(chars):
            at_an_end = run.start() == 0 or run.end() == len(chars)
            if " " in run.group() and not at_an_end:  # a run of U+3000 alone: ideographic_space_in_sentence
                problems.append(_warn(text, "lint-doubled-space", spaces=_spaces(run.group()), at=_at(run.start())))
        if trailing and trailing.start() > 0:  # an all-space text was reported as leading
            problems.append(_warn(text, "lint-trailing-space", spaces=_spaces(trailing.group()),
                                  at=_at(trailing.start())))
    return problems


def ideographic_space_in_sentence(texts: Sequence[TextField]) -> list[Problem]:
    """A space between Japanese characters belongs only before a paragraph or after a heading's
    number, not mid-text: 藤木　正 and 藤木 正 alike (a half-width space beside a Latin word, as in
    ICT 活用, is the one space a text may hold)."""
    problems = []
    for text, chars in _prose(texts):
        label = _NUMBER_LABEL.match(chars)
        for run in _INNER_SPACE.finditer(chars):
            if label and run.start() == label.end() - 1:
                continue
            beside = chars[run.start() - 1] + chars[run.end()]
            if "\u3000" not in run.group() and (len(run.group()) > 1 or any(c.isascii() for c in beside)):
                continue  # beside a Latin word (ICT 活用); or a doubled space, which stray_spaces names
            problems.append(_warn(text, "lint-inner-space", spaces=_spaces(run.group()), at=_at(run.start())))
    return problems


def unbalanced_brackets(texts: Sequence[TextField]) -> list[Problem]:
    """Every 「（『【 or ( needs its closing partner after it within the same text."""
    problems = []
    for text, chars in _prose(texts):
        found: list[tuple[int, str, str, str]] = []
        for opening, closing in _BRACKETS:
            found += _unmatched(chars, opening, closing)
        problems += [_warn(text, code, at=_at(index), this=this, other=other)
                     for index, code, this, other in sorted(found)]
    return problems


def missing_full_stop(texts: Sequence[TextField]) -> list[Problem]:
    """A sentence field without 。 where most of its family end with one is a dropped full stop."""
    families: dict[str, list[tuple[TextField, str]]] = defaultdict(list)
    for text, chars in _prose(texts):
        family = _SENTENCE_FAMILIES.get(_leaf(text.path))
        if family:
            families[family].append((text, chars))
    problems = []
    for family, members in families.items():
        ending = sum(_ends_with_full_stop(chars) for _, chars in members)
        if ending * 2 <= len(members):  # no clear house style: a family may be written without 。
            continue
        for text, chars in members:
            trimmed = chars.rstrip(_SPACES)
            if not trimmed or _ends_with_full_stop(chars) or trimmed.endswith("、"):  # 、: its own warning
                continue
            problems.append(_warn(text, "lint-missing-full-stop", at=_at(len(trimmed) - 1), ending=ending,
                                  count=len(members), family=message(f"lint-family-{family}")))
    return problems


def doubled_or_dangling_punctuation(texts: Sequence[TextField]) -> list[Problem]:
    """'。。', '、、' (or '、。') are typos, and a text cannot end on '、': the sentence was cut short."""
    problems = []
    for text, chars in _prose(texts):
        for run in _DOUBLED_PUNCTUATION.finditer(chars):
            problems.append(_warn(text, "lint-doubled-punctuation", run=run.group(), at=_at(run.start())))
        trimmed = chars.rstrip(_SPACES)
        if trimmed.endswith("、"):
            problems.append(_warn(text, "lint-dangling-comma", at=_at(len(trimmed) - 1)))
    return problems


#: Every rule, in the order their warnings are listed for one text.
RULES: tuple[Rule, ...] = (
    mixed_digit_widths,
    mixed_latin_widths,
    half_width_katakana,
    stray_spaces,
    ideographic_space_in_sentence,
    unbalanced_brackets,
    missing_full_stop,
    doubled_or_dangling_punctuation,
)


# ---- helpers ------------------------------------------------------------------------------------


def _prose(texts: Sequence[TextField]) -> Iterator[tuple[TextField, str]]:
    """The printed texts with their strings.

    Placeholders ({甲}, {乙}, {通数}) are left as they are: no rule looks at braces, and their names
    are neither digits, Latin letters, spaces nor punctuation, so they can never be warned about.
    """
    for text in texts:
        if text.path not in UNPRINTED_FIELDS:
            yield text, text.text


def _minority_width(
    texts: Sequence[TextField], half: re.Pattern[str], full: re.Pattern[str], kind: str
) -> list[Problem]:
    """Warn at each text using the rarer width of ``kind`` when the document uses both.

    Counted in characters over the whole document: the house style is what most of it already uses.
    A tie goes to half-width, the 公用文 rule for horizontal writing (and the bundled data's choice).
    """
    prose = list(_prose(texts))
    halves = sum(len(half.findall(chars)) for _, chars in prose)
    fulls = sum(len(full.findall(chars)) for _, chars in prose)
    if not (halves and fulls):
        return []
    rare, rare_width, usual_width = (full, "full", "half") if fulls <= halves else (half, "half", "full")
    problems = []
    for text, chars in prose:
        hits = list(rare.finditer(chars))
        if hits:
            more = message("lint-more-in-text", count=len(hits)) if len(hits) > 1 else ""
            problems.append(_warn(text, f"lint-minority-{kind}-{rare_width}", char=shown(hits[0].group()),
                                  at=_at(hits[0].start()), more=more, usual=message(f"lint-width-{usual_width}")))
    return problems


def _unmatched(chars: str, opening: str, closing: str) -> list[tuple[int, str, str, str]]:
    """Offsets and message codes of the closers met before any opener and the openers never closed."""
    found: list[tuple[int, str, str, str]] = []
    if closing not in chars and opening not in chars:  # most texts, for most pairs: no walk at all
        return found
    open_at: list[int] = []
    for index, char in enumerate(chars):
        if char == opening:
            open_at.append(index)
        elif char == closing:
            if open_at:
                open_at.pop()
            else:
                found.append((index, "lint-closer-unopened", closing, opening))
    found += [(index, "lint-opener-unclosed", opening, closing) for index in open_at]
    return found


def _ends_with_full_stop(chars: str) -> bool:
    """Whether the text ends with 。, looking through closing brackets (…する。」 ends a sentence)."""
    return chars.rstrip(_SPACES).rstrip(_CLOSERS).endswith("。")


def _leaf(path: str) -> str:
    """The field name a path ends with, without list indices: ``areas[3].content`` → ``content``."""
    return re.sub(r"\[\d+\]", "", path.rsplit(".", 1)[-1])


def _spaces(run: str) -> str:
    """Name a run of spaces in words: a quoted space is invisible in a terminal."""
    kinds = ((run.count(" "), "lint-spaces-half"), (run.count("\u3000"), "lint-spaces-full"))
    parts = message("lint-and").join(message(code, count=count) for count, code in kinds if count)
    return message("lint-spaces-many" if len(run) > 1 else "lint-spaces-one", parts=parts)


def _at(index: int) -> str:
    """Where in the text, counted as an editor's status bar does: characters, from 1."""
    return message("lint-at", n=index + 1)


def _warn(text: TextField, code: str, **values: object) -> Problem:
    """A warning at the text's own place in its file, naming its field and its place."""
    return Problem(text.location, text.path, message(code, **values), text.place, code)
