"""Report writer and the ``routing check`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routing.claims import ClaimFile, ClaimResult
from routing.cli import main
from routing.output.report import write_report

EXAMPLE = "examples/isis-anbar-2014.yaml"


def test_report_holds_every_claim_and_number(
    article_results: tuple[ClaimFile, list[ClaimResult]], tmp_path: Path
) -> None:
    claims, results = article_results
    md, js, *images = write_report(claims, results, tmp_path / "out")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [c["id"] for c in data["results"]] == [c.id for c in claims.claims]
    for c, r in zip(data["results"], results, strict=True):
        assert c["verdict"] == r.verdict.value
        assert [f["value"] for f in c["figures"]] == [f.value for f in r.figures]
        assert c["assumptions"]
    text = md.read_text(encoding="utf-8")
    assert "OpenStreetMap contributors" in text
    for r in results:
        assert f"## {r.claim_id}: {r.verdict.value}" in text
    # The claim figure and one map per claim that measured a route, embedded in the Markdown.
    names = {p.name for p in images}
    assert "claims.png" in names
    assert {f"route-{r.claim_id}.png" for r in results if r.routes} <= names
    assert all(p.stat().st_size > 10_000 and f"]({p.name})" in text for p in images)


def test_cli_check_prints_table_in_80_columns_and_writes_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["check", EXAMPLE, "--draws", "200", "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "husaybah" in out and "Assumptions" in out and "OpenStreetMap" in out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    # Each verdict comes with the closest figure, its band and why, once per claim.
    assert "qaim-baghdad-distance: misleading" in out
    assert "comes closest" in out and "band:" in out
    assert out.count("OSM data of") == 1  # shared assumptions are printed once
    assert (tmp_path / "report.json").exists()
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Data and method" in text and text.count("OSM data of") == 1
    assert "](route-qaim-baghdad-distance.png)" in text


def test_cli_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", EXAMPLE, "--json", "--draws", "500"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["results"][0]["verdict"] == "false"


def test_cli_check_bad_file_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - id: x\n    kind: distance\n", encoding="utf-8")
    code = main(["check", str(bad)])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
