"""The tests written before the catalogue assert the English texts: run them in English.

Tests of the Japanese wording ask for the ``japanese`` fixture, which sets the language back."""

from __future__ import annotations

import pytest

from kyoyaku_pdf.input import binding, source


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "en")


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch, english: None) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "ja")


@pytest.fixture(autouse=True)
def nothing_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads and binds its files afresh (source._read keeps trees by their bytes, and
    binding._bound their bindings: a test that watches the parser must see it run); test_source.py
    and test_loading.py test the keeping itself."""
    monkeypatch.setattr(source, "_read", {})
    monkeypatch.setattr(binding, "_bound", {})
