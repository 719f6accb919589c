"""The argument parser of a run registers only the command it runs: the same help, errors and usage."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from kyoyaku_pdf.cli.commands import BY_NAME, all_modules, command_module
from kyoyaku_pdf.cli.main import _command_asked, _parser, main


def choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_by_name_names_what_each_module_registers() -> None:
    for module in all_modules():
        commands = argparse.ArgumentParser().add_subparsers()
        module.register(commands)
        assert set(commands.choices) == {name for name in BY_NAME if command_module(name) is module}, module.__name__
    assert list(choices(_parser())) == list(BY_NAME)  # and in the order --help lists them


@pytest.mark.parametrize(("argv", "command"), [
    (["build", "a.yaml"], "build"), (["--lang", "en", "check", "--lang", "ja"], "check"),
    (["--lang=en", "--debug", "verify-archive"], "verify-archive"),
    (["-h", "build"], None), (["--version"], None), (["bulid", "a.yaml"], None), ([], None),
    (["--lang", "build"], None),  # "build" is --lang's (wrong) value: the parser says so as always
])
def test_the_command_asked_is_the_first_word_but_the_shared_options(argv: list[str], command: str | None) -> None:
    assert _command_asked(argv) == command


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_command_alone_has_the_help_and_usage_it_has_among_all(name: str) -> None:
    alone, among_all = _parser(name), _parser()
    assert list(choices(alone)) == [n for n, m in BY_NAME.items() if m == BY_NAME[name]]  # its module's
    assert choices(alone)[name].format_help() == choices(among_all)[name].format_help()
    assert alone.format_usage() == among_all.format_usage()


def test_a_mistyped_command_is_refused_listing_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bulid"])
    err = capsys.readouterr().err
    assert all(name in err for name in BY_NAME), err


def test_a_run_imports_only_its_own_command_module(cli_env: dict[str, str]) -> None:
    script = ("import json, sys; from kyoyaku_pdf.cli.main import _command_asked, _parser; "
              "_parser(_command_asked(sys.argv[1:])).parse_args(sys.argv[1:]); "
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith('kyoyaku_pdf.cli.commands.'))))")
    result = subprocess.run([sys.executable, "-c", script, "check", "a.yaml"], env=cli_env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["kyoyaku_pdf.cli.commands.check"]
