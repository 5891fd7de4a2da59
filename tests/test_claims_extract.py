"""Tests for routing.claims.extract and the `routing extract` command."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.claims import (
    AlongRouteClaim,
    BorderClaim,
    BorderDistanceClaim,
    DestinationRule,
    Direction,
    DistanceClaim,
    Qualifier,
    RelativeClaim,
    RiverDistanceClaim,
    TravelMode,
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
CORPUS = Path(__file__).parent / "data" / "extraction_corpus.yaml"

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
            # Adjacent capitalised words read as one name ("Qaim Qaim"), as in real text.
            assert set(name.split()) <= {*TOWNS, "Syria"}


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


def _benchmark() -> ModuleType:
    """benchmarks/extraction.py, which holds the corpus scoring (tests/data/README.md)."""
    path = Path(__file__).parent.parent / "benchmarks" / "extraction.py"
    spec = importlib.util.spec_from_file_location("extraction_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def test_corpus_targets_on_development_part(corpus: list[dict]) -> None:
    """Precision meets the target (0.95) over every emitted claim, flagged or not; recall over
    every label (each readable from its entry) is 0.77 against a target of 0.85 (not met, see
    tests/data/README.md), so this guards the level reached."""
    bench = _benchmark()
    dev = [e for e in corpus if e["split"] == "dev"]
    score = bench.score(dev, bench.extract_with_gazetteer)
    assert score.precision >= 0.95, score.wrong
    assert score.precision_unflagged >= 0.95, score.wrong
    assert score.recall >= 0.76, score.missed


def test_corpus_never_gives_one_place_at_both_ends(corpus: list[dict]) -> None:
    bench = _benchmark()
    score = bench.score(corpus, bench.extract_with_gazetteer)
    assert score.same_place == 0
    assert score.extracted > 100  # the check ran on real extractions


ACCEPTANCE = {
    "Situated 240 kilometers (150 miles) northwest of Baghdad, Haditha is the site of the "
    "Haditha Dam.": ("distance", "Haditha", "Baghdad", 240, Unit.KM),
    "Ramadi is a city in central Iraq, about 110 kilometres west of Baghdad.": (
        "distance", "Ramadi", "Baghdad", 110, Unit.KM),
    "20 kilometres from Rawa lies the town of Ana.": ("distance", "Ana", "Rawa", 20, Unit.KM),
    "Haditha is less than two hours' drive from Ramadi.": (
        "travel_time", "Haditha", "Ramadi", 2, Unit.H),
}  # fmt: skip


@pytest.mark.parametrize("sentence", list(ACCEPTANCE))
def test_acceptance_sentences(sentence: str) -> None:
    kind, a, b, value, unit = ACCEPTANCE[sentence]
    for text in (sentence, "Qaim is far from Baghdad.\n\n" + "\n\n".join(ACCEPTANCE)):
        claims = [c for c in extract_claims(text).claim_file.claims if c.quote == sentence]
        (claim,) = claims
        origin = claim.from_[0] if isinstance(claim.from_, list) else claim.from_
        assert (claim.kind_name, origin, claim.to, claim.value, claim.unit) == (
            kind,
            a,
            b,
            value,
            unit,
        )
        assert claim.review is None
    travel = extract_claims("Haditha is less than two hours' drive from Ramadi.")
    (claim,) = travel.claim_file.claims
    assert isinstance(claim, TravelTimeClaim)
    assert claim.qualifier is Qualifier.UNDER and claim.mode is TravelMode.CAR


def test_uncertain_readings_are_marked_for_review() -> None:
    text = (
        "Karbala is a city in Iraq. It is about 100 km southwest of Baghdad.\n\n"
        "Fort Tarik is located about two kilometers from Iran.\n\n"
        "Hit, which lies a few hours drive from Baghdad, fell to Islamic State."
    )
    claims = {c.id: c for c in extract_claims(text).claim_file.claims}
    assert "Karbala" in claims["karbala-baghdad-distance"].review
    border = claims["fort-tarik-iran-border"]
    assert isinstance(border, BorderDistanceClaim) and "is a country" in border.review
    assert "a few" in claims["hit-baghdad-travel-time"].review


def test_ranges_relative_and_feature_distances() -> None:
    text = (
        "Manbij is 8-10 miles from the Turkish border. "
        "Karbala is about six miles west of the Euphrates. "
        "Sirte lies halfway between Tripoli and Benghazi. "
        "Metulla is closer to Beirut than to Jerusalem."
    )
    claims = extract_claims(text).claim_file.claims
    border, river, halfway, closer = claims
    assert isinstance(border, BorderDistanceClaim)
    assert (border.value, border.value_max, border.border_with) == (8, 10, "Turkey")
    assert isinstance(river, RiverDistanceClaim) and river.river == "Euphrates"
    assert river.direction is Direction.WEST
    assert isinstance(halfway, RelativeClaim) and halfway.halfway_between == ["Tripoli", "Benghazi"]
    assert isinstance(closer, RelativeClaim)
    assert (closer.place, closer.closer_to, closer.than) == ("Metulla", "Beirut", "Jerusalem")


def test_cli_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["extract", str(empty)]) == 0
    assert "0 claims proposed" in capsys.readouterr().err
    binary = tmp_path / "file.bin"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert main(["extract", str(binary)]) == 3
    err = capsys.readouterr().err
    assert "binary" in err and len(err.strip().splitlines()) == 1
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Qaim est à 500 km".encode("latin-1"))
    assert main(["extract", str(latin)]) == 3
    assert "not UTF-8" in capsys.readouterr().err


DISCOURSE = {
    # "It" after a subject with any verb; the reading is flagged.
    "Deir ez-Zor means 'monastery of the grove'. It is 320 km from Aleppo.": (
        "Deir ez-Zor", "Aleppo", 320, True),
    # A description in the located place's role reads as the place named before it.
    "Kurdish fighters entered Bashiqa. Journalists were not allowed into the town, which lies "
    "12km to the northeast of Mosul.": ("Bashiqa", "Mosul", 12, True),
    "Fighters advanced on the Haditha Dam. They could reach the dam on the Euphrates, about "
    "190 km north-west of Baghdad.": ("Haditha Dam", "Baghdad", 190, True),
    # A reference left out is the place the paragraph is about.
    "Anah sits on the Euphrates. Rawa is 20 km east.": ("Rawa", "Anah", 20, True),
    "Mosul and Erbil are about 80 km apart.": ("Mosul", "Erbil", 80, False),
    "Tower 22 is six miles from the Iraqi border.": ("Tower 22", None, 6, False),
    "Al Asad Airbase, the largest base of Al Anbar Province, located 35 miles south of Haditha "
    "Dam, was quiet.": ("Al Asad Airbase", "Haditha Dam", 35, False),
    "Going east from Homs is a long 250km drive through the desert to Palmyra.": (
        "Homs", "Palmyra", 250, False),
}  # fmt: skip


@pytest.mark.parametrize("text", list(DISCOURSE))
def test_discourse_and_clause_structures(text: str) -> None:
    origin, to, value, flagged = DISCOURSE[text]
    (claim,) = extract_claims(text).claim_file.claims
    start = claim.from_[0] if isinstance(claim.from_, list) else claim.from_
    assert (start, getattr(claim, "to", None), claim.value) == (origin, to, value)
    assert (claim.review is not None) is flagged


@pytest.mark.parametrize(
    "text",
    [
        # "the dam" with no name that says so, "the base" with no base named: nothing.
        "They could reach the dam on the Euphrates, about 190 km north-west of Baghdad.",
        "Haditha is quiet. The base is 10 km east of Baghdad.",
        # No place before: the description has nothing to stand for.
        "The town lies 12km to the northeast of Mosul.",
        # A number after a name is part of it only when no unit follows.
        "Baghdad 100 km away.",
    ],
)
def test_descriptions_without_a_named_place_give_nothing(text: str) -> None:
    assert extract_claims(text).claim_file.claims == []


# Real sentences (source above each) -> every claim: (kind, from, to, value, flagged).
READINGS = {
    # https://visitthegrandcanyon.us/north-rim/index.htm: the length shares the time's reference.
    "Located only 10 miles from the South Rim by air, the North Rim is a 215 mile, 5 hour drive "
    "from Grand Canyon Village.": [
        ("distance", "North Rim", "South Rim", 10, False),
        ("distance", "North Rim", "Grand Canyon Village", 215, False),
        ("travel_time", "North Rim", "Grand Canyon Village", 5, False)],
    # http://www.outdoorplaces.com/Destination/USNP/azgracan/marcan.htm: "A of the B to C".
    "The drive from the North Rim of the Grand Canyon to the South Rim is 215 miles and takes "
    "about five hours.": [
        ("distance", "North Rim", "South Rim", 215, False),
        ("travel_time", "North Rim", "South Rim", 5, False)],
    # https://aspiringkennedy.squarespace.com/home/piringkennedy.com/2012/02/pack-your-bags-day-trip-to-versailles.html
    "From the Champs Mars stop (at the Bir-Hakim metro stop), it's a 26 minute ride out to "
    "Versailles.": [("travel_time", "Champs Mars", "Versailles", 26, False)],
    # http://www.worldreviewer.com/travel-blogs/lebanon-part-2-beirut-to-the-bekka-valley/654/:
    # the trip named in one sentence, its duration in the next; a possessive names the place.
    "Getting from Beirut’s Cola bus station to Baalbeck involved the same hair raising drive "
    "through the mountains. The journey only cost 3000 Lebanese Lira (about $2) and took about "
    "two hours.": [("travel_time", "Beirut", "Baalbeck", 2, True)],
    # https://www.hotrecentnews.com/news/advance-towards-mosul-progressing/16701 (subject
    # named): "the city of X" names X.
    "Al-Shura is about 45 kilometers from the ruins of the Assyrian city of Nineveh.": [
        ("distance", "Al-Shura", "Nineveh", 45, False)],
    # http://looklex.com/e.o/deir_ez_zawr.htm: a list of figures with directions and no
    # reference, read as the place the text is about (flagged).
    "Deir ez-Zawr has excellent connections with other urban centres, by rail, road and a "
    "domestic airport. Qamishli is 200 km north, Raqqa 130 km northwest and Damascus 450 km "
    "southwest.": [
        ("distance", "Qamishli", "Deir ez-Zawr", 200, True),
        ("distance", "Raqqa", "Deir ez-Zawr", 130, True),
        ("distance", "Damascus", "Deir ez-Zawr", 450, True)],
    # http://kurdmaps.com/index.php/points/box/117: an alias is not the located place...
    "The Deween Castle, also known as Salahaddin's Fortress, is about 30km northeast of the city "
    "of Erbil on the way to the city of Salahaddin.": [
        ("distance", "Deween Castle", "Erbil", 30, False)],
    # https://caliber.az/en/post/jordan-closes-key-border-crossing-with-syria: ...unless it
    # names what a description (not a place) stood for.
    "Jordan’s Interior Minister Mazen al-Faraya has ordered the closure of the main border "
    "crossing with Syria, known as Nassib, located 15 kilometres south of the Syrian city of "
    "Daraa.": [("distance", "Nassib", "Daraa", 15, False)],
    # http://theindependentbrisbane.blogspot.com/2013/07/this-palace-of-versailles-is-wheel-deal.html
    # "from which": the walk starts at the station, not where the train does.
    "The RER Line C5 train runs from central Paris directly to the Versailles-Rive Gauche "
    "station, from which it's a 10-minute walk, or a shorter shuttle bus ride, to the Château "
    "de Versailles.": [
        ("travel_time", "Versailles-Rive Gauche station", "Château de Versailles", 10, False)],
    # https://english.alarabiya.net/News/middle-east/2015/08/18/Arab-coalition-bombs-Yemen-s-Hodeidah-port
    # "the port" does not stand for a sea named before it (nothing rather than a wrong pair).
    "They retain control of the northern highlands and the Red Sea coastal plain as far south "
    "as Ibb, which lies around 200 kilometers southeast of the port.": [],
    # https://mapnall.com/en/Map-Tyre_264871.html: a second predicate of the sentence's subject.
    "Tyre juts out from the coast of the Mediterranean Sea and is located about 80 km south of "
    "Beirut.": [("distance", "Tyre", "Beirut", 80, False)],
    # https://www.trtworld.com/article/13089133: the subject's own locative phrase before "is".
    "Tabqa dam on the Euphrates River is only 40 kilometres from the city of Raqqa which is held "
    "by Daesh, making it a front line in the battle to capture the city.": [
        ("distance", "Tabqa dam", "Raqqa", 40, False)],
    # https://en.wikipedia.org/wiki/%C4%B0ncirlik: a capital outside A-Z opens a name.
    "İncirlik is located approximately 10 km east of Adana.": [
        ("distance", "İncirlik", "Adana", 10, False)],
    # https://lidtime.com/?p=610571: an airfield is a place of its own, not its town.
    "In July it captured the Qayyara airfield, 60 km (35 miles) south of Mosul, which is to serve "
    "as the main staging post for the anticipated offensive.": [
        ("distance", "Qayyara airfield", "Mosul", 60, False)],
    # https://tacticalshit.com/mosul-iraq-offensive-kurdish-forces-besiege-key-town-of-bashiqa
    "(BBC)- Peshmerga fighters have surrounded Bashiqa, which lies on a crucial supply route only "
    "12km (8 miles) from Mosul, on three sides, a commander said.": [
        ("distance", "Bashiqa", "Mosul", 12, False)],
    # https://www.joaoleitao.com/dwin-castle-kurdistan-iraq/: "located in a region at N km".
    "Welcome to the idyllic Dwin Castle, located in a mountainous region at about 60km northeast "
    "of Erbil, in Northern Iraq.": [("distance", "Dwin Castle", "Erbil", 60, False)],
    # https://www.globalconstructionreview.com/saudi-arabia-opens-high-speed-rail-link-between-is/
    # "high-speed" is not "high": the figure is the link's length (Medina is ambiguous: flagged).
    "The Kingdom of Saudi Arabia has opened a 450km high-speed rail link between Mecca and "
    "Medina, the two holiest cities in Islam.": [("distance", "Mecca", "Medina", 450, True)],
    # https://whereswindji.com/3-day-self-drive-itinerary-jordan: "Amman’s city centre" is Amman.
    "After a flight delay, we landed at the Amman Queen Alia International Airport late at night. "
    "The airport is located a 30 minute drive south of Amman’s city centre.": [
        ("travel_time", "Amman Queen Alia International Airport", "Amman", 30, True)],
    # https://successdigestonline.com/?p=1217221: "it" right after a fronted reference, no comma.
    "Kharkiv is considered a university town, with the largest number of students in the "
    "country. Situated 25 miles (40 km) from the Russian border it was considered one of the "
    "major targets by Russia and was one of the first hit.": [
        ("border_distance", "Kharkiv", None, 25, True)],
    # https://www.moncton4plex.com/meet-airports-named-after-cities-but-are-actually-far-away-from-their-namesakes/
    # a relative clause without a comma.
    "Although it may sound like it is located in the very heart of the German city, it is "
    "actually located on the edge of Bavaria, specifically in the town of Memmingen which is "
    "seventy miles away from Munich.": [("distance", "Memmingen", "Munich", 70, False)],
    # https://www.alaturka.us/army-forces-en-route-to-daesh-held-mosul-iraqi-pm/: in a fronted
    # participle the place comes after the comma; a bare "River" is no place.
    "Located along the Firat (Euphrates) River some 50 kilometers west of Baghdad, Fallujah is "
    "one of the western Anbar province’s largest cities.": [
        ("distance", "Fallujah", "Baghdad", 50, False)],
    # http://minstrelboy.blogspot.com/2015/10/syrian-kurds-look-to-take-raqqa-with.html: "the
    # border town" is the place introduced as a town, and the figure that continues it stays
    # flagged.
    "A YPG spokesperson told McClatchy that the Syrian-Turkish border town of Jarabulus, not "
    "Raqqa, is the primary objective. The border town is some 25 kilometres west of Kobane and "
    "100 kilometres northwest of Raqqa but Kurdish officials say the two towns are "
    "interlinked.": [
        ("distance", "Jarabulus", "Kobane", 25, True),
        ("distance", "Jarabulus", "Raqqa", 100, True)],
    # https://midnightmurphy.com/2019/11/11/chernobyl/: a clause's subject right before its verb.
    "After some research I discovered that Kyiv was located a mere 130 kilometres south of "
    "Chernobyl – the town that remains internationally famous for the explosion of nuclear "
    "reactor number 4, on the night of April 26th, 1986.": [
        ("distance", "Kyiv", "Chernobyl", 130, False)],
    # https://www.real.gr/kosmos/arthro/syria_oi_katoikoi_tis_xoms_trepontai_se_maziki_fygi_meta_tin_proelasi_ton_tzixantiston_tin_poli_plakonei_o_fobos-1072376/
    # a name right before the figure is the place it locates.
    "Panic is spreading in Syria’s 3rd-largest city after the rebels captured the 4th-largest "
    "city Hama just a 30 minute drive north of Homs.": [
        ("travel_time", "Hama", "Homs", 30, False)],
    # https://homsonline.com/EN/Citeis/AroundDeirEz-Zor.htm: a people is not the located place,
    # and a further figure after the first reference locates the same place.
    "Mari (modern Tell Hariri) was an ancient Sumerian and Amorite city, located 11 kilometers "
    "north-west of the modern town of Abu Kamal on the western bank of Euphrates river, some "
    "120 km southeast of Deir Ez-Zor, Syria.": [
        ("distance", "Mari", "Abu Kamal", 11, False),
        ("distance", "Mari", "Deir Ez-Zor", 120, False)],
    # https://dev.iraqinews.com/?p=7346: the container in an apposition is not the located place
    # (and "155 northeast" with no unit is no figure).
    "Jalawlaa is one of the disputed areas between the federal and Kurdish governments. It is "
    "located 155 northeast of Baaquba, the capital of Diala, which is 57 km northeast of "
    "Baghdad.": [("distance", "Baaquba", "Baghdad", 57, False)],
}  # fmt: skip


@pytest.mark.parametrize("text", list(READINGS))
def test_real_sentence_readings(text: str) -> None:
    claims = extract_claims(text).claim_file.claims
    found = [
        (
            c.kind_name,
            c.from_[0] if isinstance(c.from_, list) else c.from_,
            getattr(c, "to", None),
            c.value,
            c.review is not None,
        )
        for c in claims
    ]
    assert found == READINGS[text]


def test_figure_and_conversion_with_a_slash() -> None:
    # http://www.sigtn.com/SigNet/index.cfm/DestinationGuides/Overview?&agency_id=1622&utp=consumer&type=consumer&agent_id=0&geoplacekey=255184
    text = (
        "Lying 110 mi/180 km north of Damascus in a rich agricultural region, Hama is one of the "
        "most pleasant and laid-back cities in Syria."
    )
    (claim,) = extract_claims(text).claim_file.claims
    assert isinstance(claim, DistanceClaim)
    assert (claim.from_, claim.to, claim.value, claim.unit) == ("Hama", "Damascus", 110, Unit.MI)
    assert (claim.alt_value, claim.alt_unit) == (180, Unit.KM)
