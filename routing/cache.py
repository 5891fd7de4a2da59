"""One cache for every derived artefact, under ``data/osm_cache/`` (``ROUTING_CACHE_DIR``).

:func:`cached` keeps the rules for all of them (built networks, the GeoNames tables of the
gazetteer, anything derived later):

* a file is named ``{kind}-{name}-{version}-{key}{suffix}``: ``version`` digests the code that
  builds it (files of other versions are pruned when a new one is written), ``key`` what it is
  built from;
* every file carries a SHA-256 checksum; one that fails to load or to match is reported (one
  :class:`~routing.exceptions.CacheWarning`), deleted and rebuilt;
* writes go to a temporary file renamed into place, so a reader sees the old file or the new
  one, never half of one; reading needs no lock, so a read-only cache still serves what it
  holds;
* a file lock keeps two processes from building the same artefact twice; when the folder
  cannot be written or locked, the artefact is built in memory (one warning names the
  setting).

A :class:`Codec` says how one kind of artefact is written and read: networks as ``.npz``
arrays (strings as integer codes plus a table), JSON-ready values as checksummed JSON.
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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import numpy as np
import pandas as pd
import shapely
from filelock import FileLock

from .exceptions import CacheError, CacheWarning
from .network import MapContext, NetworkMeta, RoadNetwork, normalize_edges
from .settings import cache_dir, cache_unwritable, writable_cache_dir

__all__ = [
    "CACHE_FORMAT",
    "JSON",
    "NETWORK",
    "CacheWarning",  # defined in routing.exceptions; importable from here as before
    "Codec",
    "cache_key",
    "cache_path",
    "cached",
    "cached_network",
    "code_digest",
    "code_version",
    "load_cached",
    "save_cached",
]

T = TypeVar("T")

# Bump when the file layout or the network builders change in a way that alters results.
CACHE_FORMAT = 5

# How long a process waits for another one building the same artefact (the largest network
# takes a minute or two) before building its own copy in memory.
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
    return code_digest(*_BUILDER_MODULES, extra=str(CACHE_FORMAT), length=12)


def code_digest(*modules: str, extra: str = "", length: int = 8) -> str:
    """Hex digest of package modules (paths relative to the package) and ``extra`` text.

    The ``version`` of a cached artefact: it changes whenever the code that builds it does.
    """
    digest = hashlib.sha256(extra.encode())
    here = Path(__file__).parent
    for name in modules:
        file = here / name
        if file.exists():
            digest.update(file.read_bytes())
    return digest.hexdigest()[:length]


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
    for col in ("u", "v", "length", "oneway", "bridge", "tunnel", "maxspeed", "osmid"):
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


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How one kind of cached artefact is written and read.

    Attributes
    ----------
    suffix
        File suffix, e.g. ``".npz"``.
    write
        Writes the value, with its checksum, to a binary file object.
    read
        Reads a file back; raises :class:`~routing.exceptions.CacheError` when it is
        unreadable, incomplete or fails its checksum.
    """

    suffix: str
    write: Callable[[T, IO[bytes]], None]
    read: Callable[[Path], T]


def _write_network(net: RoadNetwork, fh: IO[bytes]) -> None:
    arrays = _arrays(net)
    arrays["checksum"] = np.asarray(_checksum(arrays))
    np.savez(fh, **arrays)  # type: ignore[arg-type]


def save_cached(net: RoadNetwork, path: Path) -> None:
    """Write ``net`` to ``path`` atomically (temporary file, then rename)."""
    _write_atomically(path, lambda fh: _write_network(net, fh))


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
                for col in ("u", "v", "length", "oneway", "bridge", "tunnel", "maxspeed", "osmid")
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


