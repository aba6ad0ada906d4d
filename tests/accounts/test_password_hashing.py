"""Passwords are hashed with argon2id at OWASP's server minimums, and a hash made with other
parameters (the library's old defaults, a cost changed in the configuration) still logs in
and is replaced at that log-in by one made with the current parameters."""

from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import update

from educational.accounts.models import User
from educational.core.db import db
from educational.core.security import SERVER_PARAMETERS, Passwords
from tests.conftest import PASSWORD


def test_server_parameters_are_owasps_argon2id_minimums():
    parameters = extract_parameters(Passwords().hasher.hash("a password"))
    assert parameters.type is Type.ID
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        19 * 1024,
        2,
        1,
    )
    assert SERVER_PARAMETERS == {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


def test_a_hash_with_other_parameters_logs_in_and_is_rehashed(app, client, make_user):
    user = make_user()
    # As argon2-cffi's defaults made it (4 lanes), at a cost small enough for a test.
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=4).hash(PASSWORD)
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(password_hash=old_hash))
        db.session.commit()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 302
    with app.app_context():
        new_hash = db.session.get(User, user.id).password_hash
        hasher = app.extensions["passwords"].hasher
        assert new_hash != old_hash
        assert not hasher.check_needs_rehash(new_hash)
        assert hasher.verify(new_hash, PASSWORD)
    client.post("/logout")
    again = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 302


def test_a_wrong_password_against_an_old_hash_changes_nothing(app, client, make_user):
    user = make_user()
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=4).hash(PASSWORD)
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(password_hash=old_hash))
        db.session.commit()

    response = client.post("/login", data={"email": user.email, "password": "not it at all"})

    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == old_hash
