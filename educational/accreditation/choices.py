"""What an applicant chooses (a role, and the scopes, countries and specialist areas it
covers), checked against the scheme: which choices a role reads, cleaning them, and whether
an application is complete enough to submit. No database."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from educational.catalog.content import Scheme
from educational.core.errors import DomainError
from educational.core.names import is_country

from .models import Application


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


def role_needs(scheme: Scheme, role: str) -> RoleNeeds:
    kinds = {requirement.kind for requirement in scheme.role_requirements(role)}
    return RoleNeeds(
        # Roles held for the whole scheme (``scoped: false`` in scheme.yml) have no scopes.
        scopes=scheme.is_scoped(role),
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


def require_complete(scheme: Scheme, application: Application) -> None:
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
