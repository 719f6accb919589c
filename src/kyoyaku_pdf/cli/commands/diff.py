"""`diff`: the 新旧対照表 of two versions of an agreement."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import ExitStatus
from ...messages import text
from ..common import Reporter, UsageError, add_json_option


def register(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser("diff", help=text("help-diff"), description=text("help-diff-description"))
    diff.add_argument("files", nargs="+", type=Path, metavar="AGREEMENT.yaml", help=text("help-diff-files"))
    diff.add_argument("--since", metavar="GIT_REV", help=text("help-diff-since"))
    diff.add_argument("-o", "--out", type=Path, metavar="FILE.pdf", help=text("help-diff-out"))
    diff.add_argument("--old-on-left", action="store_true", help=text("help-diff-old-on-left"))
    diff.add_argument("--all", dest="show_all", action="store_true", help=text("help-diff-all"))
    add_json_option(diff)
    diff.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace) -> int:
    # imported here: only this command needs them (the revision module brings subprocess and tarfile)
    from ...input.revision import checkout_at
    from ...text.comparison import has_changes, summary_lines
    from ..build import write_comparison

    reporter: Reporter = args.reporter
    if len(args.files) != (1 if args.since else 2):
        raise UsageError(text("diff-usage"))
    temporary = None
    try:
        if args.since:
            old, temporary = checkout_at(args.files[0], args.since)
            new = args.files[0]
        else:
            old, new = args.files
        comparison, written = write_comparison(old, new, args.out, not args.old_on_left, args.show_all)
    finally:
        if temporary is not None:
            temporary.cleanup()
    lines = summary_lines(comparison)
    for line in lines:
        reporter.say(line)
    reporter.results.append({"written": str(written), "changes": lines})
    if not reporter.as_json:
        print(written, file=sys.stderr)
    status = ExitStatus.FINDINGS if has_changes(comparison) else ExitStatus.OK  # 1: changes, like diff(1)
    return reporter.finish(status)
