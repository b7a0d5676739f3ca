"""What a long-lived process (the live preview, the tests) has already worked out, kept while
its inputs are unchanged.

Parsing a file and checking it against its schema depend on nothing but the file's text,
its name and the schema, so a check run after an edit to one file redoes that work for the
edited file only; the preview keeps each page's HTML the same way. A process asks for it
(`keep_answers`): in a process that checks once, keeping answers would only cost time.
Each answer is kept pickled and unpickled on every use: no caller can change what the next
one is given (later layers mark places in a document as flagged).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .lazy import lazy

pickle = lazy("pickle")  # only where answers are kept (keep_answers)

T = TypeVar("T")


class _Switch:
    on = False  # off in a one-run process (`portal check`), where keeping answers only costs


SWITCH = _Switch()


def keep_answers(on: bool = True) -> None:
    """Keep answers from now on (a long-lived process: the live preview, the tests), or not."""
    SWITCH.on = on
    if not on:
        PARSED.clear()


class Memo:
    """Answers by key, the `size` most recently used kept, while answers are kept at all."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The answer kept for `key`, or `make()`'s, kept."""
        found = self.kept(key)
        if found is not None:
            return found
        value = make()
        self.keep(key, value)
        return value

    def kept(self, key: Hashable) -> Any:
        """A fresh copy of the answer kept for `key`, or None."""
        if not SWITCH.on:
            return None
        kept = self._entries.get(key)
        if kept is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return pickle.loads(kept)  # noqa: S301 - bytes this process pickled itself, never read from disk

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep `value` for `key` (while answers are kept; a value that cannot be pickled is not)."""
        if not SWITCH.on:
            return
        try:
            self._entries[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # not kept: made again next time
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


# Parsed files, by (kind, name as findings show it, text): parsing depends on nothing else.
PARSED = Memo()


def parsed(kind: str, display: str, text: str, parse: Callable[[str, str], Any]) -> Any:
    """`parse(text, display)`, or what it returned for the same file and text before."""
    return PARSED.get((kind, display, text), lambda: parse(text, display))
