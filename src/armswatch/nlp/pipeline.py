"""The spaCy pipeline: tokens and sentences, no trained model.

spaCy's rule-based English tokenizer plus a sentence splitter that also breaks at line ends
(news text puts titles, captions and bullet items on lines of their own, without a full stop).
The extractor reads roles from word order and function words, so it needs no tagger or parser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy
import spacy
from spacy.attrs import IS_ALPHA, IS_TITLE, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

_SENT_END = {".", "!", "?", "…"}
_CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}
_QUOTES = {'"', "'", "“", "”", "‘", "’", "«", "»"}
_BULLETS = {"•", "·", "▪", "◦", "-", "–", "—", "*"}
# What the extractor asks of a word beyond its text. spaCy computes some twenty attributes for
# each word it has not seen before (shape, stop word, like_url, ...): most of the cost of
# tokenising new text, for attributes nothing here reads.
_WORD_ATTRIBUTES = {LOWER, IS_ALPHA, IS_TITLE}


if not Doc.has_extension("texts"):
    Doc.set_extension("texts", default=None)


def token_texts(doc: Doc) -> list[str]:
    """The text of every token, read once per document from the token array and kept on it:
    creating a Token object per word costs more than the rules that read the words."""
    texts: list[str] | None = doc._.texts
    if texts is None:
        strings = doc.vocab.strings
        texts = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
        doc._.texts = texts
    return texts


def sentence_of_token(doc: Doc) -> list[int]:
    """For each token, the number of its sentence, read from the sentence starts in one array
    rather than from a Span built per sentence."""
    starts = doc.to_array(SENT_START) == 1
    if len(starts):
        starts[0] = True  # the first token starts a sentence whatever the flags say, as in Doc.sents
    return (numpy.cumsum(starts) - 1).tolist()  # type: ignore[no-any-return]


@Language.component("armswatch_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after . ! ? (and any closing quotes), and after every line break."""
    texts = token_texts(doc)
    starts = [-1] * len(texts)  # 1: starts a sentence, -1: does not
    after_end = False  # the previous word ended a sentence
    after_break = False  # a line break since the previous word
    for i, (text, spaced) in enumerate(zip(texts, doc.to_array(SPACY).tolist(), strict=True)):
        if text.isspace():
            starts[i] = 1 if i == 0 else -1
            after_break = after_break or "\n" in text
            continue
        if i == 0 or after_break:
            starts[i] = 1
        elif after_end:
            first = text[:1]
            opening_quote = first in _QUOTES and not spaced  # '"It' opens, '." ' closes
            if first.isupper() or first.isdigit() or first in "([" or first in _BULLETS or opening_quote:
                starts[i] = 1
        after_break = False
        closing = text in _CLOSERS and (spaced or text not in _QUOTES)
        after_end = text in _SENT_END or (after_end and starts[i] != 1 and bool(closing))
    # One array write: setting Token.is_sent_start one by one rescans the document each time.
    column = numpy.array(starts, dtype="int64").reshape(-1, 1).astype("uint64")  # -1 survives the wrap
    doc.from_array([SENT_START], column)  # type: ignore[arg-type]
    return doc


def make_nlp() -> Language:
    """A pipeline for English: tokens and sentences."""
    nlp = spacy.blank("en")
    vocab: Any = nlp.vocab  # lex_attr_getters is public in vocab.pyx but missing from its stub
    vocab.lex_attr_getters = {attr: get for attr, get in vocab.lex_attr_getters.items() if attr in _WORD_ATTRIBUTES}
    _skip_affixes_of_plain_words(nlp.tokenizer)
    nlp.add_pipe("armswatch_sentences")
    return nlp


def _skip_affixes_of_plain_words(tokenizer: Any) -> None:
    """spaCy runs its prefix, suffix and infix expressions (long alternations) on every chunk
    of text between spaces that it has not cached, and it does not cache every chunk. Each
    English prefix, suffix and infix holds a character other than an ASCII letter (punctuation,
    a symbol, a digit before a unit, an apostrophe), so a chunk of ASCII letters alone, the
    commonest, matches none: it skips the expressions. Tokens come out the same
    (``tests/test_nlp_stages.py`` compares them with spaCy's own on any text)."""
    tokenizer.prefix_search = _unless_plain_word(tokenizer.prefix_search, None)
    tokenizer.suffix_search = _unless_plain_word(tokenizer.suffix_search, None)
    tokenizer.infix_finditer = _unless_plain_word(tokenizer.infix_finditer, ())  # spaCy lists the matches


def _unless_plain_word(find: Callable[[str], Any], nothing: Any) -> Callable[[str], Any]:
    """``find``, answering ``nothing`` at once for a chunk of ASCII letters."""

    def find_unless_plain(chunk: str) -> Any:
        return nothing if chunk.isalpha() and chunk.isascii() else find(chunk)

    return find_unless_plain
