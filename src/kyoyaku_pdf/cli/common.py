"""What the commands share: which agreement files were meant, and how one bad file is reported."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Callable

from ..errors import ExitStatus, InputError
from ..records.archive import ArchiveRefused
from .build import agreement_files


def agreement_paths(given: list[Path]) -> list[Path]:
    """The agreement files named, a folder standing for its agreement files; data/ by default."""
    files = [f for path in given for f in (agreement_files(path) if path.is_dir() else [path])]
    files = files or ([] if given else agreement_files(Path("data")))
    if not files:
        raise SystemExit(fail_usage("no agreement files given and none found in data/"))
    return files


def fail_usage(message: str) -> int:
    print(f"kyoyaku-pdf: {message}", file=sys.stderr)
    return ExitStatus.BAD_INPUT


def each(files: list[Path], action: Callable[[Path], None]) -> int:
    """Run ``action`` on every file; a bad file is reported and does not stop the others."""
    status = ExitStatus.OK
    for path in files:
        try:
            action(path)
        except InputError as exc:
            print(exc, file=sys.stderr)
            status = ExitStatus.BAD_INPUT
        except ArchiveRefused as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = ExitStatus.BAD_INPUT
    return status


def severity(status: ExitStatus) -> int:
    """Bad input outranks an internal error in the exit status: the user has something to fix."""
    return {ExitStatus.OK: 0, ExitStatus.INTERNAL_ERROR: 1, ExitStatus.BAD_INPUT: 2}[status]


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-04-01") from None
