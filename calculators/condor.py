"""Short iron condor on an index: sell a put spread and a call spread for one net credit.

Strikes (index points): long put P_l < short put P_s ≤ short call C_s < long call C_l
(P_s = C_s is an iron butterfly). Net credit c in index points per share; dollars are
points × multiplier (SPX: 100) × contracts.

Always (expiry arithmetic):
    put width w_p = P_s − P_l, call width w_c = C_l − C_s
    lower break-even = P_s − c, upper break-even = C_s + c
    max profit = c (the index ends between the short strikes)
    max loss = max(w_p, w_c) − c (the index ends beyond the long strike of the wider side)
    risk/reward = max loss / max profit

With spot S, volatility σ and T = days / 365, the index at expiry is lognormal with drift
r − q: ln S_T ~ Normal(ln S + (r − q − σ²/2)·T, σ²·T), so P(S_T > K) = N(d2(K)) with
d2(K) = (ln(S/K) + (r − q − σ²/2)·T) / (σ·√T). Then:
    pop           = P(lower break-even < S_T < upper break-even)   (P/L at expiry > 0)
    p_max_profit  = P(P_s ≤ S_T ≤ C_s)
    p_max_loss    = P(P/L at expiry = −max loss): beyond the long strike of the wider side
                    (both sides when the wings are equal)
    p_touch       = P(the index trades at the short strike before expiry), the first-passage
                    probability of a Brownian motion with drift ν = r − q − σ²/2: for a barrier
                    H below S, N((b − νT)/(σ√T)) + (H/S)^(2ν/σ²)·N((b + νT)/(σ√T)), b = ln(H/S);
                    mirrored for a barrier above; 1 when S is already at or beyond H
    expected value = c − E[what the condor pays at expiry], integrated in closed form over the
                    same lognormal: E[(K − S_T)⁺] = K·N(−d2) − F·N(−d1), E[(S_T − K)⁺] =
                    F·N(d1) − K·N(d2), F = S·e^((r−q)T) (undiscounted, at expiry)
    theo value    = Black–Scholes–Merton value of the four legs (what it costs to buy back)
    greeks        = of the whole position (short condor), × multiplier × contracts
    expected move = S·σ·√T (index points, one standard deviation)
The probabilities use one volatility: ``iv``, or when only per-leg ``ivs`` are given, the
mean of the two short strikes' volatilities (reported as ``probability_iv``). Leg prices,
greeks and the P/L curve before expiry use each leg's own volatility.

What-if (``calculators.whatif``): ``at_days``, ``at_spot``, ``iv_shift`` / ``at_iv`` give
``what_if``, the P/L at that date, index level and volatility (exact BSM per leg, rate and
dividend); ``grid_spots`` / ``grid_days`` give ``grid``, P/L in dollars over index levels ×
dates; the curve's ``pnl_eval`` is the P/L at ``at_days`` with the what-if volatility.
``eval_days`` is the old name of ``at_days`` and is still accepted. The probabilities, greeks
and expected value stay those of today's market.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field, model_validator

from calculators import whatif

from calculators.base import MAX_COUNT, MAX_PRICE, MIN_CREDIT, Days, Inputs, Outputs, Price, Rate, Volatility, check, fmt
from calculators.bsm import DAYS_PER_YEAR, black_scholes, norm_cdf
from calculators.errors import CalculatorError
from calculators.registry import Calculator, register

LEGS = ("long_put", "short_put", "short_call", "long_call")
LEG_SIGNS = np.array([1.0, -1.0, -1.0, 1.0])  # +1 bought, −1 sold
LEG_IS_CALL = np.array([False, False, True, True])
CURVE_POINTS = 61
GRID_SPOTS, GRID_DAYS = 21, 6  # the grid's default size when only one of its axes is given
CREDIT_TOLERANCE = 0.005  # half a cent: a stated credit and leg prices may differ by rounding


class LegPrices(Inputs):
    """Price of each leg, index points per share."""

    long_put: float = Field(ge=0, le=MAX_PRICE)
    short_put: float = Field(ge=0, le=MAX_PRICE)
    short_call: float = Field(ge=0, le=MAX_PRICE)
    long_call: float = Field(ge=0, le=MAX_PRICE)


class LegVols(Inputs):
    """Implied volatility of each leg, decimals (0.18) or percents ('18%')."""

    long_put: Volatility
    short_put: Volatility
    short_call: Volatility
    long_call: Volatility


def check_condor(long_put: float, short_put: float, short_call: float, long_call: float, credit: float) -> None:
    """Raise CalculatorError unless the strikes are ordered, both wings have width, and the credit fits."""
    check(long_put != short_put, f"the put wing has zero width: the long put and the short put are both {fmt(short_put)}")
    check(long_call != short_call, f"the call wing has zero width: the short call and the long call are both {fmt(short_call)}")
    check(long_put < short_put, f"the long put ({fmt(long_put)}) must be below the short put ({fmt(short_put)})")
    check(short_put <= short_call, f"the short put ({fmt(short_put)}) must be below the short call ({fmt(short_call)})")
    check(short_call < long_call, f"the long call ({fmt(long_call)}) must be above the short call ({fmt(short_call)})")
    check(credit > 0, f"the credit must be positive (got {fmt(credit)}): an iron condor is sold for a net credit")
    check(credit >= MIN_CREDIT, f"the credit must be at least {fmt(MIN_CREDIT)} points (got {credit:g})")
    narrower = min(short_put - long_put, long_call - short_call)
    check(
        credit < narrower,
        f"the credit ({fmt(credit)}) must be less than the narrower wing's width ({fmt(narrower)} points); "
        "otherwise that side could never lose",
    )


class IronCondorInputs(Inputs):
    """Four strikes and a net credit (or four leg prices); optionally the market for probabilities."""

    long_put: Price = Field(description="strike of the put bought, index points")
    short_put: Price = Field(description="strike of the put sold")
    short_call: Price = Field(description="strike of the call sold")
    long_call: Price = Field(description="strike of the call bought")
    credit: float | None = Field(None, description="net credit, index points per share; optional with leg_prices")
    leg_prices: LegPrices | None = Field(None, description="price of each leg; the credit is what they net to")
    contracts: int = Field(1, ge=1, le=MAX_COUNT, description="number of condors")
    multiplier: int = Field(100, ge=1, le=MAX_COUNT, description="dollars per index point per contract (SPX: 100)")
    spot: Price | None = Field(None, description="index level now")
    iv: Volatility | None = Field(None, description="implied volatility, one for all legs")
    ivs: LegVols | None = Field(None, description="implied volatility per leg")
    days: Days | None = Field(None, description="calendar days to expiry")
    rate: Rate = Field(0.0, description="risk-free rate, continuous, decimal (0.04) or percent (4%)")
    dividend: Rate = Field(0.0, description="dividend yield, continuous, decimal (0.013) or percent (1.3%)")
    at_days: float | None = Field(None, ge=0, le=36_500, description=whatif.AT_DAYS_HELP)
    at_spot: Price | None = Field(None, description=whatif.AT_SPOT_HELP)
    iv_shift: whatif.IvShift | None = Field(None, description=whatif.IV_SHIFT_HELP)
    at_iv: Volatility | None = Field(None, description=whatif.AT_IV_HELP)
    grid_spots: whatif.GridSpots | None = Field(None, description=whatif.GRID_SPOTS_HELP)
    grid_days: whatif.GridDays | None = Field(None, description=whatif.GRID_DAYS_HELP)

    @model_validator(mode="before")
    @classmethod
    def _old_names(cls, raw):
        """``eval_days`` is the old name of ``at_days``."""
        if isinstance(raw, dict) and "eval_days" in raw:
            raw = dict(raw)
            old = raw.pop("eval_days")
            if raw.get("at_days") is None:
                raw["at_days"] = old
            elif old is not None and old != raw["at_days"]:
                raise CalculatorError("eval_days is the old name of at_days; give one of them")
        return raw

    @model_validator(mode="after")
    def _check(self) -> IronCondorInputs:
        if self.leg_prices is None:
            check(self.credit is not None, "give the net credit, or the four leg prices")
        elif self.credit is not None:
            net = _net_of(self.leg_prices)
            check(
                abs(self.credit - net) <= CREDIT_TOLERANCE,
                f"the credit ({fmt(self.credit)}) does not match the leg prices, which net to {fmt(net)}; give one or the other",
            )
        check_condor(self.long_put, self.short_put, self.short_call, self.long_call, self.net_credit)
        whatif.check_what_if(LEGS, self.leg_vols, self.days, self.at_days, self.iv_shift, self.at_iv, self.grid_days)
        return self

    @property
    def leg_vols(self) -> np.ndarray | None:
        """Each leg's own volatility (``ivs``, else ``iv`` for all four), or None."""
        if self.ivs is not None:
            return np.array([getattr(self.ivs, leg) for leg in LEGS])
        if self.iv is not None:
            return np.full(4, self.iv)
        return None

    @property
    def wants_what_if(self) -> bool:
        return any(v is not None for v in (self.at_days, self.at_spot, self.iv_shift, self.at_iv))

    @property
    def net_credit(self) -> float:
        """The stated credit, else what the leg prices net to."""
        return self.credit if self.credit is not None else _net_of(self.leg_prices)

    @property
    def strikes(self) -> np.ndarray:
        return np.array([self.long_put, self.short_put, self.short_call, self.long_call])


