"""Benchmark of the store, merge and API (extraction excluded: events are generated).

    .venv/bin/python bench/store_service.py [--docs 2000] [--db URL-or-path]

Measures: ingest throughput (documents/s, with near-duplicate search and incremental merge),
re-ingest of the same documents (idempotency check only), and API latency (in-process ASGI
calls) for a transfer listing, a filtered listing, a free-text search and a transfer's page.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from armswatch.api.app import Services, create_app
from armswatch.core.model import Document, Event, EventType
from armswatch.knowledge import default_knowledge
from armswatch.store.db import open_database
from armswatch.store.ingest import Outcome, ingest_documents

SUPPLIERS = ["RUS", "USA", "FRA", "CHN", "DEU", "ITA", "GBR", "ISR", "KOR", "TUR"]
RECIPIENTS = ["IND", "EGY", "SAU", "ARE", "DZA", "VNM", "IDN", "PAK", "QAT", "GRC", "POL", "BRA"]
SYSTEMS = ["S-400", "S-300", "Patriot", "Iskander", None, "F-16", "Rafale", "K2", "Su-35", "Leopard 2"]
WORDS = [f"{a}{b}{c}" for a in "bdfgklmnprst" for b in "aeiou" for c in "lnrs"]


class PreparedExtractor:
    """Returns the events generated for each document (the extractor is benchmarked elsewhere)."""

    def __init__(self) -> None:
        self.events: dict[str, list[Event]] = {}

    def extract(self, doc: Document) -> list[Event]:
        return self.events.get(doc.id, [])


def make_corpus(n: int, extractor: PreparedExtractor, seed: int = 1) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        sentences, events = [], []
        for _ in range(rng.randint(1, 3)):
            sup, rec, system = rng.choice(SUPPLIERS), rng.choice(RECIPIENTS), rng.choice(SYSTEMS)
            type_ = rng.choice(list(EventType)[:8])
            year = rng.randint(2005, 2024)
            sentence = f"{sup} and {rec} {type_.value.lower()} {system or 'weapons'} in {year} report {i}."
            sentences.append(sentence)
            events.append((type_, sup, rec, system, str(year), sentence))
        filler = " ".join(rng.choice(WORDS) for _ in range(250))
        text = filler + "\n" + "\n".join(sentences)
        doc = Document(id=f"bench-{i}", text=text, title=f"Bench article {i}", published=dt.date(2024, 1, 1))
        extractor.events[doc.id] = [
            Event(doc_id=doc.id, type=t, supplier=s, recipient=r, system=y, date=d, evidence=e,
                  start=text.index(e), end=text.index(e) + len(e), confidence=rng.uniform(0.5, 0.95))
            for t, s, r, y, d, e in events
        ]  # fmt: skip
        docs.append(doc)
    return docs


def latency(client: TestClient, path: str, runs: int = 100) -> dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times)) - 1], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--db", default=None, help="default: a new SQLite file in a temp dir")
    args = parser.parse_args()
    target = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    db = open_database(target)
    extractor = PreparedExtractor()
    docs = make_corpus(args.docs, extractor)
    knowledge = default_knowledge()

    start = time.perf_counter()
    report = ingest_documents(db, extractor, docs, knowledge=knowledge)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    again = ingest_documents(db, extractor, docs, knowledge=knowledge)
    reingest_s = time.perf_counter() - start

    client = TestClient(create_app(Services(db, knowledge)))
    some_transfer = client.get("/api/transfers?limit=1").json()["items"][0]["id"]
    results: dict[str, Any] = {
        "database": db.url.get_backend_name(),
        "documents": args.docs,
        "stored": report.count(Outcome.STORED),
        "near_duplicates": report.count(Outcome.NEAR_DUPLICATE),
        "mentions": report.mentions,
        "transfers": client.get("/api/stats").json()["transfers"],
        "ingest_docs_per_s": round(args.docs / ingest_s, 1),
        "reingest_docs_per_s": round(args.docs / reingest_s, 1),
        "reingest_all_duplicates": again.count(Outcome.DUPLICATE) == args.docs,
        "api": {
            "list": latency(client, "/api/transfers?limit=50"),
            "filtered": latency(client, "/api/transfers?supplier=RUS&type=DELIVER&date_from=2015-01-01"),
            "free_text": latency(client, "/api/transfers?q=report%201"),
            "detail": latency(client, f"/api/transfers/{some_transfer}"),
            "page": latency(client, "/?supplier=USA", runs=30),
        },
    }
    print(json.dumps(results, indent=2))
    db.dispose()


if __name__ == "__main__":
    main()
