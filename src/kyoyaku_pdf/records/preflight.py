"""PDF/A preflight of any PDF: veraPDF (the reference validator) when it is installed, else our own
partial checks of the ISO 19005 rules that apply to text documents, each finding named by its clause.

Engines. ``verapdf`` runs every rule of the profile (records/verapdf.py). ``builtin`` checks a subset of
clauses (``CHECKS``) with pikepdf and fontTools — nothing of the code that wrote the file — and follows
veraPDF's reading of each rule it claims: a file veraPDF calls valid must never fail here (the tests use
veraPDF as the oracle on a corpus of valid and invalid files).

Hostile files. Whatever the file, one preflight stays under 1 GiB and one minute: the file is opened and
checked in a forked process with a capped address space and a deadline, streams are decoded with a size
limit (records/pdfscan.py), CMaps and widths arrays are looked up, never expanded. A limit reached on one
stream is a finding; the whole file over a limit (size, objects, time, memory) is an error (exit 2), as
are a file that is not a PDF, cannot be read, or is encrypted (ISO 19005 forbids encryption).
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import re
import resource
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import pikepdf
from fontTools import agl
from fontTools.ttLib import TTFont
from pikepdf import Name

from ..messages import shown, text
from .pdfscan import MiB, Budget, LimitExceeded, Limits, ToUnicode, filters, operations, parse_to_unicode
from .pdfscan import number as as_number

__all__ = ["CHECKS", "Finding", "Limits", "Report", "iter_checks", "parse_pdf_date", "parse_to_unicode",
           "preflight", "PROFILES", "ENGINES"]

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
from .choices import ENGINES, PROFILES  # noqa: E402,F401  (kept apart so the CLI need not import this module)
#: The PDF/A levels the built-in checks know: (part, conformance values veraPDF accepts for the profile).
LEVELS = {"1a": (1, "A"), "1b": (1, "AB"), "2a": (2, "A"), "2b": (2, "ABU"), "2u": (2, "AU")}
SPEC = {1: "ISO 19005-1", 2: "ISO 19005-2"}
ALLOWED_ACTIONS = {2: {"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named", "/SubmitForm"},
                   1: {"/GoTo", "/GoToR", "/Thread", "/URI", "/Named", "/SubmitForm"}}
NAMED_ACTIONS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
ALLOWED_FILTERS = {"/ASCIIHexDecode", "/ASCII85Decode", "/FlateDecode", "/RunLengthDecode", "/CCITTFaxDecode",
                   "/JBIG2Decode", "/DCTDecode", "/JPXDecode"}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Finding:
    """One violated rule: the clause (of ``specification``), what is wrong, and how often (veraPDF)."""

    clause: str
    message: str
    specification: str = "ISO 19005-2"
    test: int | None = None  # veraPDF's test number within the clause
    count: int = 1
    code: str = ""  # the catalogue code of a built-in finding, "verapdf" for veraPDF's, "limit" for a bound

    def __str__(self) -> str:
        if self.code == "limit":
            return self.message
        test = f"-{self.test}" if self.test is not None else ""
        count = text("preflight-count", count=self.count) if self.count > 1 else ""
        return f"{self.specification} {self.clause}{test}{count}: {self.message}"


@dataclass
class Report:
    """The outcome for one file: what it claims, which engine checked it against which profile, the
    findings — or the reason there is no verdict (``error``: exit 2)."""

    path: str
    claimed: str = "none"
    profile: str = ""
    engine: str = "builtin"
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    error: str | None = None  # not-file, too-large, not-pdf, unreadable, encrypted, limit, internal
    error_message: str = ""

    @property
    def valid(self) -> bool:
        return self.error is None and not self.findings

    @property
    def complete(self) -> bool:
        """Whether every rule of the profile was checked (veraPDF), not only the built-in subset."""
        return self.engine == "verapdf"


class _Refused(Exception):
    """The file gets no verdict (exit 2): ``kind`` is Report.error, the message says why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind, self.message = kind, message


@dataclass
class _Context:
    """What the checks share: the open file, its head and tail, the parsed XMP, the profile checked."""

    pdf: pikepdf.Pdf
    head: bytes
    tail: bytes
    xmp: ET.Element | None
    xmp_error: str | None
    part: int
    conformance: str  # of the profile checked: "A", "B" or "U"
    profile: str
    budget: Budget
    findings: list[Finding]
    _uses: list[_FontUse] | None = None
    _paints: list[_Paint] | None = None

    def fail(self, clause: str | dict[int, str], code: str, times: int = 1, **values: object) -> None:
        """Record a finding; ``clause`` may differ by part ({2: "6.2.3", 1: "6.2.2"})."""
        number = clause.get(self.part) if isinstance(clause, dict) else clause
        if number is not None:
            self.findings.append(Finding(number, text(code, **values), SPEC[self.part], count=times, code=code))

    def limit(self, exc: LimitExceeded) -> None:
        self.findings.append(Finding("—", text(f"preflight-limit-{exc.what}", detail=exc.detail),
                                     SPEC[self.part], code="limit"))

    def font_uses(self) -> list[_FontUse]:
        if self._uses is None:
            self._scan()
        assert self._uses is not None
        return self._uses

    def paints(self) -> list[_Paint]:
        if self._paints is None:
            self._scan()
        assert self._paints is not None
        return self._paints

    def _scan(self) -> None:
        scanner = _Scanner(self)
        scanner.run()
        self._uses, self._paints = list(scanner.uses.values()), scanner.paints


Check = Callable[[_Context], None]
CHECKS: list[tuple[str, str, Check]] = []


def check(clause: str, title: str) -> Callable[[Check], Check]:
    """Register a check under its (part 2) clause: the table is the list of what the built-in engine claims."""

    def register(func: Check) -> Check:
        CHECKS.append((clause, title, func))
        return func

    return register


#: Every clause a built-in finding can name, by part: where the built-in checks claim to judge a file.
CLAIMED = {
    2: {"6.1.2", "6.1.3", "6.1.7.1", "6.1.7.2", "6.2.3", "6.2.4.3", "6.2.11.4.1", "6.2.11.5", "6.2.11.6",
        "6.2.11.7.2", "6.2.11.8", "6.5.1", "6.5.2", "6.6.2.1", "6.6.4"},
    1: {"6.1.2", "6.1.3", "6.1.7", "6.1.10", "6.2.2", "6.2.3.3", "6.3.4", "6.3.5", "6.3.6", "6.3.7", "6.3.8",
        "6.6.1", "6.6.2", "6.7.2", "6.7.3", "6.7.5", "6.7.9", "6.7.11"},
}


def iter_checks() -> Iterator[tuple[str, str]]:
    """The clauses the built-in checks cover, for the README and the report."""
    for clause, title, _ in CHECKS:
        yield clause, title


# ---- entry points ------------------------------------------------------------------------------

