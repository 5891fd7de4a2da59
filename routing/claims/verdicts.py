"""Verdicts on claims: measured figures, their bands, and what would make a claim true.

:func:`check_claims` measures every claim of a :class:`~routing.claims.model.ClaimFile` on a
road network and grades it on a small scale (:class:`Verdict`).

Distances
    Both the shortest road distance and the straight-line (geodesic) distance are measured;
    a claim that names its measure is judged on it, an unspecified one on whichever comes
    closer. Each figure has a band: road lengths are widened by the measured z7-vs-z14
    generalization range (:mod:`~routing.claims.uncertainty`) plus the off-road gaps at both
    ends; straight lines by :data:`TOWN_POINT_KM` at each end (a town is an area, not a point).
Grading a measured figure against the stated one
    The verdict rests on the central figure; the band only says how sure it is. *accurate*:
    the central figure lies in the claim's accepted range (stated value ± tolerance, or the
    bound plus its slack). Otherwise the stated and measured figures are compared as a
    factor, the larger over the smaller (stated 500 km against 405 km measured: x1.23, "23 %
    more"). *roughly accurate*: a factor of at most 1 + tolerance + :data:`ROUGH_MARGIN`
    (x1.20 for "about"); *misleading*: at most :data:`FALSE_FACTOR`; *false*: beyond. The
    explanation names the measure that comes closest and by how much, and whether the band
    of that figure reaches another verdict (then the verdict is uncertain).
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
    The place's distance to the border lines with the named country (``net.border_lines``;
    every international line where the data do not record the countries), graded like towns
    along a route, and, for "across the border from", whether that border lies between the
    two places.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

from ..analysis.routes import (
    Location,
    Optimize,
    Route,
    format_hours,
    resolve_location,
    resolve_network,
    route,
)
from ..engine import get_engine
from ..engine.profiles import DEFAULT_PROFILE, available_profiles
from ..engine.snapping import snap_candidates
from ..exceptions import ClaimFileError, NoRouteError, OffNetworkError, PlaceQueryError
from ..network import RoadNetwork, iso3
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
from .units import Bound, Qualifier

__all__ = [
    "FALSE_FACTOR",
    "ROUGH_MARGIN",
    "TOWN_POINT_KM",
    "ClaimResult",
    "Figure",
    "Verdict",
    "check_claims",
    "grade_measurement",
    "results_table",
]

# Stated and measured figures further apart than this factor (either way) make a claim
# "false": 500 km stated for 336 km measured (x1.49) is misleading, for 300 km (x1.67) false.
FALSE_FACTOR = 1.5
# A figure outside its tolerance by at most this much more is "roughly accurate": "about
# 500 km" (±15 %) for 420 km measured (x1.19). Published figures are rounded; beyond this
# margin the figure is off by more than rounding explains.
ROUGH_MARGIN = 0.05
# How far a town's centre point may sit from where a writer measures from: a town is a few
# kilometres across, and gazetteers place its point 2-3 km apart (e.g. Husaybah/Al-Qa'im).
TOWN_POINT_KM = 2.0
# Profile that models flat-out driving: what decides "borderline" time claims.
_FAST_PROFILE = "fast"
_GEOD = Geod(ellps="WGS84")
_MEASURE_NAMES = {Measure.ROAD: "road distance", Measure.STRAIGHT_LINE: "straight line"}
_MEASURE_HOW = {Measure.ROAD: "by road", Measure.STRAIGHT_LINE: "in a straight line"}
_COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")


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
    Verdict.ACCURATE: "the central measured figure is within the claim's tolerance (e.g. "
    "±15 % for 'about')",
    Verdict.ROUGHLY_ACCURATE: "stated and measured figures differ by at most the tolerance "
    f"plus {ROUGH_MARGIN:.0%} (x1.20 for 'about'); for places along "
    "a route or on a border: within three times the distance "
    "tolerance",
    Verdict.MISLEADING: f"stated and measured figures differ by at most x{FALSE_FACTOR:g} "
    "(50 % more, or a third less), or the claim is only partly true",
    Verdict.FALSE: f"stated and measured figures differ by more than x{FALSE_FACTOR:g}, "
    "or the claim is untrue",
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

    def value_text(self) -> str:
        """The central figure with its unit, e.g. ``'397 km'`` or ``'4 h 40 min'``."""
        return _with_unit(self.value, self.unit)

    def band_text(self) -> str | None:
        """The band, e.g. ``'392-464 km'``; ``None`` for exact figures."""
        if self.low is None or self.high is None:
            return None
        if self.unit == "h":
            return f"{_with_unit(self.low, 'h')} - {_with_unit(self.high, 'h')}"
        return f"{_num(self.low, self.unit)}-{_with_unit(self.high, self.unit)}"

    def format(self) -> str:
        """E.g. ``'397 km (392-464 km)'``, ``'4 h 40 min (4 h 15 min - 6 h 23 min)'``."""
        band = self.band_text()
        return self.value_text() + (f" ({band})" if band else "")

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "band_reason": self.band_reason,
        }


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
        A place the file names is unknown or ambiguous, or a ``border_with`` country is
        unknown (every one listed with its line).

    Notes
    -----
    A claim the data cannot measure (a place off the road network, no connecting road) gets
    :attr:`Verdict.NOT_CHECKABLE` with the reason, rather than stopping the whole check.
    """
    from ..gazetteer import find_place
    from .io import validate_places

    network = resolve_network(net)
    places = validate_places(claim_file, lambda name: find_place(name, network))
    _validate_countries(claim_file)
    if generalization is None and network.meta.generalized:
        generalization = generalization_factor(network)
    ctx = _Context(
        claim_file,
        network,
        {k: resolve_location(v) for k, v in places.items()},
        places,
        draws,
        seed,
        generalization,
    )
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
            result = ClaimResult(
                claim,
                Verdict.NOT_CHECKABLE,
                _stated(claim),
                [],
                f"The road data cannot measure this claim: {exc}",
            )
        result.assumptions = [*ctx.base_assumptions(), *result.assumptions]
        results.append(result)
    return results


