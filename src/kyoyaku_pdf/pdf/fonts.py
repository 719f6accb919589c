"""The fonts: where they are, registering them with ReportLab, and checking that they cover the text.

Fonts are loaded from the bundled ``fonts/`` folder (the installed package's, or the checkout's;
never system paths), so every machine builds the same bytes. Coverage is checked against the font's
own cmap before any layout starts, so a character the font cannot draw becomes a located error
instead of a blank box. What parsing a font yields is kept in the per-user disk cache
(fontcache.py), so a new process does not parse again.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from ..input.binding import TextField
from ..errors import InstallationError, Problem
from ..messages import shown, text as message  # ``text`` names the checked strings here
from ..layout.signature import GlyphOutline
from . import fontcache
from .unhinted import UnhintedFace


def font_dirs() -> tuple[Path, ...]:
    """Where the bundled fonts may be: KYOYAKU_FONT_DIR alone when it is set (an explicit choice is
    never silently replaced by another copy: a wrong setting is reported as a missing font); else
    the installed package's own ``kyoyaku_pdf/fonts/`` (a wheel: ``pip install .`` / ``pipx
    install .`` copy ``fonts/`` there), then the checkout's ``fonts/`` (running from the
    repository, editable install)."""
    override = os.environ.get("KYOYAKU_FONT_DIR")
    if override:
        return (Path(override),)
    here = Path(__file__).resolve()
    return here.parents[1] / "fonts", here.parents[3] / "fonts"


def _font_dir() -> Path:
    """The first folder holding the main font (all bundled fonts live together); else the first
    candidate, so the missing-font message names where it was looked for."""
    candidates = font_dirs()
    return next((d for d in candidates if (d / "BIZUDMincho-Regular.ttf").is_file()), candidates[0])


#: The folder the fonts are loaded from (never system paths, so every machine makes the same bytes).
FONT_DIR = _font_dir()


@dataclass(frozen=True)
class FontSpec:
    """A font file shipped in fonts/ and the name ReportLab knows it by."""

    name: str
    file: str
    licence: str

    @property
    def path(self) -> Path:
        """The font file; FontError (an installation problem, not the user's) if it is not there."""
        path = FONT_DIR / self.file
        if not path.is_file():
            raise FontError(message("font-missing", path=shown(path, 300), file=self.file))
        return path

    def version(self) -> str:
        """The font's own version string (name table, ID 5), for ``--version``."""
        from fontTools.ttLib import TTFont as FontToolsFont  # here: only --version needs it

        with FontToolsFont(str(self.path), lazy=True) as font:
            name = font["name"].getDebugName(5) or "?"
        return name.strip()


#: BIZ UD Mincho (Morisawa, SIL OFL 1.1): a TrueType-outline Mincho, which ReportLab can embed.
MINCHO = FontSpec("BIZUDMincho", "BIZUDMincho-Regular.ttf", "OFL-BIZUDMincho.txt")
#: IPAmj Mincho (IPA Font License v1.0): ~58,000 glyphs incl. the 戸籍統一文字 of many family names.
IPAMJ = FontSpec("IPAmjMincho", "ipamjm.ttf", "IPA_Font_License_Agreement_v1.0.txt")
#: The fallback fonts a document may name (PrintOptions.fallback_font).
FALLBACKS: dict[str, FontSpec] = {"ipamj-mincho": IPAMJ}
#: Variation selectors (VS1–16, VS17–256): ReportLab draws one glyph per code point, so an
#: ideographic variation sequence (辻 + U+E0100) cannot be drawn as its variant.
VARIATION_SELECTORS = range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0)


def to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, corrected: code points above U+FFFF (𠮷 U+20BB7) are written as
    UTF-16 surrogate pairs — ReportLab writes ``<%04X>``, which turns 𠮷 into U+20BB — and the
    mappings come in blocks of at most 100, as ISO 32000-1 9.10.3 allows. Made once a process per
    font and subset, as the subset itself is (unhinted.py): a rebuild embeds the same again."""
    return _to_unicode_cmap(font_name, tuple(subset))


@lru_cache(maxsize=16)
def _to_unicode_cmap(font_name: str, subset: tuple[int, ...]) -> str:
    pairs = [f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(subset)]
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) /Supplement 0 >> def",
        f"/CMapName /{font_name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = to_unicode_cmap  # ReportLab looks the function up by name at write time


class FontError(InstallationError):
    """A font file is missing or unusable: an installation problem, not the user's input."""


