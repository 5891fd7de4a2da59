"""Fuzzing the CLI with hypothesis: place names, coordinates, profile files, claim files.

Whatever comes in, ``main([...])`` ends in an answer that passes an independent check, or in
one ``error:`` line with the exit code the README documents for that kind of input; never a
traceback, never a hang (each call runs under an alarm).
"""

from __future__ import annotations

import json
import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from routing.claims.results import Verdict
from routing.cli import main
from routing.engine.profiles import ROAD_CLASSES
from routing.network import RoadNetwork

# Each call is fast (tens of ms); a call that takes this long has hung.
_HANG_S = 60
_FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_GEOD = Geod(ellps="WGS84")


@contextmanager
def _no_hang() -> Iterator[None]:
    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"a CLI call ran longer than {_HANG_S} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(_HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str], allowed: set[int]) -> str:
    """Run the CLI; check the exit code and the one-line error; return stdout on success."""
    with _no_hang():
        code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code in allowed | {0}, (code, err)
    event(f"exit code {code}")
    if code:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert len(lines[0]) < 1200
    else:
        assert out.strip()
    return out if code == 0 else ""


# --- place names -------------------------------------------------------------------------
_NAMES = ["Baghdad", "Husaybah", "Al-Qa'im", "Ramadi", "القائم", "Hīt", "Rawah", "Sinjar"]
names = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.builds(
        lambda name, cut, extra: name[:cut] + extra,
        st.sampled_from(_NAMES),
        st.integers(0, 12),
        st.text(max_size=6),
    ),
    st.builds(lambda name: f"{name}, Iraq", st.sampled_from(_NAMES)),
)


@_FUZZ
@given(name=names)
def test_place_names(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _cli(["places", "--json", "--", name], capsys, allowed={2})
    for place in json.loads(out)["results"] if out else []:
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180


# --- coordinates ---------------------------------------------------------------------------
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(-100, 100),
    st.integers(-1000, 1000),
)
coordinates = st.builds(
    lambda lat, lon, sep: f"{lat}{sep}{lon}", numbers, numbers, st.sampled_from([",", ", ", " ,"])
)
near_iraq = st.builds(
    lambda lat, lon: f"{lat:.4f},{lon:.4f}", st.floats(30.5, 36.5), st.floats(38.0, 46.0)
)


@_FUZZ
@given(origin=st.one_of(coordinates, near_iraq))
def test_coordinates(
    origin: str, western_iraq: RoadNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2: not coordinates or out of range (read as a name, or refused); 4: off the network.
    out = _cli(["route", "--json", "--", origin, "Baghdad"], capsys, allowed={2, 4})
    if out:
        for props in json.loads(out)["results"]:
            # Oracle: the geodesic between the snap points (pyproj), never longer than the road.
            a, b = props["snaps"][0], props["snaps"][-1]
            geodesic_km = _GEOD.inv(a["lon"], a["lat"], b["lon"], b["lat"])[2] / 1000
            assert props["length_km"] >= 0.99 * geodesic_km - 0.1


# --- profile files -------------------------------------------------------------------------
speeds = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-300, 1e300, 0, -5, 1, 300, 301]),
    st.floats(1, 300),
    st.text(max_size=5),
    st.none(),
)
good_triples = st.lists(st.floats(1, 300), min_size=3, max_size=3).map(sorted)
triples = st.one_of(good_triples, speeds, st.lists(speeds, max_size=4))
classes = st.one_of(st.sampled_from(sorted(ROAD_CLASSES)), st.text(min_size=1, max_size=12))
_PROFILE: dict[str, Any] = {
    "description": "fuzzed",
    "source": "hypothesis",
    "default": [15, 25, 35],
    "speeds": {"primary": [45, 65, 85], "trunk": [60, 85, 105]},
}
profile_edits = st.lists(
    st.one_of(
        st.tuples(st.just("speeds"), st.dictionaries(classes, triples, max_size=4)),
        st.tuples(
            st.just("speeds"),
            st.dictionaries(st.sampled_from(sorted(ROAD_CLASSES)), good_triples, max_size=4),
        ),
        st.tuples(st.just("default"), triples),
        st.tuples(st.sampled_from(["max_kph", "access_kph"]), st.one_of(st.floats(1, 300), speeds)),
        st.tuples(
            st.just("maxspeed"), st.fixed_dictionaries({"use": st.booleans(), "factor": speeds})
        ),
        st.tuples(
            st.just("delays"),
            st.fixed_dictionaries({"per_town_min": speeds, "town_radius_m": speeds}),
        ),
        st.tuples(st.text(max_size=8), st.integers()),
    ),
    max_size=2,
)
profile_texts = st.one_of(
    st.builds(
        lambda edits: yaml.safe_dump(
            {"profiles": {"fuzz": {**_PROFILE, **dict(edits)}}}, allow_unicode=True
        ),
        profile_edits,
    ),
    st.text(max_size=200),
    st.builds(  # a key given twice
        lambda key: yaml.safe_dump({"profiles": {"fuzz": _PROFILE}}) + f"  {key}: {{}}\n",
        st.sampled_from(["fuzz", "other"]),
    ),
)


