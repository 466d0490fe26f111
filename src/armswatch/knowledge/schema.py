"""Schemas of the knowledge files in ``knowledge/data``.

Each YAML file is validated against one of these models when it is loaded, so that an
analyst who edits a file gets a precise error (file, entry, field) instead of a wrong result.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from armswatch.core.model import Category, EventType

ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# A non-state party's key: lowercase short name as the contract writes it (hezbollah, nato).
GroupKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9 \-]*$")]
Phrase = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KnowledgeFile(_Strict):
    """Common header of every knowledge file."""

    version: int = Field(ge=1)
    description: str = ""
    sources: list[str] = []  # where the facts come from


# --- states ---------------------------------------------------------------------------


class State(_Strict):
    """One ISO 3166-1 state and the ways news text names it."""

    code: ISO3
    name: Phrase  # common English short name
    names: list[Phrase] = []  # other full names and spellings (matched as written and in capitals)
    abbreviations: list[Phrase] = []  # short forms matched case-sensitively only: US, UK, UAE, DPRK
    demonyms: list[Phrase] = []  # adjectives and nouns of nationality: Russian, Emirati
    metonyms: list[Phrase] = []  # capitals and seats of power used for the state: Moscow, the Kremlin
    false_friends: list[Phrase] = []  # phrases containing a name that do not mean the state: Indian Ocean


class StatesFile(KnowledgeFile):
    states: list[State]

    @model_validator(mode="after")
    def _unique_codes(self) -> StatesFile:
        _require_unique([s.code for s in self.states], "state code")
        return self


# --- organisations (arms agencies, ministries, defence firms) ---------------------------

OrganisationKind = Literal["agency", "ministry", "military", "firm", "legislature", "government"]


class Organisation(_Strict):
    """A body whose name stands for its state in arms-trade news."""

    name: Phrase
    aliases: list[Phrase] = []
    state: ISO3
    kind: OrganisationKind


class OrganisationsFile(KnowledgeFile):
    organisations: list[Organisation]


# --- office holders -------------------------------------------------------------------

Office = Literal[
    "head-of-state",
    "head-of-government",
    "defence-minister",
    "foreign-minister",
    "other",
]


class Term(_Strict):
    office: Office
    title: str = ""  # as written locally: President, Chancellor, Prime Minister
    start: dt.date
    end: dt.date | None = None  # None: still in office

    @model_validator(mode="after")
    def _ordered(self) -> Term:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"term ends ({self.end}) before it starts ({self.start})")
        return self


class OfficeHolder(_Strict):
    """A person whose name, during their terms, stands for their state."""

    name: Phrase  # full name: Dmitry Medvedev
    aliases: list[Phrase] = []  # surnames and spellings: Medvedev
    state: ISO3
    terms: list[Term] = Field(min_length=1)


class LeadersFile(KnowledgeFile):
    office_holders: list[OfficeHolder]


# --- non-state parties ----------------------------------------------------------------

GroupKind = Literal["armed-group", "alliance", "organisation"]


class Group(_Strict):
    """A non-state party: the contract writes it as a lowercase key (hezbollah, nato)."""

    key: GroupKey
    names: list[Phrase] = Field(min_length=1)
    kind: GroupKind
    based_in: ISO3 | None = None
    # False for bodies such as the UN that comment on the arms trade but are never its supplier
    # or recipient: they can only be the actor of an OPPOSE.
    trades_arms: bool = True


class GroupsFile(KnowledgeFile):
    groups: list[Group]

    @model_validator(mode="after")
    def _unique_keys(self) -> GroupsFile:
        _require_unique([g.key for g in self.groups], "group key")
        return self


# --- weapon systems -------------------------------------------------------------------


class WeaponSystem(_Strict):
    """One major weapon system: ``name`` is the designation as commonly written."""

    name: Phrase
    aliases: list[Phrase] = []  # reporting names, export variants, spellings: SA-21 Growler, Triumf
    # Aliases that are also ordinary words or names (Patriot, Typhoon, Leopard): they count only
    # where the sentence also has a military word, so a weather report's "Typhoon" is no jet.
    context_aliases: list[Phrase] = []
    category: Category
    origin: ISO3  # the state that exports it (for co-produced systems: the usual exporter)
    partners: list[ISO3] = []  # other states that build and export it (co-production, licence)
    family: Phrase | None = None  # a broader system it belongs to, for merging: F-16V -> F-16
    makers: list[Phrase] = []  # manufacturer names, which also point to the origin state

    @field_validator("name")
    @classmethod
    def _no_generic_name(cls, value: str) -> str:
        if re.fullmatch(r"(?i)(tanks?|missiles?|jets?|drones?|frigates?|helicopters?)", value):
            raise ValueError(f"{value!r} is a generic type, not a designation")
        return value


class SystemsFile(KnowledgeFile):
    systems: list[WeaponSystem]

    @model_validator(mode="after")
    def _unique_names(self) -> SystemsFile:
        _require_unique([s.name for s in self.systems], "system name")
        return self


# --- priors ---------------------------------------------------------------------------


class PriorsFile(KnowledgeFile):
    """Background facts that settle what a text leaves open."""

    # States ordered by the size of their arms exports, largest first: when a text names two
    # parties to a deal without saying who sells ("a deal with Israel"), the larger exporter is
    # taken as the supplier.
    exporters: list[ISO3] = []


# --- triggers -------------------------------------------------------------------------

Role = Literal["supplier", "recipient", "actor"]
PrepRole = Literal["supplier", "recipient", "actor", "counterpart"]  # counterpart: the subject's other side
Direction = Literal["give", "get", "none"]


class Trigger(_Strict):
    """Words that signal an event type, and how their sentence assigns the parties' roles.

    A *direction* word says who gives and who gets (sell, deliver: the subject gives; buy,
    receive: the subject gets). A *stage* word (direction ``none``: approve, refuse, talks,
    halt) says which stage a transfer is at and takes the parties from the direction word it
    governs ("refused to sell", "halted deliveries to") or from its own subject and
    prepositions. ``verbs`` are base forms (inflections are generated; irregular ones come from
    the file's ``irregular`` table); ``nouns`` and ``phrases`` are matched as written
    (case-insensitive, plurals generated for nouns).
    """

    type: EventType  # the stage when the text says it happened ("sold"), or a noun's stage
    planned: EventType | None = None  # when future, planned or an infinitive ("will supply"): AGREE
    negated: EventType | None = None  # when negated ("will not sell"): REFUSE; unset: no event
    if_give: EventType | None = None  # stage words: the stage when governing a giving word
    if_get: EventType | None = None  # ... and when governing a getting word ("plans to buy")
    if_against: EventType | None = None  # when what it governs is negated or halted: "urged X not to sell"
    intended: EventType | None = None  # direction words: the stage under a plan ("plans to deliver": AGREE)
    direction: Direction = "none"
    subject: Role | Literal["governed"] | None = None  # unset: supplier for give, recipient for get
    preps: dict[str, PrepRole] = {}  # preposition -> role of its object: {to: recipient, from: supplier}
    governs: bool = False  # takes a following infinitive or object noun: "agreed to buy", "halted sales"
    persists: bool = False  # also its own event when governed: "rejected Iran's request" is a REQUEST too
    either_way: bool = False  # lease, loan: the subject gives or gets, whichever the preposition leaves
    # The role of a party right after the verb: "offered Ankara the Su-57" (recipient), "urged
    # Germany to send" (supplier).
    object: Role | None = None
    needs_governed: bool = False  # means nothing alone: "decided" reports a stage only in "decided to buy"
    # A noun that means a transfer only beside a weapon or when governed: "an order for 16
    # helicopters", "cancelled the order"; not "Medvedev's final order".
    needs_weapon: bool = False
    verbs: list[Phrase] = []
    nouns: list[Phrase] = []
    phrases: list[Phrase] = []
    weight: float = Field(default=1.0, gt=0, le=1)  # how surely the word means this stage

    @model_validator(mode="after")
    def _has_words(self) -> Trigger:
        if not (self.verbs or self.nouns or self.phrases):
            raise ValueError("a trigger needs at least one verb, noun or phrase")
        return self

    @property
    def subject_role(self) -> Role | Literal["governed"] | None:
        if self.subject is not None:
            return self.subject
        return {"give": "supplier", "get": "recipient"}.get(self.direction)  # type: ignore[return-value]


class Grammar(_Strict):
    """Closed-class words of the language that the rules step over or stop at."""

    determiners: list[Phrase] = []  # a, the, its: a noun follows
    be_forms: list[Phrase] = []  # was, were, been: "was delivered" is passive
    auxiliaries: list[Phrase] = []  # has, did, will: part of a verb group
    adverbs: list[Phrase] = []  # also, already, finally: skipped inside a verb group
    prepositions: list[Phrase] = []
    coordinators: list[Phrase] = []  # and, or, as well as: lists of parties or systems
    list_openers: list[Phrase] = []  # including, such as: "clients including Qatar and India"
    relatives: list[Phrase] = []  # which, who: "Qatar, which has bought 36 of the planes"
    clause_breaks: list[Phrase] = []  # but, while, after: a subject is not looked for across them
    reporting_verbs: list[Phrase] = []  # said, told: their subject is a source, not a party
    containment: list[Phrase] = []  # includes, comprising: what a package or deal holds
    generic_parties: list[Phrase] = []  # countries, clients: a list of parties may follow
    anaphors: list[Phrase] = []  # the, this, that, these: "the deal" refers back
    replacement: list[Phrase] = []  # replace, instead of: the weapon after them is not the one traded
    # Verbs through which a noun takes the clause's subject: "Azerbaijan announced an arms deal".
    light_verbs: list[Phrase] = []
    # Words of knowing: negated before a reported event ("have not seen signs that Russia bought
    # drones") they leave the event unasserted.
    epistemic: list[Phrase] = []
    # Verbs whose subject is the target of sanctions or warnings: "Turkey is risking sanctions".
    target_verbs: list[Phrase] = []
    # Nouns after a party that make it describe another party: "the NATO member", "a US ally".
    party_nouns: list[Phrase] = []


class TriggersFile(KnowledgeFile):
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    irregular: dict[str, list[Phrase]] = {}  # base form -> its other forms: sell -> [sold]
    triggers: list[Trigger]
    negations: list[Phrase] = []  # not, never, no: a negated sale is a REFUSE
    hypotheticals: list[Phrase] = []  # if, unless: conditionals are not events
    hedges: list[Phrase] = []  # reportedly, allegedly: lower confidence
    future: list[Phrase] = []  # will, plans to, set to: a planned, not a realised, stage
    aspect: list[Phrase] = []  # began, completed: the governed word's stage happened
    # Generic nouns for weapons (no designation: "fighter jets", "tanks"), by category.
    weapon_nouns: dict[Category, list[Phrase]] = {}
    # Nouns for a state's own armed forces: a weapon they hold is deployed, not transferred.
    military_nouns: list[Phrase] = []
    # Nouns for the people and bodies that act for a state: "the Russian government", "US officials".
    actor_nouns: list[Phrase] = []
    # Actor nouns for legislators: their objections are OPPOSE with their state as actor.
    legislative_nouns: list[Phrase] = []
    # Phrases that contain a trigger word but report no stage: "export version", "export controls".
    not_triggers: list[Phrase] = []
    # Words that attach a state to a weapon as its maker: "Russian-made", "US-built".
    origin_suffixes: list[Phrase] = []
    grammar: Grammar = Grammar()


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    dupes = sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if dupes:
        raise ValueError(f"duplicate {what}: {', '.join(dupes)}")
