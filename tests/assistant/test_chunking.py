"""Chunking and sentence splitting: exact substrings, paragraph/bullet structure, sizes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chunking import MAX_WORDS, MIN_WORDS, Chunk, chunk_article, chunk_glossary, search_text, split_sentences
from assistant.glossary import Glossary
from assistant.ingest import load_articles


def _article(body: str, id: str = "a1", title: str = "A title", url: str | None = None):
    return SimpleNamespace(id=id, title=title, url=url, body=body)


def _words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


# --- split_sentences ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sell the call spread. Buy the hedge.", ["Sell the call spread.", "Buy the hedge."]),
        (
            "Use a hedge, e.g. VIX calls, vs. an unhedged book. It helps.",
            ["Use a hedge, e.g. VIX calls, vs. an unhedged book.", "It helps."],
        ),
        ("The U.S. Treasury moved. Rates rose.", ["The U.S. Treasury moved.", "Rates rose."]),
        (
            "Correlation fell from 0.35 to below 0.15. Hedges failed.",
            ["Correlation fell from 0.35 to below 0.15.", "Hedges failed."],
        ),
        ("Is it neutral? Yes! Mostly.", ["Is it neutral?", "Yes!", "Mostly."]),
        (
            'He said "stay flexible." Then he left.',
            ['He said "stay flexible."', "Then he left."],
        ),
        (
            "Insights include:\n- Layer VIX calls. Size them small.\n- Track RSI below 30\n\n1. Roll early",
            ["Insights include:", "Layer VIX calls.", "Size them small.", "Track RSI below 30", "Roll early"],
        ),
        ("## A heading\nThe text under it.", ["A heading", "The text under it."]),
        ("A paragraph that wraps\nonto a second line. Next one.", ["A paragraph that wraps\nonto a second line.", "Next one."]),
        ("", []),
    ],
)
def test_split_sentences_cases(text, expected):
    assert split_sentences(text) == expected


def _assert_exact_in_order(text: str, sentences: list[str]) -> None:
    pos = 0
    for s in sentences:
        assert s, "no empty sentence"
        assert s == s.strip(), "sentences carry no surrounding whitespace"
        found = text.find(s, pos)
        assert found >= 0, f"{s!r} is not an exact substring after position {pos}"
        pos = found + len(s)


_piece = st.sampled_from(
    ["Sell the spread.", "e.g.", "vs.", "U.S.", "0.35", "3.5%", "Why?", "Yes!", "\n", "\n\n", "- ", "\n- ",
     "## ", "word", "ALVH", "(see Fig. 2)", '"quoted."', " ", "1. ", "...", ":"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_piece, max_size=30).map("".join))
def test_split_sentences_exact_substrings_property(text):
    _assert_exact_in_order(text, split_sentences(text))


def test_split_sentences_on_real_articles_keeps_every_word(real_corpus_dir):
    for article in load_articles(real_corpus_dir / "articles"):
        sentences = split_sentences(article.body)
        _assert_exact_in_order(article.body, sentences)
        # nothing but list markers, heading hashes and whitespace is left out
        assert " ".join(sentences).split() == [
            w for w in article.body.split() if w not in ("-", "*", "•", "##", "#", "###")
        ]


# --- chunk_article ----------------------------------------------------------------------------


def test_real_articles_chunk_into_exact_substrings_of_sensible_size(real_corpus_dir):
    articles = load_articles(real_corpus_dir / "articles")
    assert articles
    for article in articles:
        chunks = chunk_article(article)
        assert chunks
        assert [c.position for c in chunks] == list(range(len(chunks)))
        assert len({c.id for c in chunks}) == len(chunks)
        pos = 0
        for c in chunks:
            assert isinstance(c, Chunk)
            assert c.id == f"{article.id}#{c.position}"
            assert (c.source_id, c.title, c.url, c.kind) == (article.id, article.title, article.url, "article")
            found = article.body.find(c.text, pos)
            assert found >= 0, "chunk text is an exact substring of the body, in order"
            pos = found + len(c.text)
            assert len(c.text.split()) <= MAX_WORDS + 20
        # every word of the body is in some chunk
        assert " ".join(c.text for c in chunks).split() == article.body.split()
        assert sum(len(c.text.split()) < MIN_WORDS for c in chunks) <= 1


def test_chunk_ids_are_stable(real_corpus_dir):
    article = load_articles(real_corpus_dir / "articles")[0]
    assert chunk_article(article) == chunk_article(article)


def test_lead_in_stays_with_its_bullets():
    intro = _words(120, "intro") + "."
    lead = "Actionable insights include:"
    bullets = "\n".join(f"- Bullet {i} " + _words(25, f"b{i}") + "." for i in range(4))
    after = _words(90, "after") + "."
    body = f"{intro}\n\n{lead}\n\n{bullets}\n\n{after}"
    chunks = chunk_article(_article(body))
    with_lead = [c for c in chunks if lead in c.text]
    assert len(with_lead) == 1
    assert with_lead[0].text.startswith(lead)
    assert "- Bullet 0" in with_lead[0].text
    assert all(c.text in body for c in chunks)


def test_long_list_splits_between_items_with_lead_in_first():
    lead = "Consider these points:"
    bullets = "\n".join(f"- Point {i} " + _words(45, f"p{i}") + "." for i in range(8))
    body = f"{lead}\n{bullets}"
    chunks = chunk_article(_article(body))
    assert len(chunks) >= 2
    assert chunks[0].text.startswith(lead + "\n- Point 0")
    for c in chunks:
        assert c.text.startswith(lead) or c.text.startswith("- Point")
        assert len(c.text.split()) <= MAX_WORDS


def test_long_paragraph_is_cut_at_sentence_boundaries():
    sentences = [f"Sentence {i} " + _words(20, f"w{i}") + "." for i in range(25)]  # ~550 words
    body = " ".join(sentences)
    chunks = chunk_article(_article(body))
    assert len(chunks) >= 3
    for c in chunks:
        assert c.text.endswith(".")
        assert c.text.startswith("Sentence ")
        assert MIN_WORDS <= len(c.text.split()) <= MAX_WORDS


def test_short_paragraphs_merge_and_heading_stays_with_its_text():
    body = "## Heading\n\nShort one.\n\nAnother short one.\n\n" + _words(150, "long") + "."
    chunks = chunk_article(_article(body))
    assert chunks[0].text.startswith("## Heading\n\nShort one.")
    assert not any(c.text.strip() == "## Heading" for c in chunks)


# --- glossary ----------------------------------------------------------------------------------


def test_one_glossary_chunk_per_entry(real_corpus_dir):
    glossary = Glossary.load(real_corpus_dir / "glossary.yaml")
    chunks = chunk_glossary(glossary)
    assert len(chunks) == len(glossary)
    for term, c in zip(glossary, chunks):
        assert c.text == f"{term.term}: {term.definition}"
        assert (c.source_id, c.id, c.kind, c.title, c.position) == (
            f"glossary:{term.id}", f"glossary:{term.id}#0", "glossary", term.term, 0)
        # aliases reach the search engines, not the readable text
        for alias in term.aliases:
            assert alias in search_text(c, term)
