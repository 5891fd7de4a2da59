"""Tile containers: a PMTiles archive written by the pmtiles package's own converter holds the
same tiles as the MBTiles it came from, read through sqlite and pmtiles' reader as oracles,
and builds the same network; broken archives fail with a clear message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from pmtiles.convert import mbtiles_to_pmtiles
from pmtiles.reader import MmapSource, Reader

from routing.cli import main
from routing.exceptions import DataNotFoundError
from routing.settings import data_dir
from routing.sources import load_network
from routing.sources._tiles import TileSet

OSM = data_dir()
assert OSM is not None
SYRIA = OSM / "syria-2021-08.mbtiles"
# Abu Kamal and the Euphrates road upstream: a few dozen z14 tiles.
CUT = (40.85, 34.40, 41.05, 34.50)


@pytest.fixture(scope="module")
def pmtiles_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pmtiles") / "syria.pmtiles"
    mbtiles_to_pmtiles(str(SYRIA), str(out), 14)
    return out


def test_pmtiles_lists_and_returns_the_mbtiles_tiles(pmtiles_file: Path) -> None:
    ts = TileSet(pmtiles_file)
    assert ts.kind == "PMTiles"
    with sqlite3.connect(f"file:{SYRIA}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT zoom_level, tile_column, tile_row FROM tiles").fetchall()
    # MBTiles rows are TMS; the store speaks XYZ.
    expected = sorted((z, x, 2**z - 1 - r) for z, x, r in rows)
    assert sorted((z, x, y) for z in ts.zooms() for x, y in ts.listing(z)) == expected
    with open(pmtiles_file, "rb") as f:
        reader = Reader(MmapSource(f))
        for z, x, y in expected[:: max(1, len(expected) // 300)]:
            assert ts.stored(z, x, y) == reader.get(z, x, y)
    assert ts.metadata["attribution"].startswith("(c) OpenStreetMap contributors")
    assert int(ts.metadata["maxzoom"]) == 14


def test_pmtiles_builds_the_network_the_mbtiles_builds(pmtiles_file: Path) -> None:
    a = load_network(SYRIA, bbox=CUT, progress=False)
    b = load_network(pmtiles_file, bbox=CUT, progress=False)
    assert b.n_edges == a.n_edges > 100
    np.testing.assert_allclose(b.edges["length"].sum(), a.edges["length"].sum())
    assert "PMTiles" in b.meta.source and b.meta.osm_date == a.meta.osm_date


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "not a readable PMTiles"), (b"PMTiles\x03" + b"\x00" * 40, "not a readable PMTiles")],
)
def test_a_broken_archive_is_one_clear_error(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pmtiles"
    bad.write_bytes(content)
    with pytest.raises(DataNotFoundError, match=message):
        TileSet(bad)
    assert main(["data", "info", str(bad)]) == 3
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
