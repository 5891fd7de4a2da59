"""Verdicts on claims: measured figures, their bands, and what would make a claim true.

:func:`check_claims` measures every claim of a :class:`~routing.claims.model.ClaimFile` on a
road network and grades it on a small scale (:class:`Verdict`).

Distances
    Both the shortest road distance and the straight-line (geodesic) distance are measured;
    a claim that names its measure is judged on it, an unspecified one on whichever comes
    closer. Each figure has a band: road lengths are widened by the measured z7-vs-z14
    generalization range (:mod:`~routing.claims.uncertainty`) plus the off-road gaps at both
    ends; straight lines by :data:`TOWN_POINT_KM` at each end (a town is an area, not a point).
Grading a measured figure against the stated one (accepted range from the qualifier)
    *accurate*: the measured figure lies in the accepted range. *roughly accurate*: its band
    reaches the accepted range, or it misses by at most the tolerance again. *misleading*:
    it misses by at most :data:`MISLEADING_GAP` of the stated value. *false*: beyond.
Travel times ("less than four hours")
    The fastest route under every profile, from the most favourable origin to the destination
    (or the nearest road point on its outskirts ring), and a Monte Carlo probability of making
    it within the bound. *plausible*: typical driving (every profile but ``fast``) makes it at
    modal speeds; *borderline*: only flat-out driving (``fast``) does; *implausible*: not even
    that. Approximate and lower-bound time claims are graded like distances.
Along a route
    Each town's distance from the route; *accurate* if all lie within the tolerance,
    *roughly accurate* if all within three times it, *misleading* if some do, *false* if none.
Borders
    The place's distance to the nearest international border line (graded like towns along a
    route) and, for "across the border from", whether the border lies between the two places.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

from ..engine import get_engine
from ..exceptions import NoRouteError, OffNetworkError
from ..network import RoadNetwork
from ..profiles import DEFAULT_PROFILE, available_profiles
from ..routes import Location, Optimize, Route, resolve_location, resolve_network, route
from ..snapping import snap_candidates
from .model import (
    AlongRouteClaim,
    BorderClaim,
    Claim,
    ClaimFile,
    DistanceClaim,
    Measure,
    RouteChoice,
    TravelTimeClaim,
)
from .uncertainty import (
    DEFAULT_DRAWS,
    GeneralizationFactor,
    generalization_factor,
    travel_time_samples,
)
from .units import Bound

__all__ = [
    "MISLEADING_GAP",
    "TOWN_POINT_KM",
    "ClaimResult",
    "Figure",
    "Verdict",
    "check_claims",
    "results_table",
]

# A measured figure missing the accepted range by more than this share of the stated value
# is "false" rather than "misleading".
MISLEADING_GAP = 0.5
# How far a town's centre point may sit from where a writer measures from: a town is a few
# kilometres across, and gazetteers place its point 2-3 km apart (e.g. Husaybah/Al-Qa'im).
TOWN_POINT_KM = 2.0
# Profile that models flat-out driving: what decides "borderline" time claims.
_FAST_PROFILE = "fast"
_GEOD = Geod(ellps="WGS84")
_COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west",
            "northwest")


class Verdict(StrEnum):
    """The verdict scale. :attr:`meaning` says what each one asserts."""

    ACCURATE = "accurate"
    ROUGHLY_ACCURATE = "roughly accurate"
    MISLEADING = "misleading"
    FALSE = "false"
    PLAUSIBLE = "plausible"
    BORDERLINE = "borderline"
    IMPLAUSIBLE = "implausible"
    NOT_CHECKABLE = "not checkable"

    @property
    def meaning(self) -> str:
        """What the verdict asserts, for report legends."""
        return _MEANINGS[self]


_MEANINGS = {
    Verdict.ACCURATE: "the measured figure is within the claim's tolerance",
    Verdict.ROUGHLY_ACCURATE: "the measured figure's uncertainty band reaches the tolerance, "
                              "or misses it by at most the tolerance again",
    Verdict.MISLEADING: f"off by more than that, but by at most {MISLEADING_GAP:.0%} of the "
                        "stated figure (or only partly true)",
    Verdict.FALSE: f"off by more than {MISLEADING_GAP:.0%} of the stated figure, or untrue",
    Verdict.PLAUSIBLE: "a time bound met at typical speeds",
    Verdict.BORDERLINE: "a time bound met only by flat-out driving (profile 'fast')",
    Verdict.IMPLAUSIBLE: "a time bound missed even by flat-out driving",
    Verdict.NOT_CHECKABLE: "the data cannot measure the claim (reason given)",
}
# Order of strength, to pick the best of several measures or origins.
_RANK = [Verdict.ACCURATE, Verdict.ROUGHLY_ACCURATE, Verdict.MISLEADING, Verdict.FALSE]


@dataclass(frozen=True)
class Figure:
    """One measured figure with its uncertainty band.

    Attributes
    ----------
    label
        What was measured, e.g. ``"road distance (shortest route)"``.
    value
        The central figure.
    unit
        ``"km"``, ``"h"``, ``"km/h"`` or ``"%"``.
    low, high
        The band (``None`` for exact figures, such as a needed speed).
    band_reason
        Why the band is as wide as it is.
    """

    label: str
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    band_reason: str = ""

    def format(self) -> str:
        """E.g. ``'397 km (392-464 km)'``."""
        text = f"{_num(self.value, self.unit)} {self.unit}"
        if self.low is not None and self.high is not None:
            text += f" ({_num(self.low, self.unit)}-{_num(self.high, self.unit)} {self.unit})"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {"label": self.label, "value": self.value, "unit": self.unit, "low": self.low,
                "high": self.high, "band_reason": self.band_reason}


@dataclass
class ClaimResult:
    """The check of one claim.

    Attributes
    ----------
    claim
        The claim checked.
    verdict
        Its grade on the :class:`Verdict` scale.
    stated
        The claim in a few words, e.g. ``"just 100 km"``.
    figures
        Measured figures, each with its band.
    explanation
        One or two plain sentences.
    to_make_true
        What would make the claim true (needed speed, places really at that distance, ...).
    details
        Further measurements (per profile, per town), JSON-ready.
    assumptions
        Every assumption behind the figures, one line each.
    routes
        The routes measured (for maps); not serialised.
    """

    claim: Claim
    verdict: Verdict
    stated: str
    figures: list[Figure]
    explanation: str
    to_make_true: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list, repr=False)

    @property
    def claim_id(self) -> str:
        return self.claim.id

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form of every number and assumption (for the JSON report)."""
        return {
            "id": self.claim.id,
            "kind": self.claim.kind,
            "quote": self.claim.quote,
            "note": self.claim.note,
            "stated": self.stated,
            "verdict": self.verdict.value,
            "verdict_meaning": self.verdict.meaning,
            "explanation": self.explanation,
            "to_make_true": self.to_make_true,
            "figures": [f.to_dict() for f in self.figures],
            "details": self.details,
            "assumptions": self.assumptions,
            "routes": [r.to_geojson()["properties"] for r in self.routes],
        }


