"""`build`: the signing PDFs, one agreement or a batch, once or on every save."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ExitStatus
from ...messages import text
from ...records.choices import DEFAULT_PDFA_LEVEL, PDFA_LEVELS
from ..common import Reporter, UsageError, add_json_option, agreement_paths, positive_int, status_of, unique_ids

if TYPE_CHECKING:  # the pipeline is imported when a build runs, not by every command's parser
    from ..batch import Outcome
    from ..build import BuildOptions


def register(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser("build", help=text("help-build"), description=text("help-build-description"))
    build.add_argument("files", nargs="*", type=Path, metavar="AGREEMENT.yaml", help=text("help-files"))
    build.add_argument("-o", "--out", type=Path, default=Path("out"), metavar="OUTDIR", help=text("help-build-out"))
    build.add_argument("--split-copies", action="store_true", help=text("help-split-copies"))
    guide = build.add_mutually_exclusive_group()
    guide.add_argument("--no-seal-guide", dest="seal_guide", action="store_false", default=None,
                       help=text("help-no-seal-guide"))
    guide.add_argument("--seal-guide", dest="seal_guide", action="store_true", help=text("help-seal-guide"))
    build.add_argument("--pdfa", nargs="?", const=DEFAULT_PDFA_LEVEL, choices=PDFA_LEVELS, metavar="LEVEL",
                       help=text("help-pdfa"))
    build.add_argument("--electronic", action="store_true", help=text("help-electronic"))
    build.add_argument("--strict", action="store_true", help=text("help-build-strict"))
    build.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N", help=text("help-jobs"))
    build.add_argument("--watch", action="store_true", help=text("help-watch"))
    add_json_option(build)
    build.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from ..batch import Progress, build_all, summary_table
    from ..build import BuildOptions

    reporter: Reporter = args.reporter
    if args.electronic and (args.split_copies or args.pdfa or args.seal_guide):
        raise UsageError(text("signing.electronic-alone"))
    options = BuildOptions(out_dir=args.out, split_copies=args.split_copies, seal_guide=args.seal_guide, pdfa=args.pdfa,
                           electronic=args.electronic)
    files = agreement_paths(args.files)
    if args.watch:
        if reporter.as_json:  # a document is printed at the end, and --watch has no end
            raise UsageError(text("watch-json"))
        folders = [p for p in args.files if p.is_dir()] or ([] if args.files else [Path("data")])
        return _watch(files, folders, options, args.strict, reporter)
    unique_ids(files)  # before anything is written: a second PDF must not silently replace the first
    many = len(files) > 1
    progress = Progress(len(files)) if many and not reporter.as_json else None
    outcomes = build_all(files, options, strict=args.strict, debug=args.debug, jobs=args.jobs, on_done=progress)
    for outcome in outcomes:
        show(reporter, outcome)
        for written in outcome.written:
            reporter.say(str(written))
        reporter.results.append(outcome_record(outcome))
    if many:
        reporter.say(summary_table(outcomes))
    return reporter.finish(status_of(outcomes))


def show(reporter: Reporter, outcome: Outcome) -> None:
    """An outcome's warnings and failure, each problem once per run (a shared file's mistake is not
    repeated for every partner that uses it)."""
    reporter.warn(outcome.warnings)
    if outcome.failure is not None:
        reporter.show(outcome.failure, outcome.source)


def outcome_record(outcome: Outcome) -> dict[str, object]:
    """One agreement's entry in ``--json``'s ``results``."""
    return {
        "file": str(outcome.source), "id": outcome.agreement_id or None, "status": int(outcome.status),
        "partner": outcome.partner or None, "kind": outcome.kind or None,
        "written": [str(p) for p in outcome.written], "pages": outcome.pages, "bytes": outcome.size,
        "seconds": round(outcome.seconds, 3),
    }


def _watch(files: list[Path], folders: list[Path], options: BuildOptions, strict: bool, reporter: Reporter) -> int:
    from ..watch import watch

    def report(outcome: Outcome) -> None:
        stamp = time.strftime("%H:%M:%S")
        show(Reporter("build", debug=reporter.debug, prefix=f"{stamp} "), outcome)  # each save afresh
        if outcome.status == ExitStatus.OK:
            print(f"{stamp} " + text("watch-built", path=outcome.written[0], seconds=outcome.seconds), flush=True)
        else:
            print(f"{stamp} " + text("watch-not-built", path=outcome.source, label=outcome.label), flush=True)

    def added(path: Path) -> None:
        print(time.strftime("%H:%M:%S ") + text("watch-new-file", path=path), flush=True)

    print(text("watch-start", count=len(files)), flush=True)
    try:
        watch(files, options, report, strict=strict, folders=folders, on_new=added)
    except KeyboardInterrupt:
        print(text("watch-stopped"), flush=True)
    return ExitStatus.OK

