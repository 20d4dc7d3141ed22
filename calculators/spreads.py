"""Vertical credit spreads: a short option and a long option further out of the money.

Put credit spread (short put K_s, long put K_l < K_s), call credit spread (short call K_s,
long call K_l > K_s), sold for a net credit c (index points per share):

    width       = |K_s − K_l|                       (points)
    break-even  = K_s − c (put), K_s + c (call)       (index level at expiry)
    max profit  = c · multiplier · contracts          (dollars, the index stays beyond K_s)
    max loss    = (width − c) · multiplier · contracts (dollars, the index ends beyond K_l)

What-if (``calculators.whatif``, formulas there): with days, a volatility (``iv``, per-leg
``ivs`` {short, long}, or ``at_iv``) and an index level (``spot`` or ``at_spot``), ``at_days``,
``at_spot`` and ``iv_shift`` give ``what_if``, the P/L at that date, level and volatility by
exact Black–Scholes–Merton per leg with ``rate`` and ``dividend``; ``grid_spots`` /
``grid_days`` give ``grid``, P/L in dollars over index levels × dates.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from calculators import whatif
from calculators.base import MAX_COUNT, MIN_CREDIT, Days, Inputs, Outputs, Price, Rate, Volatility, check, fmt
from calculators.registry import Calculator, register


SPREAD_LEGS = ("short", "long")
SPREAD_SIGNS = np.array([-1.0, 1.0])  # the short leg sold, the long leg bought
GRID_SPOTS, GRID_DAYS = 21, 6


class SpreadLegVols(Inputs):
    """Implied volatility of each leg, decimals (0.18) or percents ('18%')."""

    short: Volatility
    long: Volatility


class VerticalSpreadInputs(Inputs):
    """A put or call credit spread; optionally the market and a what-if."""

    kind: Literal["put", "call"]
    short_strike: Price = Field(description="strike of the option sold, index points")
    long_strike: Price = Field(description="strike of the option bought, further out of the money")
    credit: float = Field(description="net credit received, index points per share")
    contracts: int = Field(1, ge=1, le=MAX_COUNT, description="number of spreads")
    multiplier: int = Field(100, ge=1, le=MAX_COUNT, description="dollars per index point per contract (SPX: 100)")
    spot: Price | None = Field(None, description="index level now")
    iv: Volatility | None = Field(None, description="implied volatility, one for both legs")
    ivs: SpreadLegVols | None = Field(None, description="implied volatility per leg")
    days: Days | None = Field(None, description="calendar days to expiry")
    rate: Rate = Field(0.0, description="risk-free rate, continuous, decimal (0.04) or percent (4%)")
    dividend: Rate = Field(0.0, description="dividend yield, continuous, decimal (0.013) or percent (1.3%)")
    at_days: float | None = Field(None, ge=0, le=36_500, description=whatif.AT_DAYS_HELP)
    at_spot: Price | None = Field(None, description=whatif.AT_SPOT_HELP)
    iv_shift: whatif.IvShift | None = Field(None, description=whatif.IV_SHIFT_HELP)
    at_iv: Volatility | None = Field(None, description=whatif.AT_IV_HELP)
    grid_spots: whatif.GridSpots | None = Field(None, description=whatif.GRID_SPOTS_HELP)
    grid_days: whatif.GridDays | None = Field(None, description=whatif.GRID_DAYS_HELP)

    @model_validator(mode="after")
    def _check(self) -> VerticalSpreadInputs:
        check_credit_spread(self.kind, self.short_strike, self.long_strike, self.credit)
        whatif.check_what_if(SPREAD_LEGS, self.leg_vols, self.days, self.at_days, self.iv_shift, self.at_iv, self.grid_days)
        return self

    @property
    def leg_vols(self) -> np.ndarray | None:
        """Each leg's own volatility (``ivs``, else ``iv`` for both), short leg first, or None."""
        if self.ivs is not None:
            return np.array([self.ivs.short, self.ivs.long])
        if self.iv is not None:
            return np.full(2, self.iv)
        return None