def preflight(path: Path, profile: str = "auto", *, engine: str = "builtin", verapdf: Any = None,
              limits: Limits | None = None, isolate: bool = True) -> Report:
    """Check one file against ``profile`` (one of PROFILES) with ``engine``; never raises for the file.

    ``verapdf``: an open ``records.verapdf.VeraPdf`` to use for engine "verapdf". ``isolate``: run the
    built-in part in a forked process with a capped address space and a hard deadline (the default).
    """
    limits = limits or Limits()
    path = Path(path)
    report = _run_isolated(_builtin if engine == "builtin" else _inspect, path, profile, limits, isolate)
    report.engine = engine
    if engine == "verapdf" and report.error is None:
        _with_verapdf(report, path, profile, verapdf)
    return report


def _run_isolated(func: Callable[[Path, str, Limits], Report], path: Path, profile: str, limits: Limits,
                  isolate: bool) -> Report:
    if not isolate or "fork" not in multiprocessing.get_all_start_methods():
        return _guarded(func, path, profile, limits)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, func, path, profile, limits), daemon=True)
    child.start()
    send.close()
    result: Report | None = None
    try:
        if receive.poll(limits.seconds + 5):  # the checks keep the deadline themselves; this is the backstop
            result = receive.recv()
    except (EOFError, OSError):
        result = None
    finally:
        receive.close()
        child.join(2)
        if child.is_alive():
            child.kill()
            child.join()
    if result is None:
        timed_out = child.exitcode in (None, -9) or child.exitcode == -24  # SIGKILL by us, SIGXCPU
        kind = "preflight-limit-time" if timed_out else "preflight-limit-memory"
        detail = f"{limits.seconds:g} s" if timed_out else f"{limits.memory_bytes // MiB} MiB"
        return Report(str(path), profile=profile, error="limit", error_message=text(kind, detail=detail))
    return result


def _child(send: Any, func: Callable[[Path, str, Limits], Report], path: Path, profile: str,
           limits: Limits) -> None:
    """In the forked process: cap memory growth and CPU time, check, send the report back."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + limits.memory_bytes, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        pass  # no /proc: the deadline still holds
    cpu = int(limits.seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    send.send(_guarded(func, path, profile, limits))
    send.close()


def _guarded(func: Callable[[Path, str, Limits], Report], path: Path, profile: str, limits: Limits) -> Report:
    try:
        return func(path, profile, limits)
    except _Refused as exc:
        return Report(str(path), profile=profile, error=exc.kind, error_message=exc.message)
    except MemoryError:
        return Report(str(path), profile=profile, error="limit",
                      error_message=text("preflight-limit-memory", detail=f"{limits.memory_bytes // MiB} MiB"))
    except LimitExceeded as exc:
        return Report(str(path), profile=profile, error="limit",
                      error_message=text(f"preflight-limit-{exc.what}", detail=exc.detail))
    except RecursionError:
        return Report(str(path), profile=profile, error="unreadable", error_message=text("preflight-too-deep"))
    except Exception as exc:  # a bug of ours, not the file's fault: reported as an internal error, not a verdict
        return Report(str(path), profile=profile, error="internal",
                      error_message=text("internal-error", detail=shown(f"{type(exc).__name__}: {exc}", 300)))


def _open(path: Path, limits: Limits) -> tuple[pikepdf.Pdf, bytes, bytes]:
    """The opened file with its first and last KiB; _Refused when there can be no verdict."""
    try:
        if not path.is_file():
            raise _Refused("not-file", text("preflight-not-file", path=shown(path)))
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise _Refused("too-large", text("preflight-too-large", size=size // MiB,
                                             limit=limits.file_bytes // MiB))
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 1024))
            tail = handle.read(1024)
    except OSError as exc:
        raise _Refused("unreadable", text("preflight-unreadable", reason=shown(exc.strerror or exc))) from None
    if b"%PDF-" not in head:
        raise _Refused("not-pdf", text("preflight-not-pdf"))
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise _Refused("encrypted", text("preflight-encrypted")) from None
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        raise _Refused("unreadable", text("preflight-damaged", reason=shown(exc, 200))) from None
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        pdf.close()
        raise _Refused("encrypted", text("preflight-encrypted"))
    count = int(pdf.trailer.get("/Size", 0) or 0)
    if count > limits.objects:
        pdf.close()
        raise _Refused("limit", text("preflight-limit-objects", detail=f"{count} > {limits.objects}"))
    return pdf, head, tail


def _inspect(path: Path, profile: str, limits: Limits) -> Report:
    """Only what every engine needs: is it a readable, unencrypted PDF, and what does it claim."""
    pdf, _, _ = _open(path, limits)
    with pdf:
        xmp, _ = _xmp(pdf, Budget(limits))
        return Report(str(path), claimed=_claim(xmp), profile=profile)


def _builtin(path: Path, profile: str, limits: Limits) -> Report:
    """The built-in checks of CHECKS, each in turn; a damaged structure or a limit is a finding."""
    if profile == "ua1":
        raise _Refused("unsupported", text("preflight-builtin-no-ua"))
    pdf, head, tail = _open(path, limits)
    budget = Budget(limits)
    with pdf:
        xmp, xmp_error = _xmp(pdf, budget)
        claimed = _claim(xmp)
        level = profile if profile in LEVELS else _level_of(claimed)
        report = Report(str(path), claimed=claimed, profile=level or "2b")
        part, _ = LEVELS.get(level or "2b", (2, "B"))
        conformance = (level or "2b")[1].upper()
        ctx = _Context(pdf, head, tail, xmp, xmp_error, part, conformance, level or "2b", budget, report.findings)
        for clause, title, func in CHECKS:
            report.checked.append(f"{clause} {title}")
            try:
                budget.tick()
                func(ctx)
            except LimitExceeded as exc:
                if exc.what == "time":
                    raise
                ctx.limit(exc)
            except (pikepdf.PdfError, KeyError, ValueError, TypeError, AttributeError, IndexError,
                    AssertionError, OverflowError, UnicodeError, ET.ParseError) as exc:
                ctx.fail(clause, "preflight-damaged-structure", reason=shown(f"{type(exc).__name__}: {exc}", 200))
        return report


def _level_of(claimed: str) -> str | None:
    match = re.fullmatch(r"PDF/A-([12])([abu])", claimed)
    return f"{match[1]}{match[2]}" if match and f"{match[1]}{match[2]}" in LEVELS else None


def _with_verapdf(report: Report, path: Path, profile: str, verapdf: Any) -> None:
    """Fill ``report`` with veraPDF's verdict (its rule texts are English, as veraPDF words them)."""
    result = verapdf.validate(path, profile)
    report.profile = "" if result.flavour == "auto" else result.flavour
    if result.error == "unclaimed":
        report.findings.append(Finding("6.6.4", text("preflight-no-identification"), "ISO 19005-2", 1))
        return
    if result.error:
        kind = {"memory": "limit", "timeout": "limit"}.get(result.error, result.error)
        code = {"memory": "preflight-limit-memory", "timeout": "preflight-limit-time",
                "encrypted": "preflight-encrypted", "unreadable": "preflight-damaged"}.get(result.error,
                                                                                        "preflight-verapdf-failed")
        report.error = kind
        report.error_message = text(code, detail=shown(result.message, 300), reason=shown(result.message, 300))
        return
    for rule in result.rules:
        detail = f" — {rule.message}" if rule.message and rule.message != rule.description else ""
        report.findings.append(Finding(rule.clause, f"{rule.description}{detail}", rule.specification,
                                       rule.test, rule.count, "verapdf"))
    report.checked = [text("preflight-verapdf-checks", checks=result.checks)]


