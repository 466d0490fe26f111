"""Dates, quantities and money values resolved from words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.resolve.amounts import find_money, parse_number, preferred_money, quantity_before
from armswatch.resolve.dates import find_dates, nearest_date

PUBLISHED = dt.date(2019, 5, 31)  # a Friday


def words(text: str) -> list[str]:
    return text.lower().replace(",", " ,").replace(".", " .").split()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reported on may 30", ["2019-05-30"]),
        ("in may a delegation came", ["2019-05"]),
        ("signed on 13 december 2018", ["2018-12-13"]),
        ("signed on december 13", ["2018-12-13"]),  # a month not yet reached this year: last year's
        ("said on tuesday", ["2019-05-28"]),
        ("said on friday", ["2019-05-31"]),
        ("ordered in 2015 and 30 earlier this year", ["2015", "2019"]),
        ("last year and last month", ["2018", "2019-04"]),
        ("yesterday", ["2019-05-30"]),
    ],
)
def test_dates_against_the_published_date(text: str, expected: list[str]) -> None:
    assert [d.value for d in find_dates(words(text), PUBLISHED)] == expected


def test_modal_may_and_counts_are_not_dates() -> None:
    assert find_dates(words("russia may sell 2000 rifles"), PUBLISHED) == []


def test_relative_dates_need_a_published_date() -> None:
    assert find_dates(words("said on tuesday in may"), None) == []
    assert [d.value for d in find_dates(words("in may 2012"), None)] == ["2012-05"]


def test_nearest_date_prefers_the_closest_expression() -> None:
    dates = find_dates(words("in 2015 egypt ordered jets and in 2019 it got them"), PUBLISHED)
    assert nearest_date(dates, 9) == "2019"
    assert nearest_date([], 3) is None


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("about $4.21bn", 4_210_000_000, "USD"),
        ("$5 billion contract", 5_000_000_000, "USD"),
        ("930 billion won", 930_000_000_000, "KRW"),
        ("€2 million", 2_000_000, "EUR"),
        ("us$ 788 million", 788_000_000, "USD"),
        ("2.39 trillion won", 2_390_000_000_000, "KRW"),
    ],
)
def test_money(text: str, amount: float, currency: str) -> None:
    found = find_money(text.lower().replace("$", "$ ").replace("€", "€ ").split())
    assert [(m.money.amount, m.money.currency) for m in found] == [(amount, currency)]


def test_dollars_preferred_over_local_currency() -> None:
    found = find_money(["worth", "930", "billion", "won", "(", "us$", "788", "million", ")"])
    money = preferred_money(found)
    assert money is not None and money.currency == "USD"


def test_quantities_before_a_weapon() -> None:
    w = ["acquire", "30", "units", "of", "the", "k9", "and", "four", "avenger", "systems"]
    assert quantity_before(w, w.index("k9")) == 30
    assert quantity_before(w, w.index("avenger")) == 4
    assert quantity_before(["the", "k9"], 1) is None


@given(st.lists(st.text(max_size=12), max_size=40), st.none() | st.dates())
def test_date_finder_never_crashes(tokens: list[str], published: dt.date | None) -> None:
    for mention in find_dates([t.lower() for t in tokens], published):
        assert 0 <= mention.start < mention.end <= len(tokens)
        assert mention.value[:4].isdigit()


@given(st.lists(st.text(max_size=12), max_size=40))
def test_money_finder_never_crashes(tokens: list[str]) -> None:
    for mention in find_money([t.lower() for t in tokens]):
        assert mention.money.amount > 0


@given(st.text(max_size=20))
def test_parse_number_is_total(word: str) -> None:
    parsed = parse_number(word)
    assert parsed is None or parsed[0] >= 0
