"""The stored calibrations: well-formed, matched to the right data, and honest on z14 truth."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routing.analysis.calibration import (
    Calibration,
    calibration_for,
    load_calibrations,
    read_calibration,
    source_name,
)
from routing.api import crosscheck as cross_check
from routing.api import route
from routing.exceptions import DataFormatError
from routing.network import RoadNetwork
from routing.sources import load_network

SHIPPED = Path(__file__).resolve().parent.parent / "routing" / "data" / "calibration"


@pytest.fixture(scope="module")
def calibrations() -> tuple[Calibration, ...]:
    return load_calibrations()


def test_both_networks_are_calibrated(calibrations: tuple[Calibration, ...]) -> None:
    assert {c.name for c in calibrations} == {"openmaptiles-z7", "naturalearth-z7"}
    assert load_calibrations(SHIPPED) == calibrations


def test_stored_calibration_is_well_formed(calibrations: tuple[Calibration, ...]) -> None:
    for cal in calibrations:
        cov = cal.coverage
        assert int(cal.measured["pairs"]) >= 300
        assert {"date", "command", "seed", "truth"} <= set(cal.measured)
        # Every class of the road factor brackets its median; classes cover all lengths.
        assert all(c.low <= c.median <= c.high for c in cal.road_factor)
        assert [c.max_km for c in cal.road_factor] == sorted(c.max_km for c in cal.road_factor)
        # Bands are fitted on the pairs without a gap only.
        assert 0 < sum(c.pairs for c in cal.road_factor) <= cov.pairs - cov.gaps
        assert cal.access.low < 1 < cal.access.high
        assert all(d.detour > 1 for d in cal.detour_limits)
        assert cov.unflagged_inside <= cov.unflagged and cov.gaps_flagged <= cov.gaps


def test_z7_calibration_meets_its_targets(calibrations: tuple[Calibration, ...]) -> None:
    """Issue targets: >= 95 % of unflagged pairs inside; the gaps flagged (all but a few)."""
    z7 = next(c for c in calibrations if c.name == "openmaptiles-z7")
    cov = z7.coverage
    assert cov.inside_share >= 0.95
    assert cov.held_out_inside_share >= 0.9
    assert cov.gaps_flagged >= cov.gaps - 2


def test_calibration_matches_its_data(western_iraq: RoadNetwork, syria_cut: RoadNetwork) -> None:
    z7 = calibration_for(western_iraq.meta)
    ne = calibration_for(load_network("naturalearth", progress=False).meta)
    assert z7 is not None and z7.label == "z7 OSM"
    assert z7.applies_to.source == source_name(western_iraq.meta) == "MapTiler Planet"
    assert ne is not None and ne.label == "Natural Earth"
    # Full-detail data was never calibrated: it is the truth the others are measured against.
    assert calibration_for(syria_cut.meta) is None


def test_malformed_calibration_names_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load((SHIPPED / "openmaptiles-z7.yaml").read_text())
    data["road_factor"][0]["low"] = 2.0  # above its median
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(DataFormatError, match=r"bad.yaml: road_factor\.0"):
        read_calibration(bad)
    bad.write_text("road_factor: [unclosed")
    with pytest.raises(DataFormatError, match="not valid YAML"):
        read_calibration(bad)
    with pytest.raises(DataFormatError, match="cannot read"):
        read_calibration(tmp_path / "missing.yaml")


# Stretches of the Euphrates road in Syria, inside the z14 test cut (see conftest.py).
EUPHRATES = [
    ("Abu Kamal", "Al-Ashara"),
    ("Al-Ashara", "Al Mayadin"),
    ("Abu Kamal", "Al Mayadin"),
    ("Al Mayadin", "Deir ez-Zor"),
    ("Abu Kamal", "Deir ez-Zor"),
]


@pytest.mark.parametrize(("a", "b"), EUPHRATES)
def test_band_covers_z14_truth_on_a_sample(
    western_iraq: RoadNetwork, syria_cut: RoadNetwork, a: str, b: str
) -> None:
    """The z7 band (widened if flagged) holds the z14 distance; big z7 errors are flagged."""
    check = cross_check(a, b, net=western_iraq)
    truth = route(check.origin, check.destination, net=syria_cut)
    truth_km = truth.length_km + (truth.snaps[0].distance_m + truth.snaps[-1].distance_m) / 1000
    z7_km = check.primary.total_km
    print(f"{a}-{b}: z14 {truth_km:.1f} km; " + "; ".join(check.describe()))
    assert check.band is not None and check.band.contains(truth_km)
    assert z7_km is not None
    if not 0.77 <= z7_km / truth_km <= 1.3:
        assert not check.settled
