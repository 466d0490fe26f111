"""Load and check the knowledge files: states, organisations, office holders, groups,
weapon systems and trigger words.

The bundled files live in ``knowledge/data``. Analysts extend them without touching Python:
every directory named in ``ARMSWATCH_KNOWLEDGE`` (``os.pathsep``-separated) is read after the
bundled one, with the same layout, and its entries are added to (or, for the same state code,
system name or group key, replace) the bundled ones.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from armswatch.knowledge.schema import (
    Group,
    GroupsFile,
    LeadersFile,
    OfficeHolder,
    Organisation,
    OrganisationsFile,
    PriorsFile,
    State,
    StatesFile,
    SystemsFile,
    TriggersFile,
    WeaponSystem,
)

BUNDLED_DIR = Path(__file__).parent / "data"
ENV_VAR = "ARMSWATCH_KNOWLEDGE"

F = TypeVar("F", bound=BaseModel)


def name_key(text: str) -> str:
    """Letters and digits only (of any script), casefolded: 'Su-30MKI' and 'SU 30 MKI' both give
    'su30mki'; 'Герань-2' keeps its letters rather than collapsing to '2'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class KnowledgeError(ValueError):
    """A knowledge file is missing, unreadable or does not match its schema."""


@dataclass(frozen=True)
class Knowledge:
    """Everything the pipeline knows about the world, checked and indexed by key."""

    states: dict[str, State]
    organisations: list[Organisation]
    office_holders: list[OfficeHolder]
    groups: dict[str, Group]
    systems: dict[str, WeaponSystem]
    triggers: dict[str, TriggersFile]  # by language code
    exporters: tuple[str, ...] = ()  # largest arms exporters first
    files: tuple[Path, ...] = ()
    fingerprint: str = ""  # hash of the files' bytes: which knowledge produced a result

    def state_name(self, code: str) -> str:
        state = self.states.get(code)
        return state.name if state else code

    def system(self, name: str) -> WeaponSystem | None:
        """The catalogue entry for a name or any of its aliases ('T-90C', 'SA-21 Growler')."""
        return self.systems.get(name) or self._system_by_key.get(name_key(name))

    @cached_property
    def _system_by_key(self) -> dict[str, WeaponSystem]:
        index: dict[str, WeaponSystem] = {}
        for system in self.systems.values():
            for alias in (*system.aliases, *system.context_aliases):
                index.setdefault(name_key(alias), system)
        for system in self.systems.values():
            index[name_key(system.name)] = system  # a name wins over another system's alias
        return index

    @property
    def languages(self) -> list[str]:
        return sorted(self.triggers)


