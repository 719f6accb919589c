"""`archive` and `verify-archive`: the write-once archive of executed agreements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ...errors import ExitStatus
from ...messages import shown, text
from ...records.choices import DEFAULT_PDFA_LEVEL, PDFA_LEVELS
from ..common import add_json_option, each, json_document

if TYPE_CHECKING:  # the archive, its verification and the PDF/A pass: imported when these commands run
    from ...records.archive import ArchiveRefused
    from ...records.verify import VerifyReport


def register(commands: argparse._SubParsersAction) -> None:
    archive = commands.add_parser("archive", help=text("help-archive"), description=text("help-archive-description"))
    archive.add_argument("file", type=Path, nargs="?", metavar="AGREEMENT.yaml", help=text("help-archive-file"))
    archive.add_argument("--root", type=Path, default=Path("archive"), help=text("help-archive-root"))
    archive.add_argument("--pdfa", choices=PDFA_LEVELS, default=DEFAULT_PDFA_LEVEL, metavar="LEVEL",
                         help=text("help-archive-pdfa"))
    archive.add_argument("--version", dest="label", metavar="VERSION", help=text("help-archive-version"))
    archive.add_argument("--executed", type=Path, action="append", default=[], metavar="FILE",
                         help=text("help-archive-executed"))
    archive.add_argument("--recover", action="store_true", help=text("help-archive-recover"))
    archive.set_defaults(run=_run_archive)

    verify_parser = commands.add_parser("verify-archive", help=text("help-verify-archive"),
                                        description=text("help-verify-archive-description"))
    verify_parser.add_argument("root", nargs="?", type=Path, default=Path("archive"), metavar="ROOT",
                               help=text("help-verify-archive-root"))
    verify_parser.add_argument("--expect", metavar="LAST_HASH", help=text("help-verify-archive-expect"))
    add_json_option(verify_parser)
    verify_parser.set_defaults(run=_run_verify)


def _run_archive(args: argparse.Namespace) -> int:
    from ...records.archive import ArchiveRefused, recover
    from ..build import archive_agreement as build_archive

    if args.file is None and not args.recover:
        print(f"kyoyaku-pdf: {text('archive-usage')}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    if args.recover:
        try:
            done = recover(args.root)
        except ArchiveRefused as exc:
            print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
            return ExitStatus.BAD_INPUT
        for outcome in done:
            print(outcome.message())
        if not done:
            print(text("archive-recover-nothing", root=shown(args.root)))
        if args.file is None:
            return ExitStatus.OK

    def file(path: Path) -> None:
        entry = build_archive(path, args.root, args.pdfa, args.label, tuple(args.executed))
        _say(str(entry.folder))
        if entry.finished_by_recovery:
            _say(text("archive-finished-retry"), sys.stderr)

    return each([args.file], file)


def _say(line: str, stream: TextIO | None = None) -> None:
    """Print a line after the filing is done: a full disk under a redirected stdout must not turn a
    completed filing into an "internal error" (the folder is filed either way)."""
    stream = stream or sys.stdout
    try:
        print(line, file=stream, flush=True)
    except OSError:
        pass


def _run_verify(args: argparse.Namespace) -> int:
    from ...records.archive import ArchiveRefused
    from ...records.verify import verify

    try:
        report = verify(args.root, args.expect)
    except ArchiveRefused as exc:
        if args.json:
            _print_json(ExitStatus.BAD_INPUT, [_refusal(args.root, exc)], [])
        else:
            print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    status = ExitStatus.FINDINGS if report.findings else ExitStatus.OK
    if args.json:
        _print_json(status, [f.as_problem() for f in report.findings], [report.result()])
    else:
        _print_text(args.root, report)
    return status


def _print_text(root: Path, report: VerifyReport) -> None:
    for finding in report.findings:
        print(finding)
    print(text("archive-verify-summary", root=shown(root), versions=report.versions, problems=len(report.findings)))
    if report.chain_end:  # worth keeping elsewhere only when everything up to it is intact
        print(text("archive-verify-chain-end" if not report.findings else "archive-verify-chain-end-unsure", hash=report.chain_end))


def _refusal(root: Path, exc: ArchiveRefused) -> dict[str, object]:
    return {"file": str(root), "line": None, "column": None, "field": "", "place": "", "code": "archive-refused",
            "message": str(exc), "severity": "error"}


def _print_json(status: int, problems: list[dict[str, object]], results: list[dict[str, object]]) -> None:
    print(json_document("verify-archive", status, problems, results))
