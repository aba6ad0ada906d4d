import smtplib

from educational.core.db import db
from educational.core.mail import OutboxMessage, deliver_pending, queue_mail
from tests.conftest import outbox_messages


def queue(app, n=2):
    with app.test_request_context():
        for i in range(n):
            queue_mail(
                f"user{i}@example.org",
                "Hello",
                "confirm_email",
                user=type("U", (), {"name": "U"}),
                confirm_url="http://x",
            )
        db.session.commit()


def test_failed_delivery_keeps_the_message_queued_with_its_error(app):
    queue(app)

    def smtp_down(message):
        raise smtplib.SMTPServerDisconnected("connection refused")

    with app.app_context():
        assert deliver_pending(smtp_down) == (0, 2)
    rows = outbox_messages(app)
    assert [(r.status, r.attempts) for r in rows] == [("queued", 1), ("queued", 1)]
    assert rows[0].last_error == "SMTPServerDisconnected: connection refused"

    sent = []
    with app.app_context():
        assert deliver_pending(sent.append) == (2, 0)
        assert deliver_pending(sent.append) == (0, 0)
    assert [m["To"] for m in sent] == ["user0@example.org", "user1@example.org"]
    assert [(r.status, r.attempts, r.last_error) for r in outbox_messages(app)] == [
        ("sent", 2, None),
        ("sent", 2, None),
    ]


def test_message_is_not_queued_when_the_action_rolls_back(app):
    with app.test_request_context():
        queue_mail(
            "a@example.org",
            "Hi",
            "confirm_email",
            user=type("U", (), {"name": "A"}),
            confirm_url="x",
        )
        db.session.rollback()
        assert db.session.query(OutboxMessage).count() == 0


def test_outbox_send_prints_in_development(app):
    queue(app, 1)
    app.config["ENV"] = "development"
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "To: user0@example.org" in result.output
    assert "sent 1, failed 0" in result.output


def test_outbox_send_without_smtp_in_production_says_what_to_set(app):
    app.config["ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 2
    assert "EDUCATIONAL_MAIL_SERVER" in result.output
