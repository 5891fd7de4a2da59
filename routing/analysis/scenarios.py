"""What-if scenarios: closed roads and bridges, avoided areas, checkpoints.

A :class:`Scenario` is an immutable list of rules applied to a network as edge closures and
per-edge delays; the engine re-weights without rebuilding. Build one in code::

    s = Scenario().block_road(ref="1", near=(42.38, 34.14), radius_km=10).checkpoint(
        (43.30, 33.42), minutes=30)

or from command-line style specs with :func:`parse_avoid`. :func:`compare` routes with and
without the scenario and says what changed, or why no route is left.

A rule that matches no road raises :class:`~routing.exceptions.ScenarioError`: a closure that
silently closes nothing would report an unchanged route as if the closure had been tested.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

from .._geo import M_PER_DEG
from .._text import quoted
from ..engine.snapping import nearest_snap
from ..exceptions import InvalidBBoxError, OffNetworkError, ScenarioError
from ..network import RoadNetwork, check_bbox

__all__ = [
    "Checkpoint",
    "Closure",
    "Scenario",
    "parse_avoid",
]

# Limits that keep closures and delays meaningful (and arithmetic finite): half the Earth's
# circumference, and a week.
_MAX_RADIUS_KM = 20_000.0
_MAX_CHECKPOINT_MIN = 7 * 24 * 60.0
_REF_WORDS = re.compile(r"^(route|highway|hwy|road|rd|expressway)\s*", re.IGNORECASE)
_NUM = r"[-+]?\d+(?:\.\d+)?"
_POINT = re.compile(rf"^\s*({_NUM})\s*,\s*({_NUM})\s*(?::\s*({_NUM})\s*(km|m)?)?\s*$")


@dataclass(frozen=True)
class Closure:
    """Close every road matching all given criteria.

    Attributes
    ----------
    ref
        Road reference (``"1"``, ``"Route 12"``: the word is ignored), matched exactly.
    name
        Case-insensitive part of the road name.
    near
        ``(lon, lat)``: only roads within ``radius_m`` of it.
    radius_m
        Radius around ``near``.
    bridges_only
        Only bridges.
    area
        Polygon (lon/lat): every road touching it is closed.
    label
        How the rule is described in outputs.
    """

    ref: str | None = None
    name: str | None = None
    near: tuple[float, float] | None = None
    radius_m: float = 5_000.0
    bridges_only: bool = False
    area: shapely.Geometry | None = None
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return self.label
        parts = ["closed:"]
        parts.append("bridges" if self.bridges_only else "roads")
        if self.ref:
            parts.append(f"with ref {self.ref!r}")
        if self.name:
            parts.append(f"named like {self.name!r}")
        if self.near:
            parts.append(
                f"within {self.radius_m / 1000:g} km of ({self.near[1]:.4f}, {self.near[0]:.4f})"
            )
        if self.area is not None:
            parts.append("in the given area")
        return " ".join(parts)

    def mask(self, net: RoadNetwork) -> np.ndarray:
        """Edges this rule closes."""
        e = net.edges
        mask = np.ones(net.n_edges, bool)
        if self.ref:
            want = _norm_ref(self.ref)
            # Normalise each distinct ref once (a country network has few, on many edges).
            refs, which = np.unique(e["ref"].to_numpy(str), return_inverse=True)
            hit = np.fromiter(
                (want in {_norm_ref(r) for r in s.split(";")} for s in refs), bool, count=len(refs)
            )
            mask &= hit[which]
        if self.name:
            mask &= e["name"].str.contains(self.name, case=False, regex=False).to_numpy(bool)
        if self.bridges_only:
            mask &= e["bridge"].to_numpy(bool)
        if self.near is not None:
            lon, lat = self.near
            deg = self.radius_m / M_PER_DEG
            disc = shapely.Point(0, 0).buffer(deg, quad_segs=16)
            scale = np.array([1 / np.cos(np.radians(lat)), 1.0])
            disc = shapely.transform(disc, lambda c: c * scale + [lon, lat])
            mask &= _touching(net, disc)
        if self.area is not None:
            mask &= _touching(net, self.area)
        return mask


@dataclass(frozen=True)
class Checkpoint:
    """A fixed delay at a point, charged on the road nearest to it (both directions)."""

    lon: float
    lat: float
    minutes: float
    label: str = ""

    def describe(self) -> str:
        where = self.label or f"({self.lat:.4f}, {self.lon:.4f})"
        return f"checkpoint at {where}: +{self.minutes:g} min"


@dataclass(frozen=True)
class Scenario:
    """Closures and delays to apply to a network (immutable; builders return a new one)."""

    closures: tuple[Closure, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    name: str = "scenario"

    def __bool__(self) -> bool:
        return bool(self.closures or self.checkpoints)

    def block_road(
        self,
        *,
        ref: str | None = None,
        name: str | None = None,
        near: tuple[float, float] | None = None,
        radius_km: float = 5.0,
        bridges_only: bool = False,
    ) -> Scenario:
        """Close roads by ref and/or name, optionally only near a ``(lon, lat)`` point."""
        if not (ref or name or near):
            raise ScenarioError("a road closure needs a ref, a name or a location")
        if not (math.isfinite(radius_km) and 0 < radius_km <= _MAX_RADIUS_KM):
            raise ScenarioError(
                f"closure radius must be a positive number of km up to {_MAX_RADIUS_KM:,.0f}, "
                f"got {radius_km:g}"
            )
        rule = Closure(
            ref=ref, name=name, near=near, radius_m=radius_km * 1000, bridges_only=bridges_only
        )
        return replace(self, closures=(*self.closures, rule))

    def avoid_area(self, area: shapely.Geometry, label: str = "") -> Scenario:
        """Close every road touching a polygon (lon/lat)."""
        if not isinstance(area, shapely.Polygon | shapely.MultiPolygon) or area.is_empty:
            raise ScenarioError("an avoided area must be a non-empty (Multi)Polygon in lon/lat")
        rule = Closure(area=area, label=f"closed: roads in {label or 'the given area'}")
        return replace(self, closures=(*self.closures, rule))

    def checkpoint(self, point: tuple[float, float], minutes: float, label: str = "") -> Scenario:
        """Add a fixed delay at a ``(lon, lat)`` point."""
        if not (math.isfinite(minutes) and 0 <= minutes <= _MAX_CHECKPOINT_MIN):
            raise ScenarioError(
                f"checkpoint delay must be from 0 to {_MAX_CHECKPOINT_MIN:,.0f} minutes (a week), "
                f"got {minutes:g}"
            )
        cp = Checkpoint(point[0], point[1], minutes, label)
        return replace(self, checkpoints=(*self.checkpoints, cp))

    def closed(self, net: RoadNetwork) -> np.ndarray | None:
        """Boolean mask of closed edges, or ``None`` without closures.

        Raises
        ------
        ScenarioError
            A rule matches no road of the network.
        """
        if not self.closures:
            return None
        mask = np.zeros(net.n_edges, bool)
        for rule in self.closures:
            hit = rule.mask(net)
            if not hit.any():
                raise ScenarioError(
                    f"{rule.describe()}: matches no road in the network ({net.meta.describe()})"
                )
            mask |= hit
        return mask

    def delays(self, net: RoadNetwork) -> np.ndarray | None:
        """Extra seconds per edge from checkpoints, or ``None`` without checkpoints."""
        if not self.checkpoints:
            return None
        out = np.zeros(net.n_edges)
        for cp in self.checkpoints:
            try:
                snap = nearest_snap(net, cp.lon, cp.lat, max_snap_m=5_000)
            except OffNetworkError as exc:
                raise ScenarioError(f"{cp.describe()}: {exc}") from exc
            out[snap.edge] += cp.minutes * 60.0
        return out

    def describe(self) -> list[str]:
        """One line per rule."""
        return [r.describe() for r in self.closures] + [c.describe() for c in self.checkpoints]


def parse_avoid(specs: list[str], scenario: Scenario | None = None) -> Scenario:
    """Build a scenario from command-line style specs.

    Forms: ``ref:1`` (road ref), ``name:Baghdad`` (part of a name), ``near:LAT,LON[:5km]``
    (every road near a point), ``bridge:LAT,LON[:5km]`` (bridges near a point),
    ``ref:1@LAT,LON[:5km]`` (a ref near a point), ``bbox:W,S,E,N`` and ``area:FILE.geojson``
    (avoid an area), ``checkpoint:LAT,LON:MINUTES``.

    Raises
    ------
    ScenarioError
        A spec is malformed.
    """
    out = scenario or Scenario()
    for spec in specs:
        kind, sep, arg = spec.partition(":")
        kind = kind.strip().lower()
        if not sep or not arg.strip():
            raise ScenarioError(
                f"bad --avoid spec {quoted(spec)}: expected KIND:VALUE, e.g. 'ref:1', "
                "'near:34.14,42.38:5km', 'bbox:W,S,E,N', 'checkpoint:LAT,LON:30'"
            )
        if kind in ("ref", "name"):
            value, _, where = arg.partition("@")
            near, radius = _point(where, spec) if where else (None, 5.0)
            ref, name = (value.strip(), None) if kind == "ref" else (None, value.strip())
            out = out.block_road(ref=ref, name=name, near=near, radius_km=radius)
        elif kind in ("near", "bridge"):
            near, radius = _point(arg, spec)
            out = out.block_road(near=near, radius_km=radius, bridges_only=kind == "bridge")
        elif kind == "bbox":
            try:
                box = check_bbox(arg.split(","))
            except InvalidBBoxError as exc:
                raise ScenarioError(f"bad bbox in {quoted(spec)}: {exc}") from None
            out = out.avoid_area(shapely.box(*box), f"bbox {arg}")
        elif kind == "area":
            out = out.avoid_area(_read_area(Path(arg)), arg)
        elif kind == "checkpoint":
            point, _, minutes = arg.rpartition(":")
            near, _ = _point(point, spec)
            try:
                out = out.checkpoint(near, float(minutes))
            except ValueError as exc:
                raise ScenarioError(
                    f"bad checkpoint {quoted(spec)}: expected LAT,LON:MINUTES"
                ) from exc
        else:
            raise ScenarioError(
                f"unknown --avoid kind {quoted(kind)} in {quoted(spec)}; use ref, name, "
                "near, bridge, bbox, area or checkpoint"
            )
    return out


def _norm_ref(ref: str) -> str:
    return _REF_WORDS.sub("", ref.strip()).replace(" ", "").lower()


def _touching(net: RoadNetwork, geom: shapely.Geometry) -> np.ndarray:
    mask = np.zeros(net.n_edges, bool)
    mask[net.edge_tree.query(geom, predicate="intersects")] = True
    return mask


def _point(text: str, spec: str) -> tuple[tuple[float, float], float]:
    """``'LAT,LON[:R km]'`` -> ``((lon, lat), radius_km)``."""
    m = _POINT.match(text)
    if not m:
        raise ScenarioError(f"bad location in {quoted(spec)}: expected LAT,LON or LAT,LON:5km")
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ScenarioError(f"bad location in {quoted(spec)}: latitude/longitude out of range")
    radius = float(m.group(3)) if m.group(3) else 5.0
    if m.group(4) == "m":
        radius /= 1000
    return (lon, lat), radius


def _read_area(path: Path) -> shapely.Geometry:
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"cannot read area file {str(path)!r}: {exc}") from exc
    features = doc.get("features", [doc]) if isinstance(doc, dict) else []
    try:
        geoms = [shapely.geometry.shape(f.get("geometry", f)) for f in features]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(f"{str(path)!r} is not a GeoJSON polygon file: {exc}") from exc
    polys = [g for g in geoms if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
    if not polys:
        raise ScenarioError(f"{str(path)!r} holds no polygon")
    return shapely.union_all(polys)
