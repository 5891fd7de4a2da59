"""Precision and recall of ``routing extract`` on the labelled corpus, and its speed.

Run: ``python benchmarks/extraction.py [--hide-dev-errors] [--size-kb 1000]``. Scores
:func:`routing.claims.extract.extract_claims` (with the offline gazetteer) against
``tests/data/extraction_corpus.yaml`` (format and scoring rules: ``tests/data/README.md``) and
prints, per split (``dev``, ``heldout``, ``heldout2``): precision, recall on the claims the
text states (the targets), recall on every label, F1, per kind; the wrong and missed claims of
the development part (the held-out parts only as counts, so that nobody tunes on them); and
the time to extract synthetic articles of growing size built from the corpus texts. Nothing is
asserted here; ``tests/test_claims_extract.py`` asserts the targets on the development part.
"""

import argparse
import re
import time
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


@dataclass(frozen=True)
class Item:
    """A claim reduced to what is scored: kind, places by role, value range and unit."""

    kind: str
    places: tuple[tuple[str, Any], ...]
    value: tuple[float, float] | None
    unit: str | None
    implicit: bool = False
    review: str | None = None


@dataclass
class Score:
    extracted: int = 0
    correct: int = 0
    labels: int = 0
    stated: int = 0
    found: int = 0
    found_stated: int = 0
    same_place: int = 0
    flagged: int = 0
    flagged_correct: int = 0
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found_stated / self.stated if self.stated else 1.0

    @property
    def recall_all(self) -> float:
        return self.found / self.labels if self.labels else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


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
    implicit = bool(c.get("implicit"))
    if c["kind"] == "relative":
        if "halfway_between" in c:
            places = (("place", c["place"]), ("halfway", tuple(c["halfway_between"])))
        else:
            places = (("place", c["place"]), ("closer_to", c["closer_to"]), ("than", c["than"]))
        return Item("relative", places, None, None, implicit)
    value = c["value"]
    low, high = (value[0], value[1]) if isinstance(value, list) else (value, value)
    places = (("from", c["from"]), ("to", c["to"]))
    return Item(c["kind"], places, (float(low), float(high)), c["unit"], implicit)


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


def matches(label: Item, got: Item) -> bool:
    if label.kind != got.kind or label.unit != got.unit:
        return False
    if (
        label.value is not None
        and got.value is not None
        and any(abs(a - b) > 1e-6 * max(a, 1) for a, b in zip(label.value, got.value, strict=True))
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
        s.stated += sum(not lab.implicit for lab in labels)
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
            s.by_kind[(lab.kind, "stated")] += not lab.implicit
            if taken[k]:
                s.found += 1
                s.found_stated += not lab.implicit
                s.by_kind[(lab.kind, "found")] += not lab.implicit
            elif not lab.implicit:
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
    print(f"\n== {name}: {s.extracted} claims extracted, {s.labels} labelled ({s.stated} stated)")
    print(f"precision        {s.precision:.3f}  ({s.correct}/{s.extracted})")
    print(f"recall (stated)  {s.recall:.3f}  ({s.found_stated}/{s.stated})")
    print(f"recall (all)     {s.recall_all:.3f}  ({s.found}/{s.labels})")
    print(f"F1 (stated)      {s.f1:.3f}")
    print(f"same place at both ends: {s.same_place}")
    print(
        f"flagged for review: {s.flagged} ({s.flagged_correct} of them right); "
        f"unflagged precision "
        f"{(s.correct - s.flagged_correct) / max(s.extracted - s.flagged, 1):.3f}"
    )
    kinds = sorted({k for k, _ in s.by_kind})
    print(f"{'kind':<16}{'extracted':>10}{'correct':>9}{'stated':>8}{'found':>7}")
    for k in kinds:
        c = s.by_kind
        print(
            f"{k:<16}{c[(k, 'extracted')]:>10}{c[(k, 'correct')]:>9}"
            f"{c[(k, 'stated')]:>8}{c[(k, 'found')]:>7}"
        )
    if details:
        print("wrong claims:")
        for w in s.wrong:
            print("  ", w)
        print("missed stated claims:")
        for m in s.missed:
            print("  ", m)
    else:
        print(f"({len(s.wrong)} wrong and {len(s.missed)} missed claims not listed: held out)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hide-dev-errors", action="store_true")
    parser.add_argument("--size-kb", type=int, default=1000, help="largest synthetic article")
    args = parser.parse_args()
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    print(f"corpus: {CORPUS.name}, {len(entries)} entries")
    for split in ("dev", "heldout", "heldout2"):
        part = [e for e in entries if e["split"] == split]
        print_score(
            split, score(part, extract_with_gazetteer), split == "dev" and not args.hide_dev_errors
        )
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
