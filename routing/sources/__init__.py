"""Data sources and named regions: one entry point, :func:`load_network`.

Named regions read the offline data directory (see :mod:`routing.settings`):

``western-iraq`` (default)
    OpenMapTiles planet tiles at zoom 7, motorway/trunk/primary, from the Syrian border
    (Abu Kamal, Deir ez-Zor, Ar Rutbah) to east of Baghdad.
``iraq``
    The same tiles over all of Iraq.
``syria``
    The full-detail Syria extract (z14 MBTiles), drivable classes (motorway to minor roads;
    service roads and tracks left out).

Anything else is taken as a path: a ``{z}/{x}/{y}.pbf`` tile directory, an ``.mbtiles`` file,
or an OSM ``.osm``/``.osm.bz2``/``.osm.pbf`` file. Every built network is cached.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..cache import cache_key, cache_path, cached_network
from ..exceptions import DataNotFoundError
from ..network import RoadNetwork, check_bbox
from ..settings import data_dir
from ._manifest import Manifest, default_manifest_path, read_manifest
from ._tilecheck import TileReport, check_tiles, make_manifest
from ._tiles import TileSet
from ._vectortiles import DRIVE_CLASSES, MAJOR_CLASSES, network_from_tiles

__all__ = [
    "REGIONS",
    "Region",
    "TileReport",
    "cache_files",
    "check_source",
    "load_network",
    "manifest_of",
    "resolve_source",
]

BBox = tuple[float, float, float, float]

# Networks loaded in this process, most recently used last; a full Syria network takes
# ~0.5 GB, so only a few are kept.
_LOADED: OrderedDict[str, RoadNetwork] = OrderedDict()
_MAX_LOADED = 3


@dataclass(frozen=True)
class Region:
    """A named region: which file under the data directory, what extent, which roads."""

    name: str
    relpath: str
    bbox: BBox | None
    classes: tuple[str, ...]
    description: str


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        Region(
            "western-iraq",
            "openmaptiles-planet-z7",
            (38.0, 31.0, 45.6, 36.2),
            MAJOR_CLASSES,
            "Syrian border to east of Baghdad; OpenMapTiles z7, major roads only",
        ),
        Region(
            "iraq",
            "openmaptiles-planet-z7",
            (38.7, 29.0, 48.8, 37.4),
            MAJOR_CLASSES,
            "all of Iraq; OpenMapTiles z7, major roads only",
        ),
        Region(
            "syria",
            "syria-2021-08.mbtiles",
            None,
            DRIVE_CLASSES,
            "all of Syria; OSM extract of 2021-08 at z14, drivable roads",
        ),
    )
}


def resolve_source(region_or_path: str | Path) -> tuple[Path, Region | None]:
    """The data path for a region name or explicit path, and the region if named."""
    key = str(region_or_path)
    if key in REGIONS:
        region = REGIONS[key]
        root = data_dir()
        path = root / region.relpath
        if not path.exists():
            raise DataNotFoundError(
                f"region {key!r} needs {path}, which is missing from the data directory {root}"
            )
        return path, region
    path = Path(region_or_path).expanduser()
    if not path.exists():
        raise DataNotFoundError(
            f"{key!r} is neither a named region ({', '.join(REGIONS)}) nor an existing file or "
            "directory"
        )
    return path, None


def _is_tiles(path: Path) -> bool:
    return path.suffix == ".mbtiles" or path.is_dir()


def load_network(
    region_or_path: str | Path = "western-iraq",
    *,
    bbox: BBox | None = None,
    zoom: int | None = None,
    classes: tuple[str, ...] | None = None,
    network_type: str = "drive",
    use_cache: bool = True,
    refresh: bool = False,
    progress: bool = True,
) -> RoadNetwork:
    """Load (from cache) or build a road network.

    Parameters
    ----------
    region_or_path
        A named region (see :data:`REGIONS`) or a path to a tile directory, ``.mbtiles``,
        ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file.
    bbox
        ``(west, south, east, north)`` to cut to; for named regions, replaces their extent.
    zoom
        Tile zoom to read (default: the highest the source has).
    classes
        OpenMapTiles road classes to keep (tile sources only).
    network_type
        osmnx-style network type for OSM files (``"drive"``).
    use_cache, refresh
        Read/write the cache under ``data/osm_cache``; ``refresh`` forces a rebuild.
        With the cache on, a network already loaded in this process is returned as the same
        object (treat it as read-only).
    progress
        Show progress bars while building.

    Raises
    ------
    DataNotFoundError
        Missing data directory, file or region source, or an unreadable file.
    DataOutsideBoundsError
        ``bbox`` does not overlap the data.
    """
    path, region = resolve_source(region_or_path)
    name = region.name if region else path.name
    bbox = check_bbox(bbox) if bbox is not None else None
    extent = bbox if bbox is not None else (region.bbox if region else None)
    stat = path.stat()

    if _is_tiles(path):
        keep = classes or (region.classes if region else DRIVE_CLASSES)

        def build() -> RoadNetwork:
            # Tiles touching the extent are read whole: clipping them would cut roads that
            # leave the extent and come back, and with them routes near its edge.
            return network_from_tiles(
                TileSet(path),
                zoom=zoom,
                bbox=extent,
                classes=keep,
                region=name,
                required=region.bbox if region else None,
                progress=progress,
            )

        options: dict[str, object] = {"zoom": zoom, "classes": keep}
    else:
        from ._osmfile import network_from_osm_file

        def build() -> RoadNetwork:
            net = network_from_osm_file(path, network_type=network_type)
            return net.clip(extent) if extent is not None else net

        options = {"network_type": network_type}
    if not use_cache:
        return build()
    key = cache_key(
        path=str(path.resolve()),
        size=stat.st_size,
        mtime=int(stat.st_mtime),
        bbox=extent,
        version=__version__,
        **options,
    )
    # Networks already loaded in this process are shared, so the routing engine built on one
    # (cached on the network object) is reused by every call that names the same data.
    if not refresh and key in _LOADED:
        _LOADED.move_to_end(key)
        return _LOADED[key]
    net = cached_network(_cache_name(name, bbox), key, build, refresh=refresh)
    _LOADED[key] = net
    while len(_LOADED) > _MAX_LOADED:
        _LOADED.popitem(last=False)
    return net


def _cache_name(name: str, bbox: BBox | None) -> str:
    return name if bbox is None else f"{name}-bbox"


def cache_files(region_or_path: str | Path = "western-iraq") -> list[Path]:
    """Cache files present for a region or path (whole extent and any bbox cuts)."""
    path, region = resolve_source(region_or_path)
    name = region.name if region else path.name
    pattern = cache_path(name, "*")
    cut = cache_path(_cache_name(name, (0, 0, 0, 0)), "*")
    return sorted({*pattern.parent.glob(pattern.name), *cut.parent.glob(cut.name)})


def check_source(
    region_or_path: str | Path = "western-iraq",
    *,
    bbox: BBox | None = None,
    roads: bool = True,
    manifest: str | Path | None = None,
) -> TileReport | None:
    """Check the tiles a region or tile source would be built from; ``None`` for OSM files.

    Parameters
    ----------
    bbox
        Check only tiles touching ``(west, south, east, north)``; default: the region's extent.
    roads
        Also look for absent tiles that roads run into (decodes road geometry: slower).
    manifest
        A manifest file to verify against; default: the source's own, if it has one.

    Raises
    ------
    DataNotFoundError
        The region's data or the path is missing.
    DataFormatError
        An unusable manifest file, or zooms outside the metadata's range.
    """
    path, region = resolve_source(region_or_path)
    if not _is_tiles(path):
        return None
    bbox = check_bbox(bbox) if bbox is not None else (region.bbox if region else None)
    return check_tiles(
        TileSet(path),
        bbox=bbox,
        required=region.bbox if region else None,
        roads=roads,
        classes=region.classes if region else None,
        manifest=read_manifest(Path(manifest)) if manifest is not None else None,
    )


def manifest_of(region_or_path: str | Path) -> tuple[Manifest, Path]:
    """A manifest of a tile source as it is now, and where the source looks for it.

    Raises
    ------
    DataNotFoundError
        Missing data, or not a tile source.
    """
    path, _ = resolve_source(region_or_path)
    if not _is_tiles(path):
        raise DataNotFoundError(f"{path} is not a tile source: only tiles have manifests")
    return make_manifest(TileSet(path)), default_manifest_path(path)
