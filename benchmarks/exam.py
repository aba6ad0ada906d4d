"""The exam the load benchmarks take: the learners' accounts, and one learner's requests as a
browser makes them (quiz_load.py runs them as a burst or as a real exam; fault_load.py
reuses the accounts and the answer picking).

The accounts and enrolments are inserted directly; everything a learner does goes through
HTTP (log-in form with CSRF, start, the attempt page, the autosave requests, submit)."""

import random
import re
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx
from common import APP_ROOT, BIN, app_environment, flask

COURSE, EXAM = "asi-auditor", "final-exam"
QUIZ = f"/courses/{COURSE}/quizzes/{EXAM}"
PASSWORD = "benchmark password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def password_hash(env: dict[str, str]) -> str:
    """PASSWORD hashed by the app being measured, with the argon2 parameters ``env`` gives
    it (its defaults otherwise), so that no log-in rehashes."""
    code = (
        "import sys; from wsgi import app; "
        "print(app.extensions['passwords'].hasher.hash(sys.argv[1]))"
    )
    result = subprocess.run(
        [str(BIN / "python"), "-c", code, PASSWORD],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def prepare(
    database_url: str,
    learners: int,
    *,
    time_cost: int | None = None,
    memory_cost: int | None = None,
) -> None:
    """Schema, courses, and ``learners`` enrolled learners (one password hash, bulk insert).
    ``time_cost`` and ``memory_cost`` make that hash cheaper (the app's defaults otherwise);
    the app must then be given the same ARGON2_* settings, or it rehashes at each log-in."""
    costs = {"TIME_COST": time_cost, "MEMORY_COST": memory_cost}
    env = app_environment(
        database_url, **{f"EDUCATIONAL_ARGON2_{k}": str(v) for k, v in costs.items() if v}
    )
    flask(env, "db", "upgrade")
    flask(env, "courses", "sync")
    hashed = password_hash(env)
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise(database_url))
    with engine.begin() as connection:
        course_id = connection.execute(
            text("SELECT id FROM courses WHERE slug = :slug"), {"slug": COURSE}
        ).scalar_one()
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
                    "hash": hashed,
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


def normalise(url: str) -> str:
    """psycopg 3 for postgresql:// URLs (as the app does)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


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
    #: Seconds per request kind ("login", "start", "answer", ...).
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    #: (attempt id, position) of every answer the server acknowledged.
    acknowledged: list[tuple[int, int]] = field(default_factory=list)
    attempts: int = 0
    #: perf_counter() at the first answer sent and the last answer acknowledged.
    first_answer: float = float("inf")
    last_answer: float = 0.0

    def answer_throughput(self) -> float:
        """Answers acknowledged per second while answers were being saved."""
        span = self.last_answer - self.first_answer
        return len(self.acknowledged) / span if span > 0 else 0.0


class Refused(Exception):
    """The server did not answer a step as a browser expects; the learner stops."""


class Learner:
    """One learner's browser: each method is one click, its requests timed by kind."""

    def __init__(self, index: int, client: httpx.AsyncClient, results: Results) -> None:
        self.index, self.client, self.results = index, client, results
        self.rng = random.Random(index)
        self.token = ""
        self.attempt_id = 0
        self.answers: dict[int, dict[str, str]] = {}

    async def _timed(self, kind: str | None, method: str, url: str, **kwargs) -> httpx.Response:
        started = time.perf_counter()
        response = await self.client.request(method, url, **kwargs)
        if kind:
            self.results.latencies[kind].append(time.perf_counter() - started)
        return response

    def _expect(self, response: httpx.Response, kind: str, status: int) -> httpx.Response:
        if response.status_code != status:
            self.results.errors.append(f"{kind} {response.status_code}")
            raise Refused(kind)
        return response

    def _read_token(self, page: str) -> None:
        match = CSRF.search(page)
        if match:
            self.token = match.group(1)

    async def log_in(self, *, timed: bool = True, follow: bool = True) -> None:
        """The log-in page, the form, and (``follow``) the home page it redirects to."""
        page = await self._timed("login page" if timed else None, "GET", "/login")
        self._read_token(self._expect(page, "login page", 200).text)
        data = {"email": f"load{self.index}@example.org", "password": PASSWORD}
        response = await self._timed(
            "login" if timed else None,
            "POST",
            "/login",
            data={**data, "csrf_token": self.token},
        )
        self._expect(response, "login", 302)
        if follow:
            home = await self._timed("home", "GET", response.headers["location"])
            self._expect(home, "home", 200)

    async def open_quiz(self, *, timed: bool = True) -> None:
        page = await self._timed("quiz page" if timed else None, "GET", QUIZ)
        self._read_token(self._expect(page, "quiz page", 200).text)

    async def start(self) -> None:
        """Start (or resume) the exam and load the attempt page it redirects to."""
        response = await self._timed(
            "start", "POST", f"{QUIZ}/start", data={"csrf_token": self.token}
        )
        location = self._expect(response, "start", 302).headers.get("location", "")
        if "/attempts/" not in location:
            self.results.errors.append(f"start went to {location}")
            raise Refused("start")
        self.attempt_id = int(location.rstrip("/").rsplit("/", 1)[1])
        self.results.attempts += 1
        page = self._expect(await self._timed("attempt page", "GET", location), "page", 200)
        self._read_token(page.text)
        self.answers = answers_from_page(page.text, self.rng)

    async def answer(self, position: int) -> None:
        """One autosave request, as the page's script sends it when an answer changes."""
        sent = time.perf_counter()
        self.results.first_answer = min(self.results.first_answer, sent)
        response = await self._timed(
            "answer",
            "POST",
            f"/attempts/{self.attempt_id}/answer",
            data={"position": str(position), **self.answers[position]},
            headers={"X-CSRFToken": self.token},
        )
        if response.status_code in (200, 204):
            self.results.acknowledged.append((self.attempt_id, position))
            self.results.last_answer = max(self.results.last_answer, time.perf_counter())
        else:
            self.results.errors.append(f"answer {response.status_code}")

    async def submit(self, *, review: bool = True) -> None:
        """Submit, and (``review``) open the review page it redirects to."""
        response = await self._timed(
            "submit", "POST", f"/attempts/{self.attempt_id}/submit", data={"csrf_token": self.token}
        )
        location = self._expect(response, "submit", 302).headers["location"]
        if review:
            self._expect(await self._timed("review", "GET", location), "review", 200)
