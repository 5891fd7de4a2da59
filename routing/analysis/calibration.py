"""Measured error bands of generalized road data, read from data files (not code).

A generalized network (zoom-7 vector tiles, Natural Earth) gives road lengths with three
kinds of error, each measured against full-detail data where both exist (Syria: the z14
extract of the same OSM) by ``benchmarks/calibration.py``:

(a) road factor
    Full-detail road length over generalized road length *between the same two road points*:
    geometric shortening (bends cut, vertices on a grid) combined with roads the generalized
    data leaves out (a z7 route follows major roads; a full-detail route may take a shorter
    secondary road). Quantiles per class of route length.
(b) topology gaps
    A missing connection makes the generalized route much longer than the real one (or
    there is none). Not a band: the cross-check flags them (see
    :mod:`routing.analysis.crosscheck`); the flag thresholds are stored here too: plausible
    detour factors per class of straight-line distance, measured on full-detail data, and the
    largest share of a figure the off-road legs may take.
(c) snapping
    Places lie off the generalized roads; a figure adds the two off-road legs at their
    straight-line length. The real way from a place to that road is longer, or joins it
    elsewhere: the true distance differs from the road figure by ``access factor x off-road
    km``, with the factor's quantiles stored here.

Each data file describes the data source it applies to (:class:`AppliesTo`), how and when it
was measured, and the coverage it achieved. :func:`calibration_for` picks the file that
matches a network's :class:`~routing.network.NetworkMeta`; files live in
``routing/data/calibration/`` (or a directory passed by the caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..exceptions import DataFormatError
from ..network import NetworkMeta

__all__ = [
    "AccessFactor",
    "AppliesTo",
    "Calibration",
    "Coverage",
    "DetourLimit",
    "LengthClass",
    "calibration_for",
    "load_calibrations",
    "read_calibration",
    "source_name",
    "write_calibration",
]

_PACKAGE_DIR = "data/calibration"
_C = TypeVar("_C", "LengthClass", "DetourLimit")
_FORMAT_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AppliesTo(_Frozen):
    """Which networks a calibration applies to: same data source and zoom.

    Attributes
    ----------
    source
        The source name without its parenthesised details (see :func:`source_name`), e.g.
        ``"MapTiler Planet"`` or ``"Natural Earth roads, not OSM, public domain"``.
    zoom
        Vector-tile zoom level the data was read at.
    """

    source: str
    zoom: int | None

    def matches(self, meta: NetworkMeta) -> bool:
        """True if a network built from this source at this zoom."""
        return source_name(meta) == self.source and meta.zoom == self.zoom


class LengthClass(_Frozen):
    """Quantiles of a length ratio for routes up to ``max_km`` long (from the previous class).

    Attributes
    ----------
    max_km
        Upper end of the class (road km of the generalized route).
    low, high
        Lower and upper quantile of the ratio (the band's ends).
    median
        Median ratio (for reports).
    pairs
        Number of measured pairs in the class.
    """

    max_km: Annotated[float, Gt(0)]
    low: Annotated[float, Gt(0)]
    high: Annotated[float, Gt(0)]
    median: Annotated[float, Gt(0)]
    pairs: Annotated[int, Ge(1)]

    @model_validator(mode="after")
    def _ordered(self) -> LengthClass:
        if not self.low <= self.median <= self.high:
            raise ValueError(f"need low <= median <= high, got {self}")
        return self


class AccessFactor(_Frozen):
    """How the true distance differs from the road figure, per km of off-road legs.

    A factor of 1 means the real access road is exactly as long as the straight leg; negative
    factors mean the real route joins the road closer to the destination (a shortcut).
    """

    low: float
    median: float
    high: float
    pairs: Annotated[int, Ge(1)]

    @model_validator(mode="after")
    def _ordered(self) -> AccessFactor:
        if not self.low <= self.median <= self.high:
            raise ValueError(f"need low <= median <= high, got {self}")
        return self


class DetourLimit(_Frozen):
    """The most a real road route exceeds the straight line, for straight lines up to ``max_km``.

    Measured on full-detail data as the ``quantile`` of road km / straight km.
    """

    max_km: Annotated[float, Gt(0)]
    detour: Annotated[float, Ge(1)]
    quantile: Annotated[float, Gt(0), Le(1)]
    pairs: Annotated[int, Ge(1)]


class Coverage(_Frozen):
    """What the stored bands and flags achieved on the measured pairs (for reports).

    Attributes
    ----------
    pairs
        Pairs measured (both ends on the data, a full-detail route found).
    flagged
        Pairs the cross-check flagged (gap, implausible detour, far off-road, no route).
    unflagged_inside
        Unflagged pairs whose full-detail distance lies inside the band.
    gaps
        Pairs whose generalized/full-detail ratio is above 1.3 or below 0.77, or with no
        generalized route.
    gaps_flagged
        Of those, how many were flagged.
    flagged_inside
        Flagged pairs whose full-detail distance lies inside the widened band.
    held_out_inside_share
        Share of unflagged pairs inside bands derived from the other half of the pairs
        (two-fold cross-validation: how well the bands carry to pairs not used to fit them).
    """

    pairs: Annotated[int, Ge(0)]
    flagged: Annotated[int, Ge(0)]
    unflagged_inside: Annotated[int, Ge(0)]
    gaps: Annotated[int, Ge(0)]
    gaps_flagged: Annotated[int, Ge(0)]
    flagged_inside: Annotated[int, Ge(0)]
    held_out_inside_share: Annotated[float, Ge(0)]

    @property
    def unflagged(self) -> int:
        return self.pairs - self.flagged

    @property
    def inside_share(self) -> float:
        """Share of unflagged pairs whose full-detail distance lies inside the band."""
        return self.unflagged_inside / self.unflagged if self.unflagged else float("nan")

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.pairs if self.pairs else float("nan")


class Calibration(_Frozen):
    """Measured error bands of one generalized data source (see the module docstring).

    Attributes
    ----------
    name
        Short name (the data file's stem), e.g. ``"openmaptiles-z7"``.
    label
        How figures name this network in prose, e.g. ``"z7 OSM"``, ``"Natural Earth"``.
    description
        One line: what data, measured where against what.
    applies_to
        Which networks this calibration is for.
    quantiles
        Lower and upper quantile behind every band (e.g. ``[0.025, 0.975]``).
    road_factor
        (a) Full-detail / generalized road length between the same road points, by route
        length class (ascending ``max_km``); the last class extends to any length.
    geometric
        The geometric part of (a) alone: the same road classes on full-detail data.
    access
        (c) Snapping: true km minus road km, per km of off-road legs.
    detour_limits
        (b) Plausible detour factors on full-detail data by straight-line distance class.
    max_access_share
        (b/c) Above this share of off-road legs in a figure, the figure is flagged.
    measured
        Provenance: date, command, seed, pairs, the data compared (free-form strings).
    coverage
        What the bands achieved on the measured pairs.
    """

    version: int = _FORMAT_VERSION
    name: str
    label: str
    description: str
    applies_to: AppliesTo
    quantiles: tuple[float, float]
    road_factor: tuple[LengthClass, ...]
    geometric: tuple[LengthClass, ...]
    access: AccessFactor
    detour_limits: tuple[DetourLimit, ...]
    max_access_share: Annotated[float, Gt(0)]
    measured: dict[str, str]
    coverage: Coverage

    @model_validator(mode="after")
    def _check(self) -> Calibration:
        if self.version != _FORMAT_VERSION:
            raise ValueError(f"format version {self.version}, this code reads {_FORMAT_VERSION}")
        for name in ("road_factor", "geometric", "detour_limits"):
            classes: Sequence[LengthClass | DetourLimit] = getattr(self, name)
            if not classes:
                raise ValueError(f"{name} needs at least one class")
            ends = [c.max_km for c in classes]
            if ends != sorted(ends) or len(set(ends)) != len(ends):
                raise ValueError(f"{name} classes must ascend in max_km, got {ends}")
        return self

    def road_band(self, road_km: float) -> tuple[float, float]:
        """(a) Range of true road km for a generalized road figure of ``road_km``."""
        c = _class_of(self.road_factor, road_km)
        return road_km * c.low, road_km * c.high

    def access_band(self, access_km: float) -> tuple[float, float]:
        """(c) Range of the true distance minus the road figure, for ``access_km`` off-road."""
        return access_km * self.access.low, access_km * self.access.high

    def detour_limit(self, straight_km: float) -> DetourLimit:
        """(b) The plausible detour limit for a straight-line distance."""
        return _class_of(self.detour_limits, straight_km)

    def road_class(self, road_km: float) -> LengthClass:
        """The road-factor class a route of ``road_km`` falls in."""
        return _class_of(self.road_factor, road_km)

    def describe(self) -> str:
        """One line for assumption footers: what was measured, on how many pairs, coverage."""
        cov = self.coverage
        return (
            f"{self.label} band calibrated on {cov.pairs} pairs of places in "
            f"{self.measured.get('where', 'the measured region')} against "
            f"{self.measured.get('truth_label', 'full-detail data')} "
            f"({self.quantiles[0]:.1%}-{self.quantiles[1]:.1%} quantiles; "
            f"{cov.inside_share:.0%} of unflagged pairs inside, "
            f"{cov.flagged_share:.0%} flagged; {self.name}.yaml, measured "
            f"{self.measured.get('date', '?')})"
        )


def _class_of(classes: Sequence[_C], km: float) -> _C:
    for c in classes:
        if km <= c.max_km:
            return c
    return classes[-1]


def source_name(meta: NetworkMeta) -> str:
    """A network's source without the parenthesised reading details.

    ``"MapTiler Planet (vector tiles, tile directory, z7)"`` -> ``"MapTiler Planet"``.
    """
    return meta.source.split(" (", 1)[0].strip()


def read_calibration(path: str | Path) -> Calibration:
    """Read one calibration file.

    Raises
    ------
    DataFormatError
        Unreadable, not YAML, or not a well-formed calibration (the message names the field).
    """
    p = Path(path)
    try:
        return _parse(p.read_text("utf-8"), str(p))
    except OSError as exc:
        raise DataFormatError(f"cannot read calibration {p}: {exc.strerror}") from exc


def _parse(text: str, where: str) -> Calibration:
    try:
        data = yaml.safe_load(text)
        return Calibration.model_validate(data)
    except yaml.YAMLError as exc:
        raise DataFormatError(f"{where} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first["loc"]) or "file"
        raise DataFormatError(f"{where}: {field}: {first['msg']}") from exc


def write_calibration(cal: Calibration, path: str | Path, header: str = "") -> Path:
    """Write a calibration as YAML (the format :func:`read_calibration` reads).

    ``header`` is written as leading comment lines.
    """
    p = Path(path)
    data = cal.model_dump(mode="json")
    text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def load_calibrations(directory: str | Path | None = None) -> tuple[Calibration, ...]:
    """Every calibration in ``directory`` (default: the ones shipped with the package)."""
    if directory is None:
        return _shipped()
    return tuple(read_calibration(p) for p in sorted(Path(directory).glob("*.yaml")))


@cache
def _shipped() -> tuple[Calibration, ...]:
    folder = resources.files("routing").joinpath(_PACKAGE_DIR)
    out = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".yaml"):
            out.append(_parse(item.read_text("utf-8"), f"routing/{_PACKAGE_DIR}/{item.name}"))
    return tuple(out)


def calibration_for(
    meta: NetworkMeta, calibrations: Sequence[Calibration] | None = None
) -> Calibration | None:
    """The calibration that applies to a network, or None if its data was never measured.

    Parameters
    ----------
    meta
        The network's provenance.
    calibrations
        Candidates (default: :func:`load_calibrations`).
    """
    for cal in load_calibrations() if calibrations is None else calibrations:
        if cal.applies_to.matches(meta):
            return cal
    return None
