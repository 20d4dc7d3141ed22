"""Golden files (golden/*.json): raw inputs -> expected outputs, or the error sentence, checked
through the registry's run(), the path the CLI, the assistant and the API take.

Each file: {"calculator", "source" (where the expected figures come from: a hand calculation,
QuantLib, scipy or statsmodels), "inputs", and "expected" (output key -> value, dotted for
nested values, e.g. "layers.0.notional"; null means the output is absent) with an optional
"rel_tol" and "abs_tol", or "error" (the exact sentence)}. The what-if files (whatif-*.json) are
written by whatif_golden.py from QuantLib.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import calculators
from calculators.errors import CalculatorError

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.json"))


def _lookup(outputs: dict, dotted: str):
    value = outputs
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_there_are_golden_files_for_every_calculator():
    covered = {json.loads(path.read_text())["calculator"] for path in GOLDEN}
    assert covered == {calc.name for calc in calculators.all_calculators()}


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden(path):
    case = json.loads(path.read_text())
    calc = calculators.get(case["calculator"])
    if "error" in case:
        with pytest.raises(CalculatorError) as err:
            calc.run(case["inputs"])
        assert str(err.value) == case["error"]
        return
    result = calc.run(case["inputs"])
    assert list(result) == ["calculator", "inputs", "outputs"]
    json.dumps(result, allow_nan=False)
    for key, expected in case["expected"].items():
        got = _lookup(result["outputs"], key)
        if expected is None or isinstance(expected, str):
            assert got == expected, key
        else:
            assert got == pytest.approx(expected, rel=case.get("rel_tol", 1e-12), abs=case.get("abs_tol", 1e-12)), key
