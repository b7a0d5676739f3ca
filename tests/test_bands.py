"""Band tables: which band holds a value, gaps and overlaps, and bands that give less."""

from __future__ import annotations

from partner_portal.model.bands import Bands


def problems(bands: Bands, start=None, end=None) -> list[tuple[int, str]]:
    return [(int(bands.positions[i]), message) for i, message, _ in bands.gaps_and_overlaps("rate", start, end)]


def test_table_bands_include_their_start_and_exclude_their_end_except_the_top():
    bands = Bands.of([0, 50, 250], [50, 250, 1000])
    assert [bands.find(v) for v in (0, 49.9, 50, 999, 1000, 1001)] == [[0], [0], [1], [2], [2], []]


def test_an_open_ended_band_takes_everything_above_it():
    bands = Bands.of([25, 100], [100, float("nan")])
    assert bands.find(10**9) == [1] and bands.find(24) == []


def test_counted_bands_include_both_ends():
    bands = Bands.of([0, 125, 250], [124, 249, 500], counted=True)
    assert [bands.find(v) for v in (124, 125, 249, 250)] == [[0], [1], [1], [2]]
    assert problems(bands) == []


def test_gaps_overlaps_and_backward_bands_are_found_where_they_are():
    assert problems(Bands.of([0, 60], [50, 100])) == [(1, "there is a gap between 50 and 60 in the rate bands")]
    assert problems(Bands.of([0, 40], [50, 100])) == [
        (1, "the rate band from 40 overlaps the band before it (up to 50)")]
    assert problems(Bands.of([0, 50], [50, float("nan")]), end=100) == [
        (1, "the rate bands end at open-ended, not at 100")]
    assert problems(Bands.of([10], [5])) == [(0, "the rate band from 10 ends at 5, before it starts")]
    assert problems(Bands.of([0, 50], [float("nan"), 100]))[0][1] == "the rate band from 50 follows an open-ended band"


def test_bands_are_sorted_by_start_and_keep_where_they_came_from():
    bands = Bands.of([50, 0], [100, 50], [3, 2], positions=[7, 3])
    assert bands.positions.tolist() == [3, 7] and bands.lows.tolist() == [0, 50]
    assert list(bands.decreases("rate")) == []
    lower = Bands.of([0, 50], [50, 100], [3, 2])
    assert [(i, message) for i, message, _ in lower.decreases("rate")] == [
        (1, "this rate band gives 2, less than the 3 of the band below it")]
