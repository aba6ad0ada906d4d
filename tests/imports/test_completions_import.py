"""`flask courses import-completions`: completions from another platform become certificates
marked as imported, verifiable like the others."""

from datetime import date

from sqlalchemy import select

from educational.accounts.models import User
from educational.certificates.models import Certificate
from educational.core.audit import AuditEvent
from educational.core.db import db

HEADER = "email,course,completed_on,expires_on"


def write(tmp_path, lines, name="completions.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(app, *args):
    return app.test_cli_runner().invoke(args=["courses", "import-completions", *map(str, args)])


def test_completions_become_imported_certificates_that_verify(
    app, client, synced_courses, make_user, tmp_path
):
    make_user(email="ana@example.org", name="Ana Sousa")
    path = write(
        tmp_path,
        [
            HEADER,
            "ana@example.org,asi-auditor,2024-03-15,",
            "ANA@example.org,ps-v3-auditors,2024-04-02,2025-04-02",
        ],
    )
    result = run(app, path)
    assert result.exit_code == 0, result.output
    assert "Imported: added 2" in result.output
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        assert [c.imported for c in certificates] == [True, True]
        first, second = certificates
        assert first.issued_on == date(2024, 3, 15)
        assert first.expires_on == date(2027, 3, 15)  # the course's 36 months
        assert second.expires_on == date(2025, 4, 2)
        assert first.holder_name == "Ana Sousa"
        codes = [first.code, second.code]
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.certificate_added")
        ).all()
        assert {event.actor_label for event in events} == {"import"}
    valid = client.get(f"/verify/{codes[0]}").get_data(as_text=True)
    assert "Ana Sousa" in valid and "Imported" in valid
    expired = client.get(f"/verify/{codes[1]}")
    assert expired.status_code == 200

    again = run(app, path)
    assert again.exit_code == 0 and "nothing changed" in again.output


def test_unknown_people_and_courses_are_reported_by_line(app, synced_courses, make_user, tmp_path):
    make_user(email="ana@example.org")
    path = write(
        tmp_path,
        [
            HEADER,
            "ana@example.org,no-such-course,2024-03-15,",
            "nobody@example.org,asi-auditor,2024-03-15,",
            "ana@example.org,asi-auditor,2024-03-15,2024-03-01",
            "ana@example.org,asi-auditor,2999-01-01,",
        ],
    )
    result = run(app, path)
    assert result.exit_code == 1
    assert f"{path}:2: course 'no-such-course' is not a known course" in result.output
    assert f"{path}:4: expires_on 2024-03-01 is not after completed_on 2024-03-15" in result.output
    assert f"{path}:5: completed_on 2999-01-01 is in the future" in result.output
    fixed = write(tmp_path, [HEADER, "nobody@example.org,asi-auditor,2024-03-15,"], "b.csv")
    result = run(app, fixed)
    assert result.exit_code == 1
    assert f"{fixed}:2: no account has the e-mail nobody@example.org" in result.output
    with app.app_context():
        assert db.session.scalar(select(Certificate.id)) is None


def test_a_name_column_creates_the_account_and_invite_asks_them_in(app, synced_courses, tmp_path):
    path = write(
        tmp_path,
        ["email,course,completed_on,name", "new@example.org,asi-auditor,2024-03-15,Nadia Ferreira"],
    )
    result = run(app, path, "--invite")
    assert result.exit_code == 0, result.output
    assert "Invitations queued: 1" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert user.name == "Nadia Ferreira" and user.email_confirmed_at is None
        certificate = db.session.scalar(select(Certificate))
        assert certificate.user_id == user.id and certificate.imported
