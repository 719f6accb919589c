"""_deferred_regex: ReportLab's import-time patterns compiled on first use — and working the same."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from kyoyaku_pdf._deferred_regex import DeferredPattern

PROBE = """
import json, re
import kyoyaku_pdf
real_compile = re.compile
import reportlab.platypus.paragraph as paragraph, reportlab.lib.textsplit as textsplit
import reportlab.platypus.paraparser as paraparser
urls = ["https://example.com/a?b", "mailto:x@y.z", "ftp://127.0.0.1:21/", "not a url", "HTTP://例え.テスト/"]
print(json.dumps({
    "deferred": [type(p).__name__ for p in (paragraph.uri_pat, paragraph._hy_shy_pat, textsplit.rx)],
    "elsewhere": type(paraparser._re_us_value).__name__,
    "restored": re.compile is real_compile and re.compile.__module__ == "re",
    "matches": [bool(paragraph.uri_pat.match(u)) for u in urls],
    "expected": [bool(real_compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags).match(u)) for u in urls],
    "split": textsplit.wordSplit("熊本市 and 御船町", 200, "Helvetica", 10) == textsplit.wordSplit("熊本市 and 御船町", 200, "Helvetica", 10),
}))
"""


def test_reportlabs_import_time_patterns_are_deferred_and_behave_the_same(cli_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], env=cli_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["deferred"] == ["DeferredPattern"] * 3
    assert report["elsewhere"] == "Pattern"  # a module imported meanwhile compiles as ever
    assert report["restored"]
    assert report["matches"] == report["expected"] and report["matches"][0] and not report["matches"][3]
    assert report["split"]


def test_a_deferred_pattern_compiles_once_on_first_use() -> None:
    pattern = DeferredPattern(r"(\d+)-(\d+)", re.IGNORECASE)
    assert pattern._compiled is None
    assert pattern.match("12-34").groups() == ("12", "34")
    compiled = pattern._compiled
    assert pattern.sub(r"\2-\1", "12-34") == "34-12" and pattern._compiled is compiled
    assert pattern.flags & re.IGNORECASE and pattern.pattern == r"(\d+)-(\d+)"
