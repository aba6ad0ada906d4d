"""The eligibility engine of DESIGN.md: one pure function, three faces (the members' form,
the JSON API and the "find eligible auditors" shortlist).

``is_eligible(holder, role, standard, sector, country, date, entity=None, scheme=...)``
answers whether ``holder`` may audit as ``role`` against ``standard`` in ``sector`` and
``country`` on ``date`` (and, with an entity, for that entity). It returns a ``Verdict``
with every check, each ``Check(code, passed, message)``, in this order:

- ``accreditation_active``: an accreditation for the role (a role that includes it, such as
  lead_auditor for auditor, counts) whose status was active on the date (read from its
  status history, so a question about a past audit is answered as it was then), with the
  date inside valid_from..valid_until;
- ``scope_standard``: it has a scope in the standard;
- ``standard_version_current``: that scope's version is usable on the date (the current
  version, or the previous one during the transition);
- ``scope_sector``: it has a scope for the standard and sector that has not lapsed;
- ``country``: it covers the country;
- ``training_current``: the holder's certificates for the courses the role requires (the
  role's courses and the standard's course) are valid on the date;
- ``conflict_of_interest``: only with an entity; no link declared with it in the scheme's
  window (3 years). Members read the verdict, so its message says only that a link with the
  entity is declared in the window, never the link's kind or dates.

A scope check cannot pass without a scope in the standard, so a holder accredited for
another standard fails ``scope_standard``, ``standard_version_current`` and ``scope_sector``
together. Specialists are registered for the whole scheme rather than per standard and
sector: for them the three scope checks pass and say so.

When the holder holds several accreditations that satisfy the role (auditor and
lead_auditor), each is checked and the verdict is that of the first that passes every
check, or else the one that passes most (the exact role first).

No Flask, no database: ``holders.py`` loads the plain data below.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from educational.accreditation.records import InterestDeclaration
from educational.accreditation.rules import (
    conflict_of_interest,
    transition_last_day,
    usable_versions,
)
from educational.catalog.content.model import Scheme, Standard

#: The check codes, in the order a verdict lists them.
CHECK_CODES = (
    "accreditation_active",
    "scope_standard",
    "standard_version_current",
    "scope_sector",
    "country",
    "training_current",
    "conflict_of_interest",
)
#: Years before the date in which a declared link with the entity is a conflict.
CONFLICT_WINDOW_YEARS = 3
ACTIVE = "active"
#: The roles registered for the whole scheme, without standard and sector scopes.
UNSCOPED_ROLES = frozenset({"specialist"})


class ScopeFacts(NamedTuple):
    standard: str
    version: str
    sector: str
    #: active or lapsed.
    status: str = ACTIVE
    #: The day it lapsed (None while active).
    lapsed_on: date | None = None

    def lapsed_by(self, day: date) -> bool:
        return self.status != ACTIVE and (self.lapsed_on is None or self.lapsed_on <= day)


class ChangeFacts(NamedTuple):
    """One row of the status history. ``from_status`` None: the accreditation was created."""

    from_status: str | None
    to_status: str
    occurred_on: date


class AccreditationFacts(NamedTuple):
    role: str
    #: The status now: active, suspended, withdrawn or expired.
    status: str
    valid_from: date
    #: The last valid day.
    valid_until: date
    countries: tuple[str, ...] = ()
    scopes: tuple[ScopeFacts, ...] = ()
    #: The status history, oldest first (only what happened after the day asked about is
    #: needed to tell the status on that day).
    changes: tuple[ChangeFacts, ...] = ()
    id: int = 0


class CertificateFacts(NamedTuple):
    """A certificate of course completion, as the training check reads it."""

    course: str
    #: The standard and version the course trains for (None for general courses).
    standard: str | None
    version: str | None
    issued_on: date
    #: The first day it is no longer valid; None: never expires.
    expires_on: date | None = None
    #: The day it was revoked; None: never.
    revoked_on: date | None = None


class Holder(NamedTuple):
    """What the engine reads about one person."""

    registry_id: str
    name: str = ""
    accreditations: tuple[AccreditationFacts, ...] = ()
    certificates: tuple[CertificateFacts, ...] = ()
    declarations: tuple[InterestDeclaration, ...] = ()


class Check(NamedTuple):
    code: str
    passed: bool
    #: A sentence for people.
    message: str


class Verdict(NamedTuple):
    eligible: bool
    checks: tuple[Check, ...] = ()
    #: The accreditation the checks were made on (None: the holder holds none for the role).
    accreditation: AccreditationFacts | None = None

    def check(self, code: str) -> Check | None:
        return next((check for check in self.checks if check.code == code), None)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(check.code for check in self.checks if not check.passed)


# Status on a day


def status_on(accreditation: AccreditationFacts, day: date) -> str:
    """The status the accreditation had on ``day``: the status before the first change made
    after that day, or the current one. A change counts from the day it was made."""
    for change in accreditation.changes:
        if change.from_status is not None and change.occurred_on > day:
            return change.from_status
    return accreditation.status


def effective_status(status: str, valid_until: date, today: date) -> str:
    """The status the registry shows: an active accreditation past its last valid day is
    expired, even before the nightly sweep records it."""
    if status == ACTIVE and valid_until < today:
        return "expired"
    return status


def roles_satisfying(scheme: Scheme, role: str) -> tuple[str, ...]:
    """The roles whose holders may act as ``role``: itself and every role that includes it
    (lead_auditor for auditor), the exact role first."""
    found = [role]
    for code in scheme.roles:
        if code != role and role in _included(scheme, code):
            found.append(code)
    return tuple(found)


def _included(scheme: Scheme, code: str, seen: frozenset[str] = frozenset()) -> set[str]:
    if code in seen or code not in scheme.roles:
        return set()
    result: set[str] = set()
    for included in scheme.roles[code].includes:
        result |= {included} | _included(scheme, included, seen | {code})
    return result


# The engine


def is_eligible(
    holder: Holder,
    role: str,
    standard: str,
    sector: str,
    country: str,
    date: date,
    entity: str | None = None,
    *,
    scheme: Scheme,
) -> Verdict:
    """Every check for ``holder`` acting as ``role`` on ``date`` (see the module docstring)."""
    country = country.strip().upper()
    entity = (entity or "").strip() or None
    shared = [_training(holder, role, standard, date, scheme)]
    if entity is not None:
        shared.append(_conflict(holder, entity, date))
    roles = roles_satisfying(scheme, role) if role in scheme.roles else (role,)
    candidates = [a for r in roles for a in holder.accreditations if a.role == r]
    if not candidates:
        return _verdict(
            [_no_accreditation(role), *_no_scope_checks(standard, sector, country)], shared
        )
    verdicts = []
    for accreditation in candidates:
        checks = [
            _active(accreditation, role, date),
            *_scope_checks(accreditation, standard, sector, date, scheme),
            _country(accreditation, country),
        ]
        verdict = _verdict(checks, shared, accreditation)
        if verdict.eligible:
            return verdict
        verdicts.append(verdict)
    return max(verdicts, key=lambda v: sum(check.passed for check in v.checks))


def _verdict(
    own: list[Check], shared: list[Check], accreditation: AccreditationFacts | None = None
) -> Verdict:
    # The training check goes after the accreditation's own; the conflict check last.
    checks = (*own, *shared)
    return Verdict(all(check.passed for check in checks), checks, accreditation)


def _role_name(role: str) -> str:
    return role.replace("_", " ")


def _no_accreditation(role: str) -> Check:
    return Check("accreditation_active", False, f"Holds no {_role_name(role)} accreditation.")


def _no_scope_checks(standard: str, sector: str, country: str) -> list[Check]:
    return [
        Check("scope_standard", False, f"Holds no accreditation that could cover {standard}."),
        Check("standard_version_current", False, f"No {standard} scope, so no version to check."),
        Check("scope_sector", False, f"No {standard} scope covers {sector}."),
        Check("country", False, f"No accreditation covers {country}."),
    ]


def _active(accreditation: AccreditationFacts, role: str, day: date) -> Check:
    held = _role_name(accreditation.role)
    what = f"The {held} accreditation"
    if accreditation.role != role:
        what += f" (which includes {_role_name(role)})"
    status = status_on(accreditation, day)
    when = day.isoformat()
    if status != ACTIVE:
        since = _last_change_to(accreditation, status, day)
        on = f" on {since.isoformat()}" if since else ""
        text = {"suspended": "was suspended", "withdrawn": "was withdrawn"}.get(status)
        if status == "expired":
            return Check(
                "accreditation_active",
                False,
                f"{what} expired{on}: it was valid until {accreditation.valid_until.isoformat()}.",
            )
        return Check("accreditation_active", False, f"{what} {text or 'is ' + status}{on}.")
    if day < accreditation.valid_from:
        return Check(
            "accreditation_active",
            False,
            f"{what} is valid only from {accreditation.valid_from.isoformat()}, after {when}.",
        )
    if day > accreditation.valid_until:
        return Check(
            "accreditation_active",
            False,
            f"{what} expired: it was valid until {accreditation.valid_until.isoformat()}.",
        )
    return Check(
        "accreditation_active",
        True,
        f"{what} is active, valid from {accreditation.valid_from.isoformat()} "
        f"until {accreditation.valid_until.isoformat()}.",
    )


def _last_change_to(accreditation: AccreditationFacts, status: str, day: date) -> date | None:
    days = [
        c.occurred_on
        for c in accreditation.changes
        if c.to_status == status and c.occurred_on <= day
    ]
    return max(days) if days else None


def _scope_checks(
    accreditation: AccreditationFacts, standard: str, sector: str, day: date, scheme: Scheme
) -> list[Check]:
    if accreditation.role in UNSCOPED_ROLES:
        text = (
            f"A {_role_name(accreditation.role)} is registered for the whole scheme, "
            "not per standard and sector."
        )
        return [
            Check("scope_standard", True, text),
            Check("standard_version_current", True, text),
            Check("scope_sector", True, text),
        ]
    in_standard = [s for s in accreditation.scopes if s.standard == standard]
    exact = [s for s in in_standard if s.sector == sector]
    if in_standard:
        names = scheme.standards.get(standard)
        label = f"{standard} ({names.name})" if names else standard
        standard_check = Check("scope_standard", True, f"The accreditation covers {label}.")
    else:
        held = sorted({s.standard for s in accreditation.scopes})
        covers = f"it covers {', '.join(held)}" if held else "it covers no standard"
        standard_check = Check(
            "scope_standard", False, f"The accreditation does not cover {standard}; {covers}."
        )
    scope = exact[0] if exact else (in_standard[0] if in_standard else None)
    version_check = _version(scope, standard, day, scheme)
    if not exact:
        sectors = sorted({s.sector for s in in_standard if not s.lapsed_by(day)})
        if sectors:
            covers = f"its {standard} scope covers {', '.join(sectors)}"
        else:
            covers = f"it has no active {standard} scope"
        sector_check = Check(
            "scope_sector", False, f"The accreditation does not cover {sector}; {covers}."
        )
    elif exact[0].lapsed_by(day):
        lapsed = exact[0].lapsed_on
        on = f" on {lapsed.isoformat()}" if lapsed else ""
        sector_check = Check(
            "scope_sector",
            False,
            f"The {standard} scope for {sector} lapsed{on}: the holder has not passed the "
            "current version's course.",
        )
    else:
        sector_check = Check("scope_sector", True, f"The {standard} scope covers {sector}.")
    return [standard_check, version_check, sector_check]


def _version(scope: ScopeFacts | None, standard_code: str, day: date, scheme: Scheme) -> Check:
    code = "standard_version_current"
    if scope is None:
        return Check(code, False, f"No {standard_code} scope, so no version to check.")
    standard = scheme.standards.get(standard_code)
    if standard is None:
        return Check(code, False, f"{standard_code} is not a standard of the scheme.")
    versions = _versions(standard, day)
    if not versions.usable:
        return Check(code, False, f"{standard_code} had no version published on {day.isoformat()}.")
    held = f"The scope is for {standard_code} version {scope.version}"
    if scope.version == versions.current:
        return Check(code, True, f"{held}, the current version on {day.isoformat()}.")
    last_day = versions.last_day.isoformat() if versions.last_day else "?"
    if scope.version in versions.usable:
        return Check(
            code,
            True,
            f"{held}, still usable until {last_day} during the transition to version "
            f"{versions.current}.",
        )
    ended = ""
    if scope.version == versions.previous and versions.last_day is not None:
        ended = f", usable only until {last_day}"
    return Check(
        code,
        False,
        f"{held}{ended}; version {versions.current} is required on {day.isoformat()}.",
    )


def _country(accreditation: AccreditationFacts, country: str) -> Check:
    covered = [c.upper() for c in accreditation.countries]
    if country in covered:
        return Check("country", True, f"The accreditation covers {country}.")
    listed = ", ".join(sorted(covered)) or "no country"
    return Check(
        "country", False, f"The accreditation does not cover {country}; it covers {listed}."
    )


class _Versions(NamedTuple):
    """A standard's versions on a day."""

    #: Usable version names, newest first (the current one, and the previous one during
    #: the transition).
    usable: tuple[str, ...]
    current: str | None
    #: The version before the current one, usable or not.
    previous: str | None
    #: The last day the previous version stays usable (None: no transition).
    last_day: date | None


