"""Every methodology figure a calculator uses is quoted word for word from the article it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calculators import sources

ARTICLES = Path(__file__).resolve().parents[2] / "corpus" / "articles"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("source", sources.ALL, ids=lambda s: s.quote[:30])
def test_each_quote_is_in_its_article(source):
    article = (ARTICLES / f"{source.article_id}.md").read_text(encoding="utf-8")
    assert f"title: {source.title}" in article
    assert _flat(source.quote) in _flat(article)


def test_the_default_figures_are_the_quoted_ones():
    assert "2.8x" in sources.DECORRELATION.quote and sources.DECORRELATION_FACTOR == 2.8
    assert "20-30%" in sources.LAYER_INCREMENTS.quote and sources.INCREMENT_RANGE == (0.20, 0.30)
    assert "2-5%" in sources.STEWARD_ALLOCATION.quote and sources.ALLOCATION_RANGE == (0.02, 0.05)
    assert "30-, 60-, and 90-day" in sources.EXPIRATIONS.quote and sources.EXPIRATION_DAYS == (30, 60, 90)
    assert "1:1 toward 1:1.3 or 1:0.7" in sources.HEDGE_RATIO_BAND.quote
    assert sources.HEDGE_RATIO_BASE == 1.0 and sources.HEDGE_RATIO_RANGE == (0.7, 1.3)
