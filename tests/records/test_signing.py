"""The electronic path end to end: build --electronic, sign 甲 then 乙 (PKCS#12, TSA on 127.0.0.1),
verify-signatures — checked with pyHanko's validator called directly, pikepdf, poppler and our
PDF/A preflight on every revision, and with faults injected (a tampered byte, wrong certificates,
a wrong order, files that are not electronic originals)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from datafiles import AGREEMENT, COMMON, DATA, data_copy, edit
from pki import PASSPHRASE, Pki, _Handler, pki  # noqa: F401 - pki is a fixture

from kyoyaku_pdf.cli.build import ELECTRONIC_LEVEL, BuildOptions, build_agreement
from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.pdf.signature_fields import field_name
from kyoyaku_pdf.records.preflight import preflight
from kyoyaku_pdf.records.signing import Pkcs12Key, SignRequest, SigningError, sign, verify_signatures

ID = "kumamoto-mifune-henko-r7"
CLOSING = "この連携協約の締結を証するため、本書の電磁的記録を作成し、甲及び乙が電子署名を施し、各自その電磁的記録を保管する。"


@dataclass(frozen=True)
class Signed:
    unsigned: Path
    hub: Path  # 甲's revision
    both: Path  # 甲 and 乙


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def key(identity) -> Pkcs12Key:
    return Pkcs12Key(identity.p12, PASSPHRASE.encode())


def build_electronic(out: Path, source: Path = DATA / AGREEMENT) -> Path:
    built = build_agreement(source, BuildOptions(out_dir=out, electronic=True))
    assert built.written == (out / ID / f"{ID}-denshi.pdf",)
    return built.written[0]


@pytest.fixture(scope="module")
def signed(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Signed:  # noqa: F811
    """The electronic original, signed by 甲 then 乙, each with a timestamp from the test TSA."""
    unsigned = build_electronic(tmp_path_factory.mktemp("electronic"))
    before = sha(unsigned)
    hub = sign(SignRequest(unsigned, "甲", key(pki.hub), timestamp_url=pki.tsa_url)).output
    both = sign(SignRequest(hub, "乙", key(pki.partner), timestamp_url=pki.tsa_url)).output
    assert sha(unsigned) == before, "the input is never modified"
    return Signed(unsigned, hub, both)


# --- build --electronic -----------------------------------------------------------------------

def _seal_rectangles(pdf_path: Path) -> list[tuple[float, float, float, float]]:
    """The dashed seal frames the paper copy draws (`x y w h re` after a dash pattern), read from
    its content stream with pikepdf — independently of the layout's own record."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            dashed, ctm, stack = False, pikepdf.Matrix(), []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append((ctm, dashed))
                elif op == "Q":
                    ctm, dashed = stack.pop()
                elif op == "cm":
                    ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
                elif op == "d":
                    dashed = len(operands[0]) > 0
                elif op == "re" and dashed:
                    x, y, w, h = (float(v) for v in operands)
                    (x1, y1), (x2, y2) = ctm.transform((x, y)), ctm.transform((x + w, y + h))
                    found.append((x1, y1, x2, y2))
    return found


