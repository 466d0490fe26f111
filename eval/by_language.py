"""Score a prediction file on the whole dev set and on each language's documents apart.

The shared scorer takes one gold file; this writes, per language, the gold lines of that
language's documents and runs the scorer on each, so English and the rest are seen apart.

usage: python eval/by_language.py DOCS GOLD PRED [scorer options]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path


def languages_of(docs: Path) -> dict[str, str]:
    with docs.open(encoding="utf-8") as lines:
        return {doc["id"]: doc.get("lang") or "?" for doc in map(json.loads, lines)}


def gold_by_language(gold: Path, language: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with gold.open(encoding="utf-8") as lines:
        for line in lines:
            code = language.get(json.loads(line)["doc_id"], "?")
            groups["en" if code == "en" else "other"].append(line)
    return groups


def score(scorer: Path, gold: Path, pred: Path, options: list[str]) -> None:
    subprocess.run([sys.executable, str(scorer), str(gold), str(pred), *options], check=True)


def main(argv: list[str]) -> None:
    docs, gold, pred = map(Path, argv[:3])
    scorer = docs.parent.parent / "score.py"
    print("== all documents", flush=True)
    score(scorer, gold, pred, argv[3:])
    groups = gold_by_language(gold, languages_of(docs))
    with tempfile.TemporaryDirectory() as folder:
        for name, title in (("en", "English documents"), ("other", "documents in other languages")):
            subset = Path(folder) / f"gold-{name}.jsonl"
            subset.write_text("".join(groups[name]), encoding="utf-8")
            print(f"\n== {title}", flush=True)
            score(scorer, subset, pred, argv[3:])


if __name__ == "__main__":
    main(sys.argv[1:])