def check_credit_spread(kind: str, short_strike: float, long_strike: float, credit: float) -> None:
    """Raise CalculatorError unless the strikes and credit make a credit spread that can lose."""
    side = "put" if kind == "put" else "call"
    check(short_strike != long_strike, f"the {side} spread has zero width: both strikes are {fmt(short_strike)}")
    if kind == "put":
        check(
            long_strike < short_strike,
            f"the long put ({fmt(long_strike)}) must be below the short put ({fmt(short_strike)}) in a put credit spread",
        )
    else:
        check(
            long_strike > short_strike,
            f"the long call ({fmt(long_strike)}) must be above the short call ({fmt(short_strike)}) in a call credit spread",
        )
    width = abs(short_strike - long_strike)
    check(credit > 0, f"the credit must be positive (got {fmt(credit)}): a credit spread is sold for a net credit")
    check(credit >= MIN_CREDIT, f"the credit must be at least {fmt(MIN_CREDIT)} points (got {credit:g})")
    check(
        credit < width,
        f"the credit ({fmt(credit)}) must be less than the {side} spread's width ({fmt(width)} points); "
        "otherwise it could never lose",
    )


class VerticalSpreadOutputs(Outputs):
    breakeven: float  # index level at expiry
    width: float  # points
    max_profit_points: float
    max_profit: float  # dollars
    max_loss_points: float
    max_loss: float  # dollars, a positive number
    risk_reward: float  # max loss / max profit
    what_if: whatif.WhatIf | None = None  # with at_days / at_spot / iv_shift / at_iv (and the market)
    grid: whatif.PnlGrid | None = None  # with grid_spots / grid_days
    notes: list[str] = []


def vertical_spread(inputs: VerticalSpreadInputs) -> VerticalSpreadOutputs:
    """Break-even, width, max profit and max loss of a credit spread (formulas in the module docstring)."""
    scale = inputs.multiplier * inputs.contracts
    width = abs(inputs.short_strike - inputs.long_strike)
    direction = -1.0 if inputs.kind == "put" else 1.0
    max_loss_points = width - inputs.credit
    results: dict = {"notes": []}
    is_call = np.full(2, inputs.kind == "call")
    strikes = np.array([inputs.short_strike, inputs.long_strike])
    at_vols = whatif.shifted_vols(SPREAD_LEGS, inputs.leg_vols, inputs.iv_shift, inputs.at_iv)
    at_spot = inputs.at_spot if inputs.at_spot is not None else inputs.spot
    if any(v is not None for v in (inputs.at_days, inputs.at_spot, inputs.iv_shift, inputs.at_iv)):
        if at_spot is not None and at_vols is not None and inputs.days is not None:
            results["what_if"] = whatif.what_if_block(
                SPREAD_LEGS, is_call, strikes, SPREAD_SIGNS, at_vols, inputs.credit, at_spot, inputs.days,
                inputs.at_days or 0.0, inputs.iv_shift, inputs.at_iv, inputs.rate, inputs.dividend,
                inputs.multiplier, inputs.contracts,
            )
        else:
            results["notes"].append("the what-if needs an index level (spot or at_spot), a volatility (iv, ivs or at_iv) and days")
    if inputs.grid_spots is not None or inputs.grid_days is not None:
        if at_vols is not None and inputs.days is not None:
            low, high = min(strikes), max(strikes)
            if at_spot is not None:
                low, high = min(low, at_spot), max(high, at_spot)
            levels = whatif.grid_axis(inputs.grid_spots, GRID_SPOTS, max(low - 2 * width, low / 2), high + 2 * width, "spots", whatif.MAX_GRID_SPOTS)
            days_axis = whatif.grid_axis(inputs.grid_days, GRID_DAYS, 0.0, inputs.days, "days", whatif.MAX_GRID_DAYS)
            results["grid"] = whatif.pnl_grid(is_call, strikes, SPREAD_SIGNS, at_vols, inputs.credit, inputs.days, levels, days_axis,
                                              inputs.rate, inputs.dividend, scale)
        else:
            results["notes"].append("the P/L grid needs a volatility (iv, ivs or at_iv) and days")
    return VerticalSpreadOutputs(
        breakeven=inputs.short_strike + direction * inputs.credit,
        width=width,
        max_profit_points=inputs.credit,
        max_profit=inputs.credit * scale,
        max_loss_points=max_loss_points,
        max_loss=max_loss_points * scale,
        risk_reward=max_loss_points / inputs.credit,
        **results,
    )


register(
    Calculator(
        name="vertical-spread",
        description="Break-even, max profit and max loss of a put or call credit spread; P/L at a date, level and volatility",
        inputs=VerticalSpreadInputs,
        fn=vertical_spread,
        example={"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 1.80},
    )
)
