"""Incentive calculations: band edges, keys, eligibility."""

from __future__ import annotations

import pytest

from partner_portal.calc import CalculationError, estimate, format_money, format_value
from partner_portal.loading import load_program

from .conftest import ROOT

PROGRAM = load_program(ROOT)


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
    assert result.reasons == ("open to Gold, Platinum partners only",)


def test_kpi_below_the_threshold_says_what_is_needed():
    result = estimate(PROGRAM, "adopt", {"tier": "gold", "region": "na", "basis_amount": 1,
                                         "kpis": {"active-usage-rate": 55}})
    assert result.reasons == ("needs Active usage rate of at least 60% (you have 55%)",)


def test_a_specialization_counts_the_one_it_builds_on():
    inputs = {"tier": "gold", "region": "na", "basis_amount": 1, "specializations": ["customer-experience"]}
    assert estimate(PROGRAM, "adopt", inputs).eligible
    inputs["specializations"] = []
    assert estimate(PROGRAM, "adopt", inputs).reasons == ("needs the Customer Success specialization",)


def test_every_worked_example_in_the_sample_computes():
    for incentive in PROGRAM.incentives:
        result = estimate(PROGRAM, incentive["id"], incentive["example"])
        assert result.eligible and result.payout > 0, incentive["id"]


@pytest.mark.parametrize("value, unit, shown", [(60, "percent", "60%"), (1, "days", "1 day"), (30, "days", "30 days"),
                                                (4.2, "score", "4.2"), (2.5, "percent", "2.5%")])
def test_values_are_shown_with_their_unit(value, unit, shown):
    assert format_value(value, unit) == shown


def test_money_drops_zero_cents():
    assert format_money(3000.0, "USD") == "3,000 USD"
    assert format_money(1234.5, "EUR") == "1,234.50 EUR"
