"""Building blocks of claim models: sources, defaults, place references, the base classes.

Each claim kind (:mod:`routing.claims.kinds`) subclasses :class:`ClaimBase` (or
:class:`MeasuredClaimBase` for a stated figure) and registers itself;
:mod:`routing.claims.model` assembles the claim file from the registered kinds. Place
references are plain strings resolved later by the gazetteer. Comparison settings left out of
a claim come from the file's ``defaults`` and then from
:data:`~routing.claims.units.DEFAULT_TOLERANCE` and the ``DEFAULT_*`` constants here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar

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
    "DEFAULT_ALONG_ROUTE_TOLERANCE_KM",
    "DEFAULT_BORDER_TOLERANCE_KM",
    "DEFAULT_OUTSKIRTS_RADIUS_KM",
    "DIRECTION_WORDINGS",
    "MEASURE_WORDINGS",
    "ClaimBase",
    "ClaimId",
    "Defaults",
    "Direction",
    "Fraction",
    "Measure",
    "MeasuredClaimBase",
    "NonEmptyStr",
    "Origin",
    "PlaceList",
    "PlaceRef",
    "PositiveNumber",
    "Source",
    "UnitField",
    "parsed_by",
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


# Natural wordings accepted in claim files, like the qualifiers' (files store the canonical).
MEASURE_WORDINGS = Wordings(
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
DIRECTION_WORDINGS = Wordings(
    "direction",
    Direction,
    dict(zip(["n", "ne", "e", "se", "s", "sw", "w", "nw"], Direction, strict=True)),
    "'north-west', 'NW'",
)


def parsed_by(parse: Callable[[str], Any]) -> BeforeValidator:
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
UnitField = Annotated[Unit, parsed_by(parse_unit)]
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


class StrictModel(BaseModel):
    """Base of every model of the claim file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Source(StrictModel):
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


class Defaults(StrictModel):
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

    def tolerance_of(self, claim: MeasuredClaimBase) -> float:
        """Relative tolerance of a claim with a stated figure: its own, else by qualifier."""
        if claim.tolerance is not None:
            return claim.tolerance
        return self.tolerance_for(claim.qualifier)

    def accepted_range(self, claim: MeasuredClaimBase) -> tuple[float, float]:
        """Measured values (km or h) that agree with the claim's value and qualifier."""
        q = claim.quantity
        return accepted_range(q.base_value, q.qualifier, self.tolerance_of(claim), q.base_max)


class ClaimBase(StrictModel):
    """Fields every claim has; a kind adds ``kind: Literal[...]`` and its own fields."""

    id: ClaimId
    quote: Annotated[NonEmptyStr, Field(description="The sentence(s) stating the claim, verbatim.")]
    source: Source | None = Field(default=None, description="Defaults to the file's source.")
    note: NonEmptyStr | None = Field(
        default=None, description="How the claim was read; anything a reviewer should know."
    )
    review: NonEmptyStr | None = Field(
        default=None,
        description="Why a person must confirm this reading (set by `routing extract`); "
        "no true/false verdict is given until `confirmed: true`.",
    )
    confirmed: bool = Field(
        default=False, description="A person has checked the reading flagged in `review`."
    )
    _origin: Origin | None = PrivateAttr(default=None)
    # Fields (by their YAML key) that hold place references for the gazetteer.
    _place_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def kind_name(self) -> str:
        """The claim's ``kind``."""
        return str(getattr(self, "kind", type(self).__name__))

    @property
    def origin(self) -> Origin | None:
        """Where the claim was loaded from (``None`` for claims built in code)."""
        return self._origin

    @property
    def needs_review(self) -> bool:
        """True while a reading flagged for review has not been confirmed by a person."""
        return self.review is not None and not self.confirmed

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

    def describe(self) -> str:
        """The claim in a few words, e.g. ``"just 100 km"``; kinds override it."""
        return self.quote

    def places_text(self) -> str:
        """The places the claim is about: ``"Husaybah to Baghdad"``, else their names."""
        refs: dict[str, list[str]] = {}
        for key, _, name in self.place_refs():
            refs.setdefault(key, []).append(name)
        if "from" in refs and "to" in refs:
            return f"{' / '.join(refs['from'])} to {' / '.join(refs['to'])}"
        return ", ".join(name for names in refs.values() for name in names)


class MeasuredClaimBase(ClaimBase):
    """A claim stating a figure (a distance or a time) with a qualifier."""

    value: Annotated[PositiveNumber, Field(description="The stated figure, in `unit`.")]
    value_max: PositiveNumber | None = Field(
        default=None,
        description="Upper end of a stated range ('8-10 miles': value 8, value_max 10).",
    )
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

    @model_validator(mode="after")
    def _range_order(self) -> MeasuredClaimBase:
        if self.value_max is not None and self.value_max <= self.value:
            raise ValueError(
                f"value_max ({self.value_max:g}) must be larger than value ({self.value:g})"
            )
        return self

    @property
    def quantity(self) -> Quantity:
        """The stated value (or range) as a :class:`~routing.claims.units.Quantity`."""
        return Quantity(
            value=self.value, unit=self.unit, qualifier=self.qualifier, value_max=self.value_max
        )

    def describe(self) -> str:
        """E.g. ``"just 100 km"``, ``"under 4 h"``, ``"about 80-90 mi"``."""
        q = self.quantity
        qual = "" if q.qualifier is Qualifier.NONE else f"{q.qualifier.value} "
        top = "" if q.value_max is None else f"-{q.value_max:g}"
        return f"{qual}{q.value:g}{top} {q.unit.value}"
