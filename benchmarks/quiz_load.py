"""Exam load: N learners each start the final exam within the same second, answer its 20
questions one by one (the page's autosave requests) and submit, against gunicorn on
127.0.0.1. Prints errors, lost answers and p50/p95 latency of start, answer and submit.

    .venv/bin/python benchmarks/quiz_load.py [--learners 300] [--db sqlite|postgresql|both]

A lost answer is one the server acknowledged (200) that is not in the database afterwards.
The learners' accounts and enrolments are inserted directly; the load itself goes through
HTTP exactly as a browser would (log-in form with CSRF, start, page, answers, submit)."""

import argparse
import asyncio
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import app_environment, database, flask, gunicorn, machine, summary_ms

COURSE, EXAM = "asi-auditor", "final-exam"
PASSWORD = "benchmark password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def prepare(
    database_url: str,
    learners: int,
    *,
    time_cost: int | None = None,
    memory_cost: int | None = None,
) -> None:
    """Schema, courses, and ``learners`` enrolled learners (one password hash, bulk insert).
    ``time_cost`` and ``memory_cost`` make that hash cheaper (argon2's defaults otherwise);
    the app must then be given the same ARGON2_* settings, or it rehashes at each log-in."""
    env = app_environment(database_url)
    flask(env, "db", "upgrade")
    flask(env, "courses", "sync")
    from sqlalchemy import create_engine, select, text

    from educational import create_app
    from educational.catalog.models import Course
    from educational.core.security import Passwords

    app = create_app({"ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    password_hash = Passwords(time_cost, memory_cost).hasher.hash(PASSWORD)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as connection:
        course_id = connection.execute(select(Course.id).where(Course.slug == COURSE)).scalar_one()
        now = "2026-01-01 00:00:00"
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, name, role, timezone, locale, "
                "email_confirmed_at, created_at, active) VALUES "
                "(:email, :hash, :name, 'learner', 'UTC', 'en', :now, :now, :active)"
            ),
            [
                {
                    "email": f"load{i}@example.org",
                    "hash": password_hash,
                    "name": f"Load Learner {i}",
                    "now": now,
                    "active": True,
                }
                for i in range(learners)
            ],
        )
        connection.execute(
            text(
                "INSERT INTO enrolments (user_id, course_id, enrolled_at, language) "
                "SELECT id, :course, :now, 'en' FROM users WHERE email LIKE 'load%'"
            ),
            {"course": course_id, "now": now},
        )
    engine.dispose()


