"""Attach points to the road network at the nearest point of a road, not the nearest junction.

On coarse data (zoom-7 tiles hold only motorway/trunk/primary roads) a town often lies some
kilometres off every road, and the nearest road may be on the wrong bank of a river. So
:func:`snap_candidates` returns the roads within ``max(2 x nearest, nearest + 5 km)`` of the
point (the twelve nearest), and the router picks among them with the off-road gap as part of
the cost (as Valhalla does with several candidate edges). Two rules keep a point where it
belongs:

* a point within :data:`ON_ROAD_M` of a road lies on it and starts on it: the roads it lies on
  (several at a junction) are its only candidates;
* small strongly connected pieces (under :data:`SMALL_PIECE_SHARE` of the network's road
  length: one-way stubs, gated compounds, roads cut at a tile seam) are no candidates for a
  point off the road while a road of a larger piece lies within ``max_snap_m``: a route
  could not leave them. A point lying on one starts there all the same.

A point farther than ``max_snap_m`` from every road raises
:class:`~routing.exceptions.OffNetworkError`.

The search runs on the network's edge R-tree with boxes that grow until every point's answer is
settled, and measures the hits with numpy in a local equirectangular frame around each point
(accurate to well under 0.1 % over tens of kilometres); distances are reported as geodesic
metres on the WGS84 ellipsoid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from .._geo import M_PER_DEG, haversine_m, segment_lengths_m
from ..exceptions import InvalidArgumentError, OffNetworkError
from ..network import RoadNetwork

__all__ = [
    "DEFAULT_MAX_SNAP_M",
    "ON_ROAD_M",
    "SMALL_PIECE_SHARE",
    "Snap",
    "SnapIndex",
    "nearest_snap",
    "road_label",
    "snap_candidates",
    "snap_index",
    "snap_points",
]

# Zoom-7 tiles hold only major roads: towns can be 10-20 km from the nearest one.
DEFAULT_MAX_SNAP_M = 25_000.0
# Candidate radius: max(factor x nearest, nearest + slack).
_CANDIDATE_FACTOR = 2.0
_CANDIDATE_SLACK_M = 5_000.0
_MAX_CANDIDATES = 12
_MAX_WIDE_CANDIDATES = 48
#: A point this close to a road lies on it, and starts on it: half the width of a wide road
#: plus the error of a pin on a map, less than the gap between the carriageways of most
#: divided roads in OSM.
ON_ROAD_M = 10.0
#: A strongly connected piece of the network holding less than this share of its road length
#: is small: points attach to the larger pieces unless they lie on it.
SMALL_PIECE_SHARE = 0.01
# Candidate search: boxes of this half-width first, growing by this factor until settled.
_FIRST_BOX_M = 300.0
_BOX_GROWTH = 4.0
_INDEX_ATTR = "_routing_snap_index"


@dataclass(frozen=True)
class Snap:
    """Where a point joins the network.

    Attributes
    ----------
    edge
        Index of the edge in ``net.edges``.
    fraction
        Position along the edge, 0 at ``u`` and 1 at ``v`` (by length).
    lon, lat
        The snapped point on the road.
    distance_m
        Great-circle distance from the query point to the snapped point.
    highway, ref, name
        Class, reference and name of the road snapped to.
    """

    edge: int
    fraction: float
    lon: float
    lat: float
    distance_m: float
    highway: str
    ref: str
    name: str

    @property
    def road(self) -> str:
        """Human label of the road: ref and name where present, else its class."""
        return road_label(self.ref, self.name, self.highway)

    def describe(self) -> str:
        """E.g. ``'Route 12 (primary), 2.3 km off-road'``."""
        return f"{self.road} ({self.highway}), {self.distance_m / 1000:.1f} km off-road"


def road_label(ref: str, name: str, highway: str) -> str:
    """How a road is named in summaries: ``'Route 12 (Baghdad Road)'``, a name, or the class."""
    ref_text = ref.replace(";", "/")
    if ref_text and not ref_text[0].isalpha():
        ref_text = f"Route {ref_text}"
    if ref_text and name:
        return f"{ref_text} ({name})"
    return ref_text or name or f"unnamed {highway}"


def snap_candidates(
    net: RoadNetwork,
    lon: float,
    lat: float,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    candidates: bool = True,
) -> list[Snap]:
    """Candidate attachments of a point to the network, nearest first (see the module notes).

    Parameters
    ----------
    net
        The road network.
    lon, lat
        The point (WGS84 degrees).
    max_snap_m
        Farthest allowed distance from the point to a road.
    candidates
        If False return only the nearest attachment.

    Raises
    ------
    OffNetworkError
        No road lies within ``max_snap_m`` of the point.
    """
    return snap_points(net, [lon], [lat], max_snap_m=max_snap_m, candidates=candidates)[0]


def snap_points(
    net: RoadNetwork,
    lons: Sequence[float] | np.ndarray,
    lats: Sequence[float] | np.ndarray,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    candidates: bool = True,
    wide: bool = False,
    on_road: bool = True,
) -> list[list[Snap]]:
    """:func:`snap_candidates` for many points at once (vectorised search and geometry).

    Parameters
    ----------
    net
        The road network.
    lons, lats
        The points (WGS84 degrees), same length.
    max_snap_m
        Farthest allowed distance from a point to a road.
    candidates
        If False return only the nearest attachment of each point.
    wide
        Every road within ``max_snap_m`` is a candidate (up to 48 per point, nearest first),
        not only the nearby ones, and small pieces count like any road: the fallback when the
        nearby roads join a destination only by an implausible detour (a gap in the data).
    on_road
        A point within :data:`ON_ROAD_M` of a road starts on it (the roads it lies on are its
        only candidates, small pieces included). False lets every nearby road of the
        connected network compete, for a point whose road is cut off.

    Returns
    -------
    list of list of Snap
        Per point, its candidate attachments nearest first.

    Raises
    ------
    InvalidArgumentError
        ``max_snap_m`` is not positive, or ``lons`` and ``lats`` differ in length.
    OffNetworkError
        A point is not a valid coordinate, or no road lies within ``max_snap_m`` of it (the
        first such point is named).
    """
    if not max_snap_m > 0:  # also rejects NaN
        raise InvalidArgumentError(f"max_snap_m must be a positive distance, got {max_snap_m!r}")
    lon, lat = np.asarray(lons, float).ravel(), np.asarray(lats, float).ravel()
    if len(lon) != len(lat):
        raise InvalidArgumentError(f"{len(lon)} longitudes but {len(lat)} latitudes")
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    if not valid.all():
        i = int(np.argmin(valid))
        raise OffNetworkError(f"({lat[i]}, {lon[i]}) is not a valid latitude, longitude")
    if net.n_edges == 0:
        raise OffNetworkError("the network has no roads")
    if len(lon) == 0:
        return []
    index = snap_index(net)
    limit = _MAX_WIDE_CANDIDATES if wide else _MAX_CANDIDATES if candidates else 1
    found = _search(index, lon, lat, max_snap_m, limit, candidates, wide, on_road)
    far = np.flatnonzero(found.nearest_m > max_snap_m)
    if len(far):
        i = int(far[0])
        nearest = float(found.nearest_m[i])
        raise _too_far(
            net, float(lon[i]), float(lat[i]), max_snap_m, None if np.isinf(nearest) else nearest
        )
    k = found.point
    true_m = segment_lengths_m(lon[k], lat[k], found.lon, found.lat)
    out: list[list[Snap]] = [[] for _ in range(len(lon))]
    for p, i, f, x, y, d, h, r, n in zip(
        k.tolist(),
        found.edge.tolist(),
        found.fraction.tolist(),
        found.lon.tolist(),
        found.lat.tolist(),
        np.asarray(true_m).tolist(),
        index.highway[found.edge].tolist(),
        index.ref[found.edge].tolist(),
        index.name[found.edge].tolist(),
        strict=True,
    ):
        out[p].append(Snap(i, f, x, y, d, h, r, n))
    return out


@dataclass(frozen=True, eq=False)
class SnapIndex:
    """What snapping reads of a network, prepared once per network (:func:`snap_index`).

    Attributes
    ----------
    highway, ref, name
        Per edge, as plain string arrays (the frame's columns are categorical).
    piece
        Per edge, its strongly connected piece (-1 for an edge between two pieces).
    piece_km
        Road length of each piece, km.
    small
        Per edge: it lies on a small piece, one holding less than :data:`SMALL_PIECE_SHARE` of
        the network's road length (a one-way stub, a gated compound, a road cut at a tile
        seam), or between pieces.
    """

    net: RoadNetwork
    highway: np.ndarray
    ref: np.ndarray
    name: np.ndarray
    piece: np.ndarray
    piece_km: np.ndarray
    small: np.ndarray


def snap_index(net: RoadNetwork) -> SnapIndex:
    """The snapping index of a network, built on first use and kept with the network."""
    found: SnapIndex | None = net.__dict__.get(_INDEX_ATTR)
    if found is None:
        e = net.edges
        u, v = e["u"].to_numpy(np.int64), e["v"].to_numpy(np.int64)
        two = ~e["oneway"].to_numpy(bool)
        tail, head = np.concatenate([u, v[two]]), np.concatenate([v, u[two]])
        n = net.n_nodes
        adj = coo_array((np.ones(len(tail), np.int8), (tail, head)), shape=(n, n)).tocsr()
        labels = np.asarray(connected_components(adj, directed=True, connection="strong")[1])
        piece = np.where(labels[u] == labels[v], labels[u], -1)
        length_km = e["length"].to_numpy(float) / 1000.0
        inside = piece >= 0
        piece_km = np.bincount(piece[inside], weights=length_km[inside], minlength=n)
        small_piece = piece_km < SMALL_PIECE_SHARE * length_km.sum()
        found = SnapIndex(
            net,
            e["highway"].astype(str).to_numpy(),
            e["ref"].astype(str).to_numpy(),
            e["name"].astype(str).to_numpy(),
            piece,
            piece_km,
            ~inside | small_piece[np.maximum(piece, 0)],
        )
        net.__dict__[_INDEX_ATTR] = found
    return found


@dataclass(frozen=True)
class _Found:
    """Chosen candidates, grouped by point and nearest first, and each point's nearest road."""

    point: np.ndarray
    edge: np.ndarray
    fraction: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    nearest_m: np.ndarray


