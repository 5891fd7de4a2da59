"""Export a :class:`~routing.network.RoadNetwork` as an OSM file (XML or PBF) with pyosmium.

The file holds what the network holds, in the form OSM tools (osmnx, OSRM, Valhalla, JOSM)
read:

* **Nodes.** One node per geometry vertex. The two ends of every edge are the network's own
  nodes (``u``, ``v``), so every edge meeting at a junction shares its node; interior vertices
  get fresh ids and are never shared.
* **Ways.** One way per edge, drawn from ``u`` to ``v`` (the legal direction of one-way
  edges), tagged ``highway``, ``oneway=yes|no``, ``ref``, ``name``, ``bridge=yes``,
  ``tunnel=yes`` and ``maxspeed`` (km/h) where the network has them.
* **Ids.** Networks read from OSM files (``.osm``/``.pbf``, Overpass) carry real OSM node ids;
  when those are unique and positive, junction nodes keep them and interior vertices get
  sequential ids above the largest. Tile sources number their nodes ``0..n-1`` (synthetic):
  then every node gets a sequential id from 1, junctions first. Way ids are always sequential
  from 1 (a network edge is a junction-to-junction piece, not an OSM way). The header's
  ``generator`` says which scheme a file uses.

Ways carry the network's OSM date as their timestamp (and, in PBF, the header's replication
timestamp), so a file read back keeps its date. Coordinates are written at OSM's 1e-7 degree
precision (about 1 cm), so lengths read back agree to well under a metre per route. Writing
is linear in the number of vertices: ids are worked out with numpy, and elements stream into
pyosmium's writer in chunks, nodes in ascending id order then ways, as OSM files are
expected to be sorted.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import osmium
from osmium.osm.mutable import Node, Way
from tqdm import tqdm

from ._format import speed_tag
from ._version import __version__
from .exceptions import InvalidArgumentError, OutputError, OutputExistsError

if TYPE_CHECKING:
    from .network import RoadNetwork

__all__ = ["OSM_SUFFIXES", "check_output_path", "osm_format", "write_osm"]

#: Output formats by file-name suffix (longest first), and what each writes.
OSM_SUFFIXES: dict[str, str] = {
    ".osm.pbf": "OSM PBF",
    ".osm.bz2": "OSM XML, bzip2-compressed",
    ".osm.gz": "OSM XML, gzip-compressed",
    ".osm": "OSM XML",
}

# Elements handed to the writer per progress-bar update.
_CHUNK = 50_000


def osm_format(path: str | Path) -> str:
    """The OSM suffix of ``path`` (``".osm.pbf"``, ``".osm"``, ...).

    Raises
    ------
    InvalidArgumentError
        The name ends in none of :data:`OSM_SUFFIXES`.
    """
    name = Path(path).name.lower()
    for suffix in OSM_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    raise InvalidArgumentError(
        f"cannot tell the OSM format to write from {Path(path).name!r}: name the file "
        + ", ".join(f"*{s}" for s in OSM_SUFFIXES)
    )


def check_output_path(path: str | Path, *, overwrite: bool = True) -> Path:
    """Check that an OSM file can be written at ``path`` before doing any work.

    The toolkit's one output policy (``routing.output.paths``): missing folders on the way
    are created when writing, an existing file is replaced only with ``overwrite``.

    Parameters
    ----------
    path
        The file to write.
    overwrite
        Whether an existing file may be replaced.

    Returns
    -------
    Path
        ``path``, user-expanded.

    Raises
    ------
    InvalidArgumentError
        Unknown suffix.
    OutputExistsError
        The file exists and ``overwrite`` is false.
    OutputError
        ``path`` is a folder, a file stands where a folder must be, or the folder that would
        hold it cannot be written.
    """
    path = Path(path).expanduser()
    osm_format(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path} exists; pass --force to replace it")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into the folder {folder}: permission denied")
    return path


@dataclass(frozen=True)
class _Ids:
    """OSM ids of a network's vertices."""

    junction: np.ndarray  # per network node
    vertex: np.ndarray  # per geometry vertex (ends are their junction's id)
    interior: np.ndarray  # indices into coords of the interior vertices, in id order
    real: bool  # junction ids are the source's OSM node ids


def _ids(net: RoadNetwork) -> _Ids:
    """Node ids for every vertex, in linear time (see the module docstring)."""
    n_vertices = len(net.coords)
    first = net.offsets[:-1]
    last = net.offsets[1:] - 1
    is_end = np.zeros(n_vertices, dtype=bool)
    is_end[first] = True
    is_end[last] = True
    interior = np.flatnonzero(~is_end)
    osmid = net.nodes["osmid"].to_numpy(np.int64)
    real = (
        net.meta.zoom is None
        and net.n_nodes > 0
        and bool((osmid > 0).all())
        and len(np.unique(osmid)) == len(osmid)
    )
    junction = osmid.copy() if real else np.arange(1, net.n_nodes + 1, dtype=np.int64)
    start = int(junction.max()) + 1 if net.n_nodes else 1
    vertex = np.empty(n_vertices, dtype=np.int64)
    vertex[interior] = np.arange(start, start + len(interior), dtype=np.int64)
    vertex[first] = junction[net.edges["u"].to_numpy(np.int64)]
    vertex[last] = junction[net.edges["v"].to_numpy(np.int64)]
    return _Ids(junction, vertex, interior, real)


