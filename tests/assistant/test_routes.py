"""Calculator answers end to end without the index: understand -> the route's run -> its composer.

Data questions run the real correlation calculator on the bundled sample; the expected figures
come from tests/data/chat-cases.jsonl (ids data-*), not from this file.
"""

import json
from pathlib import Path

import pytest

from assistant import routes
from assistant.numbers import numbers_in, numbers_of, ungrounded
from assistant.reply import Calculation
from assistant.routes.answers import compose_calculation
from assistant.understand import Intent, understand

CASES = Path(__file__).resolve().parents[1] / "data" / "chat-cases.jsonl"


def answer(message: str) -> tuple[Calculation, str]:
    import calculators  # noqa: F401
    from calculators import registry

    u = understand(message)
    assert u.intent is Intent.CALCULATION and u.calc is not None and not u.calc.missing, u
    route = routes.get(u.calc.calculator)
    result = route.run(dict(u.calc.inputs)) if route.run else registry.get(u.calc.calculator).run(u.calc.inputs)
    calc = Calculation(**result)
    text = compose_calculation(calc, u.calc.focus)
    pool = numbers_in(message) + numbers_of(calc.inputs) + numbers_of(calc.outputs)
    assert ungrounded(text, pool) == [], text  # every number in the answer is the question's or the calculation's
    return calc, text


def shows(text: str, value: float, tol: float = 1e-9, pct: bool = False) -> bool:
    return any(abs(n - (100 * value if pct else value)) <= tol or (pct and abs(n - value) <= tol) for n in numbers_in(text))


def data_cases():
    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    return [pytest.param(c["turns"][0], id=c["id"]) for c in cases if c["id"].startswith("data-")]


@pytest.mark.parametrize("turn", data_cases())
def test_data_questions_run_the_correlation_calculator_and_show_the_figures_asked(turn):
    calc, text = answer(turn["message"])
    assert calc.calculator == "correlation"
    # a compact description of the data, never the series
    assert not any(isinstance(v, list) for v in calc.inputs.values())
    assert calc.inputs["data"] == "spx-vix sample" and calc.inputs["x"] == "spx" and calc.inputs["y"] == "vix"
    for said in ("spx-vix sample", calc.inputs["start"], calc.inputs["end"], f"{calc.outputs['n']:,}", calc.inputs["returns"]):
        assert said in text, said
    for want in turn["expect"].get("numbers_all", []):
        want = want if isinstance(want, dict) else {"value": want, "tol": 0.5}
        assert shows(text, want["value"], want["tol"], want.get("pct", False)), (want, text)


def test_returns_are_log_unless_the_question_says_simple_returns_or_levels():
    assert understand("correlation between SPX and VIX?").calc.inputs["returns"] == "log"
    assert understand("correlation between SPX and VIX simple returns?").calc.inputs["returns"] == "simple"
    assert understand("what is the correlation of SPX and VIX levels?").calc.inputs["returns"] == "none"


def test_a_regime_question_answers_both_regimes():
    calc, text = answer("Is the correlation weaker when the VIX is above 20?  SPX vs VIX")
    regimes = calc.outputs["regimes"]
    assert calc.inputs["above"] == 20 and calc.inputs["regime"] == "vix"
    for side in ("high", "low"):
        assert shows(text, regimes[side]["pearson"], 6e-5) and f"{regimes[side]['n']:,}" in text
    assert "| VIX above 20 |" in text


def test_beta_direction_follows_the_words():
    u = understand("what is the beta of SPX to VIX?")
    assert (u.calc.inputs["y"], u.calc.inputs["x"]) == ("spx", "vix")
    u = understand("beta of VIX to SPX?")
    assert (u.calc.inputs["y"], u.calc.inputs["x"]) == ("vix", "spx")


def test_a_named_csv_with_its_columns(tmp_path, monkeypatch):
    from assistant.settings import get_settings

    monkeypatch.setenv("VIXSHIELD_CSV_DIR", str(tmp_path))
    get_settings.cache_clear()
    path = tmp_path / "prices.csv"
    rows = ["date,alpha,beta"] + [f"2024-01-{d:02d},{100 + d * (d % 3)},{50 - d + (d % 4)}" for d in range(1, 29)]
    path.write_text("\n".join(rows) + "\n")
    calc, text = answer(f"What is the correlation between columns alpha and beta in {path} (SPX and VIX style data)?")
    assert calc.inputs["data"] == str(path) and (calc.inputs["x"], calc.inputs["y"]) == ("alpha", "beta")
    assert calc.inputs["start"] == "2024-01-01" and calc.inputs["end"] == "2024-01-28"
    assert "prices.csv" in text
    get_settings.cache_clear()


