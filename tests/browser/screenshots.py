"""Screenshots of every page, as each role, at several widths and in several languages, for a
person to look at. Not a test (pytest does not collect it); run it by hand:

    .venv/bin/python tests/browser/screenshots.py OUTDIR [--widths 375,1440,1920]
        [--languages en,fr,zh] [--roles anonymous,learner,...] [--only REGEX]

It serves the app as the browser journeys do (gunicorn, production settings, a fresh SQLite
database, tests/browser/conftest.py), loads a small demo registry (``flask demo seed``), gives
the learner a record (certificates, verified audits and one waiting, a submitted application,
a running and a submitted quiz attempt), then logs in as each role and saves one full-page
PNG per page, width and language: ``OUT/<language>/<width>/<role>-<page>.png``. Every GET
page without parameters in the URL map is visited too, so a new page is not forgotten.
Pages that scroll sideways are listed at the end (the journeys fail on them)."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: the project's packages are importable too
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from sqlalchemy import select  # noqa: E402

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    _create_accounts,
    _environment,
    _flask,
    _free_port,
    _local_app,
    _stop,
    _wait_until_healthy,
    make_schema,
)
from tests.browser.overflow import OVERFLOW  # noqa: E402

#: Where a page that is not in PAGES is looked at, by the start of its path.
OWNER_BY_PREFIX = (("/staff", "staff"), ("/admin", "admin"), ("/members", "member"))
#: Paths never visited: files, JSON, and what only answers a POST.
SKIP = re.compile(
    r"\.(csv|json|zip|pdf|png|svg|txt|xml)$|^/(api|static|healthz|\.well-known|logout)|/credential$|/pdf$"
)


def _setup_records(app, base_url: str, users: dict) -> dict:
    """The learner's record and the ids the pages need."""
    from educational.accounts.models import User
    from educational.accreditation.models import Accreditation, AuditFirm, RegistryProfile
    from educational.catalog.models import Course, Quiz
    from educational.catalog.services import course_by_slug, enrol
    from educational.certificates.models import Certificate
    from educational.core.db import db, today
    from educational.experience import services as experience
    from educational.quizzes import services as quizzes
    from tests.builders.accreditation import apply, qualify
    from tests.builders.experience import qualifying_audit

    learner, staff = users["learner"]["id"], users["staff"]["id"]
    qualify(app, learner, staff, base_url=base_url)
    with app.test_request_context(base_url=base_url):
        user = db.session.get(User, learner)
        course = course_by_slug("asi-auditor")
        enrol(user, course)
        waiting = experience.create_entry(
            user, "audit", qualifying_audit(today() - timedelta(days=10)), submit=True
        )
        quiz_names = [m.quiz_name for m in course.modules if m.quiz_name][:2]
        running = quizzes.start_attempt(
            user, quizzes.quiz_by_name(course, quiz_names[0]), language="en"
        )
        finished = quizzes.start_attempt(
            user, quizzes.quiz_by_name(course, quiz_names[1]), language="en"
        )
        quizzes.submit_attempt(finished)
        db.session.commit()
        ids = {
            "entry": waiting.id,
            "running": running.id,
            "finished": finished.id,
            "quiz_name": quiz_names[0],
            "module": course.modules[0].name,
        }
    application = apply(app, learner)
    with app.app_context():
        ids["application"] = application
        ids["quiz_id"] = db.session.scalar(
            select(Quiz.id)
            .join(Course)
            .where(Course.slug == "asi-auditor", Quiz.name == ids["quiz_name"])
        )
        ids["code"] = db.session.scalar(
            select(Certificate.code).where(Certificate.user_id == learner)
        )
        ids["accreditation"] = db.session.scalar(select(Accreditation.id).limit(1))
        ids["registry_id"] = db.session.scalar(
            select(RegistryProfile.registry_id).where(RegistryProfile.public.is_(True)).limit(1)
        )
        ids["firm"] = db.session.scalar(select(AuditFirm.id).limit(1))
        ids["user"] = learner
    return ids


