"""The weapon-system catalogue (``knowledge/data/systems``): size, coverage, unambiguous names, facts.

These tests read the systems files directly, so they run whatever the states file holds; the one
test that needs the full list of states skips until that list has been merged.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

from armswatch.core.model import Category
from armswatch.knowledge.loader import BUNDLED_DIR, read_file
from armswatch.knowledge.schema import StatesFile, SystemsFile, WeaponSystem
from armswatch.nlp.lexicon import designation_key

SYSTEMS_DIR = BUNDLED_DIR / "systems"
MIN_SYSTEMS = 1200  # well under the ~1,470 there are: room to prune, but a lost file fails
MIN_PER_CATEGORY = 10
OPTIONAL_CATEGORIES = {Category.SMALL_ARMS, Category.OTHER}
FULL_STATES = 190  # fewer states than this: the full states file has not landed yet

# Generic types, not designations: a text naming only these has `system: null`.
GENERIC_TYPES = frozenset(
    {
        *("tank", "frigate", "corvette", "destroyer", "submarine", "missile", "drone", "helicopter", "howitzer"),
        *("fighter", "fighter jet", "jet", "radar", "rocket", "mortar", "torpedo", "warship", "gunboat", "bomber"),
        *("trainer", "cruise missile", "air defence", "air defense", "mlrs", "manpads", "atgm", "sam", "awacs"),
        *("apc", "ifv", "mrap", "uav", "ucav", "icbm"),
    }
)


def scorer_key(text: str) -> str:
    """How the scorer compares designations: casefolded, accents stripped, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isalnum())


def forms(system: WeaponSystem) -> list[str]:
    return [system.name, *system.aliases, *system.context_aliases]


@cache
def catalogue_files() -> dict[Path, tuple[WeaponSystem, ...]]:
    return {path: tuple(read_file(path, SystemsFile).systems) for path in sorted(SYSTEMS_DIR.glob("*.yaml"))}


@cache
def catalogue() -> dict[str, WeaponSystem]:
    systems: dict[str, WeaponSystem] = {}
    for path, entries in catalogue_files().items():
        for system in entries:
            assert system.name not in systems, f"{path.name}: {system.name!r} is defined twice"
            systems[system.name] = system
    return systems


@cache
def owners_by_key() -> dict[str, frozenset[str]]:
    """Each form's scorer key and the names of the systems that use it."""
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for system in catalogue().values():
        for form in forms(system):
            owners[scorer_key(form)].add(system.name)
    return {key: frozenset(names) for key, names in owners.items()}


def resolve(form: str) -> set[str]:
    return set(owners_by_key().get(scorer_key(form), ()))


@cache
def states_file() -> StatesFile:
    return read_file(BUNDLED_DIR / "states.yaml", StatesFile)


# --- size and coverage -----------------------------------------------------------------------


def test_catalogue_is_large() -> None:
    assert len(catalogue()) >= MIN_SYSTEMS


@pytest.mark.parametrize("category", sorted(set(Category) - OPTIONAL_CATEGORIES))
def test_every_category_has_enough_systems(category: Category) -> None:
    count = sum(1 for s in catalogue().values() if s.category is category)
    assert count >= MIN_PER_CATEGORY, f"{category.value}: only {count} systems"


def test_each_file_holds_one_category_named_after_it() -> None:
    for path, entries in catalogue_files().items():
        assert path.stem in {c.value for c in Category}, f"{path.name} is not named after a category"
        wrong = [s.name for s in entries if s.category.value != path.stem]
        assert not wrong, f"{path.name} holds systems of another category: {wrong}"


def test_many_supplier_states_are_covered() -> None:
    origins = Counter(s.origin for s in catalogue().values())
    big_suppliers = (
        "USA RUS FRA DEU GBR ITA ESP CHN ISR KOR TUR SWE NOR NLD UKR IND PAK IRN BRA JPN CHE POL CZE ZAF PRK BLR ARE"
    )
    missing = [code for code in big_suppliers.split() if origins[code] == 0]
    assert not missing, f"no systems from {missing}"


# --- names and aliases -------------------------------------------------------------------------


