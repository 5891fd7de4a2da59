"""osmnx's public functions on the toolkit's graphs (``RoadNetwork.to_graph``).

Two graphs: osmnx's own test extract (``tests/fixtures/West-Oakland.osm.bz2``, OSM ids) and the
default region ``western-iraq`` (z7 vector tiles, synthetic negative ids). Each test runs one
osmnx function on both and checks its outcome against an independent figure: the raw OSM XML,
the toolkit's own network and engine, pyproj, GeoPackage files read back with geopandas.
"""

from __future__ import annotations

import bz2
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import geopandas as gpd
import matplotlib
import networkx as nx
import numpy as np
import osmnx as ox
import pytest
import shapely
from pyproj import Geod

from routing.cache import load_cached, save_cached
from routing.engine import get_engine
from routing.network import GRAPHML_DTYPES, RoadNetwork
from routing.sources._osmfile import network_from_osm_file

matplotlib.use("Agg")

WEST_OAKLAND = Path(__file__).parent / "fixtures" / "West-Oakland.osm.bz2"
_GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def west_oakland() -> RoadNetwork:
    return network_from_osm_file(WEST_OAKLAND)


@pytest.fixture(scope="module", params=["West-Oakland", "western-iraq"])
def case(
    request: pytest.FixtureRequest, west_oakland: RoadNetwork
) -> tuple[RoadNetwork, nx.MultiDiGraph]:
    """Each network with its graph."""
    net = (
        west_oakland if request.param == "West-Oakland" else request.getfixturevalue("western_iraq")
    )
    return net, net.to_graph()


def _main_nodes(g: nx.MultiDiGraph) -> list[int]:
    """Nodes of the largest strongly connected component, in a fixed order."""
    return sorted(max(nx.strongly_connected_components(g), key=len))


def _far_pair(g: nx.MultiDiGraph) -> tuple[int, int]:
    """Two nodes of the main component far apart (west-most and east-most)."""
    main = _main_nodes(g)
    x = np.array([g.nodes[n]["x"] for n in main])
    return main[int(np.argmin(x))], main[int(np.argmax(x))]


def _row(net: RoadNetwork) -> dict[int, int]:
    """Graph node key -> row of ``net.nodes``."""
    return {int(k): i for i, k in enumerate(net.nodes["osmid"])}


def _osm_xml(path: Path) -> tuple[dict[int, tuple[float, float]], dict[int, list[int]]]:
    """Node coordinates and way node lists straight from the XML (the oracle for ids)."""
    root = ET.fromstring(bz2.decompress(path.read_bytes()))
    nodes = {
        int(n.get("id", "")): (float(n.get("lon", "")), float(n.get("lat", "")))
        for n in root.iter("node")
    }
    ways = {
        int(w.get("id", "")): [int(nd.get("ref", "")) for nd in w.iter("nd")]
        for w in root.iter("way")
    }
    return nodes, ways


def _is_run(xy: np.ndarray, way_xy: np.ndarray) -> bool:
    """Whether ``xy`` is a run of consecutive vertices of a way, either way round."""
    closed = bool((way_xy[0] == way_xy[-1]).all())
    ring = np.concatenate([way_xy, way_xy[1:]]) if closed else way_xy  # runs may wrap
    for seq in (ring, ring[::-1]):
        windows = np.lib.stride_tricks.sliding_window_view(seq, (len(xy), 2))[:, 0]
        if (windows == xy).all(axis=(1, 2)).any():
            return True
    return False


# --------------------------------------------------------------------------- ids and attributes
def test_west_oakland_ids_are_the_files_osm_ids(west_oakland: RoadNetwork) -> None:
    g = west_oakland.to_graph()
    nodes, ways = _osm_xml(WEST_OAKLAND)
    assert g.graph["osm_ids"] is True
    assert set(g.nodes) <= set(nodes)
    for n, data in g.nodes(data=True):
        assert (data["x"], data["y"]) == pytest.approx(nodes[n])
    for u, v, data in g.edges(data=True):
        # Every edge is a run of consecutive nodes of the way its osmid names, from u to v.
        way = ways[data["osmid"]]
        xy = shapely.get_coordinates(data["geometry"])
        assert tuple(xy[0]) == nodes[u] and tuple(xy[-1]) == nodes[v]
        assert _is_run(xy, np.array([nodes[n] for n in way]))
    # Cut at junctions and way ends only: the pieces of each way add up to the whole way.
    for osmid, length in west_oakland.edges.groupby("osmid")["length"].sum().items():
        lon, lat = np.array([nodes[n] for n in ways[int(osmid)]]).T
        assert length == pytest.approx(_GEOD.line_length(lon, lat), rel=1e-9)


