"""Path patterns over program data: `tiers[*].requirements.kpis[kpi=renewal-rate].value`.

A pattern is names joined by dots, each name optionally followed by brackets that pick
list items: `[*]` every item, `[2]` the third, `[key=value]` the items whose `key` is
`value` (compared as text, so `[count=2]` matches 2). The references layer declares its
references with patterns, and program rules in checks/rules/ select values with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .findings import DataPath
from .lazy import lazy

np = lazy("numpy")

_TOKEN = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)|(\.)")


class PatternError(ValueError):
    """A pattern that cannot be read; the message says where."""


@dataclass(frozen=True)
class Step:
    """One step of a pattern: a key of a mapping, or a pick of list items."""

    key: str | None = None  # a mapping key
    every: bool = False  # [*]
    index: int | None = None  # [N]
    where: tuple[str, str] | None = None  # [key=value]

    def text(self) -> str:
        if self.key is not None:
            return self.key
        if self.every:
            return "[*]"
        return f"[{self.index}]" if self.index is not None else f"[{self.where[0]}={self.where[1]}]"


@cache
def parse(pattern: str) -> tuple[Step, ...]:
    """The steps of `pattern`; PatternError when it cannot be read."""
    steps: list[Step] = []
    position, expect_name = 0, True
    while position < len(pattern):
        match = _TOKEN.match(pattern, position)
        if match is None:
            raise PatternError(f"unexpected '{pattern[position]}' at character {position + 1} of '{pattern}'")
        inside, name, dot = match.groups()
        if dot:
            if expect_name:
                raise PatternError(f"a name is missing before character {position + 1} of '{pattern}'")
            expect_name = True
        elif name is not None:
            if not expect_name:
                raise PatternError(f"a dot is missing before '{name}' in '{pattern}'")
            steps.append(Step(key=name.strip()))
            expect_name = False
        else:
            steps.append(_pick(inside.strip(), pattern))
            expect_name = False
        position = match.end()
    if not steps or expect_name:
        raise PatternError(f"'{pattern}' ends where a name is expected" if steps else "the pattern is empty")
    return tuple(steps)


def _pick(inside: str, pattern: str) -> Step:
    if inside == "*":
        return Step(every=True)
    if inside.isdigit():
        return Step(index=int(inside))
    key, equals, value = inside.partition("=")
    if not equals or not key.strip():
        raise PatternError(f"'[{inside}]' in '{pattern}' is not [*], [N] or [key=value]")
    return Step(where=(key.strip(), value.strip()))


def as_text(value: Any) -> str:
    """A value as `[key=value]` reads it: the id `gold`, the number 2 as `2`, 4.0 as `4`,
    true as `true`."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def same_text(value: Any, text: str) -> bool:
    """Whether a value reads as `text` (see `as_text`)."""
    return as_text(value) == (text.lower() if isinstance(value, bool | np.bool_) else text)


def walk(data: Any, pattern: str | tuple[Step, ...]) -> Iterator[tuple[DataPath, Any]]:
    """Every (path, value) in `data` matching `pattern`."""
    steps = parse(pattern) if isinstance(pattern, str) else pattern

    def go(value: Any, path: DataPath, at: int) -> Iterator[tuple[DataPath, Any]]:
        if at == len(steps):
            yield path, value
            return
        step = steps[at]
        if step.key is not None:
            if isinstance(value, dict) and step.key in value:
                yield from go(value[step.key], path + (step.key,), at + 1)
        elif isinstance(value, list):
            if step.index is not None:
                if step.index < len(value):
                    yield from go(value[step.index], path + (step.index,), at + 1)
                return
            for index, item in enumerate(value):
                if step.every or (isinstance(item, dict) and step.where[0] in item
                                  and same_text(item[step.where[0]], step.where[1])):
                    yield from go(item, path + (index,), at + 1)

    yield from go(data, (), 0)
