"""breakcache: the line breaks of a build kept on disk — the next process breaks (almost) nothing
and writes the same bytes; a corrupt or foreign entry is a miss; any change to what the lines
depend on is another entry; the entry stays bounded and is written only when something is new."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kyoyaku_pdf.layout import text
from kyoyaku_pdf.layout.text import FontSet
from kyoyaku_pdf.pdf import breakcache, fontcache
from kyoyaku_pdf.pdf.fonts import IPAMJ, MINCHO, codepoints, register
from kyoyaku_pdf.runtime.cache import read_entry, write_entry
from kyoyaku_pdf.text.japanese import Typesetting

REPO = Path(__file__).resolve().parents[2]
AGREEMENT = REPO / "data" / "mifune-henko-r7.yaml"
#: A build in a fresh process that counts its calls of ``japanese.break_lines`` into argv[1].
COUNTING_BUILD = """
import sys
from pathlib import Path
from kyoyaku_pdf.cli.main import main, set_up_process
set_up_process()
from kyoyaku_pdf.layout import text
calls = []
breaking = text.break_lines
text.break_lines = lambda *args, **kwargs: calls.append(1) or breaking(*args, **kwargs)
status = main(sys.argv[2:])
Path(sys.argv[1]).write_text(str(len(calls)))
sys.exit(status)
"""


def build(tmp_path: Path, cache_root: Path, cli_env: dict[str, str], name: str) -> tuple[bytes, int]:
    """The bundled agreement built by a fresh process whose cache is under ``cache_root``
    (KYOYAKU_CACHE_DIR), and how many paragraphs it broke."""
    out, count = tmp_path / name, tmp_path / f"{name}.calls"
    env = {**cli_env, "KYOYAKU_CACHE_DIR": str(cache_root)}
    result = subprocess.run([sys.executable, "-c", COUNTING_BUILD, str(count), "build", str(AGREEMENT), "-o", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [pdf] = out.rglob("*.pdf")
    return pdf.read_bytes(), int(count.read_text())


def break_entries(cache_root: Path) -> list[Path]:
    return sorted((cache_root / "kyoyaku-pdf").glob(f"{breakcache.KIND}-*.bin"))


def test_the_next_process_breaks_nothing_and_writes_the_same_bytes(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "cache"
    cold, cold_calls = build(tmp_path, root, cli_env, "cold")
    [entry] = break_entries(root)  # under KYOYAKU_CACHE_DIR
    assert cold_calls > 50
    warm, warm_calls = build(tmp_path, root, cli_env, "warm")
    assert warm == cold
    assert warm_calls == 0
    assert break_entries(root) == [entry]
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("x")
    assert build(tmp_path, not_a_folder, cli_env, "unusable") == (cold, cold_calls)


def test_a_corrupt_entry_is_ignored_and_mended(tmp_path: Path, cli_env: dict[str, str]) -> None:
    root = tmp_path / "cache"
    cold, cold_calls = build(tmp_path, root, cli_env, "cold")
    [entry] = break_entries(root)
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte in the payload
    entry.write_bytes(bytes(data))
    assert build(tmp_path, root, cli_env, "corrupt") == (cold, cold_calls)
    assert read_entry(entry) is not None  # written again, whole
    assert build(tmp_path, root, cli_env, "mended") == (cold, 0)


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new process's state (nothing seeded, remembered or kept) with its cache under tmp_path."""
    monkeypatch.setenv("KYOYAKU_CACHE_DIR", str(tmp_path))
    new_process(monkeypatch)
    yield tmp_path
    text._broken.cache_clear()


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's state as a new process starts with it: nothing seeded, remembered or kept."""
    monkeypatch.setattr(breakcache, "_kept", {})
    monkeypatch.setattr(text, "_seeded", {})
    monkeypatch.setattr(text, "_used", {})
    monkeypatch.setattr(text, "_missed", set())
    text._broken.cache_clear()


FONTS = FontSet(register(MINCHO), codepoints(MINCHO), None, Typesetting())


