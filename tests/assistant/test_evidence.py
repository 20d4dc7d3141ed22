"""Sentence-level evidence: focus terms, answer types, comparisons, and the decision on the real corpus."""

import pytest

from assistant import evidence
from assistant.evidence import answer_type, carries, comparison_sides, focus_of, stem


@pytest.fixture(scope="module")
def glossary(search_index):
    return search_index.glossary


@pytest.fixture(scope="module")
def table(search_index):
    return evidence.SentenceTable.build(search_index)


def test_stem_joins_word_forms():
    assert stem("allocate") == stem("allocating") == stem("allocation")
    assert stem("roll") == stem("rolling") == stem("rolls")
    assert stem("indicators") == stem("indicator")


def test_focus_drops_the_words_every_vixshield_question_shares(glossary):
    focus = focus_of("How does the VixShield methodology handle earnings?", glossary)
    assert focus.words == {stem("earnings")}
    assert not focus.terms


def test_focus_keeps_specific_glossary_terms_and_numbers(glossary):
    focus = focus_of("Do you take profits at 50% of max profit?", glossary)
    assert "50" in focus.numbers
    assert {"profittarget", "maxprofit"} <= focus.words  # two-word names stay one unit
    generic = focus_of("What is the ALVH hedge for an iron condor?", glossary)
    assert not generic.terms  # ALVH and Iron Condor name the topic, not the ask


def test_a_word_inside_another_terms_name_does_not_cover_the_focus(glossary, table):
    # "Price-to-Earnings Ratio" mentions earnings, but is not about earnings
    focus = focus_of("How does the methodology handle earnings?", glossary)
    pe = [s for s in table.sentences if "Price-to-Earnings" in s.text and s.chunk.kind == "article"]
    assert pe
    assert all(table.coverage(focus, s, glossary) < evidence.MIN_COVERAGE_ALONE for s in pe)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("At how many DTE do you roll?", "figure"),
        ("What delta for the short strikes?", "figure"),
        ("Which VIX call strike do you buy?", "figure"),
        ("Which volatility ETFs are named for the hedge layers?", "names"),
        ("Which technical indicators does the ALVH use?", "names"),
        ("Which expirations are the hedge layers placed at?", "time"),
        ("Why are hedges oversized?", "reason"),
        ("What is the ALVH?", None),
    ],
)
def test_answer_type_of_a_question(question, kind):
    found = answer_type(question)
    assert (found.name if found else None) == kind


def test_a_sentence_about_losses_does_not_cover_a_stop_loss(glossary, table):
    focus = focus_of("Where should the stop loss go?", glossary)
    assert "stoploss" in focus.words
    loss_sentences = [s for s in table.sentences if " loss" in s.text and "stop" not in s.text.lower()]
    assert loss_sentences
    assert all("stoploss" not in s.words for s in loss_sentences)


def test_a_figure_asked_in_days_needs_days():
    kind = answer_type("How many days of lag do you apply?")
    assert not carries(kind, "How many days of lag do you apply?", "Correlation fell from 0.35 to below 0.15.")
    assert carries(kind, "How many days of lag do you apply?", "Lag the futures by 5 days against NFT returns.")
    pct = answer_type("By what percent did drawdowns fall?")
    assert not carries(pct, "By what percent did drawdowns fall?", "It happened in 2022.")
    assert carries(pct, "By what percent did drawdowns fall?", "Drawdowns fell 40%.")


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("how is delta neutrality different from the 1:1 peg?", ("delta neutrality", "the 1:1 peg")),
        ("theta vs vega, what's the difference?", ("theta", "vega")),
        ("What's the difference between a call spread and a put spread?", ("a call spread", "a put spread")),
        ("What separates a steward from a promoter?", ("a steward", "a promoter")),
        ("What is the ALVH?", None),
    ],
)
def test_comparison_sides(question, sides):
    assert comparison_sides(question) == sides


def _decide(search_index, glossary, table, question):
    vector = search_index.encode_query(question)
    scored = table.score(question, vector, glossary)
    return [x for x in scored if evidence.is_evidence(x)], scored


def test_the_fact_sentence_is_found_among_glossary_entries(search_index, glossary, table):
    found, _ = _decide(search_index, glossary, table, "Which expirations are the VIX hedge layers placed at?")
    assert found and "90-day" in found[0].sentence.text
    assert found[0].sentence.chunk.kind == "article"


def test_an_uncovered_ask_has_no_evidence_and_says_what_is_missing(search_index, glossary, table):
    question = "What's the stop-loss rule when one side gets tested?"
    found, scored = _decide(search_index, glossary, table, question)
    assert found == []
    sentence = evidence.not_covered_sentence(question, focus_of(question, glossary), scored[0])
    assert sentence.startswith("The VixShield articles don't answer that")
    assert "stop-loss" in sentence


