"""The claim file format: pydantic models and their JSON Schema.

A claim file is YAML (see ``docs/claims.md``) holding a file-level ``source``, optional
``defaults`` and a list of ``claims``. Each claim has a ``kind``:

``distance``
    A stated distance between two places ("Qaim, located about 500 km west of Baghdad").
``travel_time``
    A stated travel time from one or several origins to a destination, its centre or its
    outskirts ("reaching the outskirts of Baghdad in less than four hours").
``along_route``
    Places said to lie along the route between two places ("the four towns are situated along
    a highway from Syria to Baghdad").
``border``
    A place on or at a border, optionally across the border from another place.

Place references are plain strings resolved later by the gazetteer. Comparison settings left
out of a claim come from the file's ``defaults`` and then from
:data:`~routing.claims.units.DEFAULT_TOLERANCE` and the ``DEFAULT_*`` constants here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Gt, Lt
from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .units import (
    DEFAULT_TOLERANCE,
    Dimension,
    Qualifier,
    Quantity,
    Unit,
    Wordings,
    accepted_range,
    parse_qualifier,
    parse_unit,
)

__all__ = [
    "CLAIM_TYPES",
    "DEFAULT_ALONG_ROUTE_TOLERANCE_KM",
    "DEFAULT_BORDER_TOLERANCE_KM",
    "DEFAULT_OUTSKIRTS_RADIUS_KM",
    "AlongRouteClaim",
    "BorderClaim",
    "Claim",
    "ClaimFile",
    "Defaults",
    "DestinationRule",
    "Direction",
    "DistanceClaim",
    "Measure",
    "MeasuredClaim",
    "Origin",
    "RouteChoice",
    "Source",
    "TravelTimeClaim",
    "claim_file_schema",
]

# "The outskirts of Baghdad": reached once within this distance of the city's centre point.
# Baghdad's built-up area reaches 12-20 km from its centre; 15 km is a middle reading.
DEFAULT_OUTSKIRTS_RADIUS_KM = 15.0
# A town lies "along" a route when the route passes within this distance of its centre.
DEFAULT_ALONG_ROUTE_TOLERANCE_KM = 5.0
# A town is "on the border" when its centre lies within this distance of the border line;
# border towns' centres often sit a few kilometres inside the country.
DEFAULT_BORDER_TOLERANCE_KM = 10.0


class Measure(StrEnum):
    """Which distance a claim means."""

    ROAD = "road"
    STRAIGHT_LINE = "straight_line"
    UNSPECIFIED = "unspecified"


class Direction(StrEnum):
    """Compass direction of ``from`` as seen from ``to`` ("500 km *west of* Baghdad")."""

    NORTH = "north"
    NORTHEAST = "northeast"
    EAST = "east"
    SOUTHEAST = "southeast"
    SOUTH = "south"
    SOUTHWEST = "southwest"
    WEST = "west"
    NORTHWEST = "northwest"


class DestinationRule(StrEnum):
    """Where a trip to a place ends."""

    CENTRE = "centre"
    OUTSKIRTS = "outskirts"


class RouteChoice(StrEnum):
    """Which route between two places an ``along_route`` claim is checked on."""

    FASTEST = "fastest"
    SHORTEST = "shortest"


# Natural wordings accepted in claim files, like the qualifiers' (files store the canonical).
_MEASURES = Wordings(
    "measure",
    Measure,
    {
        **dict.fromkeys(["by road", "road distance", "driving distance", "by car"], Measure.ROAD),
        **dict.fromkeys(
            [
                "straight line",
                "in a straight line",
                "as the crow flies",
                "crow flies",
                "geodesic",
                "great circle",
            ],
            Measure.STRAIGHT_LINE,
        ),
        **dict.fromkeys(["either", "both", "not stated"], Measure.UNSPECIFIED),
    },
    "'by road', 'straight line', 'as the crow flies'",
)
_DIRECTIONS = Wordings(
    "direction",
    Direction,
    dict(zip(["n", "ne", "e", "se", "s", "sw", "w", "nw"], Direction, strict=True)),
    "'north-west', 'NW'",
)
_DESTINATION_RULES = Wordings(
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
_ROUTE_CHOICES = Wordings("route", RouteChoice, {"quickest": RouteChoice.FASTEST}, "'quickest'")


def _parsed_by(parse: Callable[[str], Any]) -> BeforeValidator:
    """Validator mapping a string through ``parse``; other values go to pydantic as is."""
    return BeforeValidator(lambda v: parse(v) if isinstance(v, str) else v)


def _qualifier(value: Any) -> Any:
    # A YAML ``qualifier:`` left empty (null) means no qualifier, like the empty string.
    return parse_qualifier(value) if value is None or isinstance(value, str) else value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PlaceRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(description="A place name, 'Name, Country' or 'lat,lon', resolved by the gazetteer."),
]
PlaceList = Annotated[list[PlaceRef], BeforeValidator(_as_list), Field(min_length=1)]
ClaimId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80),
    Field(description="Unique id: letters, digits, '-', '_', '.'."),
]
# Plain constraint markers, not a shared Field(): pydantic before 2.12 let a default given to
# one field that uses an aliased Field() leak into every other field using the same alias.
PositiveNumber = Annotated[float, Strict(), Gt(0), AllowInfNan(False)]
Fraction = Annotated[float, Strict(), Ge(0), Lt(1), AllowInfNan(False)]
UnitField = Annotated[Unit, _parsed_by(parse_unit)]
QualifierField = Annotated[Qualifier, BeforeValidator(_qualifier)]


@dataclass(frozen=True)
class Origin:
    """Where a claim was read from, for error messages that name a line.

    Attributes
    ----------
    path
        File name as given to the loader.
    line
        1-based line of the claim's first key.
    field_lines
        Line of each field's key.
    item_lines
        Lines of the items of list fields (``places``, ``from``).
    """

    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, name: str | None = None, index: int | None = None) -> int:
        """Line of a field (or of its ``index``-th item), falling back to the claim's line."""
        items = self.item_lines.get(name or "", [])
        if index is not None and 0 <= index < len(items):
            return items[index]
        return self.field_lines.get(name or "", self.line)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Source(_Strict):
    """Where a claim was published. Claims inherit missing fields from the file's source."""

    publication: NonEmptyStr | None = None
    title: NonEmptyStr | None = None
    author: NonEmptyStr | None = None
    date: dt.date | None = None
    url: NonEmptyStr | None = None
    file: NonEmptyStr | None = Field(
        default=None, description="Local copy of the text the quotes come from."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Source:
        if not self.model_fields_set:
            raise ValueError("source needs at least one of: " + ", ".join(Source.model_fields))
        return self

    def merged_over(self, base: Source | None) -> Source:
        """This source with fields it leaves out taken from ``base``."""
        if base is None:
            return self
        return base.model_copy(update=self.model_dump(exclude_unset=True))


class Defaults(_Strict):
    """File-wide comparison settings; each claim may override its own."""

    tolerance: dict[QualifierField, Fraction] = Field(
        default_factory=dict,
        description="Relative tolerance per qualifier, overriding the built-in table.",
    )
    outskirts_radius_km: PositiveNumber = DEFAULT_OUTSKIRTS_RADIUS_KM
    along_route_tolerance_km: PositiveNumber = DEFAULT_ALONG_ROUTE_TOLERANCE_KM
    border_tolerance_km: PositiveNumber = DEFAULT_BORDER_TOLERANCE_KM

    def tolerance_for(self, qualifier: Qualifier) -> float:
        """Relative tolerance for a qualifier: this block's, else the built-in default."""
        return self.tolerance.get(qualifier, DEFAULT_TOLERANCE[qualifier])


class _Claim(_Strict):
    id: ClaimId
    quote: Annotated[NonEmptyStr, Field(description="The sentence(s) stating the claim, verbatim.")]
    source: Source | None = Field(default=None, description="Defaults to the file's source.")
    note: NonEmptyStr | None = Field(
        default=None, description="How the claim was read; anything a reviewer should know."
    )
    _origin: Origin | None = PrivateAttr(default=None)
    # Fields (by their YAML key) that hold place references for the gazetteer.
    _place_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def origin(self) -> Origin | None:
        """Where the claim was loaded from (``None`` for claims built in code)."""
        return self._origin

    def place_refs(self) -> list[tuple[str, int | None, str]]:
        """Every place this claim names, as ``(field, index in list or None, name)``."""
        refs: list[tuple[str, int | None, str]] = []
        for name, info in type(self).model_fields.items():
            key = info.serialization_alias or name
            if key not in self._place_fields:
                continue
            value = getattr(self, name)
            if isinstance(value, list):
                refs.extend((key, i, item) for i, item in enumerate(value))
            elif value is not None:
                refs.append((key, None, value))
        return refs


class _MeasuredClaim(_Claim):
    value: Annotated[PositiveNumber, Field(description="The stated figure, in `unit`.")]
    unit: UnitField
    qualifier: QualifierField = Qualifier.NONE
    tolerance: Fraction | None = Field(
        default=None, description="Relative tolerance; default set by the qualifier."
    )
    _dimension: ClassVar[Dimension]

    @field_validator("unit")
    @classmethod
    def _unit_dimension(cls, unit: Unit) -> Unit:
        if unit.dimension is not cls._dimension:
            wanted = [u.value for u in Unit if u.dimension is cls._dimension]
            raise ValueError(
                f"unit {unit.value!r} is not a {cls._dimension.value} unit; "
                f"use one of {', '.join(wanted)}"
            )
        return unit

    @property
    def quantity(self) -> Quantity:
        """The stated value as a :class:`~routing.claims.units.Quantity`."""
        return Quantity(value=self.value, unit=self.unit, qualifier=self.qualifier)


class DistanceClaim(_MeasuredClaim):
    """A stated distance between two places."""

    kind: Literal["distance"] = "distance"
    from_: PlaceRef = Field(validation_alias="from", serialization_alias="from")
    to: PlaceRef
    measure: Annotated[Measure, _parsed_by(_MEASURES.parse)] = Field(
        default=Measure.UNSPECIFIED,
        description="road, straight_line or unspecified (check both); also 'by road', "
        "'straight line', 'as the crow flies'.",
    )
    direction: Annotated[Direction | None, _parsed_by(_DIRECTIONS.parse)] = Field(
        default=None, description="Direction of `from` from `to` ('west of Baghdad')."
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


class TravelTimeClaim(_MeasuredClaim):
    """A stated travel time from one or several origins to a destination."""

    kind: Literal["travel_time"] = "travel_time"
    from_: PlaceList = Field(
        validation_alias="from",
        serialization_alias="from",
        description="Origin, or several: the claim is judged from the most favourable one.",
    )
    to: PlaceRef
    destination_rule: Annotated[DestinationRule, _parsed_by(_DESTINATION_RULES.parse)] = Field(
        default=DestinationRule.CENTRE,
        description="centre: the place's point; outskirts: a ring of outskirts_radius_km.",
    )
    outskirts_radius_km: PositiveNumber | None = None
    profiles: list[NonEmptyStr] | None = Field(
        default=None, min_length=1, description="Speed profiles to check; default: all."
    )

    _dimension = Dimension.TIME
    _place_fields = ("from", "to")

    @model_validator(mode="after")
    def _radius_needs_outskirts(self) -> TravelTimeClaim:
        if (
            self.outskirts_radius_km is not None
            and self.destination_rule is not DestinationRule.OUTSKIRTS
        ):
            raise ValueError("outskirts_radius_km is only used with destination_rule: outskirts")
        return self


class AlongRouteClaim(_Claim):
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
    route: Annotated[RouteChoice, _parsed_by(_ROUTE_CHOICES.parse)] = RouteChoice.FASTEST

    _place_fields = ("places", "from", "to")


class BorderClaim(_Claim):
    """A place on or at a border, optionally across the border from another place."""

    kind: Literal["border"] = "border"
    place: PlaceRef
    border_with: NonEmptyStr = Field(
        description="The country on the other side: ISO code or name ('SY', 'Syria')."
    )
    across_from: PlaceRef | None = Field(
        default=None, description="A place on the other side of the same border."
    )
    tolerance_km: PositiveNumber | None = Field(
        default=None, description="How far from the border line `place` may lie."
    )

    _place_fields = ("place", "across_from")


Claim = Annotated[
    DistanceClaim | TravelTimeClaim | AlongRouteClaim | BorderClaim,
    Field(discriminator="kind"),
]
MeasuredClaim = DistanceClaim | TravelTimeClaim
# Claim model of each ``kind``.
CLAIM_TYPES: dict[str, type[DistanceClaim | TravelTimeClaim | AlongRouteClaim | BorderClaim]] = {
    "distance": DistanceClaim,
    "travel_time": TravelTimeClaim,
    "along_route": AlongRouteClaim,
    "border": BorderClaim,
}


class ClaimFile(_Strict):
    """A claim file: source, defaults and claims.

    After validation every claim's ``source`` is complete: fields a claim leaves out are
    taken from the file-level ``source``.
    """

    model_config = ConfigDict(title="Claim file", extra="forbid", populate_by_name=True)

    version: Literal[1] = 1
    source: Source | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    claims: list[Claim] = Field(default_factory=list)

    @field_validator("claims")
    @classmethod
    def _unique_ids(cls, claims: list[Claim]) -> list[Claim]:
        seen: dict[str, int] = {}
        for i, claim in enumerate(claims):
            if claim.id in seen:
                raise PydanticCustomError(
                    "duplicate_id",
                    "duplicate claim id '{id}' (also used by claim #{first})",
                    {"id": claim.id, "index": i, "first": seen[claim.id] + 1},
                )
            seen[claim.id] = i
        return claims

    @model_validator(mode="after")
    def _inherit_source(self) -> ClaimFile:
        for claim in self.claims:
            claim.source = claim.source.merged_over(self.source) if claim.source else self.source
        return self

    def get(self, claim_id: str) -> Claim:
        """The claim with this id.

        Raises
        ------
        KeyError
            If there is none.
        """
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)

    def tolerance(self, claim: MeasuredClaim) -> float:
        """Relative tolerance of a distance or travel-time claim."""
        if claim.tolerance is not None:
            return claim.tolerance
        return self.defaults.tolerance_for(claim.qualifier)

    def accepted_range(self, claim: MeasuredClaim) -> tuple[float, float]:
        """Measured values (km or h) that agree with the claim's value and qualifier."""
        value = claim.quantity.base_value
        return accepted_range(value, claim.qualifier, self.tolerance(claim))

    def tolerance_km(self, claim: AlongRouteClaim | BorderClaim) -> float:
        """Distance tolerance of an along-route or border claim."""
        if claim.tolerance_km is not None:
            return claim.tolerance_km
        if isinstance(claim, AlongRouteClaim):
            return self.defaults.along_route_tolerance_km
        return self.defaults.border_tolerance_km

    def outskirts_radius_km(self, claim: TravelTimeClaim) -> float:
        """Radius of the destination ring; 0 when the trip ends at the centre."""
        if claim.destination_rule is DestinationRule.CENTRE:
            return 0.0
        if claim.outskirts_radius_km is not None:
            return claim.outskirts_radius_km
        return self.defaults.outskirts_radius_km


def claim_file_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the claim file format."""
    schema = ClaimFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Checkable claims about distances and travel times, with their quotes and sources. "
        "See docs/claims.md."
    )
    return schema
