"""The editors' loop on a REAL server: content-gap report, curated answers, API-key checks, and the CLI.

The server gets a private copy of the corpus (curated answers are written under
its ``answers/`` folder, never into the repository's corpus). The gap test asks
through the real pipeline: it needs the pipeline to decline in-domain questions
no article answers as "not covered" (``grounded: false`` with ``related``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apiserver import API_KEY, ROOT, start_server

_QUESTIONS = json.loads((Path(__file__).resolve().parents[1] / "data" / "gap-report-questions.json").read_text())
PROFIT, STOP, EARNINGS, DOWNVOTED = (_QUESTIONS[k] for k in ("profit", "stop", "earnings", "downvoted"))
COMMENT = "I wanted the layer sizes, not the name"

CURATED_Q = "Which broker do you use to trade SPX options?"
CURATED_PARAPHRASE = "Which broker do you use for trading SPX options?"
CURATED_A = (
    "The VixShield knowledge base does not recommend a broker. Use any broker that offers SPX index options "
    "with four-leg orders; SPX options are cash-settled and a 1 point move is 100 dollars per contract."
)


@pytest.fixture(scope="module")
def editors_server(tmp_path_factory, index_copy):
    tmp = tmp_path_factory.mktemp("editors")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("answers"))
    srv = start_server(tmp, index_copy, {
        "VIXSHIELD_API_KEY": API_KEY,
        "VIXSHIELD_CORPUS_DIR": str(corpus),
        "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "1000000",
        "VIXSHIELD_RATE_LIMIT_BURST": "1000000",
    })
    srv.corpus_dir = corpus
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def admin(editors_server):
    with editors_server.client(headers={"X-API-Key": API_KEY}) as client:
        yield client


@pytest.fixture(scope="module")
def anon(editors_server):
    with editors_server.client() as client:
        yield client


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v1/admin/gaps"), ("GET", "/v1/admin/answers"), ("POST", "/v1/admin/answers"),
    ("DELETE", "/v1/admin/answers/some-id"), ("POST", "/v1/admin/reindex"),
])
def test_admin_endpoints_need_the_key(anon, method, path):
    body = {"question": "q?", "answer": "a"} if method == "POST" else None
    r = anon.request(method, path, json=body)
    assert r.status_code == 401 and r.json()["detail"] == "X-API-Key header required"
    r = anon.request(method, path, json=body, headers={"X-API-Key": "wrong"})
    assert r.status_code == 403 and r.json()["detail"] == "wrong API key"


def test_a_posted_answer_answers_a_paraphrase_at_once(admin, anon, editors_server):
    before = anon.post("/v1/chat", json={"message": CURATED_PARAPHRASE}).json()
    assert not any(c["source_id"].startswith("answer:") for c in before["citations"])

    r = admin.post("/v1/admin/answers", json={"question": CURATED_Q, "answer": CURATED_A, "aliases": ["What brokerage do you recommend?"]})
    assert r.status_code == 201, r.text
    added = r.json()
    source = f"answer:{added['id']}"
    assert added["source_id"] == source
    assert (editors_server.corpus_dir / "answers" / f"{added['id']}.md").is_file()

    reply = anon.post("/v1/chat", json={"message": CURATED_PARAPHRASE}).json()
    assert reply["grounded"] is True
    assert [c["source_id"] for c in reply["citations"]] == [source]
    assert reply["citations"][0]["text"] == CURATED_A and reply["citations"][0]["title"] == CURATED_Q
    assert CURATED_A in reply["answer"]  # the figures (1 point, 100 dollars) survive the number check
    alias_reply = anon.post("/v1/chat", json={"message": "What brokerage do you recommend?"}).json()
    assert [c["source_id"] for c in alias_reply["citations"]] == [source]

    listed = admin.get("/v1/admin/answers").json()
    assert [a["id"] for a in listed["answers"]] == [added["id"]]

    # The reindex reloads corpus/answers (here: unchanged) and keeps answering from it.
    assert admin.post("/v1/admin/reindex").status_code == 200
    again = anon.post("/v1/chat", json={"message": CURATED_PARAPHRASE}).json()
    assert [c["source_id"] for c in again["citations"]] == [source]

    assert admin.delete(f"/v1/admin/answers/{added['id']}").json() == {"status": "removed", "id": added["id"]}
    gone = anon.post("/v1/chat", json={"message": CURATED_PARAPHRASE}).json()
    assert not any(c["source_id"].startswith("answer:") for c in gone["citations"])
    assert admin.delete(f"/v1/admin/answers/{added['id']}").status_code == 404


@pytest.mark.parametrize(("body", "fragment"), [
    ({"question": "", "answer": "x"}, "question is empty"),
    ({"question": "What is the answer?", "answer": "x" * 8001}, "limit is 8,000"),
    ({"question": "What is the answer?"}, "answer"),
    ({"question": 5, "answer": "x"}, "question"),
])
def test_bad_answers_get_a_422_with_a_sentence(admin, body, fragment):
    r = admin.post("/v1/admin/answers", json=body)
    assert r.status_code == 422, r.text
    assert fragment in json.dumps(r.json()["detail"])


def test_a_duplicate_question_is_refused(admin):
    first = admin.post("/v1/admin/answers", json={"question": "Do you trade 0DTE condors?", "answer": "Not in the articles."})
    assert first.status_code == 201
    for q in ("Do you trade 0DTE condors?", "do you trade 0dte condors", "Do you trade 0DTE condors ?!"):
        r = admin.post("/v1/admin/answers", json={"question": q, "answer": "Something else."})
        assert r.status_code == 422 and "duplicate question" in r.json()["detail"]
    admin.delete(f"/v1/admin/answers/{first.json()['id']}")


def test_gap_report_groups_paraphrases_and_lists_the_thumbs_down(admin, anon, editors_server):
    """Depends on the pipeline declining these in-domain questions as not covered (answer-quality work)."""
    for q in PROFIT + STOP + EARNINGS:
        reply = anon.post("/v1/chat", json={"message": q}).json()
        assert reply["grounded"] is False and reply["related"], f"not declined as not covered: {q!r} -> {reply['answer'][:120]!r}"
    answered = anon.post("/v1/chat", json={"message": DOWNVOTED}).json()
    r = anon.post("/v1/feedback", json={"conversation_id": answered["conversation_id"], "turn": 0, "rating": "down", "comment": COMMENT})
    assert r.status_code == 201

    report = admin.get("/v1/admin/gaps").json()
    asked = [{q["question"] for q in g["questions"]} for g in report["groups"]]
    for wanted in (set(PROFIT), set(STOP), set(EARNINGS)):
        assert wanted in asked, asked
    down = next(g for g in report["groups"] if DOWNVOTED in {q["question"] for q in g["questions"]})
    assert {q["question"]: q["reason"] for q in down["questions"]}[DOWNVOTED] == f"thumbs down: {COMMENT}"
    for g in report["groups"]:
        assert set(g) == {"label", "count", "questions", "nearest_article"} and g["count"] == len(g["questions"])
        assert all(set(q) == {"question", "asked_at", "reason"} for q in g["questions"])
    assert admin.get("/v1/admin/gaps", params={"since": "2999-01-01"}).json()["groups"] == []
    bad = admin.get("/v1/admin/gaps", params={"since": "yesterday"})
    assert bad.status_code == 422 and "since must be a date" in bad.json()["detail"]

    # The CLI reads the same store: --json to a file.
    out = editors_server.db_path.parent / "gaps.json"
    env = {**editors_server.env}
    cli = subprocess.run([sys.executable, "-m", "assistant.cli", "report", "gaps", "--json", "--out", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    from_cli = json.loads(out.read_text())
    assert [g["count"] for g in from_cli["groups"]] == [g["count"] for g in report["groups"]]
    bad_cli = subprocess.run([sys.executable, "-m", "assistant.cli", "report", "gaps", "--since", "soon"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad_cli.returncode != 0 and "since must be a date" in bad_cli.stderr and "Traceback" not in bad_cli.stderr


def test_cli_answers_add_list_remove(tmp_path):
    env = {**os.environ, "VIXSHIELD_CORPUS_DIR": str(tmp_path / "corpus"), "HF_HUB_OFFLINE": "1"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", "answers", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    added = cli("add", "--question", CURATED_Q, "--answer", CURATED_A, "--alias", "What brokerage do you recommend?")
    assert added.returncode == 0, added.stderr
    answer_id = added.stdout.split("answer:", 1)[1].split()[0]
    assert (tmp_path / "corpus" / "answers" / f"{answer_id}.md").is_file()
    listed = cli("list", "--json")
    assert [a["id"] for a in json.loads(listed.stdout)] == [answer_id]
    dup = cli("add", "--question", CURATED_Q, "--answer", "x")
    assert dup.returncode != 0 and "duplicate question" in dup.stderr and "Traceback" not in dup.stderr
    empty = cli("add", "--question", " ", "--answer", "x")
    assert empty.returncode != 0 and "question is empty" in empty.stderr
    assert cli("remove", answer_id).returncode == 0
    assert json.loads(cli("list", "--json").stdout) == []
    missing = cli("remove", answer_id)
    assert missing.returncode != 0 and "no curated answer" in missing.stderr
