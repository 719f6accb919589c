"""Reading any PDF's streams and content within fixed bounds, for the built-in preflight.

Why not just pikepdf's ``read_bytes()`` and ``parse_content_stream()``: a 1 MB file can hold a stream that
inflates to gigabytes, and a content stream of millions of operators becomes millions of Python objects.
A records officer checks files of any origin, so here every stream is first decoded incrementally
(FlateDecode with ``zlib.decompressobj(max_length)``, the ASCII and RunLength filters chunk by chunk)
against a size limit and a deadline, and content streams are tokenised one operator at a time keeping
only the operands of that operator. Anything over a limit raises ``LimitExceeded``, which the preflight
reports; nothing here ever holds more than the limit.
"""

from __future__ import annotations

import bisect
import re
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pikepdf

MiB = 1 << 20
CHUNK = 1 << 16


class LimitExceeded(Exception):
    """A bound of the preflight was reached; ``what`` says which (stream, total, time, …)."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(what, detail)
        self.what = what
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    """The bounds the built-in preflight keeps whatever the file (each one reported when reached)."""

    file_bytes: int = 512 * MiB  # a larger file is not checked (exit 2)
    stream_bytes: int = 32 * MiB  # decoded size of one stream that is read (content, font, CMap, XMP)
    total_bytes: int = 512 * MiB  # decoded bytes over the whole file
    objects: int = 1_000_000  # indirect objects (trailer /Size)
    array_items: int = 1_000_000  # items of a /W or /Widths array
    cmap_entries: int = 200_000  # lines of a ToUnicode CMap
    operators: int = 20_000_000  # content-stream operators over the whole file
    seconds: float = 45.0  # the whole preflight of one file
    memory_bytes: int = 768 * MiB  # growth of the checking process's address space


@dataclass
class Budget:
    """The limits in force for one file and what has been spent of them."""

    limits: Limits = field(default_factory=Limits)
    deadline: float = 0.0
    decoded: int = 0
    operators: int = 0

    def __post_init__(self) -> None:
        if not self.deadline:
            self.deadline = time.monotonic() + self.limits.seconds

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded("time", f"{self.limits.seconds:g} s")

    def spend(self, size: int, obj: str) -> None:
        self.decoded += size
        if self.decoded > self.limits.total_bytes:
            raise LimitExceeded("total", f"{self.limits.total_bytes // MiB} MiB")
        self.tick()

    def read(self, stream: pikepdf.Stream, limit: int | None = None) -> bytes:
        """The decoded data of ``stream``, or LimitExceeded if it would exceed ``limit`` bytes."""
        limit = limit or self.limits.stream_bytes
        data = bytearray()
        for chunk in self._decode(stream):
            data += chunk
            if len(data) > limit:
                raise LimitExceeded("stream", f"{_name(stream)} > {limit // MiB} MiB")
            self.spend(len(chunk), _name(stream))
        if _has_predictor(stream):  # rare in the streams read here; the size is known to be bounded now
            return bytes(stream.read_bytes())
        return bytes(data)

    def head(self, stream: pikepdf.Stream, size: int) -> bytes:
        """The first ``size`` decoded bytes of ``stream`` (an ICC header), decoding no more than needed."""
        data = bytearray()
        for chunk in self._decode(stream):
            data += chunk
            self.spend(len(chunk), _name(stream))
            if len(data) >= size:
                break
        return bytes(data[:size])

    def _decode(self, stream: pikepdf.Stream) -> Iterator[bytes]:
        chunks: Iterable[bytes] = _chunks(stream.read_raw_bytes())
        for name in filters(stream):
            decoder = DECODERS.get(name)
            if decoder is None:
                raise LimitExceeded("filter", f"{_name(stream)} {name}")
            chunks = decoder(chunks)
        yield from chunks


def filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.stream_dict.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _has_predictor(stream: pikepdf.Stream) -> bool:
    parms = stream.stream_dict.get("/DecodeParms")
    items = list(parms) if isinstance(parms, pikepdf.Array) else [parms]
    return any(isinstance(p, pikepdf.Dictionary) and int(p.get("/Predictor", 1)) > 1 for p in items)


def _name(stream: pikepdf.Object) -> str:
    return f"object {stream.objgen[0]} {stream.objgen[1]}" if stream.is_indirect else "a direct stream"


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start:start + CHUNK]


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """FlateDecode, CHUNK bytes at a time whatever the ratio; damaged data ends the stream (as qpdf does)."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            while chunk:
                out = inflater.decompress(chunk, CHUNK)
                if out:
                    yield out
                if inflater.eof:
                    return
                chunk = inflater.unconsumed_tail
        while not inflater.eof:
            out = inflater.decompress(b"", CHUNK)
            if not out:
                return
            yield out
    except zlib.error:
        return


