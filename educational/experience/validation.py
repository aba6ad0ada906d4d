"""The rules an entry's fields must meet, one cleaner per kind. No database, no request:
each takes the submitted values, the scheme and today's date, and returns the values to
store (trimmed, normalised) or raises ``DomainError`` naming the field at fault."""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from educational.catalog.content import Scheme
from educational.core.errors import DomainError
from educational.core.names import is_country, is_language

from .models import AUDIT_ROLES, AUDIT_TYPES, CONFLICT_NATURES, PROFICIENCIES

#: Qualification kinds every scheme knows; a scheme's requirements may name more.
BASE_QUALIFICATION_KINDS = ("management-system-auditor", "other")
MAX_TEAM_SIZE = 500
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")

Data = dict[str, Any]


def qualification_kinds(scheme: Scheme | None) -> tuple[str, ...]:
    """management-system-auditor, the kinds the scheme's requirements name, then other."""
    named = []
    if scheme is not None:
        for role in scheme.roles.values():
            for requirement in role.requirements:
                kind = requirement.params.get("qualification_kind")
                if requirement.kind == "qualification" and kind and kind not in named:
                    named.append(kind)
    first, other = BASE_QUALIFICATION_KINDS
    middle = [kind for kind in named if kind not in BASE_QUALIFICATION_KINDS]
    return (first, *middle, other)


def _text(data: Data, name: str, message: str, *, limit: int = 200, required=True) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        raise DomainError(message, field=name)
    if len(value) > limit:
        raise DomainError(_("Shorten this to %(n)d characters.", n=limit), field=name)
    return value


def _date(data: Data, name: str, message: str) -> date:
    value = data.get(name)
    if not isinstance(value, date):
        raise DomainError(message, field=name)
    return value


def _not_future(value: date, today: date, name: str, message: str) -> None:
    if value > today:
        raise DomainError(message, field=name)


def _end_after_start(start: date, end: date | None, name: str = "end_date") -> None:
    if end is not None and end < start:
        raise DomainError(_("The end date must be on or after the start date."), field=name)


def _country(data: Data) -> str:
    code = (data.get("country") or "").strip().upper()
    if not is_country(code):
        raise DomainError(_("Choose a country from the list."), field="country")
    return code


