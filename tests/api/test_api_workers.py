"""Several uvicorn workers (processes) share one SQLite store: all answered, every turn stored in order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from apiserver import start_server  # tests/api/apiserver.py (this folder is on sys.path)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, index_copy):
    srv = start_server(
        tmp_path_factory.mktemp("workers"),
        index_copy,
        {"VIXSHIELD_RATE_LIMIT_PER_MINUTE": "0", "VIXSHIELD_INDEX_WATCH_S": "0"},
        workers=2,
    )
    yield srv
    srv.stop()


def test_two_workers_share_the_store(two_workers):
    with two_workers.client() as http:
        conversations = [http.post("/v1/chat", json={"message": "hello"}).json()["conversation_id"] for _ in range(4)]
    jobs = [(c, f"what is {term}?") for c in conversations for term in ("vega", "theta", "gamma", "delta", "the VIX")]
    barrier = threading.Barrier(len(jobs))
    results = []

    def ask(job):
        cid, msg = job
        with two_workers.client() as client:  # a new connection each: spread over both workers
            barrier.wait()
            r = client.post("/v1/chat", json={"message": msg, "conversation_id": cid})
            results.append((cid, msg, r.status_code))

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(ask, jobs))
    assert sorted(s for *_, s in results) == [200] * len(jobs)
    with two_workers.client() as http:
        for cid in conversations:
            turns = http.get(f"/v1/conversations/{cid}").json()["turns"]
            assert [t["index"] for t in turns] == list(range(6))
            assert sorted(t["message"] for t in turns[1:]) == sorted(m for c, m in jobs if c == cid)
    pids = {e.get("pid") for e in two_workers.log_lines() if e.get("path") == "/v1/chat"}
    assert len(pids) == 2, pids  # both processes answered
