"""OSM files as a source: ``.osm``, ``.osm.bz2`` (XML) and ``.osm.pbf``.

The reading and segmenting rules are in the private module ``_osmfile``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..network import RoadNetwork
from ._osmfile import PBF_SUFFIXES, XML_SUFFIXES, network_from_osm_file
from .base import BBox, SourceOptions, register_source

__all__ = ["OsmFileSource"]


@dataclass(frozen=True)
class OsmFileSource:
    """Roads from an OSM file, filtered like osmnx's network types.

    Attributes
    ----------
    path
        The ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file.
    name
        Label for the cache and messages.
    network_type
        ``"drive"`` (default) or ``"drive_service"``.
    bbox
        Extent to clip the built network to.
    """

    path: Path
    name: str
    network_type: str = "drive"
    bbox: BBox | None = None

    def cache_key(self) -> dict[str, Any]:
        """Path, size and modification time of the file, and the build options."""
        stat = self.path.stat()
        return {
            "path": str(self.path.resolve()),
            "size": stat.st_size,
            "mtime": int(stat.st_mtime),
            "bbox": self.bbox,
            "network_type": self.network_type,
        }

    def build(self, *, progress: bool = True) -> RoadNetwork:
        """Read the file and build the network."""
        net = network_from_osm_file(self.path, network_type=self.network_type)
        return net.clip(self.bbox) if self.bbox is not None else net


def _is_osm_file(path: Path) -> bool:
    return path.name.lower().endswith(PBF_SUFFIXES + XML_SUFFIXES)


def _open(path: Path, options: SourceOptions) -> OsmFileSource:
    return OsmFileSource(path, options.name or path.name, options.network_type, options.bbox)


register_source("OSM files (.osm, .osm.bz2, .osm.pbf)", _is_osm_file, _open)
