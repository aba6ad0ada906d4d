"""How long the quiz statistics take: 10,000 attempts of 50 questions, made up.

    .venv/bin/python benchmarks/item_analysis.py [--attempts 10000] [--questions 50]
                                                 [--draw 40] [--no-database]
                                                 [--db sqlite|postgresql|both]

Learners get a random ability and questions a difficulty and a discrimination (a two-parameter
logistic model), so the discrimination indices come out realistic; two questions are made
bad on purpose (one unrelated to ability, one reversed). Each attempt draws ``--draw`` of the
questions at random, as pools do. The script prints the time of the statistics alone, then
fills a database (a SQLite file, a throwaway PostgreSQL database on BENCH_POSTGRES_URL's
server, or both one after the other) with the same attempts (executemany) and times the
report as its
page gets it (``reports.quiz_statistics``): cold (the matrix in one query, straight into
numpy, then the statistics), and again with nothing graded since (kept until an attempt is
graded: one aggregate query). The physical reference is the time plain SQL (the driver's
cursor) takes to fetch the same slot rows. It prints figures; it is not a test.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import database

from educational.quizzes import statistics


def synthetic(attempts: int, questions: int, draw: int, seed: int = 2026):
    """(scores matrix with NaN where not drawn, points, percents, passed)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(attempts, 1))
    difficulty = rng.normal(scale=1.2, size=questions)
    discrimination = rng.uniform(0.5, 2.0, size=questions)
    discrimination[:2] = (0.0, -1.0)  # the bad questions
    points = rng.choice([1.0, 2.0], size=questions, p=[0.8, 0.2])
    chance = 1 / (1 + np.exp(-discrimination * (ability - difficulty)))
    scores = (rng.random((attempts, questions)) < chance) * points
    # Each attempt draws ``draw`` questions: rank random keys and keep the lowest.
    keys = rng.random((attempts, questions))
    undrawn = keys.argsort(axis=1).argsort(axis=1) >= draw
    scores[undrawn] = np.nan
    earned = np.nansum(scores, axis=1)
    maximum = np.where(undrawn, 0.0, points).sum(axis=1)
    percents = np.round(100 * earned / maximum, 2)
    return scores, points, percents, percents >= 80


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def compute(scores, points, percents, passed):
    statistics.summarise_quiz(percents, passed)
    return statistics.analyse_items(scores, points)