@lru_cache(maxsize=1024)
def _versions(standard: Standard, day: date) -> _Versions:
    usable = usable_versions(standard, day)
    if not usable:
        return _Versions((), None, None, None)
    current = usable[0]
    index = standard.versions.index(current)
    previous = standard.versions[index - 1].version if index > 0 else None
    return _Versions(
        tuple(v.version for v in usable),
        current.version,
        previous,
        transition_last_day(standard, current),
    )


_course_requirements_cache: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {}


def _course_requirements(scheme: Scheme, role: str) -> tuple[tuple[str, ...], bool]:
    """The courses ``role`` requires by name, and whether it requires the standard's course
    (the "course" and "standard_course" requirements of scheme.yml, included roles' too)."""
    key = (scheme.content_hash, role)
    found = _course_requirements_cache.get(key)
    if found is None:
        requirements = scheme.role_requirements(role)
        slugs = tuple(dict.fromkeys(r.params["course"] for r in requirements if r.kind == "course"))
        found = (slugs, any(r.kind == "standard_course" for r in requirements))
        _course_requirements_cache[key] = found
    return found


def _valid_on(certificate: CertificateFacts, day: date) -> bool:
    """Issued by ``day``, not expired (``expires_on`` is the first day it no longer is) and
    not revoked on or before ``day``."""
    return (
        certificate.issued_on <= day
        and (certificate.expires_on is None or day < certificate.expires_on)
        and (certificate.revoked_on is None or certificate.revoked_on > day)
    )


