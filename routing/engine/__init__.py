"""Shortest paths on a road network, behind one interface: :class:`RoutingEngine`.

The analyses (:mod:`routing.analysis`, :mod:`routing.claims`) use only the operations of the
protocol. Two engines implement it on the shared machinery of :class:`~.base.ArcEngine`
(weightings, snapped endpoints, one-to-all search):

* :class:`~.cch.CCHEngine` (``kind="cch"``, the default): RoutingKit's Customizable
  Contraction Hierarchy, microsecond queries, a cheap re-customization per weighting;
* :class:`~.reference.DijkstraEngine` (``kind="dijkstra"``): plain Dijkstra, no index; the
  reference the engine tests hold the CCH engine to.

:func:`get_engine` builds an engine for a network once and keeps it with the network.
Submodules: :mod:`~routing.engine.snapping` (points onto roads) and
:mod:`~routing.engine.profiles` (speed profiles).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

from ..network import RoadNetwork
from .base import ArcEngine, OneToAll, PathResult, Weights
from .cch import CCHEngine
from .profiles import Profile
from .reference import DijkstraEngine
from .snapping import Snap

__all__ = [
    "ArcEngine",
    "CCHEngine",
    "DijkstraEngine",
    "EngineKind",
    "OneToAll",
    "PathResult",
    "RoutingEngine",
    "Weights",
    "get_engine",
]

EngineKind = Literal["cch", "dijkstra"]
_ENGINES: dict[str, type[ArcEngine]] = {"cch": CCHEngine, "dijkstra": DijkstraEngine}
_ENGINE_ATTR = "_routing_engines"


class RoutingEngine(Protocol):
    """What the analyses need from a routing engine."""

    @property
    def net(self) -> RoadNetwork:
        """The network routed on."""
        ...

    def weights(
        self,
        spec: str | Profile = "length",
        *,
        closed: np.ndarray | None = None,
        delays_s: np.ndarray | None = None,
    ) -> Weights:
        """A weighting: road length, or travel time under a profile, with closures/delays."""
        ...

    def seeds(
        self, snaps: Sequence[Snap], w: Weights, *, outgoing: bool = True, access: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where searches leave or reach snapped points, and at what cost."""
        ...

    def direct(self, s: Snap, t: Snap, w: Weights) -> float:
        """Cost of driving along one shared edge from ``s`` to ``t``."""
        ...

    def route(
        self,
        sources: Sequence[Snap],
        targets: Sequence[Snap],
        w: Weights,
        *,
        method: Literal["index", "dijkstra"] = "index",
    ) -> PathResult:
        """Best path from any source candidate to any target candidate."""
        ...

    def one_to_all(
        self,
        sources: Sequence[int] | Sequence[Snap],
        w: Weights,
        *,
        cutoff: float | None = None,
        access: bool = True,
    ) -> OneToAll:
        """Costs from the nearest of several sources to every node, with the tree."""
        ...

    def node_matrix(self, sources: np.ndarray, targets: np.ndarray, w: Weights) -> np.ndarray:
        """Node-to-node cost matrix (``inf`` where unreachable)."""
        ...

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
        """Costs between places with several weighted seed nodes each, and the seeds used."""
        ...


def get_engine(net: RoadNetwork, kind: EngineKind = "cch") -> RoutingEngine:
    """The engine of a network, built on first use and kept for the network's lifetime.

    The engine is stored on the network object itself (like a cached property): networks are
    unhashable dataclasses, and this ties the engine's lifetime to the network's without a
    global registry keeping either alive.

    Parameters
    ----------
    net
        The network.
    kind
        ``"cch"`` (default) or ``"dijkstra"`` (the reference engine).
    """
    engines: dict[str, ArcEngine] = net.__dict__.setdefault(_ENGINE_ATTR, {})
    if kind not in engines:
        engines[kind] = _ENGINES[kind](net)
    return engines[kind]
