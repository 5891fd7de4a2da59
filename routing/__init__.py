"""routing: reachability and distance analysis on OpenStreetMap road networks.

Load a road network (offline vector tiles, ``.osm``/``.osm.pbf`` files, or Overpass), ask how
far and how long by road, what is reachable within a time budget, and whether a published
claim about distance or travel time holds, with every figure's assumptions stated.

The functions here take place names and region names (:mod:`routing.api`); the modules
underneath work on resolved objects: :mod:`routing.sources` (data -> network),
:mod:`routing.engine` (shortest paths), :mod:`routing.analysis` (routes, matrices, reach),
:mod:`routing.claims` (claim files and verdicts), :mod:`routing.output` (figures, reports).
"""

from __future__ import annotations

from ._version import __version__
from .analysis.routes import Route
from .analysis.scenarios import Scenario
from .api import (
    alternatives,
    check,
    compare,
    locate,
    matrix,
    network,
    reach,
    route,
    shortest_and_fastest,
)
from .engine.profiles import Profile, available_profiles, get_profile
from .exceptions import (
    AmbiguousPlaceError,
    CacheError,
    ClaimFileError,
    DataNotFoundError,
    DataOutsideBoundsError,
    NoRouteError,
    OffNetworkError,
    OverpassUnavailableError,
    PlaceNotFoundError,
    ProfileError,
    RegionError,
    RoutingError,
)
from .gazetteer import Gazetteer, Place, find_place
from .location import Location
from .network import NetworkMeta, RoadNetwork
from .sources import load_network, regions

__all__ = [
    "AmbiguousPlaceError",
    "CacheError",
    "ClaimFileError",
    "DataNotFoundError",
    "DataOutsideBoundsError",
    "Gazetteer",
    "Location",
    "NetworkMeta",
    "NoRouteError",
    "OffNetworkError",
    "OverpassUnavailableError",
    "Place",
    "PlaceNotFoundError",
    "Profile",
    "ProfileError",
    "RegionError",
    "RoadNetwork",
    "Route",
    "RoutingError",
    "Scenario",
    "__version__",
    "alternatives",
    "available_profiles",
    "check",
    "compare",
    "find_place",
    "get_profile",
    "load_network",
    "locate",
    "matrix",
    "network",
    "reach",
    "regions",
    "route",
    "shortest_and_fastest",
]
