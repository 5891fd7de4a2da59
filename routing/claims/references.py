"""Validate the toolkit's figures against published ones: a table of references.

A references file is a tab-separated table with a header row. Required columns:

``from``, ``to``
    Place names (or ``lat,lon``) the toolkit's gazetteer resolves.
``value``, ``unit``
    The published figure: ``km``, ``mi``, ``m`` for distances, ``h``, ``min`` for times.
``kind``
    What the source measures: ``road`` (a road or driving distance), ``straight`` (a
    straight-line distance), ``stated`` (a distance stated without saying which, "X lies
    120 km from Y"), ``time`` (a travel time by road).
``source``
    URL or citation.

Optional: ``qualifier`` (``none``, ``about``, ``under``, ``over``; the wordings of
:mod:`routing.claims.units` work too) and ``quote`` (the sentence, to audit the row).

:func:`read_references` keeps every well-formed row and reports each bad one with its line
number (missing field, unknown unit, kind or qualifier, value not a number);
:func:`check_references` measures each row with :func:`~routing.analysis.crosscheck.cross_check`
and says whether the published figure lies inside the toolkit's band:

* ``road``: the road band (calibrated on the generalized data, widened where the cross-check
  flags a data artefact);
* ``straight``: the geodesic distance +-:data:`~routing.claims.results.TOWN_POINT_KM` per end
  (a town is an area; sources measure from different points);
* ``stated``: anywhere from the straight-line band's low end to the road band's high end
  (the source may mean either);
* ``time``: the fastest route's time under the speed profile (default ``car``), its Monte
  Carlo 5-95 % range of speeds, scaled by the road band (off-road legs driven at the route's
  mean speed).

A qualifier ``under`` ("nearly 500 km") accepts any band that reaches below the value,
``over`` one that reaches above; ``none`` and ``about`` need the value inside.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..analysis.crosscheck import Band, CrossCheck, cross_check
from ..analysis.routes import route
from ..engine.profiles import DEFAULT_PROFILE, Profile, get_profile
from ..exceptions import (
    AmbiguousPlaceError,
    DataNotFoundError,
    NoRouteError,
    OffNetworkError,
    PlaceNotFoundError,
    PlaceQueryError,
    RoutingError,
)
from ..gazetteer import find_place
from ..location import Location, as_location
from ..network import RoadNetwork
from .results import TOWN_POINT_KM
from .uncertainty import travel_time_samples
from .units import Dimension, Qualifier, Unit, parse_qualifier, parse_unit

__all__ = [
    "REFERENCE_COLUMNS",
    "REFERENCE_KINDS",
    "TIME_DRAWS",
    "TIME_QUANTILES",
    "Reference",
    "ReferenceCheck",
    "RowError",
    "check_references",
    "parse_references",
    "read_references",
    "references_summary",
]

ReferenceKind = Literal["road", "straight", "stated", "time"]
REFERENCE_KINDS: tuple[ReferenceKind, ...] = ("road", "straight", "stated", "time")
REFERENCE_COLUMNS = ("from", "to", "value", "unit", "kind", "source")
_OPTIONAL_COLUMNS = ("qualifier", "quote")
# Monte Carlo draws per time row: enough for stable 5-95 % quantiles.
TIME_DRAWS = 2000
TIME_QUANTILES = (0.05, 0.95)


@dataclass(frozen=True)
class Reference:
    """One published figure (a well-formed row of a references file).

    Attributes
    ----------
    line
        Line number in the file (the header is line 1).
    origin, destination
        Place names as written.
    value, unit
        The figure as published.
    kind
        ``road``, ``straight``, ``stated`` or ``time``.
    qualifier
        ``none``, ``about``, ``under`` or ``over``.
    source, quote
        Where it was published and the sentence.
    """

    line: int
    origin: str
    destination: str
    value: float
    unit: Unit
    kind: ReferenceKind
    qualifier: Qualifier
    source: str
    quote: str = ""

    @property
    def base_value(self) -> float:
        """The value in kilometres (distances) or hours (times)."""
        return self.value * self.unit.factor

    @property
    def base_unit(self) -> str:
        return self.unit.base.value

    def describe(self) -> str:
        """``'about 110 km (stated)'``."""
        q = "" if self.qualifier is Qualifier.NONE else f"{self.qualifier.value} "
        return f"{q}{self.value:g} {self.unit.value} ({self.kind})"


@dataclass(frozen=True)
class RowError:
    """A malformed row, or one whose place the gazetteer cannot resolve."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ReferenceCheck:
    """The toolkit's figures for one reference and whether the published one lies inside.

    Attributes
    ----------
    reference
        The row.
    measure
        What the published value is compared with, in words (``"road distance"``,
        ``"car time on the fastest route"``, ...).
    figure
        The toolkit's figure in the row's base unit (km or h); None if none could be made.
    low, high
        The band in the same unit; None without a band.
    inside
        Whether the published figure lies inside (qualifier taken into account).
    settled
        False if the cross-check flagged the road figure and the networks disagree about
        this value.
    road_km, straight_km
        The road figure (place to place) and the straight line, for every row.
    note
        Flags, reasons or the routing problem, one line.
    check
        The cross-check behind the figures.
    detail_km
        Road distance on the full-detail network, where both places lie in it.
    """

    reference: Reference
    measure: str
    figure: float | None
    low: float | None
    high: float | None
    inside: bool | None
    settled: bool
    road_km: float | None
    straight_km: float
    note: str = ""
    check: CrossCheck | None = field(default=None, repr=False)
    detail_km: float | None = None

    @property
    def difference(self) -> float | None:
        """Published over toolkit figure, minus one (``+0.25`` = published 25 % higher)."""
        if self.figure is None or not self.figure:
            return None
        return self.reference.base_value / self.figure - 1.0

    def to_dict(self) -> dict[str, Any]:
        ref = self.reference

        def rnd(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "line": ref.line,
            "from": ref.origin,
            "to": ref.destination,
            "published": {
                "value": ref.value,
                "unit": ref.unit.value,
                "kind": ref.kind,
                "qualifier": ref.qualifier.value,
                "source": ref.source,
                "quote": ref.quote,
            },
            "measure": self.measure,
            "figure": rnd(self.figure),
            "band": None if self.low is None else [rnd(self.low), rnd(self.high)],
            "unit": ref.base_unit,
            "inside": self.inside,
            "settled": self.settled,
            "difference": rnd(self.difference),
            "road_km": rnd(self.road_km),
            "straight_km": rnd(self.straight_km),
            "detail_road_km": rnd(self.detail_km),
            "note": self.note,
            "cross_check": None if self.check is None else self.check.to_dict(),
        }


