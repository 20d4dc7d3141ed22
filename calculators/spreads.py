"""Vertical credit spreads: a short option and a long option further out of the money.

Put credit spread (short put K_s, long put K_l < K_s), call credit spread (short call K_s,
long call K_l > K_s), sold for a net credit c (index points per share):

    width       = |K_s − K_l|                       (points)
    break-even  = K_s − c (put), K_s + c (call)       (index level at expiry)
    max profit  = c · multiplier · contracts          (dollars, the index stays beyond K_s)
    max loss    = (width − c) · multiplier · contracts (dollars, the index ends beyond K_l)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from calculators.base import MAX_COUNT, MIN_CREDIT, Inputs, Outputs, Price, check, fmt
from calculators.registry import Calculator, register


class VerticalSpreadInputs(Inputs):
    """A put or call credit spread."""

    kind: Literal["put", "call"]
    short_strike: Price = Field(description="strike of the option sold, index points")
    long_strike: Price = Field(description="strike of the option bought, further out of the money")
    credit: float = Field(description="net credit received, index points per share")
    contracts: int = Field(1, ge=1, le=MAX_COUNT, description="number of spreads")
    multiplier: int = Field(100, ge=1, le=MAX_COUNT, description="dollars per index point per contract (SPX: 100)")

    @model_validator(mode="after")
    def _check(self) -> VerticalSpreadInputs:
        check_credit_spread(self.kind, self.short_strike, self.long_strike, self.credit)
        return self


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


def vertical_spread(inputs: VerticalSpreadInputs) -> VerticalSpreadOutputs:
    """Break-even, width, max profit and max loss of a credit spread (formulas in the module docstring)."""
    scale = inputs.multiplier * inputs.contracts
    width = abs(inputs.short_strike - inputs.long_strike)
    direction = -1.0 if inputs.kind == "put" else 1.0
    max_loss_points = width - inputs.credit
    return VerticalSpreadOutputs(
        breakeven=inputs.short_strike + direction * inputs.credit,
        width=width,
        max_profit_points=inputs.credit,
        max_profit=inputs.credit * scale,
        max_loss_points=max_loss_points,
        max_loss=max_loss_points * scale,
        risk_reward=max_loss_points / inputs.credit,
    )


register(
    Calculator(
        name="vertical-spread",
        description="Break-even, max profit and max loss of a put or call credit spread",
        inputs=VerticalSpreadInputs,
        fn=vertical_spread,
        example={"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 1.80},
    )
)