def check_claims(
    claim_file: ClaimFile,
    net: RoadNetwork | str | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    generalization: GeneralizationFactor | None = None,
) -> list[ClaimResult]:
    """Measure and grade every claim of a claim file.

    Parameters
    ----------
    claim_file
        Loaded claims (:func:`~routing.claims.io.load_claims`).
    net
        Network, or region name/path (default ``western-iraq``).
    draws
        Monte Carlo draws per profile for travel-time claims.
    seed
        Random seed: the same seed gives the same probabilities.
    generalization
        Length band of the network's generalization; measured (or read from the cache) when
        the network is generalized and none is given.

    Raises
    ------
    ClaimFileError
        A place the file names is unknown or ambiguous (every one listed with its line).

    Notes
    -----
    A claim the data cannot measure (a place off the road network, no connecting road) gets
    :attr:`Verdict.NOT_CHECKABLE` with the reason, rather than stopping the whole check.
    """
    from ..gazetteer import find_place
    from .io import validate_places

    network = resolve_network(net)
    places = validate_places(claim_file, lambda name: find_place(name, network))
    if generalization is None and network.meta.generalized:
        generalization = generalization_factor(network)
    ctx = _Context(claim_file, network, {k: resolve_location(v) for k, v in places.items()},
                   places, draws, seed, generalization)
    checkers: dict[type, Callable[[Any, _Context], ClaimResult]] = {
        DistanceClaim: _check_distance,
        TravelTimeClaim: _check_travel_time,
        AlongRouteClaim: _check_along_route,
        BorderClaim: _check_border,
    }
    results = []
    for claim in claim_file.claims:
        try:
            result = checkers[type(claim)](claim, ctx)
        except (OffNetworkError, NoRouteError) as exc:
            result = ClaimResult(claim, Verdict.NOT_CHECKABLE, _stated(claim), [],
                                 f"The road data cannot measure this claim: {exc}")
        result.assumptions = [*ctx.base_assumptions(), *result.assumptions]
        results.append(result)
    return results