def _net_of(prices: LegPrices) -> float:
    return prices.short_put + prices.short_call - prices.long_put - prices.long_call


class PositionGreeks(Outputs):
    """Greeks of the whole position (short condor), × multiplier × contracts."""

    delta: float  # dollars per 1 point of the index
    gamma: float  # change of that delta per 1 point
    theta: float  # dollars per calendar day
    vega: float  # dollars per volatility point


class PayoffCurve(Outputs):
    """P/L in dollars (all contracts) against the index, for charts: 61 evenly spaced levels
    plus the strikes, break-evens and spot, ascending."""

    prices: list[float]
    pnl_expiry: list[float]
    pnl_eval: list[float] | None  # at at_days from now (default today) with the what-if volatility; needs a volatility and days


class IronCondorOutputs(Outputs):
    lower_breakeven: float
    upper_breakeven: float
    max_profit_points: float
    max_profit: float  # dollars
    max_loss_points: float
    max_loss: float  # dollars, a positive number
    risk_reward: float  # max loss / max profit
    put_width: float
    call_width: float
    credit: float  # points per share
    probability_iv: float | None = None
    pop: float | None = None
    p_max_profit: float | None = None
    p_max_loss: float | None = None
    p_touch_short_put: float | None = None
    p_touch_short_call: float | None = None
    expected_value_points: float | None = None
    expected_value: float | None = None  # dollars
    theo_value: float | None = None  # points per share
    greeks: PositionGreeks | None = None
    expected_move: float | None = None  # points
    curve: PayoffCurve
    what_if: whatif.WhatIf | None = None  # with at_days / at_spot / iv_shift / at_iv
    grid: whatif.PnlGrid | None = None  # with grid_spots / grid_days
    notes: list[str] = []


