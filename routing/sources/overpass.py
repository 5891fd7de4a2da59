"""Road networks downloaded from the Overpass API through osmnx.

Responses are cached by osmnx under ``routing.settings.cache_dir() / "overpass"``, so a query
made once works offline afterwards. The endpoint is ``osmnx.settings.overpass_url`` (and
``osmnx.settings.nominatim_url`` for place names), so a mirror or a local server can be used
by setting those.

Ways go through the same filter and the same segment rules as OSM files
(:mod:`routing.sources._osmfile`), so an Overpass download and an extract of the same data give the
same network.

A server that cannot help fails fast and says why, without osmnx's waits (60 s when the
status endpoint is odd, 55 s before each unbounded retry of a busy server):

* the endpoint's ``/status`` is asked first, with ``connect_timeout`` for connecting and for
  the answer: a closed port, a host that does not answer, or a server that accepts the
  connection and then says nothing, is reported within seconds (an answer osmnx has cached
  is still used);
* the query waits ``timeout`` seconds (the budget Overpass is given for it, plus a margin);
* HTTP errors, a body that is not Overpass JSON, and a query Overpass stopped (its
  ``remark``: out of time or memory, which would otherwise pass as a partial network) are
  reported as such; a busy server (HTTP 429, 503, 504) is retried ``retries`` times, a few
  seconds apart.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

import networkx as nx
import osmnx as ox
import requests

from .._text import quoted
from ..exceptions import (
    DataNotFoundError,
    InvalidArgumentError,
    OverpassUnavailableError,
    PlaceNotFoundError,
)
from ..network import NetworkMeta, RoadNetwork, check_bbox
from ..settings import cache_dir, writable_cache_dir
from ._osmfile import network_from_graph, osmnx_settings, osmnx_way_tags, way_filter

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT_S",
    "network_from_overpass",
]

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_CONNECT_TIMEOUT_S = 5.0
DEFAULT_RETRIES = 1

# Extra wait beyond the query's budget (at most the budget again), so Overpass's own
# "timed out" answer arrives first.
_ANSWER_MARGIN_S = 5.0
# How long a query waits on an endpoint whose /status already failed.
_GIVE_UP_S = 1.0
# Pause before retrying a busy server (its Retry-After is honoured up to this).
_RETRY_PAUSE_S = 3.0
# Longest wait for a free Overpass slot announced by /status before giving up.
_MAX_SLOT_WAIT_S = 30.0
_BUSY = frozenset({429, 503, 504})

_OFFLINE_HINT = (
    "work offline instead: load an OSM extract with network_from_osm_file() "
    "(e.g. Geofabrik's iraq-latest.osm.pbf) or the bundled tiles with load_network()"
)


class _Busy(Exception):
    """The server answered 429/503/504: worth another try after a pause."""

    def __init__(self, status: int, pause_s: float) -> None:
        super().__init__(status)
        self.status, self.pause_s = status, pause_s


def network_from_overpass(
    *,
    bbox: tuple[float, float, float, float] | None = None,
    place: str | None = None,
    network_type: str = "drive",
    timeout: float = DEFAULT_TIMEOUT_S,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
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
        Seconds Overpass may spend on the query (sent to it as the query timeout); its
        answer is awaited that long plus a few seconds.
    connect_timeout
        Seconds to wait for a connection, and for the endpoint's status page to answer.
    retries
        How many times a busy server (HTTP 429, 503, 504) is asked again.

    Returns
    -------
    RoadNetwork
        ``meta.osm_date`` is Overpass's ``timestamp_osm_base`` for a fresh download;
        osmnx's cache does not keep it, so an answer from the cache has ``"unknown"`` and
        says ``cached response`` in ``meta.source``.

    Raises
    ------
    OverpassUnavailableError
        The endpoint cannot be reached, does not answer in time, answers with an HTTP error or
        with something that is not Overpass JSON, stops the query, or stays busy.
    PlaceNotFoundError
        Nominatim found no boundary polygon for ``place``.
    DataNotFoundError
        The area holds no roads of the network type.
    InvalidBBoxError
        ``bbox`` is not a valid ``(west, south, east, north)`` box.
    InvalidArgumentError
        Timeouts or retries out of range.
    """
    if (bbox is None) == (place is None):
        raise InvalidArgumentError("give exactly one of bbox or place")
    if not (0 < connect_timeout <= 600 and 0 < timeout <= 3600 and 0 <= retries <= 10):
        raise InvalidArgumentError(
            "need 0 < connect_timeout <= 600 s, 0 < timeout <= 3600 s and 0 <= retries <= 10"
        )
    keep = way_filter(network_type)
    if bbox is not None:
        bbox = check_bbox(bbox)
    url = ox.settings.overpass_url
    # An endpoint that is down or silent is known within connect_timeout. The query is still
    # sent (osmnx answers it from its cache offline) but not waited for again.
    trouble = _probe(url, connect_timeout, wait_for_slot=bool(ox.settings.overpass_rate_limit))
    connect_s = min(connect_timeout, _GIVE_UP_S) if trouble else connect_timeout
    margin = min(_ANSWER_MARGIN_S, timeout)
    answer_s = min(connect_timeout, _GIVE_UP_S) if trouble else timeout + margin
    capture = _ResponseCheck(url)
    writable = writable_cache_dir() is not None  # warns once when it is not
    overrides: dict[str, Any] = {
        "cache_folder": cache_dir() / "overpass",
        "use_cache": writable,
        "requests_timeout": (connect_s, answer_s),
        # osmnx also writes its timeout into the query: keep that the query's budget.
        "overpass_settings": ox.settings.overpass_settings.replace("{timeout}", str(timeout)),
        "useful_tags_way": osmnx_way_tags(keep),
        "requests_kwargs": {**ox.settings.requests_kwargs, "hooks": {"response": capture}},
        # Checked above: osmnx's own check waits 60 s when /status is odd.
        "overpass_rate_limit": False,
    }
    for attempt in range(retries + 1):
        try:
            with osmnx_settings(**overrides):
                # Unsimplified: network_from_graph filters first, then simplifies (_osmfile).
                if bbox is not None:
                    graph = ox.graph_from_bbox(
                        bbox, network_type=network_type, simplify=False, retain_all=True
                    )
                else:
                    graph = _graph_from_place(str(place), network_type)
            break
        except _Busy as busy:
            if attempt == retries:
                raise OverpassUnavailableError(
                    f"the Overpass API at {url} is busy (HTTP {busy.status}, {retries + 1} "
                    f"attempts); try again later or {_OFFLINE_HINT}"
                ) from busy
            time.sleep(busy.pause_s)
        except (requests.ConnectionError, requests.Timeout) as exc:
            why = trouble or _describe(exc, connect_s, answer_s)
            raise OverpassUnavailableError(
                f"cannot reach the Overpass API at {url} ({why}); {_OFFLINE_HINT}"
            ) from exc
        except ValueError as exc:
            if not _empty_answer(exc):
                raise
            raise DataNotFoundError(
                f"Overpass returned no road data for {quoted(place or bbox)}"
            ) from exc

    where = f"place {quoted(place)}" if place else "bbox " + ",".join(f"{c:g}" for c in bbox or ())
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
    except (TypeError, ValueError) as exc:
        # osmnx raises these when Nominatim finds nothing or no boundary polygon.
        if "Nominatim" not in str(exc):
            raise
        raise PlaceNotFoundError(place) from exc


