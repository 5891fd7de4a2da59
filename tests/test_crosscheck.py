"""Cross-check of generalized figures against Natural Earth (and z14 truth where it exists)."""

from __future__ import annotations

import pytest

from routing.analysis.calibration import calibration_for
from routing.analysis.crosscheck import (
    Band,
    CrossCheck,
    NetworkFigure,
    assess,
    calibrated_band,
)
from routing.api import crosscheck as cross_check
from routing.api import route
from routing.exceptions import NoRouteError
from routing.location import Location
from routing.network import RoadNetwork
from routing.sources import load_network

# Published: "Ramadi to Hit, about 70 km by road"; Natural Earth measures 63 km by road.
RAMADI_HIT_PUBLISHED_KM = 70.0


@pytest.fixture(scope="module")
def ramadi_hit(western_iraq: RoadNetwork) -> CrossCheck:
    return cross_check("Ramadi", "Hit", net=western_iraq)


def _parts_add_up(band: Band) -> None:
    assert band.figure_km + sum(p.low_km for p in band.parts) == pytest.approx(band.low_km)
    assert band.figure_km + sum(p.high_km for p in band.parts) == pytest.approx(band.high_km)


def test_ramadi_hit_states_the_missing_road(ramadi_hit: CrossCheck) -> None:
    c = ramadi_hit
    assert c.primary.label == "z7 OSM" and c.second is not None
    assert c.second.label == "Natural Earth"
    # Independent oracle: the Natural Earth route between the very same points.
    ne = route(c.origin, c.destination, net="naturalearth")
    assert c.second.road_km == pytest.approx(ne.length_km)
    assert c.primary.total_km is not None and c.primary.total_km > 100
    kinds = {f.kind for f in c.flags}
    assert "networks-disagree" in kinds
    message = next(f.message for f in c.flags if f.kind == "networks-disagree")
    assert message.startswith("the z7 OSM data seems to lack a road between Ramadi and H")
    assert "Natural Earth gives 68 km" in message
    assert not c.settled and c.reason.startswith("cannot be settled on this data: ")


def test_ramadi_hit_band_covers_both_networks(ramadi_hit: CrossCheck) -> None:
    c = ramadi_hit
    assert c.band is not None and c.second is not None and c.second.total_km is not None
    assert c.primary.total_km is not None
    assert c.band.contains(c.second.total_km) and c.band.contains(c.primary.total_km)
    assert c.band.contains(RAMADI_HIT_PUBLISHED_KM)
    assert c.band.low_km >= c.straight_km
    assert [p.name for p in c.band.parts][-1] == "other network"
    _parts_add_up(c.band)


def test_judgement_says_what_each_network_supports(ramadi_hit: CrossCheck) -> None:
    near = ramadi_hit.judge(RAMADI_HIT_PUBLISHED_KM)
    assert dict(near.by_network) == {"z7 OSM": False, "Natural Earth": True}
    assert not near.settled and "Natural Earth supports it, z7 OSM does not" in near.reason
    # A value both networks reject is settled whatever the artefact.
    far = ramadi_hit.judge(300.0)
    assert far.settled and far.inside is False and not any(ok for _, ok in far.by_network)


def test_deir_ez_zor_raqqa_band_holds_the_z14_distance(western_iraq: RoadNetwork) -> None:
    c = cross_check("Deir ez-Zor", "Raqqa", net=western_iraq)
    z14 = load_network("syria", bbox=(38.8, 34.9, 40.4, 36.1), progress=False)
    truth = route(c.origin, c.destination, net=z14)
    truth_km = truth.length_km + sum(s.distance_m for s in truth.snaps) / 1000
    print("\n".join(c.describe()), f"z14 {truth_km:.0f} km", sep="\n")
    assert c.primary.total_km is not None and c.primary.total_km > 3 * truth_km
    assert any(
        f.kind == "networks-disagree" and "seems to lack a road between Deir" in f.message
        for f in c.flags
    )
    assert c.band is not None and c.band.contains(truth_km)
    _parts_add_up(c.band)


def test_unflagged_figure_keeps_its_calibrated_band(western_iraq: RoadNetwork) -> None:
    c = cross_check("Husaybah", "Baghdad", net=western_iraq)
    assert c.settled and c.reason == "" and not c.flags
    assert c.band is c.primary.band
    assert c.band is not None and c.primary.total_km is not None
    assert c.band.low_km >= c.straight_km
    _parts_add_up(c.band)
    assert [p.name for p in c.band.parts][:2] == ["road factor", "off-road legs"]
    d = c.to_dict()
    assert d["settled"] and d["primary"]["label"] == "z7 OSM" and d["band"]["parts"]


def test_without_second_network(western_iraq: RoadNetwork) -> None:
    c = cross_check("Ramadi", "Hit", net=western_iraq, second=False)
    assert c.second is None
    # The detour alone gives the artefact away; the band drops to the straight line.
    assert [f.kind for f in c.flags] == ["implausible-detour"]
    assert c.band is not None and c.band.low_km == pytest.approx(c.straight_km)


def test_same_place_is_an_error(western_iraq: RoadNetwork) -> None:
    with pytest.raises(NoRouteError, match="same place"):
        cross_check("Ramadi", "Ramadi", net=western_iraq)


# --- flag logic on given figures -------------------------------------------------------------
A, B = Location("A", 43.0, 33.0, "test"), Location("B", 43.6, 33.0, "test")


def _fig(western_iraq: RoadNetwork, road_km: float | None, off: float = 0.5) -> NetworkFigure:
    cal = calibration_for(western_iraq.meta)
    assert cal is not None
    band = None if road_km is None else calibrated_band(cal, road_km, (off, off), 56.0)
    return NetworkFigure("z7 OSM", "", road_km, (off, off), band, "" if road_km else "no route")


def test_assess_flags(western_iraq: RoadNetwork) -> None:
    cal = calibration_for(western_iraq.meta)
    ok = assess(A, B, 56.0, _fig(western_iraq, 60.0), _fig(western_iraq, 61.0), cal)
    assert ok.settled and ok.band is ok.primary.band
    longer = assess(A, B, 56.0, _fig(western_iraq, 60.0), _fig(western_iraq, 140.0), cal)
    assert [f.kind for f in longer.flags] == ["networks-disagree"]
    assert "seems to lack a road between A and B, or the z7 OSM data joins" in longer.reason
    none = assess(A, B, 56.0, _fig(western_iraq, None), _fig(western_iraq, 61.0), cal)
    assert [f.kind for f in none.flags] == ["no-route"] and none.band is not None
    far = assess(A, B, 56.0, _fig(western_iraq, 20.0, off=20.0), None, cal)
    assert "far-off-road" in {f.kind for f in far.flags}
    assert far.band is not None and far.band.low_km == pytest.approx(56.0)


def test_full_detail_data_has_no_band_but_is_still_cross_checked(syria_cut: RoadNetwork) -> None:
    c = cross_check("Abu Kamal", "Deir ez-Zor", net=syria_cut, second="naturalearth")
    assert c.primary.label == "z14 OSM" and c.primary.band is None and c.band is None
    assert c.settled and c.notes == ("no calibration for the z14 OSM data: its figure has no band",)
    assert c.second is not None and c.second.band is not None
    assert c.primary.total_km is not None and c.second.band.contains(c.primary.total_km)
