"""Propose a claim file from an article's plain text, for a person to review.

Rule-based, chosen on measurements (``benchmarks/extraction.py`` scores it on the labelled
corpus ``tests/data/extraction_corpus.yaml``). The text is split into sentences; quantities
come from :func:`~routing.claims.units.find_quantities` (ranges and vague amounts included);
place names are found by their form (:mod:`routing.claims._phrases`), so that text about any
region yields its places, and the gazetteer is asked only about the names a claim uses.

A quantity becomes a claim when the words after it point at a reference ("240 km *northwest
of* Baghdad", "two hours' *drive from* Ramadi", "15 km *from the Syrian border*", "six miles
*west of the Euphrates*") and the sentence says which place is located there, in this order:

1. a list continues: "145 km west of Baghdad *and* 70 km northwest of Ramadi";
2. an apposition: "Haditha, about 140 miles northwest of Baghdad", "Qaim, located ...";
3. a fronted phrase names the place after its comma, or after an inverted verb: "Situated
   240 km northwest of Baghdad, *Haditha* is ...", "20 kilometres from Rawa lies *Ana*";
4. the sentence's subject with a verb of place: "*Ramadi* is a city in central Iraq, about
   110 km west of Baghdad" (countries and provinces on the way are not subjects);
5. "It" as subject, or a description ("the town, which lies ...", "The city is located ...",
   "this strategic outpost about 100 miles from ..."): the place the paragraph is about, i.e.
   the nearest subject of the three sentences before, else the nearest place they name
   (flagged); "the dam", "the base" only read as a name that says so ("Haditha Dam").

A figure with no reference after it ("Baghdad is 70 km east.") is read from the place the
paragraph is about (flagged). "X and Y are N km apart" is a pair, like "between X and Y".

A quantity with no reference after it is a trip between a pair of places in the same
sentence: "the distance between A and B is", "the drive from A to B is only two hours",
"fighters from A could reach B in under four hours". "X is closer to Y than to Z" and "X lies
halfway between Y and Z" are relative claims. Places "along a highway from A to B" and "on
the border with C" are read as before (``along_route``, ``border``).

A country as a reference is read as its border ("25 miles from Russia"), a country as an
origin as the border places the same text names; each such reading, a place carried over from
another sentence, a description ("the village") read as a name, an ambiguous name, a vague
amount ("a few hours") and "than Z" (which may compare Z with either place) sets the claim's
``review``, so that ``routing check`` gives no true/false verdict until a person confirms it.
Other notes for the reviewer are written as comments in the YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .._transliterate import name_key
from ..exceptions import AmbiguousPlaceError, PlaceNotFoundError, PlaceQueryError
from ._phrases import (
    Phrase,
    Sentence,
    Target,
    country_code,
    country_name,
    phrases,
    river_name,
    split_sentences,
    target_after,
)
from .base import ClaimBase, Direction, Measure, Source
from .io import dump_claims
from .model import (
    AlongRouteClaim,
    BorderClaim,
    BorderDistanceClaim,
    Claim,
    ClaimFile,
    DestinationRule,
    DistanceClaim,
    RelativeClaim,
    RiverDistanceClaim,
    TravelMode,
    TravelTimeClaim,
)
from .units import Dimension, Quantity, find_quantities, parse_number

__all__ = ["Extraction", "Resolver", "Sentence", "extract_claims", "split_sentences"]

Resolver = Callable[[str], Any]
"""Place-name resolver: returns a place (``.name``, ``.lon``, ``.lat``, ``.country``) or raises
:class:`~routing.exceptions.PlaceNotFoundError` / :class:`~routing.exceptions.AmbiguousPlaceError`.
"""

_COMPASS = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?"
_OPPOSITE = {
    "north": "south", "south": "north", "east": "west", "west": "east",
    "northeast": "southwest", "southwest": "northeast",
    "northwest": "southeast", "southeast": "northwest",
}  # fmt: skip
# What follows a quantity that points at a reference: "'s drive", "away", "north-west of", "from".
_TAIL = re.compile(
    rf"""(?ix)
    (?:\s*['’]?s?\s*(?P<mode>drive|driving|ride|journey|walk|flight|trip|train\s+ride|bus\s+ride)
      |\s+by\s+(?P<by>car|road|bus|train|air|taxi))?
    (?P<fill>(?:\s+(?:away|inland|directly|due|straight|upstream|downstream|up\s+the\s+hill))*)
    (?:\s+(?:to\s+the\s+)?(?P<dir>{_COMPASS})(?:ern)?(?:\s+(?:of|from)\b|(?=\s+(?-i:[A-Z])))
      |\s+(?P<prep>from|outside|off|of)\b)
    (?P<both>\s+both\b)?
    """
)
_MODES = {
    "drive": TravelMode.CAR, "driving": TravelMode.CAR, "car": TravelMode.CAR,
    "road": TravelMode.CAR, "taxi": TravelMode.CAR, "walk": TravelMode.WALK,
    "flight": TravelMode.FLIGHT, "air": TravelMode.FLIGHT, "train ride": TravelMode.TRAIN,
    "train": TravelMode.TRAIN, "bus ride": TravelMode.BUS, "bus": TravelMode.BUS,
}  # fmt: skip
# Between the reference of one figure and the next figure of a list: ", ", " and ", "[2] and ".
_LIST_GAP = re.compile(r"(?:\s*\[\d+\])*\s*(?:,\s*|;\s*)?(?:and\s+)?")
# Between a name and its apposition: "Haditha, about", "Qaim, located", "Manbij, which lies".
_APPOSITION = re.compile(
    r"(?:\s+(?:city|town|village|area))?(?:\s+(?:in|near|on|at)\s+[^,;()]{1,60}?)?"
    r"(?:\s*[,(–—]['’\"”]?\s*|\s+(?=which\s))"  # "the town of Memmingen which is seventy miles"
    r"(?:(?:an?\s+[a-z]+\s+)?(?:which|that)\s+(?:is|lies|lay|sits|stands|was|are)\s+"
    r"(?:[a-z-]+\s+){0,6}?"
    r"|itself\s+"
    r"|(?:an?|the)\s+[^,;()]{1,60}?,\s*(?:(?:located|situated|lying)\s+|(?:which|that)\s+"
    r"(?:is|lies|lay|sits|stands|was)\s+(?:(?:located|situated)\s+)?)"
    r"|(?:an?|the)\s+(?:[a-z-]+\s+){1,3}?(?:(?:located|situated)\s+)?"
    r"|(?:is\s+)?(?:located|situated|lying)\s+(?:on|in|at|along|near)\s+[^,;()]{1,60}?"
    r"(?:\s*,\s*|\s+(?:and\s+)?(?:lies|is|sits|stands)\s+|\s+at\s+)"
    r"|(?:is\s+)?(?:located|situated|lying|based)\s+(?:at\s+)?"
    r"|(?:is|lies|sits|stands|was)\s+(?:(?:located|situated)\s+)?)?"
)
_ADJACENT = re.compile(r"\s+")
# A name that is a province or district, not a place with a point: "the province of Al Anbar".
_ADMIN_BEFORE = re.compile(r"(?:province|governorate|district|region|state)\s+of\s+$", re.I)
_ADMIN_AFTER = re.compile(r"\s+(?:province|governorate|district|region)\b", re.I)
_ADMIN_NAME = re.compile(r"\b(?:Province|Governorate|District|Region)$")
# The name is the object of "in": the container of the place a figure locates.
_IN_PP = re.compile(r"\bin\s+(?:[a-z-]+\s+){0,4}$")
# A place named as subject is followed by a verb, a comma or a description, not by "the".
_AFTER_SUBJECT = re.compile(
    r"\s*(?:[,(:]|\.\.\.|…)|\s+(?:is|are|was|were|lies|lay|sits|stands|city|town|village|itself|also|has|had|"
    r"became|remains|located|situated|includes|carries|or)\b"
)
_PARTICIPLE = re.compile(r"(?:Lying|Located|Situated|Set|Built|Nestled|Perched)\b[^,;]*,\s*")
# A sentence that opens with the figure: "Situated 240 km ...", "NATANZ: About 250 km ...".
_FRONTED = re.compile(r"(?:[A-Z]+:\s*)?(?:(?:Situated|Located|Lying|Set)\b[^,;]*?)?\s*")
_FRONT_SUBJECT = re.compile(
    r"(?:\s*\))?[^,;.]{0,120}?,\s*(?:(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?)"
)
_INVERTED = re.compile(
    r"\s*,?\s*(?:lies|is|are|sits|stands)\s+(?:(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}(?:of\s+)?)?"
)
# "..., it", or "it" and its verb right after the reference: "Situated 25 miles (40 km) from the
# Russian border it was considered ...".
_FRONT_PRONOUN = re.compile(
    r"(?:\s*\))?(?:[^,;.]{0,120}?,\s*it\b|\s+it\s+(?:is|was|lies|lay|sits|stands|has|had)\b)"
)
_SUBJECT_LEAD = re.compile(
    r"[\"“]?\s*(?:(?:The|the)\s+(?:(?:town|city|village|governorate|province|district)\s+of\s+)?)?"
)
_PLACE_VERB = re.compile(r"\b(?:is|are|was|lies|lay|sits|stands|located|situated)\b")
# A clause's subject right before its verb, the figure right after: "... that Kyiv was located
# a mere 130 km south of ...", "... facility at Fordow is located approximately 100 km ...".
_COPULA = re.compile(
    # A place's own locative phrase may come between: "Tabqa dam on the Euphrates River is".
    r"(?:\s+(?:on|in|near|along)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?"
    r"\s+(?:is|was|lies|lay|sits|stands)\s+(?:(?:now|also|still|actually)\s+)?"
    r"(?:(?:located|situated|based)\s+)?"
)
# A second predicate of the sentence's subject: "Tyre juts out from the coast of the
# Mediterranean Sea and is located about 80 km south of Beirut."
_COORDINATED = re.compile(
    r"\band\s+(?:is|lies|sits|stands|was)\s+(?:(?:now|also|still)\s+)?"
    r"(?:(?:located|situated)\s+)?$"
)
# The name is the object of a preposition, not the clause's subject: "the camp in Hit is ...".
_OBJECT_BEFORE = re.compile(r"\b(?:in|of|at|near|outside|from|to|into|by|with)\s+(?:the\s+)?$")
# A name in an apposition that is not the located place: the container in "Baaquba, the
# capital of Diala, which is ...", a people in "an ancient Sumerian and Amorite city, located".
_NOT_LOCATED_BEFORE = re.compile(
    r"(?:\b(?:capital|part|centre|center|seat|heart|province|governorate|district|region|state|"
    r"county|outskirts|suburbs?)\s+of\s+(?:the\s+)?"
    r"|\ban?\s+(?:[a-z-]+\s+){0,2}(?:town|city|village|port|suburb)\s+(?:of|in)\s+(?:the\s+)?"
    r")$"
)
# Another name of the place named right before: "The Deween Castle, also known as Salahaddin's
# Fortress, is about 30km" (but "the main border crossing with Syria, known as Nassib, located").
_ALIAS_BEFORE = re.compile(r"\s*,\s*(?:also\s+)?(?:known\s+as|called|aka)\s+(?:the\s+)?")
_INDEFINITE_BEFORE = re.compile(r"\ban?\s+(?:[a-z-]+\s+){0,3}(?:[A-Z][\w-]*\s+and\s+)?$")
_NOUN_AFTER = re.compile(r"\s+(?:city|town|village|area|settlement|port)\b")
# What a possessive name can be the owner of: "Beirut's Cola bus station".
_FACILITY_AFTER = re.compile(
    r"\s+(?:bus\s+|train\s+|railway\s+|metro\s+)?(?:station|terminal|stop|centre|center|"
    r"downtown|outskirts|suburbs?|old\s+town|city\s+cent(?:re|er))\b"
)
# Figures stated in parallel with places: "A, B and C are 60, 150 and 220 km from D".
_NUMBER_LIST = re.compile(r"(?:\d[\d,.]*(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+))+$")
_LIST_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PLURAL_VERB = re.compile(r"\s+(?:are|lie|sit|stand)\s+(?:(?:located|situated|respectively)\s+)?")
# A figure sharing the next one's reference: "a 215 mile, 5 hour drive from ...".
_SHARED_TAIL = re.compile(r"\s*,\s*")
_PRONOUN_SUBJECT = re.compile(r"[\"“]?\s*[Ii]t(?:\s+(?:is|was|lies|sits|stands)\b|['’]s\b)")
# A place named by description, read as the place the paragraph is about: "the town, which lies
# 12 km ...", "The city is located ...", "this strategic outpost about 100 miles from ...".
# What ends a figure whose reference is left out: "70 km east.", "300 miles to the west."
_ELIDED_TAIL = re.compile(
    rf"(?i)(?:\s*\([^)]*\))?(?:\s+away)?(?:\s+(?:to\s+the\s+)?(?P<dir>{_COMPASS})(?:ern)?)?"
    # A comma or "and" ends it only in a list of directions: "Qamishli is 200 km north, Raqqa".
    r"\s*(?:[.;!]|$|(?(dir)(?:,|\s+and\b)|(?!)))"
)
# A sea or a desert is not what "the port" or "the town" stands for ("the Red Sea coastal plain
# as far south as Ibb, which lies around 200 kilometers southeast of the port").
_NATURAL_FEATURE = re.compile(
    r"\b(?:Sea|Ocean|Gulf|Lake|Bay|Desert|Mountains?|Valley|Plain|Strait|River)$"
)
_SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "area", "site", "destination", "outpost"})
_DEFINITE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>city|town|village|base|airbase|"
    r"airport|dam|palace|area|site|outpost|destination|facility|camp|castle|fortress|garrison)"
    r"(?![\w-])"
)
_ROAD_WORDS = re.compile(r"\b(?:by road|drive|driving|by car|road distance)\b", re.I)
_STRAIGHT_WORDS = re.compile(
    r"\b(?:as the crow flies|straight[- ]line|in a straight line|draw a straight line|"
    r"air travel|bird fly|fly|flight)\b",
    re.I,
)
# Pairs of places a trip or a distance runs between.
_PAIR = re.compile(r"\b(?:(?P<from>[Ff]rom)|(?P<between>between)|connecting|linking)\s+")
_PAIR_TO = re.compile(r"\b(?:drive|driving|flight|fly|travel|journey|trip|get|go)\s+to\s+")
_PAIR_JOIN = re.compile(
    r"(?:\s+(?:in|of)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?(?:\s*\([^)]{0,60}\))?"
    r"(?:\s*,\s*[A-Z][\w'’-]*\s*,)?\s*(?P<word>to|and|with)\s+"
)
_PAIR_GAP = re.compile(
    r"(?=[^;.]{0,120}?\b(?:drive|driving|journey|trip|ride|flight|walk)\b)"
    r"(?:[^;.()]|\([^;.()]{0,60}\)){1,120}?\s(?:out\s+)?(?P<word>to)\s+"
    r"|\s*,?\s+it(?:\s+is|['’]s)\s+[^;.()]{1,60}?\s(?P<gap>to)\s+"
)
_FROM_WHICH = re.compile(r"(?:which|where)\b")
_COMMA = re.compile(r"\s*,\s*")
_PAIR_FROM = re.compile(r"(?:\s*\([^)]{0,60}\))?\s+from\s+")
_SEPARATE = re.compile(r"\bseparates?\s+")
_APART = re.compile(r"\b(?:are|lie|sit|stand)\s+[^.;]{1,60}?\bapart\b")
_HEAD_PAIR = re.compile(r"(?:From\s+)?")
_TWO_GROUP = re.compile(
    r"\bbetween\s+the\s+(?:two|both)\s+(?:[a-z]+\s+)?(?:cities|towns|places|capitals|ports)\b"
)
_TRIP_WORDS = re.compile(
    r"\b(?:drive|driving|drove|journey|trip|trips|flight|fly|travel\w*|ride|takes?|took|"
    r"lasted|train|rail\w*|reach\w*|walk)\b",
    re.I,
)
_LENGTH_TRIP = re.compile(
    r"\b(?:distance|drive|driving|fly|travel\w*|journey|route|link|apart)\b", re.I
)
_NOT_A_TRIP = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:long|wide|deep|high|tall|strip|stretch|border|trench|ditch|"
    r"road|railway|line|walk|intervals?|per|an\s+hour|above|below|away\s+from\s+the\s+front)"
    r"\b(?!-)",  # "a 450km high-speed rail link between A and B" is a trip's length
    re.I,
)
_REACH = re.compile(
    r"\b(?:reach\w*|arriv\w*\s+(?:in|at)|get\s+to|march\w*\s+to)\s+(?:the\s+)?"
    r"(?:(?P<out>outskirts|suburbs|edges?|gates|fringes?)\s+of\s+)?",
    re.I,
)
_CLOSER = re.compile(r"\bcloser(?:\s*,\s*in\s+fact\s*,)?\s+to\s+")
_THAN = re.compile(r"(?:\s*\([^)]{0,40}\))?\s*than\s+(?P<to>to\s+)?")
_HALFWAY = re.compile(
    r"\b(?:halfway|half-way|midway|mid-way|midpoint)(?:\s+point)?\s+"
    r"(?:along\s+[^,.;]{0,60}?\s+)?between\s+"
)
_AND = re.compile(r"(?:\s+in\s+the\s+\w+)?\s*,?\s*and\s+")
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
_RELATIVE_WORDS = re.compile(r"\b(?:closer|halfway|half-way|midway|mid-way|midpoint)\b")
_SPEED_BEFORE = re.compile(r"speed\s+of\s+$|speeds?\s+$", re.I)


@dataclass(frozen=True)
class _Mention:
    """A place name in a sentence, with what the gazetteer says of it."""

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
        The proposed claims; a claim whose reading must be confirmed has ``review`` set.
    comments
        Review comments per claim id.
    """

    claim_file: ClaimFile
    comments: dict[str, list[str]] = field(default_factory=dict)

    def to_yaml(self, origin: str = "the article") -> str:
        """The claim file as YAML, with ``# review:`` comments above claims to check."""
        header = [
            f"Claims proposed by `routing extract` from {origin}.",
            "Check every claim, especially those with 'review:', before relying on it; set",
            "'confirmed: true' on a claim once its reading is checked. Format: docs/claims.md",
        ]
        return dump_claims(self.claim_file, self.comments, header=header)


def _default_resolver() -> Resolver:
    from ..gazetteer import find_place

    return find_place


class _Linker:
    """Asks the gazetteer about each distinct name once."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._known: dict[str, _Mention] = {}

    def lookup(self, name: str) -> _Mention:
        """What the gazetteer says of a name (position unset)."""
        if name not in self._known:
            self._known[name] = self._resolve(name)
        return self._known[name]

    def _resolve(self, name: str) -> _Mention:
        code = country_code(name)
        if code is not None:
            return _Mention(name, 0, 0, country=code)
        try:
            return _Mention(name, 0, 0, place=self._resolver(name))
        except (PlaceNotFoundError, PlaceQueryError):  # unknown, or a country's other name
            return _Mention(name, 0, 0)
        except AmbiguousPlaceError as exc:
            return _Mention(name, 0, 0, candidates=tuple(exc.candidates))

    def country_of(self, mention: _Mention) -> str | None:
        """ISO code of the country a place mention lies in (or is)."""
        if mention.country:
            return mention.country
        country = getattr(mention.place, "country", None)
        if not isinstance(country, str):
            return None
        return country_code(country) or country.upper()


@dataclass
class _Draft:
    """A proposed claim, the reasons a person must confirm it, and comments for the YAML."""

    claim: Claim
    review: list[str]
    comments: list[str]


@dataclass
class _Located:
    """A place located relative to a reference in one sentence (for lists that continue)."""

    subject: str
    target: Target
    end: int
    review: str = ""  # why the subject was read so, carried to the figures that continue it


class _Extractor:
    def __init__(self, text: str, resolver: Resolver) -> None:
        self.sentences = split_sentences(text)
        self.linker = _Linker(resolver)
        self._phrases: dict[int, list[Phrase]] = {}
        self._subjects: dict[int, tuple[str, str] | None] = {}
        self.ids: set[str] = set()

    def run(self) -> list[_Draft]:
        # Border claims first: a country named as an origin is read through them.
        by_sentence = [list(self._borders(i)) for i in range(len(self.sentences))]
        borders = [d.claim for found in by_sentence for d in found]
        drafts: list[_Draft] = []
        for i, sentence in enumerate(self.sentences):
            quantities = find_quantities(sentence.text)
            if quantities or _RELATIVE_WORDS.search(sentence.text):
                drafts += self._claims(i, quantities, borders)
            drafts += list(self._along_route(i, borders))
            drafts += by_sentence[i]
        return drafts

    # -- helpers -----------------------------------------------------------------------------

    def phrases(self, i: int) -> list[Phrase]:
        if i not in self._phrases:
            self._phrases[i] = phrases(self.sentences[i].text)
        return self._phrases[i]

    def mentions(self, i: int) -> list[_Mention]:
        """Names of sentence ``i`` that the gazetteer knows, or countries."""
        out = []
        for p in self.phrases(i):
            m = self.linker.lookup(p.name)
            if m.place is not None or m.country or m.candidates:
                out.append(_Mention(p.name, p.start, p.end, m.place, m.country, m.candidates))
        return out

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

    def _places_notes(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """(review reasons, comments) about how the gazetteer reads each name."""
        review, comments = [], []
        for name in dict.fromkeys(names):
            m = self.linker.lookup(name)
            if m.candidates:
                review.append(
                    f"{name!r} names several places ({'; '.join(m.candidates[:3])}): write "
                    "the one meant as 'Name, Country'"
                )
            elif m.place is not None:
                place = m.place
                lat, lon = getattr(place, "lat", None), getattr(place, "lon", None)
                at = f" at {lat:.4f}, {lon:.4f}" if isinstance(lat, float) else ""
                country = getattr(place, "country", "?")
                comments.append(
                    f"{name!r} resolved to {getattr(place, 'name', name)} ({country}){at}"
                )
            elif m.country is None:
                comments.append(
                    f"review: {name!r} is not in the gazetteer: write 'Name, Country' or 'lat,lon'"
                )
        return review, comments

    # -- who is located ----------------------------------------------------------------------

    def _sentence_subject(self, i: int, depth: int = 0) -> tuple[str, str] | None:
        """(place, how it was found) for the subject of sentence ``i``; "It" looks back."""
        if i in self._subjects:
            return self._subjects[i]
        text = self.sentences[i].text
        found = self.phrases(i)
        subject: tuple[str, str] | None = None
        lead = _PARTICIPLE.match(text) or _SUBJECT_LEAD.match(text)
        first = next((p for p in found if lead is not None and p.start >= lead.end()), None)
        if first is not None and lead is not None and first.start == lead.end():
            if self._locatable(text, first) and _AFTER_SUBJECT.match(text, first.end):
                subject = (first.name, "")
        elif _PRONOUN_SUBJECT.match(text) and depth < 3:
            earlier = self._topic(i, depth + 1)
            if earlier is not None:
                subject = (earlier, f"'It' read as {earlier}, named in the text before")
        self._subjects[i] = subject
        return subject

    def _topic(self, i: int, depth: int = 0) -> str | None:
        """The place the paragraph is about before sentence ``i``, for "it" and "the town".

        Looking at most three sentences back in the same paragraph: the nearest subject, else
        the nearest place the gazetteer knows, else the nearest other name of a place.
        """
        before = [
            j
            for j in range(i - 1, max(i - 4, -1), -1)
            if self.sentences[j].paragraph == self.sentences[i].paragraph
        ]
        for j in before:
            subject = self._sentence_subject(j, depth)
            if subject is not None:
                return subject[0]
        for known in (True, False):
            for j in before:
                named = [name for name, is_known in self._named_places(j) if is_known or not known]
                if named:
                    return named[-1]
        return None

    def _named_places(self, j: int) -> list[tuple[str, bool]]:
        """(name, known to the gazetteer) of the places sentence ``j`` names: known ones, or a
        name after a lower-case word ("entered Bashiqa"), not an opening word ("Think Jordan")."""
        text = self.sentences[j].text
        known = {m.start for m in self.mentions(j) if m.place is not None or m.candidates}
        return [
            (p.name, p.start in known)
            for p in self.phrases(j)
            if self._locatable(text, p)
            and (
                p.start in known
                or re.search(r"\b[a-z][\w-]*\s+$", text[max(0, p.start - 30) : p.start])
            )
        ]

    def _introduced(self, i: int, noun: str) -> str | None:
        """The place the sentences before introduced with the description's noun: "the border
        town" after "the Syrian-Turkish border town of Jarabulus, not Raqqa, is ..."."""
        introduction = re.compile(rf"\b{noun}\s+(?:of\s+)?$")
        for j in range(i - 1, max(i - 4, -1), -1):
            if self.sentences[j].paragraph != self.sentences[i].paragraph:
                return None
            text = self.sentences[j].text
            named = [
                p.name
                for p in self.phrases(j)
                if self._locatable(text, p) and introduction.search(text, 0, p.start)
            ]
            if named:
                return named[-1]
        return None

    def _described(self, i: int, start: int) -> tuple[str, str] | None:
        """The paragraph's place, when a description locates the figure at ``start``.

        "the town, which lies 12km ...", "this destination – about three hours from ...",
        "The city is located about 120 km ...": flagged, the reading needs a person.
        """
        text = self.sentences[i].text
        opening = _DEFINITE.match(text)
        near = None
        for m in _DEFINITE.finditer(text, max(0, start - 160), start):
            if _APPOSITION.fullmatch(text, m.end(), start) or _ADJACENT.fullmatch(
                text, m.end(), start
            ):
                near = m
        if near is not None:
            described = near
        elif opening is not None and _PLACE_VERB.search(text, opening.end(), start):
            described = opening
        else:
            return None
        noun = described["noun"]
        if noun in _SETTLEMENT_NOUNS:
            topic = self._introduced(i, noun) or self._topic(i)
        else:  # "the dam", "the base": a place whose name says so ("Haditha Dam")
            topic = next(
                (
                    name
                    for j in range(i, max(i - 4, -1), -1)
                    if self.sentences[j].paragraph == self.sentences[i].paragraph
                    for name in reversed(
                        [n for n, _ in self._named_places(j)]
                        + [subject[0] for subject in [self._sentence_subject(j)] if subject]
                    )
                    if noun in name.lower() and (j < i or text.find(name) < start)
                ),
                None,
            )
        if topic is None:
            return None
        return topic, f"{described[0]!r} read as {topic}, named in the text before"

    def _subject_of(
        self, i: int, start: int, target_end: int, located: Sequence[_Located]
    ) -> tuple[str, str] | None:
        """(place, review reason or "") located by the figure at ``start`` (module docstring)."""
        text = self.sentences[i].text
        if located and _LIST_GAP.fullmatch(text, located[-1].end, start):
            return located[-1].subject, located[-1].review
        before = [p for p in self.phrases(i) if p.end <= start]
        for k in range(len(before) - 1, max(len(before) - 4, -1), -1):
            p = before[k]
            if self._not_located(text, p) or (
                k > 0
                and self._locatable(text, before[k - 1])
                and _ALIAS_BEFORE.fullmatch(text, before[k - 1].end, p.start)
            ):
                continue
            if _APPOSITION.fullmatch(text, p.end, start) and self._locatable(text, p):
                if (
                    located
                    and p.name == located[-1].target.name
                    and re.match(r"\s+(?:on|in|near|at|along)\s", text[p.end : start])
                ):
                    # "11 km north-west of Abu Kamal on the bank of the Euphrates, some 120 km
                    # southeast of Deir Ez-Zor": the previous figure's reference, then a further
                    # figure of the same place, not a description of the reference.
                    return located[-1].subject, located[-1].review
                in_pp = _IN_PP.search(text, max(0, p.start - 40), p.start)
                if not (in_pp and self._sentence_subject(i) is not None):
                    return p.name, ""
        fronted = _PARTICIPLE.match(text) is not None  # "Located along X River some 50 km ..."
        if before and not fronted and _ADJACENT.fullmatch(text, before[-1].end, start):
            # "the 4th-largest city Hama just a 30 minute drive north of Homs", "Raqqa 130 km
            # northwest": a name right before the figure is the place it locates.
            p = before[-1]
            if (
                self._locatable(text, p)
                and not self._not_located(text, p)
                and not _OBJECT_BEFORE.search(text, max(0, p.start - 12), p.start)
            ):
                return p.name, ""
        for p in reversed(before[-2:]):
            if (
                _COPULA.fullmatch(text, p.end, start)
                and self._locatable(text, p)
                and not _OBJECT_BEFORE.search(text, max(0, p.start - 12), p.start)
            ):
                return p.name, ""
        opener = self._opener(i)
        if opener is not None and _COORDINATED.search(text, opener.end, start):
            return opener.name, ""
        if _FRONTED.fullmatch(text, 0, start):
            after = {p.start: p for p in self.phrases(i)}
            for pattern in (_INVERTED, _FRONT_SUBJECT):
                m = pattern.match(text, target_end)
                if m and m.end() in after and self._locatable(text, after[m.end()]):
                    return after[m.end()].name, ""
            if _FRONT_PRONOUN.match(text, target_end):
                earlier = self._topic(i)
                if earlier is not None:
                    return earlier, f"'it' read as {earlier}, named in the text before"
        subject = self._sentence_subject(i)
        if subject is not None:
            first = self.phrases(i)[0] if self.phrases(i) else None
            verb_from = first.end if first is not None and not subject[1] else 0
            if _PLACE_VERB.search(text, verb_from, start):
                return subject
        described = self._described(i, start)
        if described is not None:
            return described
        if before:
            p = before[-1]
            if _ADJACENT.fullmatch(text, p.end, start) and self._locatable(text, p):
                return p.name, ""
        return None

    def _opener(self, i: int) -> Phrase | None:
        """The locatable name that opens sentence ``i`` ("The district of Alqosh ...")."""
        text = self.sentences[i].text
        lead = _SUBJECT_LEAD.match(text)
        found = self.phrases(i)
        if lead is None or not found or found[0].start != lead.end():
            return None
        return found[0] if self._locatable(text, found[0]) else None

    @staticmethod
    def _not_located(text: str, p: Phrase) -> bool:
        """Whether a name before a figure is a container, an alias or a modifier (above)."""
        window = max(0, p.start - 60)
        modifier = _NOUN_AFTER.match(text, p.end) and _INDEFINITE_BEFORE.search(
            text, window, p.start
        )
        return bool(modifier or _NOT_LOCATED_BEFORE.search(text, window, p.start))

    @staticmethod
    def _locatable(text: str, p: Phrase) -> bool:
        """Whether a name can be the located place: not a country, province or river."""
        return (
            p.is_place
            and river_name(p.name) is None
            and not _NATURAL_FEATURE.fullmatch(p.name)  # a bare "River" after "(Euphrates)"
            and not _ADMIN_NAME.search(p.name)
            and not _ADMIN_BEFORE.search(text, 0, p.start)
            and not _ADMIN_AFTER.match(text, p.end)
        )

    # -- claims ------------------------------------------------------------------------------

    def _claims(self, i: int, quantities: list[Quantity], borders: Sequence[Claim]) -> list[_Draft]:
        text = self.sentences[i].text
        drafts: list[_Draft] = []
        located: list[_Located] = []
        free: list[Quantity] = []
        pinned: dict[int, int] = {}  # figure -> where its pair must start
        sharing: dict[int, tuple[str, str]] = {}  # figure -> subject of the figure before it
        for q in quantities:
            if _SPEED_BEFORE.search(text, 0, q.span[0]) or re.match(
                r"\s*(?:per|an)\s+hour|\s*/\s*h\b|\s*kph|\s*mph", text[q.span[1] :], re.I
            ):
                continue  # a speed, not a distance
            tail = _TAIL.match(text, q.span[1])
            shared = self._shared_tail(text, q, quantities) if tail is None else None
            tail = tail or shared
            if tail is None or (tail["prep"] == "of" and not tail["fill"]):
                free.append(q)
                continue
            parallel = self._parallel(i, q)
            if parallel is not None:
                for name, figure in parallel:
                    targets = self._targets(i, tail.end(), False)
                    if targets:
                        raw, direction = targets[0]
                        how = (tail["mode"] or tail["by"] or "").lower()
                        draft = self._located_claim(
                            i, figure, (name, ""), raw, direction or tail["dir"], how
                        )
                        if draft is not None:
                            drafts.append(draft)
                continue
            targets = self._targets(i, tail.end(), bool(tail["both"]))
            if not targets:
                continue  # a reference that names no place: "from the front line"
            for n, (raw, direction) in enumerate(targets):
                subject = sharing.get(id(q)) or self._subject_of(i, q.span[0], raw.end, located)
                if shared is not None and subject is not None:
                    following = next(f for f in quantities if f.span[0] >= q.span[1])
                    sharing[id(following)] = subject
                target = self._generic(i, raw, subject[0]) if subject else None
                if subject is None or target is None:
                    if n == 0 and tail["prep"] == "from":
                        # "Although it is an 80-mile drive from A to B": a trip from A.
                        free.append(q)
                        pinned[id(q)] = tail.start("prep")
                    break
                located.append(_Located(subject[0], target, target.end, subject[1]))
                how = (tail["mode"] or tail["by"] or "").lower()
                draft = self._located_claim(i, q, subject, target, direction or tail["dir"], how)
                if draft is not None:
                    drafts.append(draft)
        rest = []
        for q in free:
            draft = self._reach(i, q, borders) or self._elided(i, q)
            if draft is None:
                rest.append(q)
            else:
                drafts.append(draft)
        paired = self._pairs(i, rest, pinned)
        drafts += paired or self._trip_before(i, rest)
        drafts += self._relative(i, located)
        return drafts

    @staticmethod
    def _shared_tail(text: str, q: Quantity, quantities: list[Quantity]) -> re.Match[str] | None:
        """The reference of the next figure, when this one shares it ("a 215 mile, 5 hour drive
        from X"): the next figure follows after a comma and measures something else."""
        gap = _SHARED_TAIL.match(text, q.span[1])
        following = next((n for n in quantities if n.span[0] >= q.span[1]), None)
        if gap is None or following is None or following.span[0] != gap.end():
            return None
        if following.dimension is q.dimension:
            return None
        return _TAIL.match(text, following.span[1])

    def _parallel(self, i: int, q: Quantity) -> list[tuple[str, Quantity]] | None:
        """(place, figure) pairs of "A, B and C are 60, 150 and 220 km from D"; an empty list
        when the figures come as a list whose places cannot be paired one to one (abstain)."""
        text = self.sentences[i].text
        numbers = _NUMBER_LIST.search(text, 0, q.span[0])
        if numbers is None or numbers.end() != q.span[0]:
            return None
        values = [float(n.replace(",", "")) for n in _LIST_NUMBER.findall(numbers[0])]
        names = [p for p in self.phrases(i) if p.end <= numbers.start() and p.is_place]
        if not names or not _PLURAL_VERB.fullmatch(text, names[-1].end, numbers.start()):
            return []
        group = [names[-1]]
        for p in reversed(names[:-1]):
            if not _LIST_GLUE.match(text[p.end : group[0].start]):
                break
            group.insert(0, p)
        if len(group) != len(values) + 1:
            return []
        figures = [replace(q, value=v, value_max=None, alt=None, vague=None) for v in values]
        return [(p.name, f) for p, f in zip(group, [*figures, q], strict=True)]

    def _elided(self, i: int, q: Quantity) -> _Draft | None:
        """ "Baghdad is 70 km east.", "Kiev, is about 300 miles to the west.": the reference is
        the place the paragraph is about (flagged for review)."""
        text = self.sentences[i].text
        tail = _ELIDED_TAIL.match(text, q.span[1])
        if tail is None:
            return None
        subject = self._subject_of(i, q.span[0], q.span[0], [])
        topic = self._topic(i)
        if subject is None or topic is None or _same_place(subject[0], topic):
            return None
        target = Target("place", topic, q.span[1], q.span[1])
        reason = f"the reference is left out: read as {topic}, named in the text before"
        review = "; ".join(r for r in (subject[1], reason) if r)
        return self._located_claim(i, q, (subject[0], review), target, tail["dir"], "")

    def _targets(self, i: int, pos: int, both: bool) -> list[tuple[Target, str | None]]:
        """The reference(s) after a preposition, with a direction given in parentheses."""
        text = self.sentences[i].text
        out: list[tuple[Target, str | None]] = []
        while True:
            target = target_after(text, pos, self.phrases(i))
            if target is None:
                return out
            paren = re.compile(rf"\s*\((?:to\s+the\s+)?(?P<d>{_COMPASS})\)", re.I).match(
                text, target.end
            )
            direction = _OPPOSITE[paren["d"].lower().replace("-", "")] if paren else None
            out.append((target, direction))
            joined = _AND.match(text, paren.end() if paren else target.end)
            if not both or joined is None:
                return out
            pos = joined.end()

    def _generic(self, i: int, target: Target, subject: str) -> Target | None:
        """ "The village" read as the sentence's subject, else the last place named before it."""
        if target.kind != "generic":
            return target
        first = self._sentence_subject(i)
        before = [
            p.name
            for p in self.phrases(i)
            if p.end <= target.start
            and p.is_place
            and p.name != subject
            and not _NATURAL_FEATURE.search(p.name)
        ]
        if first is not None and not first[1] and first[0] != subject:
            name = first[0]
        elif before:
            name = before[-1]
        else:
            return None
        return Target(
            "place",
            name,
            target.start,
            target.start + len(target.name) + 4,
            f"'the {target.name}' read as {name}, named earlier in the sentence",
        )

    def _located_claim(
        self,
        i: int,
        q: Quantity,
        subject: tuple[str, str],
        target: Target,
        direction: str | None,
        how: str,
    ) -> _Draft | None:
        text = self.sentences[i].text
        name, reason = subject
        target = _possessor(text, target)
        review = [reason] if reason else []
        comments: list[str] = []
        if target.note:
            (review if target.kind == "place" else comments).append(target.note)
        if q.vague:
            review.append(f"'{q.vague}' is not a number: read as about {q.value:g} {q.unit}")
        compass = Direction(re.sub(r"[- ]", "", direction.lower())) if direction else None
        note = f"Stated as {q.text!r} ({self._where(i)})."
        common: dict[str, Any] = {
            "quote": text,
            "value": q.value,
            "value_max": q.value_max,
            "unit": q.unit,
            "qualifier": q.qualifier,
        }
        claim: ClaimBase
        if target.kind in ("border", "country") and q.dimension is Dimension.LENGTH:
            country = country_name(target.name)
            if target.kind == "country":
                review.append(f"{country!r} is a country: read as the distance to its border")
            claim = BorderDistanceClaim(
                id=self._id(name, country, "border"),
                from_=name,
                border_with=country,
                direction=compass,
                note=note,
                **common,
            )
        elif target.kind == "river" and q.dimension is Dimension.LENGTH:
            claim = RiverDistanceClaim(
                id=self._id(name, target.name, "river"),
                from_=name,
                river=target.name,
                direction=compass,
                note=note,
                **common,
            )
        elif target.kind in ("place", "capital", "coast"):
            ref = country_name(target.name) if target.kind == "coast" else target.name
            if target.kind == "coast":
                review.append(f"the distance is to the coast of {ref}, which is not a point")
            if _same_place(name, ref):
                return None
            if q.dimension is Dimension.LENGTH:
                claim = self._distance(i, name, ref, q, compass, note, common, comments, how)
            else:
                claim = TravelTimeClaim(
                    id=self._id(name, ref, "travel-time"),
                    from_=[name],
                    to=ref,
                    mode=_MODES.get(how, TravelMode.UNSPECIFIED),
                    note=note,
                    **common,
                )
                comments.append("profiles not stated: all speed profiles will be checked")
        else:
            return None
        more_review, more_comments = self._places_notes(claim_places(claim))
        return _finish(claim, review + more_review, comments + more_comments)

    def _distance(
        self,
        i: int,
        a: str,
        b: str,
        q: Quantity,
        compass: Direction | None,
        note: str,
        common: dict[str, Any],
        comments: list[str],
        how: str = "",
    ) -> DistanceClaim:
        text = self.sentences[i].text
        measure = Measure.UNSPECIFIED
        if how in ("drive", "driving", "road", "car") or _ROAD_WORDS.search(text):
            measure = Measure.ROAD
        elif _STRAIGHT_WORDS.search(text):
            measure = Measure.STRAIGHT_LINE
        else:
            comments.append("the text does not say road or straight line: both are checked")
        if re.search(rf"\boutside\s+(?:the\s+)?{re.escape(b)}", text):
            comments.append(f"'outside {b}' read as the distance to its centre")
        return DistanceClaim(
            id=self._id(a, b, "distance"),
            from_=a,
            to=b,
            measure=measure,
            direction=compass,
            alt_value=q.alt.value if q.alt else None,
            alt_unit=q.alt.unit if q.alt else None,
            note=note,
            **common,
        )

    # -- pairs: trips and distances between two places ----------------------------------------

    def _pairs(self, i: int, free: list[Quantity], pinned: dict[int, int]) -> list[_Draft]:
        if not free:
            return []
        text = self.sentences[i].text
        pairs = list(self._find_pairs(i))
        drafts: list[_Draft] = []
        used: set[int] = set()
        for k, (start, _end, a, b, review) in enumerate(pairs):
            limit = pairs[k + 1][0] if k + 1 < len(pairs) else len(text)
            dimensions: set[Dimension] = set()
            for q in free:
                if id(q) in used or q.dimension in dimensions:
                    continue
                if id(q) in pinned and pinned[id(q)] != start:
                    continue
                after = start < q.span[0] < limit
                before = q.span[1] <= start and len(text[q.span[1] : start].split()) <= 6
                if not (after or before) or not self._trip(text, q, start, before):
                    continue
                used.add(id(q))
                dimensions.add(q.dimension)
                draft = self._pair_claim(i, q, a, b, list(review))
                if draft is not None:
                    drafts.append(draft)
        return drafts

    def _find_pairs(self, i: int) -> Iterable[tuple[int, int, Target, Target, list[str]]]:
        """(start, end, A, B, review) for "from A to B", "between A and B", "to B from A"..."""
        text = self.sentences[i].text
        found = self.phrases(i)
        for m in _PAIR.finditer(text):
            a = target_after(text, m.end(), found) or _relative_origin(text, m, found)
            if a is None or a.kind not in ("place", "country", "capital"):
                continue
            join = _PAIR_JOIN.match(text, a.end)
            if join is None and m["from"]:
                # "from Homs is a long 250km drive through the desert to Palmyra"
                join = _PAIR_GAP.match(text, a.end)
            words = join.groupdict() if join is not None else {}
            if join is None or (m["from"] and "to" not in (words["word"], words.get("gap"))):
                continue
            b = target_after(text, join.end(), found)
            if b is not None and b.kind in ("place", "country", "capital"):
                yield m.start(), b.end, a, b, []
        for m in _PAIR_TO.finditer(text):
            b = target_after(text, m.end(), found)
            if b is None or b.kind != "place":
                continue
            join = _PAIR_FROM.match(text, b.end)
            a = target_after(text, join.end(), found) if join else None
            if a is not None and a.kind in ("place", "country"):
                yield m.start(), a.end, a, b, []
        head = _HEAD_PAIR.match(text)
        if head is not None and found and found[0].start == head.end() and found[0].is_place:
            # "Phoenix to Grand Canyon South Rim: 230 miles", "From Flagstaff, the North Rim is"
            a = Target("place", found[0].name, found[0].start, found[0].end)
            join = re.compile(r"\s+to\s+" if not head[0] else r",\s*").match(text, a.end)
            b = target_after(text, join.end(), found) if join else None
            if b is not None and b.kind == "place":
                yield 0, b.end, a, b, []
        for m in _APART.finditer(text):
            # "Mosul and Erbil are about 80 km apart": the two names joined before the verb
            names = [p for p in found if p.end <= m.start() and p.is_place]
            if len(names) >= 2 and _AND.fullmatch(text, names[-2].end, names[-1].start):
                a, b = (Target("place", p.name, p.start, p.end) for p in names[-2:])
                yield a.start, b.end, a, b, []
        for m in _SEPARATE.finditer(text):
            a = target_after(text, m.end(), found)
            join = _AND.match(text, a.end) if a is not None else None
            b = target_after(text, join.end(), found) if join else None
            if a is not None and b is not None and a.kind == b.kind == "place":
                yield m.start(), b.end, a, b, []
        for m in _TWO_GROUP.finditer(text):
            group = self._enumeration(i, 2)
            if group:
                a, b = (Target("place", g.name, m.start(), m.end()) for g in group)
                reason = f"'{m[0][8:]}' read as {a.name} and {b.name}, named earlier"
                yield m.start(), m.end(), a, b, [reason]

    def _trip_before(self, i: int, free: list[Quantity]) -> list[_Draft]:
        """A trip's duration or length stated after the sentence that names the trip: "You
        catch the train from A to B. The train journey takes about 40 minutes." (flagged).

        Only from the nearest of the two sentences before, in the same paragraph, that names
        a pair and states no figure of its own; one figure of each dimension.
        """
        text = self.sentences[i].text
        if not free or list(self._find_pairs(i)) or not _TRIP_WORDS.search(text):
            return []
        for j in range(i - 1, max(i - 3, -1), -1):
            if self.sentences[j].paragraph != self.sentences[i].paragraph:
                return []
            if find_quantities(self.sentences[j].text):
                return []  # figures of their own: the trip before is not this one
            pairs = list(self._find_pairs(j))
            if not pairs:
                continue
            _start, _end, a, b, review = pairs[-1]
            a, b = (_possessor(self.sentences[j].text, t) for t in (a, b))
            reason = f"the trip from {a.name} to {b.name} is named in the sentence before"
            drafts: list[_Draft] = []
            for dimension in (Dimension.TIME, Dimension.LENGTH):
                q = next((f for f in free if f.dimension is dimension), None)
                if q is None or (dimension is Dimension.LENGTH and not _LENGTH_TRIP.search(text)):
                    continue
                draft = self._pair_claim(i, q, a, b, [*review, reason])
                if draft is not None:
                    drafts.append(draft)
            return drafts
        return []

    def _trip(self, text: str, q: Quantity, pair_start: int, before: bool) -> bool:
        """Whether a free figure measures the trip between the pair."""
        if q.dimension is Dimension.TIME:
            return bool(_TRIP_WORDS.search(text))
        if _NOT_A_TRIP.match(text, q.span[1]):
            return False
        return before or bool(_LENGTH_TRIP.search(text)) or text.startswith("From")

    def _pair_claim(
        self, i: int, q: Quantity, a: Target, b: Target, review: list[str]
    ) -> _Draft | None:
        text = self.sentences[i].text
        a, b = (_possessor(text, t) for t in (a, b))
        names = [country_name(t.name) if t.kind == "country" else t.name for t in (a, b)]
        if _same_place(*names):
            return None
        comments: list[str] = []
        for t, n in zip((a, b), names, strict=True):
            if t.kind == "country":
                review.append(f"{n!r} is a country, not a point: write the place meant")
            if t.note:
                comments.append(t.note)
        if q.vague:
            review.append(f"'{q.vague}' is not a number: read as about {q.value:g} {q.unit}")
        note = f"Stated as {q.text!r} ({self._where(i)})."
        common: dict[str, Any] = {
            "quote": text,
            "value": q.value,
            "value_max": q.value_max,
            "unit": q.unit,
            "qualifier": q.qualifier,
        }
        claim: ClaimBase
        if q.dimension is Dimension.LENGTH:
            claim = self._distance(i, names[0], names[1], q, None, note, common, comments)
        else:
            mode = TravelMode.UNSPECIFIED
            for word, value in _MODES.items():
                if re.search(rf"\b{word}\b", text, re.I):
                    mode = value
                    break
            claim = TravelTimeClaim(
                id=self._id(names[0], names[1], "travel-time"),
                from_=[names[0]],
                to=names[1],
                mode=mode,
                note=note,
                **common,
            )
            comments.append("profiles not stated: all speed profiles will be checked")
        more_review, more_comments = self._places_notes(claim_places(claim))
        return _finish(claim, review + more_review, comments + more_comments)

    # -- relative claims ----------------------------------------------------------------------

    def _relative(self, i: int, located: Sequence[_Located]) -> list[_Draft]:
        text = self.sentences[i].text
        found = self.phrases(i)
        drafts = []
        for m in _CLOSER.finditer(text):
            y = target_after(text, m.end(), found)
            if y is None or y.kind not in ("place", "country"):
                continue
            if y.kind == "country":  # "closer to Luxembourg": the country's name as a place
                y = Target("place", country_name(y.name), y.start, y.end)
            than = _THAN.match(text, y.end)
            z = target_after(text, than.end(), found) if than else None
            subject = self._subject_of(i, m.start(), m.start(), located) or (
                (located[-1].subject, located[-1].review) if located else None
            )
            if subject is None:
                continue
            review = [subject[1]] if subject[1] else []
            if z is not None and z.kind == "place" and than is not None and than["to"]:
                place, near, far = subject[0], y.name, z.name
            elif z is not None and z.kind == "place":
                place, near, far = y.name, subject[0], z.name
                review.append(
                    f"'than {z.name}' read as: {near} is closer to {y.name} than {z.name} is; "
                    f"it may also mean {near} is closer to {y.name} than to {z.name}"
                )
            elif located and located[-1].target.kind == "place":
                place, near, far = subject[0], y.name, located[-1].target.name
                review.append(f"'than' left out: read as than to {far}, named before")
            else:
                continue
            drafts.append(self._relative_claim(i, place, review, closer=(near, far)))
        for m in _HALFWAY.finditer(text):
            y = target_after(text, m.end(), found)
            join = _AND.match(text, y.end) if y is not None else None
            z = target_after(text, join.end(), found) if join else None
            if y is None or z is None or y.kind != "place" or z.kind != "place":
                continue
            subject = self._sentence_subject(i)
            if subject is None:
                continue
            review = [subject[1]] if subject[1] else []
            drafts.append(self._relative_claim(i, subject[0], review, halfway=(y.name, z.name)))
        return [d for d in drafts if d is not None]

    def _relative_claim(
        self,
        i: int,
        place: str,
        review: list[str],
        closer: tuple[str, str] | None = None,
        halfway: tuple[str, str] | None = None,
    ) -> _Draft | None:
        others = closer or halfway or ()
        if any(_same_place(place, o) for o in others) or _same_place(*others):
            return None
        claim = RelativeClaim(
            id=self._id(place, "closer" if closer else "halfway"),
            quote=self.sentences[i].text,
            place=place,
            closer_to=closer[0] if closer else None,
            than=closer[1] if closer else None,
            halfway_between=list(halfway) if halfway else None,
            note=f"Stated {self._where(i)}.",
        )
        more_review, comments = self._places_notes(claim_places(claim))
        return _finish(claim, review + more_review, comments)

    # -- along a route, on a border (the 2014 article's wording) -------------------------------

    def _origins(self, mention: _Mention, borders: Sequence[Claim]) -> tuple[list[str], str]:
        """Origin names for a mention; a country becomes the places on its border."""
        if mention.country is None:
            return [mention.name], ""
        places: list[str] = []
        for claim in borders:
            if not isinstance(claim, BorderClaim):
                continue
            sides = [claim.place] + ([claim.across_from] if claim.across_from else [])
            codes = {country_code(claim.border_with) or claim.border_with.upper()}
            codes |= {c for n in sides if (c := self.linker.country_of(self.linker.lookup(n)))}
            if mention.country in codes:
                places.extend(p for p in sides if p not in places)
        if not places:
            return [mention.name], (
                f"{mention.name!r} is a country: replace it with the border crossing(s) or "
                "town(s) the trip starts from"
            )
        return places, (
            f"{mention.name!r} read as its border: the places this text puts on the border with "
            f"{mention.name} ({', '.join(places)})"
        )

    def _reach(self, i: int, q: Quantity, borders: Sequence[Claim]) -> _Draft | None:
        """ "Fighters from Syria could reach (the outskirts of) Baghdad in under four hours"."""
        text = self.sentences[i].text
        found = self.phrases(i)
        start = next(
            (m.end() for m in re.finditer(r"\bfrom\s+", text) if m.end() < q.span[0]), None
        )
        reach = _REACH.search(text, start or 0)
        if start is None or reach is None:
            return None
        a = target_after(text, start, found)
        b = target_after(text, reach.end(), found)
        if a is None or b is None or b.kind != "place" or a.kind not in ("place", "country"):
            return None
        origin = self.linker.lookup(country_name(a.name) if a.kind == "country" else a.name)
        origins, origin_note = self._origins(origin, borders)
        review = [origin_note] if origin_note else []
        comments = [f"review: {r}" for r in review]
        note = f"Stated as {q.text!r} ({self._where(i)})."
        outskirts = bool(reach["out"])
        if outskirts:
            comments.append(
                f"'outskirts of {b.name}' read as a ring around its centre "
                "(outskirts_radius_km, default 15 km); adjust the radius if needed"
            )
        claim: ClaimBase
        if q.dimension is Dimension.LENGTH:
            # "villagers from Alekhan have to walk eight km to reach Kottigehara"
            if outskirts or len(origins) != 1 or _same_place(origins[0], b.name):
                return None
            common = {"quote": text, "value": q.value, "value_max": q.value_max}
            common |= {"unit": q.unit, "qualifier": q.qualifier}
            claim = self._distance(i, origins[0], b.name, q, None, note, common, comments)
        else:
            comments.append("profiles not stated: all speed profiles will be checked")
            claim = TravelTimeClaim(
                id=self._id(origin.name, b.name, "travel-time"),
                quote=text,
                from_=origins,
                to=b.name,
                destination_rule=DestinationRule.OUTSKIRTS if outskirts else DestinationRule.CENTRE,
                value=q.value,
                value_max=q.value_max,
                unit=q.unit,
                qualifier=q.qualifier,
                note=note,
            )
        more_review, more_comments = self._places_notes(claim_places(claim))
        draft = _finish(claim, review + more_review, more_comments)
        draft.comments = comments + [c for c in draft.comments if c not in comments]
        return draft

    def _along_route(self, i: int, borders: Sequence[Claim]) -> Iterable[_Draft]:
        text = self.sentences[i].text
        if "along" not in text:
            return
        mentions = self.mentions(i)
        for match in _ALONG.finditer(text):
            ends = [m for m in mentions if m.start >= match.end()]
            if len(ends) < 2:
                continue
            origin, target = ends[0], ends[1]
            subject = [m for m in mentions if m.end <= match.start()]
            review: list[str] = []
            note = f"Stated {self._where(i)}."
            places = [m.name for m in subject]
            if not places:
                group = _GROUP.search(text[: match.start()])
                if group is None:
                    continue
                referent = self._enumeration(i, _group_count(group))
                if referent is None:
                    continue
                places = [m.name for m in referent]
                review.append(f"{group[0]!r} read as {', '.join(places)}, named earlier")
            origins, origin_note = self._origins(origin, borders)
            if origin_note:
                review.append(origin_note)
            claim = AlongRouteClaim(
                id=self._id("along", origin.name, target.name),
                quote=text,
                places=places,
                from_=origins,
                to=target.name,
                note=note,
            )
            more_review, comments = self._places_notes(claim_places(claim))
            comments.insert(0, "route is the fastest by default; tolerance_km default 5 km")
            yield _finish(claim, review + more_review, comments)

    def _enumeration(self, i: int, count: int | None) -> list[_Mention] | None:
        """The latest list of ``count`` places ("Qaim, Rawa, Ana and Husaybah") up to ``i``."""
        for j in range(i, max(i - 8, -1), -1):
            text = self.sentences[j].text
            runs: list[list[Phrase]] = []
            for p in self.phrases(j):
                if not p.is_place:
                    continue
                if runs and _LIST_GLUE.match(text[runs[-1][-1].end : p.start]):
                    runs[-1].append(p)
                else:
                    runs.append([p])
            for run in reversed(runs):
                if len(run) >= 2 and (count is None or len(run) == count):
                    return [_Mention(p.name, p.start, p.end) for p in run]
        return None

    def _borders(self, i: int) -> Iterable[_Draft]:
        text = self.sentences[i].text
        if "border" not in text:
            return
        mentions = self.mentions(i)
        for match in _ON_BORDER.finditer(text):
            before = [m for m in mentions if m.end <= match.start() and m.country is None]
            country = re.match(r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*", text[match.end() :])
            if not before or country is None:
                continue
            place = before[-1]
            claim = BorderClaim(
                id=self._id(place.name, "border"),
                quote=text,
                place=place.name,
                border_with=re.sub(r"['’]s$", "", country[0]),
                note=f"Stated {self._where(i)}.",
            )
            review, comments = self._places_notes([place.name])
            yield _finish(claim, review, comments)
        for match in _ACROSS_BORDER.finditer(text):
            after = [m for m in mentions if m.start >= match.end() and m.country is None]
            before = [m for m in mentions if m.end <= match.start() and m.country is None]
            if not after or (len(after) < 2 and not before):
                continue
            across = after[0]
            place = after[1] if len(after) > 1 else before[-1]
            border_with = self.linker.country_of(across)
            review, comments = self._places_notes([place.name, across.name])
            if border_with is None:
                continue
            claim = BorderClaim(
                id=self._id(place.name, "across", across.name),
                quote=text,
                place=place.name,
                border_with=border_with,
                across_from=across.name,
                note=f"Stated {self._where(i)}; border_with is the country {across.name} is in.",
            )
            yield _finish(claim, review, comments)


def _group_count(group: re.Match[str]) -> int | None:
    """The number in "the four towns", if any."""
    try:
        return int(parse_number(group["n"])) if group["n"] else None
    except ValueError:
        return None


def _relative_origin(text: str, m: re.Match[str], found: list[Phrase]) -> Target | None:
    """ "the Versailles-Rive Gauche station, from which it's a 10-minute walk ... to": the trip
    starts at the name the relative clause hangs on."""
    which = _FROM_WHICH.match(text, m.end()) if m["from"] else None
    before = [p for p in found if p.end <= m.start() and p.is_place]
    if which is None or not before or not _COMMA.fullmatch(text, before[-1].end, m.start()):
        return None
    return Target("place", before[-1].name, before[-1].start, which.end())


def _possessor(text: str, target: Target) -> Target:
    """ "Beirut's Cola bus station", "Amman's city centre": the place is the possessor."""
    owner = re.fullmatch(r"(.+?)['’]s(?:\s+\S.*)?", target.name)
    if target.kind != "place" or owner is None or not _FACILITY_AFTER.match(text, target.end):
        return target
    return replace(target, name=owner[1])


def claim_places(claim: ClaimBase) -> list[str]:
    """Every place name a claim refers to."""
    return [name for _, _, name in claim.place_refs()]


def _same_place(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def _finish(claim: ClaimBase, review: list[str], comments: list[str]) -> _Draft:
    """Set the claim's ``review`` from the reasons; each reason is also a YAML comment."""
    reasons = list(dict.fromkeys(r for r in review if r))
    if reasons:
        claim.review = "; ".join(reasons) + "."
    lines = [f"review: {r}" for r in reasons]
    lines += [c for c in comments if c not in lines]
    return _Draft(claim, reasons, lines)


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
        Claims whose reading a person must confirm have ``review`` set.
    """
    drafts = _Extractor(text, resolver or _default_resolver()).run()
    claim_file = ClaimFile(source=source, claims=[d.claim for d in drafts])
    comments = {d.claim.id: d.comments for d in drafts if d.comments}
    return Extraction(claim_file=claim_file, comments=comments)
