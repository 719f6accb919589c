"""Signing the electronic original (PAdES) and verifying its signatures, with pyHanko.

Why pyHanko: it is the best-kept Python PAdES library (ETSI.CAdES.detached, DocMDP, timestamps,
revocation data for B-LT, PKCS#11 tokens), and its validator reports integrity, trust and what
changed after each signature (its diff analysis) — the three things a records officer must know.

The order is fixed by what PDF allows: 甲 signs first with a *certification* signature permitting
form filling and signing (DocMDP P=2), 乙 second with an *approval* signature; each is an
incremental update, so the bytes 甲 signed stay untouched inside 乙's file. Both fields exist from
``build --electronic`` on (no field may be added after a certification signature). The appearance
is a static stamp drawn by our own renderer (embedded subset fonts), so every revision stays PDF/A.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence
from zoneinfo import ZoneInfo

from ..errors import ExitStatus, KyoyakuError
from ..messages import shown, text
from .safe_files import write_atomically
from ..pdf.signature_fields import PARTY_KEY, field_name, stamp_pdf
from ..text.japanese import wareki
from .choices import PATH_LIMIT, ROLES

try:  # a dependency; an installation without it gets a message, not a traceback
    from asn1crypto import x509 as asn1_x509
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields as sig_fields
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator import ValidationContext
except ImportError:  # pragma: no cover - only a broken installation
    PYHANKO_MISSING = True
else:
    PYHANKO_MISSING = False

# pyHanko logs every failed path search with a traceback; with no handler configured Python would
# print them on stderr. The verdicts reach the user through our report and messages instead.
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())
    logging.getLogger(_logger).propagate = False

#: The signing date shown in the stamp is the date in Japan, where the agreement is executed.
JAPAN = ZoneInfo("Asia/Tokyo")


class SigningError(KyoyakuError):
    """A signing or verification request that cannot be carried out as given (exit 2)."""

    exit_status = ExitStatus.BAD_INPUT

    def __init__(self, path: Path | str, place: str, message: str, code: str = "", severity: str = "error") -> None:
        self.path, self.place, self.message, self.code, self.severity = str(path), place, message, code, severity
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f" {self.place}:" if self.place else ""
        return f"{shown(self.path, PATH_LIMIT)}:{place} {self.message}"


def _refuse(path: Path | str, place: str, code: str, **values: object) -> SigningError:
    return SigningError(path, place, text(code, **values), code)


def require_pyhanko() -> None:
    """The sign and verify commands need pyHanko; say how to install it instead of a traceback."""
    if PYHANKO_MISSING:
        raise SigningError("kyoyaku-pdf", "", text("signing.pyhanko-missing"), "signing.pyhanko-missing")


# --- the keys ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate in a PKCS#12 file (a signing service's or a test certificate)."""

    path: Path
    passphrase: bytes | None = None


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token (an IC card's driver, or SoftHSM2) — the LGPKI 職責証明書 path."""

    library: str
    token_label: str
    pin: str
    key_label: str | None = None


@contextmanager
def open_signer(key: Pkcs12Key | Pkcs11Key) -> Iterator["signers.Signer"]:
    """The pyHanko signer for ``key``; a token session is closed again after signing."""
    if isinstance(key, Pkcs12Key):
        yield _pkcs12_signer(key)
        return
    with _pkcs11_session(key) as session:
        yield _pkcs11_signer(session, key)


def _pkcs11_signer(session: object, key: Pkcs11Key) -> "signers.Signer":
    """The token's key and its certificate (same label, as card drivers and pkcs11-tool store them)."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    label = key.key_label or _only_key_label(session, key)
    signer = PKCS11Signer(session, cert_label=label, key_label=label)
    try:
        signer.signing_cert  # the certificate is fetched lazily: fail here, with the label named
    except Exception as exc:
        raise _refuse(key.library, f"{key.token_label}/{label}", "signing.token-failed", detail=shown(exc)) from None
    return signer


def pkcs12_needs_passphrase(path: Path) -> bool:
    """Whether the PKCS#12 file is protected (so the CLI asks only when it must)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        pkcs12.load_key_and_certificates(_read(path), None)
    except ValueError:
        return True
    return False


def _pkcs12_signer(key: Pkcs12Key) -> "signers.Signer":
    if not key.path.is_file():
        raise _refuse(key.path, "", "signing.no-such-file")
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(key.path), passphrase=key.passphrase)
    except Exception:  # pyHanko reports a wrong passphrase or a broken file as several types
        signer = None
    if signer is None:
        raise _refuse(key.path, "", "signing.pkcs12-unreadable")
    return signer


