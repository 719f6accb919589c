"""`new`: start a partner's agreement file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import get_args

from ...errors import ExitStatus
from ...input.model import Kind
from ...input.scaffold import ScaffoldRefused, new_partner_file


def register(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="start a partner's agreement file, every field to fill marked",
                              description="Write DATA/PARTNER-ID.yaml for a new partner: the kind's shared texts "
                              "are named, every field to fill is marked <<記入: …>> (the file cannot be built until "
                              "all are filled in). An existing file is never overwritten.")
    new.add_argument("partner_id", metavar="PARTNER-ID", help="the agreement's id and file name, e.g. kumamoto-arao-r7")
    new.add_argument("--kind", choices=get_args(Kind), default="変更", help="変更 (default) or 締結 (a first agreement)")
    new.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help="the data folder (default: data)")
    new.set_defaults(run=_run_new)


def _run_new(args: argparse.Namespace) -> int:
    try:
        path = new_partner_file(args.data, args.partner_id, args.kind)
    except ScaffoldRefused as exc:
        print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    print(path)
    return ExitStatus.OK
