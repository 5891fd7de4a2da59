"""Matrices agree with single routes."""

from __future__ import annotations

import numpy as np
import pytest

from routing.matrix import matrix
from routing.routes import route

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
