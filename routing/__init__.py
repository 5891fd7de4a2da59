"""routing: reachability and distance analysis on OpenStreetMap road networks.

Load a road network (offline vector tiles, ``.osm``/``.osm.pbf`` files, or Overpass), ask how
far and how long by road, what is reachable within a time budget, and whether a published
claim about distance or travel time holds, with every figure's assumptions stated.
"""

from __future__ import annotations

from ._version import __version__
from .analysis.matrix import matrix
from .analysis.routes import Route, alternatives, route, shortest_and_fastest
from .analysis.scenarios import Scenario
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
    RoutingError,
)
from .gazetteer import Gazetteer, Place, find_place
from .network import NetworkMeta, RoadNetwork
from .sources import REGIONS, load_network

__all__ = [
    "REGIONS",
    "AmbiguousPlaceError",
    "CacheError",
    "ClaimFileError",
    "DataNotFoundError",
    "DataOutsideBoundsError",
    "Gazetteer",
    "NetworkMeta",
    "NoRouteError",
    "OffNetworkError",
    "OverpassUnavailableError",
    "Place",
    "PlaceNotFoundError",
    "Profile",
    "ProfileError",
    "RoadNetwork",
    "Route",
    "RoutingError",
    "Scenario",
    "__version__",
    "alternatives",
    "available_profiles",
    "find_place",
    "get_profile",
    "load_network",
    "matrix",
    "route",
    "shortest_and_fastest",
]
