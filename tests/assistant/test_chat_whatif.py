"""Plain-English what-ifs in chat: the pipeline runs the calculator's what-if and states the
figure with its assumptions; a follow-up changes one thing and keeps the rest. Figures are
checked against QuantLib (tests/calculators/ql_oracle.py), never against our own calculator."""

import sys
from pathlib import Path

import pytest

from assistant.numbers import numbers_in
from assistant.pipeline import Assistant
from assistant.store import ConversationStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "calculators"))
QuantLib = pytest.importorskip("QuantLib")
from ql_oracle import ql_position_pnl  # noqa: E402

LEGS = (("put", 5600, 1), ("put", 5650, -1), ("call", 6150, -1), ("call", 6200, 1))
OPEN = "Iron condor 5600/5650/6150/6200 for a 2.00 credit, SPX 5900, IV 20%, 30 days, 3 contracts."


def oracle_dollars(spot: float, at_days: float, vol: float, contracts: int = 3) -> float:
    legs = [(kind, strike, sign, vol) for kind, strike, sign in LEGS]
    return ql_position_pnl(legs, 2.0, spot, 30, at_days, 0.0, 0.0)["pnl_points"] * 100 * contracts


@pytest.fixture(scope="module")
def assistant(search_index, index_settings, tmp_path_factory):
    bot = Assistant(index_settings, store=ConversationStore(tmp_path_factory.mktemp("db") / "whatif.db"), index=search_index)
    bot.warm_up()
    return bot


def _shown(answer: str, value: float) -> bool:
    return any(abs(n - value) <= 0.006 for n in numbers_in(answer))


def test_a_what_if_and_a_one_change_follow_up_match_quantlib(assistant):
    first = assistant.run(f"{OPEN} What's my P/L if SPX is at 5,800 in ten days?")
    (calc,) = first.calculations
    assert calc.inputs["at_days"] == 10 and calc.inputs["at_spot"] == 5800
    expected = oracle_dollars(5800, 10, 0.20)
    assert calc.outputs["what_if"]["pnl"] == pytest.approx(expected, abs=1e-4)
    assert _shown(first.answer, round(expected, 2))
    assert "day 10" in first.answer and "5,800" in first.answer  # the assumptions are stated

    second = assistant.run("And if IV has risen to 23% by then?", first.conversation_id)
    (calc,) = second.calculations
    assert calc.inputs["at_days"] == 10 and calc.inputs["at_spot"] == 5800 and calc.inputs["at_iv"] == 0.23
    expected = oracle_dollars(5800, 10, 0.23)
    assert calc.outputs["what_if"]["pnl"] == pytest.approx(expected, abs=1e-4)
    assert _shown(second.answer, round(expected, 2))


def test_a_vol_shift_and_a_date_before_expiry(assistant):
    reply = assistant.run(f"{OPEN} What's the P/L a week before expiry if IV rises 5 points?")
    (calc,) = reply.calculations
    assert calc.inputs["at_days"] == 23 and calc.inputs["iv_shift"] == 5
    expected = oracle_dollars(5900, 23, 0.25)
    assert calc.outputs["what_if"]["pnl"] == pytest.approx(expected, abs=1e-4)
    assert _shown(reply.answer, round(expected, 2))
    assert "+5 vol points" in reply.answer


def test_a_what_if_without_the_market_asks_for_it(assistant):
    reply = assistant.run("Iron condor 5700/5750/6050/6100 for a 3.50 credit: P/L after 10 days?")
    assert reply.calculations == []
    assert "the implied volatility" in reply.answer and "the days to expiry" in reply.answer


def test_a_span_to_expiry_is_not_a_what_if_date(assistant):
    reply = assistant.run("Iron condor 5700/5750/6050/6100 for 3.50, SPX 5900, IV 18%, expiring in 30 days: break-evens?")
    (calc,) = reply.calculations
    assert calc.inputs["days"] == 30 and calc.inputs.get("at_days") is None
    assert calc.outputs.get("what_if") is None


def test_days_left_and_iv_moves_in_trader_words(assistant):
    reply = assistant.run(f"{OPEN} P/L if SPX is 5800 with 10 days left?")
    (calc,) = reply.calculations
    assert calc.inputs["at_days"] == 20 and calc.inputs["at_spot"] == 5800
    follow = assistant.run("and if IV also jumps 5 points by then?", reply.conversation_id)
    (calc,) = follow.calculations
    assert calc.inputs["iv_shift"] == 5 and calc.inputs["at_days"] == 20
    assert calc.outputs["what_if"]["pnl"] == pytest.approx(oracle_dollars(5800, 20, 0.25), abs=1e-4)


def test_a_pnl_at_expiration_is_valued_on_expiry_day(assistant):
    reply = assistant.run("Condor 5500/5550/5950/6000 for 3.00, SPX 5750, IV 17%, 30 days. If SPX closes at 5530 on expiration day, what's my P/L?")
    (calc,) = reply.calculations
    assert calc.inputs["at_days"] == 30 and calc.inputs["at_spot"] == 5530
    # at expiry the put spread is worth its intrinsic 5550 - 5530 = 20 points against a 3.00 credit
    assert _shown(reply.answer, -1700)


def test_a_days_left_follow_up_moves_the_what_if_date(assistant):
    first = assistant.run("Iron condor 5450/5500/6250/6300 for 5.80, SPX 5900, IV 15%, 30 days: P/L if SPX is at 6,150 in 10 days?")
    second = assistant.run("and with 3 days left?", first.conversation_id)
    (calc,) = second.calculations
    assert calc.inputs["at_days"] == 27 and calc.inputs["at_spot"] == 6150 and calc.inputs["days"] == 30
    legs = [("put", 5450, 1, 0.15), ("put", 5500, -1, 0.15), ("call", 6250, -1, 0.15), ("call", 6300, 1, 0.15)]
    expected = ql_position_pnl(legs, 5.8, 6150, 30, 27, 0.0, 0.0)["pnl_points"] * 100  # valued at the what-if level
    assert _shown(second.answer, round(expected, 2))
