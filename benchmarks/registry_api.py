"""How fast the registry API answers on a large registry, against plain SQL and a trivial
endpoint of the same app (the figures of issue 6).

    .venv/bin/python benchmarks/registry_api.py [--people 100000] [--workers 2]
        [--requests 200] [--throughput-requests 2000] [--concurrency 16] [--reseed]

The database is ``DATABASE_URL`` (e.g. postgresql://user@127.0.0.1/bench) or, without it, a
SQLite file under ``--dir`` (default: a folder in /tmp, kept between runs). The script
creates the tables if they are missing, seeds ``--people`` synthetic people when the
registry holds fewer (``flask demo seed``; ``--reseed`` starts from an empty database), and
creates a member with an API token. Then it starts gunicorn on 127.0.0.1 (sync workers,
the production configuration, rate limits raised so they never trigger but still run) and
measures, in the same run:

1. p50 and p95 latency (sequential requests) of ``/api/v1/registry`` with
   standard+sector+country filters, and of ``/api/v1/eligible`` for a common scope (the
   most frequent country); and of plain SQL fetching the same rows (the total and the same
   first page of people, checked equal) on a direct connection to the same database, as a
   ratio (goal: within 3x). The plain SQL is written two ways (joins with DISTINCT, and IN
   sub-queries) and the faster is the baseline;
2. ``/api/v1/eligibility`` throughput at ``--concurrency`` connections (separate client
   processes, so the client is not the bottleneck) against ``/healthz`` under the same
   gunicorn, as a ratio (goal: at least 0.5).

It prints a table; it is not a test. Every request goes to 127.0.0.1 and their number is
bounded by the options.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STANDARD, SECTOR = "PS", "aluminium-smelting"
MEMBER_EMAIL = "benchmark-member@example.invalid"

# The same rows in plain SQL, written two ways (joins with DISTINCT; IN sub-queries); the
# faster is the baseline.
# The people with an active scope, joined or by IN sub-queries.
SCOPED_JOINS = """
FROM registry_profiles p
JOIN users u ON u.id = p.user_id
JOIN accreditations a ON a.profile_id = p.id
JOIN accreditation_scopes s ON s.accreditation_id = a.id
WHERE p.public = :yes AND a.status = 'active' AND a.valid_until >= :day
  AND s.standard = :standard AND s.sector = :sector AND s.status = 'active'
  AND CAST(a.countries AS TEXT) LIKE :country
"""
SCOPED_IN = """
FROM registry_profiles p JOIN users u ON u.id = p.user_id
WHERE p.public = :yes AND p.id IN (
  SELECT a.profile_id FROM accreditations a
  WHERE a.status = 'active' AND a.valid_until >= :day AND CAST(a.countries AS TEXT) LIKE :country
    AND a.id IN (SELECT s.accreditation_id FROM accreditation_scopes s
                 WHERE s.standard = :standard AND s.sector = :sector AND s.status = 'active'))
"""
# The registry also lists a role held for the whole scheme (a specialist:
# ``Scheme.unscoped_roles``) under any scope; {unscoped} is filled with those roles.
SCOPE_JOINS = """
FROM registry_profiles p
JOIN users u ON u.id = p.user_id
JOIN accreditations a ON a.profile_id = p.id
LEFT JOIN accreditation_scopes s ON s.accreditation_id = a.id
  AND s.standard = :standard AND s.sector = :sector AND s.status = 'active'
WHERE p.public = :yes AND a.status = 'active' AND a.valid_until >= :day
  AND (s.id IS NOT NULL OR a.role IN ({unscoped}))
  AND CAST(a.countries AS TEXT) LIKE :country
"""
SCOPE_IN = """
FROM registry_profiles p JOIN users u ON u.id = p.user_id
WHERE p.public = :yes AND (p.id IN (
  SELECT a.profile_id FROM accreditations a
  WHERE a.status = 'active' AND a.valid_until >= :day AND CAST(a.countries AS TEXT) LIKE :country
    AND a.id IN (SELECT s.accreditation_id FROM accreditation_scopes s
                 WHERE s.standard = :standard AND s.sector = :sector AND s.status = 'active'))
  OR p.id IN (SELECT a.profile_id FROM accreditations a
              WHERE a.status = 'active' AND a.valid_until >= :day
                AND CAST(a.countries AS TEXT) LIKE :country AND a.role IN ({unscoped})))
