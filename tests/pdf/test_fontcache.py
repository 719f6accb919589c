"""fontcache: parsed fonts kept on disk — the same PDF whether the cache is cold, warm, corrupt or
unusable; never stale; never in a folder other users can reach."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from kyoyaku_pdf.runtime.cache import read_entry
from kyoyaku_pdf.pdf import fontcache, fonts

REPO = Path(__file__).resolve().parents[2]
AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"


def build(tmp_path: Path, cache_home: Path, cli_env: dict[str, str], name: str) -> bytes:
    """The bundled agreement built by a fresh process whose cache lives in ``cache_home``."""
    out = tmp_path / name
    env = {**cli_env, "XDG_CACHE_HOME": str(cache_home), "KYOYAKU_CACHE_DIR": str(cache_home)}
    result = subprocess.run([sys.executable, "-m", "kyoyaku_pdf", "build", str(AGREEMENT), "-o", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [pdf] = out.rglob("*.pdf")
    return pdf.read_bytes()


def entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "kyoyaku-pdf").glob("*.bin"))


def test_cold_warm_corrupt_and_unusable_caches_give_the_same_bytes(tmp_path: Path, cli_env: dict[str, str]) -> None:
    home = tmp_path / "cache"
    cold = build(tmp_path, home, cli_env, "cold")
    stored = entries(home)
    assert [p.name.split("-")[0] for p in stored] == ["breaks", "dataclass", "outline", "reportlab"]  # see breakcache.py, dataclass_code.py
    assert (home / "kyoyaku-pdf").stat().st_mode & 0o777 == 0o700
    assert build(tmp_path, home, cli_env, "warm") == cold
    for entry in stored:  # one flipped byte in the payload of each entry
        data = bytearray(entry.read_bytes())
        data[-10] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert build(tmp_path, home, cli_env, "corrupt") == cold
    assert all(read_entry(entry) is not None for entry in entries(home))  # mended by rewriting
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert build(tmp_path, not_a_folder, cli_env, "unusable") == cold


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KYOYAKU_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_stored_value_is_returned_without_making_it_again(cache_home: Path) -> None:
    made = []
    make = lambda: made.append(1) or {"a": (1, 2.5, b"x")}
    assert fontcache.cached("test", "k", (), make) == {"a": (1, 2.5, b"x")}
    assert fontcache.cached("test", "k", (), make) == {"a": (1, 2.5, b"x")}
    assert made == [1]
    fontcache.cached("test", "other-key", (), make)
    assert made == [1, 1]


def test_a_stored_value_the_caller_refuses_is_made_again(cache_home: Path) -> None:
    fontcache.cached("test", "k", (), lambda: "not a face")
    assert fontcache.cached("test", "k", (), lambda: {"a": 1}, valid=lambda v: isinstance(v, dict)) == {"a": 1}
    assert fontcache.cached("test", "k", (), lambda: "unused", valid=lambda v: isinstance(v, dict)) == {"a": 1}


def test_the_cache_keeps_the_most_recently_used_entries_of_a_kind(cache_home: Path) -> None:
    """Each font file version has its own entry (a face is 0.7–3 MB): without pruning, every
    reinstall, clone or copy of the fonts would leave one behind for ever."""
    folder = cache_home / "kyoyaku-pdf"
    for n in range(fontcache.KEEP):
        fontcache.cached("test", f"k{n}", (), lambda: n)
    old = sorted(folder.glob("test-*.bin"))
    assert len(old) == fontcache.KEEP
    long_ago = 1_000_000_000 * 10**9
    for n, path in enumerate(old):
        os.utime(path, ns=(long_ago + n, long_ago + n))
    in_use = old[0]  # the oldest by mtime; a lookup refreshes it
    used_key = next(f"k{n}" for n in range(fontcache.KEEP) if fontcache._entry_name("test", f"k{n}", ()) == in_use.name)
    assert fontcache.cached("test", used_key, (), lambda: "made again") != "made again"
    fontcache.cached("other", "k", (), lambda: 1)  # another kind is not counted
    fontcache.cached("test", "new", (), lambda: "new")
    left = sorted(folder.glob("test-*.bin"))
    assert len(left) == fontcache.KEEP and in_use in left
    assert old[1] not in left, "the least recently used entry goes"
    assert len(list(folder.glob("other-*.bin"))) == 1


def test_a_changed_file_has_a_new_key(tmp_path: Path) -> None:
    font = tmp_path / "f.ttf"
    font.write_bytes(b"one")
    before = fontcache.file_key(font.stat())
    font.write_bytes(b"two")  # same size, rewritten in place
    os.utime(font, ns=(font.stat().st_atime_ns, int(before.split("-")[1])))  # even with the old mtime
    assert fontcache.file_key(font.stat()) != before  # ctime cannot be set back


def test_another_library_version_has_another_entry(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fontcache._entry_name("outline", "k", ("fontTools",))
    monkeypatch.setattr(fontcache, "_library_key", lambda name: "another install")
    assert fontcache._entry_name("outline", "k", ("fontTools",)) != first


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777])
def test_a_folder_others_can_write_in_is_not_used(cache_home: Path, mode: int) -> None:
    folder = cache_home / "kyoyaku-pdf"
    folder.mkdir(parents=True)
    folder.chmod(mode)
    assert fontcache.cache_dir() is None
    assert fontcache.cached("test", "k", (), lambda: 1) == 1
    assert list(folder.iterdir()) == []


def test_a_folder_of_ours_others_can_read_is_closed_first(cache_home: Path) -> None:
    folder = cache_home / "kyoyaku-pdf"
    folder.mkdir(parents=True)
    folder.chmod(0o755)  # as another tool with umask 022 makes it
    assert fontcache.cache_dir() == folder
    assert folder.stat().st_mode & 0o777 == 0o700


def test_kyoyaku_cache_dir_names_the_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KYOYAKU_CACHE_DIR", str(tmp_path / "root"))
    assert fontcache.cache_dir() == tmp_path / "root" / "kyoyaku-pdf"


def test_a_folder_of_another_user_or_a_symlink_is_not_used(cache_home: Path, tmp_path: Path) -> None:
    folder = cache_home / "kyoyaku-pdf"
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    cache_home.mkdir()
    folder.symlink_to(target)
    assert fontcache.cache_dir() is None
    folder.unlink()
    folder.mkdir(mode=0o700)
    if os.getuid() == 0:  # only root can give a folder away
        os.chown(folder, 65534, 65534)
        assert fontcache.cache_dir() is None


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KYOYAKU_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert fontcache.cache_dir() == tmp_path / ".cache" / "kyoyaku-pdf"


def test_an_unwritable_folder_falls_back_to_making_the_value(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert fontcache.cached("test", "k", (), lambda: (1, 2)) == (1, 2)
    assert list((cache_home / "kyoyaku-pdf").iterdir()) == []


def test_a_face_from_stored_state_equals_a_freshly_parsed_one() -> None:
    path = fonts.MINCHO.path
    fresh = TTFontFace(str(path))
    again = fonts._face_from_state(fonts._face_state(TTFontFace(str(path))), str(path), path.read_bytes())
    plain = {k: v for k, v in vars(fresh).items() if k not in {"_pdfScale", "glyphToChar"}}
    assert {k: v for k, v in vars(again).items() if k != "_pdfScale"} == plain  # glyphToChar is not stored
    assert type(again.name) is type(fresh.name) and again.name.ustr == fresh.name.ustr
    assert again._pdfScale(1234) == fresh._pdfScale(1234)


def test_a_font_around_a_parsed_face_equals_reportlabs_own() -> None:
    path = fonts.MINCHO.path
    ours, theirs = fonts._reportlab_font("X", fonts._face(path)), TTFont("X", str(path), asciiReadable=0)
    assert isinstance(ours.face, type(theirs.face))  # the face's subsets are unhinted (unhinted.py)
    assert {k: type(v) for k, v in vars(ours).items() if k != "face"} == {k: type(v) for k, v in vars(theirs).items() if k != "face"}
    assert (ours.fontName, ours._asciiReadable, ours.shapable) == (theirs.fontName, theirs._asciiReadable, theirs.shapable)


@pytest.mark.parametrize("spec", [fonts.MINCHO, fonts.IPAMJ], ids=["mincho", "ipamj"])
def test_coverage_is_the_cmap_fonttools_reads(spec: fonts.FontSpec) -> None:
    with FontToolsFont(str(spec.path), lazy=True) as font:
        assert fonts.codepoints(spec) == frozenset(font.getBestCmap())
