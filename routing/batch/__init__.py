"""Batch work past one machine, on Dask: claim checking over archives, large matrices.

Modules: :mod:`~routing.batch.cluster` (connect to a cluster or start a local one, send the
networks to the workers once, run tasks with bounded memory), :mod:`~routing.batch.articles`
(a folder, JSONL or CSV of article texts), :mod:`~routing.batch.check` (extract and check
every article's claims: :func:`check_batch`), :mod:`~routing.batch.points` (points with ids
from CSV or GeoParquet) and :mod:`~routing.batch.matrix` (matrices by blocks of origins,
written as partitioned Parquet: :func:`matrix_parquet`).

Dask and pyarrow are the optional ``dask`` extra (``pip install "routing[dask]"``); they are
imported only when a cluster or a Parquet file is used. Docs: ``docs/scaling.md``.
"""

from __future__ import annotations

from . import articles, check, cluster, matrix, points
from .articles import *  # noqa: F403
from .check import *  # noqa: F403
from .cluster import *  # noqa: F403
from .matrix import *  # noqa: F403
from .points import *  # noqa: F403

__all__ = [
    *articles.__all__,
    *check.__all__,
    *cluster.__all__,
    *matrix.__all__,
    *points.__all__,
]
