"""What the commands share: which agreement files were meant, the one way a failure or warning is
shown (text on stderr, or one JSON document with ``--json``), and argparse in the user's language."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

from ..errors import (ExitStatus, InputError, KyoyakuError, Location, Problem, Report, StandardOutputError, describe,
                      worst)
from ..messages import shown, text


class UsageError(KyoyakuError):
    """The command line asks for something that cannot be done; the message says what to type."""

    code = "usage"


def agreement_files(folder: Path) -> list[Path]:
    """The agreement files of a data folder: its top-level YAML files (shared parts live below)."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def agreement_paths(given: list[Path]) -> list[Path]:
    """The agreement files named, a folder standing for its agreement files; data/ by default."""
    files = [f for path in given for f in (agreement_files(path) if path.is_dir() else [path])]
    files = files or ([] if given else agreement_files(Path("data")))
    if not files:
        raise UsageError(text("no-agreement-files") if not given else text("no-agreement-files-in", given=_listed(given)))
    seen: set[Path] = set()
    unique = []
    for path in files:  # a file named twice (data/x.yaml ./data/x.yaml) is built once
        if _same_file(path) not in seen:
            seen.add(_same_file(path))
            unique.append(path)
    return unique


def _same_file(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: left for the loader to report
        return path


def _listed(paths: Iterable[Path]) -> str:
    return "、".join(shown(p, 200) for p in paths)


def unique_ids(files: list[Path]) -> None:
    """Refuse, before anything is written, agreement files that share an ``id`` (a copied file not
    yet edited): the second PDF would silently replace the first."""
    first: dict[str, Path] = {}
    problems = []
    for path, (agreement_id, location) in agreement_ids(files).items():
        if agreement_id in first:
            problems.append(Problem(location, "id", text(
                "duplicate-id", id=shown(agreement_id), other=shown(first[agreement_id], 200)), code="duplicate-id"))
        else:
            first[agreement_id] = path
    if problems:
        raise InputError(problems)


def agreement_ids(files: list[Path]) -> dict[Path, tuple[str, Location]]:
    """The ``id`` each file declares, with where it is written. Files that cannot be read are left
    out: the build reports them with their own problems (and writes nothing for them)."""
    from ..input.source import read_source  # PyYAML: for the commands that read agreements

    ids = {}
    for path in dict.fromkeys(files):
        try:
            node = read_source(path)
        except (KyoyakuError, OSError):
            continue
        id_node = node.value.get("id") if isinstance(node.value, dict) else None
        if id_node is not None and isinstance(id_node.value, str):
            ids[path] = (id_node.value, id_node.location)
    return ids


def iso_date(value: str) -> dt.date:
    """An argparse type: a date written as the ISO form (2025-04-01)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("not-a-date", value=shown(value))) from None


def positive_int(value: str) -> int:
    """An argparse type: a count of 1 or more (``-j``)."""
    if value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    raise argparse.ArgumentTypeError(text("not-a-count", value=shown(value)))


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem as one entry of ``--json``'s ``problems``."""
    return {
        "file": problem.location.file, "line": problem.location.line, "column": problem.location.column,
        "field": problem.field, "place": problem.place, "code": problem.code or "input",
        "message": problem.message, "severity": problem.severity,
    }


def json_document(command: str, status: int, problems: Iterable[dict[str, Any]], results: Iterable[Any]) -> str:
    """The one ``--json`` shape every command prints (README: "For scripts and editors")."""
    import json  # only with --json

    document = {"command": command, "status": int(status), "problems": list(problems), "results": list(results)}
    return json.dumps(document, ensure_ascii=False, indent=2)


def columns(text: str) -> int:
    """The columns a terminal draws ``text`` in: a wide or full-width character takes two (the
    help's wrapping, the batch's table)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=text("help-json"))


@dataclass
class Reporter:
    """Everything a command tells the user about problems, in one place.

    Text mode prints each line on stderr at once; ``--json`` collects problems and results and
    prints one document at the end. A line already shown in this run is not shown again, so a
    mistake in a shared file reads once, not once per partner that uses it."""

    command: str
    as_json: bool = False
    debug: bool = False
    stream: TextIO | None = None
    #: put before every line on stderr (build --watch: the time)
    prefix: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def failure(self, exc: BaseException, source: Path | None = None) -> ExitStatus:
        """Report an exception (ours, the file system's, or a bug); return its exit status."""
        return self.show(describe(exc, source=source, debug=self.debug), source)

    def show(self, report: Report, source: Path | None = None) -> ExitStatus:
        """Report a described failure (from this process or from a batch worker)."""
        if report.problems:
            self.warn(report.problems)
        else:
            # the same installation problem (a missing font) fails every file alike: say it once
            key = report.message if report.status == ExitStatus.INSTALLATION else "\n".join(report.lines)
            if self.as_json:
                where = Location(str(source) if source else "", 0, 0)
                self._record(Problem(where, "", report.message, code=report.code), key)
            else:
                self._print("\n".join(report.lines), key)
        return report.status

    def warn(self, problems: Iterable[Problem]) -> None:
        """Report located problems, errors or warnings, each once per run."""
        for problem in problems:
            line = str(problem) if problem.severity == "error" else warning_line(problem)
            if self.as_json:
                self._record(problem, line)
            else:
                self._print(line)

    def say(self, line: str) -> None:
        """An ordinary line of output (a path written, "ok"), on stdout; none with --json."""
        if not self.as_json:
            write_stdout(line)

    def each(self, files: list[Path], action: Callable[[Path], None]) -> ExitStatus:
        """Run ``action`` on every file; a failing file is reported and does not stop the others."""
        statuses = []
        for path in files:
            try:
                action(path)
            except BrokenPipeError:  # our own stdout closed (| head): main ends the run quietly
                raise
            except Exception as exc:  # every kind is reported by describe(); Ctrl-C ends the run
                statuses.append(self.failure(exc, source=path))
        return worst(statuses)

    def finish(self, status: int) -> int:
        """End the run: with --json, print the document now. Returns the exit status."""
        if self.as_json:
            write_stdout(json_document(self.command, status, self.problems, self.results))
        return int(status)

    def _record(self, problem: Problem, key: str) -> None:
        if key not in self._seen:
            self._seen.add(key)
            record = problem_record(problem)
            if problem.location.line == 0:  # not a place in a file (a folder, the disk, a bug)
                record.update(line=None, column=None, file=problem.location.file or None)
            self.problems.append(record)

    def _print(self, line: str, key: str | None = None) -> None:
        """Print ``line`` unless this run has shown it (or what ``key`` names) already."""
        if (key or line) not in self._seen:
            self._seen.add(key or line)
            print(self.prefix + line, file=self.stream or sys.stderr, flush=True)


def warning_line(problem: Problem) -> str:
    """A 公用文 proof-reading warning as a line, named as an error is:
    ``FILE:LINE:COL: 乙 氏名 [partner.name]: 警告: message``."""
    return f"{problem.location}: {problem.label}: {text('warning')}: {problem.message}"


#: argparse's own words (it marks them for gettext) → our catalogue's codes.
_ARGPARSE = {
    "usage: ": "argparse-usage",
    "positional arguments": "argparse-positional",
    "options": "argparse-options",
    "show this help message and exit": "argparse-help",
    "%(prog)s: error: %(message)s\n": "argparse-error",
    "the following arguments are required: %s": "argparse-required",
    "unrecognized arguments: %s": "argparse-unrecognized",
    "argument %(argument_name)s: %(message)s": "argparse-argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse-choice",
    "invalid %(type)s value: %(value)r": "argparse-type",
    "expected one argument": "argparse-one",
    "expected at most one argument": "argparse-at-most-one",
    "expected at least one argument": "argparse-at-least-one",
    "not allowed with argument %s": "argparse-not-allowed",
    "one of the arguments %s is required": "argparse-one-of",
    "ambiguous option: %(option)s could match %(matches)s": "argparse-ambiguous",
    "ignored explicit argument %r": "argparse-ignored",
}


def _argparse_gettext(message: str) -> str:
    code = _ARGPARSE.get(message)
    return text(code) if code else message


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return text("argparse-expected-n")
    return singular if count == 1 else plural


def translate_argparse() -> None:
    """Give argparse our catalogue as its gettext: its usage line, section titles and error messages
    ("the following arguments are required") are then in the user's language too. argparse marks
    exactly these words for translation and looks ``_``/``ngettext`` up at call time, so this covers
    what a HelpFormatter subclass cannot reach (the errors), without .mo files to build and ship."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def status_of(outcomes: Iterable[Any]) -> ExitStatus:
    """The exit status of several outcomes (anything with a ``status``)."""
    return worst(o.status for o in outcomes)


def each(files: list[Path], action: Callable[[Path], None]) -> ExitStatus:
    """``Reporter.each`` for a command that reports in text only (kept for the commands that use it)."""
    return Reporter("").each(files, action)


#: the exit status of a run whose reader closed stdout (``| head``), as a shell reports SIGPIPE
CLOSED_PIPE = 128 + 13


def write_stdout(line: str | None = None) -> None:
    """A line on stdout, at once (none: only what is buffered). A closed pipe (``| head``)
    propagates as BrokenPipeError (the run ends quietly); any other failure — stdout redirected to a
    full disk — is the user's to fix, said in words, and stdout is silenced so the interpreter's last
    flush cannot fail again."""
    try:
        if line is not None:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence_stdout()
        raise StandardOutputError(exc) from None


def silence_stdout() -> None:
    """Point stdout at /dev/null, its buffer dropped, so the final flush cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
