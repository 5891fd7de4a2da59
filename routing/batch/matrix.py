"""Matrices larger than one machine: origin blocks computed on Dask workers, written as Parquet.

:func:`matrix_parquet` splits the origins into blocks; each block is one task that runs
:func:`routing.analysis.matrix.matrix` against every destination on a worker (the network
sent to each worker once) and writes its rows straight to ``part-NNNNNN.parquet`` in the
output folder. The client holds only the points and the per-block notes, so the matrix
never sits in one machine's memory. The folder reads as one table with
``pandas.read_parquet(folder)``; ``_manifest.json`` beside the parts holds the assumptions
and notes.

The output folder must be writable by every worker under the same path: a local folder for
a ``LocalCluster``, a shared file system (NFS, Lustre, a mounted bucket) for a cluster.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from ..analysis.matrix import matrix
from ..analysis.scenarios import Scenario
from ..engine.profiles import DEFAULT_PROFILE, Profile, get_profile
from ..engine.snapping import DEFAULT_MAX_SNAP_M
from ..exceptions import ClusterError, InvalidArgumentError
from ..location import Location, PointLike, as_location
from ..network import RoadNetwork
from ..output.paths import write_text
from ._parts import part_name, parts_folder
from .cluster import ClusterLike, connect, map_bounded, networks_on_workers

__all__ = ["DEFAULT_BLOCK_ORIGINS", "MANIFEST", "MATRIX_COLUMNS", "MatrixParts", "matrix_parquet"]

# Origins per task: 1,000 x 200 destinations is a few seconds of work and ~10 MB of rows.
DEFAULT_BLOCK_ORIGINS = 1_000
MANIFEST = "_manifest.json"  # "_" keeps Parquet readers from taking it for a part
MATRIX_COLUMNS = ["origin_id", "destination_id", "distance_km", "time_h", "straight_km"]


@dataclass(frozen=True)
class MatrixParts:
    """A matrix written as partitioned Parquet (long form: one row per pair).

    Attributes
    ----------
    path
        The folder of ``part-NNNNNN.parquet`` files (block ``N`` of origins each).
    origins, destinations
        How many.
    parts
        Number of parts (blocks of origins).
    profile
        Speed profile of ``time_h``.
    assumptions
        Lines that hold for every block (data, definitions, profile, scenario).
    block_assumptions
        Lines that differ between blocks (the farthest off-road point of each), by part.
    notes
        Pairs routed from farther roads or left as implausible detours, by part.
    """

    path: str
    origins: int
    destinations: int
    parts: int
    profile: str
    assumptions: list[str]
    block_assumptions: dict[str, list[str]]
    notes: dict[str, list[str]]

    def read(self) -> pd.DataFrame:
        """The whole matrix in memory (columns: origin_id, destination_id, distance_km,
        time_h, straight_km); for large matrices read parts or filter instead."""
        return pd.read_parquet(self.path)


def matrix_parquet(
    origins: Sequence[PointLike],
    destinations: Sequence[PointLike] | None,
    out: str | Path,
    *,
    net: RoadNetwork,
    cluster: ClusterLike = None,
    workers: int | None = None,
    block_origins: int = DEFAULT_BLOCK_ORIGINS,
    profile: Profile | str = DEFAULT_PROFILE,
    scenario: Scenario | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> MatrixParts:
    r"""Road distance (shortest route) and travel time (fastest route), origins in blocks on
    a Dask cluster, written as partitioned Parquet under ``out``.

    Parameters
    ----------
    origins, destinations
        :class:`~routing.location.Location`\ s (e.g. from
        :func:`~routing.batch.points.read_points`, named by id) or ``(lon, lat)`` pairs;
        ``destinations=None``: the origins (a square matrix). Names must be unique: they
        are the ``origin_id`` and ``destination_id`` columns.
    out
        Folder for the parts and ``_manifest.json``; earlier parts there are replaced.
    cluster, workers
        As for :func:`~routing.batch.cluster.connect`.
    block_origins
        Origins per task.
    profile, scenario, max_snap_m
        As for :func:`routing.analysis.matrix.matrix`, whose figures each block is.

    Raises
    ------
    InvalidArgumentError
        No origins or destinations, duplicate names, a block size below 1.
    ClusterError
        As :func:`~routing.batch.cluster.connect`, or a block Dask gave up on.
    OutputError
        ``out`` cannot be written.
    """
    if block_origins < 1:
        raise InvalidArgumentError(f"block size must be at least 1 origin, got {block_origins}")
    src = [as_location(p) for p in origins]
    dst = src if destinations is None else [as_location(p) for p in destinations]
    if not src or not dst:
        raise InvalidArgumentError("a matrix needs at least one origin and one destination")
    for what, points in (("origin", src), ("destination", dst)):
        names = pd.Index([p.name for p in points])
        if names.has_duplicates:
            raise InvalidArgumentError(
                f"duplicate {what} name {names[names.duplicated()][0]!r}: names are the ids"
            )
    prof = get_profile(profile)
    folder = parts_folder(out)
    blocks = [src[lo : lo + block_origins] for lo in range(0, len(src), block_origins)]
    assumptions: dict[int, list[str]] = {}
    notes: dict[str, list[str]] = {}
    with (
        connect(cluster, workers=workers) as client,
        networks_on_workers(client, {"net": net}) as token,
    ):
        square = destinations is None
        tasks = (
            (i, (token, block, dst, str(folder / part_name(i)), prof, scenario, max_snap_m, square))
            for i, block in enumerate(blocks)
        )
        for i, result, exc in map_bounded(client, _block_task, tasks, prefix="matrix"):
            if exc is not None:
                raise ClusterError(f"matrix block {i} failed on the cluster: {exc}") from exc
            assumptions[i], block_notes = result
            if block_notes:
                notes[part_name(i)] = block_notes
    common = [a for a in assumptions[0] if all(a in lines for lines in assumptions.values())]
    parts = MatrixParts(
        path=str(folder),
        origins=len(src),
        destinations=len(dst),
        parts=len(blocks),
        profile=prof.describe(),
        assumptions=common,
        block_assumptions={
            part_name(i): [a for a in lines if a not in common]
            for i, lines in sorted(assumptions.items())
        },
        notes=dict(sorted(notes.items())),
    )
    write_text(folder / MANIFEST, json.dumps(asdict(parts), indent=1, ensure_ascii=False) + "\n")
    return parts


def _block_task(
    token: str,
    block: list[Location],
    destinations: list[Location],
    path: str,
    profile: Profile,
    scenario: Scenario | None,
    max_snap_m: float,
    square: bool,
) -> tuple[list[str], list[str]]:
    """One block on a worker: write its rows to ``path``; return assumptions and notes."""
    from ._worker import network

    net = network(token, "net")
    if net is None:
        raise RuntimeError("the matrix's network did not reach this worker")
    m = matrix(block, destinations, net=net, profile=profile, scenario=scenario,
               max_snap_m=max_snap_m)  # fmt: skip
    long = m.to_frame()[["origin", "destination", "distance_km", "time_h", "straight_km"]]
    long.columns = pd.Index(MATRIX_COLUMNS)
    if square:  # a place to itself: no trip, as in a square matrix()
        same = long["origin_id"] == long["destination_id"]
        long.loc[same, ["distance_km", "time_h"]] = 0.0
    long.to_parquet(path, index=False)
    return m.assumptions, m.notes
