"""Two instances of the app (two gunicorn servers, as behind a load balancer) on one
PostgreSQL database, with their rate limits in Redis: an exam started on one is resumed,
answered and submitted on the other, and the quiz report on the first shows the attempt at
once (its figures are kept per process until the quiz's graded attempts change, which every
report checks in the database); failed log-ins on either count against one budget; a
``flask courses sync`` made elsewhere reaches both within REGISTRY_SCHEME_SECONDS.

Needs the PostgreSQL leg (TEST_DATABASE_URL) and Redis at 127.0.0.1:6379; skipped, saying
so, without them."""

import re
import shutil
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.accounts.test_shared_limits import REDIS_URL, redis_client
from tests.builders.people import COURSES_DIR, CSRF_RE, PASSWORD
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.quizzes.helpers import COURSE, EXAM, correct_form, latest_attempt, quiz_id

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import app_environment, gunicorn  # noqa: E402

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL (the PostgreSQL leg)"),
]


def instance_environment(tmp_path, prefix: str) -> dict[str, str]:
    """What both instances share: the database, the secret key (so each reads the other's
    cookies), the Redis limits and the files."""
    return app_environment(
        TEST_DATABASE_URL,
        EDUCATIONAL_SECRET_KEY="two-instances-test-" + "k" * 32,
        EDUCATIONAL_RATELIMIT_ENABLED="true",
        EDUCATIONAL_RATELIMIT_STORAGE_URI=REDIS_URL,
        EDUCATIONAL_RATELIMIT_KEY_PREFIX=prefix,
        # Failed log-ins from one address: small, so the test reaches it.
        EDUCATIONAL_LOGIN_LIMIT=f"{LOGIN_LIMIT} per hour",
        EDUCATIONAL_REGISTRY_SCHEME_SECONDS=str(SCHEME_SECONDS),
        EDUCATIONAL_CREDENTIAL_KEY_PATH=str(tmp_path / "credential-key.pem"),
        EDUCATIONAL_EVIDENCE_PATH=str(tmp_path / "evidence"),
        # The test's users were hashed cheaply; the same cost avoids a rehash at log-in.
        EDUCATIONAL_ARGON2_TIME_COST="1",
        EDUCATIONAL_ARGON2_MEMORY_COST="1024",
    )


LOGIN_LIMIT = 3
#: How long an instance keeps the scheme before asking whether it changed (the
#: documented delay before a sync made elsewhere shows).
SCHEME_SECONDS = 2
OLD_SECTOR, NEW_SECTOR = "Aluminium smelting", "Primary aluminium smelting"


def token(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return CSRF_RE.search(response.text).group(1)


def log_in(http: httpx.Client, base: str, email: str) -> None:
    csrf = token(http.get(f"{base}/login"))
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf}
    assert http.post(f"{base}/login", data=data).status_code == 302


def attempts_analysed(http: httpx.Client, url: str) -> str:
    page = http.get(url).text
    if "Nobody has submitted an attempt at this quiz yet." in page:
        return "0"
    return re.search(r"<dt>Attempts analysed</dt><dd>(\d+)</dd>", page).group(1)


