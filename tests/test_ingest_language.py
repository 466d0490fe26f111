"""Language detection: confident answers only, so English is never set aside on a hunch."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.ingest.language import detect_language
from tests.support.articles import english_article
from tests.support.badinputs import FRENCH, GERMAN

RUSSIAN = "Министерство обороны сообщило о поставке новой партии техники, которая уже прибыла на место."
ARABIC = "أعلنت وزارة الدفاع توقيع عقد لشراء منظومات دفاع جوي جديدة من شركة أجنبية."


@pytest.mark.parametrize(
    ("text", "code"),
    [(english_article(1)[1], "en"), (FRENCH, "fr"), (GERMAN, "de"), (RUSSIAN, "ru"), (ARABIC, "ar")],
)
def test_languages_of_whole_paragraphs(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "S-400 F-16 2019 K9", "12,000 / 3.5 % — 2024-05-06", "OK"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None


@given(st.text(max_size=200))
def test_any_text_gives_a_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or (code.isalpha() and code.islower() and 2 <= len(code) <= 3)
