"""Compile the knowledge files into what the matchers look for.

Each surface form (a name, a designation, an inflected trigger word) gets a *payload* saying
what it means. The same surface can mean several things ("Kim": several office holders), so a
surface carries a tuple of payloads and later stages pick among them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from armswatch.core.model import Category
from armswatch.knowledge.loader import Knowledge, name_key
from armswatch.knowledge.schema import Term, Trigger, TriggersFile, WeaponSystem

PartyVia = Literal["name", "abbreviation", "demonym", "metonym", "organisation", "leader", "group", "origin"]
VerbForm = Literal["base", "s", "past", "ing", "noun", "phrase"]


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A state (ISO code) or non-state group (lowercase key) that a surface names."""

    key: str
    via: PartyVia
    terms: tuple[Term, ...] = ()  # for office holders: when the name stands for the state
    legislative: bool = False  # a legislature: its objections are OPPOSE


@dataclass(frozen=True, slots=True)
class SystemRef:
    system: WeaponSystem
    needs_context: bool = False  # an ordinary word too (Patriot): only with a military word nearby


@dataclass(frozen=True, slots=True)
class TriggerRef:
    trigger: Trigger
    form: VerbForm


@dataclass(frozen=True, slots=True)
class WeaponNounRef:
    category: Category


@dataclass(frozen=True, slots=True)
class ActorNounRef:
    legislative: bool


@dataclass(frozen=True, slots=True)
class FalseFriendRef:
    """A phrase that contains a name but does not mean the state: it blocks the name."""


Payload = PartyRef | SystemRef | TriggerRef | WeaponNounRef | ActorNounRef | FalseFriendRef


@dataclass
class Lexicon:
    """Surface forms by matching mode. ``exact`` is case-sensitive, ``folded`` case-insensitive."""

    exact: dict[str, list[Payload]] = field(default_factory=lambda: defaultdict(list))
    folded: dict[str, list[Payload]] = field(default_factory=lambda: defaultdict(list))
    designations: dict[str, list[SystemRef]] = field(default_factory=lambda: defaultdict(list))

    def add_exact(self, surface: str, payload: Payload) -> None:
        if payload not in self.exact[surface]:
            self.exact[surface].append(payload)

    def add_folded(self, surface: str, payload: Payload) -> None:
        key = surface.lower()
        if payload not in self.folded[key]:
            self.folded[key].append(payload)


designation_key = name_key  # how designations are compared: letters and digits, casefolded


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def build_lexicon(kb: Knowledge, language: str = "en") -> Lexicon:
    lex = Lexicon()
    triggers = kb.triggers.get(language)
    _add_states(lex, kb)
    _add_organisations(lex, kb)
    _add_leaders(lex, kb)
    _add_groups(lex, kb)
    _add_systems(lex, kb.systems.values())
    if triggers is not None:
        _add_origin_variants(lex, triggers.origin_suffixes)
        _add_triggers(lex, triggers)
        _add_nouns(lex, triggers)
        _add_non_triggers(lex, triggers)
    return lex


# --- parties --------------------------------------------------------------------------


def _case_variants(surface: str) -> Iterator[str]:
    yield surface
    if surface.upper() != surface:
        yield surface.upper()


def _add_party(lex: Lexicon, surface: str, ref: PartyRef, *, exact_only: bool = False) -> None:
    variants = [surface] if exact_only else list(_case_variants(surface))
    for variant in variants:
        lex.add_exact(variant, ref)


def _add_states(lex: Lexicon, kb: Knowledge) -> None:
    for state in kb.states.values():
        for name in [state.name, *state.names]:
            _add_party(lex, name, PartyRef(state.code, "name"))
        for abbr in state.abbreviations:
            _add_party(lex, abbr, PartyRef(state.code, "abbreviation"), exact_only=True)
        for demonym in state.demonyms:
            _add_party(lex, demonym, PartyRef(state.code, "demonym"))
        for metonym in state.metonyms:
            _add_party(lex, metonym, PartyRef(state.code, "metonym"))
        for phrase in state.false_friends:
            for variant in _case_variants(phrase):
                lex.add_exact(variant, FalseFriendRef())


def _add_organisations(lex: Lexicon, kb: Knowledge) -> None:
    for org in kb.organisations:
        ref = PartyRef(org.state, "organisation", legislative=org.kind == "legislature")
        for name in [org.name, *org.aliases]:
            _add_party(lex, name, ref, exact_only=name.isupper())


def _add_leaders(lex: Lexicon, kb: Knowledge) -> None:
    for holder in kb.office_holders:
        ref = PartyRef(holder.state, "leader", terms=tuple(holder.terms))
        for name in [holder.name, *holder.aliases]:
            _add_party(lex, name, ref)


def _add_groups(lex: Lexicon, kb: Knowledge) -> None:
    for group in kb.groups.values():
        ref = PartyRef(group.key, "group")
        for name in group.names:
            _add_party(lex, name, ref, exact_only=name.isupper() and len(name) <= 3)


