"""Routes between places: road length, travel time, roads taken, and every assumption.

:func:`route` answers "how far by road, how long by car, by which roads". Distance claims are
about the *shortest* route (``optimize="distance"``); time claims about the *fastest*
(``optimize="time"``); :func:`shortest_and_fastest` gives both. :func:`alternatives` finds up to
``k`` distinct reasonable routes (penalty method). Every :class:`Route` carries its
assumptions: data source and date, speed profile and its source, road vs straight-line
distance, how far each end lies off the road, and any scenario rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from numbers import Integral
from typing import Any, Literal, NoReturn

import numpy as np
import pandas as pd
import shapely
import shapely.ops

from .._format import format_hours
from .._geo import M_PER_DEG, geodesic_m
from ..engine import PathResult, RoutingEngine, Weights, get_engine
from ..engine.profiles import DEFAULT_PROFILE, Profile, get_profile
from ..engine.snapping import DEFAULT_MAX_SNAP_M, Snap, road_label, snap_points
from ..exceptions import InvalidArgumentError, NoRouteError
from ..location import Location, PointLike, as_location
from ..network import RoadNetwork
from .calibration import calibration_for
from .scenarios import Scenario

__all__ = [
    "DETOUR_SLACK_M",
    "Optimize",
    "Route",
    "ScenarioComparison",
    "alternatives",
    "compare",
    "plausible_detour",
    "plausible_detours",
    "route",
    "shortest_and_fastest",
]

Optimize = Literal["distance", "time"]
# Closer than this, origin and destination count as the same place.
_SAME_PLACE_M = 100.0
# Routes longer than the plausible detour factor by this much trigger the fallback to farther
# roads (short trips detour by more for a one-way street or a river crossing).
DETOUR_SLACK_M = 5_000.0
# Plausible detour factor on data with no calibration (full detail: a route over twice the
# straight line plus the slack is rare outside mountains and water).
_GENERIC_DETOUR = 2.0
# Stretches shorter than this are folded into their neighbours in Route.roads().
_MIN_STRETCH_KM = 3.0
_TOWN_NEAR_KM = 10.0


@dataclass(frozen=True, eq=False)
class Route:
    """A route and the figures a claim check needs.

    Attributes
    ----------
    origin, destination, via
        The resolved endpoints and via points.
    optimize
        ``"distance"`` (shortest by road length) or ``"time"`` (fastest under ``profile``).
    profile
        Speed profile behind ``time_s``.
    snaps
        Where origin, via points and destination join the road (in that order); for a via
        point, where the route arrives.
    departs
        Where the route leaves each via point (each leg attaches its places on its own, so it
        may leave from another road than it came in on); empty without via points.
    edges, start, end
        Edges driven, in order, and fractions along each (see ``PathResult``).
    road_m
        Length on the roads, between the points where the places join them.
    road_time_s
        Driving time on those roads under ``profile``, with scenario delays.
    straight_m
        Geodesic (WGS84) distance between origin and destination.
    net
        The network routed on.
    scenario
        Closures and delays applied.
    notes
        Warnings and choices a reader must know (an implausible detour, a place attached to a
        farther road because its nearest one is cut off from the destination).

    Notes
    -----
    The place-to-place figures :attr:`length_m` and :attr:`time_s` add the off-road legs from
    each place to the point where it joins a road (straight lines, at the profile's
    ``access_kph``), counted once at the ends and twice (in and out) at each via point. They
    are what the route was chosen on, and are never shorter than the straight line. A route
    with via points is its legs end to end, each routed as a place-to-place route: its
    figures are the sums of the legs'.
    """

    origin: Location
    destination: Location
    via: tuple[Location, ...]
    optimize: Optimize
    profile: Profile
    snaps: tuple[Snap, ...]
    edges: np.ndarray
    start: np.ndarray
    end: np.ndarray
    road_m: float
    road_time_s: float
    straight_m: float
    net: RoadNetwork = field(repr=False)
    scenario: Scenario = field(default_factory=Scenario)
    notes: tuple[str, ...] = ()
    departs: tuple[Snap, ...] = ()

    @property
    def access_m(self) -> float:
        """Off-road legs: each end once, each via point twice (in and out), metres."""
        gaps = [s.distance_m for s in self.snaps]
        out = [s.distance_m for s in self.departs] if self.departs else gaps[1:-1]
        return gaps[0] + gaps[-1] + sum(gaps[1:-1]) + sum(out)

    @property
    def length_m(self) -> float:
        """Place-to-place distance: the road length plus the off-road legs, metres."""
        return self.road_m + self.access_m

    @property
    def time_s(self) -> float:
        """Place-to-place time: driving time plus the off-road legs at ``access_kph``, s."""
        return self.road_time_s + self.access_m / (self.profile.access_kph / 3.6)

    @property
    def length_km(self) -> float:
        return self.length_m / 1000.0

    @property
    def road_km(self) -> float:
        return self.road_m / 1000.0

    @property
    def access_km(self) -> float:
        return self.access_m / 1000.0

    @property
    def time_h(self) -> float:
        return self.time_s / 3600.0

    @property
    def straight_km(self) -> float:
        return self.straight_m / 1000.0

    @property
    def detour_factor(self) -> float:
        """Place-to-place distance over straight-line distance."""
        return self.length_m / self.straight_m if self.straight_m else float("nan")

    def time_with(self, profile: Profile | str) -> float:
        """Seconds for this same route under another speed profile (same scenario).

        For a shortest route this is exact for every profile: road length does not depend on
        the profile, so the shortest route is the same one.
        """
        prof = get_profile(profile)
        w = _weights(get_engine(self.net), prof, "time", self.scenario)
        road = float((np.abs(self.end - self.start) * w.edge[self.edges]).sum())
        return road + self.access_m / (prof.access_kph / 3.6)

    def roads(self) -> pd.DataFrame:
        """The roads taken, in order: ``road``, ``highway``, ``km``, ``minutes``.

        Consecutive pieces of the same road are merged.
        """
        e = self.net.edges.iloc[self.edges]
        frac = np.abs(self.end - self.start)
        w = _weights(get_engine(self.net), self.profile, "time", self.scenario)
        labels = [
            road_label(r, n, h)
            for r, n, h in zip(e["ref"], e["name"], e["highway"].astype(str), strict=True)
        ]
        df = pd.DataFrame(
            {
                "road": labels,
                "highway": e["highway"].astype(str).to_numpy(),
                "km": frac * e["length"].to_numpy() / 1000.0,
                "minutes": frac * w.edge[self.edges] / 60.0,
            }
        )
        # Short pieces between two stretches (an unlabelled stub at a junction, a tile-edge
        # fragment) are folded into the stretch before them so the list reads as a road
        # description rather than a list of fragments.
        run = (df["road"] != df["road"].shift()).cumsum()
        run_km = df.groupby(run)["km"].transform("sum")
        short = (run_km < _MIN_STRETCH_KM) & (run > 1)
        df.loc[short, "road"] = np.nan
        df["road"] = df["road"].ffill().fillna(labels[0] if labels else "")
        run = (df["road"] != df["road"].shift()).cumsum()
        out = df.groupby(run, sort=False).agg(
            road=("road", "first"),
            highway=("highway", lambda s: s.value_counts().index[0]),
            km=("km", "sum"),
            minutes=("minutes", "sum"),
        )
        out["via"] = [
            ", ".join(_towns_along(self.net, self.edges[(run == k).to_numpy()])) for k in out.index
        ]
        return out[out["km"] > 0.05].reset_index(drop=True)

    @property
    def geometry(self) -> shapely.LineString:
        """The driven line (lon/lat), from the origin's snapped point to the destination's."""
        parts = []
        for e, a, b in zip(self.edges, self.start, self.end, strict=True):
            line = self.net.geometries[e]
            if (a, b) in ((0.0, 1.0), (1.0, 0.0)):
                xy = self.net.edge_coords(int(e))
                parts.append(xy if a == 0.0 else xy[::-1])
            else:
                sub = shapely.ops.substring(line, a, b, normalized=True)
                parts.append(shapely.get_coordinates(sub))
        xy = np.concatenate(parts)
        keep = np.concatenate([[True], np.any(np.diff(xy, axis=0) != 0, axis=1)])
        xy = xy[keep]
        return shapely.LineString(xy if len(xy) > 1 else np.vstack([xy, xy]))

    @property
    def assumptions(self) -> list[str]:
        """Every assumption behind the figures, one line each."""
        kind = (
            "shortest route by road length"
            if self.optimize == "distance"
            else f"fastest route by travel time (profile {self.profile.name!r})"
        )
        ends = [
            f"{label} {s.distance_m / 1000:.1f} km off-road from {s.road}"
            for label, s in self._joins()
        ]
        out = [
            f"data: {self.net.meta.describe()}; {self.net.meta.attribution}",
            f"{kind}; distance: along the roads between the points where the places join "
            "them, plus the off-road legs from each place to its road (straight lines, at "
            f"{self.profile.access_kph:g} km/h)",
            "straight line: geodesic on the WGS84 ellipsoid between the given points",
            f"time: {self.profile.describe()}",
            "joins the roads: " + "; ".join(ends),
        ]
        if self.net.meta.generalized:
            out.append("generalized lines cut bends: true road lengths are somewhat longer")
        out += [f"scenario: {x}" for x in self.scenario.describe()]
        out += [f"warning: {n}" for n in self.notes]
        return out

    def headline(self) -> str:
        """One line: ``'A -> B: 403 km (401 km by road + 2.0 km off-road), 4 h 52 min ...'``."""
        main = ", ".join(self.roads().nlargest(3, "km")["road"])
        return (
            f"{self.origin} -> {self.destination}: {self.length_km:,.0f} km "
            f"({self.road_km:,.0f} km by road + {self.access_km:,.1f} km off-road), "
            f"{format_hours(self.time_h)} ({self.profile.name}), straight line "
            f"{self.straight_km:,.0f} km (detour x{self.detour_factor:.2f}); via {main}"
        )

    def summary(self) -> str:
        """Readable multi-line description with the roads taken and all assumptions."""
        lines = [self.headline(), "Roads taken:"]
        for r in self.roads().itertuples():
            towns = str(r.via)
            via = f" (near {towns})" if towns else ""
            lines.append(f"  {r.road}{via}: {r.km:,.0f} km, {r.minutes:,.0f} min")
        lines += [f"Assumption: {a}" for a in self.assumptions]
        return "\n".join(lines)

    def to_gdf(self) -> Any:
        """The route as a one-row GeoDataFrame (EPSG:4326) with its figures and assumptions."""
        import geopandas as gpd

        return gpd.GeoDataFrame([self._properties()], geometry=[self.geometry], crs="EPSG:4326")

    def to_geojson(self) -> dict[str, Any]:
        """The route as a GeoJSON Feature (the line plus :meth:`to_dict` as properties)."""
        return {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(self.geometry),
            "properties": self.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Figures, roads taken, snap points, notes and assumptions, JSON-ready."""
        props = self._properties()
        props["roads"] = self.roads().round(2).to_dict("records")
        props["snaps"] = [
            {
                "point": label,
                "lon": s.lon,
                "lat": s.lat,
                "distance_m": round(s.distance_m, 1),
                "road": s.road,
            }
            for label, s in self._joins()
        ]
        return props

    def _properties(self) -> dict[str, Any]:
        return {
            "origin": self.origin.name,
            "destination": self.destination.name,
            "via": [v.name for v in self.via],
            "optimize": self.optimize,
            "profile": self.profile.name,
            "length_km": round(self.length_km, 3),
            "road_km": round(self.road_km, 3),
            "access_km": round(self.access_km, 3),
            "time_h": round(self.time_h, 4),
            "straight_km": round(self.straight_km, 3),
            "detour_factor": round(self.detour_factor, 4),
            "source": self.net.meta.source,
            "osm_date": self.net.meta.osm_date,
            "notes": list(self.notes),
            "assumptions": self.assumptions,
        }

    def _joins(self) -> list[tuple[str, Snap]]:
        """Where each place joins the road, a via point twice if it is left from another."""
        out = self.departs or self.snaps[1:-1]
        joins = [("origin", self.snaps[0])]
        for v, arrive, leave in zip(self.via, self.snaps[1:-1], out, strict=True):
            if leave == arrive:
                joins.append((f"via {v}", arrive))
            else:
                joins += [(f"via {v} (in)", arrive), (f"via {v} (out)", leave)]
        return [*joins, ("destination", self.snaps[-1])]


