"""Vertical credit spreads, worked by hand."""

from __future__ import annotations

import pytest

from calculators.errors import CalculatorError
from calculators.spreads import VerticalSpreadInputs, vertical_spread


def spread(**raw):
    return vertical_spread(VerticalSpreadInputs(**raw))


def test_a_put_credit_spread():
    out = spread(kind="put", short_strike=5750, long_strike=5700, credit=1.80)
    assert (out.breakeven, out.width, out.max_profit, out.max_loss) == (5748.2, 50, 180, 4820)
    assert out.risk_reward == pytest.approx(48.2 / 1.8)


def test_a_call_credit_spread_with_contracts():
    out = spread(kind="call", short_strike=6050, long_strike=6100, credit=2.5, contracts=4)
    assert (out.breakeven, out.max_profit_points, out.max_loss_points) == (6052.5, 2.5, 47.5)
    assert (out.max_profit, out.max_loss) == (1000, 19000)


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"kind": "put", "short_strike": 5700, "long_strike": 5750, "credit": 1}, "the long put (5750) must be below the short put (5700)"),
        ({"kind": "call", "short_strike": 6100, "long_strike": 6050, "credit": 1}, "the long call (6050) must be above the short call (6100)"),
        ({"kind": "put", "short_strike": 5700, "long_strike": 5700, "credit": 1}, "zero width"),
        ({"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 50}, "must be less than the put spread's width (50 points)"),
        ({"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": -2}, "the credit must be positive"),
        ({"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": float("nan")}, "credit must be a finite number"),
    ],
)
def test_bad_spreads_are_explained(raw, sentence):
    with pytest.raises(CalculatorError) as err:
        spread(**raw)
    assert sentence in str(err.value)
