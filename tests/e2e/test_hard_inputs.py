"""Hard inputs: malformed, hostile and extreme documents, and a build killed mid-write.

The contract under test (README, cli.py): bad input exits 2 with every problem on stderr as
``FILE:LINE:COL: field.path: message`` (or ``FILE:LINE:COL: message``), never a traceback, never
exit 1 (that is an internal error, i.e. a bug), and the output folder is left as it was; valid
input builds, and the PDF holds every text whole and inside the page.

1. ``test_malformed_documents_*``: a Hypothesis property over >= 1,000 mutations of the real data
   files per run (``check`` in-process). Each mutation knows whether it must leave the document
   invalid, must leave it valid, or may do either; an "either" document the product accepts is
   cross-checked by an independent validator (PyYAML's safe_load + the published JSON Schemas
   via jsonschema + the font's cmap via fontTools), so an accepted invalid document is caught too.
   Run with ``-s`` to see the counts.
2. ``test_jis_x_0208_texts_*``: valid documents whose texts are drawn from JIS X 0208 (kanji levels
   1-2, kana, punctuation, digits); the built PDF is read back with pdfminer.six (not ReportLab).
3. ``test_killed_build_*``: a build SIGKILLed between writing its temporary file and renaming it.
4. Targeted cases, one test each.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import dataclasses
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from datafiles import AGREEMENT, COMMON, DATA, REPO, SCHEDULES, data_copy, edit, line_of
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.messages import language

FILES = (AGREEMENT, COMMON, SCHEDULES)
AGREEMENT_ID = "kumamoto-mifune-henko-r7"
FONT_FILE = REPO / "fonts" / "BIZUDMincho-Regular.ttf"
SCHEMA_DIR = REPO / "schema"
SCHEMA_OF = {AGREEMENT: "agreement.schema.json", COMMON: "common.schema.json", SCHEDULES: "schedules.schema.json"}

#: ``FILE:LINE:COL: `` at the start of a problem line
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")
MM = 72 / 25.4


def _cmap() -> frozenset[int]:
    with TTFont(str(FONT_FILE), lazy=True) as font:
        return frozenset(font.getBestCmap())


CMAP = _cmap()

# ---- running the product -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Run:
    """``kyoyaku_pdf.cli.main.main`` in-process, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exc:  # argparse and usage errors
            status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return Run(int(status), out.getvalue(), err.getvalue())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Names and bytes of everything below ``folder`` (hidden files included)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>") for p in sorted(folder.rglob("*"))}


def located_lines(err: str) -> list[re.Match[str]]:
    """Every non-empty stderr line parsed as a located problem; fails naming the first line that is not."""
    lines = [line for line in err.split("\n") if line.strip()]  # "\n" only: a message may quote U+2028
    assert lines, "no problem was printed on stderr"
    matches = []
    for line in lines:
        match = LOCATED.match(line)
        assert match, f"stderr line is not FILE:LINE:COL: …: {line!r}\nwhole stderr:\n{err}"
        matches.append(match)
    return matches


def assert_bad_input(run: Run, file: Path | None = None, line: int | None = None) -> re.Match[str]:
    """Exit 2, no traceback, every stderr line located; optionally the first one at ``file``(:``line``)."""
    assert "Traceback" not in run.out + run.err, run.err
    assert run.status == 2, f"exit {run.status}, expected 2\nstderr:\n{run.err}"
    first = located_lines(run.err)[0]
    if file is not None:
        assert Path(first["file"]).resolve() == file.resolve(), f"first problem is not in {file}:\n{run.err}"
    if line is not None:
        assert int(first["line"]) == line, f"first problem is not at line {line}:\n{run.err}"
    return first


# ---- reading the PDF back with pdfminer.six --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PdfText:
    text: str  # every LTChar in drawing order, whitespace removed
    out_of_bounds: list[str]  # characters closer than 15 mm to a page edge
    page_texts: list[str]  # the same, page by page

    def has_whole(self, text: str) -> bool:
        """``text`` (whitespace removed) is drawn without a gap, or — when it runs over a page break — as
        one unbroken run per consecutive page (so a continuation heading at the top of the next page is
        allowed, a lost, repeated or reordered character is not)."""
        text = _squash(text)
        if text in self.text:
            return True
        for start in range(len(self.page_texts)):
            rest, page = text, start
            while rest and page < len(self.page_texts):
                taken = _longest_prefix_in(rest, self.page_texts[page])
                if taken == 0:
                    break
                if taken < len(rest) and not self.page_texts[page].endswith(rest[:taken]):
                    break  # a run that stops before the page's end is cut, not continued
                rest, page = rest[taken:], page + 1
            if not rest:
                return True
        return False


def _longest_prefix_in(text: str, page: str) -> int:
    low, high = 0, len(text)  # text[:low] is in page; find the largest such low
    while low < high:
        mid = (low + high + 1) // 2
        if text[:mid] in page:
            low = mid
        else:
            high = mid - 1
    return low


