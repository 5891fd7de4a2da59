"""Engine benchmarks against osmnx/networkx, measured in the same run.

Run: ``python benchmarks/bench_engine.py [--region western-iraq] [--pairs 200] [--sources 20]
[--matrix-points 1000]``; ``--region syria`` measures the full-detail Syria network (its
first load builds a cache in about 30 s). Prints timings and speed-up ratios; nothing is
asserted (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import networkx as nx
import numpy as np
import osmnx as ox

from routing.analysis.matrix import matrix
from routing.engine import CCHEngine as Engine
from routing.engine.profiles import get_profile
from routing.network import RoadNetwork
from routing.sources import load_network

CUTOFF_S = 4 * 3600.0


def _timed(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    t = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t


def _median(fn: Callable[[int], object], items: np.ndarray) -> float:
    return statistics.median(_timed(fn, int(x)) for x in items)


def bench_queries(
    net: RoadNetwork, engine: Engine, g: nx.MultiDiGraph, rng: np.random.Generator, n_pairs: int
) -> None:
    """Point-to-point CCH queries against ``osmnx.routing.shortest_path``."""
    length = engine.weights("length")
    pairs = rng.integers(0, net.n_nodes, (n_pairs, 2))
    ours = [_timed(engine.node_distance, int(a), int(b), length) for a, b in pairs]
    paths = [_timed(engine.node_path, int(a), int(b), length) for a, b in pairs]
    theirs = [
        _timed(ox.routing.shortest_path, g, int(a), int(b), weight="length")
        for a, b in pairs[: min(100, n_pairs)]
    ]
    m_o, m_p, m_t = (statistics.median(x) for x in (ours, paths, theirs))
    print(
        f"p2p distance: median {m_o * 1e6:.1f} us vs osmnx.shortest_path {m_t * 1e3:.2f} ms "
        f"-> {m_t / m_o:,.0f}x"
    )
    print(f"p2p with path: median {m_p * 1e6:.1f} us -> {m_t / m_p:,.0f}x")


def bench_one_to_all(
    net: RoadNetwork, engine: Engine, g: nx.MultiDiGraph, rng: np.random.Generator, n_sources: int
) -> None:
    """Bounded (4 h, car) one-to-all with the tree against networkx's bounded Dijkstra."""
    car = engine.weights("car")
    for _, _, d in g.edges(data=True):
        d["car_s"] = float(car.edge[d["segment"]])
    sources = rng.integers(0, net.n_nodes, n_sources)
    engine.one_to_all([int(sources[0])], car, cutoff=CUTOFF_S)  # builds the per-weighting CSR
    reached = statistics.median(
        int(np.isfinite(engine.one_to_all([int(s)], car, cutoff=CUTOFF_S).cost).sum())
        for s in sources
    )
    m_o = _median(lambda s: engine.one_to_all([s], car, cutoff=CUTOFF_S), sources)
    m_t = _median(
        lambda s: nx.single_source_dijkstra_path_length(g, s, cutoff=CUTOFF_S, weight="car_s"),
        sources,
    )
    print(
        f"one-to-all (4 h cutoff, car, with tree; median {reached:,.0f} nodes reached): "
        f"median {m_o * 1e3:.2f} ms vs networkx {m_t * 1e3:.2f} ms -> {m_t / m_o:,.0f}x"
    )


def bench_matrices(
    net: RoadNetwork, engine: Engine, rng: np.random.Generator, n_points: int
) -> None:
    """Node matrix (CCH many-to-many) and the place-level matrix of random points."""
    car = engine.weights("car")
    nodes = rng.integers(0, net.n_nodes, n_points)
    print(
        f"{n_points}x{n_points} node matrix (time, CCH many-to-many): "
        f"{_timed(engine.node_matrix, nodes, nodes, car):.3f} s"
    )
    # Random points up to ~5 km off the roads: snapping, up to 12 candidate roads per point,
    # shortest and fastest tables and geodesic straight lines.
    xy = net.nodes[["x", "y"]].to_numpy()[rng.integers(0, net.n_nodes, n_points)]
    points = [(float(x), float(y)) for x, y in xy + rng.uniform(-0.05, 0.05, xy.shape)]
    print(
        f"{n_points}x{n_points} place matrix (matrix(): snap, road km + car hours + "
        f"straight km): {_timed(matrix, points, net=net, profile='car'):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="western-iraq")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--matrix-points", type=int, default=1000)
    args = parser.parse_args()
    net = load_network(args.region)
    print(f"network: {net}")
    rng = np.random.default_rng(0)
    g = nx.convert_node_labels_to_integers(net.to_graph())  # node keys = rows

    t0 = time.perf_counter()
    engine = Engine(net)
    engine.node_distance(0, 1, engine.weights("length"))
    print(f"engine build + CCH contraction: {time.perf_counter() - t0:.3f} s")

    bench_queries(net, engine, g, rng, args.pairs)
    bench_one_to_all(net, engine, g, rng, args.sources)
    bench_matrices(net, engine, rng, args.matrix_points)

    t0 = time.perf_counter()
    w = engine.weights(get_profile("convoy").sample(rng))
    for a, b in rng.integers(0, net.n_nodes, (1000, 2)):
        engine.node_distance(int(a), int(b), w)
    print(f"new profile (customization) + 1000 queries: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