def test_an_exam_started_on_one_instance_is_finished_on_the_other(
    app, tmp_path, make_user, synced_courses
):
    store = redis_client()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    learner, staff = make_user("learner"), make_user("staff")
    exam_id = quiz_id(app, COURSE, "final-exam")
    env = instance_environment(tmp_path, prefix)
    try:
        with ExitStack() as stack:
            logs = [stack.enter_context((tmp_path / f"{n}.log").open("w")) for n in "ab"]
            (one, _), (other, _) = (
                stack.enter_context(gunicorn(env, workers=1, log=log)) for log in logs
            )
            # One browser: its cookies go to both (a cookie is not bound to a port).
            browser = stack.enter_context(httpx.Client(timeout=30))
            reviewer = stack.enter_context(httpx.Client(timeout=30))
            log_in(browser, one, learner.email)
            log_in(reviewer, other, staff.email)
            report = f"{other}/staff/quizzes/{exam_id}/report"
            assert attempts_analysed(reviewer, report) == "0"

            enrol = token(browser.get(f"{one}/courses/{COURSE}"))
            browser.post(f"{one}/courses/{COURSE}/enrol", data={"csrf_token": enrol})
            csrf = token(browser.get(f"{one}{EXAM}"))
            started = browser.post(f"{one}{EXAM}/start", data={"csrf_token": csrf})
            assert started.status_code == 302
            attempt_path = started.headers["location"].removeprefix(one)
            attempt_id = int(attempt_path.rsplit("/", 1)[1])
            answers = correct_form(app, attempt_id)

            # The other instance: the same attempt, resumed, answered and submitted.
            page = browser.get(f"{other}{attempt_path}")
            csrf = token(page)
            for position in range(1, 21):
                fields = {k: v for k, v in answers.items() if re.match(rf"q{position}\b", k)}
                saved = browser.post(
                    f"{other}/attempts/{attempt_id}/answer",
                    data={"position": str(position), **fields},
                    headers={"X-CSRFToken": csrf},
                )
                assert saved.status_code == 200, saved.text
            csrf = token(browser.get(f"{other}{EXAM}"))
            resumed = browser.post(f"{other}{EXAM}/start", data={"csrf_token": csrf})
            assert resumed.headers["location"].removeprefix(other) == attempt_path
            submitted = browser.post(
                f"{other}/attempts/{attempt_id}/submit", data={"csrf_token": csrf}
            )
            assert submitted.status_code == 302

            # Back on the first instance: the attempt is finished, with every answer.
            assert browser.get(f"{one}/attempts/{attempt_id}/review").status_code == 200
            attempt = latest_attempt(app, learner.id)
            assert (attempt.id, attempt.state, attempt.percent) == (attempt_id, "submitted", 100.0)
            # The report on the other instance, computed before, sees the graded attempt,
            # and so does the first instance.
            assert attempts_analysed(reviewer, report) == "1"
            assert attempts_analysed(reviewer, f"{one}/staff/quizzes/{exam_id}/report") == "1"

            # A sync run elsewhere (here: by the test, on the same database) renames a
            # sector: both instances show the new name once their scheme is older than
            # SCHEME_SECONDS (polled well beyond that: a loaded machine is slow to answer).
            for base in (one, other):
                assert OLD_SECTOR in browser.get(f"{base}/registry").text
            renamed = tmp_path / "courses"
            shutil.copytree(COURSES_DIR, renamed)
            scheme = renamed / "scheme.yml"
            scheme.write_text(
                scheme.read_text().replace(f"en: {OLD_SECTOR},", f"en: {NEW_SECTOR},")
            )
            synced = app.test_cli_runner().invoke(args=["courses", "sync", str(renamed)])
            assert synced.exit_code == 0, synced.output
            for base in (one, other):
                assert shows_within(browser, f"{base}/registry", NEW_SECTOR, 15 * SCHEME_SECONDS)

            # One log-in budget for both: failures alternate between the instances, and
            # the one after the limit is refused on either.
            stranger = stack.enter_context(httpx.Client(timeout=30))
            statuses = []
            for base in [one, other] * LOGIN_LIMIT:
                csrf = token(stranger.get(f"{base}/login"))
                wrong = {"email": "nobody@example.org", "password": "not it", "csrf_token": csrf}
                statuses.append(stranger.post(f"{base}/login", data=wrong).status_code)
            assert statuses == [200] * LOGIN_LIMIT + [429] * LOGIN_LIMIT
            assert list(store.scan_iter(f"*{prefix}*")), "the limits are not kept in Redis"
    finally:
        keys = list(store.scan_iter(f"*{prefix}*"))
        if keys:
            store.delete(*keys)


def shows_within(http: httpx.Client, url: str, text: str, seconds: float) -> bool:
    """Whether ``url`` shows ``text`` at some request in the next ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        if text in http.get(url).text:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
