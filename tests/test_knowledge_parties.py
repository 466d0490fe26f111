"""Quality of the knowledge of parties: states, organisations, office holders and groups.

These tests protect the data, not the loader: completeness against the ISO standard, no phrase
that points to two states by accident, no ordinary word that would fire on everyday text,
office terms that do not contradict each other, and coverage of the states that matter most.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.knowledge import load_knowledge
from armswatch.knowledge.loader import BUNDLED_DIR, Knowledge
from armswatch.knowledge.schema import OfficeHolder, State, Term


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a constant written as a block of text."""
    return frozenset(text.split())


# ISO 3166-1 alpha-3, all 249 officially assigned codes (ISO 3166 Maintenance Agency list),
# written here from the standard so that a state dropped from the data file is noticed.
ISO_3166_ALPHA3 = words(
    """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
    BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG
    COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH
    FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
    HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
    KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
    MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL
    NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN
    SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD
    TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR
    VNM VUT WLF WSM YEM ZAF ZMB ZWE
    """
)
KOSOVO = "XKX"  # user-assigned code in common use; not part of ISO 3166-1

# Phrases that really do name two states; the extractor must decide them from context.
KNOWN_AMBIGUOUS = frozenset({"congo", "congolese"})

# Everyday English words and common given names (lower case). A state phrase, organisation
# name or leader alias equal to one of them would fire on ordinary text (a sentence-initial
# "Male", "Christmas", "Valley", a "Victoria" who is a person), so only the homonyms listed below
# may stay.
ORDINARY_WORDS = words(
    """
    man male bottom valley island islands heard christmas victoria stanley douglas hamilton
    kingston plymouth santiago sofia turkey china chad jordan guinea chile japan jersey georgia
    niger cuba panama struck cleverly gallant moon bush gates brown major may hunt cook straw fox
    hill payne bishop rice carter reid johnson martin graham nelson young moore smith ray bot blok
    gram store cannon champagne dion bono palacio robles serra alonso miller gross pavel klaus mauro
    philippe richard fischer gabriel jung kan noda mori abe hope grace faith rose lily mark grant
    will bill eden dawn sky sun star north south east west central united republic state states
    kingdom union federation democratic people nation new the of and
    """
)
# Homonyms kept on purpose: news writes these states and office holders so, and capitalised
# use is almost always the proper noun.
KEPT_HOMONYMS = frozenset(
    {"turkey", "china", "chad", "jordan", "guinea", "chile", "japan", "jersey", "georgia", "niger", "cuba", "panama"}
    | {"gallant", "moon", "bush", "gates", "carter", "abe"}
)
# All-capital tokens that appear in ordinary text; an abbreviation equal to one would misfire.
COMMON_CAPITAL_TOKENS = words(
    "A I AM PM TV IT OK ID IS AS AT BE BY DO GO IF IN ME MY NO OF ON OR SO TO UP WE AN HE CEO CFO GDP"
    " USB PDF FAQ RF GB SA CAR PER ARM AND CAN MAR"
)

# States with more than one million inhabitants (UN World Population Prospects order of
# magnitude), each of which needs at least one demonym.
POPULOUS = words(
    """
    AFG AGO ALB ARE ARG ARM AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BIH BLR BOL BRA BWA CAF CAN
    CHE CHL CHN CIV CMR COD COG COL CRI CUB CYP CZE DEU DJI DNK DOM DZA ECU EGY ERI ESP EST ETH FIN
    FRA GAB GBR GEO GHA GIN GMB GNB GNQ GRC GTM HKG HND HRV HTI HUN IDN IND IRL IRN IRQ ISR ITA JAM
    JOR JPN KAZ KEN KGZ KHM KOR KWT LAO LBN LBR LBY LKA LSO LTU LVA MAR MDA MDG MEX MKD MLI MMR MNG
    MOZ MRT MUS MWI MYS NAM NER NGA NIC NLD NOR NPL NZL OMN PAK PAN PER PHL PNG POL PRI PRK PRT PRY
    PSE QAT ROU RUS RWA SAU SDN SEN SGP SLE SLV SOM SRB SSD SVK SVN SWE SWZ SYR TCD TGO THA TJK TKM
    TLS TTO TUN TUR TWN TZA UGA UKR URY USA UZB VEN VNM XKX YEM ZAF ZMB ZWE
    """
)

