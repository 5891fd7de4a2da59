"""Building a :class:`~routing.network.RoadNetwork` from vector tiles.

Works with the OpenMapTiles planet build (layer ``transportation``, names in
``transportation_name``), tilemaker's OpenMapTiles-like layout, which splits roads over
``transportation``, ``transportation_main``, ``transportation_mid`` and
``transportation_detail`` (names in the matching ``transportation_name*`` layers), and the
Natural Earth tiles (layer ``road`` with ``type`` and ``scalerank``, places in
``place_label``): an independent, non-OSM road network used to cross-check OSM figures.

Natural Earth road types are mapped onto the OpenMapTiles classes (and so onto OSM highway
values) by :data:`NATURALEARTH_CLASSES`: ``Major Highway``/``Beltway`` -> trunk,
``Secondary Highway``/``Bypass`` -> primary, ``Road`` -> secondary, ``Unknown`` -> minor
(OSM unclassified: Natural Earth does not know its class), ``Track`` -> track; ferry routes are
never roads. Natural Earth lines carry no names, refs, one-way or bridge attributes.

Vector tiles carry no OSM ids (OpenMapTiles drops them, and roads are cut at tile edges and
rejoined): nodes and segments get synthetic ids ``-1, -2, ...`` in build order, negative so
that no one takes them for OSM ids.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely
from tqdm.std import tqdm as text_tqdm

from .._geo import EARTH_RADIUS_M
from ..exceptions import (
    BadTileError,
    DataFormatError,
    DataNotFoundError,
    DataOutsideBoundsError,
    DataWarning,
)
from ..network import NetworkMeta, RoadNetwork, empty_places
from ._context import context_from_tiles
from ._noding import Pieces, build_topology
from ._tilecheck import listed, missing_tiles, road_gaps
from ._tiles import (
    DecodedTile,
    TileSet,
    decode_tile,
    edge_exits,
    tile_range,
    tile_to_lonlat,
)

__all__ = ["DRIVE_CLASSES", "MAJOR_CLASSES", "NATURALEARTH_CLASSES", "network_from_tiles"]

# OpenMapTiles road classes that cars use, and the OSM highway value each stands for.
# "minor" covers OSM unclassified, residential, living_street and road.
_OMT_TO_OSM = {
    "motorway": "motorway",
    "trunk": "trunk",
    "primary": "primary",
    "secondary": "secondary",
    "tertiary": "tertiary",
    "minor": "unclassified",
    "service": "service",
    "track": "track",
}
MAJOR_CLASSES = ("motorway", "trunk", "primary")
DRIVE_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "minor")

# Natural Earth road ``type`` -> OpenMapTiles class. Types not listed (ferry routes) are
# not roads.
NATURALEARTH_CLASSES = {
    "Major Highway": "trunk",
    "Beltway": "trunk",
    "Secondary Highway": "primary",
    "Bypass": "primary",
    "Road": "secondary",
    "Unknown": "minor",
    "Track": "track",
}
_NE_ROAD_LAYER = "road"
_NE_PLACE_LAYER = "place_label"
_NE_SOURCE = "Natural Earth roads, not OSM, public domain"
_NE_ATTRIBUTION = "Natural Earth (public domain)"
# Natural Earth places have a population, not a class: a city from this size on.
_NE_CITY_POPULATION = 100_000

_PLACE_KINDS = {"city", "town", "village", "hamlet", "suburb", "capital"}


def _progress_bar() -> Any:
    """tqdm's notebook widget where ipywidgets is installed, its text bar otherwise.

    ``tqdm.auto`` would pick the widget inside Jupyter and, without ipywidgets, warn
    "IProgress not found" into every notebook that imports the package.
    """
    if importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm

        return tqdm
    return text_tqdm


def _osm_date(meta: dict[str, Any]) -> str:
    # OpenMapTiles names the planet's date; a TileMill/Natural Earth source only its build time.
    for key in ("planettime", "mtime"):
        if key in meta:
            stamp = datetime.fromtimestamp(int(meta[key]) / 1000, tz=UTC)
            return stamp.date().isoformat()
    found = re.search(r"\d{4}-\d{2}-\d{2}", str(meta.get("description", "")))
    return found.group(0) if found else "unknown"


def _source_name(ts: TileSet, z: int, naturalearth: bool) -> str:
    name = _NE_SOURCE if naturalearth else ts.metadata.get("name", ts.path.name)
    return f"{name} (vector tiles, {ts.kind}, z{z})"


def _plain_attribution(text: Any) -> str:
    """TileJSON attributions are HTML; outputs want plain text that names OSM."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", str(text or ""))).replace("©", "(c)")
    plain = " ".join(plain.split())
    if "openstreetmap" not in plain.lower():
        plain = (plain + "; " if plain else "") + "(c) OpenStreetMap contributors"
    return plain


