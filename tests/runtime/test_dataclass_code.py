"""dataclass_code: the methods dataclasses writes are compiled once per Python and kept in the
user's cache; what a class gets from the kept code is what compiling its text gives."""

from __future__ import annotations

import builtins
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kyoyaku_pdf.runtime import cache, dataclass_code

REPO = Path(__file__).resolve().parents[2]
#: Imports the build's modules, saves, and reports how many texts it compiled.
SCRIPT = """
import json
from kyoyaku_pdf.runtime import dataclass_code
import kyoyaku_pdf.cli.build
compiled = len(dataclass_code._compiled)
dataclass_code.save()
print(json.dumps({"compiled": compiled, "known": len(dataclass_code._codes)}))
"""


def imports(cache: Path, cli_env: dict[str, str]) -> dict[str, int]:
    env = {**cli_env, "KYOYAKU_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_dataclasses_alone_gets_the_caching_exec() -> None:
    assert dataclasses.exec is dataclass_code._exec  # type: ignore[attr-defined]
    assert builtins.exec is not dataclass_code._exec


def test_every_kept_code_is_what_compiling_its_text_gives() -> None:
    assert dataclass_code._codes  # the package's own classes went through it
    for text, code in dataclass_code._codes.items():
        assert code == compile(text, "<string>", "exec", dont_inherit=True)


def test_a_class_made_through_the_cache_behaves_as_a_dataclass() -> None:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 2

    assert repr(Point(1)) == "test_a_class_made_through_the_cache_behaves_as_a_dataclass.<locals>.Point(x=1, y=2)"
    assert Point(1) == Point(1, 2) and hash(Point(1)) == hash(Point(1, 2)) and Point(1) != Point(2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_the_next_process_compiles_nothing_and_a_corrupt_entry_is_compiled_again(
        tmp_path: Path, cli_env: dict[str, str]) -> None:
    first = imports(tmp_path, cli_env)
    assert first["compiled"] > 0
    [entry] = (tmp_path / "kyoyaku-pdf").glob("dataclass-code-*.bin")
    assert imports(tmp_path, cli_env) == {"compiled": 0, "known": first["known"]}
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert imports(tmp_path, cli_env) == first  # read as a miss, compiled, written again
    assert cache.read_entry(entry) is not None


def test_past_max_texts_only_the_texts_used_are_written_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYOYAKU_CACHE_DIR", str(tmp_path))
    used = next(iter(dataclass_code._used))
    stale = "def __create_fn__():\n def f(): pass\n return f"
    codes = {used: dataclass_code._codes[used], stale: compile(stale, "<string>", "exec", dont_inherit=True)}
    monkeypatch.setattr(dataclass_code, "_codes", codes)
    monkeypatch.setattr(dataclass_code, "_used", {used})
    monkeypatch.setattr(dataclass_code, "_compiled", {stale})
    monkeypatch.setattr(dataclass_code, "MAX_TEXTS", 1)
    dataclass_code.save()
    [entry] = (tmp_path / "kyoyaku-pdf").glob("dataclass-code-*.bin")
    assert cache.read_entry(entry) == ({used: codes[used]},)
