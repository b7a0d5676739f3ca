"""The README's examples of `portal check` are what `portal check` prints: each example block
(marked `<!-- example: NAME -->`) is produced here from the sample with the edit it shows,
and compared with the README text, so the README cannot drift from the program."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from partner_portal.cli.main import main

from .conftest import ROOT, edit
from .release_history import build_repository

README = ROOT / "README.md"

# Each example: the edits that produce it (file, text, replacement) and the command's arguments.
EXAMPLES = {
    "check-findings": ([("program_data/tiers.yaml", "      capability_points: 80\n", "      capabilty_points: 80\n"),
                        ("program_data/incentives/adopt_rates.csv", "gold,latam,3.5", 'gold,latam,3.5%')],
                       ["check"]),
    "check-fix": ([("program_data/incentives/use_rebates.csv", "silver,100,500,1500", "silver,100,400,1500")],
                  ["check"]),
    "check-rule": ([("program_data/incentives/adopt_rates.csv", "platinum,emea,4.0", "platinum,emea,2.5")],
                   ["check"]),
    "check-json": ([("program_data/tiers.yaml", "    rank: 2\n", '    rank: "2"\n')], ["check", "--format", "json"]),
}


def example(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {re.escape(name)} -->\n```\w*\n(.*?)```", text, re.S)
    assert found, f"the README has no example named {name}"
    return found[1]


# Examples that show their command (`$ .venv/bin/portal ...`) on the sample's release history.
COMMANDS = ("diff-releases",)


def test_every_marked_example_is_tested():
    marked = set(re.findall(r"<!-- example: ([\w-]+) -->", README.read_text(encoding="utf-8")))
    assert marked == set(EXAMPLES) | set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_the_readme_command_prints_what_the_readme_shows(name, tmp_path, capsys):
    """The command the example shows, run in the sample's history (a git repository with a
    tag per release, as tests/fixtures/releases/history.yaml describes it)."""
    repo = tmp_path / "history"
    build_repository(repo)
    command, _, shown = example(name).partition("\n")
    assert command.startswith("$ .venv/bin/portal ")
    capsys.readouterr()
    main([*shlex.split(command)[2:], "--project", str(repo)])
    assert capsys.readouterr().out == shown


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_readme_example_is_what_portal_check_prints(name, project, portal):
    edits, args = EXAMPLES[name]
    for path, old, new in edits:
        edit(project / path, old, new)
    run = portal(*args, "--project", str(project))
    shown = example(name)
    if args[-1] == "json":
        # The README shows the document as a person reads it: compare the data, not the layout.
        assert json.loads(shown) == json.loads(run.out)
    else:
        assert run.out == shown
