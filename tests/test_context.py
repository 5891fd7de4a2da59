"""Map context (water, rivers, borders, country names) read from the tiles with the network."""

from __future__ import annotations

from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from routing.cache import load_cached, save_cached
from routing.gazetteer import find_place
from routing.network import MapContext, RoadNetwork
from routing.settings import data_dir
from routing.sources._context import context_from_tiles
from routing.sources._tiles import TileSet, tile_to_lonlat

OSM = data_dir()
assert OSM is not None
PLANET = OSM / "openmaptiles-planet-z7"


def _context(net: RoadNetwork) -> MapContext:
    assert net.context is not None
    return net.context


def _reference_water(ts: TileSet, z: int) -> shapely.Geometry:
    """Water of every tile by the reference decoder, cut to the tiles, in lon/lat."""
    pieces = []
    for x, y, data in ts.iter_raw(z, ts.tiles(z)):
        layers = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
        if "water" not in layers:
            continue
        layer = layers["water"]
        extent = layer["extent"]
        for feature in layer["features"]:
            geom = shapely.make_valid(shapely.geometry.shape(feature["geometry"]))
            geom = shapely.intersection(geom, shapely.box(0, 0, extent, extent))

            def to_lonlat(xy: np.ndarray, x: int = x, y: int = y, e: int = extent) -> np.ndarray:
                lon, lat = tile_to_lonlat(x + xy[:, 0] / e, y + xy[:, 1] / e, z)
                return np.column_stack([lon, lat])

            pieces.append(shapely.transform(geom, to_lonlat))
    return shapely.union_all(pieces)


def test_water_area_matches_reference_decoder(western_iraq: RoadNetwork) -> None:
    ctx = _context(western_iraq)
    assert ctx.zoom == 7
    assert shapely.is_valid(ctx.water).all()
    reference = _reference_water(TileSet(PLANET), 7)
    ours = shapely.union_all(ctx.water)
    # Simplified to ~6 tile units: the areas agree to a fraction of a percent, and the two
    # cover the same places.
    assert shapely.area(ours) == pytest.approx(shapely.area(reference), rel=0.01)
    sym = shapely.area(shapely.symmetric_difference(ours, reference))
    assert sym < 0.02 * shapely.area(reference)


def test_lakes_and_euphrates_where_the_towns_are(western_iraq: RoadNetwork) -> None:
    ctx = _context(western_iraq)
    water = shapely.union_all(ctx.water)
    rivers = shapely.union_all(ctx.waterways)
    # Points well inside Lake Qadisiyah (behind the Haditha dam) and Lake Tharthar.
    for lon, lat in ((42.15, 34.35), (43.3, 34.0)):
        assert shapely.contains(water, shapely.Point(lon, lat)), (lon, lat)
    # The Euphrates runs through these towns (gazetteer points; a town is a few km across).
    for town in ("Hit", "Ramadi", "Fallujah", "Anah"):
        p = find_place(town, western_iraq)
        d_deg = shapely.distance(shapely.Point(p.lon, p.lat), shapely.union_all([rivers, water]))
        assert d_deg * 111 < 4.0, town


def test_border_sides_name_the_country_on_each_side(western_iraq: RoadNetwork) -> None:
    ctx = _context(western_iraq)
    # Abu Kamal is in Syria, Al-Qa'im in Iraq (GeoNames country codes): each lies on the
    # side of the nearest IRQ/SYR border line that the context names for it.
    pairs = {frozenset(s) for s in map(tuple, ctx.border_sides)}
    assert frozenset(("IRQ", "SYR")) in pairs
    for town, code in (("Abu Kamal", "SYR"), ("Al-Qa'im", "IRQ"), ("Rutbah", "IRQ")):
        p = find_place(town, western_iraq)
        assert p.country_name in ("Syria", "Iraq")
        point = shapely.Point(p.lon, p.lat)
        lines = ctx.borders
        i = int(np.argmin(shapely.distance(lines, point)))
        line = lines[i]
        at = line.project(point)
        a, b = line.interpolate(max(at - 1e-3, 0)), line.interpolate(min(at + 1e-3, line.length))
        cross = (b.x - a.x) * (p.lat - a.y) - (b.y - a.y) * (p.lon - a.x)
        left, right = ctx.border_sides[i]
        assert (left if cross > 0 else right) == code, town


def test_country_label_points(western_iraq: RoadNetwork) -> None:
    countries = _context(western_iraq).countries.set_index("name")
    assert {"Iraq", "Syria", "Jordan", "Saudi Arabia", "Turkey"} <= set(countries.index)
    assert 42 < countries.loc["Iraq", "x"] < 46 and 31 < countries.loc["Iraq", "y"] < 35
    assert countries.loc["Iraq", "rank"] <= 2


def test_context_covers_more_than_the_roads(western_iraq: RoadNetwork) -> None:
    w, s, e, n = _context(western_iraq).extent
    rw, rs, re_, rn = western_iraq.bbox
    assert w < rw and s < rs and e > re_ and n > rn


def test_z14_source_reads_context_at_a_low_zoom(syria_cut: RoadNetwork) -> None:
    ctx = _context(syria_cut)
    assert ctx.zoom == 8
    # The Euphrates passes Deir ez-Zor (40.14 E, 35.33 N).
    rivers = shapely.union_all(ctx.waterways)
    assert shapely.distance(rivers, shapely.Point(40.14, 35.33)) * 111 < 3.0
    assert len(ctx.water) > 0


def test_source_without_low_zoom_has_no_context(tmp_path: Path) -> None:
    (tmp_path / "14").mkdir()
    assert context_from_tiles(TileSet(tmp_path), zoom=14, bbox=None) is None


def test_context_survives_the_cache(western_iraq: RoadNetwork, tmp_path: Path) -> None:
    path = tmp_path / "net.npz"
    save_cached(western_iraq, path)
    a, b = _context(western_iraq), _context(load_cached(path))
    for name in ("water", "waterways", "borders"):
        assert shapely.equals_exact(getattr(a, name), getattr(b, name), 0).all(), name
    np.testing.assert_array_equal(a.border_sides, b.border_sides)
    assert a.countries.equals(b.countries)
    assert (a.zoom, a.extent) == (b.zoom, b.extent)
