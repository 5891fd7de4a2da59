"""Tests for routing.claims.io: safe YAML loading with lines, errors, dumping, place checks."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from routing.claims.io import dump_claims, load_claims, loads_claims, validate_places
from routing.exceptions import (
    AmbiguousPlaceError,
    ClaimFileError,
    DataNotFoundError,
    PlaceNotFoundError,
)
from routing.gazetteer import find_place

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "isis-anbar-2014.yaml"

GOOD = textwrap.dedent(
    """\
    source:
      publication: CNN
    claims:
      - id: qaim-baghdad
        kind: distance
        quote: Qaim, located about 500 kilometers (300 miles) west of Baghdad.
        from: Qaim
        to: Baghdad
        value: 500
        unit: km
      - id: towns
        kind: along_route
        quote: the four towns are situated along a highway
        places:
          - Qaim
          - Rawa
        from: Abu Kamal
        to: Baghdad
    """
)


def stub_resolver(name: str) -> SimpleNamespace:
    if name == "Rawa":
        raise PlaceNotFoundError(name, ["Rawah"])
    if name == "Abu Kamal":
        raise AmbiguousPlaceError(name, ["Abu Kamal, SY", "Abu Kamal, IQ"])
    return SimpleNamespace(name=name)


def error_of(text: str) -> str:
    with pytest.raises(ClaimFileError) as info:
        loads_claims(text, "claims.yaml")
    return str(info.value)


def test_lines_of_claims_fields_and_items_are_kept() -> None:
    cf = loads_claims(GOOD, "claims.yaml")
    first, second = cf.claims
    assert first.origin is not None and second.origin is not None
    assert (first.origin.path, first.origin.line) == ("claims.yaml", 4)
    assert first.origin.line_of("unit") == 10
    assert second.origin.line_of("places", 1) == 16
    assert second.origin.line_of("nonexistent") == second.origin.line


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    unit: km\n", "", "claims.yaml:4: claim 'qaim-baghdad': missing field 'unit'"),
        ("unit: km", "unit: furlong", "claims.yaml:10: claim 'qaim-baghdad': unit: unknown unit"),
        ("kind: distance", "kind: distanse", "claims.yaml:5: claim 'qaim-baghdad': unknown kind"),
        ("    kind: distance\n", "", "claims.yaml:4: claim 'qaim-baghdad': missing field 'kind'"),
        (
            "  - id: towns",
            "  - id: qaim-baghdad",
            "claims.yaml:11: claim 'qaim-baghdad': duplicate claim id",
        ),
        (
            "unit: km",
            "unit: km\n    qualifer: about",
            "claims.yaml:11: claim 'qaim-baghdad': "
            "unknown field 'qualifer'; did you mean 'qualifier'?",
        ),
        ("  - id: qaim-baghdad\n", "  -\n", "claims.yaml:5: claim #1: missing field 'id'"),
        ("value: 500", "value: [500", "claims.yaml:10: invalid YAML"),
        ("value: 500", "value: 500\n    value: 600", "claims.yaml:10: invalid YAML: duplicate key"),
        ("publication: CNN", "publisher: CNN", "claims.yaml:2: unknown field 'publisher'"),
    ],
)
def test_malformed_files_name_line_and_claim(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert error_of(GOOD.replace(old, new, 1)).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "claims.yaml:1: a claim file is a mapping"),
        ("- a\n- b\n", "not a list"),
        (
            "claims: !!python/object/apply:os.system [echo hi]\n",
            "could not determine a constructor",
        ),
        ("claims: 3\n", "claims.yaml:1: claims: Input should be a valid list"),
        ("version: 2\nclaims: []\n", "version"),
    ],
)
def test_unsafe_or_wrong_documents_are_rejected(text: str, expected: str) -> None:
    assert expected in error_of(text)


def test_every_problem_is_reported() -> None:
    bad = GOOD[: GOOD.rindex("    to: Baghdad")].replace("unit: km", "unit: furlong")
    message = error_of(bad)
    assert message.splitlines() == [
        "claims.yaml:10: claim 'qaim-baghdad': unit: unknown unit 'furlong'; "
        "expected one of km, mi, m, h, min",
        "claims.yaml:11: claim 'towns': missing field 'to'",
    ]


def test_dump_round_trips_the_example() -> None:
    cf = load_claims(EXAMPLE)
    text = dump_claims(cf, comments={"qaim-baghdad-distance": ["review: check me"]})
    again = loads_claims(text)
    assert again.model_dump() == cf.model_dump()
    assert "  # review: check me\n  - id: qaim-baghdad-distance\n" in text
    assert text.count("publication:") == 1  # inherited sources are not repeated


def test_missing_file_is_data_not_found(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError):
        load_claims(tmp_path / "nope.yaml")


def test_validate_places_names_claim_line_and_suggestions() -> None:
    cf = loads_claims(GOOD, "claims.yaml")
    with pytest.raises(ClaimFileError) as info:
        validate_places(cf, stub_resolver)
    lines = str(info.value).splitlines()
    assert lines == [
        "claims.yaml:16: claim 'towns': places: unknown place 'Rawa'; did you mean: Rawah?",
        "claims.yaml:17: claim 'towns': from: ambiguous place 'Abu Kamal'; "
        "candidates: Abu Kamal, SY; Abu Kamal, IQ",
    ]


def test_validate_places_returns_each_resolved_place_once() -> None:
    calls: list[str] = []

    def resolver(name: str) -> str:
        calls.append(name)
        return name.upper()

    resolved = validate_places(load_claims(EXAMPLE), resolver)
    assert resolved["Qaim"] == "QAIM"
    assert sorted(calls) == sorted(set(calls))
    assert {"Qaim", "Rawa", "Ana", "Husaybah", "Baghdad", "Abu Kamal", "Al-Qaim"} == set(calls)


def test_example_places_resolve_with_the_real_gazetteer() -> None:
    resolved = validate_places(load_claims(EXAMPLE), find_place)
    assert {place.country for place in resolved.values()} == {"IQ", "SY"}
    with pytest.raises(
        ClaimFileError,
        match=r"claims.yaml:7: claim 'qaim-baghdad': from: "
        r"unknown place 'Qaimxyzzy'",
    ):
        validate_places(
            loads_claims(GOOD.replace("from: Qaim", "from: Qaimxyzzy"), "claims.yaml"),
            find_place,
        )