def _validate_countries(claim_file: ClaimFile) -> None:
    """Fail on any unknown ``border_with`` country, naming each claim and line."""
    problems = []
    for claim in claim_file.claims:
        if isinstance(claim, BorderClaim):
            try:
                iso3(claim.border_with)
            except PlaceQueryError as exc:
                origin = claim.origin
                where = f"{origin.path}:{origin.line_of('border_with')}: " if origin else ""
                problems.append(f"{where}claim {claim.id!r}: border_with: {exc}")
    if problems:
        raise ClaimFileError("\n".join(problems))


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
        out = [
            f"data: {self.net.meta.describe()}; {self.net.meta.attribution}",
            "road distance: along OSM roads between the points where each place joins the "
            "road (off-road gaps excluded, but added to the upper band)",
            "straight line: geodesic on the WGS84 ellipsoid between the gazetteer points",
        ]
        if self.gen is not None:
            out.append(self.gen.describe())
        return out

    def road_band(self, r: Route) -> tuple[float, float]:
        low, high = self.gen.band(r.length_km) if self.gen else (r.length_km, r.length_km)
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        return low, high + gaps

    def road_reason(self, r: Route) -> str:
        gaps = sum(s.distance_m for s in (r.snaps[0], r.snaps[-1])) / 1000.0
        gen = (
            f"z7 lines cut bends: the same roads measure x{min(self.gen.low, 1):.3f}-"
            f"x{max(self.gen.high, 1):.3f} on full-detail z14 data"
            if self.gen
            else "full-detail data"
        )
        return gen + (f"; +{gaps:.1f} km off-road at the ends" if gaps >= 0.05 else "")


