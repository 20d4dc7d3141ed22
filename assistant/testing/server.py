"""Start a REAL ``vixshield serve`` in a subprocess on a free port, and wait until it is ready.

The one launcher for tests (``tests/api``, ``tests/widget``, the cluster tests) and
scripts (``eval_chat``, ``bench_api``, ``bench_cluster``, ``screenshots``)::

    from assistant.testing.server import start_server
    srv = start_server(tmp_dir, env={"VIXSHIELD_RATE_LIMIT_PER_MINUTE": "0"})
    ... srv.base_url ...
    srv.stop()

The server gets a SQLite file in ``tmp`` (unless ``env`` names another database),
rate limits lifted unless ``env`` sets them, and, with ``index_dir=None``, a private
copy of the repo's built index so nothing touches ``index/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.testing.services import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 600  # a missing index is built before /readyz turns 200


def vixshield_command() -> list[str]:
    """The installed ``vixshield`` script beside this interpreter, else ``python -m assistant.cli``."""
    script = Path(sys.executable).with_name("vixshield")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


def copy_index(dest: Path) -> Path:
    """A private copy of the repo's built index, ``current`` symlink kept (none built: the server builds one)."""
    dest.mkdir(parents=True, exist_ok=True)
    src = ROOT / "index" / "current"
    if src.exists() and not (dest / "current").exists():
        real = src.resolve()
        shutil.copytree(real, dest / real.name)
        os.symlink(real.name, dest / "current")
    return dest


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


@dataclass
class Server:
    base_url: str
    db_path: Path
    index_dir: Path
    log_path: Path
    env: dict
    proc: subprocess.Popen = field(repr=False)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def client(self, **kw):
        import httpx

        return httpx.Client(base_url=self.base_url, timeout=kw.pop("timeout", 60), **kw)

    def log_lines(self) -> list[dict]:
        out = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def stream(self, path: str, body, headers: dict | None = None):
        """POST and read a Server-Sent Events response to its end: (response, [(event, data), ...])."""
        import httpx

        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            with client.stream("POST", path, json=body, headers=headers) as r:
                return r, sse_events(r.iter_lines())

    def feedback(self) -> list[dict]:
        """Every feedback row in the server's store (read directly, as an operator would)."""
        from assistant.settings import Settings
        from assistant.store import create_store

        store = create_store(Settings(db_path=self.db_path, database_url=self.env.get("VIXSHIELD_DATABASE_URL", "")))
        try:
            return store.feedback()
        finally:
            store.close()

    def wait_ready(self, timeout: float = READY_TIMEOUT_S, path: str = "/readyz") -> float:
        """Poll until ``path`` answers 200; return the seconds waited. Raises with the log tail."""
        import httpx

        started = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vixshield serve exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                r = httpx.get(self.base_url + path, timeout=2)
                if r.status_code == 200:
                    return time.monotonic() - started
                if r.status_code == 503 and "failed" in r.text:
                    self.stop()
                    raise RuntimeError(f"warm-up failed: {r.text}\n{self.log_tail()}")
            except httpx.TransportError:
                pass
            if time.monotonic() - started > timeout:
                self.stop()
                raise RuntimeError(f"server not ready in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole server (every worker): a crash, not a shutdown."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def start_server(
    tmp: Path,
    index_dir: Path | None = None,
    env: dict | None = None,
    workers: int = 1,
    wait: str | None = "/readyz",
    port: int | None = None,
    log_name: str = "server.log",
) -> Server:
    """``vixshield serve`` on ``port`` (a free one by default); waits for ``wait`` ('/readyz',
    '/healthz', or None for not at all)."""
    tmp = Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp / log_name
    if index_dir is None and not (env or {}).get("VIXSHIELD_INDEX_DIR"):
        index_dir = copy_index(tmp / "index")
    full_env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "VIXSHIELD_DB_PATH": str(tmp / "vixshield.db"),
        "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "1000000",
        "VIXSHIELD_RATE_LIMIT_BURST": "1000000",
        "VIXSHIELD_CORS_ORIGINS": json.dumps([base]),
        "VIXSHIELD_LOG_LEVEL": "info",
        **({"VIXSHIELD_INDEX_DIR": str(index_dir)} if index_dir is not None else {}),
        **(env or {}),
    }
    cmd = [*vixshield_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(base, Path(full_env["VIXSHIELD_DB_PATH"]), Path(full_env.get("VIXSHIELD_INDEX_DIR", "")),
                    log_path, full_env, proc)
    if wait:
        server.wait_ready(path=wait)
    return server