def _completed(certificate: CertificateFacts) -> str:
    text = f"completed on {certificate.issued_on.isoformat()}"
    if certificate.expires_on is not None:
        text += f", expires on {certificate.expires_on.isoformat()}"
    return text


def _lapsed(certificate: CertificateFacts, day: date) -> str:
    if certificate.revoked_on is not None and certificate.revoked_on <= day:
        return f"was revoked on {certificate.revoked_on.isoformat()}"
    return f"expired on {certificate.expires_on.isoformat() if certificate.expires_on else '?'}"


def _training(holder: Holder, role: str, standard_code: str, day: date, scheme: Scheme) -> Check:
    """The courses the role requires (scheme.yml's "course" and "standard_course"
    requirements, as the application checklist reads them) with a certificate valid on the
    day; the standard's course for a version usable on the day."""
    code = "training_current"
    if role not in scheme.roles:
        return Check(code, False, f"{role} is not a role of the scheme.")
    slugs, standard_course = _course_requirements(scheme, role)
    standard_course = standard_course and role not in UNSCOPED_ROLES
    if not slugs and not standard_course:
        return Check(code, True, f"The {_role_name(role)} role requires no course.")
    valid = [c for c in holder.certificates if _valid_on(c, day)]
    passed, parts = True, []
    for slug in slugs:
        mine = [c for c in valid if c.course == slug]
        if mine:
            parts.append(f"Course {slug} {_completed(max(mine, key=_issued))}.")
            continue
        passed = False
        taken = [c for c in holder.certificates if c.course == slug and c.issued_on <= day]
        if taken:
            parts.append(f"Course {slug} {_lapsed(max(taken, key=_issued), day)}; take it again.")
        else:
            parts.append(f"Course {slug} not completed.")
    if standard_course:
        ok, text = _standard_course(holder, valid, standard_code, day, scheme)
        passed = passed and ok
        parts.append(text)
    return Check(code, passed, " ".join(parts))


