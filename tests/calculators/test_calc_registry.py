"""The registry: the one list the CLI, the router and the API read."""

from __future__ import annotations

import json

import pytest

import calculators
from calculators import registry
from calculators.errors import CalculatorError

WHAT_IF = ("at_days", "at_spot", "iv_shift", "at_iv", "grid_spots", "grid_days")  # eval_days: the old name of at_days
# Names and input fields other parts of the product are written against.
FIXED_FIELDS = {
    "iron-condor": {"long_put", "short_put", "short_call", "long_call", "credit", "leg_prices", "contracts", "multiplier",
                    "spot", "iv", "ivs", "days", "rate", "dividend", *WHAT_IF},
    "option": {"kind", "spot", "strike", "iv", "days", "rate", "dividend"},
    "implied-vol": {"kind", "spot", "strike", "price", "days", "rate", "dividend"},
    "vertical-spread": {"kind", "short_strike", "long_strike", "credit", "contracts", "multiplier",
                        "spot", "iv", "ivs", "days", "rate", "dividend", *WHAT_IF},
    "hedge-ratio": {"correlation", "portfolio_vol", "hedge_vol", "x", "y"},
    "decorrelation-oversize": {"notional", "factor"},
    "beta-weighted-delta": {"delta", "beta", "price", "benchmark_price"},
    "vix-hedge": {"spx_drop", "vix", "vix_rise", "vix_beta", "call_strike", "call_premium", "book_loss", "condor", "offset"},
    "alvh-layers": {"notional", "allocation", "increment", "expirations", "hedge_ratio", "decorrelation_factor"},
    "correlation": {"x", "y", "returns", "confidence", "window", "regime", "above", "below"},
}


def test_every_calculator_is_registered_with_its_fields():
    by_name = {calc.name: calc for calc in calculators.all_calculators()}
    assert set(by_name) == set(FIXED_FIELDS)
    for name, fields in FIXED_FIELDS.items():
        assert fields <= set(by_name[name].inputs.model_fields), name


@pytest.mark.parametrize("calc", calculators.all_calculators(), ids=lambda c: c.name)
def test_each_example_runs_to_json_safe_output(calc):
    result = calc.run(calc.example)
    assert list(result) == ["calculator", "inputs", "outputs"] and result["calculator"] == calc.name
    json.dumps(result, allow_nan=False)  # no NaN or infinity anywhere
    assert calc.inputs.model_json_schema()["type"] == "object"
    assert calc.description and "\n" not in calc.description
    assert calc.inputs.model_config["frozen"] and calc.inputs.model_config["extra"] == "forbid"


def test_run_echoes_the_validated_inputs():
    result = registry.get("option").run({"kind": "put", "spot": "5900", "strike": 5700, "iv": "18%", "days": 45})
    assert result["inputs"] == {"kind": "put", "spot": 5900.0, "strike": 5700.0, "iv": 0.18, "days": 45.0, "rate": 0.0, "dividend": 0.0}


def test_an_unknown_calculator_lists_the_others():
    with pytest.raises(CalculatorError) as err:
        registry.get("straddle")
    assert str(err.value).startswith("unknown calculator 'straddle'; available: ") and "iron-condor" in str(err.value)


@pytest.mark.parametrize(
    ("name", "raw", "sentence"),
    [
        ("iron-condor", [1, 2], "the inputs must be a set of named values, not list"),
        ("iron-condor", {"long_put": 5700}, "short_put is required"),
        ("hedge-ratio", {"correlation": "high", "portfolio_vol": 0.2, "hedge_vol": 0.4}, "correlation must be a number (got 'high')"),
        ("option", {"kind": "call", "spot": 5900, "strike": 6000, "iv": "abc%", "days": 30}, "iv must be a number or a percent like 15%"),
    ],
)
def test_run_turns_validation_errors_into_sentences(name, raw, sentence):
    with pytest.raises(CalculatorError) as err:
        registry.get(name).run(raw)
    assert sentence in str(err.value)


def test_the_package_imports_nothing_from_the_assistant():
    import subprocess
    import sys

    code = "import sys, calculators; print(sorted(m for m in sys.modules if m == 'assistant' or m.startswith('assistant.')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
