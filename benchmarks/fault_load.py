"""Fault runs: the exam load of quiz_load.py with a fault in its middle, then the checks.

    .venv/bin/python benchmarks/fault_load.py [--learners 300] [--fault workers|postgres|both]

workers   SQLite behind gunicorn. When half the answers are acknowledged, every gunicorn
          worker is killed with SIGKILL; gunicorn's master starts new ones.
postgres  PostgreSQL behind gunicorn. At the same point the PostgreSQL server restarts
          (pg_ctl restart -m fast); the app is not restarted and must reconnect by itself.

Learners do what quiz_load.py's do (log in, start the final exam together, autosave 20
answers one by one, submit); every fourth leaves its attempt open, as when a browser
closes. A request that fails is retried after about a second, as a learner presses again
when the page says "not saved", for at most two minutes. Afterwards:

- every answer acknowledged (HTTP 200) is in the database, exactly as it was posted;
- every started attempt resumes: its page shows the saved answers, or its review opens;
- failures seen by the learners are counted before the fault, during the outage (from the
  fault until /healthz answers again) and after recovery, and every error response is
  checked to be the app's own error page or JSON, never a traceback or a server's bare page.

PostgreSQL runs on the cluster named by TEST_PG_CTL, TEST_PGDATA and TEST_PG_PORT
(.ci/postgres-leg exports them) or, without them, on a throwaway cluster started here under
/tmp (as the postgres user when run as root) and removed afterwards. Passwords are hashed
with cheap argon2 settings: log-ins are not what this measures. Every request goes to
127.0.0.1, and their number is bounded by the learners and the retry limit."""

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import app_environment, database, free_port, gunicorn, machine
from quiz_load import COURSE, CSRF, EXAM, PASSWORD, answers_from_page, prepare

QUIZ = f"/courses/{COURSE}/quizzes/{EXAM}"
ANSWERS_PER_ATTEMPT = 20
KEEP_OPEN_EVERY = 4  # every fourth learner leaves the attempt open
RETRY_PAUSE = 1.0
RETRY_FOR = 120.0
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024}
FAULTS = ("workers", "postgres")


class Unavailable(Exception):
    """A fault run that cannot be done on this machine (no PostgreSQL binaries)."""


# The PostgreSQL cluster a run may restart


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are, or None."""
    if os.environ.get("TEST_PG_CTL"):
        return Path(os.environ["TEST_PG_CTL"]).parent
    candidates = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(Path(result.stdout.strip()))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


@dataclass
class Cluster:
    pg_ctl: Path
    data: Path
    port: int

    @property
    def server_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def ctl(self, *args: str) -> None:
        # Output goes to a file: a pipe would be inherited by the server and never close.
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(
                as_postgres([str(self.pg_ctl), "-D", str(self.data), *args]),
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=120,
            )
            if result.returncode != 0:
                output.seek(0)
                raise RuntimeError(f"pg_ctl {args[0]} failed: {output.read().decode()}")

    def restart(self) -> None:
        self.ctl("restart", "-m", "fast", "-w", "-t", "60", "-l", str(self.data / "server.log"))


@contextmanager
def postgres_cluster():
    """The cluster of .ci/postgres-leg (TEST_PG_*), or a throwaway one started here."""
    names = ("TEST_PG_CTL", "TEST_PGDATA", "TEST_PG_PORT")
    if all(os.environ.get(name) for name in names):
        ctl, data, port = (os.environ[name] for name in names)
        yield Cluster(Path(ctl), Path(data), int(port))
        return
    bindir = postgres_bindir()
    if bindir is None:
        raise Unavailable("no PostgreSQL binaries (initdb, pg_ctl) found; install postgresql")
    data = Path(tempfile.mkdtemp(prefix="educational-fault-pg."))
    if os.getuid() == 0:
        shutil.chown(data, "postgres")
    cluster = Cluster(bindir / "pg_ctl", data, free_port())
    try:
        subprocess.run(
            as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                         "--no-sync"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        # The settings of .ci/postgres-leg; a restart is no crash, so fsync does not matter.
        options = (
            f"-p {cluster.port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        cluster.ctl("start", "-w", "-l", str(data / "server.log"), "-o", options)
        yield cluster
    finally:
        with suppress(RuntimeError, subprocess.SubprocessError):
            cluster.ctl("stop", "-m", "immediate")
        shutil.rmtree(data, ignore_errors=True)


# The faults


def gunicorn_workers(master: int) -> list[int]:
    """The processes whose parent is gunicorn's master."""
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                workers.append(int(entry.name))
    return workers


