"""Black–Scholes–Merton for one European option, and implied volatility from a price.

With S spot, K strike, σ volatility, T = days / 365, r rate, q dividend yield (continuous):

    d1 = (ln(S/K) + (r − q + σ²/2)·T) / (σ·√T),   d2 = d1 − σ·√T
    call = S·e^(−qT)·N(d1) − K·e^(−rT)·N(d2)
    put  = K·e^(−rT)·N(−d2) − S·e^(−qT)·N(−d1)

Greeks, in the units a trader reads them:
    delta  call e^(−qT)·N(d1), put −e^(−qT)·N(−d1)            (per 1 point of the index)
    gamma  e^(−qT)·n(d1) / (S·σ·√T)                            (delta change per 1 point)
    theta  ∂price/∂t per calendar day (the per-year figure / 365, negative for a long option):
           call −S·e^(−qT)·n(d1)·σ/(2√T) − r·K·e^(−rT)·N(d2) + q·S·e^(−qT)·N(d1)
           put  −S·e^(−qT)·n(d1)·σ/(2√T) + r·K·e^(−rT)·N(−d2) − q·S·e^(−qT)·N(−d1)
    vega   S·e^(−qT)·n(d1)·√T / 100                            (per 1 volatility point)
    rho    call K·T·e^(−rT)·N(d2) / 100, put −K·T·e^(−rT)·N(−d2) / 100   (per 1 rate point)
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
from pydantic import Field

from calculators.base import Days, Inputs, Outputs, Price, Rate, Volatility, fmt
from calculators.errors import CalculatorError
from calculators.registry import Calculator, register

DAYS_PER_YEAR = 365.0

# math.erfc keeps full precision far in the tails; scipy.special.ndtr would do the same but
# costs a fifth of a second of import time on every `vixshield calc` call.
_erfc = np.vectorize(math.erfc, otypes=[float])


def norm_cdf(x):
    """Standard normal cumulative distribution N(x) = erfc(−x/√2)/2, elementwise."""
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2.0))


def norm_pdf(x):
    """Standard normal density n(x) = e^(−x²/2)/√(2π), elementwise."""
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


class BsmValues(NamedTuple):
    """Price and greeks of one option per share (index points), in the module's units."""

    price: np.ndarray
    delta: np.ndarray
    gamma: np.ndarray
    theta: np.ndarray  # per calendar day
    vega: np.ndarray  # per volatility point
    rho: np.ndarray  # per rate point


def black_scholes(is_call, spot, strike, vol, t, rate=0.0, dividend=0.0) -> BsmValues:
    """Vectorised Black–Scholes–Merton price and greeks (formulas in the module docstring).

    Arguments broadcast like numpy arrays; ``t`` is in years and must be positive.
    """
    is_call = np.asarray(is_call, dtype=bool)
    s, k, v, t = (np.asarray(a, dtype=float) for a in (spot, strike, vol, t))
    sqrt_t = np.sqrt(t)
    d1 = (np.log(s / k) + (rate - dividend + 0.5 * v * v) * t) / (v * sqrt_t)
    d2 = d1 - v * sqrt_t
    sign = np.where(is_call, 1.0, -1.0)
    growth = np.exp(-dividend * t)  # e^(−qT)
    discount = np.exp(-rate * t)  # e^(−rT)
    n_d1 = norm_pdf(d1)
    cdf_d1, cdf_d2 = norm_cdf(sign * d1), norm_cdf(sign * d2)

    price = sign * (s * growth * cdf_d1 - k * discount * cdf_d2)
    delta = sign * growth * cdf_d1
    gamma = growth * n_d1 / (s * v * sqrt_t)
    theta_year = -s * growth * n_d1 * v / (2.0 * sqrt_t) - sign * rate * k * discount * cdf_d2 + sign * dividend * s * growth * cdf_d1
    vega = s * growth * n_d1 * sqrt_t
    rho = sign * k * t * discount * cdf_d2
    return BsmValues(price, delta, gamma, theta_year / DAYS_PER_YEAR, vega / 100.0, rho / 100.0)


# --- option ------------------------------------------------------------------------------


class OptionInputs(Inputs):
    """One European option on an index."""

    kind: Literal["call", "put"]
    spot: Price = Field(description="index level now")
    strike: Price = Field(description="strike, index points")
    iv: Volatility = Field(description="implied volatility, decimal (0.18) or percent (18%)")
    days: Days = Field(description="calendar days to expiry")
    rate: Rate = Field(0.0, description="risk-free rate, continuous, decimal (0.04) or percent (4%)")
    dividend: Rate = Field(0.0, description="dividend yield, continuous, decimal (0.013) or percent (1.3%)")