def _search(
    index: SnapIndex,
    lon: np.ndarray,
    lat: np.ndarray,
    max_snap_m: float,
    limit: int,
    candidates: bool,
    wide: bool,
    on_road: bool,
) -> _Found:
    """Candidate roads of every point, searching boxes that grow until the answer is sure.

    The candidates of a point are its ``limit`` nearest roads within its candidate radius
    (``max(2 x nearest, nearest + 5 km)``, the nearest alone, or ``max_snap_m`` when
    ``wide``), leaving out small pieces while a road of a larger one lies within
    ``max_snap_m`` (the radius then follows the nearest road of a larger piece if none lies
    within the radius of the nearest road). A box of half-width ``w`` holds every road within
    ``w`` metres (in the point's local frame), so a point is settled once its box reaches its
    radius or holds ``limit`` allowed roads within ``w``.
    """
    net = index.net
    n = len(lon)
    coslat = np.cos(np.radians(lat))
    width = np.full(n, _FIRST_BOX_M)
    pending = np.arange(n)
    any_piece = np.full(n, wide)  # small pieces allowed: a wide search, or nothing else near
    parts: list[tuple[np.ndarray, ...]] = []
    nearest_m = np.full(n, np.inf)
    while len(pending):
        w = np.minimum(width[pending], max_snap_m)
        deg = w / M_PER_DEG
        x, y, c = lon[pending], lat[pending], coslat[pending]
        boxes = shapely.box(x - deg / c, y - deg, x + deg / c, y + deg)
        local, edge = net.edge_tree.query(boxes, predicate="intersects")
        point = pending[local]
        dist, frac, sx, sy = _nearest_on_edges(net, lon, lat, coslat, point, edge)
        m = len(pending)
        near_any = np.full(m, np.inf)
        np.minimum.at(near_any, local, dist)
        # A point on a road starts on it: the roads it lies on are its only candidates.
        lying = (near_any <= ON_ROAD_M) & on_road & ~wide
        allowed = np.where(lying[local], dist <= ON_ROAD_M, any_piece[point] | ~index.small[edge])
        near = np.full(m, np.inf)
        np.minimum.at(near, local[allowed], dist[allowed])
        if wide:
            radius = np.full(m, max_snap_m)
        elif candidates:
            # The radius follows the nearest road of any piece (how far off the roads the
            # point is), unless no road of a larger piece lies within it.
            spread = np.maximum(_CANDIDATE_FACTOR * near_any, near_any + _CANDIDATE_SLACK_M)
            own = np.maximum(_CANDIDATE_FACTOR * near, near + _CANDIDATE_SLACK_M)
            spread = np.where(near <= spread, spread, own)
            radius = np.minimum(np.where(lying, ON_ROAD_M, spread), max_snap_m)
        else:
            radius = np.minimum(near, max_snap_m)
        inside = allowed & (dist <= np.minimum(radius, w)[local])
        count = np.bincount(local[inside], minlength=m)
        done = (w >= radius) | (count >= limit)
        # Only small pieces within max_snap_m: search again among them.
        retry = done & (near > max_snap_m) & (near_any <= max_snap_m) & ~any_piece[pending]
        any_piece[pending[retry]] = True
        done &= ~retry
        nearest_m[pending[done]] = near[done]
        keep = inside & done[local]
        parts.append((point[keep], edge[keep], dist[keep], frac[keep], sx[keep], sy[keep]))
        width[pending[~done & ~retry]] *= _BOX_GROWTH
        pending = pending[~done]
    point, edge, dist, frac, sx, sy = (np.concatenate(a) for a in zip(*parts, strict=True))
    order = np.lexsort((dist, point))  # by point, then nearest first
    rank = np.arange(len(order)) - np.searchsorted(point[order], point[order])
    order = order[rank < limit]
    return _Found(point[order], edge[order], frac[order], sx[order], sy[order], nearest_m)