# ---- 6.1 file structure ------------------------------------------------------------------------

@check("6.1.2", "file header")
def _header(ctx: _Context) -> None:
    lines = re.split(rb"\r\n|\r|\n", ctx.head[:64], maxsplit=2)  # CR, LF and CRLF are all end-of-line
    pattern = rb"%PDF-1\.[0-7]" if ctx.part == 2 else rb"%PDF-\d\.\d.*"
    if not re.fullmatch(pattern, lines[0]):
        ctx.fail("6.1.2", "preflight-header-version", header=shown(lines[0][:12]))
    if len(lines) < 2 or not lines[1].startswith(b"%") or sum(b > 127 for b in lines[1][1:5]) < 4:
        ctx.fail("6.1.2", "preflight-header-comment")


@check("6.1.3", "file trailer")
def _trailer(ctx: _Context) -> None:
    ident = ctx.pdf.trailer.get("/ID")
    if not isinstance(ident, pikepdf.Array) or len(ident) < 1 or not len(bytes(ident[-1])):
        ctx.fail("6.1.3", "preflight-trailer-id")
    eof = ctx.tail.rfind(b"%%EOF")
    after = ctx.tail[eof + 5:] if eof >= 0 else b""
    if eof >= 0 and after not in (b"", b"\n", b"\r", b"\r\n"):
        ctx.fail("6.1.3", "preflight-after-eof", count=len(after))


@check("6.1.7", "streams")
def _streams(ctx: _Context) -> None:
    for obj in ctx.pdf.objects:
        ctx.budget.tick()
        if not isinstance(obj, pikepdf.Stream):
            continue
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in obj.stream_dict:
                ctx.fail({2: "6.1.7.1", 1: "6.1.7"}, "preflight-stream-external", obj=_ref(obj), key=key)
        names = filters(obj)
        if ctx.part == 1:
            bad = [n for n in names if n in ("/LZWDecode", "/LZW")]
        else:
            bad = [n for n in names if n not in ALLOWED_FILTERS and not (n == "/Crypt" and _identity_crypt(obj))]
        if bad:
            ctx.fail({2: "6.1.7.2", 1: "6.1.10"}, "preflight-stream-filter", obj=_ref(obj), filters=" ".join(bad))


def _identity_crypt(stream: pikepdf.Stream) -> bool:
    """A /Crypt filter is allowed as the Identity one (its default when no /Name is given)."""
    parms = stream.stream_dict.get("/DecodeParms")
    items = [p for p in (list(parms) if isinstance(parms, pikepdf.Array) else [parms]) if p is not None]
    return all(not isinstance(p, pikepdf.Dictionary) or p.get("/Name", Name.Identity) == Name.Identity for p in items)


def _ref(obj: pikepdf.Object) -> str:
    return f"{obj.objgen[0]} {obj.objgen[1]} R" if obj.is_indirect else "(direct)"


# ---- 6.2 graphics -----------------------------------------------------------------------------

def _intents(ctx: _Context) -> list[pikepdf.Dictionary]:
    intents = ctx.pdf.Root.get("/OutputIntents")
    return [i for i in intents if isinstance(i, pikepdf.Dictionary)] if isinstance(intents, pikepdf.Array) else []


@check("6.2.3", "output intent")
def _output_intent(ctx: _Context) -> None:
    clause = {2: "6.2.3", 1: "6.2.2"}
    intents = [i for i in _intents(ctx) if isinstance(i.get("/DestOutputProfile"), pikepdf.Stream)]
    if len({i.DestOutputProfile.objgen for i in intents}) > 1:
        ctx.fail(clause, "preflight-profiles-differ")
    newest = 4 if ctx.part == 2 else 2
    pdfa = {i.DestOutputProfile.objgen: i.DestOutputProfile for i in intents if i.get("/S") == Name.GTS_PDFA1}
    for profile in pdfa.values():
        header = ctx.budget.head(profile, 128)
        if len(header) < 20:
            ctx.fail(clause, "preflight-profile-not-icc")
        elif header[12:16] not in (b"mntr", b"prtr"):
            ctx.fail(clause, "preflight-profile-class", kind=shown(header[12:16].decode("latin-1")))
        elif header[16:20] not in (b"RGB ", b"CMYK", b"GRAY"):
            ctx.fail(clause, "preflight-profile-space", space=shown(header[16:20].decode("latin-1")))
        elif header[8] > newest:
            ctx.fail(clause, "preflight-profile-version", version=header[8], newest=newest)


def _output_space(ctx: _Context) -> bytes | None:
    """The colour space of the PDF/A output intent's profile ("RGB ", "CMYK", "GRAY"), if any."""
    for intent in _intents(ctx):
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == Name.GTS_PDFA1 and isinstance(profile, pikepdf.Stream):
            return ctx.budget.head(profile, 20)[16:20]
    return None


@check("6.2.4.3", "device colour spaces")
def _device_colour(ctx: _Context) -> None:
    """DeviceRGB needs an RGB output intent, DeviceCMYK a CMYK one, DeviceGray any — where a device
    colour space is used to paint (a colour set and never used paints nothing)."""
    space = _output_space(ctx)
    first: dict[str, _Paint] = {}
    uses: dict[str, int] = {}
    for paint in ctx.paints():
        if not _intent_allows(paint.device, space):
            first.setdefault(paint.device, paint)
            uses[paint.device] = uses.get(paint.device, 0) + 1
    for device, paint in first.items():
        ctx.fail({2: "6.2.4.3", 1: "6.2.3.3"}, "preflight-device-colour", times=uses[device], page=paint.page,
                 device=device, operator=paint.operator)


def _intent_allows(device: str, space: bytes | None) -> bool:
    if device == "DeviceGray":
        return space is not None
    return space == (b"RGB " if device == "DeviceRGB" else b"CMYK")


# ---- reading the content: fonts shown and colours painted ------------------------------------------

@dataclass
class _FontUse:
    font: pikepdf.Dictionary
    name: str
    codes: set[int] = field(default_factory=set)  # every code shown
    visible: set[int] = field(default_factory=set)  # codes shown with a rendering mode other than 3
    program: TTFont | None = None
    parsed: bool = False
    to_unicode: ToUnicode | None = None
    unicode_parsed: bool = False


@dataclass(frozen=True)
class _Paint:
    page: int
    device: str
    operator: str


