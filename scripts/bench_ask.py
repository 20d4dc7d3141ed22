"""Cold `vixshield ask` wall time: a new process each run (imports, index load, query encoder, answer).

    .venv/bin/python scripts/bench_ask.py [--runs 7]

Prints min / median / max seconds for a definition, a methodology and a
calculator question. A benchmark, not a test: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "vixshield"
QUESTIONS = {
    "definition": "What does ALVH stand for?",
    "methodology": "Which technical indicators are used to adjust the hedge ratios?",
    "calculator": "Iron condor 5700/5750/6050/6100 for a 3.50 credit, SPX 5900, IV 18%, 45 days: probability of profit?",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VIXSHIELD_DB_PATH": str(ROOT / "data" / "bench-ask.db")}
    subprocess.run([str(CLI), "index", "build"], check=True, env=env, capture_output=True)
    print(f"{'question':<12} {'min s':>6} {'median s':>9} {'max s':>6}")
    for kind, question in QUESTIONS.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([str(CLI), "ask", question, "--json"], check=True, env=env, capture_output=True)
            times.append(time.perf_counter() - start)
        print(f"{kind:<12} {min(times):>6.2f} {statistics.median(times):>9.2f} {max(times):>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