def test_an_intact_entry_that_holds_no_breaks_is_a_miss(fresh: Path) -> None:
    path = breakcache._entry(FONTS, (MINCHO,))
    assert path is not None and write_entry(path, ["not", "a", "dict"])
    breakcache.seed(FONTS, (MINCHO,))
    assert text._seeded[FONTS] == {}


def test_whatever_the_lines_depend_on_names_another_entry(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = breakcache._entry(FONTS, (MINCHO,))
    others = [
        breakcache._entry(FontSet(FONTS.main, FONTS.covered, None, Typesetting(latin_spacing=False)), (MINCHO,)),
        breakcache._entry(FontSet(FONTS.main, FONTS.covered, register(IPAMJ)), (MINCHO, IPAMJ)),
    ]
    with monkeypatch.context() as patch:
        patch.setattr(fontcache, "file_key", lambda info: "another version of the font")
        others.append(breakcache._entry(FONTS, (MINCHO,)))
    with monkeypatch.context() as patch:
        patch.setattr(breakcache, "_code_digest", lambda: "another version of the code")
        others.append(breakcache._entry(FONTS, (MINCHO,)))
    with monkeypatch.context() as patch:
        patch.setattr(breakcache, "FORMAT", breakcache.FORMAT + 1)
        others.append(breakcache._entry(FONTS, (MINCHO,)))
    assert breakcache._entry(FONTS, (MINCHO,)) == first
    assert len({first, *others}) == 1 + len(others)


def test_the_code_digest_is_of_the_breaking_code(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = breakcache._code_digest()
    assert digest is not None and len(digest) == 64
    breakcache._code_digest.cache_clear()
    try:
        monkeypatch.setattr(breakcache, "_CODE", (*breakcache._CODE, sys))  # a module without a file
        assert breakcache._code_digest() is None, "unreadable code: nothing is kept"
    finally:
        breakcache._code_digest.cache_clear()


def paragraphs(count: int) -> list[str]:
    return [f"第{n}条 甲及び乙は、この協約に定めのない事項について協議する。" for n in range(count)]


def test_an_entry_is_written_after_a_processs_first_document_what_it_asked_first_and_bounded(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(breakcache, "KEEP", 5)
    writes: list[list[str]] = []
    storing = fontcache.store
    monkeypatch.setattr(fontcache, "store", lambda path, kind, value: writes.append([a[0] for a in value]) or storing(path, kind, value))
    texts = paragraphs(8)
    breakcache.seed(FONTS, (MINCHO,))
    for paragraph in texts[:7]:
        FONTS.break_lines(paragraph, 300.0, 10.5)
    breakcache.keep(FONTS)  # the first document
    FONTS.break_lines(texts[7], 300.0, 10.5)  # the next document breaks a paragraph of its own
    breakcache.keep(FONTS)
    assert writes == [texts[:5]], "after the first document, KEEP at most"
    new_process(monkeypatch)  # the next process asks for 5 and 6 (not held) and 0 (held)
    breakcache.seed(FONTS, (MINCHO,))
    for paragraph in (texts[5], texts[6], texts[0]):
        FONTS.break_lines(paragraph, 300.0, 10.5)
    breakcache.keep(FONTS)
    assert writes[1] == [texts[5], texts[6], texts[0], texts[1], texts[2]], "what was asked, then what was held"
    [path] = break_entries(fresh)
    stored = read_entry(path)
    assert stored is not None and [args[0] for args in stored[0]] == writes[1]
    new_process(monkeypatch)  # a process that breaks nothing anew writes nothing
    breakcache.seed(FONTS, (MINCHO,))
    FONTS.break_lines(texts[1], 300.0, 10.5)
    breakcache.keep(FONTS)
    assert len(writes) == 2


def test_no_cache_folder_keeps_nothing(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_folder = fresh / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("KYOYAKU_CACHE_DIR", str(not_a_folder))
    breakcache.seed(FONTS, (MINCHO,))
    FONTS.break_lines(paragraphs(1)[0], 300.0, 10.5)
    breakcache.keep(FONTS)
    assert FONTS not in text._seeded and text.used_breaks(FONTS) == ({}, False)
    assert breakcache._kept == {FONTS: None}, "looked for once"
