"""From a sentence's trigger words to *frames*: chains of words that report one stage of a
transfer, with the parties in their roles and the weapons they are about.

A chain links a stage word to the word it governs: "turned down" → "a request" → "to
purchase". The top of the chain gives the stage (REFUSE), the bottom gives the direction (the
subject of "purchase" gets the weapon), and the words in between may report stages of their
own ("a request": REQUEST). Roles come from the sentence's shape: the subject on the left,
prepositions on the right ("to Z", "from X", "by Y"), possessives ("Iran's request"), double
objects ("offered Ankara the Su-57"), and makers' names on weapons ("Russian-made").
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar, overload

from spacy.tokens import Span

from armswatch.core.model import EventType, Money
from armswatch.knowledge.schema import PrepRole, Role, Trigger, WeaponSystem
from armswatch.nlp.grammar import Words
from armswatch.nlp.mentions import Mentions, PartyMention, SystemMention, TriggerMention, WeaponMention
from armswatch.resolve.dates import find_dates

Reading = Literal["verb", "noun"]
_MAX_GOVERN_GAP = 8
_MAX_PREP_REACH = 15  # a word's prepositional phrases lie close to it
_PRONOUNS = {"it", "they"}
_TIME_PREPS = {"in", "on", "at", "by", "during", "since", "until"}
_ANY_DAY = dt.date(2000, 1, 1)  # resolves relative dates only to find where they are
_POSSIBILITY = {"could", "may", "might", "can"}
_MONEY = {"$", "us$", "€", "£", "usd", "eur", "billion", "million", "bn", "m", "mln", "trillion", "worth", "won"}
_T = TypeVar("_T")


class per_sentence(Generic[_T]):
    """A sentence's table, computed on first read and then read from the instance: as
    ``functools.cached_property`` but without its lock, which Python 3.11 takes on each first
    read (a sentence's rules first-read a dozen tables)."""

    def __init__(self, func: Callable[[SentenceFrames], _T]) -> None:
        self.func = func
        self.name = func.__name__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> per_sentence[_T]: ...
    @overload
    def __get__(self, obj: SentenceFrames, owner: type | None = None) -> _T: ...
    def __get__(self, obj: SentenceFrames | None, owner: type | None = None) -> _T | per_sentence[_T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)  # read from there from now on
        return value


@dataclass(eq=False, slots=True)
class Node:
    """One trigger word in its sentence, read as a verb or a noun."""

    mention: TriggerMention
    reading: Reading
    passive: bool = False
    negated: bool = False
    planned: bool = False
    infinitive: bool = False
    realised: bool = False  # an aspect word says it happened: "began delivering"
    possible: bool = False  # "could provide": a possibility, not a commitment
    undelivered: bool = False  # a giving word negated in the past: "Russia hadn't supplied the weapons"
    progressive: bool = False  # "is supplying": an 'ing' form with its auxiliary
    blocked: bool = False  # governs an action that is no transfer: "threatened to deploy"
    absorbed: bool = False  # a participle used as an adjective, or a light verb: "gave its approval"
    anchor: int | None = None  # where to look for the subject when a light verb carries this noun
    purpose: bool = False  # "for eventual delivery to Ukraine": the aim of another stage, not a stage
    governor: Node | None = None
    governed: Node | None = None
    # The mention's, copied: the rules read them some hundred thousand times per corpus.
    trigger: Trigger = field(init=False)
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        self.trigger = self.mention.trigger
        self.start = self.mention.start
        self.end = self.mention.end

    def chain(self) -> list[Node]:
        nodes = [self]
        while nodes[-1].governed is not None and nodes[-1].governed not in nodes:
            nodes.append(nodes[-1].governed)
        return nodes


@dataclass(slots=True)
class Frame:
    """One reported stage: its type, the parties by role, and the weapons it is about."""

    type: EventType
    nodes: list[Node]
    suppliers: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    systems: list[SystemMention] = field(default_factory=list)
    weapons: list[WeaponMention] = field(default_factory=list)
    resolved_systems: list[WeaponSystem] = field(default_factory=list)  # systems referred back to
    supplier_inferred: bool = False
    recipient_inferred: bool = False
    origins: dict[str | None, str] = field(default_factory=dict)  # weapon -> its maker named in the text
    deployed: set[str] = field(default_factory=set)  # states whose own forces hold the weapons
    date: str | None = None
    value: Money | None = None
    anaphoric: bool = False  # refers back ("the deal", "the system")
    undecided: list[str] = field(default_factory=list)  # roles left open: "a deal with Israel"
    legislators: bool = False  # opposed by the supplier's own legislators, named without their state
    hedged: bool = False
    parent: Frame | None = None  # for a middle word of a chain reporting its own stage

    @property
    def purpose(self) -> bool:
        return self.nodes[0].purpose and self.nodes[0].governor is None

    @property
    def persisted(self) -> bool:
        return self.parent is not None

    @property
    def start(self) -> int:
        return min(n.start for n in self.nodes)

    @property
    def end(self) -> int:
        return max(n.end for n in self.nodes)

    @property
    def has_verb(self) -> bool:
        """A verb (or an aspect verb after a noun: 'deliveries began') says something happened."""
        return any(n.reading == "verb" or n.realised for n in self.nodes)

    @property
    def direction(self) -> str:
        return self.nodes[-1].trigger.direction


_FrameSpan = tuple[Frame, int, int]  # a frame with its first word and its end


class SentenceFrames:
    """Builds the frames of one sentence."""

    def __init__(self, sent: Span, found: Mentions, words: Words, texts: list[str], lower: list[str]) -> None:
        """``found`` holds this sentence's mentions (see ``Mentions.split``); ``texts`` and
        ``lower`` are the document's words as written and lowercased (cheaper than its Tokens)."""
        self.sent = sent
        self.words = words
        self.texts = texts
        self.lower = lower
        self.start = sent.start
        self.end = sent.end
        self.parties = found.parties
        self.systems = found.systems
        self.weapons = found.weapons
        self.party_at = {p.start: p for p in self.parties}
        self.party_ending = {p.end - 1: p for p in reversed(self.parties)}  # by last word; the first listed wins
        self.system_at = {s.start: s for s in self.systems}
        self.weapon_at = {w.start: w for w in self.weapons}
        self.actor_at = {a.start: a.end for a in found.actors}
        self.legislative_at = {a.start: a.legislative for a in found.actors}
        triggers = found.triggers
        self.trigger_starts = {t.start for t in triggers}
        self.nodes = self._read_nodes(triggers)
        self.node_at = {n.start: n for n in self.nodes}
        self.pronoun_subjects: set[int] = set()  # words whose subject is a pronoun: "it", "they"

    @per_sentence
    def time_tokens(self) -> set[int]:
        """Tokens of time expressions ('in November', 'on Monday', 'last year'), with the
        preposition that introduces them: governing words reach over them."""
        words = self.lower[self.start : self.end]
        tokens: set[int] = set()
        for mention in find_dates(words, _ANY_DAY):
            start = (
                mention.start - 1 if mention.start > 0 and words[mention.start - 1] in _TIME_PREPS else mention.start
            )
            tokens.update(range(self.start + start, self.start + mention.end))
        return tokens

    # --- reading the trigger words ------------------------------------------------------

    def _read_nodes(self, mentions: list[TriggerMention]) -> list[Node]:
        by_span: dict[tuple[int, int], list[TriggerMention]] = {}
        for m in mentions:
            by_span.setdefault((m.start, m.end), []).append(m)
        nodes: list[Node] = []
        for (start, _end), group in sorted(by_span.items()):
            reading = self._reading(start, group)
            fitting = [m for m in group if (m.form == "noun") == (reading == "noun") or m.form == "phrase"]
            chosen = max(fitting or group, key=lambda m: m.trigger.weight)
            node = Node(chosen, reading)
            if reading == "verb" and chosen.form in ("base", "s") and not self._base_form_is_verb(start):
                continue  # "his Middle East stop", "the ships": nouns that look like verbs
            self._verb_group(node) if reading == "verb" else self._noun_group(node)
            nodes.append(node)
        self._adjectival_participles(nodes)
        return nodes

    def _base_form_is_verb(self, start: int) -> bool:
        """A bare verb form needs something that makes it a verb: 'to', a modal or auxiliary,
        a negation, a subject ('they sell', 'countries that sell', 'Finland halts')."""
        if start == self.start:
            return True  # a headline or an imperative
        prev = self.lower[start - 1]
        words = self.words
        if prev == "to" or prev in words.auxiliaries or prev in words.negations or prev in words.relatives:
            return True
        if prev in words.adverbs or prev in {"they", "we", "i", "you", "and", "or", ","}:
            return True
        party = self._party_ending_at(start - 1)
        return party is not None or (prev.endswith("s") and prev.isalpha())

    def _adjectival_participles(self, nodes: list[Node]) -> None:
        """'the proposed sale', 'its planned purchase': a participle before a noun describes it."""
        at = {n.start: n for n in nodes}
        for node in nodes:
            if node.reading != "verb" or node.mention.form != "past":
                continue
            noun = at.get(node.end)
            prev = self.lower[node.start - 1] if node.start > self.start else ""
            if noun is not None and noun.reading == "noun" and (prev in self.words.determiners or not prev):
                node.absorbed = True
                noun.planned = noun.planned or node.trigger.type in (EventType.REQUEST, EventType.OFFER)

    def _reading(self, start: int, group: list[TriggerMention]) -> Reading:
        forms = {m.form for m in group}
        if forms <= {"noun"}:
            return "noun"
        if "noun" not in forms:
            return "verb"
        prev = self.lower[start - 1] if start > self.start else ""
        if prev in self.words.determiners or prev in {"'s", "’s"} or (start - 1) in self._weapon_last_words:
            return "noun"
        if prev == "to" or prev in self.words.auxiliaries or prev in self.words.negations:
            return "verb"
        party = self._party_ending_at(start - 1)
        if party is not None and party.form == "modifier":
            return "noun"
        if party is not None or prev in {"it", "they", "he", "she", "we"}:
            return "verb"
        return "noun"

    @per_sentence
    def _weapon_last_words(self) -> set[int]:
        return {s.end - 1 for s in self.systems} | {w.end - 1 for w in self.weapons}

    def _party_ending_at(self, index: int) -> PartyMention | None:
        return self.party_ending.get(index)

    def _verb_group(self, node: Node) -> None:
        """Look left over auxiliaries, adverbs and negations: voice, tense, negation."""
        i = node.start - 1
        saw_be = False
        words = self.words
        while i >= self.start:
            w = self.lower[i]
            if w in words.negations:
                node.negated = True
            elif w in words.be_forms:
                saw_be = True
            elif w == "to":
                node.infinitive = True
                node.planned = True
                if i - 1 >= self.start and self.lower[i - 1] in words.negations:
                    node.negated = True
                break
            elif w in words.future:
                node.planned = True
                node.possible = node.possible or w in _POSSIBILITY
            elif w in words.aspect:
                node.realised = True
                break
            elif w in words.auxiliaries or w in words.adverbs or (w.endswith("ly") and w.isalpha() and len(w) > 4):
                pass
            else:
                break
            i -= 1
        if node.mention.form == "past" and saw_be:
            node.passive = True
        if node.mention.form == "past" and self._followed_by_agent(node):
            node.passive = True
        if node.mention.form == "base" and not node.infinitive and not node.planned and self._headline_infinitive(node):
            node.planned = True
        node.progressive = node.mention.form == "ing" and saw_be

    def _headline_infinitive(self, node: Node) -> bool:
        """'S. Korea to supply K9s': a bare infinitive after the subject reports a plan."""
        return node.start - 1 >= self.start and self.lower[node.start - 1] == "to"

    def _followed_by_agent(self, node: Node) -> bool:
        """'approved by the State Department': a past participle with an agent is passive."""
        i = node.end
        return i + 1 < self.end and self.lower[i] == "by" and self._skip_determiners(i + 1) in self.party_at

    def _noun_group(self, node: Node) -> None:
        """'no missile sales', 'potential sale': negation and plans in front of a noun;
        'the delivery ... could happen by November': a plan after it."""
        self._modal_after(node)
        i = node.start - 1
        steps = 0
        while i >= self.start and steps < 4:
            w = self.lower[i]
            if w in {"no", "not", "without"}:
                node.negated = True
                break
            if w in {"planned", "potential", "possible", "proposed", "prospective", "future", "expected", "eventual"}:
                node.planned = True
            if w == "for":
                node.purpose = node.trigger.direction != "none"  # "for delivery to Ukraine", not "for talks"
                break
            if not (w.isalpha() or i in self.party_at or w in _MONEY or w[:1].isdigit()):
                break
            if w in self.words.prepositions or w in self.words.relatives:
                break
            i -= 1
            steps += 1

    def _modal_after(self, node: Node) -> None:
        for i in range(node.end, min(self.end, node.end + 8)):
            w = self.lower[i]
            if w in {",", ";", "."} or (i in self.trigger_starts and i != node.start):
                return
            if w in self.words.aspect:  # "Deliveries of the first batch began in February"
                node.realised = True
                return
            if w in {"will", "would", "could", "may", "might", "shall", "scheduled", "expected", "due", "planned"}:
                node.planned = True
                return

    # --- linking stage words to what they govern ---------------------------------------

    def link(self) -> None:
        for node in self.nodes:
            self._link_contained(node)
            self._lighten(node)
        for node in self.nodes:
            if not node.trigger.governs:
                continue
            target = (
                self._infinitive_after(node)
                or self._gerund_after(node)
                or self._subjunctive_after(node)
                or self._object_after(node)
            )
            if target is None and node.reading == "verb" and (node.passive or node.trigger.type is EventType.SUSPEND):
                target = self._subject_noun_before(node)
            if target is not None and target.governor is None and target is not node:
                node.governed = target
                target.governor = node

    def _lighten(self, node: Node) -> None:
        """'has given its final approval to sell', 'made an offer': the noun carries the stage,
        the verb only its subject."""
        if node.reading != "verb" or node.trigger.governs or node.trigger.direction == "none":
            return
        target = self._object_after(node)
        if target is not None and target.trigger.direction == "none" and target.trigger.governs:
            node.absorbed = True
            target.anchor = node.start

    def _link_contained(self, node: Node) -> None:
        """'a sale that will involve the supply of spare parts to X': the supply is the sale's."""
        if node.reading != "noun" or node.governor is not None:
            return
        i = self._skip_determiners_left(node.start - 1)
        contained_by = self.words.containment.ends_at(self.lower, i) if i >= self.start else 0
        if not contained_by:
            return
        i -= contained_by
        while i >= self.start and (self.lower[i] in self.words.relatives or self.lower[i] in self.words.auxiliaries
                                   or self.lower[i] in {",", "also"}):  # fmt: skip
            i -= 1
        owner = next((n for n in self.nodes if n.end - 1 == i and n.reading == "noun"), None)
        if owner is not None and owner.governed is None and owner is not node:
            owner.governed = node
            node.governor = owner

    def _skip_determiners_left(self, i: int) -> int:
        while i >= self.start:
            n = self._determiner_ending_at(i)
            if not n:
                break
            i -= n
        return i

    def _infinitive_after(self, node: Node) -> Node | None:
        """'agreed to buy', 'a request by Iran to purchase', 'urged Medvedev not to sell'."""
        if self.lower[node.end - 1] == "to":  # the word ends in its own 'to': 'was looking to buy'
            target = self.node_at.get(node.end)
            if target is not None and target.reading == "verb":
                return target
            if target is None and self._is_plain_verb(node.end):
                node.blocked = True  # "was prepared to deploy"
                return None
        i = node.end
        limit = min(self.end, node.end + _MAX_GOVERN_GAP)
        lower, party_at, words = self.lower, self.party_at, self.words
        if "to" not in lower[i:limit]:
            return None  # the scan below finds nothing else, and it would read the time expressions
        while i < limit:
            w = lower[i]
            if w == "to":
                j = i + 1
                while j < self.end and (lower[j] in words.adverbs):
                    j += 1
                target = self.node_at.get(j)
                if target is not None and target.reading == "verb":
                    return target
                if target is None and self._is_plain_verb(j):
                    node.blocked = True  # "threatened to deploy", "agreed to help"
                return None
            if i in party_at:
                i = party_at[i].end
                continue
            if (
                w in words.negations
                or w in words.adverbs
                or w in {"by", "from", "with", "'s", "’s", "the", "as", "well"}
                or i in self.time_tokens  # "agreed in November to pay"; the dearest test last
            ):
                i += 1
                continue
            return None
        return None

    def _subjunctive_after(self, node: Node) -> Node | None:
        """'urged that the deal be cancelled', 'asked that the sale not be approved': a request's
        that-clause in the subjunctive, whose passive stage word it governs."""
        if node.reading != "verb" or node.end >= self.end or self.lower[node.end] != "that":
            return None
        for i in range(node.end + 1, min(self.end, node.end + 1 + _MAX_GOVERN_GAP)):
            if self.lower[i] in {",", ";", ":"}:
                return None
            target = self.node_at.get(i)
            if target is not None and target.reading == "verb":  # past the clause's subject ('the deal')
                return target if self.lower[i - 1] in {"be", "not"} else None
        return None

    def _gerund_after(self, node: Node) -> Node | None:
        """'considering buying', 'stopped selling', 'interest in procuring', 'talks on supplying'."""
        j = node.end
        if j < self.end and self.lower[j] in {"in", "on", "of", "about", "for", "to"}:
            j += 1
        elif node.reading != "verb":
            return None
        while j < self.end and self.lower[j] in self.words.adverbs:
            j += 1
        target = self.node_at.get(j)
        return target if target is not None and target.mention.form == "ing" else None

    def _is_plain_verb(self, j: int) -> bool:
        """A lowercase word after 'to' that starts no noun phrase: the infinitive of some verb."""
        if j >= self.end or j in self.party_at or j in self.system_at or j in self.weapon_at:
            return False
        w = self.lower[j]
        text = self.texts[j]
        return text.isalpha() and text.islower() and not self.words.is_function(w) and w not in self.words.determiners

    def _object_after(self, node: Node) -> Node | None:
        """'approved the sale', 'signed a $5 billion contract', 'talks about the possible procurement'."""
        i = node.end
        limit = min(self.end, node.end + _MAX_GOVERN_GAP)
        used_prep = False
        lower, node_at, party_at, words = self.lower, self.node_at, self.party_at, self.words
        determiners, clause_breaks = words.determiners, words.clause_breaks
        while i < limit:
            w = lower[i]
            target = node_at.get(i)
            if target is not None and target.reading == "verb" and target.mention.form == "past":
                noun = node_at.get(target.end)
                if noun is not None and noun.reading == "noun":  # "suspended its planned purchase"
                    target.absorbed = True
                    noun.planned = noun.planned or target.trigger.type in (EventType.REQUEST, EventType.OFFER)
                    return noun
            if target is not None:
                if target.trigger.type is EventType.OPPOSE and node.trigger.type is not EventType.OPPOSE:
                    return None  # "collapsed due to US objections": the objection is no object
                return target if target.reading == "noun" else None
            if i in party_at:
                party = party_at[i]
                if not (party.possessive or party.form in ("modifier", "origin")):
                    return None
                i = party.end
                continue
            if i in self.system_at:
                i = self.system_at[i].end
                continue
            quantifier = determiners.match(lower, i) if w in determiners.firsts else 0  # only a phrase counts
            if quantifier > 1:  # "a series of", "a number of": its 'of' is no preposition
                i += quantifier
                continue
            if w == "with" and i + 1 in party_at and node.trigger.type is EventType.OPPOSE and not used_prep:
                i = party_at[i + 1].end  # "raised concerns with Ethiopian officials over the purchase"
                continue
            if w in words.prepositions:
                if used_prep or w not in {"of", "on", "about", "over", "for", "to", "against", "regarding", "in"}:
                    return None
                used_prep = True
                i += 1
                continue
            if (
                w in words.relatives
                or (w in clause_breaks.heads and clause_breaks.match(lower, i))  # 'while', 'due to'
                or w in {",", ".", ";"}
            ):
                return None
            i += 1
        return None

    def _subject_noun_before(self, node: Node) -> Node | None:
        """'The sale of that system was delayed': the delayed thing is the noun on the left."""
        for other in sorted(self.nodes, key=lambda n: -n.start):
            if other.start >= node.start:
                continue
            if other.reading == "verb":
                return None
            return other if node.start - other.end <= 10 else None
        return None

    # --- frames -------------------------------------------------------------------------

    def frames(self) -> list[Frame]:
        self.link()
        frames: list[Frame] = []
        for top in self.nodes:
            if top.governor is not None or top.absorbed:
                continue
            chain = top.chain()
            frame = self._frame_for(chain)
            if frame is not None:
                frames.append(frame)
            for k, middle in enumerate(chain[1:], start=1):
                if middle.trigger.persists and frame is not None:
                    sub = self._frame_for(chain[k:], parent=frame)
                    if sub is not None and sub.type is not frame.type:
                        frames.append(sub)
        return frames

    def _frame_for(self, chain: list[Node], parent: Frame | None = None) -> Frame | None:
        top, leaf = chain[0], chain[-1]
        if top.trigger.needs_governed and top is leaf and top.reading == "noun" and self._owner_before(top):
            top.purpose = True  # "to meet Ukraine's defence needs": no stage, but it names the recipient
            return Frame(top.trigger.type, chain, parent=parent)
        if (top.trigger.needs_governed and top is leaf) or (top.blocked and top is leaf):
            return None
        if self._generic_gerund(top) or self._unasserted(top):
            return None
        if top.trigger.needs_weapon and top.reading == "noun" and not self._weapon_beside(top):
            return None  # "Medvedev's final order" is a command, "an order for 16 helicopters" a purchase
        kind = self._stage(top, leaf, parent is not None)
        if kind is None or self._hypothetical(top):
            return None
        frame = Frame(kind, chain, parent=parent)
        frame.hedged = self._hedged
        return frame

    def _unasserted(self, node: Node) -> bool:
        """'have not seen signs proving that Russia bought drones', 'Seoul providing arms to Ukraine
        would destroy relations': the sentence does not say the event happened."""
        first = self._first_negation
        if first is not None and first < node.start:
            # an epistemic word after the first negation is after a negation; the scan stops at the node
            before = self.lower[self.start : node.start]
            if any(self.words.epistemic.match(before, j) for j in range(first - self.start + 1, len(before))):
                return True
        if node.mention.form == "ing" and node.reading == "verb" and not node.progressive and node.governor is None:
            after = self.lower[node.end : self.end]
            return any(w in {"would", "could", "might"} for w in after)  # a gerund clause as a condition
        return False

    @per_sentence
    def _first_negation(self) -> int | None:
        negations, window = self.words.negations, self.lower[self.start : self.end]
        if negations.isdisjoint(window):
            return None  # most sentences: no negation, found without a Python loop
        return next(i for i, w in enumerate(window, self.start) if w in negations)

    def _weapon_beside(self, node: Node) -> bool:
        """A system or weapon noun right before the word ('the Rafale order') or in its phrase
        ('an order for 16 helicopters')."""
        weapon_starts = set(self.system_at) | set(self.weapon_at)
        weapon_ends = {m.end for m in self.systems} | {w.end for w in self.weapons}
        if node.start in weapon_ends:
            return True
        return any(i in weapon_starts for i in range(node.end, min(self.end, node.end + 6)))

    def _generic_gerund(self, node: Node) -> bool:
        """'For Ukraine, receiving F-16s is of great importance', 'Buying equipment from Russia
        leaves...': an 'ing' word heading its clause, with no subject, states no event."""
        if node.mention.form != "ing" or node.reading != "verb" or node.progressive or node.realised:
            return False
        if node.governor is not None:
            return False
        prev = self.lower[node.start - 1] if node.start > self.start else ""
        return not prev or prev in {",", ";", ":", "—", "–", "-"}

    def _stage(self, top: Node, leaf: Node, persisted: bool) -> EventType | None:
        trig = top.trigger
        direction = leaf.trigger.direction
        inner = top.governed
        if inner is not None and inner.trigger.direction == "none" and self._transparent(top, inner):
            return self._stage(inner, leaf, persisted)  # "decided to halt sales": the halt is the stage
        if top.possible and trig.direction == "none" and trig.type is not EventType.OFFER:
            return None  # "Germany could veto their export": a possibility, not a stage
        if trig.if_against is not None and leaf is not top and self._against(top):
            return trig.if_against  # "urged Moscow not to sell", "asked Israel to stop supplying"
        if top.negated and not persisted:
            if top.planned and direction == "give" and trig.negated is not None:
                return EventType.REFUSE  # "will not send": declined before any deal
            if trig.direction == "give" and trig.negated is not None:
                top.undelivered = True  # "hasn't supplied": refused, or suspended if a deal was made
            return trig.negated
        cleared_party = top.reading == "verb" and bool(self._double_object(top))  # "cleared Indonesia to buy"
        if (
            trig.type is EventType.APPROVE
            and leaf is not top
            and (top.passive or self._via_request(top) or cleared_party)
        ):
            return EventType.APPROVE  # "Slovakia was approved to purchase", "approved Israel's request to buy"
        if leaf is not top and direction == "give" and trig.if_give is not None and trig.type is EventType.REQUEST:
            return leaf.trigger.intended or trig.if_give  # "plans to sell": OFFER; "plans to deliver": AGREE
        if top.possible and top is leaf and direction in ("give", "get"):
            return trig.intended or (EventType.OFFER if direction == "give" else EventType.REQUEST)
        if (top.planned and not top.realised and top.reading == "verb" and trig.planned is not None) or (
            top.planned and top.reading == "noun" and trig.planned is not None and top.governor is None
        ):
            base = trig.planned
        else:
            base = trig.type
        if direction == "give" and trig.if_give is not None and leaf is not top:
            return trig.if_give
        if direction == "get" and trig.if_get is not None and leaf is not top:
            return trig.if_get
        return base

    @staticmethod
    def _via_request(top: Node) -> bool:
        node = top.governed
        while node is not None:
            if node.trigger.type is EventType.REQUEST and node.reading == "noun":
                return True
            node = node.governed
        return False

    @staticmethod
    def _transparent(node: Node, inner: Node) -> bool:
        """Intent words (plan, decide, want) take the stage of the stage word they govern; 'ready
        to' does so for a government's decisions ('ready to approve') but stays an offer for a
        deal ('ready to strike a deal')."""
        trig = node.trigger
        if trig.type is EventType.REQUEST and (trig.if_give is not None or trig.needs_governed):
            return True
        decisions = (EventType.APPROVE, EventType.REFUSE, EventType.SUSPEND)
        return trig.type is EventType.OFFER and node.mention.form == "phrase" and inner.trigger.type in decisions

    def _against(self, top: Node) -> bool:
        governed = top.governed
        return governed is not None and (governed.negated or governed.trigger.type is EventType.SUSPEND)

    def _hypothetical(self, node: Node) -> bool:
        """A trigger after 'if'/'unless' in its own clause reports no fact."""
        hypotheticals, lower = self.words.hypotheticals, self.lower
        tails = hypotheticals.tails  # the words an entry can end with: a set test before the lookup
        i = node.start - 1
        while i >= self.start:
            w = lower[i]
            if w in {",", ";", ":"} and i < node.start - 1:
                # 'if X, Y will sell': the trigger after the comma is the main clause
                return False
            if w in tails and hypotheticals.ends_at(lower, i):
                return not (w == "whether" and lower[i + 1 : i + 2] == ["to"])  # deliberation
            i -= 1
        return False

    @per_sentence
    def _hedged(self) -> bool:
        """A hedge anywhere in the sentence ('reportedly') weakens all its frames."""
        return not self.words.hedges.isdisjoint(self.lower[self.start : self.end])

    # --- roles --------------------------------------------------------------------------

    def assign_roles(self, frame: Frame) -> None:
        top, leaf = frame.nodes[0], frame.nodes[-1]
        subject_role = self._subject_role(frame)
        subjects = self._subjects(frame)
        roles: dict[Role, list[str]] = {"supplier": [], "recipient": [], "actor": []}
        undecided: list[str] = []
        if top.reading == "noun" and top.trigger.type is EventType.OPPOSE and self._target_verb_before(top):
            roles["recipient"] += subjects  # "Turkey is risking sanctions": the buyer is the target
        elif subject_role is not None:
            roles[subject_role] += subjects
        elif top.passive and top.trigger.direction == "give":
            roles["recipient"] += subjects  # "Spain was given the go-ahead", "Iran was supplied with drones"
        elif not top.passive:
            undecided += subjects
        counterparts: list[str] = []
        for node in frame.nodes[1:]:
            if node.reading != "noun":
                continue
            owners = [p for p in self._owner_before(node) if p not in subjects]
            role = node.trigger.subject_role
            if len(owners) == 1 and role in ("supplier", "recipient"):
                if not roles[role]:
                    roles[role] += owners  # "halted Iran's purchase"
            else:
                undecided += [p for p in owners if p not in undecided]  # "decried the Russian-Cypriot deal"
        for node in frame.nodes:
            for prep_role, parties in self._prep_objects(node, frame).items():
                for p in parties:
                    if prep_role == "counterpart":
                        counterparts.append(p)
                    elif p not in roles[prep_role]:
                        roles[prep_role].append(p)
        for p in counterparts:
            other: Role | None = {"supplier": "recipient", "recipient": "supplier"}.get(subject_role or "")  # type: ignore[assignment]
            if other is not None and p not in roles[other]:
                roles[other].append(p)
            elif other is None and p not in undecided:
                undecided.append(p)
        if top.trigger.subject == "actor" and top is not leaf:
            # "slams France for plans to sell": the object of the objection is the governed subject
            obj = self._object_party(top)
            if obj:
                inner = self._inner_subject_role(frame)
                if inner is not None:
                    roles[inner] += [p for p in obj if p not in roles[inner]]
        for node in frame.nodes:
            object_role = node.trigger.object
            if node.reading == "verb" and not node.passive and object_role is not None:
                urged = self._urged_role(frame, node) or object_role
                placed = undecided if urged == "either" else roles[urged]
                for p in self._double_object(node):
                    if p not in subjects and p not in placed and p not in undecided:
                        placed.append(p)
        if subject_role in ("supplier", "recipient") and frame.nodes[-1].trigger.either_way:
            flipped: Role = "recipient" if subject_role == "supplier" else "supplier"
            taken = [p for p in roles[subject_role] if p not in subjects]
            if taken and not roles[flipped]:  # "leased to Hungary": the subject is the one leasing out
                roles[flipped] = list(subjects)
                roles[subject_role] = taken
        self._legislators_object(frame, subjects, roles)
        frame.actors = roles["actor"]
        frame.suppliers = [p for p in roles["supplier"] if p not in frame.actors or frame.type is not EventType.OPPOSE]
        frame.recipients = [p for p in roles["recipient"] if p not in frame.suppliers]
        if undecided:
            self._place_undecided(frame, undecided)

    def _legislators_object(self, frame: Frame, subjects: list[str], roles: dict[Role, list[str]]) -> None:
        """Legislators who block or oppose a sale object from inside the supplier state: 'US
        lawmakers block the sale' is an OPPOSE by the United States (EVENTS.md)."""
        legislators = self._legislators_before(frame.nodes[0])
        if frame.type in (EventType.SUSPEND, EventType.REFUSE) and legislators is not None:
            frame.type = EventType.OPPOSE
            supplier = legislators or (roles["supplier"][:1] or subjects[:1])
            roles["actor"] = list(supplier)
            roles["supplier"] = roles["supplier"] or list(supplier)
        elif frame.type is EventType.OPPOSE and not roles["actor"] and legislators is not None:
            frame.legislators = True  # "Democratic lawmakers opposed the sale": the supplier's own

    def _legislators_before(self, node: Node) -> list[str] | None:
        """The state of the legislators who are the clause's subject or agent (an empty list when
        they are named without a state: 'Democratic lawmakers'), or None when there are none."""
        if not self._names_legislators:
            return None  # most sentences
        for party in self.parties:
            if not party.legislative:
                continue
            subject = party.end <= node.start and self._only_verb_group_between(party.end, node.start)
            if subject or self._agent_of(party, node):
                return [party.key]
        for start, end in self.actor_at.items():
            if self.legislative_at.get(start) and end <= node.start and self._subject_span(end, node.start):
                return []
        return None

    @per_sentence
    def _names_legislators(self) -> bool:
        return any(p.legislative for p in self.parties) or any(self.legislative_at.values())

    def _agent_of(self, party: PartyMention, node: Node) -> bool:
        i = self._skip_determiners_left(party.start - 1)
        return party.start > node.end and i >= self.start and self.lower[i] == "by"

    def _subject_span(self, end: int, start: int) -> bool:
        """Only names, brackets and a verb group lie between a subject noun and its verb."""
        return all(self.lower[i] not in self.words.clause_breaks for i in range(end, start)) and start - end < 16

    def _subject_role(self, frame: Frame) -> Role | None:
        top = frame.nodes[0]
        if frame.purpose and top.trigger.type is EventType.REQUEST:
            return "recipient"  # "to meet Ukraine's needs"
        if frame.type is EventType.OPPOSE and top.trigger.type is not EventType.OPPOSE:
            return "actor"  # "asked Israel to stop supplying": the asker objects
        role = top.trigger.subject_role
        if role == "governed":
            return self._inner_subject_role(frame)
        if top.passive:
            if top.trigger.type is EventType.APPROVE and top is not frame.nodes[-1]:
                return "recipient"  # "Slovakia was approved to purchase F-16s"
            return None  # the grammatical subject is the thing moved; 'by X' is handled as a preposition
        return role

    def _urged_role(self, frame: Frame, node: Node) -> Role | Literal["either"] | None:
        """Whom a request turned objection urges does what it is urged not to: 'urged Moscow not
        to sell' (the seller), 'urged Ankara to cancel the purchase' (the buyer); to cancel a deal
        ('the deal with Russia') it may be on either side. None for other frames."""
        if frame.type is not EventType.OPPOSE or node.trigger.if_against is None:
            return None
        return self._inner_subject_role(frame) or "either"

    def _inner_subject_role(self, frame: Frame) -> Role | None:
        for node in frame.nodes[1:] or frame.nodes:
            role = node.trigger.subject_role
            if role in ("supplier", "recipient"):
                return role
        return None

    def _visit_for_talks(self, node: Node) -> list[str]:
        """'a Syrian delegation visited Russia for talks about ...': both sides of the talks."""
        if node.reading != "noun" or node.trigger.type is not EventType.NEGOTIATE or node.start - 1 < self.start:
            return []
        if self.lower[node.start - 1] != "for":
            return []
        host = self._party_ending_at(node.start - 2)
        if host is None:
            return []
        return [*self._subject_left_of(host.start), host.key]

    def _subjects(self, frame: Frame) -> list[str]:
        top = frame.nodes[0]
        if top.reading == "noun":
            owner = self._owner_before(top)
            if owner:
                return owner
            visit = self._visit_for_talks(top)
            if visit:
                return visit
            verb = top.anchor if top.anchor is not None else self._light_verb_before(top)
            return self._subject_left_of(verb) if verb is not None else []
        return self._subject_left_of(top.start)

    def _target_verb_before(self, node: Node) -> bool:
        verb = self._light_verb_before(node)
        return verb is not None and self.lower[verb] in self.words.target_verbs

    def _light_verb_before(self, node: Node) -> int | None:
        """'Azerbaijan announced a $1.6 billion arms deal': a noun takes the clause's subject only
        through a verb that merely reports or makes it; 'Israel advocated the sale' is no sale by
        Israel."""
        i = node.start - 1
        while i >= self.start and (
            self._determiner_ending_at(i) or self.lower[i] in _MONEY or self.lower[i][:1].isdigit()
            or i in self.weapon_at or i in self.system_at or self.lower[i] in {"-", "new", "major", "big", "huge"}
        ):  # fmt: skip
            i -= 1
        if i >= self.start and self.lower[i] in self.words.light_verbs:
            return i
        return None

    def _owner_before(self, node: Node) -> list[str]:
        """'Iran's request', 'US arms sales', 'Egypt's potential procurement'."""
        i = node.start - 1
        steps = 0
        while i >= self.start and steps < 5:
            if self.lower[i] in {"'s", "’s", "'", "’"}:
                i -= 1
                continue
            party = self._party_ending_at(i)
            if party is not None:
                if not (party.possessive or party.form in ("modifier", "origin")):
                    return []
                owners = [party.key]
                j = party.start - 1  # "the Russian-Cypriot deal": both ends of the deal
                while j - 1 >= self.start and self.lower[j] in {"-", "–"} and self._party_ending_at(j - 1):
                    other = self._party_ending_at(j - 1)
                    assert other is not None
                    owners.insert(0, other.key)
                    j = other.start - 1
                return owners
            w = self.lower[i]
            if w in self.words.prepositions or w in {",", ";", ":"} or w in self.words.relatives:
                return []
            i -= 1
            steps += 1
        return []

    def _subject_left_of(self, index: int) -> list[str]:
        """The nearest acting party on the left, within the clause, with any parties coordinated
        with it ("Finland, Norway and the Netherlands halt ...")."""
        i = index - 1
        words = self.words
        clause_breaks, lower = words.clause_breaks, self.lower
        while i >= self.start:
            w = lower[i]
            if w in _PRONOUNS and self._only_verb_group_between(i + 1, index):
                self.pronoun_subjects.add(index)
                node = self.node_at.get(index)
                if node is None or node.passive or (node.trigger.direction == "none" and node.governed is None):
                    return []  # "after it collapsed": 'it' is the deal, not a state
                return self._antecedent(i)  # "In Turkey's case, it had bought S-400s"
            party = self.party_ending.get(i)
            if party is not None:
                # a subject if it opens its clause right before the verb ('after the U.S. rejected')
                # or stands outside any prepositional phrase; the dearer tests only for actors
                if party.form == "actor" and (
                    (self._only_verb_group_between(party.end, index) and self._after_subordinator(party))
                    or not self._inside_prep_phrase(party)
                ):
                    return self._coordinated_left(party)
                i = party.start - 1
                continue
            # a clause break ('while', 'due to') ends here: a set test before the phrase lookup
            if (w in clause_breaks.tails and clause_breaks.ends_at(lower, i)) or w in words.reporting_verbs:
                if self._adjunct_participle(i, index):
                    i -= 1  # "Brazil finalised the deal after concluding talks": the main clause's subject
                    continue
                return []
            if w in words.relatives and i - 1 >= self.start:
                j = i - 1 if self.lower[i - 1] != "," else i - 2
                antecedent = self._party_ending_at(j)
                if antecedent is not None:
                    return self._coordinated_left(antecedent)
            if i in self.node_at and self.node_at[i].reading == "verb" and self.node_at[i].governed is None:
                return []
            i -= 1
        return []

    def _adjunct_participle(self, conjunction: int, index: int) -> bool:
        """'after concluding', 'before signing', 'while negotiating': an 'ing' verb right after a
        conjunction has the subject of the clause it hangs on."""
        node = self.node_at.get(index)
        anchor = node.anchor if node is not None and node.anchor is not None else index
        at = self.node_at.get(anchor) or node
        return at is not None and at.mention.form == "ing" and conjunction == anchor - 1

    def _antecedent(self, pronoun: int) -> list[str]:
        """The state a subject pronoun stands for: the nearest acting party before it outside any
        prepositional phrase ('Berlin, in its fight against Russia's invasion, said it would
        supply'), else the nearest possessive ('In Turkey's case, it had bought')."""
        before = [p for p in self.parties if p.end <= pronoun and p.is_state]
        actors = [p for p in before if p.form == "actor" and not p.possessive and not self._inside_prep_phrase(p)]
        if actors:
            return [actors[-1].key]
        possessive = [p for p in before if p.possessive]
        return [possessive[-1].key] if possessive else []

    def _only_verb_group_between(self, start: int, end: int) -> bool:
        """'after the U.S. rejected': a party right before its verb is its subject, whatever
        word introduced the clause."""
        lower, words = self.lower, self.words
        auxiliaries, adverbs, negations, be_forms = words.auxiliaries, words.adverbs, words.negations, words.be_forms
        for i in range(start, end):
            w = lower[i]
            if not (w in auxiliaries or w in adverbs or w in negations or w in be_forms):
                return False
        return True

    def _after_subordinator(self, party: PartyMention) -> bool:
        """'after the U.S. rejected': 'after' opens a clause here, it is no preposition."""
        i = self._skip_determiners_left(party.start - 1)
        return i >= self.start and self.lower[i] in self.words.clause_breaks

    def _inside_prep_phrase(self, party: PartyMention) -> bool:
        """'talks with Russia', 'in Syria': a party right after a preposition is no subject."""
        i = party.start - 1
        while i >= self.start and self.lower[i] in self.words.determiners:
            i -= 1
        return i >= self.start and self.lower[i] in self.words.prepositions

    def _coordinated_left(self, party: PartyMention) -> list[str]:
        keys = [party.key]
        i = party.start - 1
        while i >= self.start:
            w = self.lower[i]
            if w in {",", "and", "&"}:
                i -= 1
                continue
            if w in self.words.determiners:
                i -= 1
                continue
            other = self._party_ending_at(i)
            if other is None or other.form not in ("actor",):
                break
            keys.insert(0, other.key)
            i = other.start - 1
        return keys

    def _prep_objects(self, node: Node, frame: Frame) -> dict[PrepRole, list[str]]:
        """Parties after the word's prepositions: 'to Turkey, Poland and India', 'from Russia'."""
        out: dict[PrepRole, list[str]] = {}
        preps: dict[str, PrepRole] = dict(node.trigger.preps)
        if node.passive or node.reading == "noun":
            role = node.trigger.subject_role
            if role == "governed":
                role = self._subject_role(frame)  # "the decision by Germany to allow exports": the allower
            # "finalized by Russia and Cyprus": an agent whose role the word leaves open
            preps.setdefault("by", role if role in ("supplier", "recipient", "actor") else "counterpart")
        node_at, lower, relatives = self.node_at, self.lower, self.words.relatives  # read once: the loop is hot
        clause_breaks = self.words.clause_breaks
        break_heads = clause_breaks.heads
        for i in range(node.end, min(self.end, node.end + _MAX_PREP_REACH)):
            w = lower[i]
            if w in relatives or w == ";" or (w in break_heads and clause_breaks.match(lower, i)):
                break  # the phrases end at a relative pronoun, ';' or a clause break ('while', 'due to')
            if i in node_at and i != node.end and node_at[i] not in frame.nodes:
                break
            if w in preps:
                parties = self._party_list_after(i + 1)
                if parties:
                    out.setdefault(preps[w], []).extend(parties)
        return out

    # Closed-class phrases (determiners here, clause breaks and others in the loops above) are
    # looked up where a rule stands, not tabled for the whole sentence: a sentence has many words
    # that may start or end one ('in', 'of', 'the') and the rules ask about a few positions. A
    # set test on the word comes first: a word that starts (ends) no entry is not among the
    # ``heads`` (``tails``) of the class.

    def _determiner_at(self, i: int) -> int:
        """Length of the determiner starting at word ``i`` of the sentence, 0 when none."""
        determiners, lower = self.words.determiners, self.lower
        return determiners.match(lower, i) if self.start <= i < self.end and lower[i] in determiners.heads else 0

    def _determiner_ending_at(self, i: int) -> int:
        """Length of the determiner ending at word ``i`` of the sentence, 0 when none."""
        determiners, lower = self.words.determiners, self.lower
        return determiners.ends_at(lower, i) if self.start <= i < self.end and lower[i] in determiners.tails else 0

    def _party_list_after(self, index: int) -> list[str]:
        """Parties starting at ``index``: 'Turkey, Poland, India and Estonia', 'the UAE', and
        'a number of countries - including Syria, the UAE and India'."""
        i = self._skip_determiners(index)
        keys: list[str] = []
        if i < self.end and self.words.generic_parties.match(self.lower, i):
            opener = next(
                (j for j in range(i + 1, min(self.end, i + 4)) if self.words.list_openers.match(self.lower, j)), None
            )
            if opener is None:
                return []
            i = opener
            while i < self.end and self.words.list_openers.match(self.lower, i):
                i += self.words.list_openers.match(self.lower, i)
        while i < self.end:
            i = self._skip_determiners(i)
            if i in self.actor_at and self.actor_at[i] + 1 < self.end and self.lower[self.actor_at[i]] == "of":
                i = self._skip_determiners(self.actor_at[i] + 1)  # "the air forces of Hungary"
            party = self.party_at.get(i)
            if party is None or party.form == "ignore":
                break
            if party.possessive and party.end + 1 in self.party_at:
                party = self.party_at[party.end + 1]  # "to Yemen's Houthi rebels": the possessed party
            if party.key not in keys:
                keys.append(party.key)
            i = party.end
            if i < self.end and self.lower[i] in {"'s", "’s"}:
                i += 1
            n = self.words.coordinators.match(self.lower, i)
            if not n:
                break
            i += n
            if i < self.end and self.lower[i] == "and":
                i += 1
        return keys

    def _skip_determiners(self, i: int) -> int:
        while i < self.end:
            n = self._determiner_at(i)
            if not n:
                break
            i += n
        return i

    def _object_party(self, node: Node) -> list[str]:
        i = node.end
        while i < self.end and (self.lower[i] in self.words.determiners or self.lower[i] in self.words.adverbs):
            i += 1
        party = self.party_at.get(i)
        return [party.key] if party is not None and party.form == "actor" else []

    def _double_object(self, node: Node) -> list[str]:
        """The parties right after a verb: 'offered Ankara the Su-57', 'sell Syria advanced
        missiles', 'supply Ukraine with tanks', 'urged Germany to send'."""
        i = node.end
        while i < self.end and self.lower[i] in self.words.adverbs:
            i += 1
        party = self.party_at.get(i)
        if party is None or party.form not in ("actor",):
            return []
        after = party.end
        if after < self.end and self.lower[after] in {"'s", "’s"} and (after + 1) not in self.actor_at:
            return []  # "supplied Myanmar's junta" is an object; "sold Iran's jets" is not
        return self._party_list_after(i)

    def _place_undecided(self, frame: Frame, parties: list[str]) -> None:
        """Parties whose role the words leave open go where the other role is missing; with
        neither role known they wait for the weapons' origin (see the extractor)."""
        for key in parties:
            if key in frame.suppliers or key in frame.recipients:
                continue
            if frame.recipients and not frame.suppliers:
                frame.suppliers.append(key)
            elif frame.suppliers and not frame.recipients:
                frame.recipients.append(key)
            else:
                frame.undecided.append(key)

    # --- weapons ------------------------------------------------------------------------

    def attach_weapons(self, frames: list[Frame]) -> None:
        """Each system and weapon noun goes to the nearest frame, preferring one it follows."""
        if not frames:
            return
        spans = [(frame, frame.start, frame.end) for frame in frames]  # read once, not per mention
        for system in self.systems:
            frame = self._holder_of(spans, system.start)
            if frame is not None:
                frame.systems.append(system)
        for weapon in self.weapons:  # "sent containers that could hold 6 million shells"
            frame = self._holder_of(spans, weapon.start, across_relatives=True)
            if frame is not None:
                frame.weapons.append(weapon)
        for frame in frames:
            if frame.parent is not None:
                frame.systems = list(frame.parent.systems)
                frame.weapons = list(frame.parent.weapons)

    def _holder_of(self, spans: list[_FrameSpan], index: int, *, across_relatives: bool = False) -> Frame | None:
        """The nearest frame not behind a clause boundary: 'offered Gripens at a price to match
        that demanded for F-16s', 'despite objections after Israel downed a plane'."""
        if self._replaced(index):
            return None
        candidates = [
            span for span in spans if not (span[2] <= index and self._clause_between(span[2], index, across_relatives))
        ]
        return self._nearest(candidates, index) if candidates else None

    def _clause_between(self, start: int, end: int, across_relatives: bool = False) -> bool:
        """A relative pronoun or a conjunction ('that', 'while') between two positions; 'as well
        as' is a list, not a clause."""
        every, clauses = self._boundaries
        positions = clauses if across_relatives else every
        k = bisect_left(positions, start)  # the first boundary at or after ``start``
        return k < len(positions) and positions[k] < end

    @per_sentence
    def _boundaries(self) -> tuple[list[int], list[int]]:
        """Where the sentence's clause boundaries are, in order: all of them, and those that are
        more than a relative pronoun."""
        lower, clause_breaks, relatives = self.lower, self.words.clause_breaks, self.words.relatives
        every: list[int] = []
        clauses: list[int] = []
        lists: set[int] | None = None  # 'as well as', 'along with': found once there is a boundary to test
        for i in range(self.start, self.end):
            w = lower[i]
            breaks = w in clause_breaks
            if not breaks and w not in relatives:
                continue
            if lists is None:
                lists = {j for j, n in self.words.coordinators.starts_in(lower, self.start, self.end).items() if n > 1}
            if i in lists or (w == "as" and lower[i - 1 : i] == ["well"]):
                continue
            every.append(i)
            if breaks:
                clauses.append(i)
        return every, clauses

    def _replaced(self, index: int) -> bool:
        """'to replace its ageing MiG-21s', 'in favour of F-15s': the weapon being replaced, or
        chosen instead, is not the one traded; nor are those passed over ('selected the Gripen
        over the F/A-18 and the Rafale')."""
        i = self._replacement_word_before(index)
        if i is not None:
            return not any(j in self.node_at for j in range(i + 1, index))
        return self._passed_over(index)

    def _replacement_word_before(self, index: int) -> int | None:
        """The first of the 8 words before ``index`` where a replacement phrase ('replace', 'in
        favour of') starts or ends."""
        replacement, lower = self.words.replacement, self.lower
        heads, tails = replacement.heads, replacement.tails  # set tests before the phrase lookups
        for i in range(max(self.start, index - 8), min(index, self.end)):
            w = lower[i]
            if (w in heads and replacement.match(lower, i)) or (w in tails and replacement.ends_at(lower, i)):
                return i
        return None

    @per_sentence
    def _mention_ends(self) -> dict[int, int]:
        """Where each system or weapon mention ends -> where it starts."""
        return {m.end: m.start for m in self.systems} | {w.end: w.start for w in self.weapons}

    @per_sentence
    def _first_over_after_mention(self) -> int | None:
        """The first 'over' right after a system or weapon ('the Gripen over'), where any."""
        lower = self.lower
        overs = [j for j in self._mention_ends if j < len(lower) and lower[j] == "over"]
        return min(overs) if overs else None

    def _passed_over(self, index: int) -> bool:
        """'X over [the Boeing] Y [and Dassault] Z': a named weapon, 'over', and the alternatives."""
        first = self._first_over_after_mention
        if first is None or first >= index:
            return False  # the walk below ends on such an 'over' before ``index``, or says no
        mention_ends = self._mention_ends
        j = index - 1
        while j > self.start and index - j < 12:
            if self.lower[j] == "over":  # also a determiner: 'over 100 jets'
                break
            if j + 1 in mention_ends:  # an alternative listed before this one
                j = mention_ends[j + 1] - 1
            elif self._list_glue(j) or self.texts[j][:1].isupper():  # or a maker's name: 'Dassault Rafale'
                j -= 1
            else:
                break
        return self.lower[j] == "over" and j in mention_ends

    def _list_glue(self, j: int) -> bool:
        return self.lower[j] in {",", "and", "or"} or self._determiner_ending_at(j) > 0

    @staticmethod
    def _nearest(spans: list[_FrameSpan], index: int) -> Frame:
        def distance(span: _FrameSpan) -> tuple[int, int]:
            frame, start, end = span
            if frame.persisted:
                return (10_000, 0)
            if index >= end:
                return (index - end, 0)
            if index < start:
                return (start - index + 3, 1)
            return (0, 0)

        return min(spans, key=distance)[0]

    def deployed_by(self, frame: Frame) -> set[str]:
        """States whose own forces hold the frame's weapons: 'Two U.S. Army Patriot batteries'."""
        owners: set[str] = set()
        starts = [m.start for m in frame.systems] + [w.start for w in frame.weapons]
        for party in self.parties:
            system_start = next((s for s in starts if 0 <= s - party.end <= 3), None)
            if system_start is None:
                continue
            words = self.lower[party.start : system_start]
            for i in range(1, len(words)):
                # "U.S. Army Patriot batteries" names a force; "Russian military helicopters" an origin
                if self.words.military_nouns.match(words, i) and self.texts[party.start + i][:1].isupper():
                    owners.add(party.key)
        return owners

    def origin_parties(self, frame: Frame) -> dict[str | None, str]:
        """The maker the sentence names for each of the frame's weapons: 'Russian S-400',
        'US-made F-15s and France's Rafale' (system name, or None for weapon nouns)."""
        makers = [p for p in self.parties if p.form == "origin" or (p.possessive and p.is_state)]
        origins: dict[str | None, str] = {}
        for mention in frame.systems:
            maker = next((p for p in makers if 0 <= mention.start - p.end <= 4), None)
            if maker is not None and (maker.form == "origin" or maker.key == mention.system.origin):
                origins[mention.system.name] = maker.key  # "Japan's Mogami": a possessor only if the maker
        for weapon in frame.weapons:
            maker = next((p for p in makers if p.form == "origin" and 0 <= weapon.start - p.end <= 4), None)
            if maker is not None:
                origins.setdefault(None, maker.key)
        return origins

    def unassigned_actors(self, frames: list[Frame]) -> list[str]:
        used = {k for f in frames for k in (*f.suppliers, *f.recipients, *f.actors)}
        keys: list[str] = []
        for p in self.parties:
            if p.form != "actor" or p.key in used or p.key in keys or self._is_speaker(p):
                continue
            if self._in_place_phrase(p):
                continue  # "a summit in Brazil": where, not who
            keys.append(p.key)
        return keys

    def _in_place_phrase(self, party: PartyMention) -> bool:
        if party.possessive:
            return False  # "in Turkey's case"
        i = self._skip_determiners_left(party.start - 1)
        return i >= self.start and self.lower[i] in {"in", "at", "near", "across", "inside", "around", "into"}

    def _is_speaker(self, party: PartyMention) -> bool:
        """'..., the French presidency said': a source of the report, not a party to it."""
        for i in range(party.end, min(self.end, party.end + 3)):
            if self.lower[i] in self.words.reporting_verbs:
                return True
        j = party.start - 1
        return j >= self.start and self.lower[j] in self.words.reporting_verbs

    def anaphoric(self, frame: Frame) -> bool:
        """'the deal', 'this system', 'the long-range weapon', 'it has six clients': the frame
        refers back."""
        top = frame.nodes[0]
        if top.start in self.pronoun_subjects or (top.anchor is not None and top.anchor in self.pronoun_subjects):
            return True
        starts = [n.start for n in frame.nodes if n.reading == "noun"] + [w.start for w in frame.weapons]
        return any(self._determined_by_anaphor(start) for start in starts)

    def _determined_by_anaphor(self, start: int) -> bool:
        if self.lower[start] in self.words.anaphors and start in self.weapon_at:
            return True  # the weapon noun carries its determiner: "the system"
        i = start - 1
        steps = 0
        while i >= self.start and steps < 4:
            w = self.lower[i]
            if w in self.words.anaphors:
                return True
            if not (w == "-" or (w.isalpha() and not self.words.is_function(w))):
                return False
            i -= 1
            steps += 1
        return False
