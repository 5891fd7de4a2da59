"""``border_distance`` and ``river_distance``: a stated distance from a place to a line feature.

"Aleppo, about 30 miles (50 km) south of the Turkish border"; "Karbala, about six miles west of
the Euphrates". Two kinds sharing one checker: the ground distance from the place's point to
the nearest point of the feature's lines, graded like a straight-line distance (a band of
±:data:`~routing.claims.results.TOWN_POINT_KM`, a town being an area), and a stated compass
direction checked against the bearing from that nearest point. Border lines are the network's
(``net.border_lines``); river lines come from ``net.waterways`` when the network carries a
water layer (a GeoDataFrame of lon/lat lines with a ``name`` and optionally ``name_en``
column) and the claim is *not checkable* otherwise.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import shapely
from pydantic import Field

from ..._geo import GEOD
from ..._transliterate import name_key
from ...location import Location
from ..base import (
    DIRECTION_WORDINGS,
    Direction,
    MeasuredClaimBase,
    NonEmptyStr,
    PlaceRef,
    parsed_by,
)
from ..context import CheckContext
from ..results import (
    TOWN_POINT_KM,
    ClaimResult,
    Figure,
    Verdict,
    band_sentence,
    compare_text,
    grade_measurement,
    range_text,
)
from ..units import Dimension
from . import register
from .along_route import distance_km
from .border import CountryRef
from .distance import _angle_off, _compass

__all__ = [
    "BorderDistanceClaim",
    "RiverDistanceClaim",
    "check_border_distance",
    "check_river_distance",
]

# Words that name the feature, not the river ("the Euphrates River", "Nahr al-Furat").
_RIVER_WORDS = frozenset({"river", "nahr", "the"})


class _FeatureDistanceClaim(MeasuredClaimBase):
    """Fields shared by distances to a line feature."""

    from_: PlaceRef = Field(validation_alias="from", serialization_alias="from")
    direction: Annotated[Direction | None, parsed_by(DIRECTION_WORDINGS.parse)] = Field(
        default=None,
        description="Direction of `from` from the feature ('30 miles *south of* the border').",
    )

    _dimension = Dimension.LENGTH
    _place_fields = ("from",)

    def feature(self) -> str:
        """The feature in words, e.g. ``"the border with Turkey"``."""
        raise NotImplementedError

    def describe(self) -> str:
        """E.g. ``"about 30 mi from the border with Turkey"``."""
        return f"{super().describe()} from {self.feature()}"


class BorderDistanceClaim(_FeatureDistanceClaim):
    """A stated distance from a place to the border with a country."""

    kind: Literal["border_distance"] = "border_distance"
    border_with: CountryRef

    def feature(self) -> str:
        """``"the border with Turkey"``."""
        return f"the border with {self.border_with}"


class RiverDistanceClaim(_FeatureDistanceClaim):
    """A stated distance from a place to a river."""

    kind: Literal["river_distance"] = "river_distance"
    river: NonEmptyStr = Field(description="The river's name, e.g. 'Danube'.")

    def feature(self) -> str:
        """``"the Euphrates"``."""
        return f"the {self.river}"


def check_border_distance(claim: BorderDistanceClaim, ctx: CheckContext) -> ClaimResult:
    """Distance from the place to the border lines with the named country."""
    lines = ctx.net.border_lines(claim.border_with)
    if not len(lines):
        return _not_checkable(claim, f"The road data holds no border line of {claim.border_with}.")
    known = ctx.net.border_countries is not None
    what = claim.feature() if known else "the nearest international border"
    source = (
        "boundary lines of the tile data, by the countries on their two sides"
        if known
        else "international boundary lines of the data (which countries a line separates is "
        "not recorded: the nearest line is used)"
    )
    return _check_feature(claim, ctx, shapely.MultiLineString(list(lines)), what, source)


def check_river_distance(claim: RiverDistanceClaim, ctx: CheckContext) -> ClaimResult:
    """Distance from the place to the named river's lines, if the network has a water layer."""
    water = getattr(ctx.net, "waterways", None)
    if water is None or not len(water):
        return _not_checkable(
            claim,
            f"The road data holds no river lines (no water layer was loaded), so the distance "
            f"to {claim.feature()} cannot be measured.",
        )
    lines = _river_lines(water, claim.river)
    if not lines:
        return _not_checkable(claim, f"The water layer has no river named {claim.river!r}.")
    source = f"lines of the water layer named {claim.river!r} ({len(lines)} pieces)"
    return _check_feature(claim, ctx, shapely.union_all(lines), claim.feature(), source)


