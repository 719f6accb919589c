"""The 新旧対照表: a two-column table, 改正後 | 改正前, with every changed phrase underlined (傍線).

Layout: the agreement's title with 新旧対照表 on the line under it, then one table whose header row
(repeated on every page) names the columns — 改正後 on the left by default, as in Japanese 新旧対照表;
``new_on_left=False`` swaps them. The table has a part for the 本文 — cover lines, 題名, paragraphs,
the articles of a 締結 (（見出し）, 第N条 and its text, items), 結び, 日付, 甲 and 乙 — shown only if
something in it changed (or with ``show_all``), then each 別表: a caption row spanning both columns
(two-sided when the caption itself changed), and a row per policy area, each side showing that side's
text. Unchanged areas (and an unchanged 表題 or section) are collapsed to a row 「（略）」,
consecutive ones to a single row; ``show_all=True`` shows them. An added area stands whole on the
改正後 side with the 改正前 side empty, all its text underlined (a removed one the other way
round); a renumbered area shows its name under both numbers, only the numbers underlined, its texts
as 「（略）」.

Underlines are drawn, not text: a line ``UNDERLINE_DROP`` em below the baseline (the bottom of the
ideographic em box) under exactly the characters of each span, line by line. ``MarkedParagraph``
places characters exactly as ``JaParagraph`` draws them (each glyph at the x ``japanese`` set it at
— 約物の詰め, 四分アキ, justification), so the lines follow the glyphs.

The table is one flowable that splits between rows and, inside a row, between lines of both columns
at the same height (never ReportLab's LayoutError); each part draws its own borders and header.

Structure: the title is the H1; the table a ``Table`` whose first ``TR`` holds the column headers
(``TH``, Scope Column) and each row a ``TR`` of two ``TD`` (one with ColSpan 2 for a caption),
each paragraph a ``P`` of its cell. Each column of a row therefore reads whole in tag order; the
header repeated on later pages and the borders are artifacts. The 傍線 says which phrase changed —
meaning conveyed by format, which PDF/UA-1 (ISO 14289-1 7.1) requires the tags to carry — so each
underlined phrase (and an underlined number) is a ``Span`` of its paragraph, in place, with the
layout attributes ``TextDecorationType /Underline`` and its thickness (ISO 32000-1 14.8.5.4.3); the
drawn line itself is the rendering of that attribute, an artifact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..text.comparison import (
    AreaChange,
    ArticleChange,
    ChangeKind,
    Comparison,
    PartyChange,
    ScheduleChange,
    SectionChange,
    Span,
    TextChange,
)
from ..text.japanese import Line, article_caption, article_number, item_number, section_number
from ..input.model import ROW_LABELS
from .paragraph import JaParagraph, TextStyle
from .schedule import CONTINUED
from .tagging import ARTIFACT, Element, Tag, marked
from .theme import Theme

#: Column headers: the new version, the old version.
NEW_HEADER, OLD_HEADER = "改正後", "改正前"
#: What stands for text left out because it did not change.
OMITTED = "（略）"
#: The 傍線: how far below the baseline (in em) and how thick (pt).
UNDERLINE_DROP = 0.12
UNDERLINE_WIDTH = 0.5
#: The attributes of an underlined phrase's Span (Layout owner, ISO 32000-1 Table 345).
UNDERLINED = {"TextDecorationType": "Underline", "TextDecorationThickness": UNDERLINE_WIDTH}
#: The key of the number's Span among a paragraph's Spans (the phrases are 0, 1, …).
_LABEL_SPAN = -1
#: What the 本文 part's caption says.
BODY_CAPTION = "本文"
#: The line under the agreement's title.
TITLE_SUFFIX = "新旧対照表"


# =============================================================================================
# A paragraph with underlined spans
# =============================================================================================


class MarkedParagraph(JaParagraph):
    """A JaParagraph that underlines ``spans`` (index pairs into ``text``) and, if ``label_marked``,
    its hanging label (a changed number). Splits keep the spans: each part knows where in ``text``
    its first line starts."""

    def __init__(
        self,
        text: str,
        style: TextStyle,
        label: str = "",
        *,
        hanging: bool = True,
        spans: Sequence[Span] = (),
        label_marked: bool = False,
        _lines: list[Line] | None = None,
        _start: int = 0,
        tag: Tag = None,
    ) -> None:
        super().__init__(text, style, label, hanging=hanging, _lines=_lines, tag=tag)
        self.spans = tuple(spans)
        self.label_marked = label_marked
        self._start = _start
        #: the Span element of each underlined phrase, made when first drawn (so it stands in its
        #: paragraph's kids where it is read) and shared by the parts of a split paragraph
        self._span_tags: dict[int, Element] = {}

    def tagged_as(self, other: JaParagraph) -> JaParagraph:
        super().tagged_as(other)
        if isinstance(other, MarkedParagraph):
            self._span_tags = other._span_tags
        return self

    def line_starts(self) -> list[int]:
        """Index in ``text`` of each laid-out line's first character (lines are verbatim slices;
        hard breaks ``\\n`` are not part of any line)."""
        starts, pos = [], self._start
        for line in self._lines:
            assert self.text.startswith(line.text, pos), "a line is not a slice of the text"
            starts.append(pos)
            pos += len(line.text)
            if pos < len(self.text) and self.text[pos] == "\n":
                pos += 1
        return starts

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = super().split(avail_width, avail_height)
        if len(parts) != 2:
            return parts
        head, tail = parts
        assert isinstance(head, JaParagraph) and isinstance(tail, JaParagraph)
        tail_start = self.line_starts()[len(head._lines)]
        if self.hanging and self.label in ROW_LABELS:  # a row's text goes on under its label, as in the 別表
            rest = MarkedParagraph(self.text, self.style.but(space_before=0, first_indent=0), self.label,
                                   spans=self.spans, _lines=tail._lines, _start=tail_start).tagged_as(self)
            rest.label_tag = ARTIFACT  # the label repeated for the eye: the cell reads it once
        else:
            rest = MarkedParagraph(self.text, tail.style, "", spans=self.spans, _lines=tail._lines,
                                   _start=tail_start).tagged_as(self)
        return [
            MarkedParagraph(self.text, head.style, head.label, hanging=self.hanging, spans=self.spans,
                            label_marked=self.label_marked, _lines=head._lines, _start=self._start).tagged_as(self),
            rest,
        ]

    def char_boxes(self) -> list[tuple[int, float, float, float]]:
        """(index in text, left x, right x, baseline y) of every drawn character, in the paragraph's
        own coordinates — the positions ``JaParagraph.draw`` draws them at."""
        style = self.style
        fonts, size = style.fonts, style.size
        baseline = self.first_baseline
        boxes = []
        for index, (line, start) in enumerate(zip(self._lines, self.line_starts())):
            x = self.line_x(index)
            for offset, (char, position) in enumerate(zip(line.text, line.positions)):
                boxes.append((start + offset, x + position, x + position + fonts.advance(char, size), baseline))
            baseline -= style.leading
        return boxes

    def underline_segments(self) -> list[tuple[float, float, float]]:
        """(x0, x1, y) of every underline: one per span per line, the label's if marked."""
        drop = UNDERLINE_DROP * self.style.size
        segments: list[tuple[float, float, float]] = []
        if self.label and self.label_marked and self._lines:
            x = self._label_x
            segments.append((x, x + self._measure(self.label), self.first_baseline - drop))
        boxes = self.char_boxes()
        for start, end in self.spans:
            run: list[tuple[int, float, float, float]] = []
            for box in boxes + [(-1, 0.0, 0.0, float("nan"))]:
                inside = start <= box[0] < end and not self.text[box[0]].isspace()
                if inside and (not run or run[-1][3] == box[3]):
                    run.append(box)
                    continue
                if run:
                    segments.append((run[0][1], run[-1][2], run[0][3] - drop))
                run = [box] if inside else []
        return segments

    def draw(self) -> None:
        """The text — each underlined phrase a Span of the paragraph when it is tagged — then the 傍線."""
        if isinstance(self.tag, Element) and (self.spans or self.label_marked):
            self._draw_with_spans(self.tag)
        else:
            super().draw()
        self._draw_underlines()

    def _span_tag(self, key: int, paragraph: Element) -> Element:
        if key not in self._span_tags:
            self._span_tags[key] = paragraph.add("Span", **UNDERLINED)
        return self._span_tags[key]

    def _runs(self, start: int, end: int) -> list[tuple[int, int, int | None]]:
        """``text[start:end]`` cut at the phrase boundaries: (from, to, phrase index or None)."""
        cuts = sorted({start, end} | {i for span in self.spans for i in span if start < i < end})
        runs = []
        for a, b in zip(cuts, cuts[1:]):
            runs.append((a, b, next((k for k, (s0, s1) in enumerate(self.spans) if s0 <= a < s1), None)))
        return runs

    def _draw_with_spans(self, paragraph: Element) -> None:
        """Draw as JaParagraph does, each run of a line in the marked content of its element: the
        paragraph, or the Span of the phrase it belongs to."""
        style, canv = self.style, self.canv
        baseline = self.first_baseline
        if self.label:
            label_tag = self._span_tag(_LABEL_SPAN, paragraph) if self.label_marked else self.label_tag or paragraph
            with marked(canv, label_tag):
                style.fonts.draw(canv, self._label_x, baseline, self.label, style.size)
        for index, (line, start) in enumerate(zip(self._lines, self.line_starts())):
            x = self.line_x(index)
            for a, b, phrase in self._runs(start, start + len(line.text)):
                piece = _slice(line, a - start, b - start, lambda char: style.fonts.advance(char, style.size))
                with marked(canv, paragraph if phrase is None else self._span_tag(phrase, paragraph)):
                    style.fonts.draw_line(canv, x + line.positions[a - start], baseline, piece, style.size)
            baseline -= style.leading

    def _draw_underlines(self) -> None:
        segments = self.underline_segments()
        if not segments:
            return
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(UNDERLINE_WIDTH)
        with ARTIFACT.marked(canv):  # the 傍線 is drawn emphasis, not text
            for x0, x1, y in segments:
                canv.line(x0, y, x1, y)
        canv.restoreState()


