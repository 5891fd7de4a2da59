"""``distance``: a stated distance between two places ("Qaim, about 500 km west of Baghdad").

Both the shortest road distance and the straight-line (geodesic) distance are measured; a
claim that names its measure is judged on it, an unspecified one on whichever comes closer.
Each figure has a band: road figures (off-road legs included) from the calibration of the
data, widened when the cross-check on a second network flags them; straight lines by
:data:`~routing.claims.results.TOWN_POINT_KM` at each end (a town is an area, not a point). A
stated compass direction is checked against the bearing.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ..._geo import GEOD, M_PER_DEG, geodesic_m
from ...engine import get_engine
from ...engine.snapping import snap_candidates
from ...location import Location
from ..base import (
    DIRECTION_WORDINGS,
    MEASURE_WORDINGS,
    Direction,
    Measure,
    MeasuredClaimBase,
    PlaceRef,
    PositiveNumber,
    UnitField,
    parsed_by,
)
from ..context import CheckContext
from ..results import (
    RANK,
    TOWN_POINT_KM,
    ClaimResult,
    Figure,
    Verdict,
    band_sentence,
    band_verdicts,
    compare_text,
    factor,
    grade_measurement,
    num_text,
    range_text,
    tolerance_text,
)
from ..units import Dimension, Quantity
from . import register

__all__ = ["DistanceClaim", "check_distance"]

_MEASURE_NAMES = {Measure.ROAD: "road distance", Measure.STRAIGHT_LINE: "straight line"}
_MEASURE_HOW = {Measure.ROAD: "by road", Measure.STRAIGHT_LINE: "in a straight line"}
_COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")


class DistanceClaim(MeasuredClaimBase):
    """A stated distance between two places."""

    kind: Literal["distance"] = "distance"
    from_: PlaceRef = Field(validation_alias="from", serialization_alias="from")
    to: PlaceRef
    measure: Annotated[Measure, parsed_by(MEASURE_WORDINGS.parse)] = Field(
        default=Measure.UNSPECIFIED,
        description="road, straight_line or unspecified (check both); also 'by road', "
        "'straight line', 'as the crow flies'.",
    )
    direction: Annotated[Direction | None, parsed_by(DIRECTION_WORDINGS.parse)] = Field(
        default=None, description="Direction of `from` from `to` ('west of the capital')."
    )
    alt_value: PositiveNumber | None = Field(
        default=None, description="A conversion given alongside, e.g. the '(60 miles)'."
    )
    alt_unit: UnitField | None = None

    _dimension = Dimension.LENGTH
    _place_fields = ("from", "to")

    @model_validator(mode="after")
    def _alt_pair(self) -> DistanceClaim:
        if (self.alt_value is None) != (self.alt_unit is None):
            raise ValueError("alt_value and alt_unit go together: give both or neither")
        if self.alt_unit is not None and self.alt_unit.dimension is not Dimension.LENGTH:
            raise ValueError(f"alt_unit {self.alt_unit.value!r} is not a length unit")
        return self

    @property
    def alt_quantity(self) -> Quantity | None:
        """The conversion stated alongside the value, if any."""
        if self.alt_value is None or self.alt_unit is None:
            return None
        return Quantity(value=self.alt_value, unit=self.alt_unit, qualifier=self.qualifier)


def check_distance(claim: DistanceClaim, ctx: CheckContext) -> ClaimResult:
    """Measure road and straight-line distance; grade the closer (or the named) measure."""
    a, b = ctx.loc[claim.from_], ctx.loc[claim.to]
    lo, hi = ctx.defaults.accepted_range(claim)
    tol = ctx.defaults.tolerance_of(claim)
    q = claim.quantity
    check, shortest = ctx.cross_check(a, b)
    road = ctx.road_figure(check, "road distance (shortest route)")
    straight = _straight_figure(a, b)
    measures = {Measure.ROAD: road, Measure.STRAIGHT_LINE: straight}
    judged = [claim.measure] if claim.measure is not Measure.UNSPECIFIED else list(measures)

    def grade(value: float) -> Verdict:
        # A range ("80-90 mi") is compared with its nearer end.
        return grade_measurement(value, q.nearest_base(value), lo, hi, tol)

    # Best verdict first; between equals, the figure nearest the stated one (as a factor).
    verdict, closest = min(
        ((grade(measures[m].value), m) for m in judged),
        key=lambda g: (
            RANK.index(g[0]),
            factor(q.nearest_base(measures[g[1]].value), measures[g[1]].value),
        ),
    )
    best = measures[closest]
    stated = q.nearest_base(best.value)
    sentences = [
        f"{a} is {road.format()} from {b} by road and {straight.format()} in a "
        f"straight line; '{claim.describe()}' allows {range_text(lo, hi, 'km')}."
    ]
    comparisons = [
        f"{compare_text(stated, measures[m].value)} the {_MEASURE_NAMES[m]} "
        f"({num_text(measures[m].value, 'km')} km)"
        for m in sorted(judged, key=lambda m: m != closest)
    ]
    lead = f"The {best.label} comes closest: the" if len(judged) > 1 else "The"
    sentences.append(f"{lead} stated {stated:g} km is " + "; it is ".join(comparisons) + ".")
    sentences.append(band_sentence(best, grade, verdict))
    details: dict[str, Any] = {
        "accepted_km": [lo, hi],
        "tolerance": tol,
        "closest_measure": best.label,
        "verdict_by_measure": {m.value: grade(measures[m].value).value for m in judged},
        "stated_over_measured": {m.value: stated / measures[m].value for m in judged},
        "band_verdicts": band_verdicts(best, grade),
        "cross_check": check.to_dict(),
    }
    if closest is Measure.ROAD and not check.settled:
        # The road figure rests on data in doubt: judge by what each network supports.
        judgement = check.judge(stated)
        details["networks_support"] = dict(judgement.by_network)
        if not judgement.settled:
            sentences.append(
                f"The road figure is in doubt, so no verdict: {judgement.reason}. If the "
                f"{check.primary.label} figure were right the claim would be {verdict.value}."
            )
            verdict = Verdict.NOT_CHECKABLE
        else:
            sentences.append(
                f"The road figure is in doubt ({check.reason}), but every network gives the "
                "same answer for the stated figure."
            )
    if claim.direction is not None:
        bearing = GEOD.inv(b.lon, b.lat, a.lon, a.lat)[0] % 360
        off = _angle_off(bearing, claim.direction.value)
        holds = off <= 45.0
        details.update(bearing_deg=bearing, direction_holds=holds)
        sentences.append(
            f"{a} lies at a bearing of {bearing:.0f}° ({_compass(bearing)}) from "
            f"{b}, so '{claim.direction.value}' "
            f"{'holds' if holds else 'does not hold'}."
        )
        if not holds and verdict in RANK and RANK.index(verdict) < RANK.index(Verdict.MISLEADING):
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
    if verdict not in (Verdict.ACCURATE, Verdict.NOT_CHECKABLE):
        fits = " or ".join(f"{measures[m].value:.0f} km {_MEASURE_HOW[m]}" for m in judged)
        to_make_true = [
            f"The claim would be accurate if it stated {fits} "
            f"({tolerance_text(claim.quantity.qualifier, tol)}).",
            *_places_at(ctx, b, lo, hi, stated, {a.name, b.name}, claim.direction),
        ]
    return ClaimResult(
        claim,
        verdict,
        claim.describe(),
        [road, straight],
        " ".join(sentences),
        to_make_true,
        details,
        [*shortest.assumptions[1:2], *[f"warning: {n}" for n in shortest.notes]],
        [shortest],
    )


def _straight_figure(a: Location, b: Location) -> Figure:
    km = geodesic_m(a.lon, a.lat, b.lon, b.lat) / 1000.0
    return Figure(
        "straight-line distance",
        km,
        "km",
        max(km - 2 * TOWN_POINT_KM, 0.0),
        km + 2 * TOWN_POINT_KM,
        band_reason=f"±{TOWN_POINT_KM:g} km per end: a town's extent around its point",
    )


def _places_at(
    ctx: CheckContext,
    centre: Location,
    lo: float,
    hi: float,
    stated: float,
    exclude: set[str],
    direction: Direction | None,
) -> list[str]:
    """Settlements whose road or straight distance from ``centre`` fits, closest first.

    Only places in the stated direction (within 45 degrees) count, and only settlements of
    the data's place layer whose names are names (not "5 miles" labels).
    """
    net = ctx.net
    engine = get_engine(net)
    seeds = snap_candidates(net, centre.lon, centre.lat)
    tree = engine.one_to_all(seeds[:1], engine.weights("length"))
    nodes = net.nodes[["x", "y"]].to_numpy()
    out: list[str] = []
    road_hits, line_hits = [], []
    for label, en, px, py in net.places[["name", "name_en", "x", "y"]].itertuples(index=False):
        name, x, y = str(en or label), float(px), float(py)
        if name in exclude or any(ch.isdigit() for ch in name):
            continue
        if direction is not None:
            bearing = GEOD.inv(centre.lon, centre.lat, x, y)[0] % 360
            if _angle_off(bearing, direction.value) > 45.0:
                continue
        straight = geodesic_m(centre.lon, centre.lat, x, y) / 1000.0
        if lo <= straight <= hi:
            line_hits.append((straight, name))
        # Road distance to the nearest node (within 5 km) is close enough to rank places.
        d2 = ((nodes[:, 0] - x) * math.cos(math.radians(y))) ** 2 + (nodes[:, 1] - y) ** 2
        k = int(np.argmin(d2))
        if math.sqrt(d2[k]) * M_PER_DEG <= 5_000.0 and lo <= tree.cost[k] / 1000.0 <= hi:
            road_hits.append((tree.cost[k] / 1000.0, name))
    for hits, how in ((road_hits, "by road"), (line_hits, "in a straight line")):
        if hits:
            best = sorted(hits, key=lambda h: abs(h[0] - stated))[:5]
            where = f"{direction.value} of {centre}" if direction is not None else f"from {centre}"
            out.append(
                f"Places {stated:g} km or so {where} {how}: "
                + ", ".join(f"{n} ({km:.0f} km)" for km, n in best)
                + "."
            )
    return out


def _angle_off(bearing: float, direction: str) -> float:
    target = _COMPASS.index(direction) * 45.0
    return abs((bearing - target + 180.0) % 360.0 - 180.0)


def _compass(bearing: float) -> str:
    return _COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


register("distance", DistanceClaim, check_distance)
