"""Black–Scholes–Merton price, greeks and implied volatility against QuantLib."""

from __future__ import annotations

import random

import pytest
from ql_oracle import ql_european

from calculators.bsm import ImpliedVolInputs, OptionInputs, implied_vol, option
from calculators.errors import CalculatorError

REL = 1e-6


def _spx_cases(count: int = 40) -> list[tuple]:
    """Out-of-the-money SPX-like options: spot 4,000–7,000, IV 10–40 %, 7–60 days, rates 0–5 %,
    yields 0–1.5 %; kept where the option is worth at least 0.05 (the smallest SPX tick)."""
    rng = random.Random(20250115)
    cases = []
    while len(cases) < count:
        kind = rng.choice(["put", "call"])
        spot = rng.choice([4000.0, 4550.0, 5125.0, 5900.0, 6480.0, 7000.0])
        moneyness = rng.choice([0.88, 0.92, 0.95, 0.97, 0.99]) if kind == "put" else rng.choice([1.01, 1.03, 1.05, 1.08, 1.12])
        strike = round(spot * moneyness / 5) * 5
        case = (kind, spot, strike, rng.choice([0.10, 0.14, 0.18, 0.25, 0.32, 0.40]), rng.choice([7, 14, 21, 30, 45, 60]),
                rng.choice([0.0, 0.01, 0.03, 0.045, 0.05]), rng.choice([0.0, 0.005, 0.013, 0.015]))
        option_ql, _ = ql_european(*case)
        if option_ql.NPV() >= 0.05:
            cases.append(case)
    return cases


CASES = _spx_cases()


def test_the_cases_cover_the_stated_ranges():
    kinds, spots, strikes, vols, days, rates, yields = zip(*CASES)
    assert len(CASES) >= 30 and set(kinds) == {"put", "call"}
    assert min(spots) >= 4000 and max(spots) <= 7000 and min(vols) >= 0.10 and max(vols) <= 0.40
    assert min(days) >= 7 and max(days) <= 60 and max(rates) <= 0.05 and max(yields) <= 0.015
    assert all((k < s) if kind == "put" else (k > s) for kind, s, k in zip(kinds, spots, strikes))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]:g}-{c[2]:g}-{c[3]}-{c[4]}d-r{c[5]}-q{c[6]}")
def test_price_and_greeks_match_quantlib(case):
    kind, spot, strike, vol, days, rate, dividend = case
    expected, _ = ql_european(*case)
    got = option(OptionInputs(kind=kind, spot=spot, strike=strike, iv=vol, days=days, rate=rate, dividend=dividend))
    assert got.price == pytest.approx(expected.NPV(), rel=REL)
    assert got.delta == pytest.approx(expected.delta(), rel=REL)
    assert got.gamma == pytest.approx(expected.gamma(), rel=REL)
    assert got.theta == pytest.approx(expected.theta() / 365.0, rel=REL)  # QuantLib: per year
    assert got.vega == pytest.approx(expected.vega() / 100.0, rel=REL)  # QuantLib: per 1.0 of vol
    assert got.rho == pytest.approx(expected.rho() / 100.0, rel=REL)  # QuantLib: per 1.0 of rate


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]:g}-{c[2]:g}-{c[3]}-{c[4]}d")
def test_implied_vol_matches_quantlib(case):
    kind, spot, strike, vol, days, rate, dividend = case
    expected, process = ql_european(*case)
    price = expected.NPV()
    got = implied_vol(ImpliedVolInputs(kind=kind, spot=spot, strike=strike, price=price, days=days, rate=rate, dividend=dividend))
    assert got.iv == pytest.approx(expected.impliedVolatility(price, process, 1e-12, 1000, 1e-7, 4.0), rel=REL)
    assert got.iv == pytest.approx(vol, rel=REL)
    assert got.vega == pytest.approx(expected.vega() / 100.0, rel=1e-5)


def test_a_hand_worked_at_the_money_call():
    # S = K = 100, σ = 20 %, T = 1 year, r = q = 0: d1 = 0.1, d2 = −0.1, price = 100·(N(0.1) − N(−0.1)) = 7.965567...
    got = option(OptionInputs(kind="call", spot=100, strike=100, iv=0.2, days=365))
    assert got.price == pytest.approx(7.965567455405804, rel=1e-12)
    assert got.delta == pytest.approx(0.539827837277029, rel=1e-12)  # N(0.1)


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"price": 0.0}, "price must be greater than 0"),
        ({"price": 99.0}, "at or below its no-arbitrage floor"),  # an ITM put worth less than K − S
        ({"price": 6000.5}, "at or above its ceiling"),  # a put is worth less than its strike
        ({"price": 5999.0}, "implies a volatility above 1000 %"),
    ],
)
def test_implied_vol_rejects_prices_no_volatility_can_give(raw, sentence):
    base = {"kind": "put", "spot": 5900, "strike": 6000, "days": 30}
    with pytest.raises(CalculatorError, match=sentence):
        implied_vol(ImpliedVolInputs(**(base | raw)))


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ({"iv": -0.2}, "iv must be a positive volatility"),
        ({"iv": 18}, "for 18 % write 0.18 or 18%"),
        ({"iv": float("nan")}, "iv must be a finite number"),
        ({"spot": float("inf")}, "spot must be a finite number"),
        ({"days": 0}, "days must be greater than 0"),
        ({"days": -3}, "days must be greater than 0"),
        ({"rate": 4}, "for 4 % write 0.04 or 4%"),
        ({"kind": "straddle"}, "kind must be 'call' or 'put'"),
        ({"strike": "abc"}, "strike must be a number"),
    ],
)
def test_option_rejects_bad_inputs_with_a_sentence(raw, sentence):
    base = {"kind": "call", "spot": 5900, "strike": 6000, "iv": 0.18, "days": 30}
    with pytest.raises(CalculatorError, match=sentence):
        OptionInputs(**(base | raw))


def test_percent_strings_mean_the_same_decimal():
    as_percent = OptionInputs(kind="call", spot=5900, strike=6000, iv="18%", days=30, rate="4.5%", dividend="1.3 %")
    as_decimal = OptionInputs(kind="call", spot=5900, strike=6000, iv=0.18, days=30, rate=0.045, dividend=0.013)
    assert as_percent == as_decimal
