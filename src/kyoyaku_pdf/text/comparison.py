"""新旧対照表: what changed between two versions of an agreement, as an immutable tree of changes.

Pure logic (stdlib ``difflib`` only, no ReportLab): ``compare(old, new)`` aligns the two documents
structurally and diffs every text; ``summary_lines`` says each change in one line;
``layout/comparison.py`` draws the tree as the 新旧対照表 PDF.

**Alignment.** 本文 texts by their place (表紙の行, 題名, 本文の段落, 結び, 日付) — lines and
paragraphs by ``SequenceMatcher`` on their list, so an inserted paragraph is an addition, not a rewrite
of all that follow; articles of a 締結 (第N条) by caption, then position, then likeness of their text;
parties by role and field. 別表 by basis (then position); sections by title (then
position, or, where a gap holds unequal numbers of sections, by the likeness of title and area names);
policy areas by name, then in the gaps between name matches by likeness: an area whose name changed is
a *rename* if it stands at the same place (in the same gap) and at least ``RENAME_MIN_TEXTS`` of its
three texts (取組内容, 甲の役割, 乙の役割) have a ``SequenceMatcher`` ratio of at least ``RENAME_RATIO``;
otherwise the old area is removed and the new one added. (Measured on the bundled data: two
*different* areas never share two texts above 0.71 — their roles are alike boilerplate — so 0.8 keeps
a margin.) Numbers are never compared as text: an area whose texts are all equal but whose derived
number ``(n)`` moved because of an insertion or removal before it is ``RENUMBERED``.

**Phrases.** Each text pair is diffed by ``SequenceMatcher`` over characters; the raw changed stretches
(hunks, aligned: the text between two hunks is the same on both sides) are then widened to read as
phrases (文節-like), by this rule:

1. Script classes: kanji (with 々〆〇), hiragana, katakana (with ー), digits, Latin letters, and
   *other* (punctuation, brackets, spaces, symbols — never joined).
2. Left: a hunk takes in the unchanged character before it while that character is of a word class
   (kanji, katakana, digit, Latin) that a changed character at the hunk's left edge has; and a hunk
   whose left edge is hiragana takes in the kanji run before it (okurigana and particles belong to the
   word they follow: 組む→組み underlines 組む/組み, an inserted の推進 after 利用 underlines 利用の推進).
3. Right: a hunk takes in the unchanged character after it while that character is of a word class a
   changed character at its right edge has (有効→相互 before 利用 becomes 有効利用→相互利用).
4. Merge: two hunks become one when the unchanged text between them is at most one character, or is
   a single 文節-like run — one run of kanji, katakana, digits or Latin, optionally followed by
   hiragana, with no punctuation (公共施設の) — so a reworded phrase is underlined as one phrase.

The spans to underline are the hunks' ``(start, end)`` index pairs on each side (empty sides left
out: a pure deletion underlines nothing on the new side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum
from typing import Callable, Iterator, Sequence, TypeVar

from .japanese import article_caption, article_number, item_number, schedule_caption, section_number, wareki
from ..messages import text as message
from ..input.model import ROW_LABELS, Agreement, Party, PolicyArea, ResolvedArticle, Schedule, Section

__all__ = [
    "AREA_TEXTS",
    "ArticleChange",
    "AreaChange",
    "ChangeKind",
    "Comparison",
    "Hunk",
    "PartyChange",
    "RENAME_MIN_TEXTS",
    "RENAME_RATIO",
    "ScheduleChange",
    "SectionChange",
    "Span",
    "TextChange",
    "TextDiff",
    "compare",
    "diff_text",
    "has_changes",
    "script_class",
    "summary_lines",
]

#: A changed stretch of a text: ``text[start:end]``.
Span = tuple[int, int]

#: An area is a rename if at least this many of its three texts are at least this alike.
RENAME_RATIO = 0.8
RENAME_MIN_TEXTS = 2
#: Sections in a gap of unequal size are paired when title or area names are at least this alike.
SECTION_PAIR_RATIO = 0.5

#: A policy area's four texts: field name and the label used in summaries and in the table.
AREA_TEXTS: tuple[tuple[str, str], ...] = (("name", "取組名"),) + tuple(
    zip(("content", "hub_role", "partner_role"), ROW_LABELS)
)
#: A party's texts as the signature block shows them.
PARTY_TEXTS: tuple[tuple[str, str], ...] = (
    ("address", "住所"), ("municipality", "団体名"), ("office", "職名"), ("name", "氏名"),
)


class ChangeKind(Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"
    #: only the derived number changed (an insertion or removal before it)
    RENUMBERED = "renumbered"


# =============================================================================================
# Character diff, widened to phrases
# =============================================================================================


def script_class(char: str) -> str:
    """``kanji``, ``hiragana``, ``katakana``, ``digit``, ``latin`` or ``other``."""
    code = ord(char)
    if char in "々〆〇" or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF \
            or 0x20000 <= code <= 0x3FFFF:
        return "kanji"
    if 0x3041 <= code <= 0x309F:
        return "hiragana"
    if (0x30A1 <= code <= 0x30FF and char != "・") or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "katakana"
    if char.isdecimal():
        return "digit"
    if char.isascii() and char.isalpha() or "Ａ" <= char <= "Ｚ" or "ａ" <= char <= "ｚ":
        return "latin"
    return "other"


_WORD = frozenset({"kanji", "katakana", "digit", "latin"})
#: one 文節-like run: word characters of one class, then hiragana
_BUNSETSU = re.compile(r"(?:K+|T+|D+|L+)H*")
_CLASS_LETTER = {"kanji": "K", "hiragana": "H", "katakana": "T", "digit": "D", "latin": "L", "other": "O"}


@dataclass(frozen=True)
class Hunk:
    """One changed stretch, on both sides: ``old[old_start:old_end]`` became ``new[new_start:new_end]``."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int

    @property
    def old_span(self) -> Span:
        return (self.old_start, self.old_end)

    @property
    def new_span(self) -> Span:
        return (self.new_start, self.new_end)


