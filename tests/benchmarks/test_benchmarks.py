"""The benchmarks' own logic: the synthetic nationwide set has the real totals, the linear fit is
right, the process figures come from the kernel. (The benchmarks themselves are not run here.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import harness
import synthetic
from bench_scale import fit


def test_the_nationwide_set_has_38_regions_and_338_agreements(tmp_path: Path) -> None:
    sizes = synthetic.region_sizes()
    assert len(sizes) == 38 and sum(sizes) == 376 and min(sizes) >= 2
    files = synthetic.nationwide(tmp_path)
    assert len(files) == 376 - 38
    assert len({f.name.split("-")[0] for f in files}) == 38
    assert "熊本" not in (tmp_path / "common" / "region07-henko-r7.yaml").read_text(encoding="utf-8")


def test_a_synthetic_partner_loads(tmp_path: Path) -> None:
    from kyoyaku_pdf.input.loading import load_agreement

    [first, *_] = synthetic.nationwide(tmp_path)
    agreement = load_agreement(first).agreement
    assert agreement.partner.municipality == "合成町0101" and agreement.parties[0][1].municipality == "合成中枢市01"


def test_the_fit_of_a_line_is_the_line() -> None:
    a, b, r2 = fit([(1, 3.0), (2, 5.0), (4, 9.0), (8, 17.0)])
    assert (a, b, r2) == pytest.approx((1.0, 2.0, 1.0))
    assert fit([(1, 1.0), (2, 4.0), (4, 16.0), (8, 64.0)])[2] < 0.99  # a square is not linear


def test_a_run_reports_the_kernels_figures() -> None:
    result = harness.run([sys.executable, "-c", "x = bytearray(64 * 1024 * 1024); sum(range(3_000_000)); print('hi')"])
    assert result.status == 0 and result.stdout == "hi\n"
    assert result.peak_mib >= 64 and 0 < result.cpu and 0 < result.wall
