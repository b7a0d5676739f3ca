"""Rate tables: which row applies at band edges and by key, what it pays, and who is eligible."""

from __future__ import annotations

import pytest

from partner_portal.core.units import format_money, format_value, percent_of
from partner_portal.model.rates import CalculationError, band_words, estimate, rate_range_words

from .programs import sample_program

PROGRAM = sample_program()


@pytest.mark.parametrize(
    "value, rate",
    [(0, 2.0), (49_999.99, 2.0), (50_000, 2.5), (249_999, 2.5), (250_000, 3.0), (10_000_000, 3.0)],
)
def test_bands_include_their_minimum_and_exclude_their_maximum(value, rate):
    result = estimate(PROGRAM, "adoption-rebate", {"tier": "gold", "band_value": value, "basis_amount": 1000})
    assert result.rate == rate
    assert result.payout == pytest.approx(1000 * rate / 100)


def test_the_top_of_the_last_closed_band_is_included():
    result = estimate(PROGRAM, "renewal", {"tier": "gold", "band_value": 100, "basis_amount": 1000})
    assert (result.band, result.rate) == ((95.0, 100.0), 4.0)
    points = estimate(PROGRAM, "csat-points", {"tier": "silver", "band_value": 5.0})
    assert (points.payout, points.unit) == (50.0, "points")


def test_below_the_first_band_no_row_applies():
    with pytest.raises(CalculationError, match="no row"):
        estimate(PROGRAM, "renewal", {"tier": "gold", "band_value": 79.9, "basis_amount": 1000})


def test_rates_by_region_select_the_tier_and_region_row():
    result = estimate(PROGRAM, "adopt", {"tier": "platinum", "region": "latam", "basis_amount": 200_000})
    assert (result.rate, result.payout, result.matched) == (4.5, 9000.0, {"tier": "platinum", "region": "latam"})


def test_fixed_amounts_pay_the_table_amount():
    result = estimate(PROGRAM, "use-activation", {"tier": "gold", "band_value": 2500})
    assert (result.payout, result.unit, result.band) == (11000.0, "USD", (2000.0, None))


def test_ineligible_tier_says_why():
    result = estimate(PROGRAM, "adoption-rebate", {"tier": "silver", "band_value": 1, "basis_amount": 1})
    assert not result.eligible
    assert result.reasons == ("Tier: Gold or Platinum (you are Silver)",)


def test_kpi_below_the_threshold_says_what_is_needed():
    result = estimate(PROGRAM, "adopt", {"tier": "gold", "region": "na", "basis_amount": 1,
                                         "kpis": {"active-usage-rate": 55}})
    assert result.reasons == ("Active usage rate: at least 60% (you have 55%)",)


def test_a_specialization_counts_the_one_it_builds_on():
    inputs = {"tier": "gold", "region": "na", "basis_amount": 1, "specializations": ["customer-experience", "security"]}
    assert estimate(PROGRAM, "adopt", inputs).eligible
    inputs["specializations"] = []
    assert estimate(PROGRAM, "adopt", inputs).reasons == (
        "Customer Success specialization",
        "One architecture specialization: Networking, Collaboration, Security, Data center or Service provider "
        "technology")


def test_every_worked_example_in_the_sample_computes():
    for incentive in PROGRAM.incentives:
        result = estimate(PROGRAM, incentive["id"], incentive["example"])
        assert result.eligible and result.payout > 0, incentive["id"]


@pytest.mark.parametrize("value, unit, shown", [(60, "percent", "60%"), (1, "days", "1 day"), (30, "days", "30 days"),
                                                (4.2, "score", "4.2"), (2.5, "percent", "2.5%"),
                                                (1, "people", "1 person"), (2, "people", "2 people"),
                                                (1500, "users", "1,500 users")])
def test_values_are_shown_with_their_unit(value, unit, shown):
    assert format_value(value, unit) == shown


def test_money_drops_zero_cents():
    assert format_money(3000.0, "USD") == "3,000 USD"
    assert format_money(1234.5, "EUR") == "1,234.50 EUR"


def test_a_percentage_is_rounded_half_up_to_the_cent():
    assert percent_of(1001, 1.0) == 10.01
    assert percent_of(0.5, 1.0) == 0.01  # 0.005 rounds up, as the browser's Math.round does
    with pytest.raises(ValueError):
        percent_of(1e308, 100)


def test_bands_in_partners_words():
    assert band_words(50_000, 250_000, "contract_value", "USD", upper_included=False) == (
        "50,000 USD to 250,000 USD (not included)")
    assert band_words(2000, None, "active_users", "USD") == "2,000 users or more"
    assert band_words(95, 100, "renewal_rate", "USD") == "95% to 100%"


def test_the_estimator_says_why_no_rate_applies_in_partner_words():
    from partner_portal.model.self_service import estimate_from_form

    def why(incentive: str, form: dict) -> tuple[str, ...]:
        return estimate_from_form(PROGRAM, incentive, form).reasons

    assert why("use-activation", {}) == ("choose your tier",)
    assert why("use-activation", {"tier": "silver", "region": "emea"}) == ("enter your active users in production",)
    assert why("use-activation", {"tier": "silver", "region": "emea", "active_users": 20}) == (
        "needs your active users in production of at least 25",)
    assert why("adopt", {"tier": "gold", "region": "emea", "specializations": ["customer-success", "security"],
                         "kpis": {"active-usage-rate": 70}}) == ("enter the customer's annual contract value",)
    assert why("csat-points", {"tier": "gold", "region": "emea", "kpis": {"csat-at-renewal": 6}}) == (
        "needs your customer satisfaction (CSAT) of at most 5",)


@pytest.mark.parametrize("incentive, words", [
    ("use-activation", "500 USD to 15,000 USD, by active users in production"),
    ("adopt", "3% to 4.5% of annual contract value of the customers that reach the usage target"),
    ("csat-points", "10 to 50 points"),
])
def test_what_an_incentive_can_pay_runs_from_its_tables_lowest_value_to_its_highest(incentive, words):
    assert rate_range_words(PROGRAM, PROGRAM.get("incentive", incentive)) == words
    frame = PROGRAM.table(PROGRAM.get("incentive", incentive)["payout"]["table"])
    column = [c for c in frame.columns if c in ("rate_percent", "rebate_amount", "points")][0]
    assert format_value(frame[column].max(), "count").replace(",", "") in words.replace(",", "")


def test_a_rate_table_of_one_value_pays_that_value():
    program = sample_program()
    table = program.table("incentives/csat_points.csv")
    table["points"] = 25
    assert rate_range_words(program, program.get("incentive", "csat-points")) == "25 points"