#: Operators that set a device colour (and its space) directly.
SET_COLOUR = {"rg": ("fill", "DeviceRGB"), "RG": ("stroke", "DeviceRGB"), "k": ("fill", "DeviceCMYK"),
              "K": ("stroke", "DeviceCMYK"), "g": ("fill", "DeviceGray"), "G": ("stroke", "DeviceGray")}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}
DEVICE = {"/DeviceRGB": "DeviceRGB", "/DeviceCMYK": "DeviceCMYK", "/DeviceGray": "DeviceGray",
          "/RGB": "DeviceRGB", "/CMYK": "DeviceCMYK", "/G": "DeviceGray"}
DEFAULT_OF = {"DeviceRGB": "/DefaultRGB", "DeviceCMYK": "/DefaultCMYK", "DeviceGray": "/DefaultGray"}
#: The operators the scanner looks at (the tokenizer skips the others quickly).
SCANNED = frozenset({"q", "Q", *SET_COLOUR, "cs", "CS", "Tr", "Tf", *TEXT_SHOWING, *FILLS, *STROKES, "Do", "sh", "BI"})
INITIAL = "initial"  # the colour a graphics state starts with: DeviceGray, used only when something is painted


@dataclass
class _State:
    fill: str | None = INITIAL  # "initial", or None once set to a colour space that is not a device one
    stroke: str | None = INITIAL
    render: int = 0
    font: _FontUse | None = None


class _Scanner:
    """One pass over every page's content — forms, annotation appearances and images included — for the
    fonts shown with their codes, and each use of a device colour space as veraPDF counts them: an
    operator that selects one (rg, k, g, cs …, even if nothing is painted after it), an image or shading
    in one, a transparency group's /CS, and the initial DeviceGray when something is painted with it."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.uses: dict[tuple[int, int], _FontUse] = {}
        self.paints: list[_Paint] = []

    def run(self) -> None:
        for number, page in enumerate(self.ctx.pdf.pages, start=1):
            resources = _dict(page.obj, "/Resources")
            defaults = self._defaults(resources, frozenset())
            self._group(page.obj, number, defaults)
            self._content(_contents(page.obj), resources, number, frozenset(), _State(), defaults)
            annots = page.obj.get("/Annots")
            for annot in annots if isinstance(annots, pikepdf.Array) else []:
                appearance = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
                normal = appearance.get("/N") if isinstance(appearance, pikepdf.Dictionary) else None
                forms = [normal] if isinstance(normal, pikepdf.Stream) else (
                    [v for v in normal.values() if isinstance(v, pikepdf.Stream)]
                    if isinstance(normal, pikepdf.Dictionary) else [])
                for form in forms:
                    self._form(form, resources, number, frozenset(), _State(), defaults)

    def _content(self, streams: list[pikepdf.Stream], resources: pikepdf.Dictionary, page: int,
                 seen: frozenset[tuple[int, int]], state: _State, defaults: frozenset[str]) -> None:
        try:
            data = b"".join(self.ctx.budget.read(s) for s in streams)
        except LimitExceeded as exc:
            if exc.what == "time":
                raise
            self.ctx.limit(exc)
            return
        self._walk(data, resources, page, seen, state, defaults)

    @staticmethod
    def _defaults(resources: pikepdf.Dictionary, inherited: frozenset[str]) -> frozenset[str]:
        """The Default* colour spaces in force: a device space they replace is not a device space."""
        spaces = _dict(resources, "/ColorSpace")
        return inherited | {name for name in DEFAULT_OF.values() if name in spaces}

    def _walk(self, data: bytes, resources: pikepdf.Dictionary, page: int, seen: frozenset[tuple[int, int]],
              state: _State, defaults: frozenset[str]) -> None:
        fonts = _dict(resources, "/Font")
        spaces = _dict(resources, "/ColorSpace")
        stack: list[_State] = []
        for op, operands in operations(data, self.ctx.budget, SCANNED):
            if op == "q":
                stack.append(replace(state))
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op in SET_COLOUR:
                which, device = SET_COLOUR[op]
                setattr(state, which, device)
                self._device_use(device, page, op, defaults)
            elif op in ("cs", "CS") and operands:
                device = self._device(operands[-1], spaces)
                setattr(state, "fill" if op == "cs" else "stroke", device)
                self._device_use(device, page, op, defaults)
            elif op == "Tr" and operands:
                state.render = int(as_number(operands[-1]))
            elif op == "Tf" and len(operands) >= 2 and isinstance(operands[-2], str):
                state.font = self._use(fonts.get(operands[-2]), operands[-2])
            elif op in TEXT_SHOWING:
                self._show(state, operands, page, op, defaults)
            elif op in FILLS or op in STROKES:
                self._painted(state.fill if op in FILLS else None, page, op, defaults)
                self._painted(state.stroke if op in STROKES else None, page, op, defaults)
            elif op == "Do" and operands and isinstance(operands[-1], str):
                xobject = _dict(resources, "/XObject").get(operands[-1])
                self._xobject(xobject, resources, page, seen, state, defaults)
            elif op == "sh" and operands and isinstance(operands[-1], str):
                shading = _dict(resources, "/Shading").get(operands[-1])
                if isinstance(shading, (pikepdf.Dictionary, pikepdf.Stream)):
                    self._device_use(self._device(shading.get("/ColorSpace"), spaces), page, op, defaults)
            elif op == "BI" and operands and isinstance(operands[0], dict):
                space = operands[0].get("/CS", operands[0].get("/ColorSpace"))
                if operands[0].get("/IM", operands[0].get("/ImageMask")) is True:
                    self._painted(state.fill, page, "BI", defaults)
                else:
                    self._device_use(self._device(space, spaces), page, "BI", defaults)

    def _device(self, space: object, spaces: pikepdf.Dictionary) -> str | None:
        """The device space a colour space stands for: a family name, a resource name, or an Indexed
        space on a device base. ICCBased, Separation, DeviceN and patterns are not judged here."""
        if isinstance(space, pikepdf.Object) and not isinstance(space, (pikepdf.Array, pikepdf.Dictionary)):
            space = str(space) if isinstance(space, pikepdf.Name) else None
        if isinstance(space, str):
            if space in DEVICE:
                return DEVICE[space]
            value = spaces.get(space)
            return self._device(value, pikepdf.Dictionary()) if value is not None else None
        if isinstance(space, pikepdf.Array) and len(space) >= 2 and space[0] in (Name.Indexed, Name("/I")):
            return self._device(space[1], spaces)
        return None

    def _show(self, state: _State, operands: list[object], page: int, op: str, defaults: frozenset[str]) -> None:
        if state.font is not None:
            codes = _codes(state.font.font, operands)
            state.font.codes |= codes
            if state.render != 3:
                state.font.visible |= codes
        if state.render in (0, 2, 4, 6):
            self._painted(state.fill, page, op, defaults)
        if state.render in (1, 2, 5, 6):
            self._painted(state.stroke, page, op, defaults)

    def _painted(self, space: str | None, page: int, op: str, defaults: frozenset[str]) -> None:
        """Painting: only the initial DeviceGray is a use here (a set colour was counted when set)."""
        if space == INITIAL:
            self._device_use("DeviceGray", page, op, defaults)

    def _device_use(self, device: str | None, page: int, op: str, defaults: frozenset[str]) -> None:
        if device is not None and device != INITIAL and DEFAULT_OF[device] not in defaults:
            self.paints.append(_Paint(page, device, op))

    def _group(self, obj: pikepdf.Dictionary, page: int, defaults: frozenset[str]) -> None:
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == Name.Transparency:
            self._device_use(self._device(group.get("/CS"), pikepdf.Dictionary()), page, "/Group", defaults)

    def _use(self, font: object, name: str) -> _FontUse | None:
        if not isinstance(font, pikepdf.Dictionary):
            return None
        key = font.objgen if font.is_indirect else (id(font), -1)
        if key not in self.uses:
            self.uses[key] = _FontUse(font, str(font.get("/BaseFont", name)).lstrip("/"))
        return self.uses[key]

    def _xobject(self, xobject: object, resources: pikepdf.Dictionary, page: int, seen: frozenset[tuple[int, int]],
                 state: _State, defaults: frozenset[str]) -> None:
        if not isinstance(xobject, pikepdf.Stream):
            return
        if xobject.get("/Subtype") == Name.Image:
            if xobject.get("/ImageMask") is True:
                self._painted(state.fill, page, "Do", defaults)
            else:
                self._device_use(self._device(xobject.get("/ColorSpace"), pikepdf.Dictionary()), page, "Do", defaults)
        elif xobject.get("/Subtype") == Name.Form:
            self._form(xobject, resources, page, seen, state, defaults)

    def _form(self, form: pikepdf.Stream, resources: pikepdf.Dictionary, page: int,
              seen: frozenset[tuple[int, int]], state: _State, defaults: frozenset[str]) -> None:
        if form.objgen in seen or len(seen) > 64:
            return
        inner = form.get("/Resources")
        inner = inner if isinstance(inner, pikepdf.Dictionary) else resources
        defaults = self._defaults(inner, defaults)
        self._group(form, page, defaults)
        self._content([form], inner, page, seen | {form.objgen}, replace(state), defaults)


def _contents(page: pikepdf.Dictionary) -> list[pikepdf.Stream]:
    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def _dict(parent: pikepdf.Dictionary, key: str) -> pikepdf.Dictionary:
    value = parent.get(key)
    return value if isinstance(value, pikepdf.Dictionary) else pikepdf.Dictionary()


def _codes(font: pikepdf.Dictionary, operands: list[object]) -> set[int]:
    strings = [o for o in operands if isinstance(o, bytes)]
    for o in operands:
        if isinstance(o, list):
            strings += [s for s in o if isinstance(s, bytes)]
    data = b"".join(strings)
    if font.get("/Subtype") == Name.Type0:
        return {int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)}
    return set(data)


# ---- 6.2.11 fonts -----------------------------------------------------------------------------

def _identity_type0(font: pikepdf.Dictionary) -> bool:
    """A Type 0 font whose codes are its CIDs (2 bytes, Identity-H/V): the only kind read glyph by glyph here."""
    return font.get("/Subtype") == Name.Type0 and font.get("/Encoding") in (Name("/Identity-H"), Name("/Identity-V"))


def _descendant(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    kids = font.get("/DescendantFonts")
    if isinstance(kids, pikepdf.Array) and len(kids) and isinstance(kids[0], pikepdf.Dictionary):
        return kids[0]
    return None


def _program(font: pikepdf.Dictionary) -> tuple[pikepdf.Dictionary | None, pikepdf.Stream | None]:
    """The font's descriptor and embedded program (of the descendant for a Type0 font)."""
    target = _descendant(font) if font.get("/Subtype") == Name.Type0 else font
    descriptor = target.get("/FontDescriptor") if target is not None else None
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None, None
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if isinstance(descriptor.get(key), pikepdf.Stream):
            return descriptor, descriptor[key]
    return descriptor, None


