"""Precision and recall of ``routing extract`` on the labelled corpus, and its speed.

Run: ``python benchmarks/extraction.py [--parts dev heldout3] [--list-errors] [--hide-fold K]
[--size-kb 1000]``.
Scores :func:`routing.claims.extract.extract_claims` (with the offline gazetteer) against
``tests/data/extraction_corpus.yaml`` (format and scoring rules: ``tests/data/README.md``) and
prints, per split (``dev``, ``heldout``, ``heldout2``, ``heldout3``): precision over every
emitted claim and over the claims not flagged for review, recall over every label, F1, per
kind; the five folds of the development part (cross-validation: rules are changed looking at
four folds' errors and checked on the fifth, ``--hide-fold``); the wrong and missed claims of
the development part, and with ``--list-errors`` also those of ``heldout`` and ``heldout2``
(which the third round developed on); ``heldout3`` only ever as totals, so that nobody tunes on
it; and the time to extract synthetic articles of growing size built from the corpus texts.
Nothing is asserted here; ``tests/test_claims_extract.py`` asserts the targets on the
development part.
"""

import argparse
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from unidecode import unidecode

from routing._geo import geodesic_m
from routing.claims import ClaimBase
from routing.claims._phrases import country_code
from routing.claims.extract import extract_claims
from routing.claims.model import (
    BorderDistanceClaim,
    DistanceClaim,
    RelativeClaim,
    RiverDistanceClaim,
    TravelTimeClaim,
)
from routing.exceptions import RoutingError
from routing.gazetteer import find_place

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "extraction_corpus.yaml"
SAME_PLACE_KM = 15.0
SYMMETRIC = {"distance", "travel_time"}
FOLDS = 5
SPLITS = ("dev", "heldout", "heldout2", "heldout3")
# Parts whose individual errors may be listed (--list-errors); the others print totals only.
DEVELOPMENT_SPLITS = ("dev", "heldout", "heldout2")
MINUTES = {"h": 60.0, "min": 1.0}


@dataclass(frozen=True)
class Item:
    """A claim reduced to what is scored: kind, places by role, value range and unit."""

    kind: str
    places: tuple[tuple[str, Any], ...]
    value: tuple[float, float] | None
    unit: str | None
    review: str | None = None


@dataclass
class Score:
    """Counts of one split; ``flagged`` claims carry ``review`` (a person must confirm them)."""

    extracted: int = 0
    correct: int = 0
    labels: int = 0
    found: int = 0
    same_place: int = 0
    flagged: int = 0
    flagged_correct: int = 0
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right claims / emitted claims, flagged or not (the target)."""
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def precision_unflagged(self) -> float:
        """Right claims / emitted claims among those a checker would judge without a person."""
        unflagged = self.extracted - self.flagged
        return (self.correct - self.flagged_correct) / unflagged if unflagged else 1.0

    @property
    def recall(self) -> float:
        """Matched labels / labels (every label: each is readable from its entry)."""
        return self.found / self.labels if self.labels else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def fold_of(entry_id: str) -> int:
    """Cross-validation fold of an entry: stable under additions to the corpus."""
    return zlib.crc32(entry_id.encode()) % FOLDS


def fold(name: str) -> str:
    """Name as compared: case, diacritics, apostrophes, possessive 's and Arabic articles aside."""
    s = unidecode(name).lower()
    s = re.sub(r"['`’]s\b", "", s)
    s = re.sub(r"['`’]", "", s)
    s = re.sub(r"[^0-9a-z:]+", " ", s)
    s = re.sub(r"\b(?:al|el|ad|ar|as|az|ez|an|ash|the)\b ", "", s)
    return " ".join(s.split())


@cache
def _resolved(name: str) -> tuple[float, float] | None:
    try:
        place = find_place(name)
    except RoutingError:
        return None
    return place.lon, place.lat


def same_place(label: str, extracted: str) -> bool:
    """Whether an extracted name is the labelled place (tests/data/README.md, Scoring)."""
    if label.startswith(("border:", "river:")) or extracted.startswith(("border:", "river:")):
        kind_l, _, rest_l = label.partition(":")
        kind_e, _, rest_e = extracted.partition(":")
        if kind_l != kind_e:
            return False
        if kind_l == "border":
            return (country_code(rest_l) or rest_l) == (country_code(rest_e) or rest_e)
        return fold(rest_l) == fold(rest_e)
    options = [label, *re.findall(r"\(([^)]*)\)", label), re.sub(r"\s*\(.*?\)", "", label)]
    if any(fold(o) == fold(extracted) for o in options if o.strip()):
        return True
    a, b = _resolved(label), _resolved(extracted)
    return a is not None and b is not None and geodesic_m(*a, *b) / 1000 < SAME_PLACE_KM


