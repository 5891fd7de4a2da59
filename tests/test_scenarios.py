"""Scenarios: closures reroute or explain, checkpoints add time, bad specs fail clearly."""

from __future__ import annotations

import networkx as nx
import osmnx as ox
import pytest
import shapely
from pyproj import Geod

from routing.analysis.scenarios import Scenario, parse_avoid
from routing.api import compare, route
from routing.exceptions import NoRouteError, ScenarioError

HUSAYBAH, BAGHDAD = (41.02, 34.42), (44.37, 33.31)
GEOD = Geod(ellps="WGS84")


def test_closure_reroutes_on_ladder(ladder) -> None:
    a, b = (42.02, 33.99), (42.38, 33.99)
    before = route(a, b, net=ladder)
    assert set(ladder.edges["ref"].iloc[before.edges]) == {"12"}
    cut = Scenario().block_road(ref="Route 12", near=(42.2, 34.0), radius_km=3)
    after = route(a, b, net=ladder, scenario=cut)
    assert "1" in set(ladder.edges["ref"].iloc[after.edges])
    assert after.length_m > before.length_m
    assert any("ref 'Route 12'" in x for x in after.assumptions)


def test_blocking_euphrates_road_near_haditha(western_iraq) -> None:
    s = parse_avoid(["near:34.08,42.33:10km"])
    result = compare(HUSAYBAH, BAGHDAD, s, net=western_iraq)
    # Oracle: networkx on the graph without every edge passing within 10 km of the point
    # (geodesic distances to densified edge vertices, not the scenario's own matching).
    g = western_iraq.to_graph()
    lon0, lat0 = 42.33, 34.08
    cut = []
    for u, v, k, geom in g.edges(keys=True, data="geometry"):
        xy = shapely.get_coordinates(shapely.segmentize(geom, 0.001))
        n = len(xy)
        if GEOD.inv([lon0] * n, [lat0] * n, xy[:, 0], xy[:, 1])[2].min() <= 10_000:
            cut.append((u, v, k))
    g.remove_edges_from(cut)
    ends = [ox.distance.nearest_nodes(g, *p) for p in (HUSAYBAH, BAGHDAD)]
    connected = nx.has_path(g, *ends)
    assert (result.after is not None) == connected
    # The z7 data has one major road along the Euphrates past Haditha: the block cuts it.
    assert not connected
    assert "cut by" in result.reason and "10 km" in result.reason
    assert "Scenario:" in result.summary()


def test_checkpoint_adds_its_delay(ladder) -> None:
    a, b = (42.02, 33.99), (42.38, 33.99)
    base = route(a, b, net=ladder)
    slow = route(a, b, net=ladder, scenario=Scenario().checkpoint((42.15, 34.0), minutes=20))
    assert slow.time_s == pytest.approx(base.time_s + 1200, abs=1e-6)


def test_no_route_names_the_closures(ladder) -> None:
    s = Scenario().block_road(near=(42.2, 34.05), radius_km=6)
    with pytest.raises(NoRouteError, match="cut by"):
        route((42.02, 33.99), (42.38, 33.99), net=ladder, scenario=s)


@pytest.mark.parametrize(
    "spec",
    [
        "ref",
        "near:abc",
        "bbox:1,2,3",
        "teleport:1,2",
        "checkpoint:34,42:x",
        "checkpoint:34,42:nan",
        "checkpoint:34,42:inf",
        "checkpoint:34,42:-5",
    ],
)
def test_bad_specs(spec: str) -> None:
    with pytest.raises(ScenarioError):
        parse_avoid([spec])


def test_rule_matching_nothing_is_an_error(western_iraq) -> None:
    with pytest.raises(ScenarioError, match="matches no road"):
        route(HUSAYBAH, BAGHDAD, net=western_iraq, scenario=parse_avoid(["ref:999"]))
