"""The domain core's requirements: met or not in both KPI directions, stricter or easier,
covering the tier below, grace periods, and the tier check built on them."""

from __future__ import annotations

import numpy as np
import pytest

from partner_portal.model.eligibility import shortfall
from partner_portal.model.requirements import (
    EASIER,
    KPI,
    MODEL,
    SPECIALIZATION,
    STAFFING,
    STRICTER,
    Direction,
    GracePeriod,
    Requirement,
    Specializations,
    by_key,
    incentive_requirements,
    kpis_by_id,
    tier_requirements,
)
from partner_portal.model.self_service import tier_check

from .programs import sample_program

PROGRAM = sample_program()
KPIS = kpis_by_id(PROGRAM.kpis)


def tier(tier_id: str) -> dict:
    return dict(PROGRAM.get("tier", tier_id))


def requirements(tier_id: str) -> dict[str, Requirement]:
    return by_key(tier_requirements(tier(tier_id), KPIS, Specializations(PROGRAM.specializations)))


@pytest.mark.parametrize("direction, value, threshold, met", [
    (Direction.AT_LEAST, 60, 60, True), (Direction.AT_LEAST, 59.9, 60, False),
    (Direction.AT_MOST, 30, 30, True), (Direction.AT_MOST, 31, 30, False)])
def test_a_threshold_is_met_in_its_direction(direction, value, threshold, met):
    assert direction.meets(value, threshold) is met


def test_directions_say_which_change_is_stricter():
    assert Direction.AT_LEAST.change(80, 85) == STRICTER and Direction.AT_LEAST.change(85, 80) == EASIER
    assert Direction.AT_MOST.change(30, 25) == STRICTER and Direction.AT_MOST.change(25, 30) == EASIER
    assert Direction.AT_MOST.change(30, 30) is None


def test_numbers_are_judged_whole_columns_at_once():
    need = requirements("gold")["staffing/customer-success-manager"]
    assert need.met_by(np.array([0, 1, 2, 3])).tolist() == [False, False, True, True]


def test_every_kind_of_tier_requirement_is_read_from_the_data():
    gold = requirements("gold")
    assert gold["capability_points"].needed == 80
    assert gold["staffing/renewals-manager"].needed == 1
    assert gold["specializations/customer-success"].kind == SPECIALIZATION
    assert gold["kpis/renewal-rate"].kind == KPI and gold["kpis/renewal-rate"].unit == "percent"
    assert requirements("platinum")["kpis/time-to-onboard"].direction is Direction.AT_MOST
    assert gold["engagement_models"].kind == MODEL
    assert gold["staffing/customer-success-manager"].at == ("requirements", "staffing", 0, "count")


def test_a_specialization_is_met_by_one_that_builds_on_it():
    tree = Specializations(PROGRAM.specializations)
    assert tree.satisfying("customer-success") == ("customer-success", "customer-experience")
    assert tree.satisfying("customer-experience") == ("customer-experience",)
    chain = Specializations([{"id": "a"}, {"id": "b", "builds_on": "a"}, {"id": "c", "builds_on": "b"}])
    assert chain.satisfying("a") == ("a", "b", "c") and chain.satisfying("unknown") == ("unknown",)
    need = requirements("gold")["specializations/customer-success"]
    assert need.met_by({"customer-experience"}) and not need.met_by(set())


def test_a_higher_tier_covers_the_tier_below_in_both_directions():
    silver, gold, platinum = requirements("silver"), requirements("gold"), requirements("platinum")
    assert gold["kpis/renewal-rate"].covers(silver["kpis/renewal-rate"])
    assert not silver["kpis/renewal-rate"].covers(gold["kpis/renewal-rate"])
    faster = Requirement("kpis/time-to-onboard", KPI, "time-to-onboard", 20, (), Direction.AT_MOST, "days")
    assert faster.covers(platinum["kpis/time-to-onboard"])
    assert not platinum["kpis/time-to-onboard"].covers(faster)
    assert platinum["specializations/customer-experience"].covers(gold["specializations/customer-success"])