def with_database(kind: str, scores, points, percents, passed) -> dict[str, float]:
    """Fill a fresh ``kind`` database; return the seconds to fill it, to fetch the slots by
    plain SQL, to load the matrix, to get the report cold and to get it again (cached)."""
    from sqlalchemy import insert

    from educational import create_app
    from educational.accounts.models import User
    from educational.catalog.models import Course, Question, Quiz
    from educational.core.db import db, utcnow
    from educational.quizzes import reports
    from educational.quizzes.models import Attempt, AttemptSlot

    attempts, questions = scores.shape
    with database(kind) as url:
        app = create_app(
            {
                "ENV": "testing",
                "TESTING": True,
                "SECRET_KEY": "benchmark",
                "SQLALCHEMY_DATABASE_URI": url,
            }
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            course = Course(
                slug="bench",
                title="Benchmark",
                version="1",
                language="en",
                languages=["en"],
                required_for=[],
                translations={},
                content_hash="b",
            )
            db.session.add(course)
            db.session.flush()
            keys = [f"q{j:02d}" for j in range(questions)]
            rows = [
                Question(
                    course_id=course.id,
                    key=key,
                    type="true_false",
                    points=float(points[j]),
                    text=key,
                    definition={"answer": True},
                    translations={},
                    content_hash=key,
                )
                for j, key in enumerate(keys)
            ]
            quiz = Quiz(
                course_id=course.id,
                name="exam",
                title="Benchmark exam",
                title_translations={},
                settings={"grading": "highest", "pass_mark": 80},
                pools=[{"id": "all", "questions": keys}],
                content_hash="q",
            )
            db.session.add_all([*rows, quiz])
            db.session.flush()
            question_ids = [row.id for row in rows]
            db.session.execute(
                insert(User),
                [
                    {"email": f"l{i}@example.org", "password_hash": "x", "name": f"L {i}"}
                    for i in range(1, attempts + 1)
                ],
            )
            now = utcnow()
            db.session.execute(
                insert(Attempt),
                [
                    {
                        "id": i + 1,
                        "user_id": i + 1,
                        "quiz_id": quiz.id,
                        "number": 1,
                        "state": "submitted",
                        "language": "en",
                        "started_at": now,
                        "submitted_at": now,
                        "max_score": 0.0,
                        "score": 0.0,
                        "percent": float(percents[i]),
                        "passed": bool(passed[i]),
                    }
                    for i in range(attempts)
                ],
            )
            drawn_rows, drawn_columns = np.nonzero(~np.isnan(scores))
            db.session.execute(
                insert(AttemptSlot),
                [
                    {
                        "attempt_id": int(i) + 1,
                        "position": int(j) + 1,
                        "question_id": question_ids[j],
                        "layout": {},
                        "answer": bool(scores[i, j]),
                        "score": float(scores[i, j]),
                    }
                    for i, j in zip(drawn_rows, drawn_columns, strict=True)
                ],
            )
            db.session.commit()
            filled = time.perf_counter() - started

            def plain_sql():
                cursor = db.session.connection().connection.cursor()
                sql = (
                    "SELECT s.attempt_id, s.question_id, s.score FROM attempt_slots s "
                    "JOIN attempts a ON s.attempt_id = a.id "
                    "WHERE a.quiz_id = ? AND a.state = 'submitted'"
                )
                # The drivers' own parameter styles: sqlite3's ?, psycopg's %s.
                cursor.execute(sql if kind == "sqlite" else sql.replace("?", "%s"), (quiz.id,))
                cursor.fetchall()
                cursor.close()

            def load():
                db.session.expire_all()
                return reports._load_matrix(quiz, "all")

            def cold():
                app.extensions.pop("quiz_statistics", None)
                db.session.expire_all()
                return reports.quiz_statistics(quiz, "all")

            def warm():
                db.session.expire_all()
                return reports.quiz_statistics(quiz, "all")

            figures = {
                "filled": filled,
                "plain": best_of(3, plain_sql),
                "loaded": best_of(3, load),
                "cold": best_of(3, cold),
            }
            figures["warm"] = best_of(3, warm)
            db.session.remove()
            db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--draw", type=int, default=40, help="questions drawn per attempt")
    parser.add_argument("--no-database", action="store_true", help="skip the database part")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = parser.parse_args()
    draw = min(args.draw, args.questions)
    scores, points, percents, passed = synthetic(args.attempts, args.questions, draw)
    print(f"{args.attempts} attempts x {args.questions} questions, {draw} drawn per attempt")

    analysis = compute(scores, points, percents, passed)
    seconds = best_of(5, lambda: compute(scores, points, percents, passed))
    print(f"statistics (numpy), best of 5:         {1000 * seconds:8.1f} ms")
    indices = [i.discrimination_index for i in analysis.items if i.discrimination_index]
    print(
        f"  discrimination index: median {np.median(indices):.1f} %, "
        f"min {min(indices):.1f} %, max {max(indices):.1f} %; "
        f"{sum(1 for i in analysis.items if i.flags)} questions flagged"
    )
    for kind in (
        [] if args.no_database else ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    ):
        f = with_database(kind, scores, points, percents, passed)
        print(f"{kind}: filling (executemany):           {f['filled']:8.1f} s")
        print(f"{kind}: plain SQL fetch of the slots, best of 3: {1000 * f['plain']:6.0f} ms")
        print(f"{kind}: loading the matrix (1 query), best of 3: {1000 * f['loaded']:6.0f} ms")
        print(f"{kind}: report cold: loading + statistics, best of 3: {1000 * f['cold']:5.0f} ms")
        print(f"{kind}: report again, nothing graded since, best of 3: {1000 * f['warm']:4.0f} ms")
        print(
            f"{kind}: ratios to the plain SQL fetch: loading x{f['loaded'] / f['plain']:.2f}, "
            f"report cold x{f['cold'] / f['plain']:.2f}"
        )


if __name__ == "__main__":
    main()