def test_forms_shared_by_two_systems_are_context_aliases_of_both() -> None:
    problems = []
    for key, names in owners_by_key().items():
        if len(names) < 2:
            continue
        for name in sorted(names):
            if key not in {scorer_key(c) for c in catalogue()[name].context_aliases}:
                problems.append(f"{key!r} is shared by {sorted(names)} but not a context alias of {name!r}")
    assert not problems, "\n".join(problems)


def test_every_system_has_an_unambiguous_form() -> None:
    owners = owners_by_key()
    lacking = [s.name for s in catalogue().values() if all(len(owners[scorer_key(f)]) > 1 for f in forms(s))]
    assert not lacking, f"systems whose every form also names another system: {lacking}"


def test_no_form_is_listed_twice_in_one_system() -> None:
    problems = []
    for system in catalogue().values():
        listed = Counter(f.casefold() for f in [system.name, *system.aliases])
        problems += [f"{system.name}: {form!r} twice" for form, n in listed.items() if n > 1]
        # A context alias that is also a plain alias (or the name in another case) would count
        # everywhere, defeating the context: "EXTRA" named and "Extra" as context matches "extra".
        folded = {c.casefold() for c in system.context_aliases}
        plain = [a for a in system.aliases if a.casefold() in folded]
        if system.name.casefold() in folded and system.name not in system.context_aliases:
            plain.append(system.name)
        problems += [f"{system.name}: {form!r} is both a plain form and a context alias" for form in plain]
    assert not problems, "\n".join(problems)


def test_no_trivial_variants_of_digit_aliases() -> None:
    """The matcher finds forms with a digit by their designation key (letters and digits only,
    lowercased), so 'F-16', 'F16' and 'f 16' are one form: listing more than one is noise."""
    problems = []
    for system in catalogue().values():
        seen: dict[str, str] = {}
        for form in forms(system):
            if not any(c.isdigit() for c in form):
                continue
            key = designation_key(form)
            if key in seen and seen[key] != form:
                problems.append(f"{system.name}: {seen[key]!r} and {form!r}")
            seen.setdefault(key, form)
    assert not problems, "\n".join(problems)


def test_no_form_is_a_generic_type_or_a_bare_number() -> None:
    generic = {scorer_key(w) for w in GENERIC_TYPES} | {scorer_key(w) + "s" for w in GENERIC_TYPES}
    bad = [f for s in catalogue().values() for f in forms(s) if scorer_key(f) in generic or f.strip().isdigit()]
    assert not bad, f"generic or numeric forms: {bad}"


def test_no_form_names_a_state() -> None:
    state_words = set()
    for state in states_file().states:
        for word in (state.name, *state.names, *state.abbreviations, *state.demonyms, *state.metonyms):
            state_words.add(scorer_key(word))
    clashes = [f"{s.name}: {f!r}" for s in catalogue().values() for f in forms(s) if scorer_key(f) in state_words]
    assert not clashes, f"forms that name a state, its people or its capital: {clashes}"


# --- references ----------------------------------------------------------------------------------


def test_family_targets_exist_and_have_no_cycles() -> None:
    systems = catalogue()
    for system in systems.values():
        seen = {system.name}
        parent = system.family
        while parent is not None:
            assert parent in systems, f"{system.name}: family {parent!r} is not a system"
            assert parent not in seen, f"{system.name}: family cycle through {parent!r}"
            seen.add(parent)
            parent = systems[parent].family


def test_partners_do_not_repeat_the_origin() -> None:
    bad = [s.name for s in catalogue().values() if s.origin in s.partners or len(set(s.partners)) != len(s.partners)]
    assert not bad, f"partners repeat the origin or each other: {bad}"


def test_origins_and_partners_are_known_states() -> None:
    codes = {state.code for state in states_file().states}
    if len(codes) < FULL_STATES:
        pytest.skip(f"states.yaml holds {len(codes)} states; the full list has not been merged yet")
    unknown = sorted({code for s in catalogue().values() for code in (s.origin, *s.partners)} - codes)
    assert not unknown, f"unknown state codes: {unknown}"


# --- facts, written from general knowledge ----------------------------------------------------

