"""The fast path: decide, for a few microseconds per article, whether it can report a transfer.

Most news says nothing about the arms trade. Before spaCy tokenises anything, this stage reads
the text in one C-level pass of an Aho-Corasick automaton holding every surface form of the
compiled lexicon (the knowledge files: no word list is kept here) and decides:

* **the document** goes to the full pipeline only if one of its sentences holds a transfer
  word (a trigger), a weapon (a catalogue system, a designation, a weapon noun) and a party
  (a state, a group, an office holder): the shape of every event, a stage, what changes hands
  and who gives or gets it.
* **its lines**: a kept document's lines that hold no trigger, system, designation or weapon
  noun can neither start a frame nor feed the document context (earlier systems, the last
  frame), so they are blanked with spaces. Offsets do not move and the sentence splitter breaks
  at every line end anyway, so the extractor's events on the reduced text are its events on the
  whole text; ``tests/test_prefilter.py`` and ``bench/run.py`` check that on real corpora.

Text is compared as runs of ASCII letters and digits, lowercased and joined by single spaces
(" su 30 "). spaCy's phrase matchers compare whole tokens, and a token match implies a run
match ("Su-30" ~ "su 30"), so the line test never misses what the matchers would find.
Designations are compared as the extractor does, on letters and digits only ("FA-18" ~
"F/A-18"), variant suffixes included.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import ahocorasick

from armswatch.nlp.lexicon import (
    ActorNounRef,
    FalseFriendRef,
    Lexicon,
    PartyRef,
    Payload,
    SystemRef,
    TriggerRef,
    WeaponNounRef,
)

# What a stretch of text holds, as bits so that a line's findings are one integer.
TRIGGER = 1
WEAPON = 2  # a weapon noun or a catalogue system that needs no context
CONTEXT_SYSTEM = 4  # an ordinary-word system name (Patriot) or a very short designation (K9)
PARTY = 8
# A word that reports a stage only with a transfer word it governs ("hopes to buy", "needs"):
# a line keeps it, but it makes no sentence a report of a transfer by itself.
LEANING = 16
ARMS = WEAPON | CONTEXT_SYSTEM
MATTERS = TRIGGER | LEANING | ARMS  # a line with none of these cannot change the extractor's output
ALL = TRIGGER | ARMS | PARTY

_DIGIT_RUN = re.compile(r"[0-9]+")
# For the exact scan: runs and single punctuation marks, so that "AT-5" is not "at 5".
_CASED_RUN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
_DIGITS_ON = re.compile(r"\d[\w/-]*")  # from a chunk's first digit to its end
_CHUNK_CHARS = frozenset("/-_")
_DIGIT_CHARS = frozenset("0123456789")
_LETTER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz")
# A sentence ends at . ! ? (and closing quotes) before a capital or a digit, but not after an
# initial or a short capitalised abbreviation ("U.S. Army", "Gen. Smith"): splitting too little
# only lets more documents through.
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WINDOWS_KEPT = 200_000  # designation windows remembered per process, about 30 MB at most
_SHORT_DESIGNATION = 3  # as in the mention finder: K9, M1, T-72 need a military word nearby


class Prefilter:
    """Compiled from a lexicon once per process; ``reduce`` is called on every document."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.folded = _RunIndex()
        self.exact = _RunIndex()
        for surface, payloads in lexicon.folded.items():
            self.folded.add(surface.lower(), _bits(payloads, folded=True))
        for surface, payloads in lexicon.exact.items():
            self.exact.add(surface, _bits(payloads, folded=False))
        self.designations = {key: _designation_kind(key, refs) for key, refs in lexicon.designations.items()}
        self._windows_seen: dict[str, int] = {}
        self.kinds = _RunScan(_scan_keys(self, case_marked=False))
        # Case-sensitive names of ordinary-word systems ("EXTRA", "HOT", "MILAN", "Tiger") are
        # looked up as written, and only when nothing else in the text is arms-related; written
        # in lowercase they are the words "extra", "hot", "Milan", "tiger".
        self.cased = _WrittenNames(_scan_keys(self, case_marked=True))

    def reduce(self, text: str) -> str:
        """``text`` with the lines that cannot matter blanked, or ``""`` when the document
        cannot report a transfer."""
        if not self._may_report_transfer(text):
            return ""
        relevant = False
        kept: list[str] = []
        for line in text.split("\n"):
            bits = self.line_bits(line)
            if not relevant and _reports_transfer(bits):
                relevant = any(_reports_transfer(self.exact_bits(s)) for s in _SENTENCE_END.split(line))
            kept.append(line if bits & MATTERS else " " * len(line))
        return "\n".join(kept) if relevant else ""

    def _may_report_transfer(self, text: str) -> bool:
        """The whole text at once, before any line: most news has no weapon word at all."""
        lowered = _joined_runs(text.lower())  # lowered first, as the matchers do: 'HİSAR' -> 'hi̇sar'
        # A stage and a party are in almost every article, and soon found: look for them first.
        if not _reports_stage_and_party(self.kinds.bits(lowered, enough=TRIGGER | PARTY)):
            return False
        if self.kinds.has_arms(lowered) or self.cased.found(text, lowered):
            return True
        return bool(self._designation_bits(text))  # numbers are in nine articles of ten: no gate pays

    def wants(self, text: str) -> bool:
        """Whether the document needs the full pipeline."""
        return bool(self.reduce(text))

    def line_bits(self, line: str) -> int:
        """The kinds of surface a line may hold: never less than it holds, sometimes more."""
        lowered = _joined_runs(line.lower())
        bits = self.kinds.bits(lowered)
        if not bits & ARMS and self.cased.found(line, lowered):
            bits |= ARMS
        if not bits & ARMS:
            bits |= self._designation_bits(line)
        return bits

    def exact_bits(self, sentence: str) -> int:
        """The kinds of surface a sentence holds, with case-sensitive names compared as written."""
        cased = _CASED_RUN.findall(sentence)
        lowered = [run.lower() for run in cased]
        bits = self.folded.scan(lowered) | self.exact.scan(cased)
        if not bits & ARMS and _DIGIT_RUN.search(sentence):
            bits |= self._designation_bits(sentence)
        return bits

    def _designation_bits(self, text: str) -> int:
        """Any letters-and-digits stretch of a digit-bearing chunk (with the word before it,
        'Leopard 2A7') that starts with a catalogue designation: 'Su-30MKI', 'S-400s', 'F/A-18E'."""
        bits = 0
        seen = self._windows_seen
        for match in _DIGITS_ON.finditer(text):
            window = _designation_window(text, match.start(), match.end())
            found = seen.get(window)
            if found is None:
                found = self._window_bits(window)
                if len(seen) < _WINDOWS_KEPT:  # news repeats its numbers: "in 2019", "$5m"
                    seen[window] = found
            bits |= found
        return bits

    def _window_bits(self, window: str) -> int:
        bits = 0
        key, starts, ends = _designation_key(window)
        for start in starts:
            for end in ends:
                if end - start >= 2:
                    bits |= self.designations.get(key[start:end], 0)
        return bits


