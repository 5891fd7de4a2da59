"""Tile manifests: the size and SHA-256 of every tile of a source, to verify a copy against.

A manifest pins a tile source as it was when it was made: a tile that later changes (a
truncated copy, a tile of another place or zoom put in its place), disappears or is added is
found by comparing. ``routing data manifest`` writes one; ``routing data check`` and every
network build read the one at :func:`default_manifest_path` when it exists.

The file is JSON::

    {"format": "routing-tile-manifest/1", "source": "openmaptiles-planet-z7",
     "metadata_sha256": "...", "tiles": {"7/76/48": [34512, "9f2c..."], ...}}

with tiles named ``z/x/y`` in XYZ rows (y counted from the top), whatever the source stores,
and sizes and checksums of the bytes as stored (before any gzip is undone).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .._text import quoted
from ..exceptions import DataFormatError

__all__ = [
    "FORMAT",
    "Manifest",
    "default_manifest_path",
    "digest",
    "read_manifest",
    "tile_name",
]

FORMAT = "routing-tile-manifest/1"
_DIR_NAME = "routing-manifest.json"


def tile_name(z: int, x: int, y: int) -> str:
    """``"z/x/y"``: how messages and manifests name a tile (XYZ rows)."""
    return f"{z}/{x}/{y}"


def digest(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def default_manifest_path(source: Path) -> Path:
    """Where a source's manifest lives: inside a tile folder, beside an MBTiles file."""
    if source.is_dir():
        return source / _DIR_NAME
    return source.with_name(source.name + ".manifest.json")


@dataclass(frozen=True)
class Manifest:
    """Sizes and checksums of a source's tiles (see the module docstring)."""

    source: str
    metadata_sha256: str
    tiles: dict[str, tuple[int, str]]

    def to_json(self) -> str:
        """The manifest file's text."""
        doc = {
            "format": FORMAT,
            "source": self.source,
            "metadata_sha256": self.metadata_sha256,
            "tiles": {k: list(v) for k, v in sorted(self.tiles.items())},
        }
        return json.dumps(doc, indent=0) + "\n"

    def problem(self, name: str, data: bytes) -> str | None:
        """Why the stored bytes of tile ``name`` do not match the manifest, or ``None``."""
        entry = self.tiles.get(name)
        if entry is None:
            return "not in the manifest (added after it was made?)"
        size, sha = entry
        if len(data) != size or digest(data) != sha:
            return (
                f"differs from the manifest ({len(data):,} bytes, sha256 {digest(data)[:12]}; "
                f"expected {size:,} bytes, sha256 {sha[:12]})"
            )
        return None


def read_manifest(path: Path) -> Manifest:
    """Read a manifest file.

    Raises
    ------
    DataFormatError
        The file is unreadable or not a manifest of this format.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
        tiles = {
            str(k): (int(v[0]), str(v[1]))
            for k, v in doc["tiles"].items()
            if len(v) == 2 and len(str(v[1])) == 64
        }
        if len(tiles) != len(doc["tiles"]):
            raise ValueError("a tile entry is not [bytes, sha256]")
        return Manifest(str(doc["source"]), str(doc["metadata_sha256"]), tiles)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise DataFormatError(f"tile manifest {quoted(str(path), 200)} is unusable: {exc}") from exc