# ------------------------------------------------------------------ distance
def _check_distance(claim: DistanceClaim, ctx: _Context) -> ClaimResult:
    a, b = ctx.loc[claim.from_], ctx.loc[claim.to]
    lo, hi = ctx.claims.accepted_range(claim)
    tol = ctx.claims.tolerance(claim)
    stated = claim.quantity.base_value
    shortest = route(a, b, net=ctx.net, optimize="distance")
    road = Figure(
        "road distance (shortest route)",
        shortest.length_km,
        "km",
        *ctx.road_band(shortest),
        band_reason=ctx.road_reason(shortest),
    )
    straight = _straight_figure(a, b)
    measures = {Measure.ROAD: road, Measure.STRAIGHT_LINE: straight}
    judged = [claim.measure] if claim.measure is not Measure.UNSPECIFIED else list(measures)

    def grade(value: float) -> Verdict:
        return grade_measurement(value, stated, lo, hi, tol)

    # Best verdict first; between equals, the figure nearest the stated one (as a factor).
    verdict, closest = min(
        ((grade(measures[m].value), m) for m in judged),
        key=lambda g: (_RANK.index(g[0]), _factor(stated, measures[g[1]].value)),
    )
    best = measures[closest]
    sentences = [
        f"{a} is {road.format()} from {b} by road and {straight.format()} in a "
        f"straight line; '{_stated(claim)}' allows {_range(lo, hi, 'km')}."
    ]
    comparisons = [
        f"{_compare(stated, measures[m].value)} the {_MEASURE_NAMES[m]} "
        f"({_num(measures[m].value, 'km')} km)"
        for m in sorted(judged, key=lambda m: m != closest)
    ]
    lead = f"The {best.label} comes closest: the" if len(judged) > 1 else "The"
    sentences.append(f"{lead} stated {stated:g} km is " + "; it is ".join(comparisons) + ".")
    sentences.append(_band_sentence(best, grade, verdict))
    details: dict[str, Any] = {
        "accepted_km": [lo, hi],
        "tolerance": tol,
        "closest_measure": best.label,
        "verdict_by_measure": {m.value: grade(measures[m].value).value for m in judged},
        "stated_over_measured": {m.value: stated / measures[m].value for m in judged},
        "band_verdicts": _band_verdicts(best, grade),
    }
    if claim.direction is not None:
        bearing = _GEOD.inv(b.lon, b.lat, a.lon, a.lat)[0] % 360
        off = _angle_off(bearing, claim.direction.value)
        holds = off <= 45.0
        details.update(bearing_deg=bearing, direction_holds=holds)
        sentences.append(
            f"{a} lies at a bearing of {bearing:.0f}° ({_compass(bearing)}) from "
            f"{b}, so '{claim.direction.value}' "
            f"{'holds' if holds else 'does not hold'}."
        )
        if not holds and _RANK.index(verdict) < _RANK.index(Verdict.MISLEADING):
            verdict = Verdict.MISLEADING
    if claim.alt_quantity is not None:
        alt = claim.alt_quantity.base_value
        details["alt_km"] = alt
        if abs(alt - stated) > tol * stated:
            sentences.append(
                f"The conversion given ({claim.alt_value:g} {claim.alt_unit}) is "
                f"{alt:.0f} km, which does not match {stated:g} km."
            )
    to_make_true = []
    if verdict is not Verdict.ACCURATE:
        fits = " or ".join(f"{measures[m].value:.0f} km {_MEASURE_HOW[m]}" for m in judged)
        to_make_true = [
            f"The claim would be accurate if it stated {fits} "
            f"({_tolerance_text(claim.quantity.qualifier, tol)}).",
            *_places_at(ctx, b, lo, hi, stated, exclude={a.name, b.name}),
        ]
    return ClaimResult(
        claim,
        verdict,
        _stated(claim),
        [road, straight],
        " ".join(sentences),
        to_make_true,
        details,
        shortest.assumptions[1:2],
        [shortest],
    )


