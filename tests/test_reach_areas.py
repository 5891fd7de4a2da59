"""Reachable-area polygons, Valhalla-style contours and the reach writers (western-iraq, z7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from fixtures.readonly import read_only
from pyproj import CRS, Transformer

from routing.analysis.reach import LAYERS, Reach
from routing.api import reach, route
from routing.cli import main
from routing.exceptions import (
    InvalidArgumentError,
    NoRouteError,
    OffNetworkError,
    OutputError,
    ReachError,
)
from routing.location import Location
from routing.network import RoadNetwork
from routing.output.geodata import write_layers

HADITHA = (42.37, 34.13)  # on the Euphrates road: its figures need no far-away attachment


@pytest.fixture(scope="module")
def haditha_2h(western_iraq: RoadNetwork) -> Reach:
    return reach(Location("Haditha", *HADITHA, "test"), hours=[1, 2], net=western_iraq)


def _sample(polygon: shapely.Geometry, n: int, seed: int) -> np.ndarray:
    """Random points over the polygon's box widened by about 30 km."""
    w, s, e, n_ = polygon.bounds
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(w - 0.3, e + 0.3, n), rng.uniform(s - 0.3, n_ + 0.3, n)])


def _figure(result: Reach, net: RoadNetwork, x: float, y: float, unit: str) -> float:
    """The place-to-place figure from the origin (route(), off-road legs included), inf if none."""
    try:
        r = route(
            result.origins[0],
            Location("p", float(x), float(y), "test"),
            net=net,
            optimize="time" if unit == "h" else "distance",
        )
    except (OffNetworkError, NoRouteError):
        return float("inf")
    return r.time_h if unit == "h" else r.length_km


@pytest.mark.parametrize(("unit", "limit"), [("h", 2.0), ("km", 150.0)])
def test_polygon_holds_exactly_the_points_route_reaches(
    western_iraq: RoadNetwork, unit: str, limit: float
) -> None:
    kwargs: dict[str, Any] = {"hours": [limit]} if unit == "h" else {"km": [limit]}
    result = reach(Location("Haditha", *HADITHA, "test"), net=western_iraq, **kwargs)
    polygon = result.bands.geometry.iloc[0]
    inside, far_inside, beyond = 0, 0, []
    for x, y in _sample(polygon, 250, seed=5):
        point = shapely.Point(x, y)
        margin_km = polygon.boundary.distance(point) * 100  # degrees to km, roughly
        figure = _figure(result, western_iraq, x, y, unit)
        if polygon.contains(point):
            inside += 1
            if margin_km > 2:
                far_inside += 1
                beyond += [figure] if figure > limit else []
        elif margin_km > 1:  # well outside: route() never reaches it within the limit
            assert figure > limit, (x, y, figure)
    assert inside >= 30 and far_inside >= 20 and inside <= 220  # both sides sampled
    # Well inside, route() reaches the point within the limit, except where the polygon's
    # best road lies beyond the nearest roads route() lets a place join (measured: 0 of 40
    # points for 2 h, 3 of 43 for 150 km, at most 8 % over the limit).
    print(f"{len(beyond)} of {far_inside} well inside beyond the limit by route(): {beyond}")
    assert len(beyond) <= 0.1 * far_inside
    assert all(f < 1.1 * limit for f in beyond)


def test_every_reached_place_lies_in_its_bands(haditha_2h: Reach) -> None:
    places = haditha_2h.places
    assert places["reached"].sum() >= 5
    for limit, label, geom in zip(
        haditha_2h.limits, haditha_2h.band_labels, haditha_2h.bands.geometry, strict=True
    ):
        within = places[places[label]]
        assert shapely.contains_xy(geom, within["lon"], within["lat"]).all(), limit


def _local(result: Reach) -> Transformer:
    o = result.origins[0]
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={o.lat} +lon_0={o.lon} +datum=WGS84 +units=m")
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def test_off_road_legs_are_capped_and_the_origin_gets_its_full_disc(
    haditha_2h: Reach, western_iraq: RoadNetwork
) -> None:
    fwd = _local(haditha_2h)
    project = lambda g: shapely.transform(g, lambda xy: np.column_stack(fwd.transform(*xy.T)))  # noqa: E731
    band = project(haditha_2h.bands.geometry.iloc[-1])
    roads = project(shapely.union_all(western_iraq.geometries[haditha_2h.edges["edge"]]))
    cap_m = haditha_2h.offroad_max_km * 1000
    # Nothing lies farther off-road than the cap (the outline is simplified to 250 m) ...
    assert shapely.difference(band, shapely.buffer(roads, cap_m + 300)).area < 1e6
    # ... and the origin, 1 h 40 min of slack at 30 km/h, covers the whole 25 km disc.
    snap = haditha_2h.snaps[0]
    centre = shapely.Point(fwd.transform(snap.lon, snap.lat))
    disc = shapely.buffer(centre, cap_m - 300)
    assert shapely.difference(disc, band).area < 1e-3 * disc.area


