"""Verdicts and measured figures: the result of checking one claim, and how it is graded.

Grading a measured figure against the stated one
    The verdict rests on the central figure; the band only says how sure it is. *accurate*:
    the central figure lies in the claim's accepted range (stated value ± tolerance, or the
    bound plus its slack). Otherwise the stated and measured figures are compared as a
    factor, the larger over the smaller (stated 500 km against 405 km measured: x1.23, "23 %
    more"). *roughly accurate*: a factor of at most 1 + tolerance + :data:`ROUGH_MARGIN`
    (x1.20 for "about"); *misleading*: at most :data:`FALSE_FACTOR`; *false*: beyond. The
    explanation names the measure that comes closest and by how much, and whether the band
    of that figure reaches another verdict (then the verdict is uncertain).

Each claim kind (:mod:`routing.claims.kinds`) measures its figures and uses these helpers to
grade and word them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from .._format import format_hours
from ..analysis.routes import Route
from .base import ClaimBase
from .units import Bound, Qualifier

__all__ = [
    "FALSE_FACTOR",
    "RANK",
    "ROUGH_MARGIN",
    "TOWN_POINT_KM",
    "ClaimResult",
    "Figure",
    "Verdict",
    "band_sentence",
    "band_verdicts",
    "compare_text",
    "factor",
    "grade_measurement",
    "num_text",
    "range_text",
    "results_table",
    "tolerance_text",
]

# Stated and measured figures further apart than this factor (either way) make a claim
# "false": 500 km stated for 336 km measured (x1.49) is misleading, for 300 km (x1.67) false.
FALSE_FACTOR = 1.5
# A figure outside its tolerance by at most this much more is "roughly accurate": "about
# 500 km" (±15 %) for 420 km measured (x1.19). Published figures are rounded; beyond this
# margin the figure is off by more than rounding explains.
ROUGH_MARGIN = 0.05
# How far a town's centre point may sit from where a writer measures from: a town is a few
# kilometres across, and gazetteers place its point 2-3 km apart (e.g. Husaybah/Al-Qa'im).
TOWN_POINT_KM = 2.0


class Verdict(StrEnum):
    """The verdict scale. :attr:`meaning` says what each one asserts."""

    ACCURATE = "accurate"
    ROUGHLY_ACCURATE = "roughly accurate"
    MISLEADING = "misleading"
    FALSE = "false"
    PLAUSIBLE = "plausible"
    BORDERLINE = "borderline"
    IMPLAUSIBLE = "implausible"
    NOT_CHECKABLE = "not checkable"
    NEEDS_REVIEW = "needs review"

    @property
    def meaning(self) -> str:
        """What the verdict asserts, for report legends."""
        return _MEANINGS[self]


_MEANINGS = {
    Verdict.ACCURATE: "the central measured figure is within the claim's tolerance (e.g. "
    "±15 % for 'about')",
    Verdict.ROUGHLY_ACCURATE: "stated and measured figures differ by at most the tolerance "
    f"plus {ROUGH_MARGIN:.0%} (x1.20 for 'about'); for places along "
    "a route or on a border: within three times the distance "
    "tolerance",
    Verdict.MISLEADING: f"stated and measured figures differ by at most x{FALSE_FACTOR:g} "
    "(50 % more, or a third less), or the claim is only partly true",
    Verdict.FALSE: f"stated and measured figures differ by more than x{FALSE_FACTOR:g}, "
    "or the claim is untrue",
    Verdict.PLAUSIBLE: "a time bound met at typical speeds",
    Verdict.BORDERLINE: "a time bound met only by flat-out driving (profile 'fast')",
    Verdict.IMPLAUSIBLE: "a time bound missed even by flat-out driving",
    Verdict.NOT_CHECKABLE: "the data cannot measure the claim (reason given)",
    Verdict.NEEDS_REVIEW: "the reading of the text is uncertain (reason given): a person must "
    "confirm it before the claim is judged true or false",
}
# Order of strength, to pick the best of several measures or origins.
RANK = [Verdict.ACCURATE, Verdict.ROUGHLY_ACCURATE, Verdict.MISLEADING, Verdict.FALSE]


@dataclass(frozen=True)
class Figure:
    """One measured figure with its uncertainty band.

    Attributes
    ----------
    label
        What was measured, e.g. ``"road distance (shortest route)"``.
    value
        The central figure.
    unit
        ``"km"``, ``"h"``, ``"km/h"`` or ``"%"``.
    low, high
        The band (``None`` for exact figures, such as a needed speed).
    band_reason
        Why the band is as wide as it is.
    """

    label: str
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    band_reason: str = ""

    def value_text(self) -> str:
        """The central figure with its unit, e.g. ``'397 km'`` or ``'4 h 40 min'``."""
        return with_unit(self.value, self.unit)

    def band_text(self) -> str | None:
        """The band, e.g. ``'392-464 km'``; ``None`` for exact figures."""
        if self.low is None or self.high is None:
            return None
        if self.unit == "h":
            return f"{with_unit(self.low, 'h')} - {with_unit(self.high, 'h')}"
        return f"{num_text(self.low, self.unit)}-{with_unit(self.high, self.unit)}"

    def format(self) -> str:
        """E.g. ``'397 km (392-464 km)'``, ``'4 h 40 min (4 h 15 min - 6 h 23 min)'``."""
        band = self.band_text()
        return self.value_text() + (f" ({band})" if band else "")

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "band_reason": self.band_reason,
        }


@dataclass
class ClaimResult:
    """The check of one claim.

    Attributes
    ----------
    claim
        The claim checked.
    verdict
        Its grade on the :class:`Verdict` scale.
    stated
        The claim in a few words, e.g. ``"just 100 km"``.
    figures
        Measured figures, each with its band.
    explanation
        One or two plain sentences.
    to_make_true
        What would make the claim true (needed speed, places really at that distance, ...).
    details
        Further measurements (per profile, per town), JSON-ready.
    assumptions
        Every assumption behind the figures, one line each.
    routes
        The routes measured (for maps); not serialised.
    """

    claim: ClaimBase
    verdict: Verdict
    stated: str
    figures: list[Figure]
    explanation: str
    to_make_true: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list, repr=False)

    @property
    def claim_id(self) -> str:
        return self.claim.id

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form of every number and assumption (for the JSON report)."""
        return {
            "id": self.claim.id,
            "kind": self.claim.kind_name,
            "quote": self.claim.quote,
            "note": self.claim.note,
            "review": self.claim.review,
            "stated": self.stated,
            "verdict": self.verdict.value,
            "verdict_meaning": self.verdict.meaning,
            "explanation": self.explanation,
            "to_make_true": self.to_make_true,
            "figures": [f.to_dict() for f in self.figures],
            "details": self.details,
            "assumptions": self.assumptions,
            "routes": [r.to_dict() for r in self.routes],
        }


