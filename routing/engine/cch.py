"""The production engine: a Customizable Contraction Hierarchy with compiled queries.

The node order is RoutingKit's nested dissection (inertial flow, via ``pyroutingkit``),
computed once per network; the chordal supergraph, its customization per weighting and every
query are compiled kernels (:mod:`~routing.engine._cch_kernels`, numba):

* point-to-point between several weighted candidate seeds at each end (a route), in one
  search up the elimination tree from each side, unpacked to road arcs;
* many-to-many with buckets: each target's backward search is stored at the nodes it reaches,
  each source's forward search reads them (a 1000 x 1000 table of places in about a second);
* one-to-all (PHAST): the source's upward search, then one sweep down the node order that
  skips the parts of the elimination tree beyond a cutoff, and the shortest-path tree read off
  the exact costs of the nodes reached.

A new weighting (a speed profile, a scenario with blocked roads) costs one customization, a
fraction of a second on a country. Costs are float sums of the edge weights: no integer
rounding.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

import numpy as np
import pyroutingkit as rk

from ..network import RoadNetwork
from . import _cch_kernels as kernels
from .base import ArcEngine, Weights

__all__ = ["CCHEngine"]


@dataclass(frozen=True)
class _Hierarchy:
    """The contracted topology, in rank space, and how input arcs map onto it."""

    rank: np.ndarray  # node -> rank
    order: np.ndarray  # rank -> node
    first: np.ndarray  # CSR of upper neighbours by rank
    heads: np.ndarray
    tails: np.ndarray  # lower end of each CCH arc
    parent: np.ndarray  # elimination tree
    arc_cch: np.ndarray  # per input arc: its CCH arc (-1 for a loop)
    arc_up: np.ndarray  # per input arc: drives its CCH arc upwards
    in_first: np.ndarray  # arcs into each node by rank, in arc order, for shortest-path trees
    in_tail: np.ndarray  # their tails' ranks
    in_tail_node: np.ndarray  # and nodes
    in_arc: np.ndarray


@dataclass(frozen=True)
class _Metric:
    """One customization: both weights of every CCH arc and how to unpack them."""

    fw: np.ndarray
    bw: np.ndarray
    fw_via: np.ndarray
    bw_via: np.ndarray
    fw_arc: np.ndarray
    bw_arc: np.ndarray
    in_weight: np.ndarray  # weight of each arc of ``_Hierarchy.in_arc``


def _node_order(tail: np.ndarray, head: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """RoutingKit's nested-dissection order of the nodes (inertial flow on coordinates)."""
    topo = rk.CCHTopology()
    topo.build(
        tail.astype(np.uint32),
        head.astype(np.uint32),
        y.astype(np.float32),
        x.astype(np.float32),
        len(x),
    )
    with tempfile.TemporaryDirectory(prefix="routing-cch-") as folder:
        topo.save(folder)
        return np.fromfile(Path(folder) / "order", dtype=np.uint32).astype(np.int64)


