"""The YAML data is a faithful transcription of the signed 変更連携協約書.

Source of truth: tests/fixtures/seed-mifune-henko-r7.txt, the text of the signed
agreement between 熊本市 and 御船町 (令和7年3月24日) pulled out of its PDF.

This test deliberately uses no kyoyaku_pdf code: the YAML is read with
yaml.safe_load, the few things the program derives (item numbers, captions,
placeholders, the 令和 date) are rebuilt here by tiny local helpers, and the
seed is cleaned only of the known PDF-extraction artefacts, each by an explicit,
narrow rule whose number of hits is itself asserted.

The check consumes the normalised seed unit by unit, in document order; between
units only whitespace may be skipped, and once every unit is consumed nothing but
whitespace may remain.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed-mifune-henko-r7.txt"
AGREEMENT = ROOT / "data" / "mifune-henko-r7.yaml"

# --- normalisation of the seed: extraction artefacts only -------------------

# (artefact, replacement, expected number of occurrences in the seed)
SPACED = [
    # narrow table column wrapped inside a word
    ("広域的 道路網の 構築", "広域的道路網の構築", 1),
    ("移住・ 定住の促 進", "移住・定住の促進", 1),
    ("職員の 育成", "職員の育成", 1),
    # letter-spaced Latin abbreviations
    ("D V", "DV", 1),
    ("I C T を", "ICTを", 2),  # in the area name and in its 取組内容
]
# Markdown-like markers before two 別表第3 sub-headings ("## 2 …", "### 3 …")
HASH_HEADING = re.compile(r"^#{2,3} (?=\d+ )", re.MULTILINE)
HASH_HEADING_COUNT = 2

# Row labels printed in every table row, and the party labels printed before the
# addresses in the signature block: fixed words of the layout, not data.
CONTENT_LABEL, HUB_ROLE_LABEL, PARTNER_ROLE_LABEL = "取組内容", "甲の役割", "乙の役割"
HUB_LABEL, PARTNER_LABEL = "甲", "乙"


def normalised_seed() -> str:
    text = SEED.read_text(encoding="utf-8")
    for artefact, fixed, count in SPACED:
        assert text.count(artefact) == count, f"seed changed: {artefact!r}"
        text = text.replace(artefact, fixed)
    text, n = HASH_HEADING.subn("", text)
    assert n == HASH_HEADING_COUNT, "seed changed: ##/### sub-headings"
    assert "#" not in text
    # Tabs separate table cells: a cell break is just whitespace.
    text = text.replace("\t", "\n")
    return text


# --- the units the data produces, in document order ---------------------------


def load_data() -> tuple[dict, dict, dict]:
    agreement = yaml.safe_load(AGREEMENT.read_text(encoding="utf-8"))
    common_path = AGREEMENT.parent / agreement["common"]
    common = yaml.safe_load(common_path.read_text(encoding="utf-8"))
    schedules_path = common_path.parent / common["schedules"]
    schedules = yaml.safe_load(schedules_path.read_text(encoding="utf-8"))
    return agreement, common, schedules


def reiwa(d: dt.date) -> str:
    """ISO date -> 令和N年M月D日 (令和 only; half-width digits, 元年 for 2019)."""
    assert d >= dt.date(2019, 5, 1), "only 令和 dates are expected here"
    year = d.year - 2018
    return f"令和{'元' if year == 1 else year}年{d.month}月{d.day}日"


def fill(template: str, hub: dict, partner: dict, copies: int) -> str:
    text = (
        template.replace("{甲}", hub["municipality"])
        .replace("{乙}", partner["municipality"])
        .replace("{通数}", str(copies))
    )
    assert "{" not in text and "}" not in text, f"unknown placeholder in {template!r}"
    return text


def area_units(areas: list[dict]) -> list[str]:
    units = []
    for n, area in enumerate(areas, 1):
        assert set(area) == {"name", "content", "hub_role", "partner_role"}, area
        units += [
            f"({n}) {area['name']}",
            CONTENT_LABEL,
            area["content"],
            HUB_ROLE_LABEL,
            area["hub_role"],
            PARTNER_ROLE_LABEL,
            area["partner_role"],
        ]
    return units


def document_units(agreement: dict, common: dict, schedules: dict) -> list[str]:
    hub, partner, copies = common["hub"], agreement["partner"], common["copies"]
    date = agreement["date"]
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    units: list[str] = []
    units += common["cover"]["title_lines"]
    # the cover's party line is derived from the parties
    units += [hub["municipality"], partner["municipality"]]
    units.append(fill(common["heading"], hub, partner, copies))
    units += [fill(r, hub, partner, copies) for r in common["recital"]]
    units.append(fill(common["closing"], hub, partner, copies))
    units.append(reiwa(date))
    for label, party in ((HUB_LABEL, hub), (PARTNER_LABEL, partner)):
        units.append(label)
        units += [party["address"], party["municipality"], party["office"], party["name"]]
    for n, sched in enumerate(schedules["schedules"], 1):
        assert ("areas" in sched) != ("sections" in sched), "areas xor sections"
        units.append(f"別表第{n}（{sched['basis']}関係）")
        units.append(sched["title"])
        if "areas" in sched:
            units += area_units(sched["areas"])
        else:
            for k, section in enumerate(sched["sections"], 1):
                assert set(section) == {"title", "areas"}, section
                units.append(f"{k} {section['title']}")
                units += area_units(section["areas"])
    return units


# --- consuming the seed -------------------------------------------------------


class Mismatch(AssertionError):
    pass


def consume(text: str, units: list[str]) -> None:
    pos = 0
    for i, unit in enumerate(units):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if not text.startswith(unit, pos):
            raise Mismatch(
                f"unit #{i} {unit!r} does not match the seed at offset {pos}: "
                f"{text[pos:pos + len(unit) + 20]!r}"
            )
        pos += len(unit)
    rest = text[pos:]
    if rest.strip():
        raise Mismatch(f"seed text left over after the last unit: {rest.strip()[:80]!r}")


def text_leaves(obj, path=()):
    """Every str/int/date leaf of the data, with its path (file references excluded)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from text_leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from text_leaves(v, path + (i,))
    else:
        yield path, obj


