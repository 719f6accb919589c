"""The ISO 19005-2 preflight (kyoyaku_pdf.records.preflight) is proved able to fail, check by check.

The agreement is built once per PDF/A level. The good files must pass; then, for every check in
``preflight.CHECKS``, at least one case makes a deliberately broken copy of the good 2u file (with
pikepdf, or with a same-length byte edit where pikepdf would repair the damage on save: the header,
the trailer) and asserts that the preflight reports exactly the expected clauses, with a key word of
the message, and that the targeted check reports it when it runs alone. A meta-test keeps the
cases and ``CHECKS`` in step: a new check without a failing case makes this module fail.

A case may carry ``bug=`` to pin a known defect as a strict xfail; none is open now. The tests below
the cases pin earlier false positives (a CR end-of-line, an encoding dictionary, date signs, bfrange
destinations) that were fixed.

The copies are saved with ``compress_streams=False``, ``stream_decode_level=none`` and
``fix_metadata_version=False`` so that qpdf and pikepdf write every stream as the breaker left it
(they would otherwise re-encode an LZW stream, compress the XMP or rewrite the metadata stream).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import cast

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from pikepdf import Array, Dictionary, Name, String

from kyoyaku_pdf.records import preflight as preflight_module
from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.records.preflight import (
    CHECKS,
    JAVA_DIR,
    PDFBOX_JARS,
    iter_checks,
    parse_pdf_date,
    parse_to_unicode,
    pdfbox_available,
    pdfbox_preflight,
    preflight,
)

REPO = Path(__file__).resolve().parents[2]
AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"

#: Save options that keep every stream byte for byte as the breaker left it.
#: (fix_metadata_version=False: otherwise pikepdf rewrites the XMP stream, undoing a broken one.)
KEEP_STREAMS = {"compress_streams": False, "stream_decode_level": pikepdf.StreamDecodeLevel.none,
                "fix_metadata_version": False}

# The checks of preflight.CHECKS, as (clause, title): what each case sets out to make fail.
HEADER = ("6.1.2", "file header")
TRAILER = ("6.1.3", "file trailer")
STREAMS = ("6.1.7", "streams")
OUTPUT_INTENT = ("6.2.3", "output intent")
DEVICE_COLOUR = ("6.2.4.3", "device colour spaces")
EMBEDDED = ("6.2.11.4.1", "font programs embedded")
GLYPHS = ("6.2.11.4.1", "every glyph used is in the font program")
NOTDEF = ("6.2.11.8", ".notdef glyph not used")
WIDTHS = ("6.2.11.5", "widths agree with the font program")
TT_ENCODING = ("6.2.11.6", "TrueType encodings and cmaps")
TO_UNICODE = ("6.2.11.7", "Unicode mapping (level U)")
ACTIONS = ("6.5.1", "no forbidden actions or JavaScript")
ADDITIONAL_ACTIONS = ("6.5.2", "no additional actions")
METADATA = ("6.6.2.1", "metadata stream")
IDENTIFICATION = ("6.6.4", "PDF/A identification")
INFO_XMP = ("6.6.2.2", "Info dictionary agrees with XMP")


# =============================================================================================
# The good files, built once per level
# =============================================================================================


@pytest.fixture(scope="module")
def pdfa(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``pdfa(level)`` → the archive file of the bundled agreement at that level, built on first use."""
    built: dict[str, Path] = {}

    def get(level: str) -> Path:
        if level not in built:
            out = tmp_path_factory.mktemp(f"pdfa-{level}")
            assert main(["build", "--pdfa", level, "-o", str(out), str(AGREEMENT)]) == 0
            files = sorted(out.glob(f"*/*-pdfa-{level}.pdf"))
            assert len(files) == 1, f"expected one PDF/A-{level} file, found {files}"
            built[level] = files[0]
        return built[level]

    return get


@pytest.mark.parametrize("level", ["2u", "2b", "1b"])
def test_good_files_pass(pdfa: Callable[[str], Path], level: str) -> None:
    report = preflight(pdfa(level))
    assert report.findings == [], "\n".join(map(str, report.findings))
    assert report.valid
    assert report.claimed == f"PDF/A-{level}"
    assert report.checked == [f"{clause} {title}" for clause, title, _ in CHECKS]


