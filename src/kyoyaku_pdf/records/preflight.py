"""An ISO 19005-2 (PDF/A-2) preflight for files like ours, each check named by its clause.

Apache PDFBox Preflight validates PDF/A-1b only; part 2 has no validator we can install here. This
module checks the part-2 rules that apply to text documents such as the 連携協約書 (file structure,
output intent, device colour, fonts, actions, metadata), reading the file with pikepdf and the
embedded font programs with fontTools — nothing of the code that wrote the file. It runs on any
PDF, so a records officer can check an archive file of any origin (``kyoyaku-pdf preflight``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Name

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Finding:
    """One violated rule: the clause of ISO 19005-2, what is wrong, and where."""

    clause: str
    message: str

    def __str__(self) -> str:
        return f"ISO 19005-2 {self.clause}: {self.message}"


@dataclass
class Report:
    """The outcome for one file: the PDF/A identification it claims and what violates part 2."""

    path: str
    claimed: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.findings


@dataclass
class _Context:
    """What the checks share: the open file, its raw bytes, the parsed XMP and the claimed level."""

    pdf: pikepdf.Pdf
    raw: bytes
    xmp: ET.Element | None
    conformance: str
    findings: list[Finding]

    _uses: dict[tuple[int, int], _FontUse] | None = None

    def fail(self, clause: str, message: str) -> None:
        self.findings.append(Finding(clause, message))

    def font_uses(self) -> list[_FontUse]:
        """Every font shown, parsed once per file and shared by the font checks."""
        if self._uses is None:
            self._uses = _font_uses(self.pdf)
        return list(self._uses.values())


Check = Callable[[_Context], None]
CHECKS: list[tuple[str, str, Check]] = []


def check(clause: str, title: str) -> Callable[[Check], Check]:
    """Register a check under its clause (the table is the list of what this preflight covers)."""

    def register(func: Check) -> Check:
        CHECKS.append((clause, title, func))
        return func

    return register


def preflight(path: Path) -> Report:
    """Check one file against the part-2 rules below."""
    raw = path.read_bytes()
    report = Report(str(path), "none")
    try:
        pdf = pikepdf.open(io.BytesIO(raw))
    except pikepdf.PdfError as exc:
        report.findings.append(Finding("6.1", f"the file cannot be parsed as PDF: {exc}"))
        return report
    with pdf:
        xmp = _xmp(pdf)
        part, conformance = _identification(xmp)
        report.claimed = f"PDF/A-{part}{conformance.lower()}" if part else "none"
        context = _Context(pdf, raw, xmp, conformance, report.findings)
        for clause, title, func in CHECKS:
            report.checked.append(f"{clause} {title}")
            try:
                func(context)
            except (pikepdf.PdfError, KeyError, ValueError, TypeError, AttributeError) as exc:
                context.fail(clause, f"could not be checked, the structure is damaged: {type(exc).__name__}: {exc}")
    return report


# ---- 6.1 file structure ------------------------------------------------------------------------

@check("6.1.2", "file header")
def _header(ctx: _Context) -> None:
    lines = re.split(rb"\r\n|\r|\n", ctx.raw[:64], maxsplit=2)  # CR, LF and CRLF are all end-of-line
    if not re.fullmatch(rb"%PDF-1\.[0-7]", lines[0]):
        ctx.fail("6.1.2", f"the header is {lines[0][:12]!r}, not %PDF-1.n")
    if len(lines) < 2 or not lines[1].startswith(b"%") or sum(b > 127 for b in lines[1][1:5]) < 4:
        ctx.fail("6.1.2", "the header is not followed by a comment line of at least 4 bytes above 127")


@check("6.1.3", "file trailer")
def _trailer(ctx: _Context) -> None:
    ident = ctx.pdf.trailer.get("/ID")
    if not isinstance(ident, pikepdf.Array) or len(ident) != 2:
        ctx.fail("6.1.3", "the trailer has no /ID array of two strings")
    if "/Encrypt" in ctx.pdf.trailer:
        ctx.fail("6.1.3", "the file is encrypted (/Encrypt in the trailer)")


@check("6.1.7", "streams")
def _streams(ctx: _Context) -> None:
    for obj in ctx.pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in obj.stream_dict:
                ctx.fail("6.1.7.1", f"stream object {obj.objgen} refers to an external file ({key})")
        filters = obj.stream_dict.get("/Filter")
        names = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters] if filters else [])]
        if "/LZWDecode" in names or "/Crypt" in names:
            ctx.fail("6.1.7.2", f"stream object {obj.objgen} uses a forbidden filter {names}")


# ---- 6.2 graphics -----------------------------------------------------------------------------

@check("6.2.3", "output intent")
def _output_intent(ctx: _Context) -> None:
    intents = ctx.pdf.Root.get("/OutputIntents") or []
    pdfa = [i for i in intents if i.get("/S") == Name.GTS_PDFA1]
    if not pdfa:
        ctx.fail("6.2.3", "no /OutputIntents entry with /S /GTS_PDFA1")
        return
    profiles = {i.DestOutputProfile.objgen for i in pdfa if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        ctx.fail("6.2.3", "the output intents name different destination profiles")
    for intent in pdfa:
        if "/DestOutputProfile" not in intent:
            ctx.fail("6.2.3", "the PDF/A output intent has no /DestOutputProfile")
            continue
        header = intent.DestOutputProfile.read_bytes()[:128]
        if len(header) < 128 or header[36:40] != b"acsp":
            ctx.fail("6.2.3", "the destination profile is not an ICC profile (no 'acsp' signature)")
        elif header[12:16] not in (b"mntr", b"prtr"):
            ctx.fail("6.2.3", f"the destination profile's class is {header[12:16]!r}, not a monitor or printer profile")
        elif header[8] > 4:
            ctx.fail("6.2.3", f"the destination profile is ICC version {header[8]}, newer than PDF/A-2 allows")


def _profile_space(ctx: _Context) -> bytes | None:
    for intent in ctx.pdf.Root.get("/OutputIntents") or []:
        if intent.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in intent:
            return bytes(intent.DestOutputProfile.read_bytes()[16:20])
    return None


@check("6.2.4.3", "device colour spaces")
def _device_colour(ctx: _Context) -> None:
    """DeviceRGB needs an RGB output intent, DeviceCMYK a CMYK one, DeviceGray any output intent."""
    space = _profile_space(ctx)
    for page_number, page in enumerate(ctx.pdf.pages, start=1):
        for operands, operator in pikepdf.parse_content_stream(page):
            device = _device_of(str(operator), operands)
            if device and not _intent_allows(device, space):
                ctx.fail("6.2.4.3", f"page {page_number} paints in {device} ({operator}) without a matching output intent")
                break


#: Operators that paint in a device colour space, and which one.
DEVICE_OPERATORS = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK",
                    "g": "DeviceGray", "G": "DeviceGray"}


def _device_of(operator: str, operands: list[pikepdf.Object]) -> str | None:
    if operator in ("cs", "CS") and operands and str(operands[0]) in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray"):
        return str(operands[0])[1:]
    return DEVICE_OPERATORS.get(operator)


def _intent_allows(device: str, space: bytes | None) -> bool:
    if device == "DeviceGray":
        return space is not None
    return space == (b"RGB " if device == "DeviceRGB" else b"CMYK")


# ---- 6.2.11 fonts -----------------------------------------------------------------------------

@dataclass
class _FontUse:
    font: pikepdf.Dictionary
    name: str
    codes: set[int] = field(default_factory=set)
    program: TTFont | None = None
    parsed: bool = False


def _font_uses(pdf: pikepdf.Pdf) -> dict[tuple[int, int], _FontUse]:
    """Every font shown on any page (forms included), with the character codes shown with it."""
    uses: dict[tuple[int, int], _FontUse] = {}

    def walk(content: pikepdf.Object, resources: pikepdf.Dictionary, seen: set[tuple[int, int]]) -> None:
        fonts = resources.get("/Font") or {}
        current: _FontUse | None = None
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op == "Tf" and str(operands[0]) in fonts:
                font = fonts[str(operands[0])]
                key = font.objgen if font.is_indirect else (id(font), 0)
                current = uses.setdefault(key, _FontUse(font, str(font.get("/BaseFont", operands[0]))))
            elif op in TEXT_SHOWING and current is not None:
                current.codes |= _codes(current.font, operands)
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == Name.Form and xobject.objgen not in seen:
                    walk(xobject, xobject.get("/Resources") or resources, seen | {xobject.objgen})

    for page in pdf.pages:
        walk(page, page.obj.get("/Resources") or pikepdf.Dictionary(), set())
    return uses


def _codes(font: pikepdf.Dictionary, operands: list[pikepdf.Object]) -> set[int]:
    strings = [o for o in operands if isinstance(o, pikepdf.String)]
    for o in operands:
        if isinstance(o, pikepdf.Array):
            strings += [s for s in o if isinstance(s, pikepdf.String)]
    data = b"".join(bytes(s) for s in strings)
    if font.get("/Subtype") == Name.Type0:
        return {int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)}
    return set(data)


def _program(font: pikepdf.Dictionary) -> tuple[pikepdf.Dictionary | None, pikepdf.Stream | None]:
    """The font's descriptor and embedded program (of the descendant for a Type0 font)."""
    target = font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 else font
    descriptor = target.get("/FontDescriptor")
    if descriptor is None:
        return None, None
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor, descriptor[key]
    return descriptor, None