# identifiers, file references and the document kind: not printed, so not in the seed text
FILE_REFS = {("agreement", "id"), ("agreement", "common"), ("common", "schedules"),
             ("agreement", "kind"), ("common", "kind"),
             ("common", "electronic_closing")}  # printed only in the electronic original (build --electronic)


def data_leaves(agreement, common, schedules):
    doc = {"agreement": agreement, "common": common, "schedules": schedules}
    for path, value in text_leaves(doc):
        if path not in FILE_REFS:
            yield path, value


# --- tests --------------------------------------------------------------------


def test_data_reproduces_the_signed_text_exactly():
    agreement, common, schedules = load_data()
    consume(normalised_seed(), document_units(agreement, common, schedules))


def test_texts_are_clean_single_lines():
    agreement, common, schedules = load_data()
    for path, value in data_leaves(agreement, common, schedules):
        if isinstance(value, str):
            assert value == value.strip(), path
            assert "\n" not in value and "\t" not in value, path
            assert "  " not in value, path
    assert isinstance(common["copies"], int)
    assert isinstance(agreement["date"], dt.date)


def test_shape_and_counts():
    _, _, schedules = load_data()
    s1, s2, s3 = schedules["schedules"]
    assert [s["basis"] for s in (s1, s2, s3)] == ["第3条第1号", "第3条第2号", "第3条第3号"]
    assert len(s1["areas"]) == 3 and "sections" not in s1
    assert len(s2["areas"]) == 3 and "sections" not in s2
    assert "areas" not in s3
    assert [len(sec["areas"]) for sec in s3["sections"]] == [12, 4, 1]


def test_reiwa_helper():
    assert reiwa(dt.date(2025, 3, 24)) == "令和7年3月24日"
    assert reiwa(dt.date(2019, 5, 1)) == "令和元年5月1日"


def _mutations(value):
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, dt.date):
        return [value + dt.timedelta(days=1)]
    assert isinstance(value, str) and value
    mid = len(value) // 2
    other = "〓" if value[mid] != "〓" else "＝"
    return [
        value[:mid] + other + value[mid + 1 :],  # substitute one character
        value[:mid] + value[mid + 1 :],  # drop one character
        value + "。",  # append one character
    ]


def _set(doc, path, value):
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def test_one_character_change_anywhere_is_detected():
    """Self-check of the checker: every single-character change to any text fails."""
    agreement, common, schedules = load_data()
    seed = normalised_seed()
    original = {"agreement": agreement, "common": common, "schedules": schedules}
    checked = 0
    for path, value in data_leaves(agreement, common, schedules):
        for mutated in _mutations(value):
            doc = copy.deepcopy(original)
            _set(doc, path, mutated)
            with pytest.raises(Mismatch):
                consume(seed, document_units(doc["agreement"], doc["common"], doc["schedules"]))
            checked += 1
    assert checked > 300
