"""The chat cases, end to end, against a REAL served app.

A session fixture starts ``vixshield serve`` on a free port with a temporary
database (``assistant.testing.server``, the launcher ``scripts/eval_chat.py`` uses too) and
waits for /readyz.
Then:
  (a) ``../shared/eval/score_chat.py`` on ``../shared/eval/dev-cases.jsonl`` exits 0;
  (b) the cases of ``tests/data/chat-cases.jsonl``, checked turn by turn with the
      scorer's own ``check_turn`` (imported from the shared file by path): every
      case whose expectations follow from the contract's rules (numbers,
      calculations, follow-ups, declines, advice, bad input, greetings,
      definitions, not-covered declines, data questions, negative figures) passes, and at least
      94 % of all cases pass — the
      methodology cases test which corpus sentences an extractive answer picks,
      and their pass rate is reported in docs/evaluation.md rather than forced
      to 100 %. The failure message lists every failing case.
The shared folder is ``../shared`` beside the repository, or ``$VIXSHIELD_SHARED_DIR``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "chat-cases.jsonl"
SCOPE = ROOT / "tests" / "data" / "scope-questions.jsonl"
CATEGORIES = {"def", "method", "calc", "followup", "decline", "advice", "bad", "greet",
              "uncovered", "data", "fact", "comparison", "negative", "noise"}
EXPECT_KEYS = {"status", "grounded", "sources_any", "facts_all", "facts_any", "numbers_all", "no_citations", "calculator"}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shared_dir() -> Path | None:
    env = os.environ.get("VIXSHIELD_SHARED_DIR")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if (cand / "eval" / "score_chat.py").is_file():
            return cand
    return None


def _cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- the case files themselves (no server) --------------------------------------


def test_case_file_is_well_formed():
    cases = _cases(CASES)
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(cases) >= 80
    counts = Counter(i.split("-", 1)[0] for i in ids)
    assert set(counts) <= CATEGORIES, f"unknown categories {set(counts) - CATEGORIES}"
    assert counts["decline"] >= 15
    for case in cases:
        assert case["turns"], case["id"]
        for turn in case["turns"]:
            assert isinstance(turn["message"], str)
            assert set(turn["expect"]) <= EXPECT_KEYS, (case["id"], set(turn["expect"]) - EXPECT_KEYS)
    assert any(len(c["turns"]) > 1 for c in cases), "no multi-turn follow-ups"


def test_scope_set_is_labelled_and_large_enough():
    rows = _cases(SCOPE)
    assert all(set(r) == {"question", "in_scope"} and isinstance(r["in_scope"], bool) for r in rows)
    assert sum(r["in_scope"] for r in rows) >= 70
    assert sum(not r["in_scope"] for r in rows) >= 40
    assert len({r["question"] for r in rows}) == len(rows), "duplicate questions"


# --- against the served app --------------------------------------------------------


@pytest.fixture(scope="session")
def shared() -> Path:
    found = _shared_dir()
    if found is None:
        pytest.skip("../shared/eval/score_chat.py not found; set VIXSHIELD_SHARED_DIR")
    return found


@pytest.fixture(scope="session")
def scorer(shared):
    return _load("score_chat", shared / "eval" / "score_chat.py")


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory):
    from assistant.testing.server import start_server

    server = start_server(tmp_path_factory.mktemp("chat-cases"))  # rate limits lifted, temp database
    yield server.base_url
    server.stop()


def test_shared_dev_cases_all_pass(chat_server, shared):
    out = subprocess.run(
        [sys.executable, str(shared / "eval" / "score_chat.py"), "--base-url", chat_server,
         "--cases", str(shared / "eval" / "dev-cases.jsonl"), "--timeout", "60", "--quiet"],
        capture_output=True, text=True, timeout=900,
    )
    assert out.returncode == 0, out.stdout + out.stderr


# Categories whose expectations follow from the contract's rules: every case must pass. The others
# (method, fact, comparison, noise) test which corpus sentences an extractive answer picks; their rates
# are in docs/evaluation.md.
RULE_BOUND = {"calc", "followup", "decline", "advice", "bad", "greet", "def", "uncovered", "data", "negative"}
MIN_PASS_RATE = 0.94


def _failures(url: str, scorer, cases: list[dict]) -> list[str]:
    """Each case's turns sent in one conversation and checked with the scorer's own check_turn."""
    failures = []
    for case in cases:
        conv, history, problems = None, [], []
        for i, turn in enumerate(case["turns"]):
            body = {"message": turn["message"], **({"conversation_id": conv} if conv else {})}
            try:
                status, reply, _ = scorer.post(url, body, 60.0)
            except Exception as err:  # connection refused, timeout
                problems.append(f"turn {i}: {type(err).__name__}: {err}")
                break
            conv = reply.get("conversation_id", conv) if isinstance(reply, dict) else conv
            fails = scorer.check_turn(turn["message"], turn.get("expect", {}), status, reply, history)
            if fails:
                answer = " ".join(str(reply.get("answer", ""))[:160].split())
                problems += [f"turn {i}: {f}" for f in fails] + [f"reply: {answer!r}"]
            history += scorer.numbers_in(turn["message"]) + scorer.numbers_in(str(reply.get("answer", "")))
        if problems:
            failures.append(f"{case['id']}: " + "; ".join(problems))
    return failures


def test_own_chat_cases_pass(chat_server, scorer):
    cases = _cases(CASES)
    failures = _failures(chat_server + "/v1/chat", scorer, cases)
    report = f"{len(failures)} failing chat cases:\n" + "\n".join(failures)
    rule_bound = [f for f in failures if f.split("-", 1)[0] in RULE_BOUND]
    assert not rule_bound, report
    assert 1 - len(failures) / len(cases) >= MIN_PASS_RATE, report


# The held-back sets were each measured once blind (docs/evaluation.md); the code has since been
# improved on the kinds of mistake they showed, so they now guard against regressions, not measure.
HELD_BACK = sorted((ROOT / "tests" / "data").glob("heldout-cases*.jsonl"))
MIN_HELD_BACK_RATE = 0.90


def test_held_back_sets_do_not_regress(chat_server, scorer):
    cases = [case for path in HELD_BACK for case in _cases(path)]
    assert len(cases) >= 700
    failures = _failures(chat_server + "/v1/chat", scorer, cases)
    report = f"{len(failures)} of {len(cases)} held-back cases fail:\n" + "\n".join(failures)
    assert 1 - len(failures) / len(cases) >= MIN_HELD_BACK_RATE, report
