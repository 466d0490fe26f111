"""Batches that lose nothing: the corpus of bad inputs, re-runs, pending URLs, languages.

Real extractor, real databases (SQLite and PostgreSQL), inputs made at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.batch import BatchRunner
from armswatch.ingest.items import Deferred
from armswatch.ingest.sources import Inputs
from armswatch.nlp.extractor import Extractor
from armswatch.store import bookkeeping
from armswatch.store.db import Database
from armswatch.store.ingest import Outcome
from armswatch.store.models import BatchRow, DocumentRow, DocumentStatus
from tests.support.badinputs import Corpus, make_corpus
from tests.support.extractors import ScriptedExtractor


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(tmp_path_factory.mktemp("bad-inputs"))


def rows(db: Database) -> list[DocumentRow]:
    with db.session() as session:
        return list(session.scalars(select(DocumentRow).order_by(DocumentRow.id)))


def test_every_bad_input_fails_with_its_reason_and_the_rest_is_stored(
    db: Database, corpus: Corpus, extractor: Extractor
) -> None:
    report = BatchRunner(db, extractor).run(Inputs([str(corpus.root)]), command="test", inputs=[str(corpus.root)])
    stored = rows(db)
    done = {r.title for r in stored if r.status is DocumentStatus.DONE}
    unsupported = {r.title: r.language for r in stored if r.status is DocumentStatus.UNSUPPORTED_LANGUAGE}
    failed = {r.source: r.error for r in stored if r.status is DocumentStatus.FAILED}
    assert done == corpus.stored
    assert unsupported == {"Patrouilleurs": "fr", "Patrouillenboote": "de"}
    for suffix, reason in corpus.failed.items():
        matches = [error for source, error in failed.items() if source and (suffix in source)]
        assert len(matches) == 1 and reason in (matches[0] or ""), (suffix, failed)
    assert len(failed) == len(corpus.failed)
    assert not [r for r in stored if r.status is DocumentStatus.PENDING]
    assert report.count(Outcome.FAILED) == len(corpus.failed)
    assert report.mentions > 0  # the real extractor found the transfers in the good articles
    by_title = {r.title: r for r in stored}
    assert "\x00" not in (by_title[next(t for t in corpus.stored if "14" in t)].text or "")
    mixed = next(r for r in stored if r.source and r.source.endswith("mixed.txt"))
    assert "Café prices rose to £5." in (mixed.text or "")
    assert {r.language for r in stored if r.status is DocumentStatus.DONE} == {"en"}


def test_a_second_run_adds_nothing_and_reads_no_archived_page_again(sqlite_db: Database, corpus: Corpus) -> None:
    runner = BatchRunner(sqlite_db, ScriptedExtractor())
    runner.run(Inputs([str(corpus.root)]), command="test", inputs=[])
    before = [(r.id, r.status, r.error) for r in rows(sqlite_db)]
    loads = 0

    def counting(items: Inputs) -> object:
        nonlocal loads
        for item in items:
            if isinstance(item, Deferred):
                original = item.load

                def load(original: object = original) -> Document | ReadFailure:
                    nonlocal loads
                    loads += 1
                    return original()  # type: ignore[operator]

                item = Deferred(item.source, item.url, load)
            yield item

    again = runner.run(counting(Inputs([str(corpus.root)])), command="test", inputs=[])  # type: ignore[arg-type]
    assert [(r.id, r.status, r.error) for r in rows(sqlite_db)] == before
    assert loads == 0  # the archive's pages were known by their record, so not parsed again
    assert again.count(Outcome.STORED) == 0
    with sqlite_db.session() as session:
        batches = session.scalars(select(BatchRow).order_by(BatchRow.id)).all()
    assert [b.finished_at is not None for b in batches] == [True, True]


def test_an_input_that_failed_and_then_reads_leaves_no_stale_failure(sqlite_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "later.txt"
    path.write_text("", encoding="utf-8")
    runner = BatchRunner(sqlite_db, ScriptedExtractor())
    runner.run(Inputs([str(path)]), command="test", inputs=[])
    assert [r.status for r in rows(sqlite_db)] == [DocumentStatus.FAILED]
    path.write_text("Fixed\n\nThe file has a proper article in it now, with several words.\n", encoding="utf-8")
    runner.run(Inputs([str(path)]), command="test", inputs=[])
    assert [(r.status, r.source) for r in rows(sqlite_db)] == [(DocumentStatus.DONE, str(path))]


def test_a_queued_url_ends_as_one_row_whether_it_fails_or_succeeds(db: Database) -> None:
    url = "https://news.example/queued"
    with db.writing() as session:
        assert bookkeeping.queue_urls(session, [url, url]) == 1
    assert bookkeeping.pending_urls(db) == [url]
    runner = BatchRunner(db, ScriptedExtractor())
    runner.ingest_one(Deferred(url, url, lambda: ReadFailure(url, "HTTP 503 Service Unavailable")))
    assert [(r.url, r.status, r.error) for r in rows(db)] == [
        (url, DocumentStatus.FAILED, "HTTP 503 Service Unavailable")
    ]
    page = Document(id=url, text="A page that could be fetched the second time round.", url=url, source=url)
    runner.ingest_one(Deferred(url, url, lambda: page))
    assert [(r.url, r.status, r.error) for r in rows(db)] == [(url, DocumentStatus.DONE, None)]
    assert bookkeeping.pending_urls(db) == []


def test_a_queued_url_whose_text_is_stored_elsewhere_is_dropped(db: Database) -> None:
    text = "The same wire story, published under two addresses by two sites."
    runner = BatchRunner(db, ScriptedExtractor())
    runner.ingest_one(Document(id="first", text=text, url="https://a.example/1", source="a"))
    with db.writing() as session:
        bookkeeping.queue_urls(session, ["https://b.example/2"])
    copy = Document(id="copy", text=text, url="https://b.example/2", source="https://b.example/2")
    result = runner.ingest_one(Deferred(copy.source or "", copy.url, lambda: copy))
    assert result.outcome is Outcome.DUPLICATE
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 1
    assert bookkeeping.pending_urls(db) == []


def test_a_declared_language_is_kept_and_undetermined_text_is_extracted(sqlite_db: Database) -> None:
    runner = BatchRunner(sqlite_db, ScriptedExtractor())
    runner.ingest_one(Document(id="d", text="Ein kurzer Text.", language="en", source="declared"))
    runner.ingest_one(Document(id="u", text="S-400 F-16 2019 K9", source="codes"))
    assert [(r.source, r.language, r.status) for r in rows(sqlite_db)] == [
        ("declared", "en", DocumentStatus.DONE),
        ("codes", None, DocumentStatus.DONE),
    ]
