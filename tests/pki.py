"""A test PKI made in the tests: a root CA, the mayors' certificates, a stranger's, and a TSA served
over HTTP on 127.0.0.1 (pyHanko's test timestamper; the root's CRL too, for B-LT).

Shared so that the signing and the archive tests use the same certificates; nothing here is kept
in the repository — every run makes new keys.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "test-pass"
NOW = dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Identity:
    """A certificate with its key, written as PKCS#12, PEM key and DER certificate."""

    name: str
    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    p12: Path
    key_pem: Path
    cert_der: Path


@dataclass(frozen=True)
class Pki:
    folder: Path
    root: Identity
    root_pem: Path
    hub: Identity  # 熊本市長
    partner: Identity  # 御船町長
    stranger: Identity  # a certificate of nobody in the agreement
    tsa: Identity
    other_root_pem: Path  # a root that signed none of these
    base_url: str

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name, issuer_key: rsa.RSAPrivateKey,
                 ca: bool, crl_url: str | None, tsa: bool = False) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    usage = dict(digital_signature=not ca, content_commitment=not ca and not tsa, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                 encipher_only=False, decipher_only=False)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url and not ca:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _identity(folder: Path, stem: str, cert: x509.Certificate, key: rsa.RSAPrivateKey, chain: list[x509.Certificate]) -> Identity:
    p12 = folder / f"{stem}.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        stem.encode(), key, cert, chain, serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    key_pem = folder / f"{stem}-key.pem"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    cert_der = folder / f"{stem}.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return Identity(stem, cert, key, p12, key_pem, cert_der)


def make_pki(folder: Path, base_url: str) -> Pki:
    """Fresh keys and certificates under ``folder``; CRLs are announced at ``base_url``."""
    folder.mkdir(parents=True, exist_ok=True)
    root_key = _key()
    root_name = _name("協約テスト認証局", "kyoyaku-pdf テスト")
    root_cert = _certificate(root_name, root_key, root_name, root_key, ca=True, crl_url=None)
    crl_url = f"{base_url}/root.crl"

    def issue(stem: str, cn: str, org: str, tsa: bool = False) -> Identity:
        key = _key()
        cert = _certificate(_name(cn, org), key, root_name, root_key, ca=False, crl_url=crl_url, tsa=tsa)
        return _identity(folder, stem, cert, key, [root_cert])

    root = _identity(folder, "root", root_cert, root_key, [])
    root_pem = folder / "root.pem"
    root_pem.write_bytes(root_cert.public_bytes(serialization.Encoding.PEM))
    other_key = _key()
    other_name = _name("別の認証局", "other")
    other_pem = folder / "other-root.pem"
    other_pem.write_bytes(_certificate(other_name, other_key, other_name, other_key, True, None)
                          .public_bytes(serialization.Encoding.PEM))
    return Pki(
        folder, root, root_pem,
        hub=issue("hub", "熊本市長", "熊本市"),
        partner=issue("partner", "御船町長", "御船町"),
        stranger=issue("stranger", "山田太郎", "どこかの会社"),
        tsa=issue("tsa", "協約テスト時刻認証局", "kyoyaku-pdf テスト", tsa=True),
        other_root_pem=other_pem,
        base_url=base_url,
    )


def root_crl(pki: Pki) -> bytes:
    """An empty, current CRL of the root (nothing revoked)."""
    builder = (x509.CertificateRevocationListBuilder().issuer_name(pki.root.cert.subject)
               .last_update(NOW - dt.timedelta(hours=1)).next_update(NOW + dt.timedelta(days=7)))
    return builder.sign(pki.root.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class _Handler(BaseHTTPRequestHandler):
    """POST /tsa: an RFC 3161 timestamp from pyHanko's DummyTimeStamper; GET /root.crl: the CRL."""

    pki: Pki | None = None
    requests: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        from asn1crypto import tsp

        self.requests.append(self.path)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path != "/tsa" or self.pki is None:
            self.send_error(404)
            return
        reply = _timestamper(self.pki).request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        self._reply(reply, "application/timestamp-reply")

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        if self.path != "/root.crl" or self.pki is None:
            self.send_error(404)
            return
        self._reply(root_crl(self.pki), "application/pkix-crl")

    def _reply(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def _timestamper(pki: Pki) -> object:
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert = asn1_x509.Certificate.load(pki.tsa.cert.public_bytes(serialization.Encoding.DER))
    key = asn1_keys.PrivateKeyInfo.load(pki.tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    root = asn1_x509.Certificate.load(pki.root.cert.public_bytes(serialization.Encoding.DER))
    return DummyTimeStamper(cert, key, certs_to_embed=[root])


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    """The test PKI with its TSA and CRL server listening on 127.0.0.1 only, for the whole session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    made = make_pki(tmp_path_factory.mktemp("pki"), f"http://127.0.0.1:{server.server_address[1]}")
    _Handler.pki = made
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield made
    finally:
        server.shutdown()
        server.server_close()
