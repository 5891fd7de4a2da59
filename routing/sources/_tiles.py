"""Reading Mapbox vector tiles from a ``{z}/{x}/{y}.pbf`` folder, an MBTiles or a PMTiles file.

Only what the road network and its maps need is decoded: line features of the road layers,
their names, place points, international borders, water polygons and river lines. Tiles are
parsed by protobuf's C parser with the specification's schema (:mod:`._mvt`) and geometry
commands are decoded with numpy, which is several times faster than decoding every layer of
every tile into GeoJSON-like dicts.

Every tile is checked as it is read; a bad one is a
:class:`~routing.exceptions.DataFormatError` naming it. The rule for what counts as bad:

* zero stored bytes: never a tile. MBTiles blobs are gzip, and zero bytes is no gzip stream;
  tile folders written by OpenMapTiles, tilemaker, planetiler or tippecanoe leave a tile with
  no content out rather than writing an empty file. A legitimately empty tile is recognised
  by its format: a valid (usually gzipped, 20 bytes) vector tile with no layers.
* a gzip stream that does not decompress whole (truncated), or bytes that are not a vector
  tile message;
* a tile whose coordinates cannot exist at its zoom (x or y outside 0..2^z-1), or a zoom
  outside the ``minzoom``..``maxzoom`` its metadata declares (a tile of another zoom copied in);
* with a manifest (:mod:`routing.sources._manifest`), a tile whose size or SHA-256 differs.

Which absent tiles are missing is decided where the extent is known (see
:mod:`routing.sources._tilecheck`).
"""

from __future__ import annotations

import gzip
import math
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..exceptions import BadTileError, DataFormatError
from ._manifest import Manifest, default_manifest_path, read_manifest, tile_name
from ._mvt import GEOM_LINE, GEOM_POINT, GEOM_POLYGON, Tile
from ._tilestore import TileStore, open_store

__all__ = [
    "DecodedTile",
    "TileSet",
    "edge_exits",
    "has_roads",
    "lonlat_to_tile",
    "road_exits",
    "tile_range",
    "tile_to_lonlat",
]


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional XYZ tile coordinates (y counted from the top) of a point."""
    n = 2**z
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_range(bbox: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """XYZ tiles ``(x0, x1, y0, y1)`` (inclusive) that a lon/lat bbox touches at zoom ``z``."""
    n = 2**z - 1
    x0, y1 = lonlat_to_tile(bbox[0], bbox[1], z)
    x1, y0 = lonlat_to_tile(bbox[2], bbox[3], z)
    return (
        min(max(math.floor(x0), 0), n),
        min(max(math.floor(x1), 0), n),
        min(max(math.floor(y0), 0), n),
        min(max(math.floor(y1), 0), n),
    )


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
    """A vector tile pyramid: a ``{z}/{x}/{y}.pbf`` folder, an ``.mbtiles`` or ``.pmtiles`` file.

    Parameters
    ----------
    path
        The folder or file; where the tiles are kept is :mod:`._tilestore`'s business.
    """

    path: Path
    metadata: dict[str, Any] = field(init=False)
    store: TileStore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.store = open_store(self.path)
        self.metadata = self.store.metadata()

    @property
    def kind(self) -> str:
        """``"tile directory"``, ``"MBTiles"`` or ``"PMTiles"``."""
        return self.store.kind

    @cached_property
    def manifest(self) -> Manifest | None:
        """The source's manifest at its default place, if one was made."""
        path = default_manifest_path(self.path)
        return read_manifest(path) if path.is_file() else None

    def metadata_digest(self) -> str:
        """SHA-256 of the source's metadata (TileJSON file, MBTiles table, PMTiles JSON)."""
        return self.store.metadata_digest()

    def zooms(self) -> list[int]:
        """Zoom levels present.

        Raises
        ------
        DataFormatError
            A zoom lies outside the ``minzoom``..``maxzoom`` the metadata declares.
        """
        found = self.store.zooms()
        low, high = self._declared_zooms()
        stray = [z for z in found if not low <= z <= high]
        if stray:
            raise DataFormatError(
                f"{self.path} holds tiles at zoom {stray[0]}, outside the zooms {low}..{high} "
                "its metadata declares (tiles of another zoom copied in?)"
            )
        return found

    def _declared_zooms(self) -> tuple[int, int]:
        try:
            return int(self.metadata.get("minzoom", 0)), int(self.metadata.get("maxzoom", 30))
        except (TypeError, ValueError):
            return 0, 30

    def listing(self, z: int) -> list[tuple[int, int]]:
        """XYZ ``(x, y)`` of every tile stored at zoom ``z``, unchecked (see :meth:`tiles`)."""
        return self.store.listing(z)

    def tiles(
        self, z: int, bbox: tuple[float, float, float, float] | None = None
    ) -> list[tuple[int, int]]:
        """XYZ ``(x, y)`` of the tiles present at zoom ``z``, optionally within a lon/lat bbox.

        Raises
        ------
        DataFormatError
            A stored tile's coordinates cannot exist at zoom ``z``.
        """
        found = self.listing(z)
        impossible = [t for t in found if not (0 <= t[0] < 2**z and 0 <= t[1] < 2**z)]
        if impossible:
            x, y = impossible[0]
            raise BadTileError(
                tile_name(z, x, y),
                f"cannot exist at zoom {z} (x and y run 0..{2**z - 1}), a tile of another zoom?",
                self.path,
            )
        if bbox is not None:
            x0, x1, y0, y1 = tile_range(bbox, z)
            found = [(x, y) for x, y in found if x0 <= x <= x1 and y0 <= y <= y1]
        return found

    # ------------------------------------------------------------------- data
    def stored(self, z: int, x: int, y: int) -> bytes | None:
        """The bytes stored for XYZ tile ``z/x/y`` as they are (maybe gzip), ``None`` if absent.

        Raises
        ------
        DataNotFoundError
            The tile exists but cannot be read.
        """
        return next((data for _, _, data in self.store.stored_at(z, [(x, y)])), None)

    def iter_stored(self) -> Iterator[tuple[int, int, int, bytes]]:
        """Yield ``(z, x, y, stored bytes)`` of every tile of every zoom (XYZ rows), unchecked."""
        return self.store.iter_stored()

    def iter_raw(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        """Yield ``(x, y, bytes)`` for the given XYZ tiles, checked and decompressed if gzipped.

        Raises
        ------
        DataFormatError
            A tile is bad (see the module docstring), naming it.
        """
        manifest = self.manifest
        for x, y, data in self.iter_stored_at(z, tiles):
            yield x, y, self.unpack(z, x, y, data, manifest)

    def iter_stored_at(
        self, z: int, tiles: list[tuple[int, int]]
    ) -> Iterator[tuple[int, int, bytes]]:
        """Yield ``(x, y, stored bytes)`` of the given XYZ tiles that exist, unchecked."""
        return self.store.stored_at(z, tiles)

    def unpack(
        self, z: int, x: int, y: int, data: bytes, manifest: Manifest | None = None
    ) -> bytes:
        """Check a tile's stored bytes and undo their gzip.

        Raises
        ------
        DataFormatError
            Zero bytes, a broken gzip stream, or bytes that differ from ``manifest``.
        """
        name = tile_name(z, x, y)
        if not data:
            raise BadTileError(
                name,
                "empty (0 bytes), an interrupted copy? (an empty tile is a valid vector tile "
                "with no layers, or no file at all)",
                self.path,
            )
        if manifest is not None and (problem := manifest.problem(name, data)):
            raise BadTileError(name, problem, self.path)
        if data[:2] != b"\x1f\x8b":
            return data
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise BadTileError(
                name, f"not a whole gzip stream ({exc}), truncated?", self.path
            ) from exc


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
    tile = Tile()
    try:
        tile.ParseFromString(data)
    except Exception as exc:  # protobuf raises its own DecodeError subclasses
        raise BadTileError(tile_name(z, x, y), f"not a valid vector tile ({exc})") from exc
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
                (gtype == GEOM_LINE and wants_lines)
                or (gtype == GEOM_POINT and wants_points)
                or (gtype == GEOM_POLYGON and wants_polygons)
            ):
                continue
            tags = feature.tags
            props = {keys[tags[j]]: values[tags[j + 1]] for j in range(0, len(tags), 2)}
            if accept is not None and not accept(props):
                continue
            parts = _decode_geometry(np.asarray(feature.geometry, dtype=np.uint32))
            if gtype == GEOM_POLYGON:
                out.polygons += [(name, props, rings) for rings in _group_rings(parts)]
                continue
            target = out.lines if gtype == GEOM_LINE else out.points
            for part in parts:
                if gtype == GEOM_LINE and len(part) < 2:
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