def _empty_answer(exc: ValueError) -> bool:
    """osmnx's signal that the answer held no data (its InsufficientResponseError).

    The class lives in a private osmnx module; it is recognised by where it comes from rather
    than imported from there.
    """
    return type(exc).__module__.startswith("osmnx") and type(exc).__name__.startswith(
        "Insufficient"
    )


def _describe(exc: Exception, connect_s: float, answer_s: float) -> str:
    """Why a request failed, in words."""
    if isinstance(exc, requests.ConnectTimeout):
        return f"no connection within {connect_s:g} s"
    if isinstance(exc, requests.ReadTimeout):
        return f"it accepted the connection but sent no answer within {answer_s:g} s"
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "aborted" in text or "remotedisconnected" in text:
        return "it closed the connection without an answer"
    return type(exc).__name__


def _probe(url: str, connect_s: float, *, wait_for_slot: bool) -> str | None:
    """Ask ``{url}/status``: why the endpoint cannot be used now, or ``None`` if it answers.

    Raises
    ------
    OverpassUnavailableError
        The status names a free slot further away than :data:`_MAX_SLOT_WAIT_S`.
    """
    try:
        response = requests.get(url.rstrip("/") + "/status", timeout=(connect_s, connect_s))
    except (requests.ConnectionError, requests.Timeout) as exc:
        return _describe(exc, connect_s, connect_s)
    if response.status_code != 200 or not wait_for_slot:
        return None  # some mirrors have no /status; the query itself will tell
    pause = _slot_pause(response.text)
    if pause > _MAX_SLOT_WAIT_S:
        raise OverpassUnavailableError(
            f"the Overpass API at {url} has no free slot for {pause:.0f} s; try again later or "
            + _OFFLINE_HINT
        )
    time.sleep(pause)
    return None


