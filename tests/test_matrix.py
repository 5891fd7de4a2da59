"""Matrices agree with single routes."""

from __future__ import annotations

import numpy as np
import pytest

from routing.api import matrix, route
from routing.exceptions import InvalidArgumentError

PLACES = [(41.02, 34.42), (42.38, 34.14), (43.30, 33.42), (44.37, 33.31)]


def test_matrix_equals_routes(western_iraq) -> None:
    m = matrix(PLACES, net=western_iraq, profile="car")
    assert m.distance_km.shape == (4, 4)
    assert np.allclose(np.diag(m.distance_km.to_numpy()), 0.0)
    for i, j in ((0, 3), (3, 0), (1, 2)):
        d = route(PLACES[i], PLACES[j], net=western_iraq).length_km
        t = route(PLACES[i], PLACES[j], net=western_iraq, optimize="time").time_h
        assert m.distance_km.iat[i, j] == pytest.approx(d, abs=0.01)
        assert m.time_h.iat[i, j] == pytest.approx(t, abs=1e-4)
    long = m.to_frame()
    assert len(long) == 16 and {"detour_factor", "straight_km"} <= set(long.columns)
    assert any("profile 'car'" in a for a in m.assumptions)


def test_rectangular(western_iraq) -> None:
    m = matrix(PLACES[:2], [PLACES[3]], net=western_iraq, profile="convoy")
    assert m.distance_km.shape == (2, 1) and m.distance_km.notna().all().all()
    assert m.time_h.iat[0, 0] > m.distance_km.iat[0, 0] / 110  # convoy is capped at 110 km/h


def test_bad_input_and_assumptions(western_iraq) -> None:
    with pytest.raises(InvalidArgumentError, match="at least one origin"):
        matrix([], net=western_iraq)
    with pytest.raises(InvalidArgumentError, match="at least one destination"):
        matrix(PLACES[:1], [], net=western_iraq)
    m = matrix(PLACES[:2], net=western_iraq)
    assert any("farthest off-road" in a for a in m.assumptions)
    assert any("OSM data of 2021-02-01" in a for a in m.assumptions)


def test_same_edge_shortcut_only_wins_on_total_cost(western_iraq) -> None:
    # Both points have a candidate on one shared edge far off-road; driving along it is
    # shorter by road but not once the off-road gaps count, so (as in route()) it must lose.
    a, b = (47.4609, 30.50275), (47.43231, 30.48142)
    m = matrix([a, b], net=western_iraq)
    expect = route(a, b, net=western_iraq).length_km
    assert m.distance_km.iat[0, 1] == pytest.approx(expect, abs=0.01)
    assert m.distance_km.iat[1, 0] == pytest.approx(
        route(b, a, net=western_iraq).length_km, abs=0.01
    )