FACTS = [
    # name, category, origin, partners that must be listed
    ("S-400", "air-defence", "RUS", ()),
    ("Rafale", "aircraft", "FRA", ()),
    ("K9", "artillery", "KOR", ()),
    ("Bayraktar TB2", "drone", "TUR", ()),
    ("JF-17", "aircraft", "PAK", ("CHN",)),
    ("Eurofighter Typhoon", "aircraft", "GBR", ("DEU", "ITA", "ESP")),
    ("HIMARS", "artillery", "USA", ()),
    ("Smerch", "artillery", "RUS", ()),
    ("Javelin", "missile", "USA", ()),
    ("Stinger", "missile", "USA", ()),
    ("Kornet", "missile", "RUS", ()),
    ("BrahMos", "missile", "IND", ("RUS",)),
    ("Storm Shadow", "missile", "GBR", ("FRA",)),
    ("NASAMS", "air-defence", "NOR", ("USA",)),
    ("Pantsir", "air-defence", "RUS", ()),
    ("Iron Dome", "air-defence", "ISR", ()),
    ("Leopard 2", "armoured-vehicle", "DEU", ()),
    ("T-90", "armoured-vehicle", "RUS", ()),
    ("Type 214", "submarine", "DEU", ()),
    ("Scorpène", "submarine", "FRA", ()),
    ("FREMM", "ship", "FRA", ("ITA",)),
    ("Type 054A", "ship", "CHN", ()),
    ("Shahed-136", "drone", "IRN", ()),
    ("Wing Loong", "drone", "CHN", ()),
    ("AN/TPY-2", "sensor", "USA", ()),
    ("Erieye", "sensor", "SWE", ()),
    ("F100", "engine", "USA", ()),
    ("AL-31", "engine", "RUS", ()),
    ("Mi-17", "helicopter", "RUS", ()),
    ("KF-21", "aircraft", "KOR", ()),
]


@pytest.mark.parametrize(("name", "category", "origin", "partners"), FACTS, ids=[f[0] for f in FACTS])
def test_known_facts(name: str, category: str, origin: str, partners: tuple[str, ...]) -> None:
    system = catalogue()[name]
    assert system.category.value == category
    assert system.origin == origin
    assert set(partners) <= set(system.partners)


ALIASES = [
    ("SA-21 Growler", "S-400"),
    ("Fighting Falcon", "F-16"),
    ("Flanker-E", "Su-35"),
    ("9K720", "Iskander"),
    ("High Mobility Artillery Rocket System", "HIMARS"),
    ("Terminal High Altitude Area Defense", "THAAD"),
    ("K9 Thunder", "K9"),
    ("FGM-148", "Javelin"),
    ("Geran-2", "Geran-2"),
    ("Mistral-class", "Mistral-class"),
    ("MIM-23", "HAWK"),
    ("Thunderbolt II", "A-10 Thunderbolt II"),
    ("SCALP EG", "Storm Shadow"),
]


@pytest.mark.parametrize(("form", "name"), ALIASES, ids=[a[0] for a in ALIASES])
def test_aliases_resolve_to_one_system(form: str, name: str) -> None:
    assert resolve(form) == {name}


FAMILIES = [
    ("Su-30MKI", "Su-30"),
    ("Su-30SM", "Su-30"),
    ("F-16V", "F-16"),
    ("F-16 Block 70", "F-16"),
    ("Leopard 2A7", "Leopard 2"),
    ("S-300PMU-2", "S-300"),
    ("Type 209/1400", "Type 209"),
    ("Geran-2", "Shahed-136"),
    ("J-35", "FC-31"),
]


@pytest.mark.parametrize(("variant", "base"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_variants_point_to_their_family(variant: str, base: str) -> None:
    assert catalogue()[variant].family == base


@pytest.mark.parametrize(("word", "meanings"), [("Mistral", 2), ("Hawk", 2), ("Typhoon", 1), ("Patriot", 1)])
def test_ordinary_words_are_context_aliases(word: str, meanings: int) -> None:
    """A bare word that is also ordinary English counts only in a military sentence, for every owner."""
    owners = resolve(word)
    assert len(owners) == meanings
    for name in owners:
        assert scorer_key(word) in {scorer_key(c) for c in catalogue()[name].context_aliases}
