"""How long the ``armswatch`` command takes to start, here and (optionally) on another revision.

    .venv/bin/python bench/cli_startup.py [--baseline REV] [--runs 7]

Times ``armswatch --help`` and ``armswatch status`` (on an empty SQLite file) as whole
processes, the median of several runs. With ``--baseline main`` the same commands also run on
that revision's ``src/`` (exported with ``git archive`` to a temp directory, run with this
environment's packages), for a before/after comparison. Writes ``build/bench/cli_startup.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench" / "cli_startup.json"
RUN = "import sys; from armswatch.cli import main; sys.argv[0] = 'armswatch'; main()"


def median_seconds(src: Path, args: list[str], runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", RUN, *args], env=env, capture_output=True, check=False)  # warm the cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", RUN, *args], env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def export_src(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="a git revision to compare with (main)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="armswatch-startup-") as tmp:
        db = str(Path(tmp) / "empty.sqlite")
        commands = {"--help": ["--help"], "status": ["status", "--db", db]}
        sources = {"this tree": REPO / "src"}
        if args.baseline:
            sources[args.baseline] = export_src(args.baseline, Path(tmp) / "baseline")
        results = {
            name: {label: median_seconds(src, cmd, args.runs) for label, cmd in commands.items()}
            for name, src in sources.items()
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