_SLOT = re.compile(r"Slot available after: (\S+), in (\d+) seconds")


def _slot_pause(status: str) -> float:
    """Seconds until Overpass has a free slot for us, from its ``/status`` text."""
    if re.search(r"^\d+ slots? available now", status, re.M):
        return 0.0
    waits = [int(m.group(2)) for m in _SLOT.finditer(status)]
    return float(min(waits)) if waits else 0.0


class _ResponseCheck:
    """A requests response hook that checks Overpass answers and records their data date.

    It raises (out of osmnx, which would otherwise retry busy servers forever, wait 55 s
    between tries, and read a body that is not JSON as "no data") on HTTP errors, bodies
    that are not Overpass JSON, and queries Overpass stopped.
    """

    # Overpass puts osm3s first in its JSON, so the head of the body is enough.
    _PATTERN = re.compile(rb'"timestamp_osm_base"\s*:\s*"([^"]+)"')

    def __init__(self, url: str) -> None:
        self.url = url
        self.osm_date: str | None = None
        self.fresh = False

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if not response.url.endswith("/interpreter"):
            return
        self.fresh = True
        status = response.status_code
        if status in _BUSY:
            after = response.headers.get("Retry-After", "")
            pause = float(after) if after.isdigit() else _RETRY_PAUSE_S
            raise _Busy(status, min(pause, _RETRY_PAUSE_S))
        body = response.content
        if status != 200:
            raise OverpassUnavailableError(
                f"the Overpass API at {self.url} answered with an error: HTTP {status} "
                f"{response.reason}: {quoted(body[:200].decode('utf-8', 'replace'))}"
            )
        try:
            doc = response.json()
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or not isinstance(doc.get("elements"), list):
            raise OverpassUnavailableError(
                f"the Overpass API at {self.url} answered HTTP 200 with something that is not "
                f"Overpass JSON: {quoted(body[:200].decode('utf-8', 'replace'))}"
            )
        remark = str(doc.get("remark") or "")
        if "error" in remark.lower():
            raise OverpassUnavailableError(
                f"Overpass stopped the query: {quoted(remark, 200)}; the network would be "
                "partial: give a smaller area or a larger timeout"
            )
        match = self._PATTERN.search(body[:2048])
        if match:
            stamp = datetime.fromisoformat(match.group(1).decode().replace("Z", "+00:00"))
            self.osm_date = stamp.astimezone(UTC).date().isoformat()
