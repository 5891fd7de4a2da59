"""Tile integrity: bad tiles named when read, missing tiles by the promise rule, manifests."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from routing.exceptions import BadTileError, DataFormatError, DataWarning
from routing.settings import data_dir
from routing.sources._manifest import read_manifest
from routing.sources._tilecheck import check_tiles, make_manifest
from routing.sources._tiles import TileSet, decode_tile, road_exits
from routing.sources._vectortiles import MAJOR_CLASSES, network_from_tiles

PLANET = data_dir() / "openmaptiles-planet-z7"
WESTERN_IRAQ = (38.0, 31.0, 45.6, 36.2)
# Husaybah sits in 7/78/50; Baghdad in 7/79/51.
ON_ROUTE = Path("7/78/50.pbf")


@pytest.fixture()
def planet(tmp_path: Path) -> Path:
    """A writable copy of the z7 planet tiles."""
    return Path(shutil.copytree(PLANET, tmp_path / "planet"))


def _gzip_truncated(data: bytes) -> bytes:
    packed = gzip.compress(data)
    return packed[: len(packed) // 2]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: b"", r"empty \(0 bytes\)"),
        (lambda d: d[: len(d) // 2], "not a valid vector tile"),
        (_gzip_truncated, "not a whole gzip stream"),
        (lambda d: gzip.compress(b"\xff" * 64), "not a valid vector tile"),
    ],
)
def test_bad_tile_is_named_when_read(planet: Path, damage: object, reason: str) -> None:
    tile = planet / ON_ROUTE
    tile.write_bytes(damage(tile.read_bytes()))  # type: ignore[operator]
    with pytest.raises(BadTileError, match=reason) as err:
        network_from_tiles(TileSet(planet), bbox=WESTERN_IRAQ, classes=MAJOR_CLASSES)
    assert err.value.tile == "7/78/50" and str(planet) in str(err.value)
    report = check_tiles(TileSet(planet), bbox=WESTERN_IRAQ, roads=False)
    assert [(p.tile, bool(re.search(reason, p.problem))) for p in report.bad] == [("7/78/50", True)]


def test_legitimately_empty_tile_is_recognised_by_its_format(planet: Path) -> None:
    # A gzip of a message with no layers: how tilemaker stores an empty tile (20 bytes).
    empty = gzip.compress(b"")
    assert decode_tile(gzip.decompress(empty), 7, 0, 0, None, set()).lines == []
    (planet / "7/81/53.pbf").write_bytes(empty)
    report = check_tiles(TileSet(planet))
    assert report.ok and report.checked == 36
    # Roads of its neighbours run into it, so it is reported as a gap (not an error).
    assert [p.tile for p in report.gaps] == ["7/81/53"]


def test_region_extent_promises_its_tiles(planet: Path) -> None:
    (planet / ON_ROUTE).unlink()
    with pytest.raises(DataFormatError, match=r"7/78/50 .absent, but inside the region"):
        network_from_tiles(
            TileSet(planet), bbox=WESTERN_IRAQ, classes=MAJOR_CLASSES, required=WESTERN_IRAQ
        )
    # Without a promise, the hole is a gap: roads of its neighbours run into it.
    with pytest.warns(DataWarning, match="7/78/50"):
        net = network_from_tiles(TileSet(planet), bbox=WESTERN_IRAQ, classes=MAJOR_CLASSES)
    assert net.build_report["tile_gaps"] == 1


def test_clean_sources_have_no_problems() -> None:
    report = check_tiles(TileSet(PLANET), bbox=WESTERN_IRAQ, required=WESTERN_IRAQ)
    assert report.ok and not report.gaps and report.checked == 12
    # The outer ring's roads run into tiles the regional extract never had: not gaps.
    assert check_tiles(TileSet(PLANET)).gaps == []


def test_tile_of_impossible_coordinates(planet: Path) -> None:
    (planet / "7" / "300").mkdir()
    shutil.copy(planet / ON_ROUTE, planet / "7" / "300" / "50.pbf")
    with pytest.raises(BadTileError, match="cannot exist at zoom 7"):
        TileSet(planet).tiles(7)
    assert [p.tile for p in check_tiles(TileSet(planet), roads=False).bad] == ["7/300/50"]


def test_zoom_outside_the_declared_range(planet: Path) -> None:
    (planet / "8" / "157").mkdir(parents=True)
    shutil.copy(planet / ON_ROUTE, planet / "8" / "157" / "101.pbf")
    with pytest.raises(DataFormatError, match=r"zoom 8, outside the zooms 0\.\.7"):
        TileSet(planet).zooms()


def test_road_exits_point_at_neighbours_that_hold_roads() -> None:
    ts = TileSet(PLANET)
    ((x, y, data),) = list(ts.iter_raw(7, [(78, 50)]))
    exits = road_exits(decode_tile(data, 7, x, y, None, set()))
    assert exits and exits <= {(77, 50), (79, 50), (78, 49), (78, 51)}
    assert exits <= set(ts.tiles(7))


def test_manifest_pins_every_tile(planet: Path, tmp_path: Path) -> None:
    ts = TileSet(planet)
    made = make_manifest(ts)
    assert len(made.tiles) == 36
    file = tmp_path / "m.json"
    file.write_text(made.to_json(), encoding="utf-8")
    assert read_manifest(file) == made
    # A valid tile of another place under this name: only the manifest can tell.
    shutil.copy(planet / "7/81/53.pbf", planet / ON_ROUTE)
    (planet / "7/76/48.pbf").unlink()
    report = check_tiles(TileSet(planet), manifest=read_manifest(file))
    assert [p.tile for p in report.bad] == ["7/78/50"]
    assert [p.tile for p in report.missing] == ["7/76/48"]
    # Kept beside the data, every build checks it.
    (planet / "routing-manifest.json").write_text(made.to_json(), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"7/76/48|7/78/50"):
        network_from_tiles(TileSet(planet), classes=MAJOR_CLASSES)


@pytest.mark.parametrize("text", ["", "{}", '{"format": "routing-tile-manifest/1"}', "[1]"])
def test_unusable_manifest(tmp_path: Path, text: str) -> None:
    file = tmp_path / "m.json"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(DataFormatError, match="manifest"):
        read_manifest(file)
