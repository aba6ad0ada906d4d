"""Exam load against gunicorn on 127.0.0.1, in two shapes, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/quiz_load.py [--quick] [--learners 300]
        [--scenario realistic|burst|both] [--db sqlite|postgresql|both]
        [--database-url URL] [--workers 4] [--think-scale 1.0]

realistic  The exam as it really arrives: the learners log in over two minutes, open the
           final exam (20 questions drawn, a 45-minute limit), think 5 to 30 s over each
           question (seeded random), autosave each answer, submit and read the review.
           Prints p50/p95/max of every kind of request; the goal is p95 < 250 ms for each.
           About 10 minutes a run; --think-scale 0.1 shrinks the log-in spread and every
           think time tenfold, for a quick check (not the reported figure).
burst      The worst second: every learner, logged in beforehand, starts in the same second,
           answers the 20 questions with no pause and submits. Prints p50/p95 of start,
           answer and submit, and the answer-save throughput next to the throughput of
           /healthz (SELECT 1, no session) measured right after by the same client at the
           same concurrency (goal: ratio >= 0.5).

--quick: 30 learners and --think-scale 0.1 (a minute or two). --database-url runs on that
database (empty; the schema, courses and learners are put in) instead of a throwaway one,
e.g. postgresql://postgres@127.0.0.1:5432/mybench; --db is then ignored. A lost answer is
one the server acknowledged (200/204) that is not in the database afterwards.
BENCH_APP_ROOT measures another checkout (an older commit) with this script."""

import argparse
import asyncio
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import app_environment, database, gunicorn, machine, percentile
from exam import (  # noqa: F401 (COURSE, CSRF, EXAM, PASSWORD, answers_from_page: fault_load.py)
    COURSE,
    CSRF,
    EXAM,
    PASSWORD,
    Learner,
    Refused,
    Results,
    answers_from_page,
    normalise,
    prepare,
)

#: The realistic exam's request kinds, in the order a learner makes them.
REALISTIC_KINDS = (
    "login page", "login", "home", "quiz page", "start", "attempt page", "answer", "submit",
    "review",
)  # fmt: skip
BURST_KINDS = ("start", "attempt page", "answer", "submit")
GOAL_P95 = 0.250
GOAL_RATIO = 0.5
LOGIN_SECONDS = 120.0
THINK = (5.0, 30.0)


def client(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, timeout=120)


async def burst_learner(index: int, base: str, start_at: float, results: Results) -> None:
    async with client(base) as http:
        learner = Learner(index, http, results)
        try:
            await learner.log_in(timed=False, follow=False)
            await learner.open_quiz(timed=False)
            await asyncio.sleep(max(0.0, start_at - time.monotonic()))
            await learner.start()
            for position in sorted(learner.answers):
                await learner.answer(position)
            await learner.submit(review=False)
        except Refused:
            pass
        except httpx.HTTPError as error:
            results.errors.append(f"{type(error).__name__}: {error}")


async def realistic_learner(
    index: int, base: str, began: float, scale: float, results: Results
) -> None:
    rng = random.Random(10_000 + index)
    low, high = THINK[0] * scale, THINK[1] * scale
    arrival = rng.uniform(0, LOGIN_SECONDS * scale)
    await asyncio.sleep(max(0.0, began + arrival - time.monotonic()))
    async with client(base) as http:
        learner = Learner(index, http, results)
        try:
            await learner.log_in()
            await learner.open_quiz()
            await asyncio.sleep(rng.uniform(1, 5) * scale)  # reads the rules, presses Start
            await learner.start()
            for position in sorted(learner.answers):
                await asyncio.sleep(rng.uniform(low, high))
                await learner.answer(position)
            await asyncio.sleep(rng.uniform(low, high))  # looks the answers over
            await learner.submit()
        except Refused:
            pass
        except httpx.HTTPError as error:
            results.errors.append(f"{type(error).__name__}: {error}")


