"""Monte Carlo travel times and the z7-vs-z14 generalization factor."""

from __future__ import annotations

import numpy as np
import pytest

from routing.api import route
from routing.claims.uncertainty import (
    Checkpoints,
    generalization_factor,
    measure_generalization,
    travel_time_samples,
)
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
    assert sum(d.km_by_class.values()) == pytest.approx(qaim_baghdad.length_km, abs=0.01)
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


def test_generalization_measured_on_real_roads(
    western_iraq: RoadNetwork, syria_cut: RoadNetwork
) -> None:
    g = measure_generalization(western_iraq, syria_cut)
    assert len(g.pairs) >= 3
    for p in g.pairs:
        # The z7 and z14 stretches are the same road: lengths agree to within 25 %.
        assert 0.75 < p.ratio < 1.25
    # Generalization cuts bends: overall z7 comes out short, not long.
    assert g.factor >= 1.0
    low, high = g.band(400.0)
    assert low <= 400.0 <= high
    cached = generalization_factor(western_iraq)
    assert cached.factor == pytest.approx(g.factor, rel=0.02)


def test_band_spread_ignores_short_stretches() -> None:
    from routing.claims.uncertainty import (
        MIN_SPREAD_STRETCH_KM,
        GeneralizationFactor,
        PairMeasurement,
    )

    short = PairMeasurement("A", "B", 10.0, 12.0)  # end effects: x1.2
    long = PairMeasurement("A", "C", 2 * MIN_SPREAD_STRETCH_KM, 2 * MIN_SPREAD_STRETCH_KM * 1.04)
    g = GeneralizationFactor((short, long), "z7", "z14")
    assert g.high == pytest.approx(1.04)
    assert g.factor == pytest.approx(
        (12.0 + 2 * MIN_SPREAD_STRETCH_KM * 1.04) / (10.0 + 2 * MIN_SPREAD_STRETCH_KM)
    )
    only_short = GeneralizationFactor((short,), "z7", "z14")
    assert only_short.high == pytest.approx(1.2)
