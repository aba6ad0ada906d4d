"""Accreditation through its services: a record that qualifies (verified experience and
course certificates), applications and decisions."""

from datetime import date, timedelta

from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import decisions, services
from educational.accreditation.models import Accreditation, Application
from educational.catalog.models import SchemeConfig
from educational.catalog.services import course_by_slug
from educational.certificates.services import issue_certificate
from educational.core.db import db, today, utcnow
from educational.experience import services as experience

from .experience import QUALIFICATION, SMELTING, qualifying_audit

#: The courses an auditor of PS / aluminium smelting needs.
AUDITOR_COURSES = ("asi-auditor", "ps-v3-auditors")


def log_verified(user, staff, kind: str, data: dict):
    """An experience entry submitted by ``user`` and verified by ``staff``."""
    entry = experience.create_entry(user, kind, data, submit=True)
    entry.verify(staff)
    return entry


def qualify(
    app,
    user_id: int,
    staff_id: int,
    *,
    audits: int = 4,
    audit_ends: list[date] | None = None,
    courses=AUDITOR_COURSES,
    qualification: bool = True,
    country: str = "NO",
    base_url: str | None = None,
) -> None:
    """Give the user verified experience and course certificates (by default everything an
    auditor for PS / aluminium smelting in Norway needs)."""
    with app.test_request_context(base_url=base_url):
        user, staff = db.session.get(User, user_id), db.session.get(User, staff_id)
        ends = audit_ends or [today() - timedelta(days=30 * (n + 1)) for n in range(audits)]
        for end in ends:
            log_verified(user, staff, "audit", qualifying_audit(end, country=country))
        if qualification:
            log_verified(user, staff, "qualification", QUALIFICATION)
        for slug in courses:
            issue_certificate(user, course_by_slug(slug), issued_at=utcnow())
        db.session.commit()


def apply(
    app,
    user_id: int,
    *,
    role: str = "auditor",
    scopes=(("PS", SMELTING),),
    countries=("NO",),
    areas=(),
    consent: bool = True,
    submit: bool = True,
    renew: int | None = None,
) -> int:
    """The id of the user's new application (submitted unless told otherwise)."""
    with app.test_request_context():
        user = db.session.get(User, user_id)
        accreditation = db.session.get(Accreditation, renew) if renew else None
        application = services.create_application(
            user,
            services.Choices(role, list(scopes), list(countries), list(areas), consent),
            accreditation=accreditation,
        )
        if submit:
            services.submit_application(application, user)
        db.session.commit()
        return application.id


def decide(
    app, application_id: int, staff_id: int, decision: str = "approve", reason="Looks good.", **kw
) -> str:
    """Staff decide on the application; the outcome."""
    with app.test_request_context():
        application = db.session.get(Application, application_id)
        outcome = decisions.decide_application(
            application, db.session.get(User, staff_id), decision, reason, **kw
        )
        db.session.commit()
        return outcome


def set_four_eyes(app, value: bool = True) -> None:
    with app.app_context():
        row = db.session.scalar(select(SchemeConfig))
        row.data = {**row.data, "four_eyes": value}
        db.session.commit()


def witnessed(app, user_id: int, staff_id: int, days_ago: int = 100) -> int:
    """A satisfactory witness assessment of the user's auditor accreditation ``days_ago``
    days back: what a renewal needs besides CPD (``witness`` in scheme.yml)."""
    from educational.accreditation.models import RegistryProfile
    from educational.monitoring.models import Assessment

    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.user_id == user_id)
            .order_by(Accreditation.id)
        )
        assessment = Assessment(
            kind="witness",
            accreditation_id=accreditation.id,
            user_id=user_id,
            assessed_on=today() - timedelta(days=days_ago),
            entity="Witnessed Smelter AS",
            standard="PS",
            sector="aluminium-smelting",
            country="NO",
            assessor_name="Assessor",
            result="satisfactory",
            created_by_id=staff_id,
        )
        db.session.add(assessment)
        db.session.commit()
        return assessment.id
