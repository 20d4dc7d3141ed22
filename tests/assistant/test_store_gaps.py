"""Store.gap_candidates on every backend: declines with related articles and thumbs-down answers."""

from __future__ import annotations

import pytest

from assistant.reply import Citation, Related, Reply
from assistant.store import store_from_url


def _not_covered(cid: str) -> Reply:
    return Reply(conversation_id=cid, answer="The knowledge base does not say.", grounded=False,
                 related=[Related(title="An article", url="https://example.com/a")])


def _out_of_scope(cid: str) -> Reply:
    return Reply(conversation_id=cid, answer="I can only help with VixShield.", grounded=False)


def _answered(cid: str) -> Reply:
    return Reply(conversation_id=cid, answer="Four options [1].", grounded=True,
                 citations=[Citation(id=1, source_id="glossary:iron-condor", title="Iron condor", text="Four legs.")])


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """Every backend: a SQLite file and a fresh PostgreSQL database."""
    url = f"sqlite:///{tmp_path / 'g.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = store_from_url(url)
    s.open()
    yield s
    s.close()


def test_gap_candidates_picks_not_covered_and_thumbs_down(store):
    cid = store.new_conversation()
    store.add_turn(cid, "Do you take profits at 50%?", _not_covered(cid), None)          # 0: not covered
    store.add_turn(cid, "What is the weather?", _out_of_scope(cid), None)               # 1: out of scope: no
    store.add_turn(cid, "What is an iron condor?", _answered(cid), None)                # 2: thumbs down
    store.add_turn(cid, "What is vega?", _answered(cid), None)                          # 3: thumbs up: no
    store.add_feedback(cid, 2, "down", "too short")
    store.add_feedback(cid, 3, "up")
    store.add_feedback(cid, 0, "down")  # a not-covered turn can be rated down as well

    rows = store.gap_candidates()
    assert [(r["question"], r["turn"]) for r in rows] == [("Do you take profits at 50%?", 0), ("What is an iron condor?", 2)]
    first, second = rows
    assert first["not_covered"] is True and first["comments"] == []
    assert second["not_covered"] is False and second["comments"] == ["too short"]
    assert all(r["asked_at"] and r["conversation_id"] == cid for r in rows)

    # since: a date after every turn leaves nothing; one before keeps both.
    assert store.gap_candidates("2999-01-01") == []
    assert len(store.gap_candidates("2000-01-01")) == 2
