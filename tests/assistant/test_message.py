"""What a message asks: markup removed, and the question of a message with background first."""

import pytest

from assistant.message import strip_markup, the_question


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<i>What does MEV stand for?</i>", "What does MEV stand for?"),
        ('<div class="q">Which VIX ETFs?</div><br/>', "Which VIX ETFs?"),
        ("&nbsp;<span style=\"color:red\">what's MEV</span>&nbsp;", "what's MEV"),
        ("<!-- note -->What is the <b>ALVH</b>?", "What is the ALVH?"),
        ("&lt;b&gt;delta&lt;/b&gt; neutrality?", "delta neutrality?"),
        ("Is the correlation weaker when VIX < 20 or > 30?", "Is the correlation weaker when VIX < 20 or > 30?"),
    ],
)
def test_strip_markup_keeps_the_words_and_comparisons(raw, clean):
    assert strip_markup(raw) == clean


def test_markup_only_message_becomes_empty():
    assert strip_markup("<p><br/></p>") == ""


def test_the_question_of_a_message_with_background_is_its_last_question():
    text = ("I've been trading options for about three years now, mostly SPY verticals. I have 2 kids. "
            "Anyway, what share of notional does a steward allocate to VIX instruments?")
    assert the_question(text) == "Anyway, what share of notional does a steward allocate to VIX instruments?"


def test_a_question_that_leans_on_the_sentence_before_brings_it():
    text = "The ALVH layers VIX hedges at several expirations. Why is that?"
    assert the_question(text) == text


def test_a_message_without_a_question_mark_is_kept_whole():
    text = "Tell me about the second engine. I mean the leverage layer"
    assert the_question(text) == text


def test_decimal_points_are_not_sentence_ends():
    text = "Iron condor 5700/5750/6050/6100 for a 3.50 credit. Break-evens?"
    assert the_question(text) == text
    assert the_question("And what if I collected 4.00 instead?") == "And what if I collected 4.00 instead?"


def test_a_short_tail_after_the_question_belongs_to_it():
    text = "How do I judge whether the ALVH hedge is actually earning its keep? what metrics"
    assert the_question(text) == text


def test_a_short_pronoun_question_brings_the_sentence_it_leans_on():
    text = ("I've been selling condors since 2021. I keep seeing this phrase 'false binary', loyalty vs motion. "
            "what does it actually mean?")
    assert the_question(text).startswith("I keep seeing this phrase")


def test_clauses_split_at_dashes_and_semicolons():
    from assistant.message import split_clauses

    assert split_clauses("Saw 'Private Leverage Layer' in a post - what is it?") == ["Saw 'Private Leverage Layer' in a post", "what is it?"]
    assert split_clauses("5700-5750 put spread; breakeven?") == ["5700-5750 put spread", "breakeven?"]


def test_a_question_without_a_question_mark_at_the_end_is_the_question():
    text = "how does vixshield build the layers when hedging nft exposure with vix? whats the first layer and whats the second"
    assert the_question(text) == "whats the first layer and whats the second"


def test_a_paragraph_break_in_pasted_html_ends_a_sentence():
    post = ('<div class="post"><p>Been lurking for a while.</p><p><em>posted 3 hours ago</em></p></div>\n\n'
            "Seriously though, what does time-shifting mean in this context?")
    assert the_question(strip_markup(post)) == "Seriously though, what does time-shifting mean in this context?"


def test_two_questions_in_a_row_are_one_ask():
    text = "Why do they call the ALVH 'adaptive'? Isn't a hedge just something you buy once and forget about?"
    assert the_question(text) == text


def test_a_tail_with_figures_belongs_to_the_question():
    text = "What are the break-evens on my iron condor? Short put 5800 and short call 6150 with 50-point wings."
    assert the_question(text) == text


def test_a_request_with_no_topic_leans_on_the_sentence_before():
    text = 'Customer on the line wants to know what "the false binary" means. Can you give me a one-liner?'
    assert the_question(text) == text


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("Customer on the support line asked: whats the 'false binary' thing clark keeps bringing up?",
         "whats the 'false binary' thing clark keeps bringing up?"),
        ("Relaying from a ticket \u2014 user wants a plain definition: what does vega mean for an options position?",
         "what does vega mean for an options position?"),
        ("Our customer wants to understand why running SPX condors with no VIX overlay is dangerous. What goes wrong?",
         "why running SPX condors with no VIX overlay is dangerous. What goes wrong?"),
        ("Delta vs gamma: which one matters more for a short condor?", "Delta vs gamma: which one matters more for a short condor?"),
    ],
)
def test_who_is_asking_is_not_part_of_the_question(message, question):
    assert the_question(message) == question


def test_a_short_tail_that_asks_nothing_is_left_out():
    text = "wat is the big top temporal theta cash press?? saw it mentioned twice"
    assert the_question(text) == "wat is the big top temporal theta cash press??"


def test_who_is_asking_is_dropped_from_a_statement_too():
    text = "Support ticket: a client wants to know which technical indicators the ALVH watches."
    assert the_question(text) == "which technical indicators the ALVH watches."


def test_a_lead_that_quotes_the_term_is_kept():
    text = "A customer on the phone keeps saying 'the second engine' \u2014 what is that exactly in VixShield?"
    assert the_question(text) == text
