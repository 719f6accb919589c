"""The signature fields' plumbing on its own: pairing parties with the seal spaces the layout drew,
and the PDF/UA tagging hook (a /Form element with an OBJR, /StructParent and the ParentTree) on a
document that already has a structure tree."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from kyoyaku_pdf.input.model import Party
from kyoyaku_pdf.layout.signature import SealSpace
from kyoyaku_pdf.pdf.signature_fields import PARTY_KEY, add_signature_fields, field_specs

HUB = Party("熊本市中央区手取本町1番1号", "熊本市", "熊本市長", "大西一史")
PARTNER = Party("御船町大字御船995番地1", "御船町", "御船町長", "藤木正")
PARTIES = (("甲", HUB), ("乙", PARTNER))
SPACES = [SealSpace("甲", 1, 400.0, 500.0, 85.0), SealSpace("乙", 1, 400.0, 380.0, 85.0)]


def _tagged_document() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=document,
                                        ParentTree=pdf.make_indirect(Dictionary(Nums=Array([0, Array()]))),
                                        ParentTreeNextKey=1))
    document.P = root
    pdf.Root.StructTreeRoot = root
    return pdf


def test_each_party_gets_its_own_seal_space() -> None:
    specs = field_specs(PARTIES, list(reversed(SPACES)))
    assert [(s.role, s.space.y) for s in specs] == [("甲", 500.0), ("乙", 380.0)]
    with pytest.raises(ValueError):
        field_specs(PARTIES, SPACES[:1])
    with pytest.raises(ValueError):
        field_specs(PARTIES, SPACES + SPACES)


def test_widgets_are_tagged_as_form_elements_when_a_structure_tree_exists() -> None:
    pdf = _tagged_document()
    add_signature_fields(pdf, field_specs(PARTIES, SPACES))
    root = pdf.Root.StructTreeRoot
    forms = list(root.K.K)
    assert [str(f.S) for f in forms] == ["/Form", "/Form"]
    nums = root.ParentTree.Nums
    for form, widget in zip(forms, pdf.Root.AcroForm.Fields):
        assert form.K.Type == Name.OBJR and form.K.Obj.objgen == widget.objgen
        assert form.P.objgen == root.K.objgen and "の電子署名欄" in str(form.Alt)
        key = int(widget.StructParent)
        assert key >= 1, "key 0 is the page's own entry"
        index = [int(nums[i]) for i in range(0, len(nums), 2)].index(key)
        assert nums[2 * index + 1].objgen == form.objgen
        assert str(widget[PARTY_KEY].Office) in ("熊本市長", "御船町長")
    assert int(root.ParentTreeNextKey) == 3
    assert pdf.pages[0].obj.Tabs == Name.S


def test_untagged_document_gets_fields_without_structure() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    add_signature_fields(pdf, field_specs(PARTIES, SPACES))
    assert Name.StructTreeRoot not in pdf.Root
    assert all(Name.StructParent not in w for w in pdf.Root.AcroForm.Fields)
