"""The output contract of every command: --json against docs/output.schema.json, --csv through
pandas, --out through GDAL, --version; bad output paths fail first and leave no file."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import jsonschema
import pandas as pd
import pyogrio
import pytest
import typer
from fixtures.readonly import read_only
from pyproj import Geod

from routing import __version__
from routing.cli import app, main
from routing.network import RoadNetwork
from routing.settings import data_dir

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "output.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
ARTICLE = "examples/isis-anbar-2014.yaml"
_GEOD = Geod(ellps="WGS84")
# Prints a JSON Schema document itself (the claim-file format), not an answer.
_NOT_ENVELOPED = {"claims-schema"}


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf command of a (Typer) click group, by its full name, e.g. ``"data info"``."""
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


ALL_COMMANDS = dict(_commands(typer.main.get_group(app)))


def _references(tmp: Path) -> Path:
    """Three rows of the shipped table and one malformed row."""
    lines = (ROOT / "examples" / "references-iraq-syria.tsv").read_text("utf-8").splitlines()
    rows = [lines[0], *[ln for ln in lines[1:] if ln and not ln.startswith("#")][:3], "bad row"]
    path = tmp / "refs.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _articles(tmp: Path, article: Path) -> Path:
    """A folder holding the article's first paragraphs (one claim is enough here)."""
    folder = tmp / "articles"
    folder.mkdir(exist_ok=True)
    head = article.read_text(encoding="utf-8")[:1500]
    (folder / "anbar.txt").write_text(head, encoding="utf-8")
    return folder


def _invocations(tmp: Path) -> dict[str, list[str]]:
    """One cheap --json invocation of every command that has one."""
    article = data_dir().parent / "article" / "isis-anbar-2014.txt"
    return {
        "places": ["places", "Ana"],
        "route": ["route", "Husaybah", "Baghdad", "-k", "2"],
        "matrix": ["matrix", "Qaim", "Ramadi", "--to", "Baghdad"],
        "reach": ["reach", "Husaybah", "--hours", "1,2"],
        "check": ["check", ARTICLE, "--draws", "200"],
        "check-batch": [
            "check-batch",
            str(_articles(tmp, article)),
            "--out",
            str(tmp / "batch"),
            "--workers",
            "1",
            "--draws",
            "200",
        ],
        "extract": ["extract", str(article)],
        "validate": ["validate", str(_references(tmp)), "--no-detail"],
        "map route": ["map", "route", "Husaybah", "Qaim", "--out", str(tmp / "m.png")],
        "data info": ["data", "info"],
        "data regions": ["data", "regions"],
        "data check": ["data", "check"],
        "data export": [
            "data",
            "export",
            "western-iraq",
            "--bbox",
            "40.9,34.2,41.3,34.5",
            "--out",
            str(tmp / "x.osm"),
        ],
        "data manifest": ["data", "manifest", "naturalearth", "-o", str(tmp / "manifest.json")],
    }


def _json(args: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> dict:
    assert main([*args, "--json"]) == code
    return json.loads(capsys.readouterr().out)


def test_every_command_but_the_schema_printer_has_json_and_is_exercised_here(
    tmp_path: Path,
) -> None:
    with_json = {
        name
        for name, cmd in ALL_COMMANDS.items()
        if any("--json" in getattr(p, "opts", []) for p in cmd.params)
    }
    assert with_json == set(ALL_COMMANDS) - _NOT_ENVELOPED
    assert set(_invocations(tmp_path)) == with_json


@pytest.mark.parametrize("command", sorted(set(ALL_COMMANDS) - _NOT_ENVELOPED))
def test_json_validates_against_the_documented_schema(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    western_iraq: RoadNetwork,
) -> None:
    args = _invocations(tmp_path)[command]
    code = 2 if command == "validate" else 0  # the malformed row
    doc = _json(args, capsys, code)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    assert not errors, errors[:5]
    assert doc["command"] == command
    assert doc["toolkit"]["version"] == __version__
    if command not in ("data regions", "data manifest", "extract", "data check"):
        assert doc["results"], "an answer with no results"
    for d in doc["data"]:
        assert d["attribution"] in doc["attribution"]
    if any(d["osm"] for d in doc["data"]):
        assert "OpenStreetMap contributors" in doc["attribution"]


def test_the_claims_schema_command_prints_a_valid_json_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["claims-schema"]) == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(capsys.readouterr().out))