def _straight_figure(a: Location, b: Location) -> Figure:
    km = float(_GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2]) / 1000.0
    return Figure(
        "straight-line distance",
        km,
        "km",
        max(km - 2 * TOWN_POINT_KM, 0.0),
        km + 2 * TOWN_POINT_KM,
        band_reason=f"±{TOWN_POINT_KM:g} km per end: a town's extent around its point",
    )


def _factor(stated: float, measured: float) -> float:
    """How far apart two figures are, either way: the larger over the smaller (>= 1)."""
    if measured <= 0:
        return math.inf
    return max(stated / measured, measured / stated)


def grade_measurement(measured: float, stated: float, lo: float, hi: float, tol: float) -> Verdict:
    """Verdict of a measured figure against a stated one (rules in the module docstring).

    Parameters
    ----------
    measured
        The central measured figure.
    stated
        The stated figure, in the same unit.
    lo, hi
        The claim's accepted range (:meth:`~routing.claims.model.ClaimFile.accepted_range`).
    tol
        The claim's relative tolerance.
    """
    if lo <= measured <= hi:
        return Verdict.ACCURATE
    factor = _factor(stated, measured)
    if factor <= 1 + tol + ROUGH_MARGIN:
        return Verdict.ROUGHLY_ACCURATE
    return Verdict.MISLEADING if factor <= FALSE_FACTOR else Verdict.FALSE


def _compare(stated: float, measured: float) -> str:
    """``'23 % more than'``, ``'75 % less than'`` or ``'the same as'`` (stated vs measured)."""
    share = stated / measured - 1 if measured > 0 else math.inf
    if round(share * 100) == 0:
        return "the same as"
    return f"{abs(share):.0%} {'more' if share > 0 else 'less'} than"


def _band_verdicts(f: Figure, grade: Callable[[float], Verdict]) -> dict[str, str]:
    """Verdicts at the band's low end, the central figure and the high end."""
    ends = {"low": f.low, "central": f.value, "high": f.high}
    return {k: grade(v).value for k, v in ends.items() if v is not None}


def _band_sentence(f: Figure, grade: Callable[[float], Verdict], verdict: Verdict) -> str:
    """How sure the verdict is: whether the figure's band reaches another verdict."""
    if f.low is None or f.high is None:
        return ""
    other = {end: grade(v) for end, v in (("low", f.low), ("high", f.high))}
    band = f.band_text()
    differ = [f"'{v.value}' at its {end} end" for end, v in other.items() if v is not verdict]
    if not differ:
        return f"Its whole uncertainty band ({band}) gives the same verdict."
    return (
        f"The verdict rests on the central figure; its uncertainty band ({band}: "
        f"{f.band_reason}) would give {' and '.join(differ)}, so it is less certain."
    )


def _tolerance_text(qualifier: Qualifier, tol: float) -> str:
    if qualifier.bound is Bound.UPPER:
        return f"'{qualifier.value}' allows {tol:.0%} over the stated figure"
    if qualifier.bound is Bound.LOWER:
        return f"'{qualifier.value}' allows {tol:.0%} under the stated figure"
    return (
        f"'{qualifier.value}' allows ±{tol:.0%}"
        if qualifier is not Qualifier.NONE
        else f"a bare figure allows ±{tol:.0%}"
    )


def _places_at(
    ctx: _Context, centre: Location, lo: float, hi: float, stated: float, exclude: set[str]
) -> list[str]:
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
            out.append(
                f"Places {stated:g} km or so from {centre} {how}: "
                + ", ".join(f"{n} ({km:.0f} km)" for km, n in best)
                + "."
            )
    return out


def _angle_off(bearing: float, direction: str) -> float:
    target = _COMPASS.index(direction) * 45.0
    return abs((bearing - target + 180.0) % 360.0 - 180.0)