@pytest.mark.parametrize("variant", ["bundled", "small-seal-after-name"])
def test_fields_lie_exactly_on_the_paper_seal_squares(tmp_path: Path, variant: str) -> None:
    source = DATA / AGREEMENT
    if variant != "bundled":  # another seal size and the older position: the fields follow the layout
        data = data_copy(tmp_path)
        source = edit(data, AGREEMENT, "  name: 藤木正\n", "  name: 藤木正\n  seal_mm: 21\nprint:\n  seal_position: after-name\n")
    paper = build_agreement(source, BuildOptions(out_dir=tmp_path / "paper", split_copies=True)).written[0]
    squares = _seal_rectangles(paper)
    assert len(squares) == 2
    sizes = [round((right - left) / 72 * 25.4) for left, _, right, _ in squares]
    assert sizes == ([30, 30] if variant == "bundled" else [30, 21])
    electronic = build_electronic(tmp_path / "e", source)
    with pikepdf.open(electronic) as pdf:
        fields = list(pdf.Root.AcroForm.Fields)
        assert int(pdf.Root.AcroForm.SigFlags) == 3
        assert [str(f.T) for f in fields] == [field_name("甲"), field_name("乙")]
        for field, square in zip(fields, squares):
            assert field.FT == pikepdf.Name.Sig and field.Subtype == pikepdf.Name.Widget
            assert int(field.F) == 4, "printed with the page"
            assert field.P.objgen == pdf.pages[1].obj.objgen, "on the recital page"
            assert field.objgen in {a.objgen for a in pdf.pages[1].obj.Annots}
            assert "/V" not in field, "empty"
            assert [float(v) for v in field.Rect] == pytest.approx(square, abs=1e-3)
        assert "熊本市長" in str(fields[0].TU) and "御船町長" in str(fields[1].TU)


def test_electronic_original_text_and_no_seal_guide(tmp_path: Path) -> None:
    electronic = build_electronic(tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(electronic), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert CLOSING in flat and "記名押印" not in flat and "2通" not in flat
    assert "令和7年3月24日" in flat and "大西一史" in flat and "藤木正" in flat
    assert _seal_rectangles(electronic) == [], "no dashed 印 guide in the seal spaces"
    with pikepdf.open(electronic) as pdf:
        assert len(pdf.pages) < 2 * 4, "one copy only"
    report = preflight(electronic)
    assert report.valid and report.claimed == f"PDF/A-{ELECTRONIC_LEVEL}", report.findings


def test_electronic_build_is_deterministic(tmp_path: Path) -> None:
    assert build_electronic(tmp_path / "a").read_bytes() == build_electronic(tmp_path / "b").read_bytes()


def test_missing_electronic_closing_is_a_located_error(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "electronic_closing: ", "# electronic_closing: ")
    run = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", "--electronic", str(data / AGREEMENT),
                          "-o", str(tmp_path / "out")], capture_output=True, text=True, env=cli_env)
    assert run.returncode == 2, run.stderr
    assert f"{data / COMMON}:1:1: electronic_closing:" in run.stderr and "electronic_closing:" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out" / ID).exists(), "nothing written"


def test_electronic_closing_placeholders_are_filled(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "electronic_closing: この連携協約", 'electronic_closing: "{甲}と{乙}のこの連携協約')
    edit(data, COMMON, "各自その電磁的記録を保管する。", '各自その電磁的記録を保管する。"')
    electronic = build_electronic(tmp_path / "out", data / AGREEMENT)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(electronic), "-"], capture_output=True, text=True).stdout)
    assert "熊本市と御船町のこの連携協約の締結を証するため" in text


def test_electronic_cannot_be_combined_with_paper_options() -> None:
    assert main(["build", "--electronic", "--pdfa", "2u", str(DATA / AGREEMENT)]) == 2
    assert main(["build", "--electronic", "--split-copies", str(DATA / AGREEMENT)]) == 2


# --- signing and what an independent validator says ------------------------------------------