@dataclass(frozen=True)
class TextDiff:
    """Two versions of a text and their changed phrases."""

    old: str
    new: str
    hunks: tuple[Hunk, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def old_spans(self) -> tuple[Span, ...]:
        """The stretches of the old text to underline (改正前)."""
        return tuple(h.old_span for h in self.hunks if h.old_end > h.old_start)

    @property
    def new_spans(self) -> tuple[Span, ...]:
        """The stretches of the new text to underline (改正後)."""
        return tuple(h.new_span for h in self.hunks if h.new_end > h.new_start)

    def phrases(self) -> tuple[tuple[str, str], ...]:
        """(old phrase, new phrase) of each hunk; one side is "" for a pure insertion or deletion."""
        return tuple((self.old[h.old_start:h.old_end], self.new[h.new_start:h.new_end]) for h in self.hunks)


def diff_text(old: str, new: str) -> TextDiff:
    """Character diff of ``old`` and ``new``, widened to phrases (rule in the module docstring)."""
    if old == new:
        return TextDiff(old, new, ())
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    raw = [[i1, i2, j1, j2] for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return TextDiff(old, new, tuple(Hunk(*h) for h in _merge(old, _widen(old, new, raw))))


def _edge_classes(old: str, new: str, o: int, n: int, o_ok: bool, n_ok: bool) -> set[str]:
    classes = set()
    if o_ok:
        classes.add(script_class(old[o]))
    if n_ok:
        classes.add(script_class(new[n]))
    return classes


def _widen(old: str, new: str, hunks: list[list[int]]) -> list[list[int]]:
    """Steps 2 and 3: grow each hunk over the unchanged characters that belong to its words. A hunk
    never grows past its neighbours' (raw) edges; reaching one makes them adjacent, merged in step 4."""
    for index, hunk in enumerate(hunks):
        low = hunks[index - 1][1] if index else 0
        high = hunks[index + 1][0] if index + 1 < len(hunks) else len(old)
        while hunk[0] > low:
            edges = _edge_classes(old, new, hunk[0], hunk[2], hunk[0] < hunk[1], hunk[2] < hunk[3])
            before = script_class(old[hunk[0] - 1])
            if (before in _WORD and before in edges) or (before == "kanji" and "hiragana" in edges):
                hunk[0] -= 1
                hunk[2] -= 1
            else:
                break
        while hunk[1] < high:
            edges = _edge_classes(old, new, hunk[1] - 1, hunk[3] - 1, hunk[1] > hunk[0], hunk[3] > hunk[2])
            after = script_class(old[hunk[1]])
            if after in _WORD and after in edges:
                hunk[1] += 1
                hunk[3] += 1
            else:
                break
    return hunks


def _merge(old: str, hunks: list[list[int]]) -> list[list[int]]:
    """Step 4: join hunks separated by at most one character or by one 文節-like run."""
    merged: list[list[int]] = []
    for hunk in hunks:
        if merged:
            previous = merged[-1]
            gap = old[previous[1]:hunk[0]]
            letters = "".join(_CLASS_LETTER[script_class(c)] for c in gap)
            if len(gap) <= 1 or _BUNSETSU.fullmatch(letters):
                previous[1], previous[3] = hunk[1], hunk[3]
                continue
        merged.append(list(hunk))
    return merged


# =============================================================================================
# The tree of changes
# =============================================================================================


@dataclass(frozen=True)
class TextChange:
    """One text of the document in both versions. ``ADDED``/``REMOVED`` texts have "" on the missing
    side and the whole text as their one span."""

    key: str
    label: str
    kind: ChangeKind
    diff: TextDiff

    @property
    def old(self) -> str:
        return self.diff.old

    @property
    def new(self) -> str:
        return self.diff.new


def _text(key: str, label: str, old: str | None, new: str | None) -> TextChange:
    if old is None:
        assert new is not None
        return TextChange(key, label, ChangeKind.ADDED, TextDiff("", new, (Hunk(0, 0, 0, len(new)),)))
    if new is None:
        return TextChange(key, label, ChangeKind.REMOVED, TextDiff(old, "", (Hunk(0, len(old), 0, 0),)))
    diff = diff_text(old, new)
    return TextChange(key, label, ChangeKind.CHANGED if diff.changed else ChangeKind.UNCHANGED, diff)


@dataclass(frozen=True)
class _Numbered:
    """What areas, sections, 別表 and articles share: a kind of change and derived numbers."""

    kind: ChangeKind
    old_number: int | None
    new_number: int | None

    @property
    def number_changed(self) -> bool:
        return None not in (self.old_number, self.new_number) and self.old_number != self.new_number


@dataclass(frozen=True)
class AreaChange(_Numbered):
    """A policy area (取組) in both versions: its derived numbers and its four texts, in AREA_TEXTS order."""

    old: PolicyArea | None
    new: PolicyArea | None
    texts: tuple[TextChange, ...]

    @property
    def name(self) -> str:
        """The name a reader knows it by: the new one, the old one for a removed area."""
        return (self.new or self.old).name  # type: ignore[union-attr]

    @property
    def renamed(self) -> bool:
        return self.kind is ChangeKind.CHANGED and self.texts[0].kind is ChangeKind.CHANGED

    def text(self, key: str) -> TextChange:
        return next(t for t in self.texts if t.key == key)


@dataclass(frozen=True)
class SectionChange(_Numbered):
    """A numbered sub-heading of a 別表 (別表第3) with its areas."""

    old: Section | None
    new: Section | None
    title: TextChange
    areas: tuple[AreaChange, ...]


@dataclass(frozen=True)
class ScheduleChange(_Numbered):
    """One 別表: its caption (derived 別表第N（…関係）), title, and its areas or sections."""

    old: Schedule | None
    new: Schedule | None
    caption: TextChange
    title: TextChange
    areas: tuple[AreaChange, ...]
    sections: tuple[SectionChange, ...]

    @property
    def basis_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.basis != self.new.basis


@dataclass(frozen=True)
class ArticleChange(_Numbered):
    """An article (第N条) of a 締結: its caption (without the parentheses), text and listed items."""

    old: ResolvedArticle | None
    new: ResolvedArticle | None
    caption: TextChange
    text: TextChange
    items: tuple[TextChange, ...]


@dataclass(frozen=True)
class PartyChange:
    """甲 or 乙 of the 記名押印 block: address, municipality, office, name (PARTY_TEXTS order)."""

    role: str
    kind: ChangeKind
    texts: tuple[TextChange, ...]

    def text(self, key: str) -> TextChange:
        return next(t for t in self.texts if t.key == key)


@dataclass(frozen=True)
class Comparison:
    """Everything that differs between two versions, and everything that does not (kind UNCHANGED)."""

    #: 表紙の行, 題名, 本文の段落, 結び, 日付 — in document order (the articles stand before 結び)
    texts: tuple[TextChange, ...]
    parties: tuple[PartyChange, ...]
    schedules: tuple[ScheduleChange, ...]
    articles: tuple[ArticleChange, ...] = ()

    @property
    def title(self) -> str:
        """The agreement's title (題名) in the new version."""
        return self.text("heading").new

    def text(self, key: str) -> TextChange:
        return next(t for t in self.texts if t.key == key)

    @property
    def front(self) -> tuple[TextChange, ...]:
        """The texts before the articles: cover lines, heading, recital."""
        return tuple(t for t in self.texts if t.key not in ("closing", "date"))

    @property
    def back(self) -> tuple[TextChange, ...]:
        """The texts after the articles: closing and date."""
        return tuple(t for t in self.texts if t.key in ("closing", "date"))


# =============================================================================================
# Alignment
# =============================================================================================

T = TypeVar("T")
Pair = tuple[int | None, int | None]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _align(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], str], pair_gap: Callable[[list[int], list[int]], list[Pair]]
) -> list[Pair]:
    """Pairs (old index, new index) in document order: equal keys first, ``pair_gap`` for the rest."""
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2))
        else:
            pairs += pair_gap(list(range(i1, i2)), list(range(j1, j2)))
    return pairs


