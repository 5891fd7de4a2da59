"""Reachability on the real western-Iraq network (zoom-7 OpenMapTiles)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely

from routing import exceptions
from routing.analysis.reach import Reach, ReachError, border_crossings
from routing.api import reach, route
from routing.cli import main
from routing.exceptions import OffNetworkError, ProfileError
from routing.network import RoadNetwork


@pytest.fixture(scope="module")
def husaybah_4h(western_iraq: RoadNetwork) -> Reach:
    return reach("Husaybah", hours=[1, 2, 3, 4], profile="car", net=western_iraq)


def _row(result: Reach, name: str) -> dict[str, Any]:
    hits = result.places[result.places["name"] == name]
    assert len(hits) == 1, f"{name} not listed once: {list(result.places['name'])}"
    return {str(k): v for k, v in hits.iloc[0].items()}


def test_article_towns_listed_with_times(husaybah_4h: Reach) -> None:
    places = husaybah_4h.places
    for town in ("Haditha", "Hīt", "Ramadi", "Fallujah", "Baghdad"):
        assert np.isfinite(_row(husaybah_4h, town)["time_h"])
    reached = places[places["reached"]]
    assert (reached["time_h"] <= 4).all()
    assert (places.loc[~places["reached"] & places["time_h"].notna(), "time_h"] > 4).all()
    # The border towns along the Euphrates come before Baghdad.
    assert _row(husaybah_4h, "Haditha")["time_h"] < _row(husaybah_4h, "Baghdad")["time_h"]


def test_place_time_equals_fastest_route(husaybah_4h: Reach, western_iraq: RoadNetwork) -> None:
    fastest = route("Husaybah", "Baghdad", net=western_iraq, optimize="time")
    assert _row(husaybah_4h, "Baghdad")["time_h"] == pytest.approx(fastest.time_h, rel=0.02)


def test_bands_nested_and_growing(husaybah_4h: Reach) -> None:
    bands = husaybah_4h.bands
    assert list(bands["limit"]) == [1.0, 2.0, 3.0, 4.0]
    assert bands["area_km2"].is_monotonic_increasing
    geoms = list(bands.geometry)
    for small, big in itertools.pairwise(geoms):
        # Nested up to the 250 m simplification of the outlines.
        assert shapely.difference(small, big).area < 1e-3 * small.area
    # Built from roads, not circles: a straight-line circle of 4 h at car speed is far larger.
    assert bands["area_km2"].iloc[-1] < 0.2 * np.pi * (4 * 90) ** 2


def test_place_within_band_lies_in_its_polygon(husaybah_4h: Reach) -> None:
    hit = _row(husaybah_4h, "Hīt")
    assert hit["band"] == 3.0 and hit["<= 3 h"] and not hit["<= 2 h"]
    polygon = husaybah_4h.bands.set_index("limit").geometry[3.0]
    assert polygon.contains(shapely.Point(hit["lon"], hit["lat"]))


def test_partial_edges_make_smooth_growth(western_iraq: RoadNetwork) -> None:
    a = reach("Husaybah", hours=[1.0, 1.1], net=western_iraq).bands["area_km2"]
    # A 10 % larger limit grows the area a little, not by a whole edge's jump or not at all.
    assert 1.0 < a.iloc[1] / a.iloc[0] < 1.3


def test_edges_report_arrival(husaybah_4h: Reach) -> None:
    edges = husaybah_4h.edges
    assert edges["enter"].between(0, 4).all()
    assert edges["fraction"].between(0, 1).all() and (edges["fraction"] > 0).all()
    assert set(edges["band"].dropna()) <= {1.0, 2.0, 3.0, 4.0}


def test_km_limits(western_iraq: RoadNetwork) -> None:
    result = reach("Husaybah", km=[160], net=western_iraq)
    haditha = _row(result, "Haditha")
    # The same figure as the shortest route, off-road legs included (157 km).
    shortest = route("Husaybah", "Haditha", net=western_iraq)
    assert haditha["distance_km"] == pytest.approx(shortest.length_km, abs=0.05)
    assert haditha["reached"] and haditha["distance_km"] < 160
    assert np.isnan(haditha["time_h"])


def test_several_origins_nearest_wins(western_iraq: RoadNetwork) -> None:
    result = reach(["Husaybah", "Ramadi"], hours=[2], net=western_iraq)
    fallujah = _row(result, "Fallujah")
    assert fallujah["reached"] and fallujah["origin"] == "Ramadi"
    assert _row(result, "Haditha")["origin"] == "Husaybah"


def test_border_crossings_feed_reach(western_iraq: RoadNetwork) -> None:
    crossings = border_crossings(western_iraq, bbox=(40.5, 33.5, 42.0, 35.0))
    assert crossings
    result = reach(crossings, hours=[4], net=western_iraq)
    assert _row(result, "Haditha")["reached"]


def test_geojson_loads_in_geopandas(husaybah_4h: Reach, tmp_path: Path) -> None:
    path = tmp_path / "reach.geojson"
    path.write_text(json.dumps(husaybah_4h.to_geojson()), "utf-8")
    frame = gpd.read_file(path)
    assert list(frame["band"]) == husaybah_4h.band_labels
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    places = husaybah_4h.to_geojson("places")
    assert len(places["features"]) == len(husaybah_4h.places)
    assert "OpenStreetMap" in husaybah_4h.to_geojson()["properties"]["attribution"]


@pytest.mark.parametrize("hours", [0, -1, [], [1, float("nan")]])
def test_bad_limits(western_iraq: RoadNetwork, hours: object) -> None:
    with pytest.raises(ReachError):
        reach("Husaybah", hours=hours, net=western_iraq)  # type: ignore[arg-type]


def test_both_or_no_limits(western_iraq: RoadNetwork) -> None:
    with pytest.raises(ReachError, match="exactly one"):
        reach("Husaybah", hours=[1], km=[10], net=western_iraq)
    with pytest.raises(ReachError, match="exactly one"):
        reach("Husaybah", net=western_iraq)


def test_unknown_profile(western_iraq: RoadNetwork) -> None:
    with pytest.raises(ProfileError, match="unknown profile"):
        reach("Husaybah", hours=[1], profile="bicycle", net=western_iraq)


def test_origin_off_network(western_iraq: RoadNetwork) -> None:
    with pytest.raises(OffNetworkError, match="origin"):
        reach("32.0,36.0", hours=[1], net=western_iraq)


def test_assumptions_state_method(husaybah_4h: Reach) -> None:
    text = "\n".join(husaybah_4h.assumptions)
    assert "straight at 30 km/h, at most 25 km" in text
    assert "2021-02-01" in text and "'car'" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["reach", "Husaybah", "--hours", "0"], 2, "positive numbers of hours"),
        (["reach", "Husaybah", "--hours", "-1"], 2, "positive numbers of hours"),
        (["reach", "Husaybah", "--hours", "abc"], 2, "numbers separated by commas"),
        (["reach", "Husaybah", "--profile", "nope"], 2, "unknown profile"),
        (["reach", "20,10", "--hours", "1"], 4, "origin"),
        (["reach", "Husaybah", "--out", "x.txt"], 2, "use one of"),
        # A folder that cannot be made (here: under a file) is exit code 3 for every output.
        (["reach", "Husaybah", "--geojson", f"{__file__}/x.json"], 3, "is a file"),
        (["map", "route", "Baghdad", "Baghdad", "--out", "/tmp/x.png"], 4, "same place"),
        (["map", "route", "Husaybah", "Baghdad", "--out", f"{__file__}/x.png"], 3, "is a file"),
        (["map", "route", "Husaybah", "Baghdad", "--out", "x.txt"], 2, "use one of"),
    ],
)
def test_cli_bad_input(
    args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == code
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "Traceback" not in err


def test_reach_error_lives_in_exceptions() -> None:
    assert ReachError is exceptions.ReachError


def test_bands_built_band_on_band_match_one_buffer_of_the_reached_roads(
    husaybah_4h: Reach, western_iraq: RoadNetwork
) -> None:
    """Oracle: buffer the reached pieces of the 2 h band in one GEOS call (the old way)."""
    from routing.analysis import reach as module

    corridor = reach("Husaybah", hours=[1, 2], profile="car", net=western_iraq, area="roads")

    search = module._Search.run(
        module.get_engine(western_iraq),
        module.get_engine(western_iraq).weights(husaybah_4h.profile),
        [module._origin_candidates(western_iraq, o, 25_000.0) for o in husaybah_4h.origins],
    )
    proj = module._project(western_iraq, list(husaybah_4h.origins))
    lines = [
        shapely.ops.substring(proj.lines[e], lo, hi, normalized=True)
        for e, lo, hi in search.pieces(2 * 3600.0)
    ]
    whole = shapely.simplify(
        shapely.buffer(shapely.multilinestrings(lines), 5000.0, quad_segs=4), 250.0
    )
    ours = gpd.GeoSeries([corridor.bands.geometry.iloc[1]], crs="EPSG:4326").to_crs(
        proj.to_local.target_crs
    )[0]
    assert ours.area == pytest.approx(whole.area, rel=0.001)
    assert shapely.symmetric_difference(ours, whole).area < 0.003 * whole.area


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hours", "1e9"], "above the 48 h allowed"),
        (["--km", "5000"], "above the 3000 km allowed"),
        (["--hours", ",".join(str(h) for h in range(1, 14))], "at most 12 bands, got 13"),
        (["--hours", ",".join(["1"] * 500)], "at most 12 bands, got 500"),
    ],
)
def test_band_limits_are_capped_with_a_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reach", "Husaybah", *args]) == 2
    assert message in capsys.readouterr().err


def test_whole_network_band_is_within_limits(western_iraq: RoadNetwork) -> None:
    # 20 h reaches every road of the main component (it took 40 s and 1.9 GB before).
    r = reach("Husaybah", hours=[2, 20, 48], net=western_iraq)
    assert r.bands["area_km2"].is_monotonic_increasing
    assert r.edges["band"].notna().all()
