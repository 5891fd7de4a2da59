"""routing: reachability and distance analysis on OpenStreetMap road networks.

Load a road network (offline vector tiles, ``.osm``/``.osm.pbf`` files, or Overpass), ask how
far and how long by road, what is reachable within a time budget, and whether a published
claim about distance or travel time holds, with every figure's assumptions stated.
"""

from __future__ import annotations

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
from .network import NetworkMeta, RoadNetwork

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPlaceError",
    "CacheError",
    "ClaimFileError",
    "DataNotFoundError",
    "DataOutsideBoundsError",
    "NetworkMeta",
    "NoRouteError",
    "OffNetworkError",
    "OverpassUnavailableError",
    "PlaceNotFoundError",
    "ProfileError",
    "RoadNetwork",
    "RoutingError",
    "__version__",
]
