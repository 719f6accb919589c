"""model + binding: every field is checked against the model's types, with located messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kyoyaku_pdf.input.binding import Binder, json_schema
from kyoyaku_pdf.cli.commands.schema import schema_texts
from kyoyaku_pdf.input.model import DEFAULT_SEAL_MM, AgreementFile, Party
from kyoyaku_pdf.input.source import read_source

REPO = Path(__file__).resolve().parents[2]
GOOD = """\
id: test-henko
common: common.yaml
date: 2025-03-24
partner:
  address: 御船町大字御船995番地1
  municipality: 御船町
  office: 御船町長
  name: 藤木正
kind: 変更
"""


def bind(tmp_path: Path, text: str) -> tuple[AgreementFile | None, list[str]]:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    binder = Binder()
    value = binder.bind(AgreementFile, read_source(path))
    return value, [str(p).replace(str(path), "F") for p in binder.problems]


def test_good_file_binds_to_frozen_model(tmp_path: Path) -> None:
    value, problems = bind(tmp_path, GOOD)
    assert problems == []
    assert value is not None and value.partner.seal_mm == DEFAULT_SEAL_MM
    with pytest.raises(AttributeError):
        value.partner.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  name: 藤木正\n", "  name: 藤木正\n  nmae: x\n", "F:9:3: 乙 nmae [partner.nmae]: unknown key 'nmae'; did you mean name?"),
        ("  office: 御船町長\n", "", "F:5:3: 乙 職名 [partner.office]: missing key: add 'office: …'"),
        ("date: 2025-03-24", "date: 令和7年3月24日", "F:3:7: 締結日 [date]: write the date in ISO form (the 和暦 is printed for you): '令和7年3月24日' → 2025-03-24"),
        ("name: 藤木正", 'name: ""', "F:8:9: 乙 氏名 [partner.name]: the text is empty"),
        ("name: 藤木正", "name: [藤木, 正]", "F:8:9: 乙 氏名 [partner.name]: expected text, got a list"),
        ("name: 藤木正", "name: 藤木正\n  seal_mm: 300", "F:9:12: 乙 公印の大きさ [partner.seal_mm]: 300 is out of range (10–60)"),
        ("id: test-henko", "id: ../escape", "F:1:5: 識別子 [id]: '../escape' does not match the required form ^[a-z0-9][a-z0-9-]{0,63}$"),
        ("partner:\n", "print:\n  seal_position: left\npartner:\n", "F:5:18: 印刷の設定 押印欄の位置 [print.seal_position]: must be one of: over-last-char / after-name; got the text 'left'"),
    ],
    ids=["unknown-key", "missing-key", "wrong-date", "empty-text", "wrong-type", "range", "pattern", "choice"],
)
def test_each_kind_of_error_is_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    value, problems = bind(tmp_path, GOOD.replace(old, new))
    assert value is None
    assert problems == [expected]


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("date: 2025-03-24", "date: tomorrow").replace("  office: 御船町長\n", "")
    _, problems = bind(tmp_path, text)
    assert len(problems) == 2


def test_schema_comes_from_the_model() -> None:
    schema = json_schema(AgreementFile, "t")
    party = schema["$defs"]["Party"]
    assert party["required"] == ["address", "municipality", "office", "name"]
    assert party["additionalProperties"] is False
    assert party["properties"]["seal_mm"]["default"] == DEFAULT_SEAL_MM
    assert set(party["properties"]) == set(Party.__dataclass_fields__)


def test_every_described_object_is_described_in_words() -> None:
    """A dataclass without a docstring gets its signature as one, which an editor would then show
    the clerk as the object's description (it did for Cover)."""
    for text in schema_texts().values():
        for name, definition in json.loads(text).get("$defs", {}).items():
            assert not definition.get("description", "").startswith(f"{name}("), name


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_committed_schema_is_the_generated_one(name: str) -> None:
    committed = (REPO / "schema" / name).read_text(encoding="utf-8")
    assert committed == schema_texts()[name], "run `kyoyaku-pdf schema` and commit schema/"


def test_bundled_data_validates_against_the_published_schemas() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    pairs = [
        ("agreement.schema.json", "mifune-henko-r7.yaml"),
        ("common.schema.json", "common/kumamoto-henko-r7.yaml"),
        ("schedules.schema.json", "common/beppyo-r7.yaml"),
    ]
    for schema_name, data_name in pairs:
        schema = json.loads((REPO / "schema" / schema_name).read_text(encoding="utf-8"))
        data = yaml.safe_load((REPO / "data" / data_name).read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as ISO text, as JSON has them
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
