"""`verify-signatures`: every signature of a PDF — who, when, intact, trusted, what changed after it."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ExitStatus
from ...messages import shown, text
from ..common import add_json_option, json_document
from ...records.choices import PATH_LIMIT

if TYPE_CHECKING:
    from ...records.signing import SignatureResult, SigningError, VerificationReport

COMMAND = "verify-signatures"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(COMMAND, help=text("help-verify-signatures"),
                                 description=text("help-verify-signatures-description"))
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf", help=text("help-verify-file"))
    parser.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem",
                        help=text("help-verify-trust"))
    add_json_option(parser)
    parser.set_defaults(run=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    from ...records.signing import SigningError, verify_signatures  # pyHanko: only when verifying

    try:
        report = verify_signatures(args.pdf, args.trust)
    except SigningError as exc:
        return _fail(args, exc)
    status = ExitStatus.OK if report.good else ExitStatus.FINDINGS
    if args.json:
        problems = [] if report.signatures else [_problem(str(report.path), "signing.no-signatures", text("signing.no-signatures"))]
        print(json_document(COMMAND, status, problems, [{**dataclasses.asdict(s), "good": s.good} for s in report.signatures]))
    else:
        print(_text(report))
    return status


def _fail(args: argparse.Namespace, exc: SigningError) -> int:
    if args.json:
        print(json_document(COMMAND, ExitStatus.BAD_INPUT, [_problem(exc.path, exc.code, exc.message, exc.place)], []))
    else:
        print(exc, file=sys.stderr)
    return ExitStatus.BAD_INPUT


def _problem(file: str, code: str, message: str, place: str = "") -> dict[str, object]:
    """A problem of a PDF (no line or column: a place in the file's structure, if any)."""
    return {"file": file, "line": None, "column": None, "field": place, "place": place, "code": code,
            "message": message, "severity": "error"}


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
