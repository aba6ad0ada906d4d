"""``flask demo seed --people N``: a synthetic registry that the registry and the API serve."""

from collections import Counter

from sqlalchemy import func, select

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    RegistrySequence,
)
from educational.certificates.models import Certificate
from educational.core.db import db
from educational.experience.models import LanguageSkill


def test_seed_makes_a_varied_registry(app, synced_courses):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--people", "400", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "seeded 400 people" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegistryProfile)) == 400
        public = db.session.scalar(
            select(func.count()).select_from(RegistryProfile).where(RegistryProfile.public)
        )
        assert 300 < public < 400
        statuses = Counter(db.session.scalars(select(Accreditation.status)))
        assert {"active", "expired", "suspended", "withdrawn"} <= set(statuses)
        assert statuses["active"] > sum(statuses.values()) * 0.7
        roles = set(db.session.scalars(select(Accreditation.role)))
        assert roles == {"auditor", "lead_auditor", "specialist"}
        assert db.session.scalar(select(func.count(func.distinct(AccreditationScope.sector)))) > 5
        languages = set(db.session.scalars(select(LanguageSkill.language)))
        assert {"en", "zh", "pt"} <= languages
        assert db.session.scalar(select(func.count()).select_from(Certificate)) > 400
        names = db.session.scalars(select(RegistryProfile.registry_id)).all()
        assert len(set(names)) == 400
        assert db.session.scalar(select(RegistrySequence.last_number)) == 400

    # A second run adds to the first; real approvals carry on after both.
    again = runner.invoke(args=["demo", "seed", "--people", "10"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(RegistrySequence.last_number)) == 410

    client = app.test_client()
    found = client.get("/api/v1/registry?country=CN").json
    assert found["total"] > 0
    assert client.get("/registry/statistics").status_code == 200
