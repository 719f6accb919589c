"""`sign`: one party's PAdES signature into the electronic original (甲 first, then 乙)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ExitStatus
from ...messages import shown, text
from ..common import UsageError
from ...records.choices import PATH_LIMIT, ROLES

if TYPE_CHECKING:
    from ...records.signing import Pkcs11Key, Pkcs12Key


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("sign", help=text("help-sign"), description=text("help-sign-description"))
    parser.add_argument("pdf", type=Path, metavar="FILE.pdf", help=text("help-sign-file"))
    parser.add_argument("--party", required=True, choices=ROLES, help=text("help-party"))
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--pkcs12", type=Path, metavar="FILE.p12", help=text("help-pkcs12"))
    key.add_argument("--pkcs11-lib", metavar="LIB", help=text("help-pkcs11-lib"))
    parser.add_argument("--passphrase-file", type=Path, metavar="F", help=text("help-passphrase-file"))
    parser.add_argument("--token-label", metavar="L", help=text("help-token-label"))
    parser.add_argument("--key-label", metavar="K", help=text("help-key-label"))
    parser.add_argument("--pin-file", type=Path, metavar="F", help=text("help-pin-file"))
    parser.add_argument("--timestamp-url", metavar="URL", help=text("help-timestamp-url"))
    parser.add_argument("--ltv", action="store_true", help=text("help-ltv"))
    parser.add_argument("--trust", type=Path, action="append", default=[], metavar="CA.pem", help=text("help-sign-trust"))
    parser.add_argument("-o", "--out", type=Path, metavar="OUT.pdf", help=text("help-sign-out"))
    parser.add_argument("--force", action="store_true", help=text("help-force"))
    parser.set_defaults(run=_run_sign)


def _run_sign(args: argparse.Namespace) -> int:
    from ...records.signing import SignRequest, SigningError, sign  # pyHanko: only when signing

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
    from ...records.signing import Pkcs11Key, Pkcs12Key

    if args.pkcs12 is not None:
        passphrase = _secret(args.passphrase_file, None)
        return Pkcs12Key(args.pkcs12, passphrase.encode("utf-8") if passphrase is not None else _prompt_if_protected(args.pkcs12))
    if not args.token_label:
        raise UsageError(text("signing.token-label-needed"))
    pin = _secret(args.pin_file, "signing.pin-prompt")
    assert pin is not None
    return Pkcs11Key(args.pkcs11_lib, args.token_label, pin, args.key_label)


def _secret(path: Path | None, prompt: str | None) -> str | None:
    """The first line of ``path``, else (when ``prompt``) typed at a prompt that does not echo."""
    from ...records.signing import SigningError

    if path is not None:
        try:
            return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
        except OSError as exc:
            raise SigningError(path, "", text("signing.no-pin-file", detail=shown(exc.strerror))) from None
    return _ask(text(prompt)) if prompt else None


def _ask(prompt: str) -> str:
    """A secret typed at a prompt; no terminal and nothing on stdin is the user's to fix."""
    import getpass  # with termios: for the one command that asks for a secret

    from ...records.signing import SigningError

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
