"""The argument parser of a run registers only the command it runs: the same help, errors and usage."""

from __future__ import annotations

import argparse

import pytest

from kyoyaku_pdf.cli.commands import BY_NAME, COMMANDS
from kyoyaku_pdf.cli.main import _command_asked, _parser, main


def choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_by_name_names_what_each_module_registers() -> None:
    for module in COMMANDS:
        commands = argparse.ArgumentParser().add_subparsers()
        module.register(commands)
        assert set(commands.choices) == {name for name, m in BY_NAME.items() if m is module}, module.__name__
    assert set(choices(_parser())) == set(BY_NAME)


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
    assert list(choices(alone)) == [n for n, m in BY_NAME.items() if m is BY_NAME[name]]  # its module's
    assert choices(alone)[name].format_help() == choices(among_all)[name].format_help()
    assert alone.format_usage() == among_all.format_usage()


def test_a_mistyped_command_is_refused_listing_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bulid"])
    err = capsys.readouterr().err
    assert all(name in err for name in BY_NAME), err
