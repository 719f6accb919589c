"""Reading a date a clerk typed as text: the ISO form, or what to type instead.

The format's dates are ISO (``2025-03-24``); YAML reads that unquoted as a date. Written as text it is
one of: the same ISO date in quotes (accepted: the published schema's ``format: date`` says so), a date
that does not exist (``2025-02-30``: said in words), or a date in another form a clerk is used to —
和暦 ``令和7年3月24日``, ``2025/3/24``, ``2025年3月24日`` — answered with the ISO form to type.

A 和暦 is turned back into the calendar by asking ``text.japanese.wareki`` (the one home of the era
rules) which year writes it so, instead of keeping a second table of eras here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..messages import shown, text
from ..text.japanese import EARLIEST_DATE, wareki

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WAREKI = re.compile(r"(令和|平成|昭和|大正|明治)\s*(元|\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WESTERN = re.compile(r"(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?")
#: The last year a 和暦 is looked for (an era year beyond this is a typo, not a date).
_LAST_YEAR = 2200


@dataclass(frozen=True)
class DateReading:
    """The date read, or the message code (and its values) saying why it is not one."""

    date: dt.date | None = None
    code: str = ""
    values: dict[str, object] = field(default_factory=dict)


def read_date(typed: str) -> DateReading:
    """What ``typed`` (a text where a date is wanted) means."""
    plain = unicodedata.normalize("NFKC", typed).strip()  # full-width digits as a clerk may type them
    shown_typed = shown(typed, 40)
    if match := _WAREKI.fullmatch(plain):
        return _from_wareki(match, shown_typed)
    match = _ISO.fullmatch(plain) or _WESTERN.fullmatch(plain)
    if not match:
        return DateReading(code="date-not-a-date", values={"typed": shown_typed})
    day = _calendar_date(*map(int, match.groups()))
    if isinstance(day, str):
        return DateReading(code="date-impossible", values={"typed": shown_typed, "why": day})
    if typed == day.isoformat():  # exactly the ISO form, quoted
        return DateReading(day)
    return DateReading(code="date-other-form", values={"typed": shown_typed, "iso": day.isoformat()})


def _calendar_date(year: int, month: int, day: int) -> dt.date | str:
    """The date, or in words why there is none (month 13, 2月30日)."""
    if not 1 <= month <= 12:
        return text("date-why-month", month=month)
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return text("date-why-day", year=year, month=month, last=last)
    if year < 1:
        return text("date-why-year")
    return dt.date(year, month, day)


def _from_wareki(match: re.Match[str], shown_typed: str) -> DateReading:
    era, year_text, month, day = match.group(1), match.group(2), int(match.group(3)), int(match.group(4))
    era_year = f"{era}{'元' if year_text in ('1', '元') else int(year_text)}年"
    year = next((y for y in range(EARLIEST_DATE.year, _LAST_YEAR + 1)
                 if any(wareki(dt.date(y, m, d)).startswith(era_year) for m, d in ((1, 1), (12, 31)))), None)
    if year is None:
        return DateReading(code="date-wareki-unknown", values={"typed": shown_typed})
    candidate = _calendar_date(year, month, day)
    if isinstance(candidate, str):
        return DateReading(code="date-impossible", values={"typed": shown_typed, "why": candidate})
    if candidate < EARLIEST_DATE or not wareki(candidate).startswith(era_year):
        return DateReading(code="date-wareki-unknown", values={"typed": shown_typed})
    return DateReading(code="date-wareki", values={"typed": shown_typed, "iso": candidate.isoformat()})
