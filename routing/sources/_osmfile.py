"""Road networks from raw OSM data: ``.osm``/``.osm.bz2`` XML and ``.osm.pbf`` files.

Every format is streamed through pyosmium and cut by the same rules, so one extract gives the
same network whichever format it comes in:

* **Which ways.** The Overpass filter osmnx uses for the network type (``"drive"`` by default:
  no footway/cycleway/path/track/service/construction/proposed/abandoned, no ``area=yes``,
  no ``access=private``, no ``motor_vehicle=no``/``motorcar=no``) is applied to each way's
  tags, so a file gives the network Overpass would have returned for it. Overpass downloads
  (:mod:`routing.sources.overpass`) are filtered the same way.
* **Where segments end.** At nodes shared by two or more kept ways, at dead ends and where
  travel direction changes (osmnx's simplification rules), and, unlike osmnx's default, also
  where one way ends and the next begins (``edge_attrs_differ=["osmid"]``): a segment never
  spans two OSM ways, so its class, name, ref and maxspeed are exact rather than merged
  lists. Isolated closed ways with no junction (a ring touching nothing) are dropped, as osmnx
  does. Each segment keeps its way's id (``edges["osmid"]``) and each node its OSM node id, so
  every figure traces back to openstreetmap.org/way/<id>.
* **Direction.** ``oneway=yes/true/1`` and ``junction=roundabout`` are one-way;
  ``oneway=-1/reverse`` are one-way against the drawing direction and stored reversed, so
  ``u -> v`` is always the legal direction.
"""

from __future__ import annotations

import bz2
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import pandas as pd
from tqdm import tqdm

from ..exceptions import DataFormatError, DataNotFoundError, InvalidArgumentError
from ..network import ROAD_CLASSES, NetworkMeta, RoadNetwork, _truthy, parse_maxspeed

__all__ = ["NETWORK_TYPES", "network_from_osm_file"]

# osmnx network types that make sense for motor vehicles and that this module supports.
NETWORK_TYPES: tuple[str, ...] = ("drive", "drive_service")

XML_SUFFIXES: tuple[str, ...] = (".osm", ".osm.bz2", ".xml", ".xml.bz2")
PBF_SUFFIXES: tuple[str, ...] = (".osm.pbf", ".pbf")

# osmnx's reading of the oneway tag (osmnx.graph._add_paths), mirrored so PBF agrees with XML.
_ONEWAY_VALUES = frozenset({"yes", "true", "1", "-1", "reverse", "T", "F"})
_REVERSED_VALUES = frozenset({"-1", "reverse", "T"})

# Way tags the segments carry; the filter's own keys are added per network type.
_EDGE_TAGS = ("highway", "ref", "name", "oneway", "junction", "maxspeed", "bridge", "tunnel")

_COMPLETE_WAYS_HINT = "cut extracts with complete ways (osmium extract -s complete_ways)"

# The way filters of osmnx's documented network types, as osmnx 2.1 sends them to Overpass
# (``["highway"]`` plus these ``!~`` exclusions): a file gives the network Overpass would have
# returned for it. Ways without an excluded key pass.
_NOT_DRIVABLE = (
    "abandoned", "bridleway", "bus_guideway", "construction", "corridor", "cycleway", "elevator",
    "escalator", "footway", "no", "path", "pedestrian", "planned", "platform", "proposed",
    "raceway", "razed", "rest_area", "services", "steps", "track",
)  # fmt: skip
_FILTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "drive": {
        "area": ("yes",),
        "access": ("private",),
        "highway": (*_NOT_DRIVABLE, "service"),
        "motor_vehicle": ("no",),
        "motorcar": ("no",),
        "service": ("alley", "driveway", "emergency_access", "parking", "parking_aisle", "private"),
    },
    "drive_service": {
        "area": ("yes",),
        "access": ("private",),
        "highway": _NOT_DRIVABLE,
        "motor_vehicle": ("no",),
        "motorcar": ("no",),
        "service": ("emergency_access", "parking", "parking_aisle", "private"),
    },
}