@check("6.2.11.4.1", "font programs embedded")
def _embedded(ctx: _Context) -> None:
    for use in ctx.font_uses():
        if use.font.get("/Subtype") == Name.Type3:
            continue
        _, program = _program(use.font)
        if program is None:
            ctx.fail("6.2.11.4.1", f"font {use.name} is not embedded")


def _truetype(use: _FontUse) -> TTFont | None:
    """The embedded TrueType program (parsed once per font), or None for other kinds."""
    if not use.parsed:
        descriptor, program = _program(use.font)
        if program is not None and descriptor is not None and "/FontFile2" in descriptor:
            use.program = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        use.parsed = True
    return use.program


def _glyph_ids(use: _FontUse, font: TTFont) -> dict[int, int]:
    """Code → glyph id as a conforming reader finds it (ISO 32000-1 9.6.6.4, CIDToGIDMap). A code the
    embedded cmap does not map shows glyph 0, .notdef (fontTools also drops entries mapped to 0)."""
    order = font.getGlyphOrder()
    if use.font.get("/Subtype") == Name.Type0:
        cid_map = use.font.DescendantFonts[0].get("/CIDToGIDMap", Name.Identity)
        if cid_map == Name.Identity:
            return {c: c for c in use.codes}
        table = cid_map.read_bytes()
        return {c: int.from_bytes(table[2 * c:2 * c + 2], "big") for c in use.codes}
    subtables = {(t.platformID, t.platEncID): t.cmap for t in font["cmap"].tables}
    cmap = subtables.get((3, 0)) or subtables.get((1, 0)) or next(iter(subtables.values()), {})
    glyph_index = {name: gid for gid, name in enumerate(order)}
    out: dict[int, int] = {}
    for code in use.codes:
        name = cmap.get(code) or cmap.get(0xF000 + code)
        out[code] = glyph_index.get(name, 0) if name else 0
    return out


