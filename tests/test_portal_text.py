"""The portal's text is set aside from what rules see: every field the schemas mark as text
(`contentMediaType: text/plain`) goes; everything else stays, unchanged and shared, and so
does where each value is; a rule sees the text fields it declares, and a program rule those
its paths name."""

from __future__ import annotations

from collections.abc import Iterator

from partner_portal.check.portal_text import PortalText, text_fields
from partner_portal.check.rules import Rule, run_rules
from partner_portal.core.findings import Finding

from .programs import checked


def _paths(data: object, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))


def _tiers():
    result = checked()
    return result.documents["tiers.yaml"], result.schema_store.schemas["tiers.schema.json"]


def test_every_text_field_goes_and_everything_else_stays_shared():
    document, schema = _tiers()
    aside = PortalText()(document, schema)
    gone = set(_paths(document.data)) - set(_paths(aside.data))
    assert {p[-1] for p in gone if isinstance(p[-1], str)} == {"summary", "easier_than_target", "note"}
    assert ("specializations", 0, "summary") in gone and ("specializations", 0, "id") not in gone
    assert aside.data["specializations"][0]["requirements"] is document.data["specializations"][0]["requirements"]
    assert aside.positions == document.positions  # places are not text: they stay
    assert document.data["specializations"][0]["summary"]  # the document itself is untouched


def test_a_list_of_texts_goes_whole_and_a_field_kept_stays():
    result = checked()
    document, schema = result.documents["assessment.yaml"], result.schema_store.schemas["assessment.schema.json"]
    assert all("elements" not in section for section in PortalText()(document, schema).data["sections"])
    kept = PortalText(frozenset({"elements"}))(document, schema)
    assert [s["elements"] for s in kept.data["sections"]] == [s["elements"] for s in document.data["sections"]]


def test_the_text_fields_of_a_schema_are_those_it_marks():
    _, schema = _tiers()
    assert {"summary", "easier_than_target", "note"} <= text_fields(schema)
    assert not {"id", "name", "value", "kpi", "rank"} & text_fields(schema)


def test_a_rule_sees_the_text_it_declares_and_no_other():
    seen: dict[str, object] = {}

    def looks(name: str):
        def check(ctx) -> Iterator[Finding]:
            seen[name] = ctx.data("tiers.yaml")["specializations"][0].get("summary")
            yield from ()
        return check

    result = checked()
    rules = [Rule("tier-order", ("tiers.yaml",), looks("blind")),
             Rule("tier-order", ("tiers.yaml",), looks("reading"), ("summary",))]
    assert run_rules(rules, result.views(), result.tables, set(result.documents)) == []
    assert seen["blind"] is None and seen["reading"] == result.documents["tiers.yaml"].data["specializations"][0][
        "summary"]


def test_a_program_rule_sees_the_text_its_paths_name():
    """A program rule that checks a text field finds it there: the rule names it."""
    rule = ("  - id: every-tier-is-summed-up\n    title: Every tier says what it is for.\n"
            "    select: tiers.yaml#tiers[*]\n    exists: summary\n    message: '{name} has no summary'\n"
            "    hint: Write one.\n")
    found = checked([{"file": "../checks/rules/policies.yaml", "find": "rules:\n", "replace": "rules:\n" + rule}])
    assert found.findings == []  # set aside, each tier would have no summary
