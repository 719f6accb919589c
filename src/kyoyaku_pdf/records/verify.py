"""verify-archive: re-check everything in an archive root and report every finding, never crash.

Why so wary: verification is what a records officer runs when something may have gone wrong — after a
crash, a restore from backup, or tampering. So it reads the root without following any link, treats
every ledger line and manifest as untrusted (any JSON at all, any bytes at all), and turns each thing
that is not exactly as filing leaves it into a finding with its place: an entry that is not a filed
version, the ledger or the lock; a ledger line that is not a record, or breaks the chain; a manifest
that is missing, changed, or not a manifest; a file changed, missing, unlisted, a link, or writable.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..messages import shown, text
from .archive import (
    LEDGER, LOCK, MANIFEST, STAGING_PREFIX, ArchiveRefused, chain_end, is_label, is_legacy_staging, read_intent,
    sha256,
)
from .safe_files import MAX_DEPTH, READ_FLAGS, kind_of, open_folder, opened, os_reason

HASH = re.compile(r"[0-9a-f]{64}")
#: a manifest larger than this is not one of ours (they are a few kB): a finding, not a memory hog
MAX_MANIFEST = 16 << 20


@dataclass(frozen=True)
class Finding:
    """One thing wrong in the archive: where (a path, and the ledger line when there is one) and what."""

    path: str
    code: str
    values: tuple[tuple[str, object], ...] = ()
    line: int | None = None

    @property
    def message(self) -> str:
        return text(self.code, **dict(self.values))

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{place}: {self.message}"

    def as_problem(self) -> dict[str, object]:
        """The finding in the shape every ``--json`` command uses for its problems."""
        return {"file": self.path, "line": self.line, "column": None, "field": "", "place": "",
                "code": self.code, "message": self.message, "severity": "error"}


@dataclass
class VerifyReport:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    versions: int = 0
    ledger_lines: int = 0
    chain_end: str = ""
    expected: str | None = None

    def result(self) -> dict[str, object]:
        return {"root": str(self.root), "versions": self.versions, "ledger_lines": self.ledger_lines,
                "chain_end": self.chain_end, "expected": self.expected, "findings": len(self.findings)}


def check_hash(value: str) -> str:
    """A --expect value: 64 hexadecimal digits (the SHA-256 of the ledger's last line)."""
    value = value.strip().lower()
    if not HASH.fullmatch(value):
        raise ArchiveRefused(text("archive-verify-bad-expect", value=shown(value)))
    return value


def verify(root: Path, expect: str | None = None) -> VerifyReport:
    """Re-check everything under ``root``; the report lists every finding (none: intact)."""
    expected = check_hash(expect) if expect is not None else None
    if not root.is_dir():
        raise ArchiveRefused(text("archive-no-root", root=shown(root)))
    try:
        root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise ArchiveRefused(text("archive-root-unusable", root=shown(root), reason=os_reason(exc))) from None
    report = VerifyReport(root, expected=expected)
    with opened(root_fd), _shared_lock(root_fd):
        checker = _Checker(root, root_fd, report)
        for step in (checker.ledger, checker.root_entries, checker.expectation):
            try:
                step()
            except OSError as exc:  # e.g. a folder without read permission: a finding, never a crash
                checker.find(exc.filename or root, "archive-verify-unreadable", reason=os_reason(exc))
    return report


@contextmanager
def _shared_lock(root_fd: int) -> Iterator[None]:
    """Wait for a filing in progress to end (its staging folder is no leftover); a root without a lock
    file, or on read-only media, is verified without one."""
    try:
        fd = os.open(LOCK, READ_FLAGS, dir_fd=root_fd)
    except OSError:
        yield
        return
    with opened(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield


class _Checker:
    def __init__(self, root: Path, root_fd: int, report: VerifyReport) -> None:
        self.root, self.root_fd, self.report = root, root_fd, report
        self.recorded: dict[str, int] = {}
        #: "<id>/<version>" of each interrupted filing, as its staging folder's intent names it
        self.pending: set[str] = set()

    def find(self, path: str | Path, code: str, line: int | None = None, **values: object) -> None:
        self.report.findings.append(Finding(shown(path, 300), code, tuple(values.items()), line))

    # --- the ledger ---------------------------------------------------------------------------------------

    def ledger(self) -> None:
        path = self.root / LEDGER
        data = self._ledger_bytes(path)
        chunks = data.split(b"\n")
        if chunks[-1]:
            self.find(path, "archive-verify-ledger-torn", len(chunks))
        previous = ""
        for number, raw in enumerate(chunks[:-1], start=1):
            record, problem = _parse_record(raw)
            if record is None:
                self.find(path, problem, number)
            else:
                if record["previous"] != previous:
                    self.find(path, "archive-verify-chain-broken", number)
                self._recorded_version(record, number)
            previous = sha256(raw)
        self.report.ledger_lines = len(chunks) - 1
        self.report.chain_end = chain_end(data)

    def _ledger_bytes(self, path: Path) -> bytes:
        kind = kind_of(self.root_fd, LEDGER)
        if kind == "missing":
            return b""
        if kind != "file":
            self.find(path, "archive-verify-not-a-file", kind=text(f"archive-kind-{kind}"))
            return b""
        try:
            return _read(self.root_fd, LEDGER)
        except OSError as exc:
            self.find(path, "archive-verify-unreadable", reason=os_reason(exc))
            return b""

    def _recorded_version(self, record: dict[str, str], number: int) -> None:
        manifest = record["manifest"]
        parts = manifest.split("/")
        if not (len(parts) == 3 and parts[2] == MANIFEST and is_label(parts[0], "id") and is_label(parts[1])):
            self.find(self.root / LEDGER, "archive-verify-ledger-bad-path", number, manifest=shown(manifest))
            return
        if manifest in self.recorded:
            self.find(self.root / LEDGER, "archive-verify-ledger-duplicate", number, first=self.recorded[manifest])
            return
        self.recorded[manifest] = number
        self.report.versions += 1
        try:
            _Version(self, parts[0], parts[1], record["sha256"], number).check()
        except OSError as exc:
            self.find(self.root / parts[0] / parts[1], "archive-verify-unreadable", reason=os_reason(exc))

    # --- what lies in the root ------------------------------------------------------------------------------

    def root_entries(self) -> None:
        """Every entry of the root that is not a filed version, the ledger or the lock is a finding."""
        names = sorted(os.listdir(self.root_fd))
        for name in names:
            intent = read_intent(self.root_fd, name) if name.startswith(STAGING_PREFIX) else None
            if intent is not None:
                self.pending.add(f"{intent['agreement_id']}/{intent['version']}")
        for name in names:
            kind = kind_of(self.root_fd, name)
            path = self.root / name
            if name == LEDGER:
                continue  # checked (or found not a file) with the ledger
            if name == LOCK:
                if kind != "file":
                    self.find(path, "archive-verify-not-a-file", kind=text(f"archive-kind-{kind}"))
            elif name.startswith(STAGING_PREFIX) and kind == "folder":
                self.find(path, "archive-verify-staging-leftover")
            elif kind != "folder" or not is_label(name, "id"):
                self.find(path, f"archive-verify-stray-{kind if kind in ('link', 'folder') else 'file'}")
            else:
                try:
                    self._id_folder(name)
                except OSError as exc:
                    self.find(path, "archive-verify-unreadable", reason=os_reason(exc))

    def _id_folder(self, agreement_id: str) -> None:
        with opened(open_folder(self.root_fd, agreement_id)) as id_fd:
            for name in sorted(os.listdir(id_fd)):
                kind = kind_of(id_fd, name)
                path = self.root / agreement_id / name
                if kind != "folder":
                    self.find(path, f"archive-verify-stray-{'link' if kind == 'link' else 'file'}")
                elif f"{agreement_id}/{name}/{MANIFEST}" in self.recorded:
                    continue
                elif f"{agreement_id}/{name}" in self.pending:
                    self.find(path, "archive-verify-uncommitted")
                elif is_legacy_staging(name):
                    self.find(path, "archive-verify-staging-leftover")
                else:
                    with opened(open_folder(id_fd, name)) as fd:
                        has_manifest = kind_of(fd, MANIFEST) != "missing"
                    self.find(path, "archive-verify-unrecorded" if has_manifest else "archive-verify-unrecorded-no-manifest")

    def expectation(self) -> None:
        """--expect: the chain must end at the hash the officer kept elsewhere."""
        expected = self.report.expected
        if expected is None or expected == self.report.chain_end:
            return
        line = self._line_with_hash(expected)
        path = self.root / LEDGER
        if line is None:
            self.find(path, "archive-verify-expect-not-found", expected=expected, actual=self.report.chain_end or "-")
        else:
            self.find(path, "archive-verify-expect-earlier", line, after=self.report.ledger_lines - line)

    def _line_with_hash(self, wanted: str) -> int | None:
        try:
            data = _read(self.root_fd, LEDGER)
        except OSError:
            return None
        lines = data.split(b"\n")[:-1]
        return next((n for n, raw in enumerate(lines, start=1) if sha256(raw) == wanted), None)


def _parse_record(raw: bytes) -> tuple[dict[str, str] | None, str]:
    """A ledger line as a record, or None and the code saying what is wrong with it."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "archive-verify-ledger-not-utf8"
    except ValueError:
        return None, "archive-verify-ledger-not-json"
    if not isinstance(record, dict):
        return None, "archive-verify-ledger-not-record"
    if not all(isinstance(record.get(k), str) for k in ("manifest", "sha256", "previous")):
        return None, "archive-verify-ledger-not-record"
    return record, ""


def _read(folder_fd: int, name: str) -> bytes:
    with opened(os.open(name, READ_FLAGS, dir_fd=folder_fd)) as fd:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(21, "not a regular file")
        return b"".join(iter(lambda: os.read(fd, 1 << 20), b""))


def _file_hash(folder_fd: int, name: str) -> str:
    digest = hashlib.sha256()
    with opened(os.open(name, READ_FLAGS, dir_fd=folder_fd)) as fd:
        for block in iter(lambda: os.read(fd, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Version:
    """One version named by the ledger: its manifest as recorded, its files as the manifest lists."""

    def __init__(self, checker: _Checker, agreement_id: str, version: str, manifest_hash: str, line: int) -> None:
        self.checker, self.line, self.manifest_hash = checker, line, manifest_hash
        self.agreement_id, self.version = agreement_id, version
        self.folder = checker.root / agreement_id / version
        #: the executed original's signed PDF, when the manifest says its signatures were checked on filing
        self.signed: list[str] = []
        #: every folder below the version folder (relative), to find those no listed file needs
        self.folders: set[str] = set()

    def find(self, path: str | Path, code: str, **values: object) -> None:
        self.checker.find(path, code, **values)

    def check(self) -> None:
        root_fd = self.checker.root_fd
        id_kind = kind_of(root_fd, self.agreement_id)
        if id_kind != "folder":
            self._gone(self.folder.parent, id_kind)
            return
        with opened(open_folder(root_fd, self.agreement_id)) as id_fd:
            kind = kind_of(id_fd, self.version)
            if kind != "folder":
                self._gone(self.folder, kind)
                return
            with opened(open_folder(id_fd, self.version)) as fd:
                self._writable(fd, self.folder)
                listed = self._manifest(fd)
                present = self._walk(fd, "")
        if listed is not None:
            self._compare(listed, present)
            self._signatures(listed, present)

    def _signatures(self, listed: dict[str, str], present: dict[str, str]) -> None:
        """Re-check the signatures of an executed original that was filed signed (if unchanged: a
        changed file is already a finding, and its signatures would only repeat it)."""
        from .executed import signature_check

        for relative in self.signed:
            if present.get(relative) == listed.get(relative) and signature_check(self.folder / relative) is False:
                self.find(self.folder / relative, "archive-verify-signature-broken")

    def _gone(self, path: Path, kind: str) -> None:
        code = "archive-verify-version-missing" if kind == "missing" else "archive-verify-version-not-folder"
        self.checker.find(path, code, kind=text(f"archive-kind-{kind}"), ledger=self.line)

    def _manifest(self, fd: int) -> dict[str, str] | None:
        """The manifest's file list, after checking the manifest against the ledger's hash."""
        path = self.folder / MANIFEST
        kind = kind_of(fd, MANIFEST)
        if kind != "file":
            code = "archive-verify-manifest-missing" if kind == "missing" else "archive-verify-manifest-not-file"
            self.checker.find(path, code, kind=text(f"archive-kind-{kind}"), ledger=self.line)
            return None
        if os.stat(MANIFEST, dir_fd=fd, follow_symlinks=False).st_size > MAX_MANIFEST:
            self.find(path, "archive-verify-manifest-not-manifest")
            return None
        data = _read(fd, MANIFEST)
        if sha256(data) != self.manifest_hash:
            self.checker.find(path, "archive-verify-manifest-changed", ledger=self.line)
        return self._listed(path, data)

    def _listed(self, path: Path, data: bytes) -> dict[str, str] | None:
        try:
            manifest = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self.find(path, "archive-verify-manifest-not-json")
            return None
        files = manifest.get("files") if isinstance(manifest, dict) else None
        if not isinstance(files, list):
            self.find(path, "archive-verify-manifest-not-manifest")
            return None
        listed: dict[str, str] = {}
        executed = manifest.get("executed")
        signed = isinstance(executed, dict) and executed.get("signatures") in ("verified", "not verified")
        for number, entry in enumerate(files, start=1):
            relative = entry.get("path") if isinstance(entry, dict) else None
            digest = entry.get("sha256") if isinstance(entry, dict) else None
            if not (isinstance(relative, str) and isinstance(digest, str) and _safe_relative(relative)):
                self.find(path, "archive-verify-manifest-bad-entry", entry=number)
            else:
                listed[relative] = digest
                if signed and entry.get("role") == "executed-original":
                    self.signed.append(relative)
        return listed

    def _walk(self, fd: int, prefix: str, depth: int = 0) -> dict[str, str]:
        """Every regular file below (relative path → SHA-256); links, devices and writable entries are
        findings. Nothing is followed, and a planted tree deeper than any filing makes is not descended."""
        present: dict[str, str] = {}
        if depth > MAX_DEPTH:
            self.find(self.folder / prefix, "archive-verify-too-deep")
            return present
        for name in sorted(os.listdir(fd)):
            relative = f"{prefix}{name}"
            path = self.folder / relative
            kind = kind_of(fd, name)
            if kind == "link":
                self.find(path, "archive-verify-link-inside")
            elif kind == "other":
                self.find(path, "archive-verify-special-inside")
            elif kind == "folder":
                self.folders.add(relative)
                with opened(open_folder(fd, name)) as sub:
                    self._writable(sub, path)
                    present.update(self._walk(sub, relative + "/", depth + 1))
            else:
                with opened(os.open(name, READ_FLAGS, dir_fd=fd)) as file_fd:
                    self._writable(file_fd, path)
                    if os.fstat(file_fd).st_nlink > 1:  # another name elsewhere could change it
                        self.find(path, "archive-verify-hard-link", links=os.fstat(file_fd).st_nlink)
                present[relative] = _file_hash(fd, name)
        return present

    def _writable(self, fd: int, path: Path) -> None:
        if os.fstat(fd).st_mode & 0o222:
            self.find(path, "archive-verify-writable", mode=f"{stat.S_IMODE(os.fstat(fd).st_mode):04o}")

    def _compare(self, listed: dict[str, str], present: dict[str, str]) -> None:
        for relative, expected in listed.items():
            if relative not in present:
                self.find(self.folder / relative, "archive-verify-file-missing")
            elif present[relative] != expected:
                self.find(self.folder / relative, "archive-verify-file-changed")
        for relative in sorted(set(present) - set(listed) - {MANIFEST}):
            self.find(self.folder / relative, "archive-verify-file-unlisted")
        needed = {"/".join(path.split("/")[:n]) for path in listed for n in range(1, path.count("/") + 1)}
        for relative in sorted(self.folders - needed):
            if not any(p.startswith(relative + "/") for p in present):  # else its files are findings already
                self.find(self.folder / relative, "archive-verify-folder-unlisted")


def _safe_relative(relative: str) -> bool:
    """A manifest's path stays inside its version folder: relative, no "..", no empty part."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and all(p not in ("", ".", "..") for p in parts) \
        and "\\" not in relative and "\x00" not in relative
