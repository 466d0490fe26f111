"""``armswatch batch``: shards, the in-process engine, and the Ray engine on a real local cluster."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.files import read_paths
from armswatch.nlp.extractor import Extractor
from armswatch.scale.runner import EVENT_SCHEMA, event_row
from armswatch.scale.shards import InputError, plan_shards, read_shard
from tests.samples import document_record, sample_documents
from tests.support.articles import english_article
from tests.support.badinputs import FRENCH, warc_bytes

runner = CliRunner()


def _write_corpus(root: Path) -> Path:
    """Two JSON Lines files (one with a broken line) and one Parquet file with two row groups."""
    docs = [document_record(d) for d in sample_documents()]
    root.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in docs[:14]]
    lines.insert(5, "{not json")
    (root / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "b.jsonl").write_text("\n".join(json.dumps(r) for r in docs[14:24]) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(docs[24:]), root / "c.parquet", row_group_size=6)
    return root


def _events(output: Path) -> list[dict[str, Any]]:
    table = pq.read_table(output / "events", schema=EVENT_SCHEMA)
    return sorted(table.to_pylist(), key=lambda r: (r["doc_id"], r["start"], r["type"], str(r["system"])))


def _failures(output: Path) -> list[dict[str, Any]]:
    folder = output / "failures"
    return pq.read_table(folder).to_pylist() if folder.exists() else []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local_output(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("local") / "out"
    result = runner.invoke(app, ["batch", str(corpus), "--output", str(output), "--shard-mb", "0.002"])
    assert result.exit_code == 1, result.output  # the broken line is reported...
    assert "1 input(s) could not be read" in result.output
    return output


# --- shards ----------------------------------------------------------------------------


def test_jsonl_is_cut_at_line_ends_and_keeps_line_numbers(corpus: Path) -> None:
    shards = plan_shards([corpus / "a.jsonl"], shard_bytes=1000)
    assert len(shards) > 3
    assert shards[0].start == 0 and all(a.stop == b.start for a, b in pairwise(shards))
    items = [item for shard in shards for item in read_shard(shard)]
    assert [item.source for item in items] == [f"{corpus / 'a.jsonl'}:{n}" for n in range(1, 16)]


_LINES = st.one_of(
    st.builds(lambda n, t: json.dumps({"id": f"d{n}", "text": t}), st.integers(0, 999), st.text(max_size=40)),
    st.sampled_from(["", "   ", "{broken", "[1, 2]", '{"id": "x"}', '{"text": "caf\u00e9 \u2014 ok"}\r']),
    st.just(json.dumps({"id": "u", "text": "a\u2028b\u00e9"}, ensure_ascii=False)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINES, max_size=30), shard_bytes=st.integers(1, 400), trailing_newline=st.booleans())
def test_shards_read_exactly_what_the_whole_file_holds(
    tmp_path: Path, lines: list[str], shard_bytes: int, trailing_newline: bool
) -> None:
    """However a JSON Lines file is cut, its shards give the same documents and failures, with
    the same line numbers, as reading the file in one go."""
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + ("\n" if trailing_newline else ""), encoding="utf-8")
    whole = list(read_paths([path]))
    cut = [item for shard in plan_shards([path], shard_bytes=shard_bytes) for item in read_shard(shard)]
    assert [_described(i) for i in cut] == [_described(i) for i in whole]


def _described(item: object) -> tuple[object, ...]:
    if isinstance(item, Document):
        return ("doc", item.id, item.text, item.source)
    assert isinstance(item, ReadFailure)
    return ("failure", item.source, item.reason)


def test_parquet_shards_are_row_groups(corpus: Path) -> None:
    shards = plan_shards([corpus / "c.parquet"])
    assert [(s.start, s.first) for s in shards] == [(0, 0), (1, 6)]
    docs = [item for shard in shards for item in read_shard(shard)]
    assert [d.source for d in docs][-1] == f"{corpus / 'c.parquet'}#row11"


def test_unsupported_inputs_get_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON Lines"):
        plan_shards([tmp_path / "notes.txt"])
    with pytest.raises(InputError, match="no such file"):
        plan_shards([tmp_path / "missing.jsonl"])
    result = runner.invoke(app, ["batch", str(tmp_path / "notes.txt"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a JSON Lines" in result.output


def test_a_web_archive_is_one_shard_of_its_pages(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes([1, 2, 3]))
    (shard,) = plan_shards([tmp_path])
    docs = list(read_shard(shard))
    assert shard.kind == "warc" and [d.url for d in docs if isinstance(d, Document)] == [
        f"https://archive.example/story/{n}" for n in (1, 2, 3)
    ]


# --- the local engine ------------------------------------------------------------------


def test_local_engine_gives_the_extractors_events(local_output: Path) -> None:
    extractor = Extractor()
    expected = [event_row(e, d) for d in sample_documents() for e in extractor.extract(d)]
    got = _events(local_output)
    assert len(got) == len(expected) >= 6
    without_source = [{k: v for k, v in row.items() if k != "source"} for row in got]
    assert without_source == sorted(
        ({k: v for k, v in row.items() if k != "source"} for row in expected),
        key=lambda r: (r["doc_id"], r["start"], r["type"], str(r["system"])),
    )


def test_local_engine_records_what_it_could_not_read(local_output: Path, corpus: Path) -> None:
    failures = _failures(local_output)
    assert [f["source"] for f in failures] == [f"{corpus / 'a.jsonl'}:6"]
    summary = json.loads((local_output / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 36 and summary["failures"] == 1 and summary["events"] == len(_events(local_output))


def test_an_output_that_holds_results_is_not_overwritten(local_output: Path, corpus: Path) -> None:
    before = sorted(p.name for p in (local_output / "events").iterdir())
    result = runner.invoke(app, ["batch", str(corpus), "--output", str(local_output)])
    assert result.exit_code == 2 and "already holds results" in result.output
    assert sorted(p.name for p in (local_output / "events").iterdir()) == before


# The store keeps a text once (the samples repeat some general-news texts): that many documents.
_DISTINCT_TEXTS = len({d.text for d in sample_documents()})


def _store_counts(path: Path) -> tuple[int, int, int]:
    """Documents done, documents failed, and mentions in a SQLite store."""
    from sqlalchemy import func, select

    from armswatch.store.db import open_database
    from armswatch.store.models import DocumentRow, DocumentStatus, MentionRow

    database = open_database(path)
    try:
        with database.session() as session:
            status = DocumentRow.status
            done = session.scalar(select(func.count()).where(status == DocumentStatus.DONE))
            failed = session.scalar(select(func.count()).where(status == DocumentStatus.FAILED))
            mentions = session.scalar(select(func.count()).select_from(MentionRow))
    finally:
        database.dispose()
    return int(done or 0), int(failed or 0), int(mentions or 0)


def test_local_engine_can_also_fill_the_store(corpus: Path, local_output: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    args = ["batch", str(corpus), "--output", str(tmp_path / "out"), "--shard-mb", "0.002", "--store", str(store)]
    assert runner.invoke(app, args).exit_code == 1  # the broken line, stored as a failure too
    assert _events(tmp_path / "out") == _events(local_output)
    assert _store_counts(store) == (_DISTINCT_TEXTS, 1, len(_events(local_output)))


def _languages(path: Path) -> dict[str, tuple[str | None, str]]:
    """Each stored document's language and status, by its id."""
    from sqlalchemy import select

    from armswatch.store.db import open_database
    from armswatch.store.models import DocumentRow

    database = open_database(path)
    try:
        with database.session() as session:
            rows = session.execute(select(DocumentRow.external_id, DocumentRow.language, DocumentRow.status))
            return {str(key): (language, str(status)) for key, language, status in rows}
    finally:
        database.dispose()


