#!/usr/bin/env python
"""Retrieval quality on tests/data/retrieval-questions.jsonl: dense-only, BM25-only and hybrid side by side.

    .venv/bin/python scripts/eval_retrieval.py [--questions FILE] [--fusion all|weighted|rrf] [--markdown]
                                               [--sweep] [--no-boost] [--misses]

Each question is labelled with the source ids (article id, or "glossary:<term id>")
that answer it. A ranked list of chunks is judged by their source ids:

- Recall@k: share of questions with at least one labelled source among the top k chunks;
- MRR: mean of 1 / rank of the first chunk from a labelled source (0 past rank 10);
- nDCG@10: binary gain per labelled source, each counted once, at its first rank.

The index is built (into a temporary folder) from the corpus under --corpus
(default: the configured corpus_dir), so the repository's own index is untouched.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KS = (1, 3, 5)


def load_questions(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def judge(ranked_sources: list[str], relevant: set[str]) -> dict:
    out = {f"R@{k}": float(any(s in relevant for s in ranked_sources[:k])) for k in KS}
    rr = 0.0
    for rank, s in enumerate(ranked_sources[:10], 1):
        if s in relevant:
            rr = 1.0 / rank
            break
    out["MRR"] = rr
    seen, dcg = set(), 0.0
    for rank, s in enumerate(ranked_sources[:10], 1):
        if s in relevant and s not in seen:
            seen.add(s)
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), 10) + 1))
    out["nDCG@10"] = dcg / ideal if ideal else 0.0
    return out


def evaluate(index, questions: list[dict], mode: str, boost: bool = True) -> tuple[dict, list]:
    totals: dict[str, float] = {}
    misses = []
    for q in questions:
        hits = index.search(q["question"], k=10, mode=mode, boost=boost)
        sources = [h.chunk.source_id for h in hits]
        scores = judge(sources, set(q["relevant"]))
        for key, value in scores.items():
            totals[key] = totals.get(key, 0.0) + value
        if not scores["R@3"]:
            misses.append((q, sources[:3]))
    n = len(questions)
    return {key: value / n for key, value in totals.items()}, misses


def table(rows: list[tuple[str, dict]], markdown: bool) -> str:
    cols = [f"R@{k}" for k in KS] + ["MRR", "nDCG@10"]
    if markdown:
        lines = ["| retriever | " + " | ".join(cols) + " |", "| --- | " + " | ".join("---:" for _ in cols) + " |"]
        lines += [f"| {name} | " + " | ".join(f"{m[c]:.3f}" for c in cols) + " |" for name, m in rows]
        return "\n".join(lines)
    width = max(len(name) for name, _ in rows) + 2
    lines = ["retriever".ljust(width) + "".join(c.rjust(9) for c in cols)]
    lines += [name.ljust(width) + "".join(f"{m[c]:9.3f}" for c in cols) for name, m in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "retrieval-questions.jsonl")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: settings.corpus_dir)")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="build into (and reuse vectors from) this folder instead of a temporary one")
    parser.add_argument("--fusion", choices=["all", "weighted", "rrf"], default="all")
    parser.add_argument("--no-boost", action="store_true", help="also report hybrid without the glossary boost")
    parser.add_argument("--always-boost", action="store_true",
                        help="also report the 'always' glossary boost policy (first named term first, every question)")
    parser.add_argument("--sweep", action="store_true", help="sweep the dense weight of the weighted blend")
    parser.add_argument("--misses", action="store_true", help="list the questions hybrid misses at rank 3")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)

    from assistant import index as index_mod
    from assistant.index import SearchIndex
    from assistant.settings import Settings

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        kwargs = {"index_dir": args.index_dir or Path(tmp)}
        if args.corpus:
            kwargs["corpus_dir"] = args.corpus
        settings = Settings(**kwargs)
        idx = SearchIndex(settings)
        manifest = idx.build()
        idx.load()
        print(f"{len(questions)} questions, {manifest['chunk_count']} chunks "
              f"({manifest['article_count']} articles, {manifest['glossary_count']} glossary entries), "
              f"BM25 stemmer: {manifest['bm25_stemmer']}, query encoder: {settings.query_encoder}\n")
        rows = [("dense only", evaluate(idx, questions, "dense")[0]), ("BM25 only", evaluate(idx, questions, "bm25")[0])]
        fusions = ["weighted", "rrf"] if args.fusion == "all" else [args.fusion]
        misses = {}
        for fusion in fusions:
            idx.fusion = fusion
            label = "hybrid, weighted blend" if fusion == "weighted" else "hybrid, RRF"
            if args.no_boost:
                rows.append((f"{label}, no glossary boost", evaluate(idx, questions, "hybrid", boost=False)[0]))
            metrics, misses[fusion] = evaluate(idx, questions, "hybrid")
            rows.append((f"{label} + glossary boost", metrics))
            if args.always_boost:
                saved = index_mod.BOOST_POLICY
                index_mod.BOOST_POLICY = "always"
                rows.append((f"{label} + glossary boost (policy 'always')", evaluate(idx, questions, "hybrid")[0]))
                index_mod.BOOST_POLICY = saved
        print(table(rows, args.markdown))

        if args.sweep:
            idx.fusion = "weighted"
            print("\nweighted blend: dense weight sweep (hybrid + glossary boost)")
            sweep = []
            saved = index_mod.DENSE_WEIGHT
            for w in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                index_mod.DENSE_WEIGHT = w
                sweep.append((f"dense weight {w:.1f}", evaluate(idx, questions, "hybrid")[0]))
            index_mod.DENSE_WEIGHT = saved
            print(table(sweep, args.markdown))

        if args.misses:
            for fusion, items in misses.items():
                print(f"\nhybrid ({fusion}) misses at rank 3:")
                for q, top in items:
                    print(f"  {q['id']} {q['question']!r}\n     want {q['relevant']}\n     got  {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