@check("6.2.11.4.1", "font programs embedded")
def _embedded(ctx: _Context) -> None:
    for use in ctx.font_uses():
        if use.font.get("/Subtype") == Name.Type3 or not use.visible:
            continue  # Type 3 fonts are their own program; text in rendering mode 3 is invisible
        _, program = _program(use.font)
        if program is None:
            ctx.fail({2: "6.2.11.4.1", 1: "6.3.4"}, "preflight-font-not-embedded", font=shown(use.name))


def _truetype(ctx: _Context, use: _FontUse) -> TTFont | None:
    """The embedded TrueType program (parsed once per font), or None for other kinds."""
    if not use.parsed:
        use.parsed = True
        descriptor, program = _program(use.font)
        if program is not None and descriptor is not None and "/FontFile2" in descriptor:
            try:
                font = TTFont(io.BytesIO(ctx.budget.read(program)), lazy=True)
                font["maxp"], font["cmap"], font["head"], font["hmtx"]  # noqa: B018 — parse now, fail here
                use.program = font
            except LimitExceeded:
                raise
            except Exception:  # a damaged program: veraPDF reports that under other rules; skip it here
                use.program = None
    return use.program


def _glyph_ids(ctx: _Context, use: _FontUse, font: TTFont) -> dict[int, int] | None:
    """Code → glyph id where a reader's choice is certain (ISO 32000-1 9.6.6.4, CIDToGIDMap), else None.

    Type 0 (Identity): the CID through CIDToGIDMap. Simple symbolic TrueType: the (3,0) subtable (code,
    or 0xF000 + code) or the only (1,0) one; a code it lacks shows glyph 0. Non-symbolic simple fonts go
    through glyph names and encodings, where readers differ: not judged here.
    """
    if use.font.get("/Subtype") == Name.Type0:
        if not _identity_type0(use.font):
            return None
        cid_font = _descendant(use.font)
        cid_map = cid_font.get("/CIDToGIDMap", Name.Identity) if cid_font is not None else Name.Identity
        if not isinstance(cid_map, pikepdf.Stream):
            return {c: c for c in use.codes}
        table = ctx.budget.read(cid_map, 1 * MiB)  # 65536 CIDs × 2 bytes at most
        return {c: int.from_bytes(table[2 * c:2 * c + 2], "big") if 2 * c + 2 <= len(table) else 0 for c in use.codes}
    descriptor, _ = _program(use.font)
    if descriptor is None or not int(descriptor.get("/Flags", 0)) & 4 or "/Encoding" in use.font:
        return None
    subtables = {(t.platformID, t.platEncID): t.cmap for t in font["cmap"].tables}
    cmap = subtables.get((3, 0)) if (3, 0) in subtables else (subtables.get((1, 0)) if len(subtables) == 1 else None)
    if cmap is None:
        return None
    glyph_index = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    out: dict[int, int] = {}
    for code in use.codes:
        name = cmap.get(code) or cmap.get(0xF000 + code) or cmap.get(0xF100 + code) or cmap.get(0xF200 + code)
        out[code] = glyph_index.get(name, 0) if name else 0
    return out