def test_level_b_needs_no_unicode_map(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    """6.2.11.7 binds level U only: a 2b file without /ToUnicode still passes."""
    dst = tmp_path / "2b-no-tounicode.pdf"
    _with_pikepdf(_remove_to_unicode)(pdfa("2b"), dst)
    assert preflight(dst).findings == []


def test_same_instant_in_another_zone_agrees(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    """6.6.2.2 compares instants, not spellings: the Info date rewritten in UTC still agrees."""

    def to_utc(pdf: pikepdf.Pdf) -> None:
        value = str(pdf.trailer.Info.CreationDate)
        m = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'?", value)
        assert m, f"unexpected date format {value!r}"
        offset = timedelta(hours=int(m[3]), minutes=int(m[4])) * (-1 if m[2] == "-" else 1)
        local = datetime.strptime(m[1], "%Y%m%d%H%M%S").replace(tzinfo=timezone(offset))
        assert offset, "the built file is expected to carry a non-zero offset (JST)"
        pdf.trailer.Info.CreationDate = String(local.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ"))

    dst = tmp_path / "utc.pdf"
    _with_pikepdf(to_utc)(pdfa("2u"), dst)
    assert preflight(dst).findings == []


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(b"this is not a PDF file at all\n" * 10)
    report = preflight(path)
    assert not report.valid
    assert report.claimed == "none"
    assert [f.clause for f in report.findings] == ["6.1"]
    assert "cannot be parsed" in report.findings[0].message


# =============================================================================================
# Helpers for the breakers (independent of the preflight's own parsing)
# =============================================================================================

Breaker = Callable[[Path, Path], None]


def _with_pikepdf(edit: Callable[[pikepdf.Pdf], None], **save_options: object) -> Breaker:
    def breaker(src: Path, dst: Path) -> None:
        with pikepdf.open(src) as pdf:
            edit(pdf)
            pdf.save(dst, **(save_options or KEEP_STREAMS))

    return breaker


def _with_bytes(old: bytes, new: bytes, *, last: bool = False, after: Breaker | None = None) -> Breaker:
    """A same-length edit of the raw file (pikepdf would repair a broken header or trailer), made
    on the output of ``after`` if given."""
    assert len(old) == len(new), "the edit must keep every byte offset"

    def breaker(src: Path, dst: Path) -> None:
        if after is not None:
            after(src, dst)
            src = dst
        data = src.read_bytes()
        at = data.rfind(old) if last else data.find(old)
        assert at >= 0, f"{old!r} is not in {src.name}"
        dst.write_bytes(data[:at] + new + data[at + len(old):])

    return breaker


def _first_shown(pdf: pikepdf.Pdf) -> tuple[pikepdf.Object, int]:
    """The font and the first character code shown on page 1."""
    page = pdf.pages[0]
    fonts = page.Resources.Font
    font = None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "Tf":
            font = fonts[str(operands[0])]
        elif str(operator) == "Tj" and font is not None:
            return font, bytes(operands[0])[0]
        elif str(operator) == "TJ" and font is not None:  # lines are set glyph by glyph: [(a) -120 (b)] TJ
            strings = [bytes(item) for item in operands[0] if isinstance(item, pikepdf.String)]
            if strings:
                return font, strings[0][0]
    raise AssertionError("page 1 shows no text")


def _edit_font_program(pdf: pikepdf.Pdf, edit: Callable[[TTFont, int], None]) -> None:
    """Run ``edit(program, code)`` on the embedded TrueType program of the first shown font."""
    font, code = _first_shown(pdf)
    stream = font.FontDescriptor.FontFile2
    program = TTFont(io.BytesIO(stream.read_bytes()))
    edit(program, code)
    buffer = io.BytesIO()
    program.save(buffer)
    data = buffer.getvalue()
    stream.write(data)
    stream.Length1 = len(data)


def _edit_xmp(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
    data = pdf.Root.Metadata.read_bytes()
    assert data.count(old) == 1, f"{old!r} is not once in the XMP"
    pdf.Root.Metadata.write(data.replace(old, new))


def _edit_profile(pdf: pikepdf.Pdf, start: int, new: bytes) -> None:
    profile = pdf.Root.OutputIntents[0].DestOutputProfile
    data = bytearray(profile.read_bytes())
    data[start:start + len(new)] = new
    profile.write(bytes(data))


def _append_content(pdf: pikepdf.Pdf, content: bytes) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(content), prepend=False)


def _paint_rgb(pdf: pikepdf.Pdf) -> None:
    """Paint in DeviceRGB on page 1 (whatever the layout paints), so that a missing or non-RGB output
    intent is certain to violate 6.2.4.3 too."""
    _append_content(pdf, b"q 1 0 0 rg 10 10 5 5 re f Q")


def _add_type0_text(pdf: pikepdf.Pdf, cid: int) -> None:
    """Show CID ``cid`` on page 1 in a new Type 0 font (Identity-H, CIDToGIDMap Identity) over the
    embedded TrueType program of the first font, with a correct /DW and a /ToUnicode entry, so that
    only the glyph the CID selects can be wrong."""
    base, _ = _first_shown(pdf)
    descriptor = base.FontDescriptor
    program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
    order = program.getGlyphOrder()
    advance = program["hmtx"][order[min(cid, len(order) - 1)]][0] * 1000 / program["head"].unitsPerEm
    cid_font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=base.BaseFont,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=descriptor, CIDToGIDMap=Name.Identity, DW=advance,
    ))
    to_unicode = pdf.make_stream(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + f"1 beginbfchar <{cid:04X}> <0020> endbfchar\n".encode()
        + b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    pdf.pages[0].Resources.Font.KyType0 = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=base.BaseFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([cid_font]), ToUnicode=to_unicode,
    ))
    _append_content(pdf, f"BT /KyType0 12 Tf 100 100 Td <{cid:04X}> Tj ET".encode())


