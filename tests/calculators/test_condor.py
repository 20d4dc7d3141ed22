"""Iron condor: hand-worked expiry arithmetic, probabilities against scipy's lognormal,
expected value against numerical integration, touch, value and greeks against QuantLib."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ql_oracle import ql_european, ql_touch_probability
from scipy import integrate, stats

from calculators.condor import IronCondorInputs, condor_owed, iron_condor
from calculators.errors import CalculatorError

EVAL_CONDOR = {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100}
POP_CASE = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "spot": 5900, "iv": 0.18, "days": 45}


def condor(**raw):
    return iron_condor(IronCondorInputs(**raw))


def lognormal(spot: float, vol: float, days: float, rate: float = 0.0, dividend: float = 0.0):
    """scipy's lognormal for S_T with drift r − q: ln S_T ~ N(ln S + (r − q − σ²/2)T, σ²T)."""
    t = days / 365.0
    return stats.lognorm(s=vol * math.sqrt(t), scale=spot * math.exp((rate - dividend - 0.5 * vol * vol) * t))


# --- expiry arithmetic, worked by hand ------------------------------------------------------------


def test_the_products_acceptance_condor_at_350():
    out = condor(**EVAL_CONDOR, credit=3.50)
    assert (out.lower_breakeven, out.upper_breakeven) == (5746.5, 6053.5)
    assert out.max_profit == 350 and out.max_loss == 4650  # dollars: 3.50 × 100, (50 − 3.50) × 100
    assert (out.max_profit_points, out.max_loss_points, out.put_width, out.call_width) == (3.5, 46.5, 50, 50)
    assert out.risk_reward == pytest.approx(46.5 / 3.5)
    assert out.pop is None and out.greeks is None and out.curve.pnl_eval is None


def test_the_products_acceptance_condor_at_400():
    out = condor(**EVAL_CONDOR, credit=4.00)
    assert (out.lower_breakeven, out.upper_breakeven, out.max_profit, out.max_loss) == (5746, 6054, 400, 4600)


def test_uneven_wings_lose_most_on_the_wider_side_and_contracts_scale_dollars():
    # put wing 25, call wing 75, credit 10: max loss (75 − 10) = 65 points, × 100 × 3 contracts
    out = condor(long_put=5725, short_put=5750, short_call=6050, long_call=6125, credit=10, contracts=3)
    assert (out.put_width, out.call_width) == (25, 75)
    assert out.max_loss_points == 65 and out.max_loss == 19500 and out.max_profit == 3000
    assert (out.lower_breakeven, out.upper_breakeven) == (5740, 6060)


def test_an_iron_butterfly_has_equal_short_strikes():
    out = condor(long_put=5850, short_put=5900, short_call=5900, long_call=5950, credit=30, spot=5900, iv=0.15, days=20)
    assert (out.lower_breakeven, out.upper_breakeven, out.max_loss_points) == (5870, 5930, 20)
    assert out.p_max_profit == 0.0


def test_leg_prices_give_the_credit():
    prices = {"long_put": 2.10, "short_put": 3.40, "short_call": 3.15, "long_call": 0.95}
    out = condor(**EVAL_CONDOR, leg_prices=prices)
    assert out.credit == pytest.approx(3.50)
    assert out.lower_breakeven == pytest.approx(5746.5)
    assert condor(**EVAL_CONDOR, leg_prices=prices, credit=3.50).credit == 3.50  # agreeing figures are fine


def test_the_expiry_curve_is_the_payoff_and_hits_the_corners_exactly():
    out = condor(**EVAL_CONDOR, credit=3.50)
    prices, pnl = np.array(out.curve.prices), np.array(out.curve.pnl_expiry)
    assert 61 <= len(prices) <= 67 and np.all(np.diff(prices) > 0)
    for level, expected in [(5700, -4650), (5746.5, 0), (5750, 350), (6050, 350), (6053.5, 0), (6100, -4650)]:
        assert pnl[np.flatnonzero(prices == level)[0]] == pytest.approx(expected, abs=1e-9)
    assert condor_owed([5600, 5725, 5900, 6075, 6200], np.array([5700.0, 5750, 6050, 6100])).tolist() == [50, 25, 0, 25, 50]


# --- probabilities --------------------------------------------------------------------------------


def test_the_products_acceptance_probability_of_profit():
    out = condor(**POP_CASE)
    # the index must end strictly between 5694.9 and 6105.1
    dist = lognormal(5900, 0.18, 45)
    assert out.pop == pytest.approx(dist.cdf(6105.1) - dist.cdf(5694.9), rel=1e-9)
    assert round(out.pop * 100, 1) == 41.8