# The largest arms exporters and importers: each needs a head of state and a defence minister
# on both reference dates.
MAJOR_TRADERS = words("""
    USA RUS FRA CHN DEU ITA GBR ESP ISR KOR TUR SWE NLD UKR CHE CAN NOR POL AUS JPN IND SAU QAT EGY
    PAK ARE DZA IRQ IRN BRA IDN VNM SGP TWN GRC KWT MAR PHL BGD MMR KAZ AZE SRB HUN ROU CZE BLR PRK
    SYR VEN
""")
REFERENCE_DATES = (dt.date(2008, 6, 1), dt.date(2024, 6, 1))
# (state, office, date): gaps left open because the day of the change could not be established;
# the data leaves the person out rather than guess (see leaders.yaml).
KNOWN_GAPS = frozenset(
    {
        ("MAR", "defence-minister", dt.date(2008, 6, 1)),  # Abderrahmane Sbai: date of death not verified
        ("PRK", "defence-minister", dt.date(2024, 6, 1)),  # Kang Sun-nam: appointment date never published
        ("BGD", "defence-minister", dt.date(2008, 6, 1)),  # caretaker government: portfolio holder not verified
    }
)
# The contract's non-state parties (EVENTS.md).
CONTRACT_GROUP_KEYS = ("hezbollah", "hamas", "houthis", "taliban", "rsf", "sdf", "wagner", "nato", "eu")
TERM_DATE_RANGE = (dt.date(1900, 1, 1), dt.date.today())


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge([BUNDLED_DIR])


def state_phrases(state: State) -> Iterator[tuple[str, str]]:
    """Every phrase that points to the state, with the field it comes from."""
    yield "name", state.name
    for field in ("names", "abbreviations", "demonyms", "metonyms"):
        for phrase in getattr(state, field):
            yield field, phrase


