"""Benchmark of ingestion: streaming web archives in bounded memory, batch throughput, resume cost.

    .venv/bin/python bench/ingest.py [--pages 2000] [--filler-kb 250] [--quick]

Writes synthetic inputs to a temp directory (nothing is downloaded): web archives holding HTML
pages between large non-HTML records (as crawls do: images, requests, metadata), and a JSON
Lines file of articles. Each measurement runs in its own subprocess, so its peak RSS
(``ru_maxrss``) is its own:

- ``warc_read``: the archive reader alone (records streamed, pages parsed by trafilatura) over
  a small and a large archive: if memory is bounded, peak RSS does not grow with the file;
- ``batch_steady_jsonl``: the batch runner in process, timed after the extractor is built;
- ``ingest_warc`` / ``ingest_jsonl``: ``armswatch ingest`` end to end (real extractor, SQLite),
  start-up (about 5 s to build the extractor) included;
- ``resume``: the same command again, when everything is stored (what a re-run after a kill
  costs for the part already done).

Prints a table and writes ``build/bench/ingest.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench" / "ingest.json"
WORDS = [
    "the", "a", "of", "to", "and", "in", "that", "for", "on", "with", "as", "by", "at", "from", "was", "were",
    "has", "had", "will", "would", "said", "says", "year", "years", "new", "government", "minister", "ministry",
    "officials", "people", "city", "country", "week", "month", "report", "reports", "plan", "plans", "public",
    "budget", "market", "company", "workers", "local", "national", "state", "talks", "meeting", "council",
    "election", "court", "police", "school", "health", "water", "power", "road", "bridge", "harbour", "farmers",
    "prices", "rain", "winter", "summer", "village", "museum", "team", "match", "after", "before", "during",
    "while", "because", "although", "however", "since", "until", "about", "against", "between", "under", "over",
]  # fmt: skip
STATES = ["Norway", "Poland", "Egypt", "India", "Brazil", "Greece", "Japan", "Chile", "Canada", "Spain"]
SYSTEMS = ["NASAMS", "Leopard 2", "F-16", "Patriot", "K9 Thunder", "Rafale", "CV90", "Piranha"]


def article(rng: random.Random, n: int) -> tuple[str, str]:
    """(title, body): one transfer sentence among generated filler, about 3 kB."""
    supplier, recipient = rng.sample(STATES, 2)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "." for _ in range(30)]
    sentences.insert(rng.randrange(5), f"{supplier} agreed to sell {rng.choice(SYSTEMS)} systems to {recipient}.")
    return f"Report {n}", " ".join(sentences)


def page_html(title: str, body: str) -> bytes:
    nav = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(40))
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        '<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head>'
        f"<body><nav><ul>{nav}</ul></nav><article><h1>{title}</h1><p>{body}</p></article>"
        "<footer>Copyright. All rights reserved.</footer></body></html>"
    ).encode()


def write_warc(path: Path, pages: int, filler_kb: int, seed: int = 1) -> None:
    """HTML responses, each with a request record and a non-HTML response of ``filler_kb`` kB."""
    rng = random.Random(seed)
    http_html = [("Content-Type", "text/html; charset=utf-8")]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in range(pages):
            url = f"https://bench.example/{seed}/{n}"
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "bench.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            title, body = article(rng, n)
            http = StatusAndHeaders("200 OK", http_html, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(page_html(title, body)), http_headers=http
            )
            writer.write_record(record)
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
            blob = io.BytesIO(rng.randbytes(filler_kb * 1024))
            writer.write_record(writer.create_warc_record(url + ".jpg", "response", payload=blob, http_headers=image))


def write_jsonl(path: Path, docs: int) -> None:
    rng = random.Random(2)
    with path.open("w", encoding="utf-8") as fh:
        for n in range(docs):
            title, body = article(rng, n)
            fh.write(json.dumps({"id": f"j{n}", "title": title, "text": body, "published": "2024-03-05"}) + "\n")


STEADY = """
import sys, time
from armswatch.ingest.batch import BatchRunner
from armswatch.ingest.sources import Inputs
from armswatch.nlp.extractor import Extractor
from armswatch.store.db import open_database
runner = BatchRunner(open_database(sys.argv[2]), Extractor())
started = time.perf_counter()
report = runner.run(Inputs([sys.argv[1]]), command="bench", inputs=[])
print(report.inputs, time.perf_counter() - started)
"""

READER = """
import sys, time
from armswatch.ingest.items import Deferred, load
from armswatch.ingest.sources import Inputs, ReadOptions
from armswatch.core.model import Document
options = ReadOptions()
started = time.perf_counter()
docs = 0
for item in Inputs([sys.argv[1]], options):
    doc = load(item) if isinstance(item, Deferred) else item
    if isinstance(doc, Document):
        docs += 1
