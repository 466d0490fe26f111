"""The REST API on a real database (SQLite and PostgreSQL), seeded with a small tagged corpus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from armswatch.api.app import Services, create_app
from armswatch.knowledge import default_knowledge
from armswatch.store.db import Database
from tests.support.corpus import SCRIPT, seed
from tests.support.extractors import TaggedLineExtractor

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_client(db: Database) -> TestClient:
    services = Services(
        db, default_knowledge(), token=TOKEN, extractor_factory=TaggedLineExtractor, max_body_bytes=64 * 1024
    )
    return TestClient(create_app(services))


@pytest.fixture(scope="module")
def reader(module_db: Database) -> Iterator[TestClient]:
    """A client over the seeded corpus, shared by the tests that only read."""
    seed(module_db)
    with make_client(module_db) as c:
        yield c


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    """A client over a fresh copy of the seeded corpus, for tests that write."""
    seed(db)
    with make_client(db) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def pairs(page: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(t["supplier"], t["recipient"], t["system"]) for t in page["items"]]


def test_transfers_are_listed_newest_first(reader: TestClient) -> None:
    page = get(reader, "/api/transfers")
    assert page["total"] == 4
    assert pairs(page) == [
        ("USA", "POL", "Patriot"),
        ("RUS", "TUR", "S-400"),
        ("RUS", "IND", "S-400"),
        ("RUS", "IRN", "S-300"),
    ]
    turkey = page["items"][1]
    assert (turkey["sources"], turkey["mention_count"], turkey["status"]) == (2, 4, "DELIVER")
    assert turkey["actors"] == ["USA"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"supplier": "RUS"}, 3),
        ({"supplier": "rus", "recipient": "TUR"}, 1),
        ({"system": "S-400"}, 2),
        ({"category": "air-defence"}, 4),
        ({"type": "REFUSE"}, 1),
        ({"type": "OPPOSE"}, 1),
        ({"status": "DELIVER"}, 2),
        ({"date_from": "2018-01-01", "date_to": "2018-12-31"}, 2),
        ({"date_from": "2021-01-01"}, 1),
        ({"q": "sanctions"}, 2),
        ({"q": "100%_"}, 0),
    ],
)
def test_transfer_filters(reader: TestClient, params: dict[str, str], expected: int) -> None:
    assert get(reader, "/api/transfers", **params)["total"] == expected


def test_pagination(reader: TestClient) -> None:
    everything = pairs(get(reader, "/api/transfers", sort="confidence"))
    first, second = (
        get(reader, "/api/transfers", sort="confidence", limit=3),
        get(reader, "/api/transfers", sort="confidence", limit=3, offset=3),
    )
    assert (first["total"], len(first["items"]), len(second["items"])) == (4, 3, 1)
    assert pairs(first) + pairs(second) == everything


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"offset": -1},
        {"type": "SELL"},
        {"date_from": "yesterday"},
        {"sort": "colour"},
        {"category": "spaceship"},
    ],
)
def test_bad_parameters_are_422(reader: TestClient, params: dict[str, Any]) -> None:
    assert reader.get("/api/transfers", params=params).status_code == 422


def test_transfer_detail_has_timeline_and_evidence_in_context(reader: TestClient) -> None:
    turkey = get(reader, "/api/transfers", recipient="TUR")["items"][0]
    detail = get(reader, f"/api/transfers/{turkey['id']}")
    assert [(s["type"], s["mentions"], s["sources"]) for s in detail["timeline"]] == [
        ("AGREE", 1, 1),
        ("DELIVER", 2, 1),
        ("OPPOSE", 1, 1),
    ]
    evidence = detail["evidence"]
    assert [e["type"] for e in evidence] == ["AGREE", "OPPOSE", "DELIVER", "DELIVER"]
    for e in evidence:
        assert e["highlighted"] == e["evidence"]
        assert e["before"].endswith("] ")  # the context is the article's text around the sentence
    copies = [e["document"]["duplicate_of"] for e in evidence if e["document"]["duplicate_of"]]
    assert len(copies) == 1


def test_missing_transfer_is_404(reader: TestClient) -> None:
    response = reader.get("/api/transfers/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "no transfer 999999"}


def test_events_are_filtered_like_transfers(reader: TestClient) -> None:
    assert get(reader, "/api/events")["total"] == 7
    deliveries = get(reader, "/api/events", type="DELIVER")
    assert deliveries["total"] == 3
    assert {e["document"]["title"] for e in deliveries["items"]} >= {"First S-400 parts land near Ankara"}
    assert get(reader, "/api/events", system="S-400", date_from="2019-01-01")["total"] == 2
    assert get(reader, "/api/events", q="Washington")["items"][0]["actor"] == "USA"


def test_systems_countries_and_stats(reader: TestClient) -> None:
    systems = {s["name"]: s for s in get(reader, "/api/systems")}
    assert systems["S-400"]["mentions"] == 5 and systems["S-400"]["transfers"] == 2
    assert systems["S-400"]["category"] == "air-defence" and systems["S-400"]["origin"] == "RUS"
    countries = {c["code"]: c for c in get(reader, "/api/countries")}
    assert countries["RUS"] == {"code": "RUS", "name": "Russia", "as_supplier": 3, "as_recipient": 0}
    stats = get(reader, "/api/stats")
    assert (stats["documents"], stats["near_duplicates"], stats["mentions"], stats["transfers"]) == (6, 1, 7, 4)
    assert stats["documents_by_status"]["done"] == 6


NEW_ARTICLE = {
    "title": "Greece orders frigates",
    "text": "Officials confirmed the order.\n[AGREE FRA>GRC Belharra 2021-09] Greece ordered three Belharra "
    "frigates from France on Tuesday.\nThe ships will be built at Lorient.",
    "published": "2021-09-28",
    "url": "https://news.example/grc",
}


def test_posting_a_document_needs_the_token(client: TestClient) -> None:
    assert client.post("/api/documents", json=NEW_ARTICLE).status_code == 401
    wrong = client.post("/api/documents", json=NEW_ARTICLE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert get(client, "/api/stats")["documents"] == 6


def test_posted_document_is_ingested_once(client: TestClient) -> None:
    created = client.post("/api/documents", json=NEW_ARTICLE, headers=AUTH)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["outcome"], body["mentions"], len(body["transfers"])) == ("stored", 1, 1)
    again = client.post("/api/documents", json=NEW_ARTICLE, headers=AUTH)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    greece = get(client, "/api/transfers", recipient="GRC")
    assert pairs(greece) == [("FRA", "GRC", "Belharra")]


def test_oversized_bodies_are_413_declared_or_streamed(client: TestClient) -> None:
    big = {**NEW_ARTICLE, "text": "x" * 70_000}
    assert client.post("/api/documents", json=big, headers=AUTH).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while streaming
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 8192
        yield b'"}'

    streamed = client.post("/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert get(client, "/api/stats")["documents"] == 6


def test_a_url_on_the_servers_own_network_is_refused(reader: TestClient) -> None:
    response = reader.post("/api/documents", json={"url": "http://127.0.0.1:9/admin"}, headers=AUTH)
    assert response.status_code == 422
    assert "refused: 127.0.0.1 is a loopback address" in response.json()["detail"]
    missing = reader.post("/api/documents", json={"title": "neither text nor url"}, headers=AUTH)
    assert missing.status_code == 422
    assert "send the article's 'text', or a 'url'" in missing.text


def test_ingestion_is_off_when_the_server_has_no_token(db: Database) -> None:
    with TestClient(create_app(Services(db, default_knowledge(), token=None))) as c:
        response = c.post("/api/documents", json=NEW_ARTICLE, headers=AUTH)
    assert response.status_code == 403
    assert "ARMSWATCH_API_TOKEN" in response.json()["detail"]


def test_pages_escape_article_text(reader: TestClient) -> None:
    poland = get(reader, "/api/transfers", recipient="POL")["items"][0]
    html = reader.get(f"/transfers/{poland['id']}").text
    assert "window.__pwned" in html  # the text is there ...
    assert SCRIPT not in html  # ... but never as markup
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html


def test_index_page_lists_filtered_transfers(reader: TestClient) -> None:
    response = reader.get("/", params={"supplier": "RUS", "type": "", "date_from": "not-a-date"})
    assert response.status_code == 200
    assert response.text.count('href="/transfers/') == 3
    assert reader.get("/static/vendor/plotly.min.js").headers["content-type"].startswith("text/javascript")


def test_openapi_documents_the_api(reader: TestClient) -> None:
    spec = get(reader, "/api/openapi.json")
    assert {
        "/api/transfers",
        "/api/transfers/{transfer_id}",
        "/api/events",
        "/api/systems",
        "/api/countries",
        "/api/stats",
        "/api/documents",
    } <= set(spec["paths"])
    assert "/" not in spec["paths"]
    assert reader.get("/api/docs").status_code == 200
