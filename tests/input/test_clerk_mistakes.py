"""The mistakes a clerk makes, each answered in Japanese where it was made, with what to type.

Every test here edits a copy of the bundled data the way a clerk would (a Japanese input method left
on, a date typed as on a 起案, a file copied from a Mac) and checks the line, the column, the message
code, that the message is Japanese (kana or kanji once the quoted values are removed) and that it
names what to type. The language is Japanese, the default.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest
from datafiles import AGREEMENT, COMMON, SCHEDULES, data_copy, edit, line_of

from kyoyaku_pdf.errors import InputError, Problem
from kyoyaku_pdf.input.lint import lint
from kyoyaku_pdf.input.loading import load_agreement

pytestmark = pytest.mark.usefixtures("japanese")

REPO = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_agreement(path)
    return caught.value.problems


def only(path: Path) -> Problem:
    [problem] = problems_of(path)
    return problem


def explained_in_japanese(problem: Problem) -> bool:
    """Kana or kanji in the message once the values quoted in 「」 or "" are taken out."""
    bare = re.sub(r"「[^」]*」|\"[^\"]*\"|'[^']*'", "", problem.message)
    return bool(JAPANESE.search(bare))


def at(problem: Problem, path: Path, line: int, column: int | None = None) -> bool:
    where = (Path(problem.location.file), problem.location.line) == (path, line)
    return where and (column is None or problem.location.column == column)


# ---- YAML slips where they were typed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column", "code", "to_type"),
    [
        ("  office: 御船町長", "  office： 御船町長", 9, "yaml-fullwidth-colon", "office: "),
        ("  office: 御船町長", "  office:御船町長", 10, "yaml-no-space-after-colon", "office: 値"),
        ("  office: 御船町長", "  office:\u3000御船町長", 10, "yaml-fullwidth-space-after", "半角スペース"),
        ("  office: 御船町長", "\u3000\u3000office: 御船町長", 1, "yaml-fullwidth-space-indent", "半角スペース"),
        ("  office: 御船町長", "\toffice: 御船町長", 1, "yaml-tab", "半角スペース"),
        ("  office: 御船町長", " office: 御船町長", 2, "yaml-indent-misaligned", "3 文字目"),
        ("  office: 御船町長", "   office: 御船町長", 4, "yaml-indent-too-deep", "3 文字目"),
        ("  name: 藤木正", '  name: "藤木正', 9, "yaml-unclosed-quote", "引用符"),
        ("partner:\n", "partner: [\n", 10, "yaml-unclosed-bracket", "]"),
    ],
    ids=["fullwidth-colon", "no-space", "u3000-after-colon", "u3000-indent", "tab", "dedent", "too-deep",
         "unclosed-quote", "unclosed-bracket"],
)
def test_a_yaml_slip_is_named_where_it_was_typed(
    tmp_path: Path, old: str, new: str, column: int, code: str, to_type: str
) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, old, new)
    needle = new.strip("\n").lstrip(" \t\u3000")[:8]
    problem = only(data / AGREEMENT)
    assert problem.code == code, problem
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, needle), column), problem
    assert explained_in_japanese(problem) and to_type in problem.message, problem.message


def test_a_fullwidth_comment_mark_and_list_mark(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "# 熊本市と", "＃ 熊本市と")
    edit(data, SCHEDULES, "      - name: 物流機能の強化", "      － name: 物流機能の強化")
    [hash_mark] = problems_of(data / AGREEMENT)
    assert hash_mark.code == "yaml-fullwidth-hash" and at(hash_mark, data / AGREEMENT, 2, 1)
    assert "「#」" in hash_mark.message
    edit(data, AGREEMENT, "＃ 熊本市と", "# 熊本市と")
    [dash] = problems_of(data / AGREEMENT)
    assert dash.code == "yaml-fullwidth-dash" and at(dash, data / SCHEDULES, line_of(data, SCHEDULES, "－"), 7)
    assert "「-」" in dash.message


def test_every_slip_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", "  office： 御船町長")
    edit(data, AGREEMENT, "  name: 藤木正", "  name:藤木正")
    codes = [p.code for p in problems_of(data / AGREEMENT)]
    assert codes == ["yaml-fullwidth-colon", "yaml-no-space-after-colon"]


def test_valid_yaml_layouts_are_not_taken_for_slips(tmp_path: Path) -> None:
    """Block scalars, multi-line quotes, flow lists and a list at its key's own indentation are YAML."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正\n", '  name: "藤木\n    正"\nschedules:\n- schedule: 3\n  section: 1\n'
         "  remove: [DV被害者への支援等,\n    公共施設の有効利用]\n")
    edit(data, COMMON, "closing: ", "closing: >-\n  ")
    loaded = load_agreement(data / AGREEMENT)
    assert loaded.agreement.partner.name == "藤木 正"  # YAML folds the line break of a quoted text
    assert loaded.agreement.closing.startswith("この連携協約の締結を証するため")


