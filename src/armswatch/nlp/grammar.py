"""Token-level helpers over a language's closed-class words (from its trigger file)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from armswatch.knowledge.schema import TriggersFile


class WordSet(frozenset[str]):
    """Single words as the set itself, multi-word entries as token tuples (all lowercase).

    A set rather than a holder of one: the rules test ``word in words.adverbs`` some hundred
    thousand times per corpus, and a set's own ``in`` costs no Python call.
    """

    __slots__ = ("firsts", "heads", "lasts", "multi", "tails")
    multi: tuple[tuple[str, ...], ...]  # longest first
    firsts: frozenset[str]  # first words of the multi-word entries: a cheap test
    lasts: frozenset[str]
    heads: frozenset[str]  # every word an entry can start with: the single ones and ``firsts``
    tails: frozenset[str]  # every word an entry can end with

    def __new__(cls, single: Iterable[str] = (), multi: Iterable[tuple[str, ...]] = ()) -> WordSet:
        self = super().__new__(cls, single)
        self.multi = tuple(sorted(multi, key=len, reverse=True))
        self.firsts = frozenset(m[0] for m in self.multi)
        self.lasts = frozenset(m[-1] for m in self.multi)
        self.heads = self | self.firsts
        self.tails = self | self.lasts
        return self

    def __reduce__(self) -> tuple[type[WordSet], tuple[frozenset[str], tuple[tuple[str, ...], ...]]]:
        return (type(self), (frozenset(self), self.multi))  # frozenset's own would drop the slots

    @classmethod
    def of(cls, words: Iterable[str]) -> WordSet:
        single: set[str] = set()
        multi: list[tuple[str, ...]] = []
        for word in words:
            parts = tuple(word.lower().split())
            if len(parts) == 1:
                single.add(parts[0])
            elif parts:
                multi.append(parts)
        return cls(single, multi)

    def match(self, lower: list[str], i: int) -> int:
        """Length of the entry starting at token ``i`` (0 when none)."""
        if i >= len(lower):
            return 0
        word = lower[i]
        if word in self.firsts:
            for parts in self.multi:
                if tuple(lower[i : i + len(parts)]) == parts:
                    return len(parts)
        return 1 if word in self else 0

    def ends_at(self, lower: list[str], i: int) -> int:
        """Length of the entry ending at token ``i`` (inclusive), 0 when none."""
        if not 0 <= i < len(lower):
            return 0
        word = lower[i]
        if word in self.lasts:
            for parts in self.multi:
                n = len(parts)
                if i - n + 1 >= 0 and tuple(lower[i - n + 1 : i + 1]) == parts:
                    return n
        return 1 if word in self else 0

    def starts_in(self, lower: list[str], start: int, end: int) -> dict[int, int]:
        """``match`` at each index of [start, end) where an entry starts: a sentence's entries in
        one pass, for rules that ask about many of its positions."""
        heads = self.heads
        window = lower[start:end]
        if heads.isdisjoint(window):  # the usual case, tested without a Python loop
            return {}
        firsts = self.firsts  # another word of ``heads`` is a single-word entry: length 1, no call needed
        found: dict[int, int] = {}
        for i, word in enumerate(window, start):
            if word in heads and (n := self.match(lower, i) if word in firsts else 1):
                found[i] = n
        return found


@dataclass(frozen=True)
class Words:
    """All the closed classes the event rules consult, compiled once per language."""

    determiners: WordSet = field(default_factory=WordSet)
    be_forms: WordSet = field(default_factory=WordSet)
    auxiliaries: WordSet = field(default_factory=WordSet)
    adverbs: WordSet = field(default_factory=WordSet)
    prepositions: WordSet = field(default_factory=WordSet)
    coordinators: WordSet = field(default_factory=WordSet)
    list_openers: WordSet = field(default_factory=WordSet)
    relatives: WordSet = field(default_factory=WordSet)
    clause_breaks: WordSet = field(default_factory=WordSet)
    reporting_verbs: WordSet = field(default_factory=WordSet)
    containment: WordSet = field(default_factory=WordSet)
    generic_parties: WordSet = field(default_factory=WordSet)
    anaphors: WordSet = field(default_factory=WordSet)
    replacement: WordSet = field(default_factory=WordSet)
    light_verbs: WordSet = field(default_factory=WordSet)
    party_nouns: WordSet = field(default_factory=WordSet)
    military_nouns: WordSet = field(default_factory=WordSet)
    target_verbs: WordSet = field(default_factory=WordSet)
    epistemic: WordSet = field(default_factory=WordSet)
    negations: WordSet = field(default_factory=WordSet)
    hypotheticals: WordSet = field(default_factory=WordSet)
    hedges: WordSet = field(default_factory=WordSet)
    future: WordSet = field(default_factory=WordSet)
    aspect: WordSet = field(default_factory=WordSet)

    @classmethod
    def of(cls, triggers: TriggersFile) -> Words:
        g = triggers.grammar
        return cls(
            determiners=WordSet.of(g.determiners),
            be_forms=WordSet.of(g.be_forms),
            auxiliaries=WordSet.of(g.auxiliaries),
            adverbs=WordSet.of(g.adverbs),
            prepositions=WordSet.of(g.prepositions),
            coordinators=WordSet.of(g.coordinators),
            list_openers=WordSet.of(g.list_openers),
            relatives=WordSet.of(g.relatives),
            clause_breaks=WordSet.of(g.clause_breaks),
            reporting_verbs=WordSet.of(g.reporting_verbs),
            containment=WordSet.of(g.containment),
            generic_parties=WordSet.of(g.generic_parties),
            anaphors=WordSet.of(g.anaphors),
            replacement=WordSet.of(g.replacement),
            light_verbs=WordSet.of(g.light_verbs),
            party_nouns=WordSet.of(g.party_nouns),
            military_nouns=WordSet.of(triggers.military_nouns),
            target_verbs=WordSet.of(g.target_verbs),
            epistemic=WordSet.of(g.epistemic),
            negations=WordSet.of(triggers.negations),
            hypotheticals=WordSet.of(triggers.hypotheticals),
            hedges=WordSet.of(triggers.hedges),
            future=WordSet.of(triggers.future),
            aspect=WordSet.of(triggers.aspect),
        )

    @cached_property
    def function_words(self) -> frozenset[str]:
        """The single closed-class words: no noun or adjective, so no part of a noun phrase's
        modifiers."""
        return frozenset().union(
            self.determiners, self.be_forms, self.auxiliaries, self.prepositions, self.coordinators,
            self.relatives, self.clause_breaks, self.negations, self.reporting_verbs,
            {"to", "it", "they", "he", "she", "we", "i", "you"},
        )  # fmt: skip

    def is_function(self, word: str) -> bool:
        """A closed-class word (see ``function_words``)."""
        return word in self.function_words