def _props_name(props: dict[str, Any]) -> str:
    for key in ("name:en", "name_en", "name_int", "name:latin", "name"):
        if props.get(key):
            return str(props[key])
    return ""


class _Collector:
    """Accumulates road pieces, names, places and borders from decoded tiles."""

    def __init__(self, classes: tuple[str, ...], present: set[tuple[int, int]]) -> None:
        self.classes = set(classes)
        self.present = present
        self.road_xy: list[np.ndarray] = []
        self.road_props: list[tuple[str, str, bool, bool, bool]] = []
        self.road_tile: list[int] = []
        self.road_on_edge: list[tuple[bool, bool]] = []
        # Neighbouring tiles kept roads run into (-> the tile they come from), and the tiles
        # holding kept roads: absent or road-less tiles roads run into are gaps.
        self.exits: dict[tuple[int, int], tuple[int, int]] = {}
        self.with_roads: set[tuple[int, int]] = set()
        self.name_xy: list[np.ndarray] = []
        self.name_props: list[tuple[str, str, str]] = []
        self.border_xy: list[np.ndarray] = []
        self.border_countries: list[str] = []
        self.places: list[dict[str, Any]] = []
        self.naturalearth = False

    def _edge_flag(self, t: DecodedTile, p: np.ndarray) -> bool:
        # An end on the tile's edge that faces a loaded neighbour must be joined.
        e = t.extent
        sides = []
        if p[0] <= 0:
            sides.append((t.x - 1, t.y))
        if p[0] >= e:
            sides.append((t.x + 1, t.y))
        if p[1] <= 0:
            sides.append((t.x, t.y - 1))
        if p[1] >= e:
            sides.append((t.x, t.y + 1))
        return any(s in self.present for s in sides)

    def add(self, t: DecodedTile, tile_id: int) -> None:
        e = t.extent
        offset = np.array([t.x * e, t.y * e], dtype=float)
        roads, road_meta, borders, border_meta = [], [], [], []
        for layer, props, xy in t.lines:
            if layer.startswith("transportation_name"):
                cls = str(props.get("class", ""))
                if cls in self.classes and (props.get("ref") or _props_name(props)):
                    self.name_xy.append(xy + offset)
                    self.name_props.append((cls, str(props.get("ref") or ""), _props_name(props)))
            elif layer.startswith("transportation"):
                cls = str(props.get("class", ""))
                if cls not in self.classes:
                    continue
                highway = _OMT_TO_OSM[cls] + (
                    "_link"
                    if props.get("ramp") == 1 and cls in (*MAJOR_CLASSES, "secondary", "tertiary")
                    else ""
                )
                oneway = props.get("oneway", 0)
                if oneway == -1:
                    xy = xy[::-1]
                brunnel = props.get("brunnel", "")
                roads.append(shapely.linestrings(xy))
                road_meta.append((highway, bool(oneway), brunnel == "bridge", brunnel == "tunnel"))
            elif layer == _NE_ROAD_LAYER and "type" in props:
                self.naturalearth = True
                cls = NATURALEARTH_CLASSES.get(str(props["type"]), "")
                if cls in self.classes:
                    roads.append(shapely.linestrings(xy))
                    road_meta.append((_OMT_TO_OSM[cls], False, False, False))
            elif (
                layer == "boundary" and props.get("admin_level") == 2 and not props.get("maritime")
            ):
                borders.append(shapely.linestrings(xy))
                # OpenMapTiles names the countries on each side (ISO 3166-1 alpha-3).
                sides = sorted(str(props[k]) for k in ("adm0_l", "adm0_r") if props.get(k))
                border_meta.append("|".join(sides))
        road_ends: list[np.ndarray] = []
        for kind, geoms in (("road", roads), ("border", borders)):
            if not geoms:
                continue
            clipped = shapely.clip_by_rect(np.asarray(geoms), 0, 0, e, e)
            parts, index = shapely.get_parts(clipped, return_index=True)
            for part, k in zip(parts, index, strict=True):
                xy = shapely.get_coordinates(part)
                if len(xy) < 2:
                    continue
                if kind == "border":
                    self.border_xy.append(xy + offset)
                    self.border_countries.append(border_meta[k])
                    continue
                self.road_xy.append(xy + offset)
                highway, oneway, bridge, tunnel = road_meta[k]
                self.road_props.append((highway, str(oneway), bridge, tunnel, oneway))
                self.road_tile.append(tile_id)
                self.road_on_edge.append((self._edge_flag(t, xy[0]), self._edge_flag(t, xy[-1])))
                road_ends += [xy[0], xy[-1]]
        if road_ends:
            self.with_roads.add((t.x, t.y))
            for n in edge_exits(t, np.asarray(road_ends)):
                self.exits.setdefault(n, (t.x, t.y))
        for layer, props, xy in t.points:
            if layer == _NE_PLACE_LAYER:
                big = float(props.get("population") or 0) >= _NE_CITY_POPULATION
                kind, rank = ("city" if big else "town"), props.get("scalerank")
            else:
                kind, rank = str(props.get("class")), props.get("rank")
            if kind not in _PLACE_KINDS:
                continue
            p = xy[0]
            if not (0 <= p[0] <= e and 0 <= p[1] <= e):
                continue  # in the buffer: the neighbouring tile owns it
            self.places.append(
                {
                    "name": _props_name(props),
                    "name_en": str(props.get("name:en") or props.get("name_en") or ""),
                    "name_ar": str(props.get("name:ar") or ""),
                    "kind": kind,
                    "rank": float(rank or np.nan),
                    "gx": p[0] + offset[0],
                    "gy": p[1] + offset[1],
                }
            )


