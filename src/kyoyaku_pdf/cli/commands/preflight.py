"""`preflight`: check PDF/A files of any origin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import ExitStatus


def register(commands: argparse._SubParsersAction) -> None:
    preflight = commands.add_parser("preflight", help="check PDF/A files against the ISO 19005-2 rules (any PDF)",
                                    description="Check PDF/A files of any origin against the ISO 19005-2 rules "
                                    "that apply to text documents; each finding names its clause. Exit 0 if every "
                                    "file passes, 1 if any has findings, 2 if a file cannot be read.")
    preflight.add_argument("pdfs", nargs="+", type=Path, metavar="FILE.pdf", help="the files to check")
    preflight.set_defaults(run=_run_preflight)


def _run_preflight(args: argparse.Namespace) -> int:
    # imported here, not at the top: pikepdf and fontTools are needed by this command only
    from ...records.preflight import pdfbox_available, pdfbox_preflight, preflight

    status = ExitStatus.OK
    for path in args.pdfs:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            status = max(status, ExitStatus.BAD_INPUT)
            continue
        report = preflight(path)
        verdict = "passes" if report.valid else f"fails ({len(report.findings)} findings)"
        print(f"{path}: claims {report.claimed}; ISO 19005-2 preflight {verdict}, {len(report.checked)} checks")
        for finding in report.findings:
            print(f"  {finding}")
        valid = report.valid
        if report.claimed.startswith("PDF/A-1"):
            valid = _pdfbox_verdict(path) and valid
        if not valid:
            status = max(status, ExitStatus.FINDINGS)  # 1: findings (a verdict, not a crash)
    return status


def _pdfbox_verdict(path: Path) -> bool:
    """The full PDF/A-1b rules are PDFBox Preflight's; run it when it is installed."""
    if not pdfbox_available():
        print("  note: PDF/A-1 files need Apache PDFBox Preflight for the full part-1 rules; it is not installed")
        return True
    valid, output = pdfbox_preflight(path)
    print("  Apache PDFBox Preflight: " + output.replace("\n", "\n  "))
    return valid