def _shown_glyphs(ctx: _Context) -> Iterator[tuple[_FontUse, TTFont, dict[int, int]]]:
    """Each TrueType font shown, its embedded program, and the glyph each shown code selects."""
    for use in ctx.font_uses():
        font = _truetype(ctx, use)
        glyphs = _glyph_ids(ctx, use, font) if font is not None else None
        if font is not None and glyphs is not None:
            yield use, font, glyphs


@check("6.2.11.4.1", "every glyph used is in the font program")
def _glyphs_present(ctx: _Context) -> None:
    for use, font, glyphs in _shown_glyphs(ctx):
        simple = use.font.get("/Subtype") != Name.Type0  # veraPDF: a simple font's code without a glyph is missing
        missing = sorted(c for c, gid in glyphs.items()
                         if c in use.visible and (gid >= font["maxp"].numGlyphs or (simple and gid == 0)))
        if missing:
            ctx.fail({2: "6.2.11.4.1", 1: "6.3.5"}, "preflight-glyph-missing", font=shown(use.name),
                     codes=_list(missing))


@check("6.2.11.8", ".notdef glyph not used")
def _notdef(ctx: _Context) -> None:
    """A CID shown that selects glyph 0, or a code of a simple font whose encoding names no glyph
    (.notdef). (A symbolic font's code its cmap lacks is a missing glyph for veraPDF: 6.2.11.4.1.)"""
    for use, _, glyphs in _shown_glyphs(ctx):
        if use.font.get("/Subtype") != Name.Type0:
            continue
        bad = sorted(c for c, gid in glyphs.items() if gid == 0)
        if bad:
            ctx.fail({2: "6.2.11.8"}, "preflight-notdef", font=shown(use.name), codes=_list(bad))
    for use in ctx.font_uses():
        descriptor, program = _program(use.font)
        if program is None or descriptor is None or int(descriptor.get("/Flags", 0)) & 4:
            continue  # a symbolic font's glyphs come from its cmap, whatever its /Encoding says
        unnamed = sorted(c for c in use.codes if _encoded_name(use.font, c) == ".notdef")
        if unnamed:
            ctx.fail({2: "6.2.11.8"}, "preflight-notdef", font=shown(use.name), codes=_list(unnamed))


def _encoded_name(font: pikepdf.Dictionary, code: int) -> str | None:
    """The glyph name a simple font's explicit encoding gives ``code`` (".notdef" if it names none),
    or None where the font program's built-in encoding decides."""
    if font.get("/Subtype") not in (Name.Type1, Name.TrueType, Name.MMType1):
        return None
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary):
        name = _difference(encoding.get("/Differences"), code)
        if name is not None:
            return name
        encoding = encoding.get("/BaseEncoding")
    if not isinstance(encoding, pikepdf.Name):
        return None
    names = _encoding_names(str(encoding))
    if names is None:
        return None
    return names[code] if code < len(names) and names[code] else ".notdef"


@check("6.2.11.5", "widths agree with the font program")
def _widths(ctx: _Context) -> None:
    for use, font, glyphs in _shown_glyphs(ctx):
        scale = 1000 / font["head"].unitsPerEm
        order, hmtx = font.getGlyphOrder(), font["hmtx"]
        widths = _Widths(use.font, ctx.budget.limits.array_items)
        for code, gid in sorted(glyphs.items()):
            width = widths.get(code)
            if gid >= len(order) or width is None or code not in use.visible:
                continue
            actual = hmtx[order[gid]][0] * scale
            if abs(width - actual) > 1:
                ctx.fail({2: "6.2.11.5", 1: "6.3.6"}, "preflight-width", font=shown(use.name), char=code,
                         declared=f"{width:g}", actual=f"{actual:g}")
                break


class _Widths:
    """The widths a font declares per code, looked up without expanding ranges (/W [0 300000000 1000])."""

    def __init__(self, font: pikepdf.Dictionary, max_items: int) -> None:
        self.single: dict[int, float] = {}
        self.ranges: list[tuple[int, int, float]] = []
        self.default: float | None = None
        if font.get("/Subtype") == Name.Type0:
            cid_font = _descendant(font)
            if cid_font is None:
                return
            self.default = float(cid_font.get("/DW", 1000))
            w = cid_font.get("/W")
            if isinstance(w, pikepdf.Array):
                if len(w) > max_items:
                    raise LimitExceeded("widths", f"{len(w)} > {max_items}")
                self._cid_widths(list(w), max_items)
        else:
            first = int(font.get("/FirstChar", 0))
            widths = font.get("/Widths")
            if isinstance(widths, pikepdf.Array):
                if len(widths) > max_items:
                    raise LimitExceeded("widths", f"{len(widths)} > {max_items}")
                self.single = {first + i: float(v) for i, v in enumerate(widths)}

    def _cid_widths(self, w: list[Any], max_items: int) -> None:
        i, items = 0, 0
        while i + 1 < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], pikepdf.Array):
                items += len(w[i + 1])
                if items > max_items:
                    raise LimitExceeded("widths", f"> {max_items}")
                self.single.update({first + k: float(v) for k, v in enumerate(w[i + 1])})
                i += 2
            elif i + 2 < len(w):
                self.ranges.append((first, int(w[i + 1]), float(w[i + 2])))
                i += 3
            else:
                break

    def get(self, code: int) -> float | None:
        if code in self.single:
            return self.single[code]
        for low, high, width in self.ranges:
            if low <= code <= high:
                return width
        return self.default


@check("6.2.11.6", "TrueType encodings and cmaps")
def _truetype_encoding(ctx: _Context) -> None:
    clause = {2: "6.2.11.6", 1: "6.3.7"}
    for use in ctx.font_uses():
        if use.font.get("/Subtype") != Name.TrueType:
            continue
        descriptor, _ = _program(use.font)
        font = _truetype(ctx, use)
        if descriptor is None or font is None:
            continue
        symbolic = int(descriptor.get("/Flags", 0)) & 4
        subtables = {(t.platformID, t.platEncID) for t in font["cmap"].tables}
        encoding = use.font.get("/Encoding")
        if symbolic:
            if encoding is not None:
                ctx.fail(clause, "preflight-symbolic-encoding", font=shown(use.name))
            if len(subtables) != 1 and (ctx.part == 1 or (3, 0) not in subtables):
                ctx.fail(clause, "preflight-symbolic-cmap", font=shown(use.name), tables=sorted(subtables))
            continue
        differences = None
        if isinstance(encoding, pikepdf.Dictionary):  # a Differences dictionary names its base
            differences = encoding.get("/Differences")
            encoding = encoding.get("/BaseEncoding")
        if encoding not in (Name.MacRomanEncoding, Name.WinAnsiEncoding):
            ctx.fail(clause, "preflight-nonsymbolic-encoding", font=shown(use.name))
        elif isinstance(differences, pikepdf.Array) and len(differences):
            if ctx.part == 1:
                ctx.fail(clause, "preflight-differences", font=shown(use.name))
            elif any(isinstance(n, pikepdf.Name) and _unicode_of_name(str(n)[1:]) is None for n in differences):
                ctx.fail(clause, "preflight-differences", font=shown(use.name))
        if ctx.part == 2 and not subtables - {(3, 0)}:
            ctx.fail(clause, "preflight-nonsymbolic-cmap", font=shown(use.name))


