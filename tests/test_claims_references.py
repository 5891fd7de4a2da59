"""References tables: reading with line-numbered errors, checking, ``routing validate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routing.claims.references import (
    REFERENCE_KINDS,
    check_references,
    parse_references,
    read_references,
    references_summary,
)
from routing.claims.units import Qualifier, Unit
from routing.cli import main
from routing.network import RoadNetwork
from routing.sources import load_network

SHIPPED = Path(__file__).resolve().parent.parent / "examples" / "references-iraq-syria.tsv"
HEADER = "from\tto\tvalue\tunit\tkind\tqualifier\tsource\tquote"


def _table(*rows: str, header: str = HEADER) -> list[str]:
    return [header, *rows]


def test_shipped_references_are_well_formed_and_cited() -> None:
    refs, errors = read_references(SHIPPED)
    assert errors == []
    assert len(refs) >= 40
    assert all(r.source and r.quote for r in refs)
    assert {r.kind for r in refs} == set(REFERENCE_KINDS)
    # Line numbers are the file's own (header on line 1).
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    first = refs[0]
    assert lines[first.line - 1].startswith(f"{first.origin}\t{first.destination}\t")


def test_bad_rows_are_reported_by_line_and_the_good_rows_kept() -> None:
    refs, errors = parse_references(
        _table(
            "Ramadi\tHit\t70\tkm\troad\tabout\thttps://example.org/a\tabout 70 km",
            "Ramadi\tHit\t\tkm\troad\tnone\thttps://example.org/b\tmissing value",
            "Ramadi\tHit\t70\tfurlong\troad\tnone\thttps://example.org/c\tbad unit",
            "Ramadi\tHit\t70\tkm\tflight\tnone\thttps://example.org/d\tbad kind",
            "Ramadi\tHit\t2\th\troad\tnone\thttps://example.org/e\ttime unit, distance kind",
            "Ramadi\tHit\tseventy\tkm\troad\tnone\thttps://example.org/f\tnot a number",
            "Ramadi\tBaghdad\t110\tkm\tstated\tnone\thttps://example.org/g",
        ),
        "refs.tsv",
    )
    assert [r.line for r in refs] == [2, 8]
    assert refs[0].qualifier is Qualifier.ABOUT and refs[0].unit is Unit.KM
    assert refs[1].quote == ""
    messages = {e.line: str(e) for e in errors}
    assert messages[3] == "refs.tsv:3: missing value"
    assert messages[4].startswith("refs.tsv:4: unknown unit 'furlong'")
    assert messages[5].startswith("refs.tsv:5: unknown kind 'flight'")
    assert "does not fit kind 'road'" in messages[6]
    assert "'seventy' is not a number" in messages[7]


def test_header_without_a_required_column() -> None:
    refs, errors = parse_references(
        _table("Ramadi\tHit\t70\troad\tx", header="from\tto\tvalue\tkind\tsource"), "r.tsv"
    )
    assert refs == []
    assert [str(e) for e in errors] == [
        "r.tsv:1: header lacks column(s) unit; expected from, to, value, unit, kind, source "
        "(optional: qualifier, quote)"
    ]


def test_check_compares_each_kind(western_iraq: RoadNetwork) -> None:
    refs, _ = parse_references(
        _table(
            "Ramadi\tHit\t70\tkm\troad\tabout\ts\tq",
            "Ramadi\tHit\t50\tkm\tstraight\tnone\ts\tq",
            "Ramadi\tBaghdad\t110\tkm\tstated\tabout\ts\tq",
            "Ramadi\tBaghdad\t1.5\th\ttime\tnone\ts\tq",
            "Ramadi\tNowhereville\t10\tkm\troad\tnone\ts\tq",
        ),
        "r.tsv",
    )
    ne = load_network("naturalearth", progress=False)
    checks, errors = check_references(refs, western_iraq, second=ne, where="r.tsv")
    assert [e.line for e in errors] == [6] and "unknown place 'Nowhereville'" in errors[0].message
    road, straight, stated, time = checks
    # Ramadi-Hit: Ramadi joins the z7 road that reaches Hit (its nearest one reaches it only
    # by a loop); both networks then agree, and the band holds the published 70.
    assert road.inside is True and road.settled
    assert road.road_km is not None and road.road_km < 75
    assert straight.figure == pytest.approx(road.straight_km)
    assert straight.low is not None and straight.high is not None
    assert straight.high - straight.low == pytest.approx(8.0)
    assert straight.inside is True  # 49.8 km geodesic
    assert stated.low is not None and stated.low <= stated.straight_km
    assert time.reference.base_value == 1.5 and "car" in time.measure
    assert time.low is not None and time.high is not None and time.figure is not None
    assert time.low < time.figure < time.high
    summary = references_summary(checks)
    assert summary["judged"] == 4 and summary["by_kind"]["time"]["rows"] == 1


def test_validate_cli_prints_good_rows_and_numbers_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "refs.tsv"
    f.write_text(
        "\n".join(
            _table(
                "Ramadi\tHit\t70\tkm\troad\tabout\thttps://example.org\tabout 70 km",
                "Ramadi\tHit\t70\tleagues\troad\tnone\thttps://example.org\tbad unit",
                "Ramadi\tAtlantis\t70\tkm\troad\tnone\thttps://example.org\tunknown place",
            )
        )
        + "\n",
        encoding="utf-8",
    )
    code = main(["validate", str(f), "--no-detail", "--region", "western-iraq"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Ramadi - Hit" in out and "Inside the band: 1/1 rows (100%)" in out
    assert f"{f}:3: unknown unit 'leagues'" in err
    assert f"{f}:4: unknown place 'Atlantis'" in err
    code = main(["validate", str(f), "--no-detail", "-r", "western-iraq", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [r["line"] for r in doc["results"]] == [2]
    assert [e["line"] for e in doc["errors"]] == [3, 4]
    assert doc["results"][0]["inside"] is True and doc["summary"]["share"] == 1.0


def test_validate_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "none.tsv")]) == 3
    assert "cannot read references file" in capsys.readouterr().err
