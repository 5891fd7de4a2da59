"""Tests for routing.claims.units: numbers, units, qualifiers, conversions."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.claims.units import (
    DEFAULT_TOLERANCE,
    Bound,
    Qualifier,
    Unit,
    Wordings,
    accepted_range,
    find_quantities,
    parse_number,
    parse_qualifier,
    parse_quantity,
    parse_unit,
    word_key,
)

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    """English words for 0 <= n < 10000 ("two thousand and five", "ninety-nine")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = f" and {spell(n % 100)}" if n % 100 else ""
        return f"{ONES[n // 100]} hundred{rest}"
    rest = n % 1000
    tail = "" if not rest else (f" and {spell(rest)}" if rest < 100 else f" {spell(rest)}")
    return f"{spell(n // 1000)} thousand{tail}"


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "alt"),
    [
        ("100 kilometers (60 miles)", 100, Unit.KM, Qualifier.NONE, (60, Unit.MI)),
        ("just 100 kilometers (60 miles)", 100, Unit.KM, Qualifier.JUST, (60, Unit.MI)),
        ("about 500 km", 500, Unit.KM, Qualifier.ABOUT, None),
        ("less than four hours", 4, Unit.H, Qualifier.UNDER, None),
        ("in under 2 hrs", 2, Unit.H, Qualifier.UNDER, None),
        ("at least 3 miles", 3, Unit.MI, Qualifier.OVER, None),
        ("2h30", 2.5, Unit.H, Qualifier.NONE, None),
        ("1 hour 20 minutes", 1 + 20 / 60, Unit.H, Qualifier.NONE, None),
        ("90 min", 90, Unit.MIN, Qualifier.NONE, None),
        ("two and a half hours", 2.5, Unit.H, Qualifier.NONE, None),
        ("an hour and a half", 1.5, Unit.H, Qualifier.NONE, None),
        ("half an hour", 0.5, Unit.H, Qualifier.NONE, None),
        ("a hundred miles", 100, Unit.MI, Qualifier.NONE, None),
        ("1,200 metres", 1200, Unit.M, Qualifier.NONE, None),
        ("some 40km", 40, Unit.KM, Qualifier.ABOUT, None),
    ],
)
def test_parse_quantity(
    text: str, value: float, unit: Unit, qualifier: Qualifier, alt: object
) -> None:
    q = parse_quantity(text)
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert (None if q.alt is None else (q.alt.value, q.alt.unit)) == alt


@pytest.mark.parametrize(
    "text", ["100", "km", "100 furlongs", "one two km", "four hours and 20 km", "", "a km km"]
)
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a quantity"):
        parse_quantity(text)


def test_find_quantities_in_article_sentence() -> None:
    text = (
        "Since clashes erupted Friday in Qaim, at least 11 Iraqi soldiers have been killed. "
        "Qaim, located about 500 kilometers (300 miles) west of Baghdad, and 4 hours 20 militants"
    )
    found = find_quantities(text)
    assert [(q.value, q.unit, q.qualifier) for q in found] == [
        (500, Unit.KM, Qualifier.ABOUT),
        (4, Unit.H, Qualifier.NONE),  # "20 militants" are not minutes
    ]
    assert text[slice(*found[0].span)] == "about 500 kilometers (300 miles)"


@pytest.mark.parametrize("text", ["I am here", "Ah, well", "a four-way deal", "70% of Anbar"])
def test_no_quantity_in_plain_words(text: str) -> None:
    assert find_quantities(text) == []


def test_conversions() -> None:
    assert parse_quantity("60 miles").to(Unit.KM) == pytest.approx(96.56064)
    assert parse_quantity("90 min").base_value == pytest.approx(1.5)
    assert parse_quantity("1500 m").to(Unit.KM) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="cannot convert"):
        parse_quantity("2 h").to(Unit.KM)


def test_units_and_qualifiers_by_wording() -> None:
    assert parse_unit(" Kilometres ") is Unit.KM
    assert parse_qualifier("Less  than") is Qualifier.UNDER
    assert parse_qualifier(None) is Qualifier.NONE
    with pytest.raises(ValueError, match="unknown unit 'furlong'"):
        parse_unit("furlong")
    with pytest.raises(ValueError, match="unknown qualifier"):
        parse_qualifier("perhaps")


def test_accepted_range_follows_qualifier_bound() -> None:
    assert accepted_range(100, Qualifier.ABOUT, 0.15) == pytest.approx((85, 115))
    assert accepted_range(4, Qualifier.UNDER, 0.05) == pytest.approx((0, 4.2))
    low, high = accepted_range(10, Qualifier.OVER, 0.05)
    assert (low, high) == (pytest.approx(9.5), math.inf)
    assert Qualifier.JUST.bound is Bound.APPROXIMATE
    assert DEFAULT_TOLERANCE[Qualifier.NONE] < DEFAULT_TOLERANCE[Qualifier.ABOUT]
    with pytest.raises(ValueError):
        accepted_range(1, Qualifier.NONE, -0.1)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=9999))
def test_parse_number_round_trips_spelled_numbers(n: int) -> None:
    assert parse_number(spell(n)) == n
    assert parse_number(f"{n:,}") == n


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["km", "kilometres", "miles", "mi", "hours", "h", "minutes", "metres"]),
    st.sampled_from(["", "about ", "less than ", "at least ", "just "]),
)
def test_spelled_quantities_parse_back(n: int, unit: str, qualifier: str) -> None:
    for number in (str(n), spell(n)):
        q = parse_quantity(f"{qualifier}{number} {unit}")
        assert (q.value, q.unit, q.qualifier) == (n, parse_unit(unit), parse_qualifier(qualifier))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-()hkmiles aboutwndfr")), max_size=60))
def test_find_quantities_fuzz(text: str) -> None:
    for q in find_quantities(text):
        assert math.isfinite(q.value) and q.value >= 0
        assert text[slice(*q.span)] == q.text
        assert q.unit in Unit
        assert q.alt is None or q.alt.dimension is q.dimension


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parsers_never_crash_on_arbitrary_text(text: str) -> None:
    find_quantities(text)
    for parse in (parse_number, parse_unit, parse_qualifier, parse_quantity):
        with contextlib.suppress(ValueError):
            parse(text)


def test_wordings_ignore_case_spacing_hyphens_and_underscores() -> None:
    assert parse_qualifier("Less-Than") is Qualifier.UNDER
    assert parse_qualifier("at_least") is Qualifier.OVER
    assert parse_unit(" KiloMetres ") is Unit.KM
    assert word_key("North-West") == word_key("north west") == "northwest"
    table = Wordings("colour", Qualifier, {"roughly": Qualifier.ABOUT})
    assert table.parse("ABOUT") is Qualifier.ABOUT  # canonical values are always accepted
    with pytest.raises(ValueError, match="unknown colour 'red'; expected one of none, about"):
        table.parse("red")
