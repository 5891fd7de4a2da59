"""Road networks downloaded from the Overpass API through osmnx.

Responses are cached by osmnx under ``routing.settings.cache_dir() / "overpass"``, so a query
made once works offline afterwards. The endpoint is ``osmnx.settings.overpass_url`` (and
``osmnx.settings.nominatim_url`` for place names), so a mirror or a local server can be used
by setting those.

Ways go through the same filter and the same segment rules as OSM files
(:mod:`routing.sources._osmfile`), so an Overpass download and an extract of the same data give the
same network.
"""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import osmnx as ox
import requests
from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

from ..exceptions import (
    DataNotFoundError,
    InvalidArgumentError,
    OverpassUnavailableError,
    PlaceNotFoundError,
)
from ..network import NetworkMeta, RoadNetwork, check_bbox
from ..settings import cache_dir
from ._osmfile import network_from_graph, osmnx_settings, osmnx_way_tags, way_filter

__all__ = ["DEFAULT_TIMEOUT_S", "network_from_overpass"]

DEFAULT_TIMEOUT_S = 60.0

# How long to wait for a TCP connection to the endpoint before treating it as unreachable.
_CONNECT_PROBE_S = 3.0

_OFFLINE_HINT = (
    "work offline instead: load an OSM extract with network_from_osm_file() "
    "(e.g. Geofabrik's iraq-latest.osm.pbf) or the bundled tiles with load_network()"
)


def network_from_overpass(
    *,
    bbox: tuple[float, float, float, float] | None = None,
    place: str | None = None,
    network_type: str = "drive",
    timeout: float = DEFAULT_TIMEOUT_S,
) -> RoadNetwork:
    """Download the road network of a bounding box or a named place from Overpass.

    Parameters
    ----------
    bbox
        ``(west, south, east, north)`` in degrees.
    place
        A place name geocoded to its boundary polygon by Nominatim (osmnx's
        ``graph_from_place``), e.g. ``"Al-Qa'im, Iraq"``. Give either ``bbox`` or ``place``.
    network_type
        osmnx network type, ``"drive"`` or ``"drive_service"``.
    timeout
        Seconds to wait for each HTTP response (also sent to Overpass as the query timeout).

    Returns
    -------
    RoadNetwork
        ``meta.osm_date`` is Overpass's ``timestamp_osm_base`` for a fresh download;
        osmnx's cache does not keep it, so an answer from the cache has ``"unknown"`` and
        says ``cached response`` in ``meta.source``.

    Raises
    ------
    OverpassUnavailableError
        The endpoint cannot be reached, times out or answers with an error.
    PlaceNotFoundError
        Nominatim found no boundary polygon for ``place``.
    DataNotFoundError
        The area holds no roads of the network type.
    DataOutsideBoundsError
        ``bbox`` is not a valid ``(west, south, east, north)`` box.
    """
    if (bbox is None) == (place is None):
        raise InvalidArgumentError("give exactly one of bbox or place")
    keep = way_filter(network_type)
    if bbox is not None:
        bbox = check_bbox(bbox)
    url = ox.settings.overpass_url
    capture = _OsmBaseCapture()
    overrides: dict[str, Any] = {
        "cache_folder": cache_dir() / "overpass",
        "use_cache": True,
        "requests_timeout": timeout,
        "useful_tags_way": osmnx_way_tags(keep),
        "requests_kwargs": {**ox.settings.requests_kwargs, "hooks": {"response": capture}},
        # osmnx first asks {url}/status how long to wait and, if that fails, sleeps 60 s.
        # Ask only when the server answers at all; an unreachable one then fails at once
        # unless osmnx has the answer cached.
        "overpass_rate_limit": ox.settings.overpass_rate_limit and _accepts_connections(url),
    }
    try:
        with osmnx_settings(**overrides):
            # Unsimplified: network_from_graph filters first, then simplifies (see _osmfile).
            if bbox is not None:
                graph = ox.graph_from_bbox(
                    bbox, network_type=network_type, simplify=False, retain_all=True
                )
            else:
                graph = _graph_from_place(str(place), network_type)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise OverpassUnavailableError(
            f"cannot reach the Overpass API at {url} ({type(exc).__name__}); {_OFFLINE_HINT}"
        ) from exc
    except ResponseStatusCodeError as exc:
        raise OverpassUnavailableError(
            f"the Overpass API at {url} answered with an error: {exc}; {_OFFLINE_HINT}"
        ) from exc
    except InsufficientResponseError as exc:
        raise DataNotFoundError(f"Overpass returned no road data for {place or bbox}") from exc

    where = f"place {place!r}" if place else "bbox " + ",".join(f"{c:g}" for c in bbox or ())
    meta = NetworkMeta(
        source=f"Overpass API via osmnx ({network_type!r} roads"
        + (")" if capture.fresh else ", cached response)"),
        path=f"{url} ({where})",
        osm_date=capture.osm_date or "unknown",
        bbox=bbox,
    )
    return network_from_graph(graph, keep, meta)


def _graph_from_place(place: str, network_type: str) -> nx.MultiDiGraph:
    try:
        return ox.graph_from_place(
            place, network_type=network_type, simplify=False, retain_all=True
        )
    except (TypeError, InsufficientResponseError) as exc:
        # osmnx raises these when Nominatim finds nothing or no boundary polygon.
        if "Nominatim" not in str(exc):
            raise
        raise PlaceNotFoundError(place) from exc


def _accepts_connections(url: str) -> bool:
    """Whether the endpoint's host accepts a TCP connection within a few seconds."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=_CONNECT_PROBE_S):
            return True
    except OSError:
        return False


class _OsmBaseCapture:
    """A requests response hook that records Overpass's data date from fresh responses."""

    # Overpass puts osm3s first in its JSON, so the head of the body is enough.
    _PATTERN = re.compile(rb'"timestamp_osm_base"\s*:\s*"([^"]+)"')

    def __init__(self) -> None:
        self.osm_date: str | None = None
        self.fresh = False

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if not response.url.endswith("/interpreter"):
            return
        self.fresh = True
        match = self._PATTERN.search(response.content[:2048])
        if match:
            stamp = datetime.fromisoformat(match.group(1).decode().replace("Z", "+00:00"))
            self.osm_date = stamp.astimezone(UTC).date().isoformat()