def register(spec: FontSpec = MINCHO) -> str:
    """Register the font with ReportLab once per process; return the name to use in styles."""
    if spec.name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_with_true_advances(_reportlab_font(spec.name, _face(spec.path)), spec.path))
    return spec.name


def _with_true_advances(font: TTFont, path: Path) -> TTFont:
    """Correct ReportLab's metrics of the glyphs after the font's last full hMetric (IPAmj Mincho:
    1,960 of 61,179 glyphs have one; 𠮷 is glyph 32,914): ReportLab stores them with the advance
    already scaled to 1/1000 em, and its subset's hmtx then gives 𠮷 1000/2048 em while /Widths says
    1 em (PDF/A 6.2.11.5, PDF/UA 7.21.5). They take the last full advance, in font units."""
    hhea = font.face.table["hhea"]["offset"]  # numberOfHMetrics: the uint16 at byte 34 of hhea, read
    full = int.from_bytes(font.face._ttf_data[hhea + 34:hhea + 36], "big")  # without fontTools (~45 ms)
    metrics = font.face.hmetrics
    if 0 < full < len(metrics):
        advance = metrics[full - 1][0]  # stored before ReportLab scaled it
        metrics[full:] = [(advance, lsb) for _, lsb in metrics[full:]]
    return font


def codepoints(spec: FontSpec) -> frozenset[int]:
    """The code points a font can draw."""
    return _codepoints(spec.path)


@lru_cache(maxsize=None)
def _codepoints(path: Path) -> frozenset[int]:
    """Every code point the font maps to a glyph: the keys of the cmap ReportLab draws with (the
    same set fontTools' best cmap gives, tested), so checking needs no second parser."""
    return frozenset(_face(path).charToGlyph)


#: ReportLab's name strings (bytes with a ``ustr``): stored as bytes, made again on loading.
_NAME_TYPE = ttfonts.TTFNameBytes
#: What a parsed face holds that is not stored: the file's bytes, its name, a lambda (not parsed
#: data), and ``glyphToChar``, the cmap inverted, which ReportLab's parser builds to fill
#: ``charWidths`` and nothing reads afterwards: a list per glyph, a third of the entry's loading
#: time (~3 ms of ~8 for BIZ UD Mincho, on every run). Every face goes through the state, so every
#: build and test draws with a face without it.
_NOT_STORED = frozenset({"_ttf_data", "_pdfScale", "filename", "glyphToChar"})


@lru_cache(maxsize=None)
def _face(path: Path) -> TTFontFace:
    """ReportLab's parse of a font file, from the disk cache when this version of the file was
    parsed before (~30 ms for BIZ UD Mincho, ~130 ms for IPAmj Mincho, saved on every run)."""
    with open(path, "rb") as handle:
        key = fontcache.file_key(os.fstat(handle.fileno()))  # of the very bytes read below
        state = fontcache.cached("reportlab-face", key, ("reportlab",), lambda: _face_state(TTFontFace(handle)),
                                 valid=_is_face_state)
        handle.seek(0)
        data = handle.read()
    return _face_from_state(state, str(path), data)


def _face_state(face: TTFontFace) -> dict[str, Any]:
    """A parsed face as plain data (what the cache can store)."""
    state = {k: v for k, v in vars(face).items() if k not in _NOT_STORED}
    names = [k for k, v in state.items() if isinstance(v, _NAME_TYPE)]
    return {**{k: bytes(v) if k in names else v for k, v in state.items()}, "__names__": names}


def _is_face_state(value: Any) -> bool:
    """A stored face has what ``_face_from_state`` reads (an entry the digest passed but that holds
    something else is parsed again instead of failing)."""
    return isinstance(value, dict) and isinstance(value.get("__names__"), list) and "charToGlyph" in value


def _face_from_state(state: dict[str, Any], filename: str, data: bytes) -> TTFontFace:
    """The face again, as ReportLab's own parser leaves it: one code path whether the state was
    just parsed or read from the cache, so both give the same PDF. Its subsets are embedded without
    hinting (unhinted.py: ~19 KB less in the bundled agreement, the same outlines)."""
    face = UnhintedFace.__new__(UnhintedFace)
    face.__dict__.update({k: _NAME_TYPE(v) if k in state["__names__"] else v for k, v in state.items() if k != "__names__"})
    scale = 1000 / face.unitsPerEm
    face.filename, face._ttf_data = filename, data
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
    return face