def fold(text: str) -> str:
    """Case- and accent-insensitive form, as a matcher that forgives diacritics would see it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- states -------------------------------------------------------------------------------


def test_every_iso_code_and_kosovo_is_present(kb: Knowledge) -> None:
    assert len(ISO_3166_ALPHA3) == 249
    assert set(kb.states) == ISO_3166_ALPHA3 | {KOSOVO}


def test_no_phrase_points_to_two_states_unless_known_ambiguous(kb: Knowledge) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for state in kb.states.values():
        for _field, phrase in state_phrases(state):
            owners[fold(phrase)].add(state.code)
    shared = {phrase: codes for phrase, codes in owners.items() if len(codes) > 1}
    assert set(shared) == KNOWN_AMBIGUOUS, shared


def test_no_phrase_is_repeated_within_a_state(kb: Knowledge) -> None:
    for state in kb.states.values():
        phrases = [phrase for _field, phrase in state_phrases(state)] + list(state.false_friends)
        assert len(phrases) == len(set(phrases)), state.code


def test_state_phrases_are_proper_nouns_not_ordinary_words(kb: Knowledge) -> None:
    for state in kb.states.values():
        for field, phrase in state_phrases(state):
            assert any(c.isupper() for c in phrase), f"{state.code} {field} {phrase!r} is not capitalised"
            word = phrase.casefold()
            assert word not in ORDINARY_WORDS or word in KEPT_HOMONYMS, f"{state.code} {field} {phrase!r}"


def test_abbreviations_are_capitals_that_ordinary_text_does_not_use(kb: Knowledge) -> None:
    for state in kb.states.values():
        for abbreviation in state.abbreviations:
            assert sum(c.isupper() for c in abbreviation) >= 2, f"{state.code} {abbreviation!r}"
            assert abbreviation not in COMMON_CAPITAL_TOKENS, f"{state.code} {abbreviation!r}"


def test_populous_states_have_demonyms(kb: Knowledge) -> None:
    missing = sorted(code for code in POPULOUS if not kb.states[code].demonyms)
    assert not missing


def test_the_example_forms_of_the_brief_resolve_to_their_state(kb: Knowledge) -> None:
    index = {phrase: state.code for state in kb.states.values() for _f, phrase in state_phrases(state)}
    expected = {
        "U.S.": "USA", "UK": "GBR", "UAE": "ARE", "DPRK": "PRK", "ROK": "KOR", "PRC": "CHN", "KSA": "SAU",
        "DRC": "COD", "South Korea": "KOR", "S. Korea": "KOR", "Türkiye": "TUR", "Burma": "MMR",
        "Ivory Coast": "CIV", "Czechia": "CZE", "Emirati": "ARE", "Filipino": "PHL", "Dutch": "NLD",
        "the Kremlin": "RUS", "the Pentagon": "USA", "Élysée": "FRA", "Downing Street": "GBR",
        "Kyiv": "UKR", "Kiev": "UKR", "Brasilia": "BRA", "Taiwan": "TWN", "Palestine": "PSE", "Kosovo": "XKX",
    }  # fmt: skip
    assert {phrase: index.get(phrase) for phrase in expected} == expected


def test_false_friends_contain_a_state_word_and_never_another_states_name(kb: Knowledge) -> None:
    all_names = {fold(phrase) for state in kb.states.values() for _f, phrase in state_phrases(state)}
    for state in kb.states.values():
        stems = {fold(phrase)[:4] for _field, phrase in state_phrases(state)}
        for friend in state.false_friends:
            assert any(stem in fold(friend) for stem in stems), f"{state.code}: {friend!r} shares no word"
            assert fold(friend) not in all_names, f"{state.code}: {friend!r} is a state's name"


def test_brief_false_friends_are_listed(kb: Knowledge) -> None:
    friends = {friend: state.code for state in kb.states.values() for friend in state.false_friends}
    expected = {
        "Indian Ocean": "IND", "West Indies": "IND", "New Mexico": "MEX", "Turkish delight": "TUR",
        "French fries": "FRA", "Persian Gulf": "IRN", "Jordan River": "JOR",
    }  # fmt: skip
    assert {friend: friends.get(friend) for friend in expected} == expected


# --- organisations ------------------------------------------------------------------------


def test_organisation_names_are_unique_and_not_state_or_group_names(kb: Knowledge) -> None:
    state_words = {fold(phrase) for state in kb.states.values() for _f, phrase in state_phrases(state)}
    group_words = {fold(name) for group in kb.groups.values() for name in group.names}
    owner: dict[str, str] = {}
    for org in kb.organisations:
        assert org.state in ISO_3166_ALPHA3, org.name
        for phrase in (org.name, *org.aliases):
            key = fold(phrase)
            assert owner.get(key, org.name) == org.name, f"{phrase!r} is claimed by {owner[key]} and {org.name}"
            assert key not in state_words, f"{phrase!r} is already a state phrase"
            assert key not in group_words, f"{phrase!r} is already a group name"
            assert key not in ORDINARY_WORDS, f"{phrase!r} is an ordinary word"
            owner[key] = org.name


def test_major_exporters_firms_are_known(kb: Knowledge) -> None:
    index = {phrase: org.state for org in kb.organisations for phrase in (org.name, *org.aliases)}
    expected = {
        "Lockheed Martin": "USA", "Rosoboronexport": "RUS", "DSCA": "USA", "Dassault Aviation": "FRA",
        "Rheinmetall": "DEU", "BAE Systems": "GBR", "Leonardo": "ITA", "Saab": "SWE", "Rafael": "ISR",
        "Hanwha Aerospace": "KOR", "Baykar": "TUR", "Norinco": "CHN", "HAL": "IND", "Embraer": "BRA",
        "Denel": "ZAF", "EDGE Group": "ARE", "Ukroboronprom": "UKR", "PGZ": "POL", "SIBAT": "ISR", "DAPA": "KOR",
    }  # fmt: skip
    assert {phrase: index.get(phrase) for phrase in expected} == expected


# --- office holders -----------------------------------------------------------------------


def terms_by_office(holders: list[OfficeHolder]) -> dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]]:
    """(state, office) -> [(start, end, name)], open terms ending today; "other" is not one office."""
    found: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for holder in holders:
        for term in holder.terms:
            if term.office != "other":
                found[holder.state, term.office].append((term.start, term.end or dt.date.today(), holder.name))
    return found


def test_every_term_lies_between_1900_and_today(kb: Knowledge) -> None:
    low, high = TERM_DATE_RANGE
    for holder in kb.office_holders:
        for term in holder.terms:
            assert low <= term.start <= high, f"{holder.name}: {term}"
            assert term.end is None or low <= term.end <= high, f"{holder.name}: {term}"


def overlapping_terms(holders: list[OfficeHolder]) -> list[str]:
    """Two holders of one office at once; handing over on the same or the next day is allowed."""
    problems = []
    for (state, office), terms in terms_by_office(holders).items():
        terms.sort()
        for (_start1, end1, name1), (start2, _end2, name2) in itertools.pairwise(terms):
            if end1 > start2 + dt.timedelta(days=1):
                problems.append(f"{state} {office}: {name1} (to {end1}) overlaps {name2} (from {start2})")
    return problems


def test_one_holder_per_office_at_a_time(kb: Knowledge) -> None:
    assert overlapping_terms(kb.office_holders) == []


def test_overlap_check_catches_two_presidents_at_once() -> None:
    def president(name: str, start: str, end: str | None) -> OfficeHolder:
        term = Term(office="head-of-state", start=dt.date.fromisoformat(start), end=end and dt.date.fromisoformat(end))
        return OfficeHolder(name=name, state="USA", terms=[term])

    handover = [president("A", "2001-01-20", "2005-01-20"), president("B", "2005-01-20", None)]
    clash = [president("A", "2001-01-20", "2005-01-20"), president("B", "2004-01-20", None)]
    assert overlapping_terms(handover) == []
    assert overlapping_terms(clash) == ["USA head-of-state: A (to 2005-01-20) overlaps B (from 2004-01-20)"]


@pytest.mark.parametrize("when", REFERENCE_DATES, ids=str)
@pytest.mark.parametrize("office", ["head-of-state", "defence-minister"])
def test_major_traders_have_office_holders_on_reference_dates(kb: Knowledge, office: str, when: dt.date) -> None:
    in_office = {
        holder.state
        for holder in kb.office_holders
        for term in holder.terms
        if term.office == office and term.start <= when <= (term.end or dt.date.today())
    }
    missing = {code for code in MAJOR_TRADERS if code not in in_office} - {
        code for code, gap_office, gap_date in KNOWN_GAPS if (gap_office, gap_date) == (office, when)
    }
    assert not missing


def test_known_gaps_are_still_gaps(kb: Knowledge) -> None:
    """Once a gap is filled in the data, it must leave the list above."""
    for code, office, when in KNOWN_GAPS:
        holders = [
            h.name
            for h in kb.office_holders
            if h.state == code
            for t in h.terms
            if t.office == office and t.start <= when <= (t.end or dt.date.today())
        ]
        assert not holders, (code, office, when, holders)


def test_surnames_resolve_by_date(kb: Knowledge) -> None:
    def who(alias: str, when: dt.date) -> set[tuple[str, str]]:
        return {
            (h.name, h.state)
            for h in kb.office_holders
            if alias in h.aliases
            for t in h.terms
            if t.start <= when <= (t.end or dt.date.today())
        }

    assert who("Medvedev", dt.date(2008, 9, 1)) == {("Dmitry Medvedev", "RUS")}
    assert who("Erdogan", dt.date(2019, 1, 1)) == {("Recep Tayyip Erdoğan", "TUR")}
    assert who("Kim", dt.date(2005, 1, 1)) == {("Kim Jong-il", "PRK")}
    assert who("Kim", dt.date(2015, 1, 1)) == {("Kim Jong-un", "PRK")}
    assert who("Herzog", dt.date(1997, 1, 1)) == {("Roman Herzog", "DEU")}
    assert who("Herzog", dt.date(2023, 1, 1)) == {("Isaac Herzog", "ISR")}


def test_leader_aliases_are_not_ordinary_words_or_state_names(kb: Knowledge) -> None:
    state_words = {fold(phrase) for state in kb.states.values() for _f, phrase in state_phrases(state)}
    for holder in kb.office_holders:
        assert holder.state in ISO_3166_ALPHA3
        for alias in holder.aliases:
            word = fold(alias)
            assert word not in ORDINARY_WORDS or word in KEPT_HOMONYMS, f"{holder.name}: {alias!r}"
            assert word not in state_words, f"{holder.name}: {alias!r} is a state phrase"


# --- groups -------------------------------------------------------------------------------


def test_contract_groups_exist_with_their_own_key_as_a_name(kb: Knowledge) -> None:
    for key in CONTRACT_GROUP_KEYS:
        assert key in kb.groups
        assert any(fold(name) == key for name in kb.groups[key].names), key


def test_group_names_point_to_one_group(kb: Knowledge) -> None:
    owner: dict[str, str] = {}
    for group in kb.groups.values():
        for name in group.names:
            assert owner.get(fold(name), group.key) == group.key, f"{name!r} in {owner[fold(name)]} and {group.key}"
            owner[fold(name)] = group.key


# --- the files as an analyst checks them ---------------------------------------------------


def test_knowledge_check_command_accepts_the_files() -> None:
    result = CliRunner().invoke(app, ["knowledge", "check"])
    assert result.exit_code == 0, result.output
    assert re.search(r"states\s+250\b", result.output), result.output
