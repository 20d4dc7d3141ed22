"""Benchmark of the calculators (not a test): time per call, printed as a Markdown table.

Goals (issue 4): full iron-condor metrics incl. POP, touch and EV under 1 ms per call;
correlation statistics on 10,000 points under 10 ms. Issue 14: a what-if P/L grid of 60
index levels × 10 dates under 5 ms.

    .venv/bin/python scripts/bench_calculators.py [--repeat 7]

"pure" times the calculator function on an already validated input model; "run" times
Calculator.run() on raw JSON-like inputs: validation, calculation and model_dump, which is
what the CLI, the assistant and the API pay.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import timeit

import numpy as np

import calculators
from calculators.bsm import ImpliedVolInputs, OptionInputs, implied_vol, option
from calculators.condor import IronCondorInputs, iron_condor
from calculators.correlation import CorrelationInputs, correlation
from calculators.whatif import pnl_grid

CONDOR = {
    "long_put": 5650, "short_put": 5700, "short_call": 6100, "long_call": 6150, "credit": 5.10,
    "spot": 5900, "iv": 0.18, "days": 45, "rate": 0.04, "dividend": 0.013,
}


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def per_call(fn, repeat: int) -> tuple[float, float]:
    """Median and best seconds per call over ``repeat`` rounds, each long enough to time."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    rounds = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return statistics.median(rounds), min(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.normal(0, 0.01, 10_000)
    y = -4 * x + rng.normal(0, 0.03, 10_000)
    level = rng.uniform(10, 45, 10_000)
    raw_corr = {"x": x.tolist(), "y": y.tolist()}
    raw_corr_full = raw_corr | {"window": 60, "regime": level.tolist(), "above": 30, "below": 20}

    condor_inputs = IronCondorInputs(**CONDOR)
    corr_inputs = CorrelationInputs(**raw_corr)
    corr_full_inputs = CorrelationInputs(**raw_corr_full)
    option_inputs = OptionInputs(kind="put", spot=5900, strike=5700, iv=0.18, days=45, rate=0.04, dividend=0.013)
    iv_inputs = ImpliedVolInputs(kind="put", spot=5900, strike=5700, price=option(option_inputs).price, days=45, rate=0.04, dividend=0.013)
    correlation(corr_inputs)  # import scipy.stats once, outside the timings
    raw_grid = CONDOR | {"iv_shift": 5, "grid_spots": 60, "grid_days": 10}
    grid_inputs = IronCondorInputs(**raw_grid)
    strikes = np.array([5650.0, 5700, 6100, 6150])
    is_call, signs = np.array([False, False, True, True]), np.array([1.0, -1, -1, 1])
    levels, grid_days, vols = np.linspace(5500, 6300, 60), np.linspace(0, 45, 10), np.full(4, 0.23)

    cases = [
        ("iron-condor, full metrics (pure)", lambda: iron_condor(condor_inputs), 1e-3),
        ("iron-condor, full metrics (run)", lambda: calculators.get("iron-condor").run(CONDOR), 1e-3),
        ("correlation, 10,000 points (pure)", lambda: correlation(corr_inputs), 10e-3),
        ("correlation, 10,000 points (run)", lambda: calculators.get("correlation").run(raw_corr), 10e-3),
        ("correlation, 10,000 points + window 60 + regimes (pure)", lambda: correlation(corr_full_inputs), 10e-3),
        ("correlation, 10,000 points + window 60 + regimes (run)", lambda: calculators.get("correlation").run(raw_corr_full), 10e-3),
        ("what-if grid 60 levels x 10 dates, 4 legs (grid function alone)",
         lambda: pnl_grid(is_call, strikes, signs, vols, 5.10, 45, levels, grid_days, 0.04, 0.013, 100), 5e-3),
        ("iron-condor, full metrics + what-if grid 60 x 10 (pure)", lambda: iron_condor(grid_inputs), 5e-3),
        ("iron-condor, full metrics + what-if grid 60 x 10 (run)", lambda: calculators.get("iron-condor").run(raw_grid), 5e-3),
        ("option price and greeks (pure)", lambda: option(option_inputs), None),
        ("implied volatility (pure)", lambda: implied_vol(iv_inputs), None),
    ]
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}")
    print()
    print("| calculation | median per call | best per call | goal |")
    print("| --- | ---: | ---: | --- |")
    for name, fn, goal in cases:
        median, best = per_call(fn, args.repeat)
        verdict = "" if goal is None else f"< {goal * 1e3:g} ms: {'met' if median < goal else 'NOT met'}"
        print(f"| {name} | {median * 1e6:,.0f} µs | {best * 1e6:,.0f} µs | {verdict} |")


if __name__ == "__main__":
    main()
