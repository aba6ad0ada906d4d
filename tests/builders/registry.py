"""Registry rows written directly, for the registry, API and account tests (the
accreditation workflow is tested on its own): a person with a profile, accreditations,
scopes, status history, certificates, declarations, languages and firms."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.api import tokens
from educational.catalog.models import Course
from educational.certificates.models import Certificate
from educational.certificates.rules import expiry_date
from educational.core.db import db, today, utcnow
from educational.experience.models import ConflictDeclaration, LanguageSkill

#: The registry's today (UTC); the people below are built around it, so the tests never age.
TODAY = today()


def days(n: int) -> date:
    """``n`` days from today (negative: ago)."""
    return TODAY + timedelta(days=n)


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


@dataclass
class Person:
    name: str
    role: str = "auditor"
    #: (standard, sector, version[, status[, lapsed_on]])
    scopes: list = field(default_factory=lambda: [("PS", "aluminium-smelting", "3")])
    countries: list = field(default_factory=lambda: ["NO"])
    status: str = "active"
    valid_from: date = field(default_factory=lambda: days(-200))
    valid_until: date = field(default_factory=lambda: days(900))
    public: bool = True
    #: (course slug, issued on[, revoked on])
    courses: list = field(
        default_factory=lambda: [
            ("asi-auditor", days(-230)),
            ("ps-v3-auditors", days(-220)),
            ("coc-v2-auditors", days(-210)),
        ]
    )
    #: (entity, start, end)
    declarations: list = field(default_factory=list)
    languages: list = field(default_factory=lambda: ["en"])
    firms: list = field(default_factory=list)
    #: (from, to, on): the history after the creation (which is added from valid_from).
    changes: list = field(default_factory=list)
    specialist_areas: list = field(default_factory=list)
    registry_id: str = ""


class RegistryBuilder:
    """``add(Person(...))`` writes a person and returns their registry id."""

    def __init__(self, app, make_user) -> None:
        self.app = app
        self.make_user = make_user
        self.count = 0
        #: registry id -> the (detached) user, to log in as the holder.
        self.users: dict = {}

    def add(self, person: Person) -> str:
        self.count += 1
        user = self.make_user("learner", name=person.name)
        registry_id = person.registry_id or f"ASI-{900000 + self.count:06d}"
        self.users[registry_id] = user
        with self.app.app_context():
            profile = RegistryProfile(
                user_id=user.id, registry_id=registry_id, public=person.public
            )
            db.session.add(profile)
            accreditation = Accreditation(
                profile=profile,
                role=person.role,
                status=person.status,
                valid_from=person.valid_from,
                valid_until=person.valid_until,
                countries=list(person.countries),
                specialist_areas=list(person.specialist_areas),
                created_at=at(person.valid_from),
            )
            for scope in person.scopes:
                standard, sector, version, *rest = scope
                status = rest[0] if rest else "active"
                lapsed = at(rest[1]) if len(rest) > 1 else None
                accreditation.scopes.append(
                    AccreditationScope(
                        standard=standard,
                        sector=sector,
                        version=version,
                        status=status,
                        lapsed_at=lapsed,
                    )
                )
            db.session.add(accreditation)
            history = [(None, "active", person.valid_from), *person.changes]
            for from_status, to_status, on in history:
                db.session.add(
                    StatusChange(
                        accreditation=accreditation,
                        from_status=from_status,
                        to_status=to_status,
                        reason="test",
                        occurred_at=at(on),
                    )
                )
            courses = {c.slug: c for c in db.session.scalars(select(Course))}
            for n, (slug, issued_on, *revoked) in enumerate(person.courses):
                course = courses[slug]
                db.session.add(
                    Certificate(
                        code=f"T{self.count:03d}-{n:04d}-AAAA-BBBB-CCCC",
                        user_id=user.id,
                        course_id=course.id,
                        course_title=course.title,
                        course_version=course.version,
                        holder_name=person.name,
                        issued_at=at(issued_on),
                        issued_on=issued_on,
                        expires_on=expiry_date(issued_on, course.certificate_validity_months),
                        revoked_at=at(revoked[0]) if revoked else None,
                        revoke_reason="test" if revoked else None,
                    )
                )
            for entity, start, end in person.declarations:
                db.session.add(
                    ConflictDeclaration(
                        user_id=user.id,
                        status="declared",
                        entity=entity,
                        nature="consulting",
                        start_date=start,
                        end_date=end,
                    )
                )
            for language in person.languages:
                db.session.add(
                    LanguageSkill(
                        user_id=user.id,
                        status="verified",
                        verified_at=utcnow(),
                        language=language,
                        proficiency="C1",
                    )
                )
            for firm_name in person.firms:
                firm = db.session.scalar(select(AuditFirm).where(AuditFirm.name == firm_name))
                if firm is None:
                    firm = AuditFirm(
                        name=firm_name,
                        country="NO",
                        accreditation_body="Norsk akkreditering",
                        accreditation_standard="ISO/IEC 17021-1",
                    )
                    db.session.add(firm)
                db.session.add(FirmAffiliation(firm=firm, profile=profile, since=person.valid_from))
            db.session.commit()
        return registry_id


@pytest.fixture
def registry(app, make_user, synced_courses):
    return RegistryBuilder(app, make_user)


@pytest.fixture
def member(make_user):
    return make_user("member")


@pytest.fixture
def member_token(app, member):
    """A member's API token (the secret)."""
    with app.app_context():
        created = tokens.create_token(db.session.get(User, member.id), "tests")
        db.session.commit()
        return created.secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
