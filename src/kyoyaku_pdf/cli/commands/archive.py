"""`archive` and `verify-archive`: the write-once archive of executed agreements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import ExitStatus
from ...pdf.pdfa import DEFAULT_LEVEL, LEVELS
from ...records.archive import ArchiveRefused, verify
from ..build import (
    archive_agreement as build_archive,
)
from ..common import each


def register(commands: argparse._SubParsersAction) -> None:
    archive = commands.add_parser("archive", help="build the PDF/A file and file it in the archive (write-once)",
                                  description="Build the agreement's PDF/A file and file it under "
                                  "ROOT/<id>/<version>/ with a manifest of SHA-256 hashes and copies of the source "
                                  "files. An existing version is never overwritten.")
    archive.add_argument("file", type=Path, metavar="AGREEMENT.yaml", help="the agreement to archive")
    archive.add_argument("--root", type=Path, default=Path("archive"), help="archive folder (default: archive)")
    archive.add_argument("--pdfa", choices=sorted(LEVELS), default=DEFAULT_LEVEL, metavar="LEVEL",
                         help="PDF/A level: 2u (default), 2b or 1b")
    archive.add_argument("--version", dest="label", metavar="VERSION",
                         help="version folder name (default: the agreement's date, e.g. 2025-03-24)")
    archive.set_defaults(run=_run_archive)

    verify = commands.add_parser("verify-archive", help="re-hash an archive and report anything changed or missing",
                                 description="Re-hash every archived file and the ledger's hash chain. Exit 0 if "
                                 "all is intact, 1 if any file changed or is missing, 2 if there is no archive.")
    verify.add_argument("root", nargs="?", type=Path, default=Path("archive"), metavar="ROOT",
                        help="archive folder (default: archive)")
    verify.set_defaults(run=_run_verify)


def _run_archive(args: argparse.Namespace) -> int:
    def file(path: Path) -> None:
        entry = build_archive(path, args.root, args.pdfa, args.label)
        print(entry.folder)

    return each([args.file], file)


def _run_verify(args: argparse.Namespace) -> int:
    try:
        problems, versions = verify(args.root)
    except ArchiveRefused as exc:
        print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    for problem in problems:
        print(problem)
    print(f"{args.root}: {versions} archived versions checked, {len(problems)} problems")
    return ExitStatus.FINDINGS if problems else ExitStatus.OK