# ------------------------------------------------------------------ context
@dataclass
class _Context:
    claims: ClaimFile
    net: RoadNetwork
    loc: dict[str, Location]
    places: dict[str, Any]
    draws: int
    seed: int
    gen: GeneralizationFactor | None

    def base_assumptions(self) -> list[str]:
        out = [f"data: {self.net.meta.describe()}; {self.net.meta.attribution}",
               "road distance: along OSM roads between the points where each place joins the "
               "road (off-road gaps excluded, but added to the upper band)",
               "straight line: geodesic on the WGS84 ellipsoid between the gazetteer points"]
        if self.gen is not None:
            out.append(self.gen.describe())
        return out

    def road_band(self, r: Route) -> tuple[float, float]:
        low, high = self.gen.band(r.length_km) if self.gen else (r.length_km, r.length_km)
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        return low, high + gaps

    def road_reason(self, r: Route) -> str:
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        gen = (f"z7 generalization x{min(self.gen.low, 1):.3f}-x{max(self.gen.high, 1):.3f} "
               "(measured on z14)" if self.gen else "full-detail data")
        return f"{gen}; +{gaps:.1f} km off-road at the ends"


# ------------------------------------------------------------------ distance
def _check_distance(claim: DistanceClaim, ctx: _Context) -> ClaimResult:
    a, b = ctx.loc[claim.from_], ctx.loc[claim.to]
    lo, hi = ctx.claims.accepted_range(claim)
    tol = ctx.claims.tolerance(claim)
    stated = claim.quantity.base_value
    shortest = route(a, b, net=ctx.net, optimize="distance")
    road = Figure("road distance (shortest route)", shortest.length_km, "km",
                  *ctx.road_band(shortest), band_reason=ctx.road_reason(shortest))
    straight = _straight_figure(a, b)
    measures = {Measure.ROAD: road, Measure.STRAIGHT_LINE: straight}
    judged = ([measures[claim.measure]] if claim.measure is not Measure.UNSPECIFIED
              else list(measures.values()))
    grades = [(_grade(f, lo, hi, stated, tol), f) for f in judged]
    verdict, best = min(grades, key=lambda g: (_RANK.index(g[0]), abs(g[1].value - stated)))
    range_text = _range(lo, hi, "km")
    sentences = [f"{a} is {road.format()} from {b} by road and {straight.format()} in a "
                 f"straight line; the claim allows {range_text}."]
    if len(judged) > 1:
        sentences.append(f"The {best.label} comes closest.")
    details: dict[str, Any] = {"accepted_km": [lo, hi], "tolerance": tol,
                               "closest_measure": best.label}
    if claim.direction is not None:
        bearing = _GEOD.inv(b.lon, b.lat, a.lon, a.lat)[0] % 360
        off = _angle_off(bearing, claim.direction.value)
        holds = off <= 45.0
        details.update(bearing_deg=bearing, direction_holds=holds)
        sentences.append(f"{a} lies at a bearing of {bearing:.0f}° ({_compass(bearing)}) from "
                         f"{b}, so '{claim.direction.value}' "
                         f"{'holds' if holds else 'does not hold'}.")
        if not holds and _RANK.index(verdict) < _RANK.index(Verdict.MISLEADING):
            verdict = Verdict.MISLEADING
    if claim.alt_quantity is not None:
        alt = claim.alt_quantity.base_value
        details["alt_km"] = alt
        if abs(alt - stated) > tol * stated:
            sentences.append(f"The conversion given ({claim.alt_value:g} {claim.alt_unit}) is "
                             f"{alt:.0f} km, which does not match {stated:g} km.")
    near = _places_at(ctx, b, lo, hi, stated, exclude={a.name, b.name})
    to_make_true = [] if verdict is Verdict.ACCURATE else near
    return ClaimResult(claim, verdict, _stated(claim), [road, straight], " ".join(sentences),
                       to_make_true, details, shortest.assumptions[1:2], [shortest])


