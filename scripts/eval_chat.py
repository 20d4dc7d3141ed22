#!/usr/bin/env python3
"""Serve the app on a free port and score it with the shared chat scorer.

    .venv/bin/python scripts/eval_chat.py [--cases FILE ...] [--base-url URL] [--markdown]

Starts ``.venv/bin/vixshield serve --port N`` with a temporary
VIXSHIELD_DB_PATH (and rate limits lifted), waits for /readyz, runs
``../shared/eval/score_chat.py`` (or ``$VIXSHIELD_SHARED_DIR/eval/score_chat.py``)
on each case file, prints the pass rate per category (the id's prefix before
the first "-") and the failures, then stops the server. ``--base-url`` scores
an already running server instead. Default cases: the shared dev cases and
``tests/data/chat-cases.jsonl``. Exit status 0 only when every case passes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    env = os.environ.get("VIXSHIELD_SHARED_DIR")
    candidates = ([Path(env)] if env else []) + [Path(__file__).resolve().parents[2] / "shared"]
    for c in candidates:
        if (c / "eval" / "score_chat.py").is_file():
            return c
    sys.exit(f"score_chat.py not found under {', '.join(map(str, candidates))}; set VIXSHIELD_SHARED_DIR")


def start_server(tmp: Path):
    """``vixshield serve`` on a free port with a temporary database (the shared launcher); not waited for yet."""
    from assistant.testing.server import start_server as launch

    srv = launch(tmp, index_dir=ROOT / "index", env={}, wait=None)
    return srv, srv.base_url, srv.log_path


def category(case_id: str) -> str:
    return case_id.split("-", 1)[0]


def run_scorer(scorer: Path, base: str, cases: Path, timeout: float) -> tuple[int, dict[str, str | None]]:
    """Run score_chat.py; return its exit status and {case id: failure text or None}."""
    out = subprocess.run(
        [sys.executable, str(scorer), "--base-url", base, "--cases", str(cases), "--timeout", str(timeout)],
        capture_output=True, text=True,
    )
    results: dict[str, str | None] = {}
    for line in out.stdout.splitlines():
        if line.startswith("ok   "):
            results[line[5:].strip()] = None
        elif line.startswith("FAIL "):
            cid, _, why = line[5:].partition(": ")
            results[cid] = why
        elif line.startswith("latency:"):
            print(f"  {line}")
    if out.returncode not in (0, 1) or out.stderr.strip():
        print(out.stderr[-2000:], file=sys.stderr)
    return out.returncode, results


def short_reply(base: str, case: dict, n_turns: int) -> str:
    """Replay a failing case and return the server's last answer, shortened (for the report)."""
    conv, answer = None, ""
    for turn in case["turns"][:n_turns]:
        body = {"message": turn["message"], **({"conversation_id": conv} if conv else {})}
        req = urllib.request.Request(base + "/v1/chat", json.dumps(body).encode(), {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                reply = json.loads(r.read())
        except urllib.error.HTTPError as err:
            return f"HTTP {err.code}"
        except OSError as err:
            return f"{type(err).__name__}"
        conv = reply.get("conversation_id", conv)
        answer = f"grounded={reply.get('grounded')} calcs={len(reply.get('calculations') or [])} " \
                 f"cites={len(reply.get('citations') or [])}: " + re.sub(r"\s+", " ", str(reply.get("answer", "")))
    return answer[:240]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", type=Path, help="case files (default: shared dev cases + tests/data/chat-cases.jsonl)")
    ap.add_argument("--base-url", help="score this running server instead of starting one")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-request timeout passed to the scorer")
    ap.add_argument("--ready-timeout", type=float, default=600.0)
    ap.add_argument("--markdown", action="store_true", help="also print the per-category table as Markdown")
    ap.add_argument("--no-replies", action="store_true", help="don't replay failures to show the server's answer")
    args = ap.parse_args()

    shared = shared_dir()
    scorer = shared / "eval" / "score_chat.py"
    files = args.cases or [shared / "eval" / "dev-cases.jsonl", ROOT / "tests" / "data" / "chat-cases.jsonl"]

    proc = None
    tmpdir = tempfile.TemporaryDirectory(prefix="vixshield-eval-")
    try:
        if args.base_url:
            base = args.base_url.rstrip("/")
        else:
            proc, base, log = start_server(Path(tmpdir.name))
            try:
                waited = proc.wait_ready(args.ready_timeout)
                print(f"server ready at {base} in {waited:.1f} s")
            except RuntimeError as err:
                print(f"{err}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
                return 2
        all_ok = True
        for path in files:
            cases = {c["id"]: c for c in (json.loads(l) for l in open(path) if l.strip())}
            print(f"\n== {path}")
            rc, results = run_scorer(scorer, base, path, args.timeout)
            all_ok &= rc == 0
            per = defaultdict(lambda: [0, 0])
            for cid in cases:
                per[category(cid)][1] += 1
                if results.get(cid, "not run") is None:
                    per[category(cid)][0] += 1
            passed = sum(p for p, _ in per.values())
            print(f"{'category':<10} {'passed':>6} {'cases':>5} {'rate':>6}")
            for cat, (p, n) in sorted(per.items()):
                print(f"{cat:<10} {p:6d} {n:5d} {p / n:6.0%}")
            print(f"{'all':<10} {passed:6d} {len(cases):5d} {passed / max(1, len(cases)):6.0%}")
            if args.markdown:
                print("\n| category | passed | cases | pass rate |\n| --- | --- | --- | --- |")
                for cat, (p, n) in sorted(per.items()):
                    print(f"| {cat} | {p} | {n} | {p / n:.0%} |")
                print(f"| **all** | {passed} | {len(cases)} | {passed / max(1, len(cases)):.0%} |")
            failures = [(cid, results.get(cid, "not run")) for cid in cases if results.get(cid, "not run") is not None]
            if failures:
                print("failures:")
            for cid, why in failures:
                print(f"  {cid}: {why}")
                if not args.no_replies:
                    m = re.match(r"turn (\d+)", why or "")
                    n = int(m.group(1)) + 1 if m else len(cases[cid]["turns"])
                    print(f"      reply: {short_reply(base, cases[cid], n)}")
        return 0 if all_ok else 1
    finally:
        if proc is not None:
            proc.stop()
        tmpdir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