def pages(ids: dict) -> dict[str, list[tuple[str, str]]]:
    """(name, path) of the pages each role looks at."""
    course = "/courses/asi-auditor"
    anonymous = [
        ("home", "/"),
        ("login", "/login"),
        ("register", "/register"),
        ("reset", "/reset"),
        ("verify", "/verify"),
        ("verify-code", f"/verify/{ids['code']}"),
        ("issuer", "/certificates/issuer"),
        ("registry", "/registry"),
        ("registry-person", f"/registry/{ids['registry_id']}"),
        ("registry-person-on", f"/registry/{ids['registry_id']}?on=2026-01-01"),
        ("complaint-new", f"/complaints/new?registry_id={ids['registry_id']}"),
        ("statistics", "/registry/statistics"),
        ("firms", "/registry/firms"),
        ("firm", f"/registry/firms/{ids['firm']}"),
        ("not-found", "/no-such-page"),
    ]
    learner = [
        ("home", "/"),
        ("dashboard", "/dashboard"),
        ("courses", "/courses"),
        ("course", course),
        ("module", f"{course}/modules/{ids['module']}"),
        ("quiz", f"{course}/quizzes/{ids['quiz_name']}"),
        ("attempt", f"/attempts/{ids['running']}"),
        ("attempt-review", f"/attempts/{ids['finished']}/review"),
        ("certificates", "/certificates"),
        ("experience", "/experience/"),
        ("experience-entry", f"/experience/entries/{ids['entry']}"),
        ("experience-edit", f"/experience/entries/{ids['entry']}/edit"),
        ("experience-new-audit", "/experience/new/audit"),
        ("experience-new-cpd", "/experience/new/cpd"),
        ("accreditation", "/accreditation/"),
        ("application", f"/accreditation/applications/{ids['application']}"),
        ("application-new", "/accreditation/applications/new"),
        ("profile", "/account"),
        ("password", "/account/password"),
        ("registry-mine", "/registry/mine"),
    ]
    staff = [
        ("hub", "/staff"),
        ("accreditation", "/staff/accreditation/"),
        ("queue", "/staff/accreditation/applications"),
        ("review", f"/staff/accreditation/applications/{ids['application']}"),
        ("accreditations", "/staff/accreditation/accreditations"),
        ("accreditation-detail", f"/staff/accreditation/accreditations/{ids['accreditation']}"),
        ("experience-queue", "/staff/experience/"),
        ("experience-review", f"/staff/experience/{ids['entry']}"),
        ("certificates", "/staff/certificates"),
        ("certificate", f"/staff/certificates/{ids['code']}"),
        ("courses", "/staff/courses"),
        ("progress", "/staff/courses/asi-auditor/progress"),
        ("quizzes", "/staff/quizzes"),
        ("quiz-report", f"/staff/quizzes/{ids['quiz_id']}/report"),
        ("overrides", f"/staff/quizzes/{ids['quiz_id']}/overrides"),
        ("names", "/staff/names"),
        ("firms", "/staff/firms/"),
        ("firm", f"/staff/firms/{ids['firm']}"),
        ("firm-new", "/staff/firms/new"),
    ]
    member = [
        ("eligibility", "/members/eligibility"),
        (
            "eligibility-answer",
            f"/members/eligibility?registry_id={ids['registry_id']}&role=auditor&standard=PS"
            "&sector=aluminium-smelting&country=NO",
        ),
        ("shortlist", "/members/eligible"),
        ("shortlist-answer", "/members/eligible?role=auditor&standard=PS"),
        ("tokens", "/account/api-tokens"),
        ("registry", "/registry"),
    ]
    admin = [
        ("users", "/admin/users"),
        ("user", f"/admin/users/{ids['user']}"),
        ("organisations", "/admin/organisations"),
    ]
    return {
        "anonymous": anonymous,
        "learner": learner,
        "staff": staff,
        "member": member,
        "admin": admin,
    }