def _by_position(olds: list[int], news: list[int]) -> list[Pair]:
    pairs: list[Pair] = []
    for k in range(max(len(olds), len(news))):
        pairs.append((olds[k] if k < len(olds) else None, news[k] if k < len(news) else None))
    return pairs


def _by_likeness(score: Callable[[int, int], float | None]) -> Callable[[list[int], list[int]], list[Pair]]:
    """Order-keeping pairing of a gap that maximises the number, then the sum, of pairs whose
    ``score`` is not None; the others become removals (old) and additions (new)."""

    def pair_gap(olds: list[int], news: list[int]) -> list[Pair]:
        rows, cols = len(olds), len(news)
        best = [[(0, 0.0)] * (cols + 1) for _ in range(rows + 1)]
        for i in range(rows - 1, -1, -1):
            for j in range(cols - 1, -1, -1):
                options = [best[i + 1][j], best[i][j + 1]]
                s = score(olds[i], news[j])
                if s is not None:
                    n, total = best[i + 1][j + 1]
                    options.append((n + 1, total + s))
                best[i][j] = max(options)
        pairs: list[Pair] = []
        i = j = 0
        while i < rows or j < cols:
            s = score(olds[i], news[j]) if i < rows and j < cols else None
            if s is not None and best[i][j] == (best[i + 1][j + 1][0] + 1, best[i + 1][j + 1][1] + s):
                pairs.append((olds[i], news[j]))
                i, j = i + 1, j + 1
            elif i < rows and (j == cols or best[i][j] == best[i + 1][j]):
                pairs.append((olds[i], None))
                i += 1
            else:
                pairs.append((None, news[j]))
                j += 1
        return pairs

    return pair_gap


