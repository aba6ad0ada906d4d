"""Application use cases for the applicant: apply (initial or renewal), edit, submit,
withdraw, and the holder's consent to be listed. They take explicit objects, enforce the
scheme's rules, flush, and never commit. What the applicant may choose is ``choices``; the
look-ups are ``queries``; staff decisions are ``decisions``.

An application is *initial* (for a role the person does not hold) or a *renewal* of one of
their accreditations (which also changes its scopes, countries and areas: a renewal is how a
holder adds or drops scopes). One person has at most one open application per role.
"""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from educational.accounts.names import name_review_rule
from educational.catalog.content import Scheme
from educational.catalog.scheme import current_scheme, named
from educational.core.audit import record_event
from educational.core.db import db, today, utcnow
from educational.core.errors import DomainError
from educational.core.mail import Subject, queue_mail
from educational.core.permissions import has_role_permission, object_rule
from educational.core.urls import external_url

from . import checklist
from .choices import Choices, clean_choices, require_complete
from .models import (
    OPEN_APPLICATION_STATUSES,
    Accreditation,
    AccreditationStatus,
    Application,
    ApplicationKind,
    ApplicationStatus,
    RegistryProfile,
)
from .queries import accreditation_for_role, profile_of
from .queries import accreditations_of as accreditations_of  # where callers look for it
from .rules import Evaluation, UnknownRequirementKind


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


def evaluate_choices(
    scheme: Scheme, user_id: int, choices: Choices, *, renewal: bool = False
) -> Evaluation | None:
    """The checklist for what the applicant is choosing, today: the live checklist of the
    accreditation page and the application form. None while the choices are not valid yet
    (no role, a scope not in the list) or the rules name a requirement this code lacks."""
    if choices.role not in scheme.roles:
        return None
    try:
        cleaned = clean_choices(scheme, choices)
        return checklist.evaluate_person(
            scheme,
            user_id,
            cleaned.role,
            scopes=cleaned.scopes,
            countries=cleaned.countries,
            specialist_areas=cleaned.specialist_areas,
            as_of=today(),
            renewal=renewal,
        )
    except (DomainError, UnknownRequirementKind):  # nothing to show yet, not a failure
        return None


def role_label(role: str, scheme: Scheme | None = None) -> str:
    """The role's name in the scheme ("ASI Accredited Auditor"), or its code."""
    scheme = scheme or current_scheme()
    return named(scheme, "roles", role)


def link(endpoint: str, **values) -> str:
    """An absolute link for e-mail, under PUBLIC_URL, in a request or outside one (the
    sweep, from cron)."""
    return external_url(endpoint, **values)


def mail_holder(accreditation: Accreditation, subject: Subject, template: str, **context) -> None:
    """E-mail the holder of ``accreditation`` about it, with the link to their page."""
    holder = accreditation.profile.user
    queue_mail(
        holder,
        subject,
        template,
        user=holder,
        accreditation=accreditation,
        url=link("accreditation.index"),
        **context,
    )


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
    if accreditation.renewable:
        return
    if accreditation.status == AccreditationStatus.WITHDRAWN:
        raise DomainError(
            _("A withdrawn accreditation cannot be renewed. Contact the secretariat.")
        )
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
    require_complete(scheme, application)
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
        user,
        _l("We have received your application"),
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
