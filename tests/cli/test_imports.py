"""A plain build imports only what it uses: no fontTools, preflight, 新旧対照表, notice or process
pool (each costs a new process 10–30 ms, see docs/performance.md), no pyHanko (~390 ms with aiohttp)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("fontTools", "kyoyaku_pdf.records.preflight", "kyoyaku_pdf.text.comparison",
         "kyoyaku_pdf.layout.comparison", "concurrent.futures.process",
         "kyoyaku_pdf.input.revision", "kyoyaku_pdf.layout.notice", "pyhanko", "aiohttp",
         "kyoyaku_pdf.records.signing")
BUILD = """
import json, sys
from kyoyaku_pdf.cli.main import main
status = main(["build", "data/mifune-henko-r7.yaml", "-o", sys.argv[1]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def loaded_by_build(tmp_path: Path, cli_env: dict[str, str]) -> set[str]:
    env = {**cli_env, "KYOYAKU_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", BUILD, str(tmp_path / "out")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["status"] == 0
    return set(report["modules"])


def test_a_plain_build_imports_none_of_the_heavy_modules(tmp_path: Path, cli_env: dict[str, str]) -> None:
    first = loaded_by_build(tmp_path, cli_env)  # cold cache: fontTools draws the 印 once
    assert "fontTools" in first
    again = loaded_by_build(tmp_path, cli_env)
    assert "reportlab.platypus" in again  # the check sees what a build does import
    assert [m for m in HEAVY if m in again] == []