def _data_date(net: RoadNetwork) -> datetime | None:
    """The network's OSM date as a timestamp (None if unknown)."""
    try:
        return datetime.fromisoformat(net.meta.osm_date).replace(tzinfo=UTC)
    except ValueError:
        return None


def _header(net: RoadNetwork, real: bool) -> Any:
    header = osmium.io.Header()
    scheme = "source OSM node ids" if real else "sequential node ids (source ids are synthetic)"
    header.set(
        "generator", f"routing {__version__} RoadNetwork.to_osm; {scheme}; way ids sequential"
    )
    if (date := _data_date(net)) is not None:
        # PBF readers take the data date from here; XML has no header field for it, so every
        # way carries the date as its timestamp too.
        header.set("osmosis_replication_timestamp", date.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if net.n_nodes:
        west, south, east, north = net.bbox
        header.add_box(
            osmium.osm.Box(osmium.osm.Location(west, south), osmium.osm.Location(east, north))
        )
    return header


def _way_tags(net: RoadNetwork) -> Iterator[dict[str, str]]:
    """The tags of each edge's way, in edge order."""
    e = net.edges
    highway = e["highway"].astype(str).to_numpy()
    ref, name = e["ref"].to_numpy(), e["name"].to_numpy()
    oneway = np.where(e["oneway"].to_numpy(bool), "yes", "no")
    bridge, tunnel = e["bridge"].to_numpy(bool), e["tunnel"].to_numpy(bool)
    speed = e["maxspeed"].to_numpy(float)
    speed_text = [speed_tag(s) for s in speed]
    for i in range(net.n_edges):
        tags = {"highway": highway[i], "oneway": oneway[i]}
        if ref[i]:
            tags["ref"] = ref[i]
        if name[i]:
            tags["name"] = name[i]
        if bridge[i]:
            tags["bridge"] = "yes"
        if tunnel[i]:
            tags["tunnel"] = "yes"
        if speed_text[i]:
            tags["maxspeed"] = speed_text[i]
        yield tags


def _write(net: RoadNetwork, tmp: Path, progress: bool) -> None:
    ids = _ids(net)
    order = np.argsort(ids.junction, kind="stable")  # junction ids first, ascending
    node_ids = np.concatenate([ids.junction[order], ids.vertex[ids.interior]]).tolist()
    lon = np.concatenate([net.nodes["x"].to_numpy(float)[order], net.coords[ids.interior, 0]])
    lat = np.concatenate([net.nodes["y"].to_numpy(float)[order], net.coords[ids.interior, 1]])
    lon_list, lat_list = lon.tolist(), lat.tolist()
    vertex = ids.vertex.tolist()
    offsets = net.offsets.tolist()
    total = len(node_ids) + net.n_edges
    writer = osmium.SimpleWriter(str(tmp), header=_header(net, ids.real), overwrite=True)
    try:
        with tqdm(total=total, unit=" elements", desc="writing OSM", disable=not progress) as bar:
            for a in range(0, len(node_ids), _CHUNK):
                b = min(a + _CHUNK, len(node_ids))
                for i in range(a, b):
                    writer.add_node(Node(id=node_ids[i], location=(lon_list[i], lat_list[i])))
                bar.update(b - a)
            stamp = _data_date(net)
            for i, tags in enumerate(_way_tags(net)):
                nodes = vertex[offsets[i] : offsets[i + 1]]
                writer.add_way(Way(id=i + 1, version=1, timestamp=stamp, nodes=nodes, tags=tags))
                if (i + 1) % _CHUNK == 0:
                    bar.update(_CHUNK)
            bar.update(net.n_edges % _CHUNK)
    finally:
        writer.close()


def write_osm(net: RoadNetwork, path: str | Path, *, progress: bool = False) -> Path:
    """Write ``net`` as an OSM file; the format follows the suffix (see :data:`OSM_SUFFIXES`).

    The file is written beside ``path`` under a temporary name and renamed into place, so a
    failed or interrupted export leaves no partial file; an existing file is replaced.

    Parameters
    ----------
    net
        The network.
    path
        ``*.osm``, ``*.osm.pbf``, ``*.osm.bz2`` or ``*.osm.gz``.
    progress
        Show a progress bar.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InvalidArgumentError
        Unknown suffix.
    OutputExistsError, OutputError
        As for :func:`check_output_path`; also a failed write (disk full).
    """
    path = check_output_path(path)
    suffix = osm_format(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
    # The writer creates the file itself (with the user's umask); the name keeps the suffix,
    # which is how osmium picks the format.
    tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part{suffix}"
    try:
        _write(net, tmp, progress)
        os.replace(tmp, path)
    except (OSError, RuntimeError) as exc:
        raise OutputError(f"cannot write {path}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