def _straight_figure(a: Location, b: Location) -> Figure:
    km = float(_GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2]) / 1000.0
    return Figure("straight-line distance", km, "km", max(km - 2 * TOWN_POINT_KM, 0.0),
                  km + 2 * TOWN_POINT_KM,
                  band_reason=f"±{TOWN_POINT_KM:g} km per end: a town's extent around its point")


def _grade(f: Figure, lo: float, hi: float, stated: float, tol: float) -> Verdict:
    if lo <= f.value <= hi:
        return Verdict.ACCURATE
    gap = max(lo - f.value, f.value - hi)
    band_meets = f.low is not None and f.high is not None and f.low <= hi and f.high >= lo
    if band_meets or gap <= tol * stated:
        return Verdict.ROUGHLY_ACCURATE
    return Verdict.MISLEADING if gap <= MISLEADING_GAP * stated else Verdict.FALSE


def _places_at(ctx: _Context, centre: Location, lo: float, hi: float, stated: float,
               exclude: set[str]) -> list[str]:
    """Named places whose road or straight distance from ``centre`` fits, closest first."""
    net = ctx.net
    engine = get_engine(net)
    seeds = snap_candidates(net, centre.lon, centre.lat)
    tree = engine.one_to_all(seeds[:1], engine.weights("length"))
    nodes = net.nodes[["x", "y"]].to_numpy()
    out: list[str] = []
    road_hits, line_hits = [], []
    for label, en, px, py in net.places[["name", "name_en", "x", "y"]].itertuples(index=False):
        name, x, y = str(en or label), float(px), float(py)
        if name in exclude:
            continue
        straight = float(_GEOD.inv(centre.lon, centre.lat, x, y)[2]) / 1000.0
        if lo <= straight <= hi:
            line_hits.append((straight, name))
        # Road distance to the nearest node (within 5 km) is close enough to rank places.
        d2 = ((nodes[:, 0] - x) * math.cos(math.radians(y))) ** 2 + (nodes[:, 1] - y) ** 2
        k = int(np.argmin(d2))
        if math.sqrt(d2[k]) * 111.2 <= 5.0 and lo <= tree.cost[k] / 1000.0 <= hi:
            road_hits.append((tree.cost[k] / 1000.0, name))
    for hits, how in ((road_hits, "by road"), (line_hits, "in a straight line")):
        if hits:
            best = sorted(hits, key=lambda h: abs(h[0] - stated))[:5]
            out.append(f"Places {stated:g} km or so from {centre} {how}: "
                       + ", ".join(f"{n} ({km:.0f} km)" for km, n in best) + ".")
    return out


def _angle_off(bearing: float, direction: str) -> float:
    target = _COMPASS.index(direction) * 45.0
    return abs((bearing - target + 180.0) % 360.0 - 180.0)


def _compass(bearing: float) -> str:
    return _COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


