"""QuantLib oracles shared by the calculator tests (QuantLib is a test-only dependency)."""

from __future__ import annotations

import math

import QuantLib as ql

TODAY = ql.Date(15, 1, 2025)


def ql_process(spot: float, vol: float, rate: float, dividend: float, on=TODAY):
    """A Black–Scholes–Merton process with flat curves, Actual/365 (T = days / 365 exactly),
    as seen on date ``on`` (the evaluation date)."""
    ql.Settings.instance().evaluationDate = on
    day_count = ql.Actual365Fixed()
    return ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        ql.YieldTermStructureHandle(ql.FlatForward(on, dividend, day_count)),
        ql.YieldTermStructureHandle(ql.FlatForward(on, rate, day_count)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(on, ql.NullCalendar(), vol, day_count)),
    )


def ql_position_pnl(legs, credit: float, spot: float, days: int, at_days: int, rate: float, dividend: float) -> dict:
    """P/L per share (points) of a position opened today for ``credit``, valued by QuantLib
    ``at_days`` days from now (the evaluation date moved there) with the index at ``spot``;
    expiry stays ``days`` from today. ``legs``: (kind, strike, sign +1 bought / −1 sold, vol).
    Returns {"pnl_points", "leg_values": [NPV per leg]}; at expiry the legs are worth their payoff."""
    values = []
    for kind, strike, _sign, vol in legs:
        if at_days >= days:
            values.append(max(spot - strike, 0.0) if kind == "call" else max(strike - spot, 0.0))
            continue
        process = ql_process(spot, vol, rate, dividend, on=TODAY + at_days)
        option_type = ql.Option.Call if kind == "call" else ql.Option.Put
        option = ql.VanillaOption(ql.PlainVanillaPayoff(option_type, strike), ql.EuropeanExercise(TODAY + days))
        option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
        values.append(option.NPV())
    ql.Settings.instance().evaluationDate = TODAY
    return {"pnl_points": credit + sum(sign * v for (_k, _s, sign, _v), v in zip(legs, values)), "leg_values": values}


def ql_european(kind: str, spot: float, strike: float, vol: float, days: int, rate: float, dividend: float):
    """A QuantLib European option with the analytic engine, and its process."""
    process = ql_process(spot, vol, rate, dividend)
    option_type = ql.Option.Call if kind == "call" else ql.Option.Put
    option = ql.VanillaOption(ql.PlainVanillaPayoff(option_type, strike), ql.EuropeanExercise(TODAY + days))
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return option, process


def ql_touch_probability(barrier: float, spot: float, vol: float, days: int, rate: float, dividend: float, downward: bool) -> float:
    """P(touch) from QuantLib: a one-touch digital paying 1 at expiry is worth e^(−rT)·P(touch)."""
    process = ql_process(spot, vol, rate, dividend)
    option_type = ql.Option.Put if downward else ql.Option.Call
    option = ql.VanillaOption(ql.CashOrNothingPayoff(option_type, barrier, 1.0), ql.AmericanExercise(TODAY, TODAY + days, True))
    option.setPricingEngine(ql.AnalyticDigitalAmericanEngine(process))
    return option.NPV() * math.exp(rate * days / 365.0)
