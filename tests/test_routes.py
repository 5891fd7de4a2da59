"""Routes on real data: the article's claims' building blocks, and bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.api import alternatives, locate, route, shortest_and_fastest
from routing.engine.profiles import available_profiles
from routing.exceptions import (
    InvalidArgumentError,
    NoRouteError,
    OffNetworkError,
    PlaceQueryError,
    ProfileError,
)

HUSAYBAH = (41.02, 34.42)
QAIM = (41.09, 34.37)
HADITHA = (42.38, 34.14)
RAMADI = (43.30, 33.42)
BAGHDAD = (44.37, 33.31)


@pytest.fixture(scope="module")
def pair(western_iraq):
    return shortest_and_fastest(HUSAYBAH, BAGHDAD, net=western_iraq)


def test_husaybah_baghdad_length_and_roads(pair) -> None:
    shortest, fastest = pair
    for r in pair:
        assert 380 <= r.length_km <= 460
        assert r.detour_factor > 1
        roads = r.roads()
        assert roads["km"].sum() == pytest.approx(r.road_km, rel=1e-6)
        assert r.length_m == pytest.approx(
            r.road_m + r.snaps[0].distance_m + r.snaps[-1].distance_m
        )
        assert roads["road"].str.len().min() > 0
    assert shortest.length_m <= fastest.length_m + 1
    assert fastest.time_s <= shortest.time_s + 1
    # The straight line is the geodesic, far shorter than the road and than the "100 km" claim's
    # opposite: the article's figure is wrong by a factor of three or more.
    assert 320 < shortest.straight_km < 345


def test_every_profile_gives_a_time(western_iraq, pair) -> None:
    times = {
        p: route(HUSAYBAH, BAGHDAD, net=western_iraq, profile=p, optimize="time").time_h
        for p in available_profiles()
    }
    assert times["fast"] < times["car"] < times["convoy"]
    assert all(2 < t < 10 for t in times.values())


def test_summary_and_exports_carry_assumptions(pair) -> None:
    r = pair[0]
    text = r.summary()
    assert "OSM data of 2021-02-01" in text and "WGS84" in text and "profile 'car'" in text
    assert "off-road" in text
    feature = r.to_geojson()
    json.dumps(feature)
    assert feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["length_km"] == pytest.approx(r.length_km, abs=1e-3)
    gdf = r.to_gdf()
    assert gdf.crs.to_epsg() == 4326
    # Geometry length (geodesic) matches the road length to within generalisation noise.
    from pyproj import Geod

    assert Geod(ellps="WGS84").geometry_length(gdf.geometry.iloc[0]) == pytest.approx(
        r.length_m, rel=0.01
    )


def test_via_point_and_candidate_choice(western_iraq, pair) -> None:
    via = route(HUSAYBAH, BAGHDAD, net=western_iraq, via=[HADITHA])
    # Haditha's nearest road must not drag the route onto an absurd detour.
    assert via.length_km < 1.15 * pair[0].length_km
    assert len(via.snaps) == 3 and len(via.departs) == 1


def _towns(net):
    towns = net.places[net.places["kind"].isin(["city", "town"])]
    return [(float(x), float(y)) for x, y in zip(towns["x"], towns["y"], strict=True)]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_route_via_a_place_is_its_legs_and_no_longer_than_them(western_iraq, data) -> None:
    towns = _towns(western_iraq)
    a, b, c = data.draw(st.lists(st.sampled_from(towns), min_size=3, max_size=3, unique=True))
    optimize = data.draw(st.sampled_from(["distance", "time"]))
    try:
        legs = [route(p, q, net=western_iraq, optimize=optimize) for p, q in ((a, c), (c, b))]
        direct = route(a, b, net=western_iraq, optimize=optimize)
    except (NoRouteError, OffNetworkError):
        return  # off the network, or on road pieces that do not meet: said, nothing to compare
    via = route(a, b, net=western_iraq, optimize=optimize, via=[c])
    assert via.length_m == pytest.approx(sum(leg.length_m for leg in legs), abs=1.0)
    assert via.time_s == pytest.approx(sum(leg.time_s for leg in legs), abs=1.0)
    assert via.access_m == pytest.approx(sum(leg.access_m for leg in legs), abs=1.0)
    # road(A,B) <= road(A,C) + road(C,B) + the off-road legs: going through C beats the direct
    # figure only by what its off-road legs cut across (each leg attaches its places on its
    # own, so a place may join another road on the way in than on the way out), unless the
    # direct figure is a flagged data artefact.
    speed_ms = direct.profile.access_kph / 3.6
    if optimize == "distance":
        slack, gap = via.access_m, direct.length_m - via.length_m
    else:
        slack, gap = via.access_m / speed_ms, direct.time_s - via.time_s
    assert gap <= slack + 1.0 or direct.notes


def test_alternatives_are_distinct_and_bounded(western_iraq) -> None:
    alts = alternatives(QAIM, RAMADI, k=3, net=western_iraq, max_stretch=1.6)
    best = alts[0].length_m
    assert all(a.length_m <= 1.6 * best + 1 for a in alts)
    for i, a in enumerate(alts):
        for b in alts[:i]:
            assert set(a.edges.tolist()) != set(b.edges.tolist())


def test_location_forms() -> None:
    assert locate("34.42, 41.02").lon == pytest.approx(41.02)
    assert locate((41.02, 34.42)).lat == pytest.approx(34.42)
    with pytest.raises(PlaceQueryError):
        locate("95,40")
    with pytest.raises(PlaceQueryError):
        locate((40.0, 95.0))


def test_bad_input(western_iraq) -> None:
    with pytest.raises(NoRouteError, match="same place"):
        route(HUSAYBAH, HUSAYBAH, net=western_iraq)
    with pytest.raises(ProfileError):
        route(HUSAYBAH, BAGHDAD, net=western_iraq, profile="hovercraft")
    with pytest.raises(OffNetworkError, match="km from the nearest road"):
        route(HUSAYBAH, BAGHDAD, net=western_iraq, via=[(39.5, 30.5)], max_snap_m=2_000)


def test_bad_arguments_are_typed_value_errors(western_iraq) -> None:
    with pytest.raises(InvalidArgumentError, match="optimize"):
        route(HUSAYBAH, BAGHDAD, net=western_iraq, optimize="fastest")  # type: ignore[arg-type]
    for kwargs in ({"k": 0}, {"max_stretch": 0.5}, {"max_overlap": 2.0}, {"penalty": 1.0}):
        with pytest.raises(ValueError):  # InvalidArgumentError is a ValueError too
            alternatives(QAIM, RAMADI, net=western_iraq, **kwargs)


def test_time_with_another_profile_is_that_profiles_time(western_iraq, pair) -> None:
    shortest = pair[0]
    for name in ("fast", "convoy"):
        again = route(HUSAYBAH, BAGHDAD, net=western_iraq, profile=name)
        assert shortest.time_with(name) == pytest.approx(again.time_s, rel=1e-9)


def test_cli_route_on_80_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from routing.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["route", "34.42,41.02", "33.31,44.37"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.replace("│", " ").split())
    # Full profile sources (no cut mid-word), units on figures, the assumptions footer.
    assert "links 45/40/30/25/20 km/h; tagged maxspeed x 0.8" in flat
    assert " km " in flat and " min " in flat and "Assumptions:" in flat
    assert "OSM data of 2021-02-01" in flat and "geodesic on the WGS84 ellipsoid" in flat
