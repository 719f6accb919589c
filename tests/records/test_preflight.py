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
import re
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
from kyoyaku_pdf.records.preflight import (
    CHECKS,
    iter_checks,
    parse_pdf_date,
    parse_to_unicode,
    preflight,
)
from kyoyaku_pdf.records.verapdf import VeraPdf

REPO = Path(__file__).resolve().parents[2]

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
TO_UNICODE = ("6.2.11.7", "Unicode mapping (level U and A)")
ACTIONS = ("6.5.1", "no forbidden actions or JavaScript")
ADDITIONAL_ACTIONS = ("6.5.2", "no additional actions")
METADATA = ("6.6.2.1", "metadata stream")
IDENTIFICATION = ("6.6.4", "PDF/A identification")
INFO_XMP = ("6.7.3", "Info dictionary agrees with XMP (part 1)")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cases match key words of the English messages."""
    monkeypatch.setenv("KYOYAKU_LANG", "en")


# =============================================================================================
# The good files, built once per level
# =============================================================================================


@pytest.fixture
def pdfa(pdfa_file: Callable[[str], Path]) -> Callable[[str], Path]:
    """``pdfa(level)`` → the archive file of the bundled agreement at that level (built once a session)."""
    return pdfa_file


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


@pytest.mark.parametrize(("content", "error"), [
    (b"this is not a PDF file at all\n" * 10, "not-pdf"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"garbage " * 100, "unreadable"),
])
def test_not_a_pdf_gets_no_verdict(tmp_path: Path, content: bytes, error: str) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(content)
    report = preflight(path)
    assert not report.valid and report.findings == []
    assert report.error == error and report.error_message, report


@pytest.mark.parametrize("user", ["", "secret"])
def test_encrypted_file_gets_no_verdict(pdfa: Callable[[str], Path], tmp_path: Path, user: str) -> None:
    """ISO 19005 forbids encryption: an encrypted file is not PDF/A, whether it opens without a password or not."""
    dst = tmp_path / "encrypted.pdf"
    _with_pikepdf(lambda pdf: None, encryption=pikepdf.Encryption(owner="owner", user=user))(pdfa("2u"), dst)
    report = preflight(dst)
    assert report.error == "encrypted" and "encrypted: not PDF/A" in report.error_message


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
    placeholder is then turned into /Crypt by a same-length byte edit). A named crypt filter: the
    Identity one, the default, is allowed."""
    stream = pdf.make_stream(b"")
    stream.write(b"data", filter=Name("/KyFilterXX"), decode_parms=Dictionary(Name=Name("/KySecretCF")))
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


def _to_unicode_destination(destination: bytes) -> Callable[[pikepdf.Pdf], None]:
    """A breaker giving the first shown code the ToUnicode destination ``destination`` (e.g. b"<>")."""
    def replace(cmap: bytes, src: bytes) -> bytes:
        start = cmap.index(src + b" <")
        end = cmap.index(b">", start + len(src) + 2)
        return cmap[:start] + src + b" " + destination + cmap[end + 1:]

    return lambda pdf: _edit_to_unicode(pdf, replace)


break_to_unicode_empty = _to_unicode_destination(b"<>")


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


def break_info_title(pdf: pikepdf.Pdf) -> None:
    pdf.trailer.Info.Title = String(str(pdf.trailer.Info.Title) + "（案）")


def break_info_creation_date(pdf: pikepdf.Pdf) -> None:
    value = str(pdf.trailer.Info.CreationDate)  # D:YYYYMMDDHHmmSS+HH'mm'
    hour = int(value[10:12])
    assert hour < 23
    pdf.trailer.Info.CreationDate = String(f"{value[:10]}{hour + 1:02d}{value[12:]}")


def break_data_after_eof(src: Path, dst: Path) -> None:
    dst.write_bytes(src.read_bytes() + b"trailing junk after the end\n")


def break_profile_lab(pdf: pikepdf.Pdf) -> None:
    _edit_profile(pdf, 16, b"Lab ")


