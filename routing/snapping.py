"""Attach points to the road network at the nearest point of a road, not the nearest junction.

On coarse data (zoom-7 tiles hold only motorway/trunk/primary roads) a town often lies some
kilometres off every road, and the nearest road may be on the wrong bank of a river. So
:func:`snap_candidates` returns every edge within ``max(2 x nearest, nearest + 5 km)`` of the
point, and the router picks among them with the off-road gap as part of the cost (as Valhalla
does with several candidate edges). A point farther than ``max_snap_m`` from every road raises
:class:`~routing.exceptions.OffNetworkError`.

Distances are computed in a local equirectangular frame around the point (accurate to well
under 0.1 % over tens of kilometres) and reported as great-circle metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .exceptions import OffNetworkError
from .network import EARTH_RADIUS_M, RoadNetwork, haversine_m

__all__ = [
    "DEFAULT_MAX_SNAP_M",
    "Snap",
    "nearest_snap",
    "snap_candidates",
]

# Zoom-7 tiles hold only major roads: towns can be 10-20 km from the nearest one.
DEFAULT_MAX_SNAP_M = 25_000.0
# Candidate radius: max(factor x nearest, nearest + slack).
_CANDIDATE_FACTOR = 2.0
_CANDIDATE_SLACK_M = 5_000.0
_MAX_CANDIDATES = 12
_M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0


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
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise OffNetworkError(f"({lat}, {lon}) is not a valid latitude, longitude")
    if net.n_edges == 0:
        raise OffNetworkError("the network has no roads")
    coslat = float(np.cos(np.radians(lat)))
    deg_lat = max_snap_m / _M_PER_DEG
    box = shapely.box(lon - deg_lat / coslat, lat - deg_lat, lon + deg_lat / coslat, lat + deg_lat)
    hits = net.edge_tree.query(box, predicate="intersects")
    if len(hits) == 0:
        raise _too_far(net, lon, lat, max_snap_m)
    # Local frame: x scaled by cos(lat) so that one unit is one degree of latitude everywhere.
    def local(geom: np.ndarray) -> np.ndarray:
        return np.asarray(shapely.transform(geom, lambda c: (c - [lon, lat]) * [coslat, 1.0]))

    lines = local(net.geometries[hits])
    origin = shapely.Point(0.0, 0.0)
    dist = shapely.distance(lines, origin) * _M_PER_DEG
    nearest = float(dist.min())
    if nearest > max_snap_m:
        raise _too_far(net, lon, lat, max_snap_m, nearest)
    radius = max(_CANDIDATE_FACTOR * nearest, nearest + _CANDIDATE_SLACK_M) if candidates \
        else nearest
    keep = np.flatnonzero(dist <= radius)
    keep = keep[np.argsort(dist[keep], kind="stable")][: _MAX_CANDIDATES if candidates else 1]
    fractions = shapely.line_locate_point(lines[keep], origin, normalized=True)
    points = shapely.line_interpolate_point(lines[keep], fractions, normalized=True)
    xy = shapely.get_coordinates(points) / [coslat, 1.0] + [lon, lat]
    true_m = haversine_m(lon, lat, xy[:, 0], xy[:, 1])
    idx = hits[keep]
    rows = net.edges.iloc[idx]
    return [
        Snap(int(i), float(np.clip(f, 0.0, 1.0)), float(x), float(y), float(d), str(h), r, n)
        for i, f, x, y, d, h, r, n in zip(
            idx, fractions, xy[:, 0], xy[:, 1], true_m, rows["highway"], rows["ref"],
            rows["name"], strict=True)
    ]


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
    msg = (f"point ({lat:.4f}, {lon:.4f}) is {nearest_m / 1000:,.1f} km from the nearest road "
           f"(limit {max_snap_m / 1000:g} km; data: {net.meta.describe()})")
    lo, hi, la, ha = net.bbox[0], net.bbox[2], net.bbox[1], net.bbox[3]
    if not (lo <= lon <= hi and la <= lat <= ha) and lo <= lat <= hi and la <= lon <= ha:
        msg += "; did you swap latitude and longitude? (text points are 'lat,lon')"
    return OffNetworkError(msg)