# --------------------------------------------------------------------------- way filter
@dataclass(frozen=True)
class WayFilter:
    """osmnx's Overpass way filter for a network type, applicable to a tag mapping.

    Attributes
    ----------
    network_type
        The osmnx network type the filter was built from.
    required
        Keys a way must carry (``highway``).
    excluded
        ``(key, pattern)`` pairs: a way is dropped if its ``key`` value matches ``pattern``
        anywhere (Overpass ``!~`` semantics; ways without the key pass).
    """

    network_type: str
    required: tuple[str, ...]
    excluded: tuple[tuple[str, re.Pattern[str]], ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every tag key the filter reads."""
        return tuple(dict.fromkeys([*self.required, *(k for k, _ in self.excluded)]))

    def __call__(self, tags: Mapping[str, Any]) -> bool:
        if any(tags.get(key) is None for key in self.required):
            return False
        return not any(
            (value := tags.get(key)) is not None and pattern.search(str(value))
            for key, pattern in self.excluded
        )


def way_filter(network_type: str) -> WayFilter:
    """The way filter of an osmnx network type (``"drive"`` or ``"drive_service"``).

    Raises
    ------
    InvalidArgumentError
        Another network type.
    """
    if network_type not in _FILTERS:
        raise InvalidArgumentError(
            f"unsupported network_type {network_type!r}; choose one of {', '.join(NETWORK_TYPES)}"
        )
    excluded = tuple(
        (key, re.compile("|".join(values))) for key, values in _FILTERS[network_type].items()
    )
    return WayFilter(network_type, ("highway",), excluded)


# --------------------------------------------------------------------------- osmnx plumbing
@contextmanager
def osmnx_settings(**overrides: Any) -> Iterator[None]:
    """Temporarily override ``osmnx.settings`` attributes (restored on exit)."""
    saved = {name: getattr(ox.settings, name) for name in overrides}
    try:
        for name, value in overrides.items():
            setattr(ox.settings, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)


def osmnx_way_tags(keep: WayFilter) -> list[str]:
    """``useful_tags_way`` for osmnx: its defaults plus every tag we filter or store."""
    return list(dict.fromkeys([*ox.settings.useful_tags_way, *_EDGE_TAGS, *keep.keys]))


def network_from_graph(graph: nx.MultiDiGraph, keep: WayFilter, meta: NetworkMeta) -> RoadNetwork:
    """Filter an unsimplified osmnx graph to ``keep``, simplify it and convert it.

    Filtering comes before simplification so that a dropped way (a footway crossing a road)
    leaves no junction behind and is never merged into a road segment.
    """
    graph = graph.copy()
    graph.remove_edges_from(
        [(u, v, k) for u, v, k, data in graph.edges(keys=True, data=True) if not keep(data)]
    )
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    if graph.number_of_edges() == 0:
        raise DataNotFoundError(
            f"no {keep.network_type!r} roads in {meta.path}: the data holds no ways passing "
            f"osmnx's {keep.network_type!r} filter"
        )
    graph = ox.simplify_graph(graph, edge_attrs_differ=["osmid"])
    net = RoadNetwork.from_graph(graph, meta)
    net.meta = replace(meta, road_classes=road_classes(net.edges["highway"]))
    return net


def road_classes(highway: pd.Series) -> tuple[str, ...]:
    """Highway classes present, in :data:`~routing.network.ROAD_CLASSES` order, others last."""
    present = {str(h) for h in pd.unique(highway.astype(str))}
    known = [c for c in ROAD_CLASSES if c in present]
    return (*known, *sorted(present - set(known)))


# --------------------------------------------------------------------------- dates
def _iso_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` of an OSM timestamp (``2021-08-05T20:21:02Z``), None if unparsable."""
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.strip().replace("\\:", ":").replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.date().isoformat()


def _xml_header_date(path: Path) -> str | None:
    """Data date announced in an XML file's head (Overpass ``osm_base`` or ``timestamp``)."""
    opener = bz2.open if path.suffix == ".bz2" else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError as exc:
        raise DataFormatError(f"cannot read OSM XML file {path}: {exc}") from exc
    match = re.search(r'osm_base="([^"]+)"', head) or re.search(
        r'<osm\b[^>]*\btimestamp="([^"]+)"', head
    )
    return _iso_date(match.group(1)) if match else None


def _header_date(header: osmium.io.Header) -> str | None:
    for key in ("osmosis_replication_timestamp", "timestamp"):
        if date := _iso_date(header.get(key)):
            return date
    return None


def _newest_date(stamps: Iterable[datetime]) -> str | None:
    # pyosmium reports a missing timestamp as the Unix epoch.
    newest = max((s for s in stamps if s.timestamp() > 0), default=None)
    return newest.date().isoformat() if newest else None


# --------------------------------------------------------------------------- reading
@dataclass
class _Way:
    """A kept way, nodes in legal travel direction."""

    osmid: int
    node_ids: np.ndarray
    coords: np.ndarray
    oneway: bool
    tags: dict[str, str]


def network_from_osm_file(path: str | Path, network_type: str = "drive") -> RoadNetwork:
    """Read an OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``) into a :class:`RoadNetwork`.

    Every format is streamed through pyosmium and cut by the same rules (see the module
    docstring), so country extracts fit in memory and one extract gives the same network
    whichever format it comes in.

    Parameters
    ----------
    path
        The file, e.g. Geofabrik's ``iraq-latest.osm.pbf``, a JOSM save or an Overpass
        ``out meta`` download.
    network_type
        osmnx network type, ``"drive"`` or ``"drive_service"`` (keeps service roads).

    Returns
    -------
    RoadNetwork
        One edge per segment; ``meta.osm_date`` is the file's replication timestamp (PBF) or
        ``osm_base``/``timestamp`` header (XML), else the newest road timestamp, else
        ``"unknown"``.

    Raises
    ------
    DataNotFoundError
        The file does not exist or holds no roads of the network type.
    DataFormatError
        The suffix is not an OSM format, the file is corrupt, or it references nodes it
        does not contain.
    """
    path = _existing_file(path)
    name = path.name.lower()
    if name.endswith(PBF_SUFFIXES):
        kind = "PBF"
    elif name.endswith(XML_SUFFIXES):
        kind = "XML"
    else:
        raise DataFormatError(
            f"cannot tell the OSM format of {path}: expected one of "
            + ", ".join(PBF_SUFFIXES + XML_SUFFIXES)
        )
    keep = way_filter(network_type)
    try:
        ways, header_date, newest = _read_ways(path, keep)
    except (RuntimeError, ValueError, OSError) as exc:
        raise DataFormatError(f"{path} is not a readable OSM {kind} file: {exc}") from exc
    if kind == "XML":
        header_date = _xml_header_date(path) or header_date
    meta = NetworkMeta(
        source=f"OSM {kind} file ({network_type!r} roads, pyosmium)",
        path=str(path),
        osm_date=header_date or newest or "unknown",
    )
    if not ways:
        raise DataNotFoundError(
            f"no {network_type!r} roads in {path}: the file holds no ways passing "
            f"osmnx's {network_type!r} filter"
        )
    net = _segment_ways(ways, meta)
    net.meta = replace(meta, road_classes=road_classes(net.edges["highway"]))
    return net


def _read_ways(path: Path, keep: WayFilter) -> tuple[list[_Way], str | None, str | None]:
    """Kept ways of an OSM file, its header date and the newest road timestamp."""
    processor = (
        osmium.FileProcessor(str(path))
        .with_locations()
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    header_date = _header_date(processor.header)
    wanted = tuple(dict.fromkeys([*_EDGE_TAGS, *keep.keys]))
    ways: list[_Way] = []
    stamps: list[datetime] = []
    progress = tqdm(desc=f"reading {path.name}", unit=" roads", disable=not sys.stderr.isatty())
    with progress:
        for obj in processor:
            if not isinstance(obj, osmium.osm.OSMObject):
                continue
            stamps.append(obj.timestamp)
            if not isinstance(obj, osmium.osm.Way):
                continue
            tags = {k: v for k in wanted if (v := obj.tags.get(k)) is not None}
            if not keep(tags):
                continue
            progress.update()
            ways.append(_way(path, obj, tags))
    return ways, header_date, _newest_date(stamps)


def _way(path: Path, way: Any, tags: dict[str, str]) -> _Way:
    refs = way.nodes
    bad = [n.ref for n in refs if not n.location.valid()]
    if bad:
        raise DataFormatError(
            f"{path} has way {way.id} referencing {len(bad)} node(s) it does not contain "
            f"(e.g. node {bad[0]}); {_COMPLETE_WAYS_HINT}"
        )
    node_ids = np.fromiter((n.ref for n in refs), dtype=np.int64, count=len(refs))
    coords = np.array([(n.lon, n.lat) for n in refs], dtype=float).reshape(-1, 2)
    oneway = tags.get("oneway") in _ONEWAY_VALUES or tags.get("junction") == "roundabout"
    if oneway and tags.get("oneway") in _REVERSED_VALUES:
        node_ids, coords = node_ids[::-1], coords[::-1]
    return _Way(way.id, node_ids, coords, oneway, tags)


def _endpoints(ways: list[_Way], node_index: list[np.ndarray], n_nodes: int) -> np.ndarray:
    """osmnx's segment-endpoint rules (``simplification._is_endpoint``), vectorised.

    A node ends segments if it has a self-loop, lacks incoming or outgoing travel, does not
    have exactly two neighbours with degree 2 or 4, or touches more than one way.
    """
    src_parts, dst_parts, way_parts = [], [], []
    for i, (way, idx) in enumerate(zip(ways, node_index, strict=True)):
        pairs = [(idx[:-1], idx[1:])] + ([] if way.oneway else [(idx[1:], idx[:-1])])
        for s, d in pairs:
            src_parts.append(s)
            dst_parts.append(d)
            way_parts.append(np.full(len(s), i, dtype=np.int64))
    src, dst = np.concatenate(src_parts), np.concatenate(dst_parts)
    way_of_edge = np.concatenate(way_parts)
    out_deg = np.bincount(src, minlength=n_nodes)
    in_deg = np.bincount(dst, minlength=n_nodes)
    self_loop = np.zeros(n_nodes, dtype=bool)
    self_loop[src[src == dst]] = True
    neighbours = np.unique(np.concatenate([np.c_[src, dst], np.c_[dst, src]]), axis=0)
    n_neighbours = np.bincount(neighbours[:, 0], minlength=n_nodes)
    incident = np.unique(np.c_[np.r_[src, dst], np.r_[way_of_edge, way_of_edge]], axis=0)
    n_ways = np.bincount(incident[:, 0], minlength=n_nodes)
    degree = in_deg + out_deg
    pass_through = (n_neighbours == 2) & ((degree == 2) | (degree == 4))
    return np.asarray(self_loop | (in_deg == 0) | (out_deg == 0) | ~pass_through | (n_ways > 1))


def _segment_ways(ways: list[_Way], meta: NetworkMeta) -> RoadNetwork:
    """Cut kept ways into junction-to-junction segments and assemble the network."""
    osmids, inverse = np.unique(np.concatenate([w.node_ids for w in ways]), return_inverse=True)
    bounds = np.cumsum([0, *(len(w.node_ids) for w in ways)])
    node_index = [inverse[a:b] for a, b in itertools.pairwise(bounds)]
    xy = np.empty((len(osmids), 2))
    xy[inverse] = np.concatenate([w.coords for w in ways])
    is_end = _endpoints(ways, node_index, len(osmids))

    rows: list[dict[str, Any]] = []
    geometries: list[np.ndarray] = []
    for way, idx in zip(ways, node_index, strict=True):
        coords = way.coords
        cuts = np.flatnonzero(is_end[idx])
        if idx[0] == idx[-1] and len(idx) > 1:
            if len(cuts) == 0:
                continue  # an isolated ring: osmnx's simplify_graph drops these too
            # Rotate the ring to start at its first endpoint so no segment wraps around.
            start = int(cuts[0])
            idx = np.r_[idx[start:-1], idx[:start], idx[start]]
            coords = np.r_[coords[start:-1], coords[:start], coords[start : start + 1]]
            cuts = np.flatnonzero(is_end[idx])
        cuts = np.unique(np.r_[0, cuts, len(idx) - 1])
        record = _edge_record(way)
        for a, b in itertools.pairwise(cuts):
            rows.append({"u": int(idx[a]), "v": int(idx[b]), **record})
            geometries.append(coords[a : b + 1])

    used = np.unique([r["u"] for r in rows] + [r["v"] for r in rows])
    remap = np.full(len(osmids), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    for row in rows:
        row["u"], row["v"] = int(remap[row["u"]]), int(remap[row["v"]])
    nodes = pd.DataFrame({"x": xy[used, 0], "y": xy[used, 1], "osmid": osmids[used]})
    return RoadNetwork.from_parts(nodes, rows, geometries, meta)


def _edge_record(way: _Way) -> dict[str, Any]:
    tags = way.tags
    return {
        "highway": tags["highway"],
        "ref": tags.get("ref", ""),
        "name": tags.get("name", ""),
        "oneway": way.oneway,
        "bridge": _truthy(tags.get("bridge")),
        "tunnel": _truthy(tags.get("tunnel")),
        "maxspeed": parse_maxspeed(tags.get("maxspeed")),
        "osmid": way.osmid,
    }


def _existing_file(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        what = "is a directory, not a file" if path.is_dir() else "does not exist"
        raise DataNotFoundError(f"OSM file {path} {what}")
    return path
