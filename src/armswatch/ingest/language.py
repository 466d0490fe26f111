"""Which language a document is in: py3langid, with its model inside the wheel (nothing downloaded).

Why py3langid: its model is 4.5 MB (lingua's, the accurate alternative, take 96 MB) and loads in
under a second; it classifies an article in under a millisecond (lingua: about 9 ms); and on news
articles it is as right as lingua: ``bench/language.py`` measures both.

A wrong "not English" sets an English article aside unextracted, while "don't know" costs
nothing (the document is extracted as usual), so a guess must be confident: a normalised
probability of at least :data:`MIN_CONFIDENCE`. Text written mostly in other scripts than Latin
(Arabic, Chinese, Cyrillic) cannot be English, so there a weaker guess is enough to name it.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

SAMPLE_CHARS = 4000  # the start of a document says which language it is in; the rest only costs time
MIN_LETTERS = 20  # fewer letters (a line of designations and numbers) say nothing
MIN_CONFIDENCE = 0.8  # normalised probability of the best language
MIN_CONFIDENCE_NON_LATIN = 0.5  # the same, for text written mostly in non-Latin letters
LATIN_END = "\u0250"  # Basic Latin to Latin Extended-B; IPA and every other script lie above


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # numpy and a 4.5 MB model: load on first use

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "fr"), or None when unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    latin = sum(ch < LATIN_END for ch in letters) / len(letters)
    needed = MIN_CONFIDENCE if latin >= 0.5 else MIN_CONFIDENCE_NON_LATIN
    return str(code) if float(probability) >= needed else None


def is_unsupported(language: str | None, supported: Collection[str] | None) -> bool:
    """A known language outside ``supported`` (ISO 639-1 codes; None: any). An unknown language
    is not unsupported: the document is extracted as usual."""
    code = (language or "").split("-")[0].lower()
    return bool(code) and supported is not None and code not in supported
