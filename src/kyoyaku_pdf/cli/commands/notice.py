"""`notice`: each party's 告示 draft and the 届出."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..build import (
    write_notices,
)
from ..common import each, fail_usage, iso_date


def register(commands: argparse._SubParsersAction) -> None:
    notice = commands.add_parser("notice", help="write each party's 告示 draft and 届出 to the 熊本県知事",
                                 description="Write, for 甲 and 乙, the 告示 draft (title line with ○, date, number, "
                                 "the body under 地方自治法第252条の2, then the agreement with its 別表) and the 届出 "
                                 "cover letter to the 熊本県知事, as PDF and as plain text for the 例規 system, under "
                                 "OUTDIR/<id>/notices/. Unknown dates and numbers are left blank to fill in.")
    notice.add_argument("file", type=Path, metavar="AGREEMENT.yaml", help="the agreement")
    notice.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="OUTDIR", help="output folder (default: out)")
    notice.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the date of the notices (default: blank)")
    notice.add_argument("--number", action="append", default=[], metavar="ROLE=N",
                        help="a party's 告示/文書 number, e.g. --number 甲=123 --number 乙=45 (default: blank)")
    notice.set_defaults(run=_run_notice)


def _run_notice(args: argparse.Namespace) -> int:
    numbers = dict(item.split("=", 1) for item in args.number if "=" in item)
    unknown = [item for item in args.number if "=" not in item or item.split("=", 1)[0] not in ("甲", "乙")]
    if unknown:
        return fail_usage(f"--number takes 甲=N or 乙=N, not {', '.join(unknown)}")

    def write(path: Path) -> None:
        for written in write_notices(path, args.out, args.date, numbers):
            print(written)

    return each([args.file], write)
