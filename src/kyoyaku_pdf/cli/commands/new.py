"""`new`: start a partner's agreement file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...errors import ExitStatus
from ...input.choices import KINDS
from ...messages import shown, text
from ..common import agreement_files, agreement_ids


def register(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help=text("help-new"), description=text("help-new-description"))
    new.add_argument("partner_id", metavar="PARTNER-ID", help=text("help-new-id"))
    new.add_argument("--kind", choices=KINDS, default="変更", help=text("help-new-kind"))
    new.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help=text("help-new-data"))
    new.set_defaults(run=_run_new)


def _run_new(args: argparse.Namespace) -> int:
    from ...input.scaffold import ScaffoldRefused, new_partner_file

    taken = [path for path, (agreement_id, _) in agreement_ids(agreement_files(args.data)).items()
             if agreement_id == args.partner_id and path.name != f"{args.partner_id}.yaml"]
    if taken:  # a second file with this id would make the two agreements overwrite each other's PDF
        raise ScaffoldRefused(text("new-id-taken", id=shown(args.partner_id), path=shown(taken[0], 200)))
    path = new_partner_file(args.data, args.partner_id, args.kind)  # ScaffoldRefused: main reports it (exit 2)
    args.reporter.say(str(path))
    return ExitStatus.OK