def test_in_domain_words_make_a_question_in_domain():
    assert evidence.in_domain("At how many DTE do you roll?")
    assert not evidence.in_domain("Who won the 2018 football World Cup?")


def test_a_names_answer_must_name_something_the_question_does_not():
    kind = answer_type("what signals does the ALVH look at?")
    assert not carries(kind, "what signals does the ALVH look at?", "The ALVH integrates these signals to adjust hedge ratios.")
    assert carries(kind, "what signals does the ALVH look at?", "It adjusts hedge ratios on signals like MACD and RSI.")


def test_neighbours_cross_passage_boundaries_within_an_article(table):
    for s in table.sentences:
        after = table.neighbour(s, 1)
        if after is not None and after.chunk.id != s.chunk.id:
            assert after.chunk.source_id == s.chunk.source_id and table.neighbour(after, -1) is s
            return
    pytest.fail("no article has two passages")


def test_is_x_the_same_as_y_is_a_comparison():
    assert comparison_sides("is a wrapped token's 1:1 peg basically the same thing as condor delta neutrality?") == (
        "a wrapped token's 1:1 peg", "condor delta neutrality")


def test_layer_numbers_read_as_the_articles_ordinals(glossary):
    focus = focus_of("what goes in layer 1?", glossary)
    assert stem("first") in focus.words and "1" not in focus.numbers


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("how do u build the hedge in layers, like what goes in layer 1 vs layer 2", ("layer 1", "layer 2")),
        ("loyalty vs motion, what are the two sides of the false binary?", ("loyalty", "motion")),
    ],
)
def test_the_words_either_side_of_vs(question, sides):
    assert comparison_sides(question) == sides


def test_a_lower_case_one_word_term_covers_its_glossary_entry(search_index, glossary, table):
    question = "spy options"
    scored = table.score(question, search_index.encode_query(question), glossary)
    spy = next(x for x in scored if x.sentence.chunk.source_id == "glossary:spy")
    assert spy.coverage == 1.0


def test_names_must_sit_in_the_clause_that_names_the_kind_asked():
    question = "which vol ETFs get used for the ALVH layers?"
    kind = answer_type(question)
    assert carries(kind, question, "ALVH deploys multiple VIX futures or ETF layers (such as VIXY or UVXY) at varying maturities.")
    assert not carries(kind, question, "layered VIX calls, VIX futures or ETF layers at varying maturities, that protect SPX iron condors.")


def test_figures_that_are_names_or_guesses_are_not_figures():
    kind = answer_type("how much bigger do the hedges need to be?")
    assert not carries(kind, "how much bigger?", "The VIX, derived from S&P 500 index options, does not move in tandem.")
    assert focus_of("at what vix level does the first layer get bought? 18? 20?", None).numbers == frozenset()
    assert focus_of("what do you do when VIX goes above 40?", None).numbers == frozenset({"40"})


def test_an_articles_title_is_what_this_refers_to(glossary, table):
    focus = focus_of("how do you measure the basis risk?", glossary)
    assert focus.terms == {"basis-risk"} and focus.words == {stem("measure")}
    this = next(s for s in table.sentences if s.text.startswith("To measure this precisely"))
    assert "basis-risk" not in this.terms and "term:basis-risk" in this.topic
    w_verb, w_term = table.weight(stem("measure")), table.weight("term:basis-risk")
    assert table.coverage(focus, this, glossary) == pytest.approx((w_verb + evidence.TOPIC_CREDIT * w_term) / (w_verb + w_term))


def test_a_plain_word_no_article_uses_weighs_less_than_a_trading_word(table):
    assert stem("dial") not in table.idf and stem("commission") not in table.idf
    assert table.weight(stem("dial")) == evidence.UNSEEN_PLAIN_WORD * table.max_idf
    assert table.weight(stem("commission")) == table.max_idf


def test_a_vs_inside_a_wh_question_is_not_a_comparison():
    assert comparison_sides("what correlation numbers does the piece give for vix vs nft?") is None
    assert comparison_sides("how's a wrapped token's 1:1 peg different from delta neutrality?") == ("a wrapped token's 1:1 peg", "delta neutrality")


def test_a_like_that_gives_an_example_is_not_a_comparison():
    assert comparison_sides("is there a stop-loss rule in the methodology, like closing the condor once it's down 2x the credit?") is None
    assert comparison_sides("is the 1:1 peg basically the same thing as delta neutrality?") == ("the 1:1 peg", "delta neutrality")


def test_a_day_count_asked_about_the_condors_is_not_the_hedge_layers_day_count():
    question = "How many days to expiration do VixShield condors get opened at?"
    kind = answer_type(question)
    assert not carries(kind, question, "Layer VIX hedges at 30-, 60-, and 90-day expirations to mirror the DDM logic.")
    hedge_question = "At how many days are the VIX hedge layers placed?"
    assert carries(answer_type(hedge_question), hedge_question, "Layer VIX hedges at 30-, 60-, and 90-day expirations.")
