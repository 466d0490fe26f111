"""Find mentions in a tokenised document: parties, weapon systems, weapon nouns, actor nouns,
and trigger words, with spaCy's PhraseMatcher built from the knowledge files.

Weapon designations get a second, token-level pass: 'F-16C', 'Su-30MKI', 'S-400s' and
'Leopard 2A7' are a catalogue designation plus a variant suffix or a plural, which no fixed
phrase list can enumerate.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, Literal, TypeVar

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from armswatch.core.model import Category
from armswatch.knowledge.schema import Trigger, WeaponSystem
from armswatch.nlp.grammar import Words, WordSet
from armswatch.nlp.lexicon import (
    ActorNounRef,
    FalseFriendRef,
    Lexicon,
    PartyRef,
    PartyVia,
    Payload,
    SystemRef,
    TriggerRef,
    VerbForm,
    WeaponNounRef,
    designation_key,
    term_covers,
)
from armswatch.nlp.pipeline import sentence_of_token

PartyForm = Literal["actor", "modifier", "origin", "ignore"]
_POSSESSIVE = {"'s", "’s", "'", "’"}
_HAS_DIGIT = re.compile(r"\d").search
_HAS_LETTER = re.compile(r"[^\W\d_]").search
_SHORT_DESIGNATION = 3  # designations this short (K9, M1) need a military word nearby


@dataclass(slots=True)
class PartyMention:
    start: int  # token indices in the document, end exclusive
    end: int
    key: str  # ISO alpha-3 or a group key
    via: PartyVia
    form: PartyForm = "actor"
    possessive: bool = False  # "Iran's"
    legislative: bool = False

    @property
    def is_state(self) -> bool:
        return self.key.isupper()


@dataclass(slots=True)
class SystemMention:
    start: int
    end: int
    system: WeaponSystem
    text: str
    needs_context: bool = False  # an ordinary word or a very short designation


@dataclass(slots=True)
class WeaponMention:
    start: int
    end: int
    category: Category


@dataclass(slots=True)
class TriggerMention:
    start: int
    end: int
    trigger: Trigger
    form: VerbForm


@dataclass(slots=True)
class ActorNounMention:
    start: int
    end: int
    legislative: bool


_M = TypeVar("_M", PartyMention, SystemMention, WeaponMention, TriggerMention, ActorNounMention)


@dataclass
class Mentions:
    """Everything found in one document, each list sorted by position."""

    parties: list[PartyMention] = field(default_factory=list)
    systems: list[SystemMention] = field(default_factory=list)
    weapons: list[WeaponMention] = field(default_factory=list)
    triggers: list[TriggerMention] = field(default_factory=list)
    actors: list[ActorNounMention] = field(default_factory=list)
    blocked: list[tuple[int, int]] = field(default_factory=list)  # false friends: "Indian Ocean"

    def split(self, spans: Sequence[tuple[int, int]]) -> list[Mentions]:
        """For each of ``spans`` (sorted, not overlapping: a document's sentences), the mentions that
        start in it; each list's positions are read once rather than once per sentence."""
        parties, systems, weapons = _cuts(self.parties, spans), _cuts(self.systems, spans), _cuts(self.weapons, spans)
        triggers, actors = _cuts(self.triggers, spans), _cuts(self.actors, spans)
        blocked = [[b for b in self.blocked if start <= b[0] < end] for start, end in spans]
        return [
            Mentions(parties[n], systems[n], weapons[n], triggers[n], actors[n], blocked[n]) for n in range(len(spans))
        ]

    def entity_spans(self) -> list[tuple[int, int]]:
        spans = [(p.start, p.end) for p in self.parties] + [(s.start, s.end) for s in self.systems]
        spans += [(w.start, w.end) for w in self.weapons] + [(a.start, a.end) for a in self.actors]
        return spans + self.blocked


def _cuts(items: list[_M], spans: Sequence[tuple[int, int]]) -> list[list[_M]]:
    """The items (sorted by start) that start in each of the spans."""
    starts = [m.start for m in items]
    return [items[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)] for start, end in spans]


