"""pdf.render: which documents carry page numbers 「- N -」 (read back with pdfminer)."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from datafiles import AGREEMENT, DATA
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTContainer, LTTextLine

from kyoyaku_pdf.input.loading import load_agreement
from kyoyaku_pdf.pdf.render import render_notice_pdf
from kyoyaku_pdf.text.notice import todokede

MM = 72 / 25.4


def foot_numbers(data: bytes) -> list[str | None]:
    """Per page, the 「- N -」 standing below the 25 mm bottom margin, or None."""
    def flat(container):  # type: ignore[no-untyped-def]
        for item in container:
            yield item
            if isinstance(item, LTContainer):
                yield from flat(item)

    out = []
    for page in extract_pages(io.BytesIO(data)):
        foot = [o.get_text().strip() for o in flat(page) if isinstance(o, LTTextLine) and o.y1 < 25 * MM]
        out.append(next((t for t in foot if re.fullmatch(r"- \d+ -", t)), None))
    return out


def test_a_notification_is_numbered_only_when_it_runs_over_a_page() -> None:
    agreement = load_agreement(DATA / AGREEMENT).agreement
    assert foot_numbers(render_notice_pdf(todokede(agreement, "乙"), agreement)) == [None]
    # a title long enough to carry the 届出 over its page
    long = replace(agreement, heading=agreement.heading * 60)
    numbers = foot_numbers(render_notice_pdf(todokede(long, "乙"), long))
    assert len(numbers) > 1 and numbers == [f"- {n} -" for n in range(1, len(numbers) + 1)]
