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
    when the package is installed elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from .exceptions import DataNotFoundError

__all__ = [
    "CACHE_DIR_ENV",
    "DATA_DIR_ENV",
    "REGIONS_DIR_ENV",
    "cache_dir",
    "data_dir",
    "regions_dir",
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
    """Return (and create) the directory for derived caches."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        path = Path(env).expanduser()
    elif (_REPO_ROOT / "pyproject.toml").exists():
        path = _REPO_ROOT / "data" / "osm_cache"
    else:
        path = Path.cwd() / "data" / "osm_cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
