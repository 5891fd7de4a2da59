"""A resolved point: what the analyses take as origins, destinations and via points.

The analyses (:mod:`routing.analysis`) work on points, never on names: a :class:`Location`, a
``(lon, lat)`` pair, or any object with ``name``, ``lon`` and ``lat`` (a gazetteer
:class:`~routing.gazetteer.Place`). Names and ``"lat,lon"`` text are resolved by the
gazetteer, which the facade (:mod:`routing.api`) and the CLI call first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .exceptions import InvalidArgumentError, PlaceQueryError

__all__ = ["Location", "PointLike", "as_location"]

PointLike = Any  # Location, (lon, lat), or an object with name, lon and lat


@dataclass(frozen=True)
class Location:
    """A named point (WGS84 degrees) and where it came from.

    Attributes
    ----------
    name
        What to call it in outputs: the place name, or the coordinates.
    lon, lat
        The point.
    source
        Where the point comes from (a gazetteer source, ``"coordinates"``, ...).
    """

    name: str
    lon: float
    lat: float
    source: str

    def __str__(self) -> str:
        return self.name


def as_location(point: PointLike) -> Location:
    """A point as a :class:`Location`.

    Parameters
    ----------
    point
        A Location, a ``(lon, lat)`` pair, or an object with ``name``, ``lon`` and ``lat``.

    Raises
    ------
    InvalidArgumentError
        ``point`` is a name (resolve it with the gazetteer first) or not a point.
    PlaceQueryError
        The coordinates are out of range.

    Examples
    --------
    >>> as_location((43.30, 33.425))
    Location(name='(33.4250, 43.3000)', lon=43.3, lat=33.425, source='coordinates')
    """
    if isinstance(point, Location):
        return point
    if all(hasattr(point, a) for a in ("name", "lon", "lat")):
        loc = Location(
            str(point.name), float(point.lon), float(point.lat), str(getattr(point, "source", ""))
        )
        return _checked(loc, str(point.name))
    if isinstance(point, tuple | list) and len(point) == 2:
        try:
            lon, lat = float(point[0]), float(point[1])
        except (TypeError, ValueError):
            raise InvalidArgumentError(f"{point!r} is not a (lon, lat) pair of numbers") from None
        return _checked(Location(f"({lat:.4f}, {lon:.4f})", lon, lat, "coordinates"), str(point))
    if isinstance(point, str):
        raise InvalidArgumentError(
            f"{point!r} is a name, not a point: resolve it with routing.api.locate() or the "
            "gazetteer (routing.find_place), or call routing.route/reach/matrix, which do"
        )
    raise InvalidArgumentError(f"{point!r} is not a point: give a Location or (lon, lat)")


def _checked(loc: Location, text: str) -> Location:
    if not (math.isfinite(loc.lat) and math.isfinite(loc.lon)):
        raise PlaceQueryError(f"{text}: coordinates must be finite numbers")
    if not (-90 <= loc.lat <= 90 and -180 <= loc.lon <= 180):
        raise PlaceQueryError(
            f"{text}: latitude must be within ±90 and longitude within ±180 "
            "(tuples are (lon, lat); text points are 'lat,lon')"
        )
    return loc
