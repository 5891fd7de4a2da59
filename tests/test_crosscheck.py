"""Cross-check of generalized figures against Natural Earth (and z14 truth where it exists)."""

from __future__ import annotations

import json
from pathlib import Path

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
from routing.cli import main
from routing.exceptions import NoRouteError
from routing.location import Location
from routing.network import RoadNetwork
from routing.settings import data_dir
from routing.sources import load_network

# Published: "Ramadi to Hit, about 70 km by road".
RAMADI_HIT_PUBLISHED_KM = 70.0


@pytest.fixture(scope="module")
def deir_raqqa(western_iraq: RoadNetwork) -> CrossCheck:
    """The z7 OSM data lack the road between Deir ez-Zor and Raqqa (z14 gives 136 km)."""
    return cross_check("Deir ez-Zor", "Raqqa", net=western_iraq)


@pytest.fixture(scope="module")
def deir_raqqa_truth_km(deir_raqqa: CrossCheck) -> float:
    """The same places on the full-detail (z14) data of the same OSM: the ground truth."""
    z14 = load_network("syria", bbox=(38.8, 34.9, 40.4, 36.1), progress=False)
    return route(deir_raqqa.origin, deir_raqqa.destination, net=z14).length_km


def _parts_add_up(band: Band) -> None:
    assert band.figure_km + sum(p.low_km for p in band.parts) == pytest.approx(band.low_km)
    assert band.figure_km + sum(p.high_km for p in band.parts) == pytest.approx(band.high_km)


def test_missing_road_is_stated(deir_raqqa: CrossCheck, deir_raqqa_truth_km: float) -> None:
    c = deir_raqqa
    assert c.primary.label == "z7 OSM" and c.second is not None
    assert c.second.label == "Natural Earth"
    # Independent oracle: the Natural Earth route between the very same points.
    ne = route(c.origin, c.destination, net="naturalearth")
    assert c.second.road_km == pytest.approx(ne.road_km)
    assert c.primary.total_km is not None and c.primary.total_km > 3 * deir_raqqa_truth_km
    kinds = {f.kind for f in c.flags}
    assert {"networks-disagree", "implausible-detour"} <= kinds
    message = next(f.message for f in c.flags if f.kind == "networks-disagree")
    assert message.startswith("the z7 OSM data seems to lack a road between Deir")
    assert f"Natural Earth gives {c.second.total_km:,.0f} km" in message
    assert not c.settled and c.reason.startswith("cannot be settled on this data: ")


def test_flagged_band_covers_both_networks_and_the_truth(
    deir_raqqa: CrossCheck, deir_raqqa_truth_km: float
) -> None:
    c = deir_raqqa
    assert c.band is not None and c.second is not None and c.second.total_km is not None
    # The calibrated z7 band lies below the z7 figure itself (z7 routes run long against z14
    # in Syria); widened, it covers Natural Earth and the full-detail truth.
    assert c.band.contains(c.second.total_km) and c.band.contains(deir_raqqa_truth_km)
    assert c.band.low_km >= c.straight_km
    assert [p.name for p in c.band.parts][-1] == "other network"
    _parts_add_up(c.band)


def test_judgement_says_what_each_network_supports(
    deir_raqqa: CrossCheck, deir_raqqa_truth_km: float
) -> None:
    near = deir_raqqa.judge(deir_raqqa_truth_km)
    assert dict(near.by_network) == {"z7 OSM": False, "Natural Earth": True}
    assert not near.settled and "Natural Earth supports it, z7 OSM does not" in near.reason
    # A value both networks reject is settled whatever the artefact.
    far = deir_raqqa.judge(2_000.0)
    assert far.settled and far.inside is False and not any(ok for _, ok in far.by_network)


def test_ramadi_hit_joins_the_road_that_reaches_hit(western_iraq: RoadNetwork) -> None:
    """Ramadi's nearest z7 road reaches Hit only by a loop; the route takes Route 1 instead,
    says so, and then agrees with Natural Earth and the published figure."""
    c = cross_check("Ramadi", "Hit", net=western_iraq)
    r = c.primary.route
    assert r is not None and any("a gap in the road data" in n for n in r.notes)
    assert c.settled and c.band is not None
    assert c.second is not None and c.second.total_km is not None
    assert c.band.contains(c.second.total_km) and c.band.contains(RAMADI_HIT_PUBLISHED_KM)
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
    c = cross_check("Deir ez-Zor", "Raqqa", net=western_iraq, second=False)
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


def test_route_command_states_the_gap_and_its_band_holds_the_truth(
    deir_raqqa_truth_km: float, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["route", "Deir ez-Zor", "Raqqa", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    checked = doc["summary"]["cross_check"]
    assert not checked["settled"]
    assert any("seems to lack a road" in n and "Natural Earth" in n for n in doc["notes"])
    assert checked["band"]["low_km"] <= deir_raqqa_truth_km <= checked["band"]["high_km"]
    assert [d["role"] for d in doc["data"]] == ["roads", "cross-check"]

    assert main(["route", "Deir ez-Zor", "Raqqa", "--no-cross-check"]) == 0
    out = capsys.readouterr().out
    assert "two networks" not in out and "562" in out


def test_missing_cross_check_data_leaves_figures_unchecked_not_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from routing import sources

    data = tmp_path / "osm"
    data.mkdir()
    (data / "openmaptiles-planet-z7").symlink_to(data_dir() / "openmaptiles-planet-z7")
    monkeypatch.setenv("ROUTING_DATA_DIR", str(data))
    monkeypatch.setattr(sources, "_LOADED", type(sources._LOADED)())
    assert main(["route", "Ramadi", "Hit"]) == 0
    out, err = capsys.readouterr()
    assert "shortest" in out and "two networks" not in out  # the route, without its cross-check
    assert "not cross-checked on 'naturalearth'" in err and "naturalearth-z7" in err
