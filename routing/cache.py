"""Binary cache of built road networks under ``data/osm_cache/``.

A network is stored as one ``.npz`` file of plain arrays (strings as integer codes plus a
table), with a SHA-256 checksum over every array and a key derived from the source, the build
options and the code version. Writes go to a temporary file that is renamed into place, and a
file lock keeps two processes from building the same network twice; a reader therefore sees
either the old file or the new one, never half of one. A file that fails to load or whose
checksum does not match is reported, deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from filelock import FileLock

from .exceptions import CacheError, CacheWarning
from .network import MapContext, NetworkMeta, RoadNetwork, normalize_edges
from .settings import cache_dir, cache_unwritable, writable_cache_dir

__all__ = [
    "CACHE_FORMAT",
    "CacheWarning",  # defined in routing.exceptions; importable from here as before
    "cache_key",
    "cache_path",
    "cached_network",
    "code_version",
    "load_cached",
    "save_cached",
]

# Bump when the file layout or the network builders change in a way that alters results.
CACHE_FORMAT = 4

# How long a process waits for another one building the same network (the largest takes a
# minute or two) before building its own copy in memory.
_LOCK_TIMEOUT_S = 600.0

_STRING_EDGE_COLUMNS = ("highway", "ref", "name")
_PLACE_STRINGS = ("name", "name_en", "name_ar", "kind")


_BUILDER_MODULES = (
    "sources/_tiles.py",
    "sources/_context.py",
    "sources/_noding.py",
    "sources/_vectortiles.py",
    "sources/_osmfile.py",
    "sources/_tilecheck.py",
    "sources/_manifest.py",
    "network.py",
    "cache.py",
)


@functools.cache
def code_version() -> str:
    """Hash of the modules that build networks: a cache built by other code is stale."""
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    here = Path(__file__).parent
    for name in _BUILDER_MODULES:
        file = here / name
        if file.exists():
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def cache_key(**parts: Any) -> str:
    """Stable hex key for a source description, build options and the builder code."""
    blob = json.dumps({"code": code_version(), **parts}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _encode_strings(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values.astype(str))
    return codes.astype(np.int32), np.asarray(uniques, dtype=str)


def _arrays(net: RoadNetwork) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {
        "node_x": net.nodes["x"].to_numpy(float),
        "node_y": net.nodes["y"].to_numpy(float),
        "node_osmid": net.nodes["osmid"].to_numpy(np.int64),
        "coords": net.coords,
        "offsets": net.offsets,
    }
    for col in ("u", "v", "length", "oneway", "bridge", "tunnel", "maxspeed"):
        arrays[f"edge_{col}"] = net.edges[col].to_numpy()
    for col in _STRING_EDGE_COLUMNS:
        arrays[f"edge_{col}_codes"], arrays[f"edge_{col}_table"] = _encode_strings(net.edges[col])
    for col in _PLACE_STRINGS:
        arrays[f"place_{col}"] = net.places[col].fillna("").to_numpy(dtype=str)
    for col in ("rank", "x", "y"):
        arrays[f"place_{col}"] = net.places[col].to_numpy(float)
    if net.borders is not None:
        arrays["border_coords"], arrays["border_offsets"] = net.borders
    if net.border_countries is not None:
        arrays["border_countries"] = net.border_countries
    if net.context is not None:
        arrays.update(_context_arrays(net.context))
    arrays["meta"] = np.asarray(json.dumps(net.meta.to_dict()))
    arrays["build_report"] = np.asarray(json.dumps(net.build_report))
    return arrays


_CONTEXT_GEOMETRIES = ("water", "waterways", "borders")


def _context_arrays(context: MapContext) -> dict[str, np.ndarray]:
    """A map context as plain arrays: geometries as shapely's ragged coordinate arrays."""
    arrays: dict[str, np.ndarray] = {}
    for name in _CONTEXT_GEOMETRIES:
        geoms = getattr(context, name)
        if not len(geoms):
            continue
        _, coords, offsets = shapely.to_ragged_array(geoms)
        arrays[f"context_{name}_coords"] = coords
        for i, off in enumerate(offsets):
            arrays[f"context_{name}_offsets{i}"] = off
    arrays["context_border_sides"] = context.border_sides.astype(str).reshape(-1, 2)
    arrays["context_country_name"] = context.countries["name"].to_numpy(dtype=str)
    arrays["context_country_xyr"] = (
        context.countries[["x", "y", "rank"]].to_numpy(float).reshape(-1, 3)
    )
    arrays["context_zoom"] = np.asarray(context.zoom)
    arrays["context_extent"] = np.asarray(context.extent, dtype=float)
    return arrays