def _shown_glyphs(ctx: _Context) -> Iterator[tuple[_FontUse, TTFont, dict[int, int]]]:
    """Each TrueType font shown, its embedded program, and the glyph each shown code selects."""
    for use in ctx.font_uses():
        font = _truetype(use)
        if font is not None:
            yield use, font, _glyph_ids(use, font)


@check("6.2.11.4.1", "every glyph used is in the font program")
def _glyphs_present(ctx: _Context) -> None:
    for use, font, glyphs in _shown_glyphs(ctx):
        missing = sorted(c for c, gid in glyphs.items() if gid >= font["maxp"].numGlyphs)
        if missing:
            ctx.fail("6.2.11.4.1", f"font {use.name}: codes {missing[:8]} have no glyph in the embedded program")


@check("6.2.11.8", ".notdef glyph not used")
def _notdef(ctx: _Context) -> None:
    for use, _, glyphs in _shown_glyphs(ctx):
        bad = sorted(c for c, gid in glyphs.items() if gid == 0)
        if bad:
            ctx.fail("6.2.11.8", f"font {use.name}: codes {bad[:8]} show the .notdef glyph")


@check("6.2.11.5", "widths agree with the font program")
def _widths(ctx: _Context) -> None:
    for use, font, glyphs in _shown_glyphs(ctx):
        scale = 1000 / font["head"].unitsPerEm
        order, hmtx = font.getGlyphOrder(), font["hmtx"]
        declared, default = _declared_widths(use.font)
        for code, gid in sorted(glyphs.items()):
            width = declared.get(code, default)
            if gid >= len(order) or width is None:
                continue
            actual = hmtx[order[gid]][0] * scale
            if abs(width - actual) > 1:
                ctx.fail("6.2.11.5", f"font {use.name}: width of code {code} is {width:g} in the PDF, {actual:g} in the font")
                break