def read_pdf(path: Path, margin_mm: float = 15.0) -> PdfText:
    """The characters of every page in drawing order (no layout analysis: laparams=None) and any
    character whose box comes within ``margin_mm`` of a page edge."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[str] = []
    bad: list[str] = []
    margin = margin_mm * MM
    with path.open("rb") as handle:
        for number, page in enumerate(PDFPage.get_pages(handle), start=1):
            chars: list[str] = []
            interpreter.process_page(page)
            layout = device.get_result()
            x0, y0, x1, y1 = layout.bbox
            stack: list[Any] = [layout]
            found: list[LTChar] = []
            while stack:  # depth first, keeping order
                item = stack.pop()
                if isinstance(item, LTChar):
                    found.append(item)
                elif hasattr(item, "__iter__"):
                    stack.extend(reversed(list(item)))
            for ch in found:
                chars.append(ch.get_text())
                if ch.x0 < x0 + margin or ch.x1 > x1 - margin or ch.y0 < y0 + margin or ch.y1 > y1 - margin:
                    bad.append(f"page {number}: {ch.get_text()!r} at ({ch.x0:.1f}, {ch.y0:.1f})–({ch.x1:.1f}, {ch.y1:.1f})")
            pages.append(_squash("".join(chars)))
    return PdfText("".join(pages), bad, pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- YAML documents as data (for valid edits) ----------------------------------------------------


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")


# ====================================================================================================
# 1. Malformed documents (property)
# ====================================================================================================

ORIGINAL = {rel: (DATA / rel).read_bytes() for rel in FILES}
ORIGINAL_TEXT = {rel: data.decode("utf-8") for rel, data in ORIGINAL.items()}

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?: (?P<value>.*))?$")
ITEM_LINE = re.compile(r"^(?P<indent> *)- (?P<value>(?![A-Za-z_][A-Za-z0-9_]*:(?: |$)).+)$")
COMMENT_LINE = re.compile(r"^\s*(#.*)?$")

#: characters the font has no glyph for (checked against its cmap); not tab, U+2028 or U+2029, which YAML
#: may take as white space or a line break and drop at the end of a plain scalar
OUTSIDE_FONT = [c for c in ("\U00020BB7", "\U0001F600", "\U0001F004", "\uE000", "\U0002A6B2", "\U000E0100") if ord(c) not in CMAP]
PLACEHOLDER_TYPOS = ("{丙}", "{甲 }", "{ 乙}", "{乙", "甲}", "{}", "{0}", "{通数x}", "{甲!r}", "{乙:>3}", "{甲}}", "{{乙}", "｛甲}")
UNKNOWN_KEYS = ("nmae", "adress", "Name", "extra", "id2", "取組名", "hub-role", "seal_size", "partner_roll")
INVALID_DATES = ("2025-02-30", "2025-13-01", "2025-00-10", "2023-02-29", "2025-03-32", "2025-3-24", "令和7年3月24日",
                 "2025/03/24", "20250324", "2025-03-24T10:00:00", "0000-01-01", "2025-03-24 25:00")
# (a quoted ISO date '2025-03-24' is valid, as the published schema says: see test_a_quoted_iso_date_…)
#: replacement values: (YAML text, the only original types for which the result is still valid)
REPLACEMENTS = {
    "list": ("[a, b]", ()), "block-list": ("\n  - a\n  - b", ()), "mapping": ("{a: b}", ()), "empty-mapping": ("{}", ()),
    "int": ("42", ()), "negative": ("-1", ()), "hex": ("0x1F", ()), "float": ("3.14", ()), "nan": (".nan", ()),
    "inf": ("-.inf", ()), "bool": ("true", ()), "yes": ("yes", ()), "no": ("no", ()), "null": ("~", ()),
    "nothing": ("", ()), "date": ("2024-01-01", ("date",)), "datetime": ("2024-01-01 10:00:00", ()),
    "binary": ("!!binary aGVsbG8=", ()),
}
EMPTY_TEXTS = ('""', "''", '" "', '"\u3000"', '"\\t"', "' x'", "'x '")
INSERTED_BYTES = (b"\x00", b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xe3\x81", b"\x80", b"\x07", b"\x1b", b"\x7f",
                  "\ufffe".encode(), b"\r", b"\r\n", b"\xc2\x85", b"\t", b":", b": ", b"- ", b"#", b"&", b"*", b"!",
                  b"|", b">", b"'", b'"', b"%", b"@", b"`", b"[", b"]", b"{", b"}", b",", b"?", b"\\")


#: keys the bundled data sets although they may be left out (build --electronic needs electronic_closing)
OPTIONAL_KEYS = {"electronic_closing"}


@dataclasses.dataclass(frozen=True)
class FileLines:
    lines: list[str]
    comments: list[int]  # comment and blank lines
    keys: list[int]  # key: lines
    values: list[int]  # lines with a scalar value (key: value or - value)

    @classmethod
    def of(cls, text: str) -> FileLines:
        lines = text.split("\n")
        comments, keys, values = [], [], []
        for i, line in enumerate(lines):
            if i == len(lines) - 1 and line == "":
                continue  # after the final newline
            if COMMENT_LINE.match(line):
                comments.append(i)
            elif m := KEY_LINE.match(line):
                keys.append(i)
                if m["value"]:
                    values.append(i)
            elif ITEM_LINE.match(line):
                values.append(i)
        return cls(lines, comments, keys, values)


LINES = {rel: FileLines.of(text) for rel, text in ORIGINAL_TEXT.items()}


def _value_span(line: str) -> tuple[int, int, str]:
    """Where the scalar value of a line starts and ends (inside quotes, if quoted) and its type."""
    m = KEY_LINE.match(line)
    if m and m["value"]:
        start, end, kind = m.start("value"), m.end("value"), {"date": "date", "copies": "int"}.get(m["key"], "str")
    else:
        m = ITEM_LINE.match(line)
        assert m, line
        start, end, kind = m.start("value"), m.end("value"), "str"
    if end - start >= 2 and line[start] in "\"'" and line[end - 1] == line[start]:
        start, end = start + 1, end - 1
    return start, end, kind


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class Mutation:
    """One damaged copy of one data file. ``expect``: "invalid", "valid" or "either".

    A plain class with a short repr, so that a falsifying example reads as what was done, not as bytes."""

    def __init__(self, target: str, kind: str, detail: str, expect: str, data: bytes, bom: bool) -> None:
        self.target, self.kind, self.detail, self.expect, self.data, self.bom = target, kind, detail, expect, data, bom

    def payload(self) -> bytes:
        return b"\xef\xbb\xbf" + self.data if self.bom else self.data

    def __repr__(self) -> str:
        bom = ", after a UTF-8 BOM" if self.bom else ""
        return f"Mutation({self.target}: {self.kind} {self.detail}{bom}; expected {self.expect})"


def _join(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


MUTATION_KINDS = (
    "delete-line", "duplicate-line", "reindent", "insert-tab", "truncate", "insert-bytes", "replace-scalar",
    "rename-key", "remove-key", "empty-text", "invalid-date", "alias", "anchor-only", "placeholder-typo",
    "outside-font", "reencode", "bom-only", "comment", "crlf", "trailing-space",
)


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    kind = draw(st.sampled_from(MUTATION_KINDS))
    target = AGREEMENT if kind == "invalid-date" else draw(st.sampled_from(FILES))
    info = LINES[target]
    lines = list(info.lines)
    raw = ORIGINAL[target]
    bom = draw(st.booleans()) if kind != "bom-only" else True

    def made(detail: str, expect: str, data: bytes) -> Mutation:
        return Mutation(target, kind, detail, expect, data, bom)

    if kind == "delete-line":
        i = draw(st.integers(0, len(lines) - 2))
        expect = "valid" if i in info.comments else "either"
        return made(f"line {i + 1} {lines[i]!r}", expect, _join(lines[:i] + lines[i + 1:]))
    if kind == "duplicate-line":
        i = draw(st.integers(0, len(lines) - 2))
        expect = "valid" if i in info.comments else "invalid" if i in info.keys else "either"
        return made(f"line {i + 1} {lines[i]!r}", expect, _join(lines[: i + 1] + lines[i:]))
    if kind == "reindent":
        i = draw(st.integers(0, len(lines) - 2))
        delta = draw(st.integers(-4, 4).filter(bool))
        line = lines[i]
        lines[i] = " " * delta + line if delta > 0 else line[min(-delta, _indent(line)):]
        expect = "valid" if i in info.comments else "either"
        return made(f"line {i + 1} by {delta:+d}", expect, _join(lines))
    if kind == "insert-tab":
        i = draw(st.integers(0, len(lines) - 2))
        at = draw(st.integers(0, _indent(lines[i])))
        lines[i] = lines[i][:at] + "\t" + lines[i][at:]
        return made(f"line {i + 1} column {at + 1}", "either", _join(lines))
    if kind == "truncate":
        at = draw(st.integers(0, len(raw) - 1))
        return made(f"at byte {at} of {len(raw)}", "either", raw[:at])
    if kind == "insert-bytes":
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.one_of(st.sampled_from(INSERTED_BYTES), st.binary(min_size=1, max_size=6)))
        return made(f"{junk!r} at byte {at}", "either", raw[:at] + junk + raw[at:])
    if kind in ("replace-scalar", "empty-text", "invalid-date", "placeholder-typo", "outside-font", "anchor-only"):
        if kind == "invalid-date":
            i = next(n for n in info.values if lines[n].startswith("date:"))
        else:
            i = draw(st.sampled_from(info.values))
        line = lines[i]
        start, end, value_type = _value_span(line)
        m = KEY_LINE.match(line) or ITEM_LINE.match(line)
        assert m
        whole = m.start("value")
        if kind == "replace-scalar":
            name = draw(st.sampled_from(sorted(REPLACEMENTS)))
            text, still_valid_for = REPLACEMENTS[name]
            if text.startswith("\n"):  # a block list under the key, indented below it
                text = text.replace("\n", "\n" + " " * (_indent(line) + (2 if line.lstrip().startswith("- ") else 0)))
            lines[i] = line[:whole].rstrip(" ") + ("" if text.startswith("\n") or not text else " ") + text
            expect = "valid" if value_type in still_valid_for else "invalid"
            return made(f"line {i + 1} value → {name} {text!r}", expect, _join(lines))
        if kind == "empty-text":
            text = draw(st.sampled_from(EMPTY_TEXTS))
            lines[i] = line[:whole] + text
            return made(f"line {i + 1} value → {text}", "invalid", _join(lines))
        if kind == "invalid-date":
            text = draw(st.sampled_from(INVALID_DATES))
            lines[i] = line[:whole] + text
            return made(f"date → {text}", "invalid", _join(lines))
        if kind == "anchor-only":
            lines[i] = line[:whole] + "&anchor " + line[whole:]
            return made(f"line {i + 1}", "either", _join(lines))
        at = draw(st.integers(start, end))
        if kind == "placeholder-typo":
            token = draw(st.sampled_from(PLACEHOLDER_TYPOS))
        else:
            token = draw(st.sampled_from(OUTSIDE_FONT))
        lines[i] = line[:at] + token + line[at:]
        return made(f"line {i + 1} column {at + 1}: {token!r}", "invalid", _join(lines))
    if kind == "rename-key":
        i = draw(st.sampled_from(info.keys))
        m = KEY_LINE.match(lines[i])
        assert m
        new = draw(st.sampled_from(UNKNOWN_KEYS))
        lines[i] = lines[i][: m.start("key")] + new + lines[i][m.end("key"):]
        return made(f"line {i + 1} {m['key']} → {new}", "invalid", _join(lines))
    if kind == "remove-key":
        i = draw(st.sampled_from(info.keys))
        m = KEY_LINE.match(lines[i])
        assert m
        column = m.start("key")
        j = i + 1
        while j < len(lines) and lines[j].strip() and _indent(lines[j]) > column:
            j += 1
        if m["dash"] and j < len(lines) and lines[j].strip() and _indent(lines[j]) == column:
            lines[j] = m["indent"] + "- " + lines[j][column:]  # the next key of the item takes the dash
        expect = "either" if m["key"] in OPTIONAL_KEYS else "invalid"
        return made(f"line {i + 1} {m['key']} (lines {i + 1}–{j})", expect, _join(lines[:i] + lines[j:]))
    if kind == "alias":
        i, j = draw(st.lists(st.sampled_from(info.values), min_size=2, max_size=2, unique=True))
        for n, prefix in ((i, "&ref "), (j, None)):
            m = KEY_LINE.match(lines[n]) or ITEM_LINE.match(lines[n])
            assert m
            whole = m.start("value")
            lines[n] = lines[n][:whole] + (prefix + lines[n][whole:] if prefix else "*ref")
        return made(f"&ref on line {i + 1}, *ref on line {j + 1}", "invalid", _join(lines))
    if kind == "reencode":
        codec = draw(st.sampled_from(("cp932", "shift_jis_2004", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "euc_jp")))
        return made(codec, "invalid", ORIGINAL_TEXT[target].encode(codec, errors="replace"))
    if kind == "bom-only":
        return made("", "valid", raw)
    if kind == "comment":
        i = draw(st.integers(0, len(lines) - 1))
        text = draw(st.sampled_from(("# 追加のコメント", "#", "", "   ", "# {丙} 𠮷 😀 : - [ {")))
        indent = draw(st.integers(0, 8)) if text.strip() else 0
        return made(f"before line {i + 1}: {text!r}", "valid", _join(lines[:i] + [" " * indent + text] + lines[i:]))
    if kind == "crlf":
        return made("", "valid", raw.replace(b"\n", b"\r\n"))
    if kind == "trailing-space":
        i = draw(st.sampled_from(info.values + info.keys))
        lines[i] += draw(st.sampled_from(("  ", " ", " # 注")))
        return made(f"line {i + 1}", "valid", _join(lines))
    raise AssertionError(kind)


# ---- an independent judge of validity (for documents the product accepted) ------------------------

_VALIDATORS = {rel: Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))) for rel, name in SCHEMA_OF.items()}
_PLACEHOLDER = re.compile(r"\{(?:甲|乙|通数)\}")


def _plain(value: Any, where: str) -> Any:
    """JSON-like data for the schema validator; raises on YAML types that have no JSON form."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, str) else _bad(k, where): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dt.datetime):
        return _bad(value, where)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return _bad(value, where)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _bad(value, where)


