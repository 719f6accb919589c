"""The tests written before the catalogue assert the English texts: run them in English.

Tests of the Japanese wording ask for the ``japanese`` fixture, which sets the language back."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "en")


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch, english: None) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "ja")