def rename_score(old: PolicyArea, new: PolicyArea) -> float | None:
    """How alike two areas with different names are, or None if the new one is not a rename of the old."""
    ratios = [_ratio(getattr(old, f), getattr(new, f)) for f in ("content", "hub_role", "partner_role")]
    if sum(r >= RENAME_RATIO for r in ratios) < RENAME_MIN_TEXTS:
        return None
    return sum(ratios) / len(ratios)


def _area_changes(old: tuple[PolicyArea, ...], new: tuple[PolicyArea, ...]) -> tuple[AreaChange, ...]:
    pairs = _align(old, new, lambda a: a.name, _by_likeness(lambda i, j: rename_score(old[i], new[j])))
    return tuple(_area_change(i, j, old, new) for i, j in pairs)


def _area_change(i: int | None, j: int | None, old: tuple[PolicyArea, ...], new: tuple[PolicyArea, ...]) -> AreaChange:
    a = old[i] if i is not None else None
    b = new[j] if j is not None else None
    texts = tuple(
        _text(key, label, getattr(a, key) if a else None, getattr(b, key) if b else None) for key, label in AREA_TEXTS
    )
    old_number = i + 1 if i is not None else None
    new_number = j + 1 if j is not None else None
    return AreaChange(_kind(a, b, texts, old_number != new_number), old_number, new_number, a, b, texts)


