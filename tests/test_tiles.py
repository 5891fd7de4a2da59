"""Vector tile reading: directory and MBTiles sources, row schemes, decoding, bad files."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from routing.exceptions import DataFormatError, DataNotFoundError
from routing.settings import data_dir
from routing.sources._tiles import TileSet, decode_tile, lonlat_to_tile, tile_to_lonlat

OSM = data_dir()
assert OSM is not None
PLANET = OSM / "openmaptiles-planet-z7"
SYRIA = OSM / "syria-2021-08.mbtiles"


def test_directory_source_is_xyz() -> None:
    ts = TileSet(PLANET)
    assert ts.kind == "tile directory" and not ts.store.tms
    assert ts.zooms() == [7]
    assert len(ts.tiles(7)) == 36
    assert ts.tiles(7, (44.0, 33.0, 44.5, 33.5)) == [(79, 51)]  # Baghdad


def test_mbtiles_rows_are_flipped_to_xyz() -> None:
    ts = TileSet(SYRIA)
    assert ts.kind == "MBTiles" and ts.store.tms
    # Damascus (36.29 E, 33.51 N) at z7 is XYZ tile (76, 51); TMS row 127 - 51 = 76.
    assert (76, 51) in ts.tiles(7)
    x, y = lonlat_to_tile(36.29, 33.51, 7)
    assert (int(x), int(y)) == (76, 51)


def test_lonlat_round_trip() -> None:
    x, y = lonlat_to_tile(41.09, 34.37, 14)
    lon, lat = tile_to_lonlat(np.array([x]), np.array([y]), 14)
    assert lon[0] == pytest.approx(41.09) and lat[0] == pytest.approx(34.37)


def test_decode_same_as_reference_decoder() -> None:
    import mapbox_vector_tile

    ts = TileSet(PLANET)
    ((x, y, data),) = list(ts.iter_raw(7, [(79, 51)]))
    ours = decode_tile(data, 7, x, y, {"transportation"}, set())
    ref = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    ref_lines = [
        f["geometry"]["coordinates"]
        for f in ref["transportation"]["features"]
        if f["geometry"]["type"] == "LineString"
    ]
    assert len(ours.lines) >= len(ref_lines) > 100
    np.testing.assert_array_equal(ours.lines[0][2], np.asarray(ref_lines[0]))


def test_gzipped_tiles_are_detected(tmp_path: Path) -> None:
    ts = TileSet(PLANET)
    ((_, _, data),) = list(ts.iter_raw(7, [(79, 51)]))
    (tmp_path / "7" / "79").mkdir(parents=True)
    (tmp_path / "7" / "79" / "51.pbf").write_bytes(gzip.compress(data))
    ((_, _, again),) = list(TileSet(tmp_path).iter_raw(7, [(79, 51)]))
    assert again == data


def test_corrupt_tile_raises() -> None:
    with pytest.raises(DataFormatError, match="not a valid vector tile"):
        decode_tile(b"\x0a\xff\xff\xff garbage", 7, 0, 0, None, set())


def test_not_an_mbtiles_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"this is not sqlite")
    with pytest.raises(DataNotFoundError, match="not a readable MBTiles"):
        TileSet(bad)


def test_missing_source() -> None:
    with pytest.raises(DataNotFoundError, match="not found"):
        TileSet(Path("/nonexistent/tiles"))


def test_polygons_same_as_reference_decoder() -> None:
    import mapbox_vector_tile
    import shapely

    ts = TileSet(PLANET)
    ((x, y, data),) = list(ts.iter_raw(7, [(79, 51)]))  # Baghdad: lakes with islands
    ours = decode_tile(data, 7, x, y, set(), set(), polygon_layers={"water"})
    ref = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["water"]
    ref_geoms = [shapely.geometry.shape(f["geometry"]) for f in ref["features"]]
    ref_polygons = sum(len(shapely.get_parts(g)) for g in ref_geoms)
    assert len(ours.polygons) == ref_polygons > 10
    assert any(len(rings) > 1 for _, _, rings in ours.polygons)  # holes kept with their ring
    area = sum(shapely.Polygon(rings[0], rings[1:]).area for _, _, rings in ours.polygons)
    assert area == pytest.approx(sum(g.area for g in ref_geoms))
