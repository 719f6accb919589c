"""Japanese first: --help, argparse's own words and usage errors in Japanese by default; English
with --lang en or KYOYAKU_LANG=en; every catalogue entry has both languages."""

from __future__ import annotations

import argparse
import pkgutil
import re
import string
import unicodedata

import pytest

from kyoyaku_pdf.cli.commands import BY_NAME
from kyoyaku_pdf.cli.main import _parser, main
from kyoyaku_pdf import messages
from kyoyaku_pdf.messages import catalogue

JAPANESE = re.compile(r"[\u3041-\u30ff\u4e00-\u9fff]")
#: every command: the records officer reads archive and verify-archive in Japanese as the clerk reads build
MY_COMMANDS = list(BY_NAME)


def columns_of(text: str) -> int:
    """The columns a terminal draws: a wide or full-width character takes two (counted here, not by
    the code under test)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit:
        main([*args, "--help"])
    assert exit.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [[], *([c] for c in MY_COMMANDS)], ids=["top", *MY_COMMANDS])
def test_help_is_japanese_by_default(command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYOYAKU_LANG")
    text = help_of(command, capsys)
    assert text.startswith("使い方: kyoyaku-pdf") and "オプション:" in text and "この説明を表示して終了する" in text
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in text
    assert "終了ステータス" in text and "70 内部エラー" in text and "78" in text
    parser = _parser()
    if command:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command[0]]
    helps = [a.help for a in parser._actions if a.help and a.help != argparse.SUPPRESS]
    assert helps and all(JAPANESE.search(h) for h in helps), helps  # every option explained in Japanese
    assert JAPANESE.search(parser.description or "ですか")


@pytest.mark.parametrize("command", MY_COMMANDS)
def test_japanese_help_is_wrapped_by_display_width(command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse alone breaks only at spaces and counts a full-width character as one column."""
    monkeypatch.delenv("KYOYAKU_LANG")
    monkeypatch.setenv("COLUMNS", "80")
    lines = help_of([command], capsys).splitlines()
    assert all(columns_of(line) <= 80 for line in lines), lines
    assert not [line for line in lines if line.strip()[:1] in tuple("、。）」ァッ")], "no line starts with 、。）」 or small kana"
    assert not [line for line in lines if line[-1:] in tuple("（「『")], "no line ends with （「『"
    assert not [line for line in lines if re.search(r"[!-~] [（「、。）」]", line)], "no space before full-width punctuation"
    options = lines[lines.index("オプション:") + 1:]
    options = options[:options.index("")] if "" in options else options
    starts = {columns_of(m.group(1)) for line in options if (m := re.match(r"(  -\S.*?\S  +)\S", line))}
    starts |= {len(line) - len(line.lstrip()) for line in options if not line.lstrip().startswith("-")}
    assert len(starts) == 1, f"every option's help starts in one column: {options}"
    first, second = lines[0], lines[1]
    if second.startswith(" ") and second.strip():  # the usage went on: under its first option, counted in columns
        assert len(second) - len(second.lstrip()) == columns_of(first[:first.index("[")]), lines[:2]


def test_help_in_english_with_lang_or_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_of(["--lang", "en", "build"], capsys)
    assert text.startswith("usage: kyoyaku-pdf build") and "folder to write into" in text
    monkeypatch.setenv("KYOYAKU_LANG", "en")
    assert "exit status:\n  0 done\n" in help_of(["check"], capsys)
    monkeypatch.setenv("KYOYAKU_LANG", "ja")
    assert "使い方" in help_of(["build", "--lang", "ja"], capsys), "--lang after the command too"


def test_a_usage_mistake_is_explained_in_japanese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYOYAKU_LANG")
    with pytest.raises(SystemExit) as exit:
        main(["build", "-j", "0"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "エラー" in err and "1 以上の数を指定してください（例: -j 4）" in err and "kyoyaku-pdf build --help" in err
    with pytest.raises(SystemExit):
        main(["diff"])
    assert "次の引数を指定してください" in capsys.readouterr().err


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for code, (ja, en) in catalogue().items():
        assert ja and en, code
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (ja, en)]
        assert fields[0] == fields[1], code
        if not code.startswith("argparse-"):
            assert JAPANESE.search(ja) or code == "strict", f"{code}: not Japanese"


def test_every_module_of_the_catalogue_is_a_part() -> None:
    assert messages.PARTS == tuple(sorted(info.name for info in pkgutil.iter_modules(messages.__path__)))