def _kind(
    old: object, new: object, texts: Sequence[TextChange], renumbered: bool, inner: Sequence[ChangeKind] = ()
) -> ChangeKind:
    if old is None:
        return ChangeKind.ADDED
    if new is None:
        return ChangeKind.REMOVED
    if any(t.kind is not ChangeKind.UNCHANGED for t in texts) or any(k is not ChangeKind.UNCHANGED for k in inner):
        return ChangeKind.CHANGED
    return ChangeKind.RENUMBERED if renumbered else ChangeKind.UNCHANGED


def _section_score(old: Section, new: Section) -> float | None:
    names_old, names_new = {a.name for a in old.areas}, {a.name for a in new.areas}
    shared = len(names_old & names_new) / max(1, len(names_old | names_new))
    score = max(_ratio(old.title, new.title), shared)
    return score if score >= SECTION_PAIR_RATIO else None


def _section_changes(old: tuple[Section, ...], new: tuple[Section, ...]) -> tuple[SectionChange, ...]:
    def pair_gap(olds: list[int], news: list[int]) -> list[Pair]:
        if len(olds) == len(news):
            return _by_position(olds, news)
        return _by_likeness(lambda i, j: _section_score(old[i], new[j]))(olds, news)

    out = []
    for i, j in _align(old, new, lambda s: s.title, pair_gap):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        title = _text("title", "小見出し", a.title if a else None, b.title if b else None)
        areas = _area_changes(a.areas if a else (), b.areas if b else ())
        old_number = i + 1 if i is not None else None
        new_number = j + 1 if j is not None else None
        kind = _kind(a, b, [title], old_number != new_number, [x.kind for x in areas])
        out.append(SectionChange(kind, old_number, new_number, a, b, title, areas))
    return tuple(out)


def _schedule_changes(old: tuple[Schedule, ...], new: tuple[Schedule, ...]) -> tuple[ScheduleChange, ...]:
    out = []
    for i, j in _align(old, new, lambda s: s.basis, _by_position):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        old_number = i + 1 if i is not None else None
        new_number = j + 1 if j is not None else None
        caption = _text(
            "caption", "見出し",
            schedule_caption(old_number, a.basis) if a and old_number else None,
            schedule_caption(new_number, b.basis) if b and new_number else None,
        )
        title = _text("title", "表題", a.title if a else None, b.title if b else None)
        areas = _area_changes(a.areas if a else (), b.areas if b else ())
        sections = _section_changes(a.sections if a else (), b.sections if b else ())
        inner = [x.kind for x in areas] + [x.kind for x in sections]
        # the caption holds the number: a caption changed only by its number is a renumbering
        own = [title] + ([caption] if a and b and a.basis != b.basis else [])
        kind = _kind(a, b, own, old_number != new_number, inner)
        out.append(ScheduleChange(kind, old_number, new_number, a, b, caption, title, areas, sections))
    return tuple(out)


def _party_change(role: str, old: Party, new: Party) -> PartyChange:
    texts = tuple(_text(key, label, getattr(old, key), getattr(new, key)) for key, label in PARTY_TEXTS)
    return PartyChange(role, _kind(old, new, texts, False), texts)


def _list_changes(
    old: tuple[str, ...], new: tuple[str, ...], key: str, label: Callable[[int], str]
) -> list[TextChange]:
    """A list of texts (paragraphs, lines, items) aligned by SequenceMatcher, gaps by position;
    ``label`` gets the 1-based place (in the new version; in the old one for a removed text)."""
    out = []
    for i, j in _align(old, new, lambda s: s, _by_position):
        number = (j if j is not None else i) + 1  # type: ignore[operator]
        out.append(_text(f"{key}[{number - 1}]", label(number),
                         old[i] if i is not None else None, new[j] if j is not None else None))
    return out


