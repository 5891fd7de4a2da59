"""The reference engine: plain Dijkstra (scipy) for every query, no index to build.

Slower than :mod:`routing.engine.cch` on repeated queries but with no preprocessing and no
integer rounding: the test suite runs the engine tests on both, so each checks the other.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .base import ArcEngine, Weights

__all__ = ["DijkstraEngine"]


class DijkstraEngine(ArcEngine):
    """Node queries by Dijkstra's algorithm on the weighting's CSR graph."""

    def node_path(self, source: int, target: int, w: Weights) -> np.ndarray:
        """Arcs of a cheapest path between two nodes (empty if none or ``source == target``)."""
        dist, pred = dijkstra(self._csr(w).matrix, indices=int(source), return_predecessors=True)
        if source == target or not np.isfinite(dist[target]):
            return np.empty(0, np.int64)
        return self._tree_arcs(pred, int(source), int(target), w)

    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable), one search per source."""
        src = np.asarray(sources, np.int64)
        if not len(src):
            return np.empty((0, len(targets)))
        dist = dijkstra(self._csr(w).matrix, indices=src)
        return np.asarray(dist[:, np.asarray(targets, np.int64)], dtype=float)
