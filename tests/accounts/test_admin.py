import pytest

from educational.accounts.models import Organisation, User
from educational.core.audit import AuditEvent
from educational.core.db import db
from tests.conftest import csrf_token


@pytest.mark.csrf
def test_admin_makes_a_user_a_member_and_it_is_audited(app, client, auth, make_user):
    admin = make_user("admin")
    learner = make_user("learner")
    auth.login(admin.email, csrf=True)
    client.post(
        "/admin/organisations",
        data={
            "name": "Smelter Co",
            "membership_class": "production-transformation",
            "country": "NO",
            "csrf_token": csrf_token(client, "/admin/organisations"),
        },
    )
    with app.app_context():
        organisation = db.session.query(Organisation).filter_by(name="Smelter Co").one()
    url = f"/admin/users/{learner.id}"
    # A member without an organisation is refused, and the form keeps the choice.
    response = client.post(
        url,
        data={
            "role": "member",
            "organisation": "",
            "active": "y",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 200
    assert "Choose the member organisation" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "role": "member",
            "organisation": str(organisation.id),
            "active": "y",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, learner.id)
        assert (user.role, user.organisation_id) == ("member", organisation.id)
        event = db.session.query(AuditEvent).filter_by(action="account.role_changed").one()
        assert event.actor_id == admin.id
        assert event.data == {
            "old_role": "learner",
            "new_role": "member",
            "organisation_id": organisation.id,
        }


def test_admin_cannot_demote_themselves(app, client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin.email)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "learner", "active": "y"})
    assert "You cannot change your own role" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).role == "admin"


def test_disabled_account_cannot_log_in(app, client, auth, make_user):
    admin, learner = make_user("admin"), make_user("learner")
    auth.login(admin.email)
    client.post(f"/admin/users/{learner.id}", data={"role": "learner", "organisation": ""})
    auth.logout()
    response = auth.login(learner.email)
    assert response.status_code == 200
    assert "not right" in response.get_data(as_text=True)
