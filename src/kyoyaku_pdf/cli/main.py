"""The ``kyoyaku-pdf`` command: the one place where errors become messages and exit codes.

Exit status: 0 done; 1 internal error (a bug: please report it) — or, for ``preflight`` and
``verify-archive``, a negative verdict; 2 bad input, with every problem printed as
``FILE:LINE:COL: field.path: message``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence, get_args

from .. import __version__
from ..input.binding import json_schema
from ..records.archive import ArchiveRefused, verify
from .batch import Outcome, Progress, build_all, proofread, summary_table
from .build import (
    BuildOptions, agreement_files, archive_agreement as build_archive, check_agreement, write_comparison, write_notices,
)
from ..text.comparison import has_changes, summary_lines
from ..errors import ExitStatus, InputError
from ..pdf.fonts import FontError
from ..input.model import AgreementFile, CommonFile, Kind, ScheduleFile
from ..pdf.pdfa import DEFAULT_LEVEL, LEVELS
from ..records.preflight import pdfbox_available, pdfbox_preflight, preflight
from ..input.revision import RevisionError, checkout_at
from ..input.scaffold import ScaffoldRefused, new_partner_file
from .watch import watch

#: The published schemas: file name → (type, title). Generated from the model, never edited by hand.
SCHEMAS = {
    "agreement.schema.json": (AgreementFile, "kyoyaku-pdf 協約ファイル（相手方ごと）"),
    "common.schema.json": (CommonFile, "kyoyaku-pdf 共通部分ファイル"),
    "schedules.schema.json": (ScheduleFile, "kyoyaku-pdf 別表ファイル"),
}


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

    build = commands.add_parser("build", help="make the signing PDF (both copies) of each agreement",
                                description="Make the signing PDF of each agreement: all copies back to back, "
                                "each copy starting on an odd page for duplex printing. With a folder or several "
                                "files, builds them in parallel, shows progress, and ends with a summary table; "
                                "a bad file is reported and does not stop the others (exit 2 if any failed).")
    build.add_argument("files", nargs="*", type=Path, metavar="AGREEMENT.yaml",
                       help="agreement files or folders of them (default: every agreement file in data/)")
    build.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="OUTDIR",
                       help="folder to write into; each agreement gets OUTDIR/<id>/ (default: out)")
    build.add_argument("--split-copies", action="store_true",
                       help="write one file per copy (<id>-copy1.pdf, …) instead of one file with all copies")
    guide = build.add_mutually_exclusive_group()
    guide.add_argument("--no-seal-guide", dest="seal_guide", action="store_false", default=None,
                       help="leave the seal spaces empty (no faint frame and 印)")
    guide.add_argument("--seal-guide", dest="seal_guide", action="store_true",
                       help="draw the faint frame and 印 in the seal spaces even if the data says not to")
    build.add_argument("--pdfa", nargs="?", const=DEFAULT_LEVEL, choices=sorted(LEVELS), metavar="LEVEL",
                       help="also write the archive file <id>-pdfa-LEVEL.pdf (one copy, PDF/A); LEVEL is "
                       "2u (default: PDF/A-2u, text searchable), 2b or 1b")
    build.add_argument("--strict", action="store_true",
                       help="refuse to build (exit 2) when the proof-reading check has warnings")
    build.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="build N agreements at a time (default: one per CPU core)")
    build.add_argument("--watch", action="store_true",
                       help="keep running: rebuild an agreement each time one of its YAML files is saved, and "
                       "report the time it took or the error (stop with Ctrl-C)")
    build.set_defaults(run=_run_build)

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

    preflight = commands.add_parser("preflight", help="check PDF/A files against the ISO 19005-2 rules (any PDF)",
                                    description="Check PDF/A files of any origin against the ISO 19005-2 rules "
                                    "that apply to text documents; each finding names its clause. Exit 0 if every "
                                    "file passes, 1 if any has findings, 2 if a file cannot be read.")
    preflight.add_argument("pdfs", nargs="+", type=Path, metavar="FILE.pdf", help="the files to check")
    preflight.set_defaults(run=_run_preflight)

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

    notice = commands.add_parser("notice", help="write each party's 告示 draft and 届出 to the 熊本県知事",
                                 description="Write, for 甲 and 乙, the 告示 draft (title line with ○, date, number, "
                                 "the body under 地方自治法第252条の2, then the agreement with its 別表) and the 届出 "
                                 "cover letter to the 熊本県知事, as PDF and as plain text for the 例規 system, under "
                                 "OUTDIR/<id>/notices/. Unknown dates and numbers are left blank to fill in.")
    notice.add_argument("file", type=Path, metavar="AGREEMENT.yaml", help="the agreement")
    notice.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="OUTDIR", help="output folder (default: out)")
    notice.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="the date of the notices (default: blank)")
    notice.add_argument("--number", action="append", default=[], metavar="ROLE=N",
                        help="a party's 告示/文書 number, e.g. --number 甲=123 --number 乙=45 (default: blank)")
    notice.set_defaults(run=_run_notice)

    new = commands.add_parser("new", help="start a partner's agreement file, every field to fill marked",
                              description="Write DATA/PARTNER-ID.yaml for a new partner: the kind's shared texts "
                              "are named, every field to fill is marked <<記入: …>> (the file cannot be built until "
                              "all are filled in). An existing file is never overwritten.")
    new.add_argument("partner_id", metavar="PARTNER-ID", help="the agreement's id and file name, e.g. kumamoto-arao-r7")
    new.add_argument("--kind", choices=get_args(Kind), default="変更", help="変更 (default) or 締結 (a first agreement)")
    new.add_argument("--data", type=Path, default=Path("data"), metavar="DIR", help="the data folder (default: data)")
    new.set_defaults(run=_run_new)

    schema = commands.add_parser("schema", help="write the JSON Schemas of the YAML files (for editors)")
    schema.add_argument("-o", "--out", type=Path, default=Path("schema"), metavar="DIR",
                        help="folder for the *.schema.json files (default: schema)")
    schema.set_defaults(run=_run_schema)
    return parser


def _files(given: list[Path]) -> list[Path]:
    """The agreement files named, a folder standing for its agreement files; data/ by default."""
    files = [f for path in given for f in (agreement_files(path) if path.is_dir() else [path])]
    files = files or ([] if given else agreement_files(Path("data")))
    if not files:
        raise SystemExit(_fail_usage("no agreement files given and none found in data/"))
    return files


def _fail_usage(message: str) -> int:
    print(f"kyoyaku-pdf: {message}", file=sys.stderr)
    return ExitStatus.BAD_INPUT


def _each(files: list[Path], action: Callable[[Path], None]) -> int:
    """Run ``action`` on every file; a bad file is reported and does not stop the others."""
    status = ExitStatus.OK
    for path in files:
        try:
            action(path)
        except InputError as exc:
            print(exc, file=sys.stderr)
            status = ExitStatus.BAD_INPUT
        except ArchiveRefused as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = ExitStatus.BAD_INPUT
    return status


def _run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(out_dir=args.out, split_copies=args.split_copies, seal_guide=args.seal_guide, pdfa=args.pdfa)
    files = _files(args.files)
    if args.watch:
        return _watch(files, options, args.strict)
    many = len(files) > 1
    progress = Progress(len(files)) if many else None
    outcomes = build_all(files, options, strict=args.strict, debug=args.debug, jobs=args.jobs, on_done=progress)
    for outcome in outcomes:
        for message in outcome.messages:
            print(message, file=sys.stderr)
        for written in outcome.written:
            print(written)
    if many:
        print(summary_table(outcomes))
    return max((o.status for o in outcomes), default=ExitStatus.OK, key=_severity)


def _watch(files: list[Path], options: BuildOptions, strict: bool) -> int:
    def report(outcome: Outcome) -> None:
        stamp = time.strftime("%H:%M:%S")
        for message in outcome.messages:
            print(f"{stamp} {message}", file=sys.stderr, flush=True)
        if outcome.status == ExitStatus.OK:
            print(f"{stamp} built {outcome.written[0]} in {outcome.seconds:.2f} s", flush=True)
        else:
            print(f"{stamp} {outcome.source}: not built ({outcome.label}); the last good PDF is kept", flush=True)

    print(f"watching {len(files)} agreement(s); stop with Ctrl-C", flush=True)
    try:
        watch(files, options, report, strict=strict)
    except KeyboardInterrupt:
        print("stopped watching", flush=True)
    return ExitStatus.OK


def _severity(status: ExitStatus) -> int:
    """Bad input outranks an internal error in the exit status: the user has something to fix."""
    return {ExitStatus.OK: 0, ExitStatus.INTERNAL_ERROR: 1, ExitStatus.BAD_INPUT: 2}[status]


def _run_check(args: argparse.Namespace) -> int:
    def check(path: Path) -> None:
        warnings = proofread(check_agreement(path), args.strict)
        for warning in warnings:
            print(warning, file=sys.stderr)
        print(f"{path}: ok" + (f" ({len(warnings)} warnings)" if warnings else ""))

    return _each(_files(args.files), check)


def _run_diff(args: argparse.Namespace) -> int:
    if len(args.files) != (1 if args.since else 2):
        return _fail_usage("diff takes OLD NEW, or one file with --since GIT_REV")
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
        return _fail_usage(str(exc))
    finally:
        if temporary is not None:
            temporary.cleanup()
    for line in summary_lines(comparison):
        print(line)
    print(written, file=sys.stderr)
    return ExitStatus.INTERNAL_ERROR if has_changes(comparison) else ExitStatus.OK  # 1: changes, like diff


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-04-01") from None


def _run_notice(args: argparse.Namespace) -> int:
    numbers = dict(item.split("=", 1) for item in args.number if "=" in item)
    unknown = [item for item in args.number if "=" not in item or item.split("=", 1)[0] not in ("甲", "乙")]
    if unknown:
        return _fail_usage(f"--number takes 甲=N or 乙=N, not {', '.join(unknown)}")

    def write(path: Path) -> None:
        for written in write_notices(path, args.out, args.date, numbers):
            print(written)

    return _each([args.file], write)


def _run_new(args: argparse.Namespace) -> int:
    try:
        path = new_partner_file(args.data, args.partner_id, args.kind)
    except ScaffoldRefused as exc:
        print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    print(path)
    return ExitStatus.OK


def _run_preflight(args: argparse.Namespace) -> int:
    status = ExitStatus.OK
    for path in args.pdfs:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            status = max(status, ExitStatus.BAD_INPUT)
            continue
        report = preflight(path)
        verdict = "passes" if report.valid else f"fails ({len(report.findings)} findings)"
        print(f"{path}: claims {report.claimed}; ISO 19005-2 preflight {verdict}, {len(report.checked)} checks")
        for finding in report.findings:
            print(f"  {finding}")
        valid = report.valid
        if report.claimed.startswith("PDF/A-1"):
            valid = _pdfbox_verdict(path) and valid
        if not valid:
            status = max(status, ExitStatus.INTERNAL_ERROR)  # 1: findings (a verdict, not a crash)
    return status


def _pdfbox_verdict(path: Path) -> bool:
    """The full PDF/A-1b rules are PDFBox Preflight's; run it when it is installed."""
    if not pdfbox_available():
        print("  note: PDF/A-1 files need Apache PDFBox Preflight for the full part-1 rules; it is not installed")
        return True
    valid, output = pdfbox_preflight(path)
    print("  Apache PDFBox Preflight: " + output.replace("\n", "\n  "))
    return valid


def _run_archive(args: argparse.Namespace) -> int:
    def file(path: Path) -> None:
        entry = build_archive(path, args.root, args.pdfa, args.label)
        print(entry.folder)

    return _each([args.file], file)


def _run_verify(args: argparse.Namespace) -> int:
    try:
        problems, versions = verify(args.root)
    except ArchiveRefused as exc:
        print(f"kyoyaku-pdf: {exc}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    for problem in problems:
        print(problem)
    print(f"{args.root}: {versions} archived versions checked, {len(problems)} problems")
    return ExitStatus.INTERNAL_ERROR if problems else ExitStatus.OK


def _run_schema(args: argparse.Namespace) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(args.out / name)
    return ExitStatus.OK


def schema_texts() -> dict[str, str]:
    """The text of every published schema file, exactly as committed in schema/."""
    return {
        name: json.dumps(json_schema(cls, title), ensure_ascii=False, indent=2) + "\n"
        for name, (cls, title) in SCHEMAS.items()
    }


if __name__ == "__main__":
    sys.exit(main())
