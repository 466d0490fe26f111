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

Text is compared as runs of ASCII letters and digits, lowercased and joined by single spaces,
with a mark for each line end that no surface holds (" su 30 | india "): the lines are read in
the pass that reads the whole text, each match falling in the line its position says. spaCy's
phrase matchers compare whole tokens, and a token match implies a run match ("Su-30" ~
"su 30"), so the line test never misses what the matchers would find.
Designations are compared as the extractor does, on letters and digits only ("FA-18" ~
"F/A-18"), variant suffixes included.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping

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
# The lowercase form of a case-marked name ("tiger" for the helicopter Tiger): the text may hold
# the name as written, which only then is looked for.
WRITTEN = 32
ARMS = WEAPON | CONTEXT_SYSTEM
MATTERS = TRIGGER | LEANING | ARMS  # a line with none of these cannot change the extractor's output
ALL = TRIGGER | ARMS | PARTY
KINDS = TRIGGER | LEANING | ARMS | PARTY

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
        folded = _surface_runs({surface.lower(): payloads for surface, payloads in lexicon.folded.items()}, folded=True)
        exact = _surface_runs(lexicon.exact, folded=False)
        self.folded = _TokenScan(folded)
        self.exact = _TokenScan(exact)
        self.designations = {key: _designation_kind(key, refs) for key, refs in lexicon.designations.items()}
        self._windows_seen: dict[str, int] = {}
        # Case-sensitive names of ordinary-word systems ("EXTRA", "HOT", "MILAN", "Tiger") are
        # looked up as written, and only where the one scan of the lowercased text found them;
        # written in lowercase they are the words "extra", "hot", "Milan", "tiger".
        names = _scan_keys(folded, exact, case_marked=True)
        keys = _scan_keys(folded, exact, case_marked=False)
        for name in names:
            keys[name.lower()] |= WRITTEN
        self.kinds = _RunScan(keys)
        self.written = _automaton(dict.fromkeys(names, ARMS))

    def reduce(self, text: str) -> str:
        """``text`` with the lines that cannot matter blanked, or ``""`` when the document
        cannot report a transfer."""
        lowered = _joined_runs(text.lower())  # lowered first, as the matchers do: 'HİSAR' -> 'hi̇sar'
        if not self._may_report_transfer(text, lowered):
            return ""
        lines = text.split("\n")
        found = self._line_bits(text, lowered, lines)
        if not any(
            self._reports_transfer_in(line) for line, bits in zip(lines, found, strict=True) if _reports_transfer(bits)
        ):
            return ""
        return "\n".join(line if bits & MATTERS else " " * len(line) for line, bits in zip(lines, found, strict=True))

    def _may_report_transfer(self, text: str, lowered: str) -> bool:
        """The whole text at once, before any line: most news has no weapon word at all."""
        bits = self.kinds.bits(lowered, enough=ALL)
        if not _reports_stage_and_party(bits):
            return False
        if bits & ARMS or (bits & WRITTEN and _finds(self.written, _joined_runs(text))):
            return True
        return bool(self._designation_bits(text))  # numbers are in nine articles of ten: no gate pays

    def wants(self, text: str) -> bool:
        """Whether the document needs the full pipeline."""
        return bool(self.reduce(text))

    def line_bits(self, text: str) -> list[int]:
        """Per line of ``text``, the kinds of surface that decide the line (see ``_line_bits``)."""
        return self._line_bits(text, _joined_runs(text.lower()), text.split("\n"))

    def _line_bits(self, text: str, lowered: str, lines: list[str]) -> list[int]:
        """Per line, the kinds of surface it may hold, never fewer than it holds but for one
        exception: designations and case-marked names (the dearest tests) are looked for only in
        lines where a weapon decides something (see ``_arms_decide``); elsewhere a line may hold
        one unmarked."""
        found = self.kinds.line_bits(lowered, len(lines))
        undecided = [n for n, bits in enumerate(found) if not bits & ARMS and _arms_decide(bits)]
        if undecided:
            named = any(found[n] & WRITTEN for n in undecided)
            written = _lines_matched(self.written, _joined_runs(text)) if named else set()
            for n in undecided:
                found[n] |= ARMS if found[n] & WRITTEN and n in written else self._designation_bits(lines[n])
        return [bits & KINDS for bits in found]

    def _reports_transfer_in(self, line: str) -> bool:
        """Whether a sentence of the line holds a stage, a weapon and a party, its tokens
        compared as the matchers compare them."""
        return any(_reports_transfer(self.exact_bits(sentence)) for sentence in _SENTENCE_END.split(line))

    def exact_bits(self, sentence: str) -> int:
        """The kinds of surface a sentence holds, with case-sensitive names compared as written."""
        spaced = _spaced(_CASED_RUN.findall(sentence))
        bits = self.folded.bits(spaced.lower()) | self.exact.bits(spaced)
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