def _unicode_of_name(name: str) -> str | None:
    """The text a glyph name stands for by the Adobe Glyph List rules (uniXXXX, uXXXX[XX] included)."""
    try:
        value = agl.toUnicode(name)
    except (ValueError, KeyError):
        return None
    return value or None


@check("6.2.11.7", "Unicode mapping (level U and A)")
def _to_unicode(ctx: _Context) -> None:
    """Every code shown maps to Unicode, by ToUnicode or, for a simple font, by a glyph name of its
    standard encoding. Judged only where that is certain: Type 0 Identity fonts (no other mechanism) and
    simple fonts whose encoding names the code's glyph; a font relying on its program's built-in encoding
    is left to veraPDF."""
    if ctx.conformance not in ("U", "A") or (ctx.part == 1 and ctx.conformance != "A"):
        return
    clause = {2: "6.2.11.7.2", 1: "6.3.8"}
    for use in ctx.font_uses():
        cmap = _unicode_map(ctx, use)
        unmapped, bad = [], []
        for code in sorted(use.codes):
            value = cmap.get(code) if cmap is not None else None
            if value is None:  # an empty destination <> still maps (veraPDF accepts it)
                if _needs_to_unicode(ctx, use, code):
                    unmapped.append(code)
            elif any(c in value for c in "\x00\ufffe\ufeff"):
                bad.append(code)
        if unmapped and cmap is None and "/ToUnicode" not in use.font:
            ctx.fail(clause, "preflight-no-to-unicode", font=shown(use.name), codes=_list(unmapped))
        elif unmapped:
            ctx.fail(clause, "preflight-unmapped", font=shown(use.name), codes=_list(unmapped))
        if bad and ctx.part == 2:
            ctx.fail(clause, "preflight-bad-unicode", font=shown(use.name), codes=_list(bad))


def _unicode_map(ctx: _Context, use: _FontUse) -> ToUnicode | None:
    if not use.unicode_parsed:
        use.unicode_parsed = True
        stream = use.font.get("/ToUnicode")
        if isinstance(stream, pikepdf.Stream):
            use.to_unicode = parse_to_unicode(ctx.budget.read(stream, 8 * MiB), ctx.budget.limits.cmap_entries)
    return use.to_unicode


#: The glyph names of the standard encodings, by code (from the tables fontTools keeps).
def _encoding_names(name: str) -> list[str] | None:
    from fontTools.encodings import MacRoman, StandardEncoding
    tables = {"/MacRomanEncoding": MacRoman.MacRoman, "/StandardEncoding": StandardEncoding.StandardEncoding}
    if name == "/WinAnsiEncoding":
        return [_win_ansi_name(c) for c in range(256)]
    return tables.get(name)


def _win_ansi_name(code: int) -> str:
    try:
        char = bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return ".notdef"
    return agl.UV2AGL.get(ord(char), ".notdef") if code >= 32 else ".notdef"


def _needs_to_unicode(ctx: _Context, use: _FontUse, code: int) -> bool:
    """Whether nothing but a ToUnicode entry could map ``code`` — i.e. it is certainly unmapped without one."""
    font = use.font
    subtype = font.get("/Subtype")
    if subtype == Name.Type0:
        return _identity_type0(font)
    if subtype not in (Name.Type1, Name.TrueType, Name.MMType1):
        return False  # Type 3: names are the font's own; left to veraPDF
    name = _encoded_name(font, code)
    if name is None:
        if font.get("/Encoding") is None and subtype == Name.TrueType:
            return _symbolic_without_unicode_cmap(ctx, use)
        return False  # the program's built-in encoding decides: not judged here
    return _unicode_of_name(name) is None


def _symbolic_without_unicode_cmap(ctx: _Context, use: _FontUse) -> bool:
    """A symbolic TrueType font without an encoding has no glyph names; without a (3,1) Unicode cmap
    in its program nothing maps its codes to text (as veraPDF finds)."""
    descriptor, _ = _program(use.font)
    program = _truetype(ctx, use)
    if descriptor is None or program is None or not int(descriptor.get("/Flags", 0)) & 4:
        return False
    return not any((t.platformID, t.platEncID) == (3, 1) for t in program["cmap"].tables)


def _difference(differences: object, code: int) -> str | None:
    if not isinstance(differences, pikepdf.Array):
        return None
    current, found = 0, None
    for item in differences:
        if isinstance(item, (int, pikepdf.Object)) and not isinstance(item, pikepdf.Name):
            try:
                current = int(item)
            except (TypeError, ValueError):
                continue
        elif isinstance(item, pikepdf.Name):
            if current == code:
                found = str(item)[1:]
            current += 1
    return found


def _list(codes: list[int]) -> str:
    more = "…" if len(codes) > 8 else ""
    return ", ".join(str(c) for c in codes[:8]) + more


# ---- 6.5 actions ------------------------------------------------------------------------------

@check("6.5.1", "no forbidden actions or JavaScript")
def _actions(ctx: _Context) -> None:
    """Actions where a reader would run them: the OpenAction, outline items, link and widget annotations
    (each with its /Next chain). Only dictionaries in those places are actions; a /S elsewhere is not."""
    clause = {2: "6.5.1", 1: "6.6.1"}
    allowed = ALLOWED_ACTIONS[ctx.part]
    for action, where in _action_sites(ctx):
        kind = action.get("/S")
        if not isinstance(kind, pikepdf.Name):
            continue
        if str(kind) not in allowed:
            ctx.fail(clause, "preflight-action", where=where, action=str(kind))
        elif kind == Name.Named and str(action.get("/N")) not in NAMED_ACTIONS:
            ctx.fail(clause, "preflight-named-action", where=where, action=shown(action.get("/N")))


def _action_sites(ctx: _Context) -> Iterator[tuple[pikepdf.Dictionary, str]]:
    root = ctx.pdf.Root
    yield from _chain(root.get("/OpenAction"), text("preflight-where-open-action"))
    outlines = root.get("/Outlines")
    if isinstance(outlines, pikepdf.Dictionary):
        for item in _outline_items(outlines, ctx):
            yield from _chain(item.get("/A"), text("preflight-where-outline"))
    for number, page in enumerate(ctx.pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, pikepdf.Array) else []:
            if isinstance(annot, pikepdf.Dictionary):
                yield from _chain(annot.get("/A"), text("preflight-where-annotation", page=number))


