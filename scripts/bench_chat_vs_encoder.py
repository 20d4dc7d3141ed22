#!/usr/bin/env python3
"""Unique-question /v1/chat throughput at concurrency 8 against the int8 query encoder's own rate.

Issue 11's no-slow-down check, both figures measured in one run on this machine:

1. the int8 ONNX query encoder alone, in this process, one thread: unique question texts
   encoded one at a time (encodes per second);
2. ``vixshield serve`` (one worker, temp database, rate limit off) answering unique
   retrieval questions (scripts/bench_api.py's set, each with a different trailing word, so
   no per-text cache helps) from 8 client threads (requests per second).

The ratio (2) / (1) must stay at least 0.7: the pipeline around the encoder may cost at most
30% of the encoder's own rate.

    .venv/bin/python scripts/bench_chat_vs_encoder.py [--requests 400] [--json out.json]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _bench_api():
    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "scripts" / "bench_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encoder_rate(questions: list[str], total: int, tag) -> float:
    from assistant.embeddings import shared_encoder
    from assistant.settings import Settings

    encoder = shared_encoder(Settings(query_encoder="onnx"), "query")
    getattr(encoder, "warm_up", lambda: None)()
    encoder.encode([questions[0]])
    t0 = time.perf_counter()
    for i in range(total):
        encoder.encode([f"{questions[i % len(questions)].rstrip('?')} (ref {tag(i + 7_000_000)})?"])
    return total / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    bench = _bench_api()
    from assistant.testing.server import start_server

    enc = encoder_rate(bench.RETRIEVAL, args.requests, bench.tag)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            chat = bench.run(server.base_url, bench.RETRIEVAL, args.concurrency, args.requests, uncached=True)
        finally:
            server.stop()
    ratio = chat["rps"] / enc
    result = {"machine": bench.machine(), "load_avg": os.getloadavg(), "encoder_per_s": enc, "chat": chat, "ratio": ratio}
    print(f"int8 query encoder, one thread: {enc:.1f} encodes/s")
    print(f"/v1/chat unique retrieval questions, concurrency {args.concurrency}: {chat['rps']:.1f} req/s "
          f"(p50 {chat['p50_ms']:.1f} ms, errors {chat['errors']})")
    print(f"ratio: {ratio:.2f} (goal >= 0.70)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if ratio >= 0.7 and not chat["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
