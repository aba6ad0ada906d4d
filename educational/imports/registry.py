"""``flask registry import``: bring an existing registry in, one row per accreditation scope.

Two steps. ``read_registry`` checks the whole file against the scheme and itself (pure but
for the scheme) and groups the rows into people and their accreditations; ``apply_registry``
brings the database in line with them, touching only what differs, so the same file twice
changes nothing. Every record added or changed is an audit event whose actor is "import",
carrying the file's SHA-256 and line."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AccreditationStatus,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    RegistrySequence,
    StatusChange,
)
from educational.catalog.content import Scheme
from educational.core.db import db, utcnow
from educational.experience.models import EntryStatus, LanguageSkill

from .problems import Problems
from .report import ImportReport
from .rows import Cells
from .tables import read_table

REQUIRED = (
    "registry_id",
    "name",
    "email",
    "role",
    "standard",
    "version",
    "sector",
    "specialist_areas",
    "countries",
    "languages",
    "valid_from",
    "valid_until",
    "status",
    "public",
)
OPTIONAL = ("firm",)
REGISTRY_ID = re.compile(r"[A-Z][A-Z0-9]*-[0-9]{1,12}")
STATUSES = frozenset(status.value for status in AccreditationStatus)
#: A password hash no password matches: imported people set theirs from an invitation or
#: a reset link.
NO_PASSWORD = "!imported"  # noqa: S105 (not a password: a hash nothing matches)


@dataclass
class ScopePlan:
    standard: str
    version: str
    sector: str


@dataclass
class AccreditationPlan:
    role: str
    status: str
    valid_from: date
    valid_until: date
    countries: tuple[str, ...]
    specialist_areas: tuple[str, ...]
    line: int
    scopes: dict[tuple[str, str], ScopePlan] = field(default_factory=dict)

    def same_terms(self, other: "AccreditationPlan") -> bool:
        return (self.status, self.valid_from, self.valid_until, self.countries) == (
            other.status,
            other.valid_from,
            other.valid_until,
            other.countries,
        ) and self.specialist_areas == other.specialist_areas


@dataclass
class PersonPlan:
    registry_id: str
    name: str
    email: str
    public: bool
    firm: str
    languages: tuple[tuple[str, str], ...]
    line: int
    accreditations: dict[str, AccreditationPlan] = field(default_factory=dict)


def read_registry(path: Path, scheme: Scheme, problems: Problems) -> list[PersonPlan]:
    """The people of the file, grouped; every problem is in ``problems``."""
    table = read_table(path, REQUIRED, OPTIONAL, problems)
    people: dict[str, PersonPlan] = {}
    owners: dict[str, str] = {}  # e-mail -> registry id
    for row in table.rows:
        cells = Cells(path, row, problems)
        person, accreditation, scope = _row(cells, scheme)
        if not cells.ok:
            continue
        known = people.get(person.registry_id)
        if known is None:
            if owners.get(person.email, person.registry_id) != person.registry_id:
                cells.fail(
                    f"email {person.email} is already given to {owners[person.email]} "
                    "on an earlier line"
                )
                continue
            people[person.registry_id] = known = person
            owners[person.email] = person.registry_id
        elif not _same_person(cells, known, person):
            continue
        held = known.accreditations.setdefault(accreditation.role, accreditation)
        if held is not accreditation and not held.same_terms(accreditation):
            cells.fail(
                f"the {accreditation.role} accreditation of {person.registry_id} has other "
                f"status, dates, countries or specialist areas on line {held.line}; they "
                "must agree on every row of one accreditation"
            )
            continue
        if scope is not None:
            key = (scope.standard, scope.sector)
            if key in held.scopes:
                cells.fail(
                    f"the scope {scope.standard}/{scope.sector} of {person.registry_id} "
                    f"({accreditation.role}) is given twice"
                )
                continue
            held.scopes[key] = scope
    prefix = f"{scheme.code}-"
    for person in people.values():
        if not person.registry_id.startswith(prefix):
            problems.add(
                path,
                person.line,
                f"registry_id {person.registry_id} does not start with the scheme's "
                f"prefix {prefix}",
            )
    return list(people.values())


def _row(cells: Cells, scheme: Scheme):
    registry_id = cells.matching("registry_id", REGISTRY_ID, "a registry id like ASI-000123")
    name = cells.text("name")
    email = cells.email()
    role_code = cells.choice("role", scheme.roles, "role")
    role = scheme.roles.get(role_code)
    scope = None
    specialist_areas: tuple[str, ...] = ()
    if role is not None and role.scoped:
        scope = _scope(cells, scheme)
        if cells.row["specialist_areas"]:
            cells.fail(f"specialist_areas must be empty for the role {role_code}")
    elif role is not None:
        for column in ("standard", "version", "sector"):
            if cells.row[column]:
                cells.fail(f"{column} must be empty for the role {role_code}")
        specialist_areas = tuple(
            sorted(cells.codes("specialist_areas", scheme.specialist_areas, "specialist area"))
        )
        if not specialist_areas and not cells.row["specialist_areas"]:
            cells.fail(f"specialist_areas is empty: the role {role_code} needs at least one")
    valid_from, valid_until = cells.day("valid_from"), cells.day("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        cells.fail(f"valid_until {valid_until} is before valid_from {valid_from}")
    person = PersonPlan(
        registry_id=registry_id,
        name=name,
        email=email,
        public=cells.yes_no("public"),
        firm=cells.text("firm", required=False),
        languages=cells.languages(),
        line=cells.row.line,
    )
    accreditation = AccreditationPlan(
        role=role_code,
        status=cells.choice("status", STATUSES, "status"),
        valid_from=valid_from,
        valid_until=valid_until,
        countries=cells.countries(),
        specialist_areas=specialist_areas,
        line=cells.row.line,
    )
    return person, accreditation, scope


def _scope(cells: Cells, scheme: Scheme) -> ScopePlan | None:
    standard = scheme.standards.get(cells.choice("standard", scheme.standards, "standard"))
    version, sector = cells.text("version"), cells.text("sector")
    if standard is None:
        return None
    versions = [item.version for item in standard.versions]
    if version and version not in versions:
        cells.fail(
            f"version {version!r} is not a version of {standard.code} "
            f"(known: {', '.join(versions)})"
        )
    if sector and sector not in standard.sectors:
        cells.fail(
            f"sector {sector!r} is not a sector of {standard.code} "
            f"(known: {', '.join(standard.sectors)})"
        )
    return ScopePlan(standard.code, version, sector)


def _same_person(cells: Cells, known: PersonPlan, person: PersonPlan) -> bool:
    for label in ("name", "email", "public", "firm", "languages"):
        if getattr(known, label) != getattr(person, label):
            cells.fail(
                f"{label} of {person.registry_id} differs from line {known.line}; every row of "
                "one person must agree"
            )
            return False
    return True


def check_against_database(people: list[PersonPlan], path: Path, problems: Problems) -> None:
    """E-mail addresses held by someone else already (another registry id, or an account
    that has a registry id of its own)."""
    by_email = {person.email: person for person in people}
    for chunk in _chunks(list(by_email)):
        rows = db.session.execute(
            select(User.email, RegistryProfile.registry_id)
            .outerjoin(RegistryProfile, RegistryProfile.user_id == User.id)
            .where(User.email.in_(chunk))
        )
        for email, registry_id in rows:
            person = by_email[email]
            if registry_id is not None and registry_id != person.registry_id:
                problems.add(
                    path,
                    person.line,
                    f"email {email} belongs to {registry_id} in the registry, not to "
                    f"{person.registry_id}",
                )


def apply_registry(people: list[PersonPlan], report: ImportReport, progress=iter) -> list[User]:
    """Bring the database in line with ``people``; returns the accounts created (for
    invitations). Flushes, never commits."""
    profiles = _existing_profiles([person.registry_id for person in people])
    users = _existing_users(
        [person.email for person in people if person.registry_id not in profiles]
    )
    firms = {firm.name: firm for firm in db.session.scalars(select(AuditFirm))}
    affiliated = _affiliated(list(profiles.values()))
    spoken = _spoken([profile.user_id for profile in profiles.values()])
    created: list[User] = []
    for person in progress(people):
        before = report.count
        profile = profiles.get(person.registry_id)
        new = profile is None
        if new:
            user = users.get(person.email)
            if user is None:
                user = User(email=person.email, name=person.name, password_hash=NO_PASSWORD)
                db.session.add(user)
                created.append(user)
            profile = RegistryProfile(
                user=user, registry_id=person.registry_id, public=person.public
            )
            db.session.add(profile)
        # An account that existed takes the file's name and address; a profile its consent.
        changes = _update_person(profile, person)
        _accreditations(profile, person, report)
        # The person's attachments and languages are listed in the person's own event.
        firm = _firm(profile, person, firms, affiliated, report)
        if firm:
            changes["firm_added"] = firm
        languages = _languages(profile.user, person, spoken.get(profile.user_id, set()))
        if languages:
            changes["languages_added"] = languages
        if new:
            report.added("person", person.registry_id, profile, line=person.line, **changes)
        elif changes:
            report.changed("person", person.registry_id, profile, changes, line=person.line)
        report.unchanged += report.count == before
    _continue_counter(people)
    return created


def _update_person(profile: RegistryProfile, person: PersonPlan) -> dict:
    user, changes = profile.user, {}
    for attribute, value in (("name", person.name), ("email", person.email)):
        if getattr(user, attribute) != value:
            changes[attribute] = [getattr(user, attribute), value]
            setattr(user, attribute, value)
    if profile.public != person.public:
        changes["public"] = [profile.public, person.public]
        profile.public, profile.consent_changed_at = person.public, utcnow()
    return changes


def _accreditations(profile: RegistryProfile, person: PersonPlan, report: ImportReport) -> None:
    held = {accreditation.role: accreditation for accreditation in profile.accreditations}
    for role, plan in person.accreditations.items():
        accreditation = held.get(role)
        label = f"{person.registry_id} {role}"
        if accreditation is None:
            accreditation = Accreditation(
                profile=profile,
                role=role,
                status=plan.status,
                valid_from=plan.valid_from,
                valid_until=plan.valid_until,
                countries=list(plan.countries),
                specialist_areas=list(plan.specialist_areas),
            )
            db.session.add(accreditation)
            db.session.add(
                StatusChange(
                    accreditation=accreditation,
                    from_status=None,
                    to_status=plan.status,
                    reason="imported",
                    occurred_at=utcnow(),
                )
            )
            for scope in plan.scopes.values():
                accreditation.scopes.append(_new_scope(scope))
            report.added("accreditation", label, accreditation, line=plan.line)
            continue
        changes = _update_accreditation(accreditation, plan)
        if changes:
            report.changed("accreditation", label, accreditation, changes, line=plan.line)


def _update_accreditation(accreditation: Accreditation, plan: AccreditationPlan) -> dict:
    changes = {}
    for attribute in ("valid_from", "valid_until"):
        if getattr(accreditation, attribute) != getattr(plan, attribute):
            changes[attribute] = [
                getattr(accreditation, attribute).isoformat(),
                getattr(plan, attribute).isoformat(),
            ]
            setattr(accreditation, attribute, getattr(plan, attribute))
    for attribute in ("countries", "specialist_areas"):
        if sorted(getattr(accreditation, attribute) or ()) != list(getattr(plan, attribute)):
            changes[attribute] = [getattr(accreditation, attribute), list(getattr(plan, attribute))]
            setattr(accreditation, attribute, list(getattr(plan, attribute)))
    if accreditation.status != plan.status:
        # The scheme's own record is the authority here, as a staff decision is: the change
        # is written as staff changes are, with the import as its reason.
        changes["status"] = [accreditation.status, plan.status]
        db.session.add(
            StatusChange(
                accreditation=accreditation,
                from_status=accreditation.status,
                to_status=plan.status,
                reason="imported",
                occurred_at=utcnow(),
            )
        )
        accreditation.status = plan.status
    scopes = {(scope.standard, scope.sector): scope for scope in accreditation.scopes}
    for key, scope in plan.scopes.items():
        held = scopes.get(key)
        if held is None:
            accreditation.scopes.append(_new_scope(scope))
            changes.setdefault("scopes_added", []).append("/".join(key))
        elif held.version != scope.version:
            changes.setdefault("scope_versions", []).append(
                ["/".join(key), held.version, scope.version]
            )
            held.version = scope.version
    if changes:
        accreditation.updated_at = utcnow()
    return changes


def _new_scope(scope: ScopePlan) -> AccreditationScope:
    return AccreditationScope(standard=scope.standard, version=scope.version, sector=scope.sector)


def _firm(profile, person: PersonPlan, firms: dict, affiliated: set, report) -> str | None:
    """Attach the person to their firm (added if new); the firm's name when attached."""
    if not person.firm:
        return None
    firm = firms.get(person.firm)
    if firm is None:
        first = min(person.accreditations.values(), key=lambda plan: plan.line)
        # What a registry file says of a firm is its name; staff complete the rest.
        firm = AuditFirm(
            name=person.firm,
            country=first.countries[0] if first.countries else "",
            accreditation_body="",
            accreditation_standard="",
        )
        db.session.add(firm)
        firms[person.firm] = firm
        report.added("firm", person.firm, firm, line=person.line)
    if (profile.id, person.firm) in affiliated:
        return None
    since = min(plan.valid_from for plan in person.accreditations.values())
    db.session.add(FirmAffiliation(firm=firm, profile=profile, since=since))
    return person.firm


