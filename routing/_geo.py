"""Geodesy shared by every module: one ellipsoid, one local frame, one ground circle.

Straight-line figures are geodesics on the WGS84 ellipsoid (pyproj's ``Geod``, as OSRM and
GIS tools report them). Local work (snapping, buffers, closures) uses a small-area frame around
a point, accurate to well under 0.1 % over tens of kilometres.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

__all__ = [
    "EARTH_RADIUS_M",
    "GEOD",
    "M_PER_DEG",
    "geodesic_m",
    "ground_circle",
    "ground_distance_m",
    "ground_distances_m",
    "haversine_m",
    "segment_lengths_m",
]

#: The WGS84 ellipsoid, for every length, straight-line distance and bearing.
GEOD = Geod(ellps="WGS84")
#: Mean Earth radius (osmnx's great-circle radius), for quick spherical estimates.
EARTH_RADIUS_M = 6_371_009.0
#: Metres per degree of latitude (mean sphere), for local degree <-> metre conversions.
M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0
# WGS84 semi-major axis and first eccentricity squared.
_A = 6_378_137.0
_E2 = 6.69437999014e-3
# Segments shorter than this use the ellipsoid's local radii of curvature (error under a
# millimetre); longer ones are solved exactly by pyproj.
_LOCAL_MAX_M = 5_000.0


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the WGS84 ellipsoid between two lon/lat points.

    Examples
    --------
    >>> round(geodesic_m(44.37, 33.31, 43.30, 33.425) / 1000, 1)  # Baghdad - Ramadi
    100.4
    """
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def haversine_m(
    lon1: np.ndarray | float,
    lat1: np.ndarray | float,
    lon2: np.ndarray | float,
    lat2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance in metres on the mean sphere (osmnx's formula; vectorised).

    For quick estimates and ranking; reported lengths use :func:`segment_lengths_m` or
    :func:`geodesic_m` (the ellipsoid).
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def segment_lengths_m(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Geodesic lengths in metres of many segments on the WGS84 ellipsoid (vectorised).

    Short segments (the vertices of a road) use the ellipsoid's meridional and normal radii
    of curvature at their mid-latitude, which is exact to well under a millimetre below
    5 km; longer ones are solved by pyproj's geodesic.

    Examples
    --------
    >>> lon, lat = np.array([44.0, 44.0]), np.array([33.0, 33.001])
    >>> round(float(segment_lengths_m(lon[:1], lat[:1], lon[1:], lat[1:])[0]), 1)
    110.9
    """
    lon1, lat1, lon2, lat2 = (np.asarray(v, float) for v in (lon1, lat1, lon2, lat2))
    phi = np.radians((lat1 + lat2) / 2)
    w = 1.0 - _E2 * np.sin(phi) ** 2
    meridional = _A * (1.0 - _E2) / w**1.5
    normal = _A / np.sqrt(w)
    dy = np.radians(lat2 - lat1) * meridional
    dx = np.radians((lon2 - lon1 + 180.0) % 360.0 - 180.0) * normal * np.cos(phi)
    out: np.ndarray = np.hypot(dx, dy)
    far = np.flatnonzero(out > _LOCAL_MAX_M)
    if len(far):
        out[far] = GEOD.inv(lon1[far], lat1[far], lon2[far], lat2[far])[2]
    return out


def ground_circle(lon: float, lat: float, radius_m: float) -> shapely.Polygon:
    """A circle of ``radius_m`` metres on the ground around a point, as a lon/lat polygon.

    Built in degrees and stretched in longitude by ``1 / cos(lat)``.
    """
    scale = np.array([1.0 / np.cos(np.radians(lat)), 1.0])
    disc = shapely.Point(0.0, 0.0).buffer(radius_m / M_PER_DEG, quad_segs=16)
    circle: shapely.Polygon = shapely.transform(disc, lambda c: c * scale + [lon, lat])
    return circle


def ground_distance_m(lon: float, lat: float, geometry: shapely.Geometry) -> float:
    """Metres from a point to the nearest part of a lon/lat geometry (WGS84 geodesic).

    The nearest point is found in a local frame around the point (degrees of longitude
    scaled by the cosine of the latitude), and the distance to it is the geodesic on the
    ellipsoid: exact for that point, and the choice of point is exact up to the frame's
    distortion (well under 1 % across hundreds of kilometres).
    """
    return float(ground_distances_m(lon, lat, np.asarray([geometry], dtype=object))[0])


def ground_distances_m(lon: float, lat: float, geometries: np.ndarray) -> np.ndarray:
    """:func:`ground_distance_m` from one point to each of many geometries (vectorised)."""
    scale = np.array([np.cos(np.radians(lat)), 1.0])
    local = shapely.transform(geometries, lambda xy: (xy - [lon, lat]) * scale)
    origin = shapely.Point(0.0, 0.0)
    nearest = shapely.get_coordinates(shapely.shortest_line(local, origin))[0::2]
    back = nearest / scale + [lon, lat]
    n = len(back)
    out: np.ndarray = np.asarray(
        GEOD.inv(np.full(n, lon), np.full(n, lat), back[:, 0], back[:, 1])[2]
    )
    return out
