"""The seeded registry's audit firms, and one seeded person's verified experience (languages,
audits) and conflict-of-interest declarations, as rows for ``_Seeder.add``."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from educational.accreditation.models import AuditFirm
from educational.core.db import db
from educational.core.names import country_name

from .vocabulary import (
    ACCREDITATION_BODIES,
    CULTURES,
    ENTITIES,
    FIRM_NOUNS,
    FIRM_WORDS,
    LEGAL_FORMS,
)


def add_firms(seeder, count: int) -> list[tuple[int, str]]:
    rng = seeder.rng
    taken = set(db.session.scalars(select(AuditFirm.name)))
    firms = []
    countries = [c for _g, _f, _o, homes, _w in CULTURES.values() for c in homes]
    while len(firms) < count:
        country = rng.choice(countries)
        name = (
            f"{rng.choice(FIRM_WORDS)} {rng.choice(FIRM_NOUNS)} {LEGAL_FORMS.get(country, 'Ltd')}"
        )
        if name in taken:  # the same name in another country: say where
            name = f"{name} ({country_name(country)})"
        if name in taken:
            name = f"{name} {len(firms) + 1}"
        taken.add(name)
        firm_id = seeder.take("firms")
        seeder.add(
            "firms",
            {
                "id": firm_id,
                "name": name,
                "country": country,
                "accreditation_body": ACCREDITATION_BODIES.get(country, "IAF MLA signatory"),
                "accreditation_standard": rng.choice(("ISO/IEC 17021-1", "ISO/IEC 17065")),
                "status": "active" if rng.random() < 0.97 else "suspended",
                "created_at": seeder.now,
            },
        )
        firms.append((firm_id, country))
    return firms


def add_entry(seeder, user_id, kind, status="verified") -> int:
    entry_id = seeder.take("entries")
    seeder.add(
        "entries",
        {
            "id": entry_id,
            "user_id": user_id,
            "kind": kind,
            "status": status,
            "revision": 1,
            "created_at": seeder.now,
            "updated_at": seeder.now,
            "submitted_at": seeder.now if status == "verified" else None,
            "verified_at": seeder.now if status == "verified" else None,
            "verified_by_id": None,
            "decided_at": None,
            "decided_by_id": None,
            "staff_comment": None,
            "withdrawn_at": None,
        },
    )
    return entry_id


def add_languages(seeder, user_id, native, rng) -> None:
    spoken = {native: "native"}
    if native != "en":
        spoken["en"] = rng.choice(("B2", "C1", "C1", "C2"))
    if rng.random() < 0.2:
        extra = rng.choice(("fr", "es", "pt", "de", "zh", "ru", "ar"))
        spoken.setdefault(extra, rng.choice(("B1", "B2", "C1")))
    for language, level in spoken.items():
        entry_id = add_entry(seeder, user_id, "language")
        seeder.add("languages", {"id": entry_id, "language": language, "proficiency": level})


def add_audits(seeder, user_id, countries, standard_sectors, current) -> None:
    rng, today = seeder.rng, seeder.today
    for _ in range(rng.choice((1, 2, 2, 3))):
        standard = rng.choice(list(standard_sectors))
        end = today - timedelta(days=rng.randrange(30, 1000))
        days = rng.choice((2, 3, 4, 5))
        entry_id = add_entry(seeder, user_id, "audit")
        seeder.add(
            "audits",
            {
                "id": entry_id,
                "start_date": end - timedelta(days=days - 1),
                "end_date": end,
                "onsite_days": float(days),
                "offsite_days": rng.choice((0.5, 1.0, 1.5)),
                "audit_role": rng.choice(("lead", "auditor", "auditor")),
                "team_size": rng.choice((2, 2, 3, 4)),
                "standard": standard,
                "standard_version": current[standard],
                "sectors": [rng.choice(standard_sectors[standard])],
                "country": rng.choice(countries),
                "entity": rng.choice(ENTITIES),
                "audit_type": rng.choice(("certification", "surveillance", "recertification")),
                "reference_name": "Synthetic Reference",
                "reference_contact": "reference@example.invalid",
                "notes": "",
            },
        )


def add_declaration(seeder, user_id) -> None:
    rng, today = seeder.rng, seeder.today
    start = today - timedelta(days=rng.randrange(200, 2500))
    end = None if rng.random() < 0.4 else start + timedelta(days=rng.randrange(90, 700))
    entry_id = add_entry(seeder, user_id, "conflict", status="declared")
    seeder.add(
        "conflicts",
        {
            "id": entry_id,
            "entity": rng.choice(ENTITIES),
            "nature": rng.choice(("consulting", "employment")),
            "start_date": start,
            "end_date": end if end is None or end < today else None,
            "notes": "",
        },
    )
