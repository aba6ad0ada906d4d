"""Finding 7 of issue 10: the audit chain is anchored outside the database.

Deleting the newest rows, or deleting a middle row and recomputing every hash after it,
used to leave ``flask audit verify`` saying "chain intact". Each test tampers with the
database by plain SQL (the ORM refuses to change an event) and runs the real commands."""

import json
import stat
from pathlib import Path

import jwt
import pytest
from joserfc.jwk import OKPKey
from sqlalchemy import select, text

from educational.core import checkpoints
from educational.core.audit import AuditEvent, record_event, verify_chain
from educational.core.db import db, utcnow


def add_events(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            record_event("test.event", subject_type="thing", subject_id=i, number=i)
        db.session.commit()


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def checkpoint(app) -> None:
    result = run(app, "audit", "checkpoint")
    assert result.exit_code == 0, result.output


def log_path(app) -> Path:
    return Path(app.config["AUDIT_CHECKPOINT_PATH"])


def execute(app, statement: str, **values) -> None:
    with app.app_context():
        db.session.execute(text(statement), values)
        db.session.commit()


def rehash_from(app, first_id: int, *, renumber: bool) -> None:
    """Recompute, by SQL, the hashes (and, with ``renumber``, the positions) of every row
    from ``first_id`` on, so that the chain is consistent again, as a careful attacker
    with write access to the database would leave it."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        prev_hash = "0" * 64
        for number, row in enumerate(rows, start=1):
            if row.id >= first_id:
                forged = AuditEvent(
                    **{c.name: getattr(row, c.name) for c in AuditEvent.__table__.columns}
                )
                forged.prev_hash = prev_hash
                forged.content_sha256 = forged.content_hash()
                if renumber:
                    forged.position = number
                db.session.execute(
                    text(
                        "UPDATE audit_events SET prev_hash = :p, position = :n, hash = :h, "
                        "content_sha256 = :c WHERE id = :id"
                    ),
                    {
                        "p": prev_hash,
                        "n": forged.position,
                        "h": forged.compute_hash(),
                        "c": forged.content_sha256,
                        "id": row.id,
                    },
                )
                prev_hash = forged.compute_hash()
            else:
                prev_hash = row.hash
        db.session.commit()


def verify_fails(app, *args) -> str:
    result = run(app, "audit", "verify", *args)
    assert result.exit_code == 1, result.output
    return result.output


def test_checkpoints_are_signed_appended_0600_and_verify_passes(app):
    add_events(app, 5)
    checkpoint(app)
    add_events(app, 2)
    checkpoint(app)
    path = log_path(app)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(c["count"], c["head_id"]) for c in lines] == [(5, 5), (7, 7)]
    with app.app_context():
        positions = db.session.scalars(select(AuditEvent.position).order_by(AuditEvent.id))
        assert list(positions) == [1, 2, 3, 4, 5, 6, 7]
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "ok: 7 audit events, chain intact and matching 2 signed checkpoints" in result.output


def test_rows_written_before_positions_verify_and_the_next_row_counts_them(app):
    """Rows from before the position column have none, and hashes that do not cover one."""
    add_events(app, 3)
    execute(app, "UPDATE audit_events SET position = NULL")
    rehash_from(app, 1, renumber=False)
    add_events(app, 1)
    with app.app_context():
        positions = db.session.scalars(select(AuditEvent.position).order_by(AuditEvent.id))
        assert list(positions) == [None, None, None, 4]
    checkpoint(app)
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output


def test_deleting_the_newest_three_events_after_a_checkpoint_fails_verify(app):
    add_events(app, 10)
    checkpoint(app)
    execute(app, "DELETE FROM audit_events WHERE id > 7")
    with app.app_context():
        assert verify_chain().ok  # what the chain alone can tell: nothing
    output = verify_fails(app)
    assert "audit chain broken at event 10: it is missing" in output
    assert "ends after 7 events at event 7, so at least 3 events were deleted" in output


def test_deleting_the_newest_events_and_appending_others_fails_verify(app):
    """SQLite hands the deleted ids out again; PostgreSQL does not. Both are caught."""
    add_events(app, 10)
    checkpoint(app)
    execute(app, "DELETE FROM audit_events WHERE id > 7")
    add_events(app, 3)
    output = verify_fails(app)
    assert "audit chain broken at event" in output and "after that checkpoint" in output


def test_deleting_a_middle_event_and_rehashing_the_rest_fails_verify_naming_the_row(app):
    add_events(app, 8)
    execute(app, "DELETE FROM audit_events WHERE id = 4")
    rehash_from(app, 5, renumber=False)
    # Even without a checkpoint, the recorded positions show the gap.
    output = verify_fails(app)
    assert (
        "audit chain broken at event 5: it says it is event number 5 of the chain, but it "
        "is number 4: events before it were deleted"
    ) in output


def test_deleting_a_middle_event_and_renumbering_the_rest_fails_against_the_checkpoint(app):
    add_events(app, 8)
    checkpoint(app)
    execute(app, "DELETE FROM audit_events WHERE id = 4")
    rehash_from(app, 5, renumber=True)
    with app.app_context():
        assert verify_chain().ok  # consistent again, as far as the database can tell
    output = verify_fails(app)
    assert "audit chain broken at event 8: the checkpoint on line 1 of the log" in output
    assert "signed it as event number 8 of the chain, but it is number 7" in output


def test_a_chain_rewritten_consistently_after_a_checkpoint_fails_verify(app):
    add_events(app, 2)
    checkpoint(app)
    add_events(app, 8)
    checkpoint(app)
    execute(app, "UPDATE audit_events SET payload = :p WHERE id = 3", p='{"number":42}')
    rehash_from(app, 3, renumber=False)
    with app.app_context():
        assert verify_chain().ok
    output = verify_fails(app)
    assert (
        "audit chain broken at event 10: its hash differs from the one the checkpoint on "
        "line 2 of the log"
    ) in output
    assert "; up to event 2 it still matches the checkpoint on line 1 of the log" in output


def test_an_edited_event_fails_verify_with_checkpoints(app):
    add_events(app, 5)
    checkpoint(app)
    execute(app, "UPDATE audit_events SET actor_label = 'someone else' WHERE id = 3")
    output = verify_fails(app)
    assert "audit chain broken at event 3: its content does not match its hash" in output


def _flip_signature(line: dict) -> dict:
    head, payload, signature = line["signature"].split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    line["signature"] = f"{head}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"
    return line


def _edit_count(line: dict) -> dict:
    return {**line, "count": line["count"] + 1}


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_flip_signature, "its signature does not verify with this app's key"),
        (_edit_count, "its fields differ from those its signature covers"),
    ],
    ids=["altered signature", "altered count"],
)
def test_a_checkpoint_whose_signature_does_not_verify_fails_verify(app, tamper, reason):
    add_events(app, 3)
    checkpoint(app)
    path = log_path(app)
    line = tamper(json.loads(path.read_text()))
    path.write_text(json.dumps(line) + "\n")
    output = verify_fails(app)
    assert f"checkpoint log {path}, line 1: {reason}" in output


def test_a_checkpoint_signed_by_another_key_fails_verify(app):
    add_events(app, 3)
    checkpoint(app)
    other = OKPKey.generate_key("Ed25519", private=True)
    with app.app_context():
        forged = checkpoints.sign_checkpoint(verify_chain(), other, utcnow())
    with log_path(app).open("a") as log:
        log.write(forged.as_json() + "\n")
    output = verify_fails(app)
    assert f"line 2: it was signed by key {other.thumbprint()}, not by this app's key" in output


def test_checkpoints_out_of_order_fail_verify(app):
    add_events(app, 3)
    checkpoint(app)
    add_events(app, 2)
    checkpoint(app)
    path = log_path(app)
    first, second = path.read_text().splitlines()
    path.write_text(f"{second}\n{first}\n")
    output = verify_fails(app)
    assert f"checkpoint log {path}, line 2: out of order" in output


def test_checkpoint_refuses_a_broken_chain_naming_the_row(app):
    add_events(app, 5)
    checkpoint(app)
    before = log_path(app).read_bytes()
    execute(app, "DELETE FROM audit_events WHERE id > 3")
    result = run(app, "audit", "checkpoint")
    assert result.exit_code == 1
    assert "audit chain broken at event 5: it is missing" in result.output
    assert "no checkpoint written" in result.output
    assert log_path(app).read_bytes() == before


def test_verify_uses_the_shipped_copy_when_the_local_log_is_gone(app, tmp_path):
    add_events(app, 6)
    checkpoint(app)
    shipped = tmp_path / "shipped" / "audit-checkpoints.jsonl"
    shipped.parent.mkdir()
    shipped.write_bytes(log_path(app).read_bytes())
    log_path(app).unlink()  # an intruder removes the local log with the tail
    execute(app, "DELETE FROM audit_events WHERE id > 4")
    local = run(app, "audit", "verify")
    assert local.exit_code == 0 and "no checkpoint log at" in local.output
    output = verify_fails(app, "--checkpoints", str(shipped))
    assert "audit chain broken at event 6: it is missing" in output


def test_well_known_checkpoint_is_the_latest_and_verifies_with_the_jwks(app, client):
    missing = client.get("/.well-known/audit-checkpoint")
    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"
    assert not log_path(app).exists()  # a GET never writes
    add_events(app, 2)
    checkpoint(app)
    add_events(app, 3)
    checkpoint(app)
    response = client.get("/.well-known/audit-checkpoint")
    assert response.status_code == 200
    latest = response.json
    assert latest == json.loads(log_path(app).read_text().splitlines()[-1])
    assert (latest["count"], latest["head_id"]) == (5, 5)
    # As a third party would: PyJWT, the published JWKS, nothing of this app's code.
    [public] = client.get("/.well-known/jwks.json").json["keys"]
    signed = jwt.api_jws.decode_complete(
        latest["signature"], key=jwt.PyJWK(public).key, algorithms=["EdDSA"]
    )
    assert signed["header"] == {"alg": "EdDSA", "kid": public["kid"], "typ": checkpoints.TYPE}
    assert json.loads(signed["payload"]) == {k: latest[k] for k in checkpoints.FIELDS}
    with app.app_context():
        assert latest["head_hash"] == db.session.get(AuditEvent, 5).hash