def label_item(c: dict[str, Any]) -> Item:
    if c["kind"] == "relative":
        if "halfway_between" in c:
            places = (("place", c["place"]), ("halfway", tuple(c["halfway_between"])))
        else:
            places = (("place", c["place"]), ("closer_to", c["closer_to"]), ("than", c["than"]))
        return Item("relative", places, None, None)
    value = c["value"]
    low, high = (value[0], value[1]) if isinstance(value, list) else (value, value)
    places = (("from", c["from"]), ("to", c["to"]))
    return Item(c["kind"], places, (float(low), float(high)), c["unit"])


def claim_item(claim: ClaimBase) -> Item:
    review = claim.review
    if isinstance(claim, RelativeClaim):
        if claim.halfway_between:
            places: tuple[tuple[str, Any], ...] = (
                ("place", claim.place),
                ("halfway", tuple(claim.halfway_between)),
            )
        else:
            places = (("place", claim.place), ("closer_to", claim.closer_to), ("than", claim.than))
        return Item("relative", places, None, None, review=review)
    if isinstance(
        claim, DistanceClaim | TravelTimeClaim | BorderDistanceClaim | RiverDistanceClaim
    ):
        if isinstance(claim, BorderDistanceClaim):
            to = f"border:{claim.border_with}"
        elif isinstance(claim, RiverDistanceClaim):
            to = f"river:{claim.river}"
        else:
            to = claim.to
        origin = claim.from_[0] if isinstance(claim.from_, list) else claim.from_
        value = (claim.value, claim.value_max or claim.value)
        return Item(
            claim.kind_name, (("from", origin), ("to", to)), value, claim.unit.value, review=review
        )
    return Item(claim.kind_name, (("place", claim.quote[:40]),), None, None, review=review)


def comparable(item: Item) -> tuple[tuple[float, float] | None, str | None]:
    """Value and unit as compared: durations in minutes ('half an hour' is '30 minutes')."""
    if item.value is None or item.unit not in MINUTES:
        return item.value, item.unit
    scale = MINUTES[item.unit]
    return (item.value[0] * scale, item.value[1] * scale), "min"


def matches(label: Item, got: Item) -> bool:
    (label_value, label_unit), (got_value, got_unit) = comparable(label), comparable(got)
    if label.kind != got.kind or label_unit != got_unit:
        return False
    if (
        label_value is not None
        and got_value is not None
        and any(abs(a - b) > 1e-6 * max(a, 1) for a, b in zip(label_value, got_value, strict=True))
    ):
        return False
    lp, gp = dict(label.places), dict(got.places)
    if set(lp) != set(gp):
        return False
    if label.kind in SYMMETRIC:
        pairs = [(lp["from"], lp["to"])]
        return any(
            (same_place(a, gp["from"]) and same_place(b, gp["to"]))
            or (same_place(a, gp["to"]) and same_place(b, gp["from"]))
            for a, b in pairs
        )
    for role, want in lp.items():
        have = gp[role]
        if role == "halfway":
            ok = (same_place(want[0], have[0]) and same_place(want[1], have[1])) or (
                same_place(want[0], have[1]) and same_place(want[1], have[0])
            )
        else:
            ok = same_place(want, have)
        if not ok:
            return False
    return True


def describe(item: Item) -> str:
    places = ", ".join(f"{r}={p}" for r, p in item.places)
    value = "" if item.value is None else f" {item.value[0]:g}"
    if item.value and item.value[1] != item.value[0]:
        value += f"-{item.value[1]:g}"
    flag = " [review]" if item.review else ""
    return f"{item.kind}({places}){value} {item.unit or ''}{flag}".rstrip()


def score(entries: list[dict[str, Any]], extract: Callable[[str], list[ClaimBase]]) -> Score:
    s = Score()
    for e in entries:
        text = f"{e['context']} {e['text']}" if e.get("context") else e["text"]
        labels = [label_item(c) for c in e["claims"]]
        got = [claim_item(c) for c in extract(text)]
        taken = [False] * len(labels)
        s.labels += len(labels)
        for g in got:
            s.extracted += 1
            s.flagged += g.review is not None
            if len(dict(g.places)) == 2 and g.kind != "relative":
                a, b = dict(g.places).values()
                s.same_place += fold(str(a)) == fold(str(b))
            k = next((k for k, lab in enumerate(labels) if not taken[k] and matches(lab, g)), None)
            s.by_kind[(g.kind, "extracted")] += 1
            if k is None:
                s.wrong.append(f"{e['id']}: {describe(g)}")
                continue
            taken[k] = True
            s.correct += 1
            s.flagged_correct += g.review is not None
            s.by_kind[(g.kind, "correct")] += 1
        for k, lab in enumerate(labels):
            s.by_kind[(lab.kind, "labelled")] += 1
            if taken[k]:
                s.found += 1
                s.by_kind[(lab.kind, "found")] += 1
            else:
                s.missed.append(f"{e['id']}: {describe(lab)}")
    return s


