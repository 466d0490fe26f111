"""Event dates as the contract writes them (``2019``, ``2019-05``, ``2019-05-30``) turned into
the first and last day they cover, so that dates of different precision can be compared."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

DaySpan = tuple[dt.date, dt.date]


def date_span(value: str | None) -> DaySpan | None:
    """``"2019-05"`` -> (2019-05-01, 2019-05-31); ``None`` for no date or one we cannot read."""
    if not value:
        return None
    match = _ISO_PARTIAL.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        day_date = dt.date(year, month, day)
    except ValueError:  # month 13, February 30th: not a date
        return None
    return day_date, day_date


def gap_days(a: DaySpan, b: DaySpan) -> int:
    """Days between two spans; 0 where they overlap or touch."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)