def _nearest_on_edges(
    net: RoadNetwork,
    lon: np.ndarray,
    lat: np.ndarray,
    coslat: np.ndarray,
    point: np.ndarray,
    edge: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each (point, edge) pair: distance (m), fraction along the edge, nearest lon/lat.

    Measured in the point's local frame (longitude scaled by the cosine of its latitude, one
    unit one degree of latitude), the fraction by length in that frame, as shapely's
    ``line_locate_point`` would on the edge drawn in it.
    """
    if not len(edge):
        empty = np.empty(0)
        return empty, empty, empty, empty
    first = net.offsets[edge]
    n_seg = net.offsets[edge + 1] - first - 1
    group = np.repeat(np.arange(len(edge)), n_seg)
    group_start = np.cumsum(n_seg) - n_seg
    vertex = first[group] + np.arange(len(group)) - group_start[group]
    p = point[group]
    ox, oy, c = lon[p], lat[p], coslat[p]
    ax = (net.coords[vertex, 0] - ox) * c
    ay = net.coords[vertex, 1] - oy
    dx = (net.coords[vertex + 1, 0] - ox) * c - ax
    dy = net.coords[vertex + 1, 1] - oy - ay
    seg2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(seg2 > 0, np.clip(-(ax * dx + ay * dy) / seg2, 0.0, 1.0), 0.0)
    px, py = ax + t * dx, ay + t * dy
    d2 = px * px + py * py
    best = np.minimum.reduceat(d2, group_start)
    # The first segment at the least distance, as GEOS projects a point onto a line.
    hits = np.flatnonzero(d2 == best[group])
    seg = hits[np.unique(group[hits], return_index=True)[1]]
    seg_len = np.sqrt(seg2)
    # Sums within each edge only, so that a point's answer does not depend on its batch.
    earlier = np.where(np.arange(len(group)) < seg[group], seg_len, 0.0)
    total = np.add.reduceat(seg_len, group_start)
    along = np.add.reduceat(earlier, group_start) + t[seg] * seg_len[seg]
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(total > 0, np.clip(along / total, 0.0, 1.0), 0.0)
    c_hit = coslat[point]
    return (
        np.sqrt(best) * M_PER_DEG,
        fraction,
        px[seg] / c_hit + lon[point],
        py[seg] + lat[point],
    )


def nearest_snap(
    net: RoadNetwork, lon: float, lat: float, *, max_snap_m: float = DEFAULT_MAX_SNAP_M
) -> Snap:
    """The single nearest attachment of a point (see :func:`snap_candidates`)."""
    return snap_candidates(net, lon, lat, max_snap_m=max_snap_m, candidates=False)[0]


def _too_far(
    net: RoadNetwork, lon: float, lat: float, max_snap_m: float, nearest_m: float | None = None
) -> OffNetworkError:
    if nearest_m is None:
        idx = int(net.edge_tree.query_nearest(shapely.Point(lon, lat))[0])
        c = net.edge_coords(idx)
        nearest_m = float(haversine_m(lon, lat, c[:, 0], c[:, 1]).min())
    msg = (
        f"point ({lat:.4f}, {lon:.4f}) is {nearest_m / 1000:,.1f} km from the nearest road "
        f"(limit {max_snap_m / 1000:g} km; data: {net.meta.describe()})"
    )
    lo, hi, la, ha = net.bbox[0], net.bbox[2], net.bbox[1], net.bbox[3]
    if not (lo <= lon <= hi and la <= lat <= ha) and lo <= lat <= hi and la <= lon <= ha:
        msg += "; did you swap latitude and longitude? (text points are 'lat,lon')"
    return OffNetworkError(msg)
