"""`check`: validate agreement files without writing anything."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...errors import ExitStatus, InputError, worst
from ...messages import text
from ..common import Reporter, add_json_option, agreement_paths, unique_ids


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help=text("help-check"), description=text("help-check-description"))
    check.add_argument("files", nargs="*", type=Path, metavar="AGREEMENT.yaml", help=text("help-files"))
    check.add_argument("--strict", action="store_true", help=text("help-check-strict"))
    add_json_option(check)
    check.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from ..batch import proofread
    from ..build import check_agreement

    reporter: Reporter = args.reporter

    def check(path: Path) -> ExitStatus:
        try:
            loaded = check_agreement(path)
            warnings = proofread(loaded, args.strict)
        except BrokenPipeError:
            raise
        except Exception as exc:  # reported by the one error boundary; the other files go on
            status = reporter.failure(exc, source=path)
            reporter.results.append({"file": str(path), "id": None, "status": int(status), "warnings": 0})
            return status
        reporter.warn(warnings)
        reporter.say(f"{path}: " + (text("check-ok-warnings", count=len(warnings)) if warnings else text("check-ok")))
        reporter.results.append({"file": str(path), "id": loaded.agreement.id, "status": 0, "warnings": len(warnings)})
        return ExitStatus.OK

    files = agreement_paths(args.files)
    statuses = [check(path) for path in files]
    try:
        unique_ids(files)  # two partner files with one id would overwrite each other's PDF
    except InputError as exc:
        statuses.append(reporter.failure(exc))
    return reporter.finish(worst(statuses))
