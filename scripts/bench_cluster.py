"""Throughput of one `vixshield serve` on SQLite vs three replicas on PostgreSQL + Redis behind nginx.

Both set-ups run in ONE invocation on this machine, with the same questions (bench_api's retrieval
and calculator mix, each text made unique so no per-text cache helps), the same client
concurrency and the same request count; rate limits are on in the cluster (Redis, a huge burst so
nothing is refused) and off for the single process, so the cluster pays for the limiter too.

    .venv/bin/python scripts/bench_cluster.py [--requests 300] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import CALCULATOR, RETRIEVAL, machine, run  # noqa: E402

from assistant.testing import services  # noqa: E402
from assistant.testing.server import copy_index, start_server  # noqa: E402

QUESTIONS = [q for pair in zip(RETRIEVAL, CALCULATOR * 2) for q in pair]


def measure(label: str, base: str, requests: int, concurrency: int) -> dict:
    run(base, QUESTIONS, concurrency, concurrency * 2, uncached=True)  # warm every process
    r = run(base, QUESTIONS, concurrency, requests, uncached=True)
    print(f"{label:45s} {r['rps']:6.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  "
          f"errors {r['errors']}", flush=True)
    return {"setup": label, **r}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    reason = services.missing("postgres", "redis", "nginx")
    if reason:
        sys.exit(reason)
    print(f"machine: {machine()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        tmp = Path(tmp)
        index_dir = copy_index(tmp / "index")
        quiet = {"VIXSHIELD_LOG_LEVEL": "warning", "VIXSHIELD_INDEX_WATCH_S": "0"}

        single = start_server(tmp / "single", index_dir, {**quiet, "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "0"})
        try:
            results.append(measure("1 process, SQLite", single.base_url, args.requests, args.concurrency))
        finally:
            single.stop()

        pg, redis = services.start_postgres(), services.start_redis()
        replicas, proxy = [], None
        try:
            env = {**quiet, "VIXSHIELD_DATABASE_URL": pg.database_url("bench"), "VIXSHIELD_REDIS_URL": redis.url,
                   "VIXSHIELD_TRUSTED_PROXIES": '["127.0.0.1"]',
                   "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "1000000", "VIXSHIELD_RATE_LIMIT_BURST": "1000000"}
            replicas = [start_server(tmp / f"r{i}", index_dir, env, wait=None) for i in range(3)]
            for r in replicas:
                r.wait_ready()
            proxy = services.start_nginx([f"127.0.0.1:{r.port}" for r in replicas])
            results.append(measure("3 replicas, PostgreSQL + Redis, nginx", proxy.base_url, args.requests, args.concurrency))
            results.append(measure("1 replica of those, direct (PG + Redis)", replicas[0].base_url, args.requests, args.concurrency))
        finally:
            for r in replicas:
                r.stop()
            if proxy:
                proxy.cleanup()
            pg.cleanup()
            redis.cleanup()
    print()
    print("| set-up | concurrency | requests | req/s | p50 ms | p95 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['setup']} | {r['concurrency']} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
              f"{r['p95_ms']:.1f} | {r['errors']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