def test_ids_survive_the_cache_graphml_and_from_graph(
    west_oakland: RoadNetwork, tmp_path: Path
) -> None:
    save_cached(west_oakland, tmp_path / "net.npz")
    cached = load_cached(tmp_path / "net.npz")
    ox.save_graphml(west_oakland.to_graph(), tmp_path / "g.graphml")
    rebuilt = RoadNetwork.from_graph(ox.load_graphml(tmp_path / "g.graphml"), west_oakland.meta)
    for other in (cached, rebuilt):
        assert Counter(other.nodes["osmid"]) == Counter(west_oakland.nodes["osmid"])
        assert Counter(other.edges["osmid"]) == Counter(west_oakland.edges["osmid"])


def test_tiles_ids_are_synthetic_and_negative(western_iraq: RoadNetwork) -> None:
    g = western_iraq.to_graph()
    assert g.graph["osm_ids"] is False
    assert sorted(g.nodes) == list(range(-western_iraq.n_nodes, 0))
    assert sorted(set(western_iraq.edges["osmid"])) == list(range(-western_iraq.n_edges, 0))
    assert all(d["osmid"] < 0 for _, _, d in g.edges(data=True))


def test_graph_attributes_are_osmnx_s(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    assert g.graph["crs"] == "EPSG:4326"
    assert g.graph["simplified"] is True
    assert g.graph["created_with"].startswith("routing ")
    assert len(g.graph["created_date"]) == len("2024-01-01 12:00:00")
    assert g.graph["osm_date"] == net.meta.osm_date
    assert None not in g.graph.values()
    for _, _, data in g.edges(data=True):
        assert None not in data.values()
        assert type(data["highway"]) is str and type(data["osmid"]) is int


def test_street_count_counts_the_segments_at_each_node(
    case: tuple[RoadNetwork, nx.MultiDiGraph],
) -> None:
    net, g = case
    u, v = net.edges["u"].to_numpy(), net.edges["v"].to_numpy()
    loop = u == v
    ends = np.bincount(u[~loop], minlength=net.n_nodes) + np.bincount(
        v[~loop], minlength=net.n_nodes
    )
    # osmnx counts every loop at a node together as one street (leaving and coming back).
    ends[np.unique(u[loop])] += 2
    assert nx.get_node_attributes(g, "street_count") == dict(
        zip(net.nodes["osmid"].tolist(), ends.tolist(), strict=True)
    )


# --------------------------------------------------------------------------- osmnx functions
def test_validate_graph(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    _, g = case
    ox.convert.validate_graph(g, strict=True)  # raises GraphValidationError otherwise


def test_plot_graph(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    _, g = case
    fig, ax = ox.plot_graph(g, show=False, close=True)
    assert fig.axes == [ax]
    lines = ax.collections[0]
    assert len(lines.get_paths()) == g.number_of_edges()
    assert len(ax.collections[1].get_offsets()) == g.number_of_nodes()


def test_add_edge_speeds_and_travel_times(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    g = ox.add_edge_travel_times(ox.add_edge_speeds(g, fallback=50.0))
    tagged = net.edges["maxspeed"].to_numpy(float)
    for _, _, d in g.edges(data=True):
        # osmnx reads the maxspeed text the toolkit parsed from the tag.
        if not np.isnan(tagged[d["segment"]]):
            assert d["speed_kph"] == pytest.approx(tagged[d["segment"]])
        assert d["travel_time"] == pytest.approx(d["length"] / (d["speed_kph"] / 3.6), abs=0.05)


def test_shortest_path(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    a, b = _far_pair(g)
    path = ox.shortest_path(g, a, b, weight="length")
    length = nx.path_weight(g, path, "length")
    engine = get_engine(net)
    row = _row(net)
    assert length == pytest.approx(
        engine.node_distance(row[a], row[b], engine.weights("length")), abs=0.5
    )


def test_k_shortest_paths(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    _, g = case
    a, b = _far_pair(g)
    paths = list(ox.k_shortest_paths(g, a, b, 3, weight="length"))
    lengths = [nx.path_weight(g, p, "length") for p in paths]
    assert len({tuple(p) for p in paths}) == 3
    assert lengths == sorted(lengths)
    assert lengths[0] == pytest.approx(nx.shortest_path_length(g, a, b, weight="length"))


def test_graph_to_gdfs_and_back(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    nodes, edges = ox.graph_to_gdfs(g)
    assert nodes.index.name == "osmid" and list(edges.index.names) == ["u", "v", "key"]
    assert len(nodes) == net.n_nodes
    assert set(edges["osmid"]) == set(net.edges["osmid"])
    back = ox.graph_from_gdfs(nodes, edges, graph_attrs=g.graph)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted(back.edges(keys=True)) == sorted(g.edges(keys=True))


def test_project_graph(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    _, g = case
    p = ox.project_graph(g)
    assert 32601 <= p.graph["crs"].to_epsg() <= 32660  # UTM north
    u, v, d = max(p.edges(data=True), key=lambda e: e[2]["length"])
    assert d["length"] == g.edges[u, v, 0]["length"]  # lengths stay geodesic metres
    # The projected straight line between the ends agrees with the geodesic one (pyproj).
    lon, lat = [g.nodes[n]["x"] for n in (u, v)], [g.nodes[n]["y"] for n in (u, v)]
    chord = float(np.hypot(p.nodes[u]["x"] - p.nodes[v]["x"], p.nodes[u]["y"] - p.nodes[v]["y"]))
    assert chord == pytest.approx(_GEOD.line_length(lon, lat), rel=0.01)


def test_consolidate_intersections(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    _, g = case
    p = ox.project_graph(g)
    merged = ox.consolidate_intersections(p, tolerance=15, dead_ends=True)
    assert 0 < len(merged) < len(p)
    ox.convert.validate_graph(merged)
    # Every old node went into exactly one new one, and no road length was lost.
    originals = [o for _, d in merged.nodes(data=True) for o in np.atleast_1d(d["osmid_original"])]
    assert sorted(originals) == sorted(p.nodes)
    assert set(nx.get_edge_attributes(merged, "osmid").values()) <= set(
        nx.get_edge_attributes(p, "osmid").values()
    )
    points = ox.consolidate_intersections(p, tolerance=15, rebuild_graph=False)
    assert 0 < len(points) < len(p)


def test_basic_stats(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    stats = ox.basic_stats(g)
    assert stats["n"] == net.n_nodes
    assert stats["m"] == g.number_of_edges()
    # One street per segment: osmnx's undirected street length is the toolkit's total.
    assert stats["street_length_total"] == pytest.approx(net.edges["length"].sum(), rel=1e-9)
    assert stats["street_segment_count"] == net.n_edges
    counts = list(nx.get_node_attributes(g, "street_count").values())
    assert stats["streets_per_node_avg"] == pytest.approx(np.mean(counts))


def test_graphml_round_trip(case: tuple[RoadNetwork, nx.MultiDiGraph], tmp_path: Path) -> None:
    _, g = case
    path = tmp_path / "graph.graphml"
    ox.save_graphml(g, path)
    assert "'None'" not in path.read_text("utf-8") and ">None<" not in path.read_text("utf-8")
    back = ox.load_graphml(path, **GRAPHML_DTYPES)
    assert back.graph == g.graph
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    mine = {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}
    theirs = {(u, v, k): d for u, v, k, d in back.edges(keys=True, data=True)}
    assert mine.keys() == theirs.keys()
    for key, data in mine.items():
        got = theirs[key]
        assert got.keys() == data.keys()
        assert shapely.equals_exact(got.pop("geometry"), data["geometry"], tolerance=1e-12)
        assert got == {k: x for k, x in data.items() if k != "geometry"}


def test_save_graph_geopackage(case: tuple[RoadNetwork, nx.MultiDiGraph], tmp_path: Path) -> None:
    net, g = case
    path = tmp_path / "graph.gpkg"
    ox.save_graph_geopackage(g, path)
    nodes = gpd.read_file(path, layer="nodes")
    edges = gpd.read_file(path, layer="edges")
    assert len(nodes) == net.n_nodes
    assert set(nodes["osmid"]) == set(net.nodes["osmid"])
    assert len(edges) == net.n_edges  # one row per street (undirected)
    assert Counter(edges["osmid"].astype(int)) == Counter(net.edges["osmid"].tolist())


def test_nearest_nodes_and_edges(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    sample = _main_nodes(g)[:: max(1, len(g) // 50)]
    xs = [g.nodes[n]["x"] for n in sample]
    ys = [g.nodes[n]["y"] for n in sample]
    assert list(ox.nearest_nodes(g, xs, ys)) == sample
    # The middle of a segment is nearest to that segment (either direction of it).
    rows = np.arange(0, net.n_edges, max(1, net.n_edges // 50))
    mids = shapely.line_interpolate_point(net.geometries[rows], 0.5, normalized=True)
    found = ox.nearest_edges(g, shapely.get_x(mids), shapely.get_y(mids))
    assert [g.edges[e]["segment"] for e in found] == rows.tolist()


def test_route_to_gdf(case: tuple[RoadNetwork, nx.MultiDiGraph]) -> None:
    net, g = case
    a, b = _far_pair(g)
    path = ox.shortest_path(g, a, b, weight="length")
    gdf = ox.routing.route_to_gdf(g, path, weight="length")
    assert len(gdf) == len(path) - 1
    assert gdf["length"].sum() == pytest.approx(nx.path_weight(g, path, "length"))
    assert set(gdf["osmid"]) <= set(net.edges["osmid"])
