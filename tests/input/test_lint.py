"""lint: 公用文 proof-reading warnings; each rule fires on its slip, and only there."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from datafiles import AGREEMENT, DATA

from kyoyaku_pdf.input import model
from kyoyaku_pdf.input.binding import TextField
from kyoyaku_pdf.errors import Location, Problem
from kyoyaku_pdf.input.lint import RULES, UNPRINTED_FIELDS, lint
from kyoyaku_pdf.input.loading import load_agreement

FILE = "beppyo.yaml"


def field(text: str, path: str = "heading", line: int = 1, column: int = 1) -> TextField:
    """A hand-made text, as loading would record it."""
    return TextField(path, Location(FILE, line, column), text)


def fired(texts: Sequence[TextField]) -> set[str]:
    """The names of the rules that warn about ``texts``."""
    return {rule.__name__ for rule in RULES if rule(texts)}


def messages(texts: Sequence[TextField]) -> list[str]:
    return [str(problem) for problem in lint(texts)]


def contents(*texts: str, leaf: str = "content") -> list[TextField]:
    """One 別表 row family: the given texts as areas[0], areas[1], … of one table."""
    return [field(t, f"schedules[0].areas[{i}].{leaf}", line=10 + i, column=18) for i, t in enumerate(texts)]


# ---- the whole document -------------------------------------------------------------------------


def test_bundled_agreement_is_clean() -> None:
    texts = load_agreement(DATA / AGREEMENT).texts
    assert len(texts) > 100  # the lint really saw the document
    assert [str(p) for p in lint(texts)] == []


def test_every_rule_is_registered_once() -> None:
    assert [rule.__name__ for rule in RULES] == [
        "mixed_digit_widths",
        "mixed_latin_widths",
        "half_width_katakana",
        "stray_spaces",
        "ideographic_space_in_sentence",
        "unbalanced_brackets",
        "missing_full_stop",
        "doubled_or_dangling_punctuation",
    ]
    assert all(rule.__doc__ for rule in RULES)


def test_lint_imports_no_third_party_module() -> None:
    code = (
        "import sys, kyoyaku_pdf.input.lint; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'reportlab', 'fontTools', 'pikepdf')); "
        "print(bad)"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, env={"PYTHONPATH": src}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_unprinted_fields_are_the_models_identifier_and_paths() -> None:
    agreement_fields = {f.name for f in dataclasses.fields(model.AgreementFile)}
    common_fields = {f.name for f in dataclasses.fields(model.CommonFile)}
    assert UNPRINTED_FIELDS == {"id", "common", "schedules"}
    assert {"id", "common"} <= agreement_fields and "schedules" in common_fields


def test_warnings_are_located_and_sorted() -> None:
    texts = [  # the bracket rule runs before the punctuation rule; the order must still be by place
        field("「連携", "schedules[0].areas[1].partner_role", line=16, column=23),
        field("取り組む、", "recital[0]", line=3, column=5),
    ]
    found = lint(texts)
    assert [str(p) for p in found] == [
        f"{FILE}:3:5: recital[0]: the text ends with '、' at character 5",
        f"{FILE}:16:23: schedules[0].areas[1].partner_role: '「' at character 1 is never closed with '」'",
    ]
    assert all(isinstance(p, Problem) for p in found)


def test_placeholders_are_opaque() -> None:
    texts = [
        field("{甲}及び{乙}における連携協約", "heading"),
        field("本連携協約書{通数}通を作成し、各1通を保有する。", "closing"),
        field("{甲}と連携して取り組む。", "schedules[0].areas[0].partner_role"),
    ]
    assert fired(texts) == set()


# ---- 1, 2: one width of digits and Latin letters -------------------------------------------------


def test_full_width_digit_among_half_width() -> None:
    texts = [field("第3条第1号", "schedules[0].basis"), field("第3条第2号", "schedules[1].basis", line=22),
             field("第３条第3号", "schedules[2].basis", line=38, column=12)]
    assert fired(texts) == {"mixed_digit_widths"}
    assert messages(texts) == [
        (
            f"{FILE}:38:12: schedules[2].basis: full-width digit '３' at character 2; "
            "the rest of the document uses half-width digits"
        )
    ]


def test_half_width_digit_among_full_width() -> None:
    texts = [field("第３条第１号"), field("第３条第２号"), field("第3条第3号", "schedules[2].basis")]
    [message] = messages(texts)
    assert "schedules[2].basis: half-width digit '3' at character 2 (2 in this text); " in message
    assert message.endswith("uses full-width digits")


def test_a_tie_goes_to_half_width_digits() -> None:
    texts = [field("第1号", "schedules[0].basis"), field("第１号", "schedules[1].basis")]
    assert [p.field for p in lint(texts)] == ["schedules[1].basis"]


def test_one_width_of_digits_is_fine() -> None:
    assert fired([field("第３条第１号"), field("各１通")]) == set()
    assert fired([field("第3条第1号"), field("各1通")]) == set()


def test_full_width_latin_among_half_width() -> None:
    texts = [field("DV被害者への支援"), field("ICTを活用した情報発信"), field("ＮＰＯとの連携", "recital[0]")]
    assert fired(texts) == {"mixed_latin_widths"}
    [message] = messages(texts)
    assert message.startswith(f"{FILE}:1:1: recital[0]: full-width Latin letter 'Ｎ' at character 1 (3 in this text)")
    assert message.endswith("the rest of the document uses half-width Latin letters")


def test_identifiers_and_file_paths_do_not_count_as_latin_text() -> None:
    texts = [field("kumamoto-mifune-henko-r7", "id"), field("common/kumamoto-henko-r7.yaml", "common"),
             field("beppyo-r7.yaml", "schedules"), field("ＤＶ被害者への支援"), field("第１号")]
    assert fired(texts) == set()


# ---- 3: half-width katakana ---------------------------------------------------------------------


def test_half_width_katakana_is_named_with_its_full_width_form() -> None:
    texts = [field("圏域の情報ﾃﾞｰﾀを活用する。", "schedules[0].areas[0].content")]
    assert fired(texts) == {"half_width_katakana"}
    [message] = messages(texts)
    assert message.endswith("half-width katakana 'ﾃﾞｰﾀ' at character 6; write 'データ'")


def test_full_width_katakana_is_fine() -> None:
    assert fired([field("圏域の情報データを活用する。"), field("リーディング産業・ICT")]) == set()


# ---- 4: stray spaces ------------------------------------------------------------------------------


def test_doubled_ascii_space() -> None:
    texts = [field("ICT  を活用")]
    assert fired(texts) == {"stray_spaces"}
    assert messages(texts) == [f"{FILE}:1:1: heading: doubled space (2 ASCII spaces) at character 4"]


def test_leading_and_trailing_spaces() -> None:
    texts = [field(" 地域医療の充実"), field("地域医療の充実\u3000", "partner.name")]
    assert fired(texts) == {"stray_spaces"}
    assert messages(texts) == [
        f"{FILE}:1:1: heading: the text begins with 1 ASCII space at character 1",
        f"{FILE}:1:1: partner.name: the text ends with 1 full-width (U+3000) space at character 8",
    ]


def test_leading_ideographic_space_is_a_stray_space_not_a_mid_sentence_one() -> None:
    assert fired([field("\u3000別表を次のように改める。")]) == {"stray_spaces"}


def test_a_text_of_spaces_is_one_warning() -> None:
    assert messages([field("\u3000 ")]) == [
        f"{FILE}:1:1: heading: the text begins with 1 ASCII and 1 full-width (U+3000) spaces at character 1"
    ]


def test_single_ascii_space_between_words_is_fine() -> None:
    assert fired([field("ICT 活用"), field("DV 被害者")]) == set()


# ---- 5: full-width space inside a sentence ---------------------------------------------------------


def test_ideographic_space_inside_a_sentence() -> None:
    texts = [field("乙と連携して\u3000企業誘致に取り組む。", "schedules[0].areas[0].hub_role")]
    assert fired(texts) == {"ideographic_space_in_sentence"}
    [message] = messages(texts)
    assert "hub_role: a space (1 full-width (U+3000) space) inside a sentence or name at character 7;" in message


def test_doubled_ideographic_space_inside_a_sentence_is_one_warning() -> None:
    texts = [field("連携して\u3000\u3000取り組む。")]
    assert fired(texts) == {"ideographic_space_in_sentence"}
    assert len(lint(texts)) == 1


def test_ideographic_space_between_number_and_heading_is_fine() -> None:
    texts = [field("第1\u3000総則"), field("別表第2\u3000政策分野"), field("(1)\u3000取組"), field("一\u3000目的")]
    assert fired(texts) == set()


def test_ideographic_space_after_a_number_later_in_the_sentence_is_still_marked() -> None:
    assert fired([field("第1\u3000総則及び第2\u3000目的")]) == {"ideographic_space_in_sentence"}


# ---- 6: brackets ----------------------------------------------------------------------------------


def test_unclosed_bracket() -> None:
    texts = [field("「連携協約の変更について", "recital[0]")]
    assert fired(texts) == {"unbalanced_brackets"}
    assert messages(texts) == [f"{FILE}:1:1: recital[0]: '「' at character 1 is never closed with '」'"]


def test_closing_bracket_before_its_opening_one() -> None:
    texts = [field("連携協約」の変更「について")]  # the counts match; the order does not
    assert fired(texts) == {"unbalanced_brackets"}
    assert [m.split("heading: ")[1] for m in messages(texts)] == [
        "closing '」' at character 5 has no '「' before it",
        "'「' at character 9 is never closed with '」'",
    ]


def test_every_kind_of_bracket_is_checked() -> None:
    for opening, closing in (("「", "」"), ("（", "）"), ("『", "』"), ("【", "】"), ("(", ")")):
        assert fired([field(f"{opening}注")]) == {"unbalanced_brackets"}, opening
        assert fired([field(f"注{closing}")]) == {"unbalanced_brackets"}, closing
        assert fired([field(f"{opening}注{closing}")]) == set(), opening


def test_mixed_width_parentheses_do_not_pair() -> None:
    assert len(lint([field("（1)に定める")])) == 2


def test_balanced_item_number_and_nested_quotes_are_fine() -> None:
    assert fired([field("(1)に定める事業"), field("「『連携協約』（変更）」【別表】")]) == set()


# ---- 7: a dropped 。 --------------------------------------------------------------------------------


def test_sentence_without_full_stop_among_siblings() -> None:
    texts = contents("新事業の創出に取り組む。", "販路の拡大に取り組む", "熊本港の利用促進に取り組む。")
    assert fired(texts) == {"missing_full_stop"}
    assert messages(texts) == [
        (
            f"{FILE}:11:18: schedules[0].areas[1].content: the sentence ends without '。' at character 10, "
            "while 2 of the 3 content texts end with one"
        )
    ]


def test_siblings_span_tables_and_sections() -> None:
    texts = [
        field("甲と連携して取り組む。", "schedules[0].areas[0].partner_role"),
        field("甲と連携して取り組む。", "schedules[1].areas[2].partner_role"),
        field("甲と連携して取り組む", "schedules[2].sections[2].areas[0].partner_role"),
    ]
    [problem] = lint(texts)
    assert problem.field == "schedules[2].sections[2].areas[0].partner_role"


def test_recital_and_closing_are_one_family() -> None:
    texts = [field("次のとおり変更する。", "recital[0]"), field("別表を次のように改める。", "recital[1]"),
             field("それぞれ各1通を保有する", "closing")]
    assert [p.field for p in lint(texts)] == ["closing"]


def test_families_are_not_mixed() -> None:
    texts = [*contents("取り組む。", "取り組む。"), *contents("実施する", leaf="hub_role")]
    assert fired(texts) == set()  # the hub_role family has one member, without 。: its own style


def test_no_full_stop_where_most_siblings_have_none_is_fine() -> None:
    assert fired(contents("新事業の創出", "販路の拡大", "利用の促進。")) == set()
    assert fired(contents("取り組む。", "取り組む")) == set()  # one of two is no majority


def test_names_titles_and_addresses_need_no_full_stop() -> None:
    texts = [*contents("取り組む。", "取り組む。", "取り組む。", leaf="name"),
             field("熊本市中央区手取本町1番1号", "hub.address"), field("熊本市長", "hub.office")]
    assert fired(texts) == set()


def test_full_stop_inside_closing_quote_counts() -> None:
    assert fired(contents("「取り組む。」", "取り組む。", "取り組む。")) == set()


# ---- 8: doubled or dangling punctuation -----------------------------------------------------------


def test_text_ending_in_comma() -> None:
    texts = contents("取り組む。", "取り組む。", "子育て支援の充実を図り、")
    assert fired(texts) == {"doubled_or_dangling_punctuation"}  # not also a missing 。
    [message] = messages(texts)
    assert message.endswith("areas[2].content: the text ends with '、' at character 12")


def test_doubled_punctuation() -> None:
    texts = [field("取り組む。。"), field("高齢者、、障がい者等", "schedules[0].areas[0].name")]
    assert fired(texts) == {"doubled_or_dangling_punctuation"}
    assert [m.split(": ", 2)[2] for m in messages(texts)] == [
        "doubled punctuation '。。' at character 5",
        "doubled punctuation '、、' at character 4",
    ]


def test_ordinary_punctuation_is_fine() -> None:
    assert fired([field("高齢者、障がい者等の支援に取り組む。"), field("支援、相談。")]) == set()
