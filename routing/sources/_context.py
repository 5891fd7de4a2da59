"""Map context from vector tiles: water, rivers, borders and country names around a network.

Maps need the Euphrates and the lakes, the countries and where they meet; routing does not.
The context is read once, from a low zoom (at most :data:`CONTEXT_MAX_ZOOM`) over a wider area
than the roads (the locator inset shows the map in its surroundings), pieced together across
tile edges and simplified to map scale, so it adds a few dozen small tiles to a network build
and a few hundred kilobytes to its cache.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..network import MapContext
from ._tiles import DecodedTile, TileSet, decode_tile, tile_to_lonlat

__all__ = ["CONTEXT_MAX_ZOOM", "context_from_tiles"]

# Zoom 8 holds rivers, lakes and borders at ~300 m detail: enough for maps of 50-1000 km.
CONTEXT_MAX_ZOOM = 8
# Douglas-Peucker tolerance in tile units of the context zoom (~0.5 px on a 1600 px map).
_SIMPLIFY_UNITS = 6.0
# Rivers and canals (streams and drains are below map scale), land borders between
# countries, country label points: other features are dropped before their geometry is read.
_FEATURE_FILTER = {
    "waterway": lambda props: props.get("class") in ("river", "canal"),
    "boundary": lambda props: props.get("admin_level") == 2 and not props.get("maritime"),
    "place": lambda props: props.get("class") == "country",
}
_LINE_LAYERS = {"waterway", "boundary"}


def context_from_tiles(
    ts: TileSet, *, zoom: int, bbox: tuple[float, float, float, float] | None
) -> MapContext | None:
    """Water, rivers, international borders and country label points around ``bbox``.

    Parameters
    ----------
    ts
        The tile source of the network.
    zoom
        The network's zoom; the context is read at the highest zoom present up to
        ``min(zoom, CONTEXT_MAX_ZOOM)``.
    bbox
        ``(west, south, east, north)`` of the network; the context covers it and as much
        again on every side (``None``: every tile at that zoom).

    Returns
    -------
    MapContext or None
        ``None`` when the source has no zoom low enough.
    """
    zooms = [z for z in ts.zooms() if z <= min(zoom, CONTEXT_MAX_ZOOM)]
    if not zooms:
        return None
    z = max(zooms)
    area = None
    if bbox is not None:
        w, s, e, n = bbox
        dx, dy = e - w, n - s
        area = (max(w - dx, -180.0), max(s - dy, -85.0), min(e + dx, 180.0), min(n + dy, 85.0))
    tiles = ts.tiles(z, area)
    water: list[shapely.Geometry] = []
    rivers: list[shapely.Geometry] = []
    borders: list[shapely.Geometry] = []
    sides: list[tuple[str, str]] = []
    countries: dict[str, tuple[float, float, float]] = {}
    extent = 4096
    for x, y, data in ts.iter_raw(z, tiles):
        t = decode_tile(
            data, z, x, y, _LINE_LAYERS, {"place"}, _FEATURE_FILTER, polygon_layers={"water"}
        )
        extent = t.extent
        _collect(t, water, rivers, borders, sides, countries)
    tol = _SIMPLIFY_UNITS / extent
    to_lonlat = _lonlat_transform(z)
    water_ll = shapely.transform(_joined_polygons(water), to_lonlat)
    river_ll = _merged_lines(rivers, tol, to_lonlat)
    if borders:
        border_ll = shapely.transform(
            shapely.simplify(np.asarray(borders), tol, preserve_topology=False), to_lonlat
        )
    else:
        border_ll = np.empty(0, dtype=object)
    keep = ~shapely.is_empty(border_ll)
    frame = pd.DataFrame(
        [
            (name, *to_lonlat(np.array([[gx, gy]]))[0], rank)
            for name, (gx, gy, rank) in countries.items()
        ],
        columns=["name", "x", "y", "rank"],
    )
    gx = np.array([[t[0], t[1]] for t in tiles], dtype=float) if tiles else np.zeros((1, 2))
    corners = to_lonlat(np.vstack([gx.min(axis=0), gx.max(axis=0) + 1]))
    return MapContext(
        water=np.asarray(water_ll[shapely.area(water_ll) > 0], dtype=object),
        waterways=river_ll,
        borders=np.asarray(border_ll[keep], dtype=object),
        border_sides=np.asarray(sides, dtype=str).reshape(-1, 2)[keep],
        countries=frame,
        zoom=z,
        extent=(
            float(corners[0, 0]),
            float(corners[1, 1]),
            float(corners[1, 0]),
            float(corners[0, 1]),
        ),
    )


def _collect(
    t: DecodedTile,
    water: list[shapely.Geometry],
    rivers: list[shapely.Geometry],
    borders: list[shapely.Geometry],
    sides: list[tuple[str, str]],
    countries: dict[str, tuple[float, float, float]],
) -> None:
    """Add one tile's features, in global tile coordinates (tiles wide, y down)."""
    e = float(t.extent)

    def place(xy: np.ndarray) -> np.ndarray:
        return np.asarray((xy + np.array([t.x * e, t.y * e])) / e)

    # Tiles carry a buffer beyond their edge: cut it off so neighbours do not overlap.
    # Simplified first (fewer vertices make the rest cheap); generalised rings may touch or
    # cross themselves, so they are repaired before cutting.
    frame = shapely.box(0, 0, e, e)
    for _layer, _props, rings in t.polygons:
        poly = shapely.simplify(shapely.Polygon(rings[0], rings[1:]), _SIMPLIFY_UNITS)
        parts = shapely.get_parts(shapely.intersection(shapely.make_valid(poly), frame))
        for part in parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]:
            water.append(shapely.transform(part, place))
    for layer, props, xy in t.lines:
        line = shapely.clip_by_rect(shapely.LineString(xy), 0, 0, e, e)
        for part in shapely.get_parts(line):
            if shapely.get_num_coordinates(part) < 2:
                continue
            if layer == "waterway":
                rivers.append(shapely.transform(part, place))
            else:
                borders.append(shapely.transform(part, place))
                # OpenMapTiles names the countries left and right of the line's direction in
                # tile coordinates, y down: on the globe (y up) adm0_l lies to the right.
                sides.append((str(props.get("adm0_r") or ""), str(props.get("adm0_l") or "")))
    for _layer, props, xy in t.points:
        name = _country_name(props)
        if name and name not in countries:
            gx, gy = place(xy)[0]
            countries[name] = (float(gx), float(gy), float(props.get("rank") or 9))