def break_rgb_image_cmyk_intent(pdf: pikepdf.Pdf) -> None:
    image = pdf.make_stream(b"\xff\x00\x00", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                            ColorSpace=Name.DeviceRGB, BitsPerComponent=8)
    pdf.pages[0].Resources.XObject = Dictionary(KyImage=image)
    _append_content(pdf, b"q 10 0 0 10 20 20 cm /KyImage Do Q")
    pdf.Root.OutputIntents[0].DestOutputProfile.write(_cmyk_profile(pdf))


break_to_unicode_nul = _to_unicode_destination(b"<0000>")


def break_named_action_print(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.Named, N=Name.Print)


def break_link_launch(pdf: pikepdf.Pdf) -> None:
    link = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([10, 10, 50, 50]), F=4, Border=Array([0, 0, 0]),
        A=Dictionary(S=Name.Launch, F=String("calc.exe"))))
    pdf.pages[0].obj.Annots = Array([link])


def break_part_superscript(pdf: pikepdf.Pdf) -> None:
    _edit_xmp(pdf, b"<pdfaid:part>2</pdfaid:part>", "<pdfaid:part>²</pdfaid:part>".encode())


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
    _case("header-version-1.8", HEADER, "6.1.2", "not %PDF-1.n", _with_bytes(b"%PDF-1.7\n", b"%PDF-1.8\n"), raw=True),
    _case("header-not-at-byte-0", HEADER, "6.1.2", "not %PDF-1.n",  # veraPDF: unreadable
          _with_bytes(b"%PDF-1.7\n", b"\n%PDF-1.7"), raw=True),
    _case("header-comment-ascii", HEADER, "6.1.2", "4 bytes above 127",
          _with_bytes(b"\n%\xbf\xf7\xa2\xfe\n", b"\n%abcd\n"), raw=True),
    # 6.1.3 file trailer
    _case("trailer-no-id", TRAILER, "6.1.3", "/ID", _with_bytes(b"/ID [", b"/XX [", last=True), raw=True),
    _case("data-after-eof", TRAILER, "6.1.3", "follow the last %%EOF", break_data_after_eof, raw=True),
    # 6.1.7 streams
    _case("stream-external-file", STREAMS, "6.1.7.1", "external file (/F)", break_stream_external_file),
    _case("stream-lzw", STREAMS, "6.1.7.2", "/LZWDecode", break_stream_lzw),
    _case("stream-crypt", STREAMS, "6.1.7.2", "/Crypt", break_stream_crypt, raw=True),
    # 6.2.3 output intent
    _case("profile-input-class", OUTPUT_INTENT, "6.2.3", "class", break_profile_class),
    _case("profile-icc-v5", OUTPUT_INTENT, "6.2.3", "ICC version 5", break_profile_version),
    _case("profile-lab", OUTPUT_INTENT, "6.2.3", "colour space is Lab", break_profile_lab),
    _case("two-different-profiles", OUTPUT_INTENT, "6.2.3", "different destination profiles", break_two_profiles),
    # 6.2.4.3 device colour (a missing or unusable output intent shows here: veraPDF's reading of 6.2.3)
    _case("no-output-intents", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_no_output_intents),
    _case("output-intent-not-pdfa", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_output_intent_subtype),
    _case("output-intent-no-profile", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_output_intent_no_profile),
    _case("rgb-painting-cmyk-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_profile_cmyk),
    _case("cmyk-painting-rgb-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceCMYK", break_paint_cmyk),
    _case("gray-painting-no-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceGray", break_gray_without_intent),
    _case("rgb-colour-space-cmyk-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB", break_rgb_colour_space_operator),
    _case("rgb-image-cmyk-intent", DEVICE_COLOUR, "6.2.4.3", "DeviceRGB (Do)", break_rgb_image_cmyk_intent),
    # 6.2.11.4.1 embedding, glyphs present
    _case("font-not-embedded", EMBEDDED, "6.2.11.4.1", "not embedded", break_font_not_embedded),
    # a simple font's code its cmap lacks (or maps to .notdef) is a missing glyph for veraPDF, not 6.2.11.8
    _case("shown-code-not-in-cmap", GLYPHS, "6.2.11.4.1", "no glyph", break_glyph_missing),
    _case("truetype-cmap-to-notdef", GLYPHS, "6.2.11.4.1", "no glyph", break_truetype_code_to_notdef),
    _case("type0-cid-beyond-glyph-count", GLYPHS, "6.2.11.4.1", "no glyph", break_cid_beyond_glyphs),
    # 6.2.11.8 .notdef
    _case("type0-shows-notdef", NOTDEF, "6.2.11.8", ".notdef", break_cid_notdef),
    # 6.2.11.5 widths
    _case("width-plus-100", WIDTHS, "6.2.11.5", "width of code", break_width),
    # 6.2.11.6 TrueType encodings and cmaps
    _case("symbolic-with-encoding", TT_ENCODING, "6.2.11.6", "has an /Encoding entry", break_symbolic_encoding),
    _case("symbolic-cmap-without-3-0", TT_ENCODING, "6.2.11.6", "need one subtable or (3,0)", break_symbolic_cmap),
    _case("nonsymbolic-without-encoding", TT_ENCODING, "6.2.11.6", "MacRoman or WinAnsi",
          break_nonsymbolic_no_encoding),
    # 6.2.11.7.2 Unicode (levels U and A)
    _case("no-to-unicode", TO_UNICODE, "6.2.11.7.2", "no /ToUnicode", break_no_to_unicode),
    _case("to-unicode-entry-removed", TO_UNICODE, "6.2.11.7.2", "no usable Unicode", break_to_unicode_entry_removed),
    _case("to-unicode-u0000", TO_UNICODE, "6.2.11.7.2", "U+0000", break_to_unicode_nul),
    # 6.5.1 actions
    _case("open-action-javascript", ACTIONS, "6.5.1", "/JavaScript action", break_open_action_javascript),
    _case("open-action-launch", ACTIONS, "6.5.1", "/Launch action", break_open_action_launch),
    _case("open-action-javascript-direct", ACTIONS, "6.5.1", "/JavaScript action",
          break_open_action_javascript_direct),
    _case("named-action-print", ACTIONS, "6.5.1", "named action /Print", break_named_action_print),
    _case("link-annotation-launch", ACTIONS, "6.5.1", "/Launch action", break_link_launch),
    # 6.5.2 additional actions
    _case("catalog-aa", ADDITIONAL_ACTIONS, "6.5.2", "document catalog has an /AA", break_catalog_aa),
    _case("page-aa", ADDITIONAL_ACTIONS, "6.5.2", "page 2 has an /AA", break_page_aa),
    # 6.6.2.1 metadata stream
    _case("no-metadata", METADATA, "6.6.2.1", "no /Metadata", break_no_metadata),
    _case("metadata-not-xml", METADATA, "6.6.2.1", "not well-formed", break_metadata_not_xml),
    _case("xpacket-encoding", METADATA, "6.6.2.1", "bytes or encoding", break_xpacket_encoding),
    # ISO 19005-1 6.7.2: a PDF/A-1 metadata stream is /Type /Metadata /Subtype /XML and not filtered
    _case("metadata-compressed", METADATA, "6.7.2", "compressed", break_metadata_compressed, raw=True, level="1b"),
    _case("metadata-subtype", METADATA, "6.7.2", "/Subtype /XML", break_metadata_subtype, level="1b"),
    _case("no-metadata-1b", METADATA, "6.7.2", "no /Metadata", break_no_metadata, level="1b",
          also=("6.7.3",)),
    # 6.6.4 identification
    _case("part-3", IDENTIFICATION, "6.6.4", "pdfaid:part is 3", break_part_3),
    _case("part-missing", IDENTIFICATION, "6.6.4", "no PDF/A identification", break_part_missing),
    _case("part-superscript-two", IDENTIFICATION, "6.6.4", "pdfaid:part is ²", break_part_superscript),
    _case("conformance-x", IDENTIFICATION, "6.6.4", "pdfaid:conformance is X", break_conformance_x),
    # ISO 19005-1 6.7.3: Info agrees with XMP (part 2 does not ask it)
    _case("info-title", INFO_XMP, "6.7.3", "Info /Title", break_info_title, level="1b"),
    _case("info-creation-date-plus-1h", INFO_XMP, "6.7.3", "Info /CreationDate", break_info_creation_date,
          level="1b"),
]


