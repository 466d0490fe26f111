"""Ingesting while a real server answers queries: two writer processes, the server's own
writes (POST), and a reader hammering the API, on SQLite (WAL) and PostgreSQL alike.
No request may fail, no writer may see "database is locked", and no write may be lost."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter

import httpx

from armswatch.store.db import Database
from armswatch.store.queries import stats
from tests.support.server import RECIPIENTS, REPO, free_port, generated_article, server_process

PER_WORKER = 30
POSTS = 15
TOKEN = "concurrency-token"


def test_reads_and_writes_at_once_lose_nothing(db: Database) -> None:
    url = db.url.render_as_string(hide_password=False)
    port = free_port()
    command = [sys.executable, "-m", "tests.support.server", url, str(port)]
    with server_process(command, port, env={"ARMSWATCH_API_TOKEN": TOKEN}) as base:
        statuses: Counter[int] = Counter()
        failures: list[str] = []
        stop = threading.Event()

        def read_continuously() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while not stop.is_set():
                    for path in ("/api/transfers?limit=5", "/api/stats", "/api/events?type=DELIVER", "/"):
                        response = client.get(path)
                        statuses[response.status_code] += 1
                        if response.status_code != 200:
                            failures.append(f"GET {path}: {response.status_code} {response.text[:200]}")

        def post_articles() -> None:
            with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
                for n in range(POSTS):
                    title, text = generated_article("api", n)
                    # The generated filler is no language; the API would detect one at random: declare it.
                    body = {"title": title, "text": text, "language": "en"}
                    response = client.post("/api/documents", json=body)
                    if response.status_code != 201:
                        failures.append(f"POST {n}: {response.status_code} {response.text[:200]}")

        reader = threading.Thread(target=read_continuously)
        poster = threading.Thread(target=post_articles)
        reader.start()
        workers = [
            subprocess.Popen([sys.executable, "-m", "tests.support.server", "--ingest", url, name, str(PER_WORKER)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for name in ("w1", "w2")
        ]  # fmt: skip
        poster.start()
        outputs = [w.communicate(timeout=300)[0] for w in workers]
        poster.join()
        stop.set()
        reader.join()

    for worker, output in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, output
        assert "locked" not in output.lower(), output
    assert failures == []
    assert statuses[200] > 20  # the reader really ran while the writers wrote

    expected = 2 * PER_WORKER + POSTS
    with db.session() as session:
        counts = stats(session)
    assert counts["documents_by_status"]["done"] == expected
    assert counts["mentions"] == expected
    assert counts["near_duplicates"] == 0
    # every writer's mentions of one transfer met in the same record: no duplicate transfers
    assert counts["transfers"] == len(RECIPIENTS)