def _bad(value: Any, where: str) -> Any:
    raise ValueError(f"{where}: {type(value).__name__} {value!r}")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def independent_verdict(agreement_path: Path) -> str | None:
    """None if the three files make a valid agreement by rules checked without the product's code,
    else the reason. Deliberately no stricter than the README: schema, dates, texts, placeholders,
    glyphs, areas xor sections, no policy area twice."""
    docs: dict[str, Any] = {}
    path = agreement_path
    try:
        for rel, link in ((AGREEMENT, "common"), (COMMON, "schedules"), (SCHEDULES, None)):
            if not path.is_file():
                return f"{rel}: no such file {path}"
            data = path.read_bytes()
            data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
            loaded = yaml.safe_load(data.decode("utf-8"))
            if rel == AGREEMENT and isinstance(loaded, dict) and type(loaded.get("date")) is not dt.date:
                return f"date is {loaded.get('date')!r}"
            plain = _plain(loaded, rel)
            errors = sorted(_VALIDATORS[rel].iter_errors(plain), key=str)
            if errors:
                return f"{rel}: schema: {errors[0].message}"
            docs[rel] = plain
            if link:
                path = path.parent / plain[link]
    except Exception as exc:  # noqa: BLE001 - any failure to read means "not valid"
        return f"{type(exc).__name__}: {exc}"
    for rel, doc in docs.items():
        for text in _strings(doc):
            if not text.strip() or text != text.strip():
                return f"{rel}: empty or padded text {text!r}"
            if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
                return f"{rel}: braces outside the placeholders in {text!r}"
            missing = [c for c in text if ord(c) not in CMAP and c != "\n"]
            if missing:
                return f"{rel}: no glyph for {missing[0]!r}"
    for schedule in docs[SCHEDULES]["schedules"]:
        if ("areas" in schedule) == ("sections" in schedule):
            return "a schedule with both or neither of areas/sections"
        names = [a["name"] for a in schedule.get("areas", [])] + [a["name"] for s in schedule.get("sections", []) for a in s["areas"]]
        if len(names) != len(set(names)):
            return "a policy area given twice"
    return None