def _compass(bearing: float) -> str:
    return _COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


# ------------------------------------------------------------------ travel time
def _check_travel_time(claim: TravelTimeClaim, ctx: _Context) -> ClaimResult:
    lo, hi = ctx.claims.accepted_range(claim)
    tol = ctx.claims.tolerance(claim)
    stated_h = claim.quantity.base_value
    dest = ctx.loc[claim.to]
    radius = ctx.claims.outskirts_radius_km(claim)
    profiles = claim.profiles or available_profiles()
    base = DEFAULT_PROFILE if DEFAULT_PROFILE in profiles else profiles[0]
    grow = max(ctx.gen.high, 1.0) if ctx.gen else 1.0
    per_profile: dict[str, dict[str, Any]] = {}
    times: dict[str, Figure] = {}
    routes: dict[str, Route] = {}
    for name in profiles:
        candidates = [_route_to(ctx, ctx.loc[o], dest, radius, name) for o in claim.from_]
        best = routes[name] = min(candidates, key=lambda r: r.time_s)
        dist = travel_time_samples(best, ctx.draws, seed=ctx.seed)
        q05, q50, q95 = dist.quantiles()
        per_profile[name] = {
            "origin": best.origin.name,
            "road_km": best.length_km,
            "time_h": best.time_h,
            "p05_h": q05,
            "median_h": q50,
            "p95_h": q95,
            "probability_within": dist.probability_within(stated_h),
            "km_by_class": dist.km_by_class,
            "monte_carlo": list(dist.assumptions),
        }
        # The high end also allows for roads the z7 data cut short.
        times[name] = Figure(
            f"fastest time, profile {name!r} (from {best.origin})",
            best.time_h,
            "h",
            q05,
            q95 * grow,
            band_reason=f"5-95 % of {ctx.draws:,} speed draws"
            + (f"; high end x{grow:.3f} for z7 generalization" if grow > 1 else ""),
        )
    road_km = routes[base].length_km
    needed = road_km / stated_h
    figures = [
        Figure(
            f"road distance (fastest route, {base}, from {routes[base].origin})",
            road_km,
            "km",
            *ctx.road_band(routes[base]),
            band_reason=ctx.road_reason(routes[base]),
        ),
        *times.values(),
        Figure(f"average speed needed over {road_km:.0f} km", needed, "km/h"),
    ]
    where = f"within {radius:g} km of {dest}'s centre" if radius else f"{dest}"
    fastest = min(per_profile, key=lambda n: per_profile[n]["time_h"])
    probs = "; ".join(f"{n} {v['probability_within']:.0%}" for n, v in per_profile.items())
    sentences = [
        f"The fastest road trip from {routes[base].origin} to {where} is "
        f"{road_km:.0f} km; it takes {format_hours(routes[base].time_h)} at the "
        f"modal speeds of profile {base!r} and {format_hours(routes[fastest].time_h)}"
        f" at best (profile {fastest!r}). Chance of making it within "
        f"{format_hours(stated_h)} over the speed draws: {probs}."
    ]
    if claim.qualifier.bound is Bound.UPPER:
        typical = [n for n in per_profile if n != _FAST_PROFILE]
        if any(per_profile[n]["time_h"] <= hi for n in typical):
            verdict = Verdict.PLAUSIBLE
        elif _FAST_PROFILE in per_profile and per_profile[_FAST_PROFILE]["time_h"] <= hi:
            verdict = Verdict.BORDERLINE
        else:
            verdict = Verdict.IMPLAUSIBLE
    else:

        def grade(value: float) -> Verdict:
            return grade_measurement(value, stated_h, lo, hi, tol)

        verdict = grade(times[base].value)
        sentences += [
            f"The stated {format_hours(stated_h)} is "
            f"{_compare(stated_h, times[base].value)} the time of profile {base!r}.",
            _band_sentence(times[base], grade, verdict),
        ]
    to_make_true = [
        f"An average of {needed:.0f} km/h over {road_km:.0f} km of road, without "
        f"stopping, would be needed to make it in {format_hours(stated_h)}."
    ]
    details = {
        "accepted_h": [lo, hi],
        "destination_radius_km": radius,
        "needed_speed_kmh": needed,
        "profiles": per_profile,
    }
    assumptions = [
        f"destination: the first road point {where}" if radius else "destination: the centre",
        "origins: " + ", ".join(claim.from_) + " (the fastest of them per profile)",
        *[f"time: {r.profile.describe()}" for r in routes.values()],
        *per_profile[base]["monte_carlo"][1:2],
        f"Monte Carlo: {ctx.draws:,} draws per profile, seed {ctx.seed}; speeds triangular "
        "(low, mode, high) per road class",
    ]
    return ClaimResult(
        claim,
        verdict,
        _stated(claim),
        figures,
        " ".join(sentences),
        to_make_true,
        details,
        assumptions,
        list(routes.values()),
    )


