"""The conversation store contract on both backends (a real SQLite file and a real PostgreSQL):
order, restarts, migrations, concurrency across threads and processes, typed state, feedback."""

from __future__ import annotations

import csv
import io
import multiprocessing
import sqlite3
import threading

import pytest

from assistant import migrations
from assistant.errors import InvalidInput, NotFound
from assistant.reply import Calculation, Citation, Reply
from assistant.store import ConversationState, ConversationStore, Turn, store_from_url


def _reply(cid: str, answer: str = "An iron condor is four options [1].") -> Reply:
    return Reply(
        conversation_id=cid,
        answer=answer,
        citations=[Citation(id=1, source_id="glossary:iron-condor", title="Iron condor", url=None, text="Four legs.")],
        calculations=[Calculation(calculator="iron_condor", inputs={"credit": 4.2}, outputs={"max_profit": 420.0})],
        grounded=True,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """The same contract tests run against a SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sub' / 'conv.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    s = store_from_url(store_url)
    s.open()
    yield s
    s.close()


def test_turns_in_order_and_round_trip(store):
    cid = store.new_conversation()
    assert len(cid) == 32 and store.exists(cid)
    assert store.turns(cid) == []
    assert store.last_state(cid) is None
    assert store.add_turn(cid, "what is an iron condor?", _reply(cid), None) == 0
    assert store.add_turn(cid, "and with a 5 credit?", _reply(cid, "b").model_dump(), {"calc": "iron_condor", "credit": 5}) == 1
    assert store.add_turn(cid, "thanks", {"conversation_id": cid, "answer": "c", "grounded": False}, None) == 2
    turns = store.turns(cid)
    assert [t.index for t in turns] == [0, 1, 2]
    assert isinstance(turns[0], Turn)
    assert turns[0].message == "what is an iron condor?"
    assert turns[0].reply == _reply(cid).model_dump(mode="json")
    # typed state: the known keys always, unknown ones kept as they were
    expected = {"topic": None, "calculation": None, "focus": [], "calc": "iron_condor", "credit": 5}
    assert turns[1].state == expected
    assert turns[2].state is None
    # the most recent state saved, even when the last turn saved none
    assert store.last_state(cid) == expected
    assert turns[0].created_at <= turns[2].created_at


def test_unknown_conversation(store):
    assert not store.exists("nope")
    assert not store.exists("")
    with pytest.raises(NotFound):
        store.turns("nope")
    with pytest.raises(NotFound):
        store.last_state("nope")


def test_conversations_are_separate(store):
    a, b = store.new_conversation(), store.new_conversation()
    assert a != b
    store.add_turn(a, "a0", _reply(a), None)
    store.add_turn(b, "b0", _reply(b), None)
    store.add_turn(a, "a1", _reply(a), None)
    assert [t.message for t in store.turns(a)] == ["a0", "a1"]
    assert [t.message for t in store.turns(b)] == ["b0"]


def test_typed_state_round_trip(store):
    cid = store.new_conversation()
    state = {"topic": "iron condor", "calculation": {"calculator": "iron_condor", "inputs": {"credit": 4.2}},
             "focus": ["break_evens"], "tone": "brief"}
    store.add_turn(cid, "q", _reply(cid), state)
    typed = store.conversation_state(cid)
    assert isinstance(typed, ConversationState)
    assert typed.topic == "iron condor" and typed.calculation.calculator == "iron_condor"
    assert typed.calculation.inputs == {"credit": 4.2} and typed.focus == ["break_evens"]
    assert typed.extra == {"tone": "brief"}
    assert store.last_state(cid) == state
    with pytest.raises(InvalidInput):
        store.add_turn(cid, "q", _reply(cid), {"calculation": {"inputs": {}}})  # no calculator name


def test_postgres_survives_restart_and_migrations_run_once(pg_url):
    from assistant.migrations import postgres as pg_migrations

    s = store_from_url(pg_url)
    s.open()
    cid = s.new_conversation()
    s.add_turn(cid, "q", _reply(cid), {"x": 1})
    s.close()
    s2 = store_from_url(pg_url)
    s2.open()
    assert [t.message for t in s2.turns(cid)] == ["q"]
    assert s2.last_state(cid)["x"] == 1
    with s2._conn() as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
        assert names == pg_migrations.available() and names[0].startswith("m0001_")
        assert pg_migrations.migrate(conn) == []
    s2.close()


def test_survives_restart_and_migrations_run_once(tmp_path):
    path = tmp_path / "conv.db"
    s = ConversationStore(path)
    s.open()
    cid = s.new_conversation()
    s.add_turn(cid, "q", _reply(cid), {"x": 1})
    s.close()
    s2 = ConversationStore(path)
    s2.open()
    assert [t.message for t in s2.turns(cid)] == ["q"]
    assert s2.last_state(cid)["x"] == 1
    s2.close()
    db = sqlite3.connect(path)
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names == migrations.available()
    assert names[0].startswith("m0001_")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert migrations.migrate(db.__class__(path, isolation_level=None)) == []  # nothing left to apply
    db.close()


def test_concurrent_threads_keep_order(store):
    cids = [store.new_conversation() for _ in range(5)]
    errors = []

    def worker(cid: str, tag: str, n: int) -> None:
        try:
            for i in range(n):
                store.add_turn(cid, f"{tag}-{i}", _reply(cid), {"i": i})
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(cids[k % 5], f"t{k}", 10)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for cid in cids:
        turns = store.turns(cid)
        assert [t.index for t in turns] == list(range(40))
        # each thread's own turns appear in the order it wrote them
        by_thread: dict[str, list[int]] = {}
        for t in turns:
            who, i = t.message.rsplit("-", 1)
            by_thread.setdefault(who, []).append(int(i))
        assert all(seq == sorted(seq) for seq in by_thread.values())


def _proc_writer(url: str, cid: str, tag: str, n: int) -> None:
    s = store_from_url(url)
    s.open()
    for i in range(n):
        s.add_turn(cid, f"{tag}-{i}", {"conversation_id": cid, "answer": tag, "grounded": True}, None)
    s.close()


def test_concurrent_processes_share_the_store(store_url):
    """Three processes append to one conversation at once: no turn lost, none duplicated, each in its order."""
    s = store_from_url(store_url)
    s.open()
    cid = s.new_conversation()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_proc_writer, args=(store_url, cid, f"p{k}", 25)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    turns = s.turns(cid)
    assert [t.index for t in turns] == list(range(75))
    for k in range(3):
        mine = [int(t.message.split("-")[1]) for t in turns if t.message.startswith(f"p{k}-")]
        assert mine == list(range(25))
    s.close()


def test_feedback_validation_and_csv(store):
    cid = store.new_conversation()
    store.add_turn(cid, "what is ALVH?", _reply(cid, 'ALVH, "quoted", answer'), None)
    store.add_turn(cid, "more", _reply(cid, "second"), None)
    assert store.add_feedback(cid, 0, "up", None) == 1
    assert store.add_feedback(cid, 1, "down", "  wrong, and\nmissing a cite  ") == 2
    with pytest.raises(InvalidInput):
        store.add_feedback(cid, 0, "meh", None)
    with pytest.raises(InvalidInput):
        store.add_feedback(cid, 0, "up", "x" * 2001)
    with pytest.raises(InvalidInput):
        store.add_feedback(cid, -1, "up", None)
    with pytest.raises(NotFound):
        store.add_feedback("nope", 0, "up", None)
    with pytest.raises(NotFound):
        store.add_feedback(cid, 2, "up", None)
    store.add_feedback(cid, 0, "down", "x" * 2000)

    rows = store.feedback()
    assert [r["rating"] for r in rows] == ["up", "down", "down"]
    assert rows[1]["comment"] == "wrong, and\nmissing a cite"
    assert rows[1]["message"] == "more" and rows[1]["answer"] == "second"

    buf = io.StringIO()
    assert store.export_feedback_csv(buf) == 3
    back = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["conversation_id"] for r in back] == [cid] * 3
    assert back[0]["answer"] == 'ALVH, "quoted", answer'
    assert back[1]["comment"] == "wrong, and\nmissing a cite"
    assert back[0]["turn"] == "0" and back[0]["comment"] == ""


def test_empty_export_has_header(store):
    buf = io.StringIO()
    assert store.export_feedback_csv(buf) == 0
    assert buf.getvalue().strip().split(",")[:3] == ["id", "created_at", "conversation_id"]
