"""What an approval creates: the person's registry profile (with its registry id, issued
once and kept forever) and the accreditation, new or extended.

Validity: from the decision date to the same date ``validity_years`` later, less one day
(approved on 2026-11-26 with 3 years: valid until 2029-11-25). A renewal starts a new period
the same way, but never shortens the one it extends.

Each scope records the standard version the holder is trained for: the version of their
valid course for that standard (the current version's course first); when the reviewer
approved without one, the version of their latest course for it, or else the current one.
"""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from educational.catalog.content import Scheme
from educational.core.audit import record_event
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.records import CourseRecord

from .checklist import courses_of
from .models import (
    Accreditation,
    AccreditationScope,
    AccreditationStatus,
    Application,
    ApplicationKind,
    RegistryProfile,
    RegistrySequence,
    ScopeStatus,
    StatusChange,
)
from .rules import add_months
from .rules.training import standard_course_on
from .rules.versions import versions_on

#: Digits of the number in a registry id: "ASI-000001".
REGISTRY_DIGITS = 6


def validity_end(valid_from: date, years: int) -> date:
    """The last valid day of a period of ``years`` starting on ``valid_from``."""
    return add_months(valid_from, 12 * years) - timedelta(days=1)


def next_registry_id(prefix: str) -> str:
    """A new registry id for the scheme ``prefix``, never issued before.

    The number is taken by one atomic ``UPDATE ... RETURNING`` of the scheme's counter row,
    which PostgreSQL locks until the transaction ends (SQLite writers hold the database's
    write lock): two approvals at the same time wait for each other instead of sharing a
    number, and a rolled-back approval gives its number back unused."""
    table = RegistrySequence.__table__
    take = (
        update(table)
        .where(table.c.prefix == prefix)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    )
    number = db.session.execute(take).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.add(RegistrySequence(prefix=prefix, last_number=0))
        except IntegrityError:
            pass  # another approval created the counter first; use it
        number = db.session.execute(take).scalar()
    registry_id = f"{prefix}-{number:0{REGISTRY_DIGITS}d}"
    # Ids written by other means (an import) are skipped, never issued twice.
    while db.session.scalar(
        select(RegistryProfile.id).where(RegistryProfile.registry_id == registry_id)
    ):
        number = db.session.execute(take).scalar()
        registry_id = f"{prefix}-{number:0{REGISTRY_DIGITS}d}"
    return registry_id


def ensure_profile(scheme: Scheme, user, *, public: bool, actor, now: datetime) -> RegistryProfile:
    """The person's registry profile, created with a new registry id at their first approval,
    when the consent given in the approved application (``public``) becomes the profile's.

    An existing profile's consent is never touched: it is the holder's, changed only by the
    holder (``services.set_consent``). An approval by staff must not publish someone who
    withdrew consent while the application waited, nor unpublish a public holder."""
    profile = db.session.scalar(select(RegistryProfile).where(RegistryProfile.user_id == user.id))
    if profile is None:
        profile = RegistryProfile(
            user_id=user.id,
            registry_id=next_registry_id(scheme.code),
            public=public,
            consent_changed_at=now,
            created_at=now,
        )
        db.session.add(profile)
        db.session.flush()
        record_event(
            "registry.profile_created",
            profile,
            actor=actor,
            registry_id=profile.registry_id,
            user_id=user.id,
            public=public,
        )
    return profile


def trained_version(
    scheme: Scheme, standard_code: str, courses: tuple[CourseRecord, ...], on: date
) -> str:
    """The standard version the holder's valid course is for (see the module docstring)."""
    standard = scheme.standards[standard_code]
    best = standard_course_on(standard, courses, on)
    if best is not None:
        return best.version or versions_on(standard, on).current or ""
    # Approved without a usable course (the reviewer overrode the requirement): the version
    # of the latest course passed for the standard, so the sweep lapses the scope if that
    # version is no longer usable; with none at all, the current version.
    taken = [
        c for c in courses if c.standard == standard_code and c.version and not c.revoked_by(on)
    ]
    if taken:
        return max(taken, key=lambda c: c.completed_on).version or ""
    return versions_on(standard, on).current or standard.versions[-1].version