def _surface_runs(surfaces: Mapping[str, Iterable[Payload]], *, folded: bool) -> dict[tuple[str, ...], int]:
    """Each surface as its runs and punctuation marks ('AT-5' -> AT, -, 5), with its kinds."""
    found: dict[tuple[str, ...], int] = defaultdict(int)
    for surface, payloads in surfaces.items():
        runs = tuple(_CASED_RUN.findall(surface))
        bits = _bits(payloads, folded=folded)
        if runs and bits:
            found[runs] |= bits
    return found


def _spaced(runs: Iterable[str]) -> str:
    return f" {' '.join(runs)} "


class _TokenScan:
    """Surfaces as their runs and punctuation marks between single spaces (" AT - 5 "), for
    the exact scan of a sentence: a sentence holds a surface when its own runs and marks,
    spaced the same way, hold the surface's in a row."""

    def __init__(self, surfaces: dict[tuple[str, ...], int]) -> None:
        self.automaton = _automaton({_spaced(runs): bits for runs, bits in surfaces.items()})

    def bits(self, spaced: str) -> int:
        bits = 0
        if self.automaton is not None:
            for _, kinds in self.automaton.iter(spaced):
                bits |= kinds
        return bits


class _RunScan:
    """Every surface as its runs joined by single spaces (" f 16 "), in an Aho-Corasick
    automaton: a text's runs, joined the same way, are scanned in one C-level pass. A text that
    holds a surface's tokens holds its runs, so the scan never finds less than the matchers."""

    def __init__(self, surfaces: dict[str, int]) -> None:
        self.every = _automaton(surfaces)

    def bits(self, joined: str, enough: int) -> int:
        """The kinds of the surfaces in ``joined`` (see ``_joined_runs``); the scan stops once
        it has found those of ``enough``."""
        bits = 0
        if self.every is not None:
            for _, kinds in self.every.iter(joined):
                bits |= kinds
                if bits & enough == enough:
                    break
        return bits

    def line_bits(self, joined: str, count: int) -> list[int]:
        """Per line of the ``count`` lines in ``joined``, the kinds of the surfaces in it."""
        found = [0] * count
        if self.every is not None:
            ends = _line_ends(joined)
            ends.append(len(joined))  # the last line's end
            line, line_end = 0, ends[0]
            for end, kinds in self.every.iter(joined):  # in the order of their ends
                while end > line_end:  # cheaper than a bisection per match
                    line += 1
                    line_end = ends[line]
                found[line] |= kinds
        return found


def _lines_matched(automaton: ahocorasick.Automaton | None, joined: str) -> set[int]:
    if automaton is None:
        return set()
    ends = _line_ends(joined)
    return {bisect_right(ends, end) for end, _ in automaton.iter(joined)}


def _line_ends(joined: str) -> list[int]:
    """Where the line marks of ``joined`` stand: a match ending before the n-th lies in line n."""
    ends: list[int] = []
    at = joined.find(_LINE_MARK)
    while at >= 0:
        ends.append(at)
        at = joined.find(_LINE_MARK, at + 1)
    return ends


def _scan_keys(
    folded: dict[tuple[str, ...], int], exact: dict[tuple[str, ...], int], *, case_marked: bool
) -> dict[str, int]:
    """The surfaces as scan keys with their kinds: lowercased, without the case-marked context
    names; or (``case_marked``) those alone, as written."""
    surfaces: dict[str, int] = defaultdict(int)
    for index in (folded, exact):
        for runs, bits in index.items():
            marked = index is exact and bits == CONTEXT_SYSTEM
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


_LINE_MARK = "|"
# Letters and digits stay, a line end becomes the line mark, every other byte a space.
_KEEP_RUNS = bytes(
    c if 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 else ord(_LINE_MARK) if c == 10 else 32 for c in range(256)
)


def _joined_runs(text: str) -> str:
    """The runs of ASCII letters and digits, each between single spaces, and a mark between
    lines: 'The Su-30MKI’s\nradar' -> ' The Su 30MKI s | radar '. Bytes beyond ASCII (the
    UTF-8 of other letters) become spaces, as they end a run. C-level string methods only."""
    spaced_lines = text.replace("\n", " \n ") if "\n" in text else text
    words = spaced_lines.encode("utf-8", "replace").translate(_KEEP_RUNS).decode("ascii").split()
    return f" {' '.join(words)} "


def _kinds_of(bits: int) -> int:
    """The line test's kinds: a trigger (or a leaning one), anything arms (weapon or context
    system), a party."""
    return (bits & (TRIGGER | LEANING | PARTY)) | (ARMS if bits & ARMS else 0)


def _reports_stage_and_party(bits: int) -> bool:
    return bool(bits & TRIGGER) and bool(bits & PARTY)


def _arms_decide(bits: int) -> bool:
    """Whether a weapon would change what becomes of a line: it keeps a line with no stage
    word, and lets one with a stage word and a party report a transfer."""
    return not bits & (TRIGGER | LEANING) or (bool(bits & TRIGGER) and bool(bits & PARTY))


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