def _affiliated(profiles: list[RegistryProfile]) -> set[tuple[int, str]]:
    """(profile id, firm name) of every attachment the people already have."""
    found = set()
    for chunk in _chunks([profile.id for profile in profiles]):
        found.update(
            db.session.execute(
                select(FirmAffiliation.profile_id, AuditFirm.name)
                .join(AuditFirm)
                .where(FirmAffiliation.profile_id.in_(chunk))
            ).all()
        )
    return found


def _spoken(user_ids: list[int]) -> dict[int, set[str]]:
    """The verified languages each person already has on record."""
    found: dict[int, set[str]] = {}
    for chunk in _chunks(user_ids):
        for user_id, language in db.session.execute(
            select(LanguageSkill.user_id, LanguageSkill.language).where(
                LanguageSkill.user_id.in_(chunk),
                LanguageSkill.status == EntryStatus.VERIFIED,
                LanguageSkill.withdrawn_at.is_(None),
            )
        ):
            found.setdefault(user_id, set()).add(language)
    return found


def _languages(user: User, person: PersonPlan, held: set[str]) -> list[str]:
    """Record the languages not on record yet, as verified; returns them (``code:level``)."""
    now, added = utcnow(), []
    for code, level in person.languages:
        if code in held:
            continue
        skill = LanguageSkill(
            user=user,
            language=code,
            proficiency=level,
            status=EntryStatus.VERIFIED,
            submitted_at=now,
            verified_at=now,
            decided_at=now,
        )
        db.session.add(skill)
        added.append(f"{code}:{level}")
    return added


