"""The cli tests compare exact English lines (the catalogue's second language) unless a test asks
for Japanese (``--lang ja`` or KYOYAKU_LANG=ja) to check the default wording."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "en")
