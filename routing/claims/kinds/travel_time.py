"""``travel_time``: a stated travel time ("reaching the outskirts of Baghdad in under 4 h").

The fastest route under every speed profile, from the most favourable origin to the
destination (or the nearest road point on its outskirts ring), and a Monte Carlo probability
of making it within the bound. *plausible*: typical driving (every profile but ``fast``)
makes it at modal speeds; *borderline*: only flat-out driving (``fast``) does;
*implausible*: not even that. Approximate and lower-bound time claims are graded like
distances. The road network models driving: a trip stated by train, on foot or by air is *not
checkable*; a bus trip is checked as a drive (a bus is slower, so the car time is a lower
bound).
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ..._format import format_hours
from ..._geo import GEOD
from ...analysis.routes import Route, route
from ...engine import get_engine
from ...engine.profiles import DEFAULT_PROFILE, available_profiles
from ...engine.snapping import snap_candidates
from ...exceptions import NoRouteError
from ...location import Location
from ..base import (
    Defaults,
    MeasuredClaimBase,
    NonEmptyStr,
    PlaceList,
    PlaceRef,
    PositiveNumber,
    parsed_by,
)
from ..context import CheckContext
from ..results import ClaimResult, Figure, Verdict, band_sentence, compare_text, grade_measurement
from ..uncertainty import travel_time_samples
from ..units import Bound, Dimension, Wordings
from . import register

__all__ = ["DestinationRule", "TravelMode", "TravelTimeClaim", "check_travel_time"]

# Profile that models flat-out driving: what decides "borderline" time claims.
_FAST_PROFILE = "fast"


class TravelMode(StrEnum):
    """How the stated trip is made."""

    CAR = "car"
    BUS = "bus"
    TRAIN = "train"
    WALK = "walk"
    FLIGHT = "flight"
    UNSPECIFIED = "unspecified"


_TRAVEL_MODE_WORDINGS = Wordings(
    "mode",
    TravelMode,
    {
        **dict.fromkeys(["drive", "driving", "road", "taxi", "vehicle"], TravelMode.CAR),
        **dict.fromkeys(["rail", "railway"], TravelMode.TRAIN),
        **dict.fromkeys(["foot", "on foot", "walking"], TravelMode.WALK),
        **dict.fromkeys(["air", "plane", "fly"], TravelMode.FLIGHT),
        "coach": TravelMode.BUS,
    },
    "'drive', 'on foot', 'by air'",
)
# Modes the road network cannot time.
_NOT_ON_ROADS = {
    TravelMode.TRAIN: "by train",
    TravelMode.WALK: "on foot",
    TravelMode.FLIGHT: "by air",
}


class DestinationRule(StrEnum):
    """Where a trip to a place ends."""

    CENTRE = "centre"
    OUTSKIRTS = "outskirts"


_DESTINATION_RULE_WORDINGS = Wordings(
    "destination_rule",
    DestinationRule,
    {
        "center": DestinationRule.CENTRE,
        "city centre": DestinationRule.CENTRE,
        "city center": DestinationRule.CENTRE,
        "edge": DestinationRule.OUTSKIRTS,
    },
    "'center', 'city centre'",
)


class TravelTimeClaim(MeasuredClaimBase):
    """A stated travel time from one or several origins to a destination."""

    kind: Literal["travel_time"] = "travel_time"
    from_: PlaceList = Field(
        validation_alias="from",
        serialization_alias="from",
        description="Origin, or several: the claim is judged from the most favourable one.",
    )
    to: PlaceRef
    destination_rule: Annotated[DestinationRule, parsed_by(_DESTINATION_RULE_WORDINGS.parse)] = (
        Field(
            default=DestinationRule.CENTRE,
            description="centre: the place's point; outskirts: a ring of outskirts_radius_km.",
        )
    )
    outskirts_radius_km: PositiveNumber | None = None
    mode: Annotated[TravelMode, parsed_by(_TRAVEL_MODE_WORDINGS.parse)] = Field(
        default=TravelMode.UNSPECIFIED,
        description="car, bus, train, walk, flight or unspecified; only road trips are timed.",
    )
    profiles: list[NonEmptyStr] | None = Field(
        default=None, min_length=1, description="Speed profiles to check; default: all."
    )

    _dimension = Dimension.TIME
    _place_fields = ("from", "to")

    def destination_radius_km(self, defaults: Defaults) -> float:
        """Radius of the destination ring; 0 when the trip ends at the centre."""
        if self.destination_rule is DestinationRule.CENTRE:
            return 0.0
        return self.outskirts_radius_km or defaults.outskirts_radius_km

    @model_validator(mode="after")
    def _radius_needs_outskirts(self) -> TravelTimeClaim:
        if (
            self.outskirts_radius_km is not None
            and self.destination_rule is not DestinationRule.OUTSKIRTS
        ):
            raise ValueError("outskirts_radius_km is only used with destination_rule: outskirts")
        return self


def check_travel_time(claim: TravelTimeClaim, ctx: CheckContext) -> ClaimResult:
    """Fastest route under every profile from the best origin, with Monte Carlo odds."""
    if claim.mode in _NOT_ON_ROADS:
        return ClaimResult(
            claim,
            Verdict.NOT_CHECKABLE,
            claim.describe(),
            [],
            f"The trip is stated {_NOT_ON_ROADS[claim.mode]}; the road network times drives only.",
        )
    lo, hi = ctx.defaults.accepted_range(claim)
    tol = ctx.defaults.tolerance_of(claim)
    # A range ("a 3.5 to 4-hour drive") is judged within its upper end, graded on its nearer end.
    stated_h = claim.quantity.base_max
    dest = ctx.loc[claim.to]
    radius = claim.destination_radius_km(ctx.defaults)
    profiles = claim.profiles or available_profiles()
    base = DEFAULT_PROFILE if DEFAULT_PROFILE in profiles else profiles[0]
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
        times[name] = Figure(
            f"fastest time, profile {name!r} (from {best.origin})",
            best.time_h,
            "h",
            q05,
            q95,
            band_reason=f"5-95 % of {ctx.draws:,} speed draws",
        )
    # The road figure between the base origin and the destination, cross-checked: its band
    # (as factors of the figure) scales the times too.
    check, _ = ctx.cross_check(routes[base].origin, dest)
    scale = check.band.relative if check.band is not None else (1.0, 1.0)
    for name, f in times.items():
        if check.band is not None and f.low is not None and f.high is not None:
            times[name] = replace(
                f,
                low=f.low * min(scale[0], 1.0),
                high=f.high * max(scale[1], 1.0),
                band_reason=f"{f.band_reason}; scaled by the road-distance band "
                f"x{scale[0]:.2f}-x{scale[1]:.2f}",
            )
    road_km = routes[base].length_km
    needed = road_km / stated_h
    road = ctx.road_figure(check, f"road distance ({routes[base].origin} to {dest}, shortest)")
    figures = [
        road,
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
        verdict = _bound_verdict(per_profile, hi)
        if not check.settled:
            # The road figure is in doubt: the verdict stands only if every distance the
            # networks allow gives it.
            ends = {_bound_verdict(per_profile, hi, k) for k in scale}
            if ends != {verdict}:
                sentences.append(
                    f"The road figure is in doubt, so no verdict: {check.reason}. At the "
                    f"{check.primary.label} figure the claim would be {verdict.value}."
                )
                verdict = Verdict.NOT_CHECKABLE
    else:

        def grade(value: float) -> Verdict:
            return grade_measurement(value, claim.quantity.nearest_base(value), lo, hi, tol)

        verdict = grade(times[base].value)
        near_h = claim.quantity.nearest_base(times[base].value)
        sentences += [
            f"The stated {format_hours(near_h)} is "
            f"{compare_text(near_h, times[base].value)} the time of profile {base!r}.",
            band_sentence(times[base], grade, verdict),
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
        *(
            ["mode: stated by bus, timed as a drive (a bus takes longer)"]
            if claim.mode is TravelMode.BUS
            else []
        ),
        *[f"time: {r.profile.describe()}" for r in routes.values()],
        *per_profile[base]["monte_carlo"][1:2],
        f"Monte Carlo: {ctx.draws:,} draws per profile, seed {ctx.seed}; speeds triangular "
        "(low, mode, high) per road class",
    ]
    return ClaimResult(
        claim,
        verdict,
        claim.describe(),
        figures,
        " ".join(sentences),
        to_make_true,
        details,
        assumptions,
        list(routes.values()),
    )


def _bound_verdict(
    per_profile: dict[str, dict[str, Any]], hi: float, scale: float = 1.0
) -> Verdict:
    """Plausible if a typical profile makes it within ``hi``, borderline if only ``fast`` does."""
    typical = [n for n in per_profile if n != _FAST_PROFILE]
    if any(per_profile[n]["time_h"] * scale <= hi for n in typical):
        return Verdict.PLAUSIBLE
    if _FAST_PROFILE in per_profile and per_profile[_FAST_PROFILE]["time_h"] * scale <= hi:
        return Verdict.BORDERLINE
    return Verdict.IMPLAUSIBLE


def _route_to(
    ctx: CheckContext, origin: Location, dest: Location, radius_km: float, profile: str
) -> Route:
    """Fastest route from ``origin`` to ``dest`` or, given a radius, to its ring."""
    if not radius_km:
        return route(origin, dest, net=ctx.net, profile=profile, optimize="time")
    engine = get_engine(ctx.net)
    w = engine.weights(profile)
    tree = engine.one_to_all(snap_candidates(ctx.net, origin.lon, origin.lat), w)
    x, y = ctx.net.nodes["x"].to_numpy(), ctx.net.nodes["y"].to_numpy()
    inside = (
        GEOD.inv(np.full(len(x), dest.lon), np.full(len(x), dest.lat), x, y)[2]
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


register("travel_time", TravelTimeClaim, check_travel_time)
