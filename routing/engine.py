"""Shortest-path engine on compact arrays, with weights that change without a rebuild.

:class:`Engine` turns a :class:`~routing.network.RoadNetwork` into directed arcs once (one arc
per allowed direction of each edge) and keeps two backends over them:

* a Customizable Contraction Hierarchy (RoutingKit's CCH through ``pyroutingkit``): the
  topology is contracted once per network; each weighting (a speed profile, a scenario with
  blocked roads) is a cheap *customization*. Point-to-point queries and many-to-many
  matrices run in microseconds.
* Dijkstra on a CSR matrix (``scipy.sparse.csgraph``) for one-to-all searches with a cutoff
  from one or many sources, which also yields the predecessor tree (for isochrones and
  reachability) and serves one-off weightings (alternative-route penalties).

Measured on the zoom-7 western-Iraq network (see ``benchmarks/bench_engine.py``), this choice
beats ``osmnx.shortest_path`` by three to four orders of magnitude per query.

CCH works on integer weights: lengths are customised in centimetres and times in
milliseconds; reported figures are re-summed from the float edge weights, so they equal the
networkx/osmnx lengths on ``net.to_graph()`` to well under a metre.

Endpoints are :class:`~routing.snapping.Snap` points *on* edges (virtual nodes): a search
starts with the partial edge costs to the edge's ends (respecting oneway) plus the off-road
access cost, and several candidate snaps per endpoint compete on total cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .exceptions import NoRouteError
from .network import RoadNetwork
from .profiles import Profile, get_profile
from .snapping import Snap

__all__ = [
    "Engine",
    "OneToAll",
    "PathResult",
    "Weights",
    "get_engine",
]

WeightKind = Literal["length", "time"]
# Integer scale of CCH weights: centimetres and milliseconds.
_SCALE = {"length": 100.0, "time": 1000.0}

_ENGINE_ATTR = "_routing_engine"


# When choosing among candidate roads for a point, a metre off-road counts as this many metres
# of road: nearby roads win unless a farther one saves a real detour (a river crossing), and
# the route cannot shorten itself by jumping across the desert to a road further along.
ACCESS_LENGTH_FACTOR = 3.0

def get_engine(net: RoadNetwork) -> Engine:
    """The engine of a network, built on first use and cached for the network's lifetime.

    The engine is stored on the network object itself (like a cached property): networks are
    unhashable dataclasses, and this ties the engine's lifetime to the network's without a
    global registry keeping either alive.
    """
    engine = net.__dict__.get(_ENGINE_ATTR)
    if engine is None:
        engine = net.__dict__[_ENGINE_ATTR] = Engine(net)
    return engine


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
    _metric: object | None = field(default=None, repr=False)
    _csr: sp.csr_array | None = field(default=None, repr=False)
    _pairs: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

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


@dataclass(frozen=True)
class OneToAll:
    """Result of a (multi-source) one-to-all search.

    Attributes
    ----------
    cost
        Cost to reach each node (``inf`` if unreached or beyond the cutoff).
    pred_node
        Predecessor node in the shortest-path tree (-1 at sources and unreached nodes).
    pred_edge
        Edge used to reach each node (-1 at sources and unreached nodes); for nodes reached
        straight from a snapped source it is the source's edge.
    origin
        Index of the source (in the ``sources`` given) each node was reached from, -1 if none.
    """

    cost: np.ndarray
    pred_node: np.ndarray
    pred_edge: np.ndarray
    origin: np.ndarray


class Engine:
    """Routing engine over one network (see the module docstring).

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
        order = np.lexsort((self.head, self.tail))
        self._csr_order = order
        self._indptr = np.concatenate([[0], np.cumsum(np.bincount(self.tail,
                                                                  minlength=self.n_nodes + 1))])
        self._topology: object | None = None
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

        Unmodified weightings are cached per engine, so repeated calls are free.
        """
        plain = closed is None and delays_s is None
        if spec == "length":
            if plain and self._length is not None:
                return self._length
            w = Weights("length", self.net.edges["length"].to_numpy(float).copy(),
                        ACCESS_LENGTH_FACTOR, "road length")
        else:
            prof = get_profile("car" if spec == "time" else spec)
            key = prof.model_dump_json()
            if plain and key in self._time:
                return self._time[key]
            w = Weights("time", prof.travel_times(self.net), 3.6 / prof.access_kph,
                        f"travel time, profile {prof.name!r}", prof)
        if closed is not None:
            w.edge[closed] = np.inf
        if delays_s is not None and w.kind == "time":
            w.edge = w.edge + delays_s
        if plain:
            if w.kind == "length":
                self._length = w
            else:
                self._time[key] = w
        return w

    # ---------------------------------------------------------------- backends
    def _arc_weights(self, w: Weights) -> np.ndarray:
        return np.asarray(w.edge[self.arc_edge])

    def _cch(self, w: Weights) -> object:
        import pyroutingkit as rk

        if self._topology is None:
            topo = rk.CCHTopology()
            x = self.net.nodes["x"].to_numpy(np.float32)
            y = self.net.nodes["y"].to_numpy(np.float32)
            topo.build(self.tail.astype(np.uint32), self.head.astype(np.uint32), y, x,
                       self.n_nodes)
            self._topology = topo
        if w._metric is None:
            arc = self._arc_weights(w) * _SCALE[w.kind]
            ints = np.where(np.isfinite(arc), np.minimum(np.rint(arc), rk.INF_WEIGHT - 1),
                            rk.INF_WEIGHT).astype(np.uint32)
            metric = rk.CCHMetric(self._topology)
            metric.customize(ints)
            w._metric = metric
        return w._metric

    def _graph(self, w: Weights, extra: tuple[np.ndarray, np.ndarray] | None = None
               ) -> sp.csr_array:
        """CSR matrix of arc weights; ``extra`` adds a virtual super-source as the last row."""
        if w._csr is None:
            arc = self._arc_weights(w)[self._csr_order]
            ok = np.isfinite(arc)
            # Closed arcs are dropped; zero-length arcs are kept (scipy keeps explicit zeros).
            counts = np.bincount(self.tail[self._csr_order][ok], minlength=self.n_nodes + 1)
            indptr = np.concatenate([[0], np.cumsum(counts)])
            w._csr = sp.csr_array((arc[ok], self.head[self._csr_order][ok], indptr),
                                  shape=(self.n_nodes + 1, self.n_nodes + 1))
        if extra is None:
            return w._csr
        heads, costs = extra
        base = w._csr
        indptr = base.indptr.copy()
        indptr[-1] += len(heads)
        return sp.csr_array(
            (np.concatenate([base.data, costs]), np.concatenate([base.indices, heads]), indptr),
            shape=base.shape,
        )

    # ------------------------------------------------------------ virtual nodes
    def exits(self, snap: Snap, w: Weights) -> tuple[np.ndarray, np.ndarray]:
        """Nodes a search can reach from a snapped source, and the cost to each."""
        e = snap.edge
        cost = w.edge[e]
        access = snap.distance_m * w.access_per_m
        nodes = [int(self._v[e])]
        costs = [access + (1.0 - snap.fraction) * cost]
        if not self._oneway[e]:
            nodes.append(int(self._u[e]))
            costs.append(access + snap.fraction * cost)
        return np.asarray(nodes, np.int64), np.asarray(costs, float)

    def entries(self, snap: Snap, w: Weights) -> tuple[np.ndarray, np.ndarray]:
        """Nodes from which a search reaches a snapped target, and the remaining cost."""
        e = snap.edge
        cost = w.edge[e]
        access = snap.distance_m * w.access_per_m
        nodes = [int(self._u[e])]
        costs = [access + snap.fraction * cost]
        if not self._oneway[e]:
            nodes.append(int(self._v[e]))
            costs.append(access + (1.0 - snap.fraction) * cost)
        return np.asarray(nodes, np.int64), np.asarray(costs, float)

    def direct(self, s: Snap, t: Snap, w: Weights) -> float:
        """Cost of driving along one shared edge from ``s`` to ``t`` (``inf`` if impossible)."""
        if s.edge != t.edge or (t.fraction < s.fraction and self._oneway[s.edge]):
            return np.inf
        return float(abs(t.fraction - s.fraction) * w.edge[s.edge]
                     + (s.distance_m + t.distance_m) * w.access_per_m)

    # ------------------------------------------------------------------ queries
    def node_distance(self, source: int, target: int, w: Weights) -> float:
        """Cost between two nodes (``inf`` if unreachable); CCH distance-only query.

        Integer weights make lengths exact to 0.5 cm per arc; use :meth:`node_path` for
        the arcs and float re-summing.
        """
        return float(self.node_matrix(np.array([source]), np.array([target]), w)[0, 0])

    def node_path(self, source: int, target: int, w: Weights) -> np.ndarray:
        """Arcs of a cheapest path between two nodes (empty if none or ``source == target``)."""
        _, _, arcs = self._cch(w).query(int(source), int(target))  # type: ignore[attr-defined]
        return np.asarray(arcs, np.int64)

    def route(
        self,
        sources: Sequence[Snap],
        targets: Sequence[Snap],
        w: Weights,
        *,
        method: Literal["cch", "dijkstra"] = "cch",
    ) -> PathResult:
        """Best path from any source candidate to any target candidate.

        Parameters
        ----------
        sources, targets
            Candidate snaps of each endpoint (see :func:`~routing.snapping.snap_candidates`).
        w
            The weighting.
        method
            ``"cch"`` (fast for reused weightings) or ``"dijkstra"`` (no customization; better
            for one-off weightings).

        Raises
        ------
        NoRouteError
            No target candidate is reachable from any source candidate.
        """
        exits = [self.exits(s, w) for s in sources]
        entries = [self.entries(t, w) for t in targets]
        # cost, source candidate, exit node, target candidate, entry node
        best: tuple[float, int, int, int, int] = (np.inf, -1, -1, -1, -1)
        direct = min(((self.direct(s, t, w), i, j) for i, s in enumerate(sources)
                      for j, t in enumerate(targets)), default=(np.inf, -1, -1))
        src_nodes = np.unique(np.concatenate([n for n, _ in exits]))
        dst_nodes = np.unique(np.concatenate([n for n, _ in entries]))
        if method == "cch":
            import pyroutingkit as rk

            raw = self._cch(w).distances_many_to_many(  # type: ignore[attr-defined]
                src_nodes.astype(np.uint32), dst_nodes.astype(np.uint32))
            table = np.where(raw >= rk.INF_WEIGHT, np.inf, raw / _SCALE[w.kind])
        else:
            table = np.asarray(dijkstra(self._graph(w), indices=src_nodes)[:, dst_nodes])
        si = {int(n): k for k, n in enumerate(src_nodes)}
        ti = {int(n): k for k, n in enumerate(dst_nodes)}
        for i, (sn, sc) in enumerate(exits):
            for j, (tn, tc) in enumerate(entries):
                sub = sc[:, None] + table[[si[int(n)] for n in sn]][:, [ti[int(n)] for n in tn]] \
                    + tc[None, :]
                a, b = np.unravel_index(int(np.argmin(sub)), sub.shape)
                if sub[a, b] < best[0]:
                    best = (float(sub[a, b]), i, int(sn[int(a)]), j, int(tn[int(b)]))
        if direct[0] <= best[0] and np.isfinite(direct[0]):
            s, t = sources[direct[1]], targets[direct[2]]
            return PathResult(direct[0], np.array([s.edge]), np.array([s.fraction]),
                              np.array([t.fraction]), s, t)
        if not np.isfinite(best[0]):
            raise NoRouteError("no road connection between the two points")
        _, i, na, j, nb = best
        arcs = self._path_arcs(na, nb, w, method)
        return self._assemble(sources[i], targets[j], na, nb, arcs, w)

    def _path_arcs(self, a: int, b: int, w: Weights, method: str) -> np.ndarray:
        if a == b:
            return np.empty(0, np.int64)
        if method == "cch":
            return self.node_path(a, b, w)
        _, pred = dijkstra(self._graph(w), indices=a, return_predecessors=True)
        nodes = [b]
        while nodes[-1] != a:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        return self.arcs_between(np.asarray(nodes[:-1]), np.asarray(nodes[1:]), w)

    def arcs_between(self, tails: np.ndarray, heads: np.ndarray, w: Weights) -> np.ndarray:
        """The cheapest arc from each ``tails[i]`` to ``heads[i]`` (-1 where there is none)."""
        if w._pairs is None:  # arcs sorted by (tail, head, weight), once per weighting
            order = np.lexsort((self._arc_weights(w), self.head, self.tail))
            w._pairs = (order, self.tail[order] * (self.n_nodes + 1) + self.head[order])
        order, key = w._pairs
        want = np.asarray(tails, np.int64) * (self.n_nodes + 1) + np.asarray(heads, np.int64)
        pos = np.searchsorted(key, want)
        found = (pos < len(key)) & (key[np.minimum(pos, len(key) - 1)] == want)
        return np.where(found, order[np.minimum(pos, len(key) - 1)], -1)

    def _assemble(self, s: Snap, t: Snap, a: int, b: int, arcs: np.ndarray, w: Weights
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
        """
        heads: list[np.ndarray] = []
        costs: list[np.ndarray] = []
        owner: list[np.ndarray] = []
        for k, s in enumerate(sources):
            n, c = (self.exits(s, w) if isinstance(s, Snap)
                    else (np.array([int(s)]), np.array([0.0])))  # type: ignore[call-overload]
            heads.append(n)
            costs.append(c)
            owner.append(np.full(len(n), k))
        h, c, o = np.concatenate(heads), np.concatenate(costs), np.concatenate(owner)
        limit = np.inf if cutoff is None else cutoff
        if not any(isinstance(s, Snap) for s in sources):
            # Plain node sources: scipy's multi-source search, no virtual super-source needed.
            dist, pred, _ = dijkstra(self._graph(w), indices=h, min_only=True,
                                     return_predecessors=True, limit=limit)
            pred = pred.astype(np.int64)
            pred[h] = self.n_nodes  # sources count as seeded from the virtual node
        else:
            graph = self._graph(w, (h, c))
            dist, pred = dijkstra(graph, indices=self.n_nodes, return_predecessors=True,
                                  limit=limit)
        dist, pred = dist[:-1], pred[:-1].astype(np.int64)
        pred_edge = np.full(self.n_nodes, -1, np.int64)
        origin = np.full(self.n_nodes, -1, np.int64)
        inner = np.flatnonzero(pred >= 0)
        from_virtual = inner[pred[inner] == self.n_nodes]
        inner = inner[pred[inner] != self.n_nodes]
        arcs = self.arcs_between(pred[inner], inner, w)
        pred_edge[inner] = self.arc_edge[arcs]
        # First hop from the virtual source: the cheapest seed into that node.
        for node in from_virtual:
            seeds = np.flatnonzero(h == node)
            k = int(seeds[np.argmin(c[seeds])])
            origin[node] = o[k]
            src = sources[int(o[k])]
            pred_edge[node] = src.edge if isinstance(src, Snap) else -1
        pred[pred == self.n_nodes] = -1
        # Each node inherits the source of the root of its tree branch (pointer doubling).
        root = np.where(pred >= 0, pred, np.arange(self.n_nodes))
        while True:
            nxt = root[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        reached = np.isfinite(dist)
        origin[reached] = origin[root[reached]]
        return OneToAll(dist, pred, pred_edge, origin)

    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable), CCH many-to-many."""
        import pyroutingkit as rk

        raw = self._cch(w).distances_many_to_many(  # type: ignore[attr-defined]
            np.asarray(sources, np.uint32), np.asarray(targets, np.uint32))
        return np.where(raw >= rk.INF_WEIGHT, np.inf, raw / _SCALE[w.kind])
