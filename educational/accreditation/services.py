"""Application use cases for the applicant, and the look-ups the pages share. They take
explicit objects, enforce the scheme's rules, flush, and never commit.

An application is *initial* (for a role the person does not hold) or a *renewal* of one of
their accreditations (which also changes its scopes, countries and areas: a renewal is how a
holder adds or drops scopes). One person has at most one open application per role.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from educational.accounts.names import name_review_rule
from educational.catalog.content import Scheme
from educational.catalog.scheme import current_scheme
from educational.core.audit import AuditEvent, record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.permissions import has_role_permission, object_rule
from educational.core.urls import external_url
from educational.experience.validation import is_country

from . import checklist
from .models import (
    OPEN_APPLICATION_STATUSES,
    Accreditation,
    AccreditationStatus,
    Application,
    ApplicationKind,
    ApplicationStatus,
    RegistryProfile,
)
from .rules import Evaluation

#: The subject type of application events in the audit trail.
SUBJECT_TYPE = "applications"


@object_rule("own_application")
def _owns_application(user, application: Application) -> bool:
    return application.user_id == user.id


@name_review_rule("registry")
def _in_the_registry(user) -> bool:
    """Someone who holds or held an accreditation (profiles are never deleted): their name
    is on the public record, so a change of it waits for staff."""
    return profile_of(user.id) is not None


@object_rule("view_accreditation")
def _may_view_accreditation(user, accreditation: Accreditation) -> bool:
    return accreditation.profile.user_id == user.id or has_role_permission(user, "staff_area")


@dataclass
class Choices:
    """What the applicant chooses: the role and what it should cover."""

    role: str = ""
    #: (standard code, sector code) pairs.
    scopes: list[tuple[str, str]] = field(default_factory=list)
    #: ISO 3166-1 alpha-2 codes.
    countries: list[str] = field(default_factory=list)
    specialist_areas: list[str] = field(default_factory=list)
    consent_to_publish: bool = False
    statement: str = ""


@dataclass(frozen=True)
class RoleNeeds:
    """Which choices a role's requirements read."""

    scopes: bool
    countries: bool
    areas: bool


def today() -> date:
    """The day checklists are evaluated for and validity counted from: the UTC date."""
    return utcnow().date()


def require_scheme() -> Scheme:
    scheme = current_scheme()
    if scheme is None:
        raise DomainError(
            _(
                "The scheme's rules are not loaded yet. Ask the secretariat to sync the "
                "courses, then try again."
            )
        )
    return scheme


def role_needs(scheme: Scheme, role: str) -> RoleNeeds:
    kinds = {requirement.kind for requirement in scheme.role_requirements(role)}
    return RoleNeeds(
        scopes=bool(kinds & {"standard_course", "sector_experience"}),
        countries="country_experience" in kinds,
        areas="specialist_area_evidence" in kinds,
    )


def clean_choices(scheme: Scheme, choices: Choices) -> Choices:
    """The choices checked against the scheme, without duplicates; choices the role does
    not use are dropped (a specialist has no scopes, an auditor no specialist areas)."""
    if choices.role not in scheme.roles:
        raise DomainError(_("Choose the role you apply for."), field="role")
    needs = role_needs(scheme, choices.role)
    scopes: list[tuple[str, str]] = []
    for standard_code, sector in choices.scopes if needs.scopes else ():
        standard = scheme.standards.get(standard_code)
        if standard is None or sector not in standard.sectors:
            raise DomainError(
                _("Choose scopes from the list: each standard with a sector it covers."),
                field="scopes",
            )
        if (standard_code, sector) not in scopes:
            scopes.append((standard_code, sector))
    countries: list[str] = []
    for code in choices.countries:
        code = (code or "").strip().upper()
        if not is_country(code):
            raise DomainError(_("Choose countries from the list."), field="countries")
        if code not in countries:
            countries.append(code)
    areas: list[str] = []
    for area in choices.specialist_areas if needs.areas else ():
        if area not in scheme.specialist_areas:
            raise DomainError(_("Choose specialist areas from the list."), field="specialist_areas")
        if area not in areas:
            areas.append(area)
    statement = (choices.statement or "").strip()
    if len(statement) > 5000:
        raise DomainError(_("Shorten the note to 5000 characters."), field="statement")
    return Choices(
        choices.role, scopes, countries, areas, bool(choices.consent_to_publish), statement
    )


