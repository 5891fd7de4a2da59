"""The network model: osmnx compatibility, round trips, helpers."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import osmnx as ox
import pytest
from pyproj import Geod

from routing.network import NetworkMeta, RoadNetwork, parse_maxspeed, polyline_lengths_m

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


@pytest.fixture(scope="module")
def graph(western_iraq: RoadNetwork) -> nx.MultiDiGraph:
    return western_iraq.to_graph()


def test_graph_has_osmnx_attributes(western_iraq: RoadNetwork, graph: nx.MultiDiGraph) -> None:
    assert graph.graph["crs"] == "EPSG:4326"
    assert graph.graph["osm_date"] == western_iraq.meta.osm_date
    assert graph.graph["zoom"] == 7
    two_way = int((~western_iraq.edges["oneway"]).sum())
    assert graph.number_of_edges() == western_iraq.n_edges + two_way
    _, _, data = next(iter(graph.edges(data=True)))
    assert {"length", "highway", "oneway", "reversed", "geometry"} <= set(data)


def test_osmnx_functions_work_on_graph(graph: nx.MultiDiGraph) -> None:
    g = ox.routing.add_edge_speeds(graph, hwy_speeds={"motorway": 110, "trunk": 90, "primary": 70})
    g = ox.routing.add_edge_travel_times(g)
    node = ox.distance.nearest_nodes(g, 44.37, 33.31)  # Baghdad
    assert g.nodes[node]["y"] == pytest.approx(33.31, abs=0.05)
    other = ox.distance.nearest_nodes(g, 43.30, 33.425)  # Ramadi
    path = ox.routing.shortest_path(g, other, node, weight="travel_time")
    assert path is not None and len(path) > 2


def test_from_graph_round_trip(western_iraq: RoadNetwork, graph: nx.MultiDiGraph) -> None:
    again = RoadNetwork.from_graph(graph, western_iraq.meta)
    assert again.n_nodes == western_iraq.n_nodes
    assert again.n_edges == western_iraq.n_edges
    assert again.edges["length"].sum() == pytest.approx(western_iraq.edges["length"].sum())


def test_edge_lengths_are_geodesic_on_the_ellipsoid(western_iraq: RoadNetwork) -> None:
    i = int(np.argmax(np.diff(western_iraq.offsets)))  # the edge with most vertices
    xy = western_iraq.edge_coords(i)
    expected = _GEOD.line_length(xy[:, 0], xy[:, 1])  # pyproj, the reference geodesic
    assert western_iraq.edges["length"].iloc[i] == pytest.approx(expected, abs=1e-3)
    # osmnx's great circle (a sphere) differs by a fraction of a percent, not more.
    sphere = sum(
        ox.distance.great_circle(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(xy)
    )
    assert abs(sphere / expected - 1) < 0.005


def test_polyline_lengths_do_not_bridge_polylines() -> None:
    coords = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    lengths = polyline_lengths_m(coords, np.array([0, 2, 4]))
    assert lengths == pytest.approx([float(_geod_m(0, 0, 0, 1))] * 2)


def test_clip_keeps_edges_touching_bbox(western_iraq: RoadNetwork) -> None:
    cut = western_iraq.clip((43.0, 33.0, 44.5, 33.6))
    assert 0 < cut.n_edges < western_iraq.n_edges
    assert cut.meta.bbox == (43.0, 33.0, 44.5, 33.6)
    assert cut.edges["u"].max() < cut.n_nodes


@pytest.mark.parametrize(
    ("tag", "kph"),
    [
        ("80", 80.0),
        ("50 mph", 80.467),
        (["60", "80"], 70.0),
        ("none", math.nan),
        (None, math.nan),
        ("999", math.nan),
    ],
)
def test_parse_maxspeed(tag: object, kph: float) -> None:
    got = parse_maxspeed(tag)
    assert (math.isnan(got) and math.isnan(kph)) or got == pytest.approx(kph, abs=1e-3)


def test_border_lines_by_country(western_iraq: RoadNetwork) -> None:
    import shapely

    qaim = shapely.Point(40.99, 34.39)
    syria = western_iraq.border_lines("Syria")
    assert len(syria) and set(western_iraq.border_lines("SY")) == set(syria)
    everything = western_iraq.border_lines()
    assert len(everything) > len(syria)
    # Al-Qaim is on the Iraq-Syria line, and far from Iran's.
    assert min(shapely.distance(qaim, syria)) < 0.05
    assert min(shapely.distance(qaim, western_iraq.border_lines("IRN"))) > 3.0


def test_unknown_border_country(western_iraq: RoadNetwork) -> None:
    from routing.exceptions import PlaceQueryError

    with pytest.raises(PlaceQueryError, match="unknown country"):
        western_iraq.border_lines("Atlantis")


def test_credit_names_every_source_and_osm_only_for_osm_data() -> None:
    tiles = NetworkMeta("tiles", "x", attribution="(c) MapTiler (c) OpenStreetMap contributors")
    assert tiles.credit() == "(c) OpenMapTiles (c) MapTiler (c) OpenStreetMap contributors"
    assert NetworkMeta("osm", "x", attribution="").credit() == "(c) OpenStreetMap contributors"
    ne = NetworkMeta("ne", "x", attribution="Natural Earth (public domain)", osm=False)
    assert ne.credit() == "Natural Earth (public domain)"
