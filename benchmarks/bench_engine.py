"""Engine benchmarks against osmnx/networkx, measured in the same run.

Run: ``python benchmarks/bench_engine.py [--region western-iraq] [--pairs 200]``.
Prints timings and speed-up ratios; nothing is asserted (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import networkx as nx
import numpy as np
import osmnx as ox

from routing.engine import Engine
from routing.profiles import get_profile
from routing.sources import load_network


def _timed(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    t = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="western-iraq")
    parser.add_argument("--pairs", type=int, default=200)
    args = parser.parse_args()
    net = load_network(args.region)
    print(f"network: {net}")
    rng = np.random.default_rng(0)
    g = net.to_graph()

    t0 = time.perf_counter()
    engine = Engine(net)
    length = engine.weights("length")
    engine.node_distance(0, 1, length)
    print(f"engine build + CCH contraction: {time.perf_counter() - t0:.3f} s")

    pairs = rng.integers(0, net.n_nodes, (args.pairs, 2))
    ours = [_timed(engine.node_distance, int(a), int(b), length) for a, b in pairs]
    paths = [_timed(engine.node_path, int(a), int(b), length) for a, b in pairs]
    theirs = [_timed(ox.routing.shortest_path, g, int(a), int(b), weight="length")
              for a, b in pairs[: min(100, args.pairs)]]
    m_o, m_p, m_t = (statistics.median(x) for x in (ours, paths, theirs))
    print(f"p2p distance: median {m_o * 1e6:.1f} us vs osmnx.shortest_path {m_t * 1e3:.2f} ms "
          f"-> {m_t / m_o:,.0f}x")
    print(f"p2p with path: median {m_p * 1e6:.1f} us -> {m_t / m_p:,.0f}x")

    car = engine.weights("car")
    for _, _, d in g.edges(data=True):
        d["car_s"] = float(car.edge[d["osmid"]])
    sources = rng.integers(0, net.n_nodes, 20)
    ours = [_timed(engine.one_to_all, [int(s)], car, cutoff=4 * 3600) for s in sources]
    theirs = [_timed(nx.single_source_dijkstra_path_length, g, int(s), cutoff=4 * 3600,
                     weight="car_s")
              for s in sources]
    m_o, m_t = statistics.median(ours), statistics.median(theirs)
    print(f"one-to-all (4 h cutoff, with tree): median {m_o * 1e3:.2f} ms vs networkx "
          f"{m_t * 1e3:.2f} ms -> {m_t / m_o:,.0f}x")

    nodes = rng.integers(0, net.n_nodes, 1000)
    print(f"1000x1000 node matrix (time, CCH many-to-many): "
          f"{_timed(engine.node_matrix, nodes, nodes, car):.3f} s")

    t0 = time.perf_counter()
    w = engine.weights(get_profile("convoy").sample(rng))
    for a, b in rng.integers(0, net.n_nodes, (1000, 2)):
        engine.node_distance(int(a), int(b), w)
    print(f"new profile (customization) + 1000 queries: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
