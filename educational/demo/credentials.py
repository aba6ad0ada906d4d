"""One seeded person's accreditations (with their scopes and status history) and
certificates, as rows for ``_Seeder.add``. Validity and required courses are the scheme's own
rules (``granting.validity_end``, ``required_courses``, ``Scheme.is_scoped``), not copies."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from educational.accreditation.granting import validity_end
from educational.accreditation.rules.training import required_courses
from educational.accreditation.rules.versions import transition_last_day
from educational.catalog.content import Scheme
from educational.certificates.rules import expiry_date

from .vocabulary import SECTOR_WEIGHTS, SPECIALIST_AREAS


def midday(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def add_accreditation(
    seeder, scheme: Scheme, profile_id: int, role: str, start: date, countries: list[str]
) -> None:
    """An accreditation held since ``start``: mostly renewed every period since, some
    expired, suspended, withdrawn or reinstated; scopes in the scheme's standards."""
    rng, today = seeder.rng, seeder.today
    years = scheme.validity_years
    accreditation_id = seeder.take("accreditations")
    valid_from, valid_until = start, validity_end(start, years)
    changes = [(None, "active", start)]
    status = "active"
    if valid_until < today:
        if rng.random() < 0.8:  # renewed every period since
            while valid_until < today:
                valid_from = valid_until + timedelta(days=1)
                valid_until = validity_end(valid_from, years)
        else:
            status = "expired"
            changes.append(("active", "expired", valid_until + timedelta(days=1)))
    if status == "active":
        draw = rng.random()
        span = max((today - start).days, 2)
        when = start + timedelta(days=rng.randrange(1, span))
        if draw < 0.03:
            status = "suspended"
            changes.append(("active", "suspended", when))
        elif draw < 0.05:
            status = "withdrawn"
            changes.append(("active", "withdrawn", when))
        elif draw < 0.07 and (today - when).days > 30:
            back = when + timedelta(days=rng.randrange(14, min(120, (today - when).days)))
            changes += [("active", "suspended", when), ("suspended", "active", back)]
    seeder.add(
        "accreditations",
        {
            "id": accreditation_id,
            "profile_id": profile_id,
            "role": role,
            "status": status,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "countries": countries,
            "specialist_areas": (
                sorted(rng.sample(SPECIALIST_AREAS, rng.choice((1, 1, 2))))
                if not scheme.is_scoped(role)
                else []
            ),
            "application_id": None,
            "created_at": midday(start),
            "updated_at": midday(changes[-1][2]),
        },
    )
    for from_status, to_status, on in changes:
        seeder.add(
            "changes",
            {
                "id": seeder.take("changes"),
                "accreditation_id": accreditation_id,
                "from_status": from_status,
                "to_status": to_status,
                "reason": "synthetic registry (flask demo seed)",
                "actor_id": None,
                "occurred_at": midday(on),
            },
        )
    if scheme.is_scoped(role):
        _add_scopes(seeder, scheme, accreditation_id)


def _add_scopes(seeder, scheme: Scheme, accreditation_id: int) -> None:
    """Scopes in the scheme's standards, trained for the newest version; a few lapsed at the
    end of the transition from the version before."""
    rng = seeder.rng
    standards = [code for code in scheme.standards if rng.random() < 0.6] or [
        rng.choice(list(scheme.standards))
    ]
    for standard in standards:
        versions = scheme.standards[standard].versions
        sectors = list(scheme.standards[standard].sectors)
        picked = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            picked.add(rng.choices(sectors, [SECTOR_WEIGHTS.get(s, 1) for s in sectors])[0])
        lapsed = len(versions) > 1 and rng.random() < 0.03
        last_day = transition_last_day(scheme.standards[standard], versions[-1]) if lapsed else None
        for sector in sorted(picked):
            seeder.add(
                "scopes",
                {
                    "id": seeder.take("scopes"),
                    "accreditation_id": accreditation_id,
                    "standard": standard,
                    "version": versions[-2 if lapsed else -1].version,
                    "sector": sector,
                    "status": "lapsed" if lapsed else "active",
                    "lapsed_at": midday(last_day + timedelta(days=1)) if last_day else None,
                },
            )


def add_certificates(seeder, scheme: Scheme, user_id: int, name: str, roles, courses) -> None:
    """Certificates of the courses the roles require (every standard's course for a role
    with scopes); about one in twenty has let the training lapse."""
    rng, today = seeder.rng, seeder.today
    slugs: set[str] = set()
    for role in roles:
        required, standard_course = required_courses(scheme, role)
        slugs |= set(required)
        if standard_course:
            slugs |= {slug for slug, course in courses.items() if course.standard_code}
    for slug in sorted(slugs):
        course = courses.get(slug)
        if course is None:
            continue
        # Mostly current; about one in twenty has let the training lapse.
        days_ago = rng.randrange(1100, 1500) if rng.random() < 0.05 else rng.randrange(20, 1000)
        issued_on = today - timedelta(days=days_ago)
        expires_on = expiry_date(issued_on, course.certificate_validity_months)
        seeder.add(
            "certificates",
            {
                "id": seeder.take("certificates"),
                "code": seeder.code(),
                "user_id": user_id,
                "course_id": course.id,
                "course_title": course.title,
                "course_version": course.version,
                "holder_name": name,
                "issued_at": midday(issued_on),
                "issued_on": issued_on,
                "expires_on": expires_on,
                "revoked_at": None,
                "revoke_reason": None,
                "revoked_by_id": None,
                "created_at": seeder.now,
            },
        )
