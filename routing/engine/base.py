"""What every routing engine shares: arcs, weightings, snapped endpoints, one-to-all search.

:class:`ArcEngine` turns a :class:`~routing.network.RoadNetwork` into directed arcs once (one arc
per allowed direction of each edge) and implements everything but two node queries, which each
engine answers its own way (:mod:`routing.engine.cch` with a Customizable Contraction
Hierarchy, :mod:`routing.engine.reference` with plain Dijkstra):

* weightings (road length, travel time under a speed profile, closures and delays), cached per
  engine;
* endpoints as :class:`~routing.engine.snapping.Snap` points *on* edges (virtual nodes): a
  search starts with the partial edge costs to the edge's ends (respecting oneway, see
  :meth:`ArcEngine.seeds`) plus the off-road access cost, and several candidate snaps per
  endpoint compete on total cost;
* one-to-all searches with a cutoff from one or many sources (scipy's compiled Dijkstra on a
  CSR matrix, built once per weighting), which also yield the predecessor tree and say which
  source reached each node.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ..exceptions import InvalidArgumentError, NoRouteError
from ..network import RoadNetwork
from .profiles import DEFAULT_PROFILE, Profile, get_profile
from .snapping import Snap

__all__ = ["ArcEngine", "OneToAll", "PathResult", "Weights"]

WeightKind = Literal["length", "time"]
# Time weightings kept per engine (each holds its CCH metric and Dijkstra graph); sampled
# Monte Carlo profiles would otherwise pile up without bound.
_MAX_CACHED_PROFILES = 8

# When choosing among candidate roads for a point, a metre off-road counts as this many metres
# of road: nearby roads win unless a farther one saves a real detour (a river crossing), and
# the route cannot shorten itself by jumping across the desert to a road further along.
ACCESS_LENGTH_FACTOR = 3.0


def _run_starts(a: np.ndarray) -> np.ndarray:
    """Mask of the elements that differ from their predecessor (the first always does)."""
    mask = np.ones(len(a), bool)
    mask[1:] = a[1:] != a[:-1]
    return mask


@dataclass(frozen=True)
class _Csr:
    """Dijkstra graph of one weighting: the cheapest open arc of each (tail, head) pair."""

    matrix: sp.csr_array
    key: np.ndarray  # tail * n_nodes + head of each stored entry, ascending
    arc: np.ndarray  # the arc behind each entry


@dataclass(eq=False)
class Weights:
    """One weighting of the network's edges.

    Attributes
    ----------
    kind
        ``"length"`` (metres) or ``"time"`` (seconds).
    edge
        Cost of each edge (``inf`` = closed), shape ``(n_edges,)``.
    access_per_m
        Cost of one metre of off-road access from a point to its snapped road.
    label
        Human label, e.g. ``"time, profile 'car'"``.
    profile
        The speed profile behind time weights (``None`` for length).
    """

    kind: WeightKind
    edge: np.ndarray
    access_per_m: float
    label: str
    profile: Profile | None = None
    _index: object | None = field(default=None, repr=False)  # the engine's per-weighting index
    _csr: _Csr | None = field(default=None, repr=False)

    def replace_edges(self, edge: np.ndarray, label: str | None = None) -> Weights:
        """The same weighting with new edge costs (caches dropped)."""
        return Weights(self.kind, edge, self.access_per_m, label or self.label, self.profile)


@dataclass(frozen=True)
class PathResult:
    """A path between two snapped points.

    ``edges`` lists the edges traversed in order; ``start``/``end`` give the fractions along
    each (0 = ``u``, 1 = ``v``), so a reverse traversal has ``start > end`` and the first and
    last pieces may be partial.
    """

    cost: float
    edges: np.ndarray
    start: np.ndarray
    end: np.ndarray
    source: Snap
    target: Snap

    def edge_costs(self, edge_weight: np.ndarray) -> np.ndarray:
        """Cost of each piece under another per-edge weighting (e.g. length of a fast path)."""
        return np.asarray(np.abs(self.end - self.start) * edge_weight[self.edges])


@dataclass(frozen=True, eq=False)
class OneToAll:
    """Result of a (multi-source) one-to-all search.

    Attributes
    ----------
    cost
        Cost to reach each node (``inf`` if unreached or beyond the cutoff).
    pred_node
        Predecessor node in the shortest-path tree (-1 at sources and unreached nodes).
    origin
        Index of the source (in the ``sources`` given) each node was reached from, -1 if none.
    """

    cost: np.ndarray
    pred_node: np.ndarray
    origin: np.ndarray
    _engine: ArcEngine = field(repr=False)
    _weights: Weights = field(repr=False)
    _source_edge: np.ndarray = field(repr=False)  # per source: its snapped edge, or -1
    _source_fraction: np.ndarray = field(repr=False)  # per source: its fraction on that edge
    _pred_arc: np.ndarray | None = field(default=None, repr=False)  # arc into each node, if known

    @cached_property
    def pred_edge(self) -> np.ndarray:
        """Edge used to reach each node (-1 at sources and unreached nodes).

        For nodes reached straight from a snapped source it is the source's edge. Worked out
        on first use: many searches only need costs.
        """
        out = np.full(len(self.cost), -1, np.int64)
        reached = np.flatnonzero(self.origin >= 0)
        out[reached] = self._source_edge[self.origin[reached]]
        inner = reached[self.pred_node[reached] >= 0]
        if self._pred_arc is not None:
            arcs = self._pred_arc[inner]
        else:
            arcs = self._engine.arcs_between(self.pred_node[inner], inner, self._weights)
        out[inner] = self._engine.arc_edge[arcs]
        return out

    def along(self, edge_value: np.ndarray) -> np.ndarray:
        """Per node, the sum of a per-edge value along its tree path (``inf`` if unreached).

        E.g. ``along(length)`` is the road length of each node's cheapest (say fastest) path.
        The first hop from a snapped source counts only the part of the source's edge between
        the snap point and the node; the off-road gap counts nothing.
        """
        n = len(self.cost)
        reached = np.flatnonzero(self.origin >= 0)
        edge = self.pred_edge[reached]
        step = np.where(edge >= 0, edge_value[np.maximum(edge, 0)], 0.0)
        first = (self.pred_node[reached] < 0) & (edge >= 0)  # entered from a snap point
        f = self._source_fraction[self.origin[reached[first]]]
        towards_v = reached[first] == self._engine._v[edge[first]]
        step[first] *= np.where(towards_v, 1.0 - f, f)
        acc = np.zeros(n)
        acc[reached] = step
        up = np.full(n, -1, np.int64)
        up[reached] = self.pred_node[reached]
        # Prefix sums up the tree by pointer doubling: log2(depth) vectorised rounds.
        live = reached[up[reached] >= 0]
        while len(live):
            parent = up[live]
            acc[live] += acc[parent]
            up[live] = up[parent]
            live = live[up[live] >= 0]
        out = np.full(n, np.inf)
        out[reached] = acc[reached]
        return out


class ArcEngine(ABC):
    """Routing engine over one network (see the module docstring); subclasses answer the
    node-to-node queries.

    Parameters
    ----------
    net
        The network. Its edges must not change after the engine is built.
    """

    def __init__(self, net: RoadNetwork) -> None:
        self.net = net
        e = net.edges
        u, v = e["u"].to_numpy(np.int64), e["v"].to_numpy(np.int64)
        self._u, self._v, self._oneway = u, v, e["oneway"].to_numpy(bool)
        twoway = np.flatnonzero(~self._oneway)
        ids = np.arange(net.n_edges)
        #: Arc ``a`` runs ``tail[a] -> head[a]`` along edge ``arc_edge[a]``, forward if ``arc_fwd``.
        self.tail = np.concatenate([u, v[twoway]])
        self.head = np.concatenate([v, u[twoway]])
        self.arc_edge = np.concatenate([ids, twoway])
        self.arc_fwd = np.concatenate([np.ones(len(ids), bool), np.zeros(len(twoway), bool)])
        self.n_nodes = net.n_nodes
        # Arcs grouped by (tail, head) pair, for the per-weighting Dijkstra graph.
        self._by_pair = np.lexsort((self.head, self.tail))
        key = self.tail[self._by_pair] * self.n_nodes + self.head[self._by_pair]
        first = _run_starts(key)
        self._pair_start = np.flatnonzero(first)
        self._pair_of = np.cumsum(first) - 1
        self._pair_key = key[first]
        self._length: Weights | None = None
        self._time: dict[str, Weights] = {}

    # ----------------------------------------------------------------- weights
    def weights(
        self,
        spec: WeightKind | Profile | str = "length",
        *,
        closed: np.ndarray | None = None,
        delays_s: np.ndarray | None = None,
    ) -> Weights:
        """A weighting: ``"length"``, or travel time under a profile (name, file or object).

        Parameters
        ----------
        spec
            ``"length"`` for metres, ``"time"`` for the default profile, or a profile.
        closed
            Boolean mask of closed edges (cost ``inf``).
        delays_s
            Extra seconds per edge (checkpoints), added to time weights only.

        Unmodified weightings are cached per engine, so repeated calls are free; a modified
        one starts from the cached edge costs instead of recomputing the profile.
        """
        if closed is not None or delays_s is not None:
            base = self.weights(spec)
            edge = base.edge.copy()
            if closed is not None:
                edge[closed] = np.inf
            if delays_s is not None and base.kind == "time":
                edge += delays_s
            return base.replace_edges(edge)
        if spec == "length":
            if self._length is None:
                length = self.net.edges["length"].to_numpy(float, copy=True)
                self._length = Weights("length", length, ACCESS_LENGTH_FACTOR, "road length")
            return self._length
        prof = get_profile(DEFAULT_PROFILE if spec == "time" else spec)
        key = prof.model_dump_json()
        if key not in self._time:
            if len(self._time) >= _MAX_CACHED_PROFILES:  # Monte Carlo samples: drop the oldest
                del self._time[next(iter(self._time))]
            self._time[key] = Weights(
                "time",
                prof.travel_times(self.net),
                3.6 / prof.access_kph,
                f"travel time, profile {prof.name!r}",
                prof,
            )
        return self._time[key]

    # ---------------------------------------------------------------- backends
    def _arc_weights(self, w: Weights) -> np.ndarray:
        return np.asarray(w.edge[self.arc_edge])

    def _csr(self, w: Weights) -> _Csr:
        """The Dijkstra graph of a weighting, built once (linear time, no sort)."""
        if w._csr is None:
            n = self.n_nodes
            cost = self._arc_weights(w)[self._by_pair]
            best = np.minimum.reduceat(cost, self._pair_start) if len(cost) else cost
            # The first arc of each pair that attains the pair's minimum (parallel arcs are rare).
            hit = np.flatnonzero(cost == best[self._pair_of])
            hit = hit[_run_starts(self._pair_of[hit])]
            ok = np.isfinite(best)  # closed pairs are dropped
            key = self._pair_key[ok]
            indptr = np.zeros(n + 1, np.int32)
            np.cumsum(np.bincount(key // n, minlength=n), out=indptr[1:])
            matrix = sp.csr_array((best[ok], (key % n).astype(np.int32), indptr), shape=(n, n))
            w._csr = _Csr(matrix, key, self._by_pair[hit][ok])
        return w._csr

    # ------------------------------------------------------------ virtual nodes
    def seeds(
        self, snaps: Sequence[Snap], w: Weights, *, outgoing: bool = True, access: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where searches leave (``outgoing``) or reach snapped points, and at what cost.

        Parameters
        ----------
        snaps
            Points on edges.
        w
            The weighting.
        outgoing
            True for the edge ends a search from the points starts at (respecting oneway);
            False for the ends from which a search reaches them.
        access
            Add each point's off-road gap (``distance_m x access_per_m``) to its costs.

        Returns
        -------
        nodes, costs, owner
            One row per (snap, usable edge end): the node, the partial edge cost between it
            and the snap point, and the snap's index in ``snaps``.
        """
        edge = np.fromiter((s.edge for s in snaps), np.int64, len(snaps))
        frac = np.fromiter((s.fraction for s in snaps), float, len(snaps))
        gap = (
            np.fromiter((s.distance_m for s in snaps), float, len(snaps)) * w.access_per_m
            if access
            else np.zeros(len(snaps))
        )
        c = w.edge[edge]
        open_ = np.isfinite(c)
        c_open = np.where(open_, c, 0.0)  # a closed edge costs inf at every fraction, even 0
        to_v = np.where(open_, (1.0 - frac) * c_open, np.inf)
        to_u = np.where(open_, frac * c_open, np.inf)
        # A search leaves a point forwards through v; it reaches a point forwards from u.
        if outgoing:
            ahead, behind, ahead_cost, behind_cost = self._v[edge], self._u[edge], to_v, to_u
        else:
            ahead, behind, ahead_cost, behind_cost = self._u[edge], self._v[edge], to_u, to_v
        two = ~self._oneway[edge]
        owner = np.arange(len(snaps))
        return (
            np.concatenate([ahead, behind[two]]),
            np.concatenate([ahead_cost, behind_cost[two]]) + np.concatenate([gap, gap[two]]),
            np.concatenate([owner, owner[two]]),
        )

    def direct(self, s: Snap, t: Snap, w: Weights) -> float:
        """Cost of driving along one shared edge from ``s`` to ``t`` (``inf`` if impossible)."""
        if s.edge != t.edge or (t.fraction < s.fraction and self._oneway[s.edge]):
            return np.inf
        return float(
            abs(t.fraction - s.fraction) * w.edge[s.edge]
            + (s.distance_m + t.distance_m) * w.access_per_m
        )

    # ------------------------------------------------------------------ queries
    def node_distance(self, source: int, target: int, w: Weights) -> float:
        """Cost between two nodes (``inf`` if unreachable); use :meth:`node_path` for the arcs."""
        return float(self.node_matrix(np.array([source]), np.array([target]), w)[0, 0])

    @abstractmethod
    def node_path(self, source: int, target: int, w: Weights) -> np.ndarray:
        """Arcs of a cheapest path between two nodes (empty if none or ``source == target``)."""

    def route(
        self,
        sources: Sequence[Snap],
        targets: Sequence[Snap],
        w: Weights,
        *,
        method: Literal["index", "dijkstra"] = "index",
    ) -> PathResult:
        """Best path from any source candidate to any target candidate.

        Parameters
        ----------
        sources, targets
            Candidate snaps of each endpoint (see :func:`~routing.engine.snapping.snap_candidates`).
        w
            The weighting.
        method
            ``"index"``: the engine's own node queries (fast for reused weightings);
            ``"dijkstra"``: a plain search (no index to build: better for one-off weightings).

        Raises
        ------
        NoRouteError
            No target candidate is reachable from any source candidate.
        """
        s_node, s_cost, s_owner = self.seeds(sources, w, outgoing=True)
        t_node, t_cost, t_owner = self.seeds(targets, w, outgoing=False)
        cost, a, b, arcs = self._connect(s_node, s_cost, t_node, t_cost, w, method)
        # Driving along one shared edge without reaching a junction (pairs on one edge only).
        shared = {s.edge for s in sources} & {t.edge for t in targets}
        direct = min(
            (
                (self.direct(s, t, w), i, j)
                for i, s in enumerate(sources)
                if s.edge in shared
                for j, t in enumerate(targets)
                if t.edge == s.edge
            ),
            key=lambda x: x[0],
            default=(np.inf, -1, -1),
        )
        if np.isfinite(direct[0]) and direct[0] <= cost:
            s, t = sources[direct[1]], targets[direct[2]]
            return PathResult(
                direct[0], np.array([s.edge]), np.array([s.fraction]), np.array([t.fraction]), s, t
            )
        if not np.isfinite(cost):
            raise NoRouteError("no road connection between the two points")
        na, nb = int(s_node[a]), int(t_node[b])
        return self._assemble(sources[s_owner[a]], targets[t_owner[b]], na, nb, arcs, w)

    def _connect(
        self,
        s_node: np.ndarray,
        s_cost: np.ndarray,
        t_node: np.ndarray,
        t_cost: np.ndarray,
        w: Weights,
        method: Literal["index", "dijkstra"],
    ) -> tuple[float, int, int, np.ndarray]:
        """Cheapest path from any weighted source node to any weighted target node.

        Returns its cost (inf if none), the indices of the source and target seeds it joins and
        its arcs. Engines with an index of their own answer ``method="index"`` in one query.
        """
        src_nodes, s_pos = np.unique(s_node, return_inverse=True)
        dst_nodes, t_pos = np.unique(t_node, return_inverse=True)
        pred: np.ndarray | None = None
        if method == "index":
            table = self.node_matrix(src_nodes, dst_nodes, w)
        else:
            dist, pred = dijkstra(self._csr(w).matrix, indices=src_nodes, return_predecessors=True)
            table = dist[:, dst_nodes]
        total = s_cost[:, None] + table[np.ix_(s_pos, t_pos)] + t_cost[None, :]
        a, b = np.unravel_index(int(np.argmin(total)), total.shape)
        na, nb = int(s_node[a]), int(t_node[b])
        if not np.isfinite(total[a, b]) or na == nb:
            arcs = np.empty(0, np.int64)
        elif pred is None:
            arcs = self.node_path(na, nb, w)
        else:
            arcs = self._tree_arcs(pred[s_pos[a]], na, nb, w)
        return float(total[a, b]), int(a), int(b), arcs

    def _tree_arcs(self, pred: np.ndarray, a: int, b: int, w: Weights) -> np.ndarray:
        """Arcs from ``a`` to ``b`` along a predecessor tree rooted at ``a``."""
        nodes = [b]
        while nodes[-1] != a:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        return self.arcs_between(np.asarray(nodes[:-1]), np.asarray(nodes[1:]), w)

    def arcs_between(self, tails: np.ndarray, heads: np.ndarray, w: Weights) -> np.ndarray:
        """The cheapest open arc from each ``tails[i]`` to ``heads[i]`` (-1 where there is none)."""
        csr = self._csr(w)
        want = np.asarray(tails, np.int64) * self.n_nodes + np.asarray(heads, np.int64)
        if not len(csr.key):  # every road closed
            return np.full(len(want), -1, np.int64)
        pos = np.minimum(np.searchsorted(csr.key, want), len(csr.key) - 1)
        return np.where(csr.key[pos] == want, csr.arc[pos], -1)

    def _assemble(
        self, s: Snap, t: Snap, a: int, b: int, arcs: np.ndarray, w: Weights
    ) -> PathResult:
        ea, eb = self.arc_edge[arcs], self.arc_fwd[arcs]
        # Leave the source edge through node a: towards v (1.0) or u (0.0).
        first_end = 1.0 if int(self._v[s.edge]) == a else 0.0
        last_start = 0.0 if int(self._u[t.edge]) == b else 1.0
        edges = np.concatenate([[s.edge], ea, [t.edge]])
        start = np.concatenate([[s.fraction], np.where(eb, 0.0, 1.0), [last_start]])
        end = np.concatenate([[first_end], np.where(eb, 1.0, 0.0), [t.fraction]])
        # Drop zero-length stubs (a snap exactly on a junction).
        keep = np.abs(end - start) > 0
        keep[1:-1] = True
        pr = PathResult(0.0, edges[keep], start[keep], end[keep], s, t)
        cost = float(pr.edge_costs(w.edge).sum() + (s.distance_m + t.distance_m) * w.access_per_m)
        return PathResult(cost, pr.edges, pr.start, pr.end, s, t)

    def one_to_all(
        self,
        sources: Sequence[int] | Sequence[Snap],
        w: Weights,
        *,
        cutoff: float | None = None,
        access: bool = True,
    ) -> OneToAll:
        """Costs from the nearest of several sources to every node, with the predecessor tree.

        Parameters
        ----------
        sources
            Node indices or snapped points.
        w
            The weighting.
        cutoff
            Stop beyond this cost (metres or seconds); farther nodes get ``inf``.
        access
            Charge snapped sources their off-road gap (as when choosing candidate roads).
            False starts the costs at the snapped road point, for reporting road-only figures
            (the gap is then the caller's to report).

        Raises
        ------
        InvalidArgumentError
            No sources, a mix of nodes and snaps, or a negative cutoff.
        """
        k = len(sources)
        if k == 0:
            raise InvalidArgumentError("a one-to-all search needs at least one source")
        if cutoff is not None and not cutoff >= 0:
            raise InvalidArgumentError(f"cutoff must be >= 0, got {cutoff!r}")
        snaps = [s for s in sources if isinstance(s, Snap)]
        limit = np.inf if cutoff is None else cutoff
        if not snaps:
            nodes = np.asarray(sources, np.int64)
            seed = (nodes, np.zeros(k), np.arange(k))
            via_edge, fraction = np.full(k, -1, np.int64), np.zeros(k)
        elif len(snaps) == k:
            seed = self.seeds(snaps, w, access=access)
            via_edge = np.fromiter((s.edge for s in snaps), np.int64, k)
            fraction = np.fromiter((s.fraction for s in snaps), float, k)
        else:
            raise InvalidArgumentError("one_to_all takes node indices or Snaps, not a mix")
        dist, pred_node, pred_arc, origin = self._tree(*seed, k, w, limit)
        return OneToAll(dist, pred_node, origin, self, w, via_edge, fraction, pred_arc)

    def _tree(
        self,
        seed_node: np.ndarray,
        seed_cost: np.ndarray,
        seed_owner: np.ndarray,
        k: int,
        w: Weights,
        limit: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
        """Shortest-path tree from weighted seeds (``seed_owner`` says whose, of ``k``).

        Returns per node the cost (inf beyond ``limit``), predecessor node and arc (-1 where
        the node hangs off a seed; arcs ``None`` when not known) and the owner it came from.
        """
        n = self.n_nodes
        base = self._csr(w).matrix
        if not seed_cost.any():
            # Zero-cost node sources: scipy's own multi-source search on the cached graph.
            dist, pred, src = dijkstra(
                base, indices=seed_node, min_only=True, return_predecessors=True, limit=limit
            )
            index = np.full(n, -1, np.int64)
            index[seed_node[::-1]] = seed_owner[::-1]  # a node given twice counts as the first
        else:
            # Seeds carry costs: one virtual row per owner appended to the cached graph, so the
            # search also reports which owner reached each node.
            order = np.argsort(seed_owner, kind="stable")
            indptr = np.concatenate(
                [base.indptr, base.indptr[-1] + np.cumsum(np.bincount(seed_owner, minlength=k))]
            ).astype(np.int32)
            graph = sp.csr_array(
                (
                    np.concatenate([base.data, seed_cost[order]]),
                    np.concatenate([base.indices, seed_node[order].astype(np.int32)]),
                    indptr,
                ),
                shape=(n + k, n + k),
            )
            dist, pred, src = dijkstra(
                graph,
                indices=np.arange(n, n + k),
                min_only=True,
                return_predecessors=True,
                limit=limit,
            )
            dist, pred, src = dist[:n], pred[:n], src[:n]
            index = np.concatenate([np.full(n, -1, np.int64), np.arange(k)])
        # Post-process only the reached nodes: a bounded search touches a fraction of them.
        reached = np.flatnonzero(np.isfinite(dist))
        p = pred[reached]
        inner = (p >= 0) & (p < n)  # not a source, not a virtual row
        pred_node = np.full(n, -1, np.int64)
        pred_node[reached[inner]] = p[inner]
        origin = np.full(n, -1, np.int64)
        origin[reached] = index[src[reached]]
        return dist, pred_node, None, origin

    @abstractmethod
    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable)."""

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
        (likewise for targets; every place has at least one). Returns the cost matrix and, per
        cell, the source and target seeds (indices into ``s_node`` and ``t_node``) of the
        cheapest connection (-1 where there is none). This version runs one node matrix per
        source place; engines with an index answer all places in one query.
        """
        n_src, n_tgt = len(s_first) - 1, len(t_first) - 1
        out = np.full((n_src, n_tgt), np.inf)
        out_s = np.full((n_src, n_tgt), -1, np.int64)
        out_t = np.full((n_src, n_tgt), -1, np.int64)
        t_lo, t_size = t_first[:-1], np.diff(t_first)
        for i in range(n_src):
            lo, hi = int(s_first[i]), int(s_first[i + 1])
            total = s_cost[lo:hi, None] + self.node_matrix(s_node[lo:hi], t_node, w) + t_cost
            row = total.argmin(axis=0)
            best = total[row, np.arange(len(t_node))]
            for c in range(int(t_size.max(initial=0))):
                col = np.minimum(t_lo + c, len(t_node) - 1)
                better = (c < t_size) & (best[col] < out[i])
                out[i, better] = best[col[better]]
                out_s[i, better] = lo + row[col[better]]
                out_t[i, better] = col[better]
        return out, out_s, out_t
