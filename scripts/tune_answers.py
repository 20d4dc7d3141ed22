"""Calibrate the curated-answer match threshold (assistant/answers.py MATCH_THRESHOLD).

Each paraphrase set of tests/data/gap-paraphrases.json plays a curated answer:
its first question is the curated question, the others are positives. The
negatives are the other sets' questions and every question of the chat cases
(../shared/eval/dev-cases.jsonl, tests/data/chat-cases.jsonl): in-domain asks
no curated answer covers. Prints, per threshold, the share of positives matched
and the number of negatives wrongly matched.

    .venv/bin/python scripts/tune_answers.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def chat_questions() -> list[str]:
    out = []
    for path in (ROOT.parent / "shared/eval/dev-cases.jsonl", ROOT / "tests/data/chat-cases.jsonl"):
        if path.is_file():
            for line in path.read_text().splitlines():
                if line.strip():
                    case = json.loads(line)
                    turns = case.get("turns") or [case]
                    out += [t.get("message") or t.get("question") for t in turns if isinstance(t, dict)]
    return [q for q in out if isinstance(q, str) and q.strip()]


def main() -> None:
    from assistant.embeddings import shared_encoder
    from assistant.settings import Settings

    sets = json.loads((ROOT / "tests/data/gap-paraphrases.json").read_text())["sets"]
    enc = shared_encoder(Settings(), "query").warm_up()
    curated = {name: qs[0] for name, qs in sets.items()}
    C = enc.encode(list(curated.values()))
    pos, neg = [], []
    for k, (name, qs) in enumerate(sets.items()):
        for q in qs[1:]:
            pos.append(float((enc.encode([q]) @ C.T)[0, k]))
        others = [q for n, qq in sets.items() if n != name for q in qq]
        neg += list((enc.encode(others) @ C[k]).astype(float))
    chats = chat_questions()
    neg_chat = (enc.encode(chats) @ C.T).max(axis=1).astype(float) if chats else np.zeros(0)
    print(f"{len(pos)} positives, {len(neg)} other-set negatives, {len(neg_chat)} chat-case negatives")
    print(f"positives: min {min(pos):.3f} median {np.median(pos):.3f}; negatives max {max(neg):.3f}, chat max {neg_chat.max():.3f}")
    print("| threshold | positives matched | other-set false matches | chat-case false matches |")
    print("| --- | --- | --- | --- |")
    for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        print(f"| {t:.2f} | {np.mean(np.array(pos) >= t):.0%} | {int((np.array(neg) >= t).sum())} | {int((neg_chat >= t).sum())} |")


if __name__ == "__main__":
    main()
