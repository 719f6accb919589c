"""pdfa + metadata: the archive files, read back with pikepdf, pdfminer and PDFBox — not with ReportLab."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from datafiles import AGREEMENT, DATA
from pdfminer.high_level import extract_text

from kyoyaku_pdf.cli.build import archive_pdf, check_agreement
from kyoyaku_pdf.pdf.metadata import agreement_metadata
from kyoyaku_pdf.pdf.render import render_signing_pdf
from kyoyaku_pdf.pdf.pdfa import LEVELS, srgb_profile

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


@pytest.fixture(scope="module")
def agreement():  # type: ignore[no-untyped-def]
    return check_agreement(DATA / AGREEMENT).agreement


@pytest.fixture(scope="module")
def files(agreement) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {level: archive_pdf(agreement, level) for level in LEVELS}


def xmp_properties(pdf: pikepdf.Pdf) -> dict[str, str]:
    root = ET.fromstring(pdf.Root.Metadata.read_bytes())
    values = {}
    for description in root.iter(f"{RDF}Description"):
        for element in description:
            item = element.find(f".//{RDF}li")
            # pdfuaid:part would shadow pdfaid:part: keep it apart
            key = element.tag.replace(PDFUAID, "pdfuaid:") if element.tag.startswith(PDFUAID) else element.tag.split("}")[1]
            values[key] = (item.text if item is not None else element.text) or ""
    return values


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_identification_version_and_object_streams(files: dict[str, bytes], level: str) -> None:
    data = files[level]
    spec = LEVELS[level]
    assert data.startswith(f"%PDF-{spec.pdf_version}\n%".encode())
    assert b"/ObjStm" not in data and b"/XRefStm" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        props = xmp_properties(pdf)
        assert (props["part"], props["conformance"]) == (str(spec.part), spec.conformance)
        assert props["pdfuaid:part"] == "1", "every archive file also claims PDF/UA-1"
        assert "/Filter" not in pdf.Root.Metadata.stream_dict, "the XMP must stay plain text"
        assert len(pdf.trailer.ID) == 2 and "/Encrypt" not in pdf.trailer


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_info_and_xmp_agree(files: dict[str, bytes], agreement, level: str) -> None:  # type: ignore[no-untyped-def]
    with pikepdf.open(io.BytesIO(files[level])) as pdf:
        info, props = pdf.docinfo, xmp_properties(pdf)
        assert str(info.Title) == props["title"] == agreement.heading
        assert str(info.Author) == props["creator"] == "熊本市、御船町"
        assert str(info.Subject) == props["description"]
        assert str(info.Keywords) == props["Keywords"]
        assert str(info.Creator) == props["CreatorTool"] and str(info.Producer) == props["Producer"]
        jst = dt.datetime(2025, 3, 24, tzinfo=dt.timezone(dt.timedelta(hours=9)))
        assert str(info.CreationDate) == str(info.ModDate) == "D:20250324000000+09'00'"
        assert dt.datetime.fromisoformat(props["CreateDate"]) == dt.datetime.fromisoformat(props["ModifyDate"]) == jst


def test_output_intent_has_the_bundled_v2_srgb_profile(files: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(files["1b"])) as pdf:
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile.read_bytes()
    assert profile == srgb_profile()
    assert profile[8] == 2 and profile[12:16] == b"mntr" and profile[16:20] == b"RGB " and profile[36:40] == b"acsp"


def test_archive_file_is_one_copy_of_the_signing_pages(files: dict[str, bytes], agreement) -> None:  # type: ignore[no-untyped-def]
    signing = render_signing_pdf(agreement).data
    with pikepdf.open(io.BytesIO(signing)) as both, pikepdf.open(io.BytesIO(files["2u"])) as one:
        per_copy = len(one.pages)
        assert len(both.pages) in (2 * per_copy, 2 * per_copy + 1)
        for archived, signed in zip(one.pages, both.pages):
            assert archived.Contents.read_bytes() == signed.Contents.read_bytes()


def test_text_of_the_2u_file_is_the_source_text(files: dict[str, bytes], agreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every unit comes back whole: poppler in content order, and pdfminer's layout text char for char."""
    path = tmp_path / "a.pdf"
    path.write_bytes(files["2u"])
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    text = re.sub(r"\s+", "", raw.stdout)
    laid_out = re.sub(r"\s+", "", extract_text(io.BytesIO(files["2u"])))
    assert sorted(laid_out) == sorted(text), "pdfminer and poppler must find the same characters"
    assert "(cid:" not in text and "\ufffd" not in text
    for unit in (agreement.heading, *agreement.recital, agreement.closing, "令和7年3月24日", agreement.partner.name):
        assert unit in text
    for schedule in agreement.schedules:
        for area in schedule.all_areas():
            for unit in (area.name, area.content, area.hub_role, area.partner_role):
                assert unit in text, unit


def test_every_font_embedded_with_tounicode(files: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(files["2u"])) as pdf:
        fonts = {f.objgen: f for page in pdf.pages for f in page.Resources.Font.values()}
        assert fonts
        for font in fonts.values():
            assert "/FontFile2" in font.FontDescriptor and "/ToUnicode" in font
            assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font.BaseFont))


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_rebuild_is_byte_identical(files: dict[str, bytes], level: str) -> None:
    again = archive_pdf(check_agreement(DATA / AGREEMENT).agreement, level)
    assert again == files[level]


def test_metadata_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch, agreement) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    meta = agreement_metadata(agreement)
    assert meta.pdf_date() == "D:20231114221320+00'00'" and meta.xmp_date() == "2023-11-14T22:13:20+00:00"