def _slice(line: Line, a: int, b: int, advance: Callable[[str], float]) -> Line:
    """Characters ``a:b`` of a set line, positioned from the first of them (drawn at its x, every
    glyph stands where the whole line put it)."""
    origin = line.positions[a]
    width = line.positions[b - 1] + advance(line.text[b - 1]) - origin
    return Line(line.text[a:b], width, line.justify, tuple(p - origin for p in line.positions[a:b]))


# =============================================================================================
# Rows and the table
# =============================================================================================


@dataclass(frozen=True)
class _Geometry:
    width: float
    padding: float
    vpad: float
    #: a row is split only if at least two lines go on the first part (no lone line at a page foot)
    min_split: float

    @property
    def column(self) -> float:
        return self.width / 2

    @property
    def inner_column(self) -> float:
        return self.column - 2 * self.padding

    @property
    def inner_full(self) -> float:
        return self.width - 2 * self.padding


def _stack_height(paras: Sequence[JaParagraph], width: float) -> float:
    return sum(p.wrap(width, 1e9)[1] for p in paras)


def _cut(paras: list[JaParagraph], width: float, room: float) -> tuple[list[JaParagraph], list[JaParagraph]]:
    """The paragraphs that fit in ``room``, the last one split between lines if need be; the rest."""
    head: list[JaParagraph] = []
    used = 0.0
    for index, para in enumerate(paras):
        height = para.wrap(width, 1e9)[1]
        if used + height <= room + 1e-6:
            head.append(para)
            used += height
            continue
        parts = para.split(width, room - used)
        if len(parts) == 2:
            first, rest = parts
            assert isinstance(first, JaParagraph) and isinstance(rest, JaParagraph)
            return head + [first], [rest] + paras[index + 1:]
        return head, paras[index:]
    return head, []