def _match_names(col: _Collector, tol: float) -> tuple[list[str], list[str]]:
    """ref and name of each road piece from the nearest name line of the same class."""
    refs = [""] * len(col.road_xy)
    names = [""] * len(col.road_xy)
    if not col.name_xy:
        return refs, names
    name_lines = np.asarray([shapely.linestrings(xy) for xy in col.name_xy])
    name_cls = np.asarray([p[0] for p in col.name_props])
    mids = shapely.points(
        [xy[len(xy) // 2] if len(xy) > 2 else xy.mean(axis=0) for xy in col.road_xy]
    )
    road_cls = np.asarray([_osm_to_omt(p[0]) for p in col.road_props])
    for cls in np.unique(name_cls):
        sel_names = np.flatnonzero(name_cls == cls)
        sel_roads = np.flatnonzero(road_cls == cls)
        if not len(sel_roads):
            continue
        tree = shapely.STRtree(name_lines[sel_names])
        hit_road, hit_name = tree.query_nearest(mids[sel_roads], max_distance=tol)
        for r, n in zip(sel_roads[hit_road], sel_names[hit_name], strict=True):
            _, ref, name = col.name_props[n]
            refs[r], names[r] = ref, name
    return refs, names


def _osm_to_omt(highway: str) -> str:
    base = highway.removesuffix("_link")
    return "minor" if base == "unclassified" else base


def _to_lonlat(gxy: np.ndarray, z: int, extent: int) -> np.ndarray:
    lon, lat = tile_to_lonlat(gxy[:, 0] / extent, gxy[:, 1] / extent, z)
    return np.column_stack([lon, lat])


def network_from_tiles(
    ts: TileSet,
    *,
    zoom: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    classes: Iterable[str] = DRIVE_CLASSES,
    region: str | None = None,
    required: tuple[float, float, float, float] | None = None,
    progress: bool = True,
    context: bool = True,
) -> RoadNetwork:
    """Build a road network from vector tiles.

    Parameters
    ----------
    ts
        The tile source.
    zoom
        Zoom level to read (default: the highest present).
    bbox
        ``(west, south, east, north)`` to read; tiles touching it are read whole.
    classes
        OpenMapTiles road classes to keep (Natural Earth types are mapped onto them, see
        :data:`NATURALEARTH_CLASSES`).
    region
        Name recorded in the network's provenance.
    required
        The extent the source promises to cover (a named region's): every tile of it must
        exist (see :mod:`routing.sources._tilecheck` for the rule on absent tiles).
    progress
        Show a progress bar while decoding.
    context
        Also read water, rivers, borders and country names for maps
        (:func:`~routing.sources._context.context_from_tiles`).

    Raises
    ------
    DataOutsideBoundsError
        If no tile of the source lies within ``bbox``.
    DataFormatError
        A tile is bad (zero bytes, truncated, not a vector tile, impossible coordinates, not
        as the manifest lists it), or a promised tile is missing; the message names them.

    Warns
    -----
    DataWarning
        Tiles are absent although roads of neighbouring tiles run into them.
    """
    classes = tuple(classes)
    zooms = ts.zooms()
    if not zooms:
        raise DataNotFoundError(f"{ts.path} holds no vector tiles ({{z}}/{{x}}/{{y}}.pbf)")
    z = zoom if zoom is not None else max(zooms)
    if z not in zooms:
        raise DataNotFoundError(f"{ts.path} has no zoom {z}; it has zooms {sorted(zooms)}")
    covered = ts.tiles(z)
    window = tile_range(bbox, z) if bbox is not None else None
    tiles = [
        (x, y)
        for x, y in covered
        if window is None or (window[0] <= x <= window[1] and window[2] <= y <= window[3])
    ]
    if not tiles:
        raise DataOutsideBoundsError(
            f"no tiles of {ts.path} at zoom {z} within bbox {bbox} (the tiles cover "
            + ", ".join(f"{c:.2f}" for c in _tiles_bounds(covered, z))
            + " W,S,E,N)"
        )
    missing = missing_tiles(ts, z, set(covered), bbox, required)
    if missing:
        raise DataFormatError(
            f"{len(missing):,} tile(s) missing from {ts.path}: {listed(missing)}; "
            "`routing data check` lists every bad or missing tile"
        )
    present = set(tiles)
    col = _Collector(classes, present)
    extent = 4096
    stream = ts.iter_raw(z, tiles)
    for tile_id, (x, y, data) in enumerate(
        _progress_bar()(
            stream,
            total=len(tiles),
            desc=f"decoding z{z} tiles",
            unit="tile",
            disable=not progress or None,
        )
    ):
        try:
            t = decode_tile(data, z, x, y, None, {"place", _NE_PLACE_LAYER})
        except BadTileError as exc:
            raise BadTileError(exc.tile, exc.reason, ts.path) from exc
        extent = t.extent
        col.add(t, tile_id)
    gaps = road_gaps(z, col.exits, col.with_roads, set(covered), bbox)
    if gaps:
        warnings.warn(
            f"{len(gaps):,} tile(s) of {ts.path} hold no roads although roads of neighbouring "
            f"tiles run into them ({listed(gaps[:1])}): routes across them may be missing or "
            "longer; "
            "`routing data check` lists them",
            DataWarning,
            stacklevel=2,
        )
    if not col.road_xy:
        raise DataNotFoundError(f"no roads of classes {classes} in {ts.path} within {bbox}")

    # Tolerances in tile units: low zooms are simplified per tile, so ends drift further.
    generalized = z < 14
    join_tol = 3.0 if generalized else 1.5
    snap_tol = 2.0 if generalized else 0.75
    refs, names = _match_names(col, tol=2.0)
    keys = [(*p[:4], r, n) for p, r, n in zip(col.road_props, refs, names, strict=True)]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    attr_table = list(uniques)
    pieces = Pieces(
        coords=col.road_xy,
        attr=np.asarray(codes),
        tile=np.asarray(col.road_tile),
        on_edge=np.asarray(col.road_on_edge, dtype=bool).reshape(-1, 2),
        no_cross=np.asarray([p[2] or p[3] for p in col.road_props], dtype=bool),
    )
    topo = build_topology(
        pieces,
        oneway_attr=np.asarray([a[1] == "True" for a in attr_table], dtype=bool),
        join_tol=join_tol,
        snap_tol=snap_tol,
        node_crossings=generalized,
    )
    node_ll = _to_lonlat(topo.node_xy, z, extent)
    coords_ll = _to_lonlat(topo.coords, z, extent)
    rows = [
        {
            "u": u,
            "v": v,
            "highway": a[0],
            "oneway": a[1] == "True",
            "bridge": a[2],
            "tunnel": a[3],
            "ref": a[4],
            "name": a[5],
            "maxspeed": np.nan,
        }
        for u, v, a in zip(
            topo.edge_u, topo.edge_v, (attr_table[c] for c in topo.edge_attr), strict=True
        )
    ]
    parts = np.split(coords_ll, topo.offsets[1:-1])
    rows, parts = _fold_duplicates(rows, parts)
    places = _places_frame(col.places, z, extent)
    borders = None
    if col.border_xy:
        bxy = [_to_lonlat(xy, z, extent) for xy in col.border_xy]
        borders = (
            np.concatenate(bxy),
            np.concatenate([[0], np.cumsum([len(b) for b in bxy])]).astype(np.int64),
        )
    mid_lat = float(np.median(node_ll[:, 1]))
    meta = NetworkMeta(
        source=_source_name(ts, z, col.naturalearth),
        path=str(ts.path),
        osm_date=_osm_date(ts.metadata),
        zoom=z,
        resolution_m=2
        * math.pi
        * EARTH_RADIUS_M
        * math.cos(math.radians(mid_lat))
        / (2**z * extent),
        generalized=generalized,
        road_classes=tuple(
            _OMT_TO_OSM[c]
            for c in classes
            if not col.naturalearth or c in NATURALEARTH_CLASSES.values()
        ),
        attribution=(
            _NE_ATTRIBUTION
            if col.naturalearth
            else _plain_attribution(ts.metadata.get("attribution"))
        ),
        region=region,
        bbox=bbox,
        osm=not col.naturalearth,
    )
    net = RoadNetwork.from_parts(
        pd.DataFrame(
            {
                "x": node_ll[:, 0],
                "y": node_ll[:, 1],
                # Tiles carry no OSM ids: negative ids cannot be mistaken for them.
                "osmid": -np.arange(1, len(node_ll) + 1, dtype=np.int64),
            }
        ),
        rows,
        parts,
        meta,
        places=places,
        borders=borders,
        border_countries=np.asarray(col.border_countries, dtype=str) if col.border_xy else None,
        context=context_from_tiles(ts, zoom=z, bbox=bbox) if context else None,
    )
    net.build_report = {
        "tiles": len(tiles),
        "pieces": len(col.road_xy),
        "joined_tile_ends": topo.joined_tile_ends,
        "dangling_tile_ends": topo.dangling_tile_ends,
        "snapped_dead_ends": topo.snapped_dead_ends,
        "crossings_noded": topo.crossings_noded,
        "tile_gaps": len(gaps),
    }
    return net


def _tiles_bounds(tiles: list[tuple[int, int]], z: int) -> tuple[float, float, float, float]:
    """Lon/lat ``(west, south, east, north)`` covered by XYZ tiles."""
    xs = np.array([t[0] for t in tiles], dtype=float)
    ys = np.array([t[1] for t in tiles], dtype=float)
    # XYZ rows count from the top: the south edge is below the largest row.
    lon, lat = tile_to_lonlat(
        np.array([xs.min(), xs.max() + 1]), np.array([ys.max() + 1, ys.min()]), z
    )
    return float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1])


