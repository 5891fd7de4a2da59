"""Shared fixtures: real networks built from ../shared/osm (cached under data/osm_cache)."""

from __future__ import annotations

import pytest

from routing.claims import ClaimFile, ClaimResult, check_claims, load_claims
from routing.network import RoadNetwork
from routing.sources import load_network

ARTICLE_CLAIMS = "examples/isis-anbar-2014.yaml"

# Around Abu Kamal / Al-Qaim up to Deir ez-Zor: a CI-sized cut of the Syria z14 extract.
SYRIA_CUT_BBOX = (40.0, 34.3, 41.0, 35.5)


@pytest.fixture(scope="session")
def western_iraq() -> RoadNetwork:
    """The default region: OpenMapTiles z7 major roads, Syrian border to Baghdad."""
    return load_network("western-iraq", progress=False)


@pytest.fixture(scope="session")
def syria_cut() -> RoadNetwork:
    """Full-detail (z14) drivable roads between Abu Kamal and Deir ez-Zor."""
    return load_network("syria", bbox=SYRIA_CUT_BBOX, progress=False)


@pytest.fixture(scope="session")
def article_results(western_iraq: RoadNetwork) -> tuple[ClaimFile, list[ClaimResult]]:
    """The article's claims checked once per test session (the slowest shared computation)."""
    claims = load_claims(ARTICLE_CLAIMS)
    return claims, check_claims(claims, western_iraq, draws=2000)


# --- routing engine fixtures (routes, engine, matrix, scenarios) ---------------------------
@pytest.fixture(scope="session")
def ladder() -> RoadNetwork:
    """A small synthetic network near Haditha: two parallel roads joined by rungs.

    South road ``ref 12`` (primary, two-way) and north road ``ref 1`` (motorway, oneway
    eastwards) run from lon 42.0 to 42.4 at lat 34.0 / 34.1, with rungs every 0.1 degree;
    one rung is a bridge.
    """
    import networkx as nx

    from routing.network import NetworkMeta

    g = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(5):
        g.add_node(i, x=42.0 + 0.1 * i, y=34.0)
        g.add_node(10 + i, x=42.0 + 0.1 * i, y=34.1)
    for i in range(4):
        for a, b in ((i, i + 1), (i + 1, i)):
            g.add_edge(
                a, b, length=1.0, highway="primary", ref="12", name="Euphrates Road", oneway=False
            )
        g.add_edge(10 + i, 11 + i, length=1.0, highway="motorway", ref="1", oneway=True)
    for i in range(5):
        for a, b in ((i, 10 + i), (10 + i, i)):
            g.add_edge(a, b, length=1.0, highway="secondary", oneway=False, bridge=i == 2)
    return RoadNetwork.from_graph(
        g, NetworkMeta(source="synthetic ladder", path="memory", osm_date="2024-01-01")
    )
