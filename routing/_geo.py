"""Geodesy shared by every module: one ellipsoid, one local frame, one ground circle.

Straight-line figures are geodesics on the WGS84 ellipsoid (pyproj's ``Geod``, as OSRM and
GIS tools report them). Local work (snapping, buffers, closures) uses a small-area frame around
a point, accurate to well under 0.1 % over tens of kilometres.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod, Transformer

__all__ = [
    "GEOD",
    "M_PER_DEG",
    "geodesic_m",
    "ground_circle",
    "ground_distance_m",
]

#: The WGS84 ellipsoid, for every straight-line distance and bearing.
GEOD = Geod(ellps="WGS84")
# Mean Earth radius (osmnx's great-circle radius) and metres per degree of latitude on it.
_EARTH_RADIUS_M = 6_371_009.0
#: Metres per degree of latitude (mean sphere), for local degree <-> metre conversions.
M_PER_DEG = _EARTH_RADIUS_M * np.pi / 180.0


def geodesic_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the WGS84 ellipsoid between two lon/lat points.

    Examples
    --------
    >>> round(geodesic_m(44.37, 33.31, 43.30, 33.425) / 1000, 1)  # Baghdad - Ramadi
    100.2
    """
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def ground_circle(lon: float, lat: float, radius_m: float) -> shapely.Polygon:
    """A circle of ``radius_m`` metres on the ground around a point, as a lon/lat polygon.

    Built in degrees and stretched in longitude by ``1 / cos(lat)``.
    """
    scale = np.array([1.0 / np.cos(np.radians(lat)), 1.0])
    disc = shapely.Point(0.0, 0.0).buffer(radius_m / M_PER_DEG, quad_segs=16)
    circle: shapely.Polygon = shapely.transform(disc, lambda c: c * scale + [lon, lat])
    return circle


def ground_distance_m(lon: float, lat: float, geometry: shapely.Geometry) -> float:
    """Metres from a point to the nearest part of a lon/lat geometry.

    Measured in an azimuthal equidistant projection centred on the point, where distances
    from the centre are true on the WGS84 ellipsoid.
    """
    aeqd = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
    )
    local = shapely.transform(
        geometry, lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1]))
    )
    return float(shapely.distance(shapely.Point(0.0, 0.0), local))
