"""Distance and travel-time matrices between many places.

:func:`matrix` gives, for N origins x M destinations, the road length of the *shortest* route
(km) and the travel time of the *fastest* route (hours) under a speed profile, plus the
geodesic straight-line distance, as labelled DataFrames. Each point may attach to any of its
nearest candidate roads (as in :func:`~routing.analysis.routes.route`); the CCH
many-to-many query makes a 1000 x 1000 matrix a matter of seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._geo import GEOD
from ..engine import RoutingEngine, Weights, get_engine
from ..engine.profiles import DEFAULT_PROFILE, Profile, get_profile
from ..engine.snapping import DEFAULT_MAX_SNAP_M, Snap, snap_points
from ..exceptions import InvalidArgumentError
from ..location import Location, PointLike, as_location
from ..network import RoadNetwork
from .routes import _SAME_PLACE_M, DETOUR_SLACK_M, plausible_detour, route
from .scenarios import Scenario

__all__ = ["Matrix", "matrix"]

# Cells (source seed x target seed) per block, bounding memory for large matrices.
_BLOCK_CELLS = 8_000_000
# Metres or seconds by which a seed must be beaten before it is dropped.
_TIE_MARGIN = 0.5
# Pairs with an implausible detour are routed again one by one, up to this many; beyond it
# they are only flagged (a matrix across a disconnected network would otherwise do a route
# per cell).
_MAX_REROUTED = 2_000


@dataclass(frozen=True)
class Matrix:
    """Origin x destination figures with their assumptions.

    Attributes
    ----------
    distance_km
        Distance of the shortest route, off-road legs included (``NaN`` where no route).
    time_h
        Travel time of the fastest route under ``profile``, off-road legs included.
    straight_km
        Geodesic (WGS84) distance.
    profile
        Speed profile of ``time_h``.
    assumptions
        One line each: data, distance and time definitions, profile.
    notes
        Pairs routed from farther roads, and pairs whose figures remain implausible detours.
    """

    distance_km: pd.DataFrame
    time_h: pd.DataFrame
    straight_km: pd.DataFrame
    profile: Profile
    assumptions: list[str]
    notes: list[str]

    def to_frame(self) -> pd.DataFrame:
        """Long form: one row per origin-destination pair."""
        parts = {
            "distance_km": self.distance_km,
            "time_h": self.time_h,
            "straight_km": self.straight_km,
        }
        long = pd.concat({k: v.stack(future_stack=True) for k, v in parts.items()}, axis=1)
        long.index.names = ["origin", "destination"]
        long["detour_factor"] = long["distance_km"] / long["straight_km"]
        return long.reset_index()


def matrix(
    origins: Sequence[PointLike],
    destinations: Sequence[PointLike] | None = None,
    *,
    net: RoadNetwork,
    profile: Profile | str = DEFAULT_PROFILE,
    scenario: Scenario | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Matrix:
    r"""Road distance (shortest route) and travel time (fastest route) between all pairs.

    Parameters
    ----------
    origins
        :class:`~routing.location.Location`\ s, ``(lon, lat)`` pairs or gazetteer Places.
    destinations
        Defaults to the origins (a square matrix).
    net, profile, scenario, max_snap_m
        As for :func:`routing.analysis.routes.route`.

    Raises
    ------
    InvalidArgumentError
        No origins, or an empty list of destinations.
    OffNetworkError, PlaceNotFoundError, ProfileError, ScenarioError
        Bad input (the first offending point is named).
    """
    network = net
    prof = get_profile(profile)
    scen = scenario or Scenario()
    if not origins:
        raise InvalidArgumentError("a matrix needs at least one origin")
    src = [as_location(p) for p in origins]
    dst = src if destinations is None else [as_location(p) for p in destinations]
    if not dst:
        raise InvalidArgumentError("a matrix needs at least one destination")
    src_xy = np.array([(p.lon, p.lat) for p in src])
    dst_xy = src_xy if destinations is None else np.array([(p.lon, p.lat) for p in dst])
    src_snaps = snap_points(network, src_xy[:, 0], src_xy[:, 1], max_snap_m=max_snap_m)
    dst_snaps = (
        src_snaps
        if destinations is None
        else snap_points(network, dst_xy[:, 0], dst_xy[:, 1], max_snap_m=max_snap_m)
    )
    engine = get_engine(network)
    closed, delays = scen.closed(network), scen.delays(network)
    road, access = _table(engine, engine.weights("length", closed=closed), src_snaps, dst_snaps)
    dist = road + access
    road_s, access = _table(
        engine, engine.weights(prof, closed=closed, delays_s=delays), src_snaps, dst_snaps
    )
    time = road_s + access / (prof.access_kph / 3.6)
    a, b = np.broadcast_arrays(src_xy[:, None, :], dst_xy[None, :, :])
    straight = np.asarray(GEOD.inv(a[..., 0], a[..., 1], b[..., 0], b[..., 1])[2])
    if destinations is None:  # a place to itself: no trip
        np.fill_diagonal(dist, 0.0)
        np.fill_diagonal(time, 0.0)
    notes = _reroute_implausible(network, src, dst, dist, time, straight, prof, scen, max_snap_m)
    rows, cols = _labels(src), _labels(dst)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.where(np.isfinite(values), values, np.nan), rows, cols)

    assumptions = [
        f"data: {network.meta.describe()}; {network.meta.attribution}",
        "distance_km: the shortest route along the roads between the points where the places "
        "join them, plus the off-road legs from each place to its road (straight lines)",
        f"time_h: the fastest route, off-road legs at {prof.access_kph:g} km/h; {prof.describe()}",
        "straight_km: geodesic on the WGS84 ellipsoid",
        _farthest_snap(src + dst, src_snaps + dst_snaps),
        *(
            ["generalized lines cut bends: true road lengths are somewhat longer"]
            if network.meta.generalized
            else []
        ),
        *[f"scenario: {x}" for x in scen.describe()],
    ]
    return Matrix(
        frame(dist / 1000.0),
        frame(time / 3600.0),
        frame(straight / 1000.0),
        prof,
        assumptions,
        notes,
    )


def _reroute_implausible(
    net: RoadNetwork,
    src: list[Location],
    dst: list[Location],
    dist: np.ndarray,
    time: np.ndarray,
    straight: np.ndarray,
    prof: Profile,
    scen: Scenario,
    max_snap_m: float,
) -> list[str]:
    """Route pairs with an implausible detour as :func:`~.routes.route` does; update in place.

    Returns notes: how many pairs were routed from farther roads, which remain implausible.
    """
    limit = np.vectorize(lambda km: plausible_detour(net, km))(straight / 1000.0)
    # A place given as both origin and destination has no route to reroute (route() refuses).
    far = straight >= _SAME_PLACE_M
    bad = np.argwhere(np.isfinite(dist) & far & (dist > limit * straight + DETOUR_SLACK_M))
    moved, implausible, skipped = 0, [], max(len(bad) - _MAX_REROUTED, 0)
    for i, j in bad[:_MAX_REROUTED].tolist():
        shortest = route(src[i], dst[j], net=net, profile=prof, scenario=scen,
                         max_snap_m=max_snap_m)  # fmt: skip
        fastest = route(src[i], dst[j], net=net, profile=prof, optimize="time", scenario=scen,
                        max_snap_m=max_snap_m)  # fmt: skip
        dist[i, j], time[i, j] = shortest.length_m, fastest.time_s
        if any("gap in the road data" in n for n in shortest.notes):
            moved += 1
        elif shortest.notes:
            implausible.append(f"{src[i]} -> {dst[j]} (x{shortest.detour_factor:.1f})")
    notes = []
    if moved:
        notes.append(
            f"{moved} pair(s) join farther roads: their nearer roads give an implausible "
            "detour (a gap in the road data); route() says which"
        )
    if implausible:
        notes.append(
            "implausible detours, the road data may lack a road (treat as data artefacts): "
            + ", ".join(implausible[:10])
            + (f" and {len(implausible) - 10} more" if len(implausible) > 10 else "")
        )
    if skipped:
        notes.append(f"{skipped} more pair(s) with an implausible detour were not routed again")
    return notes


def _table(
    engine: RoutingEngine, w: Weights, sources: list[list[Snap]], targets: list[list[Snap]]
) -> tuple[np.ndarray, np.ndarray]:
    """Road cost and off-road legs (metres) between every source and target point.

    The seed pair (candidate road and edge end at each point) minimising road cost plus
    off-road access cost is chosen. Each seed is a node, so the minimum separates: first over
    source seeds for every target node, then over target seeds, each a running minimum over
    the (few) seed columns.
    """
    s_node, s_road, s_access = _seeds(engine, w, sources, exits=True)
    t_node, t_road, t_access = _seeds(engine, w, targets, exits=False)
    t_nodes, t_pos = np.unique(t_node, return_inverse=True)
    t_pos = t_pos.reshape(t_node.shape)
    out = np.empty((len(sources), len(targets)))
    out_access = np.empty_like(out)
    block = max(1, _BLOCK_CELLS // (s_node.shape[1] * len(t_nodes)))
    for lo in range(0, len(sources), block):
        rows = slice(lo, lo + block)
        s_nodes, s_pos = np.unique(s_node[rows], return_inverse=True)
        core = engine.node_matrix(s_nodes, t_nodes, w)
        s_pos = s_pos.reshape(-1, s_node.shape[1])
        # Per (source point, target node): road cost and access of the cheapest source seed.
        road, access = _running_min(
            (core[s_pos[:, c]] + s_road[rows, c, None], s_access[rows, c, None])
            for c in range(s_node.shape[1])
        )
        # Per (source point, target point): the same over the target's seeds.
        out[rows], out_access[rows] = _running_min(
            (
                road[:, t_pos[:, c]] + t_road[None, :, c],
                access[:, t_pos[:, c]] + t_access[None, :, c],
            )
            for c in range(t_node.shape[1])
        )
    _same_edge(engine, w, sources, targets, out, out_access)
    return out, out_access / w.access_per_m


def _running_min(options: Iterator[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise, the ``(road, access)`` option with the least ``road + access``.

    ``options`` yields pairs of arrays broadcastable to one shape; the result has that shape.
    """
    road, access = next(options)
    shape = np.broadcast_shapes(road.shape, access.shape)
    best_road = np.broadcast_to(road, shape).copy()
    best_access = np.broadcast_to(access, shape).copy()
    best_total = best_road + best_access
    for road, access in options:
        total = road + access
        better = total < best_total
        np.copyto(best_road, road, where=better)
        np.copyto(best_access, access, where=better)
        np.copyto(best_total, total, where=better)
    return best_road, best_access