def _write_json(value: Any, fh: IO[bytes]) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    fh.write(json.dumps({"sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n" + body)


def _read_json(path: Path) -> Any:
    try:
        header, body = path.read_bytes().split(b"\n", 1)
        ok = json.loads(header)["sha256"] == hashlib.sha256(body).hexdigest()
        value = json.loads(body) if ok else None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CacheError(f"cached file {path} is unreadable: {exc}") from exc
    if not ok:
        raise CacheError(f"cached file {path} failed its checksum (corrupt or partial)")
    return value


#: Built road networks, as ``.npz`` arrays.
NETWORK: Codec[RoadNetwork] = Codec(".npz", _write_network, load_cached)
#: Any JSON-ready value, as one checksum line and the JSON text.
JSON: Codec[Any] = Codec(".json", _write_json, _read_json)


def cached(
    kind: str,
    name: str,
    version: str,
    key: str,
    build: Callable[[], T],
    codec: Codec[T],
    *,
    refresh: bool = False,
) -> T:
    """The artefact cached as ``kind``/``name``/``version``/``key``, built and saved if needed.

    Parameters
    ----------
    kind, name
        What it is (``"network"``, ``"geonames"``) and which one (a region, a table).
    version
        Digest of the code that builds it, 8 hex digits (:func:`code_digest`): files of other
        versions of the same kind and name are stale, and pruned when this one is written.
    key
        Digest of what it is built from (source, options, countries).
    build
        Makes the artefact when no usable file exists.
    codec
        How it is written and read (:data:`NETWORK`, :data:`JSON`).
    refresh
        Build it again even if a file exists.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"ROUTING_CACHE_DIR": tempfile.mkdtemp()}):
    ...     built = cached("example", "squares", "0123abcd", "k", lambda: [1, 4, 9], JSON)
    ...     again = cached("example", "squares", "0123abcd", "k", lambda: [], JSON)
    >>> built, again  # the second call read the file the first one wrote
    ([1, 4, 9], [1, 4, 9])
    """
    path = _artefact_path(kind, name, version, key, codec.suffix)
    if not refresh and (value := _read(path, codec)) is not None:
        return value
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
        if not refresh and (value := _read(path, codec)) is not None:
            return value
        value = build()
        try:
            _write_atomically(path, lambda fh: codec.write(value, fh))
            _prune_stale(kind, name, version, codec.suffix)
        except OSError as exc:
            warnings.warn(f"could not write cache file {path}: {exc}", CacheWarning, stacklevel=2)
        return value
    finally:
        lock.release()


def cached_network(
    name: str, key: str, build: Callable[[], RoadNetwork], *, refresh: bool = False
) -> RoadNetwork:
    """The network cached under ``name``/``key`` (see :func:`cached`), built if needed."""
    return cached("network", name, code_version()[:8], key, build, NETWORK, refresh=refresh)


def _write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path, codec: Codec[T]) -> T | None:
    """The artefact cached at ``path``; ``None`` if absent or unusable (then reported)."""
    if not path.is_file():
        return None
    try:
        return codec.read(path)
    except CacheError as exc:
        warnings.warn(f"{exc}; rebuilding it", CacheWarning, stacklevel=3)
        with contextlib.suppress(OSError):  # a read-only folder keeps it; the build is in memory
            path.unlink()
        return None


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _artefact_path(kind: str, name: str, version: str, key: str, suffix: str) -> Path:
    return cache_dir() / f"{kind}-{_safe(name)}-{version}-{key}{suffix}"


def cache_path(name: str, key: str) -> Path:
    """Where the network ``name`` with build key ``key`` is cached.

    The builder code version is part of the file name, so files left by older code can be
    recognised (and pruned) without opening them.
    """
    return _artefact_path("network", name, code_version()[:8], key, NETWORK.suffix)


def _prune_stale(kind: str, name: str, version: str, suffix: str) -> None:
    """Delete the caches of ``kind``/``name`` written by other versions of their code."""
    prefix = f"{kind}-{_safe(name)}-"
    pattern = re.compile(rf"{re.escape(prefix)}([0-9a-f]{{8}})-[^-]+{re.escape(suffix)}")
    for file in cache_dir().glob(f"{prefix}*{suffix}"):
        found = pattern.fullmatch(file.name)
        if found and found.group(1) != version:
            file.unlink(missing_ok=True)
            Path(f"{file}.lock").unlink(missing_ok=True)
