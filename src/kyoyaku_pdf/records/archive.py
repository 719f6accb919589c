"""A tamper-evident archive of PDF/A files: write-once version folders, manifests, a hash chain.

Layout of an archive root::

    ledger.jsonl                      one line per archived version, each naming the SHA-256 of the
                                      previous line (a hash chain: editing or deleting a line shows)
    archive.lock                      flock(2)ed by each filing: one filing at a time, whoever runs it
    <agreement-id>/<version>/
        <agreement-id>.pdf            the PDF/A file
        sources/…                     copies of the YAML files it was made from
        manifest.json                 SHA-256 of every file above, of the fonts and ICC profile used,
                                      the tool version, the PDF/A level, the dates
    .filing-XXXXXXXX/                 only while a filing runs (or after one was killed): its staging

A filing is a transaction whose one commit point is its ledger line, appended and fsynced under the
lock. Before that line exists the version is not filed, and whatever the filing left (a staging folder,
a version folder already moved into place, a torn ledger line) is rolled back by the next filing or by
``archive --recover``; once the line exists the version is filed, and recovery only finishes the
tidying. The steps, in order (``STEPS``, each announced to ``reached()``):

    locked → recovered → staged (folder made) → pdf-written → sources-written (and executed/…) → manifest-written
    → synced (folders fsynced) → intent-written (staging complete, its ledger line decided)
    → placed (renamed to <id>/<version>) → read-only (files 0444, folders 0555) → committed
    → cleaned (staging removed)

Test-only hook: with ``KYOYAKU_TEST_KILL_AT=<step>`` in the environment the process SIGKILLs itself on
reaching that step, so tests can kill a real filing at a chosen point. Nothing else reads it.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import signal
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from ..errors import KyoyakuError
from ..messages import shown, text
from ..pdf.fonts import MINCHO
from ..pdf.pdfa import PdfaLevel, srgb_profile
from .safe_files import (
    DIR_FLAGS, READ_FLAGS, create_file, kind_of, open_folder, opened, os_reason, remove_tree, rename_no_replace,
    write_all,
)

MANIFEST = "manifest.json"
LEDGER = "ledger.jsonl"
LOCK = "archive.lock"
STAGING_PREFIX = ".filing-"
INTENT = "intent.json"
PAYLOAD = "payload"

STEPS = ("locked", "recovered", "staged", "pdf-written", "sources-written", "manifest-written", "synced",
         "intent-written", "placed", "read-only", "committed", "cleaned")
KILL_AT_ENV = "KYOYAKU_TEST_KILL_AT"

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
#: a version label: letters or digits first (never . or -), then also . _ + -; no "..", 64 at most
LABEL_PATTERN = re.compile(r"[^\W_][\w.+-]{0,63}")
MAX_LABEL = 64


class ArchiveRefused(KyoyakuError):
    """The archive step would change an existing version, or the archive cannot be used."""

    code = "archive-refused"


@dataclass(frozen=True)
class ArchiveEntry:
    folder: Path
    manifest: dict[str, object]
    #: set when this very filing had been interrupted and recovery finished it: nothing new was written
    finished_by_recovery: bool = False


@dataclass
class Recovery:
    """What recovery did with one interrupted filing, for the user to read."""

    staging: str
    #: "finished" (its ledger line was written: only tidied up), "rolled-back" (it was not filed: undone),
    #: "discarded" (a staging folder with no intent yet, or its last remains: removed, nothing else touched)
    outcome: str
    version: str = ""

    def message(self) -> str:
        return text(f"archive-recovered-{self.outcome}", staging=shown(self.staging), version=shown(self.version))


def reached(step: str) -> None:
    """Each step of a filing passes here: tests replace it to raise or kill at that step."""
    if os.environ.get(KILL_AT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def check_label(value: str, what: str = "version") -> str:
    """A version label or agreement id that names a folder: no separators, no "..", no leading dot or
    dash, bounded — so no label can point outside the archive. Returns it or raises ArchiveRefused."""
    pattern = ID_PATTERN if what == "id" else LABEL_PATTERN
    if len(value) > MAX_LABEL or ".." in value or not pattern.fullmatch(value):
        code = "archive-bad-id" if what == "id" else "archive-bad-label"
        raise ArchiveRefused(text(code, value=shown(value)))
    return value


def is_label(value: str, what: str = "version") -> bool:
    try:
        check_label(value, what)
    except ArchiveRefused:
        return False
    return True


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the root and its lock -------------------------------------------------------------------------------------


@contextmanager
def locked_root(root: Path, create: bool = True) -> Iterator[int]:
    """Open the archive root and hold its exclusive lock for the block; yields the root's fd.

    The root itself is the user's choice (it may be a link to a mounted drive); nothing inside it is
    ever followed. A second filing waits here, saying so, until the first is done."""
    try:
        if create:
            root.mkdir(parents=True, exist_ok=True)
        root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise ArchiveRefused(text("archive-root-unusable", root=shown(root), reason=os_reason(exc))) from None
    with opened(root_fd):
        try:
            lock_fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644,
                              dir_fd=root_fd)
            if not stat.S_ISREG(os.fstat(lock_fd).st_mode):
                os.close(lock_fd)
                raise IsADirectoryError(errno.EISDIR, "not a regular file", LOCK)
        except OSError as exc:
            raise ArchiveRefused(text("archive-lock-unusable", path=shown(root / LOCK), reason=os_reason(exc))) from None
        with opened(lock_fd):
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(text("archive-waiting", root=shown(root)), file=sys.stderr)
                fcntl.flock(lock_fd, fcntl.LOCK_EX)
            yield root_fd


def read_ledger(root_fd: int) -> bytes:
    """The ledger's bytes ("" when there is none yet); a link or folder in its place is refused."""
    kind = kind_of(root_fd, LEDGER)
    if kind == "missing":
        return b""
    if kind != "file":
        raise ArchiveRefused(text("archive-ledger-not-file"))
    with opened(os.open(LEDGER, READ_FLAGS, dir_fd=root_fd)) as fd:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    return b"".join(chunks)


