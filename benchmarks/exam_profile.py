"""Where an exam request's time goes: log-in, start, the attempt page, autosave, submit and
the review of the final exam, each profiled with pyinstrument in one process (Flask's test
client, no server), with the SQL statements each kind of request sends.

    .venv/bin/python benchmarks/exam_profile.py [--learners 20] [--db sqlite|postgresql]
        [--kind login|start|"attempt page"|answer|submit|review ...]

Prints, per kind of request, its mean time, the statements it sends, and pyinstrument's
call tree of all such requests together (frames under 2 % hidden). The time is CPU of this
one process, without a server; quiz_load.py gives the latencies under load.
BENCH_APP_ROOT profiles another checkout (an older commit)."""

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import APP_ROOT, app_environment, database
from exam import COURSE, CSRF, EXAM, PASSWORD, answers_from_page, prepare

KINDS = ("login", "start", "attempt page", "answer", "submit", "review")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--kind", nargs="+", choices=KINDS, default=list(KINDS))
    options = parser.parse_args()
    from pyinstrument import Profiler

    with database(options.db) as url:
        prepare(url, options.learners)
        os.environ.update(app_environment(url, EDUCATIONAL_PUBLIC_URL="http://localhost"))
        sys.path.insert(0, str(APP_ROOT))
        from sqlalchemy import event

        from educational import create_app
        from educational.core.db import db

        app = create_app()
        profilers = {kind: Profiler(interval=0.0005) for kind in KINDS}
        seconds: dict[str, list[float]] = defaultdict(list)
        statements: dict[str, Counter] = defaultdict(Counter)
        current = {"kind": None}
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, *_args):
            if current["kind"]:
                words = statement.split()
                head = " ".join(words[:4])
                if words[0] == "SELECT" and "FROM" in words:
                    head = " ".join(("SELECT ... FROM", words[words.index("FROM") + 1]))
                statements[current["kind"]][head] += 1

        def measure(kind, client, url, method="POST", **kwargs):
            """``method`` ``url`` as ``client``, timed (and profiled) as ``kind``."""
            current["kind"] = kind
            profile = kind in options.kind
            if profile:
                profilers[kind].start()
            started = time.perf_counter()
            response = client.open(url, method=method, **kwargs)
            seconds[kind].append(time.perf_counter() - started)
            if profile:
                profilers[kind].stop()
            current["kind"] = None
            return response

        quiz = f"/courses/{COURSE}/quizzes/{EXAM}"
        for index in range(options.learners):
            client = app.test_client()
            token = CSRF.search(client.get("/login").text).group(1)
            data = {"email": f"load{index}@example.org", "password": PASSWORD, "csrf_token": token}
            response = measure("login", client, "/login", data=data)
            assert response.status_code == 302, response.status_code
            token = CSRF.search(client.get(quiz).text).group(1)
            response = measure("start", client, f"{quiz}/start", data={"csrf_token": token})
            location = response.headers["location"]
            attempt_id = int(location.rstrip("/").rsplit("/", 1)[1])
            page = measure("attempt page", client, location, method="GET").text
            token = CSRF.search(page).group(1)
            for position, fields in sorted(answers_from_page(page, random.Random(index)).items()):
                response = measure(
                    "answer",
                    client,
                    f"/attempts/{attempt_id}/answer",
                    data={"position": str(position), **fields},
                    headers={"X-CSRFToken": token},
                )
                assert response.status_code in (200, 204), response.status_code
            url = f"/attempts/{attempt_id}/submit"
            response = measure("submit", client, url, data={"csrf_token": token})
            assert response.status_code == 302, response.status_code
            response = measure("review", client, response.headers["location"], method="GET")
            assert response.status_code == 200, response.status_code
        for kind in options.kind:
            times = seconds[kind]
            mean = 1000 * sum(times) / len(times)
            print(f"\n===== {kind}: {len(times)} requests, mean {mean:.1f} ms")
            sent = sum(statements[kind].values()) / len(times)
            print(f"  statements per request ({sent:.1f}):")
            for head, n in statements[kind].most_common():
                print(f"    {n / len(times):5.1f}  {head}")
            tree = profilers[kind].output_text(
                unicode=True,
                color=False,
                time="percent_of_total",
                processor_options={"filter_threshold": 0.02},
            )
            print(tree)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
