"""Speed profiles: how fast each class of road is driven, and with what justification.

A :class:`Profile` maps OSM ``highway`` classes to a speed range ``(low, mode, high)`` in km/h,
each profile naming its source. ``mode`` drives single estimates; the range feeds Monte Carlo
runs through :meth:`Profile.sample`. Where OSM tags a ``maxspeed`` it replaces the class speed
(scaled by the profile's factor), as osmnx's ``add_edge_speeds`` does. Edge attributes follow
osmnx: ``speed_kph`` (km/h) and ``travel_time`` (seconds).

The profiles shipped with the package live in ``routing/data/profiles.yaml``; users can load
their own file of the same layout with :func:`load_profiles` or pass its path anywhere a
profile name is accepted.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import shapely
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rapidfuzz import process

from .._geo import ground_circle
from .._text import quoted
from .._yaml import load_unique
from ..exceptions import ProfileError
from ..network import RoadNetwork, parse_maxspeed

__all__ = [
    "DEFAULT_PROFILE",
    "ROAD_CLASSES",
    "Profile",
    "SpeedRange",
    "add_edge_travel_times",
    "available_profiles",
    "get_profile",
    "load_profiles",
]

DEFAULT_PROFILE = "car"

# OSM ``highway`` values of roads a vehicle can use (OSM wiki, Key:highway: roads and link
# roads): the classes a road network's edges can carry, so the only keys a profile can use.
ROAD_CLASSES: frozenset[str] = frozenset(
    {
        *(
            f"{c}{link}"
            for c in ("motorway", "trunk", "primary", "secondary", "tertiary")
            for link in ("", "_link")
        ),
        "unclassified",
        "residential",
        "living_street",
        "service",
        "track",
        "road",
        "busway",
    }
)
# Bounds that keep times finite and meaningful: slower than walking pace is not a road speed,
# and 1e-300 km/h overflows travel times to infinity (read as "not connected").
_MIN_KPH, _MAX_KPH = 1.0, 300.0
# A profile file is a few kilobytes; anything much larger is not one.
_MAX_PROFILE_BYTES = 1_000_000

# Place kinds counted as towns for per-town delays.
_TOWN_KINDS = frozenset({"city", "town", "village"})


class SpeedRange(BaseModel):
    """Speeds (km/h) of one road class: ``low <= mode <= high``, each from 1 to 300 km/h."""

    model_config = ConfigDict(frozen=True)

    low: float = Field(ge=_MIN_KPH, le=_MAX_KPH)
    mode: float = Field(ge=_MIN_KPH, le=_MAX_KPH)
    high: float = Field(ge=_MIN_KPH, le=_MAX_KPH)

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            if len(value) != 3:
                raise ValueError(f"expected [low, mode, high] km/h, got {list(value)}")
            return dict(zip(("low", "mode", "high"), value, strict=True))
        if isinstance(value, int | float):
            return {"low": value, "mode": value, "high": value}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> SpeedRange:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self


class MaxspeedRule(BaseModel):
    """Whether tagged OSM ``maxspeed`` replaces class speeds, and the factor applied to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    use: bool = True
    factor: float = Field(default=1.0, ge=0.1, le=2)