@contextmanager
def _pkcs11_session(key: Pkcs11Key) -> Iterator[object]:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not Path(key.library).is_file():
        raise _refuse(key.library, "", "signing.no-such-library")
    try:
        session = open_pkcs11_session(key.library, token_criteria=TokenCriteria(label=key.token_label), user_pin=key.pin)
    except Exception as exc:  # no token with that label, a wrong PIN, a locked card: all the user's to fix
        raise _refuse(key.library, key.token_label, "signing.token-failed", detail=shown(exc)) from None
    try:
        yield session
    finally:
        session.close()


def _only_key_label(session: object, key: Pkcs11Key) -> str:
    """Without --key-label, the token's one private key; several need naming."""
    from pkcs11 import Attribute, ObjectClass

    labels = sorted(obj[Attribute.LABEL] for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    if len(labels) != 1:
        raise _refuse(key.library, key.token_label, "signing.key-label-needed", labels=shown(", ".join(labels) or "-"))
    return labels[0]


# --- the fields of the electronic original ---------------------------------------------------

@dataclass(frozen=True)
class PartyField:
    """One party's signature field as found in the file."""

    role: str
    name: str
    office: str
    signer_name: str
    signed: bool
    size: float  # the side of the seal square the field covers, in points


def party_fields(path: Path, data: bytes) -> dict[str, PartyField]:
    """The parties' signature fields, by role; refuses a file ``build --electronic`` did not make."""
    reader = _reader(path, data)
    found: dict[str, PartyField] = {}
    for name, value, ref in sig_fields.enumerate_sig_fields(reader, filled_status=None):
        party = ref.get_object().get(PARTY_KEY)
        if party is None:
            continue
        role = str(party["/Role"])
        if role in ROLES and name == field_name(role):
            x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
            size = min(abs(x2 - x1), abs(y2 - y1))
            found[role] = PartyField(role, name, str(party["/Office"]), str(party["/Name"]), value is not None, size)
    if set(found) != set(ROLES):
        raise _refuse(path, "", "signing.not-electronic")
    return found


def _reader(path: Path, data: bytes) -> "PdfFileReader":
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except Exception:
        raise _refuse(path, "", "signing.unreadable") from None


# --- signing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignRequest:
    """What ``sign`` was asked to do."""

    source: Path
    role: str
    key: Pkcs12Key | Pkcs11Key
    output: Path | None = None
    timestamp_url: str | None = None
    ltv: bool = False
    trust: tuple[Path, ...] = ()
    force: bool = False


@dataclass(frozen=True)
class Signed:
    """What was written, and the warnings accepted with --force."""

    output: Path
    subject: str
    warnings: tuple[str, ...] = ()


def default_output(source: Path, role: str) -> Path:
    """Next to the input: X.pdf → X-signed-甲.pdf; X-signed-甲.pdf → X-signed-甲乙.pdf."""
    stem = source.stem
    if "-signed-" in stem:
        return source.with_name(f"{stem}{role}.pdf")
    return source.with_name(f"{stem}-signed-{role}.pdf")


def sign(request: SignRequest) -> Signed:
    """Fill ``request.role``'s field with a PAdES signature and write the result atomically to a new
    file; the input is never modified, an existing file never overwritten."""
    require_pyhanko()
    source, role = request.source, request.role
    output = request.output or default_output(source, role)
    data = _read(source)
    target = _check_target(source, output)
    fields = party_fields(source, data)
    place = f"{fields[role].name} ({role})"
    if fields[role].signed:
        raise _refuse(source, place, "signing.already-signed", role=role)
    if role == "乙" and not fields["甲"].signed:
        raise _refuse(source, place, "signing.hub-first")
    if role == "乙" and not verify_signatures(source).intact:
        raise _refuse(source, fields["甲"].name, "signing.earlier-broken")
    with open_signer(request.key) as signer:
        subject = _subject_text(signer.signing_cert)
        warnings = _subject_mismatch(source, place, fields[role], signer.signing_cert)
        if warnings and not request.force:
            raise SigningError(source, place, warnings[0] + " " + text("signing.use-force"), "signing.subject-mismatch")
        signed = _sign_bytes(data, fields[role], signer, request)
    write_atomically(target, signed)
    return Signed(target, subject, tuple(warnings))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _refuse(path, "", "signing.no-such-file") from None
    except OSError as exc:
        raise _refuse(path, "", "signing.cannot-read", detail=shown(exc.strerror)) from None


def _check_target(source: Path, output: Path) -> Path:
    """Never the input, never an existing file: an executed original is not to be replaced."""
    if output.exists() or output.resolve() == source.resolve():
        raise _refuse(output, "", "signing.output-exists")
    return output


def _sign_bytes(data: bytes, party: PartyField, signer: "signers.Signer", request: SignRequest) -> bytes:
    certify = party.role == "甲"
    context = _validation_context(request.trust, fetching=True) if request.ltv else None
    meta = signers.PdfSignatureMetadata(
        field_name=party.name,
        md_algorithm="sha256",
        subfilter=sig_fields.SigSeedSubFilter.PADES,
        certify=certify,
        docmdp_permissions=sig_fields.MDPPerm.FILL_FORMS,
        embed_validation_info=request.ltv,
        validation_context=context,
        name=party.signer_name,
        reason=text("signing.reason", role=party.role),
    )
    timestamper = HTTPTimeStamper(request.timestamp_url, timeout=30) if request.timestamp_url else None
    with tempfile.TemporaryDirectory(prefix="kyoyaku-stamp-") as folder:
        style = _stamp_style(Path(folder), party)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, existing_fields_only=True, output=out)
        except (TimestampRequestError, PyHankoSigningError) as exc:
            raise _signing_failure(request, exc) from None
    return out.getvalue()