def _route_to(
    ctx: _Context, origin: Location, dest: Location, radius_km: float, profile: str
) -> Route:
    """Fastest route from ``origin`` to ``dest`` or, given a radius, to its ring."""
    if not radius_km:
        return route(origin, dest, net=ctx.net, profile=profile, optimize="time")
    engine = get_engine(ctx.net)
    w = engine.weights(profile)
    tree = engine.one_to_all(snap_candidates(ctx.net, origin.lon, origin.lat), w)
    x, y = ctx.net.nodes["x"].to_numpy(), ctx.net.nodes["y"].to_numpy()
    inside = (
        _GEOD.inv(np.full(len(x), dest.lon), np.full(len(x), dest.lat), x, y)[2]
        <= radius_km * 1000.0
    )
    cost = np.where(inside, tree.cost, np.inf)
    k = int(np.argmin(cost))
    if not np.isfinite(cost[k]):
        raise NoRouteError(f"no road from {origin} reaches within {radius_km:g} km of {dest}")
    end = Location(
        f"{dest} outskirts ({radius_km:g} km)",
        float(x[k]),
        float(y[k]),
        "first road point inside the outskirts ring",
    )
    return route(origin, end, net=ctx.net, profile=profile, optimize="time")


# ------------------------------------------------------------------ along route
def _check_along_route(claim: AlongRouteClaim, ctx: _Context) -> ClaimResult:
    tol = ctx.claims.tolerance_km(claim)
    dest = ctx.loc[claim.to]
    optimize: Optimize = "time" if claim.route is RouteChoice.FASTEST else "distance"
    tried = []
    for start in claim.from_:  # at least one (model validation)
        r = route(ctx.loc[start], dest, net=ctx.net, optimize=optimize)
        tried.append(([_distance_km(ctx.loc[p], r.geometry) for p in claim.places], r))
    # The start from which most towns lie along the route (the first of equals).
    off, main = max(tried, key=lambda t: sum(d <= tol for d in t[0]))
    other = route(
        main.origin, dest, net=ctx.net, optimize="distance" if optimize == "time" else "time"
    )
    other_off = [_distance_km(ctx.loc[p], other.geometry) for p in claim.places]
    n_in = sum(d <= tol for d in off)
    if n_in == len(off):
        verdict = Verdict.ACCURATE
    elif all(d <= 3 * tol for d in off):
        verdict = Verdict.ROUGHLY_ACCURATE
    else:
        verdict = Verdict.MISLEADING if n_in else Verdict.FALSE
    roads = main.roads().groupby("road", sort=False)["km"].sum().round(0)
    towns = [
        {"place": p, "km_from_route": d, "km_from_other_route": o, "along": d <= tol}
        for p, d, o in zip(claim.places, off, other_off, strict=True)
    ]
    figures = [
        Figure(
            f"{p}: distance from the {claim.route.value} route",
            d,
            "km",
            max(d - TOWN_POINT_KM, 0.0),
            d + TOWN_POINT_KM,
            band_reason=f"±{TOWN_POINT_KM:g} km: a town's extent around its point",
        )
        for p, d in zip(claim.places, off, strict=True)
    ]
    listing = ", ".join(f"{t['place']} {t['km_from_route']:.1f} km" for t in towns)
    explanation = (
        f"{n_in} of {len(off)} towns lie within {tol:g} km of the {claim.route.value} "
        f"route {main.origin} -> {dest} ({main.length_km:.0f} km): {listing}."
    )
    outside = [p for p, d in zip(claim.places, off, strict=True) if d > tol]
    to_make_true = []
    if outside:
        to_make_true.append(
            f"With a tolerance of {math.ceil(max(off)):.0f} km instead of "
            f"{tol:g} km every town would count as along the route; "
            f"{', '.join(outside)} {'lies' if len(outside) == 1 else 'lie'} "
            "off it."
        )
        via = sorted(
            outside,
            key=lambda p: _GEOD.inv(
                main.origin.lon, main.origin.lat, ctx.loc[p].lon, ctx.loc[p].lat
            )[2],
        )
        try:
            detour = route(
                main.origin, dest, net=ctx.net, optimize=optimize, via=[ctx.loc[p] for p in via]
            )
        except (OffNetworkError, NoRouteError):
            detour = None
        # A via point joins its nearest road; only a longer route means another road.
        if detour is not None and detour.length_km > main.length_km + 1.0:
            to_make_true.append(
                f"A route through {', '.join(via)}: {detour.length_km:.0f} km, "
                f"{format_hours(detour.time_h)} by car (fastest: {main.length_km:.0f} km, "
                f"{format_hours(main.time_h)})."
            )
    details = {
        "tolerance_km": tol,
        "towns": towns,
        "roads_km": {str(k): float(v) for k, v in roads.items()},
        "route_km": main.length_km,
        "other_route_km": other.length_km,
    }
    assumptions = [
        *main.assumptions[1:2],
        f"a town is along the route when within {tol:g} km of it (its point to the "
        "nearest point of the route line)",
        "road refs: the z7 data carries refs mostly on motorways; other roads show "
        "as 'unnamed <class>'",
    ]
    return ClaimResult(
        claim,
        verdict,
        _stated(claim),
        figures,
        explanation,
        to_make_true,
        details,
        assumptions,
        [main, other],
    )


