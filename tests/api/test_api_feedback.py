"""POST /v1/feedback stores ratings in the same SQLite store; `vixshield feedback export` writes CSV."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_feedback_stored_and_exported(http, server, tmp_path):
    reply = http.post("/v1/chat", json={"message": "What is an iron condor?"}).json()
    cid = reply["conversation_id"]
    r = http.post("/v1/feedback", json={"conversation_id": cid, "turn": 0, "rating": "up"})
    assert r.status_code == 201 and r.json()["status"] == "stored"
    r = http.post("/v1/feedback", json={"conversation_id": cid, "turn": 0, "rating": "down", "comment": 'too long, "really"'})
    assert r.status_code == 201

    out = tmp_path / "fb.csv"
    env = {**server.env}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "feedback", "export", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = [row for row in csv.DictReader(io.StringIO(out.read_text())) if row["conversation_id"] == cid]
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[1]["comment"] == 'too long, "really"'
    assert rows[0]["message"] == "What is an iron condor?" and rows[0]["answer"] == reply["answer"]

    to_stdout = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "feedback", "export"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert to_stdout.returncode == 0 and cid in to_stdout.stdout
    assert to_stdout.stdout.splitlines()[0].startswith("id,created_at,conversation_id,turn,rating")


@pytest.mark.parametrize(
    "body, status",
    [
        ({"conversation_id": "nope", "turn": 0, "rating": "up"}, 404),
        ({"turn": 0, "rating": "up"}, 422),
        ({"conversation_id": "x", "turn": -1, "rating": "up"}, 422),
        ({"conversation_id": "x", "turn": "first", "rating": "up"}, 422),
        ({"conversation_id": "x", "turn": 0, "rating": "meh"}, 422),
        ({"conversation_id": "x", "turn": 0, "rating": "up", "comment": "c" * 2001}, 422),
        ({"conversation_id": "x", "turn": 0, "rating": "up", "comment": 5}, 422),
    ],
)
def test_feedback_rejects(http, body, status):
    r = http.post("/v1/feedback", json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str)


def test_feedback_on_a_turn_that_does_not_exist(http):
    cid = http.post("/v1/chat", json={"message": "hello"}).json()["conversation_id"]
    r = http.post("/v1/feedback", json={"conversation_id": cid, "turn": 5, "rating": "down"})
    assert r.status_code == 404 and "turn 5" in r.json()["detail"]