# ---- the verdict on one run -----------------------------------------------------------------------


class ExitedWithInternalError(AssertionError):
    """exit 1 (or anything but 0/2): an internal error on user input is a bug"""


class PrintedTraceback(AssertionError):
    pass


class RejectedValidDocument(AssertionError):
    pass


class AcceptedInvalidDocument(AssertionError):
    pass


class ProblemNotLocated(AssertionError):
    """a stderr line is not FILE:LINE:COL: …, or FILE is not one of the data files"""


class LeftFilesBehind(AssertionError):
    pass


def verdicts(m: Mutation, run: Run, folder: Path, listing_before: dict[str, bytes]) -> list[AssertionError]:
    """Every way this run broke the contract (empty: it kept it)."""
    found: list[AssertionError] = []
    both = run.out + run.err
    if "Traceback" in both:
        found.append(PrintedTraceback(both))
    if run.status not in (0, 2):
        found.append(ExitedWithInternalError(f"exit {run.status}\n{run.err}"))
    if run.status == 2 and m.expect == "valid":
        found.append(RejectedValidDocument(run.err))
    if run.status == 0:
        if m.expect == "invalid":
            found.append(AcceptedInvalidDocument(f"exit 0 for a document that must be invalid\n{run.out}{run.err}"))
        elif m.expect == "either":
            reason = independent_verdict(folder / AGREEMENT)
            if reason is not None:
                found.append(AcceptedInvalidDocument(f"exit 0, but: {reason}"))
    if run.status == 2:
        known = {(folder / rel).resolve() for rel in FILES}
        lines = [line for line in run.err.split("\n") if line.strip()]
        if not lines:
            found.append(ProblemNotLocated("exit 2 with nothing on stderr"))
        for line in lines:
            match = LOCATED.match(line)
            if not match:
                found.append(ProblemNotLocated(f"not located: {line!r}"))
                break
            where = Path(match["file"]).resolve()
            if where not in known:
                found.append(ProblemNotLocated(f"located in a file that is not one of the data files: {line!r}"))
                break
            rel = str(where.relative_to(folder.resolve()))
            # a line may point just past the last line (end of stream), never further
            limit = (m.payload() if rel == m.target else ORIGINAL[rel]).count(b"\n") + 2
            if not 1 <= int(match["line"]) <= limit or int(match["col"]) < 1:
                found.append(ProblemNotLocated(f"line/column out of the file ({limit - 1} lines): {line!r}"))
                break
    if snapshot(folder) != listing_before:
        found.append(LeftFilesBehind(f"{sorted(set(snapshot(folder)) ^ set(listing_before))}"))
    return found


def check_mutation(m: Mutation, folder: Path) -> tuple[Run, list[AssertionError]]:
    """Write the mutated file (others pristine) into ``folder`` and run ``check`` on the agreement."""
    for rel in FILES:
        (folder / rel).write_bytes(m.payload() if rel == m.target else ORIGINAL[rel])
    before = snapshot(folder)
    run = run_cli("check", folder / AGREEMENT)
    return run, verdicts(m, run, folder, before)


MALFORMED_EXAMPLES = 1500


def test_malformed_documents_exit_2_with_located_problems(tmp_path: Path) -> None:
    folder = data_copy(tmp_path)
    stats: collections.Counter[str] = collections.Counter()

    @settings(max_examples=MALFORMED_EXAMPLES, deadline=None, derandomize=False, database=None,
              suppress_health_check=list(HealthCheck))
    @given(m=mutations())
    def property_(m: Mutation) -> None:
        run, found = check_mutation(m, folder)
        stats["ran"] += 1
        stats[f"exit {run.status}"] += 1
        stats[f"kind {m.kind} expect {m.expect} exit {run.status}"] += 1
        event(f"{m.kind}: exit {run.status}")
        note(f"{m}\nexit {run.status}\nstdout: {run.out}\nstderr: {run.err}")
        if found:
            stats["failed"] += 1
            raise found[0]

    try:
        property_()
    finally:
        print(f"\nmalformed documents: {stats['ran']} ran, {stats['exit 2']} rejected (exit 2), "
              f"{stats['exit 0']} accepted (exit 0), {stats['ran'] - stats['exit 0'] - stats['exit 2']} other exits, "
              f"{stats['failed']} broke the contract")
        for key in sorted(k for k in stats if k.startswith("kind ")):
            print(f"  {key[5:]}: {stats[key]}")
    assert stats["ran"] >= 1000, stats


# ====================================================================================================
# 2. JIS X 0208 texts (property): valid documents build, every character inside the page, texts whole
# ====================================================================================================


