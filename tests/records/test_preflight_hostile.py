"""Hostile PDFs into ``preflight``: bounded memory and time whatever the file (issue 9, item 4).

Each crafted file is a copy of our own PDF/A-2u file with one hostile part: a 1 MB content stream or ICC
profile that inflates to 1 GiB, a ToUnicode range <00> <FFFFFFFF>, a /W [0 300000000 1000] array,
millions of operators. The command runs in a subprocess under a wrapper that reports the peak resident
memory of every process below it (``getrusage(RUSAGE_CHILDREN)``, forked checker included) and the
wall time: each file must stay under 1 GiB and 60 s, exit with 0, 1 or 2, and never print a traceback.
The limits themselves (object count, file size, memory, time) are proved with small Limits in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from kyoyaku_pdf.records import preflight as preflight_module
from kyoyaku_pdf.records.pdfscan import MiB, Limits
from kyoyaku_pdf.records.preflight import preflight
from kyoyaku_pdf.records.verapdf import VeraPdf

REPO = Path(__file__).resolve().parents[2]
GiB = 1 << 30

#: Runs the command given, then prints one JSON line: exit status, peak RSS of all descendants (KiB), seconds.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"status": run.returncode, "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "seconds": time.monotonic() - start, "stdout": run.stdout[-3000:], "stderr": run.stderr[-3000:]}))
"""


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_LANG", "en")


@pytest.fixture(scope="module")
def good(pdfa_file: Callable[[str], Path]) -> Path:
    return pdfa_file("2u")


def _bomb(size: int = GiB, prefix: bytes = b"") -> bytes:
    """``prefix`` then zeros up to ``size`` bytes, deflated (about 1 MB for 1 GiB)."""
    deflater, zeros = zlib.compressobj(9), bytes(16 * MiB)
    parts = [deflater.compress(prefix)]
    parts += [deflater.compress(zeros) for _ in range(size // len(zeros))]
    return b"".join(parts) + deflater.flush()


def _content_bomb(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"")
    stream.write(_bomb(), filter=Name.FlateDecode)
    pdf.pages[0].obj.Contents = stream


def _icc_bomb(pdf: pikepdf.Pdf) -> None:
    profile = pdf.Root.OutputIntents[0].DestOutputProfile
    profile.write(_bomb(prefix=profile.read_bytes()[:128]), filter=Name.FlateDecode)


def _cmap_range(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].Resources.Font.values():
        font.ToUnicode.write(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                             b"1 begincodespacerange <00> <FF> endcodespacerange\n"
                             b"1 beginbfrange <00> <FFFFFFFF> <0041> endbfrange\nendcmap end end\n")


def _w_array(pdf: pikepdf.Pdf) -> None:
    font = next(iter(pdf.pages[0].Resources.Font.values()))
    cid_font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=font.BaseFont, FontDescriptor=font.FontDescriptor,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        CIDToGIDMap=Name.Identity, W=Array([0, 300_000_000, 500])))  # half the real advance
    pdf.pages[0].Resources.Font.KyT0 = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=font.BaseFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([cid_font]), ToUnicode=font.ToUnicode))
    pdf.pages[0].contents_add(pdf.make_stream(b"BT /KyT0 12 Tf 10 10 Td <00010002> Tj ET"), prepend=False)


