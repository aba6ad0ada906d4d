"""A member's single check reads only the person's own rows: the one statement that loads
the holder, their accreditations, scopes and certificates finds each through an index. (It
once joined a sub-query of every certificate, which SQLite builds whole before the join: 27
ms a check on 2,000 people, growing with the registry.)"""

import pytest
from sqlalchemy import text

from educational.core.db import db
from educational.registry.holders import _HOLDER, load_holder
from tests.builders.registry import Person, days
from tests.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="reads SQLite's query plan")
def test_the_holder_statement_scans_no_table(app, registry):
    registry_id = registry.add(Person("Ida Indexed"))
    for n in range(3):
        registry.add(Person(f"Other Person {n}"))
    with app.app_context():
        statement = str(_HOLDER.compile(db.engine))
        plan = [
            row[3]
            for row in db.session.execute(
                text(f"EXPLAIN QUERY PLAN {statement}".replace("?", ":registry_id")),
                {"registry_id": registry_id},
            )
        ]
    whole = [step for step in plan if step.startswith(("SCAN", "MATERIALIZE"))]
    assert whole == [], plan
    assert any("certificates USING INDEX" in step for step in plan), plan


def test_one_row_per_scope_and_certificate_folds_into_one_holder(app, registry):
    """Two scopes and three certificates come back as 2 x 3 rows; the holder has each once,
    oldest certificate first, and nothing of another person's."""
    registry_id = registry.add(
        Person(
            "Ida Indexed",
            scopes=[("PS", "aluminium-smelting", "3"), ("PS", "remelting-refining", "3")],
            courses=[("coc-v2-auditors", days(-100)), ("asi-auditor", days(-300))],
        )
    )
    registry.add(Person("Otto Other", courses=[("ps-v3-auditors", days(-50))]))
    with app.app_context():
        holder = load_holder(registry_id)
    assert holder.name == "Ida Indexed"
    assert [c.slug for c in holder.certificates] == ["asi-auditor", "coc-v2-auditors"]
    [accreditation] = holder.accreditations
    assert sorted(scope.sector for scope in accreditation.scopes) == [
        "aluminium-smelting",
        "remelting-refining",
    ]


@pytest.mark.skipif(not ON_POSTGRES, reason="psycopg's prepared statements")
def test_the_holder_look_up_is_prepared_and_other_statements_are_not(app, registry):
    """The look-up by key is prepared, so PostgreSQL may reuse one plan for any registry id;
    any other statement, run as often, is planned for its values each time."""
    registry_id = registry.add(Person("Ida Indexed"))

    def prepared(connection) -> list[str]:
        return (
            connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements")
            .scalars()
            .all()
        )

    with app.app_context():
        connection = db.session.connection()
        before = prepared(connection)
        for _ in range(6):
            connection.execute(
                text("SELECT count(*) FROM users WHERE name = :name"), {"name": "Ida Indexed"}
            )
        assert prepared(connection) == before
        for _ in range(2):
            assert load_holder(registry_id) is not None
        added = [s for s in prepared(connection) if s not in before]
    assert len(added) == 1
    assert "registry_profiles.registry_id = $1" in added[0]
