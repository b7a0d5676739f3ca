"""Band tables: which band holds a value, gaps and overlaps, and bands that give less."""

from __future__ import annotations

from partner_portal.model.bands import Bands


def problems(bands: Bands, start=None, end=None) -> list[tuple[int, str]]:
    return [(int(bands.positions[p.index]), p.message) for p in bands.gaps_and_overlaps("rate", start, end)]


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
    assert [(p.index, p.message) for p in lower.decreases("rate")] == [
        (1, "this rate band gives 2, less than the 3 of the band below it")]


def test_a_band_typed_backwards_is_one_finding_whose_fix_is_where_the_next_band_starts():
    """use_rebates: 25-100, 100-500, 500-2000, with 500 mistyped as 50."""
    bands = Bands.of([25, 100, 500], [100, 50, 2000])
    [problem] = list(bands.gaps_and_overlaps("rate"))
    assert (problem.index, problem.upper, problem.fix) == (1, True, 500)
    assert problem.message == "the rate band from 100 ends at 50, before it starts"
    assert problem.hint == "Write 500, where the next band starts."
    counted = Bands.of([1, 11, 51], [10, 5, float("nan")], counted=True)
    [problem] = list(counted.gaps_and_overlaps("capacity"))
    assert (problem.fix, problem.hint) == (50, "Write 50, where the next band starts (less one).")


def test_gap_and_overlap_fixes_start_the_band_where_the_one_before_ends():
    [gap] = list(Bands.of([0, 60], [50, 100]).gaps_and_overlaps("rate"))
    assert (gap.index, gap.upper, gap.fix) == (1, False, 50)
    [overlap] = list(Bands.of([1, 8], [10, 20], counted=True).gaps_and_overlaps("capacity"))
    assert (overlap.fix, overlap.hint) == (11, "Write 11 here, where the band before it ends.")
    [last] = list(Bands.of([0, 50], [50, 30]).gaps_and_overlaps("rate"))  # backwards: no overlap reported
    assert last.upper and last.fix is None
    assert last.hint == "Write an end above 50, or leave it empty: the last band may be open-ended."
