"""Batch inputs: article folders, JSONL and CSV of texts, points files; bad input is named."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString

from routing.api import matrix
from routing.batch import read_articles, read_points
from routing.cli import main
from routing.exceptions import BatchInputError, DataNotFoundError


def test_folder_articles_are_text_files_in_order_with_unreadable_ones_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.txt").write_text("Ramadi is 110 km west of Baghdad.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Hit lies on the Euphrates.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe broken")
    (tmp_path / "binary.txt").write_bytes(b"text\x00with a NUL")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    articles = read_articles(tmp_path)
    assert articles.ids == ["b", "bad", "binary", "sub/a"]  # sorted paths, .md ignored
    got = {a.id: a for a in articles}
    assert got["sub/a"].text == "Hit lies on the Euphrates." and got["sub/a"].error is None
    assert got["bad"].text is None and "not UTF-8" in (got["bad"].error or "")
    assert "binary file" in (got["binary"].error or "")


def test_jsonl_and_csv_articles(tmp_path: Path) -> None:
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(
        json.dumps({"id": "x1", "text": "Ana is 20 km from Rawa."})
        + "\n\n{not json\n"
        + json.dumps({"id": "x3"})
        + "\n",
        encoding="utf-8",
    )
    got = list(read_articles(jsonl))
    assert [a.id for a in got] == ["x1", "line-3", "x3"]
    assert got[0].text == "Ana is 20 km from Rawa."
    assert "not JSON" in (got[1].error or "") and "no 'text'" in (got[2].error or "")
    csv = tmp_path / "feed.csv"
    pd.DataFrame({"id": ["a", "b"], "text": ['Line one,\n"quoted"', ""]}).to_csv(csv, index=False)
    assert [(a.id, a.text) for a in read_articles(csv)] == [("a", 'Line one,\n"quoted"'), ("b", "")]


def test_bad_article_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.md").write_text("no articles here", encoding="utf-8")
    with pytest.raises(BatchInputError, match=r"no \.txt files"):
        read_articles(empty)
    with pytest.raises(DataNotFoundError, match="no such file"):
        read_articles(tmp_path / "missing")
    bad_csv = tmp_path / "t.csv"
    bad_csv.write_text("article,body\n1,text\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="missing column"):
        read_articles(bad_csv)
    dup = tmp_path / "d.jsonl"
    dup.write_text('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', encoding="utf-8")
    with pytest.raises(BatchInputError, match="duplicate article ids '1'"):
        read_articles(dup)
    with pytest.raises(BatchInputError, match="expected a folder"):
        read_articles(Path(__file__))
    # The CLI: one line and the documented exit code, before any cluster starts.
    assert main(["check-batch", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert main(["check-batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 3
    # An output "folder" that is a file: refused before any cluster starts.
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Hit is 60 km from Ramadi.", encoding="utf-8")
    assert main(["check-batch", str(articles), "--out", str(bad_csv)]) == 3


POINTS = {
    "id": ["hit", "ramadi", "rawa"],
    "lon": [42.82, 43.30, 41.92],
    "lat": [33.64, 33.42, 34.47],
}


def test_points_from_csv_and_geoparquet_in_another_crs(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    pd.DataFrame(POINTS).to_csv(csv, index=False)
    from_csv = read_points(csv)
    assert [(p.name, p.lon, p.lat) for p in from_csv] == list(zip(*POINTS.values(), strict=True))
    # GeoParquet in Web Mercator: read back in WGS84 (pyproj as the oracle).
    frame = gpd.GeoDataFrame(
        {"id": POINTS["id"]}, geometry=gpd.points_from_xy(POINTS["lon"], POINTS["lat"]), crs=4326
    ).to_crs(3857)
    frame.to_parquet(tmp_path / "p.parquet")
    to_wgs = Transformer.from_crs(3857, 4326, always_xy=True)
    for p, x, y in zip(
        read_points(tmp_path / "p.parquet"), frame.geometry.x, frame.geometry.y, strict=True
    ):
        lon, lat = to_wgs.transform(x, y)
        assert (p.lon, p.lat) == pytest.approx((lon, lat), abs=1e-9)
        assert p.lon == pytest.approx(POINTS["lon"][POINTS["id"].index(p.name)], abs=1e-9)


def test_bad_points_files_are_named(tmp_path: Path) -> None:
    cases = {
        "nocoords.csv": ({"id": ["a"], "east": [1.0]}, "no coordinate columns"),
        "noid.csv": ({"name": ["a"], "lon": [1.0], "lat": [2.0]}, "no 'id' column"),
        "range.csv": ({"id": ["a", "b"], "lon": [1.0, 200.0], "lat": [2.0, 2.0]}, "id 'b'"),
        "dup.csv": ({"id": ["a", "a"], "lon": [1.0, 1.0], "lat": [2.0, 2.0]}, "duplicate id"),
    }
    for name, (columns, message) in cases.items():
        pd.DataFrame(columns).to_csv(tmp_path / name, index=False)
        with pytest.raises(BatchInputError, match=message):
            read_points(tmp_path / name)
    lines = gpd.GeoDataFrame({"id": ["l"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=4326)
    lines.to_parquet(tmp_path / "lines.parquet")
    with pytest.raises(BatchInputError, match="must be points, found LineString"):
        read_points(tmp_path / "lines.parquet")
    with pytest.raises(DataNotFoundError):
        read_points(tmp_path / "absent.csv")


def test_in_memory_matrix_from_points_files_is_labelled_by_id(western_iraq, tmp_path: Path) -> None:
    pd.DataFrame(POINTS).to_csv(tmp_path / "p.csv", index=False)
    points = list(zip(POINTS["lon"], POINTS["lat"], strict=True))
    by_file = matrix(tmp_path / "p.csv", net=western_iraq)
    assert list(by_file.distance_km.index) == POINTS["id"]
    by_points = matrix(points, net=western_iraq)
    assert np.array_equal(by_file.distance_km.to_numpy(), by_points.distance_km.to_numpy())
    # The same file as origins and destinations: a place to itself is its off-road legs.
    both = matrix(tmp_path / "p.csv", str(tmp_path / "p.csv"), net=western_iraq)
    assert (both.distance_km.to_numpy() > 0).all()