print(docs, options.warc_stats.skipped, time.perf_counter() - started)
"""


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, the child's own peak RSS in MiB (from wait4), and its stdout."""
    env = {**os.environ, "ARMSWATCH_RESERVED_URLS": "none"}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.DEVNULL, text=True, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        stdout = out.read()
    if proc.returncode not in (0, 1):  # 1: some inputs failed, which the summary says
        raise RuntimeError(f"{command} exited {proc.returncode}")
    return wall, usage.ru_maxrss // 1024, stdout


def measure_reader(path: Path) -> dict[str, Any]:
    _wall, rss, out = run_measured([sys.executable, "-c", READER, str(path)])
    docs, skipped, seconds = out.split()
    size = path.stat().st_size
    return {
        "file_mb": round(size / 2**20, 1),
        "pages": int(docs),
        "other_records": int(skipped),
        "seconds": round(float(seconds), 2),
        "pages_per_s": round(int(docs) / float(seconds), 1),
        "mb_per_s": round(size / 2**20 / float(seconds), 1),
        "peak_rss_mb": rss,
    }


def measure_steady(path: Path, db: Path) -> dict[str, Any]:
    """The batch runner's own rate, after the extractor is built (what a long run converges to)."""
    _wall, rss, out = run_measured([sys.executable, "-c", STEADY, str(path), str(db)])
    docs, seconds = out.split()
    rate = round(int(docs) / float(seconds), 1)
    return {"inputs": int(docs), "seconds": round(float(seconds), 2), "docs_per_s": rate, "peak_rss_mb": rss}


def measure_ingest(inputs: list[Path], db: Path) -> dict[str, Any]:
    command = [sys.executable, "-c", "from armswatch.cli import main; main()", "ingest", *map(str, inputs)]
    wall, rss, out = run_measured([*command, "--db", str(db), "--no-progress"])
    summary = out.strip().splitlines()[-1]
    docs = int(summary.split(" input(s)")[0])
    return {"seconds": round(wall, 2), "inputs": docs, "docs_per_s": round(docs / wall, 1), "peak_rss_mb": rss,
            "summary": summary.split(" -> ")[0]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="HTML pages in the large archive")
    parser.add_argument("--filler-kb", type=int, default=250, help="size of the non-HTML record beside each page")
    parser.add_argument("--jsonl-docs", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="a fifth of the sizes")
    args = parser.parse_args()
    scale = 5 if args.quick else 1
    pages, docs = args.pages // scale, args.jsonl_docs // scale
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="armswatch-bench-") as tmp:
        root = Path(tmp)
        small, large, jsonl = root / "small.warc.gz", root / "large.warc.gz", root / "docs.jsonl"
        write_warc(small, max(pages // 10, 10), args.filler_kb, seed=1)
        write_warc(large, pages, args.filler_kb, seed=2)
        write_jsonl(jsonl, docs)
        results["warc_read_small"] = measure_reader(small)
        results["warc_read_large"] = measure_reader(large)
        results["batch_steady_jsonl"] = measure_steady(jsonl, root / "steady.sqlite")
        results["ingest_jsonl"] = measure_ingest([jsonl], root / "jsonl.sqlite")
        results["resume_jsonl"] = measure_ingest([jsonl], root / "jsonl.sqlite")
        results["ingest_warc"] = measure_ingest([large], root / "warc.sqlite")
        results["resume_warc"] = measure_ingest([large], root / "warc.sqlite")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
