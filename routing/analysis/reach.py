"""Reachability: which places and roads can be reached from one or more origins within limits.

:func:`reach` answers "which towns can be reached from the border within 4 hours under profile
X". It runs one multi-source Dijkstra search (the nearest origin wins) on the road network
and reports, for each limit (*band*, e.g. 1, 2, 3 and 4 hours or 100, 200 km; Valhalla-style
``contours`` are accepted too):

* ``bands``: the reachable-area polygon of each band (``area="reachable"``, the default):
  every point whose place-to-place figure is within the limit, by the toolkit's one rule for
  such figures: along the roads to a road point, then straight off-road at the profile's
  ``access_kph`` (for km bands: off-road metres count as road metres), the off-road leg at most
  ``max_snap_m`` (farther points are off the network, as places are). A road point reached
  with ``t`` to spare thus covers a disc of radius ``min(t x access speed, max_snap_m)``; the
  discs of consecutive sample points along each reached road piece are joined by their convex
  hull (the radius varies linearly between them) and all are merged. So a town the place table
  calls reached lies inside its band's polygon, and a point outside it is not reached by any
  route. The polygon lets a point join whichever road within ``max_snap_m`` serves it best,
  where a place's figure comes from its nearest roads only (see
  :func:`~routing.engine.snapping.snap_candidates`): a few points inside a band (up to 7 % of
  points sampled well inside, in the tests) get a place figure a little over its limit (up to
  8 %).
  ``area="roads"`` gives the older corridor instead: the reached roads
  buffered by ``buffer_km``. A concave hull of the reached roads was not used: it fills the
  desert between diverging roads (that no one reaches within the limit) and depends on a
  tuning ratio with no physical meaning. Bands are nested.
* ``places``: the network's own place points plus the towns named in the article (via the
  gazetteer), each with its travel time and road distance from the nearest origin and whether
  it lies within each band. A place's figure includes its off-road leg to the road it joins
  (see :mod:`routing.engine.snapping`), which is also reported on its own.
* ``edges``: the reached edges with the cost at which the search first enters them.

Times run along OSM roads from each origin's snap point on its nearest road of the main
network (isolated fragments are skipped); the origin's off-road leg is included likewise.
:meth:`Reach.layers` gives one GeoDataFrame per kind (bands, origins, places, roads), which
:func:`routing.output.geodata.write_layers` writes as GeoPackage layers or GeoJSON files.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import CRS, Transformer

from .._format import format_hours
from .._geo import GEOD, haversine_m
from .._text import quoted
from ..engine import RoutingEngine, Weights, get_engine
from ..engine.profiles import DEFAULT_PROFILE, Profile, get_profile
from ..engine.snapping import DEFAULT_MAX_SNAP_M, Snap, snap_candidates, snap_points
from ..exceptions import InvalidArgumentError, OffNetworkError, ReachError
from ..location import Location, PointLike, as_location
from ..network import RoadNetwork, check_bbox

__all__ = [
    "DEFAULT_BUFFER_KM",
    "LAYERS",
    "MAX_BANDS",
    "MAX_HOURS",
    "MAX_KM",
    "Reach",
    "ReachError",
    "border_crossings",
    "reach",
]

Unit = Literal["h", "km"]
Area = Literal["reachable", "roads"]

# The kinds of feature a result holds, one layer (or GeoJSON file) each.
LAYERS = ("bands", "origins", "places", "roads")

# area="roads": zoom-7 data holds only major roads; 5 km covers the towns strung along them
# without filling the desert between parallel roads.
DEFAULT_BUFFER_KM = 5.0
# Stated limits of reach(): more than a dozen bands cannot be told apart on a map or read in a
# table, and a regional network is crossed well within two days' driving or 3,000 km.
MAX_BANDS = 12
MAX_HOURS = 48.0
MAX_KM = 3000.0
# Wider buffers merge whole regions into one blob and cost more than they show.
_MAX_BUFFER_KM = 50.0
# Outlines are simplified to this tolerance (m): far below the widths involved.
_SIMPLIFY_M = 250.0
# Reachable areas: road pieces are simplified to this tolerance (m) and sampled at least this
# often (m) for disc centres, each disc drawn with this many vertices (inscribed: 0.6 % short).
_CENTRE_SIMPLIFY_M = 100.0
_SAMPLE_M = 1_000.0
_DISC_VERTICES = 32
# Hulls merged per batch: bounds memory on full-detail (z14) networks.
_HULL_BATCH = 20_000
# The raster core standing in for hulls deep inside an area: its cell (m), at most this many
# cells (coarser for larger areas), and the groups of disc radii it is drawn with.
_CORE_CELL_M = 300.0
_CORE_MAX_CELLS = 4_000_000
_CORE_GROUPS = 8
# Places snapped per vectorised search: larger batches run slower (memory), and one place off
# the network costs its batch a few searches.
_SNAP_BATCH = 500
# A gazetteer town this close to a network place point is the same place.
_SAME_PLACE_KM = 10.0


@dataclass(frozen=True, eq=False)
class Reach:
    """The result of :func:`reach`.

    Attributes
    ----------
    origins
        The resolved origins.
    snaps
        Where each origin joins the road (same order as ``origins``).
    limits
        Band upper bounds, ascending, in ``unit``.
    unit
        ``"h"`` (travel time under ``profile``) or ``"km"`` (road distance).
    profile
        Speed profile behind the times.
    bands
        GeoDataFrame (EPSG:4326), one row per band: ``band`` (label), ``limit``, ``unit``,
        ``contour`` and ``metric`` (Valhalla's names: minutes and ``"time"``, or km and
        ``"distance"``), ``area_km2`` (geodesic), ``geometry`` (nested polygons; empty for a
        band too small to leave the origin's off-road leg).
    places
        One row per place, nearest first: ``name``, ``name_ar``, ``time_h`` (NaN for km
        limits), ``distance_km`` (road length along the path found), ``straight_km`` and
        ``origin`` (nearest origin), ``access_km`` (off-road gap, not included), ``band``
        (smallest band reaching it, NaN if none), ``reached`` (within the largest band), one
        boolean column per band (``"<= 2 h"``), ``note`` (e.g. beyond the bands, off the
        network), ``lon``, ``lat``, ``source``. Places beyond the bands keep their times.
    edges
        Reached edges: ``edge`` (index in ``net.edges``), ``highway``, ``ref``, ``name``,
        ``enter`` (cost in ``unit`` when the search first reaches the edge), ``fraction``
        (share of the edge within the largest band), ``band``.
    area
        How the band polygons were drawn: ``"reachable"`` (roads plus the off-road allowance)
        or ``"roads"`` (the reached roads buffered by ``buffer_km``).
    buffer_km
        Buffer half-width of the ``"roads"`` polygons.
    offroad_max_km
        The longest off-road leg (a place farther from every road is off the network).
    net
        The network searched.
    """

    origins: tuple[Location, ...]
    snaps: tuple[Snap, ...]
    limits: tuple[float, ...]
    unit: Unit
    profile: Profile
    bands: Any
    places: pd.DataFrame
    edges: pd.DataFrame
    area: Area
    buffer_km: float
    offroad_max_km: float
    net: RoadNetwork = field(repr=False)

    @property
    def band_labels(self) -> list[str]:
        """Labels of the bands, e.g. ``["<= 1 h", "<= 2 h"]``."""
        return [_band_label(x, self.unit) for x in self.limits]

    @property
    def limit_text(self) -> str:
        """The largest limit, e.g. ``"4 h"``."""
        return _limit_text(self.limits[-1], self.unit)

    @property
    def metric(self) -> str:
        """What the limits measure, e.g. ``"travel time, profile 'car'"``."""
        if self.unit == "h":
            return f"travel time, profile {self.profile.name!r}"
        return "road distance"

    @property
    def offroad(self) -> str:
        """How off-road legs count, e.g. ``"straight at 30 km/h"``."""
        if self.unit == "h":
            return f"straight at {self.profile.access_kph:g} km/h"
        return "straight, each metre as a metre of road"

    @property
    def area_text(self) -> str:
        """What the band polygons cover, in a few words (for map subtitles)."""
        if self.area == "roads":
            return f"the roads reached, {self.buffer_km:g} km either side"
        return (
            f"the roads reached plus off-road {self.offroad} (at most "
            f"{self.offroad_max_km:g} km) with the time left"
            if self.unit == "h"
            else f"the roads reached plus off-road legs (at most {self.offroad_max_km:g} km) "
            "within the distance left"
        )

    @property
    def assumptions(self) -> list[str]:
        """Every assumption behind the result, one line each."""
        snapped = "; ".join(
            f"{o} {s.distance_m / 1000:.1f} km off-road from {s.road}"
            for o, s in zip(self.origins, self.snaps, strict=True)
        )
        if self.area == "roads":
            polygons = (
                "polygons: reached road pieces (partial edges at each limit included) buffered "
                f"by {self.buffer_km:g} km, not straight-line circles"
            )
        else:
            polygons = (
                "polygons: every point within the limit by road plus an off-road leg "
                f"({self.offroad}, at most {self.offroad_max_km:g} km, the same rule as the "
                "places' figures): discs around the reached roads shrinking with the "
                "limit left, not straight-line circles around the origin"
            )
        out = [
            f"data: {self.net.meta.describe()}; {self.net.meta.credit()}",
            f"{self.metric}, along OSM roads from the origins' snap points (nearest origin "
            f"wins); off-road legs of origins and places included ({self.offroad}, at most "
            f"{self.offroad_max_km:g} km)",
            f"origins snapped to the nearest road of the main network: {snapped}",
            polygons,
        ]
        if self.unit == "h":
            out.append(f"time: {self.profile.describe()}")
        if self.net.meta.generalized:
            out.append("generalized lines cut bends: true distances and times are longer")
        return out

    def reached_places(self) -> pd.DataFrame:
        """The places reached within the largest band, nearest first."""
        key = "time_h" if self.unit == "h" else "distance_km"
        return self.places[self.places["reached"]].sort_values(key).reset_index(drop=True)

    def summary(self) -> str:
        """Readable text: origins, places reached and not reached with times, assumptions."""
        names = ", ".join(map(str, self.origins))
        lines = [f"Reach from {names} within {self.limit_text} ({self.metric}):"]
        for r in self.places.to_dict("records"):
            mark = "reached    " if r["reached"] else "not reached"
            lines.append(
                f"  {mark} {r['name']}: {_figures(r['time_h'], r['distance_km'])}"
                + (f" ({r['note']})" if r["note"] else "")
            )
        lines += [f"Assumption: {a}" for a in self.assumptions]
        return "\n".join(lines)

    @property
    def properties(self) -> dict[str, Any]:
        """What every output carries besides its features: metric, data, assumptions."""
        return {
            "metric": self.metric,
            "unit": self.unit,
            "limits": list(self.limits),
            "profile": self.profile.name,
            "area": self.area,
            "source": self.net.meta.source,
            "osm_date": self.net.meta.osm_date,
            "attribution": self.net.meta.credit(),
            "assumptions": self.assumptions,
        }

    def layers(self) -> dict[str, Any]:
        """One GeoDataFrame (EPSG:4326) per kind of feature, keyed as :data:`LAYERS`.

        ``bands`` (polygons, see :attr:`bands`), ``origins`` (points: ``name``, the ``road``
        joined and the off-road ``access_km``), ``places`` (points, the columns of
        :attr:`places`, one boolean per band named ``within_1_h``...), ``roads`` (the reached
        edges, whole: ``edge`` row, OSM way ``osmid`` where the source has them, ``highway``,
        ``ref``, ``name``, ``enter``, ``fraction`` reached, ``band``). Every layer also has
        ``data`` (source, date, resolution) and ``attribution``; ``bands`` has the
        ``assumptions`` joined by ``" | "``. Write them with
        :func:`routing.output.geodata.write_layers`.
        """
        import geopandas as gpd

        origins = gpd.GeoDataFrame(
            {
                "name": [o.name for o in self.origins],
                "road": [s.road for s in self.snaps],
                "access_km": [s.distance_m / 1000 for s in self.snaps],
            },
            geometry=shapely.points([(o.lon, o.lat) for o in self.origins]),
            crs="EPSG:4326",
        )
        within = {_band_label(x, self.unit): _column_name(x, self.unit) for x in self.limits}
        places = gpd.GeoDataFrame(
            self.places.drop(columns=["lon", "lat"]).rename(columns=within),
            geometry=shapely.points(self.places[["lon", "lat"]].to_numpy().reshape(-1, 2)),
            crs="EPSG:4326",
        )
        rows = self.edges["edge"].to_numpy(np.int64)
        roads = gpd.GeoDataFrame(
            self.edges.assign(osmid=self.net.edges["osmid"].to_numpy()[rows]),
            geometry=self.net.geometries[rows],
            crs="EPSG:4326",
        )
        layers = {"bands": self.bands.copy(), "origins": origins, "places": places, "roads": roads}
        # Flat columns only (every format holds them); each layer names its data and credit.
        layers["bands"]["assumptions"] = " | ".join(self.assumptions)
        for frame in layers.values():
            frame["data"] = self.net.meta.describe()
            frame["attribution"] = self.net.meta.credit()
        return layers

    def to_geojson(self, kind: str = "bands") -> dict[str, Any]:
        """One kind of feature (default the band polygons) as a GeoJSON FeatureCollection.

        The collection's ``properties`` hold the metric, profile, data date and assumptions.

        Raises
        ------
        InvalidArgumentError
            ``kind`` is not one of :data:`LAYERS`.
        """
        frame = self.layers()[_kind(kind)]
        collection = json.loads(frame.to_json(na="null", drop_id=True))
        return {**collection, "properties": self.properties}


def reach(
    origins: PointLike | Sequence[PointLike],
    *,
    hours: float | Sequence[float] | None = None,
    km: float | Sequence[float] | None = None,
    contours: Sequence[Mapping[str, Any]] | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
    net: RoadNetwork,
    places: Sequence[PointLike] | None = None,
    area: Area = "reachable",
    buffer_km: float = DEFAULT_BUFFER_KM,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Reach:
    """Areas, places and roads reachable from one or several origins within each limit.

    Parameters
    ----------
    origins
        One origin (:class:`~routing.location.Location`, ``(lon, lat)``, gazetteer Place) or
        a list of them (e.g. every border crossing); each place is reached from its nearest
        origin.
    hours
        Travel-time limits (bands) in hours, e.g. ``[1, 2, 3, 4]``.
    km
        Road-distance limits in km (instead of ``hours``).
    contours
        The limits as Valhalla's isochrone API takes them (instead of ``hours`` or ``km``):
        ``[{"time": 60}, {"time": 120}]`` in minutes or ``[{"distance": 100}]`` in km, one
        metric for all; a ``color`` key is accepted and ignored.
    profile
        Speed profile (name, YAML file or object) for ``hours``; its ``access_kph`` is the
        off-road speed.
    net
        The road network.
    places
        Points to report besides the network's own place points (a region's towns that the
        data's place layer lacks, say).
    area
        ``"reachable"`` (default): band polygons of every point within the limit by road plus
        an off-road leg (see the module docstring); ``"roads"``: the reached roads buffered by
        ``buffer_km``.
    buffer_km
        Half-width of the buffer around reached roads for ``area="roads"``.
    max_snap_m
        Farthest an origin or place may lie from a road, and the longest off-road leg of the
        reachable area.

    Raises
    ------
    ReachError
        No limits, a zero, negative or non-finite limit, more than :data:`MAX_BANDS` limits,
        a limit above :data:`MAX_HOURS` or :data:`MAX_KM`, more than one of ``hours``, ``km``
        and ``contours``, a malformed contour, an unknown ``area`` or a ``buffer_km``
        outside (0, 50].
    ProfileError
        Unknown profile.
    OffNetworkError
        An origin lies farther than ``max_snap_m`` from every road, or its off-road leg
        alone uses up the largest limit (nothing is reachable).
    PlaceNotFoundError, AmbiguousPlaceError
        An origin name cannot be resolved.
    """
    limits, unit = _limits(hours, km, contours)
    if area not in ("reachable", "roads"):
        raise ReachError(f"area must be 'reachable' or 'roads', got {quoted(area)}")
    if not (math.isfinite(buffer_km) and 0 < buffer_km <= _MAX_BUFFER_KM):
        raise ReachError(
            f"buffer_km must be a positive number of km up to {_MAX_BUFFER_KM:g}, got {buffer_km!r}"
        )
    network = net
    prof = get_profile(profile)
    locs = [as_location(o) for o in _as_list(origins)]
    labels, main = _main_component(network)
    candidates = [_origin_candidates(network, o, max_snap_m) for o in locs]
    snaps = [_main_snap(network, c, labels, main) for c in candidates]
    # One search from the origins: Dijkstra answers it at once, where a contraction hierarchy
    # would take seconds to build on a full-detail network before its first query.
    engine = get_engine(network, "dijkstra")
    w = engine.weights(prof if unit == "h" else "length")
    scale = 3600.0 if unit == "h" else 1000.0
    search = _Search.run(engine, w, candidates)
    scaled = [x * scale for x in limits]
    reached = np.unique([e for e, _, _ in search.pieces(scaled[-1])])
    projected = _project(network, locs, reached)
    band_geoms = (
        _band_polygons(search, scaled, buffer_km, projected)
        if area == "roads"
        else _reachable_polygons(search, scaled, max_snap_m, projected)
    )
    if shapely.is_empty(band_geoms[-1]):
        nearest = min(snaps, key=lambda s: s.distance_m)
        raise OffNetworkError(
            f"nothing is reachable within {_limit_text(limits[-1], unit)}: the off-road leg "
            f"to the nearest road ({nearest.distance_m / 1000:.1f} km from {nearest.road}) "
            "takes all of it"
        )
    bands = _bands_frame(band_geoms, limits, unit)
    place_frame = _places(network, search, locs, limits, unit, places, max_snap_m)
    return Reach(
        tuple(locs),
        tuple(snaps),
        limits,
        unit,
        prof,
        bands,
        place_frame,
        _edges_frame(network, search, limits, scale),
        area,
        buffer_km,
        max_snap_m / 1000.0,
        network,
    )


def border_crossings(
    net: RoadNetwork, bbox: tuple[float, float, float, float] | None = None
) -> list[Location]:
    """Points where roads cross an international border of the network's boundary layer.

    Parameters
    ----------
    net
        Network with ``borders`` (vector-tile sources carry them).
    bbox
        Keep only crossings inside ``(west, south, east, north)``, e.g. one border stretch.

    Raises
    ------
    ReachError
        The network has no border lines, or none of its roads crosses one inside ``bbox``.
    """
    if net.borders is None:
        raise ReachError(f"the network has no international border lines ({net.meta.source})")
    coords, offsets = net.borders
    index = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    border = shapely.union_all(shapely.linestrings(coords, indices=index))
    hits = net.edge_tree.query(border, predicate="intersects")
    points = shapely.get_parts(shapely.intersection(net.geometries[hits], border))
    xy = shapely.get_coordinates(points)
    if bbox is not None:
        w, s, e, n = check_bbox(bbox)
        xy = xy[(xy[:, 0] >= w) & (xy[:, 0] <= e) & (xy[:, 1] >= s) & (xy[:, 1] <= n)]
    if len(xy) == 0:
        raise ReachError(
            "no road crosses an international border" + (f" inside bbox {bbox}" if bbox else "")
        )
    # Carriageways of one road cross a few hundred metres apart: one crossing per 5 km cell.
    _, first = np.unique(np.round(xy / 0.05), axis=0, return_index=True)
    xy = xy[np.sort(first)]
    return [
        Location(
            f"border crossing ({lat:.3f}, {lon:.3f})",
            float(lon),
            float(lat),
            "road x border intersection",
        )
        for lon, lat in xy
    ]


# ---------------------------------------------------------------------------- search
@dataclass(frozen=True)
class _Search:
    """Node costs of one multi-source search, and how to price any point on an edge."""

    cost: np.ndarray  # per node, inf if unreachable
    tree_m: np.ndarray  # road length along the search tree, per node
    owner: np.ndarray  # index of the origin of each node's tree, -1 if unreached
    edge_cost: np.ndarray
    length: np.ndarray  # per edge, m
    u: np.ndarray
    v: np.ndarray
    twoway: np.ndarray
    snaps: tuple[Snap, ...]  # every candidate road of every origin
    snap_origin: np.ndarray  # the origin of each candidate
    access_per_m: float  # the weighting's price of one metre off-road, to choose roads
    shown_per_m: float  # the same in the reported figures (1 m per m, or the access speed)

    @classmethod
    def run(cls, engine: RoutingEngine, w: Weights, candidates: Sequence[list[Snap]]) -> _Search:
        """Search from every candidate road of every origin, as :func:`route` chooses.

        Nodes are reached at the least road cost plus off-road leg priced to choose (as the
        router does); the costs kept are the reported ones (the leg at its reported price:
        a metre for distances, the access speed for times). No cutoff: places beyond the
        largest band get their figures too (a full search of a regional network takes
        milliseconds).
        """
        net = engine.net
        flat = [s for cands in candidates for s in cands]
        snap_origin = np.repeat(np.arange(len(candidates)), [len(c) for c in candidates])
        result = engine.one_to_all(flat, w, access=True)
        shown = w.access_per_m if w.kind == "time" else 1.0
        gap = np.fromiter((s.distance_m for s in flat), float, len(flat))
        reached = result.origin >= 0
        cost = result.cost.copy()
        cost[reached] -= gap[result.origin[reached]] * (w.access_per_m - shown)
        length = net.edges["length"].to_numpy(float)
        tree_m = result.along(length)
        tree_m[reached] += gap[result.origin[reached]]
        owner = np.where(reached, snap_origin[np.maximum(result.origin, 0)], -1)
        u = net.edges["u"].to_numpy(np.int64)
        v = net.edges["v"].to_numpy(np.int64)
        return cls(
            cost,
            tree_m,
            owner,
            w.edge,
            length,
            u,
            v,
            ~net.edges["oneway"].to_numpy(bool),
            tuple(flat),
            snap_origin,
            w.access_per_m,
            shown,
        )

    def at(
        self, edges: np.ndarray, fractions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Reported cost, tree length (origin's leg included) and origin of points on edges."""
        c = self.edge_cost[edges]
        length = self.length[edges]
        cu, cv = self.cost[self.u[edges]], self.cost[self.v[edges]]
        options = [
            cu + fractions * c,
            np.where(self.twoway[edges], cv + (1 - fractions) * c, np.inf),
        ]
        lengths = [
            self.tree_m[self.u[edges]] + fractions * length,
            self.tree_m[self.v[edges]] + (1 - fractions) * length,
        ]
        owners = [self.owner[self.u[edges]], self.owner[self.v[edges]]]
        for k, s in enumerate(self.snaps):  # driving along an origin's own edge
            same = edges == s.edge
            ahead = fractions >= s.fraction
            ok = same & (ahead | self.twoway[edges])
            span = np.abs(fractions - s.fraction)
            options.append(np.where(ok, s.distance_m * self.shown_per_m + span * c, np.inf))
            lengths.append(s.distance_m + span * length)
            owners.append(np.full(len(edges), self.snap_origin[k]))
        best = np.argmin(np.vstack(options), axis=0)
        pick = np.arange(len(edges))
        return (
            np.vstack(options)[best, pick],
            np.vstack(lengths)[best, pick],
            np.vstack(owners)[best, pick],
        )

    def pieces(self, limit: float) -> list[tuple[int, float, float]]:
        """Reached stretches ``(edge, from, to)`` (fractions from ``u``) within ``limit``."""
        c = self.edge_cost
        cu, cv = self.cost[self.u], self.cost[self.v]
        with np.errstate(invalid="ignore", divide="ignore"):
            fwd = np.clip(
                np.where(c > 0, (limit - cu) / c, np.where(cu <= limit, 1.0, 0.0)), 0.0, 1.0
            )
            back = np.clip(
                np.where(c > 0, (limit - cv) / c, np.where(cv <= limit, 1.0, 0.0)), 0.0, 1.0
            )
        fwd = np.nan_to_num(fwd)
        back = np.where(self.twoway, np.nan_to_num(back), 0.0)
        out: list[tuple[int, float, float]] = []
        for e in np.flatnonzero((fwd > 0) | (back > 0)):
            if fwd[e] + back[e] >= 1.0:
                out.append((int(e), 0.0, 1.0))
                continue
            if fwd[e] > 0:
                out.append((int(e), 0.0, float(fwd[e])))
            if back[e] > 0:
                out.append((int(e), 1.0 - float(back[e]), 1.0))
        for s in self.snaps:
            left = max(limit - s.distance_m * self.shown_per_m, 0.0)
            reach_f = left / c[s.edge] if c[s.edge] > 0 else 1.0
            lo = max(0.0, s.fraction - reach_f) if self.twoway[s.edge] else s.fraction
            out.append((s.edge, lo, min(1.0, s.fraction + reach_f)))
        return out


def _edges_frame(
    net: RoadNetwork, search: _Search, limits: tuple[float, ...], scale: float
) -> pd.DataFrame:
    pieces = search.pieces(limits[-1] * scale)
    frac = (
        pd.DataFrame(pieces, columns=["edge", "lo", "hi"])
        .assign(share=lambda d: d["hi"] - d["lo"])
        .groupby("edge")["share"]
        .sum()
        .clip(upper=1.0)
    )
    edges = frac.index.to_numpy(np.int64)
    cu, cv = search.cost[search.u[edges]], search.cost[search.v[edges]]
    enter = np.minimum(cu, np.where(search.twoway[edges], cv, np.inf))
    for s in search.snaps:  # an origin's own edge is entered at cost 0
        enter[edges == s.edge] = 0.0
    e = net.edges.iloc[edges]
    out = pd.DataFrame(
        {
            "edge": edges,
            "highway": e["highway"].astype(str).to_numpy(),
            "ref": e["ref"].to_numpy(),
            "name": e["name"].to_numpy(),
            "enter": enter / scale,
            "fraction": frac.to_numpy(),
        }
    )
    out["band"] = _band_of(out["enter"].to_numpy(), limits)
    return out.sort_values("enter").reset_index(drop=True)


# -------------------------------------------------------------------------- polygons
@dataclass(frozen=True)
class _Projected:
    to_local: Transformer
    to_lonlat: Transformer
    lines: np.ndarray  # edge geometries in the local frame (metres), None if not projected

    @functools.cached_property
    def centre_lines(self) -> np.ndarray:
        """Each edge's line for disc centres (see :func:`_centre_lines`), once for all bands."""
        return _centre_lines(self.lines)


def _project(
    net: RoadNetwork, origins: Sequence[Location], edges: np.ndarray | None = None
) -> _Projected:
    """Edge geometries in an azimuthal equidistant frame centred on the origins.

    Only ``edges`` (default all) are projected, the others left None: the reached edges of
    the largest band hold every band's.
    """
    lon = float(np.mean([o.lon for o in origins]))
    lat = float(np.mean([o.lat for o in origins]))
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    rows = np.arange(net.n_edges) if edges is None else edges
    lines = np.full(net.n_edges, None, dtype=object)
    lines[rows] = shapely.transform(
        net.geometries[rows], lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1]))
    )
    return _Projected(fwd, back, lines)