def ledger_lines(ledger: bytes) -> list[bytes]:
    """The complete lines of the ledger (a torn last line without its newline is not one)."""
    return ledger.split(b"\n")[:-1]


def chain_end(ledger: bytes) -> str:
    """The hash the next line must name as "previous": the SHA-256 of the last complete line."""
    lines = ledger_lines(ledger)
    return sha256(lines[-1]) if lines else ""


def recorded_manifests(ledger: bytes) -> dict[str, int]:
    """Manifest path → ledger line number, for every line that parses as a record."""
    found: dict[str, int] = {}
    for number, line in enumerate(ledger_lines(ledger), start=1):
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        if isinstance(record, dict) and isinstance(record.get("manifest"), str):
            found.setdefault(record["manifest"], number)
    return found


# --- filing ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extra:
    """Files filed beside the PDF/A and its sources: (path in the version folder, bytes, manifest role),
    and entries added to the manifest about them."""

    files: tuple[tuple[str, bytes, str], ...] = ()
    manifest: tuple[tuple[str, object], ...] = ()

    def role(self, name: str) -> str:
        return next((role for path, _, role in self.files if path == name), "source")


@dataclass
class _Filing:
    """The state of one filing in progress, so that a failure can be undone step by step."""

    root: Path
    root_fd: int
    agreement_id: str
    version: str
    staging: str = ""
    placed: bool = False
    ledger_size: int = -1
    record: bytes = b""
    extra: Extra = field(default_factory=Extra)
    recoveries: list[Recovery] = field(default_factory=list)

    @property
    def manifest_path(self) -> str:
        return f"{self.agreement_id}/{self.version}/{MANIFEST}"


def store(
    root: Path, agreement_id: str, version: str, agreement_date: dt.date,
    pdf: bytes, level: PdfaLevel, sources: tuple[Path, ...],
    report: Callable[[str], None] | None = None, extra: Extra = Extra(),
) -> ArchiveEntry:
    """File one version as a transaction (see the module's docstring); refuse if it exists.

    ``report`` receives a sentence for each interrupted filing that recovery finished or rolled back;
    ``extra`` holds further files (the executed original) and what the manifest says of them."""
    check_label(agreement_id, "id")
    check_label(version)
    # every file of the version folder but the PDF and the manifest: sources/…, executed/…
    contents = [(f"sources/{_source_name(source, sources[0].parent)}", _read_source(source)) for source in sources]
    contents += [(name, data) for name, data, _ in extra.files]
    with locked_root(root) as root_fd:
        reached("locked")
        filing = _Filing(root, root_fd, agreement_id, version, extra=extra)
        try:
            filing.recoveries = _recover(root, root_fd)
        except OSError as exc:
            raise ArchiveRefused(text("archive-recover-failed", reason=failure(exc))) from None
        for done in filing.recoveries:
            (report or _stderr)(done.message())
        reached("recovered")
        try:
            earlier = _already_filed(filing, pdf, contents)
            return earlier or _file(filing, agreement_date, pdf, level, contents)
        except OSError as exc:
            raise ArchiveRefused(text("archive-not-filed", reason=failure(exc))) from None


