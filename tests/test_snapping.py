"""Snapping points to road edges."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routing.engine.snapping import nearest_snap, snap_candidates, snap_points
from routing.exceptions import InvalidArgumentError, OffNetworkError

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


def test_snaps_to_edge_interior_not_node(ladder) -> None:
    # Just south of the middle of the first south-road segment (lon 42.0-42.1, lat 34.0).
    s = nearest_snap(ladder, 42.05, 33.99)
    assert s.ref == "12" and 0.45 < s.fraction < 0.55
    assert s.distance_m == pytest.approx(float(_geod_m(42.05, 33.99, 42.05, 34.0)), rel=1e-3)
    assert abs(s.lon - 42.05) < 1e-3 and abs(s.lat - 34.0) < 1e-6


def test_candidates_include_the_other_road_sorted(ladder) -> None:
    cands = snap_candidates(ladder, 42.05, 34.04)
    assert [c.distance_m for c in cands] == sorted(c.distance_m for c in cands)
    assert {"1", "12"} <= {c.ref for c in cands}


def test_far_point_raises_with_distance(western_iraq) -> None:
    with pytest.raises(OffNetworkError, match="km from the nearest road"):
        nearest_snap(western_iraq, 39.0, 31.0, max_snap_m=1_000)


def test_swapped_coordinates_hint(western_iraq) -> None:
    with pytest.raises(OffNetworkError, match="swap"):
        nearest_snap(western_iraq, 34.42, 41.02, max_snap_m=5_000)


def test_real_town_snaps_within_limit(western_iraq) -> None:
    s = nearest_snap(western_iraq, 43.30, 33.42)  # Ramadi
    assert s.distance_m < 5_000 and s.highway in {"motorway", "trunk", "primary"}


def test_batch_snapping_equals_one_by_one(western_iraq) -> None:
    lons, lats = [41.02, 43.30, 44.37, 42.38], [34.42, 33.42, 33.31, 34.14]
    batch = snap_points(western_iraq, lons, lats)
    assert batch == [snap_candidates(western_iraq, x, y) for x, y in zip(lons, lats, strict=True)]
    assert [len(s) for s in snap_points(western_iraq, lons, lats, candidates=False)] == [1] * 4


def test_batch_snapping_names_the_far_point(western_iraq) -> None:
    with pytest.raises(OffNetworkError, match=r"\(31.0000, 39.0000\)"):
        snap_points(western_iraq, [41.02, 39.0], [34.42, 31.0], max_snap_m=5_000)


@pytest.mark.parametrize("limit", [0.0, -5.0, float("nan")])
def test_bad_snap_limit(ladder, limit: float) -> None:
    with pytest.raises(InvalidArgumentError, match="max_snap_m"):
        snap_candidates(ladder, 42.05, 34.0, max_snap_m=limit)
