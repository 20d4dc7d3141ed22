from dataclasses import dataclass

import pytest

from assistant.compose import CitationList, renumber
from assistant.formatting import fmt_money, fmt_number, fmt_pct, fmt_points
from assistant.reply import Citation


@dataclass(frozen=True)
class FakeChunk:  # the shape of assistant.chunking.Chunk that CitationList reads
    id: str
    source_id: str = "article-a"
    title: str = "A"
    url: str | None = None
    text: str = "passage"


def test_citations_are_numbered_in_order_of_first_use_and_not_repeated():
    cites = CitationList()
    assert cites.cite(FakeChunk("x#1")) == 1
    assert cites.cite(FakeChunk("y#0")) == 2
    assert cites.cite(FakeChunk("x#1")) == 1
    assert [c.id for c in cites.items] == [1, 2]


def test_renumber_drops_unused_citations_and_closes_the_gaps():
    items = [Citation(id=i, source_id=f"s{i}", title="t", text=f"p{i}") for i in (1, 2, 3)]
    answer, kept = renumber("Second passage [2]. Third passage [3]. Again [2].", items)
    assert answer == "Second passage [1]. Third passage [2]. Again [1]."
    assert [(c.id, c.source_id) for c in kept] == [(1, "s2"), (2, "s3")]


def test_number_formats_for_reading():
    assert fmt_number(5746.5) == "5,746.5"
    assert fmt_number(0.30000000000000004, 4) == "0.3"
    assert fmt_points(3.5) == "3.50"
    assert fmt_money(4650.0) == "$4,650"
    assert fmt_money(-12.345) == "-$12.35"
    assert fmt_pct(0.41812) == "41.8%"


@pytest.mark.parametrize(
    "sentence",
    ["The ALVH integrates these signals to dynamically adjust hedge ratios.",
     "The ALVH elevates this by layering dynamic VIX-based adjustments."],
)
def test_a_sentence_that_points_back_mid_way_leans_on_the_one_before(sentence):
    from assistant.compose import leans_back

    assert leans_back(sentence)
