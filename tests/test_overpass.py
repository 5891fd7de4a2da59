"""Tests for routing.sources.overpass against a stand-in Overpass/Nominatim server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import osmnx as ox
import pytest
from fixtures import make_fixtures as town
from pyproj import Geod

from routing.exceptions import (
    DataNotFoundError,
    DataOutsideBoundsError,
    OverpassUnavailableError,
    PlaceNotFoundError,
)
from routing.sources._osmfile import network_from_osm_file
from routing.sources.overpass import network_from_overpass

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


TOWN_OSM = Path(__file__).parent / "fixtures" / "town.osm"
BBOX = (40.98, 34.35, 41.07, 34.39)
# A silent stand-in holds the connection this long; the timeouts tested are far shorter.
SILENCE_S = 3.0

STATUS = (
    "Connected as: 1\nCurrent time: 2024-05-01T12:00:00Z\nAnnounced endpoint: none\n"
    "Rate limit: 2\n2 slots available now.\n"
    "Currently running queries (pid, space limit, time limit, start time):\n"
)
NOMINATIM_TOWN = {
    "place_id": 1,
    "osm_type": "relation",
    "osm_id": 99,
    "lat": "34.37",
    "lon": "41.02",
    "boundingbox": [str(BBOX[1]), str(BBOX[3]), str(BBOX[0]), str(BBOX[2])],
    "display_name": "Test Town, Iraq",
    "class": "boundary",
    "type": "administrative",
    "importance": 0.5,
    "geojson": {
        "type": "Polygon",
        "coordinates": [
            [
                [BBOX[0], BBOX[1]],
                [BBOX[2], BBOX[1]],
                [BBOX[2], BBOX[3]],
                [BBOX[0], BBOX[3]],
                [BBOX[0], BBOX[1]],
            ]
        ],
    },
}


class _StandIn(ThreadingHTTPServer):
    """Answers /api/status, /api/interpreter and /search; counts requests per path.

    Faults: ``interpreter_status`` (an HTTP error), ``interpreter_body`` (raw bytes instead of
    the JSON), ``silent`` (paths it accepts and never answers), ``status_status``.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: Counter[str] = Counter()
        self.overpass: dict[str, Any] = town.overpass_json()
        self.interpreter_status = 200
        self.interpreter_body: bytes | None = None
        self.status_status = 200
        self.silent: set[str] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _StandIn

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.requests[path] += 1
        if path in self.server.silent:
            time.sleep(SILENCE_S)
        elif path == "/api/status":
            self._send(self.server.status_status, STATUS.encode(), "text/plain")
        elif path == "/search":
            found = "Test Town" in self.path.replace("+", " ").replace("%20", " ")
            self._send(200, json.dumps([NOMINATIM_TOWN] if found else []).encode())
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests[self.path] += 1
        if self.path in self.server.silent:
            time.sleep(SILENCE_S)
        elif self.server.interpreter_status != 200:
            self._send(self.server.interpreter_status, b"server overloaded", "text/plain")
        elif self.server.interpreter_body is not None:
            self._send(200, self.server.interpreter_body)
        else:
            self._send(200, json.dumps(self.server.overpass).encode())

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def standin() -> Iterator[_StandIn]:
    server = _StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(standin: _StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> _StandIn:
    """The stand-in, reset, with osmnx pointed at it and a fresh cache directory."""
    standin.requests.clear()
    standin.overpass = town.overpass_json()
    standin.interpreter_status = 200
    standin.interpreter_body = None
    standin.status_status = 200
    standin.silent = set()
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(ox.settings, "overpass_url", standin.url + "/api")
    monkeypatch.setattr(ox.settings, "nominatim_url", standin.url)
    return standin


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_bbox_gives_the_filtered_network(server: _StandIn) -> None:
    net = network_from_overpass(bbox=BBOX)
    assert set(net.edges["name"]) == town.DRIVE_NAMES
    # Rate limiting stays on against a live server: it was asked for its status first.
    assert server.requests["/api/status"] == 1
    assert server.requests["/api/interpreter"] == 1
    assert net.meta.osm_date == town.OSM_BASE[:10]
    assert server.url in net.meta.path
    assert "cached" not in net.meta.source


def test_lengths_are_geodesic_lengths_of_the_ways(server: _StandIn) -> None:
    net = network_from_overpass(bbox=BBOX)
    farm = next(w for w in town.WAYS if w["tags"].get("name") == "Farm Road")
    lon, lat = np.array([town.NODES[n] for n in farm["nodes"]]).T
    expected = float(_geod_m(lon[:-1], lat[:-1], lon[1:], lat[1:]).sum())
    got = net.edges.loc[net.edges["name"] == "Farm Road", "length"]
    assert len(got) == 1
    assert got.iloc[0] == pytest.approx(expected, rel=1e-9)


def test_same_network_as_the_xml_file(server: _StandIn) -> None:
    net, ref = network_from_overpass(bbox=BBOX), network_from_osm_file(TOWN_OSM)
    assert (net.n_nodes, net.n_edges) == (ref.n_nodes, ref.n_edges)
    assert net.edges["length"].sum() == pytest.approx(ref.edges["length"].sum(), rel=1e-9)
    # The same OSM node and way ids, segment for segment.
    assert set(net.nodes["osmid"]) == set(ref.nodes["osmid"])
    assert Counter(net.edges["osmid"]) == Counter(ref.edges["osmid"])


def test_second_call_is_served_from_cache(server: _StandIn) -> None:
    first = network_from_overpass(bbox=BBOX)
    second = network_from_overpass(bbox=BBOX)
    assert server.requests["/api/interpreter"] == 1
    assert second.n_edges == first.n_edges
    assert "cached response" in second.meta.source


def test_unreachable_endpoint_fails_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(ox.settings, "overpass_url", url)
    start = time.monotonic()
    with pytest.raises(OverpassUnavailableError, match="offline") as err:
        network_from_overpass(bbox=BBOX)
    assert time.monotonic() - start < 5
    assert url in str(err.value)


def test_server_error_is_reported(server: _StandIn) -> None:
    server.interpreter_status = 500
    with pytest.raises(OverpassUnavailableError, match="answered with an error"):
        network_from_overpass(bbox=BBOX)


def test_area_without_drivable_roads(server: _StandIn) -> None:
    server.overpass = town.overpass_json([w for w in town.WAYS if w["id"] >= 40])
    with pytest.raises(DataNotFoundError, match="no 'drive' roads"):
        network_from_overpass(bbox=BBOX)


def test_an_empty_answer_is_no_road_data(server: _StandIn) -> None:
    server.overpass = town.overpass_json([])
    with pytest.raises(DataNotFoundError, match="Overpass returned no road data"):
        network_from_overpass(bbox=BBOX)


def test_place_is_geocoded_through_nominatim(server: _StandIn) -> None:
    net = network_from_overpass(place="Test Town, Iraq")
    assert server.requests["/search"] == 1
    assert set(net.edges["name"]) == town.DRIVE_NAMES
    assert "Test Town" in net.meta.path


def test_unknown_place(server: _StandIn) -> None:
    with pytest.raises(PlaceNotFoundError, match="Atlantis"):
        network_from_overpass(place="Atlantis")


@pytest.mark.parametrize("bbox", [(41.07, 34.35, 40.98, 34.39), (40.0, 95.0, 41.0, 96.0)])
def test_invalid_bbox(bbox: tuple[float, float, float, float]) -> None:
    with pytest.raises(DataOutsideBoundsError, match="west < east"):
        network_from_overpass(bbox=bbox)


def test_bbox_or_place_required() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        network_from_overpass()
    with pytest.raises(ValueError, match="exactly one"):
        network_from_overpass(bbox=BBOX, place="Test Town")


# --- failing fast, saying why: each fault within seconds, never as "no road data" -----------
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"interpreter_status": 500}, "HTTP 500"),
        ({"interpreter_status": 502}, "HTTP 502"),
        ({"interpreter_body": b"{not json at all"}, "not Overpass JSON"),
        ({"interpreter_body": b'{"elements": 3}'}, "not Overpass JSON"),
        ({"interpreter_body": b"<html>Gateway</html>"}, "not Overpass JSON"),
        (
            {"interpreter_body": b'{"elements": [], "remark": "runtime error: Query timed out"}'},
            "stopped the query",
        ),
        ({"silent": {"/api/status", "/api/interpreter"}}, "sent no answer within 0.5 s"),
        ({"silent": {"/api/interpreter"}}, "sent no answer within 1 s"),
    ],
)
def test_faults_are_reported_as_such_and_fast(
    server: _StandIn, fault: dict[str, Any], message: str
) -> None:
    for name, value in fault.items():
        setattr(server, name, value)
    start = time.monotonic()
    with pytest.raises(OverpassUnavailableError, match=message) as err:
        network_from_overpass(bbox=BBOX, connect_timeout=0.5, timeout=0.5)
    assert time.monotonic() - start < SILENCE_S
    assert "\n" not in str(err.value)


def test_busy_server_is_retried_a_bounded_number_of_times(server: _StandIn) -> None:
    server.interpreter_status = 429
    with pytest.raises(OverpassUnavailableError, match=r"busy .HTTP 429, 3 attempts"):
        network_from_overpass(bbox=BBOX, retries=2)
    assert server.requests["/api/interpreter"] == 3


def test_odd_status_page_costs_no_wait(server: _StandIn) -> None:
    # osmnx waits 60 s when /status fails; a mirror without /status must still work at once.
    server.status_status = 404
    start = time.monotonic()
    assert network_from_overpass(bbox=BBOX).n_edges > 0
    assert time.monotonic() - start < 5


def test_cached_answer_works_while_the_server_is_silent(server: _StandIn) -> None:
    first = network_from_overpass(bbox=BBOX)
    server.silent = {"/api/status", "/api/interpreter"}
    again = network_from_overpass(bbox=BBOX, connect_timeout=0.5)
    assert again.n_edges == first.n_edges and "cached response" in again.meta.source
