"""Merging mentions across documents into transfers, incrementally."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from armswatch.core.model import Document
from armswatch.knowledge import Knowledge, load_knowledge
from armswatch.knowledge.loader import BUNDLED_DIR
from armswatch.merge.dates import date_span, gap_days
from armswatch.store.db import Database
from armswatch.store.ingest import ingest_documents
from armswatch.store.models import MentionRow, TransferRow
from tests.support.extractors import TaggedLineExtractor

FILLER = "Officials gave no further details. The statement was released late in the evening."


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    extra: Path = tmp_path_factory.mktemp("kb")
    (extra / "systems").mkdir()
    (extra / "systems" / "test.yaml").write_text(
        "version: 1\nsystems:\n"
        "  - {name: Zeta-9, category: aircraft, origin: RUS}\n"
        "  - {name: Zeta-9M, category: aircraft, origin: RUS, family: Zeta-9}\n",
        encoding="utf-8",
    )
    return load_knowledge([BUNDLED_DIR, extra])


def article(doc_id: str, *lines: str, published: str = "2020-06-01") -> Document:
    body = "\n".join(lines) + "\n" + FILLER + f" Reference {doc_id}."
    return Document(id=doc_id, text=body, title=doc_id, published=dt.date.fromisoformat(published))


def ingest(db: Database, knowledge: Knowledge, *docs: Document) -> set[int]:
    return ingest_documents(db, TaggedLineExtractor(), docs, knowledge=knowledge).transfers


def transfers(db: Database) -> list[TransferRow]:
    with db.session() as s:
        return list(s.scalars(select(TransferRow).order_by(TransferRow.id)))


def test_variants_of_one_family_and_many_sources_make_one_transfer(db: Database, knowledge: Knowledge) -> None:
    ingest(
        db,
        knowledge,
        article("a", "[REQUEST FRA>EGY Zeta-9 2019-03 conf=0.6] Egypt asked France for Zeta-9 jets."),
        article("b", "[AGREE FRA>EGY Zeta-9M 2020-05 conf=0.9 qty=24] Egypt signed for 24 Zeta-9M jets."),
        article(
            "c",
            "[DELIVER FRA>EGY Zeta-9M 2021-07 conf=0.7] The first Zeta-9M jets landed in Egypt.",
            published="2021-07-20",
        ),
    )
    [t] = transfers(db)
    assert (t.supplier, t.recipient, t.system, t.category) == ("FRA", "EGY", "Zeta-9", "aircraft")
    assert t.systems == ["Zeta-9", "Zeta-9M"]
    assert t.stages == ["REQUEST", "AGREE", "DELIVER"]
    assert t.status == "DELIVER"
    assert (t.first_date, t.last_date) == (dt.date(2019, 3, 1), dt.date(2021, 7, 31))
    assert (t.first_reported, t.last_reported) == (dt.date(2020, 6, 1), dt.date(2021, 7, 20))
    assert (t.sources, t.mention_count, t.quantity) == (3, 3, 24)
    assert t.confidence == pytest.approx(1 - 0.4 * 0.1 * 0.3)


def test_a_syndicated_copy_adds_evidence_but_no_source(db: Database, knowledge: Knowledge) -> None:
    story = "[AGREE FRA>EGY Zeta-9 2020-05 conf=0.8] Egypt signed a contract for Zeta-9 jets on Monday."
    ingest(db, knowledge, article("orig", story), article("copy", "From our wire service.", story))
    [t] = transfers(db)
    assert (t.mention_count, t.sources) == (2, 1)
    assert t.confidence == pytest.approx(0.8)


def test_dates_far_apart_are_different_transfers_until_a_mention_bridges_them(
    db: Database, knowledge: Knowledge
) -> None:
    ingest(
        db,
        knowledge,
        article("old", "[AGREE RUS>IND S-300 1996] India ordered S-300 batteries.", published="1996-02-01"),
        article("new", "[AGREE RUS>IND S-300 2008] India ordered more S-300 batteries.", published="2008-02-01"),
    )
    assert len(transfers(db)) == 2
    touched = ingest(
        db, knowledge, article("mid", "[DELIVER RUS>IND S-300 2002] The S-300 arrived.", published="2002-02-01")
    )
    [t] = transfers(db)
    assert touched == {t.id}
    assert t.sources == 3 and t.stages == ["AGREE", "DELIVER"]


def test_unnamed_systems_merge_only_with_unnamed_and_only_when_close(db: Database, knowledge: Knowledge) -> None:
    ingest(
        db,
        knowledge,
        article("a", "[SUSPEND USA>TUR - 2019-07] Washington froze all arms sales to Ankara."),
        article("b", "[SUSPEND USA>TUR - 2019-11] The freeze on arms sales to Turkey was extended."),
        article("c", "[SUSPEND USA>TUR - 2023-01] Sales were frozen again."),
        article("d", "[AGREE USA>TUR F-16 2019-09] Turkey agreed to buy F-16 jets."),
    )
    summary = sorted((t.system or "-", t.mention_count) for t in transfers(db))
    assert summary == [("-", 1), ("-", 2), ("F-16", 1)]


def test_opposition_keeps_its_actor_and_is_no_stage_of_the_transfer(db: Database, knowledge: Knowledge) -> None:
    ingest(
        db,
        knowledge,
        article(
            "a",
            "[AGREE RUS>TUR S-400 2017-09] Turkey signed for the S-400.",
            "[OPPOSE RUS>TUR S-400 2017-10 actor=USA] Washington objected to the S-400 purchase.",
        ),
    )
    [t] = transfers(db)
    assert t.actors == ["USA"]
    assert t.status == "AGREE"
    assert t.stages == ["AGREE", "OPPOSE"]


def test_ingesting_one_article_touches_only_its_transfers(db: Database, knowledge: Knowledge) -> None:
    ingest(
        db,
        knowledge,
        article("a", "[AGREE RUS>TUR S-400 2017-09] Turkey signed for the S-400."),
        article("b", "[DELIVER USA>POL Patriot 2022-03] Poland received Patriot batteries."),
    )
    before = {t.id: (t.revision, t.updated_at) for t in transfers(db)}
    touched = ingest(db, knowledge, article("c", "[DELIVER RUS>TUR S-400 2019-07] The S-400 arrived in Ankara."))
    after = {t.id: (t.revision, t.updated_at, t.supplier) for t in transfers(db)}
    [turkey] = [i for i, v in after.items() if v[2] == "RUS"]
    [poland] = [i for i, v in after.items() if v[2] == "USA"]
    assert touched == {turkey}
    assert after[poland][:2] == before[poland]
    assert after[turkey][0] == before[turkey][0] + 1


def test_undated_mention_joins_the_latest_transfer_of_its_key(db: Database, knowledge: Knowledge) -> None:
    ingest(
        db,
        knowledge,
        article("old", "[AGREE RUS>IND S-300 1995] India ordered S-300 batteries.", published="1995-02-01"),
        article("new", "[AGREE RUS>IND S-300 2015] India ordered more S-300 batteries.", published="2015-02-01"),
    )
    undated = Document(id="u", text="[DELIVER RUS>IND S-300] The S-300 batteries are in service. " + FILLER)
    ingest(db, knowledge, undated)
    with db.session() as s:
        mention = s.scalars(select(MentionRow).where(MentionRow.type == "DELIVER")).one()
        assert mention.transfer is not None and mention.transfer.last_date == dt.date(2015, 12, 31)


def test_date_spans() -> None:
    assert date_span("2019") == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert date_span("2020-02") == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert date_span("2020-02-30") is None and date_span("soon") is None and date_span(None) is None
    a, b = date_span("2019"), date_span("2021-03")
    assert a and b and gap_days(a, b) == gap_days(b, a) == 426
    assert gap_days(a, a) == 0


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_spans_cover_the_day_at_every_precision(day: dt.date) -> None:
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        span = date_span(text)
        assert span is not None and span[0] <= day <= span[1]
        assert span[0].isoformat().startswith(text) and span[1].isoformat().startswith(text)
    assert date_span(day.isoformat()) == (day, day)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_date_span_never_raises(text: str) -> None:
    span = date_span(text)
    assert span is None or span[0] <= span[1]
