"""`diff`: the 新旧対照表 of two versions of an agreement."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import ExitStatus, InputError
from ..build import (
    write_comparison,
)
from ..common import fail_usage


def register(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser("diff", help="the 新旧対照表 of two versions of an agreement, and a summary",
                               description="Compare two versions of an agreement (OLD NEW, or the working tree "
                               "against --since REV): write the 新旧対照表 PDF (改正後 | 改正前, changed phrases "
                               "underlined, unchanged policy areas as （略）) and print one line per change. Exit 0 "
                               "when nothing changed, 1 when something did, 2 for bad input.")
    diff.add_argument("files", nargs="+", type=Path, metavar="AGREEMENT.yaml", help="OLD NEW, or NEW with --since")
    diff.add_argument("--since", metavar="GIT_REV", help="compare the file against its committed version at GIT_REV")
    diff.add_argument("-o", "--out", type=Path, metavar="FILE.pdf",
                      help="where to write the 新旧対照表 (default: out/<id>/<id>-shinkyu.pdf)")
    diff.add_argument("--old-on-left", action="store_true", help="put 改正前 in the left column (default: 改正後 left)")
    diff.add_argument("--all", dest="show_all", action="store_true", help="show unchanged policy areas in full, not （略）")
    diff.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    # imported here: only this command needs them (the revision module brings subprocess and tarfile)
    from ...input.revision import RevisionError, checkout_at
    from ...text.comparison import has_changes, summary_lines

    if len(args.files) != (1 if args.since else 2):
        return fail_usage("diff takes OLD NEW, or one file with --since GIT_REV")
    temporary = None
    try:
        if args.since:
            old, temporary = checkout_at(args.files[0], args.since)
            new = args.files[0]
        else:
            old, new = args.files
        comparison, written = write_comparison(old, new, args.out, not args.old_on_left, args.show_all)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return ExitStatus.BAD_INPUT
    except RevisionError as exc:
        return fail_usage(str(exc))
    finally:
        if temporary is not None:
            temporary.cleanup()
    for line in summary_lines(comparison):
        print(line)
    print(written, file=sys.stderr)
    return ExitStatus.INTERNAL_ERROR if has_changes(comparison) else ExitStatus.OK  # 1: changes, like diff