def _require_complete(scheme: Scheme, application: Application) -> None:
    """Before submission: something chosen for each thing the role's rules read."""
    needs = role_needs(scheme, application.role)
    if needs.scopes and not application.scopes:
        raise DomainError(
            _("Choose at least one scope (a standard and a sector), then submit."), field="scopes"
        )
    if needs.countries and not application.countries:
        raise DomainError(_("Choose at least one country, then submit."), field="countries")
    if needs.areas and not application.specialist_areas:
        raise DomainError(
            _("Choose at least one specialist area, then submit."), field="specialist_areas"
        )


# Look-ups


def profile_of(user_id: int) -> RegistryProfile | None:
    return db.session.scalar(select(RegistryProfile).where(RegistryProfile.user_id == user_id))


def accreditations_of(user_id: int) -> list[Accreditation]:
    return list(
        db.session.scalars(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.user_id == user_id)
            .order_by(Accreditation.id)
        )
    )


def accreditation_for_role(user_id: int, role: str) -> Accreditation | None:
    return db.session.scalar(
        select(Accreditation)
        .join(RegistryProfile)
        .where(RegistryProfile.user_id == user_id, Accreditation.role == role)
    )


def applications_of(user_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.user_id == user_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def find_application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def application_history(application: Application) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == SUBJECT_TYPE,
                AuditEvent.subject_id == str(application.id),
            )
            .order_by(AuditEvent.id)
        )
    )


def evaluate_application(
    scheme: Scheme, application: Application, as_of: date | None = None
) -> Evaluation:
    """The application's checklist, evaluated now (or on ``as_of``)."""
    return checklist.evaluate_person(
        scheme,
        application.user_id,
        application.role,
        scopes=[(s["standard"], s["sector"]) for s in application.scopes],
        countries=application.countries,
        specialist_areas=application.specialist_areas,
        as_of=as_of or today(),
        renewal=application.kind == ApplicationKind.RENEWAL,
    )


def role_label(role: str, scheme: Scheme | None = None) -> str:
    """The role's name in the scheme ("ASI Accredited Auditor"), or its code."""
    scheme = scheme or current_scheme()
    return scheme.roles[role].name if scheme and role in scheme.roles else role


def link(endpoint: str, **values) -> str:
    """An absolute link for e-mail, under PUBLIC_URL, in a request or outside one (the
    sweep, from cron)."""
    return external_url(endpoint, **values)


# The applicant's use cases


def _require_owner(application: Application, user) -> None:
    if application.user_id != user.id:
        raise DomainError(_("Only the applicant can change this application."))


def _check_role_is_free(application: Application) -> None:
    """One open application per role; an initial one only for a role not held."""
    others = db.session.scalar(
        select(Application.id).where(
            Application.user_id == application.user_id,
            Application.role == application.role,
            Application.status.in_(OPEN_APPLICATION_STATUSES),
            Application.id != (application.id or 0),
        )
    )
    if others is not None:
        raise DomainError(
            _("You already have an open application for this role; continue that one instead."),
            field="role",
        )
    if application.kind == ApplicationKind.RENEWAL:
        return
    held = accreditation_for_role(application.user_id, application.role)
    if held is not None and held.status == AccreditationStatus.WITHDRAWN:
        raise DomainError(
            _(
                "Your accreditation for this role was withdrawn. Contact the secretariat "
                "before applying again."
            ),
            field="role",
        )
    if held is not None:
        raise DomainError(
            _(
                "You already hold an accreditation for this role. Apply for its renewal from "
                "your accreditation page to renew it or change its scopes."
            ),
            field="role",
        )


def _check_renewable(accreditation: Accreditation, user) -> None:
    if accreditation.profile.user_id != user.id:
        raise DomainError(_("You can only renew your own accreditation."))
    if accreditation.status == AccreditationStatus.WITHDRAWN:
        raise DomainError(
            _("A withdrawn accreditation cannot be renewed. Contact the secretariat.")
        )
    if accreditation.status == AccreditationStatus.SUSPENDED:
        raise DomainError(
            _(
                "A suspended accreditation cannot be renewed until the secretariat reinstates "
                "it. Contact the secretariat."
            )
        )


