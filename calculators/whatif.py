"""What-if for a position of European options (iron condor, vertical spread): P/L at a chosen
date, index level and volatility, and a P/L grid of index levels × dates.

A position is a list of legs i = 1..n: call or put, strike K_i, sign s_i (+1 bought, −1 sold),
volatility σ_i; it was opened for a net credit c (index points per share). With D the days to
expiry, t the days from now at which to value it (0 ≤ t ≤ D), S the index level then and
τ = (D − t) / 365 the years left:

    mark(S, t)  = Σ s_i · BSM_i(S, K_i, σ'_i, τ, r, q)       (value of the legs as held, points per share)
    P/L(S, t)   = c + mark(S, t)                             (points per share = points per contract)
    dollars     = P/L × multiplier (one contract) × contracts (the position)

BSM_i is the exact Black–Scholes–Merton price with continuous rate r and dividend yield q
(``calculators.bsm``); at expiry (τ = 0) it is the payoff, (S − K)⁺ or (K − S)⁺. The rate and
the dividend yield are flat, so valuing at day t is the same as valuing today with τ left.

Volatility at the what-if: σ'_i = ``at_iv`` for every leg when given; otherwise
σ'_i = σ_i + ``iv_shift`` / 100, where ``iv_shift`` is in volatility points (5 means +5 points:
18 % becomes 23 %) and σ_i is the leg's own volatility (``ivs``) or the common ``iv``.

The what-if input fields, the same on every position calculator:
    at_days     days from now at which to value the position, 0 (today) to days (expiry)
    at_spot     index level then (default: spot)
    iv_shift    volatility points added to every leg's volatility (−100 to 100)
    at_iv       one absolute volatility for every leg instead (decimal or percent)
    grid_spots  P/L grid rows: a count (2–200, evenly spaced over the chart's range) or a list of levels
    grid_days   P/L grid columns: a count (2–100, evenly spaced from today to expiry) or a list of days from now
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, Field

from calculators.base import MAX_DAYS, MAX_PRICE, MIN_VOLATILITY, FieldProblem, Outputs, check, fmt
from calculators.bsm import DAYS_PER_YEAR, norm_cdf

MAX_GRID_SPOTS = 200
MAX_GRID_DAYS = 100
MAX_IV_SHIFT = 100.0  # volatility points


def _iv_shift(value: Any) -> Any:
    """Volatility points: 5 or '+5'; a percent sign is refused because it is ambiguous."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            raise FieldProblem(
                f"is in volatility points: write {text[:-1].strip()} for +{text[:-1].strip().lstrip('+')} points "
                f"(18% becomes 23% with 5), not {text!r}"
            )
        return text.lstrip("+") if text.startswith("+") else text
    return value


def _grid_spec(value: Any) -> Any:
    """A count (a whole number) or a list of values; a string '21' is a count, '5700,5800' a list."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if len(parts) == 1 and "," not in value:
            try:
                return int(parts[0])
            except ValueError:
                return parts[0]
        return parts
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


IvShift = Annotated[float, BeforeValidator(_iv_shift), Field(ge=-MAX_IV_SHIFT, le=MAX_IV_SHIFT)]
"""A volatility shift in volatility points (5 = +5 points), −100 to 100."""

GridSpots = Annotated[
    int | list[Annotated[float, Field(gt=0, le=MAX_PRICE)]],
    BeforeValidator(_grid_spec),
]
"""How many index levels (2–200), or the levels themselves."""

GridDays = Annotated[int | list[Annotated[float, Field(ge=0, le=MAX_DAYS)]], BeforeValidator(_grid_spec)]
"""How many dates (2–100, today to expiry), or the days from now themselves."""

AT_DAYS_HELP = "what-if: days from now at which to value the position, 0 (today) to days (expiry)"
AT_SPOT_HELP = "what-if: index level then (default: spot)"
IV_SHIFT_HELP = "what-if: volatility points added to every leg (5 = +5 points: 18% becomes 23%)"
AT_IV_HELP = "what-if: one volatility for every leg instead of iv/ivs (decimal or percent)"
GRID_SPOTS_HELP = "P/L grid rows: a count (2-200) or a comma-separated list of index levels"
GRID_DAYS_HELP = "P/L grid columns: a count (2-100, today to expiry) or a list of days from now"


class WhatIf(Outputs):
    """P/L of the position at one date, index level and volatility, with the assumptions used."""

    at_days: float  # days from now
    days_remaining: float  # days left to expiry then
    spot: float  # index level then
    ivs: dict[str, float]  # volatility of each leg used (decimal)
    iv_shift: float  # volatility points applied (0 with at_iv or without a shift)
    rate: float
    dividend: float
    multiplier: int
    contracts: int
    leg_values: dict[str, float]  # BSM value of each leg then, points per share (positive)
    value_points: float  # cost to close the position then, points per share
    pnl_points: float  # P/L per contract, index points (credit − cost to close)
    pnl_per_contract: float  # dollars, one contract
    position_pnl_points: float  # pnl_points × contracts
    pnl: float  # dollars, the whole position


class PnlGrid(Outputs):
    """P/L in dollars of the whole position: pnl[i][j] at index level spots[i] on day days[j] from now."""

    spots: list[float]
    days: list[float]
    pnl: list[list[float]]


def bsm_price(is_call, spot, strike, vol, years, rate: float = 0.0, dividend: float = 0.0) -> np.ndarray:
    """Black–Scholes–Merton price only (``bsm.black_scholes`` without the greeks), broadcast
    like numpy; where ``years`` ≤ 0 the payoff (S − K)⁺ or (K − S)⁺."""
    is_call = np.asarray(is_call, dtype=bool)
    s, k, v, t = (np.asarray(a, dtype=float) for a in (spot, strike, vol, years))
    live = t > 0
    t_safe = np.where(live, t, 1.0)
    sd = v * np.sqrt(t_safe)
    d1 = (np.log(s / k) + (rate - dividend) * t_safe) / sd + 0.5 * sd
    d2 = d1 - sd
    sign = np.where(is_call, 1.0, -1.0)
    price = sign * (s * np.exp(-dividend * t_safe) * norm_cdf(sign * d1) - k * np.exp(-rate * t_safe) * norm_cdf(sign * d2))
    payoff = np.maximum(sign * (s - k), 0.0)
    return np.where(live, price, payoff)


def position_pnl(is_call, strikes, signs, vols, credit: float, spots, days_left, rate: float, dividend: float) -> np.ndarray:
    """P/L per share (points) at every index level × days left: c + Σ s_i·BSM_i, shape (levels, dates)."""
    s = np.asarray(spots, dtype=float)[:, None, None]
    years = (np.asarray(days_left, dtype=float) / DAYS_PER_YEAR)[None, :, None]
    legs = bsm_price(is_call, s, strikes, vols, years, rate, dividend)
    return credit + (np.asarray(signs, dtype=float) * legs).sum(axis=-1)


def shifted_vols(names: tuple[str, ...], vols: np.ndarray | None, iv_shift: float | None, at_iv: float | None) -> np.ndarray | None:
    """The what-if volatility of each leg (module docstring); None when there is none to use."""
    if at_iv is not None:
        return np.full(len(names), at_iv)
    if vols is None:
        return None
    return np.round(vols + (iv_shift or 0.0) / 100.0, 12)  # 0.18 + 5 points reads 0.23, not 0.22999999999999998


def _leg_label(name: str) -> str:
    """'short_put' -> 'short put'; a spread's 'short' -> 'short leg'."""
    return name.replace("_", " ") if "_" in name else f"{name} leg"