def test_a_csv_outside_the_data_folder_is_refused(tmp_path, monkeypatch):
    from assistant.settings import get_settings

    monkeypatch.setenv("VIXSHIELD_CSV_DIR", str(tmp_path / "csv"))
    get_settings.cache_clear()
    (tmp_path / "secret.csv").write_text("date,spx,vix\n2024-01-01,1,2\n")
    try:
        from calculators.errors import CalculatorError

        with pytest.raises(CalculatorError, match="data folder only"):
            routes.get("correlation").run({"data": str(tmp_path / "secret.csv"), "x": "spx", "y": "vix", "returns": "log"})
        with pytest.raises(CalculatorError, match="data folder only"):
            routes.get("correlation").run({"data": "../secret.csv", "x": "spx", "y": "vix", "returns": "log"})
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "message",
    [
        "What is correlation?",
        "How does correlation break down for NFTs during DeFi shocks?",
        "Why is the VIX negatively correlated with the SPX?",
        "What does beta mean?",
    ],
)
def test_questions_about_correlation_that_ask_no_figure_of_the_data_are_not_data_questions(message):
    u = understand(message)
    assert u.calc is None or u.calc.calculator != "correlation", u


@pytest.mark.parametrize(
    "message, calculator",
    [
        ("Correlation is 0.6, my portfolio's volatility is 20% and the hedge instrument's volatility is 40%. What is the minimum-variance hedge ratio?", "hedge-ratio"),
        ("VIX at 16, VIX beta 4, SPX falls 10%, 22-strike VIX calls: how many VIX calls to offset a 20,000 dollar loss?", "vix-hedge"),
        ("Beta-weighted delta of a position with delta -150, beta 1.2 and price 500, against SPX at 6000?", "beta-weighted-delta"),
    ],
)
def test_a_correlation_or_beta_given_as_an_input_stays_with_its_calculator(message, calculator):
    assert understand(message).calc.calculator == calculator


# --- calculator answers: the figures asked, with their units ----------------------------------------


def test_a_negative_expected_value_is_shown_with_its_sign():
    calc, text = answer("Iron condor 5600/5650/6150/6200 for a 2.00 credit, SPX 5900, IV 20%, 30 days: what is the expected value?")
    assert calc.outputs["expected_value"] < 0
    assert "-$1,881.92" in text and shows(text, -1881.92, 1.0)


def test_the_alvh_layer_split_is_a_table_in_the_text():
    calc, text = answer("Layer a $500,000 hedge with 25% increments: what are the layers?")
    assert [layer["expiration_days"] for layer in calc.outputs["layers"]] == [30, 60, 90, 30]
    assert text.count("| $125,000 |") == 4 and "| Layer |" in text
    for days in ("| 30 |", "| 60 |", "| 90 |"):
        assert days in text


def test_theta_and_vega_carry_their_units():
    _, text = answer("What is the theta and vega of a 6100 call with SPX at 6000, IV 16% and 30 days to expiry?")
    assert "points per day" in text and "points per vol point" in text
    _, text = answer("Iron condor 5600/5650/6150/6200 for a 2.00 credit, SPX 5900, IV 20%, 30 days: theta and vega?")
    assert " per day" in text and " per vol point" in text


def test_theo_value_per_contract_in_points_and_for_the_position_in_dollars():
    calc, text = answer("3 contracts of the 5600/5650/6150/6200 condor for 2.00, SPX 5900, IV 20%, 30 days: what is it worth?")
    out = calc.outputs
    assert out["theo_value_dollars"] == pytest.approx(out["theo_value"] * 100 * 3)
    assert f"{out['theo_value']:.2f} points per contract" in text and shows(text, round(out["theo_value_dollars"], 2), 0.01)


def test_the_contract_footnote_only_where_contracts_exist():
    with_contracts = {r.name for r in routes.all_routes() if r.contracts}
    assert with_contracts == {"iron-condor", "vertical-spread", "option", "implied-vol", "vix-hedge"}


@pytest.mark.parametrize(
    "question",
    [
        "do stocks and the VIX really move opposite each other? show me from the sample data",
        "correlation between the S&P 500 and VIX daily returns?",
    ],
)
def test_the_sp500_under_other_names_is_a_data_question(question):
    from assistant.understand import Intent, understand

    u = understand(question, None)
    assert u.intent is Intent.CALCULATION and u.calc.calculator == "correlation"