def factor(stated: float, measured: float) -> float:
    """How far apart two figures are, either way: the larger over the smaller (>= 1)."""
    if measured <= 0:
        return math.inf
    return max(stated / measured, measured / stated)


def grade_measurement(measured: float, stated: float, lo: float, hi: float, tol: float) -> Verdict:
    """Verdict of a measured figure against a stated one (rules in the module docstring).

    Parameters
    ----------
    measured
        The central measured figure.
    stated
        The stated figure, in the same unit.
    lo, hi
        The claim's accepted range (:meth:`~routing.claims.model.ClaimFile.accepted_range`).
    tol
        The claim's relative tolerance.
    """
    if lo <= measured <= hi:
        return Verdict.ACCURATE
    apart = factor(stated, measured)
    if apart <= 1 + tol + ROUGH_MARGIN:
        return Verdict.ROUGHLY_ACCURATE
    return Verdict.MISLEADING if apart <= FALSE_FACTOR else Verdict.FALSE


def compare_text(stated: float, measured: float) -> str:
    """``'23 % more than'``, ``'75 % less than'`` or ``'the same as'`` (stated vs measured)."""
    share = stated / measured - 1 if measured > 0 else math.inf
    if round(share * 100) == 0:
        return "the same as"
    return f"{abs(share):.0%} {'more' if share > 0 else 'less'} than"


def band_verdicts(f: Figure, grade: Callable[[float], Verdict]) -> dict[str, str]:
    """Verdicts at the band's low end, the central figure and the high end."""
    ends = {"low": f.low, "central": f.value, "high": f.high}
    return {k: grade(v).value for k, v in ends.items() if v is not None}


def band_sentence(f: Figure, grade: Callable[[float], Verdict], verdict: Verdict) -> str:
    """How sure the verdict is: whether the figure's band reaches another verdict."""
    if f.low is None or f.high is None:
        return ""
    other = {end: grade(v) for end, v in (("low", f.low), ("high", f.high))}
    band = f.band_text()
    differ = [f"'{v.value}' at its {end} end" for end, v in other.items() if v is not verdict]
    if not differ:
        return f"Its whole uncertainty band ({band}) gives the same verdict."
    return (
        f"The verdict rests on the central figure; its uncertainty band ({band}: "
        f"{f.band_reason}) would give {' and '.join(differ)}, so it is less certain."
    )


def tolerance_text(qualifier: Qualifier, tol: float) -> str:
    if qualifier.bound is Bound.UPPER:
        return f"'{qualifier.value}' allows {tol:.0%} over the stated figure"
    if qualifier.bound is Bound.LOWER:
        return f"'{qualifier.value}' allows {tol:.0%} under the stated figure"
    return (
        f"'{qualifier.value}' allows ±{tol:.0%}"
        if qualifier is not Qualifier.NONE
        else f"a bare figure allows ±{tol:.0%}"
    )


def range_text(lo: float, hi: float, unit: str) -> str:
    if math.isinf(hi):
        return f"at least {lo:.0f} {unit}"
    return f"up to {hi:.0f} {unit}" if lo == 0 else f"{lo:.0f}-{hi:.0f} {unit}"


def num_text(x: float, unit: str) -> str:
    # Times as "4 h 40 min": decimal hours (4.66 h) are easy to misread as 4 h 66 min.
    if unit == "h":
        return format_hours(x)
    return f"{x:,.1f}" if x < 20 else f"{x:,.0f}"


def with_unit(x: float, unit: str) -> str:
    return num_text(x, unit) if unit == "h" else f"{num_text(x, unit)} {unit}"


def results_table(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per claim: id, stated, verdict, headline figures (for notebooks and tables)."""
    return pd.DataFrame(
        [
            {
                "id": r.claim_id,
                "stated": r.stated,
                "verdict": r.verdict.value,
                "figures": "; ".join(f.format() for f in r.figures[:3]),
            }
            for r in results
        ]
    )
