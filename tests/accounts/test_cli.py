from educational.accounts.models import User
from educational.core.db import db
from educational.core.security import verify_password


def test_users_create_reads_password_from_environment(app, monkeypatch):
    monkeypatch.setenv("EDUCATIONAL_NEW_PASSWORD", "a long admin passphrase")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Boss@Example.org", "--role", "admin", "--name", "The Boss"]
    )
    assert result.exit_code == 0, result.output
    assert "created boss@example.org (admin)" in result.output
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.role, user.name, user.is_confirmed) == ("admin", "The Boss", True)
        assert verify_password(user.password_hash, "a long admin passphrase")


def test_users_create_prompts_for_password(app, monkeypatch):
    monkeypatch.delenv("EDUCATIONAL_NEW_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "staff@example.org", "--role", "staff"],
        input="a long staff passphrase\na long staff passphrase\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).one().role == "staff"


def test_users_create_refuses_short_password_and_duplicates(app, monkeypatch):
    monkeypatch.setenv("EDUCATIONAL_NEW_PASSWORD", "short")
    result = app.test_cli_runner().invoke(args=["users", "create", "a@example.org"])
    assert result.exit_code == 1
    assert "Choose a password of at least 10 characters." in result.output
    assert "Traceback" not in result.output

    monkeypatch.setenv("EDUCATIONAL_NEW_PASSWORD", "a long passphrase")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "a@example.org"]).exit_code == 0
    result = runner.invoke(args=["users", "create", "A@example.org"])
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_demo_load_creates_every_role_and_prints_passwords(app):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--people", "0"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        users = {u.role: u for u in db.session.query(User)}
        assert set(users) == {"learner", "member", "staff", "admin"}
        assert users["member"].organisation is not None
        for user in users.values():
            line = next(row for row in result.output.splitlines() if user.email in row)
            assert verify_password(user.password_hash, line.split()[-1])