def test_a_long_text_continued_on_the_next_line_may_hold_a_colon(tmp_path: Path) -> None:
    """A plain text folded onto deeper lines is YAML; its ``http://`` is no key without a space."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  address: 御船町大字御船995番地1", "  address: 御船町大字御船995番地1\n    https://example.jp/a")
    assert load_agreement(data / AGREEMENT).agreement.partner.address == "御船町大字御船995番地1 https://example.jp/a"


# ---- keys ---------------------------------------------------------------------------------------


def test_a_misspelt_key_gets_the_nearest_valid_key_and_no_missing_key(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  municipality: 御船町", "  municipalty: 御船町")
    problem = only(data / AGREEMENT)
    assert problem.code == "key-unknown-suggest" and "もしかして municipality?" in problem.message
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "municipalty"), 3)
    assert problem.place == "乙 municipalty" and problem.field == "partner.municipalty"


def test_a_key_typed_out_of_its_mapping_is_said_to_belong_under_it(tmp_path: Path) -> None:
    """``name:`` at the left margin is valid YAML (a key of the file): say where it belongs, not
    "unknown key" plus "missing key"."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", "name: 藤木正")
    problem = only(data / AGREEMENT)
    assert problem.code == "key-belongs-under" and "partner" in problem.message and problem.place == "乙 氏名"
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "name: 藤木正"), 1)


def test_a_key_typed_in_full_width_letters_is_still_recognised(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", "  ｏｆｆｉｃｅ: 御船町長")
    assert "もしかして office?" in only(data / AGREEMENT).message


def test_control_characters_in_a_key_are_shown_escaped(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", "  off\u200eice: 御船町長")
    problem = only(data / AGREEMENT)
    assert "\u200e" not in str(problem) and "<U+200E>" in problem.message


# ---- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "iso"),
    [("令和7年3月24日", "2025-03-24"), ("令和元年5月1日", "2019-05-01"), ("令和1年5月1日", "2019-05-01"),
     ("平成31年4月30日", "2019-04-30"), ("令和７年３月２４日", "2025-03-24"), ("2025/3/24", "2025-03-24"),
     ("2025年3月24日", "2025-03-24"), ("2025.03.24", "2025-03-24"), ("2025-3-24", "2025-03-24")],
)
def test_a_date_in_another_form_gets_the_iso_form_to_type(tmp_path: Path, typed: str, iso: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", f"date: {typed}")
    problem = only(data / AGREEMENT)
    assert problem.code in ("date-wareki", "date-other-form")
    assert problem.message.endswith(f"→ {iso}") and explained_in_japanese(problem)
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "date:"), 7) and problem.place == "締結日"


