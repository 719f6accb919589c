"""loading: the agreement file plus the shared files it names, checked as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from datafiles import AGREEMENT, COMMON, SCHEDULES, data_copy, edit, line_of

from kyoyaku_pdf.errors import InputError
from kyoyaku_pdf.input import binding
from kyoyaku_pdf.input.loading import load_agreement


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_agreement(path)
    return [str(p) for p in caught.value.problems]


def test_bundled_agreement_resolves(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    agreement = load_agreement(data / AGREEMENT).agreement
    assert agreement.heading == "熊本市及び御船町における連携中枢都市圏の形成に係る変更連携協約"
    assert agreement.closing.startswith("この連携協約の締結を証するため、本連携協約書2通を作成し")
    assert [len(s.all_areas()) for s in agreement.schedules] == [3, 3, 17]
    assert [p.name for _, p in agreement.parties] == ["大西一史", "藤木正"]


def test_copies_fill_the_closing_sentence(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "copies: 2", "copies: 3")
    assert "本連携協約書3通を作成し" in load_agreement(data / AGREEMENT).agreement.closing


def test_duplicate_policy_area_is_located(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "name: 物流機能の強化", "name: リーディング産業の育成")
    line = line_of(data, SCHEDULES, "name: リーディング産業の育成")
    [message] = problems_of(data / AGREEMENT)
    assert message.startswith(f"{data / SCHEDULES}:")
    assert ("別表第1 (3) リーディング産業の育成 取組名 [schedules[0].areas[2].name]: policy area 'リーディング産業の育成' "
            "is given twice") in message
    assert f"also at {data / SCHEDULES}:{line}:15: 別表第1 (1) リーディング産業の育成 取組名" in message


def test_schedule_with_both_areas_and_sections(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "    sections:\n", "    areas:\n      - name: 追加\n        content: a\n        hub_role: b\n        partner_role: c\n    sections:\n")
    [message] = problems_of(data / AGREEMENT)
    assert "別表第3 [schedules[2]]: give either 'areas' or 'sections'" in message


def test_unknown_placeholder(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "{通数}通", "{通数x}通")
    [message] = problems_of(data / AGREEMENT)
    line = line_of(data, COMMON, "{通数x}")
    assert message.startswith(f"{data / COMMON}:{line}:10: 結びの文 [closing]: unknown placeholder {{通数x}}")


def test_missing_common_file_is_located_in_the_agreement(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "common: common/kumamoto-henko-r7.yaml", "common: common/nope.yaml")
    [message] = problems_of(data / AGREEMENT)
    assert message.startswith(f"{data / AGREEMENT}:{line_of(data, AGREEMENT, 'common:')}:9: 共通部分のファイル [common]: no such file")


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "{通数}通", "{x}通")
    edit(data, SCHEDULES, "content: 企業の事業活動", "contents: 企業の事業活動")
    messages = problems_of(data / AGREEMENT)
    assert any(str(data / COMMON) in m for m in messages)
    assert any(str(data / SCHEDULES) in m and "unknown key" in m for m in messages)


def bound_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files bound anew (not taken from binding._bound) from now on, by name."""
    names: list[str] = []
    real = binding.Binder._value

    def recording(self: binding.Binder, tp: object, node: object, path: str, meta: dict[str, object]) -> object:
        if not path:
            names.append(Path(node.location.file).name)  # type: ignore[attr-defined]
        return real(self, tp, node, path, meta)

    monkeypatch.setattr(binding.Binder, "_value", recording)
    return names


def test_loading_again_binds_only_the_file_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_copy(tmp_path)
    bound = bound_files(monkeypatch)
    first = load_agreement(data / AGREEMENT)
    assert len(bound) == 3
    assert load_agreement(data / AGREEMENT) == first and len(bound) == 3  # the same texts, places and values
    edit(data, COMMON, "copies: 2", "copies: 3")
    again = load_agreement(data / AGREEMENT)
    assert bound[3:] == [Path(COMMON).name] and "本連携協約書3通を作成し" in again.agreement.closing
    assert again.texts == first.texts  # every text of the other files, at its place


def test_a_file_bound_with_a_problem_is_bound_again_and_reported_again(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = data_copy(tmp_path)
    edit(data, COMMON, "copies: 2", "copies: 0")
    bound = bound_files(monkeypatch)
    first = problems_of(data / AGREEMENT)
    assert problems_of(data / AGREEMENT) == first and bound.count(Path(COMMON).name) == 2
