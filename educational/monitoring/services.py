"""Recording witness assessments and report reviews, and reading them: the person's own
list, their record for the rules engine, and the facts for their next witness date."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any, BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    Application,
    ApplicationKind,
    ApplicationStatus,
    RegistryProfile,
)
from educational.accreditation.services import link, role_label
from educational.catalog.content import Scheme
from educational.core.audit import record_event
from educational.core.db import db, today, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.mail import queue_mail
from educational.core.names import is_country
from educational.core.records import ASSESSMENT_RESULTS, AssessmentRecord, utc_day
from educational.experience import uploads

from .labels import RESULT_LABELS
from .models import ASSESSMENT_KINDS, Assessment, AssessmentEvidence

Upload = tuple[BinaryIO, str]
#: Evidence files per assessment at the most.
MAX_FILES = 10

#: The assessment's free-text fields and their longest values (the columns').
TEXT_LIMITS = {"entity": 200, "assessor_name": 200, "notes": 10_000}


# Who may be assessed


def witnessed(scheme: Scheme, accreditation: Accreditation) -> bool:
    """Whether holders of the accreditation's role are witnessed at all (scheme.yml)."""
    return bool(scheme.witness_every_months(accreditation.role))


def assessable(scheme: Scheme, accreditation: Accreditation, kind: str) -> bool:
    """Witness assessments for the roles scheme.yml has witnessed; report reviews for any
    auditor role (one with standards and sectors in scope). Active accreditations only."""
    if accreditation.shown_status(today()) != AccreditationStatus.ACTIVE:
        return False
    if kind == "witness":
        return witnessed(scheme, accreditation)
    return witnessed(scheme, accreditation) or bool(accreditation.scopes)


def active_accreditations() -> list[Accreditation]:
    """Every accreditation active today, with its holder, by holder name."""
    query = (
        select(Accreditation)
        .join(Accreditation.profile)
        .join(User, User.id == RegistryProfile.user_id)
        .where(Accreditation.shows(AccreditationStatus.ACTIVE, today()))
        .options(
            selectinload(Accreditation.scopes),
            selectinload(Accreditation.profile).selectinload(RegistryProfile.user),
        )
        .order_by(User.name, Accreditation.id)
    )
    return list(db.session.scalars(query))


# Recording


def _clean(scheme: Scheme, data: dict[str, Any]) -> dict[str, Any]:
    """The assessment's values, checked; a ``DomainError`` on the field at fault."""
    kind = data.get("kind")
    if kind not in ASSESSMENT_KINDS:
        raise DomainError(_("Choose a witness assessment or a report review."), field="kind")
    result = data.get("result")
    if result not in ASSESSMENT_RESULTS:
        raise DomainError(_("Choose the result."), field="result")
    accreditation = db.session.get(Accreditation, data.get("accreditation_id") or 0)
    if accreditation is None or not assessable(scheme, accreditation, kind):
        raise DomainError(
            _("Choose an active accredited auditor whose role is assessed this way."),
            field="accreditation_id",
        )
    day = data.get("assessed_on")
    if not isinstance(day, date):
        raise DomainError(_("Enter the date of the audit or review."), field="assessed_on")
    if day > today():
        raise DomainError(
            _("The date cannot be in the future; record the assessment once it has taken place."),
            field="assessed_on",
        )
    standard = data.get("standard") or ""
    if standard not in scheme.standards:
        raise DomainError(_("Choose the standard audited against."), field="standard")
    sector = data.get("sector") or ""
    if sector and sector not in scheme.standards[standard].sectors:
        raise DomainError(
            _("That sector is not one of the standard's; choose another or none."),
            field="sector",
        )
    country = (data.get("country") or "").upper()
    if not is_country(country):
        raise DomainError(_("Choose the country of the audit."), field="country")
    values = {}
    for name, limit in TEXT_LIMITS.items():
        text = (data.get(name) or "").strip()
        if len(text) > limit:
            raise DomainError(_("Shorten this text."), field=name)
        values[name] = text
    for name in ("entity", "assessor_name"):
        if not values[name]:
            raise DomainError(_("This field is required."), field=name)
    return {
        **values,
        "kind": kind,
        "result": result,
        "accreditation": accreditation,
        "assessed_on": day,
        "standard": standard,
        "sector": sector,
        "country": country,
    }


def record_assessment(
    scheme: Scheme, staff, data: dict[str, Any], files: Iterable[Upload] = ()
) -> Assessment:
    """Record a witness assessment or report review (``data`` by the form's field names),
    with its evidence files; an audit event, and an e-mail to the person assessed."""
    values = _clean(scheme, data)
    checked = [uploads.check_upload(stream, name) for stream, name in files]
    if len(checked) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)d files; combine some into one PDF.", n=MAX_FILES),
            field="evidence",
        )
    accreditation = values.pop("accreditation")
    now = utcnow()
    assessment = Assessment(
        **values,
        accreditation_id=accreditation.id,
        user_id=accreditation.profile.user_id,
        created_at=now,
        created_by_id=staff.id,
    )
    db.session.add(assessment)
    for item in checked:
        assessment.evidence.append(
            AssessmentEvidence(
                **uploads.stored(item, db.session),
                uploaded_at=now,
            )
        )
    db.session.flush()
    record_event(
        f"assessment.{assessment.kind}_recorded",
        assessment,
        actor=staff,
        user_id=assessment.user_id,
        accreditation_id=accreditation.id,
        role=accreditation.role,
        assessed_on=assessment.assessed_on.isoformat(),
        result=assessment.result,
        entity=assessment.entity,
        standard=assessment.standard,
        sector=assessment.sector,
        country=assessment.country,
        assessor=assessment.assessor_name,
        evidence=[e.sha256 for e in assessment.evidence],
    )
    _mail_person(assessment, accreditation)
    return assessment