def _declared_widths(font: pikepdf.Dictionary) -> tuple[dict[int, float], float | None]:
    """The widths the PDF declares per code, and the default for codes it does not list."""
    if font.get("/Subtype") == Name.Type0:
        cid_font = font.DescendantFonts[0]
        widths: dict[int, float] = {}
        w = list(cid_font.get("/W", []))
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], pikepdf.Array):
                widths.update({first + k: float(v) for k, v in enumerate(w[i + 1])})
                i += 2
            else:
                widths.update({c: float(w[i + 2]) for c in range(first, int(w[i + 1]) + 1)})
                i += 3
        return widths, float(cid_font.get("/DW", 1000))
    first = int(font.get("/FirstChar", 0))
    return {first + i: float(v) for i, v in enumerate(font.get("/Widths", []))}, None


@check("6.2.11.6", "TrueType encodings and cmaps")
def _truetype_encoding(ctx: _Context) -> None:
    for use in ctx.font_uses():
        if use.font.get("/Subtype") != Name.TrueType:
            continue
        descriptor, _ = _program(use.font)
        font = _truetype(use)
        if descriptor is None or font is None:
            continue
        symbolic = int(descriptor.get("/Flags", 0)) & 4
        subtables = {(t.platformID, t.platEncID) for t in font["cmap"].tables}
        if symbolic:
            if "/Encoding" in use.font:
                ctx.fail("6.2.11.6", f"symbolic TrueType font {use.name} has an /Encoding entry")
            if len(subtables) != 1 and (3, 0) not in subtables:
                ctx.fail("6.2.11.6", f"symbolic TrueType font {use.name}: cmap has {sorted(subtables)}, need one subtable or (3,0)")
        else:
            encoding = use.font.get("/Encoding")
            if isinstance(encoding, pikepdf.Dictionary):  # a Differences dictionary names its base
                encoding = encoding.get("/BaseEncoding")
            if encoding not in (Name.MacRomanEncoding, Name.WinAnsiEncoding):
                ctx.fail("6.2.11.6", f"non-symbolic TrueType font {use.name} needs MacRoman or WinAnsi encoding")
            if not subtables & {(3, 1), (1, 0)}:
                ctx.fail("6.2.11.6", f"non-symbolic TrueType font {use.name}: cmap lacks (3,1) and (1,0)")


