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

import numpy as np


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
                          ) -> Iterator[tuple[int, str, str]]:
        """(band index, message, hint) for every band that ends before it starts, leaves a
        gap after the band before it or overlaps it, follows an open-ended band, or leaves
        the declared range from `start` to `end` uncovered."""
        lows, highs, step = self.lows, self.highs, self.step
        with np.errstate(invalid="ignore"):
            backwards = ~np.isnan(highs) & (highs < lows + (0 if self.counted else 1e-12))
        for i in np.flatnonzero(backwards):
            yield int(i), f"the {what} band from {lows[i]:g} ends at {highs[i]:g}, before it starts", \
                "Swap or correct the band's limits."
        before, after = highs[:-1], lows[1:]
        with np.errstate(invalid="ignore"):
            broken = np.isnan(before) | (after != before + step)
        for j in np.flatnonzero(broken):
            i = int(j) + 1
            if np.isnan(before[j]):
                yield i, f"the {what} band from {lows[i]:g} follows an open-ended band", \
                    "Only the last band may leave its upper limit empty."
            elif after[j] > before[j] + step:
                yield i, f"there is a gap between {before[j]:g} and {lows[i]:g} in the {what} bands", \
                    f"Start this band at {before[j] + step:g}, or extend the band before it."
            else:
                yield i, f"the {what} band from {lows[i]:g} overlaps the band before it (up to {before[j]:g})", \
                    f"Start this band at {before[j] + step:g}."
        if len(lows) and start is not None and lows[0] != start:
            yield 0, f"the {what} bands start at {lows[0]:g}, not at {start:g}", \
                f"Make the first band start at {start:g}."
        if len(lows) and end is not None and highs[-1] != end:
            shown = "open-ended" if np.isnan(highs[-1]) else f"{highs[-1]:g}"
            yield len(lows) - 1, f"the {what} bands end at {shown}, not at {end:g}", \
                f"Make the last band end at {end:g}."

    def decreases(self, what: str) -> Iterator[tuple[int, str, str]]:
        """(band index, message, hint) for every band that gives less than the band below it."""
        values = self.values
        with np.errstate(invalid="ignore"):
            lower = values[1:] < values[:-1]
        for j in np.flatnonzero(lower):
            yield int(j) + 1, f"this {what} band gives {values[j + 1]:g}, less than the {values[j]:g} of the band " \
                "below it", f"Give it at least {values[j]:g}, or check which band the values belong to."
