"""The content-gap report on a real SQLite store, the real query encoder and the real index.

The store is filled the way the pipeline fills it (Reply objects: declines with
related articles, an answered turn rated thumbs-down); tests/api/test_api_editors.py
does the same end to end through a running server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import gaps
from assistant.errors import InvalidInput
from assistant.reply import Citation, Related, Reply
from assistant.store import ConversationStore

_QUESTIONS = json.loads((Path(__file__).resolve().parents[1] / "data" / "gap-report-questions.json").read_text())
PROFIT, STOP, EARNINGS, DOWNVOTED = (_QUESTIONS[k] for k in ("profit", "stop", "earnings", "downvoted"))


def _declined(cid: str) -> Reply:
    return Reply(conversation_id=cid, answer="The knowledge base does not say.", grounded=False,
                 related=[Related(title="Some article", url=None)])


@pytest.fixture
def filled_store(tmp_path):
    with ConversationStore(tmp_path / "gaps.db") as store:
        for q in PROFIT + STOP + EARNINGS:
            cid = store.new_conversation()
            store.add_turn(cid, q, _declined(cid), None)
        cid = store.new_conversation()
        answered = Reply(conversation_id=cid, answer="Adaptive Layered VIX Hedge [1].", grounded=True,
                         citations=[Citation(id=1, source_id="glossary:alvh", title="ALVH", text="Adaptive Layered VIX Hedge")])
        store.add_turn(cid, DOWNVOTED, answered, None)
        store.add_feedback(cid, 0, "down", "I wanted the layer sizes, not the name")
        # Not gaps: an out-of-scope decline and a thumbs-up.
        other = store.new_conversation()
        store.add_turn(other, "What's the weather in Paris?", Reply(conversation_id=other, answer="Out of scope.", grounded=False), None)
        store.add_turn(other, "What is an iron condor?", answered, None)
        store.add_feedback(other, 1, "up")
        yield store


def test_report_groups_paraphrases_and_keeps_the_thumbs_down_comment(filled_store, search_index, index_settings):
    report = gaps.GapReport(index_settings, store=filled_store, index=search_index).run()
    groups = report["groups"]
    asked = [{q["question"] for q in g["questions"]} for g in groups]
    for wanted in (set(PROFIT), set(STOP), set(EARNINGS)):
        assert wanted in asked, [sorted(a) for a in asked]
    assert {DOWNVOTED} in asked
    assert sum(g["count"] for g in groups) == 9 and all(g["count"] == len(g["questions"]) for g in groups)
    assert [g["count"] for g in groups] == sorted((g["count"] for g in groups), reverse=True)
    # Label: one of the group's own questions; every question has a date and a reason.
    for g in groups:
        assert g["label"] in {q["question"] for q in g["questions"]}
        assert all(q["asked_at"][:4].isdigit() for q in g["questions"])
    down = next(g for g in groups if g["label"] == DOWNVOTED)
    assert down["questions"][0]["reason"] == "thumbs down: I wanted the layer sizes, not the name"
    profit = next(g for g in groups if g["label"] in PROFIT)
    assert {q["reason"] for q in profit["questions"]} == {"not covered"}
    # The nearest article, when named, is a real article of the index.
    for g in groups:
        art = g["nearest_article"]
        if art is not None:
            assert art["id"] in search_index.articles and art["score"] >= gaps.NEAREST_FLOOR
    text = gaps.render_text(report)
    assert DOWNVOTED in text and "not covered" in text


def test_since_filters_and_is_checked(filled_store, search_index, index_settings):
    report = gaps.GapReport(index_settings, store=filled_store, index=search_index)
    assert report.run(since="2999-01-01")["groups"] == []
    assert len(report.run(since="2000-01-01")["groups"]) >= 4
    with pytest.raises(InvalidInput, match="since must be a date"):
        report.run(since="last tuesday")


def test_empty_store_gives_an_empty_report(tmp_path, search_index, index_settings):
    with ConversationStore(tmp_path / "empty.db") as store:
        report = gaps.GapReport(index_settings, store=store, index=search_index).run()
    assert report["groups"] == []
    assert gaps.render_text(report).startswith("No gaps")
