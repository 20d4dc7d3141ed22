"""Properties that hold for every input (hypothesis)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import calculators
from calculators.bsm import ImpliedVolInputs, OptionInputs, implied_vol, option
from calculators.condor import IronCondorInputs, iron_condor
from calculators.errors import CalculatorError

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)

spots = st.floats(4000, 7000)
vols = st.floats(0.05, 0.8)
days = st.integers(1, 120)
rates = st.floats(0.0, 0.06)
yields = st.floats(0.0, 0.02)


@PROPERTY_SETTINGS
@given(spot=spots, moneyness=st.floats(0.8, 1.2), vol=vols, days=days, rate=rates, dividend=yields)
def test_put_call_parity(spot, moneyness, vol, days, rate, dividend):
    strike = spot * moneyness
    common = dict(spot=spot, strike=strike, iv=vol, days=days, rate=rate, dividend=dividend)
    call, put = option(OptionInputs(kind="call", **common)), option(OptionInputs(kind="put", **common))
    t = days / 365
    assert call.price - put.price == pytest.approx(spot * math.exp(-dividend * t) - strike * math.exp(-rate * t), abs=1e-9 * spot)
    assert call.delta - put.delta == pytest.approx(math.exp(-dividend * t), abs=1e-12)
    assert call.gamma == pytest.approx(put.gamma, rel=1e-9) and call.vega == pytest.approx(put.vega, rel=1e-9)


@PROPERTY_SETTINGS
@given(kind=st.sampled_from(["call", "put"]), spot=spots, moneyness=st.floats(0.85, 1.15), vol=st.floats(0.08, 0.6), days=st.integers(7, 90), rate=rates, dividend=yields)
def test_implied_vol_recovers_the_volatility(kind, spot, moneyness, vol, days, rate, dividend):
    common = dict(spot=spot, strike=spot * moneyness, days=days, rate=rate, dividend=dividend)
    priced = option(OptionInputs(kind=kind, iv=vol, **common))
    assume(priced.vega > 1e-3)  # a price that carries information about the volatility
    assert implied_vol(ImpliedVolInputs(kind=kind, price=priced.price, **common)).iv == pytest.approx(vol, rel=1e-7)


@st.composite
def condors(draw):
    short_put = draw(st.integers(4000, 6500)) * 1.0
    short_call = short_put + draw(st.integers(0, 600))
    put_width, call_width = draw(st.sampled_from([5, 10, 25, 50, 100])), draw(st.sampled_from([5, 10, 25, 50, 100]))
    credit = draw(st.floats(0.05, 0.95)) * min(put_width, call_width)
    return {"long_put": short_put - put_width, "short_put": short_put, "short_call": short_call, "long_call": short_call + call_width,
            "credit": credit, "contracts": draw(st.integers(1, 20))}


@PROPERTY_SETTINGS
@given(legs=condors())
def test_max_profit_plus_max_loss_is_the_wing_width(legs):
    out = iron_condor(IronCondorInputs(**legs))
    width = max(out.put_width, out.call_width)
    assert out.max_profit + out.max_loss == pytest.approx(width * 100 * legs["contracts"], rel=1e-12)
    assert out.lower_breakeven < legs["short_put"] <= legs["short_call"] < out.upper_breakeven
    assert max(out.curve.pnl_expiry) == pytest.approx(out.max_profit) and min(out.curve.pnl_expiry) == pytest.approx(-out.max_loss)


@PROPERTY_SETTINGS
@given(legs=condors(), vol=vols, days=days, rate=rates, dividend=yields, offset=st.floats(-0.05, 0.05))
def test_a_condors_value_lies_between_zero_and_its_width(legs, vol, days, rate, dividend, offset):
    spot = (legs["short_put"] + legs["short_call"]) / 2 * (1 + offset)
    out = iron_condor(IronCondorInputs(**legs, spot=spot, iv=vol, days=days, rate=rate, dividend=dividend))
    assert -1e-9 <= out.theo_value <= max(out.put_width, out.call_width) + 1e-9
    for p in (out.pop, out.p_max_profit, out.p_max_loss, out.p_touch_short_put, out.p_touch_short_call):
        assert 0.0 <= p <= 1.0
    assert out.p_max_profit <= out.pop  # ending between the short strikes is a profit
    assert -out.max_loss_points - 1e-9 <= out.expected_value_points <= out.max_profit_points + 1e-9


@PROPERTY_SETTINGS
@given(legs=condors(), low=st.floats(0.05, 0.7), step=st.floats(0.01, 0.5), days=days, carry=st.floats(0.0, 0.05))
def test_pop_falls_as_iv_rises(legs, low, step, days, carry):
    # strikes fixed, spot in the middle of the short strikes, no net drift (rate = dividend)
    spot = (legs["short_put"] + legs["short_call"]) / 2
    market = dict(spot=spot, days=days, rate=carry, dividend=carry)
    calm = iron_condor(IronCondorInputs(**legs, iv=low, **market))
    wild = iron_condor(IronCondorInputs(**legs, iv=low + step, **market))
    assert wild.pop <= calm.pop + 1e-12


@PROPERTY_SETTINGS
@given(legs=condors(), vol=vols, days=days)
def test_the_eval_curve_meets_the_expiry_curve_at_expiry(legs, vol, days):
    out = iron_condor(IronCondorInputs(**legs, iv=vol, days=days, eval_days=days))
    assert np.allclose(out.curve.pnl_eval, out.curve.pnl_expiry, atol=1e-9)


ODD_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.sampled_from([0, -1, 5e-324, 1e-300, 1e300, "15%", "-3%", "abc", "", None, True, [], [1, 2, 3], {}, {"a": 1}]),
)


@pytest.mark.parametrize("calc", calculators.all_calculators(), ids=lambda c: c.name)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_any_input_gives_json_safe_outputs_or_a_sentence(calc, data):
    """Whatever a client sends (the API passes raw JSON through), the answer is a result or a CalculatorError."""
    fields = list(calc.inputs.model_fields)
    raw = dict(calc.example)
    for name in data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True)):
        raw[name] = data.draw(ODD_VALUES)
    try:
        result = calc.run(raw)
    except CalculatorError as err:
        assert str(err) and "\n" not in str(err)
    else:
        json.dumps(result, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(legs=condors(), scale=st.floats(1e-3, 1e3), vol=st.floats(1e-4, 5.0), days=st.floats(1e-4, 36_500), rate=st.floats(-0.5, 0.5),
       dividend=st.floats(-0.5, 0.5), spot_factor=st.floats(0.01, 100.0), eval_share=st.floats(0.0, 1.0))
def test_extreme_but_valid_condors_stay_finite(legs, scale, vol, days, rate, dividend, spot_factor, eval_share):
    raw = {key: value * scale if key != "contracts" else value for key, value in legs.items()}
    raw |= {"spot": (raw["short_put"] + raw["short_call"]) / 2 * spot_factor, "iv": vol, "days": days, "rate": rate,
            "dividend": dividend, "eval_days": days * eval_share}
    try:
        result = calculators.get("iron-condor").run(raw)
    except CalculatorError as err:  # e.g. a scaled credit below the 0.0001 minimum
        assert "credit" in str(err) or "at least" in str(err) or "at most" in str(err)
    else:
        json.dumps(result, allow_nan=False)