def _add_origin_variants(lex: Lexicon, suffixes: list[str]) -> None:
    """'Russian-made', 'U.S.-built': a state attached to a weapon as its maker or supplier."""
    parties = [(surface, ref) for surface, refs in list(lex.exact.items()) for ref in refs]
    for surface, ref in parties:
        if not isinstance(ref, PartyRef) or ref.via not in ("name", "abbreviation", "demonym"):
            continue
        origin = PartyRef(ref.key, "origin")
        for suffix in suffixes:
            lex.add_exact(f"{surface}-{suffix}", origin)


# --- systems --------------------------------------------------------------------------


def _add_systems(lex: Lexicon, systems: Iterable[WeaponSystem]) -> None:
    for system in systems:
        context = set(system.context_aliases)
        for alias in dict.fromkeys([system.name, *system.aliases, *system.context_aliases]):
            ref = SystemRef(system, needs_context=alias in context)
            key = designation_key(alias)
            if has_digit(alias) and len(key) > 1 and not key.isdigit():
                lex.designations[key].append(ref)
            for variant in _plural_variants(alias):
                if ref.needs_context:
                    for cased in _case_variants(variant):
                        lex.add_exact(cased, ref)
                else:
                    lex.add_folded(variant, ref)


def _plural_variants(name: str) -> Iterator[str]:
    yield name
    if not name.endswith("s"):
        yield name + "s"
        yield name + "es" if name[-1] in "xh" else name + "'s"


# --- trigger words --------------------------------------------------------------------

_VOWELS = set("aeiou")


def verb_forms(base: str, irregular: dict[str, list[str]]) -> dict[str, VerbForm]:
    """All forms of a (possibly multi-word) verb: 'hand over' -> 'handed over', 'hands over'..."""
    head, _, rest = base.partition(" ")
    tail = f" {rest}" if rest else ""
    out: dict[str, VerbForm] = {base: "base"}
    for form, kind in _inflect(head, irregular.get(head, [])):
        out.setdefault(form + tail, kind)
    return out


def _inflect(verb: str, irregular: list[str]) -> Iterator[tuple[str, VerbForm]]:
    for form in irregular:
        yield form, "past"
    consonant_y = verb.endswith("y") and verb[-2:-1] not in _VOWELS
    if consonant_y:
        yield verb[:-1] + "ies", "s"
    elif verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        yield verb + "es", "s"
    else:
        yield verb + "s", "s"
    doubled = _doubles(verb)
    if not irregular:
        if consonant_y:
            yield verb[:-1] + "ied", "past"
        elif verb.endswith("e"):
            yield verb + "d", "past"
        else:
            yield (verb + verb[-1] if doubled else verb) + "ed", "past"
    stem = verb[:-1] if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) else verb
    yield (verb + verb[-1] if doubled else stem) + "ing", "ing"
    if doubled and verb.endswith("l"):  # American spelling keeps one l: canceled, canceling
        if not irregular:
            yield verb + "ed", "past"
        yield verb + "ing", "ing"


def _doubles(verb: str) -> bool:
    """Ship -> shipped, scrap -> scrapped, commit -> committed: consonant-vowel-consonant ends."""
    if len(verb) < 3 or verb[-1] in "wxy" or verb[-1] in _VOWELS:
        return False
    return verb[-2] in _VOWELS and verb[-3] not in _VOWELS and not verb.endswith(("en", "er", "on"))


def noun_forms(noun: str) -> list[str]:
    head, sep, rest = noun.rpartition(" ")
    last = rest
    if last.endswith("y") and last[-2:-1] not in _VOWELS:
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x", "z")):
        plural = last + "es"
    else:
        plural = last + "s"
    return [noun, f"{head}{sep}{plural}"]


def _add_triggers(lex: Lexicon, triggers: TriggersFile) -> None:
    for trigger in triggers.triggers:
        for verb in trigger.verbs:
            for form, kind in verb_forms(verb, triggers.irregular).items():
                lex.add_folded(form, TriggerRef(trigger, kind))
        for noun in trigger.nouns:
            for form in noun_forms(noun):
                lex.add_folded(form, TriggerRef(trigger, "noun"))
        for phrase in trigger.phrases:
            lex.add_folded(phrase, TriggerRef(trigger, "phrase"))


def _add_non_triggers(lex: Lexicon, triggers: TriggersFile) -> None:
    for phrase in triggers.not_triggers:
        for form in noun_forms(phrase):
            lex.add_folded(form, FalseFriendRef())


def _add_nouns(lex: Lexicon, triggers: TriggersFile) -> None:
    for category, nouns in triggers.weapon_nouns.items():
        for noun in nouns:
            for form in noun_forms(noun):
                lex.add_folded(form, WeaponNounRef(category))
    legislative = set(triggers.legislative_nouns)
    for noun in [*triggers.actor_nouns, *triggers.legislative_nouns]:
        for form in noun_forms(noun):
            lex.add_folded(form, ActorNounRef(legislative=noun in legislative))


def term_covers(terms: tuple[Term, ...], day: dt.date | None) -> bool:
    """Whether an office holder held any office on ``day`` (unknown day: yes)."""
    if day is None:
        return True
    return any(t.start <= day and (t.end is None or day <= t.end) for t in terms)
