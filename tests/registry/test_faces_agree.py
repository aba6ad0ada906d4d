"""The faces of the scheme's rules agree, on generated people.

Hypothesis makes small worlds of people (certificates, some expired or revoked, and of an old
course edition; verified experience; accreditations with scopes, some lapsed, countries,
statuses and status histories; conflict-of-interest declarations; consent or not), writes them
through the models into the test database (one transaction per world, rolled back), and
checks, for every role, scope and date:

- the application checklist (``checklist.evaluate_person``, its ``course`` and
  ``standard_course`` results) and the eligibility engine (``training_current``) give the same
  verdict on training; a role without scopes gets no per-scope result from the one and passes
  the scope checks of the other; a scope granted from the courses that meet the checklist
  passes ``standard_version_current``; both loaders read the same declarations;
- a certificate is valid on a day by the same rule in Python (``CourseRecord.valid_on``,
  ``Certificate.is_valid_on``) and in SQL;
- on a fixed "today" (passed by parameter), the registry search (the real SQL of
  ``registry/search.py``) with ``status=active`` lists exactly the people whom eligibility
  calls active for the filter (an accreditation that satisfies the role passes
  ``accreditation_active``, the scope checks and ``country``), and the shortlist
  (``eligible_holders``, SQL pre-filter and all) exactly those ``is_eligible`` accepts, and
  so does the SQL that decides /api/v1/eligible alone (``candidates.eligible_query``), in
  the same order.

The version of a held scope is left out of "active": the registry lists scopes as recorded,
and the nightly sweep lapses a scope whose version is no longer usable.

Deterministic (``derandomize=True``) and bounded (about 20 s on SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import checklist
from educational.accreditation.choices import role_needs
from educational.accreditation.granting import trained_version
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.accreditation.rules import conflict_of_interest
from educational.accreditation.rules.versions import versions_on
from educational.catalog.models import Course
from educational.catalog.scheme import current_scheme
from educational.certificates.models import Certificate
from educational.certificates.rules import add_months
from educational.core.db import db
from educational.experience.models import AuditEntry, ConflictDeclaration
from educational.registry import candidates, checks, search
from educational.registry.eligibility import accreditation_checks, is_eligible
from educational.registry.facts import ScopeFacts
from educational.registry.holders import eligible_holders, eligible_page, load_holder

#: The registry's "today" in this test, passed to every face by parameter.
TODAY = date(2026, 3, 2)
#: Days the checklist and the engine are compared on: today, the last day of the PS and COC
#: version transitions and the day after, an older day.
DAYS = (TODAY, date(2023, 5, 18), date(2023, 5, 19), date(2021, 6, 30))
ROLES = ("auditor", "lead_auditor", "specialist")
SCOPES = (("PS", "aluminium-smelting"), ("COC", "casthouse"), ("PS", "casthouse"))
COUNTRIES = ("NO", "BR", "CN")
ENTITIES = ("Nordfjord Aluminium AS", "Rio Verde Alumina")
#: An old course edition, beside the synced curriculum: PS version 2.
OLD_COURSE = "ps-v2-auditors"
COURSES = ("asi-auditor", "asi-specialist", "ps-v3-auditors", "coc-v2-auditors", OLD_COURSE)
#: The checklist's results about training, and those given per scope.
TRAINING = ("course:", "standard_course")
PER_SCOPE = ("standard_course", "sector_experience")


# The generated people


@dataclass
class CertificateSpec:
    course: str
    issued_on: date
    expires_on: date | None
    revoked_on: date | None


@dataclass
class AccreditationSpec:
    role: str
    valid_from: date
    valid_until: date
    countries: list[str]
    #: (standard, sector, version, lapsed on or None)
    scopes: list[tuple[str, str, str, date | None]]
    #: (from, to, on) after the creation on valid_from.
    changes: list[tuple[str, str, date]]

    @property
    def status(self) -> str:
        return self.changes[-1][1] if self.changes else "active"


@dataclass
class PersonSpec:
    public: bool
    certificates: list[CertificateSpec]
    accreditations: list[AccreditationSpec]
    #: (entity, start, end)
    declarations: list[tuple[str, date, date | None]]
    #: Verified audits: (end day, country)
    audits: list[tuple[date, str]] = field(default_factory=list)


def days_from(base: date, low: int, high: int):
    return st.integers(low, high).map(lambda n: base + timedelta(days=n))


def around(days: tuple[date, ...]):
    """One of ``days``, or the day before or after it: where the rules change their mind."""
    return st.tuples(st.sampled_from(days), st.integers(-1, 1)).map(
        lambda t: t[0] + timedelta(days=t[1])
    )


#: Every day the rules are asked about, with its neighbours.
EDGES = tuple(day + timedelta(days=n) for day in DAYS for n in (-1, 0, 1))


@st.composite
def certificates(draw) -> CertificateSpec:
    issued = draw(days_from(TODAY, -2200, 20) | around(DAYS))
    expires = draw(
        st.none()
        | st.sampled_from((12, 36)).map(lambda months: add_months(issued, months))
        | around(DAYS).filter(lambda day: day > issued)
    )
    revoked = draw(
        st.none() | days_from(issued, 0, 900) | around(DAYS).filter(lambda day: day >= issued)
    )
    return CertificateSpec(draw(st.sampled_from(COURSES)), issued, expires, revoked)


@st.composite
def accreditations(draw, role: str) -> AccreditationSpec:
    # Accreditations start on the day they are granted, never after it.
    valid_from = draw(days_from(TODAY, -2000, 0))
    valid_until = draw(
        days_from(valid_from, 0, 1500) | around((TODAY,)).filter(lambda day: day >= valid_from)
    )
    countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2, unique=True))
    scopes = []
    if role != "specialist":
        for standard, sector in draw(
            st.lists(st.sampled_from(SCOPES), min_size=1, max_size=3, unique=True)
        ):
            versions = ("1", "2", "3") if standard == "PS" else ("1", "2")
            lapsed = draw(
                st.none()
                | days_from(valid_from, 0, max((TODAY - valid_from).days, 0))
                | st.just(TODAY)
            )
            scopes.append((standard, sector, draw(st.sampled_from(versions)), lapsed))
    changes: list[tuple[str, str, date]] = []
    status, on = "active", valid_from
    for _ in range(draw(st.integers(0, 3))):
        if status == "withdrawn" or on >= TODAY:
            break
        on = draw(days_from(on, 1, max((TODAY - on).days, 1)) | st.just(TODAY))
        moves = {"active": ["suspended", "withdrawn"], "suspended": ["active", "withdrawn"]}
        allowed = list(moves.get(status, []))
        # The sweep expires an accreditation only after its last valid day.
        if status in ("active", "suspended") and on > valid_until:
            allowed.append("expired")
        if status == "expired":
            allowed = []
        if not allowed:
            break
        to = draw(st.sampled_from(allowed))
        changes.append((status, to, on))
        status = to
    return AccreditationSpec(role, valid_from, valid_until, countries, scopes, changes)


@st.composite
def person_specs(draw) -> PersonSpec:
    roles = draw(st.lists(st.sampled_from(ROLES), max_size=2, unique=True))
    return PersonSpec(
        public=draw(st.sampled_from((True, True, True, False))),
        certificates=draw(st.lists(certificates(), max_size=4)),
        accreditations=[draw(accreditations(role)) for role in roles],
        declarations=draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ENTITIES),
                    days_from(TODAY, -2500, 10),
                    st.none() | st.integers(0, 900),
                ).map(lambda t: (t[0], t[1], t[1] + timedelta(days=t[2]) if t[2] else None)),
                max_size=2,
            )
        ),
        audits=draw(
            st.lists(st.tuples(days_from(TODAY, -1500, -1), st.sampled_from(COUNTRIES)), max_size=2)
        ),
    )


# Writing them through the models


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def write_world(world: list[PersonSpec], courses: dict[str, Course]) -> list[tuple[int, str]]:
    """The people in the database (flushed, not committed): (user id, registry id) each."""
    written = []
    for n, spec in enumerate(world):
        user = User(
            email=f"faces{n}@example.invalid",
            password_hash="!not-a-hash",
            name=f"Person {n:02d}",
            email_confirmed_at=at(TODAY),
        )
        profile = RegistryProfile(
            user=user, registry_id=f"ASI-{800000 + n:06d}", public=spec.public
        )
        db.session.add_all([user, profile])
        for a in spec.accreditations:
            accreditation = Accreditation(
                profile=profile,
                role=a.role,
                status=a.status,
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                countries=a.countries,
                created_at=at(a.valid_from),
            )
            accreditation.scopes = [
                AccreditationScope(
                    standard=standard,
                    sector=sector,
                    version=version,
                    status="lapsed" if lapsed else "active",
                    lapsed_at=at(lapsed) if lapsed else None,
                )
                for standard, sector, version, lapsed in a.scopes
            ]
            history = [(None, "active", a.valid_from), *a.changes]
            accreditation.changes = [
                StatusChange(from_status=old, to_status=new, reason="test", occurred_at=at(on))
                for old, new, on in history
            ]
            db.session.add(accreditation)
        for k, c in enumerate(spec.certificates):
            course = courses[c.course]
            db.session.add(
                Certificate(
                    code=f"F{n:03d}-{k:04d}-AAAA-BBBB-CCCC",
                    user=user,
                    course_id=course.id,
                    course_title=course.title,
                    course_version=course.version,
                    holder_name=user.name,
                    issued_at=at(c.issued_on),
                    issued_on=c.issued_on,
                    expires_on=c.expires_on,
                    revoked_at=at(c.revoked_on) if c.revoked_on else None,
                    revoke_reason="test" if c.revoked_on else None,
                )
            )
        for entity, start, end in spec.declarations:
            db.session.add(
                ConflictDeclaration(
                    user=user,
                    status="declared",
                    entity=entity,
                    nature="consulting",
                    start_date=start,
                    end_date=end,
                )
            )
        for end, country in spec.audits:
            db.session.add(
                AuditEntry(
                    user=user,
                    status="verified",
                    verified_at=at(end),
                    start_date=end - timedelta(days=4),
                    end_date=end,
                    onsite_days=4.0,
                    offsite_days=1.0,
                    audit_role="lead",
                    team_size=2,
                    standard="PS",
                    standard_version="3",
                    sectors=["aluminium-smelting"],
                    country=country,
                    entity=ENTITIES[0],
                    audit_type="certification",
                    reference_name="A Reference",
                    reference_contact="reference@example.invalid",
                )
            )
        db.session.flush()
        written.append((user.id, profile.registry_id))
    return written


def add_old_course() -> None:
    """PS version 2's course, an edition the synced curriculum no longer has."""
    current = db.session.scalar(select(Course).where(Course.slug == "ps-v3-auditors"))
    db.session.add(
        Course(
            slug=OLD_COURSE,
            title="PS V2 auditors",
            version="2017.1",
            language="en",
            languages=["en"],
            standard_code="PS",
            standard_version="2",
            required_for=["auditor", "lead_auditor"],
            translations={},
            certificate_validity_months=current.certificate_validity_months,
            content_hash="old-edition",
        )
    )
    db.session.commit()