def _hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        end = chunk.find(b">")
        digits = carry + re.sub(rb"[^0-9A-Fa-f]", b"", chunk if end < 0 else chunk[:end])
        even = len(digits) - len(digits) % 2
        yield bytes.fromhex(digits[:even].decode())
        carry = digits[even:]
        if end >= 0:
            break
    if carry:
        yield bytes.fromhex((carry + b"0").decode())


def _ascii85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """ASCII85Decode in groups of five ('z' for four zeros), so the output is at most 4× each chunk."""
    carry = b""
    for chunk in chunks:
        end = chunk.find(b"~>")
        body = carry + re.sub(rb"\s", b"", chunk if end < 0 else chunk[:end])
        out, group = bytearray(), []
        for byte in body:
            if byte == 0x7A and not group:
                out += b"\0\0\0\0"
                continue
            if not 0x21 <= byte <= 0x75:
                continue
            group.append(byte - 33)
            if len(group) == 5:
                value = 0
                for digit in group:
                    value = value * 85 + digit
                out += (value & 0xFFFFFFFF).to_bytes(4, "big")
                group = []
        carry = bytes(d + 33 for d in group)
        yield bytes(out)
        if end >= 0:
            break
    if len(carry) > 1:
        padded = [c - 33 for c in carry] + [84] * (5 - len(carry))
        value = 0
        for digit in padded:
            value = value * 85 + digit
        yield (value & 0xFFFFFFFF).to_bytes(4, "big")[:len(carry) - 1]


def _run_length(chunks: Iterable[bytes]) -> Iterator[bytes]:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        out, i = bytearray(), 0
        while i < len(data):
            length = data[i]
            if length == 128:
                return
            need = length + 2 if length < 128 else 2
            if i + need > len(data):
                break
            out += data[i + 1:i + need] if length < 128 else bytes([data[i + 1]]) * (257 - length)
            i += need
        del data[:i]
        yield bytes(out)


DECODERS = {"/FlateDecode": _inflate, "/Fl": _inflate, "/ASCIIHexDecode": _hex, "/AHx": _hex,
            "/ASCII85Decode": _ascii85, "/A85": _ascii85, "/RunLengthDecode": _run_length, "/RL": _run_length}


# ---- content streams ---------------------------------------------------------------------------

_DELIM = r"\x00\t\n\x0c\r ()<>\[\]{}/%"
#: One token of a content stream, decoded as Latin-1 so that each token is a str slice (fast). Literal
#: strings nest parentheses two levels deep here; a deeper one is cut short, which only affects its text.
_TOKEN = re.compile(
    rf"""(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*  # white space and comments: part of the next token
       (?:(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?![^{_DELIM}])
       |(?P<name>/[^{_DELIM}]*)
       |(?P<str>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)?)
       |(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
       |(?P<open><<|\[|\{{)
       |(?P<close>>>|\]|\}})
       |(?P<op>[^{_DELIM}]+)
       |(?P<bad>.))""", re.X | re.S)
_ESCAPE = re.compile(r"\\([0-7]{1,3}|\r\n|[\r\n]|.)", re.S)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "\r\n": "", "\r": "", "\n": ""}
_KEYWORDS = {"true": True, "false": False, "null": None}
MAX_OPERANDS = 64
MAX_NESTING = 32


def operations(data: bytes, budget: Budget, wanted: frozenset[str] | None = None) -> Iterator[tuple[str, list[object]]]:
    """(operator, operands) of a content stream, one at a time. Operands: numbers and names as str
    (names with their slash), strings as bytes, arrays as lists, dictionaries (inline-image parameters)
    as dicts, true/false/null as Python values. At most MAX_OPERANDS are kept per operator and arrays
    nest MAX_NESTING deep, so memory stays bounded whatever the stream. ``wanted``: yield only these
    operators (the others still end their operands), which is much faster on long streams."""
    content = data.decode("latin-1")
    stack: list[list[object]] = [[]]
    pos, count, limit = 0, 0, budget.limits.operators
    while pos < len(content):
        restart = None
        for match in _TOKEN.finditer(content, pos):
            kind = match.lastgroup
            if kind is None or kind == "bad":
                continue
            token = match.group(kind)
            if kind == "num" or kind == "name":
                _push(stack, token)
            elif kind == "str":
                _push(stack, _unescape(token[1:-1] if token.endswith(")") else token[1:]))
            elif kind == "hex":
                digits = re.sub(r"[^0-9A-Fa-f]", "", token)
                _push(stack, bytes.fromhex(digits + "0" * (len(digits) % 2)))
            elif kind == "open":
                if len(stack) < MAX_NESTING:
                    stack.append([])
            elif kind == "close":
                if len(stack) > 1:
                    inner = stack.pop()
                    _push(stack, _dict(inner) if token == ">>" else inner)
            elif token in _KEYWORDS:
                _push(stack, _KEYWORDS[token])
            else:
                count += 1
                if count % 4096 == 0:
                    budget.operators += 4096
                    if budget.operators > limit:
                        raise LimitExceeded("operators", f"{limit}")
                    budget.tick()
                if token == "BI":
                    parameters, restart = _inline_image(content, match.end())
                    stack = [[]]
                    yield "BI", [parameters]
                    break
                if wanted is None or token in wanted:
                    operands, stack = stack[0], [[]]
                    yield token, operands
                else:
                    stack = [[]]
        if restart is None:
            break
        pos = restart


