"""The extractor: one document in, the arms-transfer events it reports out.

Stages: tokens and sentences (spaCy), mentions (phrase matchers built from the knowledge
files), frames per sentence (``frames.py``), then roles completed from the weapons' origins and
from what the document said before ("the system", "the deal"), dates, quantities and values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc, Span

from armswatch.core.model import Category, Document, Event, EventType, Money
from armswatch.knowledge import Knowledge, default_knowledge
from armswatch.knowledge.schema import WeaponSystem
from armswatch.nlp.frames import Frame, SentenceFrames
from armswatch.nlp.grammar import Words
from armswatch.nlp.lexicon import build_lexicon, designation_key
from armswatch.nlp.mentions import MentionFinder, Mentions, SystemMention
from armswatch.nlp.pipeline import make_nlp, token_texts
from armswatch.nlp.prefilter import Prefilter
from armswatch.resolve.amounts import find_money, preferred_money, quantity_before
from armswatch.resolve.dates import DateMention, find_dates, nearest_date

# Stages whose recipient a sentence often leaves to its other parties: "Assad was told that
# Moscow will not sell the missiles" (to Syria).
_IMPLICIT_RECIPIENT = {EventType.REFUSE, EventType.SUSPEND}
_MAX_NAMED_FROM_CONTEXT = 3  # beyond this many candidates a vague event stays vague
_BULLETS = {"•", "·", "▪", "◦", "-", "–", "—", "*"}
_MAX_CHARS = 2_000_000  # spaCy's default limit is 1M characters; articles are far shorter


@dataclass
class DocContext:
    """What the document has said so far, for words that refer back and for sentences that
    leave out what the article already established ("Deliveries began in February")."""

    seen: str = ""  # the text the pipeline read: the article, with lines of no interest blanked
    systems: list[WeaponSystem] = field(default_factory=list)  # most recent last
    last_frame: Frame | None = None
    list_frame: Frame | None = None  # a frame whose sentence ends with ':' and introduces a list
    last_pair: tuple[str, str, str | None] | None = None  # (supplier, recipient, date) of the last event
    transfers: list[tuple[WeaponSystem, str, str]] = field(default_factory=list)  # (family, supplier, recipient)
    recipients_of: dict[str, Counter[str]] = field(default_factory=dict)  # supplier -> its recipients

    def system_of(self, recipient: str, category: Category | None) -> WeaponSystem | None:
        """The system the article last paired with this recipient, of the category if one is given."""
        for family, _supplier, known in reversed(self.transfers):
            if known == recipient and _compatible(category, family.category):
                return family
        return None

    def recipient_of(self, family: WeaponSystem, supplier: str | None) -> str | None:
        """The recipient the article most often paired with this system and supplier."""
        counts = Counter(r for known, s, r in self.transfers if known.name == family.name and s == supplier)
        return counts.most_common(1)[0][0] if counts else None

    def remember(self, event: Event, family: WeaponSystem | None) -> None:
        if event.supplier is None or event.recipient is None or event.type is EventType.OPPOSE:
            return
        self.last_pair = (event.supplier, event.recipient, event.date)
        if family is not None:
            self.transfers.append((family, event.supplier, event.recipient))
        self.recipients_of.setdefault(event.supplier, Counter())[event.recipient] += 1

    def paired(self, supplier: str, recipient: str) -> bool:
        """Whether the article already reported a transfer from ``supplier`` to ``recipient``."""
        return self.recipients_of.get(supplier, Counter())[recipient] > 0

    def usual_recipient(self, supplier: str) -> str | None:
        """The recipient the article pairs with this supplier, else the article's main recipient."""
        counts = self.recipients_of.get(supplier)
        if counts:
            return counts.most_common(1)[0][0]
        overall: Counter[str] = Counter()
        for per_supplier in self.recipients_of.values():
            overall.update(per_supplier)
        overall.pop(supplier, None)
        return overall.most_common(1)[0][0] if overall else None

    def usual_supplier(self, recipient: str) -> str | None:
        """The supplier the article most often pairs with this recipient."""
        counts = Counter({supplier: known[recipient] for supplier, known in self.recipients_of.items()})
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] > 0 else None

    def last_system(self, category: Category | None) -> WeaponSystem | None:
        for system in reversed(self.systems):
            if category is None or category is Category.OTHER or system.category is category:
                return system
        return None