def _country_name(props: dict[str, Any]) -> str:
    """English name of a country label point ("" for other places, or with no Latin name)."""
    if props.get("class") != "country":
        return ""
    name = str(props.get("name:en") or props.get("name_en") or props.get("name_int") or "")
    return name if name.isascii() else ""


def _joined_polygons(pieces: list[shapely.Geometry]) -> np.ndarray:
    """Polygons with the pieces of one lake or sea in neighbouring tiles joined.

    Pieces meet along tile edges (whole numbers in global tile coordinates); joined, the seams
    neither show nor double the fill. Only pieces on a tile edge take part in the union.
    """
    if not pieces:
        return np.empty(0, dtype=object)
    geoms = np.asarray(pieces)
    bounds = shapely.bounds(geoms)
    on_edge = (bounds == np.round(bounds)).any(axis=1)
    joined = shapely.get_parts(shapely.union_all(geoms[on_edge]))
    return np.concatenate([geoms[~on_edge], joined])


def _merged_lines(lines: list[shapely.Geometry], tol: float, to_lonlat: Any) -> np.ndarray:
    """Lines joined across tile edges, simplified, in lon/lat."""
    if not lines:
        return np.empty(0, dtype=object)
    merged = shapely.get_parts(shapely.line_merge(shapely.union_all(lines)))
    simple = shapely.simplify(merged, tol)
    return np.asarray(shapely.transform(simple[~shapely.is_empty(simple)], to_lonlat))


def _lonlat_transform(z: int) -> Any:
    def to_lonlat(xy: np.ndarray) -> np.ndarray:
        lon, lat = tile_to_lonlat(xy[:, 0], xy[:, 1], z)
        return np.column_stack([lon, lat])

    return to_lonlat