def extract_with_gazetteer(text: str) -> list[ClaimBase]:
    return list(extract_claims(text).claim_file.claims)


def synthetic_article(entries: list[dict[str, Any]], size: int) -> str:
    """Corpus texts as paragraphs, repeated up to ``size`` characters."""
    paragraphs = [e["text"] for e in entries]
    out: list[str] = []
    n = 0
    while n < size:
        for p in paragraphs:
            out.append(p)
            n += len(p) + 2
            if n >= size:
                break
    return "\n\n".join(out)


def print_score(name: str, s: Score, details: bool) -> None:
    print(f"\n== {name}: {s.extracted} claims extracted, {s.labels} labelled")
    print(f"precision        {s.precision:.3f}  ({s.correct}/{s.extracted})")
    print(
        f"  unflagged only {s.precision_unflagged:.3f}  "
        f"({s.correct - s.flagged_correct}/{s.extracted - s.flagged}); "
        f"flagged for review: {s.flagged} ({s.flagged_correct} right)"
    )
    print(f"recall           {s.recall:.3f}  ({s.found}/{s.labels})")
    print(f"F1               {s.f1:.3f}")
    print(f"same place at both ends: {s.same_place}")
    kinds = sorted({k for k, _ in s.by_kind})
    print(f"{'kind':<16}{'extracted':>10}{'correct':>9}{'labelled':>10}{'found':>7}")
    for k in kinds:
        c = s.by_kind
        print(
            f"{k:<16}{c[(k, 'extracted')]:>10}{c[(k, 'correct')]:>9}"
            f"{c[(k, 'labelled')]:>10}{c[(k, 'found')]:>7}"
        )
    if details:
        print("wrong claims:")
        for w in s.wrong:
            print("  ", w)
        print("missed claims:")
        for m in s.missed:
            print("  ", m)
    else:
        print(f"({len(s.wrong)} wrong and {len(s.missed)} missed claims not listed)")


def print_folds(dev: list[dict[str, Any]]) -> None:
    print(f"\n== dev, {FOLDS} folds (cross-validation)")
    print(f"{'fold':<6}{'entries':>8}{'precision':>11}{'recall':>8}{'F1':>7}  counts")
    for k in range(FOLDS):
        part = [e for e in dev if fold_of(e["id"]) == k]
        s = score(part, extract_with_gazetteer)
        print(
            f"{k:<6}{len(part):>8}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}  "
            f"{s.correct}/{s.extracted} right, {s.found}/{s.labels} found"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hide-dev-errors", action="store_true")
    parser.add_argument(
        "--list-errors",
        action="store_true",
        help=f"list the wrong and missed claims of {', '.join(DEVELOPMENT_SPLITS)}",
    )
    parser.add_argument(
        "--parts", nargs="+", choices=SPLITS, default=SPLITS, help="score these parts only"
    )
    parser.add_argument(
        "--hide-fold", type=int, default=None, help="list no errors of this dev fold (0-4)"
    )
    parser.add_argument("--dev-only", action="store_true", help="score the development part only")
    parser.add_argument(
        "--size-kb", type=int, default=1000, help="largest synthetic article (0: no speed test)"
    )
    args = parser.parse_args()
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    print(f"corpus: {CORPUS.name}, {len(entries)} entries")
    for split in ("dev",) if args.dev_only else args.parts:
        part = [e for e in entries if e["split"] == split]
        details = (split == "dev" and not args.hide_dev_errors) or (
            args.list_errors and split in DEVELOPMENT_SPLITS
        )
        if split == "dev" and details and args.hide_fold is not None:
            print_score(split, score(part, extract_with_gazetteer), False)
            part = [e for e in part if fold_of(e["id"]) != args.hide_fold]
            split = f"dev without fold {args.hide_fold}"
        print_score(split, score(part, extract_with_gazetteer), details)
        if split == "dev":
            print_folds(part)
    if args.size_kb <= 0:
        return
    print("\n== speed (synthetic articles of corpus paragraphs, offline gazetteer)")
    for kb in sorted({75, args.size_kb // 4, args.size_kb}):
        text = synthetic_article(entries, kb * 1000)
        t = time.perf_counter()
        n = len(extract_claims(text).claim_file.claims)
        dt = time.perf_counter() - t
        print(
            f"{len(text) / 1e3:8.0f} KB: {dt:6.2f} s ({n} claims, {len(text) / 1e3 / dt:.0f} KB/s)"
        )


if __name__ == "__main__":
    main()
