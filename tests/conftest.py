"""Generic fixtures shared by the test modules."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder (holds data/, fonts/ and src/)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def cli_env() -> dict[str, str]:
    """Environment for running ``python -m kyoyaku_pdf`` in a subprocess: the repo's src/ first on
    PYTHONPATH, and no SOURCE_DATE_EPOCH inherited from the caller (tests set it when they mean to)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    return env


@pytest.fixture(autouse=True)
def language_from_the_environment() -> Iterator[None]:
    """``main(["--lang", …])`` sets the language for the whole process: put it back after each test,
    so a test's language is its own (KYOYAKU_LANG, set by the folder's conftest or the test)."""
    from kyoyaku_pdf.messages import set_language

    set_language(None)
    yield
    set_language(None)
