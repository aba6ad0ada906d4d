"""Audit firms and the accredited people attached to them (staff manage both). A person can
be attached to several firms at once (freelancers); detaching keeps the affiliation on the
record with its end date."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from educational.core.audit import record_event
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.i18n import format_date
from educational.core.names import is_country

from .models import AuditFirm, FirmAffiliation, FirmStatus, RegistryProfile

#: The accreditation standards firms are accredited to; "other" stands for an equivalent.
FIRM_STANDARDS = ("ISO/IEC 17021-1", "ISO/IEC 17065", "other")


@dataclass
class FirmData:
    name: str = ""
    country: str = ""
    accreditation_body: str = ""
    accreditation_standard: str = ""
    status: str = FirmStatus.ACTIVE


def _clean(data: FirmData, firm_id: int | None = None) -> FirmData:
    name = " ".join((data.name or "").split())
    if not name:
        raise DomainError(_("Enter the firm's name."), field="name")
    if len(name) > 200:
        raise DomainError(_("Shorten the name to 200 characters."), field="name")
    clash = db.session.scalar(
        select(AuditFirm.id).where(
            func.lower(AuditFirm.name) == name.lower(), AuditFirm.id != (firm_id or 0)
        )
    )
    if clash is not None:
        raise DomainError(_("A firm of this name exists already; edit that one."), field="name")
    country = (data.country or "").strip().upper()
    if not is_country(country):
        raise DomainError(_("Choose the firm's country from the list."), field="country")
    body = " ".join((data.accreditation_body or "").split())
    if not body:
        raise DomainError(
            _("Enter the accreditation body, e.g. DAkkS or UKAS."), field="accreditation_body"
        )
    if len(body) > 200:
        raise DomainError(_("Shorten this to 200 characters."), field="accreditation_body")
    if data.accreditation_standard not in FIRM_STANDARDS:
        raise DomainError(
            _("Choose the standard the firm is accredited to."), field="accreditation_standard"
        )
    if data.status not in tuple(FirmStatus):
        raise DomainError(_("Choose the firm's status."), field="status")
    return FirmData(name, country, body, data.accreditation_standard, data.status)


def _facts(firm: AuditFirm) -> dict:
    return {
        "name": firm.name,
        "country": firm.country,
        "accreditation_body": firm.accreditation_body,
        "accreditation_standard": firm.accreditation_standard,
        "status": firm.status,
    }


def create_firm(data: FirmData, staff) -> AuditFirm:
    cleaned = _clean(data)
    firm = AuditFirm(**vars(cleaned))
    db.session.add(firm)
    db.session.flush()
    record_event("firm.created", firm, actor=staff, **_facts(firm))
    return firm


def update_firm(firm: AuditFirm, data: FirmData, staff) -> None:
    cleaned = _clean(data, firm.id)
    before = _facts(firm)
    for name, value in vars(cleaned).items():
        setattr(firm, name, value)
    db.session.flush()
    changes = {k: [before[k], v] for k, v in _facts(firm).items() if before[k] != v}
    if changes:
        record_event("firm.updated", firm, actor=staff, changes=changes)


def firms(status: str | None = None) -> list[AuditFirm]:
    query = select(AuditFirm).order_by(func.lower(AuditFirm.name))
    if status:
        query = query.where(AuditFirm.status == status)
    return list(db.session.scalars(query))


def current_affiliations(firm: AuditFirm) -> list[FirmAffiliation]:
    """The people attached today (``FirmAffiliation.current_on``)."""
    return firm.current_affiliations


def attach(firm: AuditFirm, registry_id: str, since: date, staff) -> FirmAffiliation:
    """Attach the person with ``registry_id`` from ``since``."""
    registry_id = (registry_id or "").strip().upper()
    profile = db.session.scalar(
        select(RegistryProfile).where(RegistryProfile.registry_id == registry_id)
    )
    if profile is None:
        raise DomainError(
            _("No accredited person has the registry id %(id)s; check it.", id=registry_id),
            field="registry_id",
        )
    affiliation = db.session.scalar(
        select(FirmAffiliation).where(
            FirmAffiliation.firm_id == firm.id, FirmAffiliation.profile_id == profile.id
        )
    )
    if affiliation is not None and affiliation.until is None:
        raise DomainError(
            _("%(id)s is already attached to this firm.", id=registry_id), field="registry_id"
        )
    if affiliation is None:
        affiliation = FirmAffiliation(firm=firm, profile=profile, since=since)
        db.session.add(affiliation)
    else:
        # One row per firm and person: attaching again reopens it from the new date.
        affiliation.since, affiliation.until = since, None
    db.session.flush()
    record_event(
        "firm.person_attached",
        firm,
        actor=staff,
        registry_id=registry_id,
        since=since.isoformat(),
    )
    return affiliation


def detach(affiliation: FirmAffiliation, until: date, staff) -> None:
    if affiliation.until is not None:
        raise DomainError(_("This person is no longer attached to the firm."))
    if until < affiliation.since:
        raise DomainError(
            _("The end date must be on or after %(since)s.", since=format_date(affiliation.since)),
            field="until",
        )
    affiliation.until = until
    db.session.flush()
    record_event(
        "firm.person_detached",
        affiliation.firm,
        actor=staff,
        registry_id=affiliation.profile.registry_id,
        until=until.isoformat(),
    )