@pytest.mark.parametrize(
    ("typed", "why"),
    [("2025-02-30", "2025年2月は28日まで"), ("2024-02-30", "2024年2月は29日まで"), ("2025-13-01", "13月はありません"),
     ("令和7年2月29日", "2025年2月は28日まで"), ("2025/4/31", "2025年4月は30日まで")],
)
def test_an_impossible_date_is_said_in_words(tmp_path: Path, typed: str, why: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", f"date: {typed}")
    problem = only(data / AGREEMENT)
    assert problem.code == "date-impossible" and why in problem.message, problem.message
    assert "day is out of range" not in problem.message


def test_an_impossible_date_does_not_hide_the_files_other_problems(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 2025-02-30")
    edit(data, AGREEMENT, "  office: 御船町長\n", "")
    edit(data, AGREEMENT, "  municipality: 御船町", "  municipality: 御船町\n  seal_mm: 300")
    assert sorted(p.code for p in problems_of(data / AGREEMENT)) == ["date-impossible", "key-missing", "number-range"]


def test_a_wareki_era_year_that_does_not_exist(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 平成32年1月1日")
    assert only(data / AGREEMENT).code == "date-wareki-unknown"


def test_a_quoted_iso_date_is_a_date_as_the_published_schema_says(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", 'date: "2025-03-24"')
    assert load_agreement(data / AGREEMENT).agreement.date == dt.date(2025, 3, 24)
    import yaml

    schema = json.loads((REPO / "schema" / "agreement.schema.json").read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    quoted = yaml.safe_load((data / AGREEMENT).read_text(encoding="utf-8"))
    assert quoted["date"] == "2025-03-24" and checker.is_valid(quoted)
    quoted["date"] = "2025-02-30"  # and the schema refuses what the loader refuses
    assert not checker.is_valid(quoted)


# ---- placeholders, shared files, names ----------------------------------------------------------


def test_a_placeholder_in_a_partners_own_field_is_refused_and_located(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  office: 御船町長", '  office: "{乙}長"')
    problem = only(data / AGREEMENT)
    assert problem.code == "placeholder-not-here" and "{乙}" in problem.message
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "office:")) and problem.place == "乙 職名"


def test_a_placeholder_in_a_schedule_text_is_refused(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "partner_role: 熊本港の利用促進に甲と", "partner_role: 熊本港の利用促進に{甲}と")
    problem = only(data / AGREEMENT)
    assert problem.code == "placeholder-not-here" and problem.place == "別表第1 (3) 物流機能の強化 乙の役割"


@pytest.mark.parametrize(("shared", "code"), [(SCHEDULES, "shared-schedules"), (COMMON, "shared-common")])
def test_a_shared_file_given_as_an_agreement_says_what_it_is_and_who_uses_it(
    tmp_path: Path, shared: str, code: str
) -> None:
    data = data_copy(tmp_path)
    problem = only(data / shared)
    assert problem.code == code and at(problem, data / shared, 1, 1)
    assert str(data / AGREEMENT) in problem.message or AGREEMENT in problem.message
    assert "kumamoto-teiketsu" not in problem.message  # that one uses the 別表 but no agreement uses it


def test_a_half_width_space_in_a_name_is_warned_like_a_full_width_one(tmp_path: Path) -> None:
    codes = {}
    for space in (" ", "\u3000"):
        data = data_copy(tmp_path / f"u{ord(space):04x}")
        edit(data, AGREEMENT, "  name: 藤木正", f"  name: 藤木{space}正")
        [warning] = [w for w in lint(load_agreement(data / AGREEMENT).texts) if w.field == "partner.name"]
        codes[space] = warning.code
        assert warning.place == "乙 氏名" and explained_in_japanese(warning)
    assert codes == {" ": "lint-inner-space", "\u3000": "lint-inner-space"}


# ---- Unicode ------------------------------------------------------------------------------------


def test_a_decomposed_name_is_composed_so_duplicates_see_what_prints(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    decomposed = unicodedata.normalize("NFD", "リーディング産業の育成")
    assert decomposed != "リーディング産業の育成"
    edit(data, SCHEDULES, "name: 物流機能の強化", f"name: {decomposed}")
    problem = only(data / AGREEMENT)
    assert problem.code == "area-twice"


def test_a_decomposed_text_loads_as_the_composed_text(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, SCHEDULES, "name: 中心市街地のにぎわいの創出と交流の促進",
         "name: " + unicodedata.normalize("NFD", "中心市街地のにぎわいの創出と交流の促進"))
    names = [a.name for a in load_agreement(data / AGREEMENT).agreement.schedules[1].areas]
    assert "中心市街地のにぎわいの創出と交流の促進" in names


def test_a_cjk_compatibility_ideograph_is_kept_as_typed(tmp_path: Path) -> None:
    """Blanket NFC would turn 神 (U+FA19, a 戸籍 form) into 神 (U+795E): a name must print as typed."""
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", "  name: 藤木\ufa19")
    assert load_agreement(data / AGREEMENT).agreement.partner.name == "藤木\ufa19"


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3099"])
def test_an_invisible_or_stray_combining_character_is_refused_with_its_code(tmp_path: Path, char: str) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "  name: 藤木正", f"  name: 藤木{char}正")
    problem = only(data / AGREEMENT)
    assert f"U+{ord(char):04X}" in problem.message and explained_in_japanese(problem)
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "name: 藤木"), 11)


def test_a_partners_change_naming_no_area_is_placed_in_the_document(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    (data / AGREEMENT).write_text((data / AGREEMENT).read_text(encoding="utf-8")
                                  + "schedules:\n  - schedule: 3\n    section: 1\n    remove: [ない取組]\n", encoding="utf-8")
    problem = only(data / AGREEMENT)
    assert problem.code == "override-unknown-area" and problem.place == "別表第3 1 の変更 削除 「ない取組」"
    assert at(problem, data / AGREEMENT, line_of(data, AGREEMENT, "remove:")) and "DV被害者への支援等" in problem.message


def test_problems_in_the_agreement_do_not_hide_those_of_the_shared_files(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 令和7年3月24日")
    edit(data, SCHEDULES, "partner_role: 熊本港の利用促進に甲と", "partner_role: 熊本港の利用促進に{甲}と")
    edit(data, COMMON, "copies: 2", "copies: 20")
    found = {(Path(p.location.file).name, p.code) for p in problems_of(data / AGREEMENT)}
    assert found == {("mifune-henko-r7.yaml", "date-wareki"), ("beppyo-r7.yaml", "placeholder-not-here"),
                     ("kumamoto-henko-r7.yaml", "number-range")}


def test_a_broken_shared_file_is_reported_with_the_agreements_problems(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit(data, AGREEMENT, "date: 2025-03-24", "date: 2025/3/24")
    edit(data, COMMON, "copies: 2", "copies： 2")
    assert sorted(p.code for p in problems_of(data / AGREEMENT)) == ["date-other-form", "yaml-fullwidth-colon"]
