"""A synthetic registry for demos and benchmarks: ``flask demo seed --people N``.

People with names from several cultures, living in and auditing aluminium countries, with
their registry profiles (most consenting to publication), accreditations (auditor, lead
auditor, specialist) with scopes in the scheme's standards and sectors, status histories
(most active; some expired, suspended, withdrawn or reinstated), audit firms and
affiliations, certificates of the required courses (a few expired), verified languages and
audits, and a few conflict-of-interest declarations.

Everything is made from one random seed, so a run is reproducible, and written with bulk
inserts (executemany, explicit ids): 100,000 people take well under a minute on SQLite.
Accounts get an unusable password (nobody can log in as a seeded person) and e-mail
addresses under example.invalid. No audit events are written: the data is made up, and the
hash chain records real decisions only.
"""

from __future__ import annotations

import random
import secrets
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, insert, select, text, update

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    RegistrySequence,
    StatusChange,
)
from educational.catalog.content import load_tree
from educational.catalog.models import Course
from educational.catalog.scheme import current_scheme
from educational.catalog.sync import sync_tree
from educational.certificates.codes import ALPHABET
from educational.certificates.models import Certificate
from educational.core.db import db, today, utcnow
from educational.experience.models import (
    AuditEntry,
    ConflictDeclaration,
    ExperienceEntry,
    LanguageSkill,
)

from .credentials import add_accreditation, add_certificates, midday
from .experience import add_audits, add_declaration, add_firms, add_languages
from .vocabulary import AUDIT_COUNTRIES, CULTURES, feminine, full_name

#: An argon2 verifier rejects this (it is not a hash), so no seeded account can log in.
UNUSABLE_PASSWORD = "!seeded-account-no-login"  # noqa: S105 (deliberately not a hash)
BATCH = 10_000

#: The first day a seeded accreditation may start.
FIRST_DAY = date(2016, 1, 1)


@dataclass
class SeedReport:
    people: int = 0
    public: int = 0
    firms: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        counts = ", ".join(f"{name} {count}" for name, count in self.rows.items())
        return [
            f"seeded {self.people} people ({self.public} public) and {self.firms} firms "
            f"in {self.seconds:.1f}s",
            counts,
        ]


def _next_ids() -> dict[str, int]:
    """The first free id of each table written (so a second seed adds to the first)."""
    tables = {
        "users": User,
        "profiles": RegistryProfile,
        "accreditations": Accreditation,
        "scopes": AccreditationScope,
        "changes": StatusChange,
        "firms": AuditFirm,
        "affiliations": FirmAffiliation,
        "entries": ExperienceEntry,
        "certificates": Certificate,
    }
    return {
        name: (db.session.scalar(select(func.max(model.id))) or 0) + 1
        for name, model in tables.items()
    }


def _ensure_curriculum():
    """The scheme and the courses whose certificates the seed issues, synced if needed."""
    scheme = current_scheme()
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    if scheme is None or not courses:
        result = load_tree(current_app.config["COURSES_PATH"])
        if result.problems:
            raise RuntimeError(
                "courses/ has problems; run `flask courses check` and fix them before seeding"
            )
        sync_tree(result.tree)
        scheme = current_scheme()
        courses = {c.slug: c for c in db.session.scalars(select(Course))}
    return scheme, courses