class OptionOutputs(Outputs):
    price: float  # index points per share
    delta: float  # per 1 point of the index
    gamma: float  # delta change per 1 point
    theta: float  # price change per calendar day
    vega: float  # price change per 1 volatility point
    rho: float  # price change per 1 rate point


def option(inputs: OptionInputs) -> OptionOutputs:
    """Black–Scholes–Merton price and greeks of one European option (see the module docstring).

    Price in index points per share (× multiplier for dollars per contract); theta per calendar
    day, vega per volatility point, rho per rate point; T = days / 365.
    """
    values = black_scholes(
        inputs.kind == "call", inputs.spot, inputs.strike, inputs.iv, inputs.days / DAYS_PER_YEAR, inputs.rate, inputs.dividend
    )
    return OptionOutputs(**{name: float(value) for name, value in values._asdict().items()})


# --- implied volatility ---------------------------------------------------------------------


class ImpliedVolInputs(Inputs):
    """A European option's market price, from which to back out the volatility."""

    kind: Literal["call", "put"]
    spot: Price = Field(description="index level now")
    strike: Price = Field(description="strike, index points")
    price: Price = Field(description="option price, index points per share")
    days: Days = Field(description="calendar days to expiry")
    rate: Rate = Field(0.0, description="risk-free rate, continuous, decimal (0.04) or percent (4%)")
    dividend: Rate = Field(0.0, description="dividend yield, continuous, decimal (0.013) or percent (1.3%)")


class ImpliedVolOutputs(Outputs):
    iv: float  # decimal, 0.15 = 15 %
    vega: float  # per volatility point, at that iv


MIN_VOL, MAX_VOL = 1e-6, 10.0


def implied_vol(inputs: ImpliedVolInputs) -> ImpliedVolOutputs:
    """Volatility σ at which the Black–Scholes–Merton price equals ``price``.

    The price rises with σ from the no-arbitrage floor (call: max(S·e^(−qT) − K·e^(−rT), 0),
    put: max(K·e^(−rT) − S·e^(−qT), 0)) to its ceiling (call S·e^(−qT), put K·e^(−rT)); a price
    outside that range has no volatility. Solved by Newton steps kept inside a shrinking
    bracket (bisection when a step would leave it), to machine precision.
    """
    is_call = inputs.kind == "call"
    t = inputs.days / DAYS_PER_YEAR
    forward_spot = inputs.spot * math.exp(-inputs.dividend * t)
    strike_pv = inputs.strike * math.exp(-inputs.rate * t)
    floor = max(forward_spot - strike_pv, 0.0) if is_call else max(strike_pv - forward_spot, 0.0)
    ceiling = forward_spot if is_call else strike_pv
    if inputs.price <= floor:
        raise CalculatorError(
            f"a {inputs.kind} price of {fmt(inputs.price)} is at or below its no-arbitrage floor "
            f"({fmt(floor)}), so no volatility gives that price"
        )
    if inputs.price >= ceiling:
        raise CalculatorError(
            f"a {inputs.kind} price of {fmt(inputs.price)} is at or above its ceiling ({fmt(ceiling)}), "
            "so no volatility gives that price"
        )

    def price_and_vega(vol: float) -> tuple[float, float]:
        values = black_scholes(is_call, inputs.spot, inputs.strike, vol, t, inputs.rate, inputs.dividend)
        return float(values.price), float(values.vega) * 100.0  # vega per 1.0 of volatility

    low, high = MIN_VOL, MAX_VOL
    if price_and_vega(high)[0] < inputs.price:
        raise CalculatorError(f"a {inputs.kind} price of {fmt(inputs.price)} implies a volatility above {fmt(MAX_VOL * 100)} %")
    vol = 0.2
    for _ in range(200):
        price, vega = price_and_vega(vol)
        error = price - inputs.price
        if error == 0.0:
            break
        if error > 0:
            high = vol
        else:
            low = vol
        step = vol - error / vega if vega > 0 else -1.0
        next_vol = step if low < step < high else 0.5 * (low + high)
        if abs(next_vol - vol) <= 1e-15 * vol or high - low <= 1e-15 * high:
            vol = next_vol
            break
        vol = next_vol
    return ImpliedVolOutputs(iv=vol, vega=price_and_vega(vol)[1] / 100.0)


register(
    Calculator(
        name="option",
        description="Black–Scholes–Merton price and greeks of one European call or put",
        inputs=OptionInputs,
        fn=option,
        example={"kind": "put", "spot": 5900, "strike": 5700, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013},
    )
)

register(
    Calculator(
        name="implied-vol",
        description="Implied volatility of a European call or put from its price",
        inputs=ImpliedVolInputs,
        fn=implied_vol,
        example={"kind": "put", "spot": 5900, "strike": 5700, "price": 52.5, "days": 45, "rate": 0.04, "dividend": 0.013},
    )
)