def _params() -> list[object]:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.bug, strict=True)] if c.bug else [])
            for c in CASES]


@pytest.mark.parametrize("case", _params())
def test_check_fails_on_broken_copy(case: Case, pdfa: Callable[[str], Path], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / f"{case.id}.pdf"
    case.breaker(pdfa(case.level), broken)

    report = preflight(broken, case.level)
    listing = "\n".join(map(str, report.findings)) or "(no findings)"
    assert not report.valid
    assert any(f.clause == case.clause and case.keyword in f.message for f in report.findings), (
        f"expected {case.clause} with {case.keyword!r}, got:\n{listing}")
    assert {f.clause for f in report.findings} == {case.clause, *case.also}, listing
    assert not [f for f in report.findings if "could not be checked" in f.message], listing

    # The finding comes from the targeted check itself (two checks share clause 6.2.11.4.1).
    monkeypatch.setattr(preflight_module, "CHECKS", [entry for entry in CHECKS if entry[:2] == case.check])
    alone = preflight(broken, case.level)
    assert any(f.clause == case.clause and case.keyword in f.message for f in alone.findings), (
        "\n".join(map(str, alone.findings)) or "(no findings from the targeted check alone)")


@pytest.mark.parametrize("case", _params())
def test_case_is_a_real_violation_and_no_false_alarm(case: Case, pdfa: Callable[[str], Path], tmp_path: Path,
                                                     verapdf: VeraPdf) -> None:
    """veraPDF, the oracle, fails the broken copy in the case's clause (the damage is real), and every
    clause the built-in checks report is one veraPDF reports too (no false alarm)."""
    broken = tmp_path / f"{case.id}.pdf"
    case.breaker(pdfa(case.level), broken)
    oracle = verapdf.validate(broken, case.level)
    assert not oracle.passed, str(oracle)
    if oracle.error:  # veraPDF cannot even parse it (a header moved off byte 0): certainly not valid
        assert oracle.error == "unreadable", str(oracle)
        return
    assert case.clause in oracle.clauses(), str(oracle)
    builtin = {f.clause for f in preflight(broken, case.level).findings}
    assert builtin <= oracle.clauses(), f"built-in only: {sorted(builtin - oracle.clauses())}\n{oracle}"


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
        assert c.clause.startswith(c.check[0]) or c.level.startswith("1"), c.id  # part 1 numbers its own
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


def test_nonsymbolic_base_encoding_dictionary_is_a_notdef(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    """A WinAnsi base encoding is a valid TrueType encoding (no 6.2.11.6 finding), but our codes 1, 2, …
    have no name in WinAnsi, so they show .notdef (veraPDF agrees: the corpus test holds the file)."""
    def base_encoding(pdf: pikepdf.Pdf) -> None:
        font, _ = _first_shown(pdf)
        font.FontDescriptor.Flags = 32
        font.Encoding = Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding)

    dst = tmp_path / "base-encoding.pdf"
    _with_pikepdf(base_encoding)(pdfa("2u"), dst)
    assert {f.clause for f in preflight(dst).findings} == {"6.2.11.8"}


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
    assert parse_to_unicode(cmap).as_dict() == {
        0x01: "熊", 0x02: "\U0001F600", 0x03: "",
        0x20: "A", 0x21: "B", 0x22: "C",
        0x30: "あ", 0x31: "い\u3099",
    }
    assert parse_to_unicode(b"no cmap here").as_dict() == {}


def test_parse_to_unicode_on_built_file(pdfa: Callable[[str], Path]) -> None:
    """The first lines of page 1 of the 2u file read back through the ToUnicode maps."""
    with pikepdf.open(pdfa("2u")) as pdf:
        page = pdf.pages[0]
        maps = {name: parse_to_unicode(font.ToUnicode.read_bytes()).as_dict() for name, font in page.Resources.Font.items()}
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
    assert parse_to_unicode(b"beginbfrange\n<01> <02> <0066006C>\nendbfrange").as_dict() == {1: "fl", 2: "fm"}


# =============================================================================================
# The corpus: veraPDF as the oracle over valid and invalid files of many makes
# =============================================================================================
#
# Besides the cases above (one broken rule each), files made with ReportLab in ways our layout never
# uses (standard fonts, invisible text, colours, images, links, transparency) turned into PDF/A by our
# post-pass, and pikepdf variations of our file that are valid for veraPDF though they look suspicious
# (a Default colour space, unused device-colour resources, an Identity crypt filter, an empty ToUnicode
# destination, an ICC header without 'acsp'), or invalid in ways the cases do not cover. veraPDF judges
# each; the built-in checks must never call a file invalid in a clause veraPDF does not fail (0 false
# alarms), and must catch ≥ 95 % of the files veraPDF fails in a clause they claim.

FONT = REPO / "fonts" / "BIZUDMincho-Regular.ttf"


def _reportlab(draw: Callable[[object], None]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
    from reportlab.pdfgen import canvas

    if "KyMincho" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RLTTFont("KyMincho", str(FONT)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    draw(page)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _as_pdfa(data: bytes, level: str, dst: Path) -> None:
    from kyoyaku_pdf.pdf.metadata import DocumentMetadata
    from kyoyaku_pdf.pdf.pdfa import LEVELS, make_pdfa

    meta = DocumentMetadata(title="試験", author="kyoyaku-pdf", subject="corpus", keywords="test", creator="tests",
                            producer="ReportLab", created=datetime(2025, 3, 24, tzinfo=timezone(timedelta(hours=9))))
    dst.write_bytes(make_pdfa(data, meta, LEVELS[level]))


def _text(font: str, size: float = 12, mode: int = 0, words: str = "ABC abc 123") -> Callable[[object], None]:
    def draw(c: object) -> None:
        t = c.beginText(72, 720)  # type: ignore[attr-defined]
        t.setFont(font, size)
        t.setTextRenderMode(mode)
        t.textLine(words)
        c.drawText(t)  # type: ignore[attr-defined]
    return draw


def _then(*draws: Callable[[object], None]) -> Callable[[object], None]:
    def draw(c: object) -> None:
        for d in draws:
            d(c)
    return draw


def _rect(colour: Callable[[object], None]) -> Callable[[object], None]:
    def draw(c: object) -> None:
        colour(c)
        c.rect(100, 100, 50, 50, fill=1)  # type: ignore[attr-defined]
    return draw


def _image(mode: str) -> Callable[[object], None]:
    def draw(c: object) -> None:
        from PIL import Image
        from reportlab.lib.utils import ImageReader
        c.drawImage(ImageReader(Image.new(mode, (4, 4), 128)), 200, 200, 40, 40)  # type: ignore[attr-defined]
    return draw


def _link(c: object) -> None:
    c.linkURL("https://example.jp/", (72, 600, 200, 620), relative=0)  # type: ignore[attr-defined]


def _alpha(c: object) -> None:
    c.setFillAlpha(0.5)  # type: ignore[attr-defined]
    c.rect(300, 300, 50, 50, fill=1)  # type: ignore[attr-defined]


MINCHO = _text("KyMincho", words="熊本市 ABC 123")
REPORTLAB: dict[str, tuple[str, Callable[[object], None]]] = {
    "rl-helvetica-2u": ("2u", _text("Helvetica")),
    "rl-helvetica-2b": ("2b", _text("Helvetica")),
    "rl-helvetica-1b": ("1b", _text("Helvetica")),
    "rl-helvetica-invisible-2u": ("2u", _text("Helvetica", mode=3)),
    "rl-times-invisible-over-mincho-2u": ("2u", _then(MINCHO, _text("Times-Roman", mode=3))),
    "rl-mincho-2u": ("2u", MINCHO),
    "rl-mincho-1b": ("1b", MINCHO),
    "rl-mincho-rgb-2u": ("2u", _then(MINCHO, _rect(lambda c: c.setFillColorRGB(1, 0, 0)))),  # type: ignore[attr-defined]
    "rl-mincho-gray-2b": ("2b", _then(MINCHO, _rect(lambda c: c.setFillGray(0.5)))),  # type: ignore[attr-defined]
    "rl-mincho-cmyk-2u": ("2u", _then(MINCHO, _rect(lambda c: c.setFillColorCMYK(0, 1, 0, 0)))),  # type: ignore[attr-defined]
    "rl-mincho-cmyk-1b": ("1b", _then(MINCHO, _rect(lambda c: c.setFillColorCMYK(0, 1, 0, 0)))),  # type: ignore[attr-defined]
    "rl-mincho-image-rgb-2u": ("2u", _then(MINCHO, _image("RGB"))),
    "rl-mincho-image-gray-1b": ("1b", _then(MINCHO, _image("L"))),
    "rl-mincho-image-cmyk-2b": ("2b", _then(MINCHO, _image("CMYK"))),
    "rl-mincho-link-2u": ("2u", _then(MINCHO, _link)),
    "rl-mincho-alpha-2b": ("2b", _then(MINCHO, _alpha)),
    "rl-mincho-alpha-1b": ("1b", _then(MINCHO, _alpha)),
}


def _gray_intent(pdf: pikepdf.Pdf) -> None:
    _edit_profile(pdf, 16, b"GRAY")


def _resource(pdf: pikepdf.Pdf, kind: str, **entries: object) -> None:
    resources = pdf.pages[0].Resources
    if kind not in resources:
        resources[kind] = Dictionary()
    for key, value in entries.items():
        resources[kind][f"/{key}"] = value


def _rgb_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    return pdf.make_stream(b"\xff\x00\x00", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                           ColorSpace=Name.DeviceRGB, BitsPerComponent=8)


def _form(pdf: pikepdf.Pdf, content: bytes) -> pikepdf.Stream:
    return pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 10, 10]))


