"""Hedge ratio (against statsmodels OLS), decorrelation oversizing, beta-weighted delta and
VIX call sizing, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from calculators.errors import CalculatorError
from calculators.hedging import (
    BetaWeightedDeltaInputs,
    DecorrelationInputs,
    HedgeRatioInputs,
    VixHedgeInputs,
    beta_weighted_delta,
    decorrelation_oversize,
    hedge_ratio,
    vix_hedge,
)

BOOK = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "contracts": 10}


def test_the_products_acceptance_hedge_ratio():
    out = hedge_ratio(HedgeRatioInputs(correlation=0.6, portfolio_vol=0.20, hedge_vol=0.40))
    assert out.hedge_ratio == pytest.approx(0.3, rel=1e-15)
    assert out.effectiveness == pytest.approx(0.36) and out.residual_vol == pytest.approx(0.2 * math.sqrt(1 - 0.36))
    assert out.n is None


def test_percent_volatilities_give_the_same_ratio():
    out = hedge_ratio(HedgeRatioInputs(correlation=0.35, portfolio_vol="18%", hedge_vol="85%"))
    assert out.hedge_ratio == pytest.approx(0.35 * 0.18 / 0.85)


def test_the_hedge_ratio_from_series_is_the_ols_slope():
    rng = np.random.default_rng(7)
    hedge = rng.normal(0, 0.03, 500)
    portfolio = -0.2 * hedge + rng.normal(0, 0.008, 500)
    portfolio[[3, 40]] = np.nan
    out = hedge_ratio(HedgeRatioInputs(x=hedge, y=portfolio))
    keep = ~np.isnan(portfolio)
    fit = sm.OLS(portfolio[keep], sm.add_constant(hedge[keep])).fit()
    assert (out.n, out.dropped) == (498, 2)
    assert out.hedge_ratio == pytest.approx(fit.params[1], rel=1e-10)
    assert out.effectiveness == pytest.approx(fit.rsquared, rel=1e-10)
    assert out.residual_vol == pytest.approx(np.std(fit.resid, ddof=1), rel=1e-10)


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"correlation": 0.6, "portfolio_vol": 0.2}, "missing: hedge_vol"),
        ({"correlation": 1.5, "portfolio_vol": 0.2, "hedge_vol": 0.4}, "correlation must be at most 1"),
        ({"correlation": 0.6, "portfolio_vol": -0.2, "hedge_vol": 0.4}, "portfolio_vol must be a positive volatility"),
        ({"correlation": 0.6, "portfolio_vol": 0.2, "hedge_vol": 0}, "hedge_vol must be a positive volatility"),
        ({"correlation": 0.6, "portfolio_vol": 0.2, "hedge_vol": 0.4, "x": [1, 2, 3, 4]}, "not both"),
        ({"x": [0.1, 0.2, 0.3, 0.1]}, "needs both series"),
        ({"x": [0.1, 0.2, 0.3, 0.1], "y": [0.1, 0.2]}, "x has 4 values but y has 2"),
        ({"x": [0.1, 0.1, 0.1, 0.1], "y": [0.1, 0.2, 0.3, 0.4]}, "x does not vary"),
    ],
)
def test_bad_hedge_ratio_inputs_are_explained(raw, sentence):
    with pytest.raises(CalculatorError) as err:
        hedge_ratio(HedgeRatioInputs(**raw))
    assert sentence in str(err.value)


def test_the_products_acceptance_oversizing():
    out = decorrelation_oversize(DecorrelationInputs(notional=50_000))
    assert out.oversized_notional == pytest.approx(140_000) and out.additional_notional == pytest.approx(90_000)
    assert out.factor == 2.8 and out.source.startswith("Basis risk from using VIX to hedge NFTs")
    other = decorrelation_oversize(DecorrelationInputs(notional=50_000, factor=2))
    assert other.oversized_notional == 100_000 and other.source is None
    with pytest.raises(CalculatorError, match="factor must be at least 1"):
        DecorrelationInputs(notional=50_000, factor=0.5)
    with pytest.raises(CalculatorError, match="notional must be greater than 0"):
        DecorrelationInputs(notional=-5)


def test_beta_weighted_delta_by_hand():
    # 100 shares of a 590 stock with beta 1.2 and −50 deltas of a 210 stock with beta 0.9, against SPX 5900
    out = beta_weighted_delta(BetaWeightedDeltaInputs(delta=[100, -50], beta=[1.2, 0.9], price=[590, 210], benchmark_price=5900))
    assert out.per_position == pytest.approx([12.0, -50 * 0.9 * 210 / 5900])
    assert out.beta_weighted_delta == pytest.approx(12.0 - 50 * 0.9 * 210 / 5900)
    assert out.dollar_delta == pytest.approx(out.beta_weighted_delta * 5900)
    assert out.pnl_per_1pct == pytest.approx(out.dollar_delta / 100)


def test_beta_weighted_delta_broadcasts_a_single_value():
    out = beta_weighted_delta(BetaWeightedDeltaInputs(delta=[10, 20], beta=1.1, price=500, benchmark_price=5000))
    assert out.per_position == pytest.approx([1.1, 2.2])
    with pytest.raises(CalculatorError, match="one value per position"):
        BetaWeightedDeltaInputs(delta=[1, 2], beta=[1, 2, 3], price=10, benchmark_price=5000)
    with pytest.raises(CalculatorError, match="every price must be positive"):
        BetaWeightedDeltaInputs(delta=1, beta=1, price=0, benchmark_price=5000)


def test_vix_hedge_for_a_condor_book_by_hand():
    # SPX 5900 falls 10 % to 5310: the 5650/5700 put wing is lost in full, (50 − 5.10) × 100 × 10 = 44,900.
    # VIX 16 + 14 = 30; a 22-strike call pays (30 − 22) × 100 = 800; half the loss is 22,450 -> 28.06 -> 29 calls.
    out = vix_hedge(VixHedgeInputs(spx_drop="10%", vix=16, vix_rise=14, call_strike=22, call_premium=1.2, condor=BOOK, spot=5900, offset=0.5))
    assert out.scenario_spx == pytest.approx(5310) and out.scenario_vix == 30
    assert out.book_loss == pytest.approx(44_900) and out.target_payoff == pytest.approx(22_450)
    assert (out.payoff_per_contract, out.contracts, out.total_payoff) == (800, 29, 23_200)
    assert out.premium_cost == pytest.approx(29 * 120) and out.net_result == pytest.approx(23_200 - 3_480 - 44_900)
    assert out.coverage == pytest.approx(23_200 / 44_900)


def test_vix_hedge_with_a_vix_beta_and_a_stated_loss():
    # VIX 20 rising 4 × 8 % = 32 % -> 26.4; a 25 call pays 140; 10,000 × 1.0 / 140 = 71.4 -> 72 calls
    out = vix_hedge(VixHedgeInputs(spx_drop=0.08, vix=20, vix_beta=4, call_strike=25, book_loss=10_000))
    assert out.scenario_vix == pytest.approx(26.4) and out.payoff_per_contract == pytest.approx(140)
    assert out.contracts == 72 and out.premium_cost is None and out.scenario_spx is None


def test_exact_multiples_are_not_rounded_up():
    out = vix_hedge(VixHedgeInputs(spx_drop=0.1, vix=20, vix_rise=10, call_strike=25, book_loss=1_500))
    assert out.contracts == 3  # 1,500 / 500


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"vix_rise": 2}, "the calls pay nothing"),
        ({"vix_rise": 10, "vix_beta": 3}, "either as vix_rise (points) or as vix_beta"),
        ({"vix_rise": 10, "spx_drop": 1.2}, "spx_drop must be less than 1"),
        ({"vix_rise": 10, "spx_drop": "-5%"}, "spx_drop must be greater than 0"),
        ({"vix_rise": 10, "book_loss": None}, "either as book_loss (dollars) or as the condor position"),
        ({"vix_rise": 10, "book_loss": None, "condor": BOOK}, "give spot"),
        ({"vix_rise": 10, "book_loss": None, "condor": BOOK | {"short_call": 5600}, "spot": 5900}, "condor: the short put (5700) must be below the short call (5600)"),
    ],
)
def test_bad_vix_hedges_are_explained(raw, sentence):
    base = {"spx_drop": 0.1, "vix": 16, "call_strike": 22, "book_loss": 10_000}
    with pytest.raises(CalculatorError) as err:
        vix_hedge(VixHedgeInputs(**{k: v for k, v in (base | raw).items() if v is not None}))
    assert sentence in str(err.value)