def other_pages(app, known: dict[str, list[tuple[str, str]]]) -> None:
    """Add every GET page without parameters that no list names, to the role its path
    suggests (the learner otherwise)."""
    seen = {path for listed in known.values() for _name, path in listed}
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if "GET" not in rule.methods or rule.arguments or SKIP.search(path) or path in seen:
            continue
        who = next((role for prefix, role in OWNER_BY_PREFIX if path.startswith(prefix)), "learner")
        name = path.strip("/").replace("/", "-") or "root"
        known[who].append((name, path))


def switch_language(page, language: str) -> None:
    """Post the header's language form (the one in the bar: the page is wide here)."""
    form = page.locator(".header-bar form.language-switch")
    form.locator("select[name=language]").select_option(language)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def capture(browser, url: str, who: str, email: str | None, listed, args, overflowing) -> int:
    shots = 0
    for language in args.languages:
        context = browser.new_context(base_url=url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if email:
            log_in(page, email)
        else:
            page.goto("/")
        if language != "en":
            switch_language(page, language)
        for name, path in listed:
            if args.only and not re.search(args.only, f"{who}-{name}"):
                continue
            page.set_viewport_size({"width": args.widths[0], "height": 900})
            try:
                response = page.goto(path)
            except PlaywrightError as error:  # a download, say: not a page to look at
                overflowing.append(f"{language} {who} {path}: not shown ({error.message[:80]})")
                continue
            if response is not None and response.status >= 500:
                overflowing.append(f"{language} {who} {path}: error {response.status}")
            for width in args.widths:
                page.set_viewport_size({"width": width, "height": 900})
                found = page.evaluate(OVERFLOW)
                if found["wider"] or found["elements"]:
                    overflowing.append(f"{language} {width} {who} {path}: {found}")
                folder = args.out / language / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=folder / f"{who}-{name}.png", full_page=True)
                shots += 1
        shots += _menu_open(page, who, language, args, overflowing)
        context.close()
    return shots


def _menu_open(page, who: str, language: str, args, overflowing) -> int:
    """The header's menu, opened, on the home page at the narrowest width."""
    width = min(args.widths)
    if args.only and not re.search(args.only, f"{who}-menu-open"):
        return 0
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    menu = page.locator("details.header-menu")
    if not menu.is_visible():
        return 0
    menu.locator("summary").click()
    found = page.evaluate(OVERFLOW)
    if found["wider"] or found["elements"]:
        overflowing.append(f"{language} {width} {who} / (menu open): {found}")
    folder = args.out / language / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{who}-menu-open.png")
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder for the PNGs (made if missing)")
    parser.add_argument("--widths", default="375,1440,1920")
    parser.add_argument("--languages", default="en,fr,zh")
    parser.add_argument("--people", type=int, default=200, help="the demo registry's size")
    parser.add_argument("--only", help="a regular expression on <role>-<page>")
    parser.add_argument("--roles", default="anonymous,learner,staff,member,admin")
    args = parser.parse_args()
    args.widths = [int(w) for w in args.widths.split(",")]
    args.languages = args.languages.split(",")
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="shots-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _environment(tmp, url)
    started = time.monotonic()
    make_schema(env)
    _flask(env, "courses", "sync")
    _flask(env, "demo", "seed", "--people", str(args.people))
    app = _local_app(env)
    users = _create_accounts(app)
    ids = _setup_records(app, url, users)
    listed = pages(ids)
    other_pages(app, listed)
    log_path = tmp / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    overflowing: list[str] = []
    shots = 0
    try:
        _wait_until_healthy(url, process, log_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for who in args.roles.split(","):
                email = users[who]["email"] if who in users else None
                shots += capture(browser, url, who, email, listed[who], args, overflowing)
            browser.close()
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{shots} screenshots in {args.out} ({time.monotonic() - started:.0f} s)")
    for line in overflowing:
        print("overflow:", line)
    (args.out / "overflow.txt").write_text("".join(f"{line}\n" for line in overflowing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
