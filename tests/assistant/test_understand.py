"""The parser: intents, calculations from plain English, missing inputs and follow-ups."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.understand import CalcRequest, Intent, Understanding, correlation, fraction, money, number, understand

CONDOR = {"long_put": 5800, "short_put": 5850, "short_call": 6100, "long_call": 6150}


def calc(message: str, previous: dict | None = None) -> CalcRequest:
    u = understand(message, previous)
    assert u.intent is Intent.CALCULATION, (message, u)
    assert u.calc is not None
    return u.calc


def state(u: Understanding) -> dict:
    """What the pipeline remembers after a turn (assistant/pipeline.py)."""
    return {
        "topic": u.topic,
        "calculation": {"calculator": u.calc.calculator, "inputs": u.calc.inputs} if u.calc else None,
        "focus": list(u.calc.focus) if u.calc else [],
    }


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [("5,950", 5950), ("4.20", 4.2), ("15", 15), (".5", 0.5), ("1,000,000", 1_000_000), ("three", 3)],
)
def test_number(text, value):
    assert number(text) == value


@pytest.mark.parametrize(
    "value, percent, decimal",
    [(15, True, 0.15), (15, False, 0.15), (0.15, False, 0.15), (0.2, True, 0.002), (1.3, True, 0.013), (4.5, True, 0.045)],
)
def test_fraction(value, percent, decimal):
    assert fraction(value, percent) == decimal


@pytest.mark.parametrize("value, percent, decimal", [(0.6, False, 0.6), (-0.7, False, -0.7), (60, True, 0.6), (1.5, False, 1.5), (60, False, 60)])
def test_correlation_is_a_percent_only_with_a_percent_sign(value, percent, decimal):
    assert correlation(value, percent) == decimal


@pytest.mark.parametrize("value, suffix, dollars", [("50,000", None, 50000), ("1.2", "m", 1_200_000), ("100", "k", 100000)])
def test_money(value, suffix, dollars):
    assert money(value, suffix) == dollars


# --- iron condor strikes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, strikes",
    [
        ("Iron condor 5800/5850/6100/6150 for a 4.20 credit", CONDOR),
        ("5800 / 5850 / 6100 / 6150 condor, credit 4.20", CONDOR),
        ("5800-5850-6100-6150 iron condor credit 4.2", CONDOR),
        (
            "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?",
            {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100},
        ),
        (
            "I bought the 5800 put, sold the 5850 put, sold the 6100 call and bought the 6150 call for 4.20",
            CONDOR,
        ),
        ("condor: short 5850 put, long 5800 put, short 6100 call, long 6150 call, credit 4.2", CONDOR),
        ("Iron condor with the 5850 short put, 5800 long put, 6100 short call and 6150 long call, credit 4.2", CONDOR),
        (
            "4900/4950 put spread and 5300/5350 call spread, credit 2",
            {"long_put": 4900, "short_put": 4950, "short_call": 5300, "long_call": 5350},
        ),
        (
            "What is the max profit and max loss of a 5750/5700 put spread plus 6050/6100 call spread iron condor sold for $3.50?",
            {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100},
        ),
        ("put spread 5800/5850 and call spread 6150/6100, collected 4.20", CONDOR),
        ("Iron condor with short strikes 5850 and 6150 with 50-point wings, credit 4.20", {**CONDOR, "long_call": 6200, "short_call": 6150}),
        ("shorts at 5850/6100, 50 wide, for a 4.20 credit, iron condor", CONDOR),
        (
            "I sell the 5700 put and 6100 call with wings 50 points further out for a 5.10 credit",
            {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150},
        ),
        ("sell the 5850 put and the 6100 call, 50-wide wings, credit 4.2", CONDOR),
        ("iron condor short 5850 put and short 6100 call with a 50 point put wing and 25 point call wing, credit 3", {**CONDOR, "long_call": 6125}),
        # Impossible strikes pass through with their stated roles; the calculator explains the problem.
        (
            "Iron condor with short put 6000 and short call 5900, long put 5950, long call 5950, credit 2. Break-evens?",
            {"long_put": 5950, "short_put": 6000, "short_call": 5900, "long_call": 5950},
        ),
        ("S&P 500 iron condor 5800/5850/6100/6150 for 4.2", CONDOR),
    ],
)
def test_condor_strikes(message, strikes):
    request = calc(message)
    assert request.calculator == "iron-condor"
    assert {k: request.inputs.get(k) for k in strikes} == strikes


# --- credits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, credit",
    [
        ("for a 4.20 credit", 4.2),
        ("collected $3.10", 3.1),
        ("sold for $3.50", 3.5),
        ("credit 2", 2),
        ("a net credit of 1.85", 1.85),
        ("received 3.5 points", 3.5),
        ("for 2.10", 2.1),
        ("credit: 3.05", 3.05),
        ("took in 2.75", 2.75),
        ("3.5 points of credit", 3.5),
        # Dollars larger than the widest wing are dollars per contract: / 100.
        ("$350 credit", 3.5),
        ("collected $420", 4.2),
        ("for $410", 4.1),
        ("a credit of 420 dollars", 4.2),
        # Dollars that fit inside the wing are points.
        ("for $4.20", 4.2),
        # A number of points is never divided, even when it cannot fit: the calculator says why.
        ("credit 60", 60),
    ],
)
def test_credit(phrase, credit):
    request = calc(f"5800/5850/6100/6150 iron condor {phrase}")
    assert request.inputs["credit"] == credit
    assert request.missing == ()


@pytest.mark.parametrize(
    "message, credit",
    [
        # chat eval calc-25-wide: a dash after the credit is punctuation, not a range
        ("5750/5775/6125/6150 condor for 1.25 - break evens?", 1.25),
        ("5750/5775/6125/6150 condor for 1.25 -- break evens?", 1.25),
        # chat eval calc-5-contracts: a price right after the position
        ("5 contracts of the 5650/5700/6000/6050 iron condor at 2.80: break-evens, max profit and max loss?", 2.8),
        ("5650/5700/6000/6050 at 2.80, max loss?", 2.8),
        ("5650/5700/6000/6050 @ 2.80, max loss?", 2.8),
        ("sold the 5650/5700/6000/6050 condor at $2.80, max loss?", 2.8),
    ],
)
def test_credit_after_the_position(message, credit):
    assert calc(message).inputs["credit"] == credit


@pytest.mark.parametrize(
    "message",
    [
        "5800/5850/6100/6150 condor for 25-point wings, break-evens?",
        "5800/5850/6100/6150 condor for 10-20 days, break-evens?",
        "5800/5850/6100/6150 condor at 30 delta, break-evens?",
        "iron condor 5800/5850/6100/6150 sold at 5850, break-evens?",
        "5800/5850/6100/6150 condor at 10 am, break-evens?",
    ],
)
def test_numbers_near_the_position_that_are_not_a_credit(message):
    request = calc(message)
    assert "credit" not in request.inputs and "the net credit" in request.missing


def test_a_single_option_at_a_price_is_not_a_credit():
    request = calc("sell the 5800 put at 3.20 and buy the 5750 put, break-even?")
    assert "credit" not in request.inputs


def test_dollar_credit_without_strikes_uses_100_as_the_line():
    assert calc("iron condor, $350 credit, what's the max loss?").inputs["credit"] == 3.5
    assert calc("iron condor, $3.50 credit, what's the max loss?").inputs["credit"] == 3.5


# --- market inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("SPX at 6000", {"spot": 6000}),
        ("SPX 5500", {"spot": 5500}),
        ("SPX is at 5900", {"spot": 5900}),
        ("spot 6010", {"spot": 6010}),
        ("index at 5,950", {"spot": 5950}),
        ("with the S&P 500 at 5,975", {"spot": 5975}),
        ("SPX trading at 6020.5", {"spot": 6020.5}),
        ("IV 15%", {"iv": 0.15}),
        ("22% implied vol", {"iv": 0.22}),
        ("implied volatility 18%", {"iv": 0.18}),
        ("vol of 0.2", {"iv": 0.2}),
        ("IV of 16", {"iv": 0.16}),
        ("30 days", {"days": 30}),
        ("45 DTE", {"days": 45}),
        ("three weeks", {"days": 21}),
        ("2 months", {"days": 61}),
        ("a month", {"days": 30}),
        ("expiring in 10 days", {"days": 10}),
        ("30-day", {"days": 30}),
        ("days to expiry 12", {"days": 12}),
        ("rate 4%", {"rate": 0.04}),
        ("risk-free 4.5%", {"rate": 0.045}),
        ("risk-free rate of 0.05", {"rate": 0.05}),
        ("zero rates and dividends", {"rate": 0, "dividend": 0}),
        ("rates and dividends of zero", {"rate": 0, "dividend": 0}),
        ("no dividends", {"dividend": 0}),
        ("dividend yield 1.3%", {"dividend": 0.013}),
        ("1.5% dividend yield", {"dividend": 0.015}),
        ("10 contracts", {"contracts": 10}),
        ("5 lots", {"contracts": 5}),
        ("x3", {"contracts": 3}),
        ("two contracts", {"contracts": 2}),
        ("P/L after 10 days", {"at_days": 10}),
    ],
)
def test_market_inputs(phrase, expected):
    request = calc(f"Iron condor 5800/5850/6100/6150 for a 4.20 credit, {phrase}, what is the max loss?")
    for name, value in expected.items():
        assert request.inputs[name] == value, (phrase, request.inputs)


def test_full_condor_request():
    request = calc(
        "5800/5850/6100/6150 for a 4.20 credit, SPX at 6000, IV 15%, 30 days, rate 4%, dividend yield 1.3%, 10 contracts. POP?"
    )
    assert request == CalcRequest(
        "iron-condor",
        {**CONDOR, "credit": 4.2, "contracts": 10, "spot": 6000, "iv": 0.15, "days": 30, "rate": 0.04, "dividend": 0.013},
        (),
        ("pop",),
    )


def test_probability_question_from_the_dev_cases():
    request = calc(
        "SPX is at 5900, implied volatility 18%, 45 days to expiry. I sell the 5700 put and 6100 call with wings 50 points "
        "further out for a 5.10 credit. Assuming zero rates and dividends, what is the probability of profit?"
    )
    assert request.inputs == {
        "long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.1,
        "spot": 5900, "iv": 0.18, "days": 45, "rate": 0, "dividend": 0,
    }
    assert request.focus == ("pop",) and request.missing == ()


# --- focus -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, focus",
    [
        ("What are the break-evens?", ("lower_breakeven", "upper_breakeven")),
        ("breakevens?", ("lower_breakeven", "upper_breakeven")),
        ("What's the lower break-even?", ("lower_breakeven",)),
        ("max profit and max loss?", ("max_profit", "max_loss")),
        ("What is the maximum loss?", ("max_loss",)),
        ("risk/reward?", ("risk_reward",)),
        ("risk to reward ratio?", ("risk_reward",)),
        ("probability of profit?", ("pop",)),
        ("POP?", ("pop",)),
        ("what's my chance of profit?", ("pop",)),
        ("probability of max profit?", ("p_max_profit",)),
        ("probability of max loss?", ("p_max_loss",)),
        ("probability of touching the short put?", ("p_touch_short_put",)),
        ("probability of touch?", ("p_touch_short_put", "p_touch_short_call")),
        ("expected value?", ("expected_value",)),
        ("expected move?", ("expected_move",)),
        ("greeks?", ("greeks",)),
        ("what's the theta?", ("greeks",)),
        ("what is it worth today?", ("theo_value",)),
        ("payoff diagram", ("curve",)),
        ("how wide are the wings?", ("put_width", "call_width")),
        ("", ()),
    ],
)
def test_condor_focus(question, focus):
    request = calc(f"Iron condor 5800/5850/6100/6150 for 4.20, SPX 6000, IV 15%, 30 days. {question}")
    assert request.focus == focus


# --- other calculators ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, calculator, inputs",
    [
        (
            "Correlation is 0.6, my portfolio's volatility is 20% and the hedge instrument's volatility is 40%. What is the minimum-variance hedge ratio?",
            "hedge-ratio",
            {"correlation": 0.6, "portfolio_vol": 0.2, "hedge_vol": 0.4},
        ),
        ("rho 0.35, portfolio vol 18%, VIX calls vol 85%", "hedge-ratio", {"correlation": 0.35, "portfolio_vol": 0.18, "hedge_vol": 0.85}),
        (
            "hedge ratio with a correlation of -0.7, portfolio volatility 15% and hedge volatility 90%?",
            "hedge-ratio",
            {"correlation": -0.7, "portfolio_vol": 0.15, "hedge_vol": 0.9},
        ),
        (
            "If I oversize a $50,000 VIX hedge by the 2.8x decorrelation factor, how large is the hedge?",
            "decorrelation-oversize",
            {"notional": 50000, "factor": 2.8},
        ),
        ("Oversize a $100,000 hedge by 2.8x", "decorrelation-oversize", {"notional": 100000, "factor": 2.8}),
        ("How big is a $1.2m hedge oversized for decorrelation?", "decorrelation-oversize", {"notional": 1_200_000}),
        ("oversize a 100k hedge by a factor of 3", "decorrelation-oversize", {"notional": 100000, "factor": 3}),
        ("5750/5700 put spread for 1.50, max loss?", "vertical-spread", {"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 1.5}),
        ("sell the 6100 call, buy the 6150 call for 1.10", "vertical-spread", {"kind": "call", "short_strike": 6100, "long_strike": 6150, "credit": 1.1}),
        (
            "What's the price of the 6000 call with SPX at 5900, IV 15% and 30 days?",
            "option",
            {"kind": "call", "strike": 6000, "spot": 5900, "iv": 0.15, "days": 30},
        ),
        ("delta of a 5800 put, spot 6000, vol 0.2, 21 days", "option", {"kind": "put", "strike": 5800, "spot": 6000, "iv": 0.2, "days": 21}),
        (
            "What IV is implied by a 5800 put priced at 40 with SPX 6000 and 30 days to expiry?",
            "implied-vol",
            {"kind": "put", "strike": 5800, "price": 40, "spot": 6000, "days": 30},
        ),
        (
            "How many VIX calls do I need to offset half of a $20,000 loss if SPX falls 10% and the VIX rises from 16 to 30, with 22-strike calls costing 1.20?",
            "vix-hedge",
            {"spx_drop": 0.1, "vix": 16, "vix_rise": 14, "call_strike": 22, "call_premium": 1.2, "book_loss": 20000, "offset": 0.5},
        ),
        (
            "VIX at 16, VIX beta 4, SPX drops 10%, VIX 22 calls: how many VIX calls to cover my 5650/5700/6100/6150 condor sold for 5.10, 10 contracts, SPX at 5900?",
            "vix-hedge",
            {
                "spx_drop": 0.1, "vix": 16, "vix_beta": 4, "call_strike": 22, "spot": 5900,
                "condor": {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.1, "contracts": 10},
            },
        ),
        (
            "Lay out the ALVH layers for a $1,000,000 book with 3% allocation and 25% increments at 30/60/90-day expirations",
            "alvh-layers",
            {"notional": 1_000_000, "allocation": 0.03, "increment": 0.25, "expirations": [30, 60, 90]},
        ),
        (
            "ALVH layers for $1m with the 2.8x decorrelation factor, hedge ratio 1:1.3, activate at VIX 18, 22, 26, 30 and 35",
            "alvh-layers",
            {"notional": 1_000_000, "decorrelation_factor": 2.8, "hedge_ratio": 1.3, "activation_levels": [18, 22, 26, 30, 35]},
        ),
        (
            "What's the beta-weighted delta of 100 deltas, beta 1.2, price 590, with SPX at 5900?",
            "beta-weighted-delta",
            {"delta": 100, "beta": 1.2, "price": 590, "benchmark_price": 5900},
        ),
    ],
)
def test_other_calculators(message, calculator, inputs):
    request = calc(message)
    assert (request.calculator, request.inputs, request.missing) == (calculator, inputs, ())


@pytest.mark.parametrize(
    "message, calculator, inputs",
    [
        # chat eval calc-hedge-ratio-3: "sigma <name>" (also the Greek letter)
        (
            "hedge ratio with rho 0.7, sigma portfolio 15% and sigma hedge 35%",
            "hedge-ratio",
            {"correlation": 0.7, "portfolio_vol": 0.15, "hedge_vol": 0.35},
        ),
        ("hedge ratio: \u03c1 0.7, \u03c3 portfolio 15%, \u03c3 VIX calls 80%", "hedge-ratio", {"correlation": 0.7, "portfolio_vol": 0.15, "hedge_vol": 0.8}),
        ("hedge ratio, correlation 0.5, sigma of the book 18%, sigma of the hedge 60%", "hedge-ratio", {"correlation": 0.5, "portfolio_vol": 0.18, "hedge_vol": 0.6}),
        # a plain "sigma" is still the option's volatility
        ("price the 6000 call, SPX 6000, sigma 20%, 30 days", "option", {"kind": "call", "strike": 6000, "spot": 6000, "iv": 0.2, "days": 30}),
        # chat eval calc-oversize-75k: "75,000 dollar" is a dollar amount
        ("Oversize a 75,000 dollar VIX hedge by a factor of 3: what notional do I need?", "decorrelation-oversize", {"notional": 75000, "factor": 3}),
        ("oversize a 1.2 million dollar hedge by 2.8x", "decorrelation-oversize", {"notional": 1_200_000, "factor": 2.8}),
        (
            "VIX at 16, VIX beta 4, SPX falls 10%, 22-strike VIX calls: how many VIX calls to offset a 20,000 dollar loss?",
            "vix-hedge",
            {"spx_drop": 0.1, "vix": 16, "vix_beta": 4, "call_strike": 22, "book_loss": 20000},
        ),
    ],
)
def test_more_phrasings(message, calculator, inputs):
    request = calc(message)
    assert (request.calculator, request.inputs, request.missing) == (calculator, inputs, ())


# --- missing inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, calculator, missing",
    [
        ("What are the break-evens of a 5800/5850/6100/6150 iron condor?", "iron-condor", ("the net credit",)),
        ("Iron condor: buy the 5800 put, sell the 5850 put, sell the 6100 call, credit 4.20. Max loss?", "iron-condor", ("the long call strike",)),
        (
            "What is the probability of profit of a 5800/5850/6100/6150 condor for 4.20?",
            "iron-condor",
            ("the SPX level", "the implied volatility", "the days to expiry"),
        ),
        ("POP of a 5800/5850/6100/6150 condor for 4.20 with SPX 6000 and 30 days?", "iron-condor", ("the implied volatility",)),
        ("expected value of 5800/5850/6100/6150 for 4.20, IV 15%, 30 days", "iron-condor", ("the SPX level",)),
        ("Calculate the break-evens of my iron condor", "iron-condor", ("the long put strike", "the short put strike", "the short call strike", "the long call strike", "the net credit")),
        ("How large is my hedge if I oversize it by 2.8x?", "decorrelation-oversize", ("the hedge notional",)),
        ("What's the hedge ratio with correlation 0.6 and portfolio vol 20%?", "hedge-ratio", ("the hedge instrument's volatility",)),
        ("price of the 6000 call with SPX at 5900", "option", ("the implied volatility", "the days to expiry")),
        (
            "How many VIX calls to offset a $20,000 loss if SPX falls 10%?",
            "vix-hedge",
            ("the VIX level now", "the VIX move in the scenario (points, or a VIX beta)", "the VIX call strike"),
        ),
    ],
)
def test_missing_inputs(message, calculator, missing):
    request = calc(message)
    assert (request.calculator, request.missing) == (calculator, missing)


@pytest.mark.parametrize(
    "message, name, value",
    [
        # chat eval calc-invalid-negative-iv: passed on, so that the calculator explains it
        ("SPX 5900, IV -15%, 30 days, 5700/5750/6050/6100 condor for 3.50. Probability of profit?", "iv", -0.15),
        ("SPX 5900, implied vol of minus 15%, 30 days, 5700/5750/6050/6100 condor for 3.50. POP?", "iv", -0.15),
        ("SPX 5900, IV 15% - 30 days, 5700/5750/6050/6100 condor for 3.50. POP?", "iv", 0.15),  # a dash after is not a sign
        # chat eval calc-invalid-correlation: a correlation is a percent only with "%"
        ("Hedge ratio with correlation 1.5, portfolio vol 20% and hedge vol 40%?", "correlation", 1.5),
        ("Hedge ratio with correlation 60, portfolio vol 20% and hedge vol 40%?", "correlation", 60),
        ("Hedge ratio with correlation 60%, portfolio vol 20% and hedge vol 40%?", "correlation", 0.6),
        ("Hedge ratio with correlation -0.7, portfolio vol 20% and hedge vol 40%?", "correlation", -0.7),
        ("Hedge ratio with correlation 0.6, portfolio vol -20% and hedge vol 40%?", "portfolio_vol", -0.2),
    ],
)
def test_out_of_range_inputs_are_passed_on(message, name, value):
    request = calc(message)
    assert request.inputs[name] == value and request.missing == ()


@pytest.mark.parametrize(
    "message",
    [
        "SPX 5900, IV -15%, 30 days, 5700/5750/6050/6100 condor for 3.50. Probability of profit?",
        "Hedge ratio with correlation 1.5, portfolio vol 20% and hedge vol 40%?",
    ],
)
def test_the_calculators_refuse_out_of_range_inputs(message):
    import calculators  # noqa: F401
    from calculators import registry
    from calculators.errors import CalculatorError

    request = calc(message)
    with pytest.raises(CalculatorError):
        registry.get(request.calculator).run(request.inputs)


def test_missing_inputs_never_invented():
    request = calc("What are the break-evens of a 5800/5850/6100/6150 iron condor?")
    assert request.inputs == CONDOR  # no credit, no contracts, no rate: nothing made up


# --- not a calculation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, intent",
    [
        ("What is an iron condor?", Intent.DEFINITION),
        ("How does the 1:1 peg work?", Intent.METHODOLOGY),
        ("How does a wrapped token keep its 1:1 peg?", Intent.METHODOLOGY),
        ("What did VIX do in 2022?", Intent.METHODOLOGY),
        ("Why are hedges oversized 2.8x?", Intent.METHODOLOGY),
        ("Why do VIX hedges need to be 2.8x larger during DeFi shocks?", Intent.METHODOLOGY),
        ("How badly did NFTs draw down during Terra-Luna?", Intent.METHODOLOGY),
        ("How badly did NFT collections draw down during Terra-Luna and FTX?", Intent.METHODOLOGY),
        ("Which technical indicators are used to adjust the hedge ratios?", Intent.METHODOLOGY),
        ("Can VIX hedges really protect an NFT portfolio from drawdowns?", Intent.METHODOLOGY),
        ("Why layer VIX hedges at 30/60/90-day expirations?", Intent.METHODOLOGY),
        ("Is a 2-5% allocation to VIX instruments enough?", Intent.METHODOLOGY),
        ("How is the ALVH layered?", Intent.METHODOLOGY),
        ("What is the max loss of an iron condor?", Intent.METHODOLOGY),
        ("Who won the 2018 football World Cup?", Intent.METHODOLOGY),
        ("What is the capital of France?", Intent.METHODOLOGY),
        ("Why does the hedge ratio move from 1:1 toward 1:1.3?", Intent.METHODOLOGY),
    ],
)
def test_not_a_calculation(message, intent):
    u = understand(message)
    assert u.calc is None
    assert u.intent is intent


# --- intents ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["hi", "Hello there!", "thanks", "Thank you so much", "hey", "good morning", "what can you do?"])
def test_greetings(message):
    assert understand(message).intent is Intent.GREETING


def test_greeting_before_a_question_is_dropped():
    u = understand("Hi! What does ALVH stand for?")
    assert (u.intent, u.term) == (Intent.DEFINITION, "ALVH")


@pytest.mark.parametrize(
    "message",
    [
        "Should I sell an SPX iron condor tomorrow morning?",
        "should I buy UVXY calls tomorrow?",
        "is now a good time to buy VIX calls?",
        "what should I trade today",
        "Would you put on this condor?",
        "Do you think I should close my condor?",
        "Do you recommend buying VIX calls here?",
        "SPX is at 6000. Should I sell the 5800/5850/6100/6150 condor for 4.20?",
        # chat eval advice-close-now, and its kin
        "My condor is losing money, should I close it right now?",
        "should I roll?",
        "do I take profit now?",
        "My condor is up 50%; do I take profits here?",
        "is it time to exit my condor?",
        "So is it time to roll?",
    ],
)
def test_advice(message):
    u = understand(message)
    assert u.intent is Intent.ADVICE and u.calc is None


@pytest.mark.parametrize(
    "message",
    [
        "How much of the portfolio should the ALVH use?",
        "When should the second layer be added?",
        "When should I close an iron condor in the VixShield methodology?",
        "How do I roll an iron condor?",
        "Do I need VIX calls for the ALVH?",
        "Do traders take profit at 50% of the credit?",
        "When is it time to roll the hedge layers?",
        "What is the time to expiry of the front layer?",
        "In the methodology, how should I size the hedge?",
    ],
)
def test_advice_is_not_triggered_by_methodology_questions(message):
    assert understand(message).intent is not Intent.ADVICE


@pytest.mark.parametrize(
    "message, term",
    [
        ("What does ALVH stand for?", "ALVH"),
        ("What is an iron condor?", "iron condor"),
        ("what's MEV", "MEV"),
        ("whats MEV?", "MEV"),
        ("define WACC", "WACC"),
        ("wat is alvh", "alvh"),
        ("meaning of theta", "theta"),
        ("What does basis risk mean?", "basis risk"),
        ("What is meant by steward allocation?", "steward allocation"),
        ("ALVH?", "ALVH"),
        ("What is the definition of a credit spread?", "credit spread"),
        # A 'mean by' question about a methodology term is a definition (the pipeline falls back to the articles).
        ("What does Russell Clark mean by the Second Engine?", "Second Engine"),
    ],
)
def test_definitions(message, term):
    u = understand(message)
    assert (u.intent, u.term) == (Intent.DEFINITION, term)
    assert u.calc is None


@pytest.mark.parametrize(
    "message",
    [
        "What is the liquidity drag that comes from treating the JPEG as the asset?",
        "What is the difference between the ALVH and a static hedge?",
        "What did VIX do in 2022?",
    ],
)
def test_long_what_questions_are_methodology(message):
    assert understand(message).intent is Intent.METHODOLOGY


def test_out_of_scope_is_left_to_the_pipeline():
    assert understand("Give me a recipe for banana bread").intent is Intent.METHODOLOGY


# --- follow-ups on a calculation -------------------------------------------------------------------------------


def test_dev_case_follow_up_changes_only_the_credit():
    first = understand(
        "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?"
    )
    second = understand("And what if I collected 4.00 instead?", state(first))
    assert second.intent is Intent.CALCULATION
    assert second.calc.inputs == {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100, "credit": 4}
    assert second.calc.focus == ("lower_breakeven", "upper_breakeven")  # the question carries over


BASE = {**CONDOR, "credit": 4.2, "spot": 6000, "iv": 0.15, "days": 30}


@pytest.mark.parametrize(
    "message, changes, focus",
    [
        ("what if the credit were 5?", {"credit": 5}, ("pop",)),
        ("and the max loss then?", {}, ("max_loss",)),
        ("with 60 days instead?", {"days": 60}, ("pop",)),
        ("what about IV 25%?", {"iv": 0.25}, ("pop",)),
        ("make it 2 contracts", {"contracts": 2}, ("pop",)),
        ("what if SPX drops to 5800?", {"spot": 5800}, ("pop",)),
        ("what if SPX drops 2%?", {"spot": 5880}, ("pop",)),
        ("and if SPX rallies 100 points?", {"spot": 6100}, ("pop",)),
        ("what if the short put were 5825?", {"short_put": 5825}, ("pop",)),
        ("with 25-point wings instead", {"long_put": 5825, "long_call": 6125}, ("pop",)),
        ("$350 credit instead", {"credit": 3.5}, ("pop",)),
        ("what about $3?", {"credit": 3}, ("pop",)),
        ("what's the expected value?", {}, ("expected_value",)),
        ("And the probability of touch?", {}, ("p_touch_short_put", "p_touch_short_call")),
        ("How about three weeks and IV 18%, what are the break-evens?", {"days": 21, "iv": 0.18}, ("lower_breakeven", "upper_breakeven")),
        ("what if I used 5700/5750/6050/6100 instead?", {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100}, ("pop",)),
        ("what if the credit were 4.20?", {}, ("pop",)),  # restating a value still reruns
    ],
)
def test_condor_follow_ups(message, changes, focus):
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": ["pop"]}
    u = understand(message, previous)
    assert u.intent is Intent.CALCULATION, u
    assert u.calc.calculator == "iron-condor"
    assert u.calc.inputs == {**BASE, **changes}
    assert u.calc.focus == focus
    assert u.calc.missing == ()


def test_a_new_full_calculation_replaces_the_previous_one():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": ["pop"]}
    u = understand("Iron condor 5700/5750/6050/6100 for a 3.50 credit. Max loss?", previous)
    assert u.calc.inputs == {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100, "credit": 3.5}
    assert u.calc.focus == ("max_loss",)


def test_another_calculator_replaces_the_previous_one():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": []}
    u = understand("If I oversize a $50,000 VIX hedge by the 2.8x decorrelation factor, how large is the hedge?", previous)
    assert (u.calc.calculator, u.calc.inputs) == ("decorrelation-oversize", {"notional": 50000, "factor": 2.8})


@pytest.mark.parametrize(
    "message, intent",
    [
        ("What is an iron condor?", Intent.DEFINITION),
        ("What is theta?", Intent.DEFINITION),
        ("Why are hedges oversized 2.8x?", Intent.METHODOLOGY),
        ("How does the ALVH protect the condor?", Intent.METHODOLOGY),
        ("Would you put on this condor?", Intent.ADVICE),
        ("thanks!", Intent.GREETING),
        # a figure of a position in general, not of the remembered one
        ("What is the max loss of an iron condor?", Intent.METHODOLOGY),
        ("what is the max loss of a condor then?", Intent.METHODOLOGY),
        ("What is the expected value of a trade?", Intent.METHODOLOGY),
        ("what is max loss?", Intent.DEFINITION),
    ],
)
def test_questions_after_a_calculation_are_not_follow_ups(message, intent):
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": []}
    u = understand(message, previous)
    assert u.intent is intent and u.calc is None


@pytest.mark.parametrize(
    "message, focus",
    [
        ("What is the max loss then?", ("max_loss",)),
        ("and the delta?", ("greeks", "delta")),
        ("what is its theta?", ("greeks", "theta")),
        ("what's my max loss?", ("max_loss",)),
        ("what is the max loss of the condor?", ("max_loss",)),
    ],
)
def test_figure_questions_that_point_back_are_follow_ups(message, focus):
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": []}
    u = understand(message, previous)
    assert u.intent is Intent.CALCULATION and u.calc.inputs == BASE
    assert set(u.calc.focus) <= set(focus) and u.calc.focus


def test_a_condor_is_not_one_contract():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": []}
    assert understand("make it a contract", previous).calc.inputs["contracts"] == 1
    assert understand("What is the max loss of a condor?", previous).calc is None


# chat eval followup-basis-then-calc: a figure asked about the last turn's subject, with no calculation remembered
@pytest.mark.parametrize(
    "first",
    [
        "how much do the hedges need to be oversized?",
        "Why are hedges oversized 2.8x?",
        "If I oversize a $100,000 VIX hedge by 2.8x, how large is the hedge?",
    ],
)
@pytest.mark.parametrize("second", ["so for a $50,000 hedge, how big is that?", "and for a $50,000 hedge, how large would it be then?"])
def test_a_figure_about_the_previous_topic(first, second):
    u = understand(second, state(understand(first)))
    assert u.intent is Intent.CALCULATION
    assert (u.calc.calculator, u.calc.inputs["notional"], u.calc.missing) == ("decorrelation-oversize", 50000, ())
    assert u.calc.inputs.get("factor", 2.8) == 2.8  # the remembered factor, or the calculator's default


@pytest.mark.parametrize(
    "first, second",
    [
        ("how much do the hedges need to be oversized?", "I have a $50,000 hedge. What is MEV?"),  # no figure asked
        ("how much do the hedges need to be oversized?", "for a $50,000 hedge, how big?"),  # points at nothing
        ("how much do the hedges need to be oversized?", "so what is a $50,000 hedge?"),
        ("What is basis risk?", "so for a $50,000 hedge, how big is that?"),  # a topic with no calculator
        ("What is the ALVH?", "so for a $50,000 hedge, how big is that?"),  # "how big" is no ALVH layer figure
    ],
)
def test_not_a_figure_about_the_previous_topic(first, second):
    u = understand(second, state(understand(first)))
    assert u.calc is None


def test_pending_calculation_is_completed_by_the_next_turns():
    first = understand("What are the break-evens of a 5800/5850/6100/6150 iron condor?")
    assert first.calc.missing == ("the net credit",)
    second = understand("4.20", state(first))
    assert second.calc.inputs == {**CONDOR, "credit": 4.2} and second.calc.missing == ()
    assert second.calc.focus == ("lower_breakeven", "upper_breakeven")
    third = understand("and the POP?", state(second))
    assert third.calc.missing == ("the SPX level", "the implied volatility", "the days to expiry")
    fourth = understand("SPX 6000, IV 15%, 30 days", state(third))
    assert fourth.calc.inputs == {**CONDOR, "credit": 4.2, "spot": 6000, "iv": 0.15, "days": 30}
    assert (fourth.calc.missing, fourth.calc.focus) == ((), ("pop",))


def test_bare_answer_fills_the_only_gap():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": {**CONDOR, "credit": 4.2, "spot": 6000, "days": 30}}, "focus": ["pop"]}
    assert understand("15%", previous).calc.inputs["iv"] == 0.15


@pytest.mark.parametrize(
    "calculator, inputs, message, expected",
    [
        ("decorrelation-oversize", {"notional": 50000, "factor": 2.8}, "and with a 3x factor?", {"notional": 50000, "factor": 3}),
        ("decorrelation-oversize", {"notional": 50000, "factor": 2.8}, "what about $80,000?", {"notional": 80000, "factor": 2.8}),
        ("decorrelation-oversize", {"notional": 50000, "factor": 2.8}, "and for 100k?", {"notional": 100000, "factor": 2.8}),
        (
            "hedge-ratio",
            {"correlation": 0.6, "portfolio_vol": 0.2, "hedge_vol": 0.4},
            "what if the correlation were 0.8?",
            {"correlation": 0.8, "portfolio_vol": 0.2, "hedge_vol": 0.4},
        ),
    ],
)
def test_follow_ups_on_other_calculators(calculator, inputs, message, expected):
    previous = {"calculation": {"calculator": calculator, "inputs": inputs}, "topic": None, "focus": []}
    u = understand(message, previous)
    assert (u.calc.calculator, u.calc.inputs) == (calculator, expected)


def test_vix_hedge_follow_up_changes_the_scenario_not_the_spot():
    first = understand(
        "VIX at 16, VIX beta 4, SPX drops 10%, VIX 22 calls: how many VIX calls to cover my 5650/5700/6100/6150 condor "
        "sold for 5.10, 10 contracts, SPX at 5900?"
    )
    second = understand("what if SPX falls 15% instead?", state(first))
    assert second.calc.calculator == "vix-hedge"
    assert second.calc.inputs == {**first.calc.inputs, "spx_drop": 0.15}


# --- follow-ups on a topic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, query",
    [
        ("and how is it layered?", "how is the ALVH layered"),
        ("why?", "why the ALVH"),
        ("tell me more about that", "tell me more about the ALVH"),
        ("Tell me more", "tell me more about the ALVH"),
        ("what are its layers?", "what are the ALVH's layers"),
        ("how does it work in a crash?", "how does the ALVH work in a crash"),
    ],
)
def test_methodology_references_are_resolved(message, query):
    u = understand(message, {"topic": "ALVH", "calculation": None, "focus": []})
    assert u.intent is Intent.METHODOLOGY
    assert u.query == query
    assert u.topic == "ALVH"


def test_reference_after_a_definition_turn():
    first = understand("What does ALVH stand for?")
    second = understand("and how is it layered?", state(first))
    assert (second.intent, second.query, second.topic) == (Intent.METHODOLOGY, "how is the ALVH layered", "ALVH")


def test_what_is_it_defines_the_topic():
    u = understand("What is it?", {"topic": "Second Engine"})
    assert (u.intent, u.term) == (Intent.DEFINITION, "Second Engine")


def test_a_message_with_its_own_topic_is_not_rewritten():
    u = understand("What is basis risk and why does it matter?", {"topic": "ALVH"})
    assert u.query == "What is basis risk and why does it matter?"
    u = understand("What did VIX do in 2022?", {"topic": "ALVH"})
    assert u.query == "What did VIX do in 2022?"


def test_no_previous_topic_leaves_the_query_alone():
    assert understand("and how is it layered?").query == "and how is it layered?"


# --- the glossary helps, but is optional -----------------------------------------------------------------


@dataclasses.dataclass
class Term:
    term: str
    aliases: tuple = ()


class Glossary:
    terms = [Term("Adaptive Layered VIX Hedge", ("ALVH",)), Term("Liquidity Drag"), Term("Iron Condor")]

    def lookup(self, name):
        for t in self.terms:
            if name.lower() in (t.term.lower(), *(a.lower() for a in t.aliases)):
                return t
        return None

    def find_in(self, text):
        low = text.lower()
        return [t for t in self.terms if any(n.lower() in low for n in (t.term, *t.aliases))]


class BrokenGlossary:
    def lookup(self, name):
        raise RuntimeError("not loaded")

    def find_in(self, text):
        raise RuntimeError("not loaded")


def test_glossary_gives_the_topic_its_canonical_name():
    u = understand("What does ALVH stand for?", glossary=Glossary())
    assert (u.term, u.topic) == ("ALVH", "Adaptive Layered VIX Hedge")
    u = understand("Can it protect an NFT portfolio?", {"topic": u.topic}, glossary=Glossary())
    assert u.query == "Can the Adaptive Layered VIX Hedge protect an NFT portfolio"


def test_glossary_long_term_is_still_a_definition():
    u = understand("What is Adaptive Layered VIX Hedge?", glossary=Glossary())
    assert (u.intent, u.term) == (Intent.DEFINITION, "Adaptive Layered VIX Hedge")


def test_a_broken_glossary_does_not_break_understanding():
    u = understand("What does ALVH stand for?", glossary=BrokenGlossary())
    assert (u.intent, u.term) == (Intent.DEFINITION, "ALVH")


# --- the shape the pipeline relies on ---------------------------------------------------------------------


def test_understanding_is_frozen_and_intents_are_strings():
    u = understand("hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.intent = Intent.ADVICE  # type: ignore[misc]
    assert Intent.CALCULATION == "calculation" and Intent.OUT_OF_SCOPE == "out_of_scope"


@pytest.mark.parametrize("message", ["", "   ", "?", "5800", "$$$", "x" * 4000, "1/2/3/4/5/6", "%%% 15% IV IV IV"])
def test_odd_messages_never_raise(message):
    assert isinstance(understand(message), Understanding)


def test_every_registered_calculator_has_one_route_whose_fields_are_its_inputs():
    import calculators  # noqa: F401  (registers every calculator)
    from calculators import registry

    from assistant import routes

    names = [c.name for c in registry.all_calculators()]
    assert sorted(r.name for r in routes.all_routes()) == sorted(names)
    for route in routes.all_routes():
        properties = set(registry.get(route.name).inputs.model_json_schema()["properties"])
        if route.name != "correlation":  # the correlation route describes its data; its run loads the series
            assert set(route.fields) <= properties, route.name
        assert set(route.required) <= set(route.fields) or route.gaps is not None, route.name
        assert set(route.key_inputs) <= set(route.fields), route.name
        outputs = set(route.output_names)
        for _, fields in route.focus:
            assert set(fields) & outputs, (route.name, fields)  # every focus word names a figure it gives


# --- end to end with the calculators: the product's acceptance numbers ----------------------------------------


@pytest.mark.parametrize(
    "turns, check",
    [
        (
            [
                "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?"
            ],
            {"lower_breakeven": 5746.5, "upper_breakeven": 6053.5},
        ),
        (
            [
                "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?",
                "And what if I collected 4.00 instead?",
            ],
            {"lower_breakeven": 5746, "upper_breakeven": 6054},
        ),
        (
            ["What is the max profit and max loss of a 5750/5700 put spread plus 6050/6100 call spread iron condor sold for $3.50?"],
            {"max_profit": 350, "max_loss": 4650},
        ),
        (
            [
                "SPX is at 5900, implied volatility 18%, 45 days to expiry. I sell the 5700 put and 6100 call with wings 50 points further out "
                "for a 5.10 credit. Assuming zero rates and dividends, what is the probability of profit?"
            ],
            {"pop": 0.418},
        ),
        (
            ["Correlation is 0.6, my portfolio's volatility is 20% and the hedge instrument's volatility is 40%. What is the minimum-variance hedge ratio?"],
            {"hedge_ratio": 0.3},
        ),
        (["If I oversize a $50,000 VIX hedge by the 2.8x decorrelation factor, how large is the hedge?"], {"oversized_notional": 140000}),
        # the chat eval's parser cases
        (["5750/5775/6125/6150 condor for 1.25 - break evens?"], {"lower_breakeven": 5773.75, "upper_breakeven": 6126.25}),
        (
            ["5 contracts of the 5650/5700/6000/6050 iron condor at 2.80: break-evens, max profit and max loss?"],
            {"lower_breakeven": 5697.2, "upper_breakeven": 6002.8, "max_profit": 1400, "max_loss": 23600},
        ),
        (["hedge ratio with rho 0.7, sigma portfolio 15% and sigma hedge 35%"], {"hedge_ratio": 0.3}),
        (["Oversize a 75,000 dollar VIX hedge by a factor of 3: what notional do I need?"], {"oversized_notional": 225000}),
        (
            [
                "What is the basis risk of hedging NFTs with VIX?",
                "how much do the hedges need to be oversized?",
                "so for a $50,000 hedge, how big is that?",
            ],
            {"oversized_notional": 140000},
        ),
    ],
)
def test_acceptance_numbers(turns, check):
    import calculators  # noqa: F401
    from calculators import registry

    previous = None
    for message in turns:
        u = understand(message, previous)
        previous = state(u)
    outputs = registry.get(u.calc.calculator).run(u.calc.inputs)["outputs"]
    for name, value in check.items():
        assert outputs[name] == pytest.approx(value, abs=6e-4), name


def test_impossible_strikes_reach_the_calculator_and_are_refused():
    import calculators  # noqa: F401
    from calculators import registry
    from calculators.errors import CalculatorError

    u = understand("Iron condor with short put 6000 and short call 5900, long put 5950, long call 5950, credit 2. Break-evens?")
    with pytest.raises(CalculatorError):
        registry.get(u.calc.calculator).run(u.calc.inputs)


# --- noise: years are never days, position sizing is advice -------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "I've traded options for about three years now. What is an iron condor?",
        "My 2 kids start college in three years lol. Anyway, what is an iron condor?",
        "I have been selling condors for 5 years, what is the max loss of an iron condor?",
    ],
)
def test_years_never_become_days_nor_a_calculation(message):
    u = understand(message)
    assert u.intent is not Intent.CALCULATION or "days" not in u.calc.inputs


def test_a_span_of_the_past_is_no_time_to_expiry():
    u = understand("I started 6 months ago. 5800/5850/6100/6150 for 4.20, SPX 6000, IV 15%: probability of profit?")
    assert "days" not in u.calc.inputs and "the days to expiry" in u.calc.missing


def test_time_words_in_a_calculation_still_count():
    assert understand("5800/5850/6100/6150 for 4.20, SPX 6000, IV 15%, three weeks: POP?").calc.inputs["days"] == 21


@pytest.mark.parametrize(
    "message",
    [
        "How many condor contracts should I trade?",
        "I have a $25,000 account and 2 kids. How many iron condors should I sell each month?",
        "with 50k in the account how big should my condor position be?",
        "What position size should I use for SPX condors?",
    ],
)
def test_position_sizing_for_oneself_is_advice(message):
    assert understand(message).intent is Intent.ADVICE


@pytest.mark.parametrize(
    "message",
    [
        "I have a $100,000 hedge. How big should it be if I oversize it by 2.8x?",
        "VIX at 16, VIX beta 4, SPX falls 10%, 22-strike VIX calls: how many VIX calls should I buy to offset a 20,000 dollar loss?",
    ],
)
def test_a_sizing_a_calculator_does_is_not_advice(message):
    assert understand(message).intent is Intent.CALCULATION


def test_markup_is_stripped_before_understanding():
    u = understand('<p><b>What is the ALVH?</b></p>')
    assert u.intent is Intent.DEFINITION and u.term == "ALVH"
    assert understand("&nbsp;<span style=\"color:red\">what's MEV</span>&nbsp;").term == "MEV"


def test_a_computing_verb_with_nothing_to_compute_is_no_calculation():
    u = understand("One thing I couldn't figure out: what does the ALVH introduce to keep an iron condor from collapsing around FOMC surprises?")
    assert u.intent is Intent.METHODOLOGY
    assert understand("calculate the break-evens of my iron condor").intent is Intent.CALCULATION


def test_a_definition_after_a_filler_word():
    u = understand("Anyway, what is an iron condor?")
    assert u.intent is Intent.DEFINITION and u.term.lower() == "iron condor"


@pytest.mark.parametrize(
    "message",
    [
        "Is it smart to sell a condor into tomorrow's FOMC?",
        "would you put 20% of my IRA into UVXY?",
        "How many SPX condors should someone with 2 kids and a 100k IRA be running?",
    ],
)
def test_opinions_on_ones_own_trade_are_advice(message):
    assert understand(message).intent is Intent.ADVICE


@pytest.mark.parametrize(
    "message",
    [
        "VIX is at 13, cheap af. good time for me to load up on VIX calls?",
        "my put side is getting tested... do I roll it down or just take the L?",
        "thinking of putting 10 lots on a 0DTE condor this afternoon, u think thats too much for me?",
    ],
)
def test_trader_slang_for_a_decision_is_advice(message):
    assert understand(message).intent is Intent.ADVICE


def test_a_spread_side_named_once_gives_both_strikes_their_kind():
    u = understand("call credit spread, short 6100 long 6150, got 1.20. breakeven?")
    assert u.calc.calculator == "vertical-spread"
    assert u.calc.inputs == {"kind": "call", "short_strike": 6100, "long_strike": 6150, "credit": 1.2}


def test_a_mid_price_is_the_options_price():
    u = understand("5500 put mid is 38.00 w/ SPX at 5800 and 35 DTE, what IV does that imply")
    assert u.calc.calculator == "implied-vol" and u.calc.inputs["price"] == 38


def test_a_new_iv_level_is_not_a_what_if_but_a_move_to_one_is():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": ["pop"]}
    assert understand("and if IV were 20%?", previous).calc.inputs["iv"] == 0.2
    moved = understand("and if IV pops to 25%?", previous).calc.inputs
    assert moved["at_iv"] == 0.25 and moved["iv"] == BASE["iv"]


@pytest.mark.parametrize(
    ("message", "inputs"),
    [
        ("bull put 5700/5650 for 1.80 - max loss & breakeven?", {"kind": "put", "short_strike": 5700, "long_strike": 5650, "credit": 1.8}),
        ("bear call 6100/6150 for 10.00, spx 5950, iv 15%, 21 dte. P/L in 7 days with spx at 6080?",
         {"kind": "call", "short_strike": 6100, "long_strike": 6150, "credit": 10, "spot": 5950, "iv": 0.15, "days": 21, "at_days": 7, "at_spot": 6080}),
        ("sold the 5700/5650 put spread for 8.40, spx 5950, iv 17%, 30 days to exp. if spx slides to 5720 in 10 days whats the p/l?",
         {"kind": "put", "short_strike": 5700, "long_strike": 5650, "credit": 8.4, "spot": 5950, "iv": 0.17, "days": 30, "at_days": 10, "at_spot": 5720}),
    ],
)
def test_spreads_and_what_ifs_in_trader_words(message, inputs):
    u = understand(message)
    assert u.calc.calculator == "vertical-spread"
    assert u.calc.inputs == inputs


def test_over_the_next_n_days_is_a_what_if_date():
    u = understand("2 lots of the 5500/5575/6075/6150 IC for 35.00, SPX 5820, IV 19%, 50 days to expiry. "
                   "If SPX rallies to 6050 over the next 20 days, where's my P/L?")
    assert u.calc.inputs["at_days"] == 20 and u.calc.inputs["at_spot"] == 6050 and u.calc.inputs["days"] == 50


def test_a_last_traded_price_and_a_choice_of_trade_decisions():
    assert understand("6100 call last traded 42.50, spx 6020, 21 days left. what IV is that?").calc.inputs["price"] == 42.5
    assert understand("my 5700 short put is getting tested, spx at 5715 with 9 days left. close it, roll it, or hold??").intent is Intent.ADVICE
    assert understand("I have about 80k in my account. how many iron condors should I be running?").intent is Intent.ADVICE


def test_a_term_in_plain_english_is_a_definition():
    u = understand("vega?? in plain english pls")
    assert u.intent is Intent.DEFINITION and u.term.lower() == "vega"


def test_shares_are_a_delta_and_an_if_level_is_the_spot_where_nothing_is_priced_later():
    u = understand("Short 300 shares of a stock at $480 with beta 1.2 - what's that in beta-weighted SPX deltas if SPX is 6000?")
    assert u.calc.calculator == "beta-weighted-delta"
    assert not u.calc.missing


def test_a_rolling_window_in_a_follow_up_to_a_data_question():
    previous = {"calculation": {"calculator": "correlation", "inputs": {"data": "spx-vix sample", "x": "spx", "y": "vix", "returns": "log"}},
                "topic": "correlation", "focus": ["pearson"]}
    u = understand("and on a rolling 20-day window, what's the range (min/max)?", previous)
    assert u.calc.inputs["window"] == 20 and not u.calc.missing


@pytest.mark.parametrize(
    ("message", "changes"),
    [
        ("tmrw spx gaps to 5900 and iv +6 pts - p&l?", {"at_days": 1, "at_spot": 5900, "iv_shift": 6}),
        ("and if IV is also up 4 points by then?", {"iv_shift": 4}),
    ],
)
def test_more_what_if_phrasings(message, changes):
    previous = {"calculation": {"calculator": "iron-condor", "inputs": BASE}, "topic": "iron condor", "focus": ["pop"]}
    u = understand(message, previous)
    assert {k: u.calc.inputs.get(k) for k in changes} == changes


def test_the_time_left_on_an_option_is_not_a_what_if():
    u = understand("SPX is 6000 and the 5800 put with 35 days left is trading 18.50. what implied vol is that")
    assert u.calc.calculator == "implied-vol"
    assert u.calc.inputs["days"] == 35 and u.calc.inputs["price"] == 18.5


@pytest.mark.parametrize(
    "message",
    ["can someone explain the 'false binary' / loyalty vs motion thing in plain words",
     "thinking of going all in on UVXY calls as a hedge next week. good idea y/n?"],
)
def test_explain_requests_and_yes_no_opinions(message):
    u = understand(message)
    assert u.intent in (Intent.DEFINITION, Intent.ADVICE)


def test_a_level_in_a_what_if_follow_up_is_the_what_if_level():
    previous = {"calculation": {"calculator": "iron-condor", "inputs": {**BASE, "at_days": 20, "at_spot": 6000}},
                "topic": "iron condor", "focus": ["what_if"]}
    u = understand("same day but spx at 6200", previous)
    assert u.calc.inputs["at_spot"] == 6200 and u.calc.inputs["spot"] == BASE["spot"] and u.calc.inputs["at_days"] == 20


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("2x 5650/5700/6300/6350 IC for 14.80 credit. SPX 6000, IV 15%, 45 DTE. P/L after 20 days if SPX just sits at 6000?",
         {"contracts": 2, "at_days": 20, "at_spot": 6000}),
        ("I'm evaluating a 5500/5575/6075/6150 iron condor opened for 26.90 with SPX at 5820, implied vol 19% and 30 days to expiry. "
         "If five days from now SPX is at 5650 and IV has jumped to 28%, what would my P/L be?",
         {"spot": 5820, "at_days": 5, "at_spot": 5650, "at_iv": 0.28}),
        ("condor 5650/5700/6100/6150 sold for 27, spot 5900, iv 18%, 45 days. at day 30 with spx 6080 and iv down 3 pts, p&l?",
         {"at_days": 30, "at_spot": 6080, "iv_shift": -3}),
    ],
)
def test_what_if_levels_in_the_sentence_that_names_the_later_date(message, expected):
    inputs = understand(message).calc.inputs
    assert {k: inputs.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    "message",
    ["temporal layering = ?? sounds like a circus lol", "ALVH in one sentence?", "vega meaning pls, short one"],
)
def test_more_ways_to_ask_for_a_definition(message):
    assert understand(message).intent is Intent.DEFINITION


def test_the_iv_in_the_sentence_naming_the_later_date_is_the_what_if_iv():
    u = understand("I have an iron condor 5300/5375/6275/6350, credit 18.80, SPX 5825, IV 18%, 60 days. "
                   "If after 30 days the index is unchanged but implied vol is 26%, what would the P/L be?")
    assert u.calc.inputs["iv"] == 0.18 and u.calc.inputs["at_iv"] == 0.26 and u.calc.inputs["at_days"] == 30
    follow = understand("what if IV is 13% at that point instead?", {"calculation": {"calculator": "iron-condor", "inputs": u.calc.inputs},
                                                                   "topic": "iron condor", "focus": ["what_if"]})
    assert follow.calc.inputs["iv"] == 0.18 and follow.calc.inputs["at_iv"] == 0.13


def test_a_notional_book_without_a_dollar_sign_and_sizing_in_other_words():
    u = understand("Please lay out an ALVH layer schedule for a 2,000,000 notional book with default settings")
    assert u.calc.calculator == "alvh-layers" and u.calc.inputs["notional"] == 2_000_000
    assert understand("how many contract I should trade for my own account of 50000 dollar?").intent is Intent.ADVICE


def test_a_count_written_as_n_of_the_condors_is_the_contracts():
    u = understand("I'm short 10 of the 5800/5850/6050/6100 condors (took in 6.50). SPX is at 6075 now, IV 15%, 20 days to expiry. what's my position delta?")
    assert u.calc.calculator == "iron-condor" and u.calc.inputs["contracts"] == 10 and u.calc.inputs["spot"] == 6075


@pytest.mark.parametrize(
    "message",
    [
        "5650/5700/6250/6300 iron condor, 15.70 credit, SPX 6000, IV 15%, 40 days out. If SPX finishes at 6270 at expiration what do I make or lose?",
        "Condor 5650/5700/6250/6300 for 15.70, SPX 6000, IV 15%, 40 days. If SPX closes at 6270 on expiration day, what's my P/L?",
    ],
)
def test_a_pnl_at_expiration_is_dated_on_expiry_day(message):
    inputs = understand(message).calc.inputs
    assert inputs["at_days"] == inputs["days"] == 40 and inputs["at_spot"] == 6270


def test_a_stated_correlation_is_a_hedge_ratio_input_not_a_data_question():
    u = understand("Correlation between my SPX book and the VIX calls is -0.8, book volatility 16%, VIX call volatility 90%. What's the minimum-variance hedge ratio?")
    assert u.calc.calculator == "hedge-ratio" and u.calc.inputs == {"correlation": -0.8, "portfolio_vol": 0.16, "hedge_vol": 0.9}


@pytest.mark.parametrize(
    ("message", "inputs"),
    [
        ("if spx drops 8% and vix goes from 15 up 12 points, how many 20 strike vix calls costing 1.50 do i need to offset a $30,000 loss?",
         {"spx_drop": 0.08, "vix": 15, "vix_rise": 12, "call_strike": 20, "call_premium": 1.5, "book_loss": 30000}),
        ("SPX -10% scenario: VIX at 18 rises 10 pts, I buy 25-strike VIX calls at 1.50 to cover a $20k loss. how many calls?",
         {"spx_drop": 0.1, "vix": 18, "vix_rise": 10, "call_strike": 25, "call_premium": 1.5, "book_loss": 20000}),
    ],
)
def test_a_vix_scenario_in_trader_words(message, inputs):
    u = understand(message)
    assert u.calc.calculator == "vix-hedge" and {k: u.calc.inputs.get(k) for k in inputs} == inputs


def test_a_running_loss_is_not_a_credit_and_close_or_hold_is_advice():
    u = understand("my 5800/5850/6100/6150 condor is down about $1,500 - do I close it now or hold?")
    assert u.intent is Intent.ADVICE and u.calc is None


def test_covering_half_is_the_offset():
    first = understand("SPX falls 10% and VIX goes from 16 to 30. How many 22-strike VIX calls costing 1.20 do I need to offset a $20,000 loss?")
    second = understand("what about covering only half of it?", {"calculation": {"calculator": first.calc.calculator, "inputs": first.calc.inputs}})
    assert second.calc.inputs["offset"] == 0.5 and second.calc.inputs["book_loss"] == 20000


def test_corr_is_short_for_correlation_in_a_data_question():
    assert understand("corr between spx & vix daily returns?").calc.calculator == "correlation"


def test_a_vix_rise_before_its_starting_level():
    u = understand("If SPX falls 10% and the VIX rises 14 points from 16, how many 22-strike VIX calls costing 1.20 would offset a $20,000 loss?")
    assert {k: u.calc.inputs[k] for k in ("vix", "vix_rise", "call_strike", "call_premium")} == {"vix": 16, "vix_rise": 14, "call_strike": 22, "call_premium": 1.2}
