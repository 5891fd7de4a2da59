"""Quantities as news text states them: numbers, units, qualifiers and their tolerances.

Parses "100 kilometers (60 miles)", "about 500 km", "less than four hours", "2h30", "90 min",
"two and a half hours", "a hundred miles" and written-out numbers up to the thousands; converts
to the toolkit's base units (kilometres and hours); and maps qualifiers ("just", "about",
"less than", ...) to the comparison a verdict uses, with default tolerances in one table.

Parsing functions raise :class:`ValueError` (as :func:`float` does) so that pydantic validators
and the claim-file loader can turn them into located :class:`~routing.exceptions.ClaimFileError`
messages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

__all__ = [
    "DEFAULT_TOLERANCE",
    "Bound",
    "Dimension",
    "Qualifier",
    "Quantity",
    "Unit",
    "Wordings",
    "accepted_range",
    "find_quantities",
    "parse_number",
    "parse_qualifier",
    "parse_quantity",
    "parse_unit",
    "word_key",
]

E = TypeVar("E", bound=StrEnum)


class Dimension(StrEnum):
    """What a unit measures."""

    LENGTH = "length"
    TIME = "time"


class Unit(StrEnum):
    """Units a claim may state; lengths convert to kilometres, times to hours."""

    KM = "km"
    MI = "mi"
    M = "m"
    H = "h"
    MIN = "min"

    @property
    def dimension(self) -> Dimension:
        """Length or time."""
        return Dimension.TIME if self in (Unit.H, Unit.MIN) else Dimension.LENGTH

    @property
    def factor(self) -> float:
        """How many base units (km or h) one of this unit is."""
        return _FACTORS[self]

    @property
    def base(self) -> Unit:
        """The base unit of this unit's dimension: km or h."""
        return Unit.H if self.dimension is Dimension.TIME else Unit.KM


_FACTORS = {Unit.KM: 1.0, Unit.MI: 1.609344, Unit.M: 0.001, Unit.H: 1.0, Unit.MIN: 1 / 60}


class Bound(StrEnum):
    """How a stated value is compared with a measured one."""

    APPROXIMATE = "approximate"  # measured within ±tolerance of the value
    UPPER = "upper"  # measured at most value·(1 + tolerance)
    LOWER = "lower"  # measured at least value·(1 − tolerance)


class Qualifier(StrEnum):
    """Canonical qualifiers; :func:`parse_qualifier` maps the wordings onto these."""

    NONE = "none"
    ABOUT = "about"
    JUST = "just"
    UNDER = "under"
    OVER = "over"

    @property
    def bound(self) -> Bound:
        """The comparison this qualifier asks for."""
        if self is Qualifier.UNDER:
            return Bound.UPPER
        if self is Qualifier.OVER:
            return Bound.LOWER
        return Bound.APPROXIMATE


# Relative tolerances used when neither the claim nor the file's ``defaults:`` sets one.
# A bare figure is taken at ±10 %; hedged figures ("about", "just") at ±15 %; bounds get a 5 %
# slack because published figures are rounded ("under four hours" for 4 h 05 min is fair).
DEFAULT_TOLERANCE: MappingProxyType[Qualifier, float] = MappingProxyType(
    {
        Qualifier.NONE: 0.10,
        Qualifier.ABOUT: 0.15,
        Qualifier.JUST: 0.15,
        Qualifier.UNDER: 0.05,
        Qualifier.OVER: 0.05,
    }
)

_SEPARATORS = re.compile(r"[\s_-]+")


def word_key(text: str) -> str:
    """Lookup key of a wording: case, spaces, hyphens and underscores do not count.

    ``"North-West"``, ``"north west"`` and ``"northwest"`` share a key, as do
    ``"straight line"``, ``"straight-line"`` and ``"straight_line"``.
    """
    return _SEPARATORS.sub("", text.casefold())


