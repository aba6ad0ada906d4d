"""``flask certificates issue|revoke|key``."""

from sqlalchemy import select

from educational.certificates.models import Certificate
from educational.core.db import db


def test_issue_revoke_and_key_from_the_command_line(app, make_user, synced_courses):
    runner = app.test_cli_runner()
    learner, staff = make_user(name="Ana Souza"), make_user("staff")
    result = runner.invoke(
        args=[
            "certificates",
            "issue",
            learner.email,
            "asi-auditor",
            "--at",
            "2026-01-02T03:04:05+00:00",
        ]
    )
    assert result.exit_code == 0, result.output
    code = result.output.split()[0]
    assert "Ana Souza: ASI Auditor Course" in result.output
    # Issuing again while it is valid shows the same certificate.
    again = runner.invoke(args=["certificates", "issue", learner.email, "asi-auditor"])
    assert again.output.split()[0] == code

    refused = runner.invoke(
        args=["certificates", "revoke", code, "--reason", "x", "--by", learner.email]
    )
    assert refused.exit_code == 1
    assert "Only scheme staff" in refused.output
    result = runner.invoke(
        args=["certificates", "revoke", code.lower(), "--reason", "Duplicate.", "--by", staff.email]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.code == code))
        assert row.revoke_reason == "Duplicate."

    for args, message in (
        (["issue", "nobody@example.org", "asi-auditor"], "No account"),
        (["issue", learner.email, "no-such-course"], "No course"),
        (["issue", learner.email, "asi-auditor", "--at", "2026-01-02"], "time zone"),
        (
            ["revoke", "AAAA-BBBB-CCCC-DDDD-EEEE", "--reason", "x", "--by", staff.email],
            "No certificate",
        ),
    ):
        result = runner.invoke(args=["certificates", *args])
        assert result.exit_code == 1 and message in result.output, args

    first = runner.invoke(args=["certificates", "key"])
    assert first.exit_code == 0
    assert runner.invoke(args=["certificates", "key"]).output == first.output
    assert app.config["CREDENTIAL_KEY_PATH"] in first.output
