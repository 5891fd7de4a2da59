"""Attach points to the road network at the nearest point of a road, not the nearest junction.

On coarse data (zoom-7 tiles hold only motorway/trunk/primary roads) a town often lies some
kilometres off every road, and the nearest road may be on the wrong bank of a river. So
:func:`snap_candidates` returns every edge within ``max(2 x nearest, nearest + 5 km)`` of the
point, and the router picks among them with the off-road gap as part of the cost (as Valhalla
does with several candidate edges). A point farther than ``max_snap_m`` from every road raises
:class:`~routing.exceptions.OffNetworkError`.

Distances are computed in a local equirectangular frame around the point (accurate to well
under 0.1 % over tens of kilometres) and reported as geodesic metres on the WGS84 ellipsoid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from .._geo import M_PER_DEG, haversine_m, segment_lengths_m
from ..exceptions import InvalidArgumentError, OffNetworkError
from ..network import RoadNetwork

__all__ = [
    "DEFAULT_MAX_SNAP_M",
    "Snap",
    "nearest_snap",
    "road_label",
    "snap_candidates",
    "snap_points",
]

# Zoom-7 tiles hold only major roads: towns can be 10-20 km from the nearest one.
DEFAULT_MAX_SNAP_M = 25_000.0
# Candidate radius: max(factor x nearest, nearest + slack).
_CANDIDATE_FACTOR = 2.0
_CANDIDATE_SLACK_M = 5_000.0
_MAX_CANDIDATES = 12
_MAX_WIDE_CANDIDATES = 48


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
    """Candidate attachments of a point to the network, nearest first.

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
) -> list[list[Snap]]:
    """:func:`snap_candidates` for many points at once (one tree query, vectorised geometry).

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
        not only the nearby ones: the fallback when the nearby roads join a destination only
        by an implausible detour (a gap in the data).

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
    coslat = np.cos(np.radians(lat))
    # Search box: the candidate radius around an upper bound of the nearest distance (the
    # road nearest in degrees), never beyond max_snap_m. On detailed data this is a few km
    # instead of max_snap_m, which would hold thousands of side streets per point.
    given = shapely.points(lon, lat)
    which, nearest_edge = net.edge_tree.query_nearest(given)
    first = np.unique(which, return_index=True)[1]
    line = net.geometries[nearest_edge[first]]
    on = shapely.line_interpolate_point(line, shapely.line_locate_point(line, given))
    bound = np.asarray(haversine_m(lon, lat, shapely.get_x(on), shapely.get_y(on)))
    bound = bound * 1.01 + 1.0  # the local frame below differs from haversine by < 0.1 %
    reach = (
        np.full(len(lon), max_snap_m)
        if wide
        else np.maximum(_CANDIDATE_FACTOR * bound, bound + _CANDIDATE_SLACK_M)
        if candidates
        else bound
    )
    deg_lat = np.minimum(reach, max_snap_m) / M_PER_DEG
    boxes = shapely.box(
        lon - deg_lat / coslat, lat - deg_lat, lon + deg_lat / coslat, lat + deg_lat
    )
    point, edge = net.edge_tree.query(boxes, predicate="intersects")
    # Each hit in its point's local frame: x scaled by cos(lat) so that one unit is one degree
    # of latitude everywhere, origin at the point.
    xy, part = shapely.get_coordinates(net.geometries[edge], return_index=True)
    xy = (xy - np.column_stack([lon, lat])[point[part]]) * np.column_stack(
        [coslat[point[part]], np.ones(len(part))]
    )
    lines = shapely.linestrings(xy, indices=part)
    origin = shapely.Point(0.0, 0.0)
    dist = shapely.distance(lines, origin) * M_PER_DEG
    nearest = np.full(len(lon), np.inf)
    np.minimum.at(nearest, point, dist)
    far = np.flatnonzero(nearest > max_snap_m)
    if len(far):
        i = int(far[0])
        raise _too_far(
            net,
            float(lon[i]),
            float(lat[i]),
            max_snap_m,
            None if np.isinf(nearest[i]) else float(nearest[i]),
        )
    radius = (
        np.full(len(lon), max_snap_m)
        if wide
        else np.maximum(_CANDIDATE_FACTOR * nearest, nearest + _CANDIDATE_SLACK_M)
        if candidates
        else nearest
    )
    keep = np.flatnonzero(dist <= radius[point])
    keep = keep[np.lexsort((dist[keep], point[keep]))]  # by point, then nearest first
    rank = np.arange(len(keep)) - np.searchsorted(point[keep], point[keep])
    limit = _MAX_WIDE_CANDIDATES if wide else _MAX_CANDIDATES if candidates else 1
    keep = keep[rank < limit]
    fractions = shapely.line_locate_point(lines[keep], origin, normalized=True)
    pts = shapely.get_coordinates(
        shapely.line_interpolate_point(lines[keep], fractions, normalized=True)
    )
    owner, idx = point[keep], edge[keep]
    snapped = pts / np.column_stack([coslat[owner], np.ones(len(owner))]) + np.column_stack(
        [lon[owner], lat[owner]]
    )
    true_m = segment_lengths_m(lon[owner], lat[owner], snapped[:, 0], snapped[:, 1])
    e = net.edges
    out: list[list[Snap]] = [[] for _ in range(len(lon))]
    for k, i, f, x, y, d, h, r, n in zip(
        owner.tolist(),
        idx.tolist(),
        np.clip(fractions, 0.0, 1.0).tolist(),
        snapped[:, 0].tolist(),
        snapped[:, 1].tolist(),
        np.asarray(true_m).tolist(),
        e["highway"].to_numpy()[idx],
        e["ref"].to_numpy()[idx],
        e["name"].to_numpy()[idx],
        strict=True,
    ):
        out[k].append(Snap(i, f, x, y, d, str(h), str(r), str(n)))
    return out


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