class CCHEngine(ArcEngine):
    """Node queries on a Customizable Contraction Hierarchy (built on first query)."""

    def __init__(self, net: RoadNetwork) -> None:
        super().__init__(net)
        self._hierarchy: _Hierarchy | None = None
        self._scratch = threading.local()

    # ------------------------------------------------------------------ index
    def _index(self) -> _Hierarchy:
        if self._hierarchy is None:
            n = self.n_nodes
            order = _node_order(
                self.tail,
                self.head,
                self.net.nodes["x"].to_numpy(float),
                self.net.nodes["y"].to_numpy(float),
            )
            rank = np.empty(n, np.int64)
            rank[order] = np.arange(n)
            rt, rh = rank[self.tail], rank[self.head]
            low, high = np.minimum(rt, rh), np.maximum(rt, rh)
            proper = low != high
            by_low = np.argsort(low[proper], kind="stable")
            first_in = np.searchsorted(low[proper][by_low], np.arange(n + 1))
            first, heads, parent = kernels.chordal_graph(n, first_in, high[proper][by_low])
            tails = np.repeat(np.arange(n), np.diff(first))
            # CCH arcs are sorted by (tail, head): find each input arc's by its key.
            position = np.searchsorted(tails * n + heads, low * n + high)
            arc_cch = np.where(proper, position, -1)
            by_head = np.argsort(rh, kind="stable")
            self._hierarchy = _Hierarchy(
                rank=rank,
                order=order,
                first=first,
                heads=heads,
                tails=tails,
                parent=parent,
                arc_cch=arc_cch,
                arc_up=rt < rh,
                in_first=np.searchsorted(rh[by_head], np.arange(n + 1)),
                in_tail=rt[by_head],
                in_tail_node=self.tail[by_head],
                in_arc=by_head,
            )
        return self._hierarchy

    def _metric(self, w: Weights) -> _Metric:
        if w._index is None:
            h = self._index()
            weight = self._arc_weights(w)
            w._index = _Metric(
                *kernels.customize(self.n_nodes, h.first, h.heads, h.arc_cch, h.arc_up, weight),
                in_weight=weight[h.in_arc],
            )
        return cast(_Metric, w._index)

    def _work(self) -> tuple[np.ndarray, ...]:
        """Per-thread scratch arrays of the searches, kept clean by the kernels.

        Two sets of (cost, label, predecessor, seen, visited) per node, for the two sides of
        a query, then two per-node arrays at -1 for the buckets of many-to-many queries.
        """
        found: tuple[np.ndarray, ...] | None = getattr(self._scratch, "work", None)
        if found is None:
            n = self.n_nodes
            sides = tuple(
                a
                for _ in range(2)
                for a in (
                    np.full(n, np.inf),
                    np.full(n, -1, np.int64),
                    np.full(n, -1, np.int64),
                    np.zeros(n, np.bool_),
                    np.empty(n, np.int64),
                )
            )
            found = (*sides, np.full(n, -1, np.int64), np.full(n, -1, np.int64))
            self._scratch.work = found
        return found

    # ---------------------------------------------------------------- queries
    def _connect(
        self,
        s_node: np.ndarray,
        s_cost: np.ndarray,
        t_node: np.ndarray,
        t_cost: np.ndarray,
        w: Weights,
        method: Literal["index", "dijkstra"],
    ) -> tuple[float, int, int, np.ndarray]:
        if method != "index":
            return super()._connect(s_node, s_cost, t_node, t_cost, w, method)
        h, m = self._index(), self._metric(w)
        cost, a, b, cch_arcs = kernels.route_query(
            h.rank[s_node], np.asarray(s_cost, float), h.rank[t_node], np.asarray(t_cost, float),
            h.first, h.heads, h.tails, h.parent,
            m.fw, m.bw, m.fw_via, m.bw_via, m.fw_arc, m.bw_arc, self._work()[:10], True,
        )  # fmt: skip
        return float(cost), int(a), int(b), np.asarray(cch_arcs, np.int64)

    def node_distance(self, source: int, target: int, w: Weights) -> float:
        """Cost between two nodes (``inf`` if unreachable), without unpacking the path."""
        h, m, zero = self._index(), self._metric(w), np.zeros(1)
        cost, _, _, _ = kernels.route_query(
            h.rank[[source]], zero, h.rank[[target]], zero, h.first, h.heads, h.tails, h.parent,
            m.fw, m.bw, m.fw_via, m.bw_via, m.fw_arc, m.bw_arc, self._work()[:10], False,
        )  # fmt: skip
        return float(cost)

    def node_path(self, source: int, target: int, w: Weights) -> np.ndarray:
        """Arcs of a cheapest path between two nodes (empty if none or ``source == target``)."""
        zero = np.zeros(1)
        cost, _, _, arcs = self._connect(
            np.array([source], np.int64), zero, np.array([target], np.int64), zero, w, "index"
        )
        return arcs if np.isfinite(cost) else np.empty(0, np.int64)

    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable), bucket many-to-many."""
        src = np.asarray(sources, np.int64)
        dst = np.asarray(targets, np.int64)
        return self.seed_matrix(
            np.arange(len(src) + 1), src, np.zeros(len(src)),
            np.arange(len(dst) + 1), dst, np.zeros(len(dst)), w,
        )[0]  # fmt: skip

    def seed_matrix(
        self,
        s_first: np.ndarray,
        s_node: np.ndarray,
        s_cost: np.ndarray,
        t_first: np.ndarray,
        t_node: np.ndarray,
        t_cost: np.ndarray,
        w: Weights,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Costs between places that each have several weighted seed nodes.

        Place ``i``'s seeds are ``s_node[s_first[i]:s_first[i + 1]]`` with costs ``s_cost``
        (likewise for targets). Returns the cost matrix and, per cell, the source and target
        seeds (indices into ``s_node`` and ``t_node``) of the cheapest connection (-1 if none).
        """
        h, m = self._index(), self._metric(w)
        cost, s_seed, t_seed = kernels.many_to_many(
            np.asarray(s_first, np.int64), h.rank[s_node], np.asarray(s_cost, float),
            np.asarray(t_first, np.int64), h.rank[t_node], np.asarray(t_cost, float),
            h.first, h.heads, h.parent, m.fw, m.bw, self._work()[:5] + self._work()[10:],
        )  # fmt: skip
        return cost, s_seed, t_seed

    def _tree(
        self,
        seed_node: np.ndarray,
        seed_cost: np.ndarray,
        seed_owner: np.ndarray,
        k: int,
        w: Weights,
        limit: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
        h, m = self._index(), self._metric(w)
        seed_rank, seed_cost = h.rank[seed_node], np.asarray(seed_cost, float)
        by_rank, cost_seed, reached = kernels.one_to_all(
            seed_rank, seed_cost, h.first, h.heads, h.parent, m.fw, m.bw, float(limit),
            self._work()[:5],
        )  # fmt: skip
        cost, pred_node, pred_arc, origin = kernels.shortest_tree(
            by_rank, cost_seed, reached, h.in_first, h.in_tail, h.in_tail_node, h.in_arc,
            m.in_weight, h.order, seed_rank, seed_cost, np.asarray(seed_owner, np.int64),
        )  # fmt: skip
        return cost, pred_node, pred_arc, origin
