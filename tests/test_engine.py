"""Engines (CCH and the Dijkstra reference, each test on both): equal to networkx/osmnx
lengths, virtual nodes, one-to-all, re-weighting."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from routing.engine import CCHEngine, get_engine
from routing.engine.profiles import get_profile
from routing.engine.snapping import nearest_snap, snap_candidates
from routing.exceptions import InvalidArgumentError, NoRouteError
from routing.network import NetworkMeta, RoadNetwork


@pytest.fixture(params=["cch", "dijkstra"])
def kind(request: pytest.FixtureRequest) -> str:
    """Every engine test runs on both engines."""
    return str(request.param)


def _compare_with_networkx(net, n_pairs: int, seed: int, kind: str) -> int:
    engine = get_engine(net, kind)
    w = engine.weights("length")
    g = nx.convert_node_labels_to_integers(net.to_graph())  # node keys = rows
    rng = np.random.default_rng(seed)
    labels = net.component_labels()
    big = np.flatnonzero(labels == np.bincount(labels).argmax())
    checked = 0
    for a, b in rng.choice(big, size=(n_pairs, 2)):
        try:
            expect = nx.shortest_path_length(g, int(a), int(b), weight="length")
        except nx.NetworkXNoPath:
            assert engine.node_distance(int(a), int(b), w) == np.inf
            continue
        assert engine.node_distance(int(a), int(b), w) == pytest.approx(expect, abs=1.0)
        arcs = engine.node_path(int(a), int(b), w)
        assert w.edge[engine.arc_edge[arcs]].sum() == pytest.approx(expect, abs=1.0)
        checked += 1
    return checked


def test_lengths_equal_networkx_on_western_iraq(western_iraq, kind) -> None:
    assert _compare_with_networkx(western_iraq, 200, seed=7, kind=kind) > 100


@pytest.mark.slow
def test_lengths_equal_networkx_on_syria_z14(syria_cut, kind) -> None:
    assert _compare_with_networkx(syria_cut, 40, seed=8, kind=kind) > 20


def test_engine_is_cached_per_network(western_iraq, kind) -> None:
    assert get_engine(western_iraq, kind) is get_engine(western_iraq, kind)
    engine = get_engine(western_iraq, kind)
    assert engine.weights("car") is engine.weights("car")
    assert isinstance(get_engine(western_iraq), CCHEngine)  # the default


def test_oneway_respected(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    w = engine.weights("length")
    east = nearest_snap(ladder, 42.35, 34.1)
    west = nearest_snap(ladder, 42.05, 34.1)
    forward = engine.route([west], [east], w)
    backward = engine.route([east], [west], w)
    assert forward.cost < backward.cost  # backwards must leave the oneway motorway
    assert set(ladder.edges["ref"].iloc[forward.edges]) == {"1"}


def test_same_edge_direct_path(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    w = engine.weights("length")
    a, b = nearest_snap(ladder, 42.02, 34.0), nearest_snap(ladder, 42.08, 34.0)
    p = engine.route([a], [b], w)
    assert list(p.edges) == [a.edge]
    assert p.edge_costs(w.edge).sum() == pytest.approx(
        abs(b.fraction - a.fraction) * w.edge[a.edge]
    )


def test_index_and_plain_search_agree(western_iraq, kind) -> None:
    engine = get_engine(western_iraq, kind)
    w = engine.weights("car")
    a = snap_candidates(western_iraq, 41.02, 34.42)
    b = snap_candidates(western_iraq, 44.37, 33.31)
    assert engine.route(a, b, w).cost == pytest.approx(
        engine.route(a, b, w, method="dijkstra").cost, abs=1e-3
    )


def test_closed_edges_cut_routes(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    rungs = (ladder.edges["highway"] == "secondary").to_numpy()
    w = engine.weights("length", closed=rungs | (ladder.edges["ref"] == "12").to_numpy())
    with pytest.raises(NoRouteError):
        engine.route([nearest_snap(ladder, 42.05, 34.0)], [nearest_snap(ladder, 42.35, 34.1)], w)


def test_one_to_all_matches_networkx_with_cutoff(western_iraq, kind) -> None:
    engine = get_engine(western_iraq, kind)
    w = engine.weights("car")
    g = nx.convert_node_labels_to_integers(western_iraq.to_graph())  # node keys = rows
    for _u, _v, d in g.edges(data=True):
        d["t"] = float(w.edge[d["segment"]])
    sources = [100, 2000]
    res = engine.one_to_all(sources, w, cutoff=4 * 3600)
    expect = nx.multi_source_dijkstra_path_length(g, sources, cutoff=4 * 3600, weight="t")
    reached = np.flatnonzero(np.isfinite(res.cost))
    assert set(reached.tolist()) == set(expect)
    for n in reached[:200]:
        assert res.cost[n] == pytest.approx(expect[int(n)], abs=1e-6)
    # The tree is consistent: each node's cost = predecessor's + its edge cost.
    inner = reached[res.pred_node[reached] >= 0]
    np.testing.assert_allclose(
        res.cost[inner], res.cost[res.pred_node[inner]] + w.edge[res.pred_edge[inner]]
    )
    assert set(res.origin[reached]) == {0, 1}


def _grid(size: int) -> RoadNetwork:
    """Two-way streets on a square grid: many shortest paths tie."""
    g = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(size * size):
        g.add_node(i, x=42.0 + 0.01 * (i // size), y=34.0 + 0.01 * (i % size))
    for i in range(size * size):
        for j in (i + size, i + 1 if (i + 1) % size else size * size):
            if j < size * size:
                for a, b in ((i, j), (j, i)):
                    g.add_edge(a, b, length=1.0, highway="primary", oneway=False)
    return RoadNetwork.from_graph(
        g, NetworkMeta(source="grid", path="memory", osm_date="2024-01-01")
    )


def test_one_to_all_origins_follow_the_tree_when_sources_tie(kind) -> None:
    grid = _grid(6)
    engine = get_engine(grid, kind)
    w = engine.weights("length")
    g = nx.convert_node_labels_to_integers(grid.to_graph())  # node keys = rows
    for _u, _v, d in g.edges(data=True):
        d["w"] = float(w.edge[d["segment"]])
    nodes = np.arange(grid.n_nodes)
    dist = [nx.single_source_dijkstra_path_length(g, int(s), weight="w") for s in nodes]
    for a in nodes:
        for b in nodes[a + 1 :]:
            res = engine.one_to_all([a, b], w)
            nearest = [min(dist[a][v], dist[b][v]) for v in nodes]
            np.testing.assert_allclose(res.cost, nearest, rtol=1e-12)
            # Each node's origin is one of its nearest sources, the one its tree branch starts at.
            from_origin = [dist[(a, b)[o]][v] for v, o in enumerate(res.origin)]
            np.testing.assert_allclose(res.cost, from_origin, rtol=1e-12)
            inner = nodes[res.pred_node >= 0]
            np.testing.assert_array_equal(res.origin[inner], res.origin[res.pred_node[inner]])
            assert res.origin[a] == 0 and res.origin[b] == 1


def test_engines_agree_on_random_routes(western_iraq) -> None:
    cch, ref = get_engine(western_iraq, "cch"), get_engine(western_iraq, "dijkstra")
    rng = np.random.default_rng(3)
    # Points a few km off random junctions: snapped onto roads, not onto nodes.
    nodes = western_iraq.nodes.iloc[rng.choice(western_iraq.n_nodes, 40)]
    lon = nodes["x"].to_numpy() + rng.uniform(-0.03, 0.03, 40)
    lat = nodes["y"].to_numpy() + rng.uniform(-0.03, 0.03, 40)
    for w_spec in ("length", "car"):
        wc, wr = cch.weights(w_spec), ref.weights(w_spec)
        for i in range(0, 40, 2):
            a = snap_candidates(western_iraq, lon[i], lat[i])
            b = snap_candidates(western_iraq, lon[i + 1], lat[i + 1])
            try:
                expect = ref.route(a, b, wr).cost
            except NoRouteError:
                with pytest.raises(NoRouteError):
                    cch.route(a, b, wc)
                continue
            # Float sums in another order: the path may differ between equal-cost ties.
            assert cch.route(a, b, wc).cost == pytest.approx(expect, rel=1e-6, abs=1.0)


def test_reweighting_does_not_rebuild_topology(western_iraq) -> None:
    engine = get_engine(western_iraq, "cch")
    assert isinstance(engine, CCHEngine)
    engine.node_distance(0, 1, engine.weights("length"))
    topo = engine._index()
    rng = np.random.default_rng(0)
    w = engine.weights("car")
    sampled = engine.weights(get_profile("car").sample(rng))
    assert sampled is not w
    engine.node_distance(0, 1, sampled)
    assert engine._index() is topo


def test_one_to_all_access_flag_and_origins(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    w = engine.weights("length")
    west = nearest_snap(ladder, 42.05, 33.99)  # ~1.1 km south of the south road
    east = nearest_snap(ladder, 42.35, 33.99)
    with_gap = engine.one_to_all([west, east], w)
    road_only = engine.one_to_all([west, east], w, access=False)
    gap = west.distance_m * w.access_per_m
    node = int(ladder.edges["v"].iloc[west.edge])
    assert with_gap.cost[node] == pytest.approx(road_only.cost[node] + gap)
    assert road_only.cost[node] == pytest.approx((1 - west.fraction) * w.edge[west.edge])
    # Each node is owned by the source that reaches it first; first hops use its edge.
    assert road_only.origin[node] == 0 and road_only.pred_edge[node] == west.edge
    far_east = int(ladder.edges["v"].iloc[east.edge])
    assert road_only.origin[far_east] == 1


def test_one_to_all_bad_arguments(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    w = engine.weights("length")
    with pytest.raises(InvalidArgumentError, match="at least one source"):
        engine.one_to_all([], w)
    with pytest.raises(ValueError, match="cutoff"):  # a ValueError too, for plain callers
        engine.one_to_all([0], w, cutoff=-1.0)


def test_closed_pairs_keep_the_cheapest_open_parallel_arc(ladder, kind) -> None:
    engine = get_engine(ladder, kind)
    closed = np.zeros(ladder.n_edges, bool)
    closed[0] = True
    w = engine.weights("length", closed=closed)
    u, v = int(ladder.edges["u"].iloc[0]), int(ladder.edges["v"].iloc[0])
    arcs = engine.arcs_between(np.array([u, v]), np.array([v, u]), w)
    # Edge 0 is closed in both directions; no other edge joins its ends.
    assert (arcs == -1).all()
    assert engine.arcs_between(np.array([u]), np.array([v]), engine.weights("length"))[0] >= 0


def test_along_sums_edge_values_up_the_tree(western_iraq, kind) -> None:
    engine = get_engine(western_iraq, kind)
    w = engine.weights("car")
    snaps = [
        snap_candidates(western_iraq, 41.02, 34.42)[0],
        snap_candidates(western_iraq, 43.30, 33.42)[0],
    ]
    res = engine.one_to_all(snaps, w, access=False)
    reached = np.isfinite(res.cost)
    # Without the off-road gap, the cost of a node is its tree path's cost.
    np.testing.assert_allclose(res.along(w.edge)[reached], res.cost[reached], rtol=1e-9)
    # Road length along the fastest tree, checked node by node in settling order.
    length = western_iraq.edges["length"].to_numpy()
    expect = np.full(western_iraq.n_nodes, np.inf)
    for node in np.argsort(res.cost)[: int(reached.sum())]:
        e, p = int(res.pred_edge[node]), int(res.pred_node[node])
        if p >= 0:
            expect[node] = expect[p] + length[e]
        else:
            s = snaps[int(res.origin[node])]
            towards_v = node == western_iraq.edges["v"].iloc[s.edge]
            expect[node] = (1 - s.fraction if towards_v else s.fraction) * length[s.edge]
    np.testing.assert_allclose(res.along(length)[reached], expect[reached], rtol=1e-9)
    assert np.isinf(res.along(length)[~reached]).all()