def test_roads_mode_is_the_old_corridor(western_iraq: RoadNetwork, haditha_2h: Reach) -> None:
    corridor = reach(
        Location("Haditha", *HADITHA, "test"), hours=[1, 2], net=western_iraq, area="roads"
    )
    assert corridor.area == "roads" and "buffered by 5 km" in "\n".join(corridor.assumptions)
    # The 5 km corridor lies inside the reachable area except where the limit runs out.
    assert (corridor.bands["area_km2"] < haditha_2h.bands["area_km2"]).all()
    with pytest.raises(ReachError, match="area must be"):
        reach("Haditha", hours=[1], net=western_iraq, area="hull")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- contours
def test_valhalla_contours_equal_hours_and_km(western_iraq: RoadNetwork, haditha_2h: Reach) -> None:
    by_time = reach(
        Location("Haditha", *HADITHA, "test"),
        contours=[{"time": 120, "color": "ff0000"}, {"time": 60}],
        net=western_iraq,
    )
    assert by_time.limits == (1.0, 2.0) and by_time.unit == "h"
    np.testing.assert_allclose(by_time.bands["area_km2"], haditha_2h.bands["area_km2"])
    assert list(by_time.bands["contour"]) == [60.0, 120.0]
    assert set(by_time.bands["metric"]) == {"time"}
    by_km = reach("Haditha", contours=[{"distance": 100}], net=western_iraq)  # via the facade
    assert by_km.limits == (100.0,) and by_km.unit == "km"
    assert list(by_km.bands["metric"]) == ["distance"]


@pytest.mark.parametrize(
    ("contours", "message"),
    [
        ([{"time": 60}, {"distance": 100}], "all be 'time' or all 'distance'"),
        ([{"minutes": 60}], "a contour is"),
        ([{"time": 60, "distance": 5}], "a contour is"),
        ([{"time": -5}], "positive numbers"),
        ([], "no band limits"),
        ({"time": 60}, "must be a list"),
    ],
)
def test_bad_contours(western_iraq: RoadNetwork, contours: Any, message: str) -> None:
    with pytest.raises(ReachError, match=message):
        reach("Haditha", contours=contours, net=western_iraq)


def test_contours_and_hours_together(western_iraq: RoadNetwork) -> None:
    with pytest.raises(ReachError, match="exactly one"):
        reach("Haditha", hours=[1], contours=[{"time": 60}], net=western_iraq)


# --------------------------------------------------------------------------- writers
def test_geopackage_has_one_layer_per_kind(haditha_2h: Reach, tmp_path: Path) -> None:
    (path,) = write_layers(tmp_path / "reach.gpkg", haditha_2h.layers())
    assert [name for name, _ in pyogrio.list_layers(path)] == list(LAYERS)
    bands = gpd.read_file(path, layer="bands")
    assert set(bands.geom_type) <= {"Polygon", "MultiPolygon"} and len(bands) == 2
    assert "30 km/h" in bands["assumptions"].iloc[0]
    assert "OpenStreetMap" in bands["attribution"].iloc[0]
    places = gpd.read_file(path, layer="places")
    assert set(places.geom_type) == {"Point"} and "within_2_h" in places
    assert places["within_2_h"].sum() == haditha_2h.places["reached"].sum()
    roads = gpd.read_file(path, layer="roads")
    assert len(roads) == len(haditha_2h.edges) and (roads["osmid"] < 0).all()  # tiles: no OSM ids
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_geojson_writes_one_file_per_kind(haditha_2h: Reach, tmp_path: Path) -> None:
    written = write_layers(tmp_path / "reach.geojson", haditha_2h.layers())
    assert [p.name for p in written] == [f"reach.{kind}.geojson" for kind in LAYERS]
    bands = gpd.read_file(written[0])
    assert set(bands.geom_type) <= {"Polygon", "MultiPolygon"}
    assert list(bands["contour"]) == [60.0, 120.0]
    assert set(gpd.read_file(written[1]).geom_type) == {"Point"}
    # One kind alone, as Valhalla answers: the bands with the assumptions alongside.
    collection = haditha_2h.to_geojson()
    assert [f["properties"]["band"] for f in collection["features"]] == ["<= 1 h", "<= 2 h"]
    assert "30 km/h" in " ".join(collection["properties"]["assumptions"])
    with pytest.raises(InvalidArgumentError, match="unknown layer"):
        haditha_2h.to_geojson("towns")


