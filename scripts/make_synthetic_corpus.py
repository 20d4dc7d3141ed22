#!/usr/bin/env python
"""Generate a large synthetic corpus (default: 100,000 chunks) in the real corpus format, for benchmarks.

    .venv/bin/python scripts/make_synthetic_corpus.py --out /tmp/vixshield-100k [--chunks 100000] [--seed 0]

Writes ``OUT/articles/<id>.md`` (front matter + Markdown body, as ``vixshield corpus
import`` writes them) and copies ``corpus/glossary.yaml`` to ``OUT/glossary.yaml``.

Text: a pool of unique sentences (``--pool``, default 6,000) made from the real
articles' and glossary's sentences, with glossary names swapped for other
glossary names and numbers redrawn; every paragraph is 5–8 pool sentences
(~100–160 words, so one paragraph is one chunk), ten paragraphs an article.
Chunk texts are all different; sentences repeat across chunks, as phrasing does
in a real knowledge base. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS_PER_ARTICLE = 10
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
QUESTION_TEMPLATES = [
    "How does {a} interact with {b} when hedging SPX iron condors?",
    "Does {a} change how the ALVH treats {b}?",
    "What does {a} tell a trader about {b} during a volatility spike?",
    "Is {a} a better signal than {b} for adjusting hedge ratios?",
    "Can {a} and {b} be combined in a layered VIX hedge?",
]


def sentence_pool(corpus_dir: Path, size: int, rng: random.Random) -> tuple[list[str], list[str]]:
    from assistant.chunking import split_sentences
    from assistant.glossary import Glossary
    from assistant.ingest import load_articles

    base: list[str] = []
    for article in load_articles(corpus_dir / "articles"):
        base += [s for s in split_sentences(article.body) if len(s.split()) >= 8 and not s.startswith("#")]
    glossary = Glossary.load(corpus_dir / "glossary.yaml")
    names = sorted({n for t in glossary for n in (t.term, *t.aliases) if len(n) >= 3}, key=len, reverse=True)
    for t in glossary:
        base += [s for s in split_sentences(t.definition) if len(s.split()) >= 8]
    base = list(dict.fromkeys(base))
    name_re = re.compile("|".join(re.escape(n) for n in names))
    pool: dict[str, None] = dict.fromkeys(base)
    tries = 0
    while len(pool) < size and tries < size * 20:
        tries += 1
        s = rng.choice(base)
        s = name_re.sub(lambda m: rng.choice(names) if rng.random() < 0.6 else m.group(0), s)
        s = _NUMBER.sub(lambda m: str(round(rng.uniform(0.1, 99), rng.choice([0, 1, 2]))), s)
        pool.setdefault(s)
    terms = [t.term for t in glossary]
    return list(pool)[:size], terms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=6000, help="unique sentences to draw paragraphs from")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the real corpus to draw from")
    args = parser.parse_args(argv)

    from assistant.ingest import Article, render_article

    rng = random.Random(args.seed)
    pool, terms = sentence_pool(args.corpus, args.pool, rng)
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "articles").mkdir(parents=True)
    shutil.copyfile(args.corpus / "glossary.yaml", out / "glossary.yaml")
    n_articles = -(-args.chunks // PARAGRAPHS_PER_ARTICLE)
    paragraphs_left = args.chunks
    for i in range(n_articles):
        n_par = min(PARAGRAPHS_PER_ARTICLE, paragraphs_left)
        paragraphs_left -= n_par
        paras = []
        for _ in range(n_par):
            para, words = [], 0
            while words < 100 or len(para) < 5:
                s = rng.choice(pool)
                if words + len(s.split()) > 180 and len(para) >= 5:
                    break
                para.append(s)
                words += len(s.split())
            paras.append(" ".join(para))
        a, b = rng.sample(terms, 2)
        title = rng.choice(QUESTION_TEMPLATES).format(a=a, b=b)
        article = Article(
            id=f"synthetic-{i:06d}",
            title=title,
            url=None,
            category="Synthetic",
            tags=("synthetic",),
            date="2026-01-01",
            author="bench",
            body="\n\n".join(paras),
        )
        (out / "articles" / f"{article.id}.md").write_text(render_article(article), encoding="utf-8")
    print(f"wrote {n_articles} articles ({args.chunks} paragraphs) from {len(pool)} unique sentences to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