def _band_polygons(
    search: _Search, limits: list[float], buffer_km: float, proj: _Projected
) -> list[shapely.Geometry]:
    """``area="roads"``: nested band polygons, built band on band from the one search.

    A band's reached pieces contain the previous band's, so each band is the previous one's
    area plus buffers of what it adds: every road piece is buffered once, and buffers are
    merged with a cascaded union (buffering one multi-line of the whole network at once took
    GEOS over a minute on 9,000 edges; this takes about a second).
    """
    out: list[shapely.Geometry] = []
    area: shapely.Geometry | None = None
    simple_before: shapely.Geometry | None = None
    full_before: set[int] = set()
    for limit in limits:
        pieces = search.pieces(limit)
        full = {e for e, lo, hi in pieces if lo == 0.0 and hi == 1.0}
        partial = [
            shapely.ops.substring(proj.lines[e], lo, hi, normalized=True)
            for e, lo, hi in pieces
            if not (lo == 0.0 and hi == 1.0)
        ]
        added = [*proj.lines[sorted(full - full_before)], *partial]
        buffers = shapely.buffer(np.asarray(added), buffer_km * 1000.0, quad_segs=4)
        area = shapely.union_all([*([area] if area is not None else []), *buffers])
        full_before = full
        # Simplified outlines of nested areas can cross; the union with the band before keeps
        # every band inside the next.
        simple = shapely.simplify(area, _SIMPLIFY_M)
        if simple_before is not None:
            simple = shapely.union(simple, simple_before)
        simple_before = simple
        out.append(_to_lonlat(simple, proj))
    return out