def failure(exc: OSError) -> str:
    """An OS error with the name it concerns, for a message."""
    name = f"{exc.filename}: " if exc.filename else ""
    return f"{shown(name)}{os_reason(exc)}"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _source_name(source: Path, base: Path) -> str:
    """Where a source file goes under sources/: its path relative to the agreement file's folder, or
    its bare name when it lies outside that folder (never a path with "..")."""
    relative = Path(os.path.relpath(source, base))
    parts = relative.parts if ".." not in relative.parts else (source.name,)
    return "/".join(parts)


def _read_source(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise ArchiveRefused(text("archive-source-unreadable", path=shown(source), reason=os_reason(exc))) from None


def _already_filed(filing: _Filing, pdf: bytes, sources: list[tuple[str, bytes]]) -> ArchiveEntry | None:
    """Refuse a version that exists (as a folder or in the ledger) — except the one case where it is
    this very filing, interrupted after its commit and finished just now by recovery: then the retry
    succeeds without writing anything."""
    if kind_of(filing.root_fd, filing.agreement_id) not in ("missing", "folder"):
        raise ArchiveRefused(text("archive-id-not-folder", path=shown(filing.root / filing.agreement_id)))
    ledger = read_ledger(filing.root_fd)
    line = recorded_manifests(ledger).get(filing.manifest_path)
    target = filing.root / filing.agreement_id / filing.version
    exists = line is not None or _version_kind(filing) != "missing"
    if not exists:
        if ledger and not ledger.endswith(b"\n"):
            raise ArchiveRefused(text("archive-ledger-torn", path=shown(filing.root / LEDGER)))
        return None
    finished = {r.version for r in filing.recoveries if r.outcome == "finished"}
    if f"{filing.agreement_id}/{filing.version}" in finished:
        manifest = _read_manifest(target)
        if manifest is not None and _same_content(manifest, filing.agreement_id, pdf, sources):
            return ArchiveEntry(target, manifest, finished_by_recovery=True)
    where = text("archive-exists-ledger", line=line) if line is not None else ""
    raise ArchiveRefused(text("archive-exists", target=shown(target), where=where))


def _version_kind(filing: _Filing) -> str:
    if kind_of(filing.root_fd, filing.agreement_id) == "missing":
        return "missing"
    with opened(os.open(filing.agreement_id, DIR_FLAGS, dir_fd=filing.root_fd)) as id_fd:
        return kind_of(id_fd, filing.version)


def _read_manifest(folder: Path) -> dict[str, object] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _same_content(manifest: dict[str, object], agreement_id: str, pdf: bytes, sources: list[tuple[str, bytes]]) -> bool:
    wanted = {f"{agreement_id}.pdf": sha256(pdf)} | {name: sha256(data) for name, data in sources}
    files = manifest.get("files")
    listed = {e.get("path"): e.get("sha256") for e in files if isinstance(e, dict)} if isinstance(files, list) else {}
    return listed == wanted


def _file(filing: _Filing, agreement_date: dt.date, pdf: bytes, level: PdfaLevel,
          sources: list[tuple[str, bytes]]) -> ArchiveEntry:
    root_fd = filing.root_fd
    committed = False
    try:
        filing.staging = f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        os.mkdir(filing.staging, 0o700, dir_fd=root_fd)
        os.fsync(root_fd)
        reached("staged")
        with opened(open_folder(root_fd, filing.staging)) as staging_fd:
            manifest = _stage(filing, staging_fd, agreement_date, pdf, level, sources)
            with opened(open_folder(root_fd, filing.agreement_id, create=True, mode=0o755)) as id_fd:
                _place(filing, staging_fd, id_fd)
                _make_read_only(id_fd, filing.version)
                reached("read-only")
                _commit(filing)
                committed = True
                reached("committed")
        _clean(filing)
        reached("cleaned")
    except (Exception, KeyboardInterrupt):
        if not committed:
            _roll_back(filing)
        raise
    return ArchiveEntry(filing.root / filing.agreement_id / filing.version, manifest)


def _stage(filing: _Filing, staging_fd: int, agreement_date: dt.date, pdf: bytes, level: PdfaLevel,
           sources: list[tuple[str, bytes]]) -> dict[str, object]:
    """Write the whole version folder into the staging folder, fsynced, then the intent that says
    which ledger line will commit it. Until the intent exists, recovery just deletes the staging."""
    with opened(open_folder(staging_fd, PAYLOAD, create=True, mode=0o755)) as payload_fd:
        pdf_name = f"{filing.agreement_id}.pdf"
        create_file(payload_fd, pdf_name, pdf, 0o444)
        files: list[dict[str, object]] = [{"path": pdf_name, "role": "pdf/a", "bytes": len(pdf), "sha256": sha256(pdf)}]
        reached("pdf-written")
        for name, data in sources:
            _write_nested(payload_fd, name, data)
            files.append({"path": name, "role": filing.extra.role(name), "bytes": len(data), "sha256": sha256(data)})
        reached("sources-written")
        manifest = _manifest(filing.agreement_id, filing.version, agreement_date, level, files)
        manifest.update(dict(filing.extra.manifest))
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        create_file(payload_fd, MANIFEST, manifest_bytes, 0o444)
        reached("manifest-written")
        _fsync_tree(payload_fd)
    os.fsync(staging_fd)
    reached("synced")
    ledger = read_ledger(filing.root_fd)
    filing.ledger_size = len(ledger)
    record = {"manifest": filing.manifest_path, "sha256": sha256(manifest_bytes), "previous": chain_end(ledger)}
    filing.record = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    intent = {"agreement_id": filing.agreement_id, "version": filing.version,
              "ledger_size": filing.ledger_size, "record": filing.record.decode("utf-8")}
    create_file(staging_fd, INTENT + ".tmp", json.dumps(intent).encode("utf-8"), 0o644)
    os.rename(INTENT + ".tmp", INTENT, src_dir_fd=staging_fd, dst_dir_fd=staging_fd)
    os.fsync(staging_fd)
    reached("intent-written")
    return manifest


def _write_nested(folder_fd: int, relative: str, data: bytes) -> None:
    """Create a file some folders down (sources/common/x.yaml), each folder made here, never followed."""
    *folders, name = relative.split("/")
    fds = [folder_fd]
    try:
        for folder in folders:
            fds.append(open_folder(fds[-1], folder, create=True, mode=0o755))
        create_file(fds[-1], name, data, 0o444)
    finally:
        for fd in fds[1:]:
            os.close(fd)


def _fsync_tree(folder_fd: int) -> None:
    """fsync every folder below (files were fsynced as they were written), so no name is lost."""
    for name in os.listdir(folder_fd):
        if kind_of(folder_fd, name) == "folder":
            with opened(open_folder(folder_fd, name)) as fd:
                _fsync_tree(fd)
    os.fsync(folder_fd)


def _place(filing: _Filing, staging_fd: int, id_fd: int) -> None:
    """Move the staged folder to <id>/<version> — refused if anything has taken the name meanwhile
    (a plain rename(2) would silently replace an empty folder)."""
    try:
        rename_no_replace(staging_fd, PAYLOAD, id_fd, filing.version)
    except FileExistsError:
        raise ArchiveRefused(text("archive-exists", target=shown(filing.root / filing.agreement_id / filing.version),
                                  where="")) from None
    filing.placed = True
    os.fsync(id_fd)
    os.fsync(staging_fd)
    reached("placed")


def _make_read_only(parent_fd: int, name: str) -> None:
    """Files 0444, folders 0555, for everyone, deepest first (a folder stays enterable), fsynced."""
    with opened(open_folder(parent_fd, name)) as fd:
        for entry in os.listdir(fd):
            kind = kind_of(fd, entry)
            if kind == "folder":
                _make_read_only(fd, entry)
            elif kind == "file":
                with opened(os.open(entry, READ_FLAGS, dir_fd=fd)) as file_fd:
                    os.fchmod(file_fd, 0o444)
                    os.fsync(file_fd)
        os.fchmod(fd, 0o555)
        os.fsync(fd)


def _commit(filing: _Filing) -> None:
    """Append the ledger line in one write and fsync it: the commit point. A short or failed write is
    cut off again, so the ledger never keeps a torn line; if even that fails, the intent left in the
    staging folder lets recovery decide from what the ledger holds."""
    line = filing.record + b"\n"
    fd = os.open(LEDGER, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                 dir_fd=filing.root_fd)
    with opened(fd):
        if os.fstat(fd).st_size != filing.ledger_size:
            raise ArchiveRefused(text("archive-ledger-changed"))
        try:
            write_all(fd, line)
            os.fsync(fd)
            os.fsync(filing.root_fd)  # a ledger created just now must keep its name
        except BaseException:
            os.ftruncate(fd, filing.ledger_size)
            os.fsync(fd)
            raise


def _clean(filing: _Filing) -> None:
    """Remove the staging folder (only the intent is left in it). Failing here loses nothing: the
    version is filed, and the next recovery tidies up."""
    try:
        remove_tree(filing.root_fd, filing.staging)
        os.fsync(filing.root_fd)
    except OSError:
        pass


def _roll_back(filing: _Filing) -> None:
    """Undo an uncommitted filing now (best effort; what fails here, recovery undoes next time)."""
    try:
        if filing.placed:
            _unplace(filing.root_fd, filing.staging, filing.agreement_id, filing.version)
        if filing.staging:
            remove_tree(filing.root_fd, filing.staging)
            os.fsync(filing.root_fd)
    except OSError:
        pass


def _unplace(root_fd: int, staging: str, agreement_id: str, version: str) -> None:
    """Move an uncommitted version folder back into its staging folder in one rename, so that it is
    either in place (and recovery still knows it) or gone — never half deleted at <id>/<version>."""
    with opened(os.open(agreement_id, DIR_FLAGS, dir_fd=root_fd)) as id_fd:
        with opened(open_folder(id_fd, version)) as version_fd:
            os.fchmod(version_fd, 0o700)  # moving a folder to another parent needs write access to it
        with opened(open_folder(root_fd, staging)) as staging_fd:
            os.rename(version, PAYLOAD, src_dir_fd=id_fd, dst_dir_fd=staging_fd)
            os.fsync(staging_fd)
        os.fsync(id_fd)


def _manifest(agreement_id: str, version: str, agreement_date: dt.date, level: PdfaLevel,
              files: list[dict[str, object]]) -> dict[str, object]:
    return {
        "agreement_id": agreement_id,
        "version": version,
        "agreement_date": agreement_date.isoformat(),
        "archived_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "tool": f"kyoyaku-pdf {__version__}",
        "pdfa_level": level.label,
        "files": files,
        # provenance: what the PDF was made with (not stored in the archive; their programs are embedded)
        "fonts": [{"name": MINCHO.name, "file": MINCHO.file, "sha256": file_sha256(MINCHO.path)}],
        "icc_profile": {"file": "sRGB.icc", "sha256": sha256(srgb_profile())},
    }


# --- recovery --------------------------------------------------------------------------------------------------


def recover(root: Path) -> list[Recovery]:
    """``archive --recover``: finish or roll back every interrupted filing, under the lock."""
    if not root.is_dir():
        raise ArchiveRefused(text("archive-no-root", root=shown(root)))
    try:
        with locked_root(root, create=False) as root_fd:
            return _recover(root, root_fd) + _remove_legacy_staging(root_fd)
    except OSError as exc:
        raise ArchiveRefused(text("archive-recover-failed", reason=os_reason(exc))) from None


def is_legacy_staging(name: str) -> bool:
    """A staging folder of kyoyaku-pdf before 0.2 (``<id>/.<version>.XXXXXXXX``, from mkdtemp): never a
    version (labels cannot start with "."), and never in the ledger."""
    return name.startswith(".") and len(name.rsplit(".", 1)[-1]) == 8 and is_label(name[1:].rsplit(".", 1)[0])


def _remove_legacy_staging(root_fd: int) -> list[Recovery]:
    """Only on ``archive --recover``: remove what an interrupted filing of an older kyoyaku-pdf left in
    an agreement's folder (it staged there and had no recovery)."""
    done = []
    for agreement_id in sorted(os.listdir(root_fd)):
        if not (is_label(agreement_id, "id") and kind_of(root_fd, agreement_id) == "folder"):
            continue
        with opened(open_folder(root_fd, agreement_id)) as id_fd:
            for name in sorted(os.listdir(id_fd)):
                if is_legacy_staging(name) and kind_of(id_fd, name) == "folder":
                    remove_tree(id_fd, name)
                    os.fsync(id_fd)
                    done.append(Recovery(f"{agreement_id}/{name}", "discarded"))
    return done


def _recover(root: Path, root_fd: int) -> list[Recovery]:
    """Resolve each staging folder: its ledger line present → finished (tidy up); absent → rolled back
    (a torn line cut, a version folder it had placed removed, the staging deleted)."""
    done = []
    for name in sorted(os.listdir(root_fd)):
        if name.startswith(STAGING_PREFIX) and kind_of(root_fd, name) == "folder":
            done.append(_recover_one(root_fd, name))
    return done


def _recover_one(root_fd: int, staging: str) -> Recovery:
    intent = read_intent(root_fd, staging)
    if intent is None:
        remove_tree(root_fd, staging)
        os.fsync(root_fd)
        return Recovery(staging, "discarded")
    version = f"{intent['agreement_id']}/{intent['version']}"
    record = intent["record"].encode("utf-8")
    ledger = read_ledger(root_fd)
    if (b"\n" + record + b"\n") in (b"\n" + ledger):
        remove_tree(root_fd, staging)
        os.fsync(root_fd)
        return Recovery(staging, "finished", version)
    _cut_torn_line(root_fd, ledger, intent["ledger_size"], record)
    if _placed_is_ours(root_fd, intent, record):
        _unplace(root_fd, staging, str(intent["agreement_id"]), str(intent["version"]))
    remove_tree(root_fd, staging)
    os.fsync(root_fd)
    return Recovery(staging, "rolled-back", version)


def read_intent(root_fd: int, staging: str) -> dict[str, object] | None:
    """The staging folder's intent, or None if it was never completed (or is not one of ours)."""
    try:
        with opened(open_folder(root_fd, staging)) as fd:
            with opened(os.open(INTENT, READ_FLAGS, dir_fd=fd)) as intent_fd:
                intent = json.loads(os.read(intent_fd, 1 << 16).decode("utf-8"))
    except (OSError, ValueError):
        return None
    keys = {"agreement_id": str, "version": str, "ledger_size": int, "record": str}
    if not (isinstance(intent, dict) and all(isinstance(intent.get(k), t) for k, t in keys.items())):
        return None
    if not (is_label(intent["agreement_id"], "id") and is_label(intent["version"])):
        return None
    try:
        record = json.loads(intent["record"])
    except ValueError:
        return None
    return intent if isinstance(record, dict) else None


def _cut_torn_line(root_fd: int, ledger: bytes, size: int, record: bytes) -> None:
    """A kill or full disk in the middle of the ledger append leaves a prefix of our line: cut it."""
    tail = ledger[size:]
    if len(ledger) > size and (record + b"\n").startswith(tail):
        with opened(os.open(LEDGER, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=root_fd)) as fd:
            os.ftruncate(fd, size)
            os.fsync(fd)


def _placed_is_ours(root_fd: int, intent: dict[str, object], record: bytes) -> bool:
    """Whether <id>/<version> is the folder the interrupted filing had moved into place: its manifest
    has the hash the uncommitted line names. Anyone else's folder is never touched."""
    expected = json.loads(record.decode("utf-8")).get("sha256")
    try:
        with opened(os.open(str(intent["agreement_id"]), DIR_FLAGS, dir_fd=root_fd)) as id_fd:
            with opened(open_folder(id_fd, str(intent["version"]))) as version_fd:
                with opened(os.open(MANIFEST, READ_FLAGS, dir_fd=version_fd)) as fd:
                    data = b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
    except OSError:
        return False
    return sha256(data) == expected