def _many_operators(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"")
    stream.write(zlib.compress(b"0 0 m\n" * (12 * MiB // 6)), filter=Name.FlateDecode)  # 2 million operators
    pdf.pages[0].obj.Contents = stream


def _deep_arrays(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(b"[" * 100_000 + b"(x)" + b"]" * 100_000 + b" Tj"), prepend=False)


def _lzw_content(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"")
    stream.write(bytes.fromhex("800b6050220c0c8501"), filter=Name.LZWDecode)
    pdf.pages[0].contents_add(stream, prepend=False)


HOSTILE: dict[str, tuple[Callable[[pikepdf.Pdf], None], set[int], str]] = {
    # name: (edit, allowed exit statuses, a word the output must contain)
    "content-bomb": (_content_bomb, {1}, "limit"),
    "icc-bomb": (_icc_bomb, {0}, "passes"),  # only the profile's header is ever decoded
    "cmap-range": (_cmap_range, {0}, "passes"),  # looked up per code, never expanded
    "w-array": (_w_array, {1}, "6.2.11.5"),  # looked up per code: CID 1 is declared 500 wide, drawn 1000
    "many-operators": (_many_operators, {0, 2}, "2u"),  # 0 when the machine is fast enough, else the time budget
    "deep-arrays": (_deep_arrays, {0, 1}, "2u"),
    "lzw-content": (_lzw_content, {1}, "6.1.7.2"),
}


@pytest.fixture(scope="module")
def hostile(good: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    made = {}
    for name, (edit, _, _) in HOSTILE.items():
        with pikepdf.open(good) as pdf:
            edit(pdf)
            pdf.save(folder / f"{name}.pdf", compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        made[name] = folder / f"{name}.pdf"
    return made


def _measured(args: list[str], cli_env: dict[str, str]) -> dict[str, object]:
    env = {**cli_env, "KYOYAKU_LANG": "en"}
    run = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "kyoyaku_pdf", *args],
                         capture_output=True, text=True, env=env, timeout=180)
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_builtin_stays_bounded(name: str, hostile: dict[str, Path], cli_env: dict[str, str]) -> None:
    _, statuses, word = HOSTILE[name]
    result = _measured(["preflight", "--engine", "builtin", str(hostile[name])], cli_env)
    output = f"{result['stdout']}{result['stderr']}"
    print(f"{name}: exit {result['status']}, peak RSS {int(result['maxrss_kib']) // 1024} MiB, "  # type: ignore[call-overload]
          f"{result['seconds']:.1f} s")
    assert result["status"] in statuses, output
    assert int(result["maxrss_kib"]) * 1024 < GiB, result  # type: ignore[call-overload]
    assert float(result["seconds"]) < 60, result  # type: ignore[arg-type]
    assert "Traceback" not in output and "internal error" not in output, output
    assert word in output, output


def test_verapdf_stays_bounded_on_a_bomb(hostile: dict[str, Path], verapdf: VeraPdf) -> None:
    """veraPDF's JVM has a fixed heap and each file a time budget: the 1 GiB content stream ends as a
    result — a timeout or out of memory, or, on a fast enough machine, a verdict within the budget
    (the file is well-formed) — the JVM's peak resident memory stays under 1 GiB, and the next file works."""
    with VeraPdf(timeout=15) as own:
        own.start()
        assert own._jvm is not None
        status = Path(f"/proc/{own._jvm.process.pid}/status")
        peak = 0

        def watch() -> None:
            nonlocal peak
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)

        started = time.monotonic()
        result = own.validate(hostile["content-bomb"], "2u")
        if own._jvm is not None:
            watch()
        assert result.error in ("timeout", "memory") or (result.error is None and result.checks > 0), str(result)
        assert time.monotonic() - started < 60
        assert peak < GiB
        assert own.validate(hostile["icc-bomb"], "2u").error is None


def test_object_count_limit(good: Path) -> None:
    report = preflight(good, limits=Limits(objects=10))
    assert report.error == "limit" and "objects" in report.error_message


def test_file_size_limit(good: Path) -> None:
    report = preflight(good, limits=Limits(file_bytes=1000))
    assert report.error == "too-large" and report.error_message


def test_memory_limit_ends_in_a_result(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that asks for more than the capped address space gets a MemoryError in the forked
    checker, which comes back as a limit — not a crash, not a hang."""
    def greedy(ctx: object) -> None:
        hoard = [bytearray(16 * MiB) for _ in range(200)]  # 3.2 GB, far over the cap
        assert hoard

    monkeypatch.setattr(preflight_module, "CHECKS", [("6.1.2", "greedy", greedy)])
    report = preflight(good, limits=Limits(memory_bytes=256 * MiB))
    assert report.error == "limit" and "memory" in report.error_message, report


def test_time_budget_ends_in_a_result(hostile: dict[str, Path]) -> None:
    started = time.monotonic()
    report = preflight(hostile["many-operators"], limits=Limits(seconds=1))
    assert report.error == "limit" and "time" in report.error_message, report
    assert time.monotonic() - started < 10


def test_a_check_that_hangs_is_stopped(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The backstop: a check that never returns (and never ticks the budget) is killed by the parent."""
    def hang(ctx: object) -> None:
        time.sleep(600)

    monkeypatch.setattr(preflight_module, "CHECKS", [("6.1.2", "hang", hang)])
    started = time.monotonic()
    report = preflight(good, limits=Limits(seconds=1))
    assert report.error == "limit" and "time" in report.error_message, report
    assert time.monotonic() - started < 15


def test_stream_limit_is_a_finding(hostile: dict[str, Path]) -> None:
    report = preflight(hostile["content-bomb"])
    assert report.error is None
    assert [f.code for f in report.findings] == ["limit"], report.findings
    assert "32 MiB" in report.findings[0].message


def test_encrypted_exits_2_in_japanese(good: Path, tmp_path: Path, cli_env: dict[str, str]) -> None:
    encrypted = tmp_path / "enc.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user=""))
    env = {k: v for k, v in cli_env.items() if k != "KYOYAKU_LANG"}
    run = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "preflight", "--engine", "builtin", str(encrypted)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2, run
    assert "暗号化されています" in run.stderr and "Traceback" not in run.stderr


def test_internal_error_in_a_check_is_not_a_verdict(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(ctx: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(preflight_module, "CHECKS", [("6.1.2", "buggy", buggy)])
    report = preflight(good)
    assert report.error == "internal" and "ZeroDivisionError" in report.error_message, report
    assert os.getpid()  # the parent is untouched
