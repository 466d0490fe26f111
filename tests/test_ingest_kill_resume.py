"""A batch killed with SIGKILL, again and again, then run to the end: every document stored exactly once.

``armswatch ingest`` runs as a real subprocess on a real database over JSON Lines and a web
archive; it is killed at random moments while it writes, restarted, and finally allowed to
finish. The store must then hold exactly what one uninterrupted run stores: the same documents
(none twice), the same failures (each once), the same mentions and transfers. The command is
the real CLI with the tagged-line extractor (``tests.support.cli``): the real one takes
seconds to build at every start, and the batch, not extraction, is under test here."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from armswatch.ingest.batch import BatchRunner
from armswatch.ingest.sources import Inputs
from armswatch.store.db import Database, open_database
from armswatch.store.models import BatchRow, DocumentRow, DocumentStatus, MentionRow, TransferRow
from tests.support.badinputs import article_text, warc_bytes
from tests.support.extractors import TaggedLineExtractor
from tests.support.server import REPO

ARTICLES = 300
PAGES = 40
KILLS = 3
SUPPLIERS = ["KOR", "DEU", "FRA", "USA"]
RECIPIENTS = ["POL", "NOR", "EGY", "IND", "AUS"]
BROKEN_EVERY = 60  # a bad line every so often: failures must stay single too
BROKEN = len(range(BROKEN_EVERY // 2, ARTICLES, BROKEN_EVERY))
CLI = [sys.executable, "-m", "tests.support.cli"]


def write_inputs(root: Path) -> list[str]:
    lines = []
    for n in range(ARTICLES):
        title, text = article_text(1000 + n)
        text += f"[DELIVER {SUPPLIERS[n % 4]}>{RECIPIENTS[n % 5]} K9 2024] Article {n} reports a delivery.\n"
        lines.append(json.dumps({"id": f"a{n}", "title": title, "text": text, "published": "2024-03-05"}))
        if n % BROKEN_EVERY == BROKEN_EVERY // 2:
            lines.append('{"id": "broken", "text": ')
    jsonl = root / "articles.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    archive = root / "pages.warc.gz"
    archive.write_bytes(warc_bytes(list(range(5000, 5000 + PAGES))))
    return [str(jsonl), str(archive)]


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def settled(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).where(DocumentRow.status != DocumentStatus.PENDING)) or 0)


def fingerprint(db: Database) -> dict[str, Any]:
    """What the store holds, without ids or times: equal for equal contents."""
    with db.session() as session:
        original = aliased(DocumentRow)
        documents = session.execute(
            select(DocumentRow.content_hash, DocumentRow.status, DocumentRow.source, DocumentRow.error,
                   DocumentRow.language, original.content_hash)
            .outerjoin(original, DocumentRow.duplicate_of_id == original.id)
        ).all()  # fmt: skip
        mentions = session.execute(
            select(DocumentRow.content_hash, MentionRow.type, MentionRow.supplier, MentionRow.recipient,
                   MentionRow.system, MentionRow.start, MentionRow.end)
            .join(DocumentRow, MentionRow.document_id == DocumentRow.id)
        ).all()  # fmt: skip
        transfers = session.execute(
            select(TransferRow.supplier, TransferRow.recipient, TransferRow.system, TransferRow.status,
                   TransferRow.sources, TransferRow.mention_count)
        ).all()  # fmt: skip
    return {
        "documents": sorted(map(tuple, documents), key=repr),
        "mentions": sorted(map(tuple, mentions), key=repr),
        "transfers": sorted(map(tuple, transfers), key=repr),
    }


def kill_midway(command: list[str], db: Database, threshold: int, env: dict[str, str]) -> bool:
    """Start the batch, SIGKILL it once the store holds ``threshold`` documents and this run has
    added some (plus a random moment); True if it was still running when killed."""
    at_least = max(threshold, settled(db) + 20)
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and settled(db) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    # land anywhere, between documents or inside a write, but well before the end: a document
    # takes about 5 ms here, so this moves the kill by a few documents only
    time.sleep(random.uniform(0, 0.03))
    running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return running


@pytest.mark.slow
def test_a_batch_killed_with_sigkill_resumes_and_stores_each_document_once(db: Database, tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path)
    reference = open_database(tmp_path / "reference.sqlite")
    BatchRunner(reference, TaggedLineExtractor()).run(Inputs(inputs), command="ingest", inputs=inputs)
    expected = fingerprint(reference)
    reference.dispose()
    total = len(expected["documents"])
    assert total == ARTICLES + PAGES + BROKEN

    command = [*CLI, "ingest", *inputs, "--db", url_of(db), "--no-progress"]
    env = {**os.environ, "ARMSWATCH_RESERVED_URLS": "none"}
    kills = KILLS if db.is_sqlite else KILLS - 1  # each start costs seconds more on PostgreSQL
    # the last kill lands before about 70 % even after each run's +20, so a fast machine still
    # leaves documents for the final run
    thresholds = sorted(random.sample(range(total // 10, total * 6 // 10), kills))
    killed_running = [kill_midway(command, db, at_least, env) for at_least in thresholds]
    assert all(killed_running), "every kill must land while the batch is still running"
    assert settled(db) < total

    final = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 1, final.stderr  # the broken lines fail, and say so
    assert fingerprint(db) == expected
    with db.session() as session:
        hashes = session.scalars(select(DocumentRow.content_hash).where(DocumentRow.content_hash.is_not(None))).all()
        assert len(hashes) == len(set(hashes))
        runs = session.scalars(select(BatchRow.finished_at).order_by(BatchRow.id)).all()
    assert [r is not None for r in runs] == [False] * kills + [True]

    status = subprocess.run([*CLI, "status", "--db", url_of(db)], cwd=REPO, capture_output=True, text=True)
    assert "unfinished (running or killed)" in status.stdout
    assert f"failed {BROKEN}" in status.stdout
