"""Monte Carlo travel times."""

from __future__ import annotations

import numpy as np
import pytest

from routing.api import route
from routing.claims.uncertainty import Checkpoints, travel_time_samples
from routing.network import RoadNetwork


@pytest.fixture(scope="module")
def qaim_baghdad(western_iraq: RoadNetwork):  # type: ignore[no-untyped-def]
    return route("Al-Qaim", "Baghdad", net=western_iraq, optimize="time", profile="car")


def test_samples_bounded_by_profile_speed_range(qaim_baghdad) -> None:  # type: ignore[no-untyped-def]
    d = travel_time_samples(qaim_baghdad, 5000, seed=1)
    p = qaim_baghdad.profile
    # Independent bounds: every km at the class's high speed / low speed.
    fastest = sum(km / p.speed(c, "high") for c, km in d.km_by_class.items()) + d.fixed_h
    slowest = sum(km / p.speed(c, "low") for c, km in d.km_by_class.items()) + d.fixed_h
    assert fastest - 1e-3 <= d.hours.min() and d.hours.max() <= slowest + 1e-3
    assert sum(d.km_by_class.values()) == pytest.approx(qaim_baghdad.road_km, abs=0.01)
    assert fastest < qaim_baghdad.time_h < slowest


def test_probability_is_monotone_and_reproducible(qaim_baghdad) -> None:  # type: ignore[no-untyped-def]
    a = travel_time_samples(qaim_baghdad, 3000, seed=7)
    b = travel_time_samples(qaim_baghdad, 3000, seed=7)
    np.testing.assert_array_equal(a.hours, b.hours)
    lo, mid, hi = a.quantiles()
    assert a.probability_within(lo) < a.probability_within(mid) < a.probability_within(hi)
    assert a.probability_within(a.hours.max()) == 1.0


def test_checkpoints_add_their_time(qaim_baghdad) -> None:  # type: ignore[no-untyped-def]
    base = travel_time_samples(qaim_baghdad, 2000, seed=3)
    stops = travel_time_samples(
        qaim_baghdad, 2000, seed=3, checkpoints=Checkpoints(3, (10.0, 10.0, 10.0))
    )
    assert stops.hours.mean() == pytest.approx(base.hours.mean() + 0.5, abs=0.05)
    with pytest.raises(ValueError):
        Checkpoints(1, (20.0, 10.0, 30.0))