def _seeds(
    engine: RoutingEngine, w: Weights, points: list[list[Snap]], *, exits: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point: seed nodes, road cost to each, off-road access cost (padded with inf).

    Candidates sharing an end node collapse to the cheapest seed there, and a seed that
    another seed of the same point reaches more cheaply by road is dropped: it can never win
    (on detailed data most of a point's dozen candidate roads are such side streets).
    """
    flat = [s for cands in points for s in cands]
    point = np.repeat(np.arange(len(points)), [len(c) for c in points])
    nodes, road, snap = engine.seeds(flat, w, outgoing=exits, access=False)
    access = np.fromiter((s.distance_m for s in flat), float, len(flat))[snap] * w.access_per_m
    pt = point[snap]
    order = np.lexsort((road + access, nodes, pt))
    nodes, road, access, pt = nodes[order], road[order], access[order], pt[order]
    first = np.concatenate([[True], (pt[1:] != pt[:-1]) | (nodes[1:] != nodes[:-1])])
    nodes, road, access, pt = nodes[first], road[first], access[first], pt[first]
    keep = _undominated(engine, w, nodes, road + access, np.bincount(pt), exits=exits)
    nodes, road, access, pt = nodes[keep], road[keep], access[keep], pt[keep]
    counts = np.bincount(pt, minlength=len(points))
    col = np.arange(len(pt)) - np.repeat(np.cumsum(counts) - counts, counts)
    shape = (len(points), int(counts.max()))
    node_t = np.zeros(shape, np.int64)
    road_t = np.full(shape, np.inf)
    access_t = np.zeros(shape)
    node_t[pt, col], road_t[pt, col], access_t[pt, col] = nodes, road, access
    return node_t, road_t, access_t


def _undominated(
    engine: RoutingEngine,
    w: Weights,
    nodes: np.ndarray,
    cost: np.ndarray,
    counts: np.ndarray,
    *,
    exits: bool,
) -> np.ndarray:
    """Mask of the seeds no other seed of the same point beats by driving to them.

    Seeds are grouped by point (``counts`` per point, in order). An exit seed ``j`` is
    dominated if some exit ``i`` has ``cost[i] + d(i, j) < cost[j]``; an entry seed if
    ``d(j, i) + cost[i] < cost[j]``. Dropping such seeds leaves every matrix cell unchanged.
    """
    keep = np.ones(len(nodes), bool)
    for lo, n in zip((np.cumsum(counts) - counts).tolist(), counts.tolist(), strict=True):
        if n < 2:
            continue
        group = slice(lo, lo + n)
        d = engine.node_matrix(nodes[group], nodes[group], w)
        via = cost[group, None] + (d if exits else d.T)
        np.fill_diagonal(via, np.inf)
        # A margin keeps near-ties: CCH distances are rounded to centimetres / milliseconds.
        keep[group] = via.min(axis=0) + _TIE_MARGIN >= cost[group]
    return keep


def _same_edge(
    engine: RoutingEngine,
    w: Weights,
    sources: list[list[Snap]],
    targets: list[list[Snap]],
    road: np.ndarray,
    access: np.ndarray,
) -> None:
    """Pairs of points on one edge may drive along it without reaching a junction.

    As in :meth:`~routing.engine.RoutingEngine.route`, the direct drive wins on road plus off-road
    cost; ``road`` and ``access`` (the chosen cells' two parts) are updated in place.
    """
    by_edge: dict[int, list[tuple[int, Snap]]] = {}
    for j, cands in enumerate(targets):
        for t in cands:
            by_edge.setdefault(t.edge, []).append((j, t))
    for i, cands in enumerate(sources):
        for s in cands:
            for j, t in by_edge.get(s.edge, []):
                total = engine.direct(s, t, w)
                if total < road[i, j] + access[i, j]:
                    access[i, j] = (s.distance_m + t.distance_m) * w.access_per_m
                    road[i, j] = total - access[i, j]


def _farthest_snap(points: list[Location], snaps: list[list[Snap]]) -> str:
    """The point farthest off-road, as an assumption line."""
    k = max(range(len(points)), key=lambda i: snaps[i][0].distance_m)
    s = snaps[k][0]
    return (
        f"points join the road network at candidate roads; farthest off-road: {points[k]}, "
        f"{s.distance_m / 1000:.1f} km from {s.road}"
    )


def _labels(points: list[Location]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for p in points:
        seen[p.name] = seen.get(p.name, 0) + 1
        out.append(p.name if seen[p.name] == 1 else f"{p.name} ({seen[p.name]})")
    return out