class Delays(BaseModel):
    """Fixed delays of a profile."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_town_min: float = Field(default=0.0, ge=0, le=24 * 60)
    town_radius_m: float = Field(default=1500.0, ge=1, le=50_000)


class Profile(BaseModel):
    """A named speed profile.

    Attributes
    ----------
    name
        Profile name (``car``, ``fast``, ``convoy``, ``truck`` or a user's).
    description
        What kind of driving it models.
    source
        Where the speeds come from; printed with every time estimate.
    rationale
        Why the speed ranges are what they are.
    speeds
        ``(low, mode, high)`` km/h per OSM highway class.
    default
        Speeds of classes not listed.
    maxspeed
        Use of tagged OSM speed limits.
    max_kph
        Vehicle speed cap, or ``None``.
    access_kph
        Speed over the leg between a place and the road it joins (streets the data lack),
        used when choosing among candidate roads and in reported times; never above
        ``max_kph``.
    delays
        Fixed delays (per town crossed).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str
    source: str
    rationale: str = ""
    speeds: dict[str, SpeedRange]
    default: SpeedRange
    maxspeed: MaxspeedRule = MaxspeedRule()
    max_kph: float | None = Field(default=None, ge=_MIN_KPH, le=_MAX_KPH)
    access_kph: float = Field(default=30.0, ge=_MIN_KPH, le=_MAX_KPH)
    delays: Delays = Delays()

    @field_validator("speeds")
    @classmethod
    def _known_classes(cls, speeds: dict[str, SpeedRange]) -> dict[str, SpeedRange]:
        # A misspelt class ("motorwya") would match no road and leave every motorway at the
        # default speed: a silent wrong answer.
        for name in speeds:
            if name not in ROAD_CLASSES:
                close = process.extractOne(name, sorted(ROAD_CLASSES), score_cutoff=60)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(
                    f"unknown road class {quoted(name)}; {hint}known classes: "
                    + ", ".join(sorted(ROAD_CLASSES))
                )
        return speeds

    @model_validator(mode="after")
    def _access_within_cap(self) -> Profile:
        # A vehicle capped at max_kph is no faster on the streets the data lack.
        if self.max_kph is not None and self.access_kph > self.max_kph:
            object.__setattr__(self, "access_kph", self.max_kph)
        return self

    def speed(self, highway: str, which: str = "mode") -> float:
        """Speed (km/h) of one road class; ``which`` is ``low``, ``mode`` or ``high``."""
        return float(getattr(self.speeds.get(highway, self.default), which))

    def edge_speeds(self, net: RoadNetwork, which: str = "mode") -> np.ndarray:
        """Speed (km/h) of every edge of ``net``: class speed, or tagged maxspeed where used."""
        classes = net.edges["highway"].astype(str).to_numpy()
        lookup = {c: self.speed(c, which) for c in np.unique(classes)}
        speed = np.fromiter((lookup[c] for c in classes), dtype=float, count=len(classes))
        if self.maxspeed.use:
            tagged = net.edges["maxspeed"].to_numpy(dtype=float)
            has = ~np.isnan(tagged)
            speed[has] = tagged[has] * self.maxspeed.factor
        if self.max_kph is not None:
            speed = np.minimum(speed, self.max_kph)
        return speed

    def travel_times(self, net: RoadNetwork, which: str = "mode") -> np.ndarray:
        """Seconds to drive each edge of ``net``, including per-town delays."""
        seconds = net.edges["length"].to_numpy() / (self.edge_speeds(net, which) / 3.6)
        if self.delays.per_town_min > 0:
            crossings = town_crossings(net, self.delays.town_radius_m)
            seconds = seconds + crossings * (self.delays.per_town_min * 60.0 / 2.0)
        return seconds

    def sample(self, rng: np.random.Generator) -> Profile:
        """A profile whose class speeds are drawn from triangular(low, mode, high).

        One draw per class (not per edge): the uncertainty is about how fast a class of road is
        driven, which is shared by every segment of it.
        """

        def draw(r: SpeedRange) -> SpeedRange:
            s = float(rng.triangular(r.low, r.mode, r.high)) if r.high > r.low else r.mode
            return SpeedRange(low=s, mode=s, high=s)

        return self.model_copy(
            update={
                "name": f"{self.name} (sampled)",
                "speeds": {k: draw(v) for k, v in self.speeds.items()},
                "default": draw(self.default),
            }
        )

    def describe(self) -> str:
        """One line naming the profile and its source, for assumption footers."""
        text = f"profile {self.name!r}: {self.description}; source: {self.source}"
        if self.delays.per_town_min:
            text += f"; +{self.delays.per_town_min:g} min per town crossed"
        return text


def town_crossings(net: RoadNetwork, radius_m: float) -> np.ndarray:
    """How many times each edge crosses the boundary of a town's radius.

    A route through a town crosses twice and one starting inside it once, so charging half the
    per-town delay per crossing charges each town passed exactly once.
    """
    counts = np.zeros(net.n_edges)
    towns = net.places[net.places["kind"].isin(_TOWN_KINDS)] if len(net.places) else net.places
    for x, y in zip(towns["x"].to_numpy(), towns["y"].to_numpy(), strict=True):
        ring = ground_circle(float(x), float(y), radius_m).exterior
        hits = net.edge_tree.query(ring, predicate="intersects")
        if len(hits):
            pts = shapely.intersection(net.geometries[hits], ring)
            counts[hits] += shapely.get_num_geometries(pts)
    return counts


def add_edge_travel_times(graph: nx.MultiDiGraph, profile: Profile | str) -> nx.MultiDiGraph:
    """Set osmnx-style ``speed_kph`` and ``travel_time`` on every edge of a graph, in place.

    Uses the same rules as :meth:`Profile.edge_speeds` (without per-town delays), so osmnx
    routing on ``travel_time`` agrees with the engine on the same profile.
    """
    prof = get_profile(profile)
    for _, _, data in graph.edges(data=True):
        hwy = data.get("highway", "road")
        speed = prof.speed(hwy[0] if isinstance(hwy, list) else str(hwy))
        tagged = parse_maxspeed(data.get("maxspeed"))  # osmnx keeps the tag's text
        if prof.maxspeed.use and not np.isnan(tagged):
            speed = tagged * prof.maxspeed.factor
        if prof.max_kph is not None:
            speed = min(speed, prof.max_kph)
        data["speed_kph"] = speed
        data["travel_time"] = float(data["length"]) / (speed / 3.6)
    return graph


def load_profiles(path: str | Path | None = None) -> dict[str, Profile]:
    """Read profiles from a YAML file (default: the ones shipped with the package).

    Raises
    ------
    ProfileError
        The file is missing, not YAML, or a profile in it is malformed (the message names the
        profile and field).
    """
    if path is None:
        text = resources.files("routing").joinpath("data/profiles.yaml").read_text("utf-8")
        where = "routing/data/profiles.yaml"
    else:
        p = Path(path).expanduser()
        try:
            if p.stat().st_size > _MAX_PROFILE_BYTES:
                raise ProfileError(
                    f"profile file {quoted(str(p))} is larger than {_MAX_PROFILE_BYTES:,} bytes; "
                    "a profile file is a few kilobytes of YAML"
                )
            text = p.read_text("utf-8")
        except UnicodeDecodeError as exc:
            raise ProfileError(f"profile file {quoted(str(p))} is not UTF-8 text") from exc
        except OSError as exc:
            raise ProfileError(
                f"cannot read profile file {quoted(str(p))}: {exc.strerror or exc}"
            ) from exc
        where = str(p)
    return _parse(text, where)


@cache
def _builtin() -> dict[str, Profile]:
    return load_profiles()


def available_profiles() -> list[str]:
    """Names of the profiles shipped with the package."""
    return list(_builtin())


def get_profile(profile: Profile | str | Path) -> Profile:
    """A profile by name, by YAML file path (its only profile, or ``file.yaml:name``), or as is.

    Raises
    ------
    ProfileError
        Unknown name (the message lists the known ones) or malformed file.
    """
    if isinstance(profile, Profile):
        return profile
    text = str(profile)
    if text in _builtin():
        return _builtin()[text]
    path, name = text, ""
    head, sep, tail = text.rpartition(":")
    if sep and head.endswith((".yaml", ".yml")):
        path, name = head, tail
    if path.endswith((".yaml", ".yml")) or Path(path).is_file():
        profiles = load_profiles(path)
        if name:
            if name not in profiles:
                raise ProfileError(
                    f"profile {name!r} not in {path!r}; it has: " + ", ".join(profiles)
                )
            return profiles[name]
        if len(profiles) != 1:
            raise ProfileError(
                f"{path!r} holds several profiles ({', '.join(profiles)}); "
                f"pick one with '{path}:NAME'"
            )
        return next(iter(profiles.values()))
    raise ProfileError(
        f"unknown profile {text!r}; known profiles: "
        + ", ".join(available_profiles())
        + " (or a YAML profile file)"
    )


def _parse(text: str, where: str) -> dict[str, Profile]:
    try:
        doc = load_unique(text)
    except yaml.constructor.ConstructorError as exc:  # e.g. a duplicate key
        raise ProfileError(f"profile file {where!r}: {_yaml_problem(exc)}") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(
            f"profile file {where!r} is not valid YAML: {_yaml_problem(exc)}"
        ) from exc
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("profiles"), dict)
        or not doc["profiles"]
    ):
        raise ProfileError(
            f"profile file {where!r} needs a non-empty top-level "
            "'profiles:' mapping of name -> profile"
        )
    out: dict[str, Profile] = {}
    for name, body in doc["profiles"].items():
        if not isinstance(body, dict):
            raise ProfileError(f"{where}: profile {quoted(name)} must be a mapping")
        try:
            out[str(name)] = Profile.model_validate({"name": str(name), **body})
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise ProfileError(
                f"{where}: profile {quoted(name)}, field {quoted(loc)}: "
                + first["msg"].removeprefix("Value error, ")
                + (f" ({exc.error_count() - 1} more problems)" if exc.error_count() > 1 else "")
            ) from exc
    return out


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line for a YAML error: what is wrong and on which line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return where + " ".join(str(exc.problem or exc.context or "").split())
    return " ".join(str(exc).split())