def kill_workers(master: int) -> int:
    pids = gunicorn_workers(master)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    return len(pids)


# The learners


@dataclass
class Sent:
    """One HTTP request as a learner saw it."""

    kind: str
    started: float
    ended: float
    status: int | None  # None: no response (connection refused or reset)
    failed: bool
    not_from_app: bool = False  # a 5xx that is neither the app's error page nor its JSON
    traceback: bool = False
    what: str = ""


@dataclass
class Learner:
    index: int
    client: httpx.AsyncClient
    attempt_id: int | None = None
    submitted: bool = False
    #: position -> the form fields of the answer last acknowledged there.
    acknowledged: dict[int, dict[str, str]] = field(default_factory=dict)


def from_the_app(response: httpx.Response) -> bool:
    """The app's error page (base.html) or its JSON error envelope."""
    if response.headers.get("content-type", "").startswith("application/json"):
        try:
            return "error" in response.json()
        except ValueError:
            return False
    return 'class="skip-link"' in response.text and "Content-Security-Policy" in response.headers


class Load:
    def __init__(self, base: str, learners: int) -> None:
        self.base = base
        self.sent: list[Sent] = []
        self.learners = [
            Learner(i, httpx.AsyncClient(base_url=base, timeout=120)) for i in range(learners)
        ]
        self.acknowledged = 0
        self.halfway = asyncio.Event()
        self.threshold = learners * ANSWERS_PER_ATTEMPT // 2
        self.began = time.monotonic()
        self.fault_at = self.fault_done = self.recovered_at = None
        self.fault_answers = 0
        self.fault_result: object = None
        self.recovered = False

    async def send(self, learner: Learner, kind: str, method: str, url: str, expect: set[int],
                   **kwargs) -> httpx.Response | None:  # fmt: skip
        """The response with an expected status, retrying failures; None if it never came."""
        deadline = time.monotonic() + RETRY_FOR
        while True:
            started = time.monotonic()
            try:
                response = await learner.client.request(method, url, **kwargs)
            except httpx.HTTPError as error:
                what = f"{kind}: {type(error).__name__}"
                self.sent.append(Sent(kind, started, time.monotonic(), None, True, what=what))
            else:
                status = response.status_code
                sent = Sent(kind, started, time.monotonic(), status, status not in expect)
                self.sent.append(sent)
                if not sent.failed:
                    return response
                sent.what = f"{kind}: HTTP {status}"
                if status >= 500:
                    sent.not_from_app = not from_the_app(response)
                    sent.traceback = "Traceback (most recent call last)" in response.text
                else:
                    return None  # a refusal: pressing again would not help
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(RETRY_PAUSE * random.uniform(0.5, 1.5))

    def failure(self, kind: str, what: str) -> None:
        now = time.monotonic()
        self.sent.append(Sent(kind, now, now, None, True, what=f"{kind}: {what}"))

    def csrf(self, page: httpx.Response | None) -> str | None:
        """The CSRF token of a page's form; a page without one is a failure."""
        if page is None:
            return None
        match = CSRF.search(page.text)
        if match is None:
            self.failure("page", f"no CSRF token on {page.url.path}")
            return None
        return match.group(1)

    async def learner(self, learner: Learner, start_at: float) -> None:
        rng = random.Random(learner.index)
        page = await self.send(learner, "login page", "GET", "/login", {200})
        token = self.csrf(page)
        if token is None:
            return
        login = {
            "email": f"load{learner.index}@example.org",
            "password": PASSWORD,
            "csrf_token": token,
        }
        if await self.send(learner, "login", "POST", "/login", {302}, data=login) is None:
            return
        page = await self.send(learner, "quiz page", "GET", QUIZ, {200})
        token = self.csrf(page)
        if token is None:
            return
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        response = await self.send(
            learner, "start", "POST", f"{QUIZ}/start", {302}, data={"csrf_token": token}
        )
        if response is None:
            return
        location = response.headers.get("location", "")
        if "/attempts/" not in location:
            self.failure("start", f"redirected to {location}")
            return
        learner.attempt_id = int(location.rstrip("/").rsplit("/", 1)[1])
        page = await self.send(learner, "attempt page", "GET", location, {200})
        token = self.csrf(page)
        if token is None:
            return
        headers = {"X-CSRFToken": token, "Accept": "application/json"}
        url = f"/attempts/{learner.attempt_id}/answer"
        for position, fields in sorted(answers_from_page(page.text, rng).items()):
            data = {"position": str(position), **fields}
            response = await self.send(learner, "answer", "POST", url, {200}, data=data,
                                       headers=headers)  # fmt: skip
            if response is not None:
                learner.acknowledged[position] = fields
                self.acknowledged += 1
                if self.acknowledged >= self.threshold:
                    self.halfway.set()
        if learner.index % KEEP_OPEN_EVERY != KEEP_OPEN_EVERY - 1:
            url = f"/attempts/{learner.attempt_id}/submit"
            response = await self.send(learner, "submit", "POST", url, {302},
                                       data={"csrf_token": token})  # fmt: skip
            learner.submitted = response is not None

    async def inject(self, fault: Callable[[], object]) -> None:
        await self.halfway.wait()
        self.fault_at = time.monotonic()
        self.fault_answers = self.acknowledged
        self.fault_result = await asyncio.to_thread(fault)
        self.fault_done = time.monotonic()
        deadline = time.monotonic() + RETRY_FOR
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as probe:
            while time.monotonic() < deadline:
                try:
                    if (await probe.get("/healthz")).status_code == 200:
                        self.recovered = True
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        self.recovered_at = time.monotonic()

    async def close(self) -> None:
        await asyncio.gather(*(learner.client.aclose() for learner in self.learners))


