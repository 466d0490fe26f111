"""The Ray engine: the same shard jobs, run by a pool of Ray actors through Ray Data.

Each actor builds one extractor (the knowledge compiled into matchers, a second or two) when it
starts and keeps it for every shard it is given: the cost is paid once per worker, not per
document. The driver plans the shards, hands them to ``map_batches`` one at a time, and gathers
the per-shard counts; the events themselves go straight from the workers to Parquet.

``address`` joins an existing cluster (``ray://head:10001`` or ``auto``); without it a local
one is started with ``workers`` CPUs. On a cluster, inputs and the output must be reachable by
every node under the same name: a shared file system, or an object-store URI for the output.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

import pyarrow as pa
import ray
import ray.data

from armswatch.knowledge.loader import ENV_VAR as KNOWLEDGE_ENV
from armswatch.scale.runner import ShardJob, ShardStats
from armswatch.scale.shards import Shard


class ShardWorker:
    """A Ray Data callable class: constructed once per actor, called once per batch of shards."""

    def __init__(self, output: str, prefilter: bool, store: str | None) -> None:
        self.job = ShardJob(output, prefilter=prefilter, store=store)

    def __call__(self, batch: pa.Table) -> pa.Table:
        stats = [self.job.run(Shard.from_row(row)) for row in batch.to_pylist()]
        return pa.Table.from_pylist([asdict(s) for s in stats])


def run_ray(
    shards: list[Shard],
    output: str,
    *,
    workers: int | None = None,
    address: str | None = None,
    prefilter: bool = True,
    store: str | None = None,
) -> tuple[list[ShardStats], int]:
    """Process ``shards`` on ``workers`` Ray actors (default: one per CPU of the cluster); the
    per-shard counts come back in shard order, with the number of actors used."""
    started_here = _connect(address, workers or os.cpu_count() or 1)
    try:
        workers = workers or _cluster_cpus()
        if not shards:
            return [], workers
        dataset = ray.data.from_items([s.to_row() for s in shards], override_num_blocks=len(shards))
        results = dataset.map_batches(
            ShardWorker,
            fn_constructor_kwargs={"output": output, "prefilter": prefilter, "store": store},
            compute=ray.data.ActorPoolStrategy(size=workers),
            batch_size=1,
            batch_format="pyarrow",
            num_cpus=1,
            runtime_env=_runtime_env(),
        ).take_all()
    finally:
        if started_here:
            ray.shutdown()
    stats = [ShardStats.from_row(row) for row in results]
    return sorted(stats, key=lambda s: s.shard), workers


def _connect(address: str | None, workers: int) -> bool:
    """Join the cluster at ``address`` or start a local one; True when this call started Ray."""
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine unasked
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    return True


def _cluster_cpus() -> int:
    resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
    return max(1, int(resources.get("CPU", 1)))


def _runtime_env() -> dict[str, Any]:
    """Extra knowledge directories named in the driver's environment apply on every worker too."""
    extra = os.environ.get(KNOWLEDGE_ENV)
    return {"env_vars": {KNOWLEDGE_ENV: extra}} if extra else {}
