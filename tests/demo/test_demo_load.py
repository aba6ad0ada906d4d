"""``flask demo load`` (what ``make serve`` runs before the server starts): the demo accounts
with passwords made once and kept, and, once, a demo registry of about 200 people."""

import json
import re
import stat
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from educational.accounts.models import User
from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
)
from educational.certificates.models import Certificate
from educational.core.db import db
from educational.core.security import verify_password
from tests.builders.people import login

DEMO_EMAILS = [
    "learner@example.org",
    "member@example.org",
    "staff@example.org",
    "admin@example.org",
]


def load(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["demo", "load", *args])
    assert result.exit_code == 0, result.output
    return result.output


def printed_passwords(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) == 3 and words[1] in DEMO_EMAILS:
            found[words[1]] = words[2]
    return found


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_demo_load_makes_a_living_registry_once(app, synced_courses):
    first = load(app)
    assert "Demo registry: 200 people" in first
    with app.app_context():
        counts = {model: count(model) for model in (User, RegistryProfile, Accreditation)}
        counts |= {model: count(model) for model in (AccreditationScope, Certificate)}
        counts |= {model: count(model) for model in (AuditFirm, FirmAffiliation)}
        assert counts[RegistryProfile] == 200
        assert counts[AuditFirm] >= 10 and counts[FirmAffiliation] > 100
        statuses = Counter(db.session.scalars(select(Accreditation.status)))
        # Mostly active, some expired, a few suspended or withdrawn (drawn at random, with
        # dates counted back from today: which of the last two shows varies by the day).
        assert statuses["active"] > 150 and statuses["expired"] > 5
        assert statuses["suspended"] + statuses["withdrawn"] > 0
        standards = set(db.session.scalars(select(AccreditationScope.standard)))
        assert len(standards) >= 2
        assert db.session.scalar(select(func.count(func.distinct(AccreditationScope.sector)))) > 5
        countries = {c for row in db.session.scalars(select(Accreditation.countries)) for c in row}
        assert len(countries) > 15
        names = db.session.scalars(select(User.name)).all()
        # Several scripts: Latin with accents, Han, Cyrillic, Greek, Arabic, Hangul.
        assert any(any("\u4e00" <= c <= "\u9fff" for c in name) for name in names)
        assert any(any("\u0400" <= c <= "\u04ff" for c in name) for name in names)
        assert len(set(names)) > 150

    # A second start adds nothing and keeps the passwords.
    second = load(app)
    assert "200 people already in the registry, none added" in second
    with app.app_context():
        assert counts == {model: count(model) for model in counts}
    assert printed_passwords(first) == printed_passwords(second)
    assert set(printed_passwords(first)) == set(DEMO_EMAILS)


def test_the_same_seed_makes_the_same_people(app, synced_courses):
    """The random seed is fixed: every machine gets the same demo people."""
    from educational.demo.seed import seed_registry

    runs = []
    with app.app_context():
        for _ in range(2):
            seed_registry(50, seed=2026, firms=8)
            runs.append(db.session.scalars(select(User.name).order_by(User.id)).all())
            db.session.rollback()
    assert len(runs[0]) == 50 and runs[0] == runs[1]


def test_passwords_are_kept_owner_only_and_printed_at_every_start(app, synced_courses):
    path = Path(app.config["DEMO_PASSWORDS_PATH"])
    first = printed_passwords(load(app, "--people", "0"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == first
    again = printed_passwords(load(app, "--people", "0"))
    assert again == first
    with app.app_context():
        for email, password in first.items():
            user = db.session.scalar(select(User).where(User.email == email))
            assert verify_password(user.password_hash, password)


def test_a_lost_password_file_gives_new_passwords_that_work(app, synced_courses):
    path = Path(app.config["DEMO_PASSWORDS_PATH"])
    before = printed_passwords(load(app, "--people", "0"))
    path.unlink()
    after = printed_passwords(load(app, "--people", "0"))
    assert after != before and json.loads(path.read_text()) == after
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "staff@example.org", "password": after["staff@example.org"]}
    )
    assert response.status_code == 302


def test_the_demo_registry_fills_the_public_pages_and_the_shortlist(app, synced_courses):
    passwords = printed_passwords(load(app))
    visitor = app.test_client()
    statistics = visitor.get("/registry/statistics").get_data(as_text=True)
    assert re.search(r"\d{3} people hold an active accreditation today", statistics)
    registry = visitor.get("/registry?country=CN").get_data(as_text=True)
    assert registry.count("<tr") > 5
    assert "<td>" in visitor.get("/registry/firms").get_data(as_text=True)
    member = app.test_client()
    login(member, "member@example.org", passwords["member@example.org"])
    found = 0
    for country in ("CN", "BR", "AU", "DE", "IN"):
        question = f"role=auditor&standard=PS&sector=aluminium-smelting&country={country}"
        shortlist = member.get(f"/members/eligible.csv?{question}").get_data(as_text=True)
        found += len(shortlist.strip().splitlines()) - 1  # a heading, then people
    assert found >= 3


def test_a_too_short_password_is_refused_in_a_sentence(app):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--password", "short"])
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output and "Traceback" not in result.output