class _Seeder:
    def __init__(self, people: int, seed: int, today: date, public_share: float) -> None:
        # Reproducible made-up data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.people = people
        self.today = today
        self.public_share = public_share
        self.ids = _next_ids()
        self.rows: dict[str, list[dict]] = {}
        self.tag = secrets.token_hex(3)
        self.now = utcnow()

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def take(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    def code(self) -> str:
        number = int.from_bytes(secrets.token_bytes(13), "big") >> 4
        digits = []
        for _ in range(20):
            number, index = divmod(number, 32)
            digits.append(ALPHABET[index])
        compact = "".join(digits)
        return "-".join(compact[i : i + 4] for i in range(0, 20, 4))


def seed_registry(
    people: int,
    *,
    seed: int = 2026,
    day: date | None = None,
    public_share: float = 0.92,
    firms: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Add ``people`` synthetic accredited people (and ``firms`` audit firms, by default one
    for every 250 people and at least 5) to the registry, as of ``day`` (default: today).

    Flushes, does not commit (the CLI commits)."""
    started = clock.perf_counter()
    say = progress or (lambda message: None)
    scheme, courses = _ensure_curriculum()
    seeder = _Seeder(people, seed, day or today(), public_share)
    prefix = scheme.code
    first_number = _first_registry_number(prefix)
    say("making firms")
    made_firms = add_firms(seeder, firms or max(5, people // 250))
    say("making people")
    public = sum(
        _add_person(seeder, scheme, courses, n, prefix, first_number, made_firms)
        for n in range(people)
    )
    say("writing rows")
    report = SeedReport(people=people, public=public, firms=len(made_firms))
    _write(seeder, report)
    _advance_sequence(prefix, first_number + people - 1)
    report.seconds = clock.perf_counter() - started
    return report


def _add_person(seeder, scheme, courses, n: int, prefix: str, first_number: int, firms) -> bool:
    """One person with their profile, accreditations, certificates, experience and firms;
    True when they consent to publication."""
    rng = seeder.rng
    cultures = list(CULTURES)
    culture = rng.choices(cultures, [CULTURES[name][4] for name in cultures])[0]
    given, family, family_first, homes, _weight = CULTURES[culture]
    home = rng.choice(list(homes))
    first = rng.choice(given)
    first, _bar, gender = first.partition("|")
    last = rng.choice(family)
    if gender == "f":
        last = feminine(last)
    name = full_name(first, last, family_first)
    user_id = seeder.take("users")
    seeder.add(
        "users",
        {
            "id": user_id,
            "email": f"seed.{seeder.tag}.{n}@example.invalid",
            "password_hash": UNUSABLE_PASSWORD,
            "name": name,
            "role": "learner",
            "timezone": "UTC",
            "locale": "en",
            "email_confirmed_at": seeder.now,
            "created_at": seeder.now,
            "active": True,
        },
    )
    consent = rng.random() < seeder.public_share
    profile_id = seeder.take("profiles")
    start = FIRST_DAY + timedelta(
        days=int(rng.betavariate(1.6, 1.0) * ((seeder.today - FIRST_DAY).days - 30))
    )
    seeder.add(
        "profiles",
        {
            "id": profile_id,
            "user_id": user_id,
            "registry_id": f"{prefix}-{first_number + n:06d}",
            "public": consent,
            "consent_changed_at": midday(start),
            "created_at": midday(start),
        },
    )
    draw = rng.random()
    roles = (
        ["auditor"]
        if draw < 0.55
        else ["lead_auditor"]
        if draw < 0.80
        else ["specialist"]
        if draw < 0.92
        else ["auditor", "specialist"]
    )
    countries = sorted({home, *rng.sample(AUDIT_COUNTRIES, rng.choice((0, 1, 1, 2, 3)))})
    for role in roles:
        add_accreditation(seeder, scheme, profile_id, role, start, countries)
    add_certificates(seeder, scheme, user_id, name, roles, courses)
    add_languages(seeder, user_id, homes[home], rng)
    auditing = any(scheme.is_scoped(role) for role in roles)
    if auditing:
        standard_sectors = {code: s.sectors for code, s in scheme.standards.items()}
        newest = {code: s.versions[-1].version for code, s in scheme.standards.items()}
        add_audits(seeder, user_id, countries, standard_sectors, newest)
        if rng.random() < 0.08:
            add_declaration(seeder, user_id)
    if rng.random() < (0.85 if auditing else 0.4):
        local = [f for f, country in firms if country == home] or [f for f, _c in firms]
        chosen = {rng.choice(local)}
        if rng.random() < 0.1:
            chosen.add(rng.choice(firms)[0])
        for firm_id in sorted(chosen):
            seeder.add(
                "affiliations",
                {
                    "id": seeder.take("affiliations"),
                    "firm_id": firm_id,
                    "profile_id": profile_id,
                    "since": start,
                    "until": None,
                },
            )
    return consent


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (SQLite and PostgreSQL alike), so
    that queries pick the selective indexes."""
    db.session.execute(text("ANALYZE"))


def _first_registry_number(prefix: str) -> int:
    last = db.session.scalar(
        select(RegistrySequence.last_number).where(RegistrySequence.prefix == prefix)
    )
    highest = 0
    for (registry_id,) in db.session.execute(
        select(RegistryProfile.registry_id).where(RegistryProfile.registry_id.like(f"{prefix}-%"))
    ):
        number = registry_id.rpartition("-")[2]
        if number.isdigit():
            highest = max(highest, int(number))
    return max(last or 0, highest) + 1


def _advance_sequence(prefix: str, last_number: int) -> None:
    """Real approvals carry on after the seeded numbers."""
    table = RegistrySequence.__table__
    updated = db.session.execute(
        update(table).where(table.c.prefix == prefix).values(last_number=last_number)
    )
    if not updated.rowcount:
        db.session.execute(insert(table).values(prefix=prefix, last_number=last_number))


#: Tables in the order foreign keys need, by the name ``_Seeder.add`` uses.
TABLES = (
    ("users", User),
    ("profiles", RegistryProfile),
    ("firms", AuditFirm),
    ("accreditations", Accreditation),
    ("scopes", AccreditationScope),
    ("changes", StatusChange),
    ("affiliations", FirmAffiliation),
    ("certificates", Certificate),
    ("entries", ExperienceEntry),
    ("languages", LanguageSkill),
    ("audits", AuditEntry),
    ("conflicts", ConflictDeclaration),
)


def _write(seeder: _Seeder, report: SeedReport) -> None:
    for name, model in TABLES:
        rows = seeder.rows.get(name, [])
        table = model.__table__
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start : start + BATCH])
        report.rows[table.name] = len(rows)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        # Explicit ids leave the sequences behind; move them past the new rows.
        for _name, model in TABLES:
            table = model.__table__.name
            if model in (LanguageSkill, AuditEntry, ConflictDeclaration):
                continue  # their ids are the entries' ids
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )
