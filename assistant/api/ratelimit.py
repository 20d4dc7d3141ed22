"""Token buckets shared by every worker (and, with Redis, every replica), and who the client is.

Backends, chosen by ``bucket_from_settings``:

- ``RedisBucket`` (``VIXSHIELD_REDIS_URL``): one Lua script per request, so the
  read-refill-take-write of a bucket is atomic across all workers and replicas;
  the clock is Redis's own (``TIME``), so replicas with skewed clocks agree.
- ``SQLiteBucket`` (no Redis): a small SQLite file next to the conversation
  database (``<db_path>.ratelimit``), one ``BEGIN IMMEDIATE`` per take, so
  every worker of one ``vixshield serve`` shares the same buckets.
- ``MemoryBucket``: one process only (tests and embedding).

``client_key`` decides whose bucket a request takes from: the peer address,
unless the peer is a trusted proxy (``VIXSHIELD_TRUSTED_PROXIES``), in which
case the rightmost ``X-Forwarded-For`` hop that is not itself trusted.
"""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger("vixshield")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


# --- who is the client ---------------------------------------------------------------------


def parse_networks(entries: list[str] | tuple[str, ...]) -> list[Network]:
    """Addresses or CIDRs; a bad entry is a configuration error with a sentence."""
    nets = []
    for entry in entries or ():
        try:
            nets.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            raise ValueError(f"VIXSHIELD_TRUSTED_PROXIES: {entry!r} is not an address or CIDR") from None
    return nets


def _ip(text: str):
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr, nets: list[Network]) -> bool:
    if addr is None:
        return False
    if getattr(addr, "ipv4_mapped", None):
        addr = addr.ipv4_mapped
    return any(addr in net for net in nets)


def client_key(peer: str | None, forwarded_for: list[bytes], trusted: list[Network]) -> str:
    """The address a request is counted against.

    Without trusted proxies (the default) that is the peer, whatever headers say.
    From a trusted proxy, ``X-Forwarded-For`` is read right to left, skipping hops
    that are trusted proxies themselves; the first other hop is the client. A
    malformed hop stops the walk there and the last trusted address counts.
    """
    peer = peer or "unknown"
    if not trusted or not _trusted(_ip(peer), trusted):
        return peer
    hops: list[str] = []
    for value in forwarded_for:
        hops.extend(h.strip() for h in value.decode("latin-1").split(",") if h.strip())
    client = peer
    for hop in reversed(hops):
        addr = _ip(hop)
        if addr is None:
            break
        client = str(addr)
        if not _trusted(addr, trusted):
            break
    return client


# --- buckets ------------------------------------------------------------------------------------


class MemoryBucket:
    """Per-key token buckets in this process: ``rate`` tokens a second, at most ``burst`` stored."""

    shared = "process"

    def __init__(self, rate_per_minute: float, burst: int, max_keys: int = 10_000):
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, int(burst))
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token; return 0 when granted, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
            while len(self._buckets) > self.max_keys:  # forget the least recently seen clients
                self._buckets.popitem(last=False)
            return wait

    def close(self) -> None:
        pass


TokenBucket = MemoryBucket  # the old name


class SQLiteBucket:
    """Buckets in a SQLite file, shared by every worker process of one host."""

    shared = "host"
    PRUNE_EVERY = 1000

    def __init__(self, path: Path | str, rate_per_minute: float, burst: int):
        self.path = Path(path)
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, int(burst))
        self._local = threading.local()
        self._count = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._db()
        db.execute("CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), timeout=5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 5000")
            try:
                db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another worker is switching it at this moment
            db.execute("PRAGMA synchronous = OFF")  # buckets are soft state: losing them to a crash is fine
            self._local.db = db
        return db

    def take(self, key: str) -> float:
        db = self._db()
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT tokens, at FROM buckets WHERE key = ?", (key,)).fetchone()
            tokens, last = row if row else (float(self.burst), now)
            tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
            if tokens >= 1.0:
                tokens, wait = tokens - 1.0, 0.0
            else:
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
            db.execute("INSERT OR REPLACE INTO buckets (key, tokens, at) VALUES (?, ?, ?)", (key, tokens, now))
            self._count += 1
            if self._count % self.PRUNE_EVERY == 0:  # a full bucket holds nothing worth keeping
                full_after = self.burst / self.rate if self.rate > 0 else 3600.0
                db.execute("DELETE FROM buckets WHERE at < ?", (now - full_after,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return wait

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


# KEYS[1] bucket key; ARGV: rate per second, burst. Returns the wait in milliseconds (0 = granted).
LUA_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  if rate > 0 then wait = (1 - tokens) / rate else wait = 60 end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
local ttl = 3600
if rate > 0 then ttl = math.ceil(burst / rate) + 1 end
redis.call('EXPIRE', KEYS[1], ttl)
return math.ceil(wait * 1000)
"""


class RedisBucket:
    """Buckets in Redis 7, one atomic Lua script per take: shared by every worker and replica."""

    shared = "cluster"

    def __init__(self, url: str, rate_per_minute: float, burst: int, prefix: str = "vixshield:rl:"):
        import redis

        self.url = url
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, int(burst))
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._script = self._redis.register_script(LUA_TAKE)
        self._warned = 0.0

    def take(self, key: str) -> float:
        import redis

        try:
            ms = self._script(keys=[self.prefix + key], args=[self.rate, self.burst])
        except redis.RedisError as err:
            # Rate limiting is a guard, not the service: with Redis down, serve (and say so, once a minute).
            if time.monotonic() - self._warned > 60:
                self._warned = time.monotonic()
                log.warning("rate limiter: Redis unavailable, requests are not limited", extra={"error": str(err)})
            return 0.0
        return int(ms) / 1000.0

    def close(self) -> None:
        self._redis.close()


def bucket_from_settings(settings):
    """Redis when VIXSHIELD_REDIS_URL is set, else a SQLite file beside the database."""
    rate, burst = settings.rate_limit_per_minute, settings.rate_limit_burst
    if getattr(settings, "redis_url", ""):
        return RedisBucket(settings.redis_url, rate, burst)
    path = Path(settings.db_path)
    return SQLiteBucket(path.with_name(path.name + ".ratelimit"), rate, burst)
