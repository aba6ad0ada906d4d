import pytest
from sqlalchemy import text

from educational.accounts.models import User
from educational.core.audit import AuditEvent, record_event, verify_chain
from educational.core.db import db


def add_events(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            record_event("test.event", subject_type="thing", subject_id=i, number=i, text="é")
        db.session.commit()


def test_chain_links_each_row_to_the_one_before(app):
    add_events(app, 3)
    with app.app_context():
        rows = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
        assert rows[0].prev_hash == "0" * 64
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        assert verify_chain().ok and verify_chain().checked == 3


def test_verify_command_passes_on_an_intact_chain(app):
    add_events(app, 4)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "ok: 4 audit events, chain intact" in result.output


@pytest.mark.parametrize(
    ("statement", "broken", "reason"),
    [
        ("UPDATE audit_events SET payload = '{}' WHERE id = 3", 3, "content"),
        ("UPDATE audit_events SET actor_label = 'someone else' WHERE id = 2", 2, "content"),
        ("DELETE FROM audit_events WHERE id = 2", 3, "previous-hash"),
    ],
    ids=["edited payload", "edited actor", "deleted row"],
)
def test_tampering_in_the_database_is_detected(app, statement, broken, reason):
    add_events(app, 5)
    with app.app_context():
        db.session.execute(text(statement))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit chain broken at event {broken}: its {reason}" in result.output


def test_rehashing_an_edited_row_still_breaks_the_next_one(app):
    add_events(app, 3)
    with app.app_context():
        row = db.session.get(AuditEvent, 2)
        forged = AuditEvent(**{c.name: getattr(row, c.name) for c in AuditEvent.__table__.columns})
        forged.payload = '{"number":42}'
        forged.content_sha256 = forged.content_hash()
        db.session.execute(
            text(
                "UPDATE audit_events SET payload = :p, content_sha256 = :c, hash = :h WHERE id = 2"
            ),
            {"p": forged.payload, "c": forged.content_sha256, "h": forged.compute_hash()},
        )
        db.session.commit()
        report = verify_chain()
    assert (report.ok, report.broken_id) == (False, 3)


def test_orm_refuses_to_change_an_event(app):
    add_events(app, 1)
    with app.app_context():
        row = db.session.get(AuditEvent, 1)
        row.action = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()


def test_registration_and_role_change_are_recorded(app, make_user):
    from educational.accounts import services
    from educational.core.permissions import Role

    admin = make_user("admin")
    learner = make_user("learner")
    with app.app_context():
        services.set_role(
            db.session.get(User, learner.id), Role.STAFF, actor=db.session.get(User, admin.id)
        )
        db.session.commit()
        actions = [
            (e.action, e.subject_id) for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
        ]
    assert actions == [
        ("account.created", str(admin.id)),
        ("account.created", str(learner.id)),
        ("account.role_changed", str(learner.id)),
    ]


# Events join the chain when their transaction commits


def count_events() -> int:
    with db.engine.connect() as connection:  # another connection: what is committed
        return connection.scalar(text("SELECT COUNT(*) FROM audit_events"))


def test_an_event_joins_the_chain_at_commit_and_goes_with_a_rollback(app):
    with app.app_context():
        record_event("test.kept", subject_type="thing", subject_id=1)
        assert count_events() == 0  # recorded, not yet in the chain
        db.session.commit()
        assert count_events() == 1
        record_event("test.dropped", subject_type="thing", subject_id=2)
        db.session.rollback()
        db.session.commit()
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert actions == ["test.kept"]
        assert verify_chain().ok


def test_a_query_of_the_events_in_the_same_transaction_sees_them(app):
    with app.app_context():
        record_event("test.first", subject_type="thing", subject_id=1)
        record_event("test.second", subject_type="thing", subject_id=2)
        rows = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [row.action for row in rows] == ["test.first", "test.second"]
        assert [row.position for row in rows] == [1, 2]
        db.session.commit()
        assert verify_chain().ok and verify_chain().checked == 2


def test_a_savepoint_rolled_back_keeps_the_events_recorded_before_it(app):
    with app.app_context():
        record_event("test.before", subject_type="thing", subject_id=1)
        with db.session.begin_nested() as savepoint:
            savepoint.rollback()
        db.session.commit()
        assert db.session.scalars(db.select(AuditEvent.action)).all() == ["test.before"]


def test_the_chain_lock_is_taken_only_at_commit(app):
    from tests.conftest import ON_POSTGRES

    if not ON_POSTGRES:
        pytest.skip("the chain's advisory lock is PostgreSQL's (SQLite writers hold the file)")
    locks = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
    with app.app_context():
        record_event("test.event", subject_type="thing", subject_id=1)
        db.session.flush()
        with db.engine.connect() as other:
            assert other.scalar(text(locks)) == 0
        db.session.commit()
        assert count_events() == 1
