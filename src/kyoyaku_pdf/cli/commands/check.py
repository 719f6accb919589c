"""`check`: validate agreement files without writing anything."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch import proofread
from ..build import (
    check_agreement,
)
from ..common import agreement_paths, each


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="check agreement files without writing anything",
                                description="Check agreement files and the shared files they use: keys, "
                                "types, dates, duplicates, overrides, that the font can draw every character and "
                                "that the names fit the signature column; print 公用文 proof-reading warnings.")
    check.add_argument("files", nargs="*", type=Path, metavar="AGREEMENT.yaml",
                       help="agreement files or folders of them (default: every agreement file in data/)")
    check.add_argument("--strict", action="store_true",
                       help="treat proof-reading warnings (公用文: mixed digit widths, half-width katakana, stray "
                       "spaces, unbalanced brackets, a missing 。 …) as errors: exit 2 if there are any")
    check.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    def check(path: Path) -> None:
        warnings = proofread(check_agreement(path), args.strict)
        for warning in warnings:
            print(warning, file=sys.stderr)
        print(f"{path}: ok" + (f" ({len(warnings)} warnings)" if warnings else ""))

    return each(agreement_paths(args.files), check)