def _distance_km(p: Location, line: shapely.Geometry) -> float:
    """Ground distance (km) from a point to a lon/lat geometry, in a projection centred on it."""
    aeqd = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={p.lat} +lon_0={p.lon} +datum=WGS84 +units=m",
        always_xy=True,
    )
    local = shapely.transform(line, lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1])))
    return float(shapely.distance(shapely.Point(0, 0), local)) / 1000.0


# ------------------------------------------------------------------ border
def _check_border(claim: BorderClaim, ctx: _Context) -> ClaimResult:
    # Lines with the named country on one side; where the source does not record the
    # countries of its lines (``border_countries``), every international line.
    lines = ctx.net.border_lines(claim.border_with)
    if not len(lines):
        return ClaimResult(
            claim,
            Verdict.NOT_CHECKABLE,
            _stated(claim),
            [],
            f"The road data holds no border line of {claim.border_with}.",
        )
    known = ctx.net.border_countries is not None
    which = f"the border with {claim.border_with}" if known else "the nearest international border"
    tol = ctx.claims.tolerance_km(claim)
    border = shapely.MultiLineString(list(lines))
    place = ctx.loc[claim.place]
    d = _distance_km(place, border)
    figures = [
        Figure(
            f"{place}: distance to {which}",
            d,
            "km",
            max(d - TOWN_POINT_KM, 0.0),
            d + TOWN_POINT_KM,
            band_reason=f"±{TOWN_POINT_KM:g} km town extent; border line generalized "
            f"to the ~{ctx.net.meta.resolution_m or 0:.0f} m grid",
        )
    ]
    verdict = _near(d, tol)
    sentences = [f"{place} lies {d:.1f} km from {which} (tolerance {tol:g} km)."]
    details: dict[str, Any] = {"border_km": d, "tolerance_km": tol}
    country = getattr(ctx.places[claim.place], "country_name", None)
    if country and country.lower() == claim.border_with.lower():
        sentences.append(
            f"Note: {place} is itself in {country}, the country named as the other side."
        )
    if claim.across_from is not None:
        other = ctx.loc[claim.across_from]
        apart = float(_GEOD.inv(place.lon, place.lat, other.lon, other.lat)[2]) / 1000.0
        crosses = bool(
            shapely.intersects(
                shapely.LineString([(place.lon, place.lat), (other.lon, other.lat)]), border
            )
        )
        d_other = _distance_km(other, border)
        figures.append(
            Figure(
                f"distance {place} - {other}",
                apart,
                "km",
                max(apart - 2 * TOWN_POINT_KM, 0.0),
                apart + 2 * TOWN_POINT_KM,
                band_reason=f"±{TOWN_POINT_KM:g} km per town",
            )
        )
        details.update(across_km=apart, border_between=crosses, other_border_km=d_other)
        verdict = max(verdict, _near(d_other, tol), key=_RANK.index)
        if not crosses:
            verdict = Verdict.FALSE
        sentences.append(
            f"{other} is {apart:.1f} km away and {d_other:.1f} km from that "
            f"border, which {'runs' if crosses else 'does not run'} between them."
        )
    to_make_true = []
    if tol < d <= 3 * tol:
        to_make_true.append(
            f"With a tolerance of {math.ceil(d):.0f} km instead of {tol:g} km, "
            f"{place} would count as on the border."
        )
    elif d > 3 * tol and known:
        near_km, sides = _nearest_border(ctx.net, place)
        to_make_true.append(
            f"The international border nearest {place} is {sides}, {near_km:.1f} km away."
        )
    source = (
        "boundary lines of the tile data, by the countries on their two sides (adm0_l/adm0_r)"
        if known
        else "international boundary lines of the data (which "
        "countries a line separates is not recorded: the nearest line is used)"
    )
    assumptions = [
        f"border: {source}",
        f"a place is on the border when its point lies within {tol:g} km of the line",
    ]
    return ClaimResult(
        claim,
        verdict,
        _stated(claim),
        figures,
        " ".join(sentences),
        to_make_true,
        details,
        assumptions,
    )


def _nearest_border(net: RoadNetwork, place: Location) -> tuple[float, str]:
    """Distance (km) to the nearest international line and its countries ("IRQ-SYR")."""
    lines = net.border_lines()
    km = [_distance_km(place, line) for line in lines]
    i = int(np.argmin(km))
    sides = str(net.border_countries[i]) if net.border_countries is not None else ""
    return km[i], sides.replace("|", "-") or "of unrecorded countries"


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
    # Times as "4 h 40 min": decimal hours (4.66 h) are easy to misread as 4 h 66 min.
    if unit == "h":
        return format_hours(x)
    return f"{x:,.1f}" if x < 20 else f"{x:,.0f}"


def _with_unit(x: float, unit: str) -> str:
    return _num(x, unit) if unit == "h" else f"{_num(x, unit)} {unit}"


def results_table(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per claim: id, stated, verdict, headline figures (for notebooks and tables)."""
    return pd.DataFrame(
        [
            {
                "id": r.claim_id,
                "stated": r.stated,
                "verdict": r.verdict.value,
                "figures": "; ".join(f.format() for f in r.figures[:3]),
            }
            for r in results
        ]
    )