# What an entity surface stands for, decided once per surface rather than once per match: the
# chosen system, the party (or, for office holders of several states, all the candidates, chosen
# by the article's date), or the first payload of the other kinds.
_Entity = FalseFriendRef | SystemRef | PartyRef | tuple[PartyRef, ...] | WeaponNounRef | ActorNounRef
# Matches as tuples, sorted with ``_LONGEST_FIRST``: (start - end, priority, start, end, what).
_EntityHit = tuple[int, int, int, int, _Entity]
_TriggerHit = tuple[int, int, int, int, tuple[TriggerRef, ...]]


class MentionFinder:
    """Compiled matchers for one language; build once, use for every document."""

    def __init__(self, nlp: Language, lexicon: Lexicon, words: Words) -> None:
        self.lexicon = lexicon
        self.words = words
        # The patterns are tokenised with a vocabulary of their own: filling the pipeline's
        # vocabulary with 60,000 pattern words before any article makes all later tokenising
        # about four times slower (measured). Matching compares string hashes, which do not
        # depend on the vocabulary, so the matchers work on the pipeline's documents.
        patterns = spacy.blank(nlp.lang or "en")
        self.keys = patterns.vocab.strings
        self.exact = PhraseMatcher(patterns.vocab, attr="ORTH")
        self.folded = PhraseMatcher(patterns.vocab, attr="LOWER")
        _add_patterns(patterns, self.exact, lexicon.exact.keys())
        _add_patterns(patterns, self.folded, lexicon.folded.keys())
        # Each surface's payloads split once into the entity and the trigger layer, with the
        # entity layer's priority: done here, not for every match of every document. Keyed by
        # the match id (the surface's hash), so a match needs no string lookup.
        self.exact_layers = {self.keys[surface]: _layers(payloads) for surface, payloads in lexicon.exact.items()}
        self.folded_layers = {self.keys[surface]: _layers(payloads) for surface, payloads in lexicon.folded.items()}
        self._designation = _designation_finder(lexicon.designations)

    def find(
        self, doc: Doc, day: dt.date | None, texts: list[str] | None = None, lower: list[str] | None = None
    ) -> Mentions:
        """The mentions of ``doc``; ``texts`` and ``lower`` are its tokens' texts, as written and
        lowercased, if the caller has them (reading them from Tokens costs more than the rules)."""
        texts = texts if texts is not None else [t.text for t in doc]
        lower = lower if lower is not None else [t.lower() for t in texts]
        entities: list[_EntityHit] = []
        triggers: list[_TriggerHit] = []
        for matcher, layers in ((self.exact, self.exact_layers), (self.folded, self.folded_layers)):
            for match_id, start, end in matcher(doc):
                entity, trigger_refs, priority = layers[match_id]
                if entity is not None:
                    entities.append((start - end, priority, start, end, entity))
                if trigger_refs:
                    triggers.append((start - end, _NO_PRIORITY, start, end, trigger_refs))
        entities += self._designations(doc, texts)
        found = Mentions()
        taken = bytearray(len(doc))  # 1 for each token inside a mention already kept
        entities.sort(key=_LONGEST_FIRST)
        add_entity = self._add_entity
        for _, _, start, end, entity in entities:
            if taken.find(1, start, end) < 0:
                add_entity(found, doc, texts, start, end, entity, day)
                _take(taken, start, end)
        triggers.sort(key=_LONGEST_FIRST)
        for _, _, start, end, trigger_refs in triggers:
            if taken.find(1, start, end) < 0:
                _take(taken, start, end)
                # One surface can be several trigger entries ("order": buy-word); keep them all.
                for ref in trigger_refs:
                    found.triggers.append(TriggerMention(start, end, ref.trigger, ref.form))
        by_position = attrgetter("start", "end")
        for mentions in (found.parties, found.systems, found.weapons, found.triggers, found.actors):
            mentions.sort(key=by_position)
        _classify_parties(texts, lower, found, self.words)
        _drop_context_free_systems(doc, found)
        return found

    def _designations(self, doc: Doc, texts: list[str]) -> list[_EntityHit]:
        """Token-level lookup of designations with variant suffixes and plurals."""
        designation = self._designation
        hits: list[_EntityHit] = []
        for i, text in enumerate(texts):
            # isalpha first: most words are letters only, a test that costs half the search
            if text.isalpha() or not _HAS_DIGIT(text) or (len(text) < 3 and not _HAS_LETTER(text)):
                continue
            windows = [(i, i + 1)]
            if i > 0 and texts[i - 1].isalpha() and texts[i - 1][:1].isupper():
                windows.insert(0, (i - 1, i + 1))
            if i > 1 and texts[i - 1] in {"-", "/"} and texts[i - 2].isalpha() and not doc[i - 2].whitespace_:
                windows.insert(0, (i - 2, i + 1))
            for start, end in windows:
                # the key keeps letters and digits only, so the words' spacing does not matter
                chosen = designation("".join(texts[start:end]))
                if chosen is not None:
                    hits.append((start - end, _PRIORITY[SystemRef], start, end, chosen))
                    break
        return hits

    def _add_entity(
        self, found: Mentions, doc: Doc, texts: list[str], start: int, end: int, entity: _Entity, day: dt.date | None
    ) -> None:
        if isinstance(entity, (PartyRef, tuple)):  # a tuple of types tests faster than a union
            party = entity if isinstance(entity, PartyRef) else _choose_party(list(entity), day)
            if party is not None:
                possessive = end < len(texts) and texts[end] in _POSSESSIVE
                # positional arguments: a keyword costs more in the dataclass's __init__
                found.parties.append(
                    PartyMention(start, end, party.key, party.via, "actor", possessive, party.legislative)
                )
        elif isinstance(entity, SystemRef):
            # a Span's text: the words with their spacing (one word: its text, no Span needed)
            text = texts[start] if end - start == 1 else doc[start:end].text
            if entity.needs_context and _followed_by_name(doc, texts, end):
                return  # "Ruslan Pukhov" is a person, not the An-124
            short = _key_length(text) <= _SHORT_DESIGNATION
            found.systems.append(SystemMention(start, end, entity.system, text, entity.needs_context or short))
        elif isinstance(entity, FalseFriendRef):
            found.blocked.append((start, end))
        elif isinstance(entity, WeaponNounRef):
            found.weapons.append(WeaponMention(start, end, entity.category))
        else:
            found.actors.append(ActorNounMention(start, end, entity.legislative))


