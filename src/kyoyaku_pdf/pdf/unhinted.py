"""TrueType subsets without hinting: the same outlines, without the programs that fit them to a pixel grid.

BIZ UD Mincho carries TrueType hinting: a font program (``fpgm``), a control-value program (``prep``),
control values (``cvt ``) and instructions inside nearly every glyph. ReportLab copies all of it into
each subset it embeds; in the bundled agreement that is ~19 KB of the two subsets' ~102 KB. Hints only
steer a rasteriser at small pixel sizes on screen; the outlines, metrics and character mapping — what
is printed, measured and extracted — are untouched by removing them (a test compares every glyph's
points, flags, contours and components with fontTools).

This works on the bytes of ReportLab's finished subset (a few hundred glyphs, ~1 ms), not on the
6 MB font: so it needs neither fontTools (not imported by a plain build) nor the font cache, and a
build with or without a usable cache embeds the same bytes. What it does is what fontTools'
subsetter does for ``--no-hinting``: drop ``fpgm``, ``prep`` and ``cvt ``, empty every glyph's
instructions, and zero the ``maxp`` limits that only the instructions used.
"""

from __future__ import annotations

from struct import pack, unpack_from
from weakref import WeakKeyDictionary

from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    GF_WE_HAVE_INSTRUCTIONS,
    TTFontFace,
    TTFontMaker,
)

from ..runtime.memo import remember

#: The tables that exist only for hinting.
HINTING_TABLES = frozenset({"fpgm", "prep", "cvt "})
#: Subsets kept per face: a --watch session or a batch embeds the same few again and again.
SUBSETS_PER_FACE = 8
#: The subsets made in this process, per face and per exact list of characters: a subset is a
#: function of the two alone, so a kept one is never stale. Weak on the face: a face no longer
#: used takes its subsets with it.
_SUBSETS: WeakKeyDictionary[TTFontFace, dict[tuple[int, ...], bytes]] = WeakKeyDictionary()


class UnhintedFace(TTFontFace):
    """ReportLab's parsed TrueType face whose embedded subsets carry no hinting."""

    def makeSubset(self, subset: list[int]) -> bytes:  # noqa: N802 (ReportLab's name)
        """The subset of these characters (in code order), made once in a process: a warm
        rebuild embeds the same subsets again (ReportLab's subsetting and this module's pass,
        ~3 ms a build)."""
        made = _SUBSETS.setdefault(self, {})
        key = tuple(subset)
        font = made.get(key)
        if font is None:
            font = unhinted(super().makeSubset(subset))
            remember(made, key, font, SUBSETS_PER_FACE)
        return font

    def get_table(self, tag: str) -> bytes | _InPlace:  # ReportLab's name
        """The table's bytes, sliced out of the font file once in a process; ``glyf`` (5 MB of BIZ
        UD Mincho, of which a subset takes a few hundred glyphs) is not copied at all but read in
        place, each glyph copied out as ReportLab slices it (a 5 MB copy cost the first subset of a
        process ~3 ms of page faults). Bytes are immutable: every caller sees what it would have
        copied."""
        tables: dict[str, bytes | _InPlace] = self.__dict__.setdefault("_tables", {})
        found = tables.get(tag)
        if found is None:
            if tag == "glyf":
                start, length = self.get_table_pos(tag)
                found = _InPlace(memoryview(self._ttf_data)[start:start + length])
            else:
                found = super().get_table(tag)
            tables[tag] = found
        return found


class _InPlace:
    """A table left in the font file's bytes: a slice of it is bytes, as a slice of a copy is.
    ReportLab's subsetting does nothing with ``glyf`` but take each glyph's slice."""

    __slots__ = ("_view",)

    def __init__(self, view: memoryview) -> None:
        self._view = view

    def __getitem__(self, where: slice) -> bytes:
        return self._view[where].tobytes()

    def __len__(self) -> int:
        return len(self._view)


def unhinted(font: bytes) -> bytes:
    """``font`` (a TrueType file with a ``glyf`` table) without its hinting tables and glyph
    instructions; every other table as it was (``head`` gets its checksum adjustment again)."""
    tables = _tables(font)
    long_offsets = unpack_from(">h", tables["head"], 50)[0] == 1
    count = unpack_from(">H", tables["maxp"], 4)[0]
    glyphs = _glyphs(tables["glyf"], tables["loca"], count, long_offsets)
    glyf, loca = _glyf_and_loca([_without_instructions(glyph) for glyph in glyphs], long_offsets)
    tables.update(glyf=glyf, loca=loca, maxp=_maxp_without_limits(tables["maxp"]))
    maker = TTFontMaker()
    for tag, data in tables.items():
        if tag not in HINTING_TABLES:
            maker.add(tag, data)
    return maker.makeStream()