def _independent(path: Path, pki: Pki) -> list:  # noqa: F811
    """pyHanko's validator called directly (not through records/signing.py)."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.root_pem))])
    with path.open("rb") as handle:
        reader = PdfFileReader(handle)
        return [(sig.field_name, validate_pdf_signature(sig, context, ts_validation_context=context), sig)
                for sig in reader.embedded_signatures]


def test_two_signatures_intact_trusted_and_certification_permits_approval(signed: Signed, pki: Pki) -> None:  # noqa: F811
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.fields import MDPPerm

    results = _independent(signed.both, pki)
    assert [name for name, _, _ in results] == [field_name("甲"), field_name("乙")]
    for _, status, sig in results:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.bottom_line
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    (_, hub, hub_sig), (_, partner, _) = results
    assert hub_sig.docmdp_level == MDPPerm.FILL_FORMS, "甲 certifies, permitting form filling and signing"
    assert hub.docmdp_ok and hub.modification_level == ModificationLevel.FORM_FILLING
    assert partner.modification_level == ModificationLevel.NONE
    assert "熊本市長" in hub.signing_cert.subject.human_friendly
    assert "御船町長" in partner.signing_cert.subject.human_friendly


def test_each_signature_is_an_incremental_update(signed: Signed) -> None:
    unsigned, hub, both = (p.read_bytes() for p in (signed.unsigned, signed.hub, signed.both))
    assert hub.startswith(unsigned) and both.startswith(hub)
    assert signed.hub.name == f"{ID}-denshi-signed-甲.pdf" and signed.both.name == f"{ID}-denshi-signed-甲乙.pdf"


@pytest.mark.parametrize("revision", ["unsigned", "hub", "both"])
def test_every_revision_stays_pdfa(signed: Signed, revision: str) -> None:
    report = preflight(getattr(signed, revision))
    assert report.valid and report.claimed == f"PDF/A-{ELECTRONIC_LEVEL}", report.findings


#: What veraPDF checks each revision against: the level the electronic original claims, and PDF/UA-1
#: once the document is tagged (PDF/A-2a).
FLAVOURS = [ELECTRONIC_LEVEL] + (["ua1"] if ELECTRONIC_LEVEL == "2a" else [])


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("revision", ["unsigned", "hub", "both"])
def test_every_revision_passes_verapdf(signed: Signed, revision: str, flavour: str, verapdf) -> None:
    """veraPDF (the preflight work's session fixture), on the file before and after each signature."""
    result = verapdf.validate(getattr(signed, revision), flavour)
    assert result.passed, str(result)


def test_appearance_uses_only_embedded_subset_fonts(signed: Signed) -> None:
    fonts = subprocess.run(["pdffonts", str(signed.both)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), fonts
    assert "Courier" not in fonts
    names = [row.split()[0] for row in rows]
    assert len(set(names)) == len(names), f"each subset its own tag (ISO 32000-1 9.6.4): {names}"
    with pikepdf.open(signed.both) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            appearance = field.AP.N
            assert "/V" in field and [float(v) for v in appearance.BBox][2] > 50


def test_stamp_shows_office_name_and_date(signed: Signed) -> None:
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(signed.both), "-"], capture_output=True, text=True).stdout
    assert page.count("熊本市長") == 2 and page.count("御船町長") == 2, "the block's office and the stamp's"
    assert re.search(r"令和\d+年\d+月\d+日", re.sub(r"\s+", "", page.split("乙")[-1])), "the signing date in the stamp"


