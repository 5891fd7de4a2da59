"""The production engine: RoutingKit's Customizable Contraction Hierarchy via ``pyroutingkit``.

The topology is contracted once per network; each weighting (a speed profile, a scenario with
blocked roads) is a cheap *customization*. Point-to-point queries and many-to-many matrices
run in microseconds (``benchmarks/bench_engine.py``: three to four orders of magnitude faster
than ``osmnx.shortest_path``).

CCH works on integer weights: lengths are customised in centimetres and times in
milliseconds; reported figures are re-summed from the float edge weights, so they equal the
networkx/osmnx lengths on ``net.to_graph()`` to well under a metre.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyroutingkit as rk

from ..network import RoadNetwork
from .base import ArcEngine, Weights

__all__ = ["CCHEngine"]

# Integer scale of CCH weights: centimetres and milliseconds.
_SCALE = {"length": 100.0, "time": 1000.0}


class CCHEngine(ArcEngine):
    """Node queries on a Customizable Contraction Hierarchy (built on first query)."""

    def __init__(self, net: RoadNetwork) -> None:
        super().__init__(net)
        self._topology: Any = None

    def _metric(self, w: Weights) -> Any:
        if self._topology is None:
            topo = rk.CCHTopology()
            x = self.net.nodes["x"].to_numpy(np.float32)
            y = self.net.nodes["y"].to_numpy(np.float32)
            topo.build(self.tail.astype(np.uint32), self.head.astype(np.uint32), y, x, self.n_nodes)
            self._topology = topo
        if w._index is None:
            arc = self._arc_weights(w) * _SCALE[w.kind]
            ints = np.where(
                np.isfinite(arc), np.minimum(np.rint(arc), rk.INF_WEIGHT - 1), rk.INF_WEIGHT
            ).astype(np.uint32)
            metric = rk.CCHMetric(self._topology)
            metric.customize(ints)
            w._index = metric
        return w._index

    def node_path(self, source: int, target: int, w: Weights) -> np.ndarray:
        """Arcs of a cheapest path between two nodes (empty if none or ``source == target``)."""
        _, _, arcs = self._metric(w).query(int(source), int(target))
        return np.asarray(arcs, np.int64)

    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable), CCH many-to-many.

        Integer weights make lengths exact to 0.5 cm per arc.
        """
        raw = self._metric(w).distances_many_to_many(
            np.asarray(sources, np.uint32), np.asarray(targets, np.uint32)
        )
        out: np.ndarray = raw.astype(float)
        out /= _SCALE[w.kind]
        out[raw >= rk.INF_WEIGHT] = np.inf
        return out