class Extractor:
    """Holds the compiled knowledge; build one per process and reuse it for every document."""

    def __init__(self, knowledge: Knowledge | None = None, *, language: str = "en", prefilter: bool = True) -> None:
        self.knowledge = knowledge or default_knowledge()
        self.nlp = make_nlp()
        self.nlp.max_length = _MAX_CHARS
        triggers = self.knowledge.triggers[language]
        self.words = Words.of(triggers)
        self.finder = MentionFinder(self.nlp, build_lexicon(self.knowledge, language), self.words)
        self.exporter_rank = {code: n for n, code in enumerate(self.knowledge.exporters)}
        # Bodies such as the UN or the African Union take part in the arms trade only as critics.
        self.bystanders = {g.key for g in self.knowledge.groups.values() if not g.trades_arms}
        self.prefilter = Prefilter(self.finder.lexicon) if prefilter else None  # the fast path

    def extract(self, doc: Document) -> list[Event]:
        """The distinct events ``doc`` reports, one per (type, supplier, recipient, system[, actor])."""
        text = doc.text[:_MAX_CHARS]
        if self.prefilter is not None:
            text = self.prefilter.reduce(text)  # "" for news with no arms content
        if not text.strip():
            return []
        return self._events(doc, self.nlp(text), text)

    def extract_many(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        for doc in docs:
            yield doc, self.extract(doc)

    # --- per document -------------------------------------------------------------------

    def _events(self, doc: Document, sdoc: Doc, text: str) -> list[Event]:
        texts = token_texts(sdoc)  # read once by the sentence splitter: cheaper than a Token per word
        lower = [w.lower() for w in texts]
        found = self.finder.find(sdoc, doc.published, texts, lower)
        context = DocContext(seen=text)  # Doc.text would rebuild it from a Token per word
        events: dict[tuple[str, str | None, str | None, str | None, str | None], Event] = {}
        sentences = list(sdoc.sents)
        shares = found.split([(sent.start, sent.end) for sent in sentences])
        for sent, share in zip(sentences, shares, strict=True):
            for event in self._sentence_events(doc, sent, share, texts, lower, context):
                key = event.key()
                if key not in events or events[key].confidence < event.confidence:
                    events[key] = event
        named = self._name_vague_systems(list(events.values()))
        collapsed = _drop_vague_duplicates(_collapse_variants(named, self._base_name))
        return sorted(collapsed, key=lambda e: (e.start, e.type.value))

    def _sentence_events(
        self, doc: Document, sent: Span, found: Mentions, texts: list[str], lower: list[str], context: DocContext
    ) -> list[Event]:
        """The events of one sentence; ``found`` holds its mentions (see ``Mentions.split``)."""
        if not found.triggers and not (found.systems and context.list_frame is not None):
            context.systems += [s.system for s in found.systems]
            return []  # no word of any stage, and no list item: nothing to assemble
        sf = SentenceFrames(sent, found, self.words, texts, lower)
        frames = sf.frames()
        sf.attach_weapons(frames)
        for frame in frames:
            sf.assign_roles(frame)
            frame.anaphoric = sf.anaphoric(frame)
        # "for eventual delivery to Ukraine": no stage of its own, but it lends its parties.
        helpers = [f for f in frames if f.purpose]
        if frames and context.seen[sent.start_char : sent.end_char].rstrip().endswith(":"):
            context.list_frame = self._list_head(frames[0], context)  # "Here's what the package includes:"
        # A bare noun with no party of its own ("as the tender heats up") reports nothing.
        frames = [
            f
            for f in frames
            if not f.purpose and (f.has_verb or f.suppliers or f.recipients or f.actors or f.undecided or f.persisted)
        ]
        frames = frames or self._list_items(sf, context)
        events: list[Event] = []
        unassigned = sf.unassigned_actors(frames)
        if not frames:
            context.systems += [s.system for s in sf.systems]
            return []
        numbers = _SentenceNumbers(sent, found, lower, doc.published)
        for frame in frames:
            self._complete(frame, frames + helpers, sf, unassigned, context)
            frame.date = frame.date or numbers.date_near(frame.start) or _iso(doc.published)
            for event in self._frame_events(doc, sent, frame, numbers, context):
                events.append(event)
                context.remember(event, self._family(event.system))
        context.systems += [s.system for s in sf.systems]
        if frames:
            context.last_frame = frames[0]
        return events

    @staticmethod
    def _list_head(frame: Frame, context: DocContext) -> Frame:
        """The stage a list introduces, with the parties the article has established."""
        if not (frame.suppliers and frame.recipients) and context.last_pair is not None:
            supplier, recipient, date = context.last_pair
            frame.suppliers = frame.suppliers or [supplier]
            frame.recipients = frame.recipients or [recipient]
            frame.date = frame.date or date
        return frame

    def _list_items(self, sf: SentenceFrames, context: DocContext) -> list[Frame]:
        """A bullet line under 'the package includes:' reports the package's stage for its items."""
        head = context.list_frame
        first = sf.texts[sf.start][:1] if sf.end > sf.start else ""
        if head is None or first not in _BULLETS or not sf.systems:
            return []
        item = Frame(head.type, head.nodes, suppliers=list(head.suppliers), recipients=list(head.recipients),
                     actors=list(head.actors), systems=list(sf.systems), date=head.date)  # fmt: skip
        return [item]

    # --- completing roles ---------------------------------------------------------------

    def _complete(
        self, frame: Frame, frames: list[Frame], sf: SentenceFrames, unassigned: list[str], context: DocContext
    ) -> None:
        if not frame.systems:
            self._resolve_systems(frame, frames, sf, context)
        if frame.undecided:
            self._settle_undecided(frame)
        if not frame.recipients:
            siblings = [f for f in frames if f is not frame and f.recipients and _same_goods(f, frame)]
            sibling = min(siblings, key=lambda f: (not f.purpose, abs(f.start - frame.start)), default=None)
            if sibling is not None:
                frame.recipients = list(sibling.recipients)
                frame.recipient_inferred = True
                if not frame.suppliers:  # the same transfer: "cancelled the deal after it collapsed"
                    frame.suppliers = [p for p in sibling.suppliers if p not in frame.actors]
                    frame.supplier_inferred = frame.supplier_inferred or sibling.supplier_inferred
            elif unassigned and frame.type in _IMPLICIT_RECIPIENT:
                candidates = [k for k in unassigned if k not in frame.suppliers and k not in frame.actors]
                if candidates:
                    frame.recipients = candidates[:1]
                    frame.recipient_inferred = True
            if not frame.recipients and frame.anaphoric and frame.has_verb and context.last_frame is not None:
                frame.recipients = list(context.last_frame.recipients)
                frame.recipient_inferred = True
        frame.origins = sf.origin_parties(frame)
        frame.deployed = sf.deployed_by(frame)
        last = context.last_frame
        if not frame.suppliers and frame.anaphoric and frame.has_verb and last is not None and not frame.systems:
            frame.suppliers = list(last.suppliers)
            frame.supplier_inferred = True
        if frame.type is EventType.OPPOSE and frame.legislators and not frame.actors:
            frame.actors = frame.suppliers[:1] or [s for s, _ in self._suppliers_for(frame, None, context)][:1]
        if frame.type is EventType.OPPOSE and not frame.actors and unassigned:
            frame.actors = [k for k in unassigned if k not in frame.recipients and k not in frame.suppliers][:1]

    def _resolve_systems(self, frame: Frame, frames: list[Frame], sf: SentenceFrames, context: DocContext) -> None:
        """A frame naming no system borrows one: from a sibling frame when it names no weapon at
        all, or, for 'the missiles'/'the deal', from what the sentence or the article said before."""
        if not frame.weapons:
            # an objection is to the sibling's weapons, even when they were only referred to:
            # "supply the system despite objections"
            borrowed = self._frame_systems if frame.type is EventType.OPPOSE else _named_systems
            sibling_with = next((f for f in frames if f is not frame and borrowed(f)), None)
            if sibling_with is not None:
                frame.resolved_systems = borrowed(sibling_with)
                return
        if not frame.anaphoric:
            return
        category = frame.weapons[0].category if frame.weapons else None
        earlier = [m.system for m in sf.systems if m.start < frame.start]
        candidates = [s for s in earlier if category in (None, Category.OTHER, s.category)]
        system = candidates[-1] if candidates else None
        if system is None and frame.recipients:
            system = context.system_of(frame.recipients[0], category)  # "Turkey ... the system"
        if system is None:
            system = context.last_system(category)
        if system is not None:
            frame.resolved_systems = [system]

    def _settle_undecided(self, frame: Frame) -> None:
        """'a deal with Israel', 'talks with France over the Rafale': the party that makes the
        weapon sells it; failing that, the larger arms exporter."""
        parties = [p for p in frame.undecided if p not in frame.suppliers and p not in frame.recipients]
        if not parties:
            return
        makers = {s.origin for s in self._frame_systems(frame)} | {
            p for s in self._frame_systems(frame) for p in s.partners
        }
        if not frame.suppliers:
            named_makers = [p for p in parties if p in makers]
            if named_makers:
                seller = named_makers[0]
            elif makers or len(parties) < 2:
                seller = None
            else:
                seller = min(parties, key=lambda p: self.exporter_rank.get(p, len(self.exporter_rank)))
            if seller is not None:
                frame.suppliers.append(seller)
                frame.supplier_inferred = True
                parties.remove(seller)
            elif not makers and len(parties) == 1:
                return  # one party, no weapon to tell its side: leave it to the article's memory
        frame.recipients += [p for p in parties if p not in frame.recipients]

    @staticmethod
    def _frame_systems(frame: Frame) -> list[WeaponSystem]:
        return [m.system for m in frame.systems] + list(frame.resolved_systems)

    def _remembered_recipient(
        self, frame: Frame, system: WeaponSystem | None, supplier: str | None, context: DocContext
    ) -> str | None:
        """The article established the pair earlier: the same weapon, or the same supplier."""
        if system is not None:
            recipient = context.recipient_of(self._family(system.name) or system, supplier)
            if recipient is not None:
                return recipient
        if supplier is not None and frame.has_verb:
            return context.usual_recipient(supplier)
        return None

    def _suppliers_for(self, frame: Frame, system: WeaponSystem | None, context: DocContext) -> list[tuple[str, bool]]:
        """The frame's suppliers; else the maker the sentence names for this weapon ("US-made
        F-15s and France's Rafale"); else the catalogue's origin (or a partner the sentence names);
        for an opposed sale of unnamed weapons ("opposed arms sales to the UAE"), the recipient's
        supplier in the article.
        Each with whether it was inferred rather than read."""
        if frame.suppliers:
            return [(s, frame.supplier_inferred) for s in frame.suppliers]
        named_maker = frame.origins.get(system.name if system else None)
        if named_maker is not None:
            return [(named_maker, False)]
        if system is None:
            opposed_sale = frame.type is EventType.OPPOSE and frame.recipients
            remembered = context.usual_supplier(frame.recipients[0]) if opposed_sale else None
            return [(remembered, True)] if remembered else []
        partners = [k for k in frame.recipients if k in system.partners or k == system.origin]
        if partners and len(frame.recipients) > 1:
            return [(partners[0], True)]
        return [(system.origin, True)]

    def _name_vague_systems(self, events: list[Event]) -> list[Event]:
        """'scrapped an order for 16 Russian military helicopters' where the article names the
        Mi-17 elsewhere for the same pair: the vague event is about those systems."""
        by_pair: dict[tuple[str | None, str | None], dict[str, Event]] = {}
        for e in events:
            if e.system:
                by_pair.setdefault((e.supplier, e.recipient), {})[e.system] = e
        out: list[Event] = []
        for e in events:
            known = by_pair.get((e.supplier, e.recipient), {})
            fitting = [n for n, k in known.items() if _compatible(e.category, k.category)]
            # "arms" is any of them, or none: named only when the pair has one system
            most = 1 if e.category in (None, Category.OTHER) else _MAX_NAMED_FROM_CONTEXT
            if e.system or not fitting or len(fitting) > most:
                out.append(e)
                continue
            for name in fitting:
                out.append(replace(e, system=name, category=known[name].category, confidence=e.confidence - 0.1))
        return out

    def _base_name(self, name: str) -> str | None:
        family = self._family(name)
        return family.name if family else None

    def _written(self, mention: SystemMention) -> str:
        """The designation as the text gives it where the text names a variant of its own ('T-90C'
        for the T-90S entry, 'HDW 214', 'Gripen NG', 'MQ-9'), else the catalogue's name."""
        system = mention.system
        text = _singular(_without_maker(mention.text.strip(), system.makers))
        written, canonical = designation_key(text), designation_key(system.name)
        if not written or written.startswith(canonical) or canonical.endswith(written):
            return system.name  # the same designation, a variant suffix ('F-16Cs') or a short form ('TB2')
        family = self._family(system.name)
        family_key = designation_key(family.name) if family else canonical
        if any(ch.isdigit() for ch in text) or written.startswith(family_key):
            return text
        return system.name

    def _family(self, name: str | None) -> WeaponSystem | None:
        """The base system of a variant (F-16V -> F-16), or the system itself."""
        system = self.knowledge.system(name) if name else None
        if system is not None and system.family:
            return self.knowledge.systems.get(system.family, system)
        return system

    def _frame_events(
        self, doc: Document, sent: Span, frame: Frame, numbers: _SentenceNumbers, context: DocContext
    ) -> list[Event]:
        """One event per supplier, recipient, system (and, for OPPOSE, actor) of the frame."""
        named = [(self._written(m), m.system) for m in frame.systems] or [(s.name, s) for s in frame.resolved_systems]
        systems: dict[str | None, WeaponSystem | None] = dict(named)
        if not systems:
            if not frame.weapons and not frame.anaphoric:
                return []  # no weapon at all: "talks to deepen cooperation"
            systems = {None: None}
        if frame.type is EventType.OPPOSE and not frame.actors:
            return []
        quantities = {m.system.name: numbers.quantity_before(m.start) for m in frame.systems}
        weapon_quantity = numbers.quantity_before(frame.weapons[0].start) if frame.weapons else None
        start, end = _trimmed(context.seen, sent)
        events: list[Event] = []
        for name, system in systems.items():
            for supplier, supplier_inferred in self._suppliers_for(frame, system, context):
                if supplier in frame.deployed or supplier in self.bystanders:
                    continue  # its own forces' weapons: a deployment, not a transfer
                recipients = [r for r in frame.recipients if r != supplier and r not in self.bystanders]
                recipient_inferred = frame.recipient_inferred
                if not recipients and frame.type is not EventType.OPPOSE:
                    remembered = self._remembered_recipient(frame, system, supplier, context)
                    recipients, recipient_inferred = ([remembered], True) if remembered else ([], True)
                for recipient in recipients:
                    stage = frame.type
                    if frame.nodes[0].undelivered:  # not supplied: suspended if a deal was made, else refused
                        stage = EventType.SUSPEND if context.paired(supplier, recipient) else EventType.REFUSE
                    for actor in frame.actors if frame.type is EventType.OPPOSE else [None]:
                        if actor == recipient:
                            continue
                        events.append(
                            Event(
                                doc_id=doc.id,
                                type=stage,
                                supplier=supplier,
                                recipient=recipient,
                                system=name,
                                actor=actor,
                                category=system.category if system else _weapon_category(frame),
                                date=frame.date,
                                quantity=quantities.get(system.name) if system else weapon_quantity,
                                value=frame.value or numbers.value,  # read here: most frames make no event
                                evidence=doc.text[start:end],
                                start=start,
                                end=end,
                                confidence=_confidence(frame, supplier_inferred, recipient_inferred),
                            )
                        )
        return events


class _SentenceNumbers:
    """Dates, money and counts of one sentence, found when first asked for and shared by its frames."""

    def __init__(self, sent: Span, found: Mentions, lower: list[str], published: dt.date | None) -> None:
        self.offset = sent.start
        self.words = lower[sent.start : sent.end]
        self.published = published
        self.systems = _token_set(sent, [(m.start, m.end) for m in found.systems])
        self.mentions = self.systems | _token_set(sent, [(p.start, p.end) for p in found.parties])

    @cached_property
    def dates(self) -> list[DateMention]:
        return find_dates(self.words, self.published, skip=self.systems)

    @cached_property
    def value(self) -> Money | None:
        return preferred_money(find_money(self.words))

    def date_near(self, index: int) -> str | None:
        return nearest_date(self.dates, index - self.offset)

    def quantity_before(self, index: int) -> int | None:
        return quantity_before(self.words, index - self.offset, stop=self.mentions)


def _collapse_variants(events: list[Event], base_of: Callable[[str], str | None]) -> list[Event]:
    """'Gripen' in the title and 'Gripen E' in the body are one event: keep the more specific
    designation (its confidence the higher of the two). ``base_of`` maps a variant to its base."""
    kept: list[Event] = []
    # most specific first: a catalogued variant ('Su-30SM') over its family, then the longer name
    for event in sorted(events, key=lambda e: (base_of(e.system or "") == e.system, -len(e.system or ""))):
        same = next((k for k in kept if _variant_of(k, event, base_of)), None)
        if same is None:
            kept.append(event)
        else:
            same.confidence = max(same.confidence, event.confidence)
    return kept


def _compatible(a: Category | None, b: Category | None) -> bool:
    return a is None or b is None or a is b or Category.OTHER in (a, b)


def _drop_vague_duplicates(events: list[Event]) -> list[Event]:
    """'weapons sales to Slovakia' and 'F-16s to Slovakia' in one article are one transfer: an
    event naming no system yields to one of the same stage and parties that names one."""
    named = {(e.type, e.supplier, e.recipient, e.actor) for e in events if e.system}
    return [e for e in events if e.system or (e.type, e.supplier, e.recipient, e.actor) not in named]


def _variant_of(specific: Event, general: Event, base_of: Callable[[str], str | None]) -> bool:
    if (specific.type, specific.supplier, specific.recipient, specific.actor) != (
        general.type, general.supplier, general.recipient, general.actor
    ):  # fmt: skip
        return False
    if specific.system and general.system and base_of(specific.system) == base_of(general.system):
        return True
    a, b = designation_key(specific.system or ""), designation_key(general.system or "")
    return bool(a and b and a.startswith(b))


def _without_maker(text: str, makers: list[str]) -> str:
    """'Saab Gripen NG' -> 'Gripen NG', 'Sukhoi Su-30' -> 'Su-30': the maker is not the designation."""
    for maker in makers:
        if text.lower().startswith(maker.lower() + " "):
            return text[len(maker) + 1 :]
    return text


def _singular(text: str) -> str:
    """'Su-35s' -> 'Su-35', "S-400's" -> 'S-400': a designation's plural or possessive ending."""
    for ending in ("'s", "’s", "s"):
        if text.endswith(ending) and len(text) > len(ending) + 1:
            stem = text[: -len(ending)]
            if stem[-1].isdigit() or stem[-1].isupper():
                return stem
    return text


def _named_systems(frame: Frame) -> list[WeaponSystem]:
    return [m.system for m in frame.systems]


def _token_set(sent: Span, spans: list[tuple[int, int]]) -> set[int]:
    """Indices, relative to the sentence, of the tokens inside ``spans``."""
    return {i - sent.start for start, end in spans for i in range(start, end)}


def _weapon_category(frame: Frame) -> Category | None:
    return frame.weapons[0].category if frame.weapons else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _same_goods(a: Frame, b: Frame) -> bool:
    """Two frames of a sentence can share parties when they are about the same weapons, or
    one of them names none ("despite interest from Syria ... will not export the Iskander")."""
    names_a = {m.system.name for m in a.systems} | {s.name for s in a.resolved_systems}
    names_b = {m.system.name for m in b.systems} | {s.name for s in b.resolved_systems}
    return not names_a or not names_b or bool(names_a & names_b)


def _trimmed(document: str, sent: Span) -> tuple[int, int]:
    """The sentence's character offsets without surrounding white space, read from the text the
    pipeline saw (a Span's own text is rebuilt token by token, slower)."""
    text = document[sent.start_char : sent.end_char]
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return start, end


def _confidence(frame: Frame, supplier_inferred: bool, recipient_inferred: bool) -> float:
    score = 0.9
    if supplier_inferred:
        score -= 0.15
    if recipient_inferred:
        score -= 0.2
    if frame.hedged:
        score -= 0.15
    if frame.persisted:
        score -= 0.05
    return max(0.05, round(score, 3))