def _river_lines(water: Any, river: str) -> list[shapely.Geometry]:
    """Geometries of the water layer whose name is the river's (case, articles, 'River' aside)."""
    wanted = _river_key(river)
    columns = [c for c in ("name_en", "name") if c in water.columns]
    named = [
        geom
        for geom, *names in water[["geometry", *columns]].itertuples(index=False)
        if any(isinstance(n, str) and _river_key(n) == wanted for n in names)
    ]
    return named


def _river_key(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in _RIVER_WORDS]
    return name_key(" ".join(words) or name)


def _not_checkable(claim: _FeatureDistanceClaim, reason: str) -> ClaimResult:
    return ClaimResult(claim, Verdict.NOT_CHECKABLE, claim.describe(), [], reason)


def _check_feature(
    claim: _FeatureDistanceClaim,
    ctx: CheckContext,
    feature: shapely.Geometry,
    what: str,
    source: str,
) -> ClaimResult:
    """Grade the ground distance from the claim's place to ``feature`` (lon/lat lines)."""
    place = ctx.loc[claim.from_]
    q = claim.quantity
    lo, hi = ctx.defaults.accepted_range(claim)
    tol = ctx.defaults.tolerance_of(claim)
    d = distance_km(place, feature)
    figure = Figure(
        f"{place}: distance to {what}",
        d,
        "km",
        max(d - TOWN_POINT_KM, 0.0),
        d + TOWN_POINT_KM,
        band_reason=f"±{TOWN_POINT_KM:g} km town extent; lines generalized to the "
        f"~{ctx.net.meta.resolution_m or 0:.0f} m grid",
    )

    def grade(value: float) -> Verdict:
        return grade_measurement(value, q.nearest_base(value), lo, hi, tol)

    verdict = grade(d)
    stated = q.nearest_base(d)
    sentences = [
        f"{place} lies {figure.format()} from {what}; '{claim.describe()}' allows "
        f"{range_text(lo, hi, 'km')}.",
        f"The stated {stated:g} km is {compare_text(stated, d)} the measured distance.",
        band_sentence(figure, grade, verdict),
    ]
    details: dict[str, Any] = {"accepted_km": [lo, hi], "tolerance": tol, "distance_km": d}
    if claim.direction is not None:
        verdict = _check_direction(claim.direction, place, feature, verdict, sentences, details)
    to_make_true = []
    if verdict is not Verdict.ACCURATE:
        to_make_true.append(f"The claim would be accurate if it stated about {d:.0f} km.")
    assumptions = [
        f"feature: {source}",
        "distance: along the ground from the place's point to the nearest point of the lines",
    ]
    return ClaimResult(
        claim,
        verdict,
        claim.describe(),
        [figure],
        " ".join(s for s in sentences if s),
        to_make_true,
        details,
        assumptions,
    )


def _check_direction(
    direction: Direction,
    place: Location,
    feature: shapely.Geometry,
    verdict: Verdict,
    sentences: list[str],
    details: dict[str, Any],
) -> Verdict:
    """Bearing from the feature's nearest point to the place against the stated direction."""
    near = shapely.ops.nearest_points(feature, shapely.Point(place.lon, place.lat))[0]
    bearing = GEOD.inv(near.x, near.y, place.lon, place.lat)[0] % 360
    holds = _angle_off(bearing, direction.value) <= 45.0
    details.update(bearing_deg=bearing, direction_holds=holds)
    sentences.append(
        f"Seen from the nearest point of the line, {place} lies at a bearing of {bearing:.0f}° "
        f"({_compass(bearing)}), so '{direction.value}' {'holds' if holds else 'does not hold'}."
    )
    if not holds and verdict in (Verdict.ACCURATE, Verdict.ROUGHLY_ACCURATE):
        return Verdict.MISLEADING
    return verdict


register("border_distance", BorderDistanceClaim, check_border_distance)
register("river_distance", RiverDistanceClaim, check_river_distance)
