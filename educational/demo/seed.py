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
from datetime import UTC, date, datetime, time, timedelta

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
from educational.certificates.rules import expiry_date
from educational.core.db import db, utcnow
from educational.experience.labels import country_name
from educational.experience.models import (
    AuditEntry,
    ConflictDeclaration,
    ExperienceEntry,
    LanguageSkill,
)

#: An argon2 verifier rejects this (it is not a hash), so no seeded account can log in.
UNUSABLE_PASSWORD = "!seeded-account-no-login"  # noqa: S105 (deliberately not a hash)
BATCH = 10_000

# (given names, family names, family name first?, {home country: language}, weight)
CULTURES: dict[str, tuple[list[str], list[str], bool, dict[str, str], int]] = {
    "nordic": (
        ["Ingrid", "Lars", "Sigrid", "Erik", "Kari", "Ola", "Astrid", "Magnus", "Solveig",
         "Henrik", "Þóra", "Bjørn", "Guðrún", "Jón", "Freya", "Nils", "Åsa", "Øystein"],
        ["Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl", "Lie", "Strand",
         "Sigurðsson", "Magnússon", "Lindqvist", "Eriksson", "Bakke", "Nygård", "Solberg"],
        False, {"NO": "no", "IS": "is", "SE": "sv"}, 8,
    ),
    "chinese": (
        ["Wei", "Fang", "Jing", "Lei", "Min", "Xiaoling", "Hao", "Yan", "Jun", "Li", "Qiang",
         "Mei", "Tao", "Ying", "Zhiwei", "Xin"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
         "Sun", "Ma", "Zhu", "Hu", "Guo"],
        True, {"CN": "zh"}, 14,
    ),
    "brazilian": (
        ["Ana", "João", "Mariana", "Pedro", "Beatriz", "Lucas", "Camila", "Rafael",
         "Fernanda", "Gabriel", "Juliana", "Thiago", "Luísa", "Caio"],
        ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
         "Nascimento", "Lima", "Araújo", "Carvalho", "Gonçalves", "Ribeiro"],
        False, {"BR": "pt"}, 9,
    ),
    "french": (
        ["Camille", "Julien", "Léa", "Mathieu", "Chloé", "Nicolas", "Élodie", "Antoine",
         "Manon", "Hugo", "Sophie", "Étienne"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Tremblay", "Gagnon",
         "Roux", "Fournier", "Lambert", "Bouchard"],
        False, {"FR": "fr", "CA": "fr"}, 6,
    ),
    "west_african": (
        ["Mamadou", "Aïssatou", "Ibrahima", "Fatoumata", "Kwame", "Ama", "Kofi", "Akosua",
         "Abdoulaye", "Mariama", "Yaw", "Efua"],
        ["Diallo", "Bah", "Camara", "Sylla", "Barry", "Mensah", "Owusu", "Boateng", "Asante",
         "Touré", "Soumah", "Appiah"],
        False, {"GN": "fr", "GH": "en"}, 5,
    ),
    "german": (
        ["Anna", "Lukas", "Katharina", "Jonas", "Sophie", "Maximilian", "Laura", "Felix",
         "Johanna", "Tobias", "Lena", "Jürgen"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Hoffmann", "Schulz", "Krüger", "Koch"],
        False, {"DE": "de", "AT": "de", "CH": "de"}, 8,
    ),
    "indian": (
        ["Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Deepa", "Sanjay", "Lakshmi",
         "Rohan", "Meera", "Aditya"],
        ["Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Rao", "Menon", "Das",
         "Kulkarni", "Banerjee"],
        False, {"IN": "hi"}, 9,
    ),
    "arabic": (
        ["Fatima", "Omar", "Layla", "Yousef", "Mariam", "Khalid", "Noura", "Ahmed", "Huda",
         "Saeed", "Aisha", "Hassan"],
        ["Al-Mansouri", "Al-Hashimi", "Haddad", "Al-Khalifa", "Al-Qahtani", "Nasser",
         "Al-Farsi", "Saleh", "Al-Amri", "Hamdan", "Al-Balushi", "Khoury"],
        False, {"AE": "ar", "BH": "ar", "SA": "ar", "OM": "ar"}, 7,
    ),
    "japanese": (
        ["Yuki", "Haruto", "Aoi", "Sota", "Hina", "Ren", "Sakura", "Takumi", "Mio", "Daiki"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato"],
        False, {"JP": "ja"}, 3,
    ),
    "anglo": (
        ["Olivia", "Jack", "Charlotte", "William", "Amelia", "Noah", "Grace", "Thomas",
         "Emily", "James", "Chloe", "Liam", "Aroha", "Tane"],
        ["Smith", "Jones", "Williams", "Brown", "Taylor", "Wilson", "Campbell", "Anderson",
         "Thompson", "Walker", "O'Brien", "MacDonald", "Ngata", "Reid"],
        False, {"AU": "en", "CA": "en", "US": "en", "GB": "en", "NZ": "en", "JM": "en"}, 12,
    ),
    "russian": (
        ["Anastasia|f", "Dmitri|m", "Ekaterina|f", "Sergei|m", "Olga|f", "Alexei|m",
         "Natalia|f", "Ivan|m", "Yelena|f", "Mikhail|m"],
        ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov", "Morozov"],
        False, {"RU": "ru", "KZ": "ru"}, 5,
    ),
    "malay_indonesian": (
        ["Nur", "Ahmad", "Siti", "Muhammad", "Aisyah", "Hafiz", "Dewi", "Budi", "Putri",
         "Agus"],
        ["Abdullah", "Rahman", "Hassan", "Ismail", "Santoso", "Wijaya", "Hidayat", "Saputra",
         "Halim", "Kurniawan"],
        False, {"MY": "ms", "ID": "id"}, 5,
    ),
    "hispanic": (
        ["María", "José", "Lucía", "Carlos", "Sofía", "Javier", "Valentina", "Diego",
         "Camila", "Andrés"],
        ["García", "Martínez", "López", "González", "Rodríguez", "Fernández", "Sánchez",
         "Pérez", "Ramírez", "Torres"],
        False, {"ES": "es", "MX": "es", "CL": "es", "AR": "es"}, 6,
    ),
}  # fmt: skip

#: Countries where aluminium is mined, refined, smelted or worked, audited away from home.
AUDIT_COUNTRIES = (
    "AU", "BR", "CA", "CN", "DE", "GN", "IN", "IS", "NO", "AE", "BH", "SA", "RU", "MY",
    "ZA", "NZ", "JM", "GH", "US", "FR", "GB", "ES", "JP", "ID", "MX", "IT", "NL", "TR",
    "VN", "KZ", "OM", "QA", "TH", "SE", "AT", "CH",
)  # fmt: skip
ACCREDITATION_BODIES = {
    "DE": "DAkkS", "AT": "Akkreditierung Austria", "CH": "SAS", "GB": "UKAS",
    "AU": "JAS-ANZ", "NZ": "JAS-ANZ", "CN": "CNAS", "NO": "Norsk akkreditering",
    "SE": "Swedac", "IS": "ISAC", "FR": "COFRAC", "CA": "SCC", "US": "ANAB", "BR": "Cgcre",
    "IN": "NABCB", "AE": "EIAC", "BH": "GAC", "SA": "SAAC", "OM": "GAC", "JP": "JAB",
    "ES": "ENAC", "MX": "EMA", "MY": "Standards Malaysia", "ID": "KAN", "RU": "RusAccreditation",
}  # fmt: skip
LEGAL_FORMS = {
    "NO": "AS", "IS": "ehf.", "SE": "AB", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS",
    "BR": "Ltda.", "CN": "Co., Ltd.", "JP": "K.K.", "AU": "Pty Ltd", "GB": "Ltd", "US": "LLC",
    "ES": "S.L.", "MX": "S.A. de C.V.", "IN": "Pvt Ltd", "AE": "LLC", "MY": "Sdn Bhd",
}  # fmt: skip
FIRM_WORDS = (
    "Nordic", "Atlas", "Meridian", "Southern Cross", "Andes", "Baltic", "Pacific", "Sahel",
    "Himalaya", "Lotus", "Cedar", "Aurora", "Delta", "Summit", "Harbour", "Orion", "Granite",
    "Compass", "Sterling", "Eastern", "Fjord", "Amazonas", "Red Sea", "Jade", "Sakura",
)  # fmt: skip
FIRM_NOUNS = (
    "Assurance", "Certification", "Audit Services", "Verification", "Quality Partners",
    "Sustainability Assurance", "Inspection", "Conformity",
)  # fmt: skip
ENTITIES = (
    "Nordfjord Aluminium AS", "Atlantic Bauxite Company", "Sundvik Smelter",
    "Rio Verde Alumina", "Gulf Casthouse LLC", "Jiangnan Extrusions Co.",
    "Kimberley Bauxite Pty Ltd", "Straumsvík Smelter", "Pacific Rolled Products",
    "Alpine Foil GmbH", "Boké Mining Company", "Deccan Alumina Ltd",
)  # fmt: skip
#: Sectors by how often they appear in scopes.
SECTOR_WEIGHTS = {
    "aluminium-smelting": 6, "casthouse": 6, "semi-fabrication": 5, "material-conversion": 5,
    "remelting-refining": 4, "alumina-refining": 3, "bauxite-mining": 3,
    "other-manufacturing": 2, "post-casthouse": 3,
}  # fmt: skip
SPECIALIST_AREAS = (
    "indigenous-peoples-fpic", "biodiversity-rehabilitation", "human-rights",
    "community-engagement", "local-language-culture", "ghg-emissions",
)  # fmt: skip
FIRST_DAY = date(2016, 1, 1)
VALIDITY_YEARS = 3


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


def _midday(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    today: date | None = None,
    public_share: float = 0.92,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Add ``people`` synthetic accredited people (and their firms) to the registry.

    Flushes, does not commit (the CLI commits)."""
    started = clock.perf_counter()
    say = progress or (lambda message: None)
    scheme, courses = _ensure_curriculum()
    seeder = _Seeder(people, seed, today or utcnow().date(), public_share)
    rng = seeder.rng
    prefix = scheme.code
    first_number = _first_registry_number(prefix)
    say("making firms")
    firms = _firms(seeder, max(5, people // 250))
    firms_by_country: dict[str, list[int]] = {}
    for firm_id, country in firms:
        firms_by_country.setdefault(country, []).append(firm_id)
    cultures = list(CULTURES)
    weights = [CULTURES[name][4] for name in cultures]
    standard_sectors = {code: s.sectors for code, s in scheme.standards.items()}
    current_versions = {code: s.versions[-1].version for code, s in scheme.standards.items()}
    old_versions = {
        code: s.versions[-2].version for code, s in scheme.standards.items() if len(s.versions) > 1
    }
    say("making people")
    public = 0
    for n in range(people):
        culture = rng.choices(cultures, weights)[0]
        given, family, family_first, homes, _weight = CULTURES[culture]
        home = rng.choice(list(homes))
        first = rng.choice(given)
        first, _bar, gender = first.partition("|")
        last = rng.choice(family) + ("a" if gender == "f" else "")
        name = f"{last} {first}" if family_first else f"{first} {last}"
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
        consent = rng.random() < public_share
        public += consent
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
                "consent_changed_at": _midday(start),
                "created_at": _midday(start),
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
            _accreditation(
                seeder, profile_id, role, start, countries, standard_sectors,
                current_versions, old_versions,
            )  # fmt: skip
        _certificates(seeder, user_id, name, roles, courses)
        _languages(seeder, user_id, homes[home], rng)
        if roles != ["specialist"]:
            _audits(seeder, user_id, countries, standard_sectors, current_versions)
            if rng.random() < 0.08:
                _declaration(seeder, user_id)
        if rng.random() < (0.85 if roles != ["specialist"] else 0.4):
            local = firms_by_country.get(home) or [f for f, _c in firms]
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
    say("writing rows")
    report = SeedReport(people=people, public=public, firms=len(firms))
    _write(seeder, report)
    _advance_sequence(prefix, first_number + people - 1)
    report.seconds = clock.perf_counter() - started
    return report


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


def _firms(seeder: _Seeder, count: int) -> list[tuple[int, str]]:
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


def _accreditation(
    seeder, profile_id, role, start, countries, standard_sectors, current, old
) -> None:
    rng, today = seeder.rng, seeder.today
    accreditation_id = seeder.take("accreditations")
    valid_from, valid_until = start, _add_years(start, VALIDITY_YEARS) - timedelta(days=1)
    changes = [(None, "active", start)]
    status = "active"
    if valid_until < today:
        if rng.random() < 0.8:  # renewed every three years since
            while valid_until < today:
                valid_from = valid_until + timedelta(days=1)
                valid_until = _add_years(valid_from, VALIDITY_YEARS) - timedelta(days=1)
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
                if role == "specialist"
                else []
            ),
            "application_id": None,
            "created_at": _midday(start),
            "updated_at": _midday(changes[-1][2]),
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
                "occurred_at": _midday(on),
            },
        )
    if role == "specialist":
        return
    standards = [code for code in standard_sectors if rng.random() < 0.6] or [
        rng.choice(list(standard_sectors))
    ]
    for standard in standards:
        sectors = list(standard_sectors[standard])
        picked = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            picked.add(rng.choices(sectors, [SECTOR_WEIGHTS.get(s, 1) for s in sectors])[0])
        lapsed = standard in old and rng.random() < 0.03
        for sector in sorted(picked):
            seeder.add(
                "scopes",
                {
                    "id": seeder.take("scopes"),
                    "accreditation_id": accreditation_id,
                    "standard": standard,
                    "version": old[standard] if lapsed else current[standard],
                    "sector": sector,
                    "status": "lapsed" if lapsed else "active",
                    "lapsed_at": _midday(date(2023, 5, 19)) if lapsed else None,
                },
            )


def _certificates(seeder, user_id, name, roles, courses) -> None:
    rng, today = seeder.rng, seeder.today
    slugs = set()
    for role in roles:
        if role == "specialist":
            slugs.add("asi-specialist")
        else:
            slugs |= {"asi-auditor"} | {
                slug for slug, course in courses.items() if course.standard_code
            }
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
                "issued_at": _midday(issued_on),
                "issued_on": issued_on,
                "expires_on": expires_on,
                "revoked_at": None,
                "revoke_reason": None,
                "revoked_by_id": None,
                "created_at": seeder.now,
            },
        )


def _entry(seeder, user_id, kind, status="verified") -> int:
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


def _languages(seeder, user_id, native, rng) -> None:
    spoken = {native: "native"}
    if native != "en":
        spoken["en"] = rng.choice(("B2", "C1", "C1", "C2"))
    if rng.random() < 0.2:
        extra = rng.choice(("fr", "es", "pt", "de", "zh", "ru", "ar"))
        spoken.setdefault(extra, rng.choice(("B1", "B2", "C1")))
    for language, level in spoken.items():
        entry_id = _entry(seeder, user_id, "language")
        seeder.add("languages", {"id": entry_id, "language": language, "proficiency": level})


def _audits(seeder, user_id, countries, standard_sectors, current) -> None:
    rng, today = seeder.rng, seeder.today
    for _ in range(rng.choice((1, 2, 2, 3))):
        standard = rng.choice(list(standard_sectors))
        end = today - timedelta(days=rng.randrange(30, 1000))
        days = rng.choice((2, 3, 4, 5))
        entry_id = _entry(seeder, user_id, "audit")
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


def _declaration(seeder, user_id) -> None:
    rng, today = seeder.rng, seeder.today
    start = today - timedelta(days=rng.randrange(200, 2500))
    end = None if rng.random() < 0.4 else start + timedelta(days=rng.randrange(90, 700))
    entry_id = _entry(seeder, user_id, "conflict", status="declared")
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
