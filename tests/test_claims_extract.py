"""Tests for routing.claims.extract and the `routing extract` command."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.claims import (
    AlongRouteClaim,
    BorderClaim,
    DestinationRule,
    Direction,
    DistanceClaim,
    Qualifier,
    TravelTimeClaim,
    Unit,
    load_claims,
    loads_claims,
)
from routing.claims.extract import extract_claims, split_sentences
from routing.cli import main
from routing.exceptions import PlaceNotFoundError
from routing.settings import data_dir

# The article sits beside the OSM data folder (../shared/article next to ../shared/osm).
ARTICLE = data_dir().parent / "article" / "isis-anbar-2014.txt"

# A stand-in for the gazetteer: the towns of the article, nothing else.
TOWNS = {
    "Qaim": ("Al-Qaim", "IQ"), "Rawa": ("Rawah", "IQ"), "Ana": ("Anah", "IQ"),
    "Husaybah": ("Husaybah", "IQ"), "Baghdad": ("Baghdad", "IQ"), "Haditha": ("Haditha", "IQ"),
    "Ramadi": ("Ramadi", "IQ"), "Al-Bukamal": ("Abu Kamal", "SY"),
}  # fmt: skip


def stub_resolver(name: str) -> SimpleNamespace:
    if name not in TOWNS:
        raise PlaceNotFoundError(name, [])
    canonical, country = TOWNS[name]
    return SimpleNamespace(name=canonical, lon=40.0, lat=34.0, country=country, source="stub")


def by_kind(claims: list, kind: type) -> list:
    return [c for c in claims if isinstance(c, kind)]


def check_article_claims(claims: list) -> None:
    """The four quantitative claims and the border claims of the article, as acceptance."""
    distances = {(c.from_, c.to): c for c in by_kind(claims, DistanceClaim)}
    husaybah = distances[("Husaybah", "Baghdad")]
    assert (husaybah.value, husaybah.unit, husaybah.qualifier) == (100, Unit.KM, Qualifier.JUST)
    assert (husaybah.alt_value, husaybah.alt_unit) == (60, Unit.MI)
    qaim = distances[("Qaim", "Baghdad")]
    assert (qaim.value, qaim.unit, qaim.qualifier) == (500, Unit.KM, Qualifier.ABOUT)
    assert (qaim.alt_value, qaim.direction) == (300, Direction.WEST)
    assert len(distances) == 2

    (along,) = by_kind(claims, AlongRouteClaim)
    assert along.places == ["Qaim", "Rawa", "Ana", "Husaybah"]
    assert "Al-Bukamal" in along.from_ and along.to == "Baghdad"

    (travel,) = by_kind(claims, TravelTimeClaim)
    assert (travel.value, travel.unit, travel.qualifier) == (4, Unit.H, Qualifier.UNDER)
    assert travel.destination_rule is DestinationRule.OUTSKIRTS and travel.to == "Baghdad"
    assert set(travel.from_) == {"Qaim", "Al-Bukamal"}

    borders = {(c.place, c.across_from) for c in by_kind(claims, BorderClaim)}
    assert {("Qaim", None), ("Al-Bukamal", "Qaim")} <= borders


def test_split_sentences_keeps_abbreviations_and_lines() -> None:
    text = "Maj. Gen. Qassim Atta spoke. He left!\n\nA new “line” here? Yes."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Maj. Gen. Qassim Atta spoke.",
        "He left!",
        "A new “line” here?",
        "Yes.",
    ]
    assert [s.line for s in sentences] == [1, 1, 3, 3]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in sentences)


def test_article_claims_with_stub_gazetteer() -> None:
    extraction = extract_claims(ARTICLE.read_text(encoding="utf-8"), stub_resolver)
    check_article_claims(extraction.claim_file.claims)
    text = extraction.to_yaml()
    assert "# review:" in text
    reloaded = loads_claims(text)  # the proposal loads with the toolkit's own loader
    assert reloaded.model_dump() == extraction.claim_file.model_dump()


def test_group_reference_needs_matching_count() -> None:
    text = "They held Qaim and Rawa. The three towns lie along a road from Haditha to Baghdad."
    assert extract_claims(text, stub_resolver).claim_file.claims == []


def test_country_origin_without_border_places_is_flagged() -> None:
    text = "Fighters from Syria could reach Baghdad in about 6 hours."
    extraction = extract_claims(text, stub_resolver)
    (claim,) = extraction.claim_file.claims
    assert isinstance(claim, TravelTimeClaim) and claim.from_ == ["Syria"]
    assert any("is a country" in c for c in extraction.comments[claim.id])


def test_quantity_without_two_places_gives_no_claim() -> None:
    text = "A 5 km stretch was closed for three hours near Ramadi."
    assert extract_claims(text, stub_resolver).claim_file.claims == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Qaim",
                "Baghdad",
                "Syria",
                "is",
                "about",
                "100",
                "km",
                "four",
                "hours",
                "from",
                "to",
                "the",
                "outskirts",
                "of",
                "along",
                "a",
                "highway",
                "border",
                "with",
                "across",
                ",",
                ".",
                "(60 miles)",
                "less than",
                "west",
                "and",
                "towns",
                "Ana",
                "Rawa",
            ]
        ),
        max_size=40,
    )
)
def test_extractor_fuzz_yields_loadable_consistent_claims(words: list[str]) -> None:
    text = " ".join(words)
    extraction = extract_claims(text, stub_resolver)
    reloaded = loads_claims(extraction.to_yaml())
    assert len(reloaded.claims) == len(extraction.claim_file.claims)
    for claim in extraction.claim_file.claims:
        assert claim.quote in text
        for _, _, name in claim.place_refs():
            assert name in TOWNS or name == "Syria"


def test_cli_extract_writes_a_loadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "claims.yaml"
    assert main(["extract", str(ARTICLE), "-o", str(out), "--publication", "CNN"]) == 0
    assert "claims proposed" in capsys.readouterr().err
    claim_file = load_claims(out)
    check_article_claims(claim_file.claims)
    assert claim_file.source is not None and claim_file.source.publication == "CNN"
    assert claim_file.source.title == "Taking Over: ISIS Takes Strategic Control Over Iraqi Towns"


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 3
    assert "cannot read" in capsys.readouterr().err
    assert main(["claims-schema"]) == 0
    assert '"DistanceClaim"' in capsys.readouterr().out


def test_cli_extract_bad_date_is_one_line_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from routing.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Qaim is about 500 kilometers west of Baghdad.\n", encoding="utf-8")
    assert main(["extract", str(article), "--date", "21 June"]) == 2
    err = capsys.readouterr().err
    assert "--date" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
