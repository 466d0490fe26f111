"""No input crashes extraction: any unicode, empty, very long, binary-looking text."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armswatch.core.model import Document
from armswatch.nlp.extractor import Extractor

ARMS_WORDS = ["Russia", "sold", "S-400", "to", "Iran", "not", "the", "deal", "U.S.", "'s", "F-16s", ",", ".", "\n",
              "approved", "talks", "with", "•", "in", "May", "$5bn", "if", "Turkey", "request", "by"]  # fmt: skip


def _check(extractor: Extractor, text: str, published: dt.date | None = None) -> None:
    for event in extractor.extract(Document("fuzz", text, published=published)):
        assert 0 <= event.start <= event.end <= len(text)
        assert event.supplier != event.recipient


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=600), st.none() | st.dates())
def test_any_unicode(extractor: Extractor, text: str, published: dt.date | None) -> None:
    _check(extractor, text, published)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ARMS_WORDS), max_size=80))
def test_arms_like_word_salad(extractor: Extractor, tokens: list[str]) -> None:
    _check(extractor, " ".join(tokens))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_binary_looking_text(extractor: Extractor, data: bytes) -> None:
    _check(extractor, data.decode("latin-1"))


def test_empty_and_very_long(extractor: Extractor) -> None:
    _check(extractor, "")
    _check(extractor, "   \n\n  ")
    long_text = "Russia delivered S-400 systems to Turkey. " * 20_000 + "x" * 100_000
    events = extractor.extract(Document("long", long_text))
    assert {(e.type.value, e.supplier, e.recipient) for e in events} == {("DELIVER", "RUS", "TUR")}