VARIANTS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    # valid for veraPDF, though a naive check would object
    "default-rgb-over-gray-intent": lambda pdf: (
        _append_content(pdf, b"q 1 0 0 rg 10 10 5 5 re f Q"),
        _resource(pdf, "/ColorSpace", DefaultRGB=Array([Name.ICCBased, pdf.Root.OutputIntents[0].DestOutputProfile])),
        _gray_intent(pdf)),
    "unused-rgb-form": lambda pdf: (_resource(pdf, "/XObject", KyF=_form(pdf, b"1 0 0 rg 0 0 5 5 re f")),
                                    _gray_intent(pdf)),
    "unused-rgb-image": lambda pdf: (_resource(pdf, "/XObject", KyI=_rgb_image(pdf)), _gray_intent(pdf)),
    "rgb-on-rgb-intent": lambda pdf: _append_content(pdf, b"q 0 1 0 rg 0 0 1 RG 10 10 5 5 re B Q"),
    "gray-on-rgb-intent": lambda pdf: _append_content(pdf, b"q 0.3 g 0.2 G 10 10 5 5 re B Q"),
    "to-unicode-empty-destination": break_to_unicode_empty,
    "icc-without-acsp": break_profile_signature,
    "javascript-name-tree": break_javascript_name_tree,
    "goto-open-action": lambda pdf: setattr(pdf.Root, "OpenAction", _go_to_first_page(pdf)),
    "named-action-next-page": lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.Named, N=Name.NextPage)),
    "base-encoding-dictionary": lambda pdf: _first_font_edit(pdf, lambda font: (
        setattr(font.FontDescriptor, "Flags", 32),
        setattr(font, "Encoding", Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding)))),
    "invisible-text-unembedded-font": lambda pdf: (
        _resource(pdf, "/Font", KyH=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                               Encoding=Name.WinAnsiEncoding)),
        _append_content(pdf, b"BT 3 Tr /KyH 12 Tf 10 10 Td (Hidden) Tj ET")),
    # invalid in ways the cases above do not cover
    "rgb-set-not-painted-gray-intent": lambda pdf: (_append_content(pdf, b"q 1 0 0 rg Q"), _gray_intent(pdf)),
    "rgb-invisible-text-gray-intent": lambda pdf: (_append_content(pdf, b"q 1 0 0 rg BT 3 Tr ET Q"),
                                                   _gray_intent(pdf)),
    "rgb-group-gray-intent": lambda pdf: (
        setattr(pdf.pages[0].obj, "Group", Dictionary(S=Name.Transparency, CS=Name.DeviceRGB)), _gray_intent(pdf)),
    "named-rgb-space-gray-intent": lambda pdf: (
        _resource(pdf, "/ColorSpace", CS0=Name.DeviceRGB),
        _append_content(pdf, b"q /CS0 cs 1 0 0 sc 0 0 5 5 re f Q"), _gray_intent(pdf)),
    "indexed-rgb-gray-intent": lambda pdf: (
        _resource(pdf, "/ColorSpace", CS0=Array([Name.Indexed, Name.DeviceRGB, 0, String(b"\xff\x00\x00")])),
        _append_content(pdf, b"q /CS0 cs 0 sc 0 0 5 5 re f Q"), _gray_intent(pdf)),
    "annotation-appearance-rgb-gray-intent": lambda pdf: (
        setattr(pdf.pages[0].obj, "Annots", Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Square, Rect=Array([0, 0, 10, 10]), F=4,
            AP=Dictionary(N=_form(pdf, b"1 0 0 rg 0 0 5 5 re f"))))])), _gray_intent(pdf)),
    "inline-image-rgb-gray-intent": lambda pdf: (
        _append_content(pdf, b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q"),
        _gray_intent(pdf)),
    "form-rgb-gray-intent": lambda pdf: (_resource(pdf, "/XObject", KyF=_form(pdf, b"1 0 0 rg 0 0 5 5 re f")),
                                         _append_content(pdf, b"q /KyF Do Q"), _gray_intent(pdf)),
    "shading-rgb-gray-intent": lambda pdf: (
        _resource(pdf, "/Shading", Sh0=Dictionary(ShadingType=2, ColorSpace=Name.DeviceRGB, Coords=Array([0, 0, 1, 0]),
                                                  Function=Dictionary(FunctionType=2, Domain=Array([0, 1]),
                                                                      C0=Array([0, 0, 0]), C1=Array([1, 1, 1]), N=1))),
        _append_content(pdf, b"q /Sh0 sh Q"), _gray_intent(pdf)),
    "gray-text-no-intent": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    "visible-unembedded-font": lambda pdf: (
        _resource(pdf, "/Font", KyH=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                               Encoding=Name.WinAnsiEncoding)),
        _append_content(pdf, b"BT /KyH 12 Tf 10 10 Td (Shown) Tj ET")),
    "to-unicode-all-removed": lambda pdf: _drop_every_to_unicode(pdf),
    "to-unicode-feff": _to_unicode_destination(b"<FEFF>"),
}


