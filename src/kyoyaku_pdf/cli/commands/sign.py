"""`sign`: one party's PAdES signature into the electronic original (甲 first, then 乙)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ...errors import ExitStatus
from ...messages import shown, text
from ..common import fail_usage
from ...records.signing import PATH_LIMIT, ROLES, Pkcs11Key, Pkcs12Key, SignRequest, SigningError, sign


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sign", help="sign the electronic original as 甲 or 乙 (PAdES, in the seal space)",
        description="Fill one party's signature field of a file made by `build --electronic` with a PAdES "
        "signature (ETSI.CAdES.detached) whose appearance (office, name, date) stands in the seal space. 甲 signs "
        "first (a certification signature that permits 乙's), 乙 signs 甲's file. Each signature is an incremental "
        "update written to a new file; the input is never changed. Exit 0 signed, 2 refused or bad input.")
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf", help="the …-denshi.pdf (or 甲's signed file)")
    parser.add_argument("--party", required=True, choices=ROLES, help="which party signs: 甲 or 乙")
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--pkcs12", type=Path, metavar="FILE.p12", help="key and certificate in a PKCS#12 file")
    key.add_argument("--pkcs11-lib", metavar="LIB", help="PKCS#11 module of the IC card or HSM (e.g. the card driver)")
    parser.add_argument("--passphrase-file", type=Path, metavar="F", help="file holding the PKCS#12 passphrase "
                        "(otherwise asked for at a prompt if the file is protected)")
    parser.add_argument("--token-label", metavar="L", help="label of the token (with --pkcs11-lib)")
    parser.add_argument("--key-label", metavar="K", help="label of the key and its certificate on the token "
                        "(default: the token's only key)")
    parser.add_argument("--pin-file", type=Path, metavar="F", help="file holding the PIN (otherwise asked for at a "
                        "prompt; never give it on the command line)")
    parser.add_argument("--timestamp-url", metavar="URL", help="RFC 3161 timestamp server: PAdES B-T")
    parser.add_argument("--ltv", action="store_true", help="also embed the certificates' revocation data (B-LT); "
                        "give the issuing CA with --trust")
    parser.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem",
                        help="trusted CA certificate for --ltv (repeatable)")
    parser.add_argument("-o", "--out", type=Path, metavar="OUT.pdf",
                        help="where to write (default: next to FILE, …-signed-甲.pdf / …-signed-甲乙.pdf)")
    parser.add_argument("--force", action="store_true",
                        help="sign even though the certificate's subject names neither the party's office nor name")
    parser.set_defaults(run=_run_sign)


def _run_sign(args: argparse.Namespace) -> int:
    try:
        signed = sign(SignRequest(args.pdf, args.party, _key(args), args.out, args.timestamp_url, args.ltv,
                                  tuple(args.trust), args.force))
    except SigningError as exc:
        print(exc, file=sys.stderr)
        return ExitStatus.BAD_INPUT
    for warning in signed.warnings:
        print(text("signing.forced", warning=warning), file=sys.stderr)
    print(text("signing.signed", output=shown(signed.output, PATH_LIMIT), role=args.party, subject=shown(signed.subject)))
    return ExitStatus.OK


def _key(args: argparse.Namespace) -> Pkcs12Key | Pkcs11Key:
    """The key the user named, with its secret from a file or a prompt (never from argv)."""
    if args.pkcs12 is not None:
        passphrase = _secret(args.passphrase_file, None)
        return Pkcs12Key(args.pkcs12, passphrase.encode("utf-8") if passphrase is not None else _prompt_if_protected(args.pkcs12))
    if not args.token_label:
        raise SystemExit(fail_usage(text("signing.token-label-needed")))
    pin = _secret(args.pin_file, "signing.pin-prompt")
    assert pin is not None
    return Pkcs11Key(args.pkcs11_lib, args.token_label, pin, args.key_label)


def _secret(path: Path | None, prompt: str | None) -> str | None:
    """The first line of ``path``, else (when ``prompt``) typed at a prompt that does not echo."""
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
        except OSError as exc:
            raise SigningError(path, "", text("signing.no-pin-file", detail=shown(exc.strerror))) from None
    return _ask(text(prompt)) if prompt else None


def _ask(prompt: str) -> str:
    """A secret typed at a prompt; no terminal and nothing on stdin is the user's to fix."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise SigningError("kyoyaku-pdf sign", "", text("signing.no-secret"), "signing.no-secret") from None


def _prompt_if_protected(path: Path) -> bytes | None:
    """An unprotected PKCS#12 needs no passphrase; a protected one is asked for."""
    from ...records.signing import pkcs12_needs_passphrase

    if not pkcs12_needs_passphrase(path):
        return None
    return _ask(text("signing.passphrase-prompt")).encode("utf-8")
