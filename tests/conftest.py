"""Generic fixtures shared by the test modules."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kyoyaku_pdf.records import verapdf as verapdf_module
from kyoyaku_pdf.records.verapdf import VeraPdf

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


@pytest.fixture(scope="session")
def pdfa_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``pdfa_file(level)`` → the bundled agreement's PDF/A file at that level ("2u", "2b", "1b"), built once
    per session on first use (treat it as read-only: copy it before editing)."""
    from kyoyaku_pdf.cli.main import main

    built: dict[str, Path] = {}

    def get(level: str) -> Path:
        if level not in built:
            out = tmp_path_factory.mktemp(f"pdfa-{level}")
            agreement = REPO_ROOT / "data" / "mifune-henko-r7.yaml"
            assert main(["build", "--pdfa", level, "-o", str(out), str(agreement)]) == 0
            files = sorted(out.glob(f"*/*-pdfa-{level}.pdf"))
            assert len(files) == 1, f"expected one PDF/A-{level} file, found {files}"
            built[level] = files[0]
        return built[level]

    return get


@pytest.fixture(scope="session")
def verapdf() -> Iterator[VeraPdf]:
    """One veraPDF JVM for the whole session: ``verapdf.validate(path, "ua1")`` → a Result whose
    ``passed`` is the verdict and whose ``str()`` lists every failed rule (for assertion messages).

    Skipped where veraPDF is not installed (``pip install '.[verapdf]'``, ``apt-get install libjaxb-java
    default-jdk-headless``); under CI=true, where ``make test`` installs it, its absence is a failure.
    """
    needs = verapdf_module.missing()
    if needs:
        why = "veraPDF is not available: missing " + "; ".join(needs)
        if os.environ.get("CI") == "true":
            pytest.fail(why + " (CI=true: `make test` installs it, so this is a set-up error)")
        pytest.skip(why)
    with VeraPdf() as validator:
        validator.start()
        yield validator


@pytest.fixture(autouse=True)
def language_from_the_environment() -> Iterator[None]:
    """``main(["--lang", …])`` sets the language for the whole process: put it back after each test,
    so a test's language is its own (KYOYAKU_LANG, set by the folder's conftest or the test)."""
    from kyoyaku_pdf.messages import set_language

    set_language(None)
    yield
    set_language(None)
