"""notice + scaffold: the 告示 and 届出 of each party, and `kyoyaku-pdf new`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from datafiles import AGREEMENT, COMMON, DATA, data_copy, edit

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.input.loading import load_agreement
from kyoyaku_pdf.text.notice import NoticeNumberError, kokuji, original_title, parse_number, plain_text, todokede

TEIKETSU = "common/kumamoto-teiketsu-r7.yaml"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact English lines are compared unless a test asks for Japanese with --lang ja."""
    monkeypatch.setenv("KYOYAKU_LANG", "en")


@pytest.fixture(scope="module")
def agreement():  # type: ignore[no-untyped-def]
    return load_agreement(DATA / AGREEMENT).agreement


def test_change_notice_cites_article_252_2_paragraph_4(agreement) -> None:  # type: ignore[no-untyped-def]
    notice = kokuji(agreement, "甲")
    texts = [b.text for b in notice.blocks]
    assert texts[0] == "○熊本市及び御船町における連携中枢都市圏の形成に係る変更連携協約"
    assert texts[2] == "熊本市告示第　　号"
    assert texts[3] == ("地方自治法（昭和22年法律第67号）第252条の2第4項において準用する同条第2項の規定により、御船町と締結した"
                        "熊本市及び御船町における連携中枢都市圏の形成に係る連携協約を次のとおり変更したので、告示する。")
    assert original_title(agreement) == "熊本市及び御船町における連携中枢都市圏の形成に係る連携協約"


def test_partner_notice_names_the_hub_and_its_own_mayor(agreement) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    notice = kokuji(agreement, "乙", dt.date(2025, 4, 1), "12")
    texts = [b.text for b in notice.blocks]
    assert texts[1] == "令和7年4月1日" and texts[2] == "御船町告示第12号" and texts[-1] == "御船町長　藤木正"
    assert "熊本市と締結した" in texts[3]


def test_todokede_goes_to_the_governor(agreement) -> None:  # type: ignore[no-untyped-def]
    text = plain_text(todokede(agreement, "乙"), agreement)
    assert "熊本県知事　様" in text and "連携協約の変更について（届出）" in text
    assert "別添のとおり届け出ます。" in text and "2　変更の日　令和7年3月24日" in text


def test_kokuji_text_carries_the_whole_agreement_with_its_schedules(agreement) -> None:  # type: ignore[no-untyped-def]
    text = plain_text(kokuji(agreement, "甲"), agreement)
    for schedule in agreement.schedules:
        for area in schedule.all_areas():
            assert area.partner_role in text and area.name in text
    assert text.index("別表第1（第3条第1号関係）") < text.index("別表第3（第3条第3号関係）")


def test_conclusion_notice_cites_paragraph_2(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "kind: 変更", "kind: 締結")
    edit(data, AGREEMENT, f"common: {COMMON}", f"common: {TEIKETSU}")
    agreement = load_agreement(data / AGREEMENT).agreement
    body = kokuji(agreement, "乙").blocks[3].text
    assert body == "地方自治法（昭和22年法律第67号）第252条の2第2項の規定により、熊本市と熊本市及び御船町における連携中枢都市圏の形成に係る連携協約を締結したので、告示する。"
    assert "第1条　この連携協約は" in plain_text(kokuji(agreement, "乙"), agreement)