def _article_changes(old: tuple[ResolvedArticle, ...], new: tuple[ResolvedArticle, ...]) -> tuple[ArticleChange, ...]:
    def score(i: int, j: int) -> float | None:
        ratio = _ratio(old[i].text, new[j].text)
        return ratio if ratio >= SECTION_PAIR_RATIO else None

    def pair_gap(olds: list[int], news: list[int]) -> list[Pair]:
        return _by_position(olds, news) if len(olds) == len(news) else _by_likeness(score)(olds, news)

    out = []
    for i, j in _align(old, new, lambda a: a.caption, pair_gap):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        caption = _text("caption", "見出し", a.caption if a else None, b.caption if b else None)
        text = _text("text", "", a.text if a else None, b.text if b else None)
        items = tuple(_list_changes(a.items if a else (), b.items if b else (), "items", lambda n: f"第{n}号"))
        old_number = i + 1 if i is not None else None
        new_number = j + 1 if j is not None else None
        kind = _kind(a, b, [caption, text, *items], old_number != new_number)
        out.append(ArticleChange(kind, old_number, new_number, a, b, caption, text, items))
    return tuple(out)


def compare(old: Agreement, new: Agreement) -> Comparison:
    """Align ``old`` and ``new`` structurally and diff every text (rules in the module docstring)."""
    texts = _list_changes(old.cover_lines, new.cover_lines, "cover", lambda n: f"表紙第{n}行")
    texts.append(_text("heading", "題名", old.heading, new.heading))
    texts += _list_changes(old.recital, new.recital, "recital", lambda n: f"本文第{n}段落")
    texts.append(_text("closing", "結び", old.closing, new.closing))
    texts.append(_text("date", "日付", wareki(old.date), wareki(new.date)))
    parties = tuple(_party_change(role, a, b) for (role, a), (_, b) in zip(old.parties, new.parties))
    articles = _article_changes(old.articles, new.articles)
    return Comparison(tuple(texts), parties, _schedule_changes(old.schedules, new.schedules), articles)


# =============================================================================================
# Reading the tree
# =============================================================================================


def has_changes(comparison: Comparison) -> bool:
    """True if anything at all differs (a renumbering included)."""
    return any(True for _ in _changed_nodes(comparison))


def _changed_nodes(comparison: Comparison) -> Iterator[object]:
    parts = (comparison.texts, comparison.articles, comparison.parties, comparison.schedules)
    return (node for part in parts for node in part if node.kind is not ChangeKind.UNCHANGED)


def _numbers(
    old: int | None, new: int | None, form: Callable[[int], str], joined: Callable[[int], str] | None = None
) -> str:
    """``form(n)``, or ``form(old)→form(new)`` when the number moved (``joined`` formats the second)."""
    if old is None or new is None or old == new:
        return form(new if new is not None else old)  # type: ignore[arg-type]
    return f"{form(old)}→{(joined or form)(new)}"


def _quote_lines(prefix: str, change: TextChange) -> list[str]:
    return [f"{prefix}: 「{o}」→「{n}」" for o, n in change.diff.phrases()]


#: the summary's words for a whole part added or removed (catalogue codes; Japanese by default)
_VERB = {ChangeKind.ADDED: "diff-added", ChangeKind.REMOVED: "diff-removed"}


def _verb(kind: ChangeKind) -> str:
    return message(_VERB[kind])


def _renumbered() -> str:
    return message("diff-renumbered")