# ------------------------------------------------------------------ travel time
def _check_travel_time(claim: TravelTimeClaim, ctx: _Context) -> ClaimResult:
    lo, hi = ctx.claims.accepted_range(claim)
    stated_h = claim.quantity.base_value
    dest = ctx.loc[claim.to]
    radius = ctx.claims.outskirts_radius_km(claim)
    profiles = claim.profiles or available_profiles()
    per_profile: dict[str, dict[str, Any]] = {}
    figures: list[Figure] = []
    routes: list[Route] = []
    for name in profiles:
        candidates = [_route_to(ctx, ctx.loc[o], dest, radius, name) for o in claim.from_]
        best = min(candidates, key=lambda r: r.time_s)
        dist = travel_time_samples(best, ctx.draws, seed=ctx.seed)
        q05, q50, q95 = dist.quantiles()
        grow = max(ctx.gen.high, 1.0) if ctx.gen else 1.0
        per_profile[name] = {
            "origin": best.origin.name, "road_km": best.length_km, "time_h": best.time_h,
            "p05_h": q05, "median_h": q50, "p95_h": q95,
            "probability_within": dist.probability_within(stated_h),
            "km_by_class": dist.km_by_class, "monte_carlo": list(dist.assumptions),
        }
        figures.append(Figure(f"fastest time, profile {name!r} (from {best.origin})",
                              best.time_h, "h", q05, q95 * grow,
                              band_reason=f"5-95 % of {ctx.draws:,} speed draws"
                              + (f"; high end x{grow:.3f} for z7 generalization"
                                 if grow > 1 else "")))
        routes.append(best)
    base = per_profile.get(DEFAULT_PROFILE) or next(iter(per_profile.values()))
    road_km = base["road_km"]
    needed = road_km / stated_h
    figures.insert(0, Figure(f"road distance (fastest route, {DEFAULT_PROFILE})", road_km,
                             "km", *ctx.road_band(routes[list(per_profile).index(
                                 DEFAULT_PROFILE if DEFAULT_PROFILE in per_profile
                                 else next(iter(per_profile)))]),
                             band_reason="z7 generalization and off-road gaps"))
    figures.append(Figure(f"average speed needed over {road_km:.0f} km", needed, "km/h"))
    probs = "; ".join(f"{n} {v['probability_within']:.0%}" for n, v in per_profile.items())
    where = f"within {radius:g} km of {dest}'s centre" if radius else f"{dest}"
    if claim.qualifier.bound is Bound.UPPER:
        typical = [n for n in per_profile if n != _FAST_PROFILE]
        if any(per_profile[n]["time_h"] <= hi for n in typical):
            verdict = Verdict.PLAUSIBLE
        elif _FAST_PROFILE in per_profile and per_profile[_FAST_PROFILE]["time_h"] <= hi:
            verdict = Verdict.BORDERLINE
        else:
            verdict = Verdict.IMPLAUSIBLE
    else:
        base_fig = figures[1 + list(per_profile).index(
            DEFAULT_PROFILE if DEFAULT_PROFILE in per_profile else next(iter(per_profile)))]
        verdict = _grade(base_fig, lo, hi, stated_h, ctx.claims.tolerance(claim))
    fastest = min(per_profile.items(), key=lambda kv: kv[1]["time_h"])
    explanation = (f"The fastest road trip to {where} is {road_km:.0f} km; it takes "
                   f"{_hm(base['time_h'])} at typical car speeds and {_hm(fastest[1]['time_h'])}"
                   f" at best (profile {fastest[0]!r}). Chance of making it within "
                   f"{_hm(stated_h)}: {probs}.")
    to_make_true = [f"An average of {needed:.0f} km/h over {road_km:.0f} km of road, without "
                    "stopping, would be needed to make it in " + _hm(stated_h) + "."]
    details = {"accepted_h": [lo, hi], "destination_radius_km": radius,
               "needed_speed_kmh": needed, "profiles": per_profile}
    assumptions = [
        f"destination: the first road point {where}" if radius else "destination: the centre",
        "origins: " + ", ".join(claim.from_) + " (the fastest of them per profile)",
        *[f"time: {r.profile.describe()}" for r in routes],
        *next(iter(per_profile.values()))["monte_carlo"][1:2],
        f"Monte Carlo: {ctx.draws:,} draws per profile, seed {ctx.seed}; speeds triangular "
        "(low, mode, high) per road class",
    ]
    return ClaimResult(claim, verdict, _stated(claim), figures, explanation, to_make_true,
                       details, assumptions, routes)


def _route_to(ctx: _Context, origin: Location, dest: Location, radius_km: float,
              profile: str) -> Route:
    """Fastest route from ``origin`` to ``dest`` or, given a radius, to its ring."""
    if not radius_km:
        return route(origin, dest, net=ctx.net, profile=profile, optimize="time")
    engine = get_engine(ctx.net)
    w = engine.weights(profile)
    tree = engine.one_to_all(snap_candidates(ctx.net, origin.lon, origin.lat), w)
    x, y = ctx.net.nodes["x"].to_numpy(), ctx.net.nodes["y"].to_numpy()
    inside = _GEOD.inv(np.full(len(x), dest.lon), np.full(len(x), dest.lat), x, y)[2] \
        <= radius_km * 1000.0
    cost = np.where(inside, tree.cost, np.inf)
    k = int(np.argmin(cost))
    if not np.isfinite(cost[k]):
        raise NoRouteError(f"no road from {origin} reaches within {radius_km:g} km of {dest}")
    end = Location(f"{dest} outskirts ({radius_km:g} km)", float(x[k]), float(y[k]),
                   "first road point inside the outskirts ring")
    return route(origin, end, net=ctx.net, profile=profile, optimize="time")


