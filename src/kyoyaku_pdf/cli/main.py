"""The ``kyoyaku-pdf`` command: the one place where errors become messages and exit codes.

Exit status: 0 done; 1 internal error (a bug: please report it) — or, for ``preflight`` and
``verify-archive``, a negative verdict; 2 bad input, with every problem printed as
``FILE:LINE:COL: field.path: message``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import Sequence

from .. import __version__
from ..errors import ExitStatus
from ..pdf.fonts import FontError
from .commands import COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except FontError as exc:  # the installation, not the input and not a bug
        print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.INTERNAL_ERROR
    except KeyboardInterrupt:
        print("kyoyaku-pdf: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not the user's mistake
        if args.debug:
            traceback.print_exc()
        print(f"kyoyaku-pdf: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  (this is a bug in kyoyaku-pdf; rerun with --debug and report the output)", file=sys.stderr)
        return ExitStatus.INTERNAL_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kyoyaku-pdf",
        description="Make the print-ready PDF of a 変更連携協約書 from its YAML data.",
        epilog="Exit status: 0 done, 1 internal error (a bug), 2 a problem in the input files.",
    )
    parser.add_argument("--version", action="version", version=f"kyoyaku-pdf {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