def condor_owed(index_at_expiry, strikes: np.ndarray) -> np.ndarray:
    """What the short condor pays at expiry, points per share:
    (P_s − S)⁺ − (P_l − S)⁺ + (S − C_s)⁺ − (S − C_l)⁺."""
    s = np.asarray(index_at_expiry, dtype=float)
    long_put, short_put, short_call, long_call = strikes
    return (
        np.maximum(short_put - s, 0.0)
        - np.maximum(long_put - s, 0.0)
        + np.maximum(s - short_call, 0.0)
        - np.maximum(s - long_call, 0.0)
    )


def prob_above(levels, spot: float, vol: float, t: float, rate: float, dividend: float) -> np.ndarray:
    """P(S_T > K) = N(d2(K)) under the lognormal with drift r − q, elementwise over K."""
    k = np.asarray(levels, dtype=float)
    d2 = (np.log(spot / k) + (rate - dividend - 0.5 * vol * vol) * t) / (vol * math.sqrt(t))
    return norm_cdf(d2)


def prob_touch(barrier: float, spot: float, vol: float, t: float, rate: float, dividend: float, downward: bool) -> float:
    """P(the index reaches ``barrier`` before T, falling to it if ``downward`` else rising to it):
    first passage of ln S, a Brownian motion with drift ν = r − q − σ²/2 and volatility σ
    (formula in the module docstring); 1 when the index is already at or beyond the barrier."""
    if (downward and spot <= barrier) or (not downward and spot >= barrier):
        return 1.0
    nu = rate - dividend - 0.5 * vol * vol
    b = math.log(barrier / spot)
    s = vol * math.sqrt(t)
    direction = 1.0 if downward else -1.0
    first, second = (direction * b - direction * nu * t) / s, (direction * b + direction * nu * t) / s
    log_reflection = 2.0 * nu * b / (vol * vol)  # ln((H/S)^(2ν/σ²))
    if log_reflection < 700:  # the usual case: the power cannot overflow
        reflected = math.exp(log_reflection) * float(norm_cdf(second))
    else:  # a tiny volatility: the power overflows while N underflows; multiply in logs
        from scipy.special import log_ndtr

        reflected = math.exp(min(0.0, log_reflection + float(log_ndtr(second))))
    return float(min(float(norm_cdf(first)) + reflected, 1.0))