class Wordings(Generic[E]):
    """The natural wordings of a canonical :class:`~enum.StrEnum`, for claim files and text.

    Every canonical value is accepted as well as the wordings given; lookups go through
    :func:`word_key`, so spacing, case, hyphens and underscores do not matter.

    Parameters
    ----------
    what
        What the values are, for error messages ("unit", "measure").
    enum
        The canonical values.
    words
        Further wordings of each value.
    example
        Example wordings for the error message, if the canonical values are not enough.
    """

    def __init__(self, what: str, enum: type[E], words: Mapping[str, E], example: str = "") -> None:
        self.what, self.enum, self.example = what, enum, example
        self._table = {word_key(w): v for w, v in words.items()}
        self._table.update({word_key(v.value): v for v in enum})

    def parse(self, text: str) -> E:
        """The canonical value a wording names.

        Raises
        ------
        ValueError
            For a wording that names none.
        """
        found = self._table.get(word_key(text))
        if found is None:
            hint = f" (or a wording such as {self.example})" if self.example else ""
            raise ValueError(
                f"unknown {self.what} {text!r}; expected one of {', '.join(self.enum)}{hint}"
            )
        return found


# Wordings of each qualifier, as they appear before a number. "nearly"/"almost" imply a little
# less than the figure but are judged as approximate; "at least" is a (non-strict) lower bound
# like "over", a distinction no measurement can resolve.
_QUALIFIER_WORDS: dict[str, Qualifier] = {
    **dict.fromkeys(
        ["exactly", "precisely", "none", ""],
        Qualifier.NONE,
    ),
    **dict.fromkeys(
        [
            "about",
            "around",
            "roughly",
            "some",
            "nearly",
            "almost",
            "approximately",
            "approx.",
            "approx",
            "circa",
            "ca.",
            "an estimated",
            "close to",
            "estimated",
        ],
        Qualifier.ABOUT,
    ),
    **dict.fromkeys(["just", "only", "a mere", "merely", "barely"], Qualifier.JUST),
    **dict.fromkeys(
        [
            "under",
            "less than",
            "fewer than",
            "within",
            "no more than",
            "not more than",
            "at most",
            "up to",
            "just under",
            "below",
            "in under",
            "in less than",
        ],
        Qualifier.UNDER,
    ),
    **dict.fromkeys(
        [
            "over",
            "more than",
            "at least",
            "no less than",
            "not less than",
            "upwards of",
            "just over",
            "in excess of",
            "above",
        ],
        Qualifier.OVER,
    ),
}

_UNIT_WORDS: dict[str, Unit] = {
    **dict.fromkeys(
        ["km", "kms", "k.m.", "kilometer", "kilometers", "kilometre", "kilometres"], Unit.KM
    ),
    **dict.fromkeys(["mi", "mile", "miles"], Unit.MI),
    **dict.fromkeys(["m", "meter", "meters", "metre", "metres"], Unit.M),
    **dict.fromkeys(["h", "hr", "hrs", "hour", "hours"], Unit.H),
    **dict.fromkeys(["min", "mins", "minute", "minutes"], Unit.MIN),
}
_UNITS = Wordings("unit", Unit, _UNIT_WORDS)
_QUALIFIERS = Wordings(
    "qualifier", Qualifier, _QUALIFIER_WORDS, "'less than', 'at least', 'approximately'"
)

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that "less than" wins over "less" and "kilometres" over "km".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)


_WORD = rf"(?:{_alternation([*_ONES, *_TENS, 'hundred', 'thousand', 'dozen'])})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "a"/"an" is a number only before a scale word ("a hundred") or alone ("an hour").
_WORDS = rf"(?:(?:an?\s+(?=hundred|thousand|dozen))?{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*|an?)"
_HALF = r"\s+and\s+a\s+half"
_NUMBER = rf"(?:half\s+an?|(?:{_DIGITS}|{_WORDS})(?:{_HALF})?)"
_QUAL = _alternation(w for w in _QUALIFIER_WORDS if w not in ("none",))
_HOURS = _alternation(w for w, u in _UNIT_WORDS.items() if u is Unit.H)
_OTHER_UNITS = _alternation(w for w, u in _UNIT_WORDS.items() if u is not Unit.H)
_MINUTES = _alternation(w for w, u in _UNIT_WORDS.items() if u is Unit.MIN)
# Digits may touch their unit ("100km", "2h30"); number words may not ("am" is not "a m").
_SEP = r"(?:(?<=\d)|\s+|-)"