# ------------------------------------------------------------------ along route
def _check_along_route(claim: AlongRouteClaim, ctx: _Context) -> ClaimResult:
    tol = ctx.claims.tolerance_km(claim)
    dest = ctx.loc[claim.to]
    optimize: Optimize = "time" if claim.route is RouteChoice.FASTEST else "distance"
    best: tuple[list[float], Route] | None = None
    for start in claim.from_:
        r = route(ctx.loc[start], dest, net=ctx.net, optimize=optimize)
        off = [_distance_km(ctx.loc[p], r.geometry) for p in claim.places]
        if best is None or sum(d <= tol for d in off) > sum(d <= tol for d in best[0]):
            best = (off, r)
    assert best is not None  # from_ has at least one place (model validation)
    off, main = best
    other = route(main.origin, dest, net=ctx.net,
                  optimize="distance" if optimize == "time" else "time")
    other_off = [_distance_km(ctx.loc[p], other.geometry) for p in claim.places]
    n_in = sum(d <= tol for d in off)
    if n_in == len(off):
        verdict = Verdict.ACCURATE
    elif all(d <= 3 * tol for d in off):
        verdict = Verdict.ROUGHLY_ACCURATE
    else:
        verdict = Verdict.MISLEADING if n_in else Verdict.FALSE
    roads = main.roads().groupby("road", sort=False)["km"].sum().round(0)
    towns = [{"place": p, "km_from_route": d, "km_from_other_route": o, "along": d <= tol}
             for p, d, o in zip(claim.places, off, other_off, strict=True)]
    figures = [Figure(f"{p}: distance from the {claim.route.value} route", d, "km",
                      max(d - TOWN_POINT_KM, 0.0), d + TOWN_POINT_KM,
                      band_reason=f"±{TOWN_POINT_KM:g} km: a town's extent around its point")
               for p, d in zip(claim.places, off, strict=True)]
    listing = ", ".join(f"{t['place']} {t['km_from_route']:.1f} km" for t in towns)
    explanation = (f"{n_in} of {len(off)} towns lie within {tol:g} km of the {claim.route.value} "
                   f"route {main.origin} -> {dest} ({main.length_km:.0f} km): {listing}.")
    outside = [p for p, d in zip(claim.places, off, strict=True) if d > tol]
    to_make_true = []
    if outside:
        to_make_true.append(f"With a tolerance of {math.ceil(max(off)):.0f} km instead of "
                            f"{tol:g} km every town would count as along the route; "
                            f"{', '.join(outside)} lie(s) off it.")
        via = sorted(outside, key=lambda p: _GEOD.inv(
            main.origin.lon, main.origin.lat, ctx.loc[p].lon, ctx.loc[p].lat)[2])
        try:
            detour = route(main.origin, dest, net=ctx.net, optimize=optimize,
                           via=[ctx.loc[p] for p in via])
        except (OffNetworkError, NoRouteError):
            detour = None
        # A via point joins its nearest road; only a longer route means another road.
        if detour is not None and detour.length_km > main.length_km + 1.0:
            to_make_true.append(f"A route through {', '.join(via)}: {detour.length_km:.0f} km, "
                                f"{_hm(detour.time_h)} by car (fastest: {main.length_km:.0f} "
                                f"km, {_hm(main.time_h)}).")
    details = {"tolerance_km": tol, "towns": towns,
               "roads_km": {str(k): float(v) for k, v in roads.items()},
               "route_km": main.length_km, "other_route_km": other.length_km}
    assumptions = [*main.assumptions[1:2],
                   f"a town is along the route when within {tol:g} km of it (its point to the "
                   "nearest point of the route line)",
                   "road refs: the z7 data carries refs mostly on motorways; other roads show "
                   "as 'unnamed <class>'"]
    return ClaimResult(claim, verdict, _stated(claim), figures, explanation, to_make_true,
                       details, assumptions, [main, other])


def _distance_km(p: Location, line: shapely.Geometry) -> float:
    """Ground distance (km) from a point to a lon/lat geometry, in a projection centred on it."""
    aeqd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={p.lat} +lon_0={p.lon} "
                                "+datum=WGS84 +units=m", always_xy=True)
    local = shapely.transform(line, lambda xy: np.column_stack(aeqd.transform(xy[:, 0],
                                                                              xy[:, 1])))
    return float(shapely.distance(shapely.Point(0, 0), local)) / 1000.0


