"""`build`: the signing PDFs, one agreement or a batch, once or on every save."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ...errors import ExitStatus
from ...pdf.pdfa import DEFAULT_LEVEL, LEVELS
from ..batch import Outcome, Progress, build_all, summary_table
from ..build import BuildOptions
from ...messages import text
from ..common import agreement_paths, fail_usage, severity
from ..watch import watch


def register(commands: argparse._SubParsersAction) -> None:
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
    build.add_argument("--electronic", action="store_true",
                       help="write the electronic original OUTDIR/<id>/<id>-denshi.pdf instead: one copy (PDF/A-2) "
                       "with the closing for electronic execution and an empty signature field on each seal space, "
                       "to sign with `kyoyaku-pdf sign`")
    build.add_argument("--strict", action="store_true",
                       help="refuse to build (exit 2) when the proof-reading check has warnings")
    build.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="build N agreements at a time (default: one per CPU core)")
    build.add_argument("--watch", action="store_true",
                       help="keep running: rebuild an agreement each time one of its YAML files is saved, and "
                       "report the time it took or the error (stop with Ctrl-C)")
    build.set_defaults(run=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    if args.electronic and (args.split_copies or args.pdfa or args.seal_guide):
        return fail_usage(text("signing.electronic-alone"))
    options = BuildOptions(out_dir=args.out, split_copies=args.split_copies, seal_guide=args.seal_guide, pdfa=args.pdfa,
                           electronic=args.electronic)
    files = agreement_paths(args.files)
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
    return max((o.status for o in outcomes), default=ExitStatus.OK, key=severity)


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