def _tables(font: bytes) -> dict[str, bytes]:
    """The font's tables by tag, from its table directory."""
    count = unpack_from(">H", font, 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = unpack_from(">4sLLL", font, 12 + 16 * index)
        tables[tag.decode("latin-1")] = font[offset:offset + length]
    return tables


def _glyphs(glyf: bytes, loca: bytes, count: int, long_offsets: bool) -> list[bytes]:
    """Each glyph's bytes, as ``loca`` delimits them (empty for a glyph without outline)."""
    offsets = unpack_from(f">{count + 1}{'L' if long_offsets else 'H'}", loca)
    scale = 1 if long_offsets else 2
    return [glyf[start * scale:end * scale] for start, end in zip(offsets, offsets[1:])]


def _without_instructions(glyph: bytes) -> bytes:
    """One glyph with no instructions: a simple glyph's instruction length set to 0, a composite's
    trailing instructions dropped and its WE_HAVE_INSTRUCTIONS flags cleared."""
    if len(glyph) < 10:
        return glyph
    contours = unpack_from(">h", glyph)[0]
    if contours >= 0:
        at = 10 + 2 * contours  # after the header and endPtsOfContours: instructionLength, instructions
        outline = at + 2 + unpack_from(">H", glyph, at)[0]
        points = unpack_from(">H", glyph, at - 2)[0] + 1 if contours else 0
        return glyph[:at] + b"\0\0" + glyph[outline:_simple_end(glyph, outline, points)]
    data = bytearray(glyph)
    at, flags = 10, GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags = unpack_from(">H", data, at)[0]
        data[at:at + 2] = pack(">H", flags & ~GF_WE_HAVE_INSTRUCTIONS)
        at += 4 + (4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2)
        at += 2 if flags & GF_WE_HAVE_A_SCALE else 4 if flags & GF_WE_HAVE_AN_X_AND_Y_SCALE else \
            8 if flags & GF_WE_HAVE_A_TWO_BY_TWO else 0
    return bytes(data[:at])  # what followed the last component was its instructions (or padding)


def _simple_end(glyph: bytes, at: int, points: int) -> int:
    """Where a simple glyph's data ends, from its flags at ``at``: the padding the font had after it
    is not carried along (each glyph is padded again to a 4-byte boundary)."""
    size, flags_end = 0, at
    while points > 0:
        flag = glyph[flags_end]
        if flag & 0x08:  # REPEAT_FLAG: the next byte counts the repeats
            repeat = glyph[flags_end + 1] + 1
            flags_end += 2
        else:
            repeat = 1
            flags_end += 1
        size += repeat * _COORDINATE_BYTES[flag]
        points -= repeat
    return flags_end + size


#: Bytes of x and y coordinate data a point with this flag has (X_SHORT 0x02 / X_SAME 0x10,
#: Y_SHORT 0x04 / Y_SAME 0x20: 1 byte if short, none if the same, else 2).
_COORDINATE_BYTES = tuple(
    (1 if f & 0x02 else 0 if f & 0x10 else 2) + (1 if f & 0x04 else 0 if f & 0x20 else 2) for f in range(256)
)


def _glyf_and_loca(glyphs: list[bytes], long_offsets: bool) -> tuple[bytes, bytes]:
    """The glyph table and its index, each glyph starting on a 4-byte boundary as ReportLab writes it."""
    offsets, pos = [], 0
    padded = []
    for glyph in glyphs:
        offsets.append(pos)
        glyph += b"\0" * (-len(glyph) % 4)
        padded.append(glyph)
        pos += len(glyph)
    offsets.append(pos)
    if long_offsets:
        return b"".join(padded), pack(f">{len(offsets)}L", *offsets)
    return b"".join(padded), pack(f">{len(offsets)}H", *(offset // 2 for offset in offsets))


def _maxp_without_limits(maxp: bytes) -> bytes:
    """``maxp`` 1.0 with the limits only instructions use set as for an unhinted font: maxZones 1,
    maxTwilightPoints, maxStorage, maxFunctionDefs, maxInstructionDefs, maxStackElements and
    maxSizeOfInstructions 0 (the point and contour limits, which the outlines set, are kept)."""
    if unpack_from(">L", maxp)[0] != 0x00010000 or len(maxp) < 32:
        return maxp
    return maxp[:14] + pack(">7H", 1, 0, 0, 0, 0, 0, 0) + maxp[28:]
