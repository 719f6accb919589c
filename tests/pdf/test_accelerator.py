"""ReportLab's C accelerator (rl-accel) only makes builds faster: the same bytes without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: builds the bundled agreement; with "block", as if the rl-accel wheel were not installed
BUILD = """
import sys
if sys.argv[1] == "block":
    sys.modules["_rl_accel"] = None  # import of it fails: ReportLab uses its Python code
from kyoyaku_pdf.cli.main import main
import reportlab.lib.rl_accel as accel
print("python" if accel._py_funcs else "c", file=sys.stderr)
sys.exit(main(["build", "data/mifune-henko-r7.yaml", "-o", sys.argv[2]]))
"""


def test_the_accelerator_changes_no_byte(tmp_path: Path, cli_env: dict[str, str]) -> None:
    pdfs = {}
    for mode in ("block", "use"):
        result = subprocess.run([sys.executable, "-c", BUILD, mode, str(tmp_path / mode)], cwd=REPO, env=cli_env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        pdfs[result.stderr.split()[0]] = next((tmp_path / mode).rglob("*.pdf")).read_bytes()
    assert set(pdfs) == {"python", "c"}  # both code paths really ran
    assert pdfs["python"] == pdfs["c"]
