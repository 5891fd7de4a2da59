"""``border``: a place on or at a border, optionally across the border from another place.

The place's distance to the border lines with the named country (``net.border_lines``; every
international line where the data do not record the countries), graded like towns along a
route, and, for "across the border from", whether that border lies between the two places.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
import shapely
from pydantic import AfterValidator, Field

from ..._geo import geodesic_m, ground_distances_m
from ...exceptions import PlaceQueryError
from ...location import Location
from ...network import RoadNetwork, iso3
from ..base import ClaimBase, Defaults, NonEmptyStr, PlaceRef, PositiveNumber
from ..context import CheckContext
from ..results import RANK, TOWN_POINT_KM, ClaimResult, Figure, Verdict
from . import register
from .along_route import distance_km

__all__ = ["BorderClaim", "CountryRef", "check_border"]


def _known_country(country: str) -> str:
    try:
        iso3(country)
    except PlaceQueryError as exc:
        raise ValueError(str(exc)) from None
    return country


CountryRef = Annotated[
    NonEmptyStr,
    AfterValidator(_known_country),
    Field(description="A country: ISO code or English name ('FR', 'France')."),
]


class BorderClaim(ClaimBase):
    """A place on or at a border, optionally across the border from another place."""

    kind: Literal["border"] = "border"
    place: PlaceRef
    border_with: CountryRef = Field(
        description="The country on the other side: ISO code or English name ('FR', 'France')."
    )
    across_from: PlaceRef | None = Field(
        default=None, description="A place on the other side of the same border."
    )
    tolerance_km: PositiveNumber | None = Field(
        default=None, description="How far from the border line `place` may lie."
    )

    _place_fields = ("place", "across_from")

    def distance_tolerance_km(self, defaults: Defaults) -> float:
        """How far from the border line the place may lie: the claim's own, else the file's."""
        return self.tolerance_km or defaults.border_tolerance_km

    def describe(self) -> str:
        """E.g. ``"Qaim on the border with Syria"``."""
        across = f", across from {self.across_from}" if self.across_from else ""
        return f"{self.place} on the border with {self.border_with}{across}"


def check_border(claim: BorderClaim, ctx: CheckContext) -> ClaimResult:
    """A place's distance to the border with the named country, and what lies across it."""
    # Lines with the named country on one side; where the source does not record the
    # countries of its lines (``border_countries``), every international line.
    lines = ctx.net.border_lines(claim.border_with)
    if not len(lines):
        return ClaimResult(
            claim,
            Verdict.NOT_CHECKABLE,
            claim.describe(),
            [],
            f"The road data holds no border line of {claim.border_with}.",
        )
    known = ctx.net.border_countries is not None
    which = f"the border with {claim.border_with}" if known else "the nearest international border"
    tol = claim.distance_tolerance_km(ctx.defaults)
    border = shapely.MultiLineString(list(lines))
    place = ctx.loc[claim.place]
    d = distance_km(place, border)
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
        apart = geodesic_m(place.lon, place.lat, other.lon, other.lat) / 1000.0
        crosses = bool(
            shapely.intersects(
                shapely.LineString([(place.lon, place.lat), (other.lon, other.lat)]), border
            )
        )
        d_other = distance_km(other, border)
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
        verdict = max(verdict, _near(d_other, tol), key=RANK.index)
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
        claim.describe(),
        figures,
        " ".join(sentences),
        to_make_true,
        details,
        assumptions,
    )


def _nearest_border(net: RoadNetwork, place: Location) -> tuple[float, str]:
    """Distance (km) to the nearest international line and its countries ("IRQ-SYR")."""
    lines = net.border_lines()
    km = ground_distances_m(place.lon, place.lat, lines) / 1000.0
    i = int(np.argmin(km))
    sides = str(net.border_countries[i]) if net.border_countries is not None else ""
    return km[i], sides.replace("|", "-") or "of unrecorded countries"


def _near(d: float, tol: float) -> Verdict:
    if d <= tol:
        return Verdict.ACCURATE
    if d <= 3 * tol:
        return Verdict.ROUGHLY_ACCURATE
    return Verdict.MISLEADING if d <= 5 * tol else Verdict.FALSE


register("border", BorderClaim, check_border)
