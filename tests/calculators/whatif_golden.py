"""What-if golden files from QuantLib: P/L before expiry, at another index level and with
shifted or replaced volatility, for iron condors and vertical spreads.

    .venv/bin/python tests/calculators/whatif_golden.py     # rewrites golden/whatif-*.json

Each case's expected figures come from ``ql_oracle.ql_position_pnl`` (QuantLib's analytic
European engine with the evaluation date moved to ``at_days``), never from our calculators;
``test_whatif.py`` recomputes them from QuantLib to prove the files were not edited by hand,
and ``test_calc_golden.py`` runs them through the registry to 1e-6 points.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
CONDOR_LEGS = (("put", "long_put", 1), ("put", "short_put", -1), ("call", "short_call", -1), ("call", "long_call", 1))
ABS_TOL = 1e-6  # index points per share; the dollar figures are held to the same absolute tolerance

CASES = {
    "whatif-iron-condor-before-expiry": {
        "calculator": "iron-condor",
        "note": "15 days from now (30 left), index at 5800, rate 4 %, dividend 1.3 %, 2 contracts",
        "inputs": {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "contracts": 2,
                   "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013, "at_days": 15, "at_spot": 5800},
    },
    "whatif-iron-condor-iv-shift-skew": {
        "calculator": "iron-condor",
        "note": "per-leg volatilities (a put skew) each raised 5 points, 10 days from now, index at 6050",
        "inputs": {"long_put": 5700, "short_put": 5750, "short_call": 6050, "long_call": 6100, "credit": 3.50,
                   "spot": 5900, "ivs": {"long_put": 0.21, "short_put": 0.19, "short_call": 0.14, "long_call": 0.13},
                   "days": 30, "rate": 0.045, "dividend": 0.012, "at_days": 10, "at_spot": 6050, "iv_shift": 5},
    },
    "whatif-iron-condor-at-iv": {
        "calculator": "iron-condor",
        "note": "volatility replaced by 23 % for every leg, a week before expiry, index unchanged",
        "inputs": {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10,
                   "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013, "at_days": 38, "at_iv": "23%"},
    },
    "whatif-iron-condor-grid": {
        "calculator": "iron-condor",
        "note": "P/L grid of 7 index levels x 4 dates (today to expiry) with volatility 3 points lower, 3 contracts",
        "inputs": {"long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10, "contracts": 3,
                   "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013, "iv_shift": -3,
                   "grid_spots": [5600, 5700, 5800, 5900, 6000, 6100, 6200], "grid_days": [0, 10, 30, 45]},
    },
    "whatif-vertical-spread-put": {
        "calculator": "vertical-spread",
        "note": "put credit spread, per-leg volatilities raised 4 points, 7 days from now at 5760; grid of 3 levels x 3 dates",
        "inputs": {"kind": "put", "short_strike": 5750, "long_strike": 5700, "credit": 1.80, "contracts": 5,
                   "spot": 5900, "ivs": {"short": 0.17, "long": 0.185}, "days": 21, "rate": 0.04, "dividend": 0.013,
                   "at_days": 7, "at_spot": 5760, "iv_shift": 4, "grid_spots": [5650, 5750, 5850], "grid_days": [0, 14, 21]},
    },
    "whatif-vertical-spread-call": {
        "calculator": "vertical-spread",
        "note": "call credit spread valued today at 6080 with volatility replaced by 16 %",
        "inputs": {"kind": "call", "short_strike": 6050, "long_strike": 6100, "credit": 2.50,
                   "spot": 5950, "iv": 0.13, "days": 14, "rate": 0.05, "at_spot": 6080, "at_iv": 0.16},
    },
}


def position_legs(calculator: str, inputs: dict) -> tuple[list[tuple[str, float, int, float]], list[str]]:
    """(kind, strike, sign, vol after the what-if) per leg, and the leg names, straight from the raw inputs."""
    def vol_of(name: str) -> float:
        if "at_iv" in inputs:
            return float(str(inputs["at_iv"]).rstrip("%")) / (100 if str(inputs["at_iv"]).endswith("%") else 1)
        base = inputs["ivs"][name] if "ivs" in inputs else inputs["iv"]
        return base + inputs.get("iv_shift", 0) / 100

    if calculator == "iron-condor":
        return [(kind, inputs[name], sign, vol_of(name)) for kind, name, sign in CONDOR_LEGS], [n for _, n, _ in CONDOR_LEGS]
    kind = inputs["kind"]
    return [(kind, inputs["short_strike"], -1, vol_of("short")), (kind, inputs["long_strike"], 1, vol_of("long"))], ["short", "long"]


def expected_of(case: dict) -> dict:
    """The figures QuantLib gives for a case, keyed like the golden files (dotted output paths)."""
    from ql_oracle import ql_position_pnl

    inputs = case["inputs"]
    legs, names = position_legs(case["calculator"], inputs)
    scale = inputs.get("multiplier", 100) * inputs.get("contracts", 1)
    rate, dividend, days = inputs.get("rate", 0.0), inputs.get("dividend", 0.0), inputs["days"]
    expected: dict = {}
    if any(k in inputs for k in ("at_days", "at_spot", "iv_shift", "at_iv")):
        at_days, at_spot = inputs.get("at_days", 0), inputs.get("at_spot", inputs["spot"])
        result = ql_position_pnl(legs, inputs["credit"], at_spot, days, at_days, rate, dividend)
        expected |= {
            "what_if.days_remaining": days - at_days,
            "what_if.spot": at_spot,
            "what_if.pnl_points": result["pnl_points"],
            "what_if.pnl_per_contract": result["pnl_points"] * inputs.get("multiplier", 100),
            "what_if.pnl": result["pnl_points"] * scale,
        }
        for name, (_, _, _, vol), value in zip(names, legs, result["leg_values"]):
            expected[f"what_if.ivs.{name}"] = vol
            expected[f"what_if.leg_values.{name}"] = value
    if "grid_spots" in inputs:
        for i, level in enumerate(inputs["grid_spots"]):
            for j, day in enumerate(inputs["grid_days"]):
                result = ql_position_pnl(legs, inputs["credit"], level, days, day, rate, dividend)
                expected[f"grid.pnl.{i}.{j}"] = result["pnl_points"] * scale
    return expected


def golden_file(name: str) -> dict:
    case = CASES[name]
    return {
        "calculator": case["calculator"],
        "source": "QuantLib AnalyticEuropeanEngine per leg, evaluation date moved to at_days (flat Actual/365 curves): "
        + case["note"] + " (tests/calculators/whatif_golden.py)",
        "inputs": case["inputs"],
        "expected": expected_of(case),
        "rel_tol": 0,
        "abs_tol": ABS_TOL,
    }


def main() -> None:
    sys.path.insert(0, str(HERE))
    for name in CASES:
        path = GOLDEN / f"{name}.json"
        path.write_text(json.dumps(golden_file(name), indent=2) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
