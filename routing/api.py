"""The facade for notebooks and the command line: names and regions in, analyses out.

Every function here resolves what a person types — a region name or data path, a place name,
``"lat,lon"`` text — and calls the analysis that works on resolved objects
(:mod:`routing.analysis`, :mod:`routing.claims`). The top-level package re-exports them, so
``routing.route("Husaybah", "Baghdad")`` works as is.

Examples
--------
On the shipped default region (``western-iraq``, OSM data read from ``../shared/osm``):

>>> import routing
>>> r = routing.route("Ramadi", "Fallujah")
>>> round(r.straight_km), round(r.length_km), r.profile.name
(46, 49, 'car')
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

from .analysis import crosscheck as _crosscheck
from .analysis import matrix as _matrix
from .analysis import reach as _reach
from .analysis import routes as _routes
from .analysis.scenarios import Scenario
from .batch.cluster import ClusterLike
from .batch.matrix import MatrixParts, matrix_parquet
from .batch.points import POINT_SUFFIXES, is_points_file, read_points
from .claims.check import check_claims
from .claims.io import load_claims
from .claims.model import ClaimFile
from .claims.results import ClaimResult
from .exceptions import DataFormatError, DataNotFoundError, DataWarning, InvalidArgumentError
from .gazetteer import find_place
from .location import Location, as_location
from .network import RoadNetwork
from .sources import Source, load_network, regions

__all__ = [
    "alternatives",
    "check",
    "compare",
    "crosscheck",
    "locate",
    "matrix",
    "network",
    "reach",
    "route",
    "second_network",
    "shortest_and_fastest",
]

NetworkLike = RoadNetwork | Source | str | Path | None
PlaceLike = Any  # a place name, "lat,lon" text, (lon, lat), a Location or a gazetteer Place


def network(net: NetworkLike = None) -> RoadNetwork:
    """A network as given, or loaded by region name, path or source (``None``: the default).

    Raises
    ------
    DataNotFoundError, DataFormatError, RegionError
        As :func:`~routing.sources.load_network`.

    Examples
    --------
    >>> net = network("western-iraq")
    >>> net.meta.region, net.meta.zoom, net.meta.osm_date
    ('western-iraq', 7, '2021-02-01')
    """
    return net if isinstance(net, RoadNetwork) else load_network(net)


def locate(place: PlaceLike, net: RoadNetwork | None = None) -> Location:
    """A place name, ``"lat,lon"`` text, ``(lon, lat)`` or gazetteer Place as a Location.

    Names are looked up in the gazetteer (the network's own place points first).

    Raises
    ------
    PlaceNotFoundError, AmbiguousPlaceError, PlaceQueryError
        The name is unknown or ambiguous, or the coordinates are out of range.

    Examples
    --------
    >>> husaybah = locate("Husaybah")
    >>> husaybah.name, round(husaybah.lon, 2), round(husaybah.lat, 2)
    ('Husaybah', 41.01, 34.42)
    >>> locate("33.31,44.37").lon
    44.37
    """
    if isinstance(place, str):
        found = find_place(place, net)
        return Location(str(found.name), float(found.lon), float(found.lat), str(found.source))
    return as_location(place)


def route(
    origin: PlaceLike,
    destination: PlaceLike,
    *,
    net: NetworkLike = None,
    via: Sequence[PlaceLike] = (),
    **kwargs: Any,
) -> _routes.Route:
    """:func:`routing.analysis.routes.route` with names and regions resolved.

    ``net`` is a network, a region name or a data path (``None``: the default region); the
    other keyword arguments (``profile``, ``optimize``, ``scenario``, ``max_snap_m``) are the
    analysis function's.

    Examples
    --------
    >>> r = route("Ramadi", "Fallujah", optimize="time")
    >>> r.length_km >= r.straight_km  # a road is never shorter than the straight line
    True
    >>> r.roads()[["road", "highway"]].to_numpy().tolist()  # the roads taken, in order
    [['unnamed primary', 'primary']]
    """
    g = network(net)
    a, b, stops = _points(g, origin, destination, via)
    return _routes.route(a, b, net=g, via=stops, **kwargs)


def shortest_and_fastest(
    origin: PlaceLike, destination: PlaceLike, *, net: NetworkLike = None, **kwargs: Any
) -> tuple[_routes.Route, _routes.Route]:
    """:func:`routing.analysis.routes.shortest_and_fastest` with names and regions resolved."""
    g = network(net)
    a, b, _ = _points(g, origin, destination, ())
    return _routes.shortest_and_fastest(a, b, net=g, **kwargs)


def alternatives(
    origin: PlaceLike,
    destination: PlaceLike,
    k: int = 3,
    *,
    net: NetworkLike = None,
    via: Sequence[PlaceLike] = (),
    **kwargs: Any,
) -> list[_routes.Route]:
    """:func:`routing.analysis.routes.alternatives` with names and regions resolved."""
    g = network(net)
    a, b, stops = _points(g, origin, destination, via)
    return _routes.alternatives(a, b, k, net=g, via=stops, **kwargs)


def compare(
    origin: PlaceLike,
    destination: PlaceLike,
    scenario: Scenario,
    *,
    net: NetworkLike = None,
    **kwargs: Any,
) -> _routes.ScenarioComparison:
    """:func:`routing.analysis.routes.compare` with names and regions resolved."""
    g = network(net)
    a, b, _ = _points(g, origin, destination, ())
    return _routes.compare(a, b, scenario, net=g, **kwargs)


@overload
def matrix(
    origins: Sequence[PlaceLike] | str | Path,
    destinations: Sequence[PlaceLike] | str | Path | None = None,
    *,
    net: NetworkLike = None,
    cluster: None = None,
    out: None = None,
    **kwargs: Any,
) -> _matrix.Matrix: ...


@overload
def matrix(
    origins: Sequence[PlaceLike] | str | Path,
    destinations: Sequence[PlaceLike] | str | Path | None = None,
    *,
    net: NetworkLike = None,
    cluster: ClusterLike = None,
    out: str | Path,
    **kwargs: Any,
) -> MatrixParts: ...


def matrix(
    origins: Sequence[PlaceLike] | str | Path,
    destinations: Sequence[PlaceLike] | str | Path | None = None,
    *,
    net: NetworkLike = None,
    cluster: ClusterLike = None,
    out: str | Path | None = None,
    **kwargs: Any,
) -> _matrix.Matrix | MatrixParts:
    """:func:`routing.analysis.matrix.matrix` with names and regions resolved.

    ``origins`` and ``destinations`` are lists of places, or each a points file (CSV or
    GeoParquet with ids: :func:`~routing.batch.points.read_points`). With ``out`` (a folder)
    the origins are computed in blocks on a Dask cluster (``cluster``: a client, a cluster
    object or a scheduler address; default a local cluster) and written there as partitioned
    Parquet, and a :class:`~routing.batch.matrix.MatrixParts` is returned
    (:func:`~routing.batch.matrix.matrix_parquet`; keyword ``block_origins``).

    Examples
    --------
    >>> m = matrix(["Qaim", "Ramadi"], ["Baghdad"])
    >>> m.distance_km.round(-1)
              Baghdad
    Al-Qa'im    400.0
    Ramadi      110.0
    """
    g = network(net)
    src = _places_or_file(origins, g)
    dst = None if destinations is None else _places_or_file(destinations, g)
    if out is not None:
        return matrix_parquet(src, dst, out, net=g, cluster=cluster, **kwargs)
    if cluster is not None:
        raise InvalidArgumentError("a matrix on a cluster needs out=, the folder for its parts")
    return _matrix.matrix(src, dst, net=g, **kwargs)


def reach(
    origins: PlaceLike | Sequence[PlaceLike],
    *,
    net: NetworkLike = None,
    places: Sequence[PlaceLike] | None = None,
    **kwargs: Any,
) -> _reach.Reach:
    """:func:`routing.analysis.reach.reach` with names and regions resolved.

    ``places`` defaults to the towns the region's pack lists (``places:``), when the network
    comes from a region pack.
    """
    g = network(net)
    many = isinstance(origins, list | tuple) and not _is_pair(origins)
    starts = [locate(o, g) for o in (origins if many else [origins])]
    if places is None:
        places = _region_places(g)
    return _reach.reach(
        starts if many else starts[0], net=g, places=[locate(p, g) for p in places], **kwargs
    )


def crosscheck(
    origin: PlaceLike,
    destination: PlaceLike,
    *,
    net: NetworkLike = None,
    second: NetworkLike | bool = True,
    **kwargs: Any,
) -> _crosscheck.CrossCheck:
    """:func:`routing.analysis.crosscheck.cross_check` with names and regions resolved.

    ``second`` is the independent network: ``True`` (default) takes the region pack's
    ``crosscheck`` network, ``False`` or ``None`` none, anything else is loaded.

    Examples
    --------
    >>> c = crosscheck("Ramadi", "Hit")  # z7 OSM against Natural Earth
    >>> c.primary.label, c.second.label, c.settled
    ('z7 OSM', 'Natural Earth', True)
    """
    g = network(net)
    a, b, _ = _points(g, origin, destination, ())
    return _crosscheck.cross_check(a, b, g, second_network(g, second), **kwargs)


def second_network(net: RoadNetwork, second: NetworkLike | bool = True) -> RoadNetwork | None:
    """The independent network to cross-check ``net``'s figures on (see :func:`crosscheck`).

    The region pack's cross-check network (``second=True``) is optional data: when its
    files are missing or broken, figures go unchecked with a :class:`DataWarning` saying
    so, rather than no figure at all. A network named by the caller must load.
    """
    if second is False or second is None:
        return None
    if second is not True:
        return network(second)
    pack = regions().get(net.meta.region or "")
    if not (pack and pack.crosscheck):
        return None
    try:
        return load_network(pack.crosscheck)
    except (DataNotFoundError, DataFormatError) as exc:
        warnings.warn(
            f"figures are not cross-checked on {pack.crosscheck!r}: {exc}",
            DataWarning,
            stacklevel=2,
        )
        return None


def check(
    claims: ClaimFile | str | Path, *, net: NetworkLike = None, **kwargs: Any
) -> list[ClaimResult]:
    """Check a claim file (a path or a loaded :class:`~routing.claims.model.ClaimFile`).

    Keyword arguments (``draws``, ``seed``, ...) are :func:`~routing.claims.check_claims`'s;
    ``second`` defaults to the region pack's cross-check network.

    Examples
    --------
    >>> from routing.claims import loads_claims
    >>> claims = loads_claims('''
    ... version: 1
    ... claims:
    ...   - id: ramadi-fallujah
    ...     kind: distance
    ...     quote: "Fallujah, about 50 km east of Ramadi"
    ...     from: Ramadi
    ...     to: Fallujah
    ...     value: 50
    ...     unit: km
    ...     qualifier: about
    ... ''')
    >>> [(r.claim_id, r.verdict.value) for r in check(claims, draws=200)]
    [('ramadi-fallujah', 'accurate')]
    """
    claim_file = claims if isinstance(claims, ClaimFile) else load_claims(claims)
    g = network(net)
    kwargs.setdefault("second", second_network(g))
    return check_claims(claim_file, g, **kwargs)


def _points(
    net: RoadNetwork, origin: PlaceLike, destination: PlaceLike, via: Sequence[PlaceLike]
) -> tuple[Location, Location, list[Location]]:
    return locate(origin, net), locate(destination, net), [locate(v, net) for v in via]


def _places_or_file(places: Sequence[PlaceLike] | str | Path, net: RoadNetwork) -> list[Location]:
    """Places resolved, or the points of a points file."""
    if not isinstance(places, str | Path):
        return [locate(p, net) for p in places]
    if not is_points_file(places):
        raise InvalidArgumentError(
            f"{str(places)!r}: give a list of places, or a points file ("
            + ", ".join(POINT_SUFFIXES)
            + ")"
        )
    return read_points(places)


def _is_pair(value: Sequence[Any]) -> bool:
    """A ``(lon, lat)`` pair of numbers, not a list of places."""
    return len(value) == 2 and all(isinstance(v, int | float) for v in value)


def _region_places(net: RoadNetwork) -> tuple[str, ...]:
    pack = regions().get(net.meta.region or "")
    return pack.places if pack is not None else ()
