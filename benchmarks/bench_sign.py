"""Benchmark of the electronic path: build --electronic, then each signature (B-B and B-T, the TSA
on 127.0.0.1) and verify-signatures; in-process, with a fresh test PKI. Prints figures, asserts nothing.

The issue measured pyHanko at ~0.15 s (B-B) and ~0.25 s (B-T) a signature on this machine.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]

import pki as test_pki  # noqa: E402 - the tests' PKI and TSA
from kyoyaku_pdf.cli.build import BuildOptions, build_agreement  # noqa: E402
from kyoyaku_pdf.records.signing import Pkcs12Key, SignRequest, sign, verify_signatures  # noqa: E402

AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"
RUNS = 5


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), test_pki._Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pki = test_pki.make_pki(folder / "pki", f"http://127.0.0.1:{server.server_address[1]}")
        test_pki._Handler.pki = pki
        hub_key = Pkcs12Key(pki.hub.p12, test_pki.PASSPHRASE.encode())
        partner_key = Pkcs12Key(pki.partner.p12, test_pki.PASSPHRASE.encode())
        figures: dict[str, list[float]] = {}
        for run in range(RUNS + 1):  # the first run warms imports and fonts; not counted
            out = folder / f"run{run}"
            build_s, built = timed(lambda: build_agreement(AGREEMENT, BuildOptions(out_dir=out, electronic=True)))
            unsigned = built.written[0]
            hub_bb, hub = timed(lambda: sign(SignRequest(unsigned, "甲", hub_key, out / "bb.pdf")))
            partner_bb, _ = timed(lambda: sign(SignRequest(hub.output, "乙", partner_key, out / "bb2.pdf")))
            hub_bt, hub_t = timed(lambda: sign(SignRequest(unsigned, "甲", hub_key, out / "bt.pdf",
                                                           timestamp_url=pki.tsa_url)))
            partner_bt, both = timed(lambda: sign(SignRequest(hub_t.output, "乙", partner_key, out / "bt2.pdf",
                                                              timestamp_url=pki.tsa_url)))
            verify_s, _ = timed(lambda: verify_signatures(both.output, [pki.root_pem]))
            if run:
                for name, value in (("build --electronic", build_s), ("sign 甲 B-B (certification)", hub_bb),
                                    ("sign 乙 B-B (approval)", partner_bb), ("sign 甲 B-T", hub_bt),
                                    ("sign 乙 B-T", partner_bt), ("verify-signatures (2)", verify_s)):
                    figures.setdefault(name, []).append(value)
    server.shutdown()
    print(f"electronic path, median of {RUNS} in-process runs (PKCS#12, RSA 2048, TSA on 127.0.0.1):")
    for name, values in figures.items():
        print(f"  {name:30s} {statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")


if __name__ == "__main__":
    main()