def _jis_x_0208_kanji() -> str:
    """Levels 1 and 2: rows 16–84, i.e. EUC-JP bytes 0xB0–0xF4 / 0xA1–0xFE that decode."""
    out = []
    for first in range(0xB0, 0xF5):
        for second in range(0xA1, 0xFF):
            try:
                out.append(bytes((first, second)).decode("euc_jp"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


KANJI = _jis_x_0208_kanji()
HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3094))
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30F7))
PUNCTUATION = "、。「」（）・ー"
DIGITS = "0123456789"


def test_the_kanji_set_is_jis_x_0208_levels_1_and_2() -> None:
    assert len(KANJI) == 2965 + 3390 and KANJI[0] == "亜" and "熙" in KANJI and "腕" in KANJI


def jis_text(max_size: int) -> st.SearchStrategy[str]:
    """Mostly kanji, with kana, punctuation and digits mixed in (and sometimes only punctuation)."""
    char = st.one_of(
        st.sampled_from(KANJI), st.sampled_from(KANJI), st.sampled_from(HIRAGANA),
        st.sampled_from(KATAKANA), st.sampled_from(PUNCTUATION), st.sampled_from(DIGITS),
    )
    return st.one_of(
        st.lists(char, min_size=1, max_size=max_size).map("".join),
        st.text(alphabet=PUNCTUATION + DIGITS, min_size=1, max_size=max_size),
    )


JIS_EXAMPLES = 50


def test_jis_x_0208_texts_build_inside_the_page_and_come_back_whole(tmp_path: Path) -> None:
    base = data_copy(tmp_path / "base")
    agreement0, book0 = load_yaml(base / AGREEMENT), load_yaml(base / SCHEDULES)
    stats: collections.Counter[str] = collections.Counter()

    @settings(max_examples=JIS_EXAMPLES, deadline=None, derandomize=False, database=None,
              suppress_health_check=list(HealthCheck))
    @given(
        area=st.sampled_from([(0, 2), (1, 0), (2, None)]),
        name=jis_text(20), content=jis_text(300), hub_role=jis_text(300), partner_role=jis_text(300),
        partner_name=jis_text(10), address=jis_text(40), office=jis_text(10),
    )
    def property_(area: tuple[int, int | None], name: str, content: str, hub_role: str, partner_role: str,
                  partner_name: str, address: str, office: str) -> None:
        stats["ran"] += 1
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        try:
            data = data_copy(folder)
            agreement, book = copy.deepcopy(agreement0), copy.deepcopy(book0)
            agreement["partner"].update(name=partner_name, address=address, office=office)
            schedule, index = area
            areas = book["schedules"][schedule]["areas"] if index is not None else book["schedules"][schedule]["sections"][0]["areas"]
            target = areas[index or 0]
            if any(a["name"] == name for a in areas if a is not target):
                name += "の取組"  # two areas of one name is a (different) input error
            target.update(name=name, content=content, hub_role=hub_role, partner_role=partner_role)
            dump_yaml(data / AGREEMENT, agreement)
            dump_yaml(data / SCHEDULES, book)
            out_dir = folder / "out"
            run = run_cli("build", data / AGREEMENT, "-o", out_dir)
            note(f"exit {run.status}\nstdout: {run.out}\nstderr: {run.err}")
            assert "Traceback" not in run.out + run.err
            if run.status == 2 and "no glyph for" in run.err:
                stats["rejected for a missing glyph"] += 1
                for line in located_lines(run.err):
                    if ": warning: " in line.string:
                        continue  # proof-reading warnings are not the rejection
                    char = re.search(r"no glyph for '(.+?)' \(U\+([0-9A-F]+)", line.string)
                    assert char, f"a problem other than a missing glyph: {line.string}"
                    assert int(char[2], 16) not in CMAP, f"the font has {char[1]!r} (U+{char[2]}), yet it was refused"
                return
            assert run.status == 0, f"a valid document did not build: exit {run.status}\n{run.err}"
            pdf = out_dir / AGREEMENT_ID / f"{AGREEMENT_ID}.pdf"
            got = read_pdf(pdf)
            assert not got.out_of_bounds, "characters within 15 mm of the page edge:\n" + "\n".join(got.out_of_bounds[:20])
            for label, text in (("area name", name), ("content", content), ("hub_role", hub_role),
                                ("partner_role", partner_role), ("partner name", partner_name),
                                ("address", address), ("office", office)):
                assert got.has_whole(text), f"the {label} {text!r} does not come back whole from the PDF"
            stats["built and read back"] += 1
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    try:
        property_()
    finally:
        print(f"\nJIS X 0208 documents: {stats['ran']} ran, {stats['built and read back']} built and read back, "
              f"{stats['rejected for a missing glyph']} refused for a glyph the font lacks")
    assert stats["ran"] >= JIS_EXAMPLES


# ====================================================================================================
# 3. A build killed mid-write
# ====================================================================================================

