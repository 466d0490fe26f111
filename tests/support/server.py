"""Real servers and writer processes for the tests.

``python -m tests.support.server DB PORT`` runs the app under uvicorn with the tagged-line
extractor (so POSTed test articles yield known events); ``python -m tests.support.server
--ingest DB PREFIX COUNT`` is a separate process that ingests COUNT generated articles.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VOCABULARY = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "pu", "ro", "sa", "ti", "vu", "ze")
              for b in ("ban", "cor", "dul", "fen", "gar", "hix", "jol", "kim", "lur", "mop")]  # fmt: skip
RECIPIENTS = ["TUR", "IND", "EGY", "DZA", "VNM"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generated_article(prefix: str, number: int) -> tuple[str, str]:
    """(title, text): filler that no other article shares, and one tagged delivery sentence."""
    rng = random.Random(f"{prefix}-{number}")
    filler = " ".join(rng.choice(VOCABULARY) for _ in range(80))
    recipient = RECIPIENTS[number % len(RECIPIENTS)]
    sentence = f"[DELIVER RUS>{recipient} S-400 2020] Article {prefix}-{number} reports a delivery to {recipient}."
    return f"{prefix} {number}", f"{filler}.\n{sentence}\n"


@contextmanager
def server_process(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``command`` (a server on ``port``), wait until it listens, yield its base URL, stop it."""
    proc = subprocess.Popen(command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited early: {proc.stdout.read() if proc.stdout else ''}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not listen on {port} within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _serve(db: str, port: int) -> None:
    import uvicorn

    from armswatch.api.app import Services, configured_token, create_app
    from armswatch.store.db import open_database
    from tests.support.extractors import TaggedLineExtractor

    services = Services(open_database(db), token=configured_token(), extractor_factory=TaggedLineExtractor)
    uvicorn.run(create_app(services), host="127.0.0.1", port=port, log_level="warning")


def _ingest(db: str, prefix: str, count: int) -> None:
    from armswatch.core.model import Document
    from armswatch.store.db import open_database
    from armswatch.store.ingest import Outcome, ingest_documents
    from tests.support.extractors import TaggedLineExtractor

    docs = []
    for n in range(count):
        title, text = generated_article(prefix, n)
        docs.append(Document(id=f"{prefix}-{n}", text=text, title=title, source=f"worker:{prefix}"))
    report = ingest_documents(open_database(db), TaggedLineExtractor(), docs)
    print(report.summary())
    sys.exit(0 if report.count(Outcome.STORED) == count else 1)


if __name__ == "__main__":
    if sys.argv[1] == "--ingest":
        _ingest(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        _serve(sys.argv[1], int(sys.argv[2]))
