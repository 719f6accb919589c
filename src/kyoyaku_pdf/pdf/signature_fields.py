"""The electronic copy's signature fields: one empty field per party, exactly on its seal square.

Why both fields are declared here, before anyone signs: 甲 signs first with a certification
signature (DocMDP P=2), after which no field may be added; 乙's field must already exist. Each
field is a merged field/widget dictionary (ISO 32000-1 12.7.4.5) printed (/F 4), with a blank
appearance (PDF/A-2 6.3.3 wants one for every widget), a /TU description (PDF/UA 7.18.1), and the
party's role, office and name under a private key so that ``sign`` can check a certificate
against the party without re-reading the YAML. The geometry comes from the layout's record of
where it drew each seal space; nothing here re-derives it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from reportlab.pdfgen.canvas import Canvas

from ..input.model import ROLE_FIELDS, Party
from ..layout.signature import SealSpace
from ..layout.text import FontSet
from .fonts import IPAMJ, MINCHO, codepoints, register

#: The private key (second-class name) in each field holding the party it belongs to.
PARTY_KEY = "/KyoyakuPDF_Party"
#: AcroForm SigFlags: SignaturesExist (1) | AppendOnly (2) — save incrementally, always.
SIG_FLAGS = 3
#: Annotation flag Print (bit 3): the signature appearance prints with the page.
PRINT_FLAG = 4


def field_name(role: str) -> str:
    """The field's /T: ASCII, so every tool shows and finds it (signature-hub, signature-partner)."""
    return f"signature-{ROLE_FIELDS[role]}"


def field_description(role: str, party: Party) -> str:
    """The /TU text a screen reader announces for the field."""
    return f"{role}（{party.office} {party.name}）の電子署名欄"


@dataclass(frozen=True)
class FieldSpec:
    """One field to add: the party and where its seal space was drawn."""

    role: str
    party: Party
    space: SealSpace


def field_specs(parties: tuple[tuple[str, Party], ...], spaces: list[SealSpace]) -> list[FieldSpec]:
    """Pair each party with the one seal space the layout drew for it (a copy has exactly one each)."""
    by_role = {space.role: space for space in spaces}
    if len(spaces) != len(parties) or set(by_role) != {role for role, _ in parties}:
        raise ValueError(f"expected one seal space per party, the layout drew {spaces}")
    return [FieldSpec(role, party, by_role[role]) for role, party in parties]


def add_signature_fields(pdf: pikepdf.Pdf, specs: list[FieldSpec]) -> None:
    """Declare every party's empty signature field in the AcroForm, on its page, in reading order."""
    fields = Array()
    for spec in specs:
        page = pdf.pages[spec.space.page - 1]
        widget = pdf.make_indirect(_widget(pdf, spec, page.obj))
        page.obj.Annots = page.obj.get(Name.Annots, Array())
        page.obj.Annots.append(widget)
        page.obj.Tabs = Name.S  # PDF/UA 7.18.3: annotations visited in structure order
        tag_widget(pdf, page.obj, widget, field_description(spec.role, spec.party))
        fields.append(widget)
    pdf.Root.AcroForm = Dictionary(Fields=fields, SigFlags=SIG_FLAGS)


def _widget(pdf: pikepdf.Pdf, spec: FieldSpec, page: pikepdf.Object) -> Dictionary:
    space = spec.space
    blank = pdf.make_stream(b"")
    blank.Type, blank.Subtype = Name.XObject, Name.Form
    blank.BBox = Array([0, 0, space.size, space.size])
    blank.Resources = Dictionary()
    party = Dictionary(
        Role=String(spec.role), Office=String(spec.party.office), Name=String(spec.party.name),
        Municipality=String(spec.party.municipality),
    )
    widget = Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig,
        T=String(field_name(spec.role)), TU=String(field_description(spec.role, spec.party)),
        Rect=Array([space.x, space.y, space.x + space.size, space.y + space.size]),
        F=PRINT_FLAG, P=page, AP=Dictionary(N=blank),
    )
    widget[PARTY_KEY] = party
    return widget


