"""The stages under the extractor: inflections, sentences, mentions."""

from __future__ import annotations

import string

import spacy
from hypothesis import given
from hypothesis import strategies as st

from armswatch.nlp.extractor import Extractor
from armswatch.nlp.grammar import WordSet
from armswatch.nlp.lexicon import designation_key, noun_forms, verb_forms
from armswatch.nlp.pipeline import make_nlp


def test_verb_forms_regular_irregular_and_phrasal() -> None:
    irregular = {"sell": ["sold"], "put": ["put"]}
    assert set(verb_forms("sell", irregular)) == {"sell", "sells", "sold", "selling"}
    assert set(verb_forms("supply", irregular)) == {"supply", "supplies", "supplied", "supplying"}
    assert set(verb_forms("ship", irregular)) == {"ship", "ships", "shipped", "shipping"}
    # British and American spellings
    assert set(verb_forms("cancel", irregular)) == {
        "cancel",
        "cancels",
        "cancelled",
        "canceled",
        "cancelling",
        "canceling",
    }
    assert "handed over" in verb_forms("hand over", irregular)
    assert "putting on hold" in verb_forms("put on hold", irregular)


def test_noun_plurals() -> None:
    assert noun_forms("delivery") == ["delivery", "deliveries"]
    assert noun_forms("memorandum of understanding")[0] == "memorandum of understanding"
    assert noun_forms("arms package") == ["arms package", "arms packages"]


def test_designation_key_ignores_case_and_punctuation() -> None:
    assert designation_key("Su-30MKI") == designation_key("SU 30 MKI") == "su30mki"


def test_sentences_break_at_line_ends_and_full_stops() -> None:
    nlp = make_nlp()
    doc = nlp("Title without a stop\n\nFirst sentence. Second one, in the U.S. today.\n• a bullet item")
    assert [s.text.strip() for s in doc.sents] == [
        "Title without a stop",
        "First sentence.",
        "Second one, in the U.S. today.",
        "• a bullet item",
    ]


def test_new_words_carry_the_attributes_the_extractor_reads() -> None:
    """The pipeline computes only some word attributes: those it keeps must be right for words
    spaCy has never seen, and the case-insensitive matchers must still find them."""
    nlp = make_nlp()
    words = nlp("Qorvandi Zeltrax-9 qorvandi QORVANDI")
    assert [w.lower_ for w in words] == ["qorvandi", "zeltrax-9", "qorvandi", "qorvandi"]
    assert [w.is_alpha for w in words] == [True, False, True, True]
    assert [w.is_title for w in words] == [True, True, False, False]


def test_designations_with_variant_suffixes_and_plurals(extractor: Extractor) -> None:
    doc = extractor.nlp("The F-16Cs, two Su-35s and an S-400 battalion arrived.")
    found = extractor.finder.find(doc, None)
    assert [m.system.name for m in found.systems] == ["F-16", "Su-35", "S-400"]


def test_false_friend_blocks_a_state_name(extractor: Extractor) -> None:
    doc = extractor.nlp("Ships crossed the Indian Ocean while Indian officials watched.")
    found = extractor.finder.find(doc, None)
    assert [(doc[p.start : p.end].text, p.key) for p in found.parties] == [("Indian officials", "IND")]


def test_office_holders_resolve_by_date(extractor: Extractor) -> None:
    import datetime as dt

    doc = extractor.nlp("Medvedev met the delegation.")
    found = extractor.finder.find(doc, dt.date(2009, 1, 1))
    assert [p.key for p in found.parties] == ["RUS"]


def test_ordinary_word_system_names_need_military_context(extractor: Extractor) -> None:
    calm = extractor.finder.find(extractor.nlp("The patriot waved a flag at the parade."), None)
    armed = extractor.finder.find(extractor.nlp("Poland bought Patriot missiles."), None)
    assert calm.systems == []
    assert [m.system.name for m in armed.systems] == ["Patriot"]


_PHRASES = WordSet.of(["in favour of", "instead of", "replace"])


@given(st.lists(st.sampled_from(["in", "favour", "of", "instead", "replace", "the", "jets"]), max_size=12), st.data())
def test_a_sentences_entries_are_those_found_word_by_word(words: list[str], data: st.DataObject) -> None:
    """starts_in (with its shortcut for sentences holding no entry word) agrees with match asked
    at every position of the stretch."""
    start = data.draw(st.integers(0, len(words)))
    end = data.draw(st.integers(start, len(words)))
    assert _PHRASES.starts_in(words, start, end) == {i: n for i in range(start, end) if (n := _PHRASES.match(words, i))}


_PLAIN_NLP = spacy.blank("en")  # spaCy's English tokenizer as it comes
_OUR_NLP = make_nlp()
_NEWS_CHARS = string.ascii_letters + string.digits + string.punctuation + " \n\t'’“”—–…$£€%°²\u00a0éüßКиї中"


@given(st.text(alphabet=st.sampled_from(_NEWS_CHARS), max_size=60) | st.text(max_size=30))
def test_tokens_are_spacys_own(text: str) -> None:
    """make_nlp skips spaCy's affix expressions for words of ASCII letters: the tokens must not
    change, whatever the text."""
    ours = [(t.text, t.whitespace_) for t in _OUR_NLP.tokenizer(text)]
    assert ours == [(t.text, t.whitespace_) for t in _PLAIN_NLP.tokenizer(text)]


@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=20))
def test_no_english_affix_matches_a_word_of_ascii_letters(word: str) -> None:
    """What the shortcut rests on, asked of spaCy's own expressions."""
    tokenizer = _PLAIN_NLP.tokenizer
    assert tokenizer.prefix_search(word) is None
    assert tokenizer.suffix_search(word) is None
    assert list(tokenizer.infix_finditer(word)) == []