def grant(
    scheme: Scheme,
    application: Application,
    staff,
    reason: str,
    *,
    on: date,
    now: datetime,
    scopes: list[dict] | None = None,
    countries: list[str] | None = None,
) -> Accreditation:
    """Create (initial) or extend (renewal) the accreditation the application asks for, with
    only the ``scopes`` and ``countries`` approved when the approval is partial (None: all
    those asked for; ``decisions.approval_of`` checks they are among them)."""
    user = application.user
    profile = ensure_profile(
        scheme, user, public=application.consent_to_publish, actor=staff, now=now
    )
    courses = courses_of(user.id)
    granted_scopes = [
        (s["standard"], s["sector"], trained_version(scheme, s["standard"], courses, on))
        for s in (application.scopes if scopes is None else scopes)
    ]
    granted_countries = list(application.countries if countries is None else countries)
    valid_until = validity_end(on, scheme.validity_years)
    if application.kind == ApplicationKind.RENEWAL:
        accreditation = _extend(
            application, granted_scopes, granted_countries, valid_until, reason, staff, on, now
        )
        action = "accreditation.renewed"
    else:
        accreditation = _create(
            application,
            profile,
            granted_scopes,
            granted_countries,
            valid_until,
            reason,
            staff,
            on,
            now,
        )
        action = "accreditation.granted"
    db.session.flush()
    record_event(
        action,
        accreditation,
        actor=staff,
        registry_id=profile.registry_id,
        role=accreditation.role,
        status=accreditation.status,
        valid_from=accreditation.valid_from.isoformat(),
        valid_until=accreditation.valid_until.isoformat(),
        scopes=[
            {"standard": s.standard, "sector": s.sector, "version": s.version, "status": s.status}
            for s in accreditation.scopes
        ],
        countries=accreditation.countries,
        specialist_areas=accreditation.specialist_areas,
        application_id=application.id,
        reason=reason,
    )
    return accreditation


def _create(
    application, profile, scopes, countries, valid_until, reason, staff, on, now
) -> Accreditation:
    held = db.session.scalar(
        select(Accreditation).where(
            Accreditation.profile_id == profile.id, Accreditation.role == application.role
        )
    )
    if held is not None:
        raise DomainError(
            _(
                "The applicant already holds an accreditation for this role (%(status)s). "
                "Reject this application; they can apply for a renewal instead.",
                status=held.status,
            )
        )
    accreditation = Accreditation(
        profile=profile,
        role=application.role,
        status=AccreditationStatus.ACTIVE,
        valid_from=on,
        valid_until=valid_until,
        countries=countries,
        specialist_areas=list(application.specialist_areas),
        application_id=application.id,
        created_at=now,
        updated_at=now,
    )
    accreditation.scopes = [
        AccreditationScope(standard=standard, sector=sector, version=version)
        for standard, sector, version in scopes
    ]
    db.session.add(accreditation)
    db.session.add(
        StatusChange(
            accreditation=accreditation,
            from_status=None,
            to_status=AccreditationStatus.ACTIVE,
            reason=reason,
            actor_id=staff.id,
            occurred_at=now,
        )
    )
    return accreditation


def _extend(application, scopes, countries, valid_until, reason, staff, on, now) -> Accreditation:
    accreditation = application.accreditation
    if accreditation is None or accreditation.profile.user_id != application.user_id:
        raise DomainError(_("This renewal names no accreditation of the applicant; reject it."))
    # renew() refuses an accreditation that is not renewable (suspended, withdrawn), and
    # reactivates an expired one.
    accreditation.renew(
        max(valid_until, accreditation.valid_until), reason, actor_id=staff.id, on=now
    )
    accreditation.valid_from = on
    accreditation.countries = countries
    accreditation.specialist_areas = list(application.specialist_areas)
    accreditation.application_id = application.id
    accreditation.updated_at = now
    wanted = {(standard, sector): version for standard, sector, version in scopes}
    for scope in accreditation.scopes:
        key = (scope.standard, scope.sector)
        if key in wanted:
            scope.version, scope.status, scope.lapsed_at = wanted.pop(key), ScopeStatus.ACTIVE, None
        elif scope.status == ScopeStatus.ACTIVE:
            # Not renewed: kept on the record as lapsed rather than erased.
            scope.status, scope.lapsed_at = ScopeStatus.LAPSED, now
    for (standard, sector), version in wanted.items():
        accreditation.scopes.append(
            AccreditationScope(standard=standard, sector=sector, version=version)
        )
    return accreditation