def _signing_failure(request: SignRequest, exc: Exception) -> SigningError:
    """A timestamp server that did not answer, or a certificate pyHanko will not sign with (its key
    usage, or for --ltv a chain that does not lead to a --trust root), is the user's to fix."""
    if isinstance(exc, TimestampRequestError):
        return _refuse(request.source, "", "signing.timestamp-failed", url=shown(request.timestamp_url), detail=shown(exc))
    return _refuse(request.source, "", "signing.ltv-failed" if request.ltv else "signing.cannot-sign", detail=shown(exc))


def _stamp_style(folder: Path, party: PartyField) -> "StaticStampStyle":
    """Our own appearance (職名, 氏名, signing date), drawn at the field's exact size."""
    size = party.size
    today = dt.datetime.now(JAPAN).date()
    page = folder / "stamp.pdf"
    page.write_bytes(stamp_pdf(size, (party.office, party.signer_name, wareki(today))))
    return StaticStampStyle.from_pdf_file(str(page), border_width=0, background_opacity=1.0)


# --- certificates -----------------------------------------------------------------------------

def _normal(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


def _subject_values(cert: "asn1_x509.Certificate") -> list[str]:
    return [str(v) for v in cert.subject.native.values() if isinstance(v, str)]


def _subject_text(cert: "asn1_x509.Certificate") -> str:
    return cert.subject.human_friendly


def _subject_mismatch(source: Path, place: str, party: PartyField, cert: "asn1_x509.Certificate") -> list[str]:
    """An LGPKI 職責証明書 names the office (熊本市長), a personal one the name: one of them must
    appear in the subject, so a certificate of the wrong person or office is caught."""
    values = [_normal(v) for v in _subject_values(cert)]
    wanted = (_normal(party.office), _normal(party.signer_name))
    if any(w and w in v for v in values for w in wanted):
        return []
    return [text("signing.subject-mismatch", subject=shown(_subject_text(cert)), office=shown(party.office),
                 name=shown(party.signer_name))]


def load_trust(paths: Sequence[Path | str]) -> list["asn1_x509.Certificate"]:
    """Trust anchors from PEM or DER files; a missing or unreadable one is the user's to fix."""
    certs: list[asn1_x509.Certificate] = []
    for path in paths:
        if not Path(path).is_file():
            raise _refuse(path, "", "signing.no-such-file")
        try:
            loaded = list(load_certs_from_pemder([str(path)]))
        except Exception:
            loaded = []
        if not loaded:
            raise _refuse(path, "", "signing.trust-unreadable")
        certs += loaded
    return certs


def _validation_context(trust: Sequence[Path | str], fetching: bool) -> "ValidationContext":
    """Only the anchors given are trusted: an LGPKI root is in no system store, and trusting
    whatever the machine trusts would make the verdict depend on the machine. Revocation is checked
    where the certificates say how (soft-fail)."""
    return ValidationContext(trust_roots=load_trust(trust), allow_fetching=fetching)


# --- verification -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureResult:
    """One signature as the validator sees it."""

    field: str
    role: str | None
    signer: str
    subject: str
    issuer: str
    signing_time: str | None
    timestamp: str | None
    timestamp_trusted: bool | None
    intact: bool
    valid: bool
    trusted: bool
    certification: bool
    modification: str  # pyHanko's ModificationLevel name: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    docmdp_ok: bool | None
    coverage: str

    @property
    def good(self) -> bool:
        """Intact, cryptographically valid, trusted, and nothing changed that it does not allow."""
        return self.intact and self.valid and self.trusted and self.docmdp_ok is not False


@dataclass(frozen=True)
class VerificationReport:
    """Every signature of a file; ``intact`` is what the archive needs (no signed byte changed)."""

    path: Path
    signatures: tuple[SignatureResult, ...]
    unsigned_fields: tuple[str, ...] = field(default=())

    @property
    def intact(self) -> bool:
        """At least one signature, and every one intact and valid with nothing disallowed after it."""
        return bool(self.signatures) and all(s.intact and s.valid and s.docmdp_ok is not False for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return bool(self.signatures) and all(s.trusted for s in self.signatures)

    @property
    def good(self) -> bool:
        return bool(self.signatures) and all(s.good for s in self.signatures)


def verify_signatures(path: Path | str, trust: Sequence[Path | str] = ()) -> VerificationReport:
    """Validate every signature of ``path``: integrity, certificate trust against ``trust`` (PEM/DER
    files; with none, nothing is trusted but integrity is still checked), timestamp, and what
    changed after it. Raises
    SigningError (exit 2) when the file cannot be read as a PDF."""
    require_pyhanko()
    path = Path(path)
    data = _read(path)
    reader = _reader(path, data)
    context = _validation_context(trust, fetching=False)
    roles = _roles_by_field(reader)
    try:
        embedded = list(reader.embedded_regular_signatures)
        unsigned = tuple(name for name, value, _ in sig_fields.enumerate_sig_fields(reader, filled_status=None) if value is None)
    except (PdfError, ValueError, KeyError, TypeError):
        raise _refuse(path, "", "signing.unreadable") from None
    results = tuple(_result(sig, context, roles) for sig in embedded)
    return VerificationReport(path, results, unsigned)


def _roles_by_field(reader: "PdfFileReader") -> dict[str, str]:
    roles: dict[str, str] = {}
    try:
        for name, _, ref in sig_fields.enumerate_sig_fields(reader, filled_status=None):
            party = ref.get_object().get(PARTY_KEY)
            if party is not None:
                roles[name] = str(party["/Role"])
    except Exception:
        return {}
    return roles


def _result(sig: object, context: "ValidationContext", roles: dict[str, str]) -> SignatureResult:
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    except (PdfError, ValueError, KeyError, TypeError):
        return _unverifiable(sig, roles)  # what it signed no longer parses: it cannot be intact
    cert = status.signing_cert
    stamp = status.timestamp_validity
    return SignatureResult(
        field=sig.field_name,
        role=roles.get(sig.field_name),
        signer=str(cert.subject.native.get("common_name", "")),
        subject=_subject_text(cert),
        issuer=cert.issuer.human_friendly,
        signing_time=_japan_time(status.signer_reported_dt),
        timestamp=_japan_time(stamp.timestamp) if stamp is not None else None,
        timestamp_trusted=bool(stamp.valid and stamp.intact and stamp.trusted) if stamp is not None else None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        certification=_is_certification(sig),
        modification=status.modification_level.name if status.modification_level is not None else "OTHER",
        docmdp_ok=status.docmdp_ok,
        coverage=status.coverage.name if status.coverage is not None else "",
    )


def _unverifiable(sig: object, roles: dict[str, str]) -> SignatureResult:
    """A signature whose signed revision can no longer be read back: reported, never intact."""
    try:
        cert = sig.signer_cert
        signer, subject, issuer = str(cert.subject.native.get("common_name", "")), _subject_text(cert), cert.issuer.human_friendly
    except Exception:  # the signature container itself may be what broke
        signer = subject = issuer = ""
    return SignatureResult(sig.field_name, roles.get(sig.field_name), signer, subject, issuer, None, None, None,
                           intact=False, valid=False, trusted=False, certification=False, modification="OTHER",
                           docmdp_ok=None, coverage="")


def _japan_time(moment: dt.datetime | None) -> str | None:
    """An instant as the clerk reads it: Japan time, ISO 8601 with its offset (+09:00)."""
    return moment.astimezone(JAPAN).isoformat(timespec="seconds") if moment is not None else None


def _is_certification(sig: object) -> bool:
    for ref in sig.sig_object.get("/Reference", ()):
        if str(ref.get_object().get("/TransformMethod")) == "/DocMDP":
            return True
    return False
