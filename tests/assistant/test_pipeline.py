"""The whole path on the real corpus and index, with a real SQLite store."""

import re

import pytest

from assistant.errors import InvalidInput, NotFound
from assistant.numbers import numbers_in, numbers_of, ungrounded
from assistant.pipeline import Assistant
from assistant.store import ConversationStore


@pytest.fixture(scope="module")
def assistant(search_index, index_settings, tmp_path_factory):
    store = ConversationStore(tmp_path_factory.mktemp("db") / "conversations.db")
    bot = Assistant(index_settings, store=store, index=search_index)
    bot.warm_up()
    return bot


def assert_honest(question, reply):
    """Every number in the answer is in the question, a cited passage or a calculation."""
    pool = numbers_in(question)
    for c in reply.citations:
        pool += numbers_in(c.text)
    for calc in reply.calculations:
        pool += numbers_of(calc.inputs) + numbers_of(calc.outputs)
    assert ungrounded(reply.answer, pool) == []


def assert_citations_numbered_by_first_use(reply):
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", reply.answer)]
    first_use = list(dict.fromkeys(markers))
    assert first_use == list(range(1, len(reply.citations) + 1))
    assert [c.id for c in reply.citations] == first_use


@pytest.mark.parametrize(
    "question",
    [
        "What is the ALVH?",
        "Which technical indicators are used to adjust the hedge ratios?",
        "How badly did NFT collections draw down during Terra-Luna and FTX?",
        "How does a wrapped token keep its 1:1 peg?",
    ],
)
def test_questions_on_the_corpus_get_cited_honest_answers(assistant, question):
    reply = assistant.run(question)
    assert reply.grounded and reply.citations and not reply.calculations
    assert_citations_numbered_by_first_use(reply)
    assert_honest(question, reply)
    for citation in reply.citations:
        chunk_texts = {c.text for c in assistant.index.chunks}
        assert citation.text in chunk_texts  # the exact passage


def test_a_definition_starts_with_the_glossary_entry(assistant):
    reply = assistant.run("wat is alvh")
    assert reply.answer.startswith("**")
    assert "Adaptive Layered VIX Hedge" in reply.answer
    assert reply.citations[0].source_id.startswith("glossary:")


@pytest.mark.parametrize("question", ["What is the capital of France?", "Give me a lasagna recipe", "Who won the 2018 football World Cup?"])
def test_out_of_scope_questions_are_declined_without_citations(assistant, question):
    reply = assistant.run(question)
    assert reply.grounded is False
    assert reply.citations == [] and reply.calculations == []
    assert "VixShield" in reply.answer


def test_a_recommendation_request_gets_educational_framing_not_a_yes_or_no(assistant):
    reply = assistant.run("Should I buy UVXY calls tomorrow?")
    assert "educational, not financial advice" in reply.answer.lower()
    assert not re.match(r"\s*(yes|no)\b", reply.answer, re.I)
    assert reply.calculations == []


def test_a_calculation_reports_its_inputs_and_outputs_and_the_answer_shows_them(assistant):
    question = "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?"
    reply = assistant.run(question)
    (calc,) = reply.calculations
    assert calc.calculator == "iron-condor"
    assert calc.inputs["credit"] == 3.5
    assert "5,746.5" in reply.answer and "6,053.5" in reply.answer
    assert "$350" in reply.answer  # money per contract beside the points
    assert_honest(question, reply)


def test_a_follow_up_changes_only_what_it_says(assistant):
    first = assistant.run("Iron condor 5700/5750/6050/6100 for a 3.50 credit. Break-evens?")
    second = assistant.run("And what if I collected 4.00 instead?", first.conversation_id)
    (calc,) = second.calculations
    assert calc.inputs["credit"] == 4.0
    assert calc.inputs["long_put"] == 5700 and calc.inputs["long_call"] == 6100
    assert "5,746" in second.answer and "6,054" in second.answer


def test_impossible_inputs_are_explained_and_no_calculation_is_reported(assistant):
    question = "Iron condor with short put 6000 and short call 5900, long put 5950, long call 5950, credit 2. Break-evens?"
    reply = assistant.run(question)
    assert reply.calculations == []
    assert "can't compute" in reply.answer
    assert_honest(question, reply)


def test_a_missing_input_is_asked_for_by_name(assistant):
    reply = assistant.run("What are the break-evens of a 5700/5750/6050/6100 iron condor?")
    assert reply.calculations == []
    assert "credit" in reply.answer.lower()