"""
TRAINED = """
  AND EXISTS (SELECT 1 FROM certificates c JOIN courses k ON k.id = c.course_id
              WHERE c.user_id = p.user_id AND k.slug = 'asi-auditor' AND c.issued_on <= :day
                AND (c.expires_on IS NULL OR c.expires_on > :day) AND c.revoked_at IS NULL)
  AND EXISTS (SELECT 1 FROM certificates c JOIN courses k ON k.id = c.course_id
              WHERE c.user_id = p.user_id AND k.standard_code = :standard
                AND k.standard_version = :version AND c.issued_on <= :day
                AND (c.expires_on IS NULL OR c.expires_on > :day) AND c.revoked_at IS NULL)
"""
# Eligibility asks for an auditor's role: scoped roles only.
ELIGIBLE_JOINS = (
    SCOPED_JOINS.replace("a.status = 'active'", "a.role IN ('auditor', 'lead_auditor') AND "
                        "a.status = 'active' AND a.valid_from <= :day")
    .replace("s.status = 'active'", "s.status = 'active' AND s.version = :version")
    + TRAINED
)  # fmt: skip
ELIGIBLE_IN = (
    SCOPED_IN.replace("a.status = 'active'", "a.role IN ('auditor', 'lead_auditor') AND "
                     "a.status = 'active' AND a.valid_from <= :day")
    .replace("s.status = 'active'", "s.status = 'active' AND s.version = :version")
    + TRAINED
)  # fmt: skip


def plain_sql(where: str, distinct: bool, unscoped: list[str]) -> tuple[str, str]:
    """(count, page): the total and the first page of 20 people, by name."""
    where = where.format(unscoped=", ".join(f"'{role}'" for role in unscoped) or "NULL")
    if distinct:
        count = f"SELECT COUNT(DISTINCT p.id) {where}"
        columns = "DISTINCT p.registry_id, u.name"
    else:
        count = f"SELECT COUNT(*) {where}"
        columns = "p.registry_id, u.name"
    page = f"SELECT {columns} {where} ORDER BY u.name, p.registry_id LIMIT 20"
    return count, page


# Preparing the database


def prepare(people: int, reseed: bool) -> dict:
    """Create, seed and analyse the database; make a member's token; pick the scope."""
    from sqlalchemy import func, select

    from educational import create_app
    from educational.accounts import services as accounts
    from educational.accreditation.models import Accreditation, RegistryProfile
    from educational.api import tokens
    from educational.catalog.scheme import current_scheme
    from educational.core.db import db
    from educational.core.db import today as db_today
    from educational.core.permissions import Role
    from educational.demo.seed import analyze, seed_registry
    from educational.registry.holders import eligible_holders

    app = create_app()
    with app.app_context():
        if reseed:
            db.drop_all()
        db.create_all()
        have = db.session.scalar(select(func.count()).select_from(RegistryProfile))
        if have < people:
            print(f"seeding {people - have} people...", flush=True)
            report = seed_registry(people - have)
            db.session.commit()
            analyze()
            db.session.commit()
            print(report.lines()[0], flush=True)
        user = accounts.find_user_by_email(MEMBER_EMAIL)
        if user is None:
            user = accounts.create_user(
                MEMBER_EMAIL, secrets.token_urlsafe(16), "Benchmark Member", role=Role.MEMBER,
                confirmed=True,
            )  # fmt: skip
            db.session.flush()
        for token in tokens.tokens_of(user):
            if token.active:
                tokens.revoke_token(user, token.id)
        secret = tokens.create_token(user, "benchmark").secret
        db.session.commit()
        scheme = current_scheme()
        version = scheme.standards[STANDARD].versions[-1].version
        today = db_today()
        # The most common country among the people with that scope: a "common scope".
        counts: dict[str, int] = {}
        for countries in db.session.scalars(
            select(Accreditation.countries).where(Accreditation.status == "active")
        ):
            for country in countries:
                counts[country] = counts.get(country, 0) + 1
        country = max(counts, key=counts.get)
        eligible = eligible_holders("auditor", STANDARD, SECTOR, country, today, scheme=scheme)
        total = db.session.scalar(select(func.count()).select_from(RegistryProfile))
        return {
            "token": secret,
            "unscoped": list(scheme.unscoped_roles),
            "country": country,
            "version": version,
            "today": today.isoformat(),
            "registry_id": eligible[0].holder.registry_id if eligible else "ASI-000001",
            "people": total,
            "dialect": db.engine.dialect.name,
            "url": app.config["SQLALCHEMY_DATABASE_URI"],
        }


# gunicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(workers: int, port: int, environment: dict) -> subprocess.Popen:
    env = {
        **os.environ,
        **environment,
        "EDUCATIONAL_ENV": "production",
        "EDUCATIONAL_SECRET_KEY": secrets.token_hex(32),
        "EDUCATIONAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "EDUCATIONAL_API_RATE_ANONYMOUS": "1000000 per minute",
        "EDUCATIONAL_API_RATE_MEMBER": "1000000 per minute",
        # Several workers with per-process limits: gunicorn.conf.py refuses that.
        "EDUCATIONAL_RATELIMIT_ENABLED": "false",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def request(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# Measuring


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def endpoint_latency(port: int, path: str, headers: dict, count: int) -> tuple[list, dict]:
    status, body = request(port, path, headers)  # warm-up, and the answer to compare
    if status != 200:
        raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        status, _body = request(port, path, headers)
        samples.append(time.perf_counter() - started)
        assert status == 200
    return samples, json.loads(body)


def sql_latency(url: str, sql: tuple[str, str], values: dict, count: int) -> tuple[list, list]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    samples = []
    with engine.connect() as connection:
        rows = []
        for run in range(count + 1):
            started = time.perf_counter()
            total = connection.execute(text(sql[0]), values).scalar()
            rows = connection.execute(text(sql[1]), values).all()
            if run:  # the first run warms the cache, as the endpoint's did
                samples.append(time.perf_counter() - started)
    engine.dispose()
    return samples, [total, [row[0] for row in rows]]


def _hammer(port: int, path: str, headers: dict, count: int) -> tuple[float, float, int]:
    started = time.time()
    failures = 0
    for _ in range(count):
        status, _body = request(port, path, headers)
        failures += status != 200
    return started, time.time(), failures


def throughput(port: int, path: str, headers: dict, total: int, concurrency: int) -> float:
    per_client = max(1, total // concurrency)
    with ProcessPoolExecutor(concurrency) as pool:
        # Start the client processes first, so their start-up is not counted.
        list(pool.map(_hammer, [port] * concurrency, ["/healthz"] * concurrency,
                      [{}] * concurrency, [1] * concurrency))  # fmt: skip
        results = list(
            pool.map(
                _hammer,
                [port] * concurrency,
                [path] * concurrency,
                [headers] * concurrency,
                [per_client] * concurrency,
            )
        )
    failures = sum(r[2] for r in results)
    if failures:
        raise SystemExit(f"{path}: {failures} requests failed")
    elapsed = max(r[1] for r in results) - min(r[0] for r in results)
    return per_client * concurrency / elapsed


def run_on(kind: str, name: str, args: list[str]) -> None:
    """This script again, on ``kind``'s database (on PostgreSQL: the database ``name``)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if kind == "postgresql":
        from sqlalchemy import create_engine, text

        server = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
        )
        admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        env["DATABASE_URL"] = f"{server}/{name}"
    subprocess.run([sys.executable, __file__, *args], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 9))
    parser.add_argument("--requests", type=int, default=200, help="per latency figure")
    parser.add_argument("--throughput-requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "registry-bench"))
    parser.add_argument("--reseed", action="store_true", help="start from an empty database")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql", "both"],
        help="run on the SQLite file, on the database bench_<--dir's name> of "
        "BENCH_POSTGRES_URL's server (created when missing, kept between runs), or both "
        "one after the other "
        "(default: DATABASE_URL, else the SQLite file)",
    )
    options = parser.parse_args()
    if options.db:
        for kind in ("sqlite", "postgresql") if options.db == "both" else (options.db,):
            name = "bench_" + re.sub(r"\W", "_", Path(options.dir).name)
            run_on(kind, name, [a for a in sys.argv[1:] if a not in ("--db", options.db)])
        return
    environment = {}
    if not os.environ.get("DATABASE_URL"):
        Path(options.dir).mkdir(parents=True, exist_ok=True)
        environment["DATABASE_URL"] = f"sqlite:///{Path(options.dir) / 'registry.sqlite'}"
    os.environ.update(environment)
    os.environ.setdefault("EDUCATIONAL_ENV", "development")
    info = prepare(options.people, options.reseed)
    headers = {"Authorization": f"Bearer {info['token']}"}
    scope = {"standard": STANDARD, "sector": SECTOR, "country": info["country"]}
    registry_path = "/api/v1/registry?" + urlencode(scope)
    eligible_path = "/api/v1/eligible?" + urlencode({"role": "auditor", **scope})
    eligibility_path = "/api/v1/eligibility?" + urlencode(
        {"registry_id": info["registry_id"], "role": "auditor", **scope}
    )
    values = {
        "yes": True,
        "day": info["today"],
        "standard": STANDARD,
        "sector": SECTOR,
        "version": info["version"],
        "country": f'%"{info["country"]}"%',
    }
    port = free_port()
    server = start_gunicorn(options.workers, port, environment)
    try:
        rows = []
        for label, path, joins, nested in (
            ("registry", registry_path, SCOPE_JOINS, SCOPE_IN),
            ("eligible", eligible_path, ELIGIBLE_JOINS, ELIGIBLE_IN),
        ):
            api, answer = endpoint_latency(port, path, headers, options.requests)
            best = None
            for sql in (
                plain_sql(joins, distinct=True, unscoped=info["unscoped"]),
                plain_sql(nested, distinct=False, unscoped=info["unscoped"]),
            ):
                samples, (total, ids) = sql_latency(info["url"], sql, values, options.requests)
                same = answer["total"] == total
                same = same and [i["registry_id"] for i in answer["items"]] == ids
                if best is None or percentiles(samples)[0] < best[0][0]:
                    best = (percentiles(samples), total, same)
            rows.append((label, path, percentiles(api), *best))
        health = throughput(port, "/healthz", {}, options.throughput_requests, options.concurrency)
        eligibility = throughput(
            port, eligibility_path, headers, options.throughput_requests, options.concurrency
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(
        f"{info['dialect']}, {info['people']:,} people; gunicorn {options.workers} sync "
        f"workers on 127.0.0.1; {options.requests} sequential requests per latency figure"
    )
    header = f"{'':<10} {'rows':>6} {'API p50':>9} {'p95':>8} {'SQL p50':>9} {'p95':>8} "
    print(header + f"{'x p50':>7} {'x p95':>7}  same rows")
    for label, _path, (a50, a95), (s50, s95), total, same in rows:
        print(
            f"{label:<10} {total:>6} {a50 * 1000:>7.1f}ms {a95 * 1000:>6.1f}ms "
            f"{s50 * 1000:>7.1f}ms {s95 * 1000:>6.1f}ms {a50 / s50:>7.2f} {a95 / s95:>7.2f}  "
            f"{'yes' if same else 'NO'}"
        )
    print(f"  registry: {registry_path}")
    print(f"  eligible: {eligible_path}")
    print(
        f"\nthroughput at {options.concurrency} connections "
        f"({options.throughput_requests} requests per endpoint):"
    )
    print(f"  /healthz             {health:>8.0f} req/s")
    print(f"  /api/v1/eligibility  {eligibility:>8.0f} req/s   ratio {eligibility / health:.2f}")


if __name__ == "__main__":
    main()