def _draw_stack(canv: Canvas, paras: Sequence[JaParagraph], x: float, top: float, width: float) -> None:
    for para in paras:
        _, height = para.wrap(width, 1e9)
        top -= height
        para.drawOn(canv, x, top)


def _marker(side: list[JaParagraph], named: bool) -> JaParagraph | None:
    """What opens a side's continuation on the next page (None for an empty side): a repetition for
    the eye, so an artifact — the cell reads once, whole, in tag order."""
    if not side:
        return None
    first = side[0]
    if named:
        return MarkedParagraph(f"{first.text}{CONTINUED}", first.style, first.label, hanging=first.hanging, tag=ARTIFACT)
    return MarkedParagraph(CONTINUED, first.style.but(first_indent=0, align="left"), tag=ARTIFACT)


def _unsplit_continued(marker: JaParagraph, width: float) -> JaParagraph:
    """The marker as it is if （続き） stays whole on its last line, else with （続き） on a line of its own."""
    marker.wrap(width, 1e9)
    if marker._lines[-1].text.endswith(CONTINUED) or marker.text == CONTINUED:
        return marker
    name = marker.text[: -len(CONTINUED)]
    return MarkedParagraph(f"{name}\n{CONTINUED}", marker.style, marker.label, hanging=marker.hanging, tag=ARTIFACT)


