"""Start a REAL uvicorn server (``assistant.api.app:create_app``) in a subprocess on a free port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "test-admin-key"
ALLOWED_ORIGIN = "http://widget.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    db_path: Path
    index_dir: Path
    log_path: Path
    env: dict
    proc: subprocess.Popen = field(repr=False)

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=kw.pop("timeout", 60), **kw)

    def log_lines(self) -> list[dict]:
        out = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def stream(self, path: str, body, headers: dict | None = None) -> tuple[httpx.Response, list[tuple[str, str]]]:
        """POST and read a Server-Sent Events response to its end: (response, [(event, data), ...])."""
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            with client.stream("POST", path, json=body, headers=headers) as r:
                return r, sse_events(r.iter_lines())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def start_server(tmp: Path, index_dir: Path, extra_env: dict, workers: int = 1, wait_ready: bool = True) -> Server:
    port = free_port()
    log_path = tmp / "server.log"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "VIXSHIELD_DB_PATH": str(tmp / "vixshield.db"),
        "VIXSHIELD_INDEX_DIR": str(index_dir),
        "VIXSHIELD_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN]),
        "VIXSHIELD_LOG_LEVEL": "info",
        **extra_env,
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "assistant.api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--workers", str(workers),
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", tmp / "vixshield.db", index_dir, log_path, env, proc)
    deadline = time.monotonic() + 600  # a stale index is rebuilt on warm-up
    path = "/readyz" if wait_ready else "/healthz"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            r = httpx.get(server.base_url + path, timeout=2)
            if r.status_code == 200:
                return server
            if r.status_code == 503 and "failed" in r.text:
                server.stop()
                raise RuntimeError(f"warm-up failed: {r.text}\n{log_path.read_text()[-4000:]}")
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"server not ready in time:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


def sse_events(lines) -> list[tuple[str, str]]:
    """Parse Server-Sent Events from an iterator of text lines into (event, data) pairs."""
    events, event, data = [], "message", []
    for line in lines:
        if line == "":
            if data:
                events.append((event, "\n".join(data)))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    if data:
        events.append((event, "\n".join(data)))
    return events