def test_notice_command_writes_pdf_and_text_for_both_parties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notice", str(DATA / AGREEMENT), "-o", str(tmp_path), "--date", "2025-04-01", "--number", "乙=12"]) == 0
    written = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(p.name for p in written) == sorted(
        f"kumamoto-mifune-henko-r7-{kind}-{party}.{ext}"
        for kind in ("kokuji", "todokede") for party in ("hub", "partner") for ext in ("pdf", "txt")
    )
    pdf = next(p for p in written if p.name.endswith("kokuji-partner.pdf"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert text.startswith("○熊本市及び御船町における連携中枢都市圏の形成に係る変更連携協約令和7年4月1日御船町告示第12号")
    assert "乙の役割甲と連携して職員の資質及び公務能力の向上に取り組む。" in text


def test_notice_number_for_an_unknown_role_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["notice", str(DATA / AGREEMENT), "--kokuji-number", "丙=1"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "丙=1 is not usable: write 甲=NUMBER or 乙=NUMBER" in err and "Traceback" not in err


@pytest.mark.parametrize(("typed", "printed"), [
    ("12", "12"), ("１２", "12"), ("第12号", "12"), ("熊政企第12号", "熊政企第12号"), ("御船町告示第3号", "御船町告示第3号"),
])
def test_a_notice_number_is_a_bare_number_or_a_document_code_as_written(typed: str, printed: str) -> None:
    assert parse_number(typed) == printed


@pytest.mark.parametrize("typed", ["", "熊政企", "12\x1b[2J", "😀", "第十二号", "熊" * 40 + "第1号"])
def test_a_notice_number_that_cannot_print_or_would_read_wrongly_is_refused(typed: str) -> None:
    with pytest.raises(NoticeNumberError):
        parse_number(typed)


def test_kokuji_and_todokede_take_their_own_numbers(agreement) -> None:  # type: ignore[no-untyped-def]
    kokuji_lines = plain_text(kokuji(agreement, "甲", None, parse_number("12")), agreement).splitlines()
    assert kokuji_lines[2] == "熊本市告示第12号"
    todokede_lines = plain_text(todokede(agreement, "甲", None, parse_number("熊政企第34号")), agreement).splitlines()
    assert todokede_lines[0].strip("\u3000") == "熊政企第34号", "a 文書記号 as written, never 第熊政企第34号号"
    assert plain_text(todokede(agreement, "乙", None, ""), agreement).splitlines()[0].strip("\u3000") == "第　　号"


def test_notice_command_numbers_each_notice_separately(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["notice", str(DATA / AGREEMENT), "-o", str(tmp_path), "--kokuji-number", "甲=12",
            "--todokede-number", "甲=熊政企第34号", "--todokede-number", "乙=5"]
    assert main(args) == 0
    written = {Path(line).name: Path(line) for line in capsys.readouterr().out.splitlines()}
    first_lines = {name: path.read_text(encoding="utf-8").splitlines()[:3] for name, path in written.items() if name.endswith(".txt")}
    assert first_lines["kumamoto-mifune-henko-r7-kokuji-hub.txt"][2] == "熊本市告示第12号"
    assert first_lines["kumamoto-mifune-henko-r7-kokuji-partner.txt"][2] == "御船町告示第　　号"
    assert first_lines["kumamoto-mifune-henko-r7-todokede-hub.txt"][0].strip("\u3000") == "熊政企第34号"
    assert first_lines["kumamoto-mifune-henko-r7-todokede-partner.txt"][0].strip("\u3000") == "第5号"


def test_the_old_number_option_fills_the_kokuji_only_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ja", "notice", str(DATA / AGREEMENT), "-o", str(tmp_path), "--number", "甲=12"]) == 0
    captured = capsys.readouterr()
    assert "--kokuji-number" in captured.err and "届出" in captured.err
    texts = {Path(p).name: Path(p).read_text(encoding="utf-8") for p in captured.out.split() if p.endswith(".txt")}
    assert texts["kumamoto-mifune-henko-r7-kokuji-hub.txt"].splitlines()[2] == "熊本市告示第12号"
    assert texts["kumamoto-mifune-henko-r7-todokede-hub.txt"].splitlines()[0].strip("\u3000") == "第　　号"


def test_a_number_the_font_cannot_print_is_refused_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--lang", "ja", "notice", str(DATA / AGREEMENT), "--todokede-number", "甲=熊政企第12号\u0007"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "U+0007" in err and "\u0007" not in err and "打ち直して" in err


def test_new_scaffolds_a_file_that_cannot_build_until_filled_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_copy(tmp_path)
    assert main(["new", "synthetic-partner", "--data", str(data), "--kind", "締結"]) == 0
    path = data / "synthetic-partner.yaml"
    assert capsys.readouterr().out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "kind: 締結" in text and f"common: {TEIKETSU}" in text
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("not filled in yet") == 5 and "date" in err and "partner.name" in err
    assert main(["new", "synthetic-partner", "--data", str(data)]) == 2, "never overwrites"
    assert "already exists" in capsys.readouterr().err and path.read_text(encoding="utf-8") == text
    filled = re.sub(r'"<<記入: 締結日[^"]*"', "2025-03-27", text)
    for field, value in (("住所", "試験県試験町1番地"), ("団体名", "試験町"), ("職名", "試験町長"), ("首長の氏名", "試験太郎")):
        filled = re.sub(rf'"<<記入: {field}[^"]*"', value, filled)
    path.write_text(filled, encoding="utf-8")
    assert main(["check", str(path)]) == 0


def test_new_refuses_an_id_that_would_escape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "../evil", "--data", str(data_copy(tmp_path))]) == 2
    assert "not a usable id" in capsys.readouterr().err
