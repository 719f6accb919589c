"""An agreement's files as they were at a git revision (for ``diff --since REV``).

The data folder of the agreement is exported from git into a temporary folder with ``git archive``,
so the old version is read exactly as it was committed, shared files included.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..errors import KyoyakuError


class RevisionError(KyoyakuError):
    """The revision or the file cannot be found in git."""


def checkout_at(agreement: Path, revision: str) -> tuple[Path, tempfile.TemporaryDirectory[str]]:
    """The agreement file inside a temporary copy of its data folder at ``revision``; keep the
    returned TemporaryDirectory alive while the file is used."""
    folder = agreement.resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel").decode().strip()
    relative = folder.relative_to(top).as_posix()
    archive = _git(Path(top), "archive", "--format=tar", revision, "--", relative)
    temporary = tempfile.TemporaryDirectory(prefix="kyoyaku-since-")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(temporary.name, filter="data")
    old = Path(temporary.name) / relative / agreement.name
    if not old.is_file():
        temporary.cleanup()
        raise RevisionError(f"{agreement.name} does not exist at {revision}")
    return old, temporary


def _git(where: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=where, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if result.returncode != 0:
        raise RevisionError(f"git {args[0]}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