def _take(taken: bytearray, start: int, end: int) -> None:
    """Mark tokens [start, end) taken; one token by index, five times faster than a slice."""
    if end - start == 1:
        taken[start] = 1
    else:
        taken[start:end] = b"\x01" * (end - start)


def _followed_by_name(doc: Doc, texts: list[str], index: int) -> bool:
    """A capitalised word next, not starting a sentence (spaCy's is_alpha and is_title are these
    str tests: see ``pipeline._WORD_ATTRIBUTES``)."""
    if index >= len(texts):
        return False
    word = texts[index]
    return word.isalpha() and word.istitle() and not doc[index].is_sent_start


@functools.lru_cache(maxsize=4096)
def _key_length(text: str) -> int:
    """The length of a system mention's designation key (system texts are few and recur)."""
    return len(designation_key(text))


def _designation_finder(table: dict[str, list[SystemRef]]) -> Callable[[str], SystemRef | None]:
    """The chosen system for some words' designation key (see ``_lookup_designation``), memoised:
    the table does not change, and the same designations recur across articles."""

    @functools.lru_cache(maxsize=16384)
    def designation(words: str) -> SystemRef | None:
        refs = _lookup_designation(table, designation_key(words))
        return _choose_system(refs) if refs else None

    return designation


def _add_patterns(nlp: Language, matcher: PhraseMatcher, surfaces: Iterable[str]) -> None:
    surfaces = list(surfaces)
    tokenizer: Any = nlp.tokenizer
    for surface, pattern in zip(surfaces, tokenizer.pipe(surfaces), strict=True):
        matcher.add(surface, [pattern])


