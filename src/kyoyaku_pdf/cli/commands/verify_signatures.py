"""`verify-signatures`: every signature of a PDF — who, when, intact, trusted, what changed after it."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from ...errors import ExitStatus
from ...messages import shown, text
from ...records.signing import PATH_LIMIT, SignatureResult, SigningError, VerificationReport, verify_signatures

COMMAND = "verify-signatures"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        COMMAND, help="check the signatures of a signed PDF",
        description="For each signature: the field, signer, certificate subject and issuer, signing time, "
        "timestamp, integrity, trust and what changed after it. Exit 0 when every signature is intact and "
        "trusted, 1 otherwise (or none), 2 when the file cannot be read.")
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf", help="the signed file")
    parser.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem",
                        help="a trusted root certificate, PEM or DER (repeatable); without it no signer is trusted, "
                        "only integrity is checked")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.set_defaults(run=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    try:
        report = verify_signatures(args.pdf, args.trust)
    except SigningError as exc:
        return _fail(args, exc)
    status = ExitStatus.OK if report.good else ExitStatus.FINDINGS
    if args.json:
        print(json.dumps(_json(report, status), ensure_ascii=False, indent=2))
    else:
        print(_text(report))
    return status


def _fail(args: argparse.Namespace, exc: SigningError) -> int:
    if args.json:
        problem = {"file": exc.path, "line": None, "column": None, "field": exc.place, "place": exc.place,
                   "code": exc.code, "message": exc.message, "severity": "error"}
        print(json.dumps({"command": COMMAND, "status": int(ExitStatus.BAD_INPUT), "problems": [problem],
                          "results": []}, ensure_ascii=False, indent=2))
    else:
        print(exc, file=sys.stderr)
    return ExitStatus.BAD_INPUT


def _json(report: VerificationReport, status: int) -> dict[str, object]:
    results = [{**dataclasses.asdict(s), "good": s.good} for s in report.signatures]
    problems = [] if report.signatures else [{
        "file": str(report.path), "line": None, "column": None, "field": "", "place": "", "code": "signing.no-signatures",
        "message": text("signing.no-signatures"), "severity": "error"}]
    return {"command": COMMAND, "status": int(status), "problems": problems, "results": results,
            "intact": report.intact, "trusted": report.trusted, "unsigned_fields": list(report.unsigned_fields)}


def _text(report: VerificationReport) -> str:
    lines = [f"{shown(report.path, PATH_LIMIT)}:"]
    lines += [_describe(s) for s in report.signatures] or [text("signing.no-signatures")]
    lines += [text("signing.unsigned-field", field=shown(name)) for name in report.unsigned_fields]
    lines.append(text("signing.summary-good", count=len(report.signatures)) if report.good else text("signing.summary-bad"))
    return "\n".join(lines)


def _describe(result: SignatureResult) -> str:
    yes_no = lambda flag: text("signing.yes" if flag else "signing.no")  # noqa: E731
    if not result.intact or not result.valid or result.docmdp_ok is False:
        verdict = text("signing.verdict-broken")
    else:
        verdict = text("signing.verdict-good" if result.trusted else "signing.verdict-untrusted")
    stamp = result.timestamp or text("signing.none")
    if result.timestamp and not result.timestamp_trusted:
        stamp += f" ({text('signing.verdict-untrusted')})"
    return text(
        "signing.result", field=shown(result.field), role=result.role or "-", verdict=verdict, signer=shown(result.signer),
        subject=shown(result.subject, 200), issuer=shown(result.issuer, 200), time=result.signing_time or "-",
        timestamp=stamp, intact=yes_no(result.intact and result.valid), trusted=yes_no(result.trusted),
        kind=text("signing.kind-certification" if result.certification else "signing.kind-approval"),
        modification=text(f"signing.mod-{result.modification}"),
    )
