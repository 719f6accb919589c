"""A plain build imports only what it uses: no fontTools, preflight, 新旧対照表, notice or process
pool (each costs a new process 10–30 ms, see docs/performance.md), no pyHanko (~390 ms with aiohttp),
no archive or PDF/A pass, no pikepdf (~23 ms: pdf/writer.py writes the signing PDF itself); and the argument parser, built on every run, imports none of the pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

from kyoyaku_pdf.runtime import lazy_modules

REPO = Path(__file__).resolve().parents[2]
HEAVY = (*lazy_modules.MODULES, "fontTools", "kyoyaku_pdf.records.preflight", "kyoyaku_pdf.text.comparison",
         "kyoyaku_pdf.layout.comparison", "concurrent.futures.process",
         "kyoyaku_pdf.input.revision", "kyoyaku_pdf.layout.notice", "pyhanko", "aiohttp", "lxml",
         "kyoyaku_pdf.records.signing",
         # the archive's commands and the PDF/A pass (with importlib.resources for the ICC profile)
         "kyoyaku_pdf.records.archive", "kyoyaku_pdf.records.verify", "kyoyaku_pdf.records.executed",
         "kyoyaku_pdf.pdf.pdfa", "kyoyaku_pdf.pdf.signature_fields", "importlib.resources", "pikepdf",
         # xml.sax.saxutils brings these three (~20 ms); the XMP is escaped without it
         "urllib.request", "http.client", "email",
         # what Pillow's Image imports when it runs (lazy_modules.py: ReportLab imports it, a build never uses it)
         "PIL.ExifTags", "PIL.TiffTags", "PIL._imaging",
         # the prompt for a signing secret; the catalogue's parts are named (messages.PARTS), not listed
         "getpass", "termios", "pkgutil")
BUILD = """
import json, sys
from kyoyaku_pdf.runtime import lazy_modules
from kyoyaku_pdf.cli.main import main
status = main(["build", "data/mifune-henko-r7.yaml", "-o", sys.argv[1]])
modules = [m for m in sys.modules if m not in lazy_modules.MODULES or lazy_modules.loaded(m)]
print(json.dumps({"status": status, "modules": sorted(modules)}))
"""
#: The parser is made on every run, for every command; what it needs is names and choices.
PARSER = """
import json, sys
from kyoyaku_pdf.runtime import lazy_modules
from kyoyaku_pdf.cli.main import _parser
_parser().parse_args(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m not in lazy_modules.MODULES or lazy_modules.loaded(m))))
"""
#: What only running a command may import (the parser of `preflight` must not pay for them).
PIPELINE = ("yaml", "reportlab", "PIL", "multiprocessing", "kyoyaku_pdf.input.model",
            "kyoyaku_pdf.input.source", "kyoyaku_pdf.input.loading", "kyoyaku_pdf.cli.build",
            "kyoyaku_pdf.cli.batch", "kyoyaku_pdf.cli.watch", "kyoyaku_pdf.pdf.fonts", "kyoyaku_pdf.text.notice",
            *HEAVY)


def loaded_by_build(tmp_path: Path, cli_env: dict[str, str]) -> set[str]:
    env = {**cli_env, "KYOYAKU_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", BUILD, str(tmp_path / "out")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["status"] == 0
    return set(report["modules"])


def _imported(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` that are in ``modules``, a package counting when any of its modules is."""
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_a_plain_build_imports_none_of_the_heavy_modules(tmp_path: Path, cli_env: dict[str, str]) -> None:
    first = loaded_by_build(tmp_path, cli_env)  # cold cache: fontTools draws the 印 once
    assert "fontTools" in first
    again = loaded_by_build(tmp_path, cli_env)
    assert "reportlab.platypus" in again  # the check sees what a build does import
    assert "kyoyaku_pdf.pdf.metadata" in again  # … and the XMP is written (without xml.sax)
    assert _imported(again, HEAVY) == []


def test_the_parser_imports_none_of_the_pipeline(cli_env: dict[str, str]) -> None:
    for argv in (["preflight", "x.pdf"], ["build", "--pdfa", "2u"], ["archive", "a.yaml", "--pdfa", "1b"],
                 ["new", "x", "--kind", "締結"], ["notice", "a.yaml"], ["verify-archive"]):
        result = subprocess.run([sys.executable, "-c", PARSER, *argv], cwd=REPO, env=cli_env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        modules = set(json.loads(result.stdout))
        assert "argparse" in modules and "kyoyaku_pdf.cli.commands.archive" in modules  # it did run
        assert _imported(modules, PIPELINE) == [], argv


def test_the_parsers_choices_are_the_modules_own() -> None:
    """The names the parser offers without importing the modules that act on them are theirs."""
    from kyoyaku_pdf.cli.build import ELECTRONIC_LEVEL
    from kyoyaku_pdf.input.choices import KINDS
    from kyoyaku_pdf.input.model import ROLE_FIELDS, Kind
    from kyoyaku_pdf.pdf.pdfa import LEVELS
    from kyoyaku_pdf.records.choices import DEFAULT_PDFA_LEVEL, PDFA_LEVELS, ROLES

    assert PDFA_LEVELS == tuple(sorted(LEVELS)) and DEFAULT_PDFA_LEVEL == "2a" in LEVELS
    assert ELECTRONIC_LEVEL == "2a" in LEVELS
    assert KINDS == get_args(Kind)
    assert ROLES == tuple(ROLE_FIELDS)


#: A lazy module runs its code when first used, with the same result (here: Pillow drawing through ReportLab).
USE_LAZY = """
import sys
import kyoyaku_pdf
from reportlab.lib.utils import Image, ImageReader
from kyoyaku_pdf.runtime import lazy_modules
before = [lazy_modules.loaded(m) for m in ("PIL.Image", "pickle")]
import pickle  # imported again: the import system reads its __spec__, which runs it
reader = ImageReader(Image.new("RGB", (3, 2), "red"))
print(before, reader.getSize(), reader.getRGBData() == bytes([255, 0, 0]) * 6, pickle.loads(pickle.dumps({1: 2})),
      [lazy_modules.loaded(m) for m in ("PIL.Image", "pickle")], "PIL._imaging" in sys.modules)
"""


def test_a_lazy_module_works_when_it_is_used(cli_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-c", USE_LAZY], cwd=REPO, env=cli_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == "[False, False] (3, 2) True {1: 2} [True, True] True".split()