def _remove_to_unicode(pdf: pikepdf.Pdf) -> None:
    font, _ = _first_shown(pdf)
    del font.ToUnicode


def _edit_to_unicode(pdf: pikepdf.Pdf, replace: Callable[[bytes, bytes], bytes]) -> None:
    """``replace(cmap, entry)`` gets the ToUnicode CMap of the first shown font and the bfchar
    source ``<XX>`` of the first shown code, and returns the new CMap."""
    font, code = _first_shown(pdf)
    data = font.ToUnicode.read_bytes()
    new = replace(data, f"<{code:02X}>".encode())
    assert new != data
    font.ToUnicode.write(new)


# =============================================================================================
# The breakers: one per case
# =============================================================================================


def break_encrypt(src: Path, dst: Path) -> None:
    encryption = pikepdf.Encryption(owner="owner", user="", metadata=False)
    _with_pikepdf(lambda pdf: None, encryption=encryption, fix_metadata_version=False)(src, dst)


def break_stream_external_file(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Contents.stream_dict.F = String("external.dat")


def break_stream_lzw(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"")
    stream.write(bytes.fromhex("800b6050220c0c8501"), filter=Name.LZWDecode)  # "-----A---B", ISO 32000-1 7.4.4.2
    assert stream.read_bytes() == b"-----A---B"
    pdf.Root.KyExtra = stream


def _add_marked_filter_stream(pdf: pikepdf.Pdf) -> None:
    """A stream with the placeholder filter /KyFilterXX (qpdf drops a /Crypt filter on save; the
    placeholder is then turned into /Crypt by a same-length byte edit)."""
    stream = pdf.make_stream(b"")
    stream.write(b"data", filter=Name("/KyFilterXX"))
    pdf.Root.KyExtra = stream


break_stream_crypt = _with_bytes(b"/KyFilterXX", b"/Crypt     ", after=_with_pikepdf(_add_marked_filter_stream))


def break_no_output_intents(pdf: pikepdf.Pdf) -> None:
    _paint_rgb(pdf)
    del pdf.Root.OutputIntents


def break_gray_without_intent(pdf: pikepdf.Pdf) -> None:
    _append_content(pdf, b"q 0.5 g 10 10 5 5 re f Q")
    del pdf.Root.OutputIntents


def break_rgb_colour_space_operator(pdf: pikepdf.Pdf) -> None:
    _append_content(pdf, b"q /DeviceRGB cs 1 0 0 sc 10 10 5 5 re f Q")
    pdf.Root.OutputIntents[0].DestOutputProfile.write(_cmyk_profile(pdf))


def _cmyk_profile(pdf: pikepdf.Pdf) -> bytes:
    profile = bytearray(pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes())
    profile[16:20] = b"CMYK"
    return bytes(profile)


def break_output_intent_subtype(pdf: pikepdf.Pdf) -> None:
    _paint_rgb(pdf)
    pdf.Root.OutputIntents[0].S = Name.GTS_PDFX


def break_output_intent_no_profile(pdf: pikepdf.Pdf) -> None:
    _paint_rgb(pdf)
    del pdf.Root.OutputIntents[0].DestOutputProfile


def break_profile_signature(pdf: pikepdf.Pdf) -> None:
    _edit_profile(pdf, 36, b"xxxx")  # 'acsp' at bytes 36..40 of every ICC profile


def break_profile_class(pdf: pikepdf.Pdf) -> None:
    _edit_profile(pdf, 12, b"scnr")  # an input (scanner) profile cannot be an output intent


def break_profile_version(pdf: pikepdf.Pdf) -> None:
    _edit_profile(pdf, 8, b"\x05")


def break_two_profiles(pdf: pikepdf.Pdf) -> None:
    intent = pdf.Root.OutputIntents[0]
    copy = pdf.make_stream(intent.DestOutputProfile.read_bytes(), N=3)
    second = Dictionary({key: value for key, value in intent.items()})
    second.DestOutputProfile = copy
    pdf.Root.OutputIntents.append(second)


def break_profile_cmyk(pdf: pikepdf.Pdf) -> None:
    _paint_rgb(pdf)
    _edit_profile(pdf, 16, b"CMYK")


def break_paint_cmyk(pdf: pikepdf.Pdf) -> None:
    _append_content(pdf, b"q 0 0 0 1 k 10 10 5 5 re f Q")


def break_font_not_embedded(pdf: pikepdf.Pdf) -> None:
    font, _ = _first_shown(pdf)
    del font.FontDescriptor.FontFile2


def _drop_code(program: TTFont, code: int) -> None:
    for table in program["cmap"].tables:
        assert code in table.cmap or code + 0xF000 in table.cmap
        table.cmap.pop(code, None)
        table.cmap.pop(code + 0xF000, None)


def break_glyph_missing(pdf: pikepdf.Pdf) -> None:
    _edit_font_program(pdf, _drop_code)


def break_cid_beyond_glyphs(pdf: pikepdf.Pdf) -> None:
    _add_type0_text(pdf, 0xFFF0)


def break_cid_notdef(pdf: pikepdf.Pdf) -> None:
    _add_type0_text(pdf, 0)


def _map_code_to_notdef(program: TTFont, code: int) -> None:
    for table in program["cmap"].tables:
        table.cmap[code] = ".notdef"


def break_truetype_code_to_notdef(pdf: pikepdf.Pdf) -> None:
    _edit_font_program(pdf, _map_code_to_notdef)


def break_width(pdf: pikepdf.Pdf) -> None:
    font, code = _first_shown(pdf)
    index = code - int(font.FirstChar)
    font.Widths[index] = font.Widths[index] + 100


def break_symbolic_encoding(pdf: pikepdf.Pdf) -> None:
    font, _ = _first_shown(pdf)
    assert int(font.FontDescriptor.Flags) & 4, "the font is expected to be symbolic"
    font.Encoding = Name.WinAnsiEncoding


def _cmap_without_3_0(program: TTFont, code: int) -> None:
    """Two cmap subtables, (1,0) with the font's code mapping and a (3,1) copy, and no (3,0)."""
    cmap = program["cmap"]
    subtables = {(t.platformID, t.platEncID): t.cmap for t in cmap.tables}
    codes = subtables.get((3, 0)) or subtables.get((1, 0)) or cmap.tables[0].cmap
    by_code = {c & 0xFF: name for c, name in codes.items() if c < 0x100 or 0xF000 <= c < 0xF100}
    assert code in by_code
    mac = CmapSubtable.newSubtable(6)
    mac.platformID, mac.platEncID, mac.language, mac.cmap = 1, 0, 0, by_code
    unicode = CmapSubtable.newSubtable(4)
    unicode.platformID, unicode.platEncID, unicode.language = 3, 1, 0
    unicode.cmap = {0x4E00 + c: name for c, name in by_code.items()}
    cmap.tables = [mac, unicode]


def break_symbolic_cmap(pdf: pikepdf.Pdf) -> None:
    _edit_font_program(pdf, _cmap_without_3_0)


def break_nonsymbolic_no_encoding(pdf: pikepdf.Pdf) -> None:
    font, _ = _first_shown(pdf)
    font.FontDescriptor.Flags = 32  # non-symbolic, and no /Encoding


def break_no_to_unicode(pdf: pikepdf.Pdf) -> None:
    _remove_to_unicode(pdf)


def break_to_unicode_empty(pdf: pikepdf.Pdf) -> None:
    def to_nothing(cmap: bytes, src: bytes) -> bytes:
        start = cmap.index(src + b" <")
        end = cmap.index(b">", start + len(src) + 2)
        return cmap[:start] + src + b" <>" + cmap[end + 1:]

    _edit_to_unicode(pdf, to_nothing)


def break_to_unicode_entry_removed(pdf: pikepdf.Pdf) -> None:
    def remove(cmap: bytes, src: bytes) -> bytes:
        start = cmap.index(b"\n" + src + b" <")
        end = cmap.index(b"\n", start + 1)
        return cmap[:start] + cmap[end:]

    _edit_to_unicode(pdf, remove)


def _javascript(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))


