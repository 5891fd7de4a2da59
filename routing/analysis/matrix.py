"""Distance and travel-time matrices between many places.

:func:`matrix` gives, for N origins x M destinations, the road length of the *shortest* route
(km) and the travel time of the *fastest* route (hours) under a speed profile, plus the
geodesic straight-line distance, as labelled DataFrames. Each point may attach to any of its
nearest candidate roads (as in :func:`~routing.analysis.routes.route`); the engine's
many-to-many query, with every candidate of a point searched at once, makes a 1000 x 1000
matrix a matter of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from .routes import _SAME_PLACE_M, DETOUR_SLACK_M, plausible_detours, route
from .scenarios import Scenario

__all__ = ["Matrix", "matrix"]

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
    limit = plausible_detours(net, straight / 1000.0)
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

    Each point enters the network at its seeds (candidate road and edge end, at the road cost
    from the point plus its off-road access cost); the seed pair minimising road cost plus
    access cost is chosen, and its two parts are returned separately.
    """
    s_first, s_node, s_road, s_access = _seeds(engine, w, sources, exits=True)
    t_first, t_node, t_road, t_access = _seeds(engine, w, targets, exits=False)
    cost, s_seed, t_seed = engine.seed_matrix(
        s_first, s_node, s_road + s_access, t_first, t_node, t_road + t_access, w
    )
    found = s_seed >= 0
    access = np.where(found, s_access[s_seed] + t_access[t_seed], 0.0)
    road = cost - access
    _same_edge(engine, w, sources, targets, road, access)
    return road, access / w.access_per_m


def _seeds(
    engine: RoutingEngine, w: Weights, points: list[list[Snap]], *, exits: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeds of every point, grouped by point: offsets, nodes, road cost, access cost."""
    flat = [s for cands in points for s in cands]
    point = np.repeat(np.arange(len(points)), [len(c) for c in points])
    nodes, road, snap = engine.seeds(flat, w, outgoing=exits, access=False)
    access = np.fromiter((s.distance_m for s in flat), float, len(flat))[snap] * w.access_per_m
    order = np.argsort(point[snap], kind="stable")
    first = np.searchsorted(point[snap][order], np.arange(len(points) + 1))
    return first, nodes[order], road[order], access[order]


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
