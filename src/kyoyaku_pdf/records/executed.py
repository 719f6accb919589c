"""The executed original, filed beside the generated PDF/A: what was actually sealed or signed.

The generated PDF/A is a faithful rendering of the data, but the legal document is the copy that was
sealed (then scanned) or signed electronically. ``archive --executed FILE`` files that copy byte for
byte under ``executed/``, hashed in the manifest like every other file:

- a PDF (an electronically signed original, or a scan saved as PDF) is filed as it is — re-saving a
  signed PDF would break its signatures. When it carries signatures they are verified on filing
  (see ``signature_check``) and a broken one refuses the filing.
- scanned pages as PNG, JPEG or TIFF images (several files are pages in the order given; a TIFF may
  hold several pages) are filed as they are, and also turned into one PDF/A-2b file with img2pdf
  (lossless: the image data is embedded unchanged) so that they stay viewable for decades.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .. import __version__
from ..messages import shown, text
from ..pdf.metadata import DocumentMetadata
from ..pdf.pdfa import LEVELS, make_pdfa
from .archive import ArchiveRefused
from .safe_files import os_reason

#: the executed original is a few pages; anything larger is not what the clerk meant to file
MAX_BYTES = 200 << 20
IMAGE_KINDS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"II*\x00": "tiff", b"MM\x00*": "tiff"}
FOLDER = "executed"
SCAN_LEVEL = LEVELS["2b"]


@dataclass(frozen=True)
class ExecutedFile:
    """One file to store under executed/: its name there, its bytes and its manifest role."""

    name: str
    data: bytes
    role: str  # "executed-original" (as given) or "executed-pdfa" (the scan made PDF/A-2b)


def signature_check(path: Path) -> bool | None:
    """HOOK for signature verification on filing: True intact, False broken, None not checked.

    Plugged in from ``records/signing.py`` (``verify_signatures(path) -> report`` with ``.intact``)
    once that module is merged; until then signed PDFs are filed with "signatures: not verified" in
    the manifest. Tests may replace this function."""
    try:
        from .signing import verify_signatures  # type: ignore[import-not-found]
    except ImportError:
        return None
    return bool(verify_signatures(path).intact)


def executed_files(paths: tuple[Path, ...], agreement_id: str, meta: DocumentMetadata,
                   check: Callable[[Path], bool | None] | None = None) -> tuple[list[ExecutedFile], dict[str, object]]:
    """Read and check the executed original; returns the files to store and the manifest's
    ``executed`` entry (what kind it is, and whether its signatures were verified)."""
    originals = [(path, _read(path)) for path in paths]
    names = [_safe_name(path) for path, _ in originals]
    if len(set(names)) != len(names):
        raise ArchiveRefused(text("archive-executed-same-name"))
    kinds = [_kind(path, data) for path, data in originals]
    files = [ExecutedFile(f"{FOLDER}/{name}", data, "executed-original") for name, (_, data) in zip(names, originals)]
    if kinds == ["pdf"]:
        signed = _has_signatures(originals[0][1])
        verdict = (check or signature_check)(paths[0]) if signed else None
        if verdict is False:
            raise ArchiveRefused(text("archive-executed-signature-broken", path=shown(paths[0])))
        signatures = "none" if not signed else "verified" if verdict else "not verified"
        return files, {"kind": "pdf", "signatures": signatures}
    if "pdf" in kinds:
        raise ArchiveRefused(text("archive-executed-mixed"))
    scan = _scan_to_pdfa([data for _, data in originals], meta, paths)
    files.append(ExecutedFile(f"{FOLDER}/{agreement_id}-executed-pdfa-2b.pdf", scan, "executed-pdfa"))
    return files, {"kind": "scanned images", "pages_from": names, "pdfa_level": SCAN_LEVEL.label}


def _read(path: Path) -> bytes:
    """The file's bytes, at most MAX_BYTES, and only from a regular file (never a FIFO or device)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ArchiveRefused(text("archive-executed-not-file", path=shown(path)))
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ArchiveRefused(text("archive-executed-unreadable", path=shown(path), reason=os_reason(exc))) from None
    if len(data) > MAX_BYTES:
        raise ArchiveRefused(text("archive-executed-too-large", path=shown(path), limit=MAX_BYTES >> 20))
    return data


