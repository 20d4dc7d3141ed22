"""Curated answers (corpus/answers) with the real query encoder, and through the real pipeline."""

from __future__ import annotations

import pytest

from assistant.answers import MAX_ANSWER_CHARS, CuratedAnswers, parse
from assistant.errors import InvalidInput, NotFound

QUESTION = "Do you take profits at 50% of max profit?"
PARAPHRASE = "Do you take profit at 50 percent of the max profit?"
ANSWER = (
    "Editors' note: the VixShield articles do not fix a profit target. Many traders close an iron condor "
    "at 50% of its maximum profit, which on a 3.50 credit is 175 dollars per contract."
)


@pytest.fixture
def answers(tmp_path, index_settings, query_encoder):
    return CuratedAnswers(index_settings, encoder=query_encoder, folder=tmp_path / "answers").load()


def test_add_writes_a_file_and_matches_at_once(answers, tmp_path):
    assert answers.list() == [] and answers.match(QUESTION) is None
    item = answers.add(QUESTION, ANSWER, aliases=["When do you close a winning condor?"])
    path = tmp_path / "answers" / f"{item.id}.md"
    assert path.is_file() and item.source_id == f"answer:{item.id}"
    again = parse(path)  # the file round-trips
    assert (again.question, again.answer, again.aliases) == (QUESTION, ANSWER, ("When do you close a winning condor?",))
    found, score = answers.match(PARAPHRASE)
    assert found.id == item.id and score >= 0.8
    assert answers.match("When do you close a winning condor?")[0].id == item.id  # an alias
    assert answers.match("What is the ALVH?") is None
    assert answers.match("What is an iron condor?") is None


def test_add_is_incremental_and_a_second_loader_sees_the_file(answers, tmp_path, index_settings, query_encoder):
    first = answers.add(QUESTION, ANSWER)
    calls = []
    real_encode = query_encoder.encode

    class Counting:
        dimension = query_encoder.dimension

        def encode(self, texts):
            calls.append(list(texts))
            return real_encode(texts)

    answers._encoder = Counting()
    second = answers.add("Which broker do you use for SPX options?", "The knowledge base names no broker.")
    assert calls == [["Which broker do you use for SPX options?"]]  # only the new text was encoded
    assert {a.id for a in answers.list()} == {first.id, second.id}
    other = CuratedAnswers(index_settings, encoder=query_encoder, folder=tmp_path / "answers").load()
    assert {a.id for a in other.list()} == {first.id, second.id}
    answers.remove(first.id)
    assert not (tmp_path / "answers" / f"{first.id}.md").exists()
    assert answers.match(QUESTION) is None and [a.id for a in answers.list()] == [second.id]
    assert [a.id for a in other.list()] == [second.id]  # the other loader notices the folder changed
    with pytest.raises(NotFound):
        answers.remove(first.id)


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        ("", "x", "question is empty"),
        ("   ", "x", "question is empty"),
        ("Why?", "", "answer is empty"),
        ("Why?", "x" * (MAX_ANSWER_CHARS + 1), "limit is 8,000"),
        (QUESTION, "Another answer.", "duplicate question"),
        ("do you take PROFITS at 50% of max profit", "Another answer.", "duplicate question"),
        ("Do you take profits at 50% of the max profit?", "Another answer.", "duplicate question"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(answers, question, answer, message):
    answers.add(QUESTION, ANSWER)
    with pytest.raises(InvalidInput, match=message):
        answers.add(question, answer)
    assert len(answers.list()) == 1


def test_the_pipeline_answers_from_the_curated_text(tmp_path, search_index, index_settings, query_encoder):
    from assistant.pipeline import Assistant
    from assistant.store import store_from_url

    assistant = Assistant(index_settings, store=store_from_url(f"sqlite:///{tmp_path / 'a.db'}"), index=search_index)
    assistant.answers = CuratedAnswers(index_settings, encoder=query_encoder, folder=tmp_path / "answers")
    assistant.warm_up()
    item = assistant.answers.add(QUESTION, ANSWER)
    reply = assistant.run(PARAPHRASE)
    assert reply.grounded
    assert [c.source_id for c in reply.citations] == [f"answer:{item.id}"]
    assert reply.citations[0].title == QUESTION and reply.citations[0].text == ANSWER
    assert ANSWER in reply.answer and "[1]" in reply.answer
    assert "175" in reply.answer and "3.50" in reply.answer  # the curated figures count as grounded
    # Other questions are answered as before.
    other = assistant.run("What is the ALVH?")
    assert not any(c.source_id.startswith("answer:") for c in other.citations)