class FormReader(HTMLParser):
    """The answerable fields of an attempt page: name -> possible values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = defaultdict(list)
        self.kinds: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name", "")
        if tag == "input" and re.fullmatch(r"q\d+", name):
            self.kinds[name] = attrs.get("type", "text")
            self.fields[name].append(attrs.get("value", ""))
        elif tag == "select" and re.fullmatch(r"q\d+\.[\w-]+", name):
            self._select = name
            self.kinds[name] = "select"
        elif tag == "option" and self._select and attrs.get("value"):
            self.fields[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def answers_from_page(page: str, rng: random.Random) -> dict[int, dict[str, str]]:
    """A plausible answer for every question: position -> form fields."""
    reader = FormReader()
    reader.feed(page)
    by_position: dict[int, dict[str, str]] = defaultdict(dict)
    for name, values in reader.fields.items():
        position = int(name[1:].split(".")[0])
        kind = reader.kinds[name]
        if kind == "text":
            by_position[position][name] = str(rng.randint(1, 12))
        else:
            by_position[position][name] = rng.choice(values)
    return by_position


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    #: (attempt id, position) of every answer the server acknowledged.
    acknowledged: list[tuple[int, int]] = field(default_factory=list)
    attempts: int = 0


async def timed(results: Results, kind: str, request):
    started = time.perf_counter()
    response = await request
    results.latencies[kind].append(time.perf_counter() - started)
    return response


async def learner(index: int, base: str, start_at: float, results: Results) -> None:
    rng = random.Random(index)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        try:
            page = (await client.get("/login")).text
            token = CSRF.search(page).group(1)
            response = await client.post(
                "/login",
                data={
                    "email": f"load{index}@example.org",
                    "password": PASSWORD,
                    "csrf_token": token,
                },
            )
            if response.status_code != 302:
                results.errors.append(f"login {response.status_code}")
                return
            page = (await client.get(f"/courses/{COURSE}/quizzes/{EXAM}")).text
            token = CSRF.search(page).group(1)
            await asyncio.sleep(max(0.0, start_at - time.monotonic()))
            response = await timed(
                results,
                "start",
                client.post(f"/courses/{COURSE}/quizzes/{EXAM}/start", data={"csrf_token": token}),
            )
            location = response.headers.get("location", "")
            if response.status_code != 302 or "/attempts/" not in location:
                results.errors.append(f"start {response.status_code}")
                return
            attempt_id = int(location.rstrip("/").rsplit("/", 1)[1])
            results.attempts += 1
            page = (await timed(results, "page", client.get(location))).text
            token = CSRF.search(page).group(1)
            for position, fields in sorted(answers_from_page(page, rng).items()):
                response = await timed(
                    results,
                    "answer",
                    client.post(
                        f"/attempts/{attempt_id}/answer",
                        data={"position": str(position), **fields},
                        headers={"X-CSRFToken": token},
                    ),
                )
                if response.status_code == 200:
                    results.acknowledged.append((attempt_id, position))
                else:
                    results.errors.append(f"answer {response.status_code}")
            response = await timed(
                results,
                "submit",
                client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}),
            )
            if response.status_code != 302:
                results.errors.append(f"submit {response.status_code}")
        except (httpx.HTTPError, AttributeError) as error:
            results.errors.append(f"{type(error).__name__}: {error}")


async def run_load(base: str, learners: int) -> tuple[Results, float]:
    results = Results()
    start_at = time.monotonic() + 5  # every learner logs in first, then all start together
    started = time.perf_counter()
    await asyncio.gather(*(learner(i, base, start_at, results) for i in range(learners)))
    return results, time.perf_counter() - started


def lost_answers(database_url: str, acknowledged: list[tuple[int, int]]) -> int:
    from sqlalchemy import create_engine, text

    from educational.core.db import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        saved = {
            (row.attempt_id, row.position)
            for row in connection.execute(
                text("SELECT attempt_id, position FROM attempt_slots WHERE answer IS NOT NULL")
            )
        }
    engine.dispose()
    return sum(1 for key in acknowledged if key not in saved)


def bench(kind: str, learners: int, workers: int) -> dict:
    with database(kind) as url:
        prepare(url, learners)
        with gunicorn(app_environment(url), workers=workers) as (base, _process):
            results, seconds = asyncio.run(run_load(base, learners))
        lost = lost_answers(url, results.acknowledged)
    return {"kind": kind, "results": results, "seconds": seconds, "lost": lost}


def report(outcome: dict, learners: int, workers: int) -> list[str]:
    results: Results = outcome["results"]
    lines = [
        f"exam load on {outcome['kind']}: {learners} learners, gunicorn {workers} sync workers, "
        f"{outcome['seconds']:.1f} s",
        f"  attempts started {results.attempts}, answers acknowledged {len(results.acknowledged)}, "
        f"errors {len(results.errors)}, lost answers {outcome['lost']}",
    ]
    for kind in ("start", "page", "answer", "submit"):
        lines.append(f"  {kind:7} {summary_ms(results.latencies[kind])}")
    if results.errors:
        lines.append(f"  first errors: {results.errors[:5]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"machine: {machine()}")
    for kind in kinds:
        for line in report(bench(kind, args.learners, args.workers), args.learners, args.workers):
            print(line)


if __name__ == "__main__":
    main()
