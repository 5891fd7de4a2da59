"""The one interface every data source implements, and the registry that picks one for a path.

A :class:`Source` builds a :class:`~routing.network.RoadNetwork` and says what identifies that
build (for the cache) and where the data came from (for every figure's assumptions).
:func:`open_source` turns a file or folder into the first registered source that accepts it;
a new format is one new module that calls :func:`register_source`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..exceptions import DataFormatError
from ..network import RoadNetwork

__all__ = ["BBox", "Source", "SourceOptions", "open_source", "register_source"]

BBox = tuple[float, float, float, float]


@runtime_checkable
class Source(Protocol):
    """Where a road network comes from."""

    @property
    def name(self) -> str:
        """Short label: names the cache file and the data in messages."""
        ...

    def cache_key(self) -> dict[str, Any] | None:
        """What identifies the build (path, size, date, options); ``None``: never cache."""
        ...

    def build(self, *, progress: bool = True) -> RoadNetwork:
        """Read the data and build the network (its ``meta`` states the provenance)."""
        ...


@dataclass(frozen=True)
class SourceOptions:
    """Options a source may use when opened from a path (each format uses what applies).

    Attributes
    ----------
    name
        Label for caches and messages (default: the file name).
    bbox
        ``(west, south, east, north)`` extent to cut to.
    zoom
        Tile zoom level (tile sources; default: the highest).
    classes
        OpenMapTiles road classes to keep (tile sources).
    network_type
        osmnx network type (OSM files): ``"drive"`` or ``"drive_service"``.
    required
        An extent the data must cover whole (a region pack's): a tile missing inside it is
        an error rather than empty land.
    """

    name: str | None = None
    bbox: BBox | None = None
    zoom: int | None = None
    classes: tuple[str, ...] | None = None
    network_type: str = "drive"
    required: BBox | None = None


Opener = Callable[[Path, SourceOptions], Source]
_OPENERS: list[tuple[str, Callable[[Path], bool], Opener]] = []


def register_source(label: str, accepts: Callable[[Path], bool], opener: Opener) -> None:
    """Register a data format: ``accepts(path)`` recognises it, ``opener`` makes the source.

    Formats registered later are tried first, so a plug-in can take over a suffix.
    """
    _OPENERS.insert(0, (label, accepts, opener))


def open_source(path: Path, options: SourceOptions | None = None) -> Source:
    """The source for a file or folder, by the first registered format that accepts it.

    Raises
    ------
    DataFormatError
        No registered format accepts the path.
    """
    for _, accepts, opener in _OPENERS:
        if accepts(path):
            return opener(path, options or SourceOptions())
    known = ", ".join(label for label, _, _ in reversed(_OPENERS))
    raise DataFormatError(f"{path} is not a road data format this toolkit reads ({known})")
