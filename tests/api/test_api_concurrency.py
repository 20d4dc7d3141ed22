"""50 concurrent chat requests over 10 conversations: all answered, every turn stored, in order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

QUESTIONS = [
    "What is an iron condor?",
    "what's MEV",
    "Iron condor 5700/5750/6050/6100 for a 3.50 credit: break-evens?",
    "What does ALVH stand for?",
    "What is the capital of France?",
]


def test_fifty_concurrent_chats_over_ten_conversations(server, http):
    conversations = [http.post("/v1/chat", json={"message": "hello"}).json()["conversation_id"] for _ in range(10)]
    # each conversation gets 5 turns; the turns of one conversation are sent one after another
    # by its own thread (a client waits for its answer), all 10 conversations at once, plus
    # 40 more independent requests in parallel so the server sees 50 requests in flight.
    barrier = threading.Barrier(20)
    results: dict[str, list[int]] = {c: [] for c in conversations}
    errors: list[str] = []

    def converse(cid: str) -> None:
        with server.client() as client:
            barrier.wait()
            for i, q in enumerate(QUESTIONS):
                r = client.post("/v1/chat", json={"message": f"{q}", "conversation_id": cid})
                if r.status_code != 200:
                    errors.append(f"{cid} turn {i}: {r.status_code} {r.text[:200]}")
                results[cid].append(r.status_code)

    def one_shot(i: int) -> int:
        with server.client() as client:
            if i < 10:
                barrier.wait()
            return client.post("/v1/chat", json={"message": QUESTIONS[i % 5]}).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        convs = [pool.submit(converse, c) for c in conversations]
        shots = [pool.submit(one_shot, i) for i in range(40)]
        for f in convs:
            f.result()
        statuses = [f.result() for f in shots]
    assert not errors
    assert statuses == [200] * 40

    for cid in conversations:
        turns = http.get(f"/v1/conversations/{cid}").json()["turns"]
        assert [t["index"] for t in turns] == list(range(6))
        assert [t["message"] for t in turns] == ["hello", *QUESTIONS]
        assert all(t["reply"]["conversation_id"] == cid for t in turns)


def test_fifty_concurrent_turns_in_one_conversation_each_stored_once(server, http):
    """Concurrent requests to the same conversation are serialised: 10 conversations x 5
    simultaneous requests; every turn stored exactly once with indexes 0..n-1."""
    conversations = [http.post("/v1/chat", json={"message": "hi"}).json()["conversation_id"] for _ in range(10)]
    jobs = [(c, f"{QUESTIONS[k]} (#{k})") for c in conversations for k in range(5)]
    barrier = threading.Barrier(len(jobs))

    def ask(job):
        cid, msg = job
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            barrier.wait()
            return client.post("/v1/chat", json={"message": msg, "conversation_id": cid}).status_code

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        statuses = list(pool.map(ask, jobs))
    assert statuses == [200] * 50
    for cid in conversations:
        turns = http.get(f"/v1/conversations/{cid}").json()["turns"]
        assert [t["index"] for t in turns] == list(range(6))
        assert sorted(t["message"] for t in turns[1:]) == sorted(m for c, m in jobs if c == cid)
