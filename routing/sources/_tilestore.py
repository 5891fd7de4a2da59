"""Where vector tiles are stored: a ``{z}/{x}/{y}.pbf`` folder, an MBTiles file or a PMTiles file.

Each store answers the same few questions (metadata, zooms and tiles present, the bytes of a
tile as stored) so that :class:`~routing.sources._tiles.TileSet` checks and decodes tiles the
same way whatever holds them. Tiles are addressed in XYZ (rows from the top) everywhere; the
stores translate TMS rows (MBTiles, and folders whose TileJSON says ``"scheme": "tms"``).
Bytes come back as stored (often gzip), unchecked.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import sqlite3
import struct
import zlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from pmtiles.tile import (
    Compression,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_directory,
    deserialize_header,
    tileid_to_zxy,
)

from ..exceptions import DataFormatError, DataNotFoundError
from ._manifest import digest, tile_name

__all__ = ["TileStore", "open_store"]

_METADATA_FILES = ("tiles.json", "metadata.json")


class TileStore(Protocol):
    """What a tile container answers."""

    kind: str
    tms: bool

    def metadata(self) -> dict[str, Any]:
        """TileJSON-like metadata (``minzoom``, ``maxzoom``, ``attribution``, ...)."""
        ...

    def metadata_digest(self) -> str:
        """SHA-256 of the stored metadata, to notice a changed source."""
        ...

    def zooms(self) -> list[int]:
        """Zoom levels holding tiles."""
        ...

    def listing(self, z: int) -> list[tuple[int, int]]:
        """XYZ ``(x, y)`` of every tile stored at zoom ``z`` (sorted)."""
        ...

    def stored_at(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        """``(x, y, bytes as stored)`` of those of ``tiles`` that exist."""
        ...

    def iter_stored(self) -> Iterator[tuple[int, int, int, bytes]]:
        """``(z, x, y, bytes as stored)`` of every tile."""
        ...


def open_store(path: Path) -> TileStore:
    """The store for a tile folder, ``.mbtiles`` or ``.pmtiles`` file.

    Raises
    ------
    DataNotFoundError
        ``path`` does not exist or is not a readable container.
    """
    if not path.exists():
        raise DataNotFoundError(f"vector tile source not found: {path}")
    if path.is_dir():
        return _FolderStore(path)
    if path.suffix.lower() == ".pmtiles":
        return _PMTilesStore(path)
    return _MBTilesStore(path)


def _with_json(meta: dict[str, Any]) -> dict[str, Any]:
    """MBTiles metadata (and PMTiles converted from it) keep TileJSON fields in a "json" row."""
    if isinstance(meta.get("json"), str):
        with contextlib.suppress(json.JSONDecodeError, TypeError, ValueError):
            meta.update(json.loads(meta["json"]))
    return meta


class _FolderStore:
    kind = "tile directory"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tms = self.metadata().get("scheme") == "tms"

    def metadata(self) -> dict[str, Any]:
        for name in _METADATA_FILES:
            file = self.path / name
            if file.exists():
                return dict(json.loads(file.read_text(encoding="utf-8")))
        return {}

    def metadata_digest(self) -> str:
        for name in _METADATA_FILES:
            if (self.path / name).is_file():
                return digest((self.path / name).read_bytes())
        return digest(b"")

    def zooms(self) -> list[int]:
        return sorted(int(p.name) for p in self.path.iterdir() if p.is_dir() and p.name.isdigit())

    def listing(self, z: int) -> list[tuple[int, int]]:
        zdir = self.path / str(z)
        found = [
            (int(xd.name), int(f.name.split(".")[0]))
            for xd in (zdir.iterdir() if zdir.is_dir() else [])
            if xd.name.isdigit()
            for f in xd.iterdir()
            if f.name.split(".")[0].isdigit()
        ]
        if self.tms:
            found = [(x, 2**z - 1 - y) for x, y in found]
        return sorted(found)

    def _read(self, z: int, x: int, y: int) -> bytes | None:
        row = y if not self.tms else 2**z - 1 - y
        file = self.path / str(z) / str(x) / f"{row}.pbf"
        if not file.exists():
            file = file.with_suffix(".mvt")
        try:
            return file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DataNotFoundError(
                f"cannot read tile {tile_name(z, x, y)} ({file}): {exc.strerror or exc}"
            ) from exc

    def stored_at(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        for x, y in tiles:
            if (data := self._read(z, x, y)) is not None:
                yield x, y, data

    def iter_stored(self) -> Iterator[tuple[int, int, int, bytes]]:
        for z in self.zooms():
            for x, y, data in self.stored_at(z, self.listing(z)):
                yield z, x, y, data


class _MBTilesStore:
    kind = "MBTiles"
    tms = True  # MBTiles rows count from the bottom, by specification

    def __init__(self, path: Path) -> None:
        self.path = path
        with contextlib.closing(self._connect()):
            pass

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            con.execute("SELECT 1 FROM tiles LIMIT 1")
        except sqlite3.DatabaseError as exc:
            raise DataNotFoundError(f"{self.path} is not a readable MBTiles file: {exc}") from exc
        return con

    def metadata(self) -> dict[str, Any]:
        with contextlib.closing(self._connect()) as con:
            return _with_json(dict(con.execute("SELECT name, value FROM metadata")))

    def metadata_digest(self) -> str:
        with contextlib.closing(self._connect()) as con:
            rows = sorted(con.execute("SELECT name, value FROM metadata"))
        return digest(json.dumps(rows).encode())

    def zooms(self) -> list[int]:
        with contextlib.closing(self._connect()) as con:
            return sorted(r[0] for r in con.execute("SELECT DISTINCT zoom_level FROM tiles"))

    def listing(self, z: int) -> list[tuple[int, int]]:
        with contextlib.closing(self._connect()) as con:
            rows = con.execute(
                "SELECT tile_column, tile_row FROM tiles WHERE zoom_level = ?", (z,)
            ).fetchall()
        return sorted((x, 2**z - 1 - r) for x, r in rows)

    def stored_at(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        with contextlib.closing(self._connect()) as con:
            for x, y in tiles:
                hit = con.execute(
                    "SELECT tile_data FROM tiles "
                    "WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                    (z, x, 2**z - 1 - y),
                ).fetchone()
                if hit is not None:
                    yield x, y, bytes(hit[0] or b"")

    def iter_stored(self) -> Iterator[tuple[int, int, int, bytes]]:
        with contextlib.closing(self._connect()) as con:
            rows = con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
            for z, x, row, data in rows:
                yield z, x, 2**z - 1 - row, bytes(data or b"")


class _PMTilesStore:
    """A PMTiles v3 archive (one file, a directory of tile ids; protomaps.com/docs/pmtiles)."""

    kind = "PMTiles"
    tms = False

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open(path, "rb") as f:
                self.header = deserialize_header(f.read(127))
        except (
            OSError,
            MagicNumberNotFound,
            SpecVersionUnsupported,
            struct.error,
            IndexError,
            ValueError,
        ) as exc:
            raise DataNotFoundError(f"{path} is not a readable PMTiles v3 file: {exc}") from exc
        if self.header["tile_type"] not in (TileType.MVT, TileType.UNKNOWN):
            raise DataFormatError(
                f"{path} holds {self.header['tile_type'].name} tiles, not vector tiles (MVT)"
            )

    def _section(self, f: BinaryIO, offset: int, length: int, *, unzip: bool = True) -> bytes:
        """The metadata or a directory, as stored (``unzip``: undo internal compression)."""
        f.seek(offset)
        data = f.read(length)
        if unzip and self.header["internal_compression"] == Compression.GZIP:
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                raise DataFormatError(f"{self.path}: a damaged directory ({exc})") from exc
        return data

    def metadata(self) -> dict[str, Any]:
        h = self.header
        with open(self.path, "rb") as f:
            raw = self._section(f, h["metadata_offset"], h["metadata_length"])
        try:
            meta = _with_json(dict(json.loads(raw or b"{}")))
        except (ValueError, TypeError) as exc:
            raise DataFormatError(f"{self.path}: metadata is not JSON ({exc})") from exc
        meta.setdefault("minzoom", h["min_zoom"])
        meta.setdefault("maxzoom", h["max_zoom"])
        return meta

    def metadata_digest(self) -> str:
        h = self.header
        with open(self.path, "rb") as f:
            return digest(self._section(f, h["metadata_offset"], h["metadata_length"]))

    @cached_property
    def _index(self) -> dict[tuple[int, int, int], tuple[int, int]]:
        """``(z, x, y)`` -> ``(offset, length)`` of every tile, from the directories."""
        h = self.header
        index: dict[tuple[int, int, int], tuple[int, int]] = {}
        pending = [(h["root_offset"], h["root_length"])]
        with open(self.path, "rb") as f:
            while pending:
                offset, length = pending.pop()
                # pmtiles' own directory reader undoes the (gzip) internal compression.
                raw = self._section(f, offset, length, unzip=False)
                try:
                    entries = deserialize_directory(raw)
                except (OSError, EOFError, ValueError, zlib.error) as exc:
                    raise DataFormatError(f"{self.path}: a damaged directory ({exc})") from exc
                for entry in entries:
                    if entry.run_length == 0:  # a leaf directory
                        pending.append((h["leaf_directory_offset"] + entry.offset, entry.length))
                        continue
                    place = (h["tile_data_offset"] + entry.offset, entry.length)
                    for i in range(entry.run_length):
                        index[tileid_to_zxy(entry.tile_id + i)] = place
        return index

    def zooms(self) -> list[int]:
        return sorted({z for z, _, _ in self._index})

    def listing(self, z: int) -> list[tuple[int, int]]:
        return sorted((x, y) for zz, x, y in self._index if zz == z)

    def stored_at(self, z: int, tiles: list[tuple[int, int]]) -> Iterator[tuple[int, int, bytes]]:
        with open(self.path, "rb") as f:
            for x, y in tiles:
                if (place := self._index.get((z, x, y))) is not None:
                    f.seek(place[0])
                    yield x, y, f.read(place[1])

    def iter_stored(self) -> Iterator[tuple[int, int, int, bytes]]:
        for z in self.zooms():
            for x, y, data in self.stored_at(z, self.listing(z)):
                yield z, x, y, data
