"""deferred_regex: import-time patterns (ReportLab's and the others of MODULES) compiled on first use — and working the same."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from kyoyaku_pdf.runtime.deferred_regex import DeferredPattern

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


OTHERS = """
import json, re
import kyoyaku_pdf
import html, html.parser, platform, textwrap, yaml, yaml.reader, yaml.resolver, io, logging, string, tokenize
import pikepdf.models.metadata._constants as xmp, pikepdf.models.metadata._converters as dates
import reportlab.lib.normalDate as normalDate, reportlab.lib.PyFontify as fontify, reportlab.lib.rl_safe_eval as safe
patterns = {"yaml": yaml.reader.Reader.NON_PRINTABLE, "platform": platform._sys_version_parser,
            "textwrap": textwrap.TextWrapper.wordsep_re, "html": html._charref,
            "html.parser": html.parser.tagfind_tolerant, "xmp": xmp.re_xml_illegal_chars,
            "normalDate": normalDate._fmtPat, "fontify": fontify.matchRE, "safe": safe.__rl_unsafe_re__,
            "cookie": tokenize.cookie_re, "template": string.Template.pattern,
            "logging": logging.StrFormatStyle.fmt_spec, "resolver": yaml.resolver.Resolver.yaml_implicit_resolvers["~"][0][1],
            "dates": dates._re_pdf_date}
def log_format(fmt, style):
    try:
        logging.Formatter(fmt, style=style)
    except ValueError:
        return False
    return True
def refused(text):
    try:
        yaml.safe_load(text)
    except yaml.reader.ReaderError:
        return True
    return False
class Tags(html.parser.HTMLParser):
    seen = []
    def handle_starttag(self, tag, attrs): self.seen.append((tag, attrs))
Tags().feed('<a href="x">y</a><b class=c>')
print(json.dumps({
    "types": {name: type(p).__name__ for name, p in patterns.items()},
    "yaml": [refused("a: \\x07\\n"), refused("a: 熊本\\n")],
    "platform": platform.python_implementation(),
    "wrap": textwrap.wrap("one two three four", 9),
    "unescape": html.unescape("&amp;&#x41;&lt;"),
    "tags": Tags.seen,
    "xmp": xmp.clean("a\\x00b"),
    "date": normalDate.NormalDate(20250324).formatMS("{yyyy}-{mm}-{dd}"),
    "fontify": len(fontify.fontify("def f(x):\\n    return 'y'  # z\\n")),
    "safe": safe.rl_safe_eval("1 + 2"),
    "encoding": tokenize.detect_encoding(io.BytesIO(b"# -*- coding: latin-1 -*-\\nx = 1\\n").readline)[0],
    "template": string.Template("$a and ${b}").substitute(a="甲", b="乙"),
    "logging": [log_format("{name:>10}", "{"), log_format("{name:!}", "{"), log_format("$name", "$")],
    "resolved": [repr(v) for v in yaml.safe_load("[yes, 0x1F, 1.5e+3, ~, 2025-03-24, '7', seven]")],
    "dates": [dates.decode_pdf_date("D:20250324093000+09'00'").isoformat(),
              dates.parse_xmp_date("2025-03-24T09:30:00+09:00").isoformat()],
}))
"""


def test_the_other_modules_patterns_are_deferred_and_behave_the_same(cli_env: dict[str, str]) -> None:
    """PyYAML's reader, pikepdf's XMP cleaners and the rest (MODULES): each still does its work."""
    result = subprocess.run([sys.executable, "-c", OTHERS], env=cli_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report.pop("types").values()) == {"DeferredPattern"}
    assert report == {
        "yaml": [True, False], "platform": "CPython", "wrap": ["one two", "three", "four"],
        "unescape": "&A<", "tags": [["a", [["href", "x"]]], ["b", [["class", "c"]]]], "xmp": "ab",
        "date": "2025-03-24", "fontify": 5, "safe": 3,
        "encoding": "iso-8859-1", "template": "甲 and 乙", "logging": [True, False, True],
        "resolved": ["True", "31", "1500.0", "None", "datetime.date(2025, 3, 24)", "'7'", "'seven'"],
        "dates": ["2025-03-24T09:30:00+09:00"] * 2,
    }
