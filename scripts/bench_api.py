#!/usr/bin/env python3
"""Latency (p50/p95/p99) and throughput of POST /v1/chat over real HTTP.

Two kinds of question, retrieval (definitions and methodology) and calculator
(iron condors, spreads, hedge ratios), each at concurrency 1, 8 and 32. Every
client thread keeps one HTTP/1.1 keep-alive connection (stdlib http.client, so
the load generator itself costs little CPU on the same machine).

    python scripts/bench_api.py                       # starts its own server (temp db, rate limit off)
    python scripts/bench_api.py --base-url http://127.0.0.1:8000
    python scripts/bench_api.py --requests 300 --json out.json

Goals (issue 6, 2-core CPU): p50 <= 30 ms retrieval and <= 10 ms calculator at
concurrency 1; at least 60 requests/s at concurrency 8.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RETRIEVAL = [
    "What is an iron condor?",
    "What does ALVH stand for?",
    "what's MEV",
    "What does Russell Clark mean by the Second Engine?",
    "Which technical indicators are used to adjust the hedge ratios?",
    "Can VIX hedges really protect an NFT portfolio from drawdowns?",
    "How does a wrapped token keep its 1:1 peg?",
    "What is the liquidity drag that comes from treating the JPEG as the asset?",
    "explain theta decay",
    "What is basis risk?",
]

CALCULATOR = [
    "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, for a 3.50 credit. What are the break-evens?",
    "What is the max profit and max loss of a 5750/5700 put spread plus 6050/6100 call spread iron condor sold for $3.50?",
    "Correlation is 0.6, my portfolio's volatility is 20% and the hedge instrument's volatility is 40%. What is the minimum-variance hedge ratio?",
    "If I oversize a $50,000 VIX hedge by the 2.8x decorrelation factor, how large is the hedge?",
    "5750/5700 put spread for a 1.80 credit: max loss?",
    "Iron condor 5650/5700/6100/6150 for a 5.10 credit, max profit and break-evens?",
]

KINDS = {"retrieval": RETRIEVAL, "calculator": CALCULATOR}


def start_server(workers: int):
    """``vixshield serve`` (the shared launcher) with rate limits off and a temporary database."""
    from assistant.testing.server import start_server as launch

    tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
    srv = launch(Path(tmp.name), index_dir=ROOT / "index", workers=workers, wait="/readyz",
                 env={"VIXSHIELD_RATE_LIMIT_PER_MINUTE": "0", "VIXSHIELD_LOG_LEVEL": "warning"})
    return srv, srv.base_url, tmp


def wait_ready(base: str, proc: subprocess.Popen | None = None, timeout: float = 600) -> float:
    started = time.perf_counter()
    u = urllib.parse.urlsplit(base)
    while time.perf_counter() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("server not ready in time")


class Client:
    def __init__(self, base: str):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port

    def __enter__(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self

    def __exit__(self, *exc):
        self.conn.close()

    def chat(self, message: str) -> tuple[int, float]:
        body = json.dumps({"message": message}).encode()
        t0 = time.perf_counter()
        self.conn.request("POST", "/v1/chat", body=body, headers={"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        resp.read()
        return resp.status, time.perf_counter() - t0


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]


def tag(i: int) -> str:
    """A short letters-only word unique to request i (no digits: they would count as numbers)."""
    out = ""
    i += 26 * 26
    while i:
        i, r = divmod(i, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
    return out


def run(base: str, questions: list[str], concurrency: int, total: int, uncached: bool = False) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(total))
    barrier = threading.Barrier(concurrency + 1)

    def worker(wid: int) -> None:
        with Client(base) as c:
            c.chat(questions[wid % len(questions)])  # open the connection before the clock starts
            barrier.wait()
            mine = []
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    break
                q = questions[i % len(questions)]
                if uncached:  # a different text each time: the query-vector cache never hits
                    # inside the question, before its "?": a tail after it is not part of the question
                    # the assistant reads (message.the_question), so it would not make the text unique
                    q = f"{q.rstrip('?')} (ref {tag(i + concurrency * 100_000)})?"
                status, secs = c.chat(q)
                mine.append(secs)
                if status != 200:
                    with lock:
                        errors.append(status)
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "concurrency": concurrency,
        "requests": len(lat),
        "errors": len(errors),
        "p50_ms": 1000 * statistics.median(lat),
        "p95_ms": 1000 * pct(lat, 95),
        "p99_ms": 1000 * pct(lat, 99),
        "rps": len(lat) / wall,
    }


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", help="benchmark a running server instead of starting one")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn workers of the server this script starts")
    ap.add_argument("--requests", type=int, default=400, help="requests per (kind, concurrency) cell")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--uncached", action="store_true",
                    help="make every question text unique ('(ref xyz)' before its question mark), so no per-text cache helps")
    args = ap.parse_args()

    proc = tmp = None
    if args.base_url:
        base, ready_s = args.base_url.rstrip("/"), wait_ready(args.base_url.rstrip("/"))
    else:
        t0 = time.perf_counter()
        proc, base, tmp = start_server(args.workers)
        ready_s = time.perf_counter() - t0
    try:
        levels = [int(c) for c in args.concurrency.split(",")]
        results = []
        print(f"machine: {machine()}")
        print(f"questions: {'unique texts (--uncached)' if args.uncached else 'repeated texts'}")
        print(f"server: {base}, workers={args.workers if proc else '?'}, ready in {ready_s:.1f} s (process start to /readyz 200)")
        for kind, questions in KINDS.items():
            for q in questions:  # warm caches and check every question answers
                with Client(base) as c:
                    status, _ = c.chat(q)
                    if status != 200:
                        raise SystemExit(f"{kind} question answered {status}: {q}")
            for conc in levels:
                r = {"kind": kind, **run(base, questions, conc, max(args.requests, 4 * conc), args.uncached)}
                results.append(r)
                print(f"{kind:10s} c={conc:<3d} n={r['requests']:<5d} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                      f"p99 {r['p99_ms']:7.1f} ms  {r['rps']:7.1f} req/s  errors {r['errors']}", flush=True)
        print()
        print("| questions | concurrency | requests | p50 ms | p95 ms | p99 ms | req/s | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(f"| {r['kind']} | {r['concurrency']} | {r['requests']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                  f"{r['p99_ms']:.1f} | {r['rps']:.0f} | {r['errors']} |")
        if args.json:
            args.json.write_text(json.dumps({"machine": machine(), "ready_s": ready_s, "results": results}, indent=2))
        return 0 if all(r["errors"] == 0 for r in results) else 1
    finally:
        if proc is not None:
            proc.stop()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