def create_application(
    user, choices: Choices, *, accreditation: Accreditation | None = None
) -> Application:
    """A draft: initial, or the renewal of ``accreditation`` (whose role it keeps)."""
    scheme = require_scheme()
    if accreditation is not None:
        _check_renewable(accreditation, user)
        choices.role = accreditation.role
    cleaned = clean_choices(scheme, choices)
    application = Application(
        user_id=user.id,
        kind=ApplicationKind.RENEWAL if accreditation else ApplicationKind.INITIAL,
        accreditation_id=accreditation.id if accreditation else None,
        status=ApplicationStatus.DRAFT,
    )
    _apply(application, cleaned)
    _check_role_is_free(application)
    db.session.add(application)
    db.session.flush()
    _holder_consent(user, cleaned.consent_to_publish)
    return application


def update_application(application: Application, user, choices: Choices) -> None:
    """Save the applicant's changes to a draft, or to an application staff asked about."""
    _require_owner(application, user)
    if not application.is_editable:
        raise DomainError(
            _("This application is with the secretariat or decided; it can no longer change.")
        )
    scheme = require_scheme()
    if application.kind == ApplicationKind.RENEWAL:
        choices.role = application.role
    cleaned = clean_choices(scheme, choices)
    _apply(application, cleaned)
    _check_role_is_free(application)
    db.session.flush()
    _holder_consent(user, cleaned.consent_to_publish)


def _holder_consent(user, public: bool) -> None:
    """For someone already in the registry, the application form's consent box shows their
    current listing (the form starts from it), and changing it there changes the listing at
    once, as the holder's own act: the approval later leaves consent alone."""
    profile = profile_of(user.id)
    if profile is not None and profile.public != public:
        set_consent(user, public, via="application")


def _apply(application: Application, cleaned: Choices) -> None:
    application.role = cleaned.role
    application.scopes = [{"standard": std, "sector": sector} for std, sector in cleaned.scopes]
    application.countries = cleaned.countries
    application.specialist_areas = cleaned.specialist_areas
    application.consent_to_publish = cleaned.consent_to_publish
    application.statement = cleaned.statement


def submit_application(application: Application, user) -> Evaluation:
    """Send it to the secretariat with the checklist as it stands; unmet requirements do
    not stop it (staff see them flagged). Returns the evaluation."""
    _require_owner(application, user)
    scheme = require_scheme()
    _require_complete(scheme, application)
    _check_role_is_free(application)
    if application.kind == ApplicationKind.RENEWAL:
        accreditation = application.accreditation
        if accreditation is None:
            raise DomainError(_("Choose the accreditation to renew."))
        _check_renewable(accreditation, user)
    evaluation = evaluate_application(scheme, application)
    again = application.status == ApplicationStatus.INFO_REQUESTED
    application.submit(checklist.as_json(evaluation), on=utcnow())
    record_event(
        "application.resubmitted" if again else "application.submitted",
        application,
        actor=user,
        kind=application.kind,
        role=application.role,
        scopes=application.scopes,
        countries=application.countries,
        specialist_areas=application.specialist_areas,
        consent_to_publish=application.consent_to_publish,
        as_of=evaluation.as_of.isoformat(),
        unmet=[result.code for result in evaluation.unmet],
    )
    queue_mail(
        user.email,
        _("We have received your application"),
        "application_submitted",
        user=user,
        application=application,
        role=role_label(application.role, scheme),
        unmet=len(evaluation.unmet),
        url=link("accreditation.application", application_id=application.id),
    )
    return evaluation


def withdraw_application(application: Application, user) -> None:
    _require_owner(application, user)
    previous = application.status
    application.withdraw()
    db.session.flush()
    if previous != ApplicationStatus.DRAFT:
        record_event("application.withdrawn", application, actor=user, previous_status=previous)


def set_consent(user, public: bool, *, via: str = "accreditation_page") -> RegistryProfile:
    """The holder gives or withdraws consent to appear in the public registry, at any time.
    Only the holder does: an approval applies an application's consent only when it creates
    the profile (``granting.ensure_profile``). ``via`` records where the holder did it."""
    profile = profile_of(user.id)
    if profile is None:
        raise DomainError(
            _("You have no registry entry yet; give your consent in your application.")
        )
    if profile.public != public:
        profile.public, profile.consent_changed_at = public, utcnow()
        record_event(
            "registry.consent_changed",
            profile,
            actor=user,
            registry_id=profile.registry_id,
            public=public,
            via=via,
        )
    return profile
