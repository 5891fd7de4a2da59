"""Distance and travel-time matrices between many places.

:func:`matrix` gives, for N origins x M destinations, the road length of the *shortest* route
(km) and the travel time of the *fastest* route (hours) under a speed profile, plus the
geodesic straight-line distance, as labelled DataFrames. Each point may attach to any of its
nearest candidate roads (as in :func:`routing.routes.route`); the CCH many-to-many query makes a
1000 x 1000 matrix a matter of seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Geod

from .engine import Engine, Weights, get_engine
from .exceptions import NoRouteError
from .network import RoadNetwork
from .profiles import DEFAULT_PROFILE, Profile, get_profile
from .routes import Location, PlaceLike, resolve_location, resolve_network
from .scenarios import Scenario
from .snapping import DEFAULT_MAX_SNAP_M, Snap, snap_candidates

__all__ = ["Matrix", "matrix"]

# Cells (source seed x target seed) per block, bounding memory for large matrices.
_BLOCK_CELLS = 8_000_000
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Matrix:
    """Origin x destination figures with their assumptions.

    Attributes
    ----------
    distance_km
        Road length of the shortest route (``NaN`` where no route).
    time_h
        Travel time of the fastest route under ``profile`` (``NaN`` where no route).
    straight_km
        Geodesic (WGS84) distance.
    profile
        Speed profile of ``time_h``.
    assumptions
        One line each: data, distance and time definitions, profile.
    """

    distance_km: pd.DataFrame
    time_h: pd.DataFrame
    straight_km: pd.DataFrame
    profile: Profile
    assumptions: list[str]

    def to_frame(self) -> pd.DataFrame:
        """Long form: one row per origin-destination pair."""
        parts = {"distance_km": self.distance_km, "time_h": self.time_h,
                 "straight_km": self.straight_km}
        long = pd.concat({k: v.stack(future_stack=True) for k, v in parts.items()}, axis=1)
        long.index.names = ["origin", "destination"]
        long["detour_factor"] = long["distance_km"] / long["straight_km"]
        return long.reset_index()


def matrix(
    origins: Sequence[PlaceLike],
    destinations: Sequence[PlaceLike] | None = None,
    *,
    net: RoadNetwork | str | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
    scenario: Scenario | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Matrix:
    """Road distance (shortest route) and travel time (fastest route) between all pairs.

    Parameters
    ----------
    origins
        Place names, ``"lat,lon"`` strings, ``(lon, lat)`` tuples or Places.
    destinations
        Defaults to the origins (a square matrix).
    net, profile, scenario, max_snap_m
        As for :func:`routing.routes.route`.

    Raises
    ------
    OffNetworkError, PlaceNotFoundError, ProfileError, ScenarioError
        Bad input (the first offending point is named).
    """
    network = resolve_network(net)
    prof = get_profile(profile)
    scen = scenario or Scenario()
    if not origins:
        raise NoRouteError("a matrix needs at least one origin")
    src = [resolve_location(p, network) for p in origins]
    dst = src if destinations is None else [resolve_location(p, network) for p in destinations]
    if not dst:
        raise NoRouteError("a matrix needs at least one destination")
    src_snaps = [_candidates(network, p, max_snap_m) for p in src]
    dst_snaps = src_snaps if destinations is None else [_candidates(network, p, max_snap_m)
                                                         for p in dst]
    engine = get_engine(network)
    closed, delays = scen.closed(network), scen.delays(network)
    dist = _table(engine, engine.weights("length", closed=closed), src_snaps, dst_snaps)
    time = _table(engine, engine.weights(prof, closed=closed, delays_s=delays), src_snaps,
                  dst_snaps)
    straight = np.array([[_GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] for b in dst] for a in src])
    rows, cols = _labels(src), _labels(dst)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.where(np.isfinite(values), values, np.nan), rows, cols)

    assumptions = [
        f"data: {network.meta.describe()}; {network.meta.attribution}",
        "distance_km: road length of the shortest route between the snapped road points "
        "(off-road gaps excluded)",
        f"time_h: driving time of the fastest route, {prof.describe()}",
        "straight_km: geodesic on the WGS84 ellipsoid",
        *[f"scenario: {x}" for x in scen.describe()],
    ]
    return Matrix(frame(dist / 1000.0), frame(time / 3600.0), frame(straight / 1000.0), prof,
                  assumptions)


def _candidates(net: RoadNetwork, p: Location, max_snap_m: float) -> list[Snap]:
    return snap_candidates(net, p.lon, p.lat, max_snap_m=max_snap_m)


def _table(engine: Engine, w: Weights, sources: list[list[Snap]], targets: list[list[Snap]]
           ) -> np.ndarray:
    """Best road cost (excluding off-road access) between every source and target point.

    The seed pair (candidate road and edge end at each point) minimising road cost plus
    off-road access is chosen; its road cost alone is reported. Each seed is a node, so the
    minimum separates: first over source seeds for every target node, then over target seeds.
    """
    s_node, s_road, s_access = _seeds(engine, w, sources, exits=True)
    t_node, t_road, t_access = _seeds(engine, w, targets, exits=False)
    t_nodes, t_pos = np.unique(t_node, return_inverse=True)
    t_pos = t_pos.reshape(t_node.shape)
    k_s = s_node.shape[1]
    out = np.empty((len(sources), len(targets)))
    block = max(1, _BLOCK_CELLS // (k_s * len(t_nodes)))
    for lo in range(0, len(sources), block):
        hi = min(lo + block, len(sources))
        s_nodes, s_pos = np.unique(s_node[lo:hi], return_inverse=True)
        core = engine.node_matrix(s_nodes, t_nodes, w)[s_pos.reshape(hi - lo, k_s)]
        road = core + s_road[lo:hi, :, None]
        i = np.argmin(road + s_access[lo:hi, :, None], axis=1)[:, None, :]
        f_road = np.take_along_axis(road, i, axis=1)[:, 0, :]
        f_total = f_road + np.take_along_axis(s_access[lo:hi], i[:, 0, :], axis=1)
        g_road = f_road[:, t_pos] + t_road[None]
        j = np.argmin(f_total[:, t_pos] + (t_road + t_access)[None], axis=2)[..., None]
        out[lo:hi] = np.take_along_axis(g_road, j, axis=2)[..., 0]
    _same_edge(engine, w, sources, targets, out)
    return out


def _seeds(engine: Engine, w: Weights, points: list[list[Snap]], *, exits: bool
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point: seed nodes, road cost to each, off-road access cost (padded with inf).

    Candidates sharing an end node collapse to the cheapest seed there.
    """
    per_point: list[dict[int, tuple[float, float]]] = []
    for cands in points:
        seeds: dict[int, tuple[float, float]] = {}
        for s in cands:
            nodes, costs = engine.exits(s, w) if exits else engine.entries(s, w)
            a = s.distance_m * w.access_per_m
            for n, c in zip(nodes.tolist(), costs.tolist(), strict=True):
                if n not in seeds or c < sum(seeds[n]):
                    seeds[n] = (c - a, a)
        per_point.append(seeds)
    k = max(len(s) for s in per_point)
    node = np.zeros((len(points), k), np.int64)
    road = np.full((len(points), k), np.inf)
    access = np.zeros((len(points), k))
    for i, seeds in enumerate(per_point):
        n = len(seeds)
        node[i, :n] = list(seeds)
        road[i, :n], access[i, :n] = np.asarray(list(seeds.values())).T
    return node, road, access


def _same_edge(engine: Engine, w: Weights, sources: list[list[Snap]],
               targets: list[list[Snap]], out: np.ndarray) -> None:
    """Pairs of points on one edge may drive along it without reaching a junction."""
    by_edge: dict[int, list[tuple[int, Snap]]] = {}
    for j, cands in enumerate(targets):
        for t in cands:
            by_edge.setdefault(t.edge, []).append((j, t))
    for i, cands in enumerate(sources):
        for s in cands:
            for j, t in by_edge.get(s.edge, []):
                road = engine.direct(s, t, w) - (s.distance_m + t.distance_m) * w.access_per_m
                out[i, j] = min(out[i, j], road)


def _labels(points: list[Location]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for p in points:
        seen[p.name] = seen.get(p.name, 0) + 1
        out.append(p.name if seen[p.name] == 1 else f"{p.name} ({seen[p.name]})")
    return out
