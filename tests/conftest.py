"""Shared fixtures: real networks built from ../shared/osm (cached under data/osm_cache)."""

from __future__ import annotations

import pytest

from routing.network import RoadNetwork
from routing.sources import load_network

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
