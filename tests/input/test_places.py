"""places: a field path named as the clerk knows the document (the numbers printed on the page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from datafiles import AGREEMENT, COMMON, DATA, SCHEDULES

from kyoyaku_pdf.input.places import AGREEMENT as AGREEMENT_KIND
from kyoyaku_pdf.input.places import COMMON as COMMON_KIND
from kyoyaku_pdf.input.places import SCHEDULES as SCHEDULES_KIND
from kyoyaku_pdf.input.places import place_of
from kyoyaku_pdf.input.source import read_source

TEIKETSU = "common/kumamoto-teiketsu-r7.yaml"


@pytest.mark.parametrize(
    ("kind", "file", "path", "place"),
    [
        (SCHEDULES_KIND, SCHEDULES, "schedules[2].sections[0].areas[3].content", "別表第3 1 (4) DV被害者への支援等 取組内容"),
        (SCHEDULES_KIND, SCHEDULES, "schedules[0].areas[2].partner_role", "別表第1 (3) 物流機能の強化 乙の役割"),
        (SCHEDULES_KIND, SCHEDULES, "schedules[0].areas[2].name", "別表第1 (3) 物流機能の強化 取組名"),
        (SCHEDULES_KIND, SCHEDULES, "schedules[2].sections[1].title", "別表第3 2 小見出し"),
        (SCHEDULES_KIND, SCHEDULES, "schedules[1].basis", "別表第2 根拠規定"),
        (SCHEDULES_KIND, SCHEDULES, "schedules[2]", "別表第3"),
        (AGREEMENT_KIND, AGREEMENT, "partner.office", "乙 職名"),
        (AGREEMENT_KIND, AGREEMENT, "date", "締結日"),
        (AGREEMENT_KIND, AGREEMENT, "print.seal_position", "印刷の設定 押印欄の位置"),
        (COMMON_KIND, COMMON, "hub.name", "甲 氏名"),
        (COMMON_KIND, COMMON, "recital[1]", "本文 第2段落"),
        (COMMON_KIND, COMMON, "cover.title_lines[0]", "表紙 表題 1行目"),
        (COMMON_KIND, COMMON, "closing", "結びの文"),
        (COMMON_KIND, COMMON, "schedules", "別表のファイル"),
        (COMMON_KIND, TEIKETSU, "articles[2].text", "第3条 本文"),
        (COMMON_KIND, TEIKETSU, "articles[0].caption", "第1条 見出し"),
    ],
)
def test_a_path_is_named_in_the_documents_terms(kind: str, file: str, path: str, place: str) -> None:
    assert place_of(kind, read_source(DATA / file), path) == place


def test_a_partners_change_to_the_schedules_is_named_by_its_schedule_and_area(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("schedules:\n  - schedule: 3\n    section: 1\n    add:\n      - {name: 新しい取組, content: a}\n"
                    "    remove: [DV被害者への支援等]\n", encoding="utf-8")
    root = read_source(path)
    assert place_of(AGREEMENT_KIND, root, "schedules[0].add[0].content") == "別表第3 1 の変更 追加 「新しい取組」 取組内容"
    assert place_of(AGREEMENT_KIND, root, "schedules[0].remove[0]") == "別表第3 1 の変更 削除 「DV被害者への支援等」"
    assert place_of(AGREEMENT_KIND, root, "schedules[0].section") == "別表第3 1 の変更 小見出しの番号"


def test_a_name_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text('schedules:\n  - areas:\n      - name: "悪い\\u200e名前"\n', encoding="utf-8")
    place = place_of(SCHEDULES_KIND, read_source(path), "schedules[0].areas[0].content")
    assert place == "別表第1 (1) 悪い<U+200E>名前 取組内容"