def _lookup_designation(table: dict[str, list[SystemRef]], key: str) -> list[SystemRef]:
    """Exact key, a plural, or the longest catalogue key followed by a variant suffix."""
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    for cut in range(len(key) - 1, 1, -1):
        prefix = key[:cut]
        if prefix in table and prefix[-1].isdigit() and key[cut].isalpha():
            return table[prefix]
    return []


_PRIORITY = {FalseFriendRef: 0, SystemRef: 1, PartyRef: 2, ActorNounRef: 3, WeaponNounRef: 4}
_NO_PRIORITY = 9
# Longer spans first; among equal spans the higher-priority kind (a system over a party), then
# by position; the sort is stable, so equal keys keep the matchers' order.
_LONGEST_FIRST = itemgetter(0, 1, 2)


def _layers(payloads: Sequence[Payload]) -> tuple[_Entity | None, tuple[TriggerRef, ...], int]:
    """What a surface stands for as an entity (None: nothing), its trigger payloads, and the
    entity layer's priority."""
    triggers = tuple(p for p in payloads if isinstance(p, TriggerRef))
    entities = tuple(p for p in payloads if not isinstance(p, TriggerRef))
    priority = min((_PRIORITY.get(type(p), _NO_PRIORITY) for p in entities), default=_NO_PRIORITY)
    return _entity(entities), triggers, priority


def _entity(payloads: Sequence[Payload]) -> _Entity | None:
    """The entity layer reduced to what a match needs; the first payload decides the kind."""
    if not payloads:
        return None
    first = payloads[0]
    if isinstance(first, SystemRef):
        return _choose_system([p for p in payloads if isinstance(p, SystemRef)])
    if isinstance(first, PartyRef):
        refs = [p for p in payloads if isinstance(p, PartyRef)]
        if len(refs) == 1 or len({r.key for r in refs}) == 1:
            return refs[0]  # what _choose_party gives whatever the day
        return tuple(refs)
    assert not isinstance(first, TriggerRef)
    return first


def _choose_system(refs: list[SystemRef]) -> SystemRef:
    """Several systems for one surface: the most specific (a variant over its family)."""
    return sorted(refs, key=lambda r: (r.needs_context, r.system.family is None))[0]


def _choose_party(refs: list[PartyRef], day: dt.date | None) -> PartyRef | None:
    """Office holders resolve by who held office on the article's date; other names directly."""
    if len(refs) == 1 or len({r.key for r in refs}) == 1:
        return refs[0]
    in_office = [r for r in refs if r.via != "leader" or term_covers(r.terms, day)]
    keys = {r.key for r in in_office}
    return in_office[0] if len(keys) == 1 else None


# --- what a party mention is doing in its sentence -----------------------------------

_MAX_MODIFIER_GAP = 3


