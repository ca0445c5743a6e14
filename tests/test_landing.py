"""The landing zone survives a crash at any step: nothing lost, nothing landed twice."""

import json
import os

import pytest

from pipelines.landing import Landing, LandingError


class Crash(Exception):
    pass


def land_one(landing, state, ids, watermark="2026-01-01T00:00:00.000000Z"):
    body = "".join(json.dumps({"id": i}) + "\n" for i in ids).encode()
    return landing.land(state, body, {"statements": len(ids)}, watermark, {i: watermark for i in ids})


def test_segments_and_state_advance_together(tmp_path):
    landing = Landing(tmp_path, "webinars")
    state = land_one(landing, landing.open(), ["a", "b"])
    state = land_one(landing, state, ["c"], watermark="2026-01-02T00:00:00.000000Z")
    assert sorted(p.name for p in (tmp_path / "webinars").iterdir()) == ["000001.ndjson", "000002.ndjson"]
    reopened = Landing(tmp_path, "webinars").open()
    assert reopened == state
    assert [e["statements"] for e in reopened.manifest] == [2, 1]
    assert len(reopened.manifest[0]["sha256"]) == 64
    assert reopened.watermark == "2026-01-02T00:00:00.000000Z"
    assert list((tmp_path / "_state").iterdir()) == [tmp_path / "_state" / "webinars.json"]


def test_a_crash_after_the_segment_landed_is_adopted_not_pulled_again(tmp_path, monkeypatch):
    landing = Landing(tmp_path, "webinars")
    state = land_one(landing, landing.open(), ["a"])

    def crash(_state):
        raise Crash

    monkeypatch.setattr(landing, "write_state", crash)
    with pytest.raises(Crash):
        land_one(landing, state, ["b", "c"], watermark="2026-01-02T00:00:00.000000Z")
    assert (tmp_path / "webinars" / "000002.ndjson").exists()

    recovered = Landing(tmp_path, "webinars").open()
    assert recovered.next_segment == 3
    assert recovered.watermark == "2026-01-02T00:00:00.000000Z"
    assert set(recovered.recent) == {"b", "c"}
    assert [e["file"] for e in recovered.manifest] == ["000001.ndjson", "000002.ndjson"]
    assert not list((tmp_path / "_state").glob("*.pending.json"))


def test_a_crash_before_the_segment_landed_leaves_no_trace(tmp_path, monkeypatch):
    landing = Landing(tmp_path, "webinars")
    state = land_one(landing, landing.open(), ["a"])
    real_replace = __import__("os").replace

    def crash_on_segment(src, dst):
        if str(dst).endswith(".ndjson"):
            raise Crash
        real_replace(src, dst)

    monkeypatch.setattr("pipelines.landing.os.replace", crash_on_segment)
    with pytest.raises(Crash):
        land_one(landing, state, ["b"])
    monkeypatch.undo()

    recovered = Landing(tmp_path, "webinars").open()
    assert recovered == state
    assert sorted(p.name for p in (tmp_path / "webinars").iterdir()) == ["000001.ndjson"]
    assert not list((tmp_path / "_state").glob("*.pending.json"))


def test_a_write_that_fails_half_way_leaves_the_landing_zone_as_it_was(tmp_path, monkeypatch):
    landing = Landing(tmp_path, "webinars")
    state = land_one(landing, landing.open(), ["a"])
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    real_fsync = os.fsync

    def disk_full_on_the_segment(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".partial"):
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr("pipelines.landing.os.fsync", disk_full_on_the_segment)
    with pytest.raises(OSError, match="No space left"):
        land_one(landing, state, ["b"])
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert Landing(tmp_path, "webinars").open() == state


@pytest.mark.parametrize("pending", [b"{oops", b'{"source": "webinars", "manifest": [{}]}'])
def test_a_corrupt_pending_file_is_one_line_naming_it(tmp_path, pending):
    landing = Landing(tmp_path, "webinars")
    land_one(landing, landing.open(), ["a"])
    (tmp_path / "_state" / "webinars.000002.pending.json").write_bytes(pending)
    with pytest.raises(LandingError, match=r"_state/webinars.000002.pending.json is corrupt \(.*\); restore it"):
        Landing(tmp_path, "webinars").open()


def test_landed_segments_and_states_are_not_world_readable(tmp_path):
    landing = Landing(tmp_path, "webinars")
    land_one(landing, landing.open(), ["a"])
    for path in tmp_path.rglob("*"):
        assert path.stat().st_mode & 0o007 == 0, path