def summary_lines(comparison: Comparison) -> list[str]:
    """One line per change, in document order, e.g.

    - ``別表第3 1 (5) 公共施設の有効利用 乙の役割: 「有効利用」→「相互利用」`` (one line per changed phrase)
    - ``乙 氏名: 「藤木正」→「試験太郎」``
    - ``別表第3 1 (5) 新しい取組: 追加`` / ``…: 削除`` (a whole area; a whole section or 別表 gets its own
      line, then one line per area in it)
    - ``別表第3 1 (6)→(7) 文化及び学術の振興: 番号のみ`` (only the derived number moved)

    Areas inside sections carry the section number, since (n) restarts in every section. A changed
    area whose number moved too shows ``(6)→(7)`` in its prefix. Phrases of a pure insertion or
    deletion have an empty side: 「」.
    """
    lines: list[str] = _text_lines(comparison.front)
    for article in comparison.articles:
        lines += _article_lines(article)
    lines += _text_lines(comparison.back)
    for party in comparison.parties:
        for text in party.texts:
            if text.kind is ChangeKind.CHANGED:
                lines += _quote_lines(f"{party.role} {text.label}", text)
    for schedule in comparison.schedules:
        lines += _schedule_lines(schedule)
    return lines


def _text_lines(texts: Sequence[TextChange], prefix: str = "") -> list[str]:
    lines: list[str] = []
    for text in texts:
        where = " ".join(p for p in (prefix, text.label) if p)
        if text.kind in _VERB:
            lines.append(f"{where}: {_verb(text.kind)}")
        elif text.kind is ChangeKind.CHANGED:
            lines += _quote_lines(where, text)
    return lines


def _article_lines(article: ArticleChange) -> list[str]:
    """``第3条 見出し: …``, ``第3条: 「…」→「…」``, ``第3条 第1号: …``; ``第6条（報告）: 追加``."""
    prefix = _numbers(article.old_number, article.new_number, article_number)
    caption = article_caption((article.new or article.old).caption)  # type: ignore[union-attr]
    if article.kind in _VERB:
        return [f"{prefix}{caption}: {_verb(article.kind)}"]
    if article.kind is ChangeKind.RENUMBERED:
        return [f"{prefix}{caption}: {_renumbered()}"]
    return _text_lines((article.caption, article.text, *article.items), prefix)


def _schedule_lines(schedule: ScheduleChange) -> list[str]:
    prefix = _numbers(schedule.old_number, schedule.new_number, lambda n: f"別表第{n}", lambda n: f"第{n}")
    if schedule.kind in _VERB:
        lines = [f"{prefix} {(schedule.new or schedule.old).title}: {_verb(schedule.kind)}"]  # type: ignore[union-attr]
    elif schedule.kind is ChangeKind.UNCHANGED:
        return []
    else:
        lines = []
        if schedule.basis_changed:
            lines += _quote_lines(f"{prefix} {schedule.caption.label}", schedule.caption)
        elif schedule.number_changed:
            lines.append(f"{prefix}: {_renumbered()}")
        if schedule.title.kind is ChangeKind.CHANGED:
            lines += _quote_lines(f"{prefix} {schedule.title.label}", schedule.title)
    for area in schedule.areas:
        lines += _area_lines(prefix, area)
    for section in schedule.sections:
        lines += _section_lines(prefix, section)
    return lines


def _section_lines(schedule_prefix: str, section: SectionChange) -> list[str]:
    prefix = f"{schedule_prefix} {_numbers(section.old_number, section.new_number, section_number)}"
    title = (section.new or section.old).title  # type: ignore[union-attr]
    if section.kind is ChangeKind.UNCHANGED:
        return []
    if section.kind in _VERB:
        lines = [f"{prefix} {title}: {_verb(section.kind)}"]
    elif section.kind is ChangeKind.RENUMBERED:
        return [f"{prefix} {title}: {_renumbered()}"]
    else:
        lines = []
        if section.title.kind is ChangeKind.CHANGED:
            lines = _quote_lines(f"{prefix} {section.title.label}", section.title)
    for area in section.areas:
        lines += _area_lines(prefix, area)
    return lines


def _area_lines(prefix: str, area: AreaChange) -> list[str]:
    where = f"{prefix} {_numbers(area.old_number, area.new_number, item_number)} {area.name}"
    if area.kind is ChangeKind.UNCHANGED:
        return []
    if area.kind in _VERB:
        return [f"{where}: {_verb(area.kind)}"]
    if area.kind is ChangeKind.RENUMBERED:
        return [f"{where}: {_renumbered()}"]
    lines: list[str] = []
    for text in area.texts:
        if text.kind is ChangeKind.CHANGED:
            lines += _quote_lines(f"{where} {text.label}", text)
    return lines
