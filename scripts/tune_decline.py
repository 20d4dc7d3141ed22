#!/usr/bin/env python3
"""Sweep the decline threshold on the labelled scope set and recommend one.

The assistant declines a methodology question when the best passage's dense
(cosine) score is below ``decline_threshold`` AND the question names no glossary
term (``assistant/pipeline.py``). Calculator questions are routed before that
check, so the labelled set holds none.

    .venv/bin/python scripts/tune_decline.py [--cases tests/data/scope-questions.jsonl]
        [--lo 0.10 --hi 0.60 --step 0.01] [--show-errors] [--markdown]

For each threshold it prints false declines (in-scope questions declined) and
false answers (out-of-scope questions answered), and recommends the threshold
with the best accuracy (or, with --fa-weight W, the lowest false declines + W x
false answers); ties go to fewer false answers (a decline is the contract's
safe error), then to the middle of the widest best range, which leaves the most
margin on both sides.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def score_questions(cases: list[dict]) -> list[dict]:
    from assistant.index import SearchIndex
    from assistant.pipeline import relevance
    from assistant.settings import get_settings

    idx = SearchIndex(get_settings())
    idx.load()
    rows = []
    for case in cases:
        q = case["question"]
        hits = idx.search(q, k=10)
        named = idx.glossary.find_in(q)
        rows.append(
            {
                "question": q,
                "in_scope": bool(case["in_scope"]),
                "dense": relevance(hits),
                "named": [t.term for t in named],
                "top": hits[0].chunk.source_id if hits else None,
            }
        )
    return rows


def sweep(rows: list[dict], thresholds: list[float], fa_weight: float = 1.0) -> list[dict]:
    table = []
    for t in thresholds:
        false_declines = [r for r in rows if r["in_scope"] and r["dense"] < t and not r["named"]]
        false_answers = [r for r in rows if not r["in_scope"] and not (r["dense"] < t and not r["named"])]
        errors = len(false_declines) + len(false_answers)
        table.append(
            {
                "threshold": round(t, 4),
                "false_declines": len(false_declines),
                "false_answers": len(false_answers),
                "accuracy": 1 - errors / len(rows),
                "cost": len(false_declines) + fa_weight * len(false_answers),
                "fd": false_declines,
                "fa": false_answers,
            }
        )
    return table


def recommend(rows: list[dict], table: list[dict], fa_weight: float = 1.0) -> dict:
    """Lowest cost (false declines + fa_weight x false answers; weight 1 = best accuracy).

    Among ties, fewer false answers first, then the middle of the widest run of consecutive best thresholds, taken as a
    value rounded to 0.005 (a best range 0.27..0.28 gives 0.275).
    """
    best = min(r["cost"] for r in table)
    runs, run = [], []
    for r in table:
        if abs(r["cost"] - best) < 1e-12 and (not run or run[-1]["false_answers"] == r["false_answers"]):
            run.append(r)
        else:
            if run:
                runs.append(run)
            run = [r] if abs(r["cost"] - best) < 1e-12 else []
    if run:
        runs.append(run)
    # equal cost: fewer false answers first (the contract's safe error is a decline), then the widest run
    widest = min(runs, key=lambda x: (x[0]["false_answers"], -(x[-1]["threshold"] - x[0]["threshold"])))
    mid = round(round((widest[0]["threshold"] + widest[-1]["threshold"]) / 2 / 0.005) * 0.005, 3)
    pick = sweep(rows, [mid], fa_weight)[0]
    pick["range"] = (widest[0]["threshold"], widest[-1]["threshold"])
    return pick


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=str(ROOT / "tests/data/scope-questions.jsonl"))
    ap.add_argument("--lo", type=float, default=0.10)
    ap.add_argument("--hi", type=float, default=0.60)
    ap.add_argument("--step", type=float, default=0.01)
    ap.add_argument("--fa-weight", type=float, default=1.0,
                    help="cost of a false answer relative to a false decline (1 = maximise accuracy)")
    ap.add_argument("--show-errors", action="store_true", help="list the misclassified questions at the recommendation")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (every 0.05, plus the pick)")
    ap.add_argument("--json", dest="json_out", help="also write the per-question scores here")
    args = ap.parse_args()

    cases = [json.loads(line) for line in open(args.cases) if line.strip()]
    rows = score_questions(cases)
    n_in = sum(r["in_scope"] for r in rows)
    n_out = len(rows) - n_in
    steps = int(round((args.hi - args.lo) / args.step))
    thresholds = [args.lo + i * args.step for i in range(steps + 1)]
    table = sweep(rows, thresholds, args.fa_weight)
    pick = recommend(rows, table, args.fa_weight)

    from assistant.settings import get_settings

    current = get_settings().decline_threshold
    cur = sweep(rows, [current])[0]

    print(f"{len(rows)} questions: {n_in} in scope, {n_out} out of scope")
    named_out = [r for r in rows if not r["in_scope"] and r["named"]]
    if named_out:
        print("out-of-scope questions that name a glossary term (always answered):")
        for r in named_out:
            print(f"  {r['question']!r} -> {r['named']}")
    if args.markdown:
        print("| threshold | false declines (of %d) | false answers (of %d) | accuracy |" % (n_in, n_out))
        print("| --- | --- | --- | --- |")
        shown = [r for r in table if abs((r["threshold"] * 100) % 5) < 1e-6]
        shown = sorted([r for r in shown if r["threshold"] != pick["threshold"]] + [pick], key=lambda r: r["threshold"])
        for r in shown:
            mark = " **(recommended)**" if r is pick else ""
            print(f"| {r['threshold']:.3f}{mark} | {r['false_declines']} | {r['false_answers']} | {r['accuracy']:.3f} |")
    else:
        print(f"{'threshold':>9} {'false_decl':>10} {'false_ans':>9} {'accuracy':>8}")
        for r in sorted([r for r in table if r["threshold"] != pick["threshold"]] + [pick], key=lambda r: r["threshold"]):
            mark = "  <- recommended" if r is pick else ""
            print(f"{r['threshold']:9.3f} {r['false_declines']:10d} {r['false_answers']:9d} {r['accuracy']:8.3f}{mark}")
    print(
        f"current decline_threshold {current:.2f}: {cur['false_declines']} false declines, "
        f"{cur['false_answers']} false answers, accuracy {cur['accuracy']:.3f}"
    )
    print(
        f"recommended decline_threshold (false-answer weight {args.fa_weight:g}) {pick['threshold']:.3f}: {pick['false_declines']} false declines, "
        f"{pick['false_answers']} false answers, accuracy {pick['accuracy']:.3f} "
        f"(best range {pick['range'][0]:.2f}-{pick['range'][1]:.2f})"
    )
    ins = sorted(r["dense"] for r in rows if r["in_scope"] and not r["named"])
    outs = sorted(r["dense"] for r in rows if not r["in_scope"] and not r["named"])
    if ins and outs:
        print(f"dense score, no glossary term named: in-scope min {ins[0]:.3f}, out-of-scope max {outs[-1]:.3f}")
    if args.show_errors:
        for label, key in (("false declines", "fd"), ("false answers", "fa")):
            for r in pick[key]:
                print(f"  {label}: {r['question']!r} dense={r['dense']:.3f} top={r['top']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