@check("6.2.11.7", "Unicode mapping (level U)")
def _to_unicode(ctx: _Context) -> None:
    if ctx.conformance not in ("U", "A"):
        return
    for use in ctx.font_uses():
        if "/ToUnicode" not in use.font:
            ctx.fail("6.2.11.7", f"font {use.name} has no /ToUnicode map")
            continue
        mapping = parse_to_unicode(use.font.ToUnicode.read_bytes())
        bad = sorted(c for c in use.codes if mapping.get(c, "") in ("", "\x00", "\ufeff", "\ufffe"))
        if bad:
            ctx.fail("6.2.11.7", f"font {use.name}: codes {bad[:8]} have no usable Unicode value")


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """The code → text map of a ToUnicode CMap (bfchar and bfrange sections)."""
    text = data.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for offset, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    mapping[lo_i + offset] = _utf16(dst)
            else:  # the destination's last byte increments; its width (and leading zeros) stay
                digits = rest[1:-1] or "0000"
                start = int(digits, 16)
                for offset in range(hi_i - lo_i + 1):
                    mapping[lo_i + offset] = _utf16(f"{start + offset:0{len(digits)}X}")
    return mapping


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace") if hex_text else ""


# ---- 6.5 actions ------------------------------------------------------------------------------

@check("6.5.1", "no forbidden actions or JavaScript")
def _actions(ctx: _Context) -> None:
    names = ctx.pdf.Root.get("/Names") or {}
    if "/JavaScript" in names:
        ctx.fail("6.5.1", "the document has a JavaScript name tree")
    for obj in _dictionaries(ctx.pdf.trailer):
        if str(obj.get("/S")) in FORBIDDEN_ACTIONS and obj.get("/Type") in (None, Name.Action):
            where = f"object {obj.objgen}" if obj.is_indirect else "a direct dictionary"
            ctx.fail("6.5.1", f"{where} is a forbidden {obj.get('/S')} action")