def _road_lines(t: DecodedTile, classes: set[str] | None) -> list[np.ndarray]:
    return [
        xy
        for layer, props, xy in t.lines
        if layer.startswith("transportation")
        and not layer.startswith("transportation_name")
        and (classes is None or props.get("class") in classes)
    ]


def has_roads(t: DecodedTile, classes: set[str] | None = None) -> bool:
    """Whether ``t`` holds road lines (of ``classes``, default any)."""
    return bool(_road_lines(t, classes))


def edge_exits(t: DecodedTile, ends: np.ndarray) -> set[tuple[int, int]]:
    """Neighbouring XYZ tiles that road pieces clipped to ``t`` and ending at ``ends`` enter.

    A piece that ends on the tile's edge, between the corners, was cut there: the road goes
    on into the tile on that side, so that tile holds a road.
    """
    e = t.extent
    along_x = (ends[:, 0] > 0) & (ends[:, 0] < e)
    along_y = (ends[:, 1] > 0) & (ends[:, 1] < e)
    sides = (
        ((t.x - 1, t.y), (ends[:, 0] <= 0) & along_y),
        ((t.x + 1, t.y), (ends[:, 0] >= e) & along_y),
        ((t.x, t.y - 1), (ends[:, 1] <= 0) & along_x),
        ((t.x, t.y + 1), (ends[:, 1] >= e) & along_x),
    )
    return {tile for tile, on_edge in sides if on_edge.any()}


def road_exits(t: DecodedTile, classes: set[str] | None = None) -> set[tuple[int, int]]:
    """Neighbouring XYZ tiles that roads of ``t`` (of ``classes``, default any) run into.

    Lines are clipped to the tile (vertices in the buffer beyond an edge are not enough:
    tilemaker keeps whole lines that only graze a corner) and judged by :func:`edge_exits`.
    """
    lines = _road_lines(t, classes)
    if not lines:
        return set()
    e = t.extent
    parts = shapely.get_parts(
        shapely.clip_by_rect(np.asarray([shapely.linestrings(xy) for xy in lines]), 0, 0, e, e)
    )
    parts = parts[~shapely.is_empty(parts)]
    if not len(parts):
        return set()
    ends = np.concatenate([shapely.get_point(parts, 0), shapely.get_point(parts, -1)])
    return edge_exits(t, shapely.get_coordinates(ends))