def _designation_window(text: str, first_digit: int, end: int) -> str:
    """The chunk around a digit and the word before it: the extractor's widest designation window."""
    start = first_digit
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _CHUNK_CHARS):
        start -= 1
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    word = before
    while word > 0 and text[word - 1].isalpha():
        word -= 1
    capitalised = word < before < start and text[word].isupper()  # as the extractor asks
    return text[word if capitalised else start : end]


@dataclass
class _RunIndex:
    """Surfaces as tuples of runs (one-run ones by that run, longer ones by their first two),
    for the exact scan of a sentence."""

    single: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    multi: dict[tuple[str, str], list[tuple[tuple[str, ...], int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, surface: str, bits: int) -> None:
        runs = tuple(_CASED_RUN.findall(surface))
        if not runs or not bits:
            return
        if len(runs) == 1:
            self.single[runs[0]] |= bits
        else:
            self.multi[runs[0], runs[1]].append((runs, bits))

    def entries(self) -> Iterator[tuple[tuple[str, ...], int]]:
        for run, bits in self.single.items():
            yield (run,), bits
        for entries in self.multi.values():
            yield from entries

    def scan(self, runs: list[str]) -> int:
        found = 0
        single, multi = self.single, self.multi
        for i, pair in enumerate(pairwise(runs)):
            found |= single.get(pair[0], 0)
            for surface, bits in multi.get(pair, ()):
                if len(surface) == 2 or tuple(runs[i : i + len(surface)]) == surface:
                    found |= bits
        return found | (single.get(runs[-1], 0) if runs else 0)


class _RunScan:
    """Every surface as its runs joined by single spaces (" f 16 "), in Aho-Corasick automata:
    a text's runs, joined the same way, are scanned in one C-level pass. A text that holds a
    surface's tokens holds its runs, so the scan never finds less than the matchers."""

    def __init__(self, surfaces: dict[str, int]) -> None:
        self.every = _automaton(surfaces)
        # Weapons alone: most texts have none, so a scan for them runs to the end in C.
        self.arms = _automaton({key: ARMS for key, kinds in surfaces.items() if kinds & ARMS})

    def bits(self, joined: str, enough: int = ALL) -> int:
        """The kinds of the surfaces in ``joined`` (see ``_joined_runs``); the scan stops once
        it has found those of ``enough``."""
        bits = 0
        if self.every is not None:
            for _, kinds in self.every.iter(joined):
                bits |= kinds
                if bits & enough == enough:
                    break
        return bits

    def has_arms(self, joined: str) -> bool:
        return _finds(self.arms, joined)


class _WrittenNames:
    """Case-marked weapon names, compared as written. They are first looked for in the
    lowercased text, which is read anyway: most articles hold none of them in any case
    ('Milan', 'hot'), and then the text is not read a second time."""

    def __init__(self, names: dict[str, int]) -> None:
        self.any_case = _automaton({key.lower(): ARMS for key in names})
        self.as_written = _automaton(dict.fromkeys(names, ARMS))

    def found(self, text: str, lowered: str) -> bool:
        """Whether ``text`` holds one as written; ``lowered`` is ``_joined_runs(text.lower())``."""
        return _finds(self.any_case, lowered) and _finds(self.as_written, _joined_runs(text))


def _scan_keys(prefilter: Prefilter, *, case_marked: bool) -> dict[str, int]:
    """The surfaces as scan keys with their kinds: lowercased, without the case-marked context
    names; or (``case_marked``) those alone, as written."""
    surfaces: dict[str, int] = defaultdict(int)
    for index in (prefilter.folded, prefilter.exact):
        for runs, bits in index.entries():
            marked = index is prefilter.exact and bits == CONTEXT_SYSTEM
            if marked != case_marked:
                continue
            surface = " ".join(runs)
            key = _joined_runs(surface if marked else surface.lower())
            kinds = _kinds_of(bits)
            if kinds and _names_something(key, surface):
                surfaces[key] |= kinds
    return surfaces


def _finds(automaton: ahocorasick.Automaton | None, joined: str) -> bool:
    return automaton is not None and next(automaton.iter(joined), None) is not None


def _automaton(surfaces: dict[str, int]) -> ahocorasick.Automaton | None:
    if not surfaces:
        return None
    automaton = ahocorasick.Automaton()
    for key, kinds in surfaces.items():
        automaton.add_word(key, kinds)
    automaton.make_automaton()
    return automaton


def _names_something(key: str, surface: str) -> bool:
    """Punctuation alone names nothing, nor do the bare digits left of a name in another
    script ('Су-30' -> ' 30 '): the scan would take every '30' for it."""
    return any(char.isalpha() for char in key) or (surface.isascii() and not key.isspace())


_KEEP_RUNS = bytes(c if 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 else 32 for c in range(256))


def _joined_runs(text: str) -> str:
    """The runs of ASCII letters and digits, each between single spaces: 'The Su-30MKI’s radar'
    -> ' The Su 30MKI s radar '. Bytes beyond ASCII (the UTF-8 of other letters) become spaces,
    as they end a run. C-level string methods only."""
    words = text.encode("utf-8", "replace").translate(_KEEP_RUNS).decode("ascii").split()
    return f" {' '.join(words)} "


def _kinds_of(bits: int) -> int:
    """The line test's kinds: a trigger (or a leaning one), anything arms (weapon or context
    system), a party."""
    return (bits & (TRIGGER | LEANING | PARTY)) | (ARMS if bits & ARMS else 0)


def _reports_stage_and_party(bits: int) -> bool:
    return bool(bits & TRIGGER) and bool(bits & PARTY)


def _reports_transfer(bits: int) -> bool:
    """A stage, a weapon, and someone to give or get it. An ordinary-word system name (Patriot)
    counts too: the extractor takes it beside a transfer word ("Patriot batteries were sold")."""
    return bool(bits & TRIGGER) and bool(bits & ARMS) and bool(bits & PARTY)


def _designation_key(window: str) -> tuple[str, list[int], list[int]]:
    """The window's letters and digits, lowercased (as ``designation_key`` makes them), with
    where a designation inside may start (where a word, a letters run or a digits run starts)
    and end (where one ends, or a letter before: a plural 's')."""
    key: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous = ""  # "a" after a letter, "d" after a digit, "" after anything else
    for char in window.lower():
        kind = "d" if char in _DIGIT_CHARS else "a" if char in _LETTER_CHARS else ""
        if kind and kind != previous:
            starts.append(len(key))
            if key:
                ends += [len(key), len(key) - 1]
        if kind:
            key.append(char)
        previous = kind
    ends += [len(key), len(key) - 1]
    return "".join(key), starts, ends


def _bits(payloads: Iterable[Payload], *, folded: bool) -> int:
    """A surface's kinds. The mention finder takes a surface that is also a weapon, system or
    actor word as that entity, never as a trigger ('arms'), so it is no trigger here; only
    case-insensitive entities can shadow a (case-insensitive) trigger that way."""
    bits = 0
    shadows_trigger = False
    for payload in payloads:
        if isinstance(payload, TriggerRef):
            bits |= LEANING if payload.trigger.needs_governed else TRIGGER
        elif isinstance(payload, WeaponNounRef):
            bits |= WEAPON
        elif isinstance(payload, SystemRef):
            bits |= CONTEXT_SYSTEM if payload.needs_context else WEAPON
        elif isinstance(payload, PartyRef):
            bits |= PARTY
        shadows_trigger = shadows_trigger or isinstance(
            payload, WeaponNounRef | SystemRef | ActorNounRef | FalseFriendRef
        )
    if shadows_trigger and folded:
        bits &= ~(TRIGGER | LEANING)
    return bits


def _designation_kind(key: str, refs: Iterable[SystemRef]) -> int:
    short = len(key) <= _SHORT_DESIGNATION
    return CONTEXT_SYSTEM if short or all(r.needs_context for r in refs) else WEAPON
