"""The fonts: where they are, registering them with ReportLab, and checking that they cover the text.

Fonts are loaded from the repository's ``fonts/`` folder (never from system paths), so every machine
builds the same bytes. Coverage is checked with fontTools against the font's own cmap before any
layout starts, so a character the font cannot draw becomes a located error instead of a blank box.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .binding import TextField
from .errors import KyoyakuError, Problem
from .layout.signature import GlyphOutline

#: The repository's fonts/ folder (the package runs from its checkout: ``pip install -e .``, as the
#: Makefile does); KYOYAKU_FONT_DIR points elsewhere, e.g. for a copy of the fonts beside a wheel.
FONT_DIR = Path(os.environ.get("KYOYAKU_FONT_DIR", Path(__file__).resolve().parents[2] / "fonts"))


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
            raise FontError(
                f"font file missing: {path}. kyoyaku-pdf loads its fonts from the repository's fonts/ folder: "
                "run it from a checkout (make, or pip install -e .) or set KYOYAKU_FONT_DIR to a folder holding "
                f"{self.file}"
            )
        return path


#: BIZ UD Mincho (Morisawa, SIL OFL 1.1): a TrueType-outline Mincho, which ReportLab can embed.
MINCHO = FontSpec("BIZUDMincho", "BIZUDMincho-Regular.ttf", "OFL-BIZUDMincho.txt")


class FontError(KyoyakuError):
    """A font file is missing or unusable: an installation problem, not the user's input."""


def register(spec: FontSpec = MINCHO) -> str:
    """Register the font with ReportLab once per process; return the name to use in styles."""
    if spec.name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(spec.name, str(spec.path)))
    return spec.name


@lru_cache(maxsize=None)
def _codepoints(path: Path) -> frozenset[int]:
    """Every code point the font maps to a glyph (lazy load: only the cmap table is parsed)."""
    with FontToolsFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(texts: tuple[TextField, ...] | list[TextField], spec: FontSpec = MINCHO) -> list[Problem]:
    """One located problem per text for each character the font has no glyph for."""
    covered = _codepoints(spec.path)
    problems = []
    for text in texts:
        missing = sorted({ch for ch in text.text if ord(ch) not in covered and ch not in "\n"})
        for ch in missing:
            problems.append(
                Problem(
                    text.location,
                    text.path,
                    f"the font {spec.name} has no glyph for {ch!r} (U+{ord(ch):04X} {_char_name(ch)}),"
                    f" first at character {text.text.index(ch) + 1} of the text",
                )
            )
    return problems


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "unnamed character")


@lru_cache(maxsize=None)
def glyph_outline(char: str, spec: FontSpec = MINCHO) -> GlyphOutline:
    """The outline of one glyph as drawing commands, for marks that must be drawn but not be text."""
    with FontToolsFont(str(spec.path), lazy=True) as font:
        glyph_name = font.getBestCmap()[ord(char)]
        pen = _CommandPen(font.getGlyphSet())
        font.getGlyphSet()[glyph_name].draw(pen)
        return GlyphOutline(font["head"].unitsPerEm, tuple(pen.commands))


class _CommandPen(BasePen):
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
