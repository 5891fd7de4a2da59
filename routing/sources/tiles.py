"""Vector tiles as a source: a ``{z}/{x}/{y}.pbf`` folder, an ``.mbtiles`` or a ``.pmtiles`` file.

Reads OpenMapTiles-schema tiles (OpenMapTiles planet builds, tilemaker extracts); the decoding
and topology repair live in the private modules ``_tiles``, ``_vectortiles`` and ``_noding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..network import RoadNetwork
from ._tiles import TileSet
from ._vectortiles import DRIVE_CLASSES, network_from_tiles
from .base import BBox, SourceOptions, register_source

__all__ = ["TileSource"]


@dataclass(frozen=True)
class TileSource:
    """Roads from a vector tile pyramid.

    Attributes
    ----------
    path
        The tile folder, ``.mbtiles`` or ``.pmtiles`` file.
    name
        Label for the cache and for the network's provenance.
    bbox
        Extent to read; tiles touching it are read whole, so that roads leaving the extent
        and coming back are kept (and routes near its edge with them).
    zoom
        Zoom level (default: the highest present).
    classes
        OpenMapTiles road classes to keep.
    required
        Extent the tiles must cover (a region pack's): a tile missing inside it is an error.
    """

    path: Path
    name: str
    bbox: BBox | None = None
    zoom: int | None = None
    classes: tuple[str, ...] = DRIVE_CLASSES
    required: BBox | None = None

    def cache_key(self) -> dict[str, Any]:
        """Path, size and modification time of the data, and the build options."""
        stat = self.path.stat()
        return {
            "path": str(self.path.resolve()),
            "size": stat.st_size,
            "mtime": int(stat.st_mtime),
            "bbox": self.bbox,
            "zoom": self.zoom,
            "classes": self.classes,
        }

    def build(self, *, progress: bool = True) -> RoadNetwork:
        """Decode the tiles and build the network."""
        return network_from_tiles(
            TileSet(self.path),
            zoom=self.zoom,
            bbox=self.bbox,
            classes=self.classes,
            region=self.name,
            required=self.required,
            progress=progress,
        )


def _is_tiles(path: Path) -> bool:
    return path.suffix.lower() in (".mbtiles", ".pmtiles") or path.is_dir()


def _open(path: Path, options: SourceOptions) -> TileSource:
    return TileSource(
        path,
        options.name or path.name,
        options.bbox,
        options.zoom,
        options.classes or DRIVE_CLASSES,
        options.required,
    )


register_source("vector tiles ({z}/{x}/{y}.pbf folder, .mbtiles, .pmtiles)", _is_tiles, _open)