def route(
    origin: PointLike,
    destination: PointLike,
    *,
    net: RoadNetwork,
    profile: Profile | str = DEFAULT_PROFILE,
    optimize: Optimize = "distance",
    via: Sequence[PointLike] = (),
    scenario: Scenario | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Route:
    """The shortest (``optimize="distance"``) or fastest (``"time"``) route.

    Parameters
    ----------
    origin, destination
        :class:`~routing.location.Location`, ``(lon, lat)`` or gazetteer Place.
    net
        The road network.
    profile
        Speed profile name, YAML file or :class:`~routing.engine.profiles.Profile`.
    optimize
        What the route minimises.
    via
        Points the route must pass, in order.
    scenario
        Closures and delays.
    max_snap_m
        Farthest a point may lie from a road.

    Raises
    ------
    OffNetworkError
        A point is farther than ``max_snap_m`` from every road.
    NoRouteError
        Same place twice, or no connection (the message says why).
    InvalidArgumentError
        ``optimize`` is neither ``"distance"`` nor ``"time"``.
    ProfileError, PlaceNotFoundError, AmbiguousPlaceError, ScenarioError
        Bad input.
    """
    if via:
        legs = [
            route(a, b, net=net, profile=profile, optimize=optimize, scenario=scenario,
                  max_snap_m=max_snap_m)
            for a, b in itertools.pairwise([origin, *via, destination])
        ]  # fmt: skip
        return _joined(legs)
    plan = _plan(origin, destination, net, profile, optimize, scenario, max_snap_m)
    return _attached(plan, max_snap_m)[1]


def _joined(legs: list[Route]) -> Route:
    """Routes end to end as one route through the places where they meet."""
    first, last = legs[0], legs[-1]
    return replace(
        first,
        destination=last.destination,
        via=tuple(leg.destination for leg in legs[:-1]),
        snaps=(first.snaps[0], *[leg.snaps[-1] for leg in legs]),
        departs=tuple(leg.snaps[0] for leg in legs[1:]),
        edges=np.concatenate([leg.edges for leg in legs]),
        start=np.concatenate([leg.start for leg in legs]),
        end=np.concatenate([leg.end for leg in legs]),
        road_m=sum(leg.road_m for leg in legs),
        road_time_s=sum(leg.road_time_s for leg in legs),
        straight_m=_geodesic_m(first.origin, last.destination),
        notes=tuple(dict.fromkeys(n for leg in legs for n in leg.notes)),
    )


def shortest_and_fastest(
    origin: PointLike, destination: PointLike, **kwargs: Any
) -> tuple[Route, Route]:
    """The shortest route (for distance claims) and the fastest (for time claims)."""
    shortest = route(origin, destination, optimize="distance", **kwargs)
    fastest = route(origin, destination, optimize="time", **kwargs)
    return shortest, fastest


def alternatives(
    origin: PointLike,
    destination: PointLike,
    k: int = 3,
    *,
    max_stretch: float = 1.4,
    max_overlap: float = 0.5,
    penalty: float = 1.4,
    net: RoadNetwork,
    profile: Profile | str = DEFAULT_PROFILE,
    optimize: Optimize = "distance",
    via: Sequence[PointLike] = (),
    scenario: Scenario | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> list[Route]:
    """Up to ``k`` distinct, reasonable routes, best first (penalty method).

    Each round penalises the edges of the last path found (cost x ``penalty``) and routes again.
    A path is kept if its true cost is at most ``max_stretch`` times the best and at most
    ``max_overlap`` of its length is shared with any route already kept. The other arguments
    are those of :func:`route`; with via points only the route itself is returned
    (alternatives through fixed points would re-run the same legs).

    Raises
    ------
    InvalidArgumentError
        ``k < 1``, ``max_stretch < 1``, ``max_overlap`` outside [0, 1] or ``penalty <= 1``.
    OffNetworkError, NoRouteError, ProfileError, PlaceNotFoundError, ScenarioError
        As for :func:`route`.
    """
    if not (isinstance(k, Integral) and k >= 1):
        raise InvalidArgumentError(f"k (number of routes) must be an integer >= 1, got {k!r}")
    if not max_stretch >= 1.0:
        raise InvalidArgumentError(f"max_stretch must be >= 1, got {max_stretch!r}")
    if not 0.0 <= max_overlap <= 1.0:
        raise InvalidArgumentError(f"max_overlap must be within [0, 1], got {max_overlap!r}")
    if not penalty > 1.0:
        raise InvalidArgumentError(f"penalty must be > 1, got {penalty!r}")
    if via:
        return [
            route(origin, destination, net=net, profile=profile, optimize=optimize, via=via,
                  scenario=scenario, max_snap_m=max_snap_m)
        ]  # fmt: skip
    plan, best = _attached(
        _plan(origin, destination, net, profile, optimize, scenario, max_snap_m), max_snap_m
    )
    found = [best]
    sources, targets = plan.snaps[0], plan.snaps[-1]
    true_cost = plan.weights.edge
    best_cost = best.road_m if optimize == "distance" else best.road_time_s
    penalised = true_cost.copy()
    for _ in range(4 * k):
        if len(found) >= k:
            break
        penalised[found[-1].edges] *= penalty
        try:
            path = plan.engine.route(
                sources, targets, plan.weights.replace_edges(penalised.copy()), method="dijkstra"
            )
        except NoRouteError:
            break
        if float(path.edge_costs(true_cost).sum()) > max_stretch * best_cost:
            break
        if all(_overlap(path, r, plan.engine.net) <= max_overlap for r in found):
            found.append(_make_route(plan, [path]))
        else:
            penalised[path.edges] *= penalty
    return found


@dataclass(frozen=True)
class ScenarioComparison:
    """A route before and after a scenario (``after`` is ``None`` when no route is left)."""

    before: Route
    after: Route | None
    scenario: Scenario
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What changed, with figures and assumptions."""
        b = self.before
        lines = [f"Scenario: {'; '.join(self.scenario.describe())}", f"  before: {b.headline()}"]
        if self.after is None:
            lines.append(f"  after:  no route: {self.reason}")
        else:
            a = self.after
            lines.append(f"  after:  {a.headline()}")
            lines.append(
                f"  change: {(a.length_m - b.length_m) / 1000:+,.0f} km, "
                f"{(a.time_s - b.time_s) / 60:+,.0f} min"
            )
        lines += [f"  assumption: {x}" for x in b.assumptions]
        return "\n".join(lines)


def compare(
    origin: PointLike,
    destination: PointLike,
    scenario: Scenario,
    **route_kwargs: Any,
) -> ScenarioComparison:
    """Route with and without a scenario (keyword arguments go to :func:`route`).

    The "no route" case is a result, not an error: ``after`` is ``None`` and ``reason`` says
    which closures cut the network.
    """
    before = route(origin, destination, **route_kwargs)
    try:
        after: Route | None = route(origin, destination, scenario=scenario, **route_kwargs)
        reason = ""
    except NoRouteError as exc:
        after, reason = None, str(exc)
    return ScenarioComparison(before, after, scenario, reason)


# ------------------------------------------------------------------------ helpers
def _attached(plan: _Plan, max_snap_m: float) -> tuple[_Plan, Route]:
    """The best route, or one from farther roads if the nearby ones give an implausible detour.

    A place joins the network at one of its nearby roads. When that gives a detour no
    full-detail route of this length reaches (the nearby road joins the destination only
    through a long loop: a gap in the data), every road within ``max_snap_m`` becomes a
    candidate and the cheapest route (road plus off-road legs) is taken, with a note. When
    no candidate gives a plausible detour, the route carries a warning instead. Returns the
    plan the route came from and the route.
    """
    found = _make_route(plan, _chain(plan))
    limit = plausible_detour(found.net, found.straight_km)
    if found.length_m <= limit * found.straight_m + DETOUR_SLACK_M:
        return plan, found
    points = plan.points
    wide = replace(
        plan,
        snaps=snap_points(
            found.net, [p.lon for p in points], [p.lat for p in points], max_snap_m=max_snap_m,
            wide=True,
        ),
    )  # fmt: skip
    try:
        better = _make_route(wide, _chain(wide))
    except NoRouteError:
        better = found
    if better is not found and better.length_m <= limit * better.straight_m + DETOUR_SLACK_M:
        moved = [
            f"{loc} joins the roads {new.distance_m / 1000:,.1f} km away on {new.road}"
            for loc, old, new in zip(points, found.snaps, better.snaps, strict=True)
            if new.edge != old.edge and new.distance_m > old.distance_m + 100.0
        ]
        return wide, replace(
            better,
            notes=(
                f"{'; '.join(moved) or 'the places join farther roads'}: the nearer roads "
                f"reach {points[-1]} only by a detour of x{found.detour_factor:.1f} "
                f"({found.length_km:,.0f} km), a gap in the road data",
            ),
        )
    return plan, replace(
        found,
        notes=(
            f"the route is x{found.detour_factor:.1f} the straight line ({found.length_km:,.0f} "
            f"km for {found.straight_km:,.0f} km): the road data may lack a road between "
            f"{points[0]} and {points[-1]}; treat the figure as a data artefact",
        ),
    )


def plausible_detour(net: RoadNetwork, straight_km: float) -> float:
    """Largest detour factor (road over straight line) taken as real on this network.

    The calibrated limit of the network's data (:mod:`routing.analysis.calibration`: a high
    quantile of full-detail routes of that straight-line length), else a generic one.
    """
    return float(plausible_detours(net, np.array([straight_km]))[0])


def plausible_detours(net: RoadNetwork, straight_km: np.ndarray) -> np.ndarray:
    """:func:`plausible_detour` for many straight-line distances at once (same shape)."""
    km = np.asarray(straight_km, float)
    cal = calibration_for(net.meta)
    if cal is None:
        return np.full(km.shape, _GENERIC_DETOUR)
    classes = cal.detour_limits
    out = np.full(km.shape, classes[-1].detour)
    for c in reversed(classes):  # the first class whose range holds the distance wins
        out[km <= c.max_km] = c.detour
    return out


@dataclass(frozen=True)
class _Plan:
    """Everything a route search needs, resolved and validated once."""

    engine: RoutingEngine
    profile: Profile
    optimize: Optimize
    points: list[Location]
    snaps: list[list[Snap]]
    scenario: Scenario
    weights: Weights


def _plan(
    origin: PointLike,
    destination: PointLike,
    net: RoadNetwork,
    profile: Profile | str,
    optimize: Optimize,
    scenario: Scenario | None,
    max_snap_m: float,
) -> _Plan:
    """Validate and resolve the arguments of a place-to-place route; snap both places."""
    if optimize not in ("distance", "time"):
        raise InvalidArgumentError(f"optimize must be 'distance' or 'time', got {optimize!r}")
    network = net
    prof = get_profile(profile)
    points = [as_location(origin), as_location(destination)]
    a, b = points
    if _geodesic_m(a, b) < _SAME_PLACE_M:
        raise NoRouteError(
            f"{a} and {b} are the same place (under {_SAME_PLACE_M:g} m apart): nothing to route"
        )
    snaps = snap_points(
        network, [p.lon for p in points], [p.lat for p in points], max_snap_m=max_snap_m
    )
    engine = get_engine(network)
    scen = scenario or Scenario()
    return _Plan(
        engine, prof, optimize, points, snaps, scen, _weights(engine, prof, optimize, scen)
    )


def _weights(
    engine: RoutingEngine, profile: Profile, optimize: Optimize, scen: Scenario
) -> Weights:
    spec: str | Profile = "length" if optimize == "distance" else profile
    return engine.weights(spec, closed=scen.closed(engine.net), delays_s=scen.delays(engine.net))


def _chain(plan: _Plan) -> list[PathResult]:
    """The best path between any candidate road of the origin and any of the destination."""
    (sources, targets), (a, b) = plan.snaps, plan.points
    try:
        return [plan.engine.route(sources, targets, plan.weights)]
    except NoRouteError:
        _explain(plan.engine, sources, targets, a, b, plan.scenario)


def _explain(
    engine: RoutingEngine,
    src: list[Snap],
    dst: list[Snap],
    a: Location,
    b: Location,
    scen: Scenario,
) -> NoReturn:
    """Raise NoRouteError saying why no candidate of ``a`` reaches any of ``b``."""
    reason = "the two points lie on parts of the road network that are not connected"
    if scen.closures:
        try:
            engine.route(src, dst, engine.weights("length"))
            reason = "every road connection is cut by: " + "; ".join(
                c.describe() for c in scen.closures
            )
        except NoRouteError:
            pass
    raise NoRouteError(f"no route from {a} to {b}: {reason} ({engine.net.meta.describe()})")


def _make_route(plan: _Plan, legs: list[PathResult]) -> Route:
    engine = plan.engine
    edges = np.concatenate([p.edges for p in legs])
    start = np.concatenate([p.start for p in legs])
    end = np.concatenate([p.end for p in legs])
    frac = np.abs(end - start)
    length = engine.weights("length").edge
    times = _weights(engine, plan.profile, "time", plan.scenario).edge
    return Route(
        origin=plan.points[0],
        destination=plan.points[-1],
        via=tuple(plan.points[1:-1]),
        optimize=plan.optimize,
        profile=plan.profile,
        snaps=(legs[0].source, *[p.target for p in legs]),
        edges=edges,
        start=start,
        end=end,
        road_m=float((frac * length[edges]).sum()),
        road_time_s=float((frac * times[edges]).sum()),
        straight_m=_geodesic_m(plan.points[0], plan.points[-1]),
        net=engine.net,
        scenario=plan.scenario,
    )


def _overlap(path: PathResult, other: Route, net: RoadNetwork) -> float:
    length = net.edges["length"].to_numpy()
    pieces = path.edge_costs(length)
    shared = np.isin(path.edges, other.edges)
    total = pieces.sum()
    return float(pieces[shared].sum() / total) if total else 1.0


def _geodesic_m(a: Location, b: Location) -> float:
    return geodesic_m(a.lon, a.lat, b.lon, b.lat)


def _towns_along(net: RoadNetwork, edges: np.ndarray) -> list[str]:
    """Towns of the network's place layer within a few km of the edges, in travel order."""
    towns = net.places[net.places["kind"].isin(["city", "town"])]
    if towns.empty or not len(edges):
        return []
    line = shapely.line_merge(shapely.union_all(net.geometries[edges]))
    pts = np.asarray(shapely.points(towns["x"].to_numpy(), towns["y"].to_numpy()))
    # Degrees of latitude; close enough at these scales for a descriptive label.
    near = shapely.distance(pts, line) < _TOWN_NEAR_KM * 1000.0 / M_PER_DEG
    if not near.any():
        return []
    order = np.argsort(
        shapely.line_locate_point(line, pts[near])
        if shapely.get_type_id(line) == 1
        else np.arange(int(near.sum()))
    )
    names = towns["name"].to_numpy()[near][order]
    return list(dict.fromkeys(str(n) for n in names))