def expected_owed(strikes: np.ndarray, spot: float, vol: float, t: float, rate: float, dividend: float) -> float:
    """E[condor_owed(S_T)] over the lognormal with drift r − q, in closed form (module docstring)."""
    forward = spot * math.exp((rate - dividend) * t)
    sd = vol * math.sqrt(t)
    d1 = (np.log(forward / strikes) + 0.5 * sd * sd) / sd
    d2 = d1 - sd
    n_d1, n_d2, n_minus_d1, n_minus_d2 = norm_cdf(np.stack([d1, d2, -d1, -d2]))
    expected_put = strikes * n_minus_d2 - forward * n_minus_d1  # E[(K − S_T)⁺]
    expected_call = forward * n_d1 - strikes * n_d2  # E[(S_T − K)⁺]
    leg_values = np.where(LEG_IS_CALL, expected_call, expected_put)
    return float(-(LEG_SIGNS * leg_values).sum())


def condor_value(index_levels, strikes: np.ndarray, leg_vols: np.ndarray, years: float, rate: float, dividend: float) -> np.ndarray:
    """Black–Scholes–Merton value of the short condor (its cost to close), points per share, at
    each index level with ``years`` to expiry; at expiry (years ≤ 0) what it pays."""
    if years <= 0:
        return condor_owed(index_levels, strikes)
    s = np.asarray(index_levels, dtype=float)[:, None]
    legs = black_scholes(LEG_IS_CALL, s, strikes, leg_vols, years, rate, dividend)
    return -(legs.price * LEG_SIGNS).sum(axis=1)


