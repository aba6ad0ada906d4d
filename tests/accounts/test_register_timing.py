"""Registering a taken address does the same argon2 work as registering a new one, so the
answer's timing does not tell who has an account. Counted, not timed."""

from collections import Counter

from argon2 import PasswordHasher

from tests.conftest import outbox_messages


def register(client, email: str):
    passphrase = "a long passphrase"
    data = {"name": "Ana Auditor", "email": email, "password": passphrase, "password2": passphrase}
    response = client.post("/register", data=data)
    assert "Check your e-mail" in response.get_data(as_text=True)


def test_taken_and_new_addresses_cost_the_same_password_hashing(
    app, client, make_user, monkeypatch
):
    taken = make_user().email
    calls: Counter = Counter()
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, spy)

    register(client, "new.person@example.org")
    for_new = dict(calls)
    calls.clear()
    register(client, taken)
    for_taken = dict(calls)

    assert for_new == for_taken == {"hash": 1}
    assert [m.kind for m in outbox_messages(app)] == ["confirm_email", "account_exists"]
