"""Analysis results as GeoDataFrame layers, one per kind of feature, for ``--out`` files.

Columns are flat (text and numbers, no lists), so every layer writes to GeoPackage and GPX as
it does to GeoJSON; each layer carries the data source and credit line of its figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import shapely

from ..analysis.routes import Route

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["route_layers"]


def route_layers(routes: Sequence[tuple[str, Route]]) -> dict[str, gpd.GeoDataFrame]:
    """``routes`` (label, route) as two layers: ``routes`` (lines) and ``points`` (the ends).

    The ``points`` layer holds each place as given (origin, via points, destination), with
    the road it joins and the off-road leg to it, taken from the first route.
    """
    import geopandas as gpd

    lines = []
    for label, r in routes:
        main = r.roads().nlargest(3, "km")["road"].astype(str)
        lines.append(
            {
                "route": label,
                "origin": r.origin.name,
                "destination": r.destination.name,
                "via": "; ".join(v.name for v in r.via),
                "optimize": r.optimize,
                "profile": r.profile.name,
                "length_km": round(r.length_km, 3),
                "road_km": round(r.road_km, 3),
                "access_km": round(r.access_km, 3),
                "time_h": round(r.time_h, 4),
                "time_min": round(r.time_h * 60.0, 1),
                "straight_km": round(r.straight_km, 3),
                "detour_factor": round(r.detour_factor, 4),
                "main_roads": "; ".join(main),
                "notes": " | ".join(r.notes),
                "data": r.net.meta.describe(),
                "attribution": r.net.meta.credit(),
            }
        )
    first = routes[0][1]
    places = [first.origin, *first.via, first.destination]
    roles = ["origin", *["via"] * len(first.via), "destination"]
    points = [
        {
            "name": p.name,
            "role": role,
            "lon": p.lon,
            "lat": p.lat,
            "road": s.road,
            "access_km": round(s.distance_m / 1000.0, 3),
            "attribution": first.net.meta.credit(),
        }
        for p, role, s in zip(places, roles, first.snaps, strict=True)
    ]
    return {
        "routes": gpd.GeoDataFrame(
            lines, geometry=[r.geometry for _, r in routes], crs="EPSG:4326"
        ),
        "points": gpd.GeoDataFrame(
            points, geometry=[shapely.Point(p.lon, p.lat) for p in places], crs="EPSG:4326"
        ),
    }