KIND_SUBJECTS = {
    "witness": _l("A witness assessment of your work is recorded"),
    "report_review": _l("A review of your audit report is recorded"),
}


def _mail_person(assessment: Assessment, accreditation: Accreditation) -> None:
    person = accreditation.profile.user
    queue_mail(
        person,
        KIND_SUBJECTS[assessment.kind],
        "assessment_recorded",
        user=person,
        assessment=assessment,
        # Lazy: made in the recipient's language, as the rest of the message.
        role=LazyString(role_label, accreditation.role),
        result=RESULT_LABELS[assessment.result],
        url=link("monitoring.index"),
    )


# Appeals


def overturn(assessment: Assessment, staff, reasons: str) -> None:
    """An appeal overturned the assessment: it stops counting (schedule, renewal)."""
    if assessment.overturned_at is not None:
        raise NotAllowed(_l("This assessment is already overturned."))
    if not assessment.appealable:
        raise NotAllowed(_l("A satisfactory assessment cannot be appealed."))
    assessment.overturned_at = utcnow()
    assessment.overturned_by_id = staff.id
    db.session.flush()
    record_event(
        "assessment.overturned",
        assessment,
        actor=staff,
        user_id=assessment.user_id,
        kind=assessment.kind,
        result=assessment.result,
        reasons=reasons,
    )


# Reading


def assessments_of(user_id: int) -> list[Assessment]:
    """The person's assessments, newest first, with their files."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.user_id == user_id)
            .options(selectinload(Assessment.evidence))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        )
    )


def assessment_records_by_user(
    user_ids: Collection[int] | None = None,
) -> dict[int, tuple[AssessmentRecord, ...]]:
    """Assessments for the rules engine, oldest first, by user id: of ``user_ids``, or of
    everyone; overturned ones included, marked as not counting. One query."""
    query = select(Assessment).order_by(Assessment.assessed_on, Assessment.id)
    if user_ids is not None:
        query = query.where(Assessment.user_id.in_(user_ids))
    found: dict[int, list[AssessmentRecord]] = defaultdict(list)
    for row in db.session.scalars(query):
        found[row.user_id].append(row.as_record())
    return {user_id: tuple(records) for user_id, records in found.items()}


def assessment_records(user_id: int) -> tuple[AssessmentRecord, ...]:
    """The person's assessments for the rules engine (``PersonRecord.assessments``)."""
    return assessment_records_by_user([user_id]).get(user_id, ())


def new_sectors_by_accreditation(
    accreditations: Collection[Accreditation], user_ids: Collection[int] | None = None
) -> dict[int, list[tuple[date, str]]]:
    """Sectors added to each accreditation's scope after it was first granted, each with
    the day the application that added it was approved (scopes carry no date of their
    own), by accreditation id. The approved applications of ``user_ids`` (None: everyone)
    are read in one query.

    The first approved application (the initial grant) sets the starting sectors; each later
    approved renewal adds the sectors it asked for that were not held before and are in
    the scope today (a partial approval may have left some out)."""
    query = (
        select(Application)
        .where(
            Application.status == ApplicationStatus.APPROVED,
            Application.decided_at.is_not(None),
        )
        .order_by(Application.decided_at, Application.id)
    )
    if user_ids is not None:
        query = query.where(Application.user_id.in_(user_ids))
    approved: dict[tuple[int, str], list[Application]] = defaultdict(list)
    for application in db.session.scalars(query):
        approved[(application.user_id, application.role)].append(application)
    return {
        accreditation.id: _added_sectors(
            accreditation, approved.get((accreditation.profile.user_id, accreditation.role), [])
        )
        for accreditation in accreditations
    }


def _added_sectors(
    accreditation: Accreditation, approved: list[Application]
) -> list[tuple[date, str]]:
    held_now = {scope.sector for scope in accreditation.scopes if scope.status == "active"}
    added: list[tuple[date, str]] = []
    seen: set[str] | None = None
    for application in approved:
        sectors = {scope.get("sector") for scope in application.scopes or ()}
        if seen is None or application.kind != ApplicationKind.RENEWAL:
            seen = (seen or set()) | sectors
            continue
        day = utc_day(application.decided_at)
        for sector in sorted(sectors - seen):
            if sector in held_now and day is not None:
                added.append((day, sector))
        seen |= sectors
    return added