class _Row:
    """A row of the table: two sides (``left``/``right``), or one paragraph stack spanning both.

    A row split across pages opens its continuation, on each side that continues, with a marker: the
    area's number and name with （続き） for a policy area (``named``), a plain （続き） otherwise."""

    def __init__(self, left: list[JaParagraph], right: list[JaParagraph] | None = None, *,
                 keep_with_next: bool = False, named: bool = False,
                 markers: tuple[JaParagraph | None, JaParagraph | None] | None = None) -> None:
        self.left = left
        self.right = right  # None: ``left`` spans both columns
        self.keep_with_next = keep_with_next
        self.height = 0.0
        self.markers = markers or (_marker(left, named), _marker(right or [], named))

    def _continued(self, side: int, head: list[JaParagraph], tail: list[JaParagraph], width: float) -> list[JaParagraph]:
        """A side's continuation, opened by its marker unless it goes on with the area name itself."""
        whole = self.left if side == 0 else (self.right or [])
        marker = self.markers[side]
        if not tail or marker is None or (head and whole and head[0] is not whole[0]):
            return tail
        return [_unsplit_continued(marker, width)] + tail

    @property
    def spans_both(self) -> bool:
        return self.right is None

    def tag(self, table: Element) -> None:
        """This row's ``TR`` in ``table``: a ``TD`` per side, a ``P`` per paragraph."""
        row = table.add("TR")
        for side in [self.left] if self.right is None else [self.left, self.right]:
            cell = row.add("TD", ColSpan=2) if self.right is None else row.add("TD")
            for paragraph in side:
                paragraph.tag = cell.add("P")

    def wrap(self, geo: _Geometry) -> float:
        if self.right is None:
            inner = _stack_height(self.left, geo.inner_full)
        else:
            inner = max(_stack_height(self.left, geo.inner_column), _stack_height(self.right, geo.inner_column))
        self.height = inner + 2 * geo.vpad
        return self.height

    def split(self, geo: _Geometry, room: float) -> tuple[_Row, _Row] | None:
        """Both sides cut at the same height between lines; None if nothing fits."""
        inner = room - 2 * geo.vpad
        if inner < geo.min_split:
            return None
        if self.right is None:
            head, tail = _cut(self.left, geo.inner_full, inner)
            if not (head and tail):
                return None
            rest = self._continued(0, head, tail, geo.inner_full)
            return _Row(head), _Row(rest, keep_with_next=self.keep_with_next, markers=self.markers)
        left_head, left_tail = _cut(self.left, geo.inner_column, inner)
        right_head, right_tail = _cut(self.right, geo.inner_column, inner)
        if not (left_head or right_head) or not (left_tail or right_tail):
            return None
        width = geo.inner_column
        rest = _Row(self._continued(0, left_head, left_tail, width), self._continued(1, right_head, right_tail, width),
                    keep_with_next=self.keep_with_next, markers=self.markers)
        return _Row(left_head, right_head), rest

    def draw(self, canv: Canvas, geo: _Geometry, top: float) -> None:
        inner_top = top - geo.vpad
        if self.right is None:
            _draw_stack(canv, self.left, geo.padding, inner_top, geo.inner_full)
            return
        _draw_stack(canv, self.left, geo.padding, inner_top, geo.inner_column)
        _draw_stack(canv, self.right, geo.column + geo.padding, inner_top, geo.inner_column)


