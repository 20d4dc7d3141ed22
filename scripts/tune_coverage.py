#!/usr/bin/env python3
"""Measure and tune the coverage decision on the labelled set.

Each question of tests/data/coverage-questions.jsonl is labelled covered (an article or
glossary entry states the answer) or not covered (in-domain, but no article states the
specific ask). The assistant answers a methodology question only when one article sentence
is evidence (``assistant/evidence.py``: coverage of the focus terms, cosine, answer type),
and definitions from the glossary first.

    .venv/bin/python scripts/tune_coverage.py [--sweep] [--show-errors] [--markdown]

Prints the confusion matrix at the current thresholds: false declines (covered questions
declined) and false answers (uncovered questions answered); --sweep searches the thresholds.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

CASES = ROOT / "tests" / "data" / "coverage-questions.jsonl"


_ASSISTANT = []


def assistant():
    """One warmed-up Assistant for the whole run, on a throw-away database."""
    if not _ASSISTANT:
        from assistant.pipeline import Assistant
        from assistant.settings import Settings

        tmp = tempfile.mkdtemp(prefix="tune-coverage-")
        _ASSISTANT.append(Assistant(Settings(db_path=Path(tmp) / "tune.db", database_url="")))
        _ASSISTANT[0].warm_up()
    return _ASSISTANT[0]


def run_pipeline(rows: list[dict]) -> list[dict]:
    """Each question through the real Assistant: answered (grounded) or declined."""
    out = []
    for row in rows:
        reply = assistant().run(row["question"])
        out.append({**row, "answered": reply.grounded, "answer": reply.answer})
    return out


def confusion(results: list[dict]) -> dict:
    covered = [r for r in results if r["covered"]]
    uncovered = [r for r in results if not r["covered"]]
    false_declines = [r for r in covered if not r["answered"]]
    false_answers = [r for r in uncovered if r["answered"]]
    return {
        "covered": len(covered),
        "uncovered": len(uncovered),
        "false_declines": false_declines,
        "false_answers": false_answers,
    }


def sweep(rows: list[dict]) -> None:
    from assistant import evidence

    scored_once = evidence.SentenceTable.score
    memo: dict = {}

    def memo_score(self, question, query_vector, glossary, focus=None, k=12):
        if question not in memo:
            memo[question] = scored_once(self, question, query_vector, glossary, focus, k)
        return memo[question]

    evidence.SentenceTable.score = memo_score  # the thresholds change the decision, not the scores

    grid = {
        "MIN_COVERAGE": [0.5, 0.6, 0.7],
        "MIN_COSINE": [0.25, 0.3, 0.35],
        "MIN_COVERAGE_ALONE": [0.2, 0.3, 0.4],
        "MIN_COSINE_HIGH": [0.5, 0.55, 0.6],
    }
    best = []
    for values in itertools.product(*grid.values()):
        for name, value in zip(grid, values):
            setattr(evidence, name, value)
        c = confusion(run_pipeline(rows))
        errors = len(c["false_declines"]) + len(c["false_answers"])
        best.append((errors, len(c["false_answers"]), values))
        print(f"{dict(zip(grid, values))}: false declines {len(c['false_declines'])}, false answers {len(c['false_answers'])}", flush=True)
    best.sort()
    print("best:", [(e, fa, dict(zip(grid, v))) for e, fa, v in best[:5]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=str(CASES))
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.cases).read_text().splitlines() if line.strip()]
    if args.sweep:
        sweep(rows)
        return
    c = confusion(run_pipeline(rows))
    fd, fa = len(c["false_declines"]), len(c["false_answers"])
    if args.markdown:
        print("| | answered | declined |\n| --- | --- | --- |")
        print(f"| covered ({c['covered']}) | {c['covered'] - fd} | {fd} |")
        print(f"| not covered ({c['uncovered']}) | {fa} | {c['uncovered'] - fa} |")
    print(f"false declines: {fd}/{c['covered']} ({fd / max(c['covered'], 1):.1%}); "
          f"false answers: {fa}/{c['uncovered']} ({fa / max(c['uncovered'], 1):.1%})")
    if args.show_errors:
        for r in c["false_declines"]:
            print(f"FALSE DECLINE: {r['question']}\n    want: {r['evidence']}\n    got: {r['answer'][:160]}")
        for r in c["false_answers"]:
            print(f"FALSE ANSWER: {r['question']}\n    got: {r['answer'][:200]}")


if __name__ == "__main__":
    main()