def test_bad_paths_fail_before_writing(haditha_2h: Reach, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with read_only(folder), pytest.raises(OutputError, match="permission denied") as err:
        write_layers(folder / "reach.gpkg", haditha_2h.layers())
    assert err.value.exit_code == 3
    for name, message in (("reach.shp", "unknown format"), ("reach.gpx", "not the polygons")):
        with pytest.raises(InvalidArgumentError, match=message) as bad:
            write_layers(tmp_path / name, haditha_2h.layers())
        assert bad.value.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and not list(folder.iterdir())


def test_missing_folders_are_created(haditha_2h: Reach, tmp_path: Path) -> None:
    written = write_layers(tmp_path / "new" / "sub" / "reach.geojson", haditha_2h.layers())
    assert len(written) == 4 and all(p.stat().st_size > 0 for p in written)


def test_failed_write_leaves_no_partial_file(
    haditha_2h: Reach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gpd.GeoDataFrame.to_file

    def fail_on_places(frame: Any, path: Any, layer: str | None = None, **kwargs: Any) -> None:
        if layer == "places":
            raise OSError(28, "No space left on device")
        real(frame, path, layer=layer, **kwargs)

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", fail_on_places)
    with pytest.raises(OutputError, match="No space left"):
        write_layers(tmp_path / "reach.gpkg", haditha_2h.layers())
    assert not list(tmp_path.iterdir())


def test_nothing_reachable_is_an_off_network_error(western_iraq: RoadNetwork) -> None:
    # 20 km off the road at 30 km/h takes 40 min: nothing is left for a 30 min band.
    with pytest.raises(OffNetworkError, match=r"nothing is reachable within 0\.5 h"):
        reach(Location("desert", 42.37, 34.32, "test"), hours=[0.5], net=western_iraq)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--out", "{ro}/r.gpkg"], 3, "permission denied"),
        (["--out", "{ro}/r.geojson", "--out", "{tmp}/r.png"], 3, "permission denied"),
        (["--out", "{tmp}/file/r.gpkg"], 3, "is a file, not a folder"),
        (["--out", "{tmp}/r.shp"], 2, "use one of .png, .svg, .pdf (map) or .geojson, .gpkg"),
        (["--out", "{tmp}/r.gpx"], 2, "GPX holds lines and points, not the polygons"),
        (["--out", "{tmp}/r.gpkg", "--hours", "abc"], 2, "numbers separated by commas"),
    ],
)
def test_cli_bad_outputs_write_nothing(
    args: list[str], code: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    (tmp_path / "file").write_text("x", "utf-8")
    argv = ["reach", "Haditha", *(a.format(tmp=tmp_path, ro=ro) for a in args)]
    with read_only(ro):
        assert main(argv) == code
    err = " ".join(capsys.readouterr().err.split())
    assert message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "ro"]
    assert not list(ro.iterdir())


def test_cli_origin_off_network_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = [str(tmp_path / "r.gpkg"), str(tmp_path / "r.geojson"), str(tmp_path / "r.png")]
    assert main(["reach", "20,10", "--hours", "1", *[f"--out={p}" for p in out]]) == 4
    assert "origin" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_cli_writes_every_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["reach", "Haditha", "--hours", "1,2", "--out", str(tmp_path / "r.gpkg")]
    assert main([*argv, "--out", str(tmp_path / "r.geojson")]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["r.gpkg", *(f"r.{kind}.geojson" for kind in LAYERS)])
    assert "wrote" in capsys.readouterr().out


def test_cli_json_summary_carries_the_band_areas(
    haditha_2h: Reach, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reach", "34.13,42.37", "--hours", "1,2", "--json"]) == 0  # lat,lon
    doc = json.loads(capsys.readouterr().out)
    bands = doc["summary"]["bands"]
    assert [b["limit_h"] for b in bands] == [1.0, 2.0]
    assert [b["limit_min"] for b in bands] == [60.0, 120.0]
    np.testing.assert_allclose(
        [b["area_km2"] for b in bands], haditha_2h.bands["area_km2"], rtol=1e-3
    )
    assert "30 km/h" in doc["summary"]["area"]


@pytest.mark.parametrize("hours", [0.5, 3.0])
def test_area_is_the_union_of_every_hull(western_iraq: RoadNetwork, hours: float) -> None:
    """Oracle: every hull built and merged by GEOS (the raster core only skips inner ones)."""
    from routing.analysis import reach as module

    origin = Location("Haditha", *HADITHA, "test")
    engine = module.get_engine(western_iraq)
    search = module._Search.run(
        engine,
        engine.weights(module.get_profile("car")),
        [module._origin_candidates(western_iraq, origin, 25_000.0)],
    )
    proj = module._project(western_iraq, [origin])
    xy, radius, a, b = module._disc_segments(search, hours * 3600.0, 25_000.0, proj)
    # Each disc as its 32 vertices (a road tip reached at the limit is one point).
    angle = np.linspace(0.0, 2 * np.pi, 32, endpoint=False)
    rings = [
        shapely.multipoints(np.column_stack([x + r * np.cos(angle), y + r * np.sin(angle)]))
        for (x, y), r in zip(xy, radius, strict=True)
    ]
    hulls = [
        shapely.convex_hull(shapely.union(rings[i], rings[j])) for i, j in zip(a, b, strict=True)
    ]
    whole = shapely.union_all(hulls)

    ours = module._merged_hulls(xy, radius, a, b)
    core = module._core(xy, radius)[0].polygon
    assert core.area > 0.2 * whole.area  # the core stands in for many hulls
    assert shapely.difference(core, whole).area < 1e-9 * whole.area  # and lies inside them
    assert ours.area == pytest.approx(whole.area, rel=1e-9)
    assert shapely.symmetric_difference(ours, whole).area < 1e-9 * whole.area
