"""Rate limits hold with several gunicorn workers: on Redis the workers share one budget,
and production refuses to start several workers whose limits are kept in memory.

The app is served by gunicorn from the repository root, so gunicorn.conf.py applies, with
the helpers the benchmarks and tests/fault use (benchmarks/common.py)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from educational import create_app
from educational.core.db import db
from tests.builders.people import CSRF_RE

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import BIN, app_environment, free_port, gunicorn  # noqa: E402

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server")
    return client


def database(tmp_path) -> str:
    """A SQLite database with the schema (as the models define it)."""
    url = f"sqlite:///{tmp_path / 'limits.sqlite'}"
    app = create_app({"ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


def production_environment(tmp_path, port: int, **extra: str) -> dict[str, str]:
    return app_environment(
        database(tmp_path),
        EDUCATIONAL_SECRET_KEY="shared-limits-test-" + "k" * 32,
        EDUCATIONAL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        EDUCATIONAL_RATELIMIT_ENABLED="true",
        EDUCATIONAL_CREDENTIAL_KEY_PATH=str(tmp_path / "credential-key.pem"),
        EDUCATIONAL_EVIDENCE_PATH=str(tmp_path / "evidence"),
        **extra,
    )


@pytest.mark.redis
@pytest.mark.slow
def test_two_workers_on_redis_share_one_login_budget(tmp_path):
    store = redis_client()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    port = free_port()
    env = production_environment(
        tmp_path,
        port,
        EDUCATIONAL_RATELIMIT_STORAGE_URI=REDIS_URL,
        EDUCATIONAL_RATELIMIT_KEY_PREFIX=prefix,
        EDUCATIONAL_LOGIN_LIMIT="5 per minute",
    )
    try:
        with (
            (tmp_path / "gunicorn.log").open("w") as log,
            gunicorn(env, workers=2, log=log) as (
                base,
                _process,
            ),
        ):
            page = httpx.get(f"{base}/login")
            data = {
                "csrf_token": CSRF_RE.search(page.text).group(1),
                "email": "nobody@example.org",
                "password": "not the password",
            }
            # Each attempt on a new connection, so that both workers take some.
            statuses = [
                httpx.post(f"{base}/login", data=data, cookies=page.cookies).status_code
                for _ in range(8)
            ]
    finally:
        keys = list(store.scan_iter(f"*{prefix}*"))
        if keys:
            store.delete(*keys)
    assert statuses == [200] * 5 + [429] * 3, (tmp_path / "gunicorn.log").read_text()
    assert keys, "the limiter wrote nothing to Redis"


def test_production_refuses_several_workers_with_limits_kept_in_memory(tmp_path):
    port = free_port()
    env = production_environment(tmp_path, port, EDUCATIONAL_RATELIMIT_STORAGE_URI="memory://")
    command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    process = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode != 0
    assert "EDUCATIONAL_RATELIMIT_STORAGE_URI=redis://" in process.stderr
    # The app itself, which cannot count workers, warns at every start.
    assert "RATE LIMITS ARE KEPT PER PROCESS" in process.stderr


def test_production_warns_at_start_when_limits_are_kept_in_memory(tmp_path, caplog):
    config = {
        "ENV": "production",
        "SECRET_KEY": "k" * 64,
        "PUBLIC_URL": "https://training.example.org",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite'}",
        "CREDENTIAL_KEY_PATH": str(tmp_path / "credential-key.pem"),
        "EVIDENCE_PATH": str(tmp_path / "evidence"),
    }
    create_app(config)
    assert "EDUCATIONAL_RATELIMIT_STORAGE_URI=redis://" in caplog.text
    caplog.clear()
    create_app({**config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14"})
    assert "RATE LIMITS" not in caplog.text