def _classify_parties(texts: list[str], lower: list[str], found: Mentions, words: Words) -> None:
    """Decide for each party whether it acts (a subject or object), modifies a transfer noun
    ("US arms sales"), names a weapon's origin ("Russian S-400"), or is beside the point
    ("Russian news agency"). ``texts`` and ``lower`` are the document's words."""
    if not found.parties:
        return
    starts: dict[int, str] = {}
    for m in found.systems:
        starts[m.start] = "weapon"
    for w in found.weapons:
        starts[w.start] = "weapon"
    for a in found.actors:
        starts[a.start] = "actor"
    verb_starts = {t.start for t in found.triggers if t.form not in ("noun", "phrase")}
    noun_starts = {t.start for t in found.triggers if t.form == "noun"}
    actor_end = {a.start: a.end for a in found.actors}
    actor_legislative = {a.start: a.legislative for a in found.actors}
    party_at = {p.start: p for p in found.parties}
    # "Colombia freezes" is a verb after a name; "Egyptian plans" a noun after an adjective.
    heads_after_name = {**starts, **{s: "noun" for s in noun_starts - verb_starts if s not in starts}}
    heads_after_demonym = {**starts, **{s: "noun" for s in noun_starts if s not in starts}}
    party_nouns, function_words = words.party_nouns, words.function_words  # read once: the loop is hot
    for party in reversed(found.parties):  # right to left: "Russian-Cypriot deal" takes the form of "Cypriot"
        end, via = party.end, party.via
        joined = party_at.get(end + 1)
        if joined is not None and texts[end] in ("-", "–") and joined.form in ("modifier", "origin"):
            party.form = joined.form
            continue
        if via == "origin":
            party.form = "origin"
            continue
        if end < len(texts) and texts[end] in ("$", "$US", "dollars", "dollar"):
            party.form = "ignore"  # "US $ 30 million": a currency, not a party
            continue
        if _party_noun_after(lower, end, party_nouns):
            party.form = "ignore"  # "the NATO member", "a US ally": it describes someone else
            continue
        heads = heads_after_demonym if via == "demonym" else heads_after_name
        reached, position = _next_head(texts, end, heads, function_words)
        if reached == "weapon" and via != "demonym" and position != end:
            reached = None  # "sell Syria advanced missiles": a name is a weapon's origin only right before it
        if reached == "weapon":
            party.form = "origin" if via in ("demonym", "name", "abbreviation") else "modifier"
        elif reached == "noun":
            party.form = "modifier"
        elif reached == "actor" and position is not None:
            after_actor = actor_end[position]
            if position == end and starts.get(after_actor) == "weapon":
                party.form = "origin"  # "Russian military helicopters": an adjective, not an actor
                continue
            party.form = "actor"
            if position == end:
                party.legislative = party.legislative or actor_legislative[position]  # "US lawmakers"
                party.end = after_actor  # "the Israeli government", "US officials"
                party.possessive = after_actor < len(texts) and texts[after_actor] in _POSSESSIVE
        elif via == "demonym":
            party.form = "actor" if _is_plural_noun(texts, party) else "ignore"


def _party_noun_after(lower: list[str], index: int, nouns: WordSet) -> bool:
    """Whether one of ``nouns`` starts at ``index``, dashes skipped (they have no case)."""
    window = lower[index : index + 3]
    if nouns.heads.isdisjoint(window):
        return False  # the usual case: none of the words can start an entry (one set test)
    return bool(nouns.match([w for w in window if w not in ("-", "–")], 0))


def _next_head(
    texts: list[str], index: int, starts: dict[int, str], function_words: frozenset[str]
) -> tuple[str | None, int | None]:
    """The first weapon, actor or transfer noun after ``index``, over at most a few lowercase
    content words and hyphens ("Russian-made", "advanced military"), else nothing.
    ``function_words``: ``Words.function_words``, the closed-class words that end the run."""
    gap = 0
    i = index
    while i < len(texts) and gap <= _MAX_MODIFIER_GAP:
        if i in starts:
            return starts[i], i
        text = texts[i]
        if text in ("-", "made", "built") or (text.isalpha() and text.islower() and text not in function_words):
            gap += 1
            i += 1
            continue
        break
    return None, None


def _is_plural_noun(texts: list[str], party: PartyMention) -> bool:
    """'the Russians', 'Iranians said': a demonym used as a noun for the state's people."""
    text = texts[party.end - 1]
    return text.endswith("s") and text[:1].isupper() and not text.endswith(("ss", "ese"))


def _drop_context_free_systems(doc: Doc, found: Mentions) -> None:
    """An ordinary-word system name (Patriot, Typhoon) counts only in a sentence that also has a
    weapon noun, another system, or a transfer word."""
    if not any(s.needs_context for s in found.systems):
        return
    sentence_of = sentence_of_token(doc)
    supported: set[int] = set()
    supported.update(sentence_of[w.start] for w in found.weapons)
    supported.update(sentence_of[t.start] for t in found.triggers)
    for s in found.systems:
        if not s.needs_context:
            supported.add(sentence_of[s.start])
    found.systems = [s for s in found.systems if not s.needs_context or sentence_of[s.start] in supported]
