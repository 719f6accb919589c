"""`preflight`: check PDF/A files of any origin — with veraPDF when it is installed, else the built-in checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ExitStatus, worst
from ...messages import shown, text
from ...records.choices import ENGINES, PROFILES
from ..common import add_json_option, json_document

if TYPE_CHECKING:  # the checks (pikepdf, fontTools) and veraPDF are imported by this command alone
    from ...records.preflight import Report


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("preflight", help=text("help-preflight"),
                                  description=text("help-preflight-description"))
    command.add_argument("pdfs", nargs="+", type=Path, metavar="FILE.pdf", help=text("help-preflight-files"))
    command.add_argument("--profile", choices=PROFILES, default="auto", help=text("help-preflight-profile"))
    command.add_argument("--engine", choices=ENGINES, default=None, help=text("help-preflight-engine"))
    add_json_option(command)
    command.set_defaults(run=_run_preflight)


def _run_preflight(args: argparse.Namespace) -> int:
    from ...records import verapdf  # here, not at the top: a build needs neither (see records/choices.py)
    from ...records.preflight import preflight

    engine = args.engine or ("verapdf" if verapdf.available() else "builtin")
    if engine == "verapdf" and not verapdf.available():
        return _refuse(args, text("preflight-verapdf-missing", missing="; ".join(verapdf.missing())),
                       ExitStatus.INSTALLATION)
    if engine == "builtin" and args.profile == "ua1":
        return _refuse(args, text("preflight-builtin-no-ua"), ExitStatus.BAD_INPUT)
    reports: list[Report] = []
    validator = verapdf.VeraPdf() if engine == "verapdf" else None
    try:
        for path in args.pdfs:
            report = preflight(path, args.profile, engine=engine, verapdf=validator)
            reports.append(report)
            if not args.json:
                _print(report)
    except verapdf.VeraPdfUnavailable as exc:
        return _refuse(args, text("preflight-verapdf-missing", missing=shown(exc, 300)), ExitStatus.INSTALLATION)
    finally:
        if validator is not None:
            validator.close()
    status = _status(reports)
    if engine == "builtin" and not args.json:
        print(text("preflight-builtin-note"))
    if args.json:
        print(_document(reports, status))
    return status


def _status(reports: list[Report]) -> ExitStatus:
    """The worst outcome: a bug of ours, a file without a verdict (2), findings (1), or all passed."""
    return worst(ExitStatus.INTERNAL_ERROR if r.error == "internal" else ExitStatus.BAD_INPUT if r.error
                 else ExitStatus.FINDINGS if r.findings else ExitStatus.OK for r in reports)


def _engine_line(report: Report) -> str:
    profile = _profile_name(report.profile)
    if report.engine == "verapdf":
        return text("preflight-engine-verapdf", profile=profile)
    from ...records.preflight import iter_checks

    return text("preflight-engine-builtin", profile=profile, count=len(list(iter_checks())))


def _profile_name(profile: str) -> str:
    return "PDF/UA-1" if profile == "ua1" else f"PDF/A-{profile}" if profile else "PDF/A"


def _claimed(report: Report) -> str:
    return text("preflight-claims-none") if report.claimed == "none" else report.claimed


def _print(report: Report) -> None:
    path = shown(report.path, 200)
    if report.error:
        print(text("preflight-no-verdict", path=path, reason=report.error_message), file=sys.stderr)
        if report.error == "internal":
            print(text("report-bug"), file=sys.stderr)
        return
    if report.valid:
        print(text("preflight-passes", path=path, claimed=_claimed(report), engine=_engine_line(report)))
        return
    print(text("preflight-fails", path=path, claimed=_claimed(report), engine=_engine_line(report),
               count=len(report.findings)))
    for finding in report.findings:
        print(f"  {finding}")


def _refuse(args: argparse.Namespace, message: str, status: ExitStatus) -> int:
    """No file is checked: the engine asked for cannot run (installation) or cannot do the profile (usage)."""
    if args.json:
        print(json_document("preflight", status, [_problem("", "preflight-refused", message)], []))
    else:
        print(f"kyoyaku-pdf: {message}", file=sys.stderr)
    return status


def _problem(file: str, code: str, message: str, severity: str = "error") -> dict[str, Any]:
    return {"file": file, "line": None, "column": None, "field": "", "place": "", "code": code,
            "message": message, "severity": severity}


def _document(reports: list[Report], status: int) -> str:
    problems = [_problem(r.path, f"preflight-{r.error}", r.error_message) for r in reports if r.error]
    results = [{
        "file": r.path, "engine": r.engine, "complete": r.complete, "profile": r.profile, "claimed": r.claimed,
        "valid": r.valid, "error": r.error,
        "findings": [{"specification": f.specification, "clause": f.clause, "test": f.test, "count": f.count,
                      "message": f.message} for f in r.findings],
    } for r in reports]
    return json_document("preflight", status, problems, results)
