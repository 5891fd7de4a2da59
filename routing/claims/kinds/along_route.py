"""``along_route``: places said to lie along the route between two places.

Each town's distance from the route; *accurate* if all lie within the tolerance, *roughly
accurate* if all within three times it, *misleading* if some do, *false* if none.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

import shapely
from pydantic import Field

from ..._format import format_hours
from ..._geo import geodesic_m, ground_distance_m
from ...analysis.routes import Optimize, route
from ...exceptions import NoRouteError, OffNetworkError
from ...location import Location
from ..base import ClaimBase, Defaults, PlaceList, PlaceRef, PositiveNumber, parsed_by
from ..context import CheckContext
from ..results import TOWN_POINT_KM, ClaimResult, Figure, Verdict
from ..units import Wordings
from . import register

__all__ = ["AlongRouteClaim", "RouteChoice", "check_along_route", "distance_km"]


class RouteChoice(StrEnum):
    """Which route between two places an ``along_route`` claim is checked on."""

    FASTEST = "fastest"
    SHORTEST = "shortest"


_ROUTE_CHOICE_WORDINGS = Wordings(
    "route", RouteChoice, {"quickest": RouteChoice.FASTEST}, "'quickest'"
)


class AlongRouteClaim(ClaimBase):
    """Places said to lie along the route between two places."""

    kind: Literal["along_route"] = "along_route"
    places: PlaceList
    from_: PlaceList = Field(
        validation_alias="from",
        serialization_alias="from",
        description="Start, or several: the claim holds if it holds from any of them.",
    )
    to: PlaceRef
    tolerance_km: PositiveNumber | None = Field(
        default=None, description="How far from the route a place may lie."
    )
    route: Annotated[RouteChoice, parsed_by(_ROUTE_CHOICE_WORDINGS.parse)] = RouteChoice.FASTEST

    _place_fields = ("places", "from", "to")

    def distance_tolerance_km(self, defaults: Defaults) -> float:
        """How far from the route a place may lie: the claim's own, else the file's."""
        return self.tolerance_km or defaults.along_route_tolerance_km

    def describe(self) -> str:
        """E.g. ``"Qaim, Rawa along Abu Kamal -> Baghdad"``."""
        return f"{', '.join(self.places)} along {' / '.join(self.from_)} -> {self.to}"


def check_along_route(claim: AlongRouteClaim, ctx: CheckContext) -> ClaimResult:
    """Each town's distance from the route between the two places."""
    tol = claim.distance_tolerance_km(ctx.defaults)
    dest = ctx.loc[claim.to]
    optimize: Optimize = "time" if claim.route is RouteChoice.FASTEST else "distance"
    tried = []
    for start in claim.from_:  # at least one (model validation)
        r = route(ctx.loc[start], dest, net=ctx.net, optimize=optimize)
        tried.append(([distance_km(ctx.loc[p], r.geometry) for p in claim.places], r))
    # The start from which most towns lie along the route (the first of equals).
    off, main = max(tried, key=lambda t: sum(d <= tol for d in t[0]))
    other = route(
        main.origin, dest, net=ctx.net, optimize="distance" if optimize == "time" else "time"
    )
    other_off = [distance_km(ctx.loc[p], other.geometry) for p in claim.places]
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
            key=lambda p: geodesic_m(
                main.origin.lon, main.origin.lat, ctx.loc[p].lon, ctx.loc[p].lat
            ),
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
        claim.describe(),
        figures,
        explanation,
        to_make_true,
        details,
        assumptions,
        [main, other],
    )


def distance_km(p: Location, line: shapely.Geometry) -> float:
    """Ground distance (km) from a place to a lon/lat geometry."""
    return ground_distance_m(p.lon, p.lat, line) / 1000.0


register("along_route", AlongRouteClaim, check_along_route)
