"""``relative``: a place closer to one place than to another, or halfway between two places.

"At the border, I was closer to Beirut than to Jerusalem"; "Sirte lies halfway between Tripoli
and Benghazi". Distances are measured in a straight line and, where the road data reach the
places, by road; an unspecified measure is judged on whichever gives the better verdict, as
for ``distance``.

*closer to*: d(place, closer_to) against d(place, than), each known to ±2
:data:`~routing.claims.results.TOWN_POINT_KM` in a straight line (the road band by road).
*accurate* if closer beyond both bands, *roughly accurate* if closer within them,
*misleading* if farther within them, *false* if farther beyond them.

*halfway between*: the place's share of the way, d(place, Y) / (d(place, Y) + d(place, Z)),
should be 50 % within the claim's ``tolerance`` (default :data:`HALFWAY_TOLERANCE`, i.e.
40-60 %), and going through the place should not be much of a detour: d(place, Y) +
d(place, Z) at most :data:`HALFWAY_DETOUR` times d(Y, Z). Twice the tolerance and a detour of
:data:`HALFWAY_FAR_DETOUR` are *roughly accurate*; a share within 20-80 % is *misleading*;
anything else *false*.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ..._geo import geodesic_m
from ...exceptions import NoRouteError, OffNetworkError
from ...location import Location
from ..base import MEASURE_WORDINGS, ClaimBase, Fraction, Measure, PlaceRef, parsed_by
from ..context import CheckContext
from ..results import RANK, TOWN_POINT_KM, ClaimResult, Figure, Verdict
from . import register

__all__ = [
    "HALFWAY_DETOUR",
    "HALFWAY_FAR_DETOUR",
    "HALFWAY_TOLERANCE",
    "RelativeClaim",
    "check_relative",
]

# "Halfway": within 40-60 % of the way, and on the way (a detour of at most 25 %).
HALFWAY_TOLERANCE = 0.1
HALFWAY_DETOUR = 1.25
HALFWAY_FAR_DETOUR = 1.5
# Beyond 20-80 % of the way a place is not "halfway" in any reading.
_HALFWAY_MISLEADING = 0.3


class RelativeClaim(ClaimBase):
    """A place closer to one place than to another, or halfway between two places."""

    kind: Literal["relative"] = "relative"
    place: PlaceRef
    closer_to: PlaceRef | None = Field(default=None, description="The place it is closer to.")
    than: PlaceRef | None = Field(default=None, description="The place it is farther from.")
    halfway_between: list[PlaceRef] | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="The two places it is halfway between.",
    )
    measure: Annotated[Measure, parsed_by(MEASURE_WORDINGS.parse)] = Field(
        default=Measure.UNSPECIFIED,
        description="road, straight_line or unspecified (judged on the better of both).",
    )
    tolerance: Fraction | None = Field(
        default=None,
        description="halfway: how far from 50 % of the way the place may lie (default 0.1).",
    )

    _place_fields = ("place", "closer_to", "than", "halfway_between")

    @model_validator(mode="after")
    def _one_form(self) -> RelativeClaim:
        closer = self.closer_to is not None or self.than is not None
        if closer == (self.halfway_between is not None):
            raise ValueError("give either closer_to and than, or halfway_between (two places)")
        if closer and (self.closer_to is None or self.than is None):
            raise ValueError("closer_to and than go together: give both")
        if self.tolerance is not None and not self.halfway_between:
            raise ValueError("tolerance is only used with halfway_between")
        return self

    def describe(self) -> str:
        """E.g. ``"Sirte halfway between Tripoli and Benghazi"``."""
        if self.halfway_between:
            return f"{self.place} halfway between {' and '.join(self.halfway_between)}"
        return f"{self.place} closer to {self.closer_to} than to {self.than}"


def check_relative(claim: RelativeClaim, ctx: CheckContext) -> ClaimResult:
    """Measure both distances per measure and grade the better measure (module docstring)."""
    measures = [claim.measure] if claim.measure is not Measure.UNSPECIFIED else list(_MEASURES)
    graded, unmeasured = [], []
    for measure in measures:
        try:
            graded.append(_grade(claim, ctx, measure))
        except (OffNetworkError, NoRouteError) as exc:
            unmeasured.append(f"No {_MEASURES[measure]} could be measured: {exc}.")
    if not graded:
        return ClaimResult(claim, Verdict.NOT_CHECKABLE, claim.describe(), [], " ".join(unmeasured))
    verdict, _, sentence, details = min(graded, key=lambda g: RANK.index(g[0]))
    others = [g for g in graded if g[2] != sentence]
    return ClaimResult(
        claim,
        verdict,
        claim.describe(),
        [f for g in graded for f in g[1]],
        " ".join([sentence, *(g[2] for g in others), *unmeasured]),
        [],
        {**details, "verdict_by_measure": {g[3]["measure"]: g[0].value for g in graded}},
        [
            "halfway: within "
            f"{50 - 100 * (claim.tolerance or HALFWAY_TOLERANCE):.0f}-"
            f"{50 + 100 * (claim.tolerance or HALFWAY_TOLERANCE):.0f} % of the way, detour at "
            f"most x{HALFWAY_DETOUR:g}"
            if claim.halfway_between
            else "closer: compared with the uncertainty band of both distances"
        ],
    )


_MEASURES = {Measure.STRAIGHT_LINE: "straight line", Measure.ROAD: "road distance"}
_Graded = tuple[Verdict, list[Figure], str, dict[str, Any]]


def _distance(ctx: CheckContext, a: Location, b: Location, measure: Measure) -> Figure:
    """Distance (km) between two places by one measure, with its band."""
    if measure is Measure.ROAD:
        return ctx.road_figure(ctx.cross_check(a, b)[0], f"road distance {a} - {b}")
    km = geodesic_m(a.lon, a.lat, b.lon, b.lat) / 1000.0
    return Figure(
        f"straight line {a} - {b}",
        km,
        "km",
        max(km - 2 * TOWN_POINT_KM, 0.0),
        km + 2 * TOWN_POINT_KM,
        band_reason=f"±{TOWN_POINT_KM:g} km per end",
    )


def _grade(claim: RelativeClaim, ctx: CheckContext, measure: Measure) -> _Graded:
    place = ctx.loc[claim.place]
    how = _MEASURES[measure]
    if claim.halfway_between:
        y, z = (ctx.loc[p] for p in claim.halfway_between)
        return _grade_halfway(claim, ctx, measure, place, y, z, how)
    # Both are set when halfway_between is not (model validation).
    near = _distance(ctx, place, ctx.loc[str(claim.closer_to)], measure)
    far = _distance(ctx, place, ctx.loc[str(claim.than)], measure)
    gap = far.value - near.value
    slack = (near.high or near.value) - near.value + far.value - (far.low or far.value)
    if gap > slack:
        verdict = Verdict.ACCURATE
    elif gap > 0:
        verdict = Verdict.ROUGHLY_ACCURATE
    elif gap >= -slack:
        verdict = Verdict.MISLEADING
    else:
        verdict = Verdict.FALSE
    sentence = (
        f"By {how}, {place} is {near.value:.0f} km from {claim.closer_to} and "
        f"{far.value:.0f} km from {claim.than}: "
        + (
            f"{abs(gap):.0f} km {'closer' if gap > 0 else 'farther'}"
            + (" (within the uncertainty of the figures)" if abs(gap) <= slack else "")
        )
        + "."
    )
    details = {"measure": measure.value, "closer_km": near.value, "than_km": far.value}
    return verdict, [near, far], sentence, details


def _grade_halfway(
    claim: RelativeClaim,
    ctx: CheckContext,
    measure: Measure,
    place: Location,
    y: Location,
    z: Location,
    how: str,
) -> _Graded:
    tol = claim.tolerance or HALFWAY_TOLERANCE
    to_y, to_z = _distance(ctx, place, y, measure), _distance(ctx, place, z, measure)
    direct = _distance(ctx, y, z, measure)
    total = to_y.value + to_z.value
    share = to_y.value / total if total > 0 else 0.5
    detour = total / direct.value if direct.value > 0 else float("inf")
    off = abs(share - 0.5)
    if off <= tol and detour <= HALFWAY_DETOUR:
        verdict = Verdict.ACCURATE
    elif off <= 2 * tol and detour <= HALFWAY_FAR_DETOUR:
        verdict = Verdict.ROUGHLY_ACCURATE
    elif off <= _HALFWAY_MISLEADING:
        verdict = Verdict.MISLEADING
    else:
        verdict = Verdict.FALSE
    sentence = (
        f"By {how}, {place} is {to_y.value:.0f} km from {y} and {to_z.value:.0f} km from {z}: "
        f"{share:.0%} of the way from {y}, and going through it makes the {direct.value:.0f} km "
        f"between them x{detour:.2f} as long."
    )
    share_figure = Figure(f"share of the way from {y} ({how})", 100 * share, "%")
    details = {"measure": measure.value, "share": share, "detour": detour}
    return verdict, [to_y, to_z, direct, share_figure], sentence, details


register("relative", RelativeClaim, check_relative)
