"""The knowledge loader: bundled files validate, and a bad file gets a precise error."""

from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.knowledge import KnowledgeError, load_knowledge
from armswatch.knowledge.loader import BUNDLED_DIR


def test_bundled_knowledge_loads() -> None:
    kb = load_knowledge([BUNDLED_DIR])
    assert "RUS" in kb.states
    assert kb.systems["S-400"].origin == "RUS"
    assert "en" in kb.triggers
    assert len(kb.fingerprint) == 16


def test_extra_directory_adds_a_system(tmp_path: Path) -> None:
    (tmp_path / "systems").mkdir()
    (tmp_path / "systems" / "mine.yaml").write_text(
        "version: 1\nsystems:\n  - {name: Zeta-9, category: missile, origin: RUS}\n", encoding="utf-8"
    )
    kb = load_knowledge([BUNDLED_DIR, tmp_path])
    assert kb.systems["Zeta-9"].category.value == "missile"


def test_bad_entry_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "systems").mkdir()
    (tmp_path / "systems" / "bad.yaml").write_text(
        "version: 1\nsystems:\n  - {name: Zeta-9, category: spaceship, origin: RUS}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match=r"bad\.yaml.*systems\[0 Zeta-9\]\.category: Input should be"):
        load_knowledge([BUNDLED_DIR, tmp_path])


def test_unknown_origin_state_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "systems").mkdir()
    (tmp_path / "systems" / "x.yaml").write_text(
        "version: 1\nsystems:\n  - {name: Zeta-9, category: missile, origin: XXX}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match="unknown origin XXX"):
        load_knowledge([BUNDLED_DIR, tmp_path])


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not a directory"):
        load_knowledge([tmp_path / "nope"])


def test_yaml_words_like_no_and_on_stay_strings(tmp_path: Path) -> None:
    (tmp_path / "states.yaml").write_text(
        "version: 1\nstates:\n  - {code: NOR, name: Norway, abbreviations: [NO, on]}\n", encoding="utf-8"
    )
    kb = load_knowledge([BUNDLED_DIR, tmp_path])
    assert kb.states["NOR"].abbreviations == ["NO", "on"]
