"""Quantities as news text states them: numbers, units, qualifiers and their tolerances.

Parses "100 kilometers (60 miles)", "262 kilometers or 160 miles", "about 500 km", "less than
four hours", "2h30", "90 min", "two and a half hours", "a hundred miles", ranges ("8-10 miles",
"between 300 and 400 km", "a 3.5 to 4-hour drive"), vague amounts ("a few hours", "a couple
miles") and written-out numbers up to the thousands; converts
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
            "more like",
            "the best part of",
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
_HALF = r"\s+and\s+(?:a|one)[\s-]half"
_NUMBER = rf"(?:half\s+an?|(?:{_DIGITS}|{_WORDS})(?:{_HALF})?)"
# "a 3.5-hour drive", "about an 80-mile drive": an article before a number that is not "a hundred".
_ARTICLE = rf"(?:an?\s+(?=\d|(?:{_alternation([*_ONES, *_TENS])})\b))"
# Amounts without a number, read as a conventional figure (flagged for review by the extractor).
_VAGUE_WORDS: dict[str, float] = {"a few": 3.0, "a couple of": 2.0, "a couple": 2.0}
_VAGUE = rf"(?:{_alternation(w.replace(' ', '@') for w in _VAGUE_WORDS)})".replace("@", r"\s+")
# Range separators: "8-10", "8 to 10", "three or five", and "between 8 and 10".
_RANGE = r"(?:\s*[-–—]\s*|\s+(?:to|or)\s+|(?(between)\s+and\s+|(?!)))"
_QUAL = _alternation(w for w in _QUALIFIER_WORDS if w not in ("none",))
_HOURS = _alternation(w for w, u in _UNIT_WORDS.items() if u is Unit.H)
_OTHER_UNITS = _alternation(w for w, u in _UNIT_WORDS.items() if u is not Unit.H)
_MINUTES = _alternation(w for w, u in _UNIT_WORDS.items() if u is Unit.MIN)
# Digits may touch their unit ("100km", "2h30"); number words may not ("am" is not "a m").
_SEP = r"(?:(?<=\d)|\s+|-)"


def _quantity_pattern(tag: str) -> str:
    # One number with its unit; hours may carry minutes ("2h30", "1 hour 20 minutes").
    return (
        rf"(?:(?P<{tag}qual>{_QUAL})\s+)?{_ARTICLE}?"
        rf"(?:(?P<{tag}vague>{_VAGUE})|(?P<{tag}between>between\s+)?(?P<{tag}num>{_NUMBER})"
        rf"(?:{_RANGE.replace('between', tag + 'between')}(?P<{tag}max>{_NUMBER}))?){_SEP}"
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
    value_max
        The upper end of a range ("8-10 miles"); ``None`` for a single value.
    vague
        The wording of an amount stated without a number ("a few"), read as ``value``.
    """

    value: float
    unit: Unit
    qualifier: Qualifier = Qualifier.NONE
    alt: Quantity | None = None
    text: str = ""
    span: tuple[int, int] = (0, 0)
    value_max: float | None = None
    vague: str | None = None

    @property
    def dimension(self) -> Dimension:
        """Length or time."""
        return self.unit.dimension

    @property
    def base_value(self) -> float:
        """The value in the dimension's base unit: kilometres or hours."""
        return self.value * self.unit.factor

    @property
    def base_max(self) -> float:
        """The upper end of the range (the value itself if none) in kilometres or hours."""
        return (self.value_max if self.value_max is not None else self.value) * self.unit.factor

    def nearest_base(self, measured: float) -> float:
        """The stated figure (km or h) nearest ``measured``: the value, or an end of the range."""
        return min(max(measured, self.base_value), self.base_max)

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
    vague = match[f"{tag}vague"]
    number = (
        _VAGUE_WORDS[" ".join(vague.lower().split())] if vague else parse_number(match[f"{tag}num"])
    )
    top = parse_number(match[f"{tag}max"]) if match[f"{tag}max"] else None
    if top is not None and top <= number:
        return None  # "3-2 km" and "10 or 10 km" are not ranges anyone writes
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
        if top is not None and number != parse_number(match[f"{tag}num"]):
            return None  # "2-3 h 30" is not a range
    else:
        unit = parse_unit(match[f"{tag}unit"])
    qualifier = parse_qualifier(match[f"{tag}qual"]) if tag == "" else Qualifier.NONE
    if vague and qualifier is Qualifier.NONE:
        qualifier = Qualifier.ABOUT
    return Quantity(
        value=number,
        unit=unit,
        qualifier=qualifier,
        value_max=top,
        vague=" ".join(vague.lower().split()) if vague else None,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Find every length or duration stated in ``text``, in order.

    A conversion right after a quantity, in parentheses, after "or" or bare ("213 km 132 mi"),
    becomes its :attr:`Quantity.alt`; a trailing "or so" makes the qualifier "about". Spans of
    text that look like a quantity but do not parse (ill-formed number words) are skipped
    rather than guessed at.
    """
    found: list[Quantity] = []
    for match in _QUANTITY_RE.finditer(text):
        if found and _is_conversion(found[-1], match, text):
            try:
                alt = _quantity_from(match, "")
            except ValueError:
                alt = None
            if alt is not None and alt.dimension is found[-1].dimension:
                last = found[-1]
                end = match.end()
                found[-1] = replace(
                    last, alt=alt, text=text[last.span[0] : end], span=(last.span[0], end)
                )
                continue
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
        start, end = match.span()
        postfix = _OR_SO.match(text, end)
        if postfix:
            main, end = replace(main, qualifier=Qualifier.ABOUT), postfix.end()
        found.append(replace(main, alt=alt, text=text[start:end], span=(start, end)))
    return found


_OR_SO = re.compile(r"\s+or\s+so\b", re.IGNORECASE)
_CONVERSION_GAP = re.compile(r"\s*(?:or\s+|/\s*)?", re.IGNORECASE)


def _is_conversion(last: Quantity, match: re.Match[str], text: str) -> bool:
    """Whether ``match`` restates ``last`` in another unit: "262 km or 160 miles"."""
    gap = _CONVERSION_GAP.fullmatch(text, last.span[1], match.start())
    return (
        gap is not None
        and last.alt is None
        and last.value_max is None
        and match["qual"] is None
        and match["unit"] is not None
        and parse_unit(match["unit"]) is not last.unit
        and parse_unit(match["unit"]).dimension is last.dimension
    )


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


def accepted_range(
    value: float, qualifier: Qualifier, tolerance: float, value_max: float | None = None
) -> tuple[float, float]:
    """The measured values that agree with a stated ``value`` under ``qualifier``.

    Parameters
    ----------
    value
        Stated value (any unit; the range is in the same unit).
    qualifier
        Canonical qualifier; its :attr:`Qualifier.bound` picks the comparison.
    tolerance
        Relative tolerance, e.g. 0.15 for ±15 %.
    value_max
        Upper end of a stated range ("8-10 miles"): the tolerance widens both ends.

    Returns
    -------
    tuple of float
        ``(low, high)``; ``high`` is ``inf`` for lower bounds, ``low`` is 0 for upper bounds.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    top = value if value_max is None else value_max
    low, high = value * (1 - tolerance), top * (1 + tolerance)
    if qualifier.bound is Bound.UPPER:
        return 0.0, high
    if qualifier.bound is Bound.LOWER:
        return low, math.inf
    return max(low, 0.0), high
