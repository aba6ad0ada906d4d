"""Shared pieces of the benchmarks: a throwaway database, a gunicorn server on 127.0.0.1,
and percentiles. Everything runs on this machine; nothing is sent anywhere else."""

import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The checkout whose app the benchmarks set up and serve (flask, gunicorn): this one, or
#: BENCH_APP_ROOT, to measure another (an older commit, from git archive) with these scripts.
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT") or ROOT).resolve()
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    python = platform.python_version()
    return f"{platform.node()} {platform.machine()}, {cpus} cores{memory}, Python {python}"


@contextmanager
def database(kind: str, server: str | None = None):
    """A fresh database URL: a SQLite file in a temporary folder, or a new database on the
    PostgreSQL server ``server``, by default the one named by BENCH_POSTGRES_URL (default:
    postgresql://postgres@127.0.0.1:5432)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite"
        return
    from sqlalchemy import create_engine, text

    server = server or os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
    )
    name = f"educational_bench_{uuid.uuid4().hex[:8]}"
    # pre-ping: a fault run restarts the server in between.
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # A deployed app runs from cached bytecode (pip compiles the packages; the app's own
    # __pycache__ is written on its first start). This machine's shell sets
    # PYTHONDONTWRITEBYTECODE, which made every command compile ~270 modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "EDUCATIONAL_ENV": "production",
            "EDUCATIONAL_SECRET_KEY": "benchmark-only-secret-of-32-bytes-or-more",
            # gunicorn() sets the port; the flask commands need the host only.
            "EDUCATIONAL_PUBLIC_URL": "http://127.0.0.1",
            "EDUCATIONAL_SESSION_COOKIE_SECURE": "false",
            "EDUCATIONAL_REMEMBER_COOKIE_SECURE": "false",
            # The load comes from one address; the log-in limit would refuse it.
            "EDUCATIONAL_RATELIMIT_ENABLED": "false",
            "DATABASE_URL": database_url,
        }
    )
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 4, threads: int = 1, log=None):
    """gunicorn on a free port of 127.0.0.1; its output goes to ``log`` (a file) if given."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Links point to where the server answers; requests for other hosts get 400.
    env = {**env, "EDUCATIONAL_PUBLIC_URL": base}
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers", str(workers),
            "--threads", str(threads),
            "--bind", f"127.0.0.1:{port}",
            "--backlog", "2048",
            "--timeout", "120",
            "--log-level", "warning",
            "wsgi:app",
        ],
        cwd=APP_ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )  # fmt: skip
    try:
        wait_until_up(base)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(base: str, seconds: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server at {base} did not come up")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    if not values:
        return "—"
    return (
        f"p50 {percentile(values, 50) * 1000:7.1f} ms  p95 {percentile(values, 95) * 1000:7.1f} ms"
        f"  mean {statistics.fmean(values) * 1000:7.1f} ms  n={len(values)}"
    )