class ComparisonTable(Flowable):
    """The 新旧対照表 table: header row (repeated on every part) and rows; splits between rows and
    between lines inside a row, never leaving a caption or heading row alone at a page foot."""

    def __init__(self, rows: list[_Row], theme: Theme, headers: tuple[str, str],
                 header_tags: tuple[Tag, Tag] = (ARTIFACT, ARTIFACT)) -> None:
        super().__init__()
        self.rows = rows
        self.theme = theme
        self.headers = headers
        self.header_tags = header_tags  # the first part's header is the table's; later ones repeat it
        style = TextStyle(theme.fonts, theme.table_size, theme.table_leading, align="center")
        self.header = _Row(*([MarkedParagraph(text, style, tag=tag)] for text, tag in zip(headers, header_tags)))
        self._geo = self._geometry(0.0)

    def _geometry(self, width: float) -> _Geometry:
        theme = self.theme
        return _Geometry(width, theme.table_padding, theme.table_padding * 0.6, 2 * theme.table_leading)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._geo = self._geometry(avail_width)
        self.width = avail_width
        self.height = self.header.wrap(self._geo) + sum(row.wrap(self._geo) for row in self.rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height + 1e-6:
            return [self]
        room = avail_height - self.header.height
        head: list[_Row] = []
        tail: list[_Row] = []
        for index, row in enumerate(self.rows):
            if row.height <= room + 1e-6:
                head.append(row)
                room -= row.height
                continue
            cut = row.split(self._geo, room)
            if cut is not None:
                head.append(cut[0])
                tail = [cut[1]] + self.rows[index + 1:]
            else:
                tail = self.rows[index:]
            break
        while head and head[-1].keep_with_next:
            tail.insert(0, head.pop())
        if not head:
            return []
        return [ComparisonTable(head, self.theme, self.headers, self.header_tags),
                ComparisonTable(tail, self.theme, self.headers)]

    def draw(self) -> None:
        """The borders (an artifact), then the rows in reading order."""
        canv, geo = self.canv, self._geo
        rows = [self.header] + self.rows
        canv.saveState()
        canv.setLineWidth(self.theme.rule_width)
        with ARTIFACT.marked(canv):
            canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            top = self.height
            for index, row in enumerate(rows):
                bottom = top - row.height
                if index:
                    canv.line(0, top, self.width, top)
                if not row.spans_both:
                    canv.line(geo.column, bottom, geo.column, top)
                top = bottom
        canv.restoreState()
        top = self.height
        for row in rows:
            row.draw(canv, geo, top)
            top -= row.height


# =============================================================================================
# From the comparison to rows
# =============================================================================================


class _Styles:
    def __init__(self, theme: Theme) -> None:
        em = theme.table_size
        self.em = em
        self.text = TextStyle(theme.fonts, em, theme.table_leading)
        self.left = self.text.but(align="left")
        self.indented = self.text.but(left_indent=em)
        self.paragraph = self.text.but(first_indent=em)
        self.date = self.left.but(first_indent=2 * em)
        self.omitted = self.left.but(left_indent=em)


@dataclass(frozen=True)
class _Sides:
    """What one item shows on the new and on the old side (None: nothing to show, the item is
    collapsed into a 「（略）」 row)."""

    new: list[JaParagraph]
    old: list[JaParagraph]
    keep_with_next: bool = False
    #: a policy area: its continuation on a new page repeats the name (its first paragraph)
    named: bool = False


class _RowBuilder:
    def __init__(self, theme: Theme, new_on_left: bool, show_all: bool, table: Element) -> None:
        self.table = table
        self.theme = theme
        self.styles = _Styles(theme)
        self.new_on_left = new_on_left
        self.show_all = show_all

    # -- rows ------------------------------------------------------------------------------------
    def rows(self, comparison: Comparison) -> list[_Row]:
        rows: list[_Row] = []
        body = self._body_items(comparison)
        if self.show_all or any(item is not None for item in body):
            rows.append(_Row([MarkedParagraph(BODY_CAPTION, self.styles.left)], keep_with_next=True))
            rows += self._collapse(body)
        for schedule in comparison.schedules:
            rows.append(self._caption_row(schedule))
            rows += self._collapse(self._schedule_items(schedule))
        for row in rows:
            row.tag(self.table)
        return rows

    def _row(self, sides: _Sides) -> _Row:
        left, right = (sides.new, sides.old) if self.new_on_left else (sides.old, sides.new)
        return _Row(left, right, keep_with_next=sides.keep_with_next, named=sides.named)

    def _omitted(self) -> JaParagraph:
        return MarkedParagraph(OMITTED, self.styles.omitted)

    def _collapse(self, items: list[_Sides | None]) -> list[_Row]:
        """Rows for the shown items; each run of collapsed items becomes one 「（略）」 row."""
        rows: list[_Row] = []
        for index, item in enumerate(items):
            if item is not None:
                rows.append(self._row(item))
            elif index == 0 or items[index - 1] is not None:
                rows.append(_Row([self._omitted()], [self._omitted()]))
        return rows

    # -- text helpers ----------------------------------------------------------------------------
    def _texts(self, change: TextChange, style: TextStyle, label: str = "", marked: bool = False,
               number_old: str | None = None) -> _Sides:
        """Both sides of one text: the new text with its spans, the old one with its spans."""
        new = [MarkedParagraph(change.new, style, label, spans=change.diff.new_spans, label_marked=marked)] \
            if change.kind is not ChangeKind.REMOVED else []
        old_label = label if number_old is None else number_old
        old = [MarkedParagraph(change.old, style, old_label, spans=change.diff.old_spans, label_marked=marked)] \
            if change.kind is not ChangeKind.ADDED else []
        return _Sides(new, old)

    def _shown(self, kind: ChangeKind) -> bool:
        return self.show_all or kind is not ChangeKind.UNCHANGED

    # -- 本文 -----------------------------------------------------------------------------------
    def _body_items(self, comparison: Comparison) -> list[_Sides | None]:
        """表紙の行, 題名, 本文の段落, the articles, 結び, 日付, then 甲 and 乙."""
        items = [self._body_text(change) for change in comparison.front]
        items += [self._article(article) if self._shown(article.kind) else None for article in comparison.articles]
        items += [self._body_text(change) for change in comparison.back]
        items += [self._party(party) if self._shown(party.kind) else None for party in comparison.parties]
        return items

    def _body_text(self, change: TextChange) -> _Sides | None:
        if not self._shown(change.kind):
            return None
        styles = self.styles
        key = change.key.split("[")[0]
        style = {"date": styles.date, "recital": styles.paragraph, "closing": styles.paragraph}.get(key, styles.left)
        return self._texts(change, style)

    def _article(self, article: ArticleChange) -> _Sides:
        """（見出し） one character in, 第N条 at the margin with its text, items (1)… hanging."""
        styles = self.styles
        caption_style = styles.left.but(left_indent=styles.em)
        marked = article.number_changed or article.kind in (ChangeKind.ADDED, ChangeKind.REMOVED)

        def side(pick: str, number: int | None, article_side: object) -> list[JaParagraph]:
            if article_side is None or number is None:
                return []

            def spans(change: TextChange, shift: int = 0) -> tuple[Span, ...]:
                return tuple((a + shift, b + shift) for a, b in getattr(change.diff, f"{pick}_spans"))

            caption = article_caption(str(getattr(article.caption, pick)))
            out: list[JaParagraph] = [MarkedParagraph(caption, caption_style, spans=spans(article.caption, 1))]
            label = article_number(number)
            if article.kind is ChangeKind.RENUMBERED and not self.show_all:
                return out + [MarkedParagraph(OMITTED, styles.indented, label, hanging=False, label_marked=True)]
            out.append(MarkedParagraph(str(getattr(article.text, pick)), styles.indented, label, hanging=False,
                                       spans=spans(article.text), label_marked=marked))
            absent = ChangeKind.ADDED if pick == "old" else ChangeKind.REMOVED
            shown = [item for item in article.items if item.kind is not absent]
            out += [MarkedParagraph(str(getattr(item, pick)), styles.indented, item_number(k), spans=spans(item))
                    for k, item in enumerate(shown, start=1)]
            return out

        return _Sides(side("new", article.new_number, article.new), side("old", article.old_number, article.old))

    def _party(self, party: PartyChange) -> _Sides:
        """The 記名押印 lines: role and address, municipality, office and name on one line."""
        styles = self.styles
        hang = styles.text.fonts.width(party.role, styles.em) + styles.em / 2
        follow = styles.left.but(left_indent=hang)
        address, municipality = party.text("address"), party.text("municipality")
        office, name = party.text("office"), party.text("name")

        def side(pick: str) -> list[JaParagraph]:
            def spans(change: TextChange, shift: int = 0) -> tuple[Span, ...]:
                return tuple((a + shift, b + shift) for a, b in getattr(change.diff, f"{pick}_spans"))

            def text(change: TextChange) -> str:
                return str(getattr(change, pick))

            signed = f"{text(office)}\u3000{text(name)}"
            return [
                MarkedParagraph(text(address), styles.left, party.role, spans=spans(address)),
                MarkedParagraph(text(municipality), follow, spans=spans(municipality)),
                MarkedParagraph(signed, follow, spans=spans(office) + spans(name, len(text(office)) + 1)),
            ]

        return _Sides(side("new"), side("old"))

    # -- 別表 -----------------------------------------------------------------------------------
    def _caption_row(self, schedule: ScheduleChange) -> _Row:
        caption = schedule.caption
        if caption.kind is ChangeKind.UNCHANGED:
            return _Row([MarkedParagraph(caption.new, self.styles.left)], keep_with_next=True)
        sides = self._texts(caption, self.styles.left)
        return self._row(_Sides(sides.new, sides.old, keep_with_next=True))

    def _schedule_items(self, schedule: ScheduleChange) -> list[_Sides | None]:
        title = self._texts(schedule.title, self.styles.left) if self._shown(schedule.title.kind) else None
        items: list[_Sides | None] = [title]
        items += [self._area(area) for area in schedule.areas]
        for section in schedule.sections:
            items.append(self._section_heading(section) if self._shown(section.kind) else None)
            items += [self._area(area) for area in section.areas]
        return items

    def _section_heading(self, section: SectionChange) -> _Sides:
        new_label = section_number(section.new_number) if section.new_number else ""
        old_label = section_number(section.old_number) if section.old_number else ""
        marked = section.number_changed or section.kind in (ChangeKind.ADDED, ChangeKind.REMOVED)
        sides = self._texts(section.title, self.styles.left, new_label, marked, number_old=old_label)
        return _Sides(sides.new, sides.old, keep_with_next=True)

    def _area(self, area: AreaChange) -> _Sides | None:
        if not self._shown(area.kind):
            return None
        styles = self.styles
        new_label = item_number(area.new_number) if area.new_number else ""
        old_label = item_number(area.old_number) if area.old_number else ""
        marked = area.number_changed or area.kind in (ChangeKind.ADDED, ChangeKind.REMOVED)
        name = self._texts(area.texts[0], styles.left, new_label, marked, number_old=old_label)
        new, old = list(name.new), list(name.old)
        if area.kind is ChangeKind.RENUMBERED and not self.show_all:
            return _Sides(new + [self._omitted()], old + [self._omitted()], named=True)
        for change, label in zip(area.texts[1:], ROW_LABELS):
            sides = self._texts(change, styles.indented, label)
            new += sides.new
            old += sides.old
        return _Sides(new, old, named=True)


def comparison_story(
    comparison: Comparison, theme: Theme, document: Element, new_on_left: bool = True, show_all: bool = False
) -> list[Flowable]:
    """The 新旧対照表: a title line naming the agreement, then the table (see the module docstring)."""
    heading = TextStyle(
        theme.fonts, theme.heading_size, theme.body_leading * 1.2, align="center", space_after=theme.body_leading
    )
    headers = (NEW_HEADER, OLD_HEADER) if new_on_left else (OLD_HEADER, NEW_HEADER)
    # 新旧対照表 on a line of its own, so a long title never breaks inside it
    title = MarkedParagraph(f"{comparison.title}\n{TITLE_SUFFIX}", heading, tag=document.add("H1"))
    table = document.add("Table")
    header_row = table.add("TR")
    header_tags = (header_row.add("TH", Scope="Column"), header_row.add("TH", Scope="Column"))
    rows = _RowBuilder(theme, new_on_left, show_all, table).rows(comparison)
    return [title, ComparisonTable(rows, theme, headers, header_tags)]