def test_a_grace_period_holds_only_those_at_the_tier_and_only_until_it_ends():
    need = requirements("gold")["staffing/customer-success-manager"]
    assert need.grace == GracePeriod(1, "2027-07-31", need.grace.note)
    assert need.met_by(1, holder=True, on="2027-07-31")
    assert not need.met_by(1, holder=True, on="2027-08-01")
    assert not need.met_by(1, holder=False, on="2027-01-01")
    assert need.graced(1, holder=True, on="2027-05-01") and not need.graced(2, holder=True, on="2027-05-01")


def test_a_grace_period_never_asks_more_than_the_requirement():
    need = Requirement("staffing/x", STAFFING, "x", 2, (), grace=GracePeriod(3, "2099-01-01"))
    assert need.threshold(holder=True, on="2027-01-01") == 2


def test_a_grace_period_for_a_specialization_means_not_required_yet():
    need = Requirement("specializations/x", SPECIALIZATION, "x", ("x",), (), grace=GracePeriod(None, "2099-01-01"))
    assert need.met_by(set(), holder=True, on="2027-01-01") and not need.met_by(set())


def test_incentive_eligibility_is_requirements_too():
    adopt = by_key(incentive_requirements(PROGRAM.get("incentive", "adopt"), KPIS,
                                          Specializations(PROGRAM.specializations)))
    assert adopt["tiers"].needed == ("gold", "platinum")
    assert adopt["tiers"].met_by("gold") and not adopt["tiers"].met_by("silver")
    assert adopt["kpis/active-usage-rate"].needed == 60


def test_shortfalls_in_partners_words():
    gold = requirements("gold")
    assert shortfall(PROGRAM, gold["kpis/active-usage-rate"], 55) == "Active usage rate: at least 60% (you have 55%)"
    assert shortfall(PROGRAM, gold["kpis/active-usage-rate"], None) == "Active usage rate: at least 60% (not entered)"
    assert shortfall(PROGRAM, gold["staffing/renewals-manager"], 0) == (
        "Renewals manager: at least 1 person (you have 0 people)")
    assert shortfall(PROGRAM, requirements("platinum")["engagement_models"], "sales-agent") == (
        "Engagement model: Partner as customer success manager (you chose Partner as sales agent)")
    assert shortfall(PROGRAM, requirements("platinum")["kpis/time-to-onboard"], 25) is None


def gold_partner(**changes: object) -> dict:
    form = {"capability_points": 80, "specializations": ["customer-success"], "engagement_model": "cs-manager",
            "staffing": {"customer-success-manager": 2, "renewals-manager": 1, "executive-sponsor": 1},
            "kpis": {"renewal-rate": 85, "net-new-customers": 4, "active-usage-rate": 60, "csat-at-renewal": 4.2}}
    return form | changes


def test_a_gold_partner_with_one_csm_keeps_gold_while_the_grace_period_runs():
    one = gold_partner(staffing={"customer-success-manager": 1, "renewals-manager": 1, "executive-sponsor": 1},
                       current_tier="gold")
    result = tier_check(PROGRAM, one, on="2027-03-01")
    assert result["qualifies"] == "gold"
    assert result["grace"] == ["Customer success manager (CSM): until 31 July 2027, Gold partners need only 1 person "
                               "(the previous requirement)."]
    assert tier_check(PROGRAM, one, on="2027-08-01")["qualifies"] == "silver"
    assert tier_check(PROGRAM, one | {"current_tier": "silver"}, on="2027-03-01")["qualifies"] == "silver"


def test_the_tier_check_names_what_is_missing_for_the_next_tier():
    result = tier_check(PROGRAM, gold_partner(current_tier="gold"), on="2027-03-01")
    assert (result["qualifies"], result["next"]) == ("gold", "platinum")
    assert "Capability score: at least 90 points (you have 80 points)" in result["missing"]
    assert "Customer Experience specialization" in result["missing"]
    assert "Time to onboard: at most 30 days (not entered)" in result["missing"]
