"""The rate limiter's buckets against a real Redis and a real SQLite file, shared by several processes,
and whose X-Forwarded-For is believed."""

from __future__ import annotations

import multiprocessing

import pytest

from assistant.api.ratelimit import RedisBucket, SQLiteBucket, client_key, parse_networks


def _takes(kind: str, where: str, n: int, out) -> None:
    bucket = RedisBucket(where, 0.001, 25) if kind == "redis" else SQLiteBucket(where, 0.001, 25)
    out.put(sum(1 for _ in range(n) if bucket.take("client-a") == 0))


@pytest.mark.parametrize("kind", ["redis", "sqlite"])
def test_one_bucket_for_every_process(kind, request, tmp_path):
    where = request.getfixturevalue("redis_server").url if kind == "redis" else str(tmp_path / "rl.db")
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_takes, args=(kind, where, 20, out)) for _ in range(4)]
    for p in procs:
        p.start()
    granted = sum(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(30)
    assert granted == 25  # 80 takes from 4 processes, one bucket of 25


def test_redis_bucket_refills_and_says_how_long(redis_server):
    bucket = RedisBucket(redis_server.url, 60, 2, prefix="t-refill:")
    assert bucket.take("k") == 0 and bucket.take("k") == 0
    wait = bucket.take("k")
    assert 0 < wait <= 1.0
    assert bucket.take("other") == 0


def test_redis_down_does_not_fail_requests():
    bucket = RedisBucket("redis://127.0.0.1:1/0", 60, 2)
    assert bucket.take("k") == 0


def test_client_key_trusts_only_named_proxies():
    none = parse_networks([])
    assert client_key("127.0.0.1", [b"1.2.3.4"], none) == "127.0.0.1"  # no implicit trust in loopback
    proxies = parse_networks(["10.0.0.0/8", "127.0.0.1"])
    assert client_key("10.1.2.3", [b"203.0.113.9, 10.0.0.7"], proxies) == "203.0.113.9"
    # the rightmost untrusted hop counts: a client cannot pick its own bucket by prepending addresses
    assert client_key("10.1.2.3", [b"6.6.6.6, 203.0.113.9"], proxies) == "203.0.113.9"
    assert client_key("198.51.100.1", [b"203.0.113.9"], proxies) == "198.51.100.1"  # untrusted peer
    assert client_key("10.1.2.3", [], proxies) == "10.1.2.3"
    assert client_key("10.1.2.3", [b"garbage"], proxies) == "10.1.2.3"
    with pytest.raises(ValueError, match="not an address"):
        parse_networks(["nope"])
