"""The fast path: it skips news with no arms content, never changes the events of what it keeps,
and never misses a word that the extractor's matchers would find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from armswatch.core.model import Document
from armswatch.knowledge import load_knowledge
from armswatch.knowledge.loader import BUNDLED_DIR
from armswatch.nlp.extractor import Extractor
from armswatch.nlp.lexicon import build_lexicon
from armswatch.nlp.prefilter import ARMS, MATTERS, PARTY, TRIGGER, Prefilter, _joined_runs
from tests.samples import BACKGROUND_SENTENCES, TRANSFER_SENTENCES, UNRELATED_SENTENCES, sample_documents


@pytest.fixture(scope="module")
def with_fast_path() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def without_fast_path() -> Extractor:
    return Extractor(prefilter=False)


def _prefilter(extractor: Extractor) -> Prefilter:
    assert extractor.prefilter is not None
    return extractor.prefilter


def _keys(extractor: Extractor, doc: Document) -> list[dict[str, object]]:
    return [event.to_dict() for event in extractor.extract(doc)]


def test_general_news_is_skipped(with_fast_path: Extractor) -> None:
    prefilter = _prefilter(with_fast_path)
    for sentence in UNRELATED_SENTENCES:
        assert prefilter.reduce(f"Headline\n\n{sentence}") == "", sentence


def test_each_transfer_sentence_is_kept(with_fast_path: Extractor) -> None:
    prefilter = _prefilter(with_fast_path)
    for sentence in TRANSFER_SENTENCES:
        assert prefilter.wants(f"{UNRELATED_SENTENCES[0]}\n{sentence}"), sentence


def test_a_document_needs_stage_weapon_and_party_in_one_sentence(with_fast_path: Extractor) -> None:
    prefilter = _prefilter(with_fast_path)
    assert prefilter.wants("Russia sold missiles to Syria.")
    assert not prefilter.wants("Russia sold grain to Syria.")  # no weapon
    assert not prefilter.wants("Missiles were on show in Moscow. Russia sold grain to Syria.")  # not together
    assert not prefilter.wants("The missiles were sold last year.")  # nobody gives or gets them


def test_a_word_that_needs_a_transfer_word_is_no_stage_alone(
    with_fast_path: Extractor, without_fast_path: Extractor
) -> None:
    prefilter = _prefilter(with_fast_path)
    alone = "India needs new fighter jets from France."
    assert not prefilter.wants(alone) and _keys(without_fast_path, Document(id="d", text=alone)) == []
    assert prefilter.wants("India hopes to buy fighter jets from France.")
    assert prefilter.reduce(f"{alone}\nRussia sold missiles to Syria.").startswith(alone)  # the line is kept


def test_an_ordinary_word_system_counts_beside_a_transfer_word(with_fast_path: Extractor) -> None:
    """'Patriot' is also an ordinary word; the extractor takes it where the sentence has a
    transfer word, so the fast path must too."""
    prefilter = _prefilter(with_fast_path)
    assert prefilter.wants("Two Patriot batteries were delivered to Romania by the United States.")
    assert not prefilter.wants("Romania welcomed the patriot who delivered a speech.")
    assert prefilter.wants("Germany sold MILAN to Spain.")
    assert not prefilter.wants("Germany sold a hotel in Milan to Spain.")


def test_inert_lines_are_blanked_in_place(with_fast_path: Extractor) -> None:
    text = "Weather\nHeavy rain is expected.\nRussia delivered S-400 missiles to India.\nThe band will tour."
    reduced = _prefilter(with_fast_path).reduce(text)
    assert len(reduced) == len(text)
    assert reduced.split("\n")[2] == "Russia delivered S-400 missiles to India."
    assert reduced.split("\n")[1].strip() == "" and reduced.split("\n")[3].strip() == ""
    assert [i for i, ch in enumerate(reduced) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]


def test_events_are_the_same_with_and_without_the_fast_path(
    with_fast_path: Extractor, without_fast_path: Extractor
) -> None:
    docs = sample_documents()
    with_events = [_keys(with_fast_path, d) for d in docs]
    assert with_events == [_keys(without_fast_path, d) for d in docs]
    assert sum(map(len, with_events)) >= 6  # the sample reports transfers, and they are found
    assert sum(_prefilter(with_fast_path).wants(d.text) for d in docs) == 12  # one document in three


def test_the_trigger_of_a_weapon_word_does_not_count(with_fast_path: Extractor) -> None:
    """'arms' is a weapon noun and a form of 'arm'; the matchers take it as the weapon only."""
    assert not _prefilter(with_fast_path).wants("Russia arms race worries Syria.")


def test_designation_variants_are_seen(tmp_path: Path) -> None:
    (tmp_path / "systems").mkdir()
    (tmp_path / "systems" / "test.yaml").write_text(
        "version: 1\nsystems:\n"
        "  - {name: FA-18, aliases: [Hornet], category: aircraft, origin: USA}\n"
        "  - {name: Su-30, category: aircraft, origin: RUS}\n"
        "  - {name: Lynx 2, category: armoured-vehicle, origin: IND}\n",
        encoding="utf-8",
    )
    prefilter = Prefilter(build_lexicon(load_knowledge([BUNDLED_DIR, tmp_path])))
    for text in [
        "India ordered F/A-18E",
        "India ordered Su-30MKIs",
        "India ordered the SU 30",
        "Iran ordered Lynx 2A7",
    ]:
        assert prefilter.wants(text), text
    assert not prefilter.wants("India ordered 30 buses and 2 trains")


def test_digits_left_of_a_name_in_another_script_stand_for_nothing(tmp_path: Path) -> None:
    (tmp_path / "systems").mkdir()
    (tmp_path / "systems" / "test.yaml").write_text(
        "version: 1\nsystems:\n  - {name: Su-30, aliases: [Су-30], category: aircraft, origin: RUS}\n",
        encoding="utf-8",
    )
    prefilter = Prefilter(build_lexicon(load_knowledge([BUNDLED_DIR, tmp_path])))
    assert prefilter.wants("India ordered Su-30s")
    assert not prefilter.wants("India ordered 30 buses")  # ' 30 ' is all that the scan could read of 'Су-30'


@given(text=st.text())
@example(text="\nF-16\n\nsold |\n")
def test_runs_are_ascii_letters_and_digits_between_single_spaces_with_a_mark_per_line_end(text: str) -> None:
    words: list[str] = []
    for n, line in enumerate(text.split("\n")):
        words += (["|"] if n else []) + re.findall(r"[A-Za-z0-9]+", line)
    assert _joined_runs(text) == f" {' '.join(words)} "


# --- never less than the matchers: property-based ---------------------------------------

_WORDS = ["Russia", "India", "Moscow", "the", "sold", "sale", "delivered", "S-400", "S-400s", "SA-21", "Iskander-M",
          "missiles", "arms", "Patriot", "PAC-3", "talks", "with", "no", "to", "bid", "U.S.", "US", "us", "air",
          "defence", "system", "take", "delivery", "of", "9K720", "NATO", "ready", "grain", "football", "Tiger",
          "MILAN", "HOT", "helicopters", "HİSAR-A", "Çelik Kubbe", "Super Étendard"]  # fmt: skip
_GLUE = st.sampled_from([" ", " ", " ", "-", ", ", ". ", "\n", "  ", "'s ", "/"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    glue = draw(st.lists(_GLUE, min_size=len(words), max_size=len(words)))
    cases = draw(st.lists(st.sampled_from([str, str.lower, str.upper, str.title]), min_size=len(words)))
    return "".join(case(word) + sep for word, sep, case in zip(words, glue, cases, strict=False))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_texts())
def test_line_test_never_misses_a_mention(with_fast_path: Extractor, text: str) -> None:
    """Every trigger, system and weapon the mention finder sees lies in a line the fast path
    keeps, and a line holding a trigger, a weapon and a party is one that may report a transfer."""
    prefilter = _prefilter(with_fast_path)
    sdoc = with_fast_path.nlp(text)
    found = with_fast_path.finder.find(sdoc, None)
    spans = [(m.start, m.end, TRIGGER) for m in found.triggers]
    spans += [(m.start, m.end, ARMS) for m in [*found.systems, *found.weapons]]
    spans += [(m.start, m.end, PARTY) for m in found.parties]
    lines = prefilter.line_bits(text)
    assert len(lines) == text.count("\n") + 1
    held = [0] * len(lines)  # what the mention finder saw in each line
    for start, end, kind in spans:
        line = text.count("\n", 0, sdoc[start].idx)
        held[line] |= kind
        assert lines[line] & (kind if kind != ARMS else MATTERS), (sdoc[start:end].text, text.split("\n")[line])
    for line, kinds in enumerate(held):
        if kinds & TRIGGER and kinds & ARMS and kinds & PARTY:
            assert lines[line] & ARMS, text.split("\n")[line]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(TRANSFER_SENTENCES + BACKGROUND_SENTENCES + UNRELATED_SENTENCES), max_size=8))
def test_kept_documents_give_the_same_events(
    with_fast_path: Extractor, without_fast_path: Extractor, lines: list[str]
) -> None:
    doc = Document(id="d", text="\n".join(lines))
    if with_fast_path.prefilter is not None and with_fast_path.prefilter.wants(doc.text):
        assert _keys(with_fast_path, doc) == _keys(without_fast_path, doc)
    else:
        assert _keys(with_fast_path, doc) == []