@pytest.mark.parametrize(
    "market",
    [
        {"spot": 5900, "iv": 0.18, "days": 45},
        {"spot": 6000, "iv": 0.15, "days": 30, "rate": 0.04, "dividend": 0.013},
        {"spot": 5720, "iv": 0.32, "days": 9, "rate": 0.05},
    ],
)
def test_probabilities_match_scipys_lognormal(market):
    strikes = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6175}  # call wing wider
    out = condor(**strikes, credit=6.0, **market)
    dist = lognormal(market["spot"], market["iv"], market["days"], market.get("rate", 0.0), market.get("dividend", 0.0))
    assert out.pop == pytest.approx(dist.cdf(6106) - dist.cdf(5694), rel=1e-9)
    assert out.p_max_profit == pytest.approx(dist.cdf(6100) - dist.cdf(5700), rel=1e-9)
    assert out.p_max_loss == pytest.approx(dist.sf(6175), rel=1e-9)  # only the wider (call) side loses the most
    t = market["days"] / 365
    assert out.expected_move == pytest.approx(market["spot"] * market["iv"] * math.sqrt(t), rel=1e-12)


def test_equal_wings_lose_the_most_on_either_side():
    out = condor(**POP_CASE)
    dist = lognormal(5900, 0.18, 45)
    assert out.p_max_loss == pytest.approx(dist.cdf(5650) + dist.sf(6150), rel=1e-9)


@pytest.mark.parametrize(
    "market",
    [
        {"spot": 5900, "iv": 0.18, "days": 45},
        {"spot": 6000, "iv": 0.15, "days": 30, "rate": 0.04, "dividend": 0.013},
        {"spot": 5800, "iv": 0.25, "days": 60, "rate": 0.01, "dividend": 0.015},
    ],
)
def test_touch_probabilities_match_quantlib_one_touch_digitals(market):
    out = condor(**POP_CASE | market)
    rate, dividend = market.get("rate", 0.0), market.get("dividend", 0.0)
    args = (market["spot"], market["iv"], market["days"], rate, dividend)
    assert out.p_touch_short_put == pytest.approx(ql_touch_probability(5700, *args, downward=True), rel=1e-9)
    assert out.p_touch_short_call == pytest.approx(ql_touch_probability(6100, *args, downward=False), rel=1e-9)


def test_a_short_strike_already_crossed_has_been_touched():
    out = condor(**POP_CASE | {"spot": 5690})
    assert out.p_touch_short_put == 1.0 and out.p_touch_short_call < 1.0


@pytest.mark.parametrize(
    "market",
    [
        {"spot": 5900, "iv": 0.18, "days": 45},
        {"spot": 6000, "iv": 0.15, "days": 30, "rate": 0.04, "dividend": 0.013},
        {"spot": 5650, "iv": 0.35, "days": 12, "rate": 0.05},
    ],
)
def test_expected_value_matches_numerical_integration(market):
    strikes = np.array([5650.0, 5700, 6100, 6150])
    out = condor(**POP_CASE | market)
    dist = lognormal(market["spot"], market["iv"], market["days"], market.get("rate", 0.0), market.get("dividend", 0.0))
    pnl = lambda s: 5.10 - condor_owed(s, strikes)  # noqa: E731
    pieces = [0, 5650, 5700, 6100, 6150, np.inf]  # integrate piece by piece between the corners
    expected = sum(integrate.quad(lambda s: pnl(s) * dist.pdf(s), a, b, epsabs=1e-12, epsrel=1e-12, limit=200)[0] for a, b in zip(pieces, pieces[1:]))
    assert out.expected_value_points == pytest.approx(expected, rel=1e-7, abs=1e-8)
    assert out.expected_value == pytest.approx(out.expected_value_points * 100)


# --- value and greeks -----------------------------------------------------------------------------


def _quantlib_position(strikes, vols, spot, days, rate, dividend):
    """Sum of the four legs in QuantLib, signed for a short condor (per share)."""
    legs = [("put", 1.0), ("put", -1.0), ("call", -1.0), ("call", 1.0)]
    total = {"npv": 0.0, "delta": 0.0, "gamma": 0.0, "theta": 0.0, "vega": 0.0}
    for (kind, sign), strike, vol in zip(legs, strikes, vols):
        option, _ = ql_european(kind, spot, strike, vol, days, rate, dividend)
        total["npv"] += sign * option.NPV()
        total["delta"] += sign * option.delta()
        total["gamma"] += sign * option.gamma()
        total["theta"] += sign * option.theta() / 365.0
        total["vega"] += sign * option.vega() / 100.0
    return total


