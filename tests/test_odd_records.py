"""Damaged and odd run records (tests/oddrecords.py): each is refused in one line naming it, by the same
check in the run store (the window's runs table) and in ``replay``; every other stored run is still listed.
"""

from __future__ import annotations

import logging

import pytest

from convviz.recording import SUFFIX, RecordingError, RunStore, load_record, read_summary
from convviz.recording.check import MAX_START_TIME
from tests.oddrecords import ALL, DAMAGED, ODD
from tests.recordfakes import make_record

ODD_ID = "20200101-000000-abcdef"


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory):
    store = RunStore(tmp_path_factory.mktemp("good"))
    stored, _ = store.save(make_record()[0])
    return stored.path.read_bytes()


def _odd_file(folder, good_bytes, case):
    path = folder / (ODD_ID + SUFFIX)
    path.write_bytes(ALL[case](good_bytes))
    return path


@pytest.mark.parametrize("case", list(ALL))
def test_an_odd_record_is_refused_in_one_line_by_the_reader_and_replay(tmp_path, good_bytes, case, run_cli):
    path = _odd_file(tmp_path, good_bytes, case)
    for read in (read_summary, load_record):
        with pytest.raises(RecordingError) as info:
            read(path)
        message = str(info.value)
        assert "\n" not in message and str(path) in message, message
    done = run_cli("replay", path, check_rc=2)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and "bug" not in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("case", list(ALL))
def test_the_store_skips_an_odd_record_with_one_line_and_lists_every_other_run(tmp_path, good_bytes, case, caplog):
    store = RunStore(tmp_path)
    older, _ = store.save(make_record(seed=1, name="older", started_at=1_600_000_000)[0])
    newer, _ = store.save(make_record(seed=2, name="newer", started_at=1_700_000_000)[0])
    path = _odd_file(tmp_path, good_bytes, case)
    with caplog.at_level(logging.WARNING, logger="convviz.recording.store"):
        listing = store.scan()
    assert [r.id for r in listing.runs] == [newer.id, older.id]
    (odd,) = listing.unreadable
    assert odd.id == ODD_ID and odd.path == path and odd.size == path.stat().st_size and path.exists()
    assert "\n" not in odd.reason and str(path) in odd.reason
    lines = [r.getMessage() for r in caplog.records if str(path) in r.getMessage()]
    assert len(lines) == 1, lines
    assert [r.id for r in store.list()] == [newer.id, older.id] and store.unreadable == [path]
    store.delete(ODD_ID)  # what the window's "cannot read" row offers
    assert not path.exists() and store.scan().unreadable == ()


def test_the_cases_are_the_issues():
    assert sorted(DAMAGED) == sorted(
        ["bad CRC", "truncated deflate stream", "encrypted member", "unknown compression method", "junk bytes"]
    )
    assert len(ODD) == 7


def test_start_times_are_checked_in_range(tmp_path):
    from convviz.recording import save_record

    for started_at in (-1.0, MAX_START_TIME + 1, 1e300):
        with pytest.raises(RecordingError, match="start time"):
            save_record(make_record(started_at=started_at)[0], tmp_path / "r.npz")
    save_record(make_record(started_at=0.0)[0], tmp_path / "r.npz")  # a record made without a clock


def test_a_reader_bug_hides_no_other_run(tmp_path, monkeypatch, good_bytes):
    from convviz.recording import store as store_module

    store = RunStore(tmp_path)
    good, _ = store.save(make_record()[0])
    _odd_file(tmp_path, good_bytes, "junk bytes")
    real = store_module.read_summary

    def buggy(path):
        if ODD_ID in str(path):
            raise KeyError("a bug")
        return real(path)

    monkeypatch.setattr(store_module, "read_summary", buggy)
    listing = store.scan()
    assert [r.id for r in listing.runs] == [good.id]
    assert [u.id for u in listing.unreadable] == [ODD_ID] and "KeyError" in listing.unreadable[0].reason


def test_the_listing_is_bounded_and_reports_progress(tmp_path, monkeypatch):
    from convviz.recording import store as store_module

    store = RunStore(tmp_path)
    for i in range(3):
        (tmp_path / f"2020010{i + 1}-000000-abcdef{SUFFIX}").write_bytes(b"junk")
    monkeypatch.setattr(store_module, "MAX_LISTED", 2)
    seen = []
    listing = store.scan(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert [u.id for u in listing.unreadable] == ["20200103-000000-abcdef", "20200102-000000-abcdef"]