def test_turns_are_stored_in_order_and_survive_a_new_store(assistant):
    first = assistant.run("What is an iron condor?")
    assistant.run("and how is it hedged?", first.conversation_id)
    reopened = ConversationStore(assistant.store.path)
    reopened.open()
    turns = reopened.turns(first.conversation_id)
    assert [t.message for t in turns] == ["What is an iron condor?", "and how is it hedged?"]
    assert turns[0].reply["answer"] == first.answer


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001, None])
def test_bad_messages_raise_invalid_input(assistant, message):
    with pytest.raises(InvalidInput):
        assistant.run(message)


def test_an_unknown_conversation_is_not_found(assistant):
    with pytest.raises(NotFound):
        assistant.run("hello", "no-such-conversation")


def test_the_contract_footnote_only_where_contracts_exist(assistant):
    condor = assistant.run("Iron condor 5700/5750/6050/6100 for a 3.50 credit: max profit?")
    assert "per the stated contracts" in condor.answer
    hedge = assistant.run("Correlation 0.5, portfolio vol 18%, hedge vol 60%: what hedge ratio?")
    assert hedge.calculations and "per the stated contracts" not in hedge.answer
    data = assistant.run("What's the correlation between SPX and VIX daily log returns?")
    (calc,) = data.calculations
    assert calc.calculator == "correlation" and "per the stated contracts" not in data.answer
    assert not any(isinstance(v, list) for v in calc.inputs.values()) and calc.inputs["returns"] == "log"
    assert f"{calc.outputs['pearson']:.4f}" in data.answer and calc.inputs["start"] in data.answer
    assert_honest("What's the correlation between SPX and VIX daily log returns?", data)


def test_the_multiplier_setting_is_the_contracts_multiplier(search_index, index_settings, tmp_path):
    store = ConversationStore(tmp_path / "conversations.db")
    bot = Assistant(index_settings.model_copy(update={"multiplier": 50}), store=store, index=search_index)
    bot.warm_up()
    reply = bot.run("Iron condor 5700/5750/6050/6100 for a 3.50 credit: max profit?")
    (calc,) = reply.calculations
    assert calc.inputs["multiplier"] == 50 and calc.outputs["max_profit"] == 175
    assert "$175" in reply.answer
    stated = bot.run("Iron condor 5700/5750/6050/6100 for a 3.50 credit, 2 contracts: max profit?")
    assert stated.calculations[0].outputs["max_profit"] == 350


def test_a_pronoun_question_after_a_named_term_defines_that_term(assistant):
    reply = assistant.run("I keep seeing this phrase 'false binary', loyalty vs motion, in your posts. what does it actually mean?")
    assert reply.grounded and reply.citations[0].source_id == "glossary:false-binary"


def test_a_follow_up_asks_about_the_previous_topic(assistant):
    first = assistant.run("What's the Second Engine?")
    second = assistant.run("and how is it sized?", first.conversation_id)
    assert second.grounded and "CAPM" in second.answer


def test_a_quote_asked_for_right_now_is_declined_as_live_data(assistant):
    reply = assistant.run("What's the price of bitcoin right now?")
    assert not reply.grounded and not reply.citations and "no live market data" in reply.answer


def test_a_comparison_of_two_glossary_terms_answers_with_both_definitions(assistant):
    reply = assistant.run("What's the difference between a VIX future and the VIX index itself?")
    ids = [c.source_id for c in reply.citations]
    assert reply.grounded and ids[:2] == ["glossary:vix-futures", "glossary:vix"], ids


def test_a_how_question_brings_the_sentence_that_names_its_verb(assistant):
    reply = assistant.run("how do u actually measure the basis risk between vix and an nft book? whats the method")
    assert reply.grounded and "multi-regime model" in reply.answer


def test_an_explanation_question_in_other_words_is_answered(assistant):
    reply = assistant.run("What happens to an iron condor that has no VIX hedge on when volatility suddenly blows out?")
    assert reply.grounded and ("volatility expansions" in reply.answer or "collapse during a volatility spike" in reply.answer)


def test_an_explanation_question_about_something_no_article_uses_is_still_declined(assistant):
    reply = assistant.run("How does the VixShield methodology handle earnings season?")
    assert not reply.grounded and not reply.citations


def test_the_calculator_a_previous_answer_talked_about_takes_a_follow_up_figure(assistant):
    first = assistant.run("how much bigger do the vix hedges need to be during defi liquidity shocks?")
    assert "2.8x" in first.answer
    second = assistant.run("ok so for a $60k hedge how big is that", first.conversation_id)
    (calc,) = second.calculations
    assert calc.calculator == "decorrelation-oversize" and calc.outputs["oversized_notional"] == 168000
