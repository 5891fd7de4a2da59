"""Which tiles of a source are bad or missing: the rule, and the report of ``routing data``.

Bad tiles are found by reading them (:meth:`routing.sources._tiles.TileSet.unpack`: zero
bytes, broken gzip, not a vector tile, impossible coordinates, a manifest mismatch). An
absent tile is judged by what promises it:

1. A named region declares its extent: every tile of that extent at the zoom read must exist.
   An absent one is *missing* (an error).
2. A manifest lists the tiles that existed when it was made: a listed tile that is absent is
   *missing* (an error); a present tile it does not list is *bad*.
3. Otherwise an absent tile is legitimately empty (tile generators leave empty tiles out),
   as is a present one that holds no roads, unless roads of a neighbouring tile run into it
   (:func:`~routing.sources._tiles.road_exits`): then it is a *gap*, reported and warned about
   but not an error, because real data has them: the Syria extract (tilemaker) has 36 z14
   tiles absent or without drivable roads that drivable roads of a neighbour run into.

Only tiles inside the area read count (its tile range, and the rectangle the source covers at
that zoom): a regional extract's outer roads run into tiles it never had.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import BadTileError
from ._manifest import Manifest, digest, tile_name
from ._tiles import TileSet, decode_tile, has_roads, road_exits, tile_range

__all__ = [
    "TileProblem",
    "TileReport",
    "check_tiles",
    "listed",
    "make_manifest",
    "missing_tiles",
    "road_gaps",
]

BBox = tuple[float, float, float, float]
Tile = tuple[int, int]
# Problems listed in one error line before "and N more".
_LISTED = 5


@dataclass(frozen=True)
class TileProblem:
    """One tile (``z/x/y``) and what is wrong with it."""

    tile: str
    problem: str


@dataclass
class TileReport:
    """What :func:`check_tiles` found."""

    source: Path
    zoom: int
    checked: int
    bad: list[TileProblem] = field(default_factory=list)
    missing: list[TileProblem] = field(default_factory=list)
    gaps: list[TileProblem] = field(default_factory=list)
    manifest: str = "none"

    @property
    def ok(self) -> bool:
        """No bad and no missing tile (gaps are reported, not errors)."""
        return not (self.bad or self.missing)

    def summary(self) -> str:
        """One line: counts, the first problems, and the manifest's state."""
        parts = [f"{self.checked:,} tiles read at z{self.zoom}"]
        for label, found in (("bad", self.bad), ("missing", self.missing), ("gaps", self.gaps)):
            if found:
                parts.append(f"{len(found):,} {label}: " + listed(found))
        if self.ok and not self.gaps:
            parts.append("none bad or missing")
        return "; ".join(parts) + f"; manifest: {self.manifest}"


def listed(problems: list[TileProblem]) -> str:
    """The first few problems, for one line."""
    text = ", ".join(f"{p.tile} ({p.problem})" for p in problems[:_LISTED])
    return text + (f" and {len(problems) - _LISTED:,} more" if len(problems) > _LISTED else "")


def _hull(tiles: Iterable[Tile]) -> tuple[int, int, int, int] | None:
    xs, ys = zip(*tiles, strict=True) if tiles else ((), ())
    return (min(xs), max(xs), min(ys), max(ys)) if xs else None


def _inside(t: Tile, box: tuple[int, int, int, int] | None) -> bool:
    return box is not None and box[0] <= t[0] <= box[1] and box[2] <= t[1] <= box[3]


def missing_tiles(
    ts: TileSet, z: int, present: set[Tile], bbox: BBox | None, required: BBox | None
) -> list[TileProblem]:
    """Absent tiles that the region's extent (``required``) or the manifest promises.

    Only tiles touching ``bbox`` (the extent read; ``None``: everywhere) count.
    """
    promised: dict[Tile, str] = {}
    if required is not None:
        x0, x1, y0, y1 = tile_range(required, z)
        for t in ((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)):
            promised[t] = "inside the region's declared extent"
    if ts.manifest is not None:
        prefix = f"{z}/"
        for name in ts.manifest.tiles:
            if name.startswith(prefix):
                x, y = (int(v) for v in name.split("/")[1:])
                promised.setdefault((x, y), "listed in the manifest")
    window = tile_range(bbox, z) if bbox is not None else None
    return [
        TileProblem(tile_name(z, *t), f"absent, but {why}")
        for t, why in sorted(promised.items())
        if t not in present and (window is None or _inside(t, window))
    ]


