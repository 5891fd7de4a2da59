"""Reading Mapbox vector tiles from a ``{z}/{x}/{y}.pbf`` directory or an MBTiles file.

Only what the road network and its maps need is decoded: line features of the road layers,
their names, place points, international borders, water polygons and river lines. Tiles are
parsed with the protobuf classes shipped by ``mapbox-vector-tile`` (upb, in C) and geometry
commands are decoded with numpy, which is several times faster than decoding every layer of
every tile into GeoJSON-like dicts.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from ..exceptions import DataNotFoundError

__all__ = ["DecodedTile", "TileSet", "lonlat_to_tile", "tile_to_lonlat"]

_GEOM_POINT, _GEOM_LINE, _GEOM_POLYGON = 1, 2, 3


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional XYZ tile coordinates (y counted from the top) of a point."""
    n = 2**z
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_to_lonlat(gx: np.ndarray, gy: np.ndarray, z: int) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of fractional XYZ tile coordinates (vectorised)."""
    n = 2**z
    lon = gx / n * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * gy / n))))
    return lon, lat


@dataclass
class DecodedTile:
    """Features of one tile, coordinates in tile units (y down), not yet placed on the globe.

    ``lines`` holds ``(layer, properties, coords)`` per line part; ``points`` the same for
    point features; ``polygons`` holds ``(layer, properties, rings)`` per polygon, its
    exterior ring first, then its holes (each ring closed).
    """

    z: int
    x: int
    y: int
    extent: int
    lines: list[tuple[str, dict[str, Any], np.ndarray]] = field(default_factory=list)
    points: list[tuple[str, dict[str, Any], np.ndarray]] = field(default_factory=list)
    polygons: list[tuple[str, dict[str, Any], list[np.ndarray]]] = field(default_factory=list)


@dataclass
class TileSet:
    """A vector tile pyramid on disk: a directory of ``.pbf`` files or an ``.mbtiles`` file.

    Parameters
    ----------
    path
        The directory (holding ``{z}/{x}/{y}.pbf``) or the ``.mbtiles`` file.
    """

    path: Path
    metadata: dict[str, Any] = field(init=False)
    is_mbtiles: bool = field(init=False)
    tms: bool = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.path.exists():
            raise DataNotFoundError(f"vector tile source not found: {self.path}")
        self.is_mbtiles = self.path.is_file()
        self.metadata = self._read_metadata()
        # MBTiles rows are TMS (counted from the bottom) by specification; directories are XYZ
        # unless their TileJSON says otherwise.
        self.tms = self.is_mbtiles or self.metadata.get("scheme") == "tms"

    # --------------------------------------------------------------- metadata
    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            con.execute("SELECT 1 FROM tiles LIMIT 1")
        except sqlite3.DatabaseError as exc:
            raise DataNotFoundError(f"{self.path} is not a readable MBTiles file: {exc}") from exc
        return con

    def _read_metadata(self) -> dict[str, Any]:
        if self.is_mbtiles:
            with self._connect() as con:
                meta: dict[str, Any] = dict(con.execute("SELECT name, value FROM metadata"))
            if "json" in meta:
                with contextlib.suppress(json.JSONDecodeError):
                    meta.update(json.loads(meta["json"]))
            return meta
        for name in ("tiles.json", "metadata.json"):
            file = self.path / name
            if file.exists():
                return dict(json.loads(file.read_text(encoding="utf-8")))
        return {}

    def zooms(self) -> list[int]:
        """Zoom levels present."""
        if self.is_mbtiles:
            with self._connect() as con:
                return [r[0] for r in con.execute("SELECT DISTINCT zoom_level FROM tiles")]
        return sorted(int(p.name) for p in self.path.iterdir() if p.is_dir() and p.name.isdigit())

    def tiles(
        self, z: int, bbox: tuple[float, float, float, float] | None = None
    ) -> list[tuple[int, int]]:
        """XYZ ``(x, y)`` of the tiles present at zoom ``z``, optionally within a lon/lat bbox."""
        if self.is_mbtiles:
            with self._connect() as con:
                rows = con.execute(
                    "SELECT tile_column, tile_row FROM tiles WHERE zoom_level = ?", (z,)
                ).fetchall()
            found = [(x, (2**z - 1 - r) if self.tms else r) for x, r in rows]
        else:
            zdir = self.path / str(z)
            found = [
                (int(xd.name), int(f.name.split(".")[0]))
                for xd in (zdir.iterdir() if zdir.is_dir() else [])
                if xd.name.isdigit()
                for f in xd.iterdir()
                if f.name.split(".")[0].isdigit()
            ]
            if self.tms:
                found = [(x, 2**z - 1 - y) for x, y in found]
        if bbox is not None:
            x0, y1 = lonlat_to_tile(bbox[0], bbox[1], z)
            x1, y0 = lonlat_to_tile(bbox[2], bbox[3], z)
            found = [
                (x, y)
                for x, y in found
                if math.floor(x0) <= x <= math.floor(x1) and math.floor(y0) <= y <= math.floor(y1)
            ]
        return sorted(found)

    # ------------------------------------------------------------------- data
    def iter_raw(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        """Yield ``(x, y, bytes)`` for the given XYZ tiles, decompressed if gzipped."""
        if self.is_mbtiles:
            con = self._connect()
            try:
                for x, y in tiles:
                    row = y if not self.tms else 2**z - 1 - y
                    hit = con.execute(
                        "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? "
                        "AND tile_row=?",
                        (z, x, row),
                    ).fetchone()
                    if hit is not None:
                        yield x, y, _maybe_gunzip(hit[0])
            finally:
                con.close()
            return
        for x, y in tiles:
            row = y if not self.tms else 2**z - 1 - y
            file = self.path / str(z) / str(x) / f"{row}.pbf"
            if not file.exists():
                file = file.with_suffix(".mvt")
            yield x, y, _maybe_gunzip(file.read_bytes())


def _maybe_gunzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _value(v: Any) -> Any:
    # proto2 "value" message: exactly one optional field is set.
    fields = v.ListFields()
    return fields[0][1] if fields else None


def _decode_geometry(geom: np.ndarray) -> list[np.ndarray]:
    """Decode MVT point/line commands into parts of ``(n, 2)`` integer tile coordinates."""
    parts: list[np.ndarray] = []
    cursor = np.zeros(2, dtype=np.int64)
    i, n = 0, len(geom)
    current: list[np.ndarray] = []
    while i < n:
        cmd, count = int(geom[i]) & 7, int(geom[i]) >> 3
        i += 1
        if cmd == 7:  # ClosePath: repeat the ring's first vertex
            if current:
                current.append(current[0][:1])
            continue
        raw = geom[i : i + 2 * count].astype(np.int64)
        i += 2 * count
        deltas = ((raw >> 1) ^ -(raw & 1)).reshape(-1, 2)
        pts = cursor + np.cumsum(deltas, axis=0)
        cursor = pts[-1]
        if cmd == 1:  # MoveTo starts a new part (each point of a multipoint is one)
            if current:
                parts.append(np.concatenate(current))
            current = [pts[-1:]]
            if len(pts) > 1:
                parts.extend(p[None, :] for p in pts[:-1])
        else:
            current.append(pts)
    if current:
        parts.append(np.concatenate(current))
    return parts


def decode_tile(
    data: bytes,
    z: int,
    x: int,
    y: int,
    line_layers: set[str] | None,
    point_layers: set[str],
    line_filter: dict[str, Any] | None = None,
    *,
    polygon_layers: Collection[str] = (),
) -> DecodedTile:
    """Decode the wanted layers of one tile.

    Parameters
    ----------
    line_layers
        Names of layers whose line features to keep; ``None`` keeps every layer whose name
        starts with ``transportation`` or ``boundary`` (tilemaker splits roads over several)
        and Natural Earth's ``road`` layer.
    point_layers
        Names of layers whose point features to keep.
    line_filter
        Optional ``{layer: callable(props) -> bool}`` to drop features early.
    polygon_layers
        Names of layers whose polygon features to keep.
    """
    tile = vector_tile_pb2.tile()
    try:
        tile.ParseFromString(data)
    except Exception as exc:  # protobuf raises its own DecodeError subclasses
        raise DataNotFoundError(f"tile {z}/{x}/{y} is not a valid vector tile: {exc}") from exc
    out = DecodedTile(z=z, x=x, y=y, extent=4096)
    for layer in tile.layers:
        name = layer.name
        wants_lines = (
            (name.startswith(("transportation", "boundary")) or name == "road")
            if line_layers is None
            else name in line_layers
        )
        wants_points = name in point_layers
        wants_polygons = name in polygon_layers
        if not (wants_lines or wants_points or wants_polygons):
            continue
        out.extent = layer.extent or 4096
        keys = list(layer.keys)
        values = [_value(v) for v in layer.values]
        accept = (line_filter or {}).get(name)
        for feature in layer.features:
            gtype = feature.type
            if not (
                (gtype == _GEOM_LINE and wants_lines)
                or (gtype == _GEOM_POINT and wants_points)
                or (gtype == _GEOM_POLYGON and wants_polygons)
            ):
                continue
            tags = feature.tags
            props = {keys[tags[j]]: values[tags[j + 1]] for j in range(0, len(tags), 2)}
            if accept is not None and not accept(props):
                continue
            parts = _decode_geometry(np.asarray(feature.geometry, dtype=np.uint32))
            if gtype == _GEOM_POLYGON:
                out.polygons += [(name, props, rings) for rings in _group_rings(parts)]
                continue
            target = out.lines if gtype == _GEOM_LINE else out.points
            for part in parts:
                if gtype == _GEOM_LINE and len(part) < 2:
                    continue
                target.append((name, props, part))
    return out


def _group_rings(rings: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Rings of one MVT polygon feature grouped into polygons, each exterior first.

    MVT 2.x marks an exterior ring by a positive surveyor's-formula area in tile
    coordinates; the interior rings (holes) that follow belong to it.
    """
    polygons: list[list[np.ndarray]] = []
    for ring in rings:
        if len(ring) < 4:
            continue  # degenerate after quantisation
        x, y = ring[:, 0].astype(float), ring[:, 1].astype(float)
        area2 = float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))
        if area2 > 0:
            polygons.append([ring])
        elif area2 < 0 and polygons:
            polygons[-1].append(ring)
    return polygons
