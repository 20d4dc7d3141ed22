"""Throwaway PostgreSQL 15, Redis 7 and nginx from Debian's packages, on free ports in temp folders.

Used by the test suite (session fixtures in ``tests/conftest.py``), ``scripts/cluster.sh``
(through ``python -m assistant.testing.services``) and ``scripts/bench_cluster.py``.
PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user the
package creates (``runuser -u postgres``), with its data folder chowned to it.
``missing()`` says which binaries are absent, so callers can skip with a reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb (Debian's layout), else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def missing(*names: str) -> str | None:
    """A reason to skip when a needed binary is absent ('postgres', 'redis', 'nginx'), else None."""
    for name in names:
        if name == "postgres" and pg_bin_dir() is None:
            return "PostgreSQL is not installed (apt-get install postgresql; `make system-deps` does it)"
        if name == "redis" and shutil.which("redis-server") is None:
            return "Redis is not installed (apt-get install redis-server; `make system-deps` does it)"
        if name == "nginx" and shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
            return "nginx is not installed (apt-get install nginx; `make system-deps` does it)"
    return None


def _wait_port(port: int, proc: subprocess.Popen | None, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            text = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {proc.returncode}\n{text}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


# --- PostgreSQL -----------------------------------------------------------------------


@dataclass
class Postgres:
    port: int
    root: Path  # temp folder: data/, log, socket
    bindir: Path
    as_user: list[str] = field(default_factory=list)
    durable: bool = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        """Create database ``name`` (if missing) and return its URL: one database per test or replica set."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True, **kw)

    def start(self) -> "Postgres":
        data = self.root / "data"
        if not (data / "PG_VERSION").exists():
            self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C")
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "postgres.log"),
                  "-o", opts, "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _has_c_utf8() -> bool:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    except OSError:
        return False
    return "c.utf8" in out or "c.utf-8" in out


def start_postgres(port: int | None = None, root: Path | None = None, durable: bool = False) -> Postgres:
    """initdb and start a private PostgreSQL on ``port`` (free one by default) in a temp folder."""
    bindir = pg_bin_dir()
    if bindir is None:
        raise RuntimeError(missing("postgres"))
    root = Path(root) if root else Path(tempfile.mkdtemp(prefix="vixshield-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses root: run it as the package's postgres user
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chmod(root, 0o700)
        for path in [root, *root.rglob("*")]:
            os.chown(path, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    return Postgres(port or free_port(), root, bindir, as_user, durable).start()


# --- Redis ------------------------------------------------------------------------------


@dataclass
class ServerProcess:
    """A server this module started in the foreground: its port, its temp folder and its process."""

    port: int
    root: Path
    proc: subprocess.Popen = field(repr=False)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Redis(ServerProcess):
    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def start_redis(port: int | None = None, root: Path | None = None) -> Redis:
    exe = shutil.which("redis-server")
    if exe is None:
        raise RuntimeError(missing("redis"))
    root = Path(root) if root else Path(tempfile.mkdtemp(prefix="vixshield-redis-"))
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = root / "redis.log"
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(root), "--logfile", str(log), "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    _wait_port(port, proc, 20, "redis-server", log)
    return Redis(port, root, proc)


# --- nginx --------------------------------------------------------------------------------

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.template"


@dataclass
class Nginx(ServerProcess):
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def render_nginx_conf(port: int, upstreams: list[str], root: Path, template: Path = TEMPLATE) -> str:
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    return (
        template.read_text()
        .replace("@LISTEN@", f"127.0.0.1:{port}")
        .replace("@UPSTREAMS@", servers)
        .replace("@PREFIX@", str(root))
    )


def start_nginx(upstreams: list[str], port: int | None = None, root: Path | None = None) -> Nginx:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        raise RuntimeError(missing("nginx"))
    root = Path(root) if root else Path(tempfile.mkdtemp(prefix="vixshield-nginx-"))
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("temp", "logs"):
        (root / sub).mkdir(exist_ok=True)
        os.chmod(root / sub, 0o777)
    os.chmod(root, 0o755)
    port = port or free_port()
    conf = root / "nginx.conf"
    conf.write_text(render_nginx_conf(port, upstreams, root))
    log = root / "logs" / "stderr.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([exe, "-e", "stderr", "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
                                stdout=out, stderr=subprocess.STDOUT)
    _wait_port(port, proc, 20, "nginx", log)
    return Nginx(port, root, proc)


if __name__ == "__main__":  # used by scripts/cluster.sh: print the URLs, keep running until killed
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(description="Start PostgreSQL and/or Redis in temp folders.")
    parser.add_argument("what", choices=["postgres", "redis"])
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--root", type=Path, default=None)
    args = parser.parse_args()
    svc = start_postgres(args.port, args.root, durable=True) if args.what == "postgres" else start_redis(args.port, args.root)
    print(svc.url, flush=True)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        svc.cleanup()
