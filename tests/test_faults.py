"""Faults and hostile input through the CLI: each ends in a right answer or one error line.

Every case runs ``main([...])`` in-process and checks the exit code of the documented policy
(2 bad input or usage, 3 data/cache/I/O, 4 off network or no route; README), that stderr
holds one line and no traceback, and where it matters that nothing was written or computed
before the error. Read-only folders are made read-only for real (see fixtures/readonly.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.readonly import read_only

from routing.cli import main
from routing.network import RoadNetwork

CLAIMS = "examples/isis-anbar-2014.yaml"
CAR = Path("routing/data/profiles.yaml").read_text(encoding="utf-8").split("\n  fast:")[0]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    text = tmp_path / "article.txt"
    text.write_text(
        "Militants seized Husaybah. The town lies 300 km from Baghdad by road.\n", "utf-8"
    )
    return text


# --- outputs: one policy, one exit code per kind of fault, checked before any work ---------
def _outputs(folder: Path, article: Path) -> list[list[str]]:
    """Each command that writes a file, writing into ``folder``; each would fail late on an
    unknown place or a missing input if the output were not checked first."""
    return [
        ["reach", "Xyzzy", "--hours", "1", "--out", str(folder / "x.png")],
        ["reach", "Xyzzy", "--hours", "1", "--geojson", str(folder / "x.json")],
        ["map", "route", "Xyzzy", "Baghdad", "--out", str(folder / "x.png")],
        ["check", str(folder.parent / "missing.yaml"), "--report", str(folder / "report")],
        ["extract", str(folder.parent / "missing.txt"), "-o", str(folder / "c.yaml")],
        ["claims-schema", "-o", str(folder / "schema.json")],
    ]


def test_unwritable_output_folder_is_exit_3_before_any_work(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with read_only(folder):
        for args in _outputs(folder, article):
            code, _, err = _run(args, capsys)
            assert (code, "permission denied" in _one_error_line(err)) == (3, True), args


def test_output_under_a_file_is_exit_3(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for args in _outputs(blocker / "sub", article):
        code, _, err = _run(args, capsys)
        assert (code, "is a file" in _one_error_line(err)) == (3, True), args


def test_missing_output_folders_are_created_for_every_output(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str], western_iraq: RoadNetwork
) -> None:
    new = tmp_path / "new" / "sub"
    assert (
        _run(["reach", "Husaybah", "--hours", "1", "--geojson", str(new / "r.json")], capsys)[0]
        == 0
    )
    assert _run(["extract", str(article), "-o", str(new / "c.yaml")], capsys)[0] == 0
    assert (new / "r.json").stat().st_size > 0 and (new / "c.yaml").stat().st_size > 0


def test_output_option_onto_an_existing_file_needs_force(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "claims.yaml"
    mine.write_text("# reviewed by hand\n", encoding="utf-8")
    for args in (["extract", str(article), "-o", str(mine)], ["claims-schema", "-o", str(mine)]):
        code, _, err = _run(args, capsys)
        assert code == 2 and "--force" in _one_error_line(err)
        assert mine.read_text(encoding="utf-8") == "# reviewed by hand\n"
    assert _run(["extract", str(article), "-o", str(mine), "--force"], capsys)[0] == 0
    assert "Husaybah" in mine.read_text(encoding="utf-8")


# --- input validation ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("motorway: [65", "motorwya: [65"), "did you mean 'motorway'"),
        (
            ("      trunk: [60, 85, 105]", "      trunk: [60, 85, 105]\n      trunk: [6, 8, 9]"),
            "duplicate key 'trunk'",
        ),
        (("max_kph: null", "max_kph: 1e-300"), "max_kph"),
        (("motorway: [65, 90, 110]", "motorway: [1e-300, 90, 110]"), "speeds.motorway"),
        (("access_kph: 30", "access_kph: .inf"), "access_kph"),
        (("factor: 0.8", "factor: 1e-300"), "maxspeed.factor"),
    ],
)
def test_profile_files_reject_what_would_give_wrong_times(
    tmp_path: Path, edit: tuple[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = edit
    assert old in CAR
    profile = tmp_path / "p.yaml"
    profile.write_text(CAR.replace(old, new, 1), encoding="utf-8")
    code, _, err = _run(["route", "Husaybah", "Baghdad", "--profile", str(profile)], capsys)
    assert code == 2 and message in _one_error_line(err)


@pytest.mark.parametrize(
    "args",
    [
        ["route", "Husaybah", "Baghdad", "--avoid", "bbox:45,34,41,33"],
        ["route", "Husaybah", "Baghdad", "--avoid", "bbox:41,34,45,33"],
        ["data", "info", "--bbox", "45,34,41,33"],
    ],
)
def test_inverted_bbox_is_refused_not_reordered(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(args, capsys)
    assert code == 2 and "west < east" in _one_error_line(err)


def test_gibberish_place_is_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["places", "zzzzqqqq"], capsys)
    assert code == 2 and out == "" and "unknown place" in _one_error_line(err)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["route", "Hamra", "Baghdad"], 2, "ambiguous"),
        (["places", "x", "--limit", "0"], 2, "routing places --help"),
        (["route"], 2, "Missing argument"),
        (["places", "Q" * 100_000], 2, "100,000 characters"),
        (["route", "x" * 5000 + ", Iraq", "Baghdad"], 2, "5,006 characters"),
        (["route", "Husaybah", "Baghdad", "--avoid", "near:" + "9" * 50_000], 2, "characters"),
    ],
)
def test_errors_are_one_short_line(
    args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, _, err = _run(args, capsys)
    line = _one_error_line(err)
    assert got == code and message in line and len(line) < 1200


# --- data integrity: bad and missing tiles are errors naming the tile ------------------------
@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the z7 tiles as the data folder, with a fresh cache."""
    from routing.settings import data_dir

    copy = tmp_path / "osm"
    shutil.copytree(data_dir() / "openmaptiles-planet-z7", copy / "openmaptiles-planet-z7")
    monkeypatch.setenv("ROUTING_DATA_DIR", str(copy))
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(tmp_path / "cache"))
    return copy / "openmaptiles-planet-z7" / "7"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("zero", "7/78/50 of"),  # the tile that turned Husaybah-Baghdad into 637 km
        ("delete", "7/78/50 (absent, but inside the region"),
        ("truncate", "7/78/50 of"),
    ],
)
def test_damaged_tile_is_an_error_naming_it_not_a_longer_route(
    data_copy: Path, damage: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tile = data_copy / "78" / "50.pbf"
    if damage == "zero":
        tile.write_bytes(b"")
    elif damage == "delete":
        tile.unlink()
    else:
        tile.write_bytes(tile.read_bytes()[:1000])
    code, out, err = _run(["route", "Husaybah", "Baghdad"], capsys)
    assert code == 3 and message in _one_error_line(err) and "km" not in out


def test_data_info_lists_tiles_that_went_bad_after_the_cache_was_built(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["data", "info"], capsys)[0] == 0
    (data_copy / "78" / "50.pbf").write_bytes(b"")
    code, out, err = _run(["data", "info"], capsys)
    assert code == 3 and "7/78/50" in out and "1 bad" in _one_error_line(err)


def test_manifest_catches_a_valid_tile_put_in_the_wrong_place(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "manifest.json"
    source = str(data_copy.parent)
    assert _run(["data", "manifest", source, "-o", str(manifest)], capsys)[0] == 0
    assert _run(["data", "check", source, "--manifest", str(manifest)], capsys)[0] == 0
    code, _, err = _run(["data", "manifest", source, "-o", str(manifest)], capsys)
    assert code == 2 and "--force" in _one_error_line(err)
    shutil.copy(data_copy / "81" / "53.pbf", data_copy / "78" / "50.pbf")
    code, out, err = _run(["data", "check", source, "--manifest", str(manifest)], capsys)
    assert code == 3 and "differs from the manifest" in out and "7/78/50" in err


# --- caches that cannot crash ----------------------------------------------------------------
@pytest.mark.parametrize("where", ["read-only with a valid cache", "read-only, empty", "a file"])
def test_cache_location_never_crashes_a_command(
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    western_iraq: RoadNetwork,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from routing import sources

    folder = tmp_path / "cache"
    folder.mkdir()
    fresh = type(sources._LOADED)
    if where.endswith("valid cache"):
        # Fill the folder by one run that writes into it: every file the command needs.
        monkeypatch.setenv("ROUTING_CACHE_DIR", str(folder))
        monkeypatch.setattr(sources, "_LOADED", fresh())
        assert _run(["route", "Husaybah", "Baghdad"], capsys)[0] == 0
    target = tmp_path / "file" if where == "a file" else folder
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(target))
    monkeypatch.setattr(sources, "_LOADED", fresh())  # read from the folder
    with read_only(folder):
        code, out, err = _run(["route", "Husaybah", "Baghdad"], capsys)
    assert code == 0 and "Husaybah -> Baghdad" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    if where.endswith("valid cache"):
        assert warnings == []
    else:
        assert len(warnings) == 1 and "ROUTING_CACHE_DIR" in warnings[0]