def number(value: object, default: float = 0.0) -> float:
    """An operand as a number (they are kept as text until a check needs one)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _push(stack: list[list[object]], value: object) -> None:
    """Keep the last MAX_OPERANDS operands of an operator and the first 65536 items of an array."""
    top = stack[-1]
    if len(stack) == 1:
        if len(top) >= MAX_OPERANDS:
            del top[0]
        top.append(value)
    elif len(top) < 1 << 16:
        top.append(value)


def _dict(items: list[object]) -> dict[str, object]:
    return {str(k): v for k, v in zip(items[::2], items[1::2]) if isinstance(k, str)}


def _unescape(body: str) -> bytes:
    """A literal string's bytes (ISO 32000-1 7.3.4.2 escapes)."""
    if "\\" not in body:
        return body.encode("latin-1")

    def one(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped[0] in "01234567":
            return chr(int(escaped, 8) & 0xFF)
        return _ESCAPES.get(escaped, escaped)

    return _ESCAPE.sub(one, body).encode("latin-1")


def _inline_image(content: str, pos: int) -> tuple[dict[str, object], int]:
    """The parameters of an inline image (BI … ID) and the position after its EI."""
    start = content.find("ID", pos)
    if start < 0:
        return {}, len(content)
    items: list[object] = []
    for _, operands in operations((content[pos:start] + " ID").encode("latin-1"), Budget(Limits(seconds=3600))):
        items += operands
    end = re.compile(r"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)").search(content, start + 3)
    return _dict(items), (end.end() if end else len(content))


# ---- ToUnicode CMaps ---------------------------------------------------------------------------

@dataclass
class ToUnicode:
    """A ToUnicode CMap kept as its entries, looked up per code: a range like <00> <FFFFFFFF> costs
    nothing until a code in it is asked for."""

    single: dict[int, str] = field(default_factory=dict)
    ranges: list[tuple[int, int, str | list[str]]] = field(default_factory=list)
    _lows: list[int] | None = None

    def get(self, code: int) -> str | None:
        if code in self.single:
            return self.single[code]
        if self._lows is None:
            self.ranges.sort(key=lambda r: r[0])
            self._lows = [r[0] for r in self.ranges]
        at = bisect.bisect_right(self._lows, code)
        for low, high, target in reversed(self.ranges[max(0, at - 16):at]):  # the nearest ranges below
            if low <= code <= high:
                if isinstance(target, list):
                    return target[code - low] if code - low < len(target) else None
                return _increment(target, code - low)
        return None

    def as_dict(self, limit: int = 1 << 16) -> dict[int, str]:
        """Every mapping (ranges expanded up to ``limit`` codes each): for tests and small maps."""
        out: dict[int, str] = {}
        for low, high, _ in self.ranges:
            for code in range(low, min(high, low + limit - 1) + 1):
                value = self.get(code)
                if value is not None:
                    out[code] = value
        out.update(self.single)
        return out


def _increment(hex_target: str, offset: int) -> str:
    """The destination's last byte increments; its width (and leading zeros) stay."""
    digits = hex_target or "0000"
    return _utf16(f"{int(digits, 16) + offset:0{len(digits)}X}")


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace") if hex_text else ""


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f\s]*>)")


def parse_to_unicode(data: bytes, max_entries: int = 200_000) -> ToUnicode:
    """The code → text entries of a ToUnicode CMap (bfchar and bfrange sections)."""
    cmap, entries = ToUnicode(), 0

    def counted() -> None:
        nonlocal entries
        entries += 1
        if entries > max_entries:
            raise LimitExceeded("cmap", f"{max_entries} entries")

    for block in _BFCHAR.findall(data):
        for src, dst in _PAIR.findall(block):
            counted()
            cmap.single[_int(src)] = _utf16(_clean(dst))
    for block in _BFRANGE.findall(data):
        for low, high, rest in _RANGE.findall(block):
            counted()
            if rest.startswith(b"["):
                targets = [_utf16(_clean(d)) for d in re.findall(rb"<([0-9A-Fa-f\s]*)>", rest)]
                cmap.ranges.append((_int(low), _int(high), targets))
            else:
                cmap.ranges.append((_int(low), _int(high), _clean(rest[1:-1])))
    return cmap


def _clean(hex_bytes: bytes) -> str:
    return re.sub(rb"\s", b"", hex_bytes).decode()


def _int(hex_bytes: bytes) -> int:
    return int(_clean(hex_bytes) or "0", 16)