# An English sale and the same in French: the extractor reads English only.
_ENGLISH_SALE = "Russia delivered S-400 air defence systems to India in May, the Kremlin said on Tuesday."
_FRENCH_SALE = (
    "La Russie a livré des systèmes de défense aérienne S-400 à l'Inde en mai, a indiqué mardi le Kremlin. " + FRENCH
)


def test_the_store_gets_every_documents_language_and_other_languages_are_set_aside(tmp_path: Path) -> None:
    records = [{"id": "en", "text": f"{_ENGLISH_SALE} {english_article(2)[1]}"}, {"id": "fr", "text": _FRENCH_SALE}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    store = tmp_path / "store.sqlite"
    args = ["batch", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out"), "--store", str(store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 document(s) in a language the extractor does not read" in result.output
    assert _languages(store) == {"en": ("en", "done"), "fr": ("fr", "unsupported-language")}
    assert {row["doc_id"] for row in _events(tmp_path / "out")} == {"en"}
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["other_language"] == 1


def test_a_declared_language_is_trusted_without_a_store(tmp_path: Path) -> None:
    records = [
        {"id": "declared-fr", "text": _ENGLISH_SALE, "language": "fr"},
        {"id": "declared-en", "text": _ENGLISH_SALE, "language": "en"},
        {"id": "undeclared", "text": _ENGLISH_SALE},
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert {row["doc_id"] for row in _events(tmp_path / "out")} == {"declared-en", "undeclared"}


# --- the Ray engine, on a real local cluster ---------------------------------------------


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.ray
def test_ray_engine_output_equals_the_local_engine(
    ray_cluster: None, corpus: Path, local_output: Path, tmp_path: Path
) -> None:
    output = tmp_path / "ray-out"
    args = ["batch", str(corpus), "--output", str(output), "--engine", "ray", "--workers", "2", "--shard-mb", "0.002"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert _events(output) == _events(local_output)
    assert _failures(output) == _failures(local_output)
    assert sorted(p.name for p in (output / "events").iterdir()) == sorted(
        p.name for p in (local_output / "events").iterdir()
    )
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "ray" and summary["workers"] == 2 and summary["documents"] == 36


@pytest.mark.ray
def test_ray_workers_use_extra_knowledge_from_the_driver(
    ray_cluster: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A system known only from ARMSWATCH_KNOWLEDGE on the driver is found on the workers, and
    shards are processed in parallel without losing or repeating one."""
    from armswatch.scale.ray_engine import run_ray

    extra = tmp_path / "knowledge"
    (extra / "systems").mkdir(parents=True)
    (extra / "systems" / "x.yaml").write_text(
        "version: 1\nsystems:\n  - {name: Zeta-9, category: missile, origin: RUS}\n", encoding="utf-8"
    )
    monkeypatch.setenv("ARMSWATCH_KNOWLEDGE", str(extra))
    lines = [
        json.dumps({"id": f"z{n}", "text": f"Russia delivered Zeta-9 missiles to India in {2000 + n}."})
        for n in range(8)
    ]
    (tmp_path / "z.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shards = plan_shards([tmp_path / "z.jsonl"], shard_bytes=50)  # a line each
    stats, workers = run_ray(shards, str(tmp_path / "out"))
    assert workers == 2  # the fixture's cluster has two CPUs
    assert [s.shard for s in stats] == list(range(len(shards))) and len(shards) == 8
    assert sum(s.documents for s in stats) == 8
    systems = {row["doc_id"]: row["system"] for row in _events(tmp_path / "out")}
    assert systems == {f"z{n}": "Zeta-9" for n in range(8)}


@pytest.mark.ray
def test_ray_workers_fill_one_store_together(
    ray_cluster: None, corpus: Path, local_output: Path, tmp_path: Path
) -> None:
    """Two actors write the same SQLite store at once: every document and event lands once."""
    store = tmp_path / "store.sqlite"
    args = ["batch", str(corpus), "--output", str(tmp_path / "out"), "--engine", "ray", "--workers", "2"]
    result = runner.invoke(app, [*args, "--shard-mb", "0.002", "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert _store_counts(store) == (_DISTINCT_TEXTS, 1, len(_events(local_output)))
