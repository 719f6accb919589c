"""`notice`: each party's 告示 draft and the 届出."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...messages import shown, text
from ...records.choices import ROLES
from ..common import Reporter, iso_date


def register(commands: argparse._SubParsersAction) -> None:
    notice = commands.add_parser("notice", help=text("help-notice"), description=text("help-notice-description"))
    notice.add_argument("file", type=Path, metavar="AGREEMENT.yaml", help=text("help-notice-file"))
    notice.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="OUTDIR", help=text("help-notice-out"))
    notice.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help=text("help-notice-date"))
    for option, dest in (("--kokuji-number", "kokuji"), ("--todokede-number", "todokede")):
        notice.add_argument(option, dest=dest, action="append", default=[], type=party_number, metavar="ROLE=N",
                            help=text(f"help-notice-{dest}-number"))
    # before 0.2 one --number filled both notices; it now means the 告示 number only (and says so)
    notice.add_argument("--number", dest="legacy", action="append", default=[], type=party_number, metavar="ROLE=N",
                        help=text("help-notice-number"))
    notice.set_defaults(run=_run_notice)


def party_number(value: str) -> tuple[str, str]:
    """An argparse type: ``甲=熊政企第12号`` or ``乙=12`` → (party, number as it will print)."""
    from ...pdf.fonts import MINCHO, codepoints  # only when a number is given: the font's coverage
    from ...text.notice import NoticeNumberError, parse_number

    role, sep, number = value.replace("＝", "=").partition("=")
    if not sep or role.strip() not in ROLES:
        raise argparse.ArgumentTypeError(text("notice-number-role", value=shown(value)))
    try:
        parsed = parse_number(number)
    except NoticeNumberError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    missing = [ch for ch in parsed if ord(ch) not in codepoints(MINCHO)]
    if missing:
        raise argparse.ArgumentTypeError(text("notice-number-glyph", value=shown(number), char=missing[0],
                                              code=f"U+{ord(missing[0]):04X}"))
    return role.strip(), parsed


def _run_notice(args: argparse.Namespace) -> int:
    from ..build import write_notices

    reporter: Reporter = args.reporter
    if args.legacy:
        print("kyoyaku-pdf: " + text("notice-number-deprecated"), file=sys.stderr)
    numbers = {"kokuji": dict(args.legacy + args.kokuji), "todokede": dict(args.todokede)}

    def write(path: Path) -> None:
        for written in write_notices(path, args.out, args.date, numbers):
            reporter.say(str(written))

    return reporter.finish(reporter.each([args.file], write))