def _dictionaries(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary reachable from ``root``, direct ones included (each indirect object once)."""
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            continue  # names, numbers and strings hold no actions
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            yield obj
            stack.extend(value for key, value in obj.items() if key != "/Parent")
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)


@check("6.5.2", "no additional actions")
def _additional_actions(ctx: _Context) -> None:
    if "/AA" in ctx.pdf.Root:
        ctx.fail("6.5.2", "the document catalog has an /AA (additional actions) entry")
    for number, page in enumerate(ctx.pdf.pages, start=1):
        if "/AA" in page.obj:
            ctx.fail("6.5.2", f"page {number} has an /AA (additional actions) entry")


# ---- 6.6 metadata -----------------------------------------------------------------------------

def _xmp(pdf: pikepdf.Pdf) -> ET.Element | None:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        return ET.fromstring(stream.read_bytes())
    except ET.ParseError:
        return None


def _xmp_value(xmp: ET.Element | None, prefix: str, name: str) -> str | None:
    """A simple or first-item XMP property, written as an element or as an attribute."""
    if xmp is None:
        return None
    tag = f"{{{NS[prefix]}}}{name}"
    for description in xmp.iter(f"{{{NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            item = element.find(".//rdf:li", NS)
            return (item.text if item is not None else element.text) or ""
    return None


def _identification(xmp: ET.Element | None) -> tuple[int, str]:
    part = _xmp_value(xmp, "pdfaid", "part")
    conformance = _xmp_value(xmp, "pdfaid", "conformance") or ""
    return (int(part) if part and part.isdigit() else 0), conformance


@check("6.6.2.1", "metadata stream")
def _metadata_stream(ctx: _Context) -> None:
    stream = ctx.pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        ctx.fail("6.6.2.1", "the document catalog has no /Metadata stream")
        return
    if stream.get("/Type") != Name.Metadata or stream.get("/Subtype") != Name.XML:
        ctx.fail("6.6.2.1", "the metadata stream is not /Type /Metadata /Subtype /XML")
    if "/Filter" in stream.stream_dict and _identification(ctx.xmp)[0] == 1:
        ctx.fail("6.6.2.1", "the metadata stream of a PDF/A-1 file is compressed (/Filter; ISO 19005-1 6.7.2)")
    if ctx.xmp is None:
        ctx.fail("6.6.2.1", "the metadata stream is not well-formed XMP (RDF/XML)")
    elif re.search(rb"<\?xpacket[^>]*\b(bytes|encoding)=", stream.read_bytes()):
        ctx.fail("6.6.2.1", "the XMP packet header uses the bytes or encoding attribute")


#: The newest PDF version each part of ISO 19005 is built on.
MAX_HEADER = {1: b"%PDF-1.4", 2: b"%PDF-1.7"}


@check("6.6.4", "PDF/A identification")
def _version(ctx: _Context) -> None:
    """A part-2 file says so; a part-1 file is accepted here (its own rules are PDFBox Preflight's)."""
    part, conformance = _identification(ctx.xmp)
    if part not in MAX_HEADER:
        ctx.fail("6.6.4", f"pdfaid:part is {part or 'missing'}; this preflight checks PDF/A-2 (and the shared rules of PDF/A-1)")
        return
    allowed = ("A", "B", "U") if part == 2 else ("A", "B")
    if conformance not in allowed:
        ctx.fail("6.6.4", f"pdfaid:conformance is {conformance or 'missing'}, not one of {', '.join(allowed)}")
    if ctx.raw[:8] > MAX_HEADER[part]:
        ctx.fail("6.6.4", f"the file claims PDF/A-{part} but its header is {ctx.raw[:8]!r}")


#: Info entries and the XMP properties that must say the same (ISO 32000-1 14.3.3; ISO 19005-1 6.7.3).
INFO_XMP = {
    "/Title": ("dc", "title"), "/Author": ("dc", "creator"), "/Subject": ("dc", "description"),
    "/Keywords": ("pdf", "Keywords"), "/Creator": ("xmp", "CreatorTool"), "/Producer": ("pdf", "Producer"),
    "/CreationDate": ("xmp", "CreateDate"), "/ModDate": ("xmp", "ModifyDate"),
}


@check("6.6.2.2", "Info dictionary agrees with XMP")
def _info_agrees(ctx: _Context) -> None:
    info = ctx.pdf.trailer.get("/Info") or {}
    for key, (prefix, prop) in INFO_XMP.items():
        if key not in info:
            continue
        value, xmp = str(info[key]), _xmp_value(ctx.xmp, prefix, prop)
        same = _same_instant(value, xmp) if key.endswith("Date") else value == xmp
        if not same:
            ctx.fail("6.6.2.2", f"Info {key} is {value!r} but XMP {prefix}:{prop} is {xmp!r}")


def _same_instant(pdf_date: str, xmp_date: str | None) -> bool:
    try:
        return xmp_date is not None and parse_pdf_date(pdf_date) == dt.datetime.fromisoformat(xmp_date)
    except ValueError:
        return False


def parse_pdf_date(text: str) -> dt.datetime:
    """D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1 7.9.4) as an aware datetime."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([-+Z])(\d\d)?'?(\d\d)?'?)?", text)
    if not m:
        raise ValueError(f"not a PDF date: {text!r}")
    y, mo, d, h, mi, s = (int(g) if g else default for g, default in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    sign, oh, om = m.group(7), int(m.group(8) or 0), int(m.group(9) or 0)
    offset = dt.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone(offset))


def iter_checks() -> Iterator[tuple[str, str]]:
    """The clauses this preflight covers, for the README and --list."""
    for clause, title, _ in CHECKS:
        yield clause, title


# ---- Apache PDFBox Preflight (PDF/A-1b), an independent validator from Debian -------------------

#: Debian's jars (libpdfbox2-java, libactivation-java, libjaxb-api-java, libcommons-logging-java).
PDFBOX_JARS = ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api")
JAVA_DIR = Path("/usr/share/java")


def pdfbox_available() -> bool:
    return shutil.which("java") is not None and all((JAVA_DIR / f"{jar}.jar").is_file() for jar in PDFBOX_JARS)


def pdfbox_preflight(path: Path) -> tuple[bool, str]:
    """Run PDFBox's Validator_A1b on ``path``; (valid, its verbatim output)."""
    classpath = ":".join(str(JAVA_DIR / f"{jar}.jar") for jar in PDFBOX_JARS)
    result = subprocess.run(
        ["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
        capture_output=True, text=True, timeout=300,
    )
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0 and "is a valid PDF/A-1b file" in output, output