# ------------------------------------------------------------------ reading
def read_references(path: str | Path) -> tuple[list[Reference], list[RowError]]:
    """Read a references table; bad rows are reported, not fatal.

    Returns
    -------
    references, errors
        The well-formed rows, and one :class:`RowError` per malformed row (line-numbered).

    Raises
    ------
    DataNotFoundError
        The file is missing or unreadable.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataNotFoundError(f"cannot read references file {p}: {exc}") from exc
    return parse_references(text.splitlines(), str(p))


def parse_references(lines: Iterable[str], where: str) -> tuple[list[Reference], list[RowError]]:
    """:func:`read_references` on lines of text (``where`` names them in errors)."""
    reader = csv.reader(lines, delimiter="\t")
    header = next(reader, None)
    if header is None:
        return [], [RowError(where, 1, "empty file: expected a header row")]
    names = [h.strip().lower() for h in header]
    missing = [c for c in REFERENCE_COLUMNS if c not in names]
    if missing:
        return [], [
            RowError(
                where,
                1,
                f"header lacks column(s) {', '.join(missing)}; expected "
                f"{', '.join(REFERENCE_COLUMNS)} (optional: {', '.join(_OPTIONAL_COLUMNS)})",
            )
        ]
    refs: list[Reference] = []
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        try:
            refs.append(_row(dict(zip(names, (c.strip() for c in row), strict=False)), line))
        except ValueError as exc:
            errors.append(RowError(where, line, str(exc)))
    return refs, errors


def _row(cells: dict[str, str], line: int) -> Reference:
    empty = [c for c in REFERENCE_COLUMNS if not cells.get(c)]
    if empty:
        raise ValueError(f"missing {', '.join(empty)}")
    try:
        value = float(cells["value"])
    except ValueError:
        raise ValueError(f"value {cells['value']!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"value must be positive, got {cells['value']}")
    unit = parse_unit(cells["unit"])
    kind = cells["kind"].lower()
    if kind not in REFERENCE_KINDS:
        raise ValueError(
            f"unknown kind {cells['kind']!r}; expected one of {', '.join(REFERENCE_KINDS)}"
        )
    if (unit.dimension is Dimension.TIME) != (kind == "time"):
        raise ValueError(
            f"unit {unit.value!r} does not fit kind {kind!r}: times take h or min, "
            "distances km, mi or m"
        )
    qualifier = parse_qualifier(cells.get("qualifier") or "none")
    if qualifier is Qualifier.JUST:
        qualifier = Qualifier.ABOUT  # "just 100 km" is a point figure, judged as such
    return Reference(
        line,
        cells["from"],
        cells["to"],
        value,
        unit,
        kind,
        qualifier,
        cells["source"],
        cells.get("quote", ""),
    )


# ------------------------------------------------------------------ checking
def check_references(
    refs: Sequence[Reference],
    net: RoadNetwork,
    *,
    second: RoadNetwork | None = None,
    detail: RoadNetwork | None = None,
    detail_country: str | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
    where: str = "references",
) -> tuple[list[ReferenceCheck], list[RowError]]:
    """Measure every reference on ``net`` (cross-checked on ``second``) and compare.

    Parameters
    ----------
    refs
        Rows from :func:`read_references`.
    net
        Primary network (normally the z7 tiles over the references' extent).
    second
        Independent network for the cross-check (a region pack's ``crosscheck``).
    detail
        Optional full-detail network: its road figure is added for pairs whose places both
        lie in ``detail_country`` (ISO alpha-2, e.g. ``"SY"``).
    profile
        Speed profile for time rows.
    where
        Name of the file, for place errors.

    Returns
    -------
    checks, errors
        One check per row whose places resolve; a line-numbered error per row whose place is
        unknown or ambiguous.
    """
    primary, other, fine = net, second, detail
    prof = get_profile(profile)
    places: dict[str, tuple[Location, str | None]] = {}
    pairs: dict[tuple[str, str], CrossCheck | RoutingError] = {}
    checks: list[ReferenceCheck] = []
    errors: list[RowError] = []
    for ref in refs:
        try:
            ends = []
            for name in (ref.origin, ref.destination):
                if name not in places:
                    place = find_place(name, primary)
                    country = getattr(place, "country", None)
                    places[name] = (as_location(place), country)
                ends.append(places[name])
        except (PlaceNotFoundError, AmbiguousPlaceError, PlaceQueryError) as exc:
            errors.append(RowError(where, ref.line, " ".join(str(exc).split())))
            continue
        (a, ca), (b, cb) = ends
        key = (ref.origin, ref.destination)
        if key not in pairs:
            try:
                pairs[key] = cross_check(a, b, primary, other)
            except RoutingError as exc:
                pairs[key] = exc
        found = pairs[key]
        if isinstance(found, RoutingError):
            errors.append(RowError(where, ref.line, str(found)))
            continue
        detail_km = None
        if fine is not None and ca == cb == detail_country:
            detail_km = _road_km(a, b, fine)
        checks.append(_compare(ref, found, primary, prof, detail_km))
    return checks, errors


def _road_km(a: Location, b: Location, net: RoadNetwork) -> float | None:
    try:
        r = route(a, b, net=net)
    except (NoRouteError, OffNetworkError):
        return None
    return r.length_km


def _compare(
    ref: Reference, check: CrossCheck, net: RoadNetwork, prof: Profile, detail_km: float | None
) -> ReferenceCheck:
    straight = check.straight_km
    road = check.primary.total_km
    band = check.band
    note = check.reason if not check.settled else ""
    settled = True
    if ref.kind == "straight":
        measure = "straight line (geodesic) between the places"
        figure: float | None = straight
        low: float | None = max(straight - 2 * TOWN_POINT_KM, 0.0)
        high: float | None = straight + 2 * TOWN_POINT_KM
        note = f"+-{TOWN_POINT_KM:g} km per end: a town's extent around its point"
    elif ref.kind == "time":
        measure, figure, low, high, note = _time(check, net, prof)
        settled = check.settled
    else:
        measure = "road distance" if ref.kind == "road" else "road distance or straight line"
        figure = road if road is not None else (band.figure_km if band else None)
        low = high = None
        if band is not None:
            low, high = band.low_km, band.high_km
            if ref.kind == "stated":
                low = min(low, max(straight - 2 * TOWN_POINT_KM, 0.0))
        if band is not None and not check.settled:
            floor = max(straight - 2 * TOWN_POINT_KM, 0.0) if ref.kind == "stated" else None
            judged = check.judge(ref.base_value, floor_km=floor)
            settled = judged.settled
            note = judged.reason or note
    inside = None if low is None or high is None else _inside(ref, low, high)
    return ReferenceCheck(
        ref, measure, figure, low, high, inside, settled, road, straight, note, check, detail_km
    )


def _inside(ref: Reference, low: float, high: float) -> bool:
    v = ref.base_value
    if ref.qualifier is Qualifier.UNDER:
        return low <= v
    if ref.qualifier is Qualifier.OVER:
        return high >= v
    return low <= v <= high


def _time(
    check: CrossCheck, net: RoadNetwork, prof: Profile
) -> tuple[str, float | None, float | None, float | None, str]:
    measure = f"{prof.name} time on the fastest route (profile {prof.name!r})"
    p = check.primary
    if p.road_km is None or p.total_km is None:
        return measure, None, None, None, f"no {p.label} route: {p.problem}"
    fastest = route(check.origin, check.destination, net=net, optimize="time", profile=prof)
    # Off-road legs at the route's mean speed: the road figure scales to place to place.
    scale = p.total_km / p.road_km if p.road_km else 1.0
    figure = fastest.time_h * scale
    samples = travel_time_samples(fastest, TIME_DRAWS, seed=0)
    q_lo, q_hi = samples.quantiles(TIME_QUANTILES)
    rel_lo, rel_hi = _relative(check.band)
    return measure, figure, q_lo * scale * rel_lo, q_hi * scale * rel_hi, check.reason


def _relative(band: Band | None) -> tuple[float, float]:
    return (1.0, 1.0) if band is None else band.relative


def references_summary(checks: Sequence[ReferenceCheck]) -> dict[str, Any]:
    """Counts and shares: rows with a band, inside it, per kind, settled."""

    def share(rows: Sequence[ReferenceCheck]) -> dict[str, Any]:
        judged = [c for c in rows if c.inside is not None]
        inside = sum(1 for c in judged if c.inside)
        return {
            "rows": len(rows),
            "judged": len(judged),
            "inside": inside,
            "share": inside / len(judged) if judged else None,
        }

    return {
        **share(checks),
        "by_kind": {
            k: share([c for c in checks if c.reference.kind == k]) for k in REFERENCE_KINDS
        },
        "unsettled": sum(1 for c in checks if not c.settled),
    }
