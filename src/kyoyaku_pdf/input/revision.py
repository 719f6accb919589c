"""An agreement's files as they were at a git revision (for ``diff --since REV``).

The data folder of the agreement is exported from git into a temporary folder with ``git archive``,
so the old version is read exactly as it was committed, shared files included.

The revision is the user's text and goes to git: it is first resolved with ``git rev-parse --verify
--end-of-options REV^{commit}``, so a value such as ``--output=FILE`` is a (bad) revision, never an
option that makes git write a file; only the commit id it resolves to is handed to ``git archive``.
A committed symlink is refused where it lies (it could point anywhere on the machine that reads it).
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO

from ..errors import InputError, KyoyakuError, Location
from ..messages import shown, text
from .problems import problem
from .source import MAX_FILE_BYTES


class RevisionError(KyoyakuError):
    """The revision or the file cannot be found in git."""


def checkout_at(agreement: Path, revision: str) -> tuple[Path, tempfile.TemporaryDirectory[str]]:
    """The agreement file inside a temporary copy of its data folder at ``revision``; keep the
    returned TemporaryDirectory alive while the file is used."""
    folder = agreement.resolve().parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    commit = resolve_revision(top, revision)
    relative = folder.relative_to(top).as_posix()
    temporary = tempfile.TemporaryDirectory(prefix="kyoyaku-since-")
    try:
        archive = Path(temporary.name) / ".archive.tar"  # on disk: a committed data folder may be large
        with archive.open("wb") as out:
            _git(top, "archive", "--format=tar", commit, "--", relative, stdout=out)
        with tarfile.open(archive) as tar:
            wanted = _members(tar, top, revision)
            tar.extractall(temporary.name, members=wanted, filter="data")
        archive.unlink()
    except BaseException:
        temporary.cleanup()
        raise
    old = Path(temporary.name) / relative / agreement.name
    if not old.is_file():
        temporary.cleanup()
        raise RevisionError(text("revision-no-file", file=shown(agreement.name), revision=shown(revision)))
    return old, temporary


def resolve_revision(top: Path, revision: str) -> str:
    """The commit id ``revision`` names; RevisionError in words if it names none."""
    if not revision or "\x00" in revision:
        raise RevisionError(text("revision-unknown", revision=shown(revision)))
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    except RevisionError:
        raise RevisionError(text("revision-unknown", revision=shown(revision))) from None


def _members(tar: tarfile.TarFile, top: Path, revision: str) -> list[tarfile.TarInfo]:
    """The members to extract. Every symlink or hard link committed under the data folder, and a
    YAML file over the size limit, is a located problem; another large file (a scanned PDF kept
    beside the data) is simply not extracted, as it is never read."""
    problems, wanted = [], []
    for member in tar.getmembers():
        where = Location(str(top / member.name), 1, 1)
        if member.issym() or member.islnk() or not (member.isfile() or member.isdir()):
            problems.append(problem(where, "", "revision-link", revision=shown(revision),
                                    target=shown(member.linkname or "?")))
        elif member.size <= MAX_FILE_BYTES:
            wanted.append(member)
        elif member.name.endswith((".yaml", ".yml")):
            problems.append(problem(where, "", "file-too-large", size=f"{member.size:,}", limit=f"{MAX_FILE_BYTES:,}"))
    if problems:
        raise InputError(problems)
    return wanted


def _git(where: Path, *args: str, stdout: IO[bytes] | None = None) -> bytes:
    """git's output (or, with ``stdout``, written there); RevisionError in words if git fails."""
    try:
        result = subprocess.run(["git", *args], cwd=where, stdout=stdout or subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=60)
    except FileNotFoundError:
        raise RevisionError(text("revision-no-git")) from None
    except subprocess.TimeoutExpired:
        raise RevisionError(text("revision-git-failed", command=args[0], detail="timeout")) from None
    if result.returncode != 0:
        detail = shown(result.stderr.decode(errors="replace").strip(), 200)
        raise RevisionError(text("revision-git-failed", command=args[0], detail=detail))
    return result.stdout or b""
