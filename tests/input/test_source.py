"""source: YAML files become located trees; broken and hostile files are refused with a location."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import time
from pathlib import Path

import pytest

from kyoyaku_pdf.errors import InputError
from kyoyaku_pdf.input.binding import Binder
from kyoyaku_pdf.input import source
from kyoyaku_pdf.input.source import MAX_FILE_BYTES, _parse, _parse_fast, compose, read_source


@dataclasses.dataclass(frozen=True)
class Dated:
    date: dt.date


def write(tmp_path: Path, content: str | bytes, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def only_problem(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value.problems[0])


def test_values_keep_their_line_and_column(tmp_path: Path) -> None:
    tree = read_source(write(tmp_path, "id: x\nparty:\n  name: 藤木正\n  seal_mm: 24\ndate: 2025-03-24\n"))
    assert isinstance(tree.value, dict)
    name = tree.value["party"].value["name"]  # type: ignore[index]
    assert (name.value, name.location.line, name.location.column) == ("藤木正", 3, 9)
    assert tree.value["party"].value["seal_mm"].value == 24  # type: ignore[index]
    assert tree.value["date"].value == dt.date(2025, 3, 24)
    assert tree.key_locations["date"].line == 5


def test_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "id: x\nparty: y: z\nname: y\n"))
    assert message.startswith(f"{tmp_path / 'a.yaml'}:2:")
    assert "YAML syntax error" in message


def test_unclosed_bracket_is_reported_where_it_opens(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "id: x\nparty: [a, b\nname: y\n"))
    assert message == (f"{tmp_path / 'a.yaml'}:2:8: YAML syntax error: the flow sequence or mapping that starts here "
                       "is never closed (noticed at line 3); type its ] or }")


def test_tab_indentation_is_named(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "party:\n\tname: x\n"))
    assert ":2:" in message and "tab character" in message


def test_duplicate_key_is_an_error_not_last_one_wins(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "id: a\nname: x\nid: b\n"))
    assert message == f"{tmp_path / 'a.yaml'}:3:1: id: duplicate key 'id' (first given at line 1); delete one of them"


def test_aliases_are_refused(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "a: &x [1, 2]\nb: *x\n"))
    assert ":2:4:" in message and "aliases" in message


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, "\n".join(lines) + "\n"))
    assert "aliases" in str(caught.value)


def test_invalid_date_is_located(tmp_path: Path) -> None:
    """An impossible date is left as text by the reader (so the model reports it with the file's other
    problems, see tests/input/test_clerk_mistakes.py) and located there."""
    binder = Binder()
    binder.bind(Dated, read_source(write(tmp_path, "date: 2025-02-30\n")))
    [message] = [str(p) for p in binder.problems]
    assert ":1:7:" in message and "2025-02-30" in message and "28" in message


def test_empty_file(tmp_path: Path) -> None:
    assert only_problem(write(tmp_path, "# only a comment\n")).endswith("the file is empty; write its fields")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    tree = read_source(write(tmp_path, b"\xef\xbb\xbfname: \xe8\x97\xa4\n"))
    assert tree.value["name"].value == "藤"  # type: ignore[index]


def test_shift_jis_is_recognised(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "id: a\nname: 御船町\n".encode("cp932")))
    assert ":2:7:" in message and "Shift_JIS" in message and "UTF-8" in message


def test_utf16_is_recognised(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, "name: 御船町\n".encode("utf-16")))
    assert "UTF-16" in message and "UTF-8" in message


def test_binary_junk(tmp_path: Path) -> None:
    message = only_problem(write(tmp_path, b"\x00\x01\x02garbage"))
    assert "UTF-16" in message or "binary" in message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert "the limit is" in only_problem(path)


def test_missing_file(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nope.yaml").endswith("no such file")


# ---- files that are not files --------------------------------------------------------------------


def code_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path)
    [problem] = caught.value.problems
    assert (problem.location.line, problem.location.column) == (1, 1)
    return problem.code


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "agreement.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert code_of(fifo) == "file-not-regular"
    assert time.monotonic() - started < 2


def test_a_device_is_refused_before_a_byte_is_read() -> None:
    started = time.monotonic()
    assert code_of(Path("/dev/zero")) == "file-not-regular"
    assert time.monotonic() - started < 2


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "a.yaml"
    link.symlink_to("/dev/zero")
    assert code_of(link) == "file-not-regular"


def test_no_more_than_the_limit_is_read_whatever_stat_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after stat (or whose size stat misreports) is read only up to the limit."""
    path = write(tmp_path, b"a: b\n" * (MAX_FILE_BYTES // 4))
    reads: list[int] = []
    real_fdopen = os.fdopen

    def recording_fdopen(fd: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[arg-type]
        real_read = handle.read
        handle.read = lambda size=-1: reads.append(size) or real_read(size)  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr("kyoyaku_pdf.input.source.os.fdopen", recording_fdopen)
    assert code_of(path) == "file-too-large"
    assert reads == [MAX_FILE_BYTES + 1]


def test_a_folder_is_named_as_such(tmp_path: Path) -> None:
    assert code_of(tmp_path) == "file-folder"


def test_the_file_problems_are_explained_in_japanese(tmp_path: Path, japanese: None) -> None:
    with pytest.raises(InputError) as caught:
        read_source(Path("/dev/zero"))
    assert "通常のファイルではありません" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "code", "column"),
    [("`abc", "yaml-reserved-char", 7), ("@abc", "yaml-reserved-char", 7), ("%abc", "yaml-reserved-char", 7),
     ("& abc", "yaml-reserved-char", 7), ("|b", "yaml-reserved-char", 7), ("!熊", "yaml-reserved-char", 7),
     ('"藤木"正', "yaml-text-after-value", 11), ("'a' b", "yaml-text-after-value", 11)],
)
def test_a_value_starting_with_a_reserved_character_is_explained(tmp_path: Path, value: str, code: str, column: int) -> None:
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, f"id: x\nname: {value}\nb: c\n"))
    [problem] = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.column) == (code, 2, column)
    assert '"…"' in problem.message or "quote" in problem.message


