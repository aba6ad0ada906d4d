"""``flask courses import-completions``: course completions from another platform, recorded
as certificates marked as imported and verifiable like the others.

Columns: ``email``, ``course`` (a course slug), ``completed_on``, and optionally
``expires_on`` (the first day it is no longer valid; empty: the course's own rule),
``version`` (the course edition; empty: the current one) and ``name`` (for a person without
an account: one is created, not yet confirmed)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.certificates.rules import expiry_date
from educational.certificates.services import unused_code
from educational.core.db import db, today

from .problems import Problems
from .registry import NO_PASSWORD
from .report import ImportReport
from .rows import Cells
from .tables import read_table

REQUIRED = ("email", "course", "completed_on")
OPTIONAL = ("expires_on", "version", "name")


@dataclass(frozen=True)
class Completion:
    email: str
    course: str
    version: str
    completed_on: date
    expires_on: date | None
    name: str
    line: int


def read_completions(path: Path, problems: Problems) -> list[Completion]:
    table = read_table(path, REQUIRED, OPTIONAL, problems)
    courses = {course.slug: course for course in db.session.scalars(select(Course))}
    seen: dict[tuple[str, str, date], int] = {}
    found = []
    for row in table.rows:
        cells = Cells(path, row, problems)
        email = cells.email()
        slug = cells.choice("course", courses, "course")
        completed_on = cells.day("completed_on")
        expires_on = cells.day("expires_on", required=False)
        name = cells.text("name", required=False)
        if completed_on and expires_on and expires_on <= completed_on:
            cells.fail(f"expires_on {expires_on} is not after completed_on {completed_on}")
        if completed_on and completed_on > today():
            cells.fail(f"completed_on {completed_on} is in the future")
        version = row["version"] or (courses[slug].version if slug in courses else "")
        key = (email, slug, completed_on)
        if cells.ok and key in seen:
            cells.fail(f"the same completion is on line {seen[key]}")
        if not cells.ok:
            continue
        seen[key] = row.line
        found.append(Completion(email, slug, version, completed_on, expires_on, name, row.line))
    return found


def check_people(completions: list[Completion], path: Path, problems: Problems) -> None:
    """Each completion needs an account, or a name to create one with."""
    known = _users({completion.email for completion in completions})
    for completion in completions:
        if completion.email not in known and not completion.name:
            problems.add(
                path,
                completion.line,
                f"no account has the e-mail {completion.email}: import the registry first, "
                "or give the person's name in a name column to create one",
            )


def apply_completions(
    completions: list[Completion], report: ImportReport, progress=iter
) -> list[User]:
    users = _users({completion.email for completion in completions})
    courses = {course.slug: course for course in db.session.scalars(select(Course))}
    held = _held([user.id for user in users.values()])
    created = []
    for completion in progress(completions):
        user = users.get(completion.email)
        if user is None:
            user = User(email=completion.email, name=completion.name, password_hash=NO_PASSWORD)
            db.session.add(user)
            users[completion.email] = user
            created.append(user)
        course = courses[completion.course]
        expires_on = completion.expires_on or expiry_date(
            completion.completed_on, course.certificate_validity_months
        )
        label = f"{completion.email} {completion.course} {completion.completed_on}"
        certificate = held.get((user.id, course.id, completion.completed_on))
        if certificate is None:
            certificate = Certificate(
                code=unused_code(),
                user=user,
                course=course,
                course_title=course.title,
                course_version=completion.version,
                holder_name=user.name,
                issued_at=datetime.combine(completion.completed_on, time(), UTC),
                issued_on=completion.completed_on,
                expires_on=expires_on,
                imported=True,
            )
            db.session.add(certificate)
            report.added("certificate", label, certificate, line=completion.line)
        elif certificate.imported and certificate.expires_on != expires_on:
            changes = {"expires_on": [_iso(certificate.expires_on), _iso(expires_on)]}
            certificate.expires_on = expires_on
            report.changed("certificate", label, certificate, changes, line=completion.line)
        else:
            report.unchanged += 1
    return created


def _users(emails: set[str]) -> dict[str, User]:
    found = {}
    items = sorted(emails)
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        found.update(
            (user.email, user)
            for user in db.session.scalars(select(User).where(User.email.in_(chunk)))
        )
    return found


def _held(user_ids: list[int]) -> dict[tuple[int, int, date], Certificate]:
    found = {}
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        for certificate in db.session.scalars(
            select(Certificate).where(Certificate.user_id.in_(chunk))
        ):
            found.setdefault(
                (certificate.user_id, certificate.course_id, certificate.issued_on), certificate
            )
    return found


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
