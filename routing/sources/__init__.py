"""Data sources: from a region name, a path or a :class:`Source` to a road network.

:func:`load_network` is the one entry point. A name is looked up among the region packs
(:mod:`routing.sources.regions`: YAML files naming a path under the data directory, an
extent, road classes); anything else is taken as a path and opened by the first registered
format that accepts it (:mod:`routing.sources.base`): vector tiles (a ``{z}/{x}/{y}.pbf``
folder, ``.mbtiles`` or ``.pmtiles``, :mod:`~routing.sources.tiles`) or an OSM file (``.osm``,
``.osm.bz2``, ``.osm.pbf``, :mod:`~routing.sources.osmfile`). A :class:`Source` object (for
instance :class:`~routing.sources.overpass.OverpassSource`) is used as given. Every built
network is cached (:mod:`routing.cache`).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from .._version import __version__
from ..cache import cache_key, cache_path, cached_network
from ..exceptions import DataNotFoundError
from ..network import RoadNetwork, check_bbox
from . import osmfile  # noqa: F401  (registers its format)
from ._manifest import Manifest, default_manifest_path, read_manifest
from ._tilecheck import TileReport, check_tiles, make_manifest
from ._tiles import TileSet
from .base import BBox, Source, SourceOptions, open_source, register_source
from .regions import RegionPack, default_region, get_region, regions
from .tiles import TileSource

__all__ = [
    "RegionPack",
    "Source",
    "SourceOptions",
    "TileReport",
    "cache_files",
    "check_source",
    "default_region",
    "get_region",
    "load_network",
    "manifest_of",
    "open_source",
    "regions",
    "register_source",
    "resolve_source",
]

# Networks loaded in this process, most recently used last; a full-detail country network
# takes ~0.5 GB, so only a few are kept.
_LOADED: OrderedDict[str, RoadNetwork] = OrderedDict()
_MAX_LOADED = 3


def resolve_source(
    region_or_path: str | Path | Source | None = None,
    *,
    bbox: BBox | None = None,
    zoom: int | None = None,
    classes: tuple[str, ...] | None = None,
    network_type: str = "drive",
) -> Source:
    """The source a region name, path or Source stands for (``None``: the default region).

    Raises
    ------
    DataNotFoundError
        Neither a region pack's name nor an existing file or folder, or the region's data is
        missing.
    DataFormatError
        A path in no format the toolkit reads.
    DataOutsideBoundsError
        A malformed ``bbox``.
    """
    if isinstance(region_or_path, Source):
        return region_or_path
    bbox = check_bbox(bbox) if bbox is not None else None
    pack = _pack(region_or_path)
    if pack is not None:
        options = SourceOptions(
            name=pack.name,
            bbox=bbox if bbox is not None else pack.bbox,
            zoom=zoom,
            classes=classes or pack.source.classes,
            network_type=network_type,
            required=pack.bbox if pack.source.complete else None,
        )
        return open_source(pack.data_path(), options)
    path = Path(str(region_or_path)).expanduser()
    if not path.exists():
        raise DataNotFoundError(
            f"{str(region_or_path)!r} is neither a named region ({', '.join(regions())}) nor "
            "an existing file or directory"
        )
    return open_source(path, SourceOptions(None, bbox, zoom, classes, network_type))


def _pack(region_or_path: str | Path | None) -> RegionPack | None:
    if region_or_path is None:
        return default_region()
    return regions().get(str(region_or_path)) if isinstance(region_or_path, str) else None


def load_network(
    region_or_path: str | Path | Source | None = None,
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
        A region pack's name (:func:`~routing.sources.regions.regions`), a path to a tile
        folder, ``.mbtiles``, ``.pmtiles``, ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file, or a
        :class:`Source`. ``None``: the default region.
    bbox
        ``(west, south, east, north)`` to cut to; for a region, replaces its extent.
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
    RegionError
        A region pack file is malformed.
    """
    source = resolve_source(
        region_or_path, bbox=bbox, zoom=zoom, classes=classes, network_type=network_type
    )
    parts = source.cache_key() if use_cache else None
    if parts is None:
        return source.build(progress=progress)
    key = cache_key(**parts, version=__version__)
    # Networks already loaded in this process are shared, so the routing engine built on one
    # (cached on the network object) is reused by every call that names the same data.
    if not refresh and key in _LOADED:
        _LOADED.move_to_end(key)
        return _LOADED[key]
    net = cached_network(source.name, key, lambda: source.build(progress=progress), refresh=refresh)
    _LOADED[key] = net
    while len(_LOADED) > _MAX_LOADED:
        _LOADED.popitem(last=False)
    return net


def cache_files(region_or_path: str | Path | Source | None = None) -> list[Path]:
    """Cache files present for a region, path or source."""
    pattern = cache_path(resolve_source(region_or_path).name, "*")
    return sorted(pattern.parent.glob(pattern.name))


def check_source(
    region_or_path: str | Path | None = None,
    *,
    bbox: BBox | None = None,
    roads: bool = True,
    manifest: str | Path | None = None,
) -> TileReport | None:
    """Check the tiles a region or tile source would be built from; ``None`` for other data.

    Parameters
    ----------
    region_or_path
        A region pack's name or a path (``None``: the default region).
    bbox
        Check only tiles touching ``(west, south, east, north)``; default: the extent.
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
    source = resolve_source(region_or_path, bbox=bbox)
    if not isinstance(source, TileSource):
        return None
    return check_tiles(
        TileSet(source.path),
        bbox=source.bbox,
        required=source.required,
        roads=roads,
        classes=source.classes,
        manifest=read_manifest(Path(manifest)) if manifest is not None else None,
    )


def manifest_of(region_or_path: str | Path | None = None) -> tuple[Manifest, Path]:
    """A manifest of a tile source as it is now, and where the source looks for it.

    Raises
    ------
    DataNotFoundError
        Missing data, or not a tile source.
    """
    source = resolve_source(region_or_path)
    if not isinstance(source, TileSource):
        raise DataNotFoundError(f"{source.name} is not a tile source: only tiles have manifests")
    return make_manifest(TileSet(source.path)), default_manifest_path(source.path)