# ---- libyaml's parser for well-formed files, PyYAML's for every message -----------------------

BUNDLED = sorted((Path(__file__).resolve().parents[2] / "data").rglob("*.yaml"))
#: What a clerk's slip or an editor adds: YAML's own syntax, look-alikes, tags, anchors, breaks.
MANGLES = [*":-[]{}\"'#|>?!&*%@`,\t \n\r\\", "  ", "\n  ", ": ", "- ", "...", "---", "\u3000", "：", "!!str ",
           "!!int ", "! ", "!foo ", "~", "0x1F", "1e3", "2025-02-30", "yes", "null", "<<: ", '"\\u00', "\\x",
           "? ", "&a ", "*a", "|-\n", ">+\n", "%YAML 1.1\n---\n", '"\\\n', "'\n", "\r\n", "𠮷", "ｶﾀ"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_libyaml_reads_the_bundled_files_exactly_as_pyyaml(path: Path, newline: str) -> None:
    text = compose(path.read_text(encoding="utf-8").replace("\n", newline))
    fast = _parse_fast(text, str(path))
    assert fast is not None  # the quick way is the one a build takes
    assert fast == _parse(text, str(path))  # every value, type, line and column


def test_libyaml_never_reads_a_mangled_file_otherwise_than_pyyaml() -> None:
    """Mangled copies of the bundled files: whenever libyaml's reading is used, it is PyYAML's
    (the same tree, marks and no problems); every other file is left to PyYAML, which says what
    is wrong as it always has."""
    rng = random.Random(14)
    texts = [path.read_text(encoding="utf-8") for path in BUNDLED]
    outcomes = {"fast": 0, "fallback": 0}
    for _ in range(400):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            cut = at + rng.choice([0, 0, 1, 1, 3])
            text = text[:at] + rng.choice(MANGLES) + text[cut:]
        fast = _parse_fast(text, "a.yaml")
        if fast is None:
            outcomes["fallback"] += 1
            continue
        outcomes["fast"] += 1
        assert fast == _parse(text, "a.yaml"), text
    assert min(outcomes.values()) > 50, outcomes  # both ways were tried


@pytest.mark.parametrize("content", ["id:\tx\nname: y\n", "id: x\ncopies: !\n", "a: &x 1\nb: *x\n", "a: !!int 3\n",
                                     "id: x\nid: y\n", "id: [x\n", ""])
def test_what_libyaml_could_read_otherwise_is_left_to_pyyaml(content: str) -> None:
    """A tab (PyYAML refuses some libyaml accepts), the "!" tag (libyaml resolves ``!`` alone
    to a text, PyYAML to null), aliases, tags, a duplicate key, a syntax error, an empty file."""
    assert _parse_fast(content, "a.yaml") is None


def test_a_build_reads_its_files_with_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def reference(text: str, name: str) -> None:
        raise AssertionError(f"{name} read by the pure-Python parser")

    monkeypatch.setattr("kyoyaku_pdf.input.source._parse", reference)
    for path in BUNDLED:
        assert read_source(path).is_mapping


def test_a_file_read_again_is_parsed_once_until_its_bytes_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = source._parsed
    monkeypatch.setattr(source, "_parsed", lambda data, name: parsed.append(name) or real(data, name))
    path = write(tmp_path, "id: x\nname: 藤木\n")
    first = read_source(path)
    assert read_source(path) is first and parsed == [str(path)]
    write(tmp_path, "id: x\nname: 藤木正\n")  # edited: other bytes, read again
    assert read_source(path).value["name"].value == "藤木正" and len(parsed) == 2  # type: ignore[index]
    write(tmp_path, "id: x\nname: [藤木\n")  # now broken: its own located message, every time
    for _ in range(2):
        assert only_problem(path).startswith(f"{path}:2:")


def test_the_same_bytes_under_another_name_are_located_in_that_file(tmp_path: Path) -> None:
    a, b = write(tmp_path, "id: x\n", "a.yaml"), write(tmp_path, "id: x\n", "b.yaml")
    assert read_source(a).location.file == str(a) and read_source(b).location.file == str(b)


def test_a_file_with_problems_is_read_again_in_the_language_of_each_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "id: x\nname: a\nid: y\n")
    for _ in range(2):  # raised without a list, handed over with one
        assert "duplicate key 'id'" in only_problem(path)
        found: list[object] = []
        read_source(path, found)  # type: ignore[arg-type]
        assert len(found) == 1
    monkeypatch.setenv("KYOYAKU_LANG", "ja")
    assert "duplicate key" not in only_problem(path)
    assert source._read == {}


def test_no_more_files_are_kept_than_keep_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "KEEP_READ", 2)
    paths = [write(tmp_path, f"id: x{i}\n", f"{i}.yaml") for i in range(3)]
    trees = [read_source(p) for p in paths]
    assert [key[0] for key in source._read] == [str(p) for p in paths[1:]]
    assert read_source(paths[0]) is not trees[0] and read_source(paths[2]) is trees[2]
