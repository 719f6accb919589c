"""Installs like a tool: a wheel built from the checkout, installed (not editable) in a fresh virtual
environment, runs from / and finds its bundled fonts and ICC profile as package data.

The wheel is built as ``pip install .`` builds it (isolated build, setuptools from PyPI); the
fresh environment gets the package from the wheel only, and its dependencies from the shared
environment's site-packages (a path entry, like --system-site-packages), so no other download
is needed. About 20 s; part of the ordinary suite, so it runs in CI (marker ``install``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from datafiles import AGREEMENT, DATA, REPO

pytestmark = pytest.mark.install


def _run(*args: str | Path, cwd: Path = Path("/"), env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with kyoyaku-pdf installed from a wheel of a copy of the checkout."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in ("src", "fonts"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = root / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("kyoyaku_pdf-*.whl")
    venv = root / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    install = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    assert install.returncode == 0, install.stderr
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KYOYAKU_FONT_DIR", "SOURCE_DATE_EPOCH")}


def test_the_wheel_carries_the_fonts_once_and_the_icc_profile(installed: Path) -> None:
    [wheel] = (installed.parent / "wheels").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for font in sorted(p.name for p in (REPO / "fonts").iterdir()):
        assert names.count(f"kyoyaku_pdf/fonts/{font}") == 1
    assert "kyoyaku_pdf/pdf/icc/sRGB.icc" in names
    assert not (REPO / "src" / "kyoyaku_pdf" / "fonts").exists(), "the checkout keeps one copy of the fonts"


def test_the_installed_tool_builds_from_the_root_folder(installed: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    agreement = data / AGREEMENT  # a rare character, so the 46 MB fallback font is needed too
    agreement.write_text(agreement.read_text(encoding="utf-8").replace("name: 藤木正", "name: 𠮷田正")
                         + "print:\n  fallback_font: ipamj-mincho\n", encoding="utf-8")
    tool = installed / "bin" / "kyoyaku-pdf"
    result = _run(tool, "build", agreement, "-o", tmp_path / "out", "--pdfa", env=_clean_env())
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "out" / "kumamoto-mifune-henko-r7" / "kumamoto-mifune-henko-r7.pdf"
    assert Path(result.stdout.splitlines()[0]) == pdf and pdf.read_bytes().startswith(b"%PDF-")
    fonts = _run("pdffonts", pdf).stdout
    assert "BIZUDMincho" in fonts and "IPAmjMincho" in fonts
    assert "𠮷田正" in _run("pdftotext", pdf, "-").stdout
    assert (tmp_path / "out" / "kumamoto-mifune-henko-r7" / "kumamoto-mifune-henko-r7-pdfa-2a.pdf").is_file()  # the default level
    where = _run(installed / "bin" / "python", "-c", "import kyoyaku_pdf.pdf.fonts as f; print(f.FONT_DIR)", env=_clean_env())
    assert Path(where.stdout.strip()).is_relative_to(installed), "fonts come from the installed package"


def test_version_names_the_fonts_versions(installed: Path) -> None:
    result = _run(installed / "bin" / "kyoyaku-pdf", "--version", env=_clean_env())
    assert result.returncode == 0
    assert "Version 1.05" in result.stdout and "Version 005.01" in result.stdout and "BIZUDMincho" in result.stdout