def _quantity_pattern(tag: str) -> str:
    # One number with its unit; hours may carry minutes ("2h30", "1 hour 20 minutes").
    return (
        rf"(?:(?P<{tag}qual>{_QUAL})\s+)?(?P<{tag}num>{_NUMBER}){_SEP}"
        rf"(?:(?P<{tag}hunit>{_HOURS})(?:(?<=[hH])(?P<{tag}hm>[0-5]\d)|(?P<{tag}hhalf>{_HALF})"
        rf"|\s*,?\s*(?:and\s+)?(?P<{tag}mnum>{_NUMBER}){_SEP}(?:{_MINUTES}))?"
        rf"|(?P<{tag}unit>{_OTHER_UNITS}))(?![\w])"
    )


_QUANTITY_RE = re.compile(
    rf"(?<![\w.,]){_quantity_pattern('')}"
    rf"(?:\s*\(\s*(?:(?:{_QUAL})\s+)?{_quantity_pattern('alt')}\s*\))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A stated quantity, as found in text.

    Attributes
    ----------
    value
        The number as stated (in ``unit``).
    unit
        The stated unit.
    qualifier
        Canonical qualifier ("less than" is :attr:`Qualifier.UNDER`).
    alt
        A conversion given alongside, e.g. the "(60 miles)" of "100 kilometers (60 miles)".
    text
        The matched text.
    span
        Start and end offsets of ``text`` in the searched string.
    """

    value: float
    unit: Unit
    qualifier: Qualifier = Qualifier.NONE
    alt: Quantity | None = None
    text: str = ""
    span: tuple[int, int] = (0, 0)

    @property
    def dimension(self) -> Dimension:
        """Length or time."""
        return self.unit.dimension

    @property
    def base_value(self) -> float:
        """The value in the dimension's base unit: kilometres or hours."""
        return self.value * self.unit.factor

    def to(self, unit: Unit) -> float:
        """The value converted to ``unit`` (same dimension).

        Raises
        ------
        ValueError
            If ``unit`` measures something else (e.g. hours for a distance).
        """
        if unit.dimension is not self.dimension:
            raise ValueError(f"cannot convert {self.dimension} ({self.unit}) to {unit}")
        return self.base_value / unit.factor


def parse_unit(text: str) -> Unit:
    """Return the unit a word or abbreviation names ("kilometres", "mi", "hrs", ...).

    Raises
    ------
    ValueError
        For anything that is not a known length or time unit.
    """
    return _UNITS.parse(text)


def parse_qualifier(text: str | None) -> Qualifier:
    """Return the canonical qualifier of a wording ("less than" -> ``under``).

    ``None`` and the empty string mean no qualifier.

    Raises
    ------
    ValueError
        For a wording that is not a known qualifier.
    """
    return _QUALIFIERS.parse(text or "")


def parse_number(text: str) -> float:
    """Parse digits ("1,200", "2.5") or English number words ("two hundred and fifty").

    Word numbers go up to the thousands: "a hundred", "twenty-five", "one thousand two
    hundred", "two and a half", "half a", "a dozen".

    Raises
    ------
    ValueError
        For anything else, including ill-formed word sequences such as "one two".
    """
    cleaned = " ".join(text.strip().lower().split())
    if re.fullmatch(_DIGITS, cleaned):
        return float(cleaned.replace(",", ""))
    if re.fullmatch(r"half\s+an?", cleaned):
        return 0.5
    half = 0.0
    if re.search(rf"{_HALF}$", cleaned):
        cleaned, half = re.sub(rf"{_HALF}$", "", cleaned), 0.5
    tokens = [t for t in re.split(r"[\s-]+", cleaned) if t]
    value = _parse_words(tokens)
    if value is None:
        raise ValueError(f"not a number: {text!r}")
    return value + half


def _parse_words(tokens: list[str]) -> float | None:
    # Grammar: [below-thousand "thousand" ["and"]] [below-thousand] | below-thousand "dozen"
    value, i = _below_thousand(tokens, 0)
    if value is None:
        return None
    if i < len(tokens) and tokens[i] == "dozen":
        return value * 12 if i + 1 == len(tokens) else None
    if i < len(tokens) and tokens[i] == "thousand":
        value *= 1000
        i += 1
        if i < len(tokens):
            i += tokens[i] == "and"
            rest, i = _below_thousand(tokens, i)
            if rest is None:
                return None
            value += rest
    return value if i == len(tokens) else None


def _below_thousand(tokens: list[str], i: int) -> tuple[float | None, int]:
    value: float | None
    if i < len(tokens) and tokens[i] in ("a", "an"):
        # "a" counts as one only alone ("an hour") or before a scale word ("a hundred").
        if i + 1 == len(tokens):
            return 1, i + 1
        if tokens[i + 1] not in ("hundred", "thousand", "dozen"):
            return None, i
        value, i = 1, i + 1
    else:
        value, i = _below_hundred(tokens, i)
        if value is None:
            return None, i
    if i < len(tokens) and tokens[i] == "hundred":
        value *= 100
        i += 1
        if i < len(tokens) and tokens[i] == "and":
            rest, i = _below_hundred(tokens, i + 1)
            if rest is None:
                return None, i
            value += rest
        elif i < len(tokens) and tokens[i] in (*_ONES, *_TENS):
            rest, i = _below_hundred(tokens, i)
            value += rest or 0
    return value, i


def _below_hundred(tokens: list[str], i: int) -> tuple[float | None, int]:
    if i >= len(tokens):
        return None, i
    token = tokens[i]
    if token in _ONES:
        return _ONES[token], i + 1
    if token in _TENS:
        value = _TENS[token]
        if i + 1 < len(tokens) and 0 < _ONES.get(tokens[i + 1], 0) < 10:
            return value + _ONES[tokens[i + 1]], i + 2
        return value, i + 1
    return None, i


def _quantity_from(match: re.Match[str], tag: str) -> Quantity | None:
    number = parse_number(match[f"{tag}num"])
    if match[f"{tag}hunit"] is not None:
        unit = Unit.H
        if match[f"{tag}hm"] is not None:
            number += int(match[f"{tag}hm"]) / 60
        elif match[f"{tag}hhalf"] is not None:
            number += 0.5
        elif match[f"{tag}mnum"] is not None:
            minutes = parse_number(match[f"{tag}mnum"])
            if minutes >= 60:
                return None  # "1 hour 90 minutes" is not a way anyone writes a duration
            number += minutes / 60
    else:
        unit = parse_unit(match[f"{tag}unit"])
    qualifier = parse_qualifier(match[f"{tag}qual"]) if tag == "" else Qualifier.NONE
    return Quantity(value=number, unit=unit, qualifier=qualifier)


def find_quantities(text: str) -> list[Quantity]:
    """Find every length or duration stated in ``text``, in order.

    A conversion in parentheses right after a quantity becomes its :attr:`Quantity.alt`.
    Spans of text that look like a quantity but do not parse (ill-formed number words) are
    skipped rather than guessed at.
    """
    found: list[Quantity] = []
    for match in _QUANTITY_RE.finditer(text):
        try:
            main = _quantity_from(match, "")
            alt = _quantity_from(match, "alt") if match["altnum"] is not None else None
        except ValueError:
            continue
        if main is None or not math.isfinite(main.value):
            continue
        if alt is not None and (
            alt.dimension is not main.dimension or not math.isfinite(alt.value)
        ):
            alt = None  # "(3 hours)" after a distance is not a conversion of it
        found.append(replace(main, alt=alt, text=match[0], span=match.span()))
    return found


def parse_quantity(text: str) -> Quantity:
    """Parse a string that is exactly one quantity, e.g. "less than four hours".

    Raises
    ------
    ValueError
        If ``text`` is not one quantity with a known unit.
    """
    stripped = text.strip()
    found = find_quantities(stripped)
    if len(found) != 1 or found[0].span != (0, len(stripped)):
        raise ValueError(
            f"not a quantity: {text!r}; expected a number and a unit "
            f"({', '.join(Unit)}), e.g. 'about 500 km' or 'less than four hours'"
        )
    return found[0]


def accepted_range(value: float, qualifier: Qualifier, tolerance: float) -> tuple[float, float]:
    """The measured values that agree with a stated ``value`` under ``qualifier``.

    Parameters
    ----------
    value
        Stated value (any unit; the range is in the same unit).
    qualifier
        Canonical qualifier; its :attr:`Qualifier.bound` picks the comparison.
    tolerance
        Relative tolerance, e.g. 0.15 for ±15 %.

    Returns
    -------
    tuple of float
        ``(low, high)``; ``high`` is ``inf`` for lower bounds, ``low`` is 0 for upper bounds.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    low, high = value * (1 - tolerance), value * (1 + tolerance)
    if qualifier.bound is Bound.UPPER:
        return 0.0, high
    if qualifier.bound is Bound.LOWER:
        return low, math.inf
    return max(low, 0.0), high