def _days(data: Data, name: str) -> float:
    value = data.get(name)
    try:
        days = float(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number of days, e.g. 2 or 1.5."), field=name) from None
    if days < 0:
        raise DomainError(_("Days cannot be negative; enter 0 if there were none."), field=name)
    if (days * 2) % 1:
        raise DomainError(_("Count days in halves: e.g. 1, 1.5 or 2."), field=name)
    return days


def _need_scheme(scheme: Scheme | None) -> Scheme:
    if scheme is None:
        raise DomainError(
            _(
                "The scheme's standards and sectors are not loaded yet. Ask the secretariat "
                "to sync the courses, then try again."
            )
        )
    return scheme


def _reference_contact(data: Data) -> str:
    contact = _text(
        data,
        "reference_contact",
        _("Give the reference's e-mail address or telephone number."),
    )
    if "@" in contact:
        try:
            validate_email(contact, check_deliverability=False)
        except EmailNotValidError:
            raise DomainError(
                _("This e-mail address is not valid; check it for typing mistakes."),
                field="reference_contact",
            ) from None
    elif not PHONE_RE.match(contact) or sum(c.isdigit() for c in contact) < 6:
        raise DomainError(
            _("Enter an e-mail address, or a telephone number with its country code."),
            field="reference_contact",
        )
    return contact


def clean_audit(data: Data, scheme: Scheme | None, today: date) -> Data:
    scheme = _need_scheme(scheme)
    start = _date(data, "start_date", _("Enter the first day of the audit."))
    end = _date(data, "end_date", _("Enter the last day of the audit."))
    _end_after_start(start, end)
    _not_future(end, today, "end_date", _("Log an audit once it has ended."))
    onsite, offsite = _days(data, "onsite_days"), _days(data, "offsite_days")
    calendar_days = (end - start).days + 1
    if onsite + offsite == 0:
        raise DomainError(_("Enter the days you spent on the audit."), field="onsite_days")
    if onsite + offsite > calendar_days:
        raise DomainError(
            _(
                "On-site and off-site days add up to %(days)s, more than the %(n)d calendar "
                "days from the start to the end date. Check the days or the dates.",
                days=f"{onsite + offsite:g}",
                n=calendar_days,
            ),
            field="offsite_days",
        )
    role = data.get("audit_role")
    if role not in AUDIT_ROLES:
        raise DomainError(_("Choose your role in the audit."), field="audit_role")
    team_size = data.get("team_size")
    if not isinstance(team_size, int) or not 1 <= team_size <= MAX_TEAM_SIZE:
        raise DomainError(
            _("Enter the number of auditors in the team, yourself included."), field="team_size"
        )
    code = data.get("standard")
    standard = scheme.standards.get(code or "")
    if standard is None:
        raise DomainError(_("Choose the standard audited against."), field="standard")
    versions = {v.version: v for v in standard.versions}
    version = versions.get(data.get("standard_version") or "")
    if version is None:
        raise DomainError(
            _(
                "%(standard)s has versions %(versions)s; choose one of them.",
                standard=standard.code,
                versions=", ".join(versions),
            ),
            field="standard_version",
        )
    if version.published > end:
        raise DomainError(
            _(
                "Version %(version)s of %(standard)s was published on %(date)s, after this "
                "audit; choose the version audited against.",
                version=version.version,
                standard=standard.code,
                date=version.published.isoformat(),
            ),
            field="standard_version",
        )
    chosen = set(data.get("sectors") or ())
    if not chosen:
        raise DomainError(_("Choose at least one sector the audit covered."), field="sectors")
    outside = sorted(chosen - set(standard.sectors))
    if outside:
        raise DomainError(
            _(
                "%(standard)s does not cover %(sectors)s; choose among its sectors.",
                standard=standard.code,
                sectors=", ".join(outside),
            ),
            field="sectors",
        )
    audit_type = data.get("audit_type")
    if audit_type not in AUDIT_TYPES:
        raise DomainError(_("Choose the type of audit."), field="audit_type")
    return {
        "start_date": start,
        "end_date": end,
        "onsite_days": onsite,
        "offsite_days": offsite,
        "audit_role": role,
        "team_size": team_size,
        "standard": standard.code,
        "standard_version": version.version,
        "sectors": [s for s in standard.sectors if s in chosen],
        "country": _country(data),
        "entity": _text(data, "entity", _("Name the audited organisation or site.")),
        "audit_type": audit_type,
        "reference_name": _text(
            data, "reference_name", _("Name someone independent who can confirm the audit.")
        ),
        "reference_contact": _reference_contact(data),
        "notes": _text(data, "notes", "", limit=5000, required=False),
    }


def clean_work(data: Data, scheme: Scheme | None, today: date) -> Data:
    start = _date(data, "start_date", _("Enter when you started in this position."))
    end = data.get("end_date")
    _not_future(start, today, "start_date", _("Log a position once you have started it."))
    _end_after_start(start, end)
    if end is not None:
        _not_future(
            end, today, "end_date", _("Leave the end date empty while you hold the position.")
        )
    sector = data.get("sector") or None
    areas = set(data.get("specialist_areas") or ())
    if sector or areas:
        scheme = _need_scheme(scheme)
    if sector and sector not in scheme.sectors:
        raise DomainError(_("Choose a sector from the list, or none."), field="sector")
    unknown = sorted(areas - set(scheme.specialist_areas if scheme else ()))
    if unknown:
        raise DomainError(_("Choose specialist areas from the list."), field="specialist_areas")
    return {
        "employer": _text(data, "employer", _("Name the employer.")),
        "position": _text(data, "position", _("Give your position or job title.")),
        "sector": sector,
        "country": _country(data),
        "start_date": start,
        "end_date": end,
        "specialist_areas": [a for a in (scheme.specialist_areas if scheme else ()) if a in areas],
        "description": _text(data, "description", "", limit=5000, required=False),
    }


def clean_qualification(data: Data, scheme: Scheme | None, today: date) -> Data:
    kind = data.get("qualification_kind")
    if kind not in qualification_kinds(scheme):
        raise DomainError(_("Choose the kind of qualification."), field="qualification_kind")
    obtained = _date(data, "obtained_on", _("Enter the date you obtained it."))
    _not_future(obtained, today, "obtained_on", _("Log a qualification once you hold it."))
    expires = data.get("expires_on")
    if expires is not None and expires < obtained:
        raise DomainError(_("The expiry date must be after the date obtained."), field="expires_on")
    return {
        "title": _text(data, "title", _("Give the qualification's name as on its certificate.")),
        "issuer": _text(data, "issuer", _("Name the body that issued it.")),
        "qualification_kind": kind,
        "obtained_on": obtained,
        "expires_on": expires,
    }


def clean_language(data: Data, scheme: Scheme | None, today: date) -> Data:
    code = (data.get("language") or "").strip().lower()
    if not is_language(code):
        raise DomainError(_("Choose a language from the list."), field="language")
    if data.get("proficiency") not in PROFICIENCIES:
        raise DomainError(_("Choose your level in this language."), field="proficiency")
    return {"language": code, "proficiency": data["proficiency"]}


def clean_conflict(data: Data, scheme: Scheme | None, today: date) -> Data:
    start = _date(data, "start_date", _("Enter when the link began."))
    end = data.get("end_date")
    _end_after_start(start, end)
    nature = data.get("nature")
    if nature not in CONFLICT_NATURES:
        raise DomainError(_("Choose the nature of the link."), field="nature")
    return {
        "entity": _text(data, "entity", _("Name the organisation you have the link with.")),
        "nature": nature,
        "start_date": start,
        "end_date": end,
        "notes": _text(data, "notes", "", limit=5000, required=False),
    }


#: The most hours one CPD activity may claim (a long course is logged in several entries).
MAX_CPD_HOURS = 200


def _cpd_hours(data: Data) -> float:
    value = data.get("hours")
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number of hours, e.g. 3 or 1.5."), field="hours") from None
    if not hours.is_finite() or hours <= 0:
        raise DomainError(_("Enter the hours the activity took, more than 0."), field="hours")
    if hours > MAX_CPD_HOURS:
        raise DomainError(
            _(
                "One activity can count at most %(n)d hours; log a longer one in parts.",
                n=MAX_CPD_HOURS,
            ),
            field="hours",
        )
    if (hours * 10) % 1 and (hours * 4) % 1:
        raise DomainError(
            _("Give hours with at most one decimal, or in quarter hours: e.g. 1.5 or 2.25."),
            field="hours",
        )
    return float(hours)


def clean_cpd(data: Data, scheme: Scheme | None, today: date) -> Data:
    """A CPD activity: done (not in the future), hours within bounds, a category of the
    scheme, who provided it and what it was."""
    day = _date(data, "activity_date", _("Enter the day of the activity."))
    _not_future(day, today, "activity_date", _("Log an activity once it has taken place."))
    hours = _cpd_hours(data)
    categories = scheme.cpd_categories if scheme is not None else {}
    category = data.get("category") or ""
    if category not in categories:
        if not categories:
            raise DomainError(
                _(
                    "The scheme's CPD categories are not loaded yet. Ask the secretariat to "
                    "sync the courses, then try again."
                )
            )
        raise DomainError(_("Choose the category of the activity."), field="category")
    return {
        "activity_date": day,
        "hours": hours,
        "category": category,
        "provider": _text(
            data, "provider", _("Name who provided the activity (or “self” for self-study).")
        ),
        "description": _text(data, "description", _("Describe what the activity was."), limit=5000),
    }


CLEANERS: dict[str, Callable[[Data, Scheme | None, date], Data]] = {
    "audit": clean_audit,
    "work": clean_work,
    "qualification": clean_qualification,
    "language": clean_language,
    "conflict": clean_conflict,
    "cpd": clean_cpd,
}