# The checks


def compare_checklist_and_engine(scheme, user_id: int, holder) -> None:
    record = checklist.person_record(user_id)
    for role in ROLES:
        assert role_needs(scheme, role).scopes == scheme.is_scoped(role)
        for day in DAYS:
            for standard, sector in SCOPES:
                evaluation = checklist.evaluate_person(
                    scheme, user_id, role, scopes=[(standard, sector)], countries=["NO"], as_of=day
                )
                training = [
                    r
                    for r in evaluation.results
                    if r.code.startswith(("course:", "standard_course"))
                ]
                verdict = is_eligible(holder, role, standard, sector, "NO", day, scheme=scheme)
                engine = verdict.check("training_current")
                assert all(r.met for r in training) == engine.passed, (
                    role,
                    day,
                    standard,
                    [r.reason for r in training],
                    engine.message,
                )
                per_scope = [
                    r
                    for r in evaluation.results
                    if r.code.startswith(("standard_course", "sector_"))
                ]
                if not scheme.is_scoped(role):
                    assert per_scope == []
                    for a in holder.accreditations:
                        if a.role == role:
                            found = accreditation_checks(
                                a, role, standard, sector, "NO", day, scheme
                            )
                            assert all(c.passed for c in found[1:4])
                    continue
                met = next(r for r in training if r.code == f"standard_course:{standard}")
                if met.met:
                    # Approved today, the scope records a version the engine accepts today.
                    version = trained_version(scheme, standard, record.courses, day)
                    assert version in versions_on(scheme.standards[standard], day).usable
                    scope = ScopeFacts(standard, version, sector)
                    assert checks.version(scope, standard, day, scheme).passed
    for entity in ENTITIES:
        for day in DAYS:
            engine = checks.conflict(holder, entity, day, scheme)
            rule = conflict_of_interest(
                record.declarations, entity, day, scheme.conflict_window_years
            )
            assert engine.passed == rule.met, (entity, day, engine.message, rule.reason)


