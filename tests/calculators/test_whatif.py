"""What-if: P/L at a date, index level and volatility, and the P/L grid, for iron condors and
vertical spreads. QuantLib is the oracle (ql_oracle.ql_position_pnl); the golden whatif-*.json
files are checked against it here and run through the registry by test_calc_golden.py."""

from __future__ import annotations

import json

import numpy as np
import pytest
from ql_oracle import ql_position_pnl
from whatif_golden import CASES, GOLDEN, expected_of, position_legs

import calculators
from calculators.condor import IronCondorInputs, iron_condor
from calculators.errors import CalculatorError
from calculators.spreads import VerticalSpreadInputs, vertical_spread

CONDOR = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10,
          "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013}
SPREAD = {"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 1.80, "spot": 5900, "iv": 0.18, "days": 21}


def condor(**raw):
    return iron_condor(IronCondorInputs(**raw))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_golden_files_hold_quantlibs_figures(name):
    stored = json.loads((GOLDEN / f"{name}.json").read_text())
    assert stored["inputs"] == CASES[name]["inputs"]
    assert stored["expected"] == pytest.approx(expected_of(CASES[name]), abs=1e-12)
    assert stored["abs_tol"] <= 1e-6


@pytest.mark.parametrize(("at_days", "at_spot", "shift"), [(0, 5900, 0), (1, 5650, 2.5), (20, 6000, -4), (44, 6140, 10), (45, 5720, 0)])
def test_condor_what_if_matches_quantlib_to_a_millionth_of_a_point(at_days, at_spot, shift):
    raw = CONDOR | {"at_days": at_days, "at_spot": at_spot, "iv_shift": shift, "contracts": 4}
    out = condor(**raw).what_if
    legs, _ = position_legs("iron-condor", raw)
    expected = ql_position_pnl(legs, 5.10, at_spot, 45, at_days, 0.04, 0.013)
    assert out.pnl_points == pytest.approx(expected["pnl_points"], abs=1e-6)
    assert out.pnl_per_contract == pytest.approx(out.pnl_points * 100)
    assert out.pnl == pytest.approx(out.pnl_points * 400) and out.position_pnl_points == pytest.approx(out.pnl_points * 4)
    assert out.value_points == pytest.approx(5.10 - out.pnl_points)
    assert (out.days_remaining, out.spot, out.rate, out.dividend, out.iv_shift) == (45 - at_days, at_spot, 0.04, 0.013, shift)
    assert out.ivs == pytest.approx({leg: 0.18 + shift / 100 for leg in out.ivs})


def test_the_what_if_defaults_to_today_at_spot_and_agrees_with_the_theoretical_value():
    out = condor(**CONDOR, at_days=0)
    assert out.what_if.spot == 5900 and out.what_if.days_remaining == 45 and out.what_if.iv_shift == 0
    assert out.what_if.value_points == pytest.approx(out.theo_value, abs=1e-9)


def test_at_expiry_the_what_if_is_the_payoff():
    out = condor(**CONDOR, at_days=45, at_spot=5680)
    assert out.what_if.pnl_points == pytest.approx(5.10 - 20)  # the short put is 20 points in the money
    assert out.what_if.leg_values == {"long_put": 0.0, "short_put": 20.0, "short_call": 0.0, "long_call": 0.0}


def test_at_iv_replaces_every_legs_volatility():
    skew = {"long_put": 0.24, "short_put": 0.2, "short_call": 0.14, "long_call": 0.13}
    out = condor(**(CONDOR | {"iv": None}), ivs=skew, at_days=5, at_iv="23%")
    assert set(out.what_if.ivs.values()) == {0.23} and out.what_if.iv_shift == 0
    same = condor(**CONDOR, at_days=5, iv_shift=5)
    assert out.what_if.pnl == pytest.approx(same.what_if.pnl, abs=1e-9)


def test_eval_days_is_the_old_name_of_at_days_and_one_concept_drives_the_curve():
    old = calculators.get("iron-condor").run(CONDOR | {"eval_days": 15})
    new = calculators.get("iron-condor").run(CONDOR | {"at_days": 15})
    assert old == new and "eval_days" not in new["inputs"]
    out = condor(**CONDOR, at_days=15, iv_shift=5)
    prices = np.array(out.curve.prices)
    at = int(np.flatnonzero(prices == 5900)[0])
    assert out.curve.pnl_eval[at] == pytest.approx(out.what_if.pnl, abs=1e-9)  # the curve is the what-if at every level


def test_the_grid_is_the_what_if_at_every_level_and_date():
    out = condor(**CONDOR, iv_shift=3, contracts=2, grid_spots=7, grid_days=[0, 10, 45])
    grid = out.grid
    assert len(grid.spots) == 7 and grid.days == [0, 10, 45] and np.shape(grid.pnl) == (7, 3)
    for i, level in enumerate(grid.spots):
        for j, day in enumerate(grid.days):
            single = condor(**CONDOR, iv_shift=3, contracts=2, at_days=day, at_spot=level).what_if
            assert grid.pnl[i][j] == pytest.approx(single.pnl, abs=1e-9)


def test_grid_counts_span_the_chart_and_today_to_expiry():
    out = condor(**CONDOR, grid_spots=60, grid_days=10)
    assert len(out.grid.spots) == 60 and len(out.grid.days) == 10
    assert out.grid.days[0] == 0 and out.grid.days[-1] == 45
    assert out.grid.spots[0] <= 5650 and out.grid.spots[-1] >= 6150
    assert np.all(np.diff(out.grid.spots) > 0)
    only_days = condor(**CONDOR, grid_days=3).grid  # the other axis takes its default
    assert len(only_days.spots) == 21 and only_days.days == [0, 22.5, 45]


def test_a_strings_from_the_command_line_are_counts_or_lists():
    out = calculators.get("iron-condor").run(CONDOR | {"grid_spots": "5800,5900", "grid_days": "4", "iv_shift": "+5"})
    assert out["outputs"]["grid"]["spots"] == [5800, 5900] and len(out["outputs"]["grid"]["days"]) == 4
    assert out["inputs"]["iv_shift"] == 5


def test_vertical_spread_what_if_matches_quantlib():
    raw = SPREAD | {"rate": 0.04, "dividend": 0.013, "at_days": 7, "at_spot": 5760, "iv_shift": 4, "contracts": 3}
    out = vertical_spread(VerticalSpreadInputs(**raw))
    legs, _ = position_legs("vertical-spread", raw)
    expected = ql_position_pnl(legs, 1.80, 5760, 21, 7, 0.04, 0.013)
    assert out.what_if.pnl_points == pytest.approx(expected["pnl_points"], abs=1e-6)
    assert out.what_if.pnl == pytest.approx(expected["pnl_points"] * 300, abs=1e-6)
    assert list(out.what_if.leg_values) == ["short", "long"]


def test_without_the_market_the_what_if_is_absent_and_the_note_says_why():
    out = vertical_spread(VerticalSpreadInputs(kind="put", short_strike=5750, long_strike=5700, credit=1.8, at_spot=5700))
    assert out.what_if is None and "the what-if needs" in out.notes[0]
    plain = vertical_spread(VerticalSpreadInputs(kind="put", short_strike=5750, long_strike=5700, credit=1.8))
    assert plain.what_if is None and plain.grid is None and plain.notes == []


@pytest.mark.parametrize(
    ("extra", "sentence"),
    [
        ({"at_days": 46}, "at_days (46) must not be after expiry (45 days)"),
        ({"at_days": -1}, "at_days must be at least 0 (got -1)"),
        ({"at_spot": -5}, "at_spot must be greater than 0 (got -5)"),
        ({"iv_shift": "5%"}, "iv_shift is in volatility points: write 5 for +5 points"),
        ({"iv_shift": -18}, "iv_shift (-18 points) would take the long put's volatility (18 %) to zero or below"),
        ({"iv_shift": 101}, "iv_shift must be at most 100 (got 101)"),
        ({"iv_shift": 5, "at_iv": 0.2}, "give iv_shift (a change in volatility points) or at_iv (a new volatility), not both"),
        ({"at_iv": 23}, "at_iv must be a decimal volatility such as 0.18"),
        ({"grid_spots": 1}, "grid_spots must be a count from 2 to 200 (got 1)"),
        ({"grid_spots": 500}, "grid_spots must be a count from 2 to 200 (got 500)"),
        ({"grid_days": [10, 50]}, "grid_days (50) must not be after expiry (45 days)"),
        ({"grid_days": 101}, "grid_days must be a count from 2 to 100"),
        ({"eval_days": 3, "at_days": 4}, "eval_days is the old name of at_days; give one of them"),
    ],
)
def test_bad_what_if_inputs_are_explained(extra, sentence):
    with pytest.raises(CalculatorError) as err:
        calculators.get("iron-condor").run(CONDOR | extra)
    assert sentence in str(err.value)


def test_a_shift_needs_a_volatility_and_a_date_needs_days():
    base = {k: v for k, v in CONDOR.items() if k not in ("iv", "days")}
    with pytest.raises(CalculatorError, match="iv_shift needs a volatility to shift"):
        condor(**base, iv_shift=2)
    with pytest.raises(CalculatorError, match="at_days needs days"):
        condor(**base, at_days=2)