def _continue_counter(people: list[PersonPlan]) -> None:
    """The registry counter continues above the highest number imported for each prefix."""
    highest: dict[str, int] = {}
    for person in people:
        prefix, _dash, number = person.registry_id.rpartition("-")
        highest[prefix] = max(highest.get(prefix, 0), int(number))
    table = RegistrySequence.__table__
    for prefix, number in highest.items():
        raised = db.session.execute(
            update(table)
            .where(table.c.prefix == prefix, table.c.last_number < number)
            .values(last_number=number)
        )
        if raised.rowcount == 0 and db.session.get(RegistrySequence, prefix) is None:
            db.session.add(RegistrySequence(prefix=prefix, last_number=number))


def _existing_profiles(registry_ids: list[str]) -> dict[str, RegistryProfile]:
    found = {}
    for chunk in _chunks(registry_ids):
        for profile in db.session.scalars(
            select(RegistryProfile)
            .where(RegistryProfile.registry_id.in_(chunk))
            .options(
                selectinload(RegistryProfile.user),
                selectinload(RegistryProfile.accreditations).selectinload(Accreditation.scopes),
            )
        ):
            found[profile.registry_id] = profile
    return found


def _existing_users(emails: list[str]) -> dict[str, User]:
    found = {}
    for chunk in _chunks(emails):
        for user in db.session.scalars(select(User).where(User.email.in_(chunk))):
            found[user.email] = user
    return found


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]