def compare_certificate_validity(user_ids: list[int]) -> None:
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.user_id.in_(user_ids))
    ).all()
    by_user = {uid: checklist.courses_of(uid) for uid in user_ids}
    for day in (*EDGES, TODAY + timedelta(days=400)):
        in_sql = set(
            db.session.scalars(
                select(Certificate.code).where(
                    Certificate.user_id.in_(user_ids), Certificate.is_valid_on(day)
                )
            )
        )
        in_python = {c.code for c in certificates if c.is_valid_on(day)}
        assert in_sql == in_python, day
        valid_records = sum(
            course.valid_on(day) for courses in by_user.values() for course in courses
        )
        assert valid_records == len(in_python), day


def active_for(holder, scheme, role: str, standard, sector, country) -> bool:
    """Eligibility calls the holder active for the filter: an accreditation that satisfies
    ``role`` passes ``accreditation_active``, the scope checks and ``country`` today."""
    for accreditation in holder.accreditations:
        if accreditation.role not in scheme.roles_satisfying(role):
            continue
        found = {
            c.code: c.passed
            for c in accreditation_checks(
                accreditation, role, standard or "PS", sector or "casthouse", country or "NO",
                TODAY, scheme,
            )
        }  # fmt: skip
        wanted = ["accreditation_active"]
        if standard:
            wanted += ["scope_standard", "scope_sector"]
        if country:
            wanted.append("country")
        if all(found[code] for code in wanted):
            return True
    return False


