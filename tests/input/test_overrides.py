"""overrides + 締結 kind: per-partner 別表 changes and the articles of a first agreement."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from datafiles import AGREEMENT, COMMON, data_copy, edit, line_of

from kyoyaku_pdf.cli.main import main
from kyoyaku_pdf.errors import InputError
from kyoyaku_pdf.input.loading import load_agreement

TEIKETSU = "common/kumamoto-teiketsu-r7.yaml"
OVERRIDES = """schedules:
  - schedule: 3
    section: 1
    add:
      - name: 合成取組（試験用）
        content: 試験用の取組内容。
        hub_role: 試験用の甲の役割。
        partner_role: 試験用の乙の役割。
        after: DV被害者への支援等
    remove:
      - 空家対策等都市空間に関する課題への対応
    reword:
      - name: 観光の振興
        partner_role: 甲と連携して観光客の誘致及び受入環境の整備に取り組む。
"""


def section_one(path: Path) -> list[str]:
    schedule = load_agreement(path).agreement.schedules[2]
    return [a.name for a in schedule.sections[0].areas]


def test_overrides_add_remove_reword_and_renumber(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    before = section_one(data / AGREEMENT)
    (data / AGREEMENT).write_text((data / AGREEMENT).read_text(encoding="utf-8") + OVERRIDES, encoding="utf-8")
    after = section_one(data / AGREEMENT)
    assert after[:5] == before[:4] + ["合成取組（試験用）"]
    assert "空家対策等都市空間に関する課題への対応" not in after and len(after) == len(before)
    area = next(a for a in load_agreement(data / AGREEMENT).agreement.schedules[2].sections[0].areas if a.name == "観光の振興")
    assert area.partner_role == "甲と連携して観光客の誘致及び受入環境の整備に取り組む。"
    assert area.content == "圏域の観光資源を活用して、国内外からの観光客の誘致に取り組む。", "unnamed fields keep the shared text"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("schedule: 3", "schedule: 7", "schedules[0].schedule", "there is no 別表第7 (the catalogue has 3)"),
        ("section: 1", "section: 9", "schedules[0].section", "別表第3 has sections 1–3"),
        ("- 空家対策等都市空間に関する課題への対応", "- 存在しない取組", "schedules[0].remove[0]", "no policy area '存在しない取組' here"),
        ("name: 観光の振興", "name: 観光", "schedules[0].reword[0].name", "no policy area '観光' here"),
        ("after: DV被害者への支援等", "after: どこか", "schedules[0].add[0].after", "no policy area 'どこか' here"),
        ("name: 合成取組（試験用）", "name: 企業誘致の促進", "schedules[0].add[0].name", "'企業誘致の促進' is already there"),
    ],
    ids=["no-schedule", "no-section", "remove-unknown", "reword-unknown", "after-unknown", "add-duplicate"],
)
def test_wrong_override_references_are_located(tmp_path: Path, old: str, new: str, field: str, message: str) -> None:
    data = data_copy(tmp_path)
    (data / AGREEMENT).write_text((data / AGREEMENT).read_text(encoding="utf-8") + OVERRIDES.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_agreement(data / AGREEMENT)
    [problem] = caught.value.problems
    assert problem.field == field and message in problem.message
    assert problem.location.file == str(data / AGREEMENT)
    assert problem.location.line == line_of(data, AGREEMENT, new.lstrip("- "))


def test_kind_must_match_the_common_file(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "kind: 変更", "kind: 締結")
    with pytest.raises(InputError) as caught:
        load_agreement(data / AGREEMENT)
    [problem] = caught.value.problems
    assert problem.field == "kind" and "holds the texts of a 変更" in problem.message


def teiketsu_copy(tmp_path: Path) -> Path:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "kind: 変更", "kind: 締結")
    edit(data, AGREEMENT, f"common: {COMMON}", f"common: {TEIKETSU}")
    edit(data, AGREEMENT, "id: kumamoto-mifune-henko-r7", "id: synthetic-teiketsu")
    return data


def test_conclusion_has_articles_in_order_with_derived_numbers(tmp_path: Path) -> None:
    data = teiketsu_copy(tmp_path)
    agreement = load_agreement(data / AGREEMENT).agreement
    assert [a.caption for a in agreement.articles] == ["目的", "基本方針", "連携する取組及び役割分担", "費用分担", "連絡会議"]
    assert agreement.articles[2].items == (
        "圏域全体の経済成長のけん引に係る政策分野（別表第1）",
        "高次の都市機能の集積・強化に係る政策分野（別表第2）",
        "圏域全体の生活関連機能サービスの向上に係る政策分野（別表第3）",
    )
    assert agreement.articles[4].text.startswith("熊本市長及び御船町長は、")
    assert agreement.recital[0].startswith("熊本市（以下「甲」という。）及び御船町（以下「乙」という。）は、")


def test_conclusion_pdf_reads_back_articles_in_order(tmp_path: Path) -> None:
    data = teiketsu_copy(tmp_path)
    assert main(["build", str(data / AGREEMENT), "-o", str(tmp_path / "out")]) == 0
    [pdf] = (tmp_path / "out").rglob("*.pdf")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    cover = flat.index("連携協約書")
    positions = [flat.index(unit) for unit in (
        "熊本市及び御船町における連携中枢都市圏の形成に係る連携協約", "（目的）", "第1条この連携協約は、",
        "（基本方針）", "第2条", "（連携する取組及び役割分担）", "第3条", "(1)圏域全体の経済成長のけん引に係る政策分野（別表第1）",
        "(3)圏域全体の生活関連機能サービスの向上に係る政策分野（別表第3）", "（費用分担）", "第4条", "（連絡会議）",
        "第5条熊本市長及び御船町長は", "この連携協約の締結を証するため", "令和7年3月24日", "別表第1（第3条第1号関係）",
    )]
    assert cover < positions[0] and positions == sorted(positions)
    assert "変更" not in flat[: positions[-1]]