def break_open_action_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = _javascript(pdf)


def break_open_action_javascript_direct(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def break_open_action_launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.Launch, F=String("calc.exe")))


def break_javascript_name_tree(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("hello"), _javascript(pdf)])))


def _go_to_first_page(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))  # an allowed action


def break_catalog_aa(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AA = Dictionary(WC=_go_to_first_page(pdf))


def break_page_aa(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].obj.AA = Dictionary(O=_go_to_first_page(pdf))


def break_no_metadata(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Metadata


def _compress_metadata(pdf: pikepdf.Pdf) -> None:
    """Flate the XMP, under the placeholder type /KyMetada: qpdf writes a /Type /Metadata stream
    uncompressed whatever it is told, so the type is put back by a same-length byte edit."""
    stream = pdf.Root.Metadata
    stream.write(zlib.compress(stream.read_bytes()), filter=Name.FlateDecode)
    stream.Type = Name("/KyMetada")


break_metadata_compressed = _with_bytes(b"/KyMetada", b"/Metadata", after=_with_pikepdf(_compress_metadata))


def break_metadata_subtype(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Metadata.Subtype = Name.Text


def break_metadata_not_xml(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b"</x:xmpmeta>", b"</x:xmpmeta")


def break_xpacket_encoding(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b' id="W5M0MpCehiHzreSzNTczkc9d"', b' id="W5M0MpCehiHzreSzNTczkc9d" encoding="UTF-8"')


def break_part_3(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:part>3</pdfaid:part>")


def break_part_missing(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b"<pdfaid:part>2</pdfaid:part>", b"")


def break_conformance_x(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b"<pdfaid:conformance>U</pdfaid:conformance>", b"<pdfaid:conformance>X</pdfaid:conformance>")


def break_part_1_with_pdf_17(pdf: pikepdf.Pdf) -> None:
    """A 2b file claiming part 1: conformance B is fine for part 1, its %PDF-1.7 header is not."""
    _edit_xmp(pdf, b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:part>1</pdfaid:part>")


def break_info_title(pdf: pikepdf.Pdf) -> None:
    pdf.trailer.Info.Title = String(str(pdf.trailer.Info.Title) + "（案）")


def break_info_creation_date(pdf: pikepdf.Pdf) -> None:
    value = str(pdf.trailer.Info.CreationDate)  # D:YYYYMMDDHHmmSS+HH'mm'
    hour = int(value[10:12])
    assert hour < 23
    pdf.trailer.Info.CreationDate = String(f"{value[:10]}{hour + 1:02d}{value[12:]}")


# =============================================================================================
# The cases
# =============================================================================================


@dataclass(frozen=True)
class Case:
    id: str
    check: tuple[str, str]  # the entry of CHECKS that must fail
    clause: str  # the clause of the finding (a sub-clause for 6.1.7)
    keyword: str  # in the finding's message
    breaker: Breaker
    also: frozenset[str] = frozenset()  # other clauses the same damage rightly violates
    level: str = "2u"
    bug: str | None = None  # a known defect of the preflight: the case is a strict xfail


def _case(case_id: str, check: tuple[str, str], clause: str, keyword: str,
          breaker: Breaker | Callable[[pikepdf.Pdf], None], *, also: tuple[str, ...] = (),
          level: str = "2u", bug: str | None = None, raw: bool = False) -> Case:
    wrapped = cast(Breaker, breaker) if raw else _with_pikepdf(cast(Callable[[pikepdf.Pdf], None], breaker))
    return Case(case_id, check, clause, keyword, wrapped, frozenset(also), level, bug)


CASES: list[Case] = [
    # 6.1.2 file header
    _case("header-version-1.8", HEADER, "6.1.2", "not %PDF-1.n",
          _with_bytes(b"%PDF-1.7\n", b"%PDF-1.8\n"), raw=True, also=("6.6.4",)),
    _case("header-not-at-byte-0", HEADER, "6.1.2", "not %PDF-1.n",
          _with_bytes(b"%PDF-1.7\n", b"\n%PDF-1.7"), raw=True),
    _case("header-comment-ascii", HEADER, "6.1.2", "4 bytes above 127",
          _with_bytes(b"\n%\xbf\xf7\xa2\xfe\n", b"\n%abcd\n"), raw=True),
    # 6.1.3 file trailer
    _case("trailer-no-id", TRAILER, "6.1.3", "/ID", _with_bytes(b"/ID [", b"/XX [", last=True), raw=True),
    _case("trailer-encrypt", TRAILER, "6.1.3", "encrypted", break_encrypt, raw=True),
    # 6.1.7 streams
    _case("stream-external-file", STREAMS, "6.1.7.1", "external file (/F)", break_stream_external_file),
    _case("stream-lzw", STREAMS, "6.1.7.2", "/LZWDecode", break_stream_lzw),
    _case("stream-crypt", STREAMS, "6.1.7.2", "/Crypt", break_stream_crypt, raw=True),
    # 6.2.3 output intent
    _case("no-output-intents", OUTPUT_INTENT, "6.2.3", "no /OutputIntents", break_no_output_intents,
          also=("6.2.4.3",)),
    _case("output-intent-not-pdfa", OUTPUT_INTENT, "6.2.3", "GTS_PDFA1", break_output_intent_subtype,
          also=("6.2.4.3",)),
    _case("output-intent-no-profile", OUTPUT_INTENT, "6.2.3", "no /DestOutputProfile",
          break_output_intent_no_profile, also=("6.2.4.3",)),
    _case("profile-not-icc", OUTPUT_INTENT, "6.2.3", "not an ICC profile", break_profile_signature),
    _case("profile-input-class", OUTPUT_INTENT, "6.2.3", "class", break_profile_class),
    _case("profile-icc-v5", OUTPUT_INTENT, "6.2.3", "ICC version 5", break_profile_version),
    _case("two-different-profiles", OUTPUT_INTENT, "6.2.3", "different destination profiles", break_two_profiles),
    # 6.2.4.3 device colour
    _case("rgb-painting-cmyk-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_profile_cmyk),
    _case("cmyk-painting-rgb-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceCMYK", break_paint_cmyk),
    _case("gray-painting-no-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceGray", break_gray_without_intent,
          also=("6.2.3",)),
    _case("rgb-colour-space-cmyk-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB (cs)", break_rgb_colour_space_operator),
    # 6.2.11.4.1 embedding, glyphs present
    _case("font-not-embedded", EMBEDDED, "6.2.11.4.1", "not embedded", break_font_not_embedded),
    _case("shown-code-not-in-cmap", NOTDEF, "6.2.11.8", ".notdef", break_glyph_missing),  # a reader shows glyph 0
    _case("type0-cid-beyond-glyph-count", GLYPHS, "6.2.11.4.1", "no glyph", break_cid_beyond_glyphs),
    # 6.2.11.8 .notdef
    _case("type0-shows-notdef", NOTDEF, "6.2.11.8", ".notdef", break_cid_notdef),
    _case("truetype-cmap-to-notdef", NOTDEF, "6.2.11.8", ".notdef", break_truetype_code_to_notdef),
    # 6.2.11.5 widths
    _case("width-plus-100", WIDTHS, "6.2.11.5", "width of code", break_width),
    # 6.2.11.6 TrueType encodings and cmaps
    _case("symbolic-with-encoding", TT_ENCODING, "6.2.11.6", "has an /Encoding entry", break_symbolic_encoding),
    _case("symbolic-cmap-without-3-0", TT_ENCODING, "6.2.11.6", "need one subtable or (3,0)", break_symbolic_cmap),
    _case("nonsymbolic-without-encoding", TT_ENCODING, "6.2.11.6", "MacRoman or WinAnsi",
          break_nonsymbolic_no_encoding),
    # 6.2.11.7 ToUnicode (level U)
    _case("no-to-unicode", TO_UNICODE, "6.2.11.7", "no /ToUnicode", break_no_to_unicode),
    _case("to-unicode-empty", TO_UNICODE, "6.2.11.7", "no usable Unicode", break_to_unicode_empty),
    _case("to-unicode-entry-removed", TO_UNICODE, "6.2.11.7", "no usable Unicode", break_to_unicode_entry_removed),
    # 6.5.1 actions
    _case("open-action-javascript", ACTIONS, "6.5.1", "/JavaScript action", break_open_action_javascript),
    _case("open-action-launch", ACTIONS, "6.5.1", "/Launch action", break_open_action_launch),
    _case("javascript-name-tree", ACTIONS, "6.5.1", "JavaScript name tree", break_javascript_name_tree),
    _case("open-action-javascript-direct", ACTIONS, "6.5.1", "/JavaScript action",
          break_open_action_javascript_direct),
    # 6.5.2 additional actions
    _case("catalog-aa", ADDITIONAL_ACTIONS, "6.5.2", "document catalog has an /AA", break_catalog_aa),
    _case("page-aa", ADDITIONAL_ACTIONS, "6.5.2", "page 2 has an /AA", break_page_aa),
    # 6.6.2.1 metadata stream
    _case("no-metadata", METADATA, "6.6.2.1", "no /Metadata", break_no_metadata, also=("6.6.4", "6.6.2.2")),
    # ISO 19005-1 6.7.2 forbids a filtered metadata stream; part 2 does not, so only the 1b file fails
    _case("metadata-compressed", METADATA, "6.6.2.1", "compressed", break_metadata_compressed, raw=True, level="1b"),
    _case("metadata-subtype", METADATA, "6.6.2.1", "/Subtype /XML", break_metadata_subtype),
    _case("metadata-not-xml", METADATA, "6.6.2.1", "not well-formed", break_metadata_not_xml,
          also=("6.6.4", "6.6.2.2")),
    _case("xpacket-encoding", METADATA, "6.6.2.1", "bytes or encoding", break_xpacket_encoding),
    # 6.6.4 identification
    _case("part-3", IDENTIFICATION, "6.6.4", "pdfaid:part is 3", break_part_3),
    _case("part-missing", IDENTIFICATION, "6.6.4", "pdfaid:part is missing", break_part_missing),
    _case("conformance-x", IDENTIFICATION, "6.6.4", "pdfaid:conformance is X", break_conformance_x),
    _case("part-1-header-1.7", IDENTIFICATION, "6.6.4", "header", break_part_1_with_pdf_17, level="2b"),
    # 6.6.2.2 Info agrees with XMP
    _case("info-title", INFO_XMP, "6.6.2.2", "Info /Title", break_info_title),
    _case("info-creation-date-plus-1h", INFO_XMP, "6.6.2.2", "Info /CreationDate", break_info_creation_date),
]


def _params() -> list[object]:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.bug, strict=True)] if c.bug else [])
            for c in CASES]


@pytest.mark.parametrize("case", _params())
def test_check_fails_on_broken_copy(case: Case, pdfa: Callable[[str], Path], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / f"{case.id}.pdf"
    case.breaker(pdfa(case.level), broken)

    report = preflight(broken)
    listing = "\n".join(map(str, report.findings)) or "(no findings)"
    assert not report.valid
    assert any(f.clause == case.clause and case.keyword in f.message for f in report.findings), (
        f"expected {case.clause} with {case.keyword!r}, got:\n{listing}")
    assert {f.clause for f in report.findings} == {case.clause, *case.also}, listing
    assert not [f for f in report.findings if "could not be checked" in f.message], listing

    # The finding comes from the targeted check itself (two checks share clause 6.2.11.4.1).
    monkeypatch.setattr(preflight_module, "CHECKS", [entry for entry in CHECKS if entry[:2] == case.check])
    alone = preflight(broken)
    assert any(f.clause == case.clause and case.keyword in f.message for f in alone.findings), (
        "\n".join(map(str, alone.findings)) or "(no findings from the targeted check alone)")


def test_every_check_has_a_failing_case() -> None:
    """A new check (or a renamed one) without a case here makes this test fail."""
    working = [c for c in CASES if c.bug is None]
    covered, registered = {c.check[0] for c in working}, {clause for clause, _, _ in CHECKS}
    assert covered == registered, (f"clauses without a failing case: {sorted(registered - covered)}; "
                                   f"cases for clauses not in CHECKS: {sorted(covered - registered)}")
    covered_checks, checks = {c.check for c in working}, {(clause, title) for clause, title, _ in CHECKS}
    assert covered_checks == checks, (f"checks without a failing case: {sorted(checks - covered_checks)}; "
                                      f"cases for checks not in CHECKS: {sorted(covered_checks - checks)}")
    assert len({(clause, title) for clause, title, _ in CHECKS}) == len(CHECKS), "two checks share clause and title"


def test_cases_are_consistent() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
    for c in CASES:
        assert c.clause.startswith(c.check[0]), c.id
        assert c.clause not in c.also, c.id


def test_iter_checks_lists_checks() -> None:
    assert list(iter_checks()) == [(clause, title) for clause, title, _ in CHECKS]


# =============================================================================================
# Former false positives, fixed: files that conform must pass
# =============================================================================================


def test_header_with_cr_eol_passes(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    dst = tmp_path / "cr.pdf"
    _with_bytes(b"%PDF-1.7\n%\xbf\xf7\xa2\xfe\n", b"%PDF-1.7\r%\xbf\xf7\xa2\xfe\r")(pdfa("2u"), dst)
    with pikepdf.open(dst) as pdf:  # still a readable PDF
        assert len(pdf.pages) > 0
    assert preflight(dst).findings == []


def test_nonsymbolic_base_encoding_dictionary_passes(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    def base_encoding(pdf: pikepdf.Pdf) -> None:
        font, _ = _first_shown(pdf)
        font.FontDescriptor.Flags = 32
        font.Encoding = Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding)

    dst = tmp_path / "base-encoding.pdf"
    _with_pikepdf(base_encoding)(pdfa("2u"), dst)
    assert preflight(dst).findings == []


# =============================================================================================
# parse_pdf_date and parse_to_unicode
# =============================================================================================


@pytest.mark.parametrize(("text", "expected"), [
    ("D:20250324000000+09'00'", datetime(2025, 3, 24, tzinfo=timezone(timedelta(hours=9)))),
    ("D:20250324000000+09'00", datetime(2025, 3, 24, tzinfo=timezone(timedelta(hours=9)))),
    ("D:20250323150000Z", datetime(2025, 3, 23, 15, tzinfo=UTC)),
    ("D:19991231235959-05'30'", datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ("D:2025", datetime(2025, 1, 1, tzinfo=UTC)),
    ("D:202503", datetime(2025, 3, 1, tzinfo=UTC)),
])
def test_parse_pdf_date(text: str, expected: datetime) -> None:
    parsed = parse_pdf_date(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["20250324000000", "D:2025-03-24", "D:20251324", "D:20250324250000", ""])
def test_parse_pdf_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_pdf_date(text)


@pytest.mark.parametrize("text", ["D:20250324000000A09'00'", "D:2025032400000"])
def test_parse_pdf_date_rejects_bad_sign(text: str) -> None:
    with pytest.raises(ValueError):
        parse_pdf_date(text)


def test_parse_to_unicode_sections() -> None:
    cmap = (b"/CIDInit /ProcSet findresource begin\n"
            b"3 beginbfchar\n<01> <718A>\n<02> <D83DDE00>\n<03> <>\nendbfchar\n"
            b"2 beginbfrange\n<20> <22> <0041>\n<30> <31> [<3042> <30443099>]\nendbfrange\n")
    assert parse_to_unicode(cmap) == {
        0x01: "熊", 0x02: "\U0001F600", 0x03: "",
        0x20: "A", 0x21: "B", 0x22: "C",
        0x30: "あ", 0x31: "い\u3099",
    }
    assert parse_to_unicode(b"no cmap here") == {}


def test_parse_to_unicode_on_built_file(pdfa: Callable[[str], Path]) -> None:
    """The first lines of page 1 of the 2u file read back through the ToUnicode maps."""
    with pikepdf.open(pdfa("2u")) as pdf:
        page = pdf.pages[0]
        maps = {name: parse_to_unicode(font.ToUnicode.read_bytes()) for name, font in page.Resources.Font.items()}
        lines, current = [""], None
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BT":
                lines.append("")
            elif str(operator) == "Tf":
                current = maps[str(operands[0])]
            elif str(operator) in ("Tj", "TJ"):
                assert current is not None
                shown = [operands[0]] if str(operator) == "Tj" else [i for i in operands[0] if isinstance(i, pikepdf.String)]
                lines[-1] += "".join(current[code] for item in shown for code in bytes(item))
    assert "変更連携協約書" in lines


def test_parse_to_unicode_bfrange_ligature() -> None:
    assert parse_to_unicode(b"beginbfrange\n<01> <02> <0066006C>\nendbfrange") == {1: "fl", 2: "fm"}


# =============================================================================================
# Apache PDFBox Preflight (PDF/A-1b), an independent validator
# =============================================================================================


def _require_pdfbox() -> None:
    if pdfbox_available():
        return
    missing = [f"{jar}.jar" for jar in PDFBOX_JARS if not (JAVA_DIR / f"{jar}.jar").is_file()]
    java = "found" if shutil.which("java") else "not on PATH"
    why = (f"Apache PDFBox Preflight is not available (java: {java}; "
           f"jars missing from {JAVA_DIR}: {', '.join(missing) or 'none'})")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; CI installs it, so the CI image is broken")
    pytest.skip(f"{why}; install default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java "
                "libcommons-logging-java to run this test (CI=true makes its absence a failure)")


def test_pdfbox_accepts_1b(pdfa: Callable[[str], Path]) -> None:
    _require_pdfbox()
    valid, output = pdfbox_preflight(pdfa("1b"))
    assert valid, f"PDFBox Preflight rejects the PDF/A-1b file:\n{output}"
    assert "is a valid PDF/A-1b file" in output, output


def test_pdfbox_rejects_broken_1b(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    _require_pdfbox()
    broken = tmp_path / "1b-no-metadata.pdf"
    _with_pikepdf(break_no_metadata)(pdfa("1b"), broken)
    valid, output = pdfbox_preflight(broken)
    assert not valid, f"PDFBox Preflight accepts a PDF/A-1b file without /Metadata:\n{output}"
    assert "is a valid PDF/A-1b file" not in output, output