def _issued(certificate: CertificateFacts) -> date:
    return certificate.issued_on


def _standard_course(
    holder: Holder, valid: list[CertificateFacts], code: str, day: date, scheme: Scheme
) -> tuple[bool, str]:
    standard = scheme.standards.get(code)
    if standard is None:
        return False, f"{code} is not a standard of the scheme."
    versions = _versions(standard, day)
    if not versions.usable:
        return False, f"{code} had no version published on {day.isoformat()}."
    mine = [c for c in valid if c.standard == code and c.version in versions.usable]
    if mine:
        best = max(mine, key=lambda c: (c.version == versions.current, c.issued_on))
        text = f"Course {best.course} for {code} version {best.version} {_completed(best)}"
        if best.version != versions.current and versions.last_day is not None:
            text += (
                f"; accepted until {versions.last_day.isoformat()} during the transition to "
                f"version {versions.current}"
            )
        return True, text + "."
    wanted = f"version {versions.current}"
    if len(versions.usable) > 1 and versions.last_day is not None:
        wanted += f" (or version {versions.usable[1]} until {versions.last_day.isoformat()})"
    text = f"No course for {code} {wanted} valid on {day.isoformat()}"
    taken = [
        c
        for c in holder.certificates
        if c.standard == code and c.version in versions.usable and c.issued_on <= day
    ]
    older = [
        c
        for c in holder.certificates
        if c.standard == code and c.version not in versions.usable and c.issued_on <= day
    ]
    if taken:
        last = max(taken, key=_issued)
        text += f"; course {last.course} {_lapsed(last, day)}"
    elif older:
        last = max(older, key=_issued)
        text += f"; course {last.course} is for version {last.version}"
        if last.version == versions.previous and versions.last_day is not None:
            text += f", accepted only until {versions.last_day.isoformat()}"
    return False, text + "."


def _conflict(holder: Holder, entity: str, day: date) -> Check:
    # Links starting after the day are never conflicts on it; leaving them out also keeps
    # the window arithmetic away from dates before year 4, where it cannot go back 3 years.
    relevant = [d for d in holder.declarations if d.start <= day]
    if not relevant or day.year <= CONFLICT_WINDOW_YEARS:
        return Check(
            "conflict_of_interest",
            True,
            f"No declared link with {entity} in the {CONFLICT_WINDOW_YEARS} years up to "
            f"{day.isoformat()}.",
        )
    result = conflict_of_interest(relevant, entity, day, CONFLICT_WINDOW_YEARS)
    return Check("conflict_of_interest", result.met, _sentences([result.reason]))


def _sentences(reasons) -> str:
    """The rules' reasons ("course x completed on ...") as sentences."""
    return " ".join(
        reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
        for reason in reasons
    )
