"""`portal macros`: every macro a page in content/ can call, from the registry."""

from __future__ import annotations

import argparse
import sys

from ..site.fragments import FRAGMENTS, TOPICS, reference
from ..site.fragments.items import FACTS
from .exits import EXIT_OK


def run_macros(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        sys.stdout.write(reference())
        return EXIT_OK
    for topic in TOPICS:
        print(f"{topic}:")
        for fragment in FRAGMENTS.values():
            if fragment.topic == topic:
                print(f"  {{{{ {fragment.example} }}}}\n      {fragment.summary}")
    print("facts, for {{ fact('name') }}:")
    for name, (what, _) in FACTS.items():
        print(f"  {name}: {what}")
    return EXIT_OK