def test_verify_signatures_agrees(signed: Signed, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    report = verify_signatures(signed.both, [pki.root_pem])
    assert report.intact and report.trusted and report.good
    assert [(s.role, s.certification, s.modification) for s in report.signatures] == [
        ("甲", True, "FORM_FILLING"), ("乙", False, "NONE")]
    assert all(s.timestamp and s.timestamp_trusted for s in report.signatures)
    assert main(["verify-signatures", str(signed.both), "--trust", str(pki.root_pem), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["command"] == "verify-signatures" and document["status"] == 0 and document["problems"] == []
    assert [r["signer"] for r in document["results"]] == ["熊本市長", "御船町長"]
    assert {"field", "subject", "issuer", "signing_time", "timestamp", "intact", "trusted", "modification"} <= set(
        document["results"][0])


def test_verify_signatures_untrusted_and_unsigned(signed: Signed, pki: Pki, capsys) -> None:  # noqa: F811
    untrusted = verify_signatures(str(signed.both), [str(pki.other_root_pem)])
    assert untrusted.intact and not untrusted.trusted and not untrusted.good, "integrity does not need trust"
    assert all(s.signing_time.endswith("+09:00") for s in untrusted.signatures)
    assert main(["verify-signatures", str(signed.both), "--trust", str(pki.other_root_pem)]) == 1
    out = capsys.readouterr().out
    assert "信頼できません" in out and "有効でない署名があります" in out
    assert main(["verify-signatures", str(signed.hub), "--trust", str(pki.root_pem)]) == 0
    assert "未署名の欄: signature-partner" in capsys.readouterr().out
    assert main(["verify-signatures", str(signed.unsigned), "--trust", str(pki.root_pem)]) == 1
    assert "署名がありません" in capsys.readouterr().out


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert main(["verify-signatures", str(junk)]) == 2
    assert "PDFとして読めません" in capsys.readouterr().err
    assert main(["verify-signatures", str(tmp_path / "missing.pdf"), "--json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["status"] == 2 and document["problems"][0]["code"] == "signing.no-such-file"


def _tamper(source: Path, target: Path) -> None:
    """Change one byte inside 甲's signed range: a digit of the page's MediaBox in the first revision."""
    data = bytearray(source.read_bytes())
    at = data.index(b"/MediaBox [ 0 0 595.2756 841.8898 ]") + len(b"/MediaBox [ 0 0 5")
    data[at] = ord("8") if data[at] != ord("8") else ord("7")
    target.write_bytes(bytes(data))


def test_a_tampered_byte_is_caught_by_both(signed: Signed, pki: Pki, tmp_path: Path, capsys) -> None:  # noqa: F811
    tampered = tmp_path / "tampered.pdf"
    _tamper(signed.both, tampered)
    assert sum(a != b for a, b in zip(tampered.read_bytes(), signed.both.read_bytes())) == 1
    independent = _independent(tampered, pki)
    assert not all(status.intact for _, status, _ in independent)
    report = verify_signatures(tampered, [pki.root_pem])
    assert not report.intact and not report.good
    assert main(["verify-signatures", str(tampered), "--trust", str(pki.root_pem)]) == 1
    assert "無効（署名後に内容が変わっています）" in capsys.readouterr().out


# --- refusals -----------------------------------------------------------------------------------

def _refused(request: SignRequest, code: str) -> SigningError:
    before = sha(request.source) if request.source.exists() else None
    with pytest.raises(SigningError) as caught:
        sign(request)
    assert caught.value.code == code, caught.value
    if before:
        assert sha(request.source) == before
    return caught.value


def test_refuses_a_field_already_signed(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    error = _refused(SignRequest(signed.hub, "甲", key(pki.hub), tmp_path / "x.pdf"), "signing.already-signed")
    assert "既に署名されています" in str(error) and str(signed.hub) in str(error) and "signature-hub" in str(error)
    assert not (tmp_path / "x.pdf").exists()


def test_refuses_partner_before_hub(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    _refused(SignRequest(signed.unsigned, "乙", key(pki.partner), tmp_path / "x.pdf"), "signing.hub-first")


def test_refuses_to_countersign_a_file_changed_after_hub_signed(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    tampered = tmp_path / "tampered.pdf"
    _tamper(signed.hub, tampered)
    _refused(SignRequest(tampered, "乙", key(pki.partner), tmp_path / "x.pdf"), "signing.earlier-broken")
    assert not (tmp_path / "x.pdf").exists()


def test_refuses_a_file_not_made_by_electronic(pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    paper = build_agreement(DATA / AGREEMENT, BuildOptions(out_dir=tmp_path)).written[0]
    _refused(SignRequest(paper, "甲", key(pki.hub), tmp_path / "x.pdf"), "signing.not-electronic")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n garbage")
    _refused(SignRequest(junk, "甲", key(pki.hub), tmp_path / "y.pdf"), "signing.unreadable")


def test_refuses_a_certificate_of_someone_else_unless_forced(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    error = _refused(SignRequest(signed.unsigned, "甲", key(pki.stranger), tmp_path / "x.pdf"), "signing.subject-mismatch")
    assert "山田太郎" in str(error) and "熊本市長" in str(error) and "--force" in str(error)
    _refused(SignRequest(signed.unsigned, "甲", key(pki.partner), tmp_path / "x.pdf"), "signing.subject-mismatch")
    forced = sign(SignRequest(signed.unsigned, "甲", key(pki.stranger), tmp_path / "x.pdf", force=True))
    assert forced.warnings and forced.output.is_file()


def test_refuses_wrong_passphrase_and_existing_output(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    _refused(SignRequest(signed.unsigned, "甲", Pkcs12Key(pki.hub.p12, b"wrong"), tmp_path / "x.pdf"),
             "signing.pkcs12-unreadable")
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"keep me")
    _refused(SignRequest(signed.unsigned, "甲", key(pki.hub), existing), "signing.output-exists")
    assert existing.read_bytes() == b"keep me"
    _refused(SignRequest(signed.unsigned, "甲", key(pki.hub), signed.unsigned), "signing.output-exists")


def test_timestamp_server_down_is_reported(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    error = _refused(SignRequest(signed.unsigned, "甲", key(pki.hub), tmp_path / "x.pdf",
                                 timestamp_url=pki.base_url + "/no-such-tsa"), "signing.timestamp-failed")
    assert "--timestamp-url" in str(error) and not (tmp_path / "x.pdf").exists()


def test_ltv_embeds_revocation_data(signed: Signed, pki: Pki, tmp_path: Path, verapdf) -> None:  # noqa: F811
    _Handler.requests.clear()
    out = sign(SignRequest(signed.unsigned, "甲", key(pki.hub), tmp_path / "lt.pdf", timestamp_url=pki.tsa_url,
                           ltv=True, trust=(pki.root_pem,))).output
    assert "/root.crl" in _Handler.requests, "the CRL was fetched"
    _refused(SignRequest(signed.unsigned, "甲", key(pki.hub), tmp_path / "lt2.pdf", ltv=True,
                         trust=(pki.other_root_pem,)), "signing.ltv-failed")
    with pikepdf.open(out) as pdf:
        dss = pdf.Root.DSS
        assert len(dss.CRLs) >= 1 and len(dss.Certs) >= 2
    assert verify_signatures(out, [pki.root_pem]).good
    assert preflight(out).valid
    for flavour in FLAVOURS:
        result = verapdf.validate(out, flavour)
        assert result.passed, str(result)


# --- the command line ----------------------------------------------------------------------------

def test_sign_command_end_to_end(pki: Pki, tmp_path: Path, cli_env: dict[str, str]) -> None:  # noqa: F811
    unsigned = build_electronic(tmp_path)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")

    def run(*args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kyoyaku_pdf", *args], capture_output=True, text=True,
                              env={**cli_env, "KYOYAKU_LANG": lang}, stdin=subprocess.DEVNULL, start_new_session=True)

    no_secret = run("sign", str(unsigned), "--party", "甲", "--pkcs12", str(pki.hub.p12))
    assert no_secret.returncode == 2 and "--passphrase-file" in no_secret.stderr, no_secret.stderr
    first = run("sign", str(unsigned), "--party", "甲", "--pkcs12", str(pki.hub.p12), "--passphrase-file", str(secret))
    assert first.returncode == 0, first.stderr
    hub = unsigned.with_name(f"{ID}-denshi-signed-甲.pdf")
    assert str(hub) in first.stdout and "熊本市長" in first.stdout
    again = run("sign", str(hub), "--party", "甲", "--pkcs12", str(pki.hub.p12), "--passphrase-file", str(secret))
    assert again.returncode == 2 and "既に署名されています" in again.stderr and "Traceback" not in again.stderr
    wrong = run("sign", str(hub), "--party", "乙", "--pkcs12", str(pki.stranger.p12), "--passphrase-file", str(secret))
    assert wrong.returncode == 2 and "--force" in wrong.stderr
    second = run("sign", str(hub), "--party", "乙", "--pkcs12", str(pki.partner.p12), "--passphrase-file", str(secret),
                 "-o", str(tmp_path / "final.pdf"))
    assert second.returncode == 0 and second.stderr == "", second.stderr
    check = run("verify-signatures", str(tmp_path / "final.pdf"), "--trust", str(pki.root_pem))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("有効（改ざんなし・信頼できる）") == 2
    english = run("verify-signatures", str(tmp_path / "final.pdf"), "--trust", str(pki.root_pem), lang="en")
    assert english.returncode == 0 and english.stdout.count("valid (intact and trusted)") == 2


def _contents_gaps(path: Path) -> list[range]:
    """The bytes no signature covers: each signature's /Contents, between its two ByteRange parts."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as handle:
        gaps = []
        for sig in PdfFileReader(handle).embedded_signatures:
            a, b, c, _ = (int(v) for v in sig.sig_object["/ByteRange"])
            gaps.append(range(a + b, c))
        return gaps


def test_any_corruption_is_a_verdict_never_a_crash(signed: Signed, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    """Seeded byte flips, truncations and deletions anywhere in the signed file: verify-signatures
    answers bad (1) or unreadable (2); only a byte inside a /Contents gap (unsigned by design, the
    signature container's padding) may leave both signatures good."""
    import random

    original = signed.both.read_bytes()
    last_gap = _contents_gaps(signed.both)[-1]
    rng = random.Random(20250324)
    target = tmp_path / "corrupt.pdf"
    verdicts = {"good": 0, "bad": 0, "unreadable": 0}
    for case in range(45):
        data, at = bytearray(original), rng.randrange(len(original))
        if case % 3 == 0:
            data[at] = (data[at] + rng.randrange(1, 256)) % 256
        elif case % 3 == 1:
            data = data[:at]
        else:
            del data[at:at + rng.randrange(1, 64)]
        target.write_bytes(bytes(data))
        try:
            report = verify_signatures(target, [pki.root_pem])
        except SigningError:
            verdicts["unreadable"] += 1
            continue
        if report.good:
            assert case % 3 == 0 and at in last_gap, f"case {case}: a change at byte {at} went unnoticed"
        verdicts["good" if report.good else "bad"] += 1
    assert verdicts["bad"] > 5 and verdicts["unreadable"] > 5, verdicts


@pytest.mark.parametrize("command", ["sign", "verify-signatures"])
def test_help_is_japanese(command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from kyoyaku_pdf.cli.main import _parser

    monkeypatch.delenv("KYOYAKU_LANG", raising=False)
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert capsys.readouterr().out.startswith("使い方: kyoyaku-pdf " + command)
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    helps = [a.help for a in sub._actions if a.help and a.help != argparse.SUPPRESS]
    assert helps and all(re.search(r"[\u3041-\u30ff\u4e00-\u9fff]", h) for h in helps), helps


def test_archive_files_the_executed_original_with_its_signatures_verified(
    signed: Signed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The archive's hook (records/executed.py) calls verify_signatures for real: the signed file is
    filed byte for byte as verified; a tampered copy is refused."""
    from kyoyaku_pdf.records.archive import MANIFEST
    from kyoyaku_pdf.records.verify import verify

    root = tmp_path / "archive"
    status = main(["archive", str(DATA / AGREEMENT), "--root", str(root), "--version", "v1", f"--executed={signed.both}"])
    assert status == 0, capsys.readouterr().err
    folder = root / ID / "v1"
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["executed"] == {"kind": "pdf", "signatures": "verified"}
    assert (folder / "executed" / signed.both.name).read_bytes() == signed.both.read_bytes()
    assert verify(root).findings == []
    tampered = tmp_path / "tampered.pdf"
    _tamper(signed.both, tampered)
    capsys.readouterr()
    status = main(["archive", str(DATA / AGREEMENT), "--root", str(root), "--version", "v2", f"--executed={tampered}"])
    assert status == 2 and "電子署名の検証に失敗しました" in capsys.readouterr().err
    assert not (root / ID / "v2").exists()