def iron_condor(inputs: IronCondorInputs) -> IronCondorOutputs:
    """Break-evens, max P/L, and with spot, iv and days the probabilities, expected value,
    theoretical value, greeks and P/L curves of a short iron condor (module docstring)."""
    strikes = inputs.strikes
    long_put, short_put, short_call, long_call = strikes
    credit = inputs.net_credit
    scale = inputs.multiplier * inputs.contracts
    put_width, call_width = short_put - long_put, long_call - short_call
    max_loss_points = max(put_width, call_width) - credit
    lower_breakeven, upper_breakeven = short_put - credit, short_call + credit
    results: dict = {
        "lower_breakeven": lower_breakeven,
        "upper_breakeven": upper_breakeven,
        "max_profit_points": credit,
        "max_profit": credit * scale,
        "max_loss_points": max_loss_points,
        "max_loss": max_loss_points * scale,
        "risk_reward": max_loss_points / credit,
        "put_width": put_width,
        "call_width": call_width,
        "credit": credit,
        "notes": [],
    }

    leg_vols = inputs.leg_vols
    t = inputs.days / DAYS_PER_YEAR if inputs.days is not None else None
    rate, dividend = inputs.rate, inputs.dividend

    if inputs.spot is not None and leg_vols is not None and t is not None:
        spot = inputs.spot
        vol = inputs.iv if inputs.iv is not None else 0.5 * (inputs.ivs.short_put + inputs.ivs.short_call)
        above = prob_above([lower_breakeven, upper_breakeven, short_put, short_call, long_put, long_call], spot, vol, t, rate, dividend)
        p_below_long_put, p_above_long_call = 1.0 - above[4], above[5]
        if put_width > call_width:
            p_max_loss = p_below_long_put
        elif call_width > put_width:
            p_max_loss = p_above_long_call
        else:
            p_max_loss = p_below_long_put + p_above_long_call
        expected_value_points = credit - expected_owed(strikes, spot, vol, t, rate, dividend)
        legs = black_scholes(LEG_IS_CALL, spot, strikes, leg_vols, t, rate, dividend)
        results.update(
            probability_iv=vol,
            pop=float(above[0] - above[1]),
            p_max_profit=float(above[2] - above[3]),
            p_max_loss=float(p_max_loss),
            p_touch_short_put=prob_touch(short_put, spot, vol, t, rate, dividend, downward=True),
            p_touch_short_call=prob_touch(short_call, spot, vol, t, rate, dividend, downward=False),
            expected_value_points=expected_value_points,
            expected_value=expected_value_points * scale,
            theo_value=float(-(LEG_SIGNS * legs.price).sum()),
            greeks=PositionGreeks(
                delta=float((LEG_SIGNS * legs.delta).sum() * scale),
                gamma=float((LEG_SIGNS * legs.gamma).sum() * scale),
                theta=float((LEG_SIGNS * legs.theta).sum() * scale),
                vega=float((LEG_SIGNS * legs.vega).sum() * scale),
            ),
            expected_move=spot * vol * math.sqrt(t),
        )
    else:
        results["notes"].append("probabilities, expected value, theoretical value and greeks need spot, iv (or ivs) and days")

    pad = max(put_width, call_width)
    low = min(long_put, inputs.spot or long_put) - pad
    high = max(long_call, inputs.spot or long_call) + pad
    # The strikes, break-evens and spot are added to the grid so the chart's corners are exact.
    marks = [*strikes, lower_breakeven, upper_breakeven] + ([inputs.spot] if inputs.spot is not None else [])
    prices = np.unique(np.concatenate([np.linspace(max(low, long_put / 2), high, CURVE_POINTS), marks]))  # index > 0
    pnl_eval = None
    at_vols = whatif.shifted_vols(LEGS, leg_vols, inputs.iv_shift, inputs.at_iv)
    at_days = inputs.at_days or 0.0
    if at_vols is not None and t is not None:
        years_left = (inputs.days - at_days) / DAYS_PER_YEAR
        pnl_eval = ((credit - condor_value(prices, strikes, at_vols, years_left, rate, dividend)) * scale).tolist()

    at_spot = inputs.at_spot if inputs.at_spot is not None else inputs.spot
    if inputs.wants_what_if:
        if at_spot is not None and at_vols is not None and t is not None:
            results["what_if"] = whatif.what_if_block(
                LEGS, LEG_IS_CALL, strikes, LEG_SIGNS, at_vols, credit, at_spot, inputs.days, at_days,
                inputs.iv_shift, inputs.at_iv, rate, dividend, inputs.multiplier, inputs.contracts,
            )
        else:
            results["notes"].append("the what-if needs an index level (spot or at_spot), a volatility (iv, ivs or at_iv) and days")
    if inputs.grid_spots is not None or inputs.grid_days is not None:
        if at_vols is not None and t is not None:
            center = at_spot if at_spot is not None else 0.5 * (short_put + short_call)
            grid_low = max(min(long_put, center) - pad, long_put / 2)
            grid_high = max(long_call, center) + pad
            levels = whatif.grid_axis(inputs.grid_spots, GRID_SPOTS, grid_low, grid_high, "spots", whatif.MAX_GRID_SPOTS)
            days_axis = whatif.grid_axis(inputs.grid_days, GRID_DAYS, 0.0, inputs.days, "days", whatif.MAX_GRID_DAYS)
            results["grid"] = whatif.pnl_grid(LEG_IS_CALL, strikes, LEG_SIGNS, at_vols, credit, inputs.days, levels, days_axis, rate, dividend, scale)
        else:
            results["notes"].append("the P/L grid needs a volatility (iv, ivs or at_iv) and days")
    results["curve"] = PayoffCurve(
        prices=prices.tolist(),
        pnl_expiry=((credit - condor_owed(prices, strikes)) * scale).tolist(),
        pnl_eval=pnl_eval,
    )
    return IronCondorOutputs(**results)


register(
    Calculator(
        name="iron-condor",
        description="Break-evens, max profit/loss, probability of profit, expected value and greeks of an SPX iron condor",
        inputs=IronCondorInputs,
        fn=iron_condor,
        example={
            "long_put": 5650,
            "short_put": 5700,
            "short_call": 6100,
            "long_call": 6150,
            "credit": 5.10,
            "spot": 5900,
            "iv": 0.18,
            "days": 45,
        },
    )
)