def _reportlab_font(name: str, face: TTFontFace) -> TTFont:
    """ReportLab's TTFont around an already parsed face (its __init__ only parses and then sets
    these; a test holds them equal to a TTFont made the ordinary way with ``asciiReadable=0``).
    Not ASCII-readable: by default ReportLab reserves codes 32–126 of the first subset for the
    printable ASCII characters, so their glyphs are embedded whether the text uses them or not
    (79 unused glyphs, ~7 KB, in the bundled agreement); without it each subset holds the characters
    drawn, in the order first drawn, with code 32 still the space (word spacing needs it). Text
    is extracted through the ToUnicode maps either way."""
    font = TTFont.__new__(TTFont)
    font.fontName, font.face, font.encoding = name, face, ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = 0
    font.shapable = True  # the property applies ReportLab's unshaped-font globs, as __init__ does
    return font


def missing_glyphs(
    texts: tuple[TextField, ...] | list[TextField], spec: FontSpec = MINCHO, fallback: FontSpec | None = None
) -> list[Problem]:
    """One located problem per text for each character neither the font nor its fallback can draw;
    variation selectors are reported too (never dropped silently)."""
    covered = _codepoints(spec.path)
    extra = _codepoints(fallback.path) if fallback else frozenset()
    # each distinct character of all the texts checked once: the usual answer is none missing
    undrawable = {ch for ch in set().union(*(text.text for text in texts))
                  if ord(ch) not in covered and ord(ch) not in extra and ch != "\n"}
    if not undrawable:
        return []
    fonts = spec.name + (message("font-or", fallback=fallback.name) if fallback else "")
    problems = []
    for text in texts:
        for ch in sorted(undrawable.intersection(text.text)):
            where = text.text.index(ch)
            problems.append(Problem(text.location, text.path, _missing_message(text.text, where, fonts, fallback), text.place))
    return problems


def _missing_message(text: str, index: int, fonts: str, fallback: FontSpec | None) -> str:
    ch = text[index]
    position = message("glyph-position", index=index + 1)
    if any(ord(ch) in block for block in VARIATION_SELECTORS):
        base = text[index - 1] if index else ""
        return message("variation-selector", code=f"U+{ord(ch):04X}", base=repr(base), position=position)
    hint = "" if fallback else message("glyph-fallback-hint")
    return message("no-glyph", fonts=fonts, char=repr(ch), code=f"U+{ord(ch):04X}", name=_char_name(ch),
                   position=position, hint=hint)


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "unnamed character")


@lru_cache(maxsize=None)
def glyph_outline(char: str, spec: FontSpec = MINCHO) -> GlyphOutline:
    """The outline of one glyph as drawing commands, for marks that must be drawn but not be text;
    from the disk cache when known (fontTools, imported only here, costs ~150 ms to get it)."""
    with open(spec.path, "rb") as handle:
        key = f"{fontcache.file_key(os.fstat(handle.fileno()))}-U+{ord(char):04X}"
        units, commands = fontcache.cached(
            "outline", key, ("fontTools",), lambda: _outline(handle, _face(spec.path).charToGlyph[ord(char)]),
            valid=lambda value: isinstance(value, tuple) and len(value) == 2)
    return GlyphOutline(units, tuple((op, tuple(args)) for op, args in commands))


def _outline(handle: Any, glyph: int) -> tuple[int, tuple[tuple[str, tuple[float, ...]], ...]]:
    """(units per em, M/L/C/Z commands) of glyph number ``glyph``, read by fontTools from ``handle``.
    By number (the cmap as ReportLab's parse of the face has it): fontTools would otherwise name
    every glyph from the cmap first (BIZ UD Mincho's ``post`` has no names), ~0.1 s of the first
    run ever for one glyph."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont as FontToolsFont

    class CommandPen(BasePen):
        """Records a glyph as M/L/C/Z commands; BasePen turns TrueType quadratics into cubics."""

        def __init__(self, glyph_set: object) -> None:
            super().__init__(glyph_set)
            self.commands: list[tuple[str, tuple[float, ...]]] = []

        def _moveTo(self, pt: tuple[float, float]) -> None:
            self.commands.append(("M", tuple(pt)))

        def _lineTo(self, pt: tuple[float, float]) -> None:
            self.commands.append(("L", tuple(pt)))

        def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:
            self.commands.append(("C", (*p1, *p2, *p3)))

        def _closePath(self) -> None:
            self.commands.append(("Z", ()))

    with FontToolsFont(handle, lazy=True) as font:
        font.setGlyphOrder([f"glyph{index:05d}" for index in range(font["maxp"].numGlyphs)])
        glyphs = font.getGlyphSet()
        pen = CommandPen(glyphs)
        glyphs[f"glyph{glyph:05d}"].draw(pen)
        return font["head"].unitsPerEm, tuple(pen.commands)
