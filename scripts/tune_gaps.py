"""Tune the content-gap clustering (assistant/gaps.py) on paraphrase sets (tests/data/gap-paraphrases.json).

For each lexical weight and distance threshold: groups made, sets split over
several groups, groups mixing sets, and the adjusted Rand index against the
sets. Uses the shipped query encoder, as the report does.

    .venv/bin/python scripts/tune_gaps.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from sklearn.metrics import adjusted_rand_score

    from assistant import gaps
    from assistant.embeddings import shared_encoder
    from assistant.settings import Settings

    sets = json.loads((ROOT / "tests/data/gap-paraphrases.json").read_text())["sets"]
    questions, truth = [], []
    for name, qs in sets.items():
        questions += qs
        truth += [name] * len(qs)
    encoder = shared_encoder(Settings(), "query").warm_up()
    print(f"{len(questions)} questions in {len(sets)} sets; chosen: weight {gaps.LEXICAL_WEIGHT}, threshold {gaps.DISTANCE_THRESHOLD}")
    print("| lexical weight | threshold | groups | sets split | groups mixing sets | ARI |")
    print("| --- | --- | --- | --- | --- | --- |")
    chosen = (gaps.LEXICAL_WEIGHT, gaps.DISTANCE_THRESHOLD)
    for weight in (0.0, 0.2, 0.4):
        gaps.LEXICAL_WEIGHT = weight
        sim = gaps.similarity_matrix(questions, encoder)
        for t in np.arange(0.60, 0.86, 0.05):
            groups = gaps.cluster(sim, threshold=float(t))
            labels = np.empty(len(questions), dtype=int)
            for g, rows in enumerate(groups):
                labels[rows] = g
            split = sum(len({labels[i] for i, x in enumerate(truth) if x == name}) > 1 for name in sets)
            mixed = sum(len({truth[r] for r in rows}) > 1 for rows in groups)
            print(f"| {weight} | {t:.2f} | {len(groups)} | {split} | {mixed} | {adjusted_rand_score(truth, labels):.2f} |")
    gaps.LEXICAL_WEIGHT, threshold = chosen
    for rows in gaps.cluster(gaps.similarity_matrix(questions, encoder), threshold):
        print("  ", " | ".join(f"{truth[r]}: {questions[r]}" for r in rows))


if __name__ == "__main__":
    main()