def check_what_if(names: tuple[str, ...], vols: np.ndarray | None, days: float | None, at_days, iv_shift, at_iv, grid_days) -> None:
    """Raise CalculatorError unless the what-if inputs fit the position."""
    if at_days is not None:
        check(days is not None, "at_days needs days (the days to expiry)")
        check(at_days <= days, f"at_days ({fmt(at_days)}) must not be after expiry ({fmt(days)} days)")
    check(iv_shift is None or at_iv is None, "give iv_shift (a change in volatility points) or at_iv (a new volatility), not both")
    if iv_shift is not None:
        check(vols is not None, "iv_shift needs a volatility to shift: give iv or ivs (or at_iv for a new volatility)")
        lowest = int(np.argmin(vols))
        check(
            vols[lowest] + iv_shift / 100.0 >= MIN_VOLATILITY,
            f"iv_shift ({fmt(iv_shift)} points) would take the {_leg_label(names[lowest])}'s volatility "
            f"({fmt(vols[lowest] * 100)} %) to zero or below",
        )
    if isinstance(grid_days, list):
        check(days is not None, "grid_days needs days (the days to expiry)")
        late = [d for d in grid_days if d > days]
        check(not late, f"grid_days ({fmt(late[0]) if late else ''}) must not be after expiry ({fmt(days)} days)")


def grid_axis(spec, default_count: int, low: float, high: float, what: str, most: int) -> np.ndarray:
    """The grid's levels or days: a count spread evenly over [low, high], or the given list (sorted, unique)."""
    if spec is None:
        spec = default_count
    if isinstance(spec, int):
        check(2 <= spec <= most, f"grid_{what} must be a count from 2 to {most} (got {spec}), or a list of {'index levels' if what == 'spots' else 'days from now'}")
        return np.linspace(low, high, spec)
    check(1 <= len(spec) <= most, f"grid_{what} must list 1 to {most} values (got {len(spec)})")
    return np.unique(np.asarray(spec, dtype=float))


def what_if_block(
    names: tuple[str, ...],
    is_call,
    strikes,
    signs,
    vols: np.ndarray,
    credit: float,
    spot: float,
    days: float,
    at_days: float,
    iv_shift: float | None,
    at_iv: float | None,
    rate: float,
    dividend: float,
    multiplier: int,
    contracts: int,
) -> WhatIf:
    """The ``what_if`` output: P/L at ``at_days`` from now, index ``spot``, leg volatilities ``vols``."""
    days_remaining = max(days - at_days, 0.0)
    leg_values = bsm_price(is_call, spot, strikes, vols, days_remaining / DAYS_PER_YEAR, rate, dividend)
    mark = float((np.asarray(signs) * leg_values).sum())
    pnl_points = credit + mark
    return WhatIf(
        at_days=at_days,
        days_remaining=days_remaining,
        spot=spot,
        ivs={name: float(v) for name, v in zip(names, vols)},
        iv_shift=0.0 if at_iv is not None else float(iv_shift or 0.0),
        rate=rate,
        dividend=dividend,
        multiplier=multiplier,
        contracts=contracts,
        leg_values={name: float(v) for name, v in zip(names, leg_values)},
        value_points=-mark,
        pnl_points=pnl_points,
        pnl_per_contract=pnl_points * multiplier,
        position_pnl_points=pnl_points * contracts,
        pnl=pnl_points * multiplier * contracts,
    )


def pnl_grid(is_call, strikes, signs, vols, credit: float, days: float, spots: np.ndarray, at: np.ndarray,
             rate: float, dividend: float, scale: float) -> PnlGrid:
    """The ``grid`` output: P/L in dollars (× multiplier × contracts) at each level × day from now."""
    pnl = position_pnl(is_call, strikes, signs, vols, credit, spots, np.maximum(days - at, 0.0), rate, dividend) * scale
    return PnlGrid(spots=spots.tolist(), days=at.tolist(), pnl=pnl.tolist())