def _context_from_arrays(arrays: dict[str, np.ndarray]) -> MapContext:
    geoms: dict[str, np.ndarray] = {}
    for name, kind in zip(
        _CONTEXT_GEOMETRIES,
        (
            shapely.GeometryType.POLYGON,
            shapely.GeometryType.LINESTRING,
            shapely.GeometryType.LINESTRING,
        ),
        strict=True,
    ):
        if f"context_{name}_coords" not in arrays:
            geoms[name] = np.empty(0, dtype=object)
            continue
        offsets = tuple(
            arrays[f"context_{name}_offsets{i}"]
            for i in range(2)
            if f"context_{name}_offsets{i}" in arrays
        )
        geoms[name] = shapely.from_ragged_array(kind, arrays[f"context_{name}_coords"], offsets)
    xyr = arrays["context_country_xyr"]
    extent = arrays["context_extent"]
    return MapContext(
        **geoms,
        border_sides=arrays["context_border_sides"],
        countries=pd.DataFrame(
            {
                "name": arrays["context_country_name"],
                "x": xyr[:, 0],
                "y": xyr[:, 1],
                "rank": xyr[:, 2],
            }
        ),
        zoom=int(arrays["context_zoom"]),
        extent=(float(extent[0]), float(extent[1]), float(extent[2]), float(extent[3])),
    )


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name == "checksum":
            continue
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


def save_cached(net: RoadNetwork, path: Path) -> None:
    """Write ``net`` to ``path`` atomically (temporary file, then rename)."""
    arrays = _arrays(net)
    arrays["checksum"] = np.asarray(_checksum(arrays))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_cached(path: Path) -> RoadNetwork:
    """Read a network written by :func:`save_cached`.

    Raises
    ------
    CacheError
        If the file is unreadable, incomplete or fails its checksum.
    """
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise CacheError(f"cached network {path} is unreadable: {exc}") from exc
    if "checksum" not in arrays or str(arrays["checksum"]) != _checksum(arrays):
        raise CacheError(f"cached network {path} failed its checksum (corrupt or partial)")
    try:
        edges = pd.DataFrame(
            {
                col: arrays[f"edge_{col}"]
                for col in ("u", "v", "length", "oneway", "bridge", "tunnel", "maxspeed")
            }
        )
        for col in _STRING_EDGE_COLUMNS:
            edges[col] = arrays[f"edge_{col}_table"][arrays[f"edge_{col}_codes"]]
        places = pd.DataFrame(
            {f: arrays[f"place_{f}"] for f in (*_PLACE_STRINGS, "rank", "x", "y")}
        )
        borders = (
            (arrays["border_coords"], arrays["border_offsets"])
            if "border_coords" in arrays
            else None
        )
        return RoadNetwork(
            nodes=pd.DataFrame(
                {"x": arrays["node_x"], "y": arrays["node_y"], "osmid": arrays["node_osmid"]}
            ),
            edges=normalize_edges(edges),
            coords=arrays["coords"],
            offsets=arrays["offsets"],
            meta=NetworkMeta.from_dict(json.loads(str(arrays["meta"]))),
            places=places,
            borders=borders,
            border_countries=arrays.get("border_countries"),
            build_report=json.loads(str(arrays["build_report"])),
            context=_context_from_arrays(arrays) if "context_zoom" in arrays else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheError(f"cached network {path} has an unexpected layout: {exc}") from exc


def cached_network(
    name: str, key: str, build: Callable[[], RoadNetwork], *, refresh: bool = False
) -> RoadNetwork:
    """Load the network cached under ``name``/``key``, building and saving it if needed.

    Reading needs no lock (files are renamed into place whole and checksummed), so a
    read-only cache folder still serves what it holds. A corrupt or unreadable cache file is
    reported with a :class:`CacheWarning` and rebuilt. Concurrent builders wait on a file lock
    so only one builds; when the cache folder cannot be written, or the lock cannot be taken,
    the network is built in memory (one warning names the folder and the setting).
    """
    path = cache_path(name, key)
    if not refresh and (net := _read(path)) is not None:
        return net
    if writable_cache_dir() is None:
        return build()
    lock = FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except OSError as exc:  # includes filelock.Timeout: a builder that never finishes
        cache_unwritable(path.parent, f"cannot be locked ({exc})")
        return build()
    try:
        # Another process may have finished the same build while this one waited.
        if not refresh and (net := _read(path)) is not None:
            return net
        net = build()
        try:
            save_cached(net, path)
            _prune_stale(name)
        except OSError as exc:
            warnings.warn(
                f"could not write network cache {path}: {exc}", CacheWarning, stacklevel=2
            )
        return net
    finally:
        lock.release()


def _read(path: Path) -> RoadNetwork | None:
    """The network cached at ``path``; ``None`` if absent or unusable (then reported)."""
    if not path.is_file():
        return None
    try:
        return load_cached(path)
    except CacheError as exc:
        warnings.warn(f"{exc}; rebuilding it", CacheWarning, stacklevel=3)
        with contextlib.suppress(OSError):  # a read-only folder keeps it; the build is in memory
            path.unlink()
        return None


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def cache_path(name: str, key: str) -> Path:
    """Where the network ``name`` with build key ``key`` is cached.

    The builder code version is part of the file name, so files left by older code can be
    recognised (and pruned) without opening them.
    """
    return cache_dir() / f"network-{_safe(name)}-{code_version()[:8]}-{key}.npz"


def _prune_stale(name: str) -> None:
    """Delete caches of ``name`` written by other versions of the builder code."""
    pattern = re.compile(rf"network-{re.escape(_safe(name))}-([0-9a-f]{{8}})-[^-]+\.npz")
    for file in cache_dir().glob(f"network-{_safe(name)}-*.npz"):
        found = pattern.fullmatch(file.name)
        if found and found.group(1) != code_version()[:8]:
            file.unlink(missing_ok=True)
            Path(f"{file}.lock").unlink(missing_ok=True)