def test_route_json_figures_hold_against_pyproj_and_carry_minutes(
    capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    doc = _json(["route", "Husaybah", "Baghdad"], capsys)
    assert [r["route"] for r in doc["results"]] == ["shortest", "fastest"]
    for r in doc["results"]:
        assert r["time_min"] == pytest.approx(r["time_h"] * 60.0, abs=0.05)
        lons, lats = zip(*r["geometry"]["coordinates"], strict=True)
        line_km = _GEOD.line_length(lons, lats) / 1000.0
        assert line_km == pytest.approx(r["road_km"], rel=1e-3)
        a, b = r["snaps"][0], r["snaps"][-1]
        assert r["length_km"] == pytest.approx(r["road_km"] + r["access_km"], abs=2e-3)
        assert r["length_km"] >= r["straight_km"]
        assert a["point"] == "origin" and b["point"] == "destination"
    assert doc["query"] == {
        "origin": "Husaybah",
        "destination": "Baghdad",
        "via": [],
        "profile": "car",
        "avoid": [],
        "alternatives": 1,
        "region": None,
    }


def test_matrix_csv_reads_with_pandas_and_keeps_the_names_as_typed(
    capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    args = ["matrix", "Qaim", "Ramadi", "--to", "Baghdad", "--to", "Hit"]
    assert main([*args, "--csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# data: ")
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert list(table["origin_query"]) == ["Qaim", "Qaim", "Ramadi", "Ramadi"]
    assert list(table["destination_query"]) == ["Baghdad", "Hit", "Baghdad", "Hit"]
    assert table.loc[0, "origin"] != "Qaim"  # read as the gazetteer's name, both kept
    doc = _json(args, capsys)
    by_json = pd.DataFrame(doc["results"])
    for col in ("distance_km", "time_h", "time_min", "straight_km"):
        assert table[col].tolist() == pytest.approx(by_json[col].tolist(), abs=1e-3)
    # The straight line is pyproj's geodesic between the points the places were read as.
    assert table["time_min"].tolist() == pytest.approx((table["time_h"] * 60).tolist(), abs=0.06)


def test_text_output_writes_every_time_in_hours_and_minutes(
    capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    assert main(["matrix", "Qaim", "Baghdad"]) == 0
    out = capsys.readouterr().out
    assert " h " in out and " min" in out
    assert "hours" not in out


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".gpx"])
def test_route_out_writes_every_format_gdal_reads_back(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    out = tmp_path / "sub" / f"route{suffix}"
    doc = _json(["route", "Husaybah", "Baghdad", "--out", str(out)], capsys)
    shortest = doc["results"][0]
    if suffix == ".gpx":
        assert set(pyogrio.list_layers(out)[:, 0]) >= {"tracks", "waypoints"}
        tracks = gpd.read_file(out, layer="tracks")
        points = gpd.read_file(out, layer="waypoints")
        assert list(points["name"]) == ["Husaybah", "Baghdad"]
        assert list(tracks["name"]) == ["shortest", "fastest"]
    elif suffix == ".gpkg":
        assert set(pyogrio.list_layers(out)[:, 0]) == {"routes", "points"}
        tracks = gpd.read_file(out, layer="routes")
        assert tracks.loc[0, "length_km"] == pytest.approx(shortest["length_km"])
        assert tracks.loc[0, "attribution"] == doc["data"][0]["attribution"]
    else:
        tracks = gpd.read_file(out.with_name("route.routes.geojson"))
        assert gpd.read_file(out.with_name("route.points.geojson")).geom_type.eq("Point").all()
    assert tracks.crs.to_epsg() == 4326
    line = tracks.geometry.iloc[0]
    km = _GEOD.geometry_length(line) / 1000.0
    assert km == pytest.approx(shortest["road_km"], rel=1e-3)


def test_bad_out_fails_before_the_work_with_its_code_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    assert main(["route", "Husaybah", "Baghdad", "--out", str(tmp_path / "r.shp")]) == 2
    err = capsys.readouterr().err
    assert "unknown format '.shp'" in err and len(err.strip().splitlines()) == 1
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        assert main(["route", "Husaybah", "Baghdad", "--out", str(locked / "r.gpkg")]) == 3
        assert "permission denied" in capsys.readouterr().err
    assert main(["route", "Husaybah", "Baghdad", "--out", str(tmp_path / "r.gpx")]) == 0
    assert not list(tmp_path.rglob("*.gpkg"))
    assert not list(tmp_path.rglob(".r.*"))  # no temporary file left beside the output


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"routing {__version__}"


def test_json_and_csv_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "Qaim", "Baghdad", "--json", "--csv"]) == 2
    assert "choose one of --json and --csv" in capsys.readouterr().err
