"""Tests for routing.claims.model: claim kinds, validation, defaults, JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from routing.claims.base import DEFAULT_OUTSKIRTS_RADIUS_KM, Direction, Measure
from routing.claims.model import (
    AlongRouteClaim,
    BorderClaim,
    ClaimFile,
    DestinationRule,
    DistanceClaim,
    TravelTimeClaim,
    claim_file_schema,
)
from routing.claims.units import Qualifier, Unit


def distance(**changes: Any) -> dict[str, Any]:
    claim = {
        "id": "d",
        "kind": "distance",
        "quote": "q",
        "from": "Qaim",
        "to": "Baghdad",
        "value": 500,
        "unit": "km",
    }
    return claim | changes


def test_wordings_are_normalised() -> None:
    claim = DistanceClaim.model_validate(
        distance(unit="kilometres", qualifier="approximately", direction="North-West")
    )
    assert (claim.unit, claim.qualifier, claim.direction) == (
        Unit.KM,
        Qualifier.ABOUT,
        Direction.NORTHWEST,
    )
    travel = TravelTimeClaim.model_validate(
        {
            "id": "t",
            "kind": "travel_time",
            "quote": "q",
            "from": "Abu Kamal",
            "to": "Baghdad",
            "value": 4,
            "unit": "hours",
            "qualifier": "less than",
            "destination_rule": "outskirts",
        }
    )
    assert travel.from_ == ["Abu Kamal"]
    assert travel.destination_rule is DestinationRule.OUTSKIRTS


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "h"}, "not a length unit"),
        ({"unit": "furlong"}, "unknown unit"),
        ({"value": True}, "valid number"),
        ({"value": "100"}, "valid number"),
        ({"value": -5}, "greater than 0"),
        ({"alt_value": 60}, "give both or neither"),
        ({"alt_value": 60, "alt_unit": "min"}, "not a length unit"),
        ({"tolerance": 1.5}, "less than 1"),
        ({"id": "has space"}, "pattern"),
        ({"qualifier": "perhaps"}, "unknown qualifier"),
        ({"colour": "red"}, "Extra inputs"),
    ],
)
def test_bad_distance_claims_are_rejected(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DistanceClaim.model_validate(distance(**changes))


def test_radius_only_with_outskirts() -> None:
    with pytest.raises(ValidationError, match="only used with destination_rule: outskirts"):
        TravelTimeClaim.model_validate(
            {
                "id": "t",
                "kind": "travel_time",
                "quote": "q",
                "from": "A",
                "to": "B",
                "value": 1,
                "unit": "h",
                "outskirts_radius_km": 10,
            }
        )


def test_source_is_inherited_and_merged() -> None:
    cf = ClaimFile.model_validate(
        {
            "source": {"publication": "CNN", "date": "2014-06-21"},
            "claims": [distance(), distance(id="e", source={"url": "https://example.org/a"})],
        }
    )
    assert cf.claims[0].source == cf.source
    merged = cf.claims[1].source
    assert merged is not None
    assert (merged.publication, merged.url) == ("CNN", "https://example.org/a")
    with pytest.raises(ValidationError, match="source needs at least one of"):
        ClaimFile.model_validate({"source": {}, "claims": []})


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(ValidationError, match="duplicate claim id 'd'"):
        ClaimFile.model_validate({"claims": [distance(), distance()]})


def test_tolerances_come_from_claim_then_file_then_table() -> None:
    cf = ClaimFile.model_validate(
        {
            "defaults": {"tolerance": {"about": 0.2}, "border_tolerance_km": 3},
            "claims": [
                distance(qualifier="about"),
                distance(id="e", tolerance=0.05),
                distance(id="f", qualifier="under"),
                {"id": "b", "kind": "border", "quote": "q", "place": "Qaim", "border_with": "SY"},
                {
                    "id": "r",
                    "kind": "along_route",
                    "quote": "q",
                    "places": ["Ana"],
                    "from": "Qaim",
                    "to": "Baghdad",
                    "tolerance_km": 2,
                },
            ],
        }
    )
    about, tight, under, border, along = cf.claims
    assert isinstance(about, DistanceClaim) and isinstance(tight, DistanceClaim)
    assert isinstance(under, DistanceClaim)
    assert cf.defaults.accepted_range(about) == pytest.approx((400, 600))
    assert cf.defaults.accepted_range(tight) == pytest.approx((475, 525))
    assert cf.defaults.accepted_range(under) == pytest.approx((0, 525))
    assert isinstance(border, BorderClaim) and isinstance(along, AlongRouteClaim)
    assert (
        border.distance_tolerance_km(cf.defaults),
        along.distance_tolerance_km(cf.defaults),
    ) == (
        3,
        2,
    )


def test_travel_time_in_minutes_is_compared_in_hours() -> None:
    cf = ClaimFile.model_validate(
        {
            "claims": [
                {
                    "id": "t",
                    "kind": "travel_time",
                    "quote": "q",
                    "from": ["A", "B"],
                    "to": "C",
                    "value": 90,
                    "unit": "min",
                    "qualifier": "about",
                    "destination_rule": "outskirts",
                }
            ]
        }
    )
    claim = cf.claims[0]
    assert isinstance(claim, TravelTimeClaim)
    assert cf.defaults.accepted_range(claim) == pytest.approx((1.275, 1.725))
    assert claim.destination_radius_km(cf.defaults) == DEFAULT_OUTSKIRTS_RADIUS_KM
    assert claim.place_refs() == [("from", 0, "A"), ("from", 1, "B"), ("to", None, "C")]


def test_json_schema_lists_kinds_units_and_yaml_keys() -> None:
    schema = claim_file_schema()
    defs = schema["$defs"]
    assert set(schema["properties"]) == {"version", "source", "defaults", "claims"}
    assert {"DistanceClaim", "TravelTimeClaim", "AlongRouteClaim", "BorderClaim"} <= set(defs)
    assert "from" in defs["DistanceClaim"]["properties"]
    assert "from_" not in defs["DistanceClaim"]["properties"]
    assert set(defs["Unit"]["enum"]) == {"km", "mi", "m", "h", "min"}
    assert "value" in defs["DistanceClaim"]["required"]


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("straight line", Measure.STRAIGHT_LINE),
        ("straight-line", Measure.STRAIGHT_LINE),
        ("Straight_Line", Measure.STRAIGHT_LINE),
        ("as the crow flies", Measure.STRAIGHT_LINE),
        ("road", Measure.ROAD),
        ("by road", Measure.ROAD),
        ("unspecified", Measure.UNSPECIFIED),
        ("either", Measure.UNSPECIFIED),
    ],
)
def test_measure_accepts_natural_wordings(wording: str, expected: Measure) -> None:
    assert DistanceClaim.model_validate(distance(measure=wording)).measure is expected


def test_unknown_wordings_name_the_field_and_the_choices() -> None:
    with pytest.raises(ValidationError, match="unknown measure 'by boat'; expected one of road"):
        DistanceClaim.model_validate(distance(measure="by boat"))
    with pytest.raises(ValidationError, match="unknown direction 'up'"):
        DistanceClaim.model_validate(distance(direction="up"))
    assert DistanceClaim.model_validate(distance(direction="NW")).direction is Direction.NORTHWEST


def test_canonical_spellings_are_written_back() -> None:
    claim = DistanceClaim.model_validate(distance(measure="as the crow flies"))
    assert claim.model_dump(mode="json")["measure"] == "straight_line"
