"""Match keys for place names written in Latin or Arabic script.

Two spellings of one name map to the same key: ``"Al-Qa'im"``, ``"Al Qaim"`` and ``"Qaim"``
all become ``"kaim"``; ``"القائم"`` and ``"قائم"`` both become ``"قائم"``. Keys are for
matching only and never shown to the user.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = ["arabic_key", "has_arabic", "is_latin_or_arabic", "latin_key", "name_key"]

# Arabic definite article as a separate token in romanisations ("Deir ez-Zor", "Ar Ramadi").
_ARTICLES = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "az",
        "ez",
        "at",
        "et",
        "an",
        "en",
        "adh",
        "ath",
        "al'",
    }
)
# Common variants of one Arabic sound or vowel, folded to one spelling; applied in order.
_DIGRAPHS = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "ay"),
    ("ey", "ay"),
    ("ai", "ay"),
    ("gh", "g"),
    ("q", "k"),
)
_APOSTROPHES = re.compile(r"['`´‘’ʻʼʽʾʿ]")
_TOKEN_SEP = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"(.)\1+")

_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# Harakat, superscript alef, tatweel, and bidi/zero-width marks that OSM names carry.
_ARABIC_DROP = re.compile(r"[\u064b-\u065f\u0670\u0640\u061c\u200b-\u200f\u202a-\u202e]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك"}
)
_ARABIC_SEP = re.compile(r"[\s\-_.,'\"()]+")
# Latin (with extensions and modifier letters), Arabic, digits and punctuation only.
_LATIN_OR_ARABIC = re.compile(
    r"^[\u0000-\u024f\u02b0-\u02ff\u0300-\u036f\u1e00-\u1eff\u2000-\u206f"
    r"\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]*$"
)


def has_arabic(text: str) -> bool:
    """Return True if ``text`` contains Arabic-script letters."""
    return _ARABIC_LETTER.search(text) is not None


def is_latin_or_arabic(text: str) -> bool:
    """Return True if ``text`` is written in Latin or Arabic script only."""
    return _LATIN_OR_ARABIC.match(text) is not None


def latin_key(text: str) -> str:
    """Match key of a name in Latin script (other scripts are romanised first).

    Casefolds, strips diacritics and apostrophes (``'``, ``ʿ``, ``’``), drops Arabic article
    tokens (``al-``, ``el-``, ``ad-``, ``ar-``, ``as-``, ``ash-``, ``az-``, ``at-``, ``an-``,
    ...), joins the remaining tokens, folds common transliteration variants (``q``/``k``,
    ``ou``/``u``, ``ee``/``i``, ``ei``/``ey``/``ai``/``ay``, ``gh``/``g``), drops a final
    ``h`` after ``a`` (``Anah``/``Ana``) and collapses doubled letters (``Falluja``/
    ``Faluja``).

    Parameters
    ----------
    text
        A place name.

    Returns
    -------
    str
        The key; empty if ``text`` holds no letters or digits.
    """
    plain = _APOSTROPHES.sub("", unidecode(text).casefold())
    tokens = [t for t in _TOKEN_SEP.split(plain) if t]
    content = [t for t in tokens if t not in _ARTICLES]
    key = "".join(content or tokens)
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    if key.endswith("ah") and len(key) > 3:
        key = key[:-1]
    return _DOUBLED.sub(r"\1", key)


def arabic_key(text: str) -> str:
    """Match key of a name in Arabic script.

    Drops harakat, tatweel and bidi marks, folds alef/hamza forms, taa marbuta and alef
    maqsura (and the Persian ``ی``/``ک``), drops the article ``ال`` from each word and joins
    the words.

    Parameters
    ----------
    text
        A place name containing Arabic letters.

    Returns
    -------
    str
        The key.
    """
    plain = _ARABIC_DROP.sub("", unicodedata.normalize("NFC", text)).translate(_ARABIC_FOLD)
    words = [w for w in _ARABIC_SEP.split(plain) if w]
    return "".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words)


def name_key(text: str) -> str:
    """Match key of a name in either script: :func:`arabic_key` if it has Arabic letters."""
    return arabic_key(text) if has_arabic(text) else latin_key(text)
