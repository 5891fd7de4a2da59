"""Scaling of batch claim checking and matrices on Dask: 1 worker against 2 on this machine.

Run: ``python benchmarks/scaling.py [--articles 2000] [--origins 20000] [--destinations 200]
[--block 1000] [--workers 1,2] [--skip-matrix] [--skip-check]``.

Claims: a corpus of generated articles (2-6 labelled sentences of
``tests/data/extraction_corpus.yaml`` each, every 20th the 2014 Anbar article when the shared
data has it) is checked by ``check_batch`` on the default region with each worker count.
Matrix: settlements of the ``syria`` network (its place points, with jittered copies up to
the number asked) to its largest places, by ``matrix_parquet``. Prints throughput, the
per-task cost, the ratio between worker counts, the size of the networks sent to each worker
and the machine load (other processes on a shared machine skew every figure); checks that
every run gives the same rows. Nothing is asserted on timings.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import logging
import os
import pickle
import random
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import yaml
from distributed import Client, LocalCluster

from routing import api
from routing.batch import check_batch, matrix_parquet, read_articles, read_points
from routing.network import RoadNetwork
from routing.settings import data_dir

_T = TypeVar("_T")

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "extraction_corpus.yaml"


def make_corpus(n: int, folder: Path, seed: int = 0) -> Path:
    """``n`` articles of 2-6 corpus texts each (every 20th the 2014 article, if present)."""
    texts = [e["text"] for e in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))]
    article = data_dir().parent / "article" / "isis-anbar-2014.txt"
    long_text = article.read_text(encoding="utf-8") if article.exists() else None
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = (
            long_text
            if long_text and i % 20 == 19
            else "\n\n".join(rng.choices(texts, k=rng.randint(2, 6)))
        )
        (folder / f"article-{i:06d}.txt").write_text(body, encoding="utf-8")
    return folder


def settlements(
    net: RoadNetwork, n_origins: int, n_destinations: int, folder: Path
) -> tuple[Path, Path]:
    """Origins (place points, then copies jittered by up to ~1 km) and the largest places
    (cities, then towns, ...), written as points files."""
    places = net.places.drop_duplicates(["x", "y"]).reset_index(drop=True)
    rng = np.random.default_rng(0)
    reps = -(-n_origins // len(places))
    xy = np.tile(places[["x", "y"]].to_numpy(), (reps, 1))[:n_origins]
    xy[len(places) :] += rng.uniform(-0.01, 0.01, (max(n_origins - len(places), 0), 2))
    origins = pd.DataFrame(
        {"id": [f"o{i}" for i in range(n_origins)], "lon": xy[:, 0], "lat": xy[:, 1]}
    )
    size = places["kind"].map({"city": 0, "town": 1, "suburb": 2, "village": 3}).fillna(4)
    top = places.assign(size=size).sort_values(["size", "name"]).head(n_destinations)
    destinations = pd.DataFrame(
        {"id": [f"d{i}-{n}" for i, n in enumerate(top["name"])], "lon": top["x"], "lat": top["y"]}
    )
    paths = folder / "origins.csv", folder / "destinations.csv"
    origins.to_csv(paths[0], index=False)
    destinations.to_csv(paths[1], index=False)
    return paths


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} (1/5 min) on {os.cpu_count()} cores"


def _mb(net: RoadNetwork | None) -> float:
    return len(pickle.dumps(dataclasses.replace(net), protocol=5)) / 1e6 if net else 0.0


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy()).hexdigest()[
        :12
    ]


def _worker_rss_mb(client: Client) -> float:
    """The largest peak resident memory of a worker process, MB (Linux: ru_maxrss in KiB)."""
    return max(
        client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3).values()
    )


def _bytes_per_row(folder: Path, rows: int) -> float:
    return sum(p.stat().st_size for p in folder.glob("part-*.parquet")) / rows


def _cluster(workers: int) -> tuple[LocalCluster, Client, float]:
    t = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, dashboard_address=":0", silence_logs=logging.ERROR
    )
    client = Client(cluster)
    return cluster, client, time.perf_counter() - t


def _timed(workers: int, job: Callable[[Client], _T]) -> tuple[_T, float, float]:
    """``job(client)`` on a new local cluster: its result, seconds and peak worker MB."""
    cluster, client, start_s = _cluster(workers)
    print(f"{workers} worker(s): cluster start {start_s:.1f} s; before: {_load()}")
    with cluster, client:
        t = time.perf_counter()
        result = job(client)
        return result, time.perf_counter() - t, _worker_rss_mb(client)


def bench_check(n_articles: int, worker_counts: list[int], tmp: Path) -> None:
    corpus = make_corpus(n_articles, tmp / "corpus")
    articles = read_articles(corpus)
    net = api.network(None)
    second = api.second_network(net)
    print(f"\n== check-batch: {n_articles} generated articles, region {net.meta.region}")
    print(f"networks sent to each worker: {_mb(net):.1f} + {_mb(second):.1f} MB (pickled)")
    rates, digests = {}, set()
    for w in worker_counts:
        summary, elapsed, rss = _timed(
            w,
            lambda client, w=w: check_batch(
                articles, net, tmp / f"out-{w}", second=second, cluster=client, progress=False
            ),
        )
        rows = pd.read_parquet(tmp / f"out-{w}" / "claims.parquet")
        digests.add(_digest(rows))
        rates[w] = n_articles / elapsed
        print(
            f"  {elapsed:.1f} s: {rates[w]:.2f} articles/s, {summary.claims} claims "
            f"({summary.claims / elapsed:.2f}/s), {w * elapsed / n_articles:.3f} worker-s per "
            f"article; peak worker memory {rss:.0f} MB; after: {_load()}"
        )
    _ratio(rates, "articles/s")
    print(f"outputs identical across worker counts: {len(digests) == 1}")


def bench_matrix(
    n_origins: int, n_destinations: int, block: int, worker_counts: list[int], tmp: Path
) -> None:
    net = api.network("syria")
    src_path, dst_path = settlements(net, n_origins, n_destinations, tmp)
    src, dst = read_points(src_path), read_points(dst_path)
    print(f"\n== matrix: {len(src)} x {len(dst)} on syria, blocks of {block} origins")
    print(f"network sent to each worker: {_mb(net):.1f} MB (pickled)")
    rates, digests = {}, set()
    for w in worker_counts:
        parts, elapsed, rss = _timed(
            w,
            lambda client, w=w: matrix_parquet(
                src, dst, tmp / f"matrix-{w}", net=net, cluster=client, block_origins=block
            ),
        )
        digests.add(_digest(parts.read().sort_values(["origin_id", "destination_id"])))
        pairs = len(src) * len(dst)
        rates[w] = pairs / elapsed
        print(
            f"  {elapsed:.1f} s: {rates[w]:,.0f} pairs/s, {w * elapsed / len(src) * 1000:.1f} "
            f"worker-ms per origin ({len(dst)} destinations), {parts.parts} parts, "
            f"{_bytes_per_row(Path(parts.path), pairs):.1f} bytes/row; peak worker memory "
            f"{rss:.0f} MB; after: {_load()}"
        )
    _ratio(rates, "pairs/s")
    print(f"outputs identical across worker counts: {len(digests) == 1}")


def _ratio(rates: dict[int, float], unit: str) -> None:
    if len(rates) > 1:
        lo, hi = min(rates), max(rates)
        print(f"ratio {hi} vs {lo} worker(s): x{rates[hi] / rates[lo]:.2f} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--origins", type=int, default=20_000)
    parser.add_argument("--destinations", type=int, default=200)
    parser.add_argument("--block", type=int, default=1000, help="origins per matrix task")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--skip-check", action="store_true")
    parser.add_argument("--skip-matrix", action="store_true")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    print(_load())
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_check:
            bench_check(args.articles, counts, Path(tmp))
        if not args.skip_matrix:
            bench_matrix(args.origins, args.destinations, args.block, counts, Path(tmp))


if __name__ == "__main__":
    main()