def _chain(action: object, where: str) -> Iterator[tuple[pikepdf.Dictionary, str]]:
    stack, seen = [action], set()
    while stack and len(seen) < 10_000:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if not isinstance(item, pikepdf.Dictionary):
            continue
        key = item.objgen if item.is_indirect else (id(item), -1)
        if key in seen:
            continue
        seen.add(key)
        yield item, where
        stack.append(item.get("/Next"))


def _outline_items(outlines: pikepdf.Dictionary, ctx: _Context) -> Iterator[pikepdf.Dictionary]:
    stack, seen = [outlines.get("/First")], set()
    while stack and len(seen) < 1_000_000:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        ctx.budget.tick() if len(seen) % 4096 == 0 else None
        yield item
        stack += [item.get("/Next"), item.get("/First")]


@check("6.5.2", "no additional actions")
def _additional_actions(ctx: _Context) -> None:
    if "/AA" in ctx.pdf.Root:
        ctx.fail({2: "6.5.2", 1: "6.6.2"}, "preflight-catalog-aa")
    if ctx.part == 2:
        for number, page in enumerate(ctx.pdf.pages, start=1):
            if "/AA" in page.obj:
                ctx.fail("6.5.2", "preflight-page-aa", page=number)


# ---- 6.6 metadata -----------------------------------------------------------------------------

def _xmp(pdf: pikepdf.Pdf, budget: Budget) -> tuple[ET.Element | None, str | None]:
    """The catalog's XMP parsed (bounded), and why it could not be, if so."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None, None
    try:
        data = budget.read(stream, 8 * MiB)
        return ET.fromstring(data), None
    except LimitExceeded as exc:
        return None, exc.detail
    except (ET.ParseError, ValueError, pikepdf.PdfError) as exc:
        return None, str(exc)


def _xmp_value(xmp: ET.Element | None, prefix: str, name: str) -> str | None:
    """A simple or first-item XMP property, written as an element or as an attribute."""
    if xmp is None:
        return None
    tag = f"{{{NS[prefix]}}}{name}"
    for description in xmp.iter(f"{{{NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            items = element.findall(".//rdf:li", NS)
            default = [i for i in items if i.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"]
            item = (default or items or [None])[0]
            return (item.text if item is not None else element.text) or ""
    return None


def _identification(xmp: ET.Element | None) -> tuple[str | None, str]:
    part = _xmp_value(xmp, "pdfaid", "part")
    conformance = _xmp_value(xmp, "pdfaid", "conformance") or ""
    return (part.strip() if part is not None else None), conformance.strip()


def _claim(xmp: ET.Element | None) -> str:
    part, conformance = _identification(xmp)
    if part is None:
        return "none"
    return f"PDF/A-{shown(part, 8)}{shown(conformance, 4).lower()}"


@check("6.6.2.1", "metadata stream")
def _metadata_stream(ctx: _Context) -> None:
    stream = ctx.pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        ctx.fail({2: "6.6.2.1", 1: "6.7.2"}, "preflight-no-metadata")
        return
    if ctx.part == 1 and (stream.get("/Type") != Name.Metadata or stream.get("/Subtype") != Name.XML):
        ctx.fail({1: "6.7.2"}, "preflight-metadata-type")
    if ctx.part == 1 and "/Filter" in stream.stream_dict:
        ctx.fail({1: "6.7.2"}, "preflight-metadata-filter")
    if ctx.xmp is None:
        ctx.fail({2: "6.6.2.1", 1: "6.7.9"}, "preflight-metadata-not-xml", reason=shown(ctx.xmp_error or "", 120))
        return
    data = ctx.budget.read(stream, 8 * MiB)
    if re.search(rb"<\?xpacket[^>]*\b(bytes|encoding)=", data[:4096]):
        ctx.fail({2: "6.6.2.1", 1: "6.7.5"}, "preflight-xpacket-attribute")
    if ctx.part == 2:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            ctx.fail("6.6.2.1", "preflight-metadata-encoding")


@check("6.6.4", "PDF/A identification")
def _version(ctx: _Context) -> None:
    clause = {2: "6.6.4", 1: "6.7.11"}
    if ctx.xmp is None:
        return  # no readable XMP: 6.6.2.1 says so; veraPDF has no identification to judge either
    part, conformance = _identification(ctx.xmp)
    if part is None:
        ctx.fail(clause, "preflight-no-identification")
        return
    if part != str(ctx.part):
        ctx.fail(clause, "preflight-part", part=shown(part, 8), wanted=ctx.part)
        return
    allowed = LEVELS[ctx.profile][1]
    if conformance not in allowed:
        ctx.fail(clause, "preflight-conformance", conformance=shown(conformance or "—", 8), allowed=", ".join(allowed))


#: Info entries and the XMP properties that must say the same (ISO 19005-1 6.7.3; part 2 does not ask it).
INFO_XMP = {
    "/Title": ("dc", "title"), "/Author": ("dc", "creator"), "/Subject": ("dc", "description"),
    "/Keywords": ("pdf", "Keywords"), "/Creator": ("xmp", "CreatorTool"), "/Producer": ("pdf", "Producer"),
    "/CreationDate": ("xmp", "CreateDate"), "/ModDate": ("xmp", "ModifyDate"),
}


@check("6.7.3", "Info dictionary agrees with XMP (part 1)")
def _info_agrees(ctx: _Context) -> None:
    if ctx.part != 1:
        return
    info = ctx.pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary):
        return
    for key, (prefix, prop) in INFO_XMP.items():
        if key not in info:
            continue
        value, xmp = str(info[key]), _xmp_value(ctx.xmp, prefix, prop)
        same = _same_instant(value, xmp) if key.endswith("Date") else value == xmp
        if not same:
            ctx.fail({1: "6.7.3"}, "preflight-info-xmp", key=key, value=shown(value, 60), prop=f"{prefix}:{prop}",
                     xmp=shown(xmp, 60))


def _same_instant(pdf_date: str, xmp_date: str | None) -> bool:
    """The same instant; where either side gives no time zone, the same wall-clock time (a reader
    cannot tell them apart, and veraPDF does not)."""
    try:
        if xmp_date is None:
            return False
        info, xmp = parse_pdf_date(pdf_date), dt.datetime.fromisoformat(xmp_date)
    except ValueError:
        return False
    zoned = xmp.tzinfo is not None and re.search(r"[-+Z]", pdf_date[16:]) is not None
    return info == xmp if zoned else info.replace(tzinfo=None) == xmp.replace(tzinfo=None)


def parse_pdf_date(value: str) -> dt.datetime:
    """D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1 7.9.4) as an aware datetime."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([-+Z])(\d\d)?'?(\d\d)?'?)?", value)
    if not m:
        raise ValueError(f"not a PDF date: {value!r}")
    y, mo, d, h, mi, s = (int(g) if g else default for g, default in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    sign, oh, om = m.group(7), int(m.group(8) or 0), int(m.group(9) or 0)
    offset = dt.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone(offset))