def knowledge_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """The bundled directory, then those from the environment, then ``extra``."""
    dirs = [BUNDLED_DIR]
    env = os.environ.get(ENV_VAR, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += list(extra)
    return dirs


@cache
def default_knowledge() -> Knowledge:
    """The knowledge the CLI and the API use, loaded once per process."""
    return load_knowledge()


def load_knowledge(dirs: Iterable[Path] | None = None) -> Knowledge:
    """Read, validate and merge the knowledge files of ``dirs`` (default: :func:`knowledge_dirs`)."""
    dir_list = list(dirs) if dirs is not None else knowledge_dirs()
    for d in dir_list:
        if not d.is_dir():
            raise KnowledgeError(f"{d}: not a directory of knowledge files")
    files: list[Path] = []
    states: dict[str, State] = {}
    organisations: list[Organisation] = []
    holders: list[OfficeHolder] = []
    groups: dict[str, Group] = {}
    systems: dict[str, WeaponSystem] = {}
    triggers: dict[str, TriggersFile] = {}
    exporters: list[str] = []

    for _path, states_file in _read_all(dir_list, "states.yaml", StatesFile, files):
        states.update((s.code, s) for s in states_file.states)
    for _path, org_file in _read_all(dir_list, "organisations.yaml", OrganisationsFile, files):
        organisations += org_file.organisations
    for _path, leaders_file in _read_all(dir_list, "leaders.yaml", LeadersFile, files):
        holders += leaders_file.office_holders
    for _path, groups_file in _read_all(dir_list, "groups.yaml", GroupsFile, files):
        groups.update((g.key, g) for g in groups_file.groups)
    for path, systems_file in _read_all(dir_list, "systems/*.yaml", SystemsFile, files):
        for system in systems_file.systems:
            if system.name in systems and systems[system.name] != system and path.parent.parent == BUNDLED_DIR:
                raise KnowledgeError(f"{path}: system {system.name!r} is defined twice in the bundled files")
            systems[system.name] = system
    for _path, trig_file in _read_all(dir_list, "triggers/*.yaml", TriggersFile, files):
        triggers[trig_file.language] = _merge_triggers(triggers.get(trig_file.language), trig_file)

    for _path, priors in _read_all(dir_list, "priors.yaml", PriorsFile, files):
        exporters = [*priors.exporters, *[c for c in exporters if c not in priors.exporters]]

    _check_references(states, organisations, holders, groups, systems)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return Knowledge(
        states=states,
        organisations=organisations,
        office_holders=holders,
        groups=groups,
        systems=systems,
        triggers=triggers,
        exporters=tuple(exporters),
        files=tuple(files),
        fingerprint=digest.hexdigest()[:16],
    )


def _read_all(dirs: list[Path], pattern: str, model: type[F], seen: list[Path]) -> Iterator[tuple[Path, F]]:
    for d in dirs:
        for path in sorted(d.glob(pattern)):
            seen.append(path)
            yield path, read_file(path, model)


def read_file(path: Path, model: type[F]) -> F:
    """Parse one YAML file and validate it, naming the file and the bad entry on failure."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{_locate(raw, err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)[:10])
        raise KnowledgeError(f"{path}: {exc.error_count()} problem(s): {problems}") from exc


def _locate(raw: object, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into something an analyst can find in the file."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            label = ""
            if isinstance(node, dict):
                label = str(node.get("name") or node.get("code") or node.get("key") or node.get("type") or "")
            parts.append(f"[{step}{' ' + label if label else ''}]")
        else:
            node = node.get(step) if isinstance(node, dict) else None
            parts.append(f".{step}")
    return "".join(parts).lstrip(".") or "file"


def _merge_triggers(old: TriggersFile | None, new: TriggersFile) -> TriggersFile:
    """A later file for the same language adds to the earlier one: lists grow, tables update."""
    if old is None:
        return new
    merged: dict[str, object] = {}
    for name in TriggersFile.model_fields:
        a, b = getattr(old, name), getattr(new, name)
        if isinstance(a, BaseModel):
            merged[name] = {k: [*getattr(a, k), *getattr(b, k)] for k in type(a).model_fields}
        elif isinstance(a, list):
            merged[name] = [*a, *b]
        elif isinstance(a, dict):
            merged[name] = {**a, **{k: [*a.get(k, []), *v] if isinstance(v, list) else v for k, v in b.items()}}
        else:
            merged[name] = a if name in ("language", "description") else max(a, b) if name == "version" else b
    return TriggersFile.model_validate(merged)


def _check_references(
    states: dict[str, State],
    organisations: list[Organisation],
    holders: list[OfficeHolder],
    groups: dict[str, Group],
    systems: dict[str, WeaponSystem],
) -> None:
    """Every state code used anywhere must name a state that the states file defines."""
    problems: list[str] = []
    if states:
        for org in organisations:
            if org.state not in states:
                problems.append(f"organisation {org.name!r}: unknown state {org.state}")
        for holder in holders:
            if holder.state not in states:
                problems.append(f"office holder {holder.name!r}: unknown state {holder.state}")
        for group in groups.values():
            if group.based_in and group.based_in not in states:
                problems.append(f"group {group.key!r}: unknown state {group.based_in}")
        for system in systems.values():
            for code in (system.origin, *system.partners):
                if code not in states:
                    problems.append(f"system {system.name!r}: unknown origin {code}")
    for system in systems.values():
        if system.family and system.family not in systems:
            problems.append(f"system {system.name!r}: family {system.family!r} is not a system")
    if problems:
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise KnowledgeError("; ".join(problems[:20]) + more)


class _Loader(yaml.SafeLoader if not hasattr(yaml, "CSafeLoader") else yaml.CSafeLoader):  # type: ignore[misc]
    """Safe YAML loading, with the C parser where it is available (10x faster).

    Only ``true``/``false`` are booleans: YAML 1.1 also reads ``no``, ``on``, ``yes`` and
    ``off`` as booleans, which would turn Norway's ``NO`` or the word "on" into ``False``/``True``.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list(_first)
    )
