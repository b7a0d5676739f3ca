"""Heavy libraries, imported when first used.

numpy, pandas and pyarrow take a third of a second to import, more than a check whose
tables come from the cache takes in all. Modules that read tables name them through
`lazy("pandas")` and the like: the import happens at the first attribute looked up, so a
run that reads no table never imports them. A few standard modules that only some runs
use (pickle, subprocess, the XML writer) are named the same way: together they are a
tenth of such a check.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # from now on, found without this method
        return getattr(module, name)


def lazy(name: str) -> Any:
    """The module `name`, imported when one of its attributes is first looked up."""
    return _LazyModule(name)