def _safe_name(path: Path) -> str:
    """The name it is filed under: its own file name, if that is a plain one."""
    name = path.name
    if not name or name.startswith((".", "-")) or any(c in name for c in "/\\\x00") or len(name) > 128 \
            or not name.isprintable():
        raise ArchiveRefused(text("archive-executed-bad-name", path=shown(path)))
    return name


def _kind(path: Path, data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    kind = next((k for magic, k in IMAGE_KINDS.items() if data.startswith(magic)), None)
    if kind is None:
        raise ArchiveRefused(text("archive-executed-unknown-kind", path=shown(path)))
    return kind


def _has_signatures(data: bytes) -> bool:
    """Whether the PDF has a filled signature field (an unsigned scan has none)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            form = pdf.Root.get("/AcroForm")
            fields = list(form.get("/Fields", [])) if form is not None else []
            return any(f.get("/FT") == pikepdf.Name.Sig and "/V" in f for f in _all_fields(fields))
    except pikepdf.PasswordError:
        raise ArchiveRefused(text("archive-executed-encrypted")) from None
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError) as exc:
        raise ArchiveRefused(text("archive-executed-bad-pdf", reason=shown(exc))) from None


def _all_fields(fields: list, depth: int = 0) -> list:
    found = []
    for field in fields:
        found.append(field)
        if depth < 16 and "/Kids" in field:
            found += _all_fields(list(field.Kids), depth + 1)
    return found


def _scan_to_pdfa(images: list[bytes], meta: DocumentMetadata, paths: tuple[Path, ...]) -> bytes:
    """The scanned pages as one PDF/A-2b: img2pdf embeds each image losslessly (no re-encoding), then
    the same post-pass as every archive file adds the XMP, the sRGB output intent and the /ID."""
    import img2pdf
    from PIL import Image

    for path, data in zip(paths, images):
        _check_colour(path, data, Image)
    quiet = logging.getLogger("img2pdf")
    level, quiet.level = quiet.level, logging.ERROR  # its notices are English and for developers
    try:
        pdf = img2pdf.convert(images, nodate=True, engine=img2pdf.Engine.pikepdf)
    except (img2pdf.ImageOpenError, img2pdf.AlphaChannelError, ValueError, OSError) as exc:
        raise ArchiveRefused(text("archive-executed-image-refused", reason=shown(exc))) from None
    finally:
        quiet.level = level
    scan_meta = replace(meta, subject=text("archive-executed-scan-subject", subject=meta.subject),
                        producer=f"kyoyaku-pdf {__version__} (img2pdf)")
    return make_pdfa(pdf, scan_meta, SCAN_LEVEL)


def _check_colour(path: Path, data: bytes, image_module: object) -> None:
    """Only grey and RGB pages: the archive's output intent is sRGB, and PDF/A forbids device colour
    the intent does not cover (ISO 19005-2 6.2.4.3) — a CMYK scan must be saved as RGB first."""
    try:
        with image_module.open(io.BytesIO(data)) as image:  # type: ignore[attr-defined]
            modes = set()
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                modes.add(f"{image.mode}+transparency" if "transparency" in image.info else image.mode)
    except Exception as exc:  # Pillow raises many kinds for a damaged image
        raise ArchiveRefused(text("archive-executed-image-refused", reason=shown(f"{path.name}: {exc}"))) from None
    bad = modes - {"1", "L", "RGB", "P", "I;16", "I;16B"}  # no CMYK, and no transparency in a scan
    if bad:
        raise ArchiveRefused(text("archive-executed-image-colour", path=shown(path), mode=", ".join(sorted(bad))))