SLOW_DRIVER = textwrap.dedent(
    """
    import os, sys, time
    # Stall after the temporary file is written (fsync) and before it is renamed into place.
    real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename
    def slow_fsync(fd):
        real_fsync(fd)
        print("WRITTEN", flush=True)
        time.sleep(10)
    def slow(real):
        def wrapper(src, dst, *args, **kwargs):
            print("RENAMING", src, flush=True)
            time.sleep(10)
            return real(src, dst, *args, **kwargs)
        return wrapper
    os.fsync, os.replace, os.rename = slow_fsync, slow(real_replace), slow(real_rename)
    from kyoyaku_pdf.cli.main import main
    sys.exit(main(sys.argv[1:]))
    """
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def _build_subprocess(agreement: Path, out_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", str(agreement), "-o", str(out_dir)],
                          check=False, env=_env(), capture_output=True, text=True, timeout=120)


def test_killed_build_keeps_the_old_pdf_and_the_next_build_leaves_no_temporary(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    out_dir = tmp_path / "out"
    first = _build_subprocess(data / AGREEMENT, out_dir)
    assert first.returncode == 0, first.stderr
    folder = out_dir / AGREEMENT_ID
    pdf = folder / f"{AGREEMENT_ID}.pdf"
    good = pdf.read_bytes()
    before = set(os.listdir(folder))

    driver = tmp_path / "slow_driver.py"
    driver.write_text(SLOW_DRIVER, encoding="utf-8")
    # a change, so that a half-finished replacement could not pass for the old file
    edit(data, SCHEDULES, "熊本港の利用促進に甲と連携して取り組む。", "熊本港の利用促進に甲と連携して積極的に取り組む。")
    proc = subprocess.Popen([sys.executable, str(driver), "build", str(data / AGREEMENT), "-o", str(out_dir)],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        temporaries: list[str] = []
        while time.monotonic() < deadline and proc.poll() is None:
            temporaries = sorted(set(os.listdir(folder)) - before)
            if temporaries:
                time.sleep(0.2)  # let the write finish into the fsync/rename stall
                break
            time.sleep(0.01)
        assert proc.poll() is None, f"the build ended before it could be killed mid-write: {proc.communicate()}"
        assert temporaries, "no temporary file appeared in the output folder within 60 s"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert pdf.read_bytes() == good, "the killed build changed the previous PDF"
    left = sorted(set(os.listdir(folder)) - before)
    print(f"\nkilled mid-write: temporary files seen {temporaries}; left behind after SIGKILL: {left}")
    assert all(re.fullmatch(rf"\.{re.escape(pdf.name)}\..+\.tmp", name) for name in left), left

    again = _build_subprocess(data / AGREEMENT, out_dir)
    assert again.returncode == 0, again.stderr
    assert pdf.read_bytes() != good, "the next build must write the changed agreement"
    stale = sorted(name for name in os.listdir(folder) if name.endswith(".tmp") or name not in before)
    assert not stale, (
        f"the next normal build left the killed build's temporary file(s) in {folder}: {stale} — "
        "a SIGKILLed run cannot clean up, so the product must remove stale temporaries (or never leave them)"
    )


# ====================================================================================================
# 4. Targeted cases
# ====================================================================================================


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding a good build of the bundled agreement."""
    root = tmp_path_factory.mktemp("good")
    data = data_copy(root)
    run = run_cli("build", data / AGREEMENT, "-o", root / "out")
    assert run.status == 0, run.err
    return root / "out"


@pytest.fixture
def out_dir(tmp_path: Path, good_build: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(good_build, target)
    return target


def build_bad(agreement: Path, out_dir: Path) -> Run:
    """``build`` that must fail as bad input; asserts the output folder is unchanged (no temporaries)."""
    before = snapshot(out_dir)
    run = run_cli("build", agreement, "-o", out_dir)
    after = snapshot(out_dir)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"the build (exit {run.status}) changed the output folder: {changed}\n{run.out}{run.err}"
    return run


def build_good(agreement: Path, out_dir: Path) -> PdfText:
    run = run_cli("build", agreement, "-o", out_dir)
    assert "Traceback" not in run.out + run.err
    assert run.status == 0, f"exit {run.status}, expected a build\n{run.err}"
    folder = out_dir / AGREEMENT_ID
    assert sorted(os.listdir(folder)) == [f"{AGREEMENT_ID}.pdf"], "temporary files left behind"
    got = read_pdf(folder / f"{AGREEMENT_ID}.pdf")
    assert not got.out_of_bounds, "\n".join(got.out_of_bounds[:20])
    return got


def test_empty_file(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    (data / AGREEMENT).write_bytes(b"")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, 1)


@pytest.mark.parametrize("junk", [bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + bytes(200), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"],
                         ids=["all-bytes", "png", "pdf"])
def test_binary_junk(tmp_path: Path, out_dir: Path, junk: bytes) -> None:
    data = data_copy(tmp_path)
    (data / COMMON).write_bytes(junk)
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / COMMON)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("  office: 御船町長", "  office: 御船町長: 町長", "office:"),  # mapping values are not allowed here
        ("partner:\n", "partner: [\n", "partner:"),  # a flow sequence never closed
        ("  name: 藤木正", '  name: "藤木正', "name:"),  # a quoted text never closed
        ("  municipality: 御船町", "  municipality: 御船町\n office: x", "office: x"),  # bad indentation
    ],
    ids=["mapping-value", "unclosed-bracket", "unclosed-quote", "dedent"],
)
def test_yaml_syntax_error_points_at_the_right_line(tmp_path: Path, out_dir: Path, old: str, new: str, needle: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, old, new)
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT)
    assert "YAML" in first.string
    line = line_of(data, AGREEMENT, needle)
    # at the line of the mistake, or at least naming it (PyYAML knows it: "while scanning … started at line N")
    assert int(first["line"]) == line or re.search(rf"\bline {line}\b", first.string), (
        f"the mistake is on line {line}; the message does not lead there: {first.string}")


def test_tab_indentation(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", "\toffice: 御船町長")
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "office:"))
    assert "タブ" in first.string


def test_shift_jis_file_is_named_as_such(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    (data / SCHEDULES).write_bytes(ORIGINAL_TEXT[SCHEDULES].encode("cp932"))
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / SCHEDULES)
    assert "Shift_JIS" in first.string and "UTF-8" in first.string, first.string


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file(tmp_path: Path, out_dir: Path, codec: str) -> None:
    data = data_copy(tmp_path)
    (data / COMMON).write_bytes(ORIGINAL_TEXT[COMMON].encode(codec))
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / COMMON)
    assert "UTF-16" in first.string and "UTF-8" in first.string, first.string


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    for rel in FILES:
        (data / rel).write_bytes(b"\xef\xbb\xbf" + ORIGINAL[rel])
    got = build_good(data / AGREEMENT, tmp_path / "out")
    assert "藤木正" in got.text and "\ufeff" not in got.text


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_quickly(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    (data / COMMON).write_text(BILLION_LAUGHS + ORIGINAL_TEXT[COMMON], encoding="utf-8")
    started = time.monotonic()
    run = build_bad(data / AGREEMENT, out_dir)
    assert time.monotonic() - started < 2
    first = assert_bad_input(run, data / COMMON, 2)  # the first alias
    assert "エイリアス" in first.string


def test_a_50_mb_file_is_refused_quickly_with_the_limit_in_the_message(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    with (data / SCHEDULES).open("r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the real text, then 50 MB of holes
    started = time.monotonic()
    run = build_bad(data / AGREEMENT, out_dir)
    assert time.monotonic() - started < 2
    first = assert_bad_input(run, data / SCHEDULES, 1)
    assert re.search(r"上限", first.string) and re.search(r"\d[\d,]{5,}", first.string), first.string


@pytest.mark.parametrize(
    ("rel", "old", "second"),
    [
        (AGREEMENT, "  name: 藤木正", "  name: 藤木"),
        (COMMON, "copies: 2", "copies: 3"),
        (SCHEDULES, "        hub_role: 熊本港の利用促進のための事業を実施する。", "        hub_role: 別の役割"),
    ],
    ids=["agreement", "common", "schedules"],
)
def test_duplicate_keys(tmp_path: Path, out_dir: Path, rel: str, old: str, second: str) -> None:
    data = data_copy(tmp_path)
    edit(data, rel, old, f"{old}\n{second}")
    line = (data / rel).read_text(encoding="utf-8").splitlines().index(second) + 1
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / rel, line)
    assert "2回書かれています" in first.string


@pytest.mark.parametrize("bad_id", ["../../etc", "a/b", "..", "/tmp/x", "Kumamoto", "-x", "x" * 65, "a b", "ａ"])
def test_agreement_id_outside_the_pattern(tmp_path: Path, out_dir: Path, bad_id: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, f"id: {AGREEMENT_ID}", f"id: {json.dumps(bad_id)}")
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "id:"))
    assert "id" in first.string


@pytest.mark.parametrize("where", ["folder", "missing-outside", "absolute-system-file", "relative-outside"])
def test_common_path_outside_or_to_a_folder(tmp_path: Path, out_dir: Path, where: str) -> None:
    """``common:`` is refused where it is written: it must name a file inside the agreement's folder."""
    data = data_copy(tmp_path)
    outside = tmp_path / "elsewhere"
    shutil.copytree(data / "common", outside)  # a complete, valid common + schedules pair outside data/
    value = {
        "folder": "common",
        "missing-outside": "../../../nowhere/kumamoto-henko-r7.yaml",
        "absolute-system-file": "/etc/passwd",
        "relative-outside": "../elsewhere/kumamoto-henko-r7.yaml",
    }[where]
    edit(data, AGREEMENT, "common: common/kumamoto-henko-r7.yaml", f"common: {value}")
    run = build_bad(data / AGREEMENT, out_dir)
    first = assert_bad_input(run, data / AGREEMENT, line_of(data, AGREEMENT, "common:"))
    assert "common" in first.string
    assert "root:" not in run.err, "the content of a system file was echoed into the message"


def numbered(unit: str, length: int) -> str:
    """A text of exactly ``length`` characters that never repeats itself (第1…第2…), so that reading it
    back proves every character is there once and in order."""
    text = "".join(f"第{n}{unit}" for n in range(1, length))[: length - 1] + "。"
    assert len(text) == length
    return text


def _edit_yaml(data: Path, rel: str, change: Any) -> None:
    doc = load_yaml(data / rel)
    change(doc)
    dump_yaml(data / rel, doc)


def test_a_3000_character_partner_role_builds_and_comes_back_whole(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    text = numbered("項として甲と連携して熊本港の利用促進に取り組む。", 3000)
    _edit_yaml(data, SCHEDULES, lambda d: d["schedules"][0]["areas"][2].update(partner_role=text))
    got = build_good(data / AGREEMENT, tmp_path / "out")
    assert got.has_whole(text), "the 3,000-character 乙の役割 does not come back whole"


def test_a_200_character_policy_area_name_builds(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    name = numbered("物流機能の強化及び熊本港の利用促進", 200)
    _edit_yaml(data, SCHEDULES, lambda d: d["schedules"][0]["areas"][2].update(name=name))
    got = build_good(data / AGREEMENT, tmp_path / "out")
    assert got.has_whole(name)


def test_a_150_character_address_builds(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    address = numbered("番地の1熊本県上益城郡御船町大字御船", 150)
    _edit_yaml(data, AGREEMENT, lambda d: d["partner"].update(address=address))
    got = build_good(data / AGREEMENT, tmp_path / "out")
    assert got.has_whole(address)


def test_an_office_title_longer_than_the_signature_column(tmp_path: Path, out_dir: Path) -> None:
    """Either it wraps and builds with the title whole, or it is refused with a located message."""
    data = data_copy(tmp_path)
    office = "熊本連携中枢都市圏形成に係る連携協約の締結に関する事務を専決する御船町長職務代理者副町長"  # 45 characters
    edit(data, AGREEMENT, "office: 御船町長", f"office: {office}")
    before = snapshot(out_dir)
    run = run_cli("build", data / AGREEMENT, "-o", out_dir)
    assert "Traceback" not in run.out + run.err
    if run.status == 2:
        assert snapshot(out_dir) == before
        assert_bad_input(run, data / AGREEMENT, line_of(data, AGREEMENT, "office:"))
    else:
        assert run.status == 0, run.err
        got = read_pdf(out_dir / AGREEMENT_ID / f"{AGREEMENT_ID}.pdf")
        assert not got.out_of_bounds
        assert got.has_whole(office) and got.has_whole("藤木正")


@pytest.mark.parametrize("rel", [AGREEMENT, COMMON], ids=["partner", "hub"])
def test_a_40_character_name_is_refused_with_a_located_message(tmp_path: Path, out_dir: Path, rel: str) -> None:
    data = data_copy(tmp_path)
    old = "name: 藤木正" if rel == AGREEMENT else "name: 大西一史"
    edit(data, rel, old, "name: " + "藤木" * 20)
    run = build_bad(data / AGREEMENT, out_dir)
    assert "LayoutError" not in run.err and "raised by class" not in run.err, run.err
    first = assert_bad_input(run, data / rel, line_of(data, rel, "name: 藤木藤木"))
    assert "name" in first.string and ("短く" if language() == "ja" else "shorten") in first.string, first.string


# ---- further hard inputs found while writing the tests above -------------------------------------


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x0c", "\ufffe", "\x85", "\u2028", "\u2029"],
                         ids=["BEL", "ESC", "DEL", "FF", "U+FFFE", "NEL", "LS", "PS"])
def test_a_control_character_in_a_text(tmp_path: Path, out_dir: Path, char: str) -> None:
    """Refused as bad input (not an internal error), at the line an editor shows: NEL, LS and PS are line
    breaks to YAML 1.1 but not to editors, so a location counted by YAML's marks is off."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "name: 藤木正", f"name: 藤木{char}正")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "name: 藤木"))


@pytest.mark.parametrize("typo", ["{甲!r}", "{乙:>3}", "{通数!s:2}"])
def test_a_placeholder_with_a_format_spec_is_refused(tmp_path: Path, out_dir: Path, typo: str) -> None:
    """README: texts may use {甲}, {乙}, {通数}; any other {…} is an error (it would print braces)."""
    data = data_copy(tmp_path)
    edit(data, COMMON, "本連携協約書{通数}通", f"本連携協約書{typo}通")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / COMMON, line_of(data, COMMON, "closing:"))


@pytest.mark.parametrize("date", ["1800-01-01", "1872-12-31", "0001-01-01"])
def test_a_date_that_cannot_be_written_in_wareki(tmp_path: Path, out_dir: Path, date: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", f"date: {date}")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "date:"))
    assert_bad_input(run_cli("check", data / AGREEMENT), data / AGREEMENT)


@pytest.mark.parametrize("value", [".nan", ".NaN", "-.inf", "0", "1e9"])
def test_a_seal_size_that_is_not_a_size(tmp_path: Path, out_dir: Path, value: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", f"  name: 藤木正\n  seal_mm: {value}")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "seal_mm:"))
    assert_bad_input(run_cli("check", data / AGREEMENT), data / AGREEMENT)


@pytest.mark.parametrize("tagged", ["!!timestamp abc", "!!bool abc", "!!int abc", "!!float abc", "!foo abc",
                                    "!!python/object:os.system ls", "!!binary aGVsbG8="])
def test_an_explicit_yaml_tag(tmp_path: Path, out_dir: Path, tagged: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "name: 藤木正", f"name: {tagged}")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "name: !"))


@pytest.mark.parametrize("opener", ["[", "{", "- "], ids=["flow-lists", "flow-mappings", "block-lists"])
def test_deep_nesting(tmp_path: Path, out_dir: Path, opener: str) -> None:
    data = data_copy(tmp_path)
    if opener == "- ":
        nested = "\n" + "- " * 3000 + "x"  # compact nested block sequences: - - - … x
    else:
        nested = opener * 20000
    edit(data, AGREEMENT, "common: common/kumamoto-henko-r7.yaml", f"common: {nested}")
    started = time.monotonic()
    run = build_bad(data / AGREEMENT, out_dir)
    assert time.monotonic() - started < 5
    assert_bad_input(run, data / AGREEMENT)


# ====================================================================================================
# 5. Hostile and unlucky inputs (issue 9.5) and clerks' slips (issue 10) through the command line
# ====================================================================================================

#: Kana or kanji, to tell that an explanation is Japanese once the quoted values are removed.
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def explained_in_japanese(line: str) -> bool:
    message = LOCATED.sub("", line)
    return bool(JAPANESE.search(re.sub(r"「[^」]*」|\"[^\"]*\"|'[^']*'", "", message)))


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "ja")


def test_check_dev_zero_is_refused_at_once(japanese: None) -> None:
    started = time.monotonic()
    run = run_cli("check", "/dev/zero")
    assert time.monotonic() - started < 5
    first = assert_bad_input(run, Path("/dev/zero"), 1)
    assert explained_in_japanese(first.string)


def test_a_fifo_fed_5_mb_is_refused_without_reading_it(tmp_path: Path, japanese: None) -> None:
    fifo = tmp_path / "agreement.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'wb').write(b'a: b\\n' * 1_000_000)"])
    try:
        started = time.monotonic()
        run = run_cli("check", fifo)
        assert time.monotonic() - started < 5
        assert_bad_input(run, fifo, 1)
    finally:
        writer.kill()
        writer.wait()


def test_a_decomposed_voiced_kana_prints_composed(tmp_path: Path) -> None:
    """か + U+3099 as a Mac writes it: the PDF holds が, one character, no gap and no warning."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", "  name: 藤木か\u3099")
    got = build_good(data / AGREEMENT, tmp_path / "out")
    assert got.has_whole("藤木が") and "\u3099" not in got.text


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\ufeff"])
def test_an_invisible_character_is_refused_with_its_code(tmp_path: Path, out_dir: Path, japanese: None, char: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", f"  name: 藤木{char}正")
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, "name: 藤木"))
    assert f"U+{ord(char):04X}" in first.string and explained_in_japanese(first.string)


def test_the_same_area_in_nfc_and_nfd_is_a_duplicate(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    decomposed = unicodedata.normalize("NFD", "リーディング産業の育成")
    edit(data, SCHEDULES, "name: 物流機能の強化", f"name: {decomposed}")
    assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / SCHEDULES, line_of(data, SCHEDULES, decomposed))


def test_a_quoted_iso_date_builds_as_the_schema_allows(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", 'date: "2025-03-24"')
    schema = json.loads((REPO / "schema" / SCHEMA_OF[AGREEMENT]).read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(yaml.safe_load((data / AGREEMENT).read_text(encoding="utf-8"))))
    assert build_good(data / AGREEMENT, tmp_path / "out").has_whole("令和7年3月24日")


def test_control_characters_in_a_key_are_escaped_in_the_message(tmp_path: Path, out_dir: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", "  of\u200ffice\u202e: 御船町長")
    run = build_bad(data / AGREEMENT, out_dir)
    assert_bad_input(run, data / AGREEMENT)
    assert "\u202e" not in run.err and "\u200f" not in run.err and "<U+202E>" in run.err


@pytest.mark.parametrize(
    ("old", "new", "needle", "to_type"),
    [
        ("  office: 御船町長", "  office： 御船町長", "office：", "office: "),
        ("  office: 御船町長", "  office:御船町長", "office:御", "office: 値"),
        ("  office: 御船町長", " office: 御船町長", " office:", "3 文字目"),
        ("  municipality: 御船町", "  municipalty: 御船町", "municipalty", "もしかして municipality?"),
        ("date: 2025-03-24", "date: 令和7年3月24日", "date:", "→ 2025-03-24"),
        ("date: 2025-03-24", "date: 2025/3/24", "date:", "→ 2025-03-24"),
        ("date: 2025-03-24", "date: 2025-02-30", "date:", "28日まで"),
        ("  office: 御船町長", '  office: "{乙}長"', "office:", "御船町長"),
    ],
    ids=["fullwidth-colon", "no-space", "dedent", "misspelt-key", "wareki", "slashed", "impossible", "placeholder"],
)
def test_a_clerks_slip_is_explained_in_japanese_at_its_line(
    tmp_path: Path, out_dir: Path, japanese: None, old: str, new: str, needle: str, to_type: str
) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, old, new)
    first = assert_bad_input(build_bad(data / AGREEMENT, out_dir), data / AGREEMENT, line_of(data, AGREEMENT, needle))
    assert explained_in_japanese(first.string) and to_type in first.string, first.string


def test_a_shared_file_given_as_an_agreement_is_one_line(tmp_path: Path, out_dir: Path, japanese: None) -> None:
    data = data_copy(tmp_path)
    run = build_bad(data / SCHEDULES, out_dir)
    [line] = located_lines(run.err)
    assert_bad_input(run, data / SCHEDULES, 1)
    assert "別表" in line.string and AGREEMENT in line.string
