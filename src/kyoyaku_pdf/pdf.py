"""Turning the laid-out story into PDF bytes: fonts, metadata, determinism, atomic writing.

Determinism: ReportLab's invariant mode fixes the file ID and object order; the dates in the Info
dictionary are the agreement's own date (or SOURCE_DATE_EPOCH when set), never the clock, so the
same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas

from .fonts import MINCHO, glyph_outline, register
from .layout.document import AgreementDocTemplate, LayoutInputs, signing_story
from .layout.theme import Theme
from .metadata import agreement_metadata
from .model import Agreement

@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_signing_pdf(agreement: Agreement, copies: int | None = None) -> RenderedPdf:
    """The signing PDF with ``copies`` copies (default: as many as the agreement says)."""
    font = register(MINCHO)
    guide = glyph_outline("印") if agreement.print.seal_guide else None
    inputs = LayoutInputs(Theme(font=font), guide)
    meta = agreement_metadata(agreement)
    buffer = io.BytesIO()
    doc = AgreementDocTemplate(
        buffer,
        inputs.theme,
        invariant=1,
        initialFontName=font,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=meta.creator,
        producer=meta.producer,
        lang=meta.lang,
    )
    stamp = _timestamp(meta.created)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        canvas._doc._timeStamp = stamp  # the document's date, not the clock
        return canvas

    doc.build(signing_story(agreement, inputs, copies or agreement.copies), canvasmaker=make_canvas)
    return RenderedPdf(buffer.getvalue(), doc.page)


def _timestamp(moment: dt.datetime) -> TimeStamp:
    """ReportLab's timestamp object, set to ``moment`` instead of the clock."""
    stamp = TimeStamp(invariant=1)
    offset = moment.utcoffset() or dt.timedelta(0)
    stamp.t = moment.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(moment.timetuple())[:6]
    stamp.dhh, stamp.dmm = divmod(int(offset.total_seconds()) // 60, 60)
    stamp.tzname = moment.tzname() or "UTC"
    return stamp


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: a failed or killed run never leaves a
    half-written PDF and never destroys the last good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a PDF is an ordinary file
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