async def healthz_throughput(base: str, clients: int, requests: int) -> float:
    """Requests per second of /healthz: ``clients`` concurrent clients, each as a learner's
    (one connection, requests one after the other), ``requests`` in all."""
    each = max(1, requests // clients)

    async def one() -> None:
        async with client(base) as http:
            for _ in range(each):
                (await http.get("/healthz")).raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return clients * each / (time.perf_counter() - started)


async def run_burst(base: str, learners: int) -> tuple[Results, float, float]:
    results = Results()
    start_at = time.monotonic() + 5  # every learner logs in first, then all start together
    started = time.perf_counter()
    await asyncio.gather(*(burst_learner(i, base, start_at, results) for i in range(learners)))
    seconds = time.perf_counter() - started
    healthz = await healthz_throughput(base, learners, max(len(results.acknowledged), learners))
    return results, seconds, healthz


async def run_realistic(base: str, learners: int, scale: float) -> tuple[Results, float]:
    results = Results()
    began = time.monotonic()
    started = time.perf_counter()
    await asyncio.gather(
        *(realistic_learner(i, base, began, scale, results) for i in range(learners))
    )
    return results, time.perf_counter() - started


def lost_answers(database_url: str, acknowledged: list[tuple[int, int]]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise(database_url))
    with engine.connect() as connection:
        saved = {
            (row.attempt_id, row.position)
            for row in connection.execute(
                text("SELECT attempt_id, position FROM attempt_slots WHERE answer IS NOT NULL")
            )
        }
    engine.dispose()
    return sum(1 for key in acknowledged if key not in saved)


@contextmanager
def given_database(url: str):
    yield url


def bench(kind: str, scenario: str, options: argparse.Namespace) -> dict:
    fresh = given_database(options.database_url) if options.database_url else database(kind)
    with fresh as url:
        prepare(url, options.learners)
        with gunicorn(app_environment(url), workers=options.workers) as (base, _process):
            healthz = None
            if scenario == "burst":
                results, seconds, healthz = asyncio.run(run_burst(base, options.learners))
            else:
                results, seconds = asyncio.run(
                    run_realistic(base, options.learners, options.think_scale)
                )
        lost = lost_answers(url, results.acknowledged)
    return {"kind": kind, "results": results, "seconds": seconds, "lost": lost, "healthz": healthz}


def timing(values: list[float]) -> str:
    if not values:
        return "—"
    p50, p95 = percentile(values, 50), percentile(values, 95)
    p50, p95, top = 1000 * p50, 1000 * p95, 1000 * max(values)
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {top:7.1f} ms  n={len(values)}"


def report(outcome: dict, scenario: str, options: argparse.Namespace) -> list[str]:
    results: Results = outcome["results"]
    scale = options.think_scale
    if scenario == "burst":
        shape = "start in the same second, answer with no pause"
    else:
        low, high = THINK[0] * scale, THINK[1] * scale
        shape = f"log-ins over {LOGIN_SECONDS * scale:g} s, {low:g}-{high:g} s of thinking"
    title = "exam load" if scenario == "burst" else "realistic exam"
    lines = [
        f"{title} on {outcome['kind']}: {options.learners} learners, {shape}, "
        f"gunicorn {options.workers} sync workers, {outcome['seconds']:.1f} s",
        f"  attempts started {results.attempts}, answers acknowledged {len(results.acknowledged)}, "
        f"errors {len(results.errors)}, lost answers {outcome['lost']}",
    ]
    kinds = BURST_KINDS if scenario == "burst" else REALISTIC_KINDS
    for kind in kinds:
        lines.append(f"  {kind:13} {timing(results.latencies[kind])}")
    if scenario == "burst":
        answers, healthz = results.answer_throughput(), outcome["healthz"]
        ratio = answers / healthz if healthz else 0.0
        lines.append(
            f"  answer-save throughput {answers:.0f} req/s, /healthz {healthz:.0f} req/s "
            f"(same client, {options.learners} concurrent), ratio {ratio:.2f} "
            f"(goal >= {GOAL_RATIO})"
        )
    else:
        measured = [k for k in kinds if results.latencies[k]]
        slowest = max(measured, key=lambda k: percentile(results.latencies[k], 95), default="-")
        p95 = percentile(results.latencies[slowest], 95) if measured else float("nan")
        verdict = "met" if p95 < GOAL_P95 and not results.errors else "NOT met"
        note = "" if scale == 1 else f" (think time x{scale:g}: not the reported figure)"
        lines.append(
            f"  slowest p95: {slowest} {p95 * 1000:.1f} ms; "
            f"goal p95 < {GOAL_P95 * 1000:.0f} ms for every request: {verdict}{note}"
        )
    if results.errors:
        lines.append(f"  first errors: {results.errors[:5]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 learners, --think-scale 0.1")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--scenario", choices=["realistic", "burst", "both"], default="both")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", help="an empty database to run on, instead of --db")
    parser.add_argument(
        "--think-scale", type=float, help="multiplies the log-in spread and think times"
    )
    options = parser.parse_args()
    options.learners = options.learners or (30 if options.quick else 300)
    if options.think_scale is None:
        options.think_scale = 0.1 if options.quick else 1.0
    if options.database_url:
        scheme = options.database_url.split(":", 1)[0]
        kinds = ["postgresql" if scheme.startswith("postgres") else scheme.split("+")[0]]
    else:
        kinds = ["sqlite", "postgresql"] if options.db == "both" else [options.db]
    scenarios = ["realistic", "burst"] if options.scenario == "both" else [options.scenario]
    if options.database_url and len(scenarios) > 1:
        parser.error("--database-url takes one --scenario (the learners are inserted once)")
    print(f"machine: {machine()}")
    for kind in kinds:
        for scenario in scenarios:
            for line in report(bench(kind, scenario, options), scenario, options):
                print(line, flush=True)


if __name__ == "__main__":
    main()