def _fold_duplicates(
    rows: list[dict[str, Any]], parts: list[np.ndarray]
) -> tuple[list[dict[str, Any]], list[np.ndarray]]:
    """Fold edges that repeat the same road between the same nodes into one.

    Low-zoom tiles carry both carriageways of a divided road, or both directions of a one-way
    pair, as the same generalised line; kept twice they would double the road's kilometres.
    A one-way pair running opposite ways becomes one two-way edge.
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (r, xy) in enumerate(zip(rows, parts, strict=True)):
        fwd = xy if r["u"] <= r["v"] else xy[::-1]
        key = (
            min(r["u"], r["v"]),
            max(r["u"], r["v"]),
            r["highway"],
            r["ref"],
            r["name"],
            r["bridge"],
            r["tunnel"],
            np.round(fwd, 9).tobytes(),
        )
        groups.setdefault(key, []).append(i)
    keep_rows, keep_parts = [], []
    for members in groups.values():
        first = rows[members[0]]
        directions = {(rows[i]["u"], rows[i]["v"]) for i in members if rows[i]["oneway"]}
        two_way = any(not rows[i]["oneway"] for i in members) or len(directions) > 1
        keep_rows.append({**first, "oneway": first["oneway"] and not two_way})
        keep_parts.append(parts[members[0]])
    return keep_rows, keep_parts


def _places_frame(places: list[dict[str, Any]], z: int, extent: int) -> pd.DataFrame:
    if not places:
        return empty_places()
    df = pd.DataFrame(places)
    ll = _to_lonlat(df[["gx", "gy"]].to_numpy(), z, extent)
    df["x"], df["y"] = ll[:, 0], ll[:, 1]
    df = df.drop(columns=["gx", "gy"])
    df["_k"] = df["name"] + df["x"].round(2).astype(str) + df["y"].round(2).astype(str)
    return df.drop_duplicates("_k").drop(columns="_k").reset_index(drop=True)
