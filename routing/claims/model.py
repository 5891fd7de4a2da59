"""The claim file format: pydantic models and their JSON Schema.

A claim file is YAML (see ``docs/claims.md``) holding a file-level ``source``, optional
``defaults`` and a list of ``claims``. Each claim has a ``kind``, one of the registered claim
kinds (:mod:`routing.claims.kinds`):

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
``border_distance``, ``river_distance``
    A stated distance from a place to a border or a river ("30 miles south of the Turkish
    border").
``relative``
    A place closer to one place than to another, or halfway between two places.

A measured claim (``distance``, ``travel_time``, ``border_distance``, ``river_distance``) may
state a range: ``value`` and ``value_max`` ("8-10 miles").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .base import ClaimBase, Defaults, Source, StrictModel
from .kinds import kinds
from .kinds.along_route import AlongRouteClaim, RouteChoice
from .kinds.border import BorderClaim
from .kinds.distance import DistanceClaim
from .kinds.feature_distance import BorderDistanceClaim, RiverDistanceClaim
from .kinds.relative import RelativeClaim
from .kinds.travel_time import DestinationRule, TravelMode, TravelTimeClaim

__all__ = [
    "CLAIM_TYPES",
    "AlongRouteClaim",
    "BorderClaim",
    "BorderDistanceClaim",
    "Claim",
    "ClaimFile",
    "DestinationRule",
    "DistanceClaim",
    "RelativeClaim",
    "RiverDistanceClaim",
    "RouteChoice",
    "TravelMode",
    "TravelTimeClaim",
    "claim_file_schema",
]

#: Claim model of each registered ``kind``.
CLAIM_TYPES: dict[str, type[ClaimBase]] = {name: k.model for name, k in kinds().items()}

if TYPE_CHECKING:
    Claim = ClaimBase
else:
    # A claim is any registered kind, told apart by its ``kind`` field.
    Claim = Annotated[Union[tuple(CLAIM_TYPES.values())], Field(discriminator="kind")]  # noqa: UP007


class ClaimFile(StrictModel):
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


def claim_file_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the claim file format."""
    schema = ClaimFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Checkable claims about distances and travel times, with their quotes and sources. "
        "See docs/claims.md."
    )
    return schema
