"""Speed profiles: shipped data, user files, osmnx agreement, bad input."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import osmnx as ox
import pytest

from routing.engine.profiles import (
    add_edge_travel_times,
    available_profiles,
    get_profile,
    load_profiles,
)
from routing.exceptions import ProfileError


def test_shipped_profiles_are_complete_and_sourced() -> None:
    assert {"car", "fast", "convoy", "truck"} <= set(available_profiles())
    for name in available_profiles():
        p = get_profile(name)
        assert p.source and p.description
        for cls in ("motorway", "trunk", "primary"):
            r = p.speeds[cls]
            assert 0 < r.low <= r.mode <= r.high


def test_fast_is_faster_than_car_faster_than_convoy(western_iraq) -> None:
    t = {n: get_profile(n).travel_times(western_iraq).sum() for n in ("fast", "car", "convoy")}
    assert t["fast"] < t["car"] < t["convoy"]


def test_travel_times_follow_lengths_and_class_speeds(ladder) -> None:
    car = get_profile("car")
    secs = car.travel_times(ladder)
    hwy = ladder.edges["highway"].astype(str).to_numpy()
    expect = ladder.edges["length"].to_numpy() / (np.array([car.speed(h) for h in hwy]) / 3.6)
    np.testing.assert_allclose(secs, expect)


def test_graph_attributes_agree_with_osmnx_routing(western_iraq) -> None:
    g = add_edge_travel_times(western_iraq.to_graph(), "car")
    secs = get_profile("car").travel_times(western_iraq)
    data = next(iter(g.edges(data=True)))[2]
    assert data["travel_time"] == pytest.approx(secs[data["segment"]])
    # osmnx's own fastest route costs what the engine says for the same profile.
    from routing.engine import get_engine

    engine = get_engine(western_iraq)
    a, b = int(western_iraq.edges["u"].iloc[10]), int(western_iraq.edges["v"].iloc[400])
    key = western_iraq.nodes["osmid"].to_numpy()  # graph node keys, by row
    path = ox.routing.shortest_path(g, int(key[a]), int(key[b]), weight="travel_time")
    assert path is not None
    total = sum(
        min(d["travel_time"] for d in g[x][y].values()) for x, y in itertools.pairwise(path)
    )
    assert total == pytest.approx(engine.node_distance(a, b, engine.weights("car")), abs=0.5)


def test_sample_draws_within_range() -> None:
    car = get_profile("car")
    rng = np.random.default_rng(3)
    draws = [car.sample(rng).speed("primary") for _ in range(200)]
    r = car.speeds["primary"]
    assert r.low <= min(draws) < r.mode < max(draws) <= r.high


def test_user_profile_file(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(
        "profiles:\n  slow:\n    description: d\n    source: s\n"
        "    default: [5, 10, 15]\n    speeds: {primary: 20}\n"
    )
    p = get_profile(str(f))
    assert p.name == "slow" and p.speed("primary") == 20 and p.speed("track") == 10
    assert get_profile(f"{f}:slow") == p


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("profiles: [1, 2]", "profiles"),
        (
            "profiles:\n  x: {description: d, source: s, default: [5, 1, 9], speeds: {}}",
            "low <= mode <= high",
        ),
        ("profiles:\n  x: {description: d, source: s, default: 10, speeds: {}, spede: 3}", "spede"),
        (
            "profiles: {x: {description: d, source: s, default: 10, speeds: {primary: -3}}}",
            "speeds.primary",
        ),
        ("a: [", "not valid YAML"),
    ],
)
def test_malformed_profile_files(tmp_path: Path, body: str, needle: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(body)
    with pytest.raises(ProfileError, match=needle):
        load_profiles(f)


def test_unknown_profile_lists_known_ones() -> None:
    with pytest.raises(ProfileError, match="known profiles: car"):
        get_profile("bicycle")
    with pytest.raises(ProfileError, match="cannot read"):
        get_profile("/nonexistent/p.yaml")