def tag_widget(pdf: pikepdf.Pdf, page: pikepdf.Object, widget: pikepdf.Object, description: str) -> None:
    """PDF/UA 7.18.1/7.18.4: a widget belongs to a /Form structure element holding an OBJR to it,
    and the widget points back through /StructParent and the ParentTree.

    Hook for the structure tree (pdf/structure.py, being added by the tagging work): when the
    document has no /StructTreeRoot yet (PDF/A-2b without tags), there is nothing to attach to
    and the field stays untagged; once the tree exists, the /Form element is appended to the
    tree's top-level element."""
    root = pdf.Root.get(Name.StructTreeRoot)
    if root is None:
        return
    parent = _top_element(root)
    key = int(root.get(Name.ParentTreeNextKey, _next_key(root)))
    element = pdf.make_indirect(Dictionary(
        Type=Name.StructElem, S=Name.Form, P=parent, Alt=String(description), Pg=page,
        K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page),
    ))
    kids = parent.get(Name.K)
    if kids is None:
        parent.K = Array([element])
    elif isinstance(kids, Array):
        kids.append(element)
    else:
        parent.K = Array([kids, element])
    widget.StructParent = key
    tree = root.get(Name.ParentTree)
    if tree is None:
        root.ParentTree = tree = pdf.make_indirect(Dictionary(Nums=Array()))
    if Name.Nums not in tree:
        raise ValueError("a ParentTree with /Kids is not supported for signature fields")
    tree.Nums.extend([key, element])
    root.ParentTreeNextKey = key + 1


def _top_element(root: pikepdf.Object) -> pikepdf.Object:
    """The tree's top-level element (the /Document element), or the root itself if it has none."""
    kids = root.get(Name.K)
    if isinstance(kids, Array):
        kids = kids[0] if len(kids) else None
    return kids if isinstance(kids, Dictionary) else root


def _next_key(root: pikepdf.Object) -> int:
    """The first free ParentTree key when the tree does not say (ParentTreeNextKey is optional)."""
    tree = root.get(Name.ParentTree)
    nums = tree.get(Name.Nums, Array()) if tree is not None else Array()
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


#: The stamp's frame: a thin dark red square, as a 公印's impression reads on screen.
STAMP_RED = (0.75, 0.1, 0.1)


def stamp_pdf(size: float, lines: tuple[str, ...]) -> bytes:
    """A one-page PDF, ``size`` points square, with ``lines`` centred in a thin frame, in BIZ UD
    Mincho (IPAmj Mincho for characters it lacks) embedded as subsets. pyHanko imports this page as
    the signature's appearance: its own stamp text would use an unembedded Courier (PDF/A 6.2.11.4.1)
    and its font embedding misstates widths of 2048-unit fonts (6.2.11.5)."""
    fonts = _stamp_fonts("".join(lines))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(size, size), invariant=1, initialFontName=fonts.main)
    margin = size * 0.08
    font_size = min(size / 7, (size - 2 * margin) / max(fonts.width(line, 1) for line in lines))
    leading = font_size * 1.35
    canvas.setStrokeColorRGB(*STAMP_RED)
    canvas.setFillColorRGB(*STAMP_RED)
    canvas.setLineWidth(max(size / 85, 0.6))
    canvas.rect(margin / 2, margin / 2, size - margin, size - margin, stroke=1, fill=0)
    first = size / 2 + leading * (len(lines) - 1) / 2 - font_size * 0.35
    for index, line in enumerate(lines):
        fonts.draw_centred(canvas, size / 2, first - index * leading, line, font_size)
    canvas.showPage()
    canvas.save()
    return _retag_subsets(buffer.getvalue())


def _retag_subsets(pdf_bytes: bytes) -> bytes:
    """Give the stamp's font subsets tags of their own: ReportLab starts every file at AAAAAA+, so
    the stamp's subset would share its tag with a different subset of the agreement, which ISO
    32000-1 9.6.4 forbids. The new tag is six letters from a hash of the subset's font program."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descriptor = font.FontDescriptor
            digest = hashlib.sha256(descriptor.FontFile2.read_raw_bytes()).digest()
            tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
            name = Name("/" + tag + str(font.BaseFont)[7:])
            font.BaseFont = descriptor.FontName = name
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _stamp_fonts(text: str) -> FontSet:
    covered = codepoints(MINCHO)
    needs_fallback = any(ord(char) not in covered for char in text)
    return FontSet(register(MINCHO), covered, register(IPAMJ) if needs_fallback else None)
