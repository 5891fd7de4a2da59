"""Where the toolkit looks for data and writes caches.

Both locations can be set by environment variables so that notebooks, the CLI and CI agree:

``ROUTING_DATA_DIR``
    Directory holding the offline OSM data (vector tiles, MBTiles). Defaults to
    ``../shared/osm`` relative to the working directory or to the repository checkout,
    whichever exists.
``ROUTING_REGIONS_DIR``
    Directory of the user's own region packs (YAML files, see
    :mod:`routing.sources.regions`), added to the shipped ones. Unset: only the shipped packs.
``ROUTING_CACHE_DIR``
    Directory for derived, rebuildable caches (built networks, osmnx's Overpass cache).
    Defaults to ``data/osm_cache`` in the repository checkout, or in the working directory
    when the package is installed elsewhere. A read-only cache folder is read (its files are
    checksummed, so no lock is needed); one that cannot be used at all (a file, under a file)
    is skipped with one warning, and the work is done in memory.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path

from .exceptions import CacheWarning, DataNotFoundError

__all__ = [
    "CACHE_DIR_ENV",
    "DATA_DIR_ENV",
    "REGIONS_DIR_ENV",
    "cache_dir",
    "cache_unwritable",
    "data_dir",
    "regions_dir",
    "writable_cache_dir",
]

DATA_DIR_ENV = "ROUTING_DATA_DIR"
CACHE_DIR_ENV = "ROUTING_CACHE_DIR"
REGIONS_DIR_ENV = "ROUTING_REGIONS_DIR"

# The repository root when running from a checkout (routing/ sits directly under it).
_REPO_ROOT = Path(__file__).resolve().parent.parent


def _candidates() -> list[Path]:
    return [Path.cwd() / ".." / "shared" / "osm", _REPO_ROOT / ".." / "shared" / "osm"]


def data_dir() -> Path:
    """Return the offline OSM data directory.

    Raises
    ------
    DataNotFoundError
        ``ROUTING_DATA_DIR`` is set but not a directory, or no default location exists.
    """
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            return path.resolve()
        raise DataNotFoundError(
            f"{DATA_DIR_ENV}={env!r} is not a directory; point it at the offline OSM data "
            "folder that the region packs' source paths are relative to"
        )
    for path in _candidates():
        if path.is_dir():
            return path.resolve()
    raise DataNotFoundError(
        "no offline OSM data directory found: set the environment variable "
        f"{DATA_DIR_ENV} to the folder the region packs' source paths are relative to "
        "(default: ../shared/osm beside the checkout or the working directory)"
    )


def regions_dir() -> Path | None:
    """The user's region-pack folder (``ROUTING_REGIONS_DIR``), or ``None`` when unset.

    Raises
    ------
    DataNotFoundError
        The variable is set but does not name a folder.
    """
    env = os.environ.get(REGIONS_DIR_ENV)
    if not env:
        return None
    path = Path(env).expanduser()
    if not path.is_dir():
        raise DataNotFoundError(f"{REGIONS_DIR_ENV}={env!r} is not a directory of region packs")
    return path.resolve()


def cache_dir() -> Path:
    """Return the directory for derived caches, creating it if it can.

    Never raises: an unusable location (a file, under a file, read-only) still reads as a
    cache that holds nothing; writers ask :func:`writable_cache_dir` first.
    """
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        path = Path(env).expanduser()
    elif (_REPO_ROOT / "pyproject.toml").exists():
        path = _REPO_ROOT / "data" / "osm_cache"
    else:
        path = Path.cwd() / "data" / "osm_cache"
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def writable_cache_dir() -> Path | None:
    """The cache directory if files can be written into it, else ``None``.

    When it cannot be written (it is a file, lies under a file, or is read-only) a
    :class:`~routing.exceptions.CacheWarning` names the folder and the setting, once per
    process; callers then work in memory.
    """
    path = cache_dir()
    if path.is_dir() and os.access(path, os.W_OK | os.X_OK):
        return path
    if path.is_dir():
        problem = "is read-only"
    elif path.exists():
        problem = "is a file, not a folder"
    else:
        problem = "cannot be created (a file is in the way)"
    cache_unwritable(path, problem)
    return None


def cache_unwritable(path: Path, problem: str) -> None:
    """Warn, once per process, that the cache folder ``path`` cannot be written."""
    if path in _WARNED:
        return
    _WARNED.add(path)
    setting = (
        CACHE_DIR_ENV
        if os.environ.get(CACHE_DIR_ENV)
        else f"the default; set {CACHE_DIR_ENV} to a writable folder"
    )
    warnings.warn(
        f"cache folder {str(path)!r} ({setting}) {problem}: "
        "working without writing caches (results are built in memory)",
        CacheWarning,
        stacklevel=3,
    )


_WARNED: set[Path] = set()