def _reachable_polygons(
    search: _Search, limits: list[float], max_offroad_m: float, proj: _Projected
) -> list[shapely.Geometry]:
    """``area="reachable"``: one polygon per limit, nested as :func:`_band_polygons` keeps them."""
    out: list[shapely.Geometry] = []
    before: shapely.Geometry | None = None
    for limit in limits:
        area = _reachable_polygon(search, limit, max_offroad_m, proj)
        before = area if before is None else shapely.union(area, before)
        out.append(_to_lonlat(before, proj))
    return out


def _reachable_polygon(
    search: _Search, limit: float, max_offroad_m: float, proj: _Projected
) -> shapely.Geometry:
    """``area="reachable"``: road points reached within ``limit``, each with its off-road disc."""
    xy, radius, a, b = _disc_segments(search, limit, max_offroad_m, proj)
    return shapely.simplify(_merged_hulls(xy, radius, a, b), _SIMPLIFY_M)


def _disc_segments(
    search: _Search, limit: float, max_offroad_m: float, proj: _Projected
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Disc centres (local frame, m), their radii (m) and the pairs ``a``, ``b`` to join.

    Points are sampled along every reached road piece (its vertices, at least every
    :data:`_SAMPLE_M`); a point reached at cost ``c`` gets the radius ``(limit - c)`` in
    off-road metres, capped at ``max_offroad_m``. The convex hull of the discs of two
    consecutive points is exactly the union of the discs in between where the radius varies
    linearly, as it does along a road between the points.
    """
    pieces, lines = _piece_lines(search, limit, proj)
    xy, which = shapely.get_coordinates(lines, return_index=True)
    if not len(xy):
        none = np.empty(0, np.int64)
        return np.empty((0, 2)), np.empty(0), none, none
    # Position of each point along its piece, as a fraction of its edge from u.
    step = np.r_[0.0, np.hypot(*np.diff(xy, axis=0).T)]
    starts = np.r_[True, which[1:] != which[:-1]]
    step[starts] = 0.0
    along = np.cumsum(step)
    along -= along[starts][np.cumsum(starts) - 1]
    total = np.zeros(len(pieces))
    np.maximum.at(total, which, along)
    share = np.divide(along, total[which], out=np.zeros_like(along), where=total[which] > 0)
    edge, lo, hi = (np.asarray(c)[which] for c in zip(*pieces, strict=True))
    fraction = lo + (hi - lo) * share
    cost, _, _ = search.at(edge.astype(np.int64), fraction)
    radius = np.clip((limit - cost) / search.shown_per_m, 0.0, max_offroad_m)
    # Consecutive points of one piece make a segment; a piece of one point, a disc.
    counts = np.bincount(which, minlength=len(pieces))
    single = np.flatnonzero(counts[which] == 1)
    pairs = np.flatnonzero(which[1:] == which[:-1])
    a, b = np.r_[pairs, single], np.r_[pairs + 1, single]
    keep = np.maximum(radius[a], radius[b]) > 0
    return xy, radius, a[keep], b[keep]


def _merged_hulls(
    xy: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray
) -> shapely.Geometry:
    """The union of the hulls of the discs of points ``a[k]`` and ``b[k]`` (radius in m).

    Most hulls lie deep inside the union (roads in towns, the inner bands' roads), so they are
    not built: a raster *core* of cells that lie inside some disc stands in for them, and only
    the hulls reaching near the core's edge are merged with it. The core lies inside the union,
    so the result is the union of all the hulls (to floating-point precision).
    """
    if not len(a):
        return shapely.Polygon()
    core, free_m, cell_ij = _core(xy, radius)
    reach_m = np.maximum(radius[a], radius[b]) + np.hypot(*(xy[b] - xy[a]).T)
    # Every point of a hull lies within reach_m of either end: an end whose cell is that far
    # (plus both cells' half-diagonals) from every cell outside the core puts the hull inside.
    slack = reach_m + math.sqrt(2.0) * core.cell_m
    inside = (free_m[tuple(cell_ij[a].T)] > slack) | (free_m[tuple(cell_ij[b].T)] > slack)
    a, b = a[~inside], b[~inside]
    angle = np.linspace(0.0, 2 * np.pi, _DISC_VERTICES, endpoint=False)
    unit_circle = np.column_stack([np.cos(angle), np.sin(angle)])
    parts = [core.polygon]
    for k in range(0, len(a), _HULL_BATCH):
        ends = np.r_[a[k : k + _HULL_BATCH], b[k : k + _HULL_BATCH]]
        n = len(ends) // 2
        ring = xy[ends][:, None, :] + radius[ends][:, None, None] * unit_circle[None, :, :]
        # The hull of a line through both discs' vertices is the hull of the vertices.
        hulls = shapely.convex_hull(shapely.linestrings(np.concatenate([ring[:n], ring[n:]], 1)))
        parts.append(shapely.union_all(hulls))
    return shapely.union_all(parts)


@dataclass(frozen=True)
class _Core:
    """Raster cells lying inside the discs, and their outline."""

    covered: np.ndarray  # per cell (row = y, column = x)
    origin: np.ndarray  # (x, y) of the grid's lower left corner, m
    cell_m: float

    @property
    def polygon(self) -> shapely.Geometry:
        """The covered cells as one polygon (one box per run of cells along a row)."""
        padded = np.pad(self.covered, ((0, 0), (1, 1))).astype(np.int8)
        step = np.diff(padded, axis=1)
        row, start = np.nonzero(step == 1)
        _, stop = np.nonzero(step == -1)
        x0, y0 = self.origin
        g = self.cell_m
        boxes = shapely.box(x0 + start * g, y0 + row * g, x0 + stop * g, y0 + (row + 1) * g)
        return shapely.union_all(boxes)


def _core(xy: np.ndarray, radius: np.ndarray) -> tuple[_Core, np.ndarray, np.ndarray]:
    """Cells inside the discs, each cell's distance (m) to the nearest cell outside them, and
    the cell of each point.

    Points are grouped by radius (each counted at its group's smallest); a cell lies inside
    a disc if its centre is that radius, less both cells' half-diagonals and the polygon
    discs' shortfall, from a cell holding a centre of the group (Euclidean distance transform).
    """
    from scipy.ndimage import distance_transform_edt

    largest = float(radius.max())
    low = xy.min(axis=0) - largest - 2 * _CORE_CELL_M
    high = xy.max(axis=0) + largest + 2 * _CORE_CELL_M
    # A coarser grid for very large areas bounds memory and time.
    cell_m = max(_CORE_CELL_M, math.sqrt(float(np.prod(high - low)) / _CORE_MAX_CELLS))
    shape = tuple(np.ceil((high - low) / cell_m).astype(np.int64)[::-1])
    cell_ij = np.floor((xy - low) / cell_m).astype(np.int64)[:, ::-1]
    covered = np.zeros(shape, bool)
    width = largest / _CORE_GROUPS
    group_r = np.minimum(np.floor(radius / width) * width, largest)
    # The inscribed disc polygons fall short of the circle by r (1 - cos(pi / vertices)).
    shortfall = 1.0 - math.cos(math.pi / _DISC_VERTICES)
    for r in np.unique(group_r):
        within_m = r * (1.0 - shortfall) - 2.0 * math.sqrt(2.0) * cell_m
        if within_m <= 0:
            continue
        empty = np.ones(shape, bool)
        empty[tuple(cell_ij[group_r == r].T)] = False
        covered |= distance_transform_edt(empty, sampling=cell_m) <= within_m
    free_m = distance_transform_edt(covered, sampling=cell_m)
    return _Core(covered, low, cell_m), free_m, cell_ij


def _piece_lines(
    search: _Search, limit: float, proj: _Projected
) -> tuple[list[tuple[int, float, float]], np.ndarray]:
    """The road pieces reached within ``limit`` and their centre lines in the local frame."""
    pieces = search.pieces(limit)
    whole = np.array([lo == 0.0 and hi == 1.0 for _, lo, hi in pieces], bool)
    edges = np.array([e for e, _, _ in pieces], np.int64)
    lines = np.empty(len(pieces), dtype=object)
    lines[whole] = proj.centre_lines[edges[whole]]
    partial = [
        shapely.ops.substring(proj.lines[e], lo, hi, normalized=True)
        for (e, lo, hi), w in zip(pieces, whole, strict=True)
        if not w
    ]
    lines[~whole] = _centre_lines(np.array(partial, dtype=object))
    return pieces, lines


def _centre_lines(lines: np.ndarray) -> np.ndarray:
    """Lines simplified to :data:`_CENTRE_SIMPLIFY_M` and sampled every :data:`_SAMPLE_M`."""
    return shapely.segmentize(shapely.simplify(lines, _CENTRE_SIMPLIFY_M), _SAMPLE_M)


def _to_lonlat(geom: shapely.Geometry, proj: _Projected) -> shapely.Geometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(proj.to_lonlat.transform(xy[:, 0], xy[:, 1]))
    )


def _bands_frame(geoms: list[shapely.Geometry], limits: tuple[float, ...], unit: Unit) -> Any:
    import geopandas as gpd

    area = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in geoms]
    return gpd.GeoDataFrame(
        {
            "band": [_band_label(x, unit) for x in limits],
            "limit": list(limits),
            "unit": unit,
            # Valhalla's names: minutes of time, or km of distance.
            "contour": [x * 60.0 if unit == "h" else x for x in limits],
            "metric": "time" if unit == "h" else "distance",
            "area_km2": area,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


# ---------------------------------------------------------------------------- places
def _places(
    net: RoadNetwork,
    search: _Search,
    origins: list[Location],
    limits: tuple[float, ...],
    unit: Unit,
    extra: Sequence[PointLike] | None,
    max_snap_m: float,
) -> pd.DataFrame:
    rows = _candidate_places(net, extra or ())
    snapped = _snap_places(net, [r[3] for r in rows], [r[4] for r in rows], max_snap_m)
    # Price every candidate road of every place in one go; like the router, each place picks
    # its candidate by road cost plus the off-road gap priced to choose (the first if tied).
    flat = [c for cands in snapped for c in cands or ()]
    place = np.repeat(np.arange(len(rows)), [len(c or ()) for c in snapped])
    cost, tree, owner = search.at(
        np.array([c.edge for c in flat], np.int64), np.array([c.fraction for c in flat])
    )
    gap = np.array([c.distance_m for c in flat])
    order = np.lexsort((np.arange(len(flat)), cost + gap * search.access_per_m, place))
    first = order[np.r_[True, place[order][1:] != place[order][:-1]]] if len(flat) else order
    chosen = dict(zip(place[first].tolist(), first.tolist(), strict=True))
    records = []
    for i, (name, name_ar, source, lon, lat) in enumerate(rows):
        rec: dict[str, Any] = {
            "name": name,
            "name_ar": name_ar,
            "source": source,
            "lon": lon,
            "lat": lat,
            "cost": np.inf,
            "distance_km": np.nan,
            "access_km": np.nan,
            "origin": "",
            "note": "",
        }
        if snapped[i] is None:
            rec["note"] = f"more than {max_snap_m / 1000:g} km from any road"
            records.append(rec)
            continue
        k = chosen[i]
        # Both off-road legs (the origin's and the place's) are reported, as route() does.
        if np.isfinite(cost[k]):
            rec.update(
                cost=cost[k] + gap[k] * search.shown_per_m,
                distance_km=(tree[k] + gap[k]) / 1000.0,
                origin=origins[int(owner[k])].name,
            )
        rec["access_km"] = gap[k] / 1000.0
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    scale = 3600.0 if unit == "h" else 1000.0
    cost = df["cost"].to_numpy()
    within = cost[:, None] <= np.asarray(limits)[None, :] * scale
    df["time_h"] = np.where(np.isfinite(cost), cost / 3600.0, np.nan) if unit == "h" else np.nan
    straight = np.array(
        [
            [haversine_m(o.lon, o.lat, x, y) for o in origins]
            for x, y in zip(df["lon"], df["lat"], strict=True)
        ]
    )
    df["straight_km"] = straight.reshape(len(df), -1).min(axis=1) / 1000.0
    df["band"] = _band_of(cost / scale, limits)
    df["reached"] = within[:, -1]
    for j, x in enumerate(limits):
        df[_band_label(x, unit)] = within[:, j]
    beyond = ~df["reached"] & (df["note"] == "") & np.isfinite(cost)
    df.loc[beyond, "note"] = f"beyond {_limit_text(limits[-1], unit)}"
    df.loc[~np.isfinite(cost) & (df["note"] == ""), "note"] = "no road connection"
    columns = [
        "name",
        "name_ar",
        "time_h",
        "distance_km",
        "straight_km",
        "access_km",
        "origin",
        "band",
        "reached",
        *[_band_label(x, unit) for x in limits],
        "note",
        "lon",
        "lat",
        "source",
    ]
    return df.sort_values("cost", kind="stable")[columns].reset_index(drop=True)


def _snap_places(
    net: RoadNetwork, lons: Sequence[float], lats: Sequence[float], max_snap_m: float
) -> list[list[Snap] | None]:
    """Candidate roads of every place (vectorised searches), None for a place off the network.

    A search stops at the first place off the network: its batch is then halved until that
    place stands alone (a few small searches per such place).
    """
    if len(lons) > _SNAP_BATCH:
        return [
            snaps
            for k in range(0, len(lons), _SNAP_BATCH)
            for snaps in _snap_places(
                net, lons[k : k + _SNAP_BATCH], lats[k : k + _SNAP_BATCH], max_snap_m
            )
        ]
    try:
        return list(snap_points(net, lons, lats, max_snap_m=max_snap_m))
    except OffNetworkError:
        if len(lons) == 1:
            return [None]
        mid = len(lons) // 2
        return _snap_places(net, lons[:mid], lats[:mid], max_snap_m) + _snap_places(
            net, lons[mid:], lats[mid:], max_snap_m
        )


def _candidate_places(
    net: RoadNetwork, extra: Sequence[PointLike]
) -> list[tuple[str, str, str, float, float]]:
    """Network place points inside its bbox, plus ``extra`` places not among them."""
    p = net.places
    if net.meta.bbox is not None:
        w, s, e, n = net.meta.bbox
        p = p[p["x"].between(w, e) & p["y"].between(s, n)]
    rows = [
        (
            str(r["name_en"] or r["name"]),
            str(r["name_ar"]),
            f"{net.meta.source}, place layer",
            float(r["x"]),
            float(r["y"]),
        )
        for r in p.to_dict("records")
    ]
    for loc in map(as_location, extra):
        known = [
            r for r in rows if haversine_m(r[3], r[4], loc.lon, loc.lat) < _SAME_PLACE_KM * 1000
        ]
        if not known:
            rows.append((loc.name, "", loc.source, loc.lon, loc.lat))
    return rows


# ----------------------------------------------------------------------------- helpers
def _limits(
    hours: float | Sequence[float] | None,
    km: float | Sequence[float] | None,
    contours: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[tuple[float, ...], Unit]:
    if sum(x is not None for x in (hours, km, contours)) != 1:
        raise ReachError("give exactly one of hours=, km= or contours= (the band limits)")
    if contours is not None:
        hours, km = _from_contours(contours)
    unit: Unit = "h" if hours is not None else "km"
    raw = hours if hours is not None else km
    values = list(raw) if isinstance(raw, Sequence) else [raw]
    if not values:
        raise ReachError(f"no band limits given in {unit}")
    if len(values) > MAX_BANDS:
        raise ReachError(
            f"at most {MAX_BANDS} bands, got {len(values):,}: each band is a polygon on the map "
            "and a column of the table"
        )
    what, most = ("hours", MAX_HOURS) if unit == "h" else ("km", MAX_KM)
    checked: set[float] = set()
    for x in values:
        if not isinstance(x, int | float) or not math.isfinite(x) or x <= 0:
            raise ReachError(f"band limits must be positive numbers of {what}, got {quoted(x)}")
        if x > most:
            raise ReachError(
                f"band limit {x:g} {unit} is above the {most:g} {unit} allowed: a regional road "
                "network is crossed well within that, and more only covers all of it"
            )
        checked.add(float(x))
    return tuple(sorted(checked)), unit


def _from_contours(
    contours: Sequence[Mapping[str, Any]],
) -> tuple[list[float] | None, list[float] | None]:
    """Valhalla's ``contours`` (``{"time": minutes}`` or ``{"distance": km}``) as hours or km."""
    if isinstance(contours, Mapping | str) or not isinstance(contours, Sequence):
        raise ReachError("contours must be a list like [{'time': 60}, {'time': 120}]")
    metrics: set[str] = set()
    values: list[Any] = []
    for c in contours:
        keys = set(c) - {"color"} if isinstance(c, Mapping) else set()
        if len(keys) != 1 or not keys <= {"time", "distance"}:
            raise ReachError(
                f"a contour is {{'time': minutes}} or {{'distance': km}} (and an optional "
                f"'color'), got {c!r}"
            )
        (metric,) = keys
        metrics.add(metric)
        values.append(c[metric])
    if len(metrics) > 1:
        raise ReachError("contours must all be 'time' or all 'distance', not both")
    if "time" in metrics:
        return [v / 60.0 if isinstance(v, int | float) else v for v in values], None
    return None, values


def _as_list(origins: PointLike | Sequence[PointLike]) -> list[PointLike]:
    if isinstance(origins, list):
        if not origins:
            raise ReachError("no origins given")
        return origins
    return [origins]


def _origin_candidates(net: RoadNetwork, origin: Location, max_snap_m: float) -> list[Snap]:
    """The candidate roads of an origin (the search starts from all of them, as routes do)."""
    try:
        return snap_candidates(net, origin.lon, origin.lat, max_snap_m=max_snap_m)
    except OffNetworkError as exc:
        raise OffNetworkError(f"origin {origin}: {exc}") from exc


def _main_snap(net: RoadNetwork, cands: list[Snap], labels: np.ndarray, main: int) -> Snap:
    """The nearest candidate road of the network's main component, to show the origin at.

    Tile data holds isolated fragments (a lone bridge piece), which are passed over unless
    no candidate joins the main network.
    """
    u = net.edges["u"].to_numpy()
    return next((c for c in cands if labels[u[c.edge]] == main), cands[0])


def _main_component(net: RoadNetwork) -> tuple[np.ndarray, int]:
    """Component label of each node, and the label holding the most road length."""
    labels = net.component_labels()
    km = np.bincount(labels[net.edges["u"].to_numpy()], weights=net.edges["length"].to_numpy())
    return labels, int(np.argmax(km))


def _limit_text(limit: float, unit: Unit) -> str:
    return f"{limit:g} {unit}"


def _band_label(limit: float, unit: Unit) -> str:
    return f"<= {_limit_text(limit, unit)}"


def _column_name(limit: float, unit: Unit) -> str:
    """A band's column name for file formats (``"within_2_h"``, ``"within_2.5_km"``)."""
    return f"within_{limit:g}_{unit}"


def _kind(kind: str) -> str:
    if kind not in LAYERS:
        raise InvalidArgumentError(f"unknown layer {kind!r}: use one of {', '.join(LAYERS)}")
    return kind


def _band_of(values: np.ndarray, limits: tuple[float, ...]) -> np.ndarray:
    """Smallest limit each value falls within, NaN beyond the largest."""
    edges = np.asarray(limits)
    idx = np.searchsorted(edges, values, side="left")
    return np.where(idx < len(edges), edges[np.minimum(idx, len(edges) - 1)], np.nan)


def _figures(time_h: float, distance_km: float) -> str:
    if np.isnan(distance_km):
        return "-"
    text = f"{distance_km:,.0f} km by road"
    if not np.isnan(time_h):
        text = f"{format_hours(time_h)}, " + text
    return text


def _feature(geom: shapely.Geometry, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": json.loads(shapely.to_geojson(geom)),
        "properties": props,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else round(float(value), 3)
    return value