# The checks afterwards


class PageAnswers(HTMLParser):
    """The answers an attempt page shows: field name -> values, as the form would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = defaultdict(list)
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "input" and re.fullmatch(r"q\d+", name):
            if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
                self.values[name].append(attrs.get("value") or "")
        elif tag == "select" and re.fullmatch(r"q\d+\.[\w-]+", name):
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def stored_answer(kind: str, layout: dict, position: int, fields: dict[str, list[str]]):
    """The answer the app stores for these form fields (as views.autosave does)."""
    from educational.catalog.content.questiontypes import QUESTION_TYPES

    answer = QUESTION_TYPES[kind].parse_form(layout, f"q{position}", lambda k: fields.get(k, []))
    return None if answer in ("", [], {}) else answer


def read_slots(database_url: str) -> dict[tuple[int, int], tuple[str, dict, object]]:
    """(attempt id, position) -> (question type, layout, saved answer)."""
    from sqlalchemy import create_engine, select

    from educational.catalog.models import Question
    from educational.core.db import normalise_database_url
    from educational.quizzes.models import AttemptSlot

    engine = create_engine(normalise_database_url(database_url))
    query = select(
        AttemptSlot.attempt_id, AttemptSlot.position, Question.type, AttemptSlot.layout,
        AttemptSlot.answer,
    ).join(Question, Question.id == AttemptSlot.question_id)  # fmt: skip
    with engine.connect() as connection:
        slots = {(row[0], row[1]): tuple(row[2:]) for row in connection.execute(query)}
    engine.dispose()
    return slots


def sqlite_integrity(database_url: str) -> str:
    import sqlite3

    with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


async def resume(load: Load, learner: Learner, slots: dict) -> str:
    """How the attempt resumes: "open" (its page shows the saved answers) or "review";
    otherwise what is wrong."""
    url = f"/attempts/{learner.attempt_id}"
    response = await load.send(learner, "resume", "GET", url, {200, 302})
    if response is None:
        return f"attempt {learner.attempt_id}: no page"
    if response.status_code == 302:
        if not response.headers.get("location", "").endswith(f"{url}/review"):
            return f"attempt {learner.attempt_id}: redirected to {response.headers['location']}"
        if await load.send(learner, "resume", "GET", f"{url}/review", {200}) is None:
            return f"attempt {learner.attempt_id}: no review"
        return "review"
    page = PageAnswers()
    page.feed(response.text)
    for (attempt_id, position), (kind, layout, answer) in slots.items():
        if attempt_id == learner.attempt_id and answer is not None:
            shown = stored_answer(kind, layout, position, page.values)
            if shown != answer:
                return (
                    f"attempt {attempt_id}: question {position} shows {shown!r}, saved {answer!r}"
                )
    return "open"


@dataclass
class Outcome:
    fault: str
    database: str
    learners: int
    workers: int
    seconds: float
    fault_after: float
    fault_answers: int
    fault_seconds: float
    recovery_seconds: float
    recovered: bool
    killed: int
    restarted: bool
    acknowledged: int
    found: int
    wrong: list[str]
    attempts: int
    resumed_open: int
    resumed_review: int
    not_resumed: list[str]
    in_flight: int
    failed_before: int
    failed_outage: int
    failed_after: int
    no_response: int
    server_errors: int
    #: 500s: a failure the app did not expect. During a restart it answers 503 instead.
    internal_errors: int
    #: 503s: "the database is restarting, try again in a moment".
    unavailable: int
    not_from_app: int
    tracebacks: int
    logged: int
    refusals: list[str]
    first_failures: list[str]
    integrity: str
    answer_p50: float


async def exercise(base: str, learners: int, fault: Callable[[], object], database_url: str):
    load = Load(base, learners)
    start_at = time.monotonic() + 5  # log in first, then start together, as quiz_load.py
    injector = asyncio.create_task(load.inject(fault))
    try:
        await asyncio.gather(*(load.learner(learner, start_at) for learner in load.learners))
        if not load.halfway.is_set():
            raise RuntimeError("the load ended before half the answers were acknowledged")
        await injector
        ended = time.monotonic()
        slots = read_slots(database_url)
        started = [learner for learner in load.learners if learner.attempt_id]
        verdicts = await asyncio.gather(*(resume(load, learner, slots) for learner in started))
    finally:
        injector.cancel()
        await load.close()
    return load, ended, slots, started, verdicts


def in_a_thread(work: Callable[[], object]):
    """``work()`` in a thread of its own, for asyncio.run: the caller may be running an event
    loop already (Playwright's sync API in the test suite does)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def run(fault: str, learners: int = 300, workers: int = 4) -> Outcome:
    """One fault run: prepares a database, serves it with gunicorn, loads, faults, checks."""
    if fault == "workers":
        with database("sqlite") as url:
            return _run(fault, url, learners, workers, None)
    with postgres_cluster() as cluster, database("postgresql", cluster.server_url) as url:
        return _run(fault, url, learners, workers, cluster)


def _postmaster_started(database_url: str):
    from sqlalchemy import create_engine, text

    from educational.core.db import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        started = connection.execute(text("SELECT pg_postmaster_start_time()")).scalar()
    engine.dispose()
    return started


def _run(fault: str, url: str, learners: int, workers: int, cluster: Cluster | None) -> Outcome:
    prepare(url, learners, **CHEAP_ARGON2)
    env = app_environment(url, **{f"EDUCATIONAL_ARGON2_{k.upper()}": str(v)
                                  for k, v in CHEAP_ARGON2.items()})  # fmt: skip
    server_started = _postmaster_started(url) if cluster else None
    with (
        tempfile.TemporaryFile("w+") as log,
        gunicorn(env, workers=workers, log=log) as (base, process),
    ):
        action = (lambda: kill_workers(process.pid)) if cluster is None else cluster.restart
        load, ended, slots, started, verdicts = in_a_thread(
            lambda: asyncio.run(exercise(base, learners, action, url))
        )
        log.seek(0)
        logged = log.read().count("Unhandled error on ")
    restarted = bool(cluster) and _postmaster_started(url) != server_started

    wrong = []
    acknowledged = found = 0
    for learner in load.learners:
        for position, fields in learner.acknowledged.items():
            acknowledged += 1
            kind, layout, saved = slots[(learner.attempt_id, position)]
            expected = stored_answer(kind, layout, position, {k: [v] for k, v in fields.items()})
            if saved == expected:
                found += 1
            else:
                wrong.append(f"attempt {learner.attempt_id} question {position}: {saved!r}")
    failed = [sent for sent in load.sent if sent.failed and sent.kind != "resume"]
    answers = sorted(s.ended - s.started for s in load.sent if s.kind == "answer" and not s.failed)
    return Outcome(
        fault=fault,
        database="SQLite" if cluster is None else "PostgreSQL",
        learners=learners,
        workers=workers,
        seconds=ended - load.began,
        fault_after=load.fault_at - load.began,
        fault_answers=load.fault_answers,
        fault_seconds=load.fault_done - load.fault_at,
        recovery_seconds=load.recovered_at - load.fault_at,
        recovered=load.recovered,
        killed=load.fault_result if cluster is None else 0,
        restarted=restarted,
        acknowledged=acknowledged,
        found=found,
        wrong=wrong[:5],
        attempts=len(started),
        resumed_open=verdicts.count("open"),
        resumed_review=verdicts.count("review"),
        not_resumed=[v for v in verdicts if v not in ("open", "review")],
        in_flight=sum(1 for s in load.sent if s.started < load.fault_at <= s.ended),
        failed_before=sum(1 for s in failed if s.ended < load.fault_at),
        failed_outage=sum(
            1 for s in failed if s.ended >= load.fault_at and s.started < load.recovered_at
        ),
        failed_after=sum(1 for s in load.sent if s.failed and s.started >= load.recovered_at),
        no_response=sum(1 for s in load.sent if s.failed and s.status is None),
        server_errors=sum(1 for s in load.sent if s.status and s.status >= 500),
        internal_errors=sum(1 for s in load.sent if s.status == 500),
        unavailable=sum(1 for s in load.sent if s.status == 503),
        not_from_app=sum(1 for s in load.sent if s.not_from_app),
        tracebacks=sum(1 for s in load.sent if s.traceback),
        logged=logged,
        refusals=[s.what for s in load.sent if s.status and 400 <= s.status < 500][:5],
        first_failures=sorted({s.what for s in load.sent if s.failed})[:6],
        integrity=sqlite_integrity(url) if cluster is None else "n/a",
        answer_p50=answers[len(answers) // 2] if answers else float("nan"),
    )


def report(o: Outcome) -> list[str]:
    if o.fault == "workers":
        what = f"kill -9 of all {o.killed} gunicorn workers (the master starts new ones)"
        took = ""
    else:
        what = "PostgreSQL restart (pg_ctl restart -m fast), app not restarted"
        took = f"; the restart took {o.fault_seconds:.1f} s"
    recovery = f"{o.recovery_seconds:.1f} s" if o.recovered else f"NEVER (gave up at {RETRY_FOR} s)"
    lines = [
        f"fault run on {o.database}: {what}",
        f"  {o.learners} learners, gunicorn {o.workers} sync workers, {o.seconds:.1f} s; "
        f"fault at +{o.fault_after:.1f} s, after {o.fault_answers} acknowledged answers{took}",
        f"  time to recover (fault to /healthz answering 200): {recovery} "
        f"(answer p50 under this load: {o.answer_p50:.1f} s)",
        f"  answers acknowledged {o.acknowledged}, found in the database {o.found} "
        f"(lost or different {o.acknowledged - o.found})",
        f"  attempts started {o.attempts}, resumed {o.resumed_open + o.resumed_review} "
        f"({o.resumed_open} open with their saved answers, {o.resumed_review} reviews)",
        f"  requests the learners had open at the fault {o.in_flight}; failed: before the fault "
        f"{o.failed_before}, during the outage {o.failed_outage}, after recovery {o.failed_after}",
        f"  of them without response {o.no_response}, HTTP 5xx {o.server_errors} "
        f"(500 {o.internal_errors}, 503 {o.unavailable}; not the app's error page "
        f"{o.not_from_app}, with a traceback {o.tracebacks}); errors in the app's log {o.logged}",
    ]
    if o.fault == "workers":
        lines.append(f"  SQLite integrity_check: {o.integrity}")
    else:
        lines.append(f"  server restarted: {'yes' if o.restarted else 'NO'}")
    if o.first_failures:
        lines.append(f"  kinds of failure: {o.first_failures}")
    for label, items in (("wrong", o.wrong), ("not resumed", o.not_resumed),
                         ("refused", o.refusals)):  # fmt: skip
        if items:
            lines.append(f"  {label}: {items[:5]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--fault", choices=[*FAULTS, "both"], default="both")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for fault in FAULTS if args.fault == "both" else [args.fault]:
        try:
            outcome = run(fault, args.learners, args.workers)
        except Unavailable as reason:
            print(f"fault run {fault}: skipped, {reason}")
            continue
        for line in report(outcome):
            print(line, flush=True)


if __name__ == "__main__":
    main()