@pytest.mark.parametrize("per_leg", [False, True])
def test_value_and_greeks_match_quantlib(per_leg):
    strikes = [5800, 5850, 6100, 6150]
    vols = [0.19, 0.17, 0.13, 0.125] if per_leg else [0.15] * 4
    market = {"spot": 6000, "days": 30, "rate": 0.04, "dividend": 0.013}
    vol_inputs = {"ivs": dict(zip(["long_put", "short_put", "short_call", "long_call"], vols))} if per_leg else {"iv": 0.15}
    out = condor(**dict(zip(["long_put", "short_put", "short_call", "long_call"], strikes)), credit=4.20, contracts=2, **market, **vol_inputs)
    expected = _quantlib_position(strikes, vols, 6000, 30, 0.04, 0.013)
    scale = 100 * 2
    assert out.theo_value == pytest.approx(-expected["npv"], rel=1e-9)
    for greek in ("delta", "gamma", "theta", "vega"):
        assert getattr(out.greeks, greek) == pytest.approx(expected[greek] * scale, rel=1e-8), greek
    if per_leg:
        assert out.probability_iv == pytest.approx((0.17 + 0.13) / 2)  # the short strikes' mean


def test_the_eval_curve_is_the_quantlib_value_on_the_evaluation_date():
    out = condor(**POP_CASE | {"eval_days": 15})
    prices = np.array(out.curve.prices)
    index = int(np.flatnonzero(prices == 5900)[0])
    expected = _quantlib_position([5650, 5700, 6100, 6150], [0.18] * 4, 5900, 30, 0.0, 0.0)  # 45 − 15 days left
    assert out.curve.pnl_eval[index] == pytest.approx((5.10 + expected["npv"]) * 100, rel=1e-9)


def test_at_expiry_the_eval_curve_is_the_payoff():
    out = condor(**POP_CASE | {"eval_days": 45})
    assert out.curve.pnl_eval == pytest.approx(out.curve.pnl_expiry, abs=1e-9)


# --- invalid inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"long_put": 5950, "short_put": 6000, "short_call": 5900, "long_call": 5950, "credit": 2}, "the short put (6000) must be below the short call (5900)"),
        (EVAL_CONDOR | {"long_put": 5760, "credit": 3}, "the long put (5760) must be below the short put (5750)"),
        (EVAL_CONDOR | {"long_call": 6000, "credit": 3}, "the long call (6000) must be above the short call (6050)"),
        (EVAL_CONDOR | {"long_put": 5750, "credit": 3}, "the put wing has zero width"),
        (EVAL_CONDOR | {"long_call": 6050, "credit": 3}, "the call wing has zero width"),
        (EVAL_CONDOR | {"credit": 50}, "the credit (50) must be less than the narrower wing's width (50 points)"),
        (EVAL_CONDOR | {"long_put": 5725, "credit": 30}, "narrower wing's width (25 points)"),
        (EVAL_CONDOR | {"credit": -1}, "the credit must be positive"),
        (EVAL_CONDOR | {"credit": 0}, "the credit must be positive"),
        (EVAL_CONDOR | {"credit": float("nan")}, "credit must be a finite numbe"),
        (EVAL_CONDOR | {"credit": float("inf")}, "credit must be a finite numbe"),
        (EVAL_CONDOR, "give the net credit, or the four leg prices"),
        (EVAL_CONDOR | {"credit": 3.5, "iv": -0.2, "spot": 5900, "days": 30}, "iv must be a positive volatility"),
        (EVAL_CONDOR | {"credit": 3.5, "iv": 0.2, "spot": 5900, "days": 0}, "days must be greater than 0"),
        (EVAL_CONDOR | {"credit": 3.5, "iv": 0.2, "spot": 5900, "days": -5}, "days must be greater than 0"),
        (EVAL_CONDOR | {"credit": 3.5, "days": 30, "at_days": 31}, "at_days (31) must not be after expiry (30 days)"),
        (EVAL_CONDOR | {"credit": 3.5, "at_days": 3}, "at_days needs days"),
        (EVAL_CONDOR | {"credit": 3.5, "contracts": 0}, "contracts must be at least 1"),
        (EVAL_CONDOR | {"credit": 3.5, "contracts": 1.5}, "contracts must be a whole numbe"),
        (EVAL_CONDOR | {"credit": 3.5, "strike": 3}, "unknown input 'strike'"),
        (EVAL_CONDOR | {"credit": 3.5, "ivs": {"long_put": 0.2, "short_put": -0.1, "short_call": 0.2, "long_call": 0.2}}, "ivs: short_put must be a positive volatility"),
        (EVAL_CONDOR | {"credit": 3.0, "leg_prices": {"long_put": 2.10, "short_put": 3.40, "short_call": 3.15, "long_call": 0.95}}, "does not match the leg prices, which net to 3.5"),
        (EVAL_CONDOR | {"leg_prices": {"long_put": 3, "short_put": 1, "short_call": 1, "long_call": 1}}, "the credit must be positive"),
    ],
)
def test_bad_condors_are_explained_in_one_sentence(raw, sentence):
    with pytest.raises(CalculatorError) as err:
        condor(**raw)
    assert sentence in str(err.value)
