"""Batch claim checking and matrices on a real Dask LocalCluster of 2 worker processes.

The oracle of a distributed run is the same work done in this process, article by article
(:func:`check_article`) or in one piece (:func:`routing.analysis.matrix.matrix`, itself
tested against single routes and networkx): the cluster must give the same rows, none lost,
none twice, also when a worker is killed mid-run.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from distributed import Client, LocalCluster

from routing.analysis.matrix import matrix
from routing.api import second_network
from routing.batch import (
    check_article,
    check_batch,
    connect,
    matrix_parquet,
    read_articles,
    read_points,
)
from routing.batch._worker import received
from routing.cli import main
from routing.exceptions import ClusterError, InvalidArgumentError
from routing.network import RoadNetwork

CORPUS = Path(__file__).parent / "data" / "extraction_corpus.yaml"
DRAWS = 300  # Monte Carlo draws: enough for stable verdicts, fast enough for tests


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two worker processes, one thread each: what `check-batch --workers 2` starts."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,  # the kill test's lost worker is expected
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 articles of labelled corpus sentences (with claims, unknown places, none), one
    unreadable file."""
    folder = tmp_path_factory.mktemp("articles")
    texts = [e["text"] for e in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))]
    for i in range(24):
        (folder / f"a{i:02d}.txt").write_text("\n\n".join(texts[3 * i : 3 * i + 3]), "utf-8")
    (folder / "unreadable.txt").write_bytes(b"\xff\xfe\x00")
    return folder


def _expected(folder: Path, net: RoadNetwork) -> pd.DataFrame:
    """The oracle: every article checked in this process, in input order."""
    second = second_network(net)
    rows = [
        row
        for a in read_articles(folder)
        for row in check_article(a, net, second=second, draws=DRAWS, seed=0)
    ]
    return pd.DataFrame(rows)


