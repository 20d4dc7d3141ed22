"""`vixshield calc`: listing, generated subcommands, --json, tables, --plot, CSV and sample data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

import calculators
from assistant.cli import app

CONDOR_ARGS = ["--long-put", "5700", "--short-put", "5750", "--short-call", "6050", "--long-call", "6100", "--credit", "3.50"]
POP_ARGS = ["--long-put", "5650", "--short-put", "5700", "--short-call", "6100", "--long-call", "6150", "--credit", "5.10",
            "--spot", "5900", "--iv", "18%", "--days", "45"]


def invoke(*args: str):
    return CliRunner().invoke(app, ["calc", *args])


def test_calc_alone_lists_every_calculator_with_its_description():
    result = invoke()
    assert result.exit_code == 0
    for calc in calculators.all_calculators():
        assert any(line.startswith(calc.name) and calc.description in line for line in result.output.splitlines())


def test_json_is_exactly_the_registry_result():
    result = invoke("iron-condor", *CONDOR_ARGS, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    raw = {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100, "credit": 3.5}
    assert printed == calculators.get("iron-condor").run(raw)


def test_the_default_output_is_a_rounded_table():
    result = invoke("iron-condor", *POP_ARGS)
    assert result.exit_code == 0, result.output
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines()[2:])
    # units from the calculator's route, formatted as chat answers are (assistant/formatting.py)
    assert lines["lower_breakeven"] == "5,694.9" and lines["max_loss"] == "$4,490" and lines["pop"] == "41.8%"
    assert lines["max_loss_points"] == "44.90 points" and lines["greeks.theta"].endswith(" per day")


def test_a_percent_means_the_same_decimal():
    as_percent = json.loads(invoke("iron-condor", *POP_ARGS, "--rate", "4.5%", "--json").stdout)
    as_decimal = json.loads(invoke("iron-condor", *[a if a != "18%" else "0.18" for a in POP_ARGS], "--rate", "0.045", "--json").stdout)
    assert as_percent == as_decimal and as_percent["inputs"]["iv"] == 0.18


def test_nested_values_take_field_order_or_names():
    by_order = invoke("iron-condor", "--long-put", "5700", "--short-put", "5750", "--short-call", "6050", "--long-call", "6100",
                      "--leg-prices", "2.10,3.40,3.15,0.95", "--json")
    by_name = invoke("iron-condor", "--long-put", "5700", "--short-put", "5750", "--short-call", "6050", "--long-call", "6100",
                     "--leg-prices", "short_put=3.40,long_put=2.10,long_call=0.95,short_call=3.15", "--json")
    assert json.loads(by_order.stdout)["outputs"]["credit"] == pytest.approx(3.5)
    assert json.loads(by_order.stdout) == json.loads(by_name.stdout)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["iron-condor", "--long-put", "5950", "--short-put", "6000", "--short-call", "5900", "--long-call", "5950", "--credit", "2"],
         "the short put (6000) must be below the short call (5900)"),
        (["iron-condor", *CONDOR_ARGS, "--spot", "5900", "--iv", "-15%", "--days", "30"], "iv must be a positive volatility"),
        (["iron-condor", *CONDOR_ARGS, "--spot", "5900", "--iv", "nan", "--days", "30"], "iv must be a finite number"),
        (["iron-condor", *CONDOR_ARGS, "--days", "0"], "days must be greater than 0"),
        (["hedge-ratio", "--correlation", "0.6", "--portfolio-vol", "20%"], "missing: hedge_vol"),
        (["iron-condor", *CONDOR_ARGS, "--leg-prices", "1,2,3,4,5"], "--leg-prices takes values in the order long_put, short_put, short_call, long_call"),
        (["correlation", "--csv", "nowhere.csv", "--x", "a", "--y", "b"], "no such file: nowhere.csv"),
    ],
)
def test_invalid_input_exits_non_zero_with_the_sentence(args, sentence):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and sentence in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_plot_writes_a_png(tmp_path):
    path = tmp_path / "payoff.png"
    result = invoke("iron-condor", *POP_ARGS, "--at-days", "20", "--iv-shift", "5", "--at-spot", "5800", "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


# --- what-if ---------------------------------------------------------------------------------------


def test_what_if_options_give_the_registrys_what_if_and_a_sentence_first():
    args = [*POP_ARGS, "--at-days", "10", "--at-spot", "5800", "--iv-shift", "5", "--contracts", "2", "--rate", "4%"]
    result = invoke("iron-condor", *args)
    assert result.exit_code == 0, result.output
    raw = {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "spot": 5900, "iv": 0.18,
           "days": 45, "at_days": 10, "at_spot": 5800, "iv_shift": 5, "contracts": 2, "rate": 0.04}
    what_if = calculators.get("iron-condor").run(raw)["outputs"]["what_if"]
    first = result.stdout.splitlines()[0]
    assert first.startswith("P/L in 10 days (35 days left) at 5,800 (IV +5 points: 23 %, rate 4 %, dividend 0 %): ")
    dollars = f"{'-' if what_if['pnl'] < 0 else ''}${abs(what_if['pnl']):,.2f} for the position"
    assert dollars in first and f"{what_if['pnl_points']:+.2f} points per contract" in first
    assert json.loads(invoke("iron-condor", *args, "--json").stdout)["outputs"]["what_if"] == what_if


def test_table_prints_the_grid_with_the_registrys_figures():
    args = [*POP_ARGS, "--iv-shift", "-3", "--grid-spots", "5600,5900,6200", "--grid-days", "0,30,45", "--table"]
    result = invoke("iron-condor", *args)
    assert result.exit_code == 0, result.output
    grid = json.loads(invoke("iron-condor", *args[:-1], "--json").stdout)["outputs"]["grid"]
    lines = result.stdout.splitlines()
    assert lines[1].startswith("P/L in dollars, 1 contract(s)")
    header = next(line for line in lines if line.startswith("┃"))
    assert [w for w in header.replace("┃", " ").split()] == ["index", "today", "day", "30", "expiry"]
    row = next(line for line in lines if line.startswith("│ 5,900"))
    cells = [c.strip() for c in row.strip("│").split("│")][1:]
    assert cells == [f"{'-' if v < 0 else ''}${abs(v):,.0f}" for v in grid["pnl"][1]]


def test_table_without_grid_options_uses_a_default_grid_and_spreads_have_it_too():
    result = invoke("vertical-spread", "--kind", "put", "--short-strike", "5750", "--long-strike", "5700", "--credit", "1.8",
                    "--spot", "5900", "--iv", "18%", "--days", "21", "--table")
    assert result.exit_code == 0, result.output
    assert sum(line.startswith("│") for line in result.stdout.splitlines()) == 13
    assert "today" in result.stdout and "expiry" in result.stdout


def test_eval_days_still_works_as_the_old_name_of_at_days():
    old = json.loads(invoke("iron-condor", *POP_ARGS, "--eval-days", "20", "--json").stdout)
    new = json.loads(invoke("iron-condor", *POP_ARGS, "--at-days", "20", "--json").stdout)
    assert old == new


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        ([*POP_ARGS, "--at-days", "50"], "at_days (50) must not be after expiry (45 days)"),
        ([*POP_ARGS, "--at-days", "-2"], "at_days must be at least 0"),
        ([*POP_ARGS, "--iv-shift", "5%"], "iv_shift is in volatility points"),
        ([*CONDOR_ARGS, "--table"], "the P/L grid needs a volatility (iv, ivs or at_iv) and days"),
    ],
)
def test_bad_what_if_options_exit_2_with_the_sentence(args, sentence):
    result = invoke("iron-condor", *args)
    assert result.exit_code == 2 and sentence in result.stderr and "Traceback" not in result.output


def _write_prices(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2)
    spx = 4000 * np.exp(np.cumsum(rng.normal(0, 0.01, 120)))
    vix = 15 * np.exp(np.cumsum(-2.5 * np.diff(np.log(spx), prepend=np.log(4000)) + rng.normal(0, 0.03, 120)))
    dates = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-01-01") + 120)
    rows = [f"{d},{s:.6f},{v:.6f}" for d, s, v in zip(dates, spx, vix)]
    rows[7] = f"{dates[7]},,{vix[7]:.6f}"  # a missing price
    rows = rows[::-1]  # newest first: the loader sorts by date
    path.write_text("date,spx,vix\n" + "\n".join(rows) + "\n")
    return dates, np.round(spx, 6), np.round(vix, 6)


def test_correlation_from_a_csv_with_returns_window_and_regimes(tmp_path):
    path = tmp_path / "prices.csv"
    _, spx, vix = _write_prices(path)
    result = invoke("correlation", "--csv", str(path), "--x", "spx", "--y", "vix", "--returns", "log", "--window", "20",
                    "--regime", "vix", "--above", "16", "--below", "14", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["outputs"]
    keep = np.ones(120, bool)
    keep[7] = False
    x, y = np.diff(np.log(spx[keep])), np.diff(np.log(vix[keep]))
    assert (out["n"], out["dropped"]) == (118, 1)
    assert out["pearson"] == pytest.approx(stats.pearsonr(x, y).statistic, rel=1e-10)
    assert out["rolling"]["window"] == 20 and out["regimes"]["high"]["label"] == "regime > 16"


def test_hedge_ratio_from_a_csv(tmp_path):
    path = tmp_path / "prices.csv"
    _, spx, vix = _write_prices(path)
    result = invoke("hedge-ratio", "--csv", str(path), "--x", "vix", "--y", "spx", "--returns", "simple", "--json")
    assert result.exit_code == 0, result.output
    keep = np.ones(120, bool)
    keep[7] = False
    hedge, book = np.diff(vix[keep]) / vix[keep][:-1], np.diff(spx[keep]) / spx[keep][:-1]
    assert json.loads(result.stdout)["outputs"]["hedge_ratio"] == pytest.approx(stats.linregress(hedge, book).slope, rel=1e-9)


def test_the_spx_vix_sample_answers_the_regime_question():
    result = invoke("correlation", "--sample", "spx-vix", "--returns", "log", "--regime", "vix", "--above", "30", "--below", "20")
    assert result.exit_code == 0, result.output
    assert "regimes.high.label" in result.stdout and "regime > 30" in result.stdout


def test_the_installed_command_answers_in_json():
    vixshield = Path(sys.executable).with_name("vixshield")
    completed = subprocess.run([str(vixshield), "calc", "iron-condor", *CONDOR_ARGS, "--json"], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    outputs = json.loads(completed.stdout)["outputs"]
    assert (outputs["lower_breakeven"], outputs["upper_breakeven"], outputs["max_profit"], outputs["max_loss"]) == (5746.5, 6053.5, 350, 4650)


def test_the_installed_command_explains_bad_input_without_a_traceback():
    vixshield = Path(sys.executable).with_name("vixshield")
    args = ["calc", "iron-condor", "--long-put", "5950", "--short-put", "6000", "--short-call", "5900", "--long-call", "5950", "--credit", "2"]
    completed = subprocess.run([str(vixshield), *args], capture_output=True, text=True, timeout=60)
    assert completed.returncode != 0
    assert completed.stderr.strip() == "Error: the short put (6000) must be below the short call (5900)"


def test_calc_loads_no_model_library():
    code = (
        "import sys; from click.testing import CliRunner; from assistant.cli import app; "
        "r = CliRunner().invoke(app, ['calc', 'iron-condor', '--long-put', '5700', '--short-put', '5750', "
        "'--short-call', '6050', '--long-call', '6100', '--credit', '3.5', '--spot', '5900', '--iv', '0.18', '--days', '30']); "
        "assert r.exit_code == 0, r.output; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'sentence_transformers', 'faiss', 'transformers', 'onnxruntime'}))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert completed.stdout.strip() == "[]"