def compare_search_and_engine(scheme, holders: dict) -> None:
    public = {registry_id: h for registry_id, h in holders.items() if h is not None}
    filters = [
        (role, standard, sector, country)
        for role in ROLES
        for standard, sector in (*SCOPES, (None, None))
        for country in (*COUNTRIES[:2], None)
    ]
    for role, standard, sector, country in filters:
        query = search.RegistryQuery(
            role=role, standard=standard, sector=sector, country=country, status="active"
        )
        ids, total = search.search(query, scheme, TODAY, page=1, per_page=100)
        listed = set(
            db.session.scalars(
                select(RegistryProfile.registry_id).where(RegistryProfile.id.in_(ids))
            )
        )
        expected = {
            registry_id
            for registry_id, holder in public.items()
            if active_for(holder, scheme, role, standard, sector, country)
        }
        assert listed == expected, (role, standard, sector, country)
        assert total == len(expected)
        if standard is None or country is None:
            continue
        shortlist = {
            found.holder.registry_id
            for found in eligible_holders(role, standard, sector, country, TODAY, scheme=scheme)
        }
        accepted = {
            registry_id
            for registry_id, holder in public.items()
            if is_eligible(holder, role, standard, sector, country, TODAY, scheme=scheme).eligible
        }
        assert shortlist == accepted, (role, standard, sector, country)
        # The same people decided in SQL alone (/api/v1/eligible's pages), in the same order.
        in_sql = db.session.execute(
            candidates.eligible_query(role, standard, sector, country, TODAY, scheme)
        ).all()
        assert {row.registry_id for row in in_sql} == accepted, (role, standard, sector, country)
        paged = eligible_page(
            role, standard, sector, country, TODAY, scheme=scheme, page=1, per_page=100
        )
        assert paged.total == len(accepted)
        assert [found.holder.registry_id for found in paged.items] == [
            found.holder.registry_id
            for found in eligible_holders(role, standard, sector, country, TODAY, scheme=scheme)
        ]


def test_checklist_engine_and_registry_search_agree(app, synced_courses):
    with app.app_context():
        add_old_course()

    @settings(
        derandomize=True,
        database=None,
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(world=st.lists(person_specs(), min_size=1, max_size=5))
    def faces_agree(world: list[PersonSpec]) -> None:
        with app.app_context():
            try:
                scheme = current_scheme()
                courses = {c.slug: c for c in db.session.scalars(select(Course))}
                people = write_world(world, courses)
                holders = {rid: load_holder(rid) for _uid, rid in people}
                for (user_id, registry_id), spec in zip(people, world, strict=True):
                    assert (holders[registry_id] is None) == (not spec.public)
                    if holders[registry_id] is not None:
                        compare_checklist_and_engine(scheme, user_id, holders[registry_id])
                compare_certificate_validity([uid for uid, _rid in people])
                compare_search_and_engine(scheme, holders)
            finally:
                db.session.rollback()

    faces_agree()