# ------------------------------------------------------------------ border
def _check_border(claim: BorderClaim, ctx: _Context) -> ClaimResult:
    if ctx.net.borders is None or len(ctx.net.borders[1]) < 2:
        return ClaimResult(claim, Verdict.NOT_CHECKABLE, _stated(claim), [],
                           "The road data holds no international border lines.")
    tol = ctx.claims.tolerance_km(claim)
    coords, offsets = ctx.net.borders
    border = shapely.multilinestrings(
        [shapely.LineString(coords[a:b]) for a, b in itertools.pairwise(offsets) if b - a >= 2])
    place = ctx.loc[claim.place]
    d = _distance_km(place, border)
    figures = [Figure(f"{place}: distance to the international border", d, "km",
                      max(d - TOWN_POINT_KM, 0.0), d + TOWN_POINT_KM,
                      band_reason=f"±{TOWN_POINT_KM:g} km town extent; border line generalized "
                                  f"to the ~{ctx.net.meta.resolution_m or 0:.0f} m grid")]
    verdict = _near(d, tol)
    sentences = [f"{place} lies {d:.1f} km from the international border line "
                 f"(tolerance {tol:g} km)."]
    details: dict[str, Any] = {"border_km": d, "tolerance_km": tol}
    country = getattr(ctx.places[claim.place], "country_name", None)
    if country and country.lower() == claim.border_with.lower():
        sentences.append(f"Note: {place} is itself in {country}, the country named as the "
                         "other side.")
    if claim.across_from is not None:
        other = ctx.loc[claim.across_from]
        apart = float(_GEOD.inv(place.lon, place.lat, other.lon, other.lat)[2]) / 1000.0
        crosses = bool(shapely.intersects(shapely.LineString(
            [(place.lon, place.lat), (other.lon, other.lat)]), border))
        d_other = _distance_km(other, border)
        figures.append(Figure(f"distance {place} - {other}", apart, "km",
                              max(apart - 2 * TOWN_POINT_KM, 0.0), apart + 2 * TOWN_POINT_KM,
                              band_reason=f"±{TOWN_POINT_KM:g} km per town"))
        details.update(across_km=apart, border_between=crosses, other_border_km=d_other)
        verdict = max(verdict, _near(d_other, tol), key=_RANK.index)
        if not crosses:
            verdict = Verdict.FALSE
        sentences.append(f"{other} is {apart:.1f} km away and {d_other:.1f} km from the border, "
                         f"which {'runs' if crosses else 'does not run'} between them.")
    return ClaimResult(claim, verdict, _stated(claim), figures, " ".join(sentences), [],
                       details, ["border: international boundary lines of the tile data "
                                 "(which countries a line separates is not recorded: the "
                                 "nearest line is used)"])


def _near(d: float, tol: float) -> Verdict:
    if d <= tol:
        return Verdict.ACCURATE
    if d <= 3 * tol:
        return Verdict.ROUGHLY_ACCURATE
    return Verdict.MISLEADING if d <= 5 * tol else Verdict.FALSE


# ------------------------------------------------------------------ text helpers
def _stated(claim: Claim) -> str:
    if isinstance(claim, DistanceClaim | TravelTimeClaim):
        q = claim.quantity
        qual = "" if q.qualifier.value == "none" else f"{q.qualifier.value} "
        return f"{qual}{q.value:g} {q.unit.value}"
    if isinstance(claim, AlongRouteClaim):
        return f"{', '.join(claim.places)} along {' / '.join(claim.from_)} -> {claim.to}"
    across = f", across from {claim.across_from}" if claim.across_from else ""
    return f"{claim.place} on the border with {claim.border_with}{across}"


def _range(lo: float, hi: float, unit: str) -> str:
    if math.isinf(hi):
        return f"at least {lo:.0f} {unit}"
    return f"up to {hi:.0f} {unit}" if lo == 0 else f"{lo:.0f}-{hi:.0f} {unit}"


def _num(x: float, unit: str) -> str:
    return f"{x:.2f}" if unit == "h" else f"{x:,.1f}" if x < 20 else f"{x:,.0f}"


def _hm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def results_table(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per claim: id, stated, verdict, headline figures (for notebooks and tables)."""
    return pd.DataFrame([{"id": r.claim_id, "stated": r.stated, "verdict": r.verdict.value,
                          "figures": "; ".join(f.format() for f in r.figures[:3])}
                         for r in results])
