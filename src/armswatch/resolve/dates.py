"""Dates in text, resolved against the document's published date to the precision the text
supports: "May 30, 2019" → 2019-05-30, "in May" → 2019-05, "last year" → 2018,
"on Tuesday" → the Tuesday on or before publication.

Works on plain token lists (lowercased words), so any tokenizer's output can be resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_YEAR_LEADS = {"in", "since", "by", "from", "of", "until", "till", "during", "early", "late", "mid", "before", "after",
               "between", "and", "year", "fiscal", "fy", "around", "through", "to"}  # fmt: skip
_STRONG_YEAR_LEADS = {"in", "since", "until", "till", "during", "by", "from"}
_AFTER_YEAR = {"and", "to", "or", "when", "after", "before", "s", "'s", "as"}
_ISO = re.compile(r"^(19\d\d|20\d\d)-(\d\d)(?:-(\d\d))?$")
MIN_YEAR, MAX_YEAR = 1945, 2040


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # token index (inclusive) and end (exclusive) of the expression
    end: int
    value: str  # ISO 8601 at the text's precision: 2019, 2019-05, 2019-05-30


def find_dates(words: list[str], published: dt.date | None, skip: set[int] | None = None) -> list[DateMention]:
    """Every date expression in ``words`` (lowercased tokens). ``skip`` holds token indices that
    belong to other mentions ("Mirage 2000" is a jet, not a year)."""
    skip = skip or set()
    found: list[DateMention] = []
    free_from = 0  # the first word after the last expression found
    # A cheap test before the matchers: a date begins with a digit, a month, a weekday or a
    # relative word ('last year'). Most words of a text are none of these.
    starts = [i for i, word in enumerate(words) if word[:1].isdigit() or word in _START_WORDS]
    for i in starts:
        if i < free_from or i in skip:
            continue
        mention = _match_at(words, i, published)
        if mention is not None:
            found.append(mention)
            free_from = mention.end
    return found


_STARTERS = {*MONTHS, *WEEKDAYS}


def _match_at(w: list[str], i: int, published: dt.date | None) -> DateMention | None:
    word = w[i].rstrip(".")
    for matcher in (_iso, _relative, _month_phrase, _weekday, _year):
        mention = matcher(w, i, word, published)
        if mention is not None:
            return mention
    return None


def _iso(w: list[str], i: int, word: str, published: dt.date | None) -> DateMention | None:
    m = _ISO.match(word)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return DateMention(i, i + 1, f"{year:04d}-{month:02d}")
    try:
        return DateMention(i, i + 1, dt.date(year, month, int(day)).isoformat())
    except ValueError:
        return None


def _month_phrase(w: list[str], i: int, word: str, published: dt.date | None) -> DateMention | None:
    """'May 30, 2019', 'May 30', '30 May 2019', 'May 2019', 'in May', 'Dec. 13'."""
    day_first = _as_day(word)
    if day_first is not None and i + 1 < len(w) and w[i + 1].rstrip(".") in MONTHS:
        month = MONTHS[w[i + 1].rstrip(".")]
        year, end = _year_after(w, i + 2)
        return _build(i, end, year, month, day_first, published)
    if word not in MONTHS or (word == "may" and not _looks_like_month_may(w, i)):
        return None
    if word in {"mar", "jun", "jul", "sep", "dec", "jan", "feb", "apr", "aug", "oct", "nov", "sept"} and (
        i + 1 >= len(w) or not (_as_day(w[i + 1]) or _as_year(w[i + 1]))
    ):
        return None  # short forms only with a day or year: 'Dec. 13'
    month = MONTHS[word]
    day = _as_day(w[i + 1]) if i + 1 < len(w) else None
    end = i + 2 if day is not None else i + 1
    if day is not None and end < len(w) and w[end] in {",", "th", "st", "nd", "rd"}:
        end += 1
    year, end = _year_after(w, end)
    return _build(i, end, year, month, day, published)


def _looks_like_month_may(w: list[str], i: int) -> bool:
    """'may' is usually the modal verb: a month only beside a day, a year, or after 'in'/'of'."""
    before = w[i - 1] if i > 0 else ""
    after = w[i + 1] if i + 1 < len(w) else ""
    return before in {"in", "of", "early", "late", "mid", "since", "until", "by", "last", "this", "next"} or bool(
        _as_day(after) or _as_year(after)
    )


def _year_after(w: list[str], j: int) -> tuple[int | None, int]:
    k = j + 1 if j < len(w) and w[j] == "," else j
    if k < len(w):
        year = _as_year(w[k])
        if year is not None:
            return year, k + 1
    return None, j


def _build(
    start: int, end: int, year: int | None, month: int, day: int | None, published: dt.date | None
) -> DateMention | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        if (month, day or 1) > (published.month, published.day):
            year -= 1  # a month not yet reached this year: last year's
    if day is None:
        return DateMention(start, end, f"{year:04d}-{month:02d}")
    try:
        return DateMention(start, end, dt.date(year, month, day).isoformat())
    except ValueError:
        return DateMention(start, end, f"{year:04d}-{month:02d}")


def _weekday(w: list[str], i: int, word: str, published: dt.date | None) -> DateMention | None:
    """'on Tuesday': the latest such weekday on or before the published date."""
    if word not in WEEKDAYS or published is None:
        return None
    back = (published.weekday() - WEEKDAYS[word]) % 7
    return DateMention(i, i + 1, (published - dt.timedelta(days=back)).isoformat())


_RELATIVE: dict[tuple[str, ...], Callable[[dt.date], str]] = {
    ("today",): lambda p: p.isoformat(),
    ("yesterday",): lambda p: (p - dt.timedelta(days=1)).isoformat(),
    ("this", "week"): lambda p: p.isoformat(),
    ("last", "week"): lambda p: (p - dt.timedelta(days=7)).strftime("%Y-%m"),
    ("this", "month"): lambda p: p.strftime("%Y-%m"),
    ("earlier", "this", "month"): lambda p: p.strftime("%Y-%m"),
    ("last", "month"): lambda p: (p.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
    ("this", "year"): lambda p: str(p.year),
    ("earlier", "this", "year"): lambda p: str(p.year),
    ("last", "year"): lambda p: str(p.year - 1),
    ("next", "year"): lambda p: str(p.year + 1),
}


_RELATIVE_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}  # the phrases by their first word, longest first
for _phrase in sorted(_RELATIVE, key=len, reverse=True):
    _RELATIVE_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
_RELATIVE_STARTS = set(_RELATIVE_BY_FIRST)
_START_WORDS = frozenset({*_STARTERS, *(f"{word}." for word in _STARTERS), *_RELATIVE_STARTS})  # 'Jan.'


def _relative(w: list[str], i: int, word: str, published: dt.date | None) -> DateMention | None:
    if published is None:
        return None
    for phrase in _RELATIVE_BY_FIRST.get(w[i], ()):
        if tuple(w[i : i + len(phrase)]) == phrase:
            return DateMention(i, i + len(phrase), _RELATIVE[phrase](published))
    return None


def _year(w: list[str], i: int, word: str, published: dt.date | None) -> DateMention | None:
    """A bare year counts after a word that introduces one: 'in 2015', 'since 2009'."""
    year = _as_year(word)
    if year is None or i == 0 or w[i - 1] not in _YEAR_LEADS:
        return None
    after = w[i + 1] if i + 1 < len(w) else ""
    if w[i - 1] in _STRONG_YEAR_LEADS:
        return DateMention(i, i + 1, str(year))  # 'in 2015 Egypt ordered': a year whatever follows
    if (
        after[:1].isalpha()
        and after not in _AFTER_YEAR
        and not after.startswith(("for", "with", "from", "under", "at"))
    ):
        return None  # '2000 jets': a number of things, not a year
    return DateMention(i, i + 1, str(year))


def _as_year(word: str) -> int | None:
    word = word.rstrip(".,")
    if len(word) == 4 and word.isdecimal():
        year = int(word)
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
    return None


def _as_day(word: str) -> int | None:
    word = word.rstrip(".,")
    for suffix in ("st", "nd", "rd", "th"):
        if word.endswith(suffix) and word[: -len(suffix)].isdecimal():
            word = word[: -len(suffix)]
    if word.isdecimal() and 1 <= int(word) <= 31 and len(word) <= 2:
        return int(word)
    return None


def nearest_date(dates: list[DateMention], index: int) -> str | None:
    """The date expression closest to token ``index`` (ties: the earlier one)."""
    if not dates:
        return None
    best = min(dates, key=lambda d: (min(abs(d.start - index), abs(d.end - 1 - index)), d.start))
    return best.value
