"""The catalogue of input/ and lint: every message in both languages, the Japanese one in Japanese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from kyoyaku_pdf.messages import catalogue
from kyoyaku_pdf.messages import input as input_messages
from kyoyaku_pdf.messages import lint as lint_messages

SOURCE = Path(__file__).resolve().parents[2] / "src" / "kyoyaku_pdf" / "input"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
#: Entries that are words in both languages' document vocabulary (a unit, a conjunction).
WORDS = {"lint-and"}
ENTRIES = {**input_messages.MESSAGES, **lint_messages.MESSAGES}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(ENTRIES))
def test_every_message_has_both_languages_with_the_same_values(code: str) -> None:
    ja, en = ENTRIES[code]
    assert ja.strip() and en.strip()
    # both are filled by the same call: neither may need a value the other does not take
    assert fields(ja) == fields(en), f"{code}: the two languages take different values"
    if code not in WORDS:
        bare = re.sub(r"\{[^}]*\}|「[^」]*」", "", ja)
        assert JAPANESE.search(bare), f"{code}: the Japanese text has no kana or kanji: {ja!r}"


def test_the_parts_are_in_the_merged_catalogue() -> None:
    assert ENTRIES.keys() <= catalogue().keys()


def test_every_code_the_input_modules_use_is_in_the_catalogue() -> None:
    """A code typed wrong in the source would be a KeyError in front of a clerk."""
    used = set()
    for module in SOURCE.glob("*.py"):
        used |= set(re.findall(r'"((?:file|char|yaml|value|key|type|got|list|not|text|number|date|kind|path|schedule'
                               r'|area|placeholder|override|shared|revision|new|lint)-[a-z0-9_-]+)"', module.read_text()))
    missing = {code for code in used if code not in catalogue() and not code.endswith("-")}
    assert not missing, sorted(missing)
    assert len(used) > 80