def _first_font_edit(pdf: pikepdf.Pdf, edit: Callable[[pikepdf.Dictionary], object]) -> None:
    font, _ = _first_shown(pdf)
    edit(font)


def _drop_every_to_unicode(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]


@pytest.fixture(scope="module")
def corpus(pdfa_file: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, str]]:
    """(name, file, level) for every file of the corpus: our three levels, the ReportLab files, the
    variants, and the broken copies of the cases."""
    folder = tmp_path_factory.mktemp("corpus")
    files = [(f"ours-{level}", pdfa_file(level), level) for level in ("2u", "2b", "1b")]
    for name, (level, draw) in REPORTLAB.items():
        _as_pdfa(_reportlab(draw), level, folder / f"{name}.pdf")
        files.append((name, folder / f"{name}.pdf", level))
    for name, edit in VARIANTS.items():
        _with_pikepdf(edit)(pdfa_file("2u"), folder / f"{name}.pdf")
        files.append((name, folder / f"{name}.pdf", "2u"))
    for case in CASES:
        case.breaker(pdfa_file(case.level), folder / f"case-{case.id}.pdf")
        files.append((f"case-{case.id}", folder / f"case-{case.id}.pdf", case.level))
    return files


def test_corpus_against_verapdf(corpus: list[tuple[str, Path, str]], verapdf: VeraPdf,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from kyoyaku_pdf.records.preflight import CLAIMED

    valid = invalid_claimed = caught = 0
    false_alarms, missed, other = [], [], []
    for name, path, level in corpus:
        oracle = verapdf.validate(path, level)
        report = preflight(path, level)
        part = int(level[0])
        found = {f.clause for f in report.findings if f.code != "limit"}
        if oracle.error:  # veraPDF cannot parse it: not valid; nothing to compare clause by clause
            other.append(name)
            continue
        spurious = found - oracle.clauses()
        if spurious:
            false_alarms.append(f"{name}: built-in {sorted(spurious)}, veraPDF {sorted(oracle.clauses())}")
        if oracle.passed:
            valid += 1
            if report.findings or report.error:
                false_alarms.append(f"{name}: valid for veraPDF, built-in: {[str(f) for f in report.findings]}"
                                    f" {report.error or ''}")
        elif oracle.clauses() & CLAIMED[part]:
            invalid_claimed += 1
            if found & oracle.clauses():
                caught += 1
            else:
                missed.append(f"{name}: veraPDF {sorted(oracle.clauses())}")
        else:
            other.append(name)
    rate = caught / invalid_claimed if invalid_claimed else 1.0
    with capsys.disabled():
        print(f"\npreflight corpus: {len(corpus)} files; {valid} valid for veraPDF, {len(false_alarms)} false alarms; "
              f"{invalid_claimed} invalid in a claimed clause, {caught} caught ({rate:.0%}); "
              f"{len(other)} invalid only in clauses not claimed or unreadable")
        for line in missed:
            print(f"  missed: {line}")
    assert not false_alarms, "\n".join(false_alarms)
    assert valid >= 15 and invalid_claimed >= 50  # the corpus is not trivially small
    assert rate >= 0.95, "\n".join(missed)


def test_info_date_without_zone_agrees_by_wall_clock(pdfa: Callable[[str], Path], tmp_path: Path) -> None:
    """ISO 19005-1 6.7.3: an Info date without a time zone is the XMP date's wall-clock time; nothing to report."""
    def drop_zone(pdf: pikepdf.Pdf) -> None:
        pdf.trailer.Info.CreationDate = String(str(pdf.trailer.Info.CreationDate)[:16])

    dst = tmp_path / "no-zone.pdf"
    _with_pikepdf(drop_zone)(pdfa("1b"), dst)
    assert preflight(dst).findings == []
    _with_pikepdf(lambda pdf: setattr(pdf.trailer.Info, "CreationDate", String("D:20240101000000")))(pdfa("1b"), dst)
    assert [f.clause for f in preflight(dst).findings] == ["6.7.3"]  # another day is still another date