def _same_rows(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = got.astype(object).where(got.notna(), None).reset_index(drop=True)
    expected = expected.astype(object).where(expected.notna(), None).reset_index(drop=True)
    assert not got.duplicated(["article_id", "claim_id"]).any()
    pd.testing.assert_frame_equal(got, expected[list(got.columns)], check_dtype=False)


@pytest.fixture(scope="module")
def expected(corpus: Path, western_iraq: RoadNetwork) -> pd.DataFrame:
    return _expected(corpus, western_iraq)


def test_check_batch_on_two_workers_equals_checking_each_article_here(
    client: Client, corpus: Path, expected: pd.DataFrame, western_iraq: RoadNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done: list[int] = []
    summary = check_batch(
        read_articles(corpus),
        western_iraq,
        out,
        second=second_network(western_iraq),
        cluster=client,
        batch_size=3,
        draws=DRAWS,
        progress=done.append,
    )
    rows = pd.read_parquet(out / "claims.parquet")
    _same_rows(rows, expected)
    _same_rows(pd.read_csv(out / "claims.csv", dtype={"article_id": str}), expected)
    # The corpus exercises every kind of row: verdicts, a claim with an unknown place, an
    # unreadable article (named with its reason), articles without claims.
    assert {"accurate", "error"} <= set(rows["verdict"])
    assert rows["claim_id"].notna().sum() == summary.claims > 20
    failed = rows[rows["claim_id"].isna()]
    assert failed["article_id"].tolist() == ["unreadable"]
    assert "not UTF-8" in failed["error"].iloc[0]
    assert summary.articles == 25 and summary.articles_failed == 1
    assert summary.articles_with_claims == rows.dropna(subset="claim_id")["article_id"].nunique()
    assert summary.articles_with_claims < 24  # some articles have no claim: no row, counted
    assert done[-1] == 25 and len(done) == 9  # progress per task of 3 articles


def test_networks_reach_each_worker_once_for_many_tasks(
    client: Client, western_iraq: RoadNetwork
) -> None:
    from routing.batch.cluster import map_bounded, networks_on_workers

    def engine_id(token: str, _: int) -> tuple[int, int]:
        from routing.batch._worker import network
        from routing.engine import get_engine

        net = network(token, "net")
        assert net is not None
        return os.getpid(), id(get_engine(net))

    with networks_on_workers(client, {"net": western_iraq}) as token:
        tasks = ((i, (token, i)) for i in range(40))
        results = [r for _, r, exc in map_bounded(client, engine_id, tasks, prefix="t", window=8)]
        counts = client.run(received, token)
    pids = {pid for pid, _ in results}
    assert len(results) == 40 and len(pids) == 2  # both workers worked
    assert set(counts.values()) == {1}  # each worker unpickled the network once
    assert len(set(results)) == 2  # and built one engine, reused by its 20-odd tasks


def test_a_killed_worker_loses_no_claim_and_counts_none_twice(
    client: Client, corpus: Path, expected: pd.DataFrame, western_iraq: RoadNetwork, tmp_path: Path
) -> None:
    killed: list[int] = []

    def kill_a_busy_worker(done: int) -> None:
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:  # SIGKILL: no clean shutdown, the tasks it held are lost with it
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    workers_before = set(client.scheduler_info()["workers"])
    summary = check_batch(
        read_articles(corpus),
        western_iraq,
        tmp_path,
        second=second_network(western_iraq),
        cluster=client,
        batch_size=1,
        draws=DRAWS,
        progress=kill_a_busy_worker,
    )
    assert killed, "no worker was busy to kill"
    client.wait_for_workers(2, timeout=120)  # the nanny restarts the killed process
    assert set(client.scheduler_info()["workers"]) != workers_before
    _same_rows(pd.read_parquet(tmp_path / "claims.parquet"), expected)
    assert summary.articles == 25 and summary.claims == expected["claim_id"].notna().sum()


def test_cli_on_a_scheduler_address_gives_the_same_files(
    client: Client, corpus: Path, expected: pd.DataFrame, tmp_path: Path
) -> None:
    args = ["check-batch", str(corpus), "--out", str(tmp_path), "--draws", str(DRAWS)]
    assert main([*args, "--scheduler", client.scheduler.address]) == 0
    _same_rows(pd.read_csv(tmp_path / "claims.csv", dtype={"article_id": str}), expected)


def test_matrix_blocks_on_workers_equal_the_matrix_in_one_piece(
    client: Client, western_iraq: RoadNetwork, tmp_path: Path
) -> None:
    rng = np.random.default_rng(3)
    nodes = western_iraq.nodes.sample(12, random_state=3)[["x", "y"]].to_numpy()
    xy = nodes + rng.uniform(-0.01, 0.01, nodes.shape)  # off-road: access legs count
    pd.DataFrame({"id": [f"p{i}" for i in range(12)], "lon": xy[:, 0], "lat": xy[:, 1]}).to_csv(
        tmp_path / "points.csv", index=False
    )
    points = read_points(tmp_path / "points.csv")
    for destinations, label in ((points[:4], "rectangular"), (None, "square")):
        out = tmp_path / label
        parts = matrix_parquet(points, destinations, out, net=western_iraq, cluster=client,
                               block_origins=5, profile="car")  # fmt: skip
        assert parts.parts == 3 and sorted(p.name for p in out.glob("part-*")) == [
            f"part-00000{i}.parquet" for i in range(3)
        ]
        whole = matrix(points, destinations, net=western_iraq, profile="car")
        got = parts.read().set_index(["origin_id", "destination_id"])
        for column, frame in (("distance_km", whole.distance_km), ("time_h", whole.time_h)):
            want = frame.stack(future_stack=True)
            np.testing.assert_allclose(got[column].loc[want.index], want, rtol=1e-12)
        assert len(got) == 12 * (4 if destinations else 12) and got.index.is_unique
        assert any("data:" in a for a in parts.assumptions)
        assert (out / "_manifest.json").exists()
    with pytest.raises(InvalidArgumentError, match="duplicate origin name"):
        matrix_parquet([*points, points[0]], None, tmp_path / "x", net=western_iraq, cluster=client)


def test_cli_matrix_from_points_files_on_a_scheduler(client: Client, tmp_path: Path) -> None:
    pd.DataFrame(
        {
            "id": ["hit", "ramadi", "rawa"],
            "lon": [42.82, 43.30, 41.92],
            "lat": [33.64, 33.42, 34.47],
        }
    ).to_csv(tmp_path / "towns.csv", index=False)
    out = tmp_path / "m"
    args = ["matrix", str(tmp_path / "towns.csv"), "--out", str(out)]
    assert main([*args, "--scheduler", client.scheduler.address]) == 0
    rows = pd.read_parquet(out)
    assert len(rows) == 9 and set(rows["origin_id"]) == {"hit", "ramadi", "rawa"}
    assert (rows.loc[rows.origin_id == rows.destination_id, "distance_km"] == 0).all()


def test_an_unreachable_scheduler_is_reported_not_waited_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    articles = tmp_path / "a"
    articles.mkdir()
    (articles / "x.txt").write_text("Hit is 60 km from Ramadi.", encoding="utf-8")
    args = ["check-batch", str(articles), "--out", str(tmp_path / "o")]
    assert main([*args, "--scheduler", f"tcp://127.0.0.1:{port}"]) == ClusterError.exit_code
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in capsys.readouterr().err
    assert main([*args, "--scheduler", "localhost"]) == 2  # no port: a bad address
    assert "bad Dask scheduler address 'localhost'" in capsys.readouterr().err
    with pytest.raises(InvalidArgumentError, match="at least 1"), connect(None, workers=0):
        pass
