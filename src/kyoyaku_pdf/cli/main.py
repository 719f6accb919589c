"""The ``kyoyaku-pdf`` command: the argument parser, the language, and the error boundary.

Exit status (ExitStatus): 0 done; 1 differences or findings (``diff``, ``verify-archive``,
``preflight``); 2 a problem in the input or the output location, every problem printed as
``FILE:LINE:COL: field.path: message``; 70 an internal error (a bug: please report it); 78 the
installation is incomplete (a bundled font is missing); 130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import unicodedata
from typing import Any, NoReturn, Sequence

from .. import __version__
from ..runtime import dataclass_code
from ..errors import StandardOutputError
from ..messages import LANGUAGES, set_language, text
from .commands import BY_NAME, all_modules, command_module
from .common import CLOSED_PIPE, Reporter, columns, silence_stdout, translate_argparse, write_stdout


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every exception ends here as a message and an exit status, never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_asked(argv))  # before the parser exists: its help and errors are in it
    translate_argparse()
    reporter = Reporter("", debug="--debug" in argv)
    try:
        args = _parser(_command_asked(argv)).parse_args(argv)
        reporter.command, reporter.debug = args.command, args.debug
        reporter.as_json = getattr(args, "json", False)
        args.reporter = reporter
        return int(args.run(args))
    except BrokenPipeError:  # `kyoyaku-pdf … | head`: the reader has gone; stop quietly
        silence_stdout()
        return CLOSED_PIPE
    except SystemExit:
        raise
    except BaseException as exc:  # the one boundary: describe() knows every kind, bugs included
        if isinstance(exc, StandardOutputError):
            reporter.as_json = False  # the JSON document cannot reach stdout: say it on stderr
        return reporter.finish(reporter.failure(exc))


def run() -> NoReturn:
    """The console script and ``python -m kyoyaku_pdf``: :func:`main`, then stdout flushed here
    (a full disk or a closed pipe at that moment is a message and an exit status, not the
    interpreter's "Exception ignored"), then leave without the interpreter's teardown.

    The teardown frees every module and object one by one: ~45 ms of a ~0.4 s build that has
    nothing left to do (each command closes its files, JVM and temporary folders itself, in
    ``with``/``finally``; outputs are fsynced before they are renamed into place)."""
    set_up_process()
    try:
        status = main()
    except SystemExit as exc:  # argparse's own exits: --help, --version, a usage error
        status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    dataclass_code.save()  # what this process compiled, for the next one
    try:
        write_stdout()  # what is still buffered
    except BrokenPipeError:
        silence_stdout()
        status = CLOSED_PIPE
    except StandardOutputError as exc:
        status = Reporter("").failure(exc)
    try:
        sys.stderr.flush()
    except OSError:  # nowhere left to say anything
        pass
    if workers := sys.modules.get("kyoyaku_pdf.cli.workers"):  # a batch ran: its workers are ending
        workers.reap_ending()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # cProfile, coverage: let them write their results at exit
    os._exit(status)


def set_up_process() -> None:
    """What a process of the command line is given before its first command: the collector's
    thresholds (COLLECT_AFTER). The benchmarks' warm builds call it too, so a build measured in one
    process runs as it does under ``build --watch``."""
    gc.set_threshold(*COLLECT_AFTER)


#: The cyclic collector's thresholds for a command's process: the first generation is collected after
#: 100,000 new container objects instead of Python's 700. A build makes ~45,000 while importing
#: (modules, classes, functions: none of them garbage) and ~30,000 while laying out; at 700 the
#: collector ran ~110 times and found almost nothing (~15 ms of a ~0.29 s build, 5%). Still
#: bounded: a batch or ``--watch`` collects every few agreements (+0.3 MiB peak for one build).
COLLECT_AFTER = (100_000, 10, 10)


def _language_asked(argv: list[str]) -> str | None:
    """``--lang ja|en`` wherever it stands (before or after the command); None: KYOYAKU_LANG / ja.
    A wrong value is left for the parser to refuse with its usual message."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if value in LANGUAGES:
            return value
    return None


class _Formatter(argparse.HelpFormatter):
    """Wraps by display width, between any two Japanese characters: argparse's textwrap breaks
    only at spaces (a Japanese sentence has none) and counts a full-width character as one column.
    Descriptions keep their own line breaks."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stand_ins: dict[str, str] = {}  # what is shown → what argparse is given to measure

    def format_help(self) -> str:
        """argparse measures by ``len`` what a terminal draws in columns: the prefix "使い方: " (5
        characters, 8 columns) made long usage lines run past the terminal and their continuation
        stand 3 columns left of the options above; a Japanese metavar (``--kind {変更,締結}``) pushed its
        option's help out of the column. Each is handed to argparse as an ASCII stand-in as wide as it
        is (``_stand_in``) and put back in the finished text."""
        formatted = super().format_help()
        for shown, stand_in in self._stand_ins.items():
            formatted = formatted.replace(stand_in, shown)
        return formatted

    def _stand_in(self, shown: Any) -> Any:
        """``shown`` itself when its columns are its characters, else its stand-in: as many
        one-column characters (a private-use one, unique, then U+0001s), put back by format_help."""
        if not isinstance(shown, str) or columns(shown) == len(shown):  # argparse checks with None
            return shown
        if shown not in self._stand_ins:
            self._stand_ins[shown] = chr(0xE000 + len(self._stand_ins)) + "\x01" * (columns(shown) - 1)
        return self._stand_ins[shown]

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        shown = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]
        return super()._format_usage(usage, actions, groups, self._stand_in(shown))

    def _metavar_formatter(self, action: argparse.Action, default_metavar: str) -> Any:
        format_metavar = super()._metavar_formatter(action, default_metavar)
        return lambda size: tuple(self._stand_in(metavar) for metavar in format_metavar(size))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """The catalogue's line breaks are soft (joined, then wrapped to the terminal); a line
        indented by two spaces is an example and stands on its own."""
        paragraphs: list[str] = []
        for line in text.splitlines():
            if line.startswith("  ") or not paragraphs or paragraphs[-1].startswith("  "):
                paragraphs.append(line)
            else:
                paragraphs[-1] += (" " if _spaced(paragraphs[-1][-1:], line[:1]) else "") + line
        lines = []
        for paragraph in paragraphs:
            example = "  " if paragraph.startswith("  ") else ""
            lines += [indent + example + line for line in _wrap(paragraph.strip(), width - len(indent) - len(example))]
        return "\n".join(lines)


def _spaced(before: str, after: str) -> bool:
    """Whether a soft line break of the catalogue is a space: beside an ASCII word, as the catalogue
    writes "PDF を作る", but not beside full-width punctuation, which has its space in its glyph
    ("PDF（改正後", not "PDF （改正後")."""
    if not (before.isascii() or after.isascii()):
        return False
    return not any(unicodedata.east_asian_width(ch) in "WF" and unicodedata.category(ch)[0] == "P" for ch in before + after)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap at ``width`` display columns, breaking only where the 禁則 of text/japanese.py
    allow (an ASCII word stays whole, no line starts with 、。）」 or ends with （「); spaces at a break
    are dropped."""
    from ..text.japanese import kinsoku_units  # the one place of the rules; help text only

    lines, line = [], ""
    for unit in kinsoku_units(re.findall(r"[!-~]+ *|. *", text)):
        if line and columns(line + unit.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        if line or not unit.isspace():
            line += unit
    return [*lines, line.rstrip()] if line or not lines else lines


class _Parser(argparse.ArgumentParser):
    """Every parser (each command's too: add_parser makes the parent's class) uses _Formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


class _Version(argparse.Action):
    """``--version``: the tool's version and the bundled fonts' own versions, read only when asked."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from ..pdf.fonts import IPAMJ, MINCHO, FontError

        lines = [f"kyoyaku-pdf {__version__}"]
        for spec in (MINCHO, IPAMJ):
            try:
                lines.append(text("version-font", name=spec.name, file=spec.file, version=spec.version()))
            except FontError as exc:
                lines.append(f"{spec.name}: {exc}")
        write_stdout("\n".join(lines))  # on stdout, as argparse's own --version
        parser.exit(0)


def _command_asked(argv: list[str]) -> str | None:
    """The command ``argv`` runs, when it names one before any option but ``--lang``/``--debug``
    (``-h build`` asks for the top-level help, which lists every command); else None."""
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            next(args, None)
        elif arg != "--debug" and not arg.startswith("--lang="):
            return arg if arg in BY_NAME else None
    return None


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command's, or only ``command``'s when that is the one run.

    The parser is made on every run, and making the other commands' parsers is ~3/4 of it (~3 ms
    of a build's ~0.22 s): only the top-level help and a mistyped command read them. With one
    command registered, its own help, its errors and the top-level usage (``COMMAND``) are the same."""
    parser = _Parser(prog="kyoyaku-pdf", description=text("help-main"), epilog=text("help-exit-status"))
    parser.add_argument("--version", action=_Version, help=text("help-version"))
    _add_shared(parser, default=None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title=text("help-commands"))
    for module in [command_module(command)] if command in BY_NAME else all_modules():
        module.register(commands)
    for sub in commands.choices.values():
        # accepted after the command too; SUPPRESS keeps the value given before it
        _add_shared(sub, default=argparse.SUPPRESS)
        if sub.epilog is None:
            sub.epilog = text("help-exit-status")
    return parser


def _add_shared(parser: argparse.ArgumentParser, default: Any) -> None:
    """The options every command takes: --lang and --debug."""
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=text("help-lang"))
    parser.add_argument("--debug", action="store_true", default=default if default is not None else False,
                        help=text("help-debug"))


if __name__ == "__main__":
    run()
