"""Interactive HTML report: self-contained, offline, and drawn by a real browser.

The browser test opens the report in headless Chromium (Debian's ``chromium``, driven by
Playwright without its own browser download). It is never skipped: CI installs chromium
(``.ci/run``), and without it the test fails saying how to install it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import matplotlib.image
import numpy as np
import pytest
from pyproj import Geod

from routing.claims import ClaimFile, ClaimResult
from routing.cli import main
from routing.exceptions import InvalidArgumentError
from routing.network import RoadNetwork
from routing.output.html import check_html_path, write_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENDOR = Path(__file__).parent.parent / "routing" / "output" / "_vendor" / "leaflet"
_GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def report(
    article_results: tuple[ClaimFile, list[ClaimResult]],
    western_iraq: RoadNetwork,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    claims, results = article_results
    return write_html(
        claims, results, tmp_path_factory.mktemp("html") / "report.html", western_iraq
    )


def _data(report: Path) -> dict[str, Any]:
    text = report.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S
    )
    assert found
    return dict(json.loads(found.group(1)))


def test_report_is_self_contained_and_small(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert report.stat().st_size < 5_000_000
    # Nothing to fetch: no external scripts, styles or images, and a policy forbidding any.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    assert "default-src 'none'" in text
    assert "url(images/" not in text
    # The inlined library is the vendored one, with its licence.
    assert (VENDOR / "leaflet.js").read_text(encoding="utf-8") in text
    assert "Copyright (c) 2010-2023, Volodymyr Agafonkin" in text
    assert "(c) OpenStreetMap contributors" in text and "(c) OpenMapTiles" in text


def test_vendored_library_matches_its_record() -> None:
    record = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    assert record["package"] == "leaflet" and record["license"] == "BSD-2-Clause"
    for name, digest in record["sha256"].items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_report_holds_every_claim_verdict_and_assumption(
    report: Path, article_results: tuple[ClaimFile, list[ClaimResult]]
) -> None:
    _, results = article_results
    text = report.read_text(encoding="utf-8")
    for r in results:
        assert f'id="{r.claim_id}"' in text
        for a in r.assumptions:
            assert _escaped(a) in text, a
        for f in r.figures:
            assert _escaped(f.value_text()) in text
    data = _data(report)
    assert [c["verdict"] for c in data["claims"]] == [r.verdict.value for r in results]


def _escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_drawn_routes_are_the_measured_ones(
    report: Path, article_results: tuple[ClaimFile, list[ClaimResult]]
) -> None:
    _, results = article_results
    for claim, r in zip(_data(report)["claims"], results, strict=True):
        if not r.routes:
            assert not claim["routes"]
            continue
        coords = np.asarray(claim["routes"][0]["geometry"]["coordinates"])
        drawn_km = _GEOD.line_length(coords[:, 0], coords[:, 1]) / 1000
        # Simplified to ~30 m and rounded to ~10 m: within 1 % of the routed length.
        assert drawn_km == pytest.approx(r.routes[0].length_km, rel=0.01), r.claim_id


def test_check_html_path(tmp_path: Path) -> None:
    assert check_html_path(tmp_path / "r.html") == tmp_path / "r.html"
    with pytest.raises(InvalidArgumentError, match=r"use \.html"):
        check_html_path(tmp_path / "r.pdf")
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        check_html_path(tmp_path / "missing" / "r.html")


def test_cli_check_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert (
        main(["check", "examples/isis-anbar-2014.yaml", "--draws", "200", "--html", str(out)]) == 0
    )
    assert out.stat().st_size > 100_000
    assert main(["check", "examples/isis-anbar-2014.yaml", "--html", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert "use .html" in err and "Traceback" not in err


def test_report_in_headless_chromium(
    report: Path, article_results: tuple[ClaimFile, list[ClaimResult]], tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; "
            ".ci/run does it) to run the browser test"
        )
    from playwright.sync_api import sync_playwright

    _, results = article_results
    url = report.resolve().as_uri()
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(url)
            page.wait_for_selector("body[data-map-ready='1']", timeout=30_000)
            counts = {
                layer: page.locator(f"path.layer-{layer}").count()
                for layer in ("roads", "water", "rivers", "borders", "towns", "route", "place")
            }
            verdicts = page.locator("table.verdicts .verdict").all_inner_texts()
            # The first claim (Husaybah - Baghdad) is on the map: the drawn route's box holds
            # the screen points of its two ends.
            ends = page.evaluate(_ENDS_JS)
            page.locator("#map").scroll_into_view_if_needed()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot))
            # "Show on map" for the travel-time claim draws its route and outskirts ring.
            travel = next(i for i, r in enumerate(results) if r.claim_id.endswith("travel-time"))
            page.locator(f"button.show[data-claim='{travel}']").first.click()
            rings = page.locator("path.layer-ring").count()
        finally:
            browser.close()
    print(f"screenshot: {shot}")
    assert not problems, problems
    assert requests == [url], "the report fetched something"
    assert counts["roads"] >= 3 and counts["water"] >= 1 and counts["rivers"] >= 1
    assert counts["borders"] >= 1 and counts["towns"] >= 10
    assert counts["route"] == 1 and counts["place"] >= 2
    assert [v.lstrip("✓✗~ ") for v in verdicts] == [r.verdict.value for r in results]
    box, a, b = ends["box"], ends["a"], ends["b"]
    for x, y in (a, b):
        assert box["x"] - 8 <= x <= box["x"] + box["width"] + 8
        assert box["y"] - 8 <= y <= box["y"] + box["height"] + 8
    assert rings == 1
    # The screenshot shows a drawn map: many colours, not a blank or grey box.
    pixels = matplotlib.image.imread(shot)
    colours = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 200
    keep = Path(__file__).parent.parent / "out"
    if keep.is_dir():  # for a person to look at (out/ is git-ignored)
        shutil.copy(shot, keep / "report-screenshot.png")


_ENDS_JS = """() => {
  const r = document.querySelector("path.layer-route").getBoundingClientRect();
  const m = document.getElementById("map").getBoundingClientRect();
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const c = data.claims[0].routes[0].geometry.coordinates;
  const screen = ([lon, lat]) => {
    const p = window.routingReport.toScreen(lon, lat);
    return [p.x, p.y];
  };
  return {box: {x: r.x - m.x, y: r.y - m.y, width: r.width, height: r.height},
          a: screen(c[0]), b: screen(c[c.length - 1])};
}"""