@_FUZZ
@given(text=profile_texts)
def test_profile_files(
    text: str, tmp_path: Path, western_iraq: RoadNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "profile.yaml"
    file.write_text(text, encoding="utf-8")
    out = _cli(["route", "Husaybah", "Baghdad", "--json", "--profile", str(file)], capsys, {2})
    if out:
        doc = yaml.safe_load(text)["profiles"]["fuzz"]
        top = max(_all_speeds(doc))
        if isinstance(doc.get("max_kph"), int | float):
            top = min(top, doc["max_kph"])
        for props in json.loads(out)["results"]:
            # Oracle: no stretch is driven faster than the profile's fastest speed.
            assert props["time_h"] >= props["length_km"] / top * 0.999


def _all_speeds(doc: dict[str, Any]) -> list[float]:
    values = [doc["default"], *(doc.get("speeds") or {}).values()]
    flat = [v for x in values for v in (x if isinstance(x, list) else [x])]
    return [float(v) for v in flat if isinstance(v, int | float) and math.isfinite(v)]


# --- claim files ---------------------------------------------------------------------------
_CLAIM: dict[str, Any] = {
    "id": "husaybah-baghdad",
    "kind": "distance",
    "quote": "Husaybah is just 100 kilometers outside Baghdad.",
    "from": "Husaybah",
    "to": "Baghdad",
    "value": 100,
    "unit": "km",
}
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.text(max_size=8), max_size=3),
)
_GOOD = {
    "kind": st.sampled_from(["distance", "travel_time"]),
    "value": st.floats(0.1, 5000),
    "unit": st.sampled_from(["km", "mi", "m", "h", "min"]),
    "from": st.sampled_from(_NAMES),
    "to": st.sampled_from(_NAMES),
    "qualifier": st.sampled_from(["just", "about", "less than", "more than", "exactly"]),
    "measure": st.sampled_from(["road", "straight", "unspecified"]),
}
claim_edits = st.lists(
    st.one_of(
        *(st.tuples(st.just(k), good) for k, good in _GOOD.items()),
        st.tuples(st.sampled_from([*_CLAIM, *_GOOD, "route", "places", "extra"]), values),
    ),
    max_size=2,
)
claim_files = st.one_of(
    st.builds(
        lambda edits: yaml.safe_dump(
            {"version": 1, "claims": [{**_CLAIM, **dict(edits)}]}, allow_unicode=True
        ),
        claim_edits,
    ),
    st.builds(
        lambda drop: yaml.safe_dump(
            {"version": 1, "claims": [{k: v for k, v in _CLAIM.items() if k != drop}]}
        ),
        st.sampled_from(list(_CLAIM)),
    ),
    st.text(max_size=300),
    st.just(yaml.safe_dump({"version": 1, "claims": [_CLAIM]}) + "    value: 200\n"),
)


@_FUZZ
@given(text=claim_files)
def test_claim_files(
    text: str, tmp_path: Path, western_iraq: RoadNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "claims.yaml"
    file.write_text(text, encoding="utf-8")
    out = _cli(["check", str(file), "--json", "--draws", "100"], capsys, allowed={2, 4})
    if out:
        results = json.loads(out)["results"]
        assert len(results) == len(yaml.safe_load(text)["claims"])
        assert {r["verdict"] for r in results} <= {v.value for v in Verdict}


# --- option values: band limits and closures ------------------------------------------------
limit_texts = st.one_of(
    st.text(max_size=40),
    st.lists(numbers.map(str), min_size=1, max_size=15).map(",".join),
)
avoid_specs = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda kind, a, b, c, d: f"{kind}:{a},{b},{c},{d}",
        st.sampled_from(["bbox", "near", "bridge", "checkpoint", "ref", "name"]),
        numbers,
        numbers,
        numbers,
        numbers,
    ),
    st.builds(
        lambda lat, lon, r, unit: f"near:{lat},{lon}:{r}{unit}",
        st.floats(30, 37),
        st.floats(38, 46),
        numbers,
        st.sampled_from(["km", "m", ""]),
    ),
    st.builds(lambda minutes: f"checkpoint:34.4,41.9:{minutes}", numbers),
)


@settings(_FUZZ, max_examples=25)
@given(hours=limit_texts, avoid=avoid_specs)
def test_option_values(
    hours: str, avoid: str, western_iraq: RoadNetwork, capsys: pytest.CaptureFixture[str]
) -> None:
    # A limit shorter than the off-road leg to the road reaches nothing: exit 4, said in words.
    _cli(["reach", "Husaybah", "--hours", hours], capsys, allowed={2, 4})
    _cli(["route", "Husaybah", "Baghdad", "--json", "--avoid", avoid], capsys, allowed={2, 4})
