"""Network cache: round trip, corruption detection and rebuild, atomic writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures.readonly import read_only

from routing.cache import (
    JSON,
    CacheWarning,
    cache_key,
    cache_path,
    cached,
    cached_network,
    load_cached,
    save_cached,
)
from routing.exceptions import CacheError
from routing.network import RoadNetwork
from routing.sources import load_network


@pytest.fixture()
def tmp_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(tmp_path))
    return tmp_path


def _assert_same(a: RoadNetwork, b: RoadNetwork) -> None:
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    np.testing.assert_array_equal(a.coords, b.coords)
    np.testing.assert_array_equal(a.offsets, b.offsets)
    assert a.meta == b.meta
    assert a.build_report == b.build_report
    np.testing.assert_array_equal(a.border_countries, b.border_countries)
    assert len(a.places) == len(b.places)


def test_round_trip(western_iraq: RoadNetwork, tmp_path: Path) -> None:
    path = tmp_path / "net.npz"
    save_cached(western_iraq, path)
    _assert_same(western_iraq, load_cached(path))


def test_a_second_load_reads_the_file_without_building(
    tmp_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import routing.sources as sources
    from routing.sources.tiles import TileSource

    monkeypatch.setattr(sources, "_LOADED", type(sources._LOADED)())  # nothing in memory
    built = load_network("western-iraq", progress=False)
    assert len(list(tmp_cache.glob("network-western-iraq-*.npz"))) == 1
    monkeypatch.setattr(sources, "_LOADED", type(sources._LOADED)())  # as in a new process

    def no_build(*args: object, **kwargs: object) -> RoadNetwork:
        raise AssertionError("built again although the cache file is good")

    monkeypatch.setattr(TileSource, "build", no_build)
    _assert_same(built, load_network("western-iraq", progress=False))


def test_json_artefacts_share_the_rules(tmp_cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, list[int]]:
        calls.append(1)
        return {"a": [1, 2]}

    assert cached("t", "n", "0000000a", "k", build, JSON) == {"a": [1, 2]}
    (file,) = tmp_cache.glob("t-n-0000000a-k.json")
    assert cached("t", "n", "0000000a", "k", build, JSON) == {"a": [1, 2]} and len(calls) == 1
    file.write_bytes(file.read_bytes().replace(b"2]", b"3]"))  # checksum no longer matches
    with pytest.warns(CacheWarning, match="failed its checksum"):
        assert cached("t", "n", "0000000a", "k", build, JSON) == {"a": [1, 2]}
    assert len(calls) == 2
    # A new code version prunes the old file when it writes its own.
    assert cached("t", "n", "0000000b", "k", build, JSON) == {"a": [1, 2]}
    assert [f.name for f in tmp_cache.glob("t-n-*.json")] == ["t-n-0000000b-k.json"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip"])
def test_corrupt_cache_is_rebuilt_with_warning(
    western_iraq: RoadNetwork, tmp_cache: Path, damage: str
) -> None:
    calls = []

    def build() -> RoadNetwork:
        calls.append(1)
        return western_iraq

    cached_network("t", "k", build)
    path = cache_path("t", "k")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a cache at all")
    else:  # a flipped byte inside the stored arrays: only the checksum notices
        i = data.index(b"coords.npy") + 400
        path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :])
    with pytest.raises(CacheError):
        load_cached(path)
    with pytest.warns(CacheWarning, match="rebuilding"):
        net = cached_network("t", "k", build)
    assert len(calls) == 2
    _assert_same(net, load_cached(path))


def test_no_temp_files_left(western_iraq: RoadNetwork, tmp_cache: Path) -> None:
    cached_network("t", "k", lambda: western_iraq)
    assert not list(tmp_cache.glob("*.tmp"))


def test_cache_key_depends_on_options() -> None:
    assert cache_key(path="a", bbox=None) != cache_key(path="a", bbox=(1, 2, 3, 4))
    assert cache_key(path="a", zoom=7) == cache_key(path="a", zoom=7)


def test_caches_of_older_builder_code_are_pruned(
    western_iraq: RoadNetwork, tmp_cache: Path
) -> None:
    stale = tmp_cache / "network-t-00000000-k.npz"
    other_region = tmp_cache / "network-t-bbox-00000000-k.npz"
    stale.write_bytes(b"old")
    other_region.write_bytes(b"old")
    cached_network("t", "k", lambda: western_iraq)
    assert not stale.exists()
    assert other_region.exists()  # a different cache name is not ours to prune
    assert cache_path("t", "k").exists()


# --- unusable cache locations: read-only, a file, under a file -------------------------------
def test_read_only_cache_with_a_valid_file_is_read_without_lock(
    western_iraq: RoadNetwork, tmp_cache: Path, recwarn: pytest.WarningsRecorder
) -> None:
    cached_network("t", "k", lambda: western_iraq)
    for lock in tmp_cache.glob("*.lock"):
        lock.unlink()  # as a cache copied elsewhere would be: no lock file to open

    def build() -> RoadNetwork:
        raise AssertionError("a valid cache must not be rebuilt")

    with read_only(tmp_cache):
        net = cached_network("t", "k", build)
    _assert_same(net, western_iraq)
    assert not [w for w in recwarn if issubclass(w.category, CacheWarning)]


@pytest.mark.parametrize("where", ["read-only", "file", "under a file"])
def test_unusable_cache_location_builds_in_memory_with_one_warning(
    western_iraq: RoadNetwork,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    target = {"read-only": folder, "file": tmp_path / "f", "under a file": tmp_path / "f" / "c"}
    (tmp_path / "f").write_text("not a folder")
    monkeypatch.setenv("ROUTING_CACHE_DIR", str(target[where]))
    calls = []

    def build() -> RoadNetwork:
        calls.append(1)
        return western_iraq

    with read_only(folder), pytest.warns(CacheWarning) as warned:
        assert cached_network("t", "k", build) is western_iraq
        assert cached_network("t", "k", build) is western_iraq
    assert len(calls) == 2  # nothing cached, nothing crashed
    messages = [str(w.message) for w in warned if issubclass(w.category, CacheWarning)]
    assert len(messages) == 1  # one warning per process, however many builds
    assert "ROUTING_CACHE_DIR" in messages[0] and str(target[where]) in messages[0]
    assert "\n" not in messages[0]
