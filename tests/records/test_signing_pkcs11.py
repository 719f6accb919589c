"""Signing through PKCS#11 — the interface of an LGPKI IC card's driver — against a SoftHSM2 token
made for the test (Debian softhsm2 + opensc's pkcs11-tool, installed by `make test`).

Each test runs the command in a subprocess with SOFTHSM2_CONF pointing at a temporary token folder:
a PKCS#11 library reads its configuration once per process, so in-process runs could not isolate it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from datafiles import AGREEMENT, DATA
from pki import Pki, pki  # noqa: F401 - pki is a fixture

from kyoyaku_pdf.cli.build import BuildOptions, build_agreement

SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
TOKEN = "kyoyaku-test"
PIN = "1234"


def _library() -> str:
    found = next((lib for lib in SOFTHSM_LIBS if Path(lib).is_file()), None)
    assert found, "SoftHSM2 is not installed: apt-get install softhsm2 opensc (make test does)"
    return found


@pytest.fixture()
def token(tmp_path: Path, pki: Pki, cli_env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    """A fresh token holding 熊本市長's key and certificate under the label "hub" (and, to test
    the choice of key, 御船町長's under "partner" on a second token); returns the environment."""
    folder = tmp_path / "tokens"
    folder.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**cli_env, "SOFTHSM2_CONF": str(conf)}
    lib = _library()

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, env=env)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "12345678")
    for label, identity, ident in (("hub", pki.hub, "01"), ("partner", pki.partner, "02")):
        run("softhsm2-util", "--import", str(identity.key_pem), "--token", TOKEN, "--label", label, "--id", ident,
            "--pin", PIN)
        run("pkcs11-tool", "--module", lib, "--token-label", TOKEN, "--login", "--pin", PIN,
            "--write-object", str(identity.cert_der), "--type", "cert", "--label", label, "--id", ident)
    return env


def _kyoyaku(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kyoyaku_pdf", *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120, start_new_session=True)  # no terminal: getpass reads stdin


def test_sign_with_a_pkcs11_token(token: dict[str, str], pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    unsigned = build_agreement(DATA / AGREEMENT, BuildOptions(out_dir=tmp_path, electronic=True)).written[0]
    pin_file = tmp_path / "pin"
    pin_file.write_text(PIN + "\n")
    token_args = ("--pkcs11-lib", _library(), "--token-label", TOKEN, "--pin-file", str(pin_file))
    several = _kyoyaku(token, "sign", str(unsigned), "--party", "甲", *token_args, "-o", str(tmp_path / "x.pdf"))
    assert several.returncode == 2 and "--key-label" in several.stderr and "hub, partner" in several.stderr
    hub = tmp_path / "hub.pdf"
    first = _kyoyaku(token, "sign", str(unsigned), "--party", "甲", *token_args, "--key-label", "hub",
                     "--timestamp-url", pki.tsa_url, "-o", str(hub))
    assert first.returncode == 0, first.stderr
    both = tmp_path / "both.pdf"
    second = _kyoyaku(token, "sign", str(hub), "--party", "乙", *token_args, "--key-label", "partner", "-o", str(both))
    assert second.returncode == 0, second.stderr
    check = _kyoyaku(token, "verify-signatures", str(both), "--trust", str(pki.root_pem))
    assert check.returncode == 0, check.stdout
    assert "熊本市長" in check.stdout and "御船町長" in check.stdout


def test_wrong_pin_and_unknown_token_are_reported(token: dict[str, str], tmp_path: Path) -> None:
    unsigned = build_agreement(DATA / AGREEMENT, BuildOptions(out_dir=tmp_path, electronic=True)).written[0]
    bad_pin = tmp_path / "pin"
    bad_pin.write_text("9999\n")
    common = ("sign", str(unsigned), "--party", "甲", "--pkcs11-lib", _library(), "--key-label", "hub",
              "-o", str(tmp_path / "x.pdf"))
    wrong = _kyoyaku(token, *common, "--token-label", TOKEN, "--pin-file", str(bad_pin))
    assert wrong.returncode == 2 and "トークンを使えません" in wrong.stderr and "Traceback" not in wrong.stderr
    unknown = _kyoyaku(token, *common, "--token-label", "no-such-token", "--pin-file", str(bad_pin))
    assert unknown.returncode == 2 and "トークンを使えません" in unknown.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert PIN not in " ".join(common), "the PIN never goes on the command line"


def test_pin_is_asked_for_when_no_file_is_given(token: dict[str, str], tmp_path: Path) -> None:
    """Without --pin-file the PIN is read at a prompt (getpass; from stdin when there is no terminal)."""
    unsigned = build_agreement(DATA / AGREEMENT, BuildOptions(out_dir=tmp_path, electronic=True)).written[0]
    out = tmp_path / "signed.pdf"
    run = _kyoyaku(token, "sign", str(unsigned), "--party", "甲", "--pkcs11-lib", _library(), "--token-label", TOKEN,
                   "--key-label", "hub", "-o", str(out), stdin=PIN + "\n")
    assert run.returncode == 0, run.stderr
    assert out.is_file()
