"""Band tables: ranges of a measure, each giving a value (a rate by contract value, points
by average score, staff by installed base, a maturity level by total points).

One `Bands` type answers every band question, with arrays so that a rate table of a
million rows needs no Python object per row: which band a value falls in, whether the
bands follow each other without gap or overlap, and whether better bands give at least as
much. Table bands run from their minimum up to, not including, the next band's minimum
(the top of the last band is included); counted bands (capacity, maturity) include both
ends, so the next one starts one above.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.lazy import lazy

np = lazy("numpy")


@dataclass(frozen=True)
class Bands:
    """Bands sorted by their start. `positions` says where each band came from (a row of
    a table, an item of a list), so findings can point there."""

    lows: np.ndarray
    highs: np.ndarray  # NaN: open-ended
    values: np.ndarray  # what each band gives; NaN where it gives nothing
    positions: np.ndarray
    counted: bool = False  # both ends included (10 to 19, then 20 to 29)

    @classmethod
    def of(cls, lows: object, highs: object, values: object = None, positions: object = None, *,
           counted: bool = False) -> Bands:
        lows = np.asarray(lows, dtype=float)
        highs = np.asarray(highs, dtype=float)
        values = np.full(len(lows), np.nan) if values is None else np.asarray(values, dtype=float)
        positions = np.arange(len(lows)) if positions is None else np.asarray(positions)
        order = np.argsort(lows, kind="stable")
        return cls(lows[order], highs[order], values[order], positions[order], counted)

    def __len__(self) -> int:
        return len(self.lows)

    @property
    def step(self) -> float:
        return 1.0 if self.counted else 0.0

    def find(self, value: float) -> list[int]:
        """The bands (indices into the sorted bands) that hold `value`: one, or none, or
        several where bands overlap."""
        lows, highs = self.lows, self.highs
        open_ended = np.isnan(highs)
        if self.counted:
            inside = (lows <= value) & (open_ended | (value <= highs))
        else:
            top = None if open_ended.any() or not len(highs) else highs.max()
            with np.errstate(invalid="ignore"):
                inside = (lows <= value) & (open_ended | (value < highs) | ((highs == top) & (value == highs)))
        return [int(i) for i in np.flatnonzero(inside)]

    def gaps_and_overlaps(self, what: str, start: float | None = None, end: float | None = None
                          ) -> Iterator[BandProblem]:
        """A problem for every band that ends before it starts, leaves a gap after the band
        before it or overlaps it, follows an open-ended band, or leaves the declared range
        from `start` to `end` uncovered. A band that ends before it starts is one mistake: the
        gap or overlap it makes with its neighbours is not reported again."""
        lows, highs, step = self.lows, self.highs, self.step
        with np.errstate(invalid="ignore"):
            backwards = ~np.isnan(highs) & (highs < lows + (0 if self.counted else 1e-12))
        for i in np.flatnonzero(backwards):
            i = int(i)
            if i + 1 < len(lows) and not backwards[i + 1]:
                fix = float(lows[i + 1] - step)
                hint = f"Write {fix:g}, where the next band starts{' (less one)' if step else ''}."
            elif i + 1 == len(lows) and end is not None:
                fix, hint = float(end), f"Write {end:g}, where the bands end."
            elif i + 1 == len(lows):
                fix, hint = None, f"Write an end above {lows[i]:g}, or leave it empty: the last band may be open-ended."
            else:
                fix, hint = None, f"Write an end above {lows[i]:g}."
            yield BandProblem(i, f"the {what} band from {lows[i]:g} ends at {highs[i]:g}, before it starts", hint,
                              upper=True, fix=fix if fix is not None and fix > lows[i] else None)
        before, after = highs[:-1], lows[1:]
        with np.errstate(invalid="ignore"):
            broken = np.isnan(before) | (after != before + step)
        for j in np.flatnonzero(broken):
            i = int(j) + 1
            if backwards[j] or backwards[i]:
                continue  # reported above, with the fix
            fix = float(before[j] + step) if not np.isnan(before[j]) else None
            fits = fix is not None and (np.isnan(highs[i]) or fix < highs[i] + step)
            if np.isnan(before[j]):
                yield BandProblem(i, f"the {what} band from {lows[i]:g} follows an open-ended band",
                                  f"Give the band before it an end: write {lows[i] - step:g} as its upper limit.")
            elif after[j] > before[j] + step:
                yield BandProblem(i, f"there is a gap between {before[j]:g} and {lows[i]:g} in the {what} bands",
                                  f"Write {fix:g} here, where the band before it ends, or extend that band to "
                                  f"{lows[i] - step:g}.", fix=fix if fits else None)
            else:
                yield BandProblem(i, f"the {what} band from {lows[i]:g} overlaps the band before it (up to "
                                  f"{before[j]:g})", f"Write {fix:g} here, where the band before it ends.",
                                  fix=fix if fits else None)
        if len(lows) and start is not None and lows[0] != start:
            yield BandProblem(0, f"the {what} bands start at {lows[0]:g}, not at {start:g}", f"Write {start:g}.",
                              fix=float(start) if np.isnan(highs[0]) or start < highs[0] else None)
        if len(lows) and end is not None and highs[-1] != end:
            shown = "open-ended" if np.isnan(highs[-1]) else f"{highs[-1]:g}"
            yield BandProblem(len(lows) - 1, f"the {what} bands end at {shown}, not at {end:g}", f"Write {end:g}.",
                              upper=True, fix=float(end) if end > lows[-1] else None)

    def decreases(self, what: str) -> Iterator[BandProblem]:
        """A problem for every band that gives less than the band below it."""
        values = self.values
        with np.errstate(invalid="ignore"):
            lower = values[1:] < values[:-1]
        for j in np.flatnonzero(lower):
            i = int(j) + 1
            fits = i + 1 == len(values) or not values[i + 1] < values[j]
            yield BandProblem(i, f"this {what} band gives {values[i]:g}, less than the {values[j]:g} of the band "
                              "below it", f"Write {values[j]:g} or more, or check which band the values belong to.",
                              value=True, fix=float(values[j]) if fits else None)


@dataclass(frozen=True)
class BandProblem:
    """A band that breaks the rules of bands: which band (an index into the sorted bands),
    what is wrong, what to write, and which of its numbers to write it in."""

    index: int
    message: str
    hint: str
    upper: bool = False  # the fix goes in the band's upper limit, not its lower one
    value: bool = False  # the fix goes in what the band gives
    fix: float | None = None