def road_gaps(
    z: int, exits: dict[Tile, Tile], with_roads: set[Tile], covered: set[Tile], bbox: BBox | None
) -> list[TileProblem]:
    """Tiles without roads that roads of a neighbour run into (``exits``: tile -> neighbour).

    ``with_roads`` are the tiles read that hold road lines; ``covered`` every tile the source
    holds at ``z``. Only tiles inside the rectangle of ``covered`` and inside the tile range of
    ``bbox`` count.
    """
    hull = _hull(covered)
    window = tile_range(bbox, z) if bbox is not None else hull
    return [
        TileProblem(
            tile_name(z, *t),
            f"{'holds no roads' if t in covered else 'absent'}, "
            f"but roads of {tile_name(z, *n)} run into it",
        )
        for t, n in sorted(exits.items())
        if t not in with_roads and _inside(t, hull) and _inside(t, window)
    ]


def check_tiles(
    ts: TileSet,
    *,
    zoom: int | None = None,
    bbox: BBox | None = None,
    required: BBox | None = None,
    roads: bool = True,
    classes: Iterable[str] | None = None,
    manifest: Manifest | None = None,
) -> TileReport:
    """Read and check the tiles of ``ts`` at ``zoom`` (default: the highest) within ``bbox``.

    Parameters
    ----------
    required
        The extent a named region promises (rule 1 of the module docstring).
    roads
        Decode road geometry to find gaps (rule 3); without it only bytes and layers are read.
    classes
        The road classes that count for gaps (a region's); default: every class.
    manifest
        Verify against this manifest; default: the source's own, if it has one. Every stored
        tile of every zoom is compared.

    Raises
    ------
    DataFormatError
        A zoom outside the metadata's range, or an unusable manifest file.
    """
    z = zoom if zoom is not None else max(ts.zooms(), default=0)
    listing = ts.listing(z)
    covered = set(listing)
    report = TileReport(ts.path, z, 0)
    possible = [t for t in listing if 0 <= t[0] < 2**z and 0 <= t[1] < 2**z]
    report.bad += [
        TileProblem(tile_name(z, *t), f"cannot exist at zoom {z}, a tile of another zoom?")
        for t in sorted(covered - set(possible))
    ]
    window = tile_range(bbox, z) if bbox is not None else None
    wanted = [t for t in possible if window is None or _inside(t, window)]
    exits: dict[Tile, Tile] = {}
    with_roads: set[Tile] = set()
    kept = set(classes) if classes is not None else None
    for x, y, data in ts.iter_stored_at(z, wanted):
        report.checked += 1
        try:
            # Without roads, only the message is parsed: no layer is asked for.
            layers: set[str] | None = None if roads else set()
            tile = decode_tile(ts.unpack(z, x, y, data), z, x, y, layers, set())
        except BadTileError as exc:
            report.bad.append(TileProblem(exc.tile, exc.reason))
            continue
        if roads:
            if has_roads(tile, kept):
                with_roads.add((x, y))
            for n in road_exits(tile, kept):
                exits.setdefault(n, (x, y))
    report.missing = missing_tiles(ts, z, covered, bbox, required)
    if roads:
        report.gaps = road_gaps(z, exits, with_roads, covered, bbox)
    against = manifest if manifest is not None else ts.manifest
    if against is not None:
        report.manifest = _verify(ts, against, report)
    return report


def _verify(ts: TileSet, manifest: Manifest, report: TileReport) -> str:
    """Compare every stored tile with ``manifest``; add what differs to ``report``."""
    seen: set[str] = set()
    flagged = {p.tile for p in report.bad}
    for z, x, y, data in ts.iter_stored():
        name = tile_name(z, x, y)
        seen.add(name)
        if name not in flagged and (problem := manifest.problem(name, data)):
            report.bad.append(TileProblem(name, problem))
    already = {p.tile for p in report.missing}
    report.missing += [
        TileProblem(name, "absent, but listed in the manifest")
        for name in sorted(set(manifest.tiles) - seen)
        if name not in already
    ]
    if manifest.metadata_sha256 != ts.metadata_digest():
        report.bad.append(TileProblem("metadata", "differs from the manifest"))
    return f"{len(seen):,} stored tiles compared with {len(manifest.tiles):,} listed"


def make_manifest(ts: TileSet) -> Manifest:
    """A manifest of every tile ``ts`` stores now."""
    tiles = {tile_name(z, x, y): (len(d), digest(d)) for z, x, y, d in ts.iter_stored()}
    return Manifest(ts.path.name, ts.metadata_digest(), tiles)
