"""Revoking: staff only, with a reason, once, audited; and the staff search."""

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.certificates import services
from educational.certificates.models import Certificate
from educational.core.audit import AuditEvent, verify_chain
from educational.core.db import db
from educational.core.errors import DomainError, NotAllowed
from tests.certificates.helpers import certificate
from tests.conftest import csrf_token


@pytest.mark.csrf
def test_staff_revoke_with_a_reason_and_it_is_audited(app, client, auth, make_user, issue):
    code = issue(make_user(name="Li Wei"))
    staff = make_user("staff")
    auth.login(staff.email, csrf=True)
    url = f"/staff/certificates/{code}"
    page = client.get(url).get_data(as_text=True)
    assert "Li Wei" in page and "Revoke the certificate" in page

    # Without a reason nothing happens, and the form says why.
    response = client.post(f"{url}/revoke", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    # A blank reason is no reason either.
    response = client.post(
        f"{url}/revoke", data={"csrf_token": csrf_token(client, url), "reason": "   "}
    )
    assert "This field is required." in response.get_data(as_text=True)
    assert certificate(app, code).revoked_at is None

    # Without the CSRF token the post is refused.
    response = client.post(f"{url}/revoke", data={"reason": "Forged request"})
    assert response.status_code == 400
    assert certificate(app, code).revoked_at is None

    response = client.post(
        f"{url}/revoke",
        data={"csrf_token": csrf_token(client, url), "reason": "Issued to the wrong person."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url)
    row = certificate(app, code)
    assert row.revoke_reason == "Issued to the wrong person."
    assert row.revoked_by_id == staff.id
    assert row.revoked_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "is revoked" in page
    assert "Revoke the certificate" not in page
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.revoked")
        )
        assert event.actor_id == staff.id
        assert event.data["reason"] == "Issued to the wrong person."
        assert event.data["code"] == code
        assert verify_chain().ok


def test_only_staff_may_revoke(app, client, auth, make_user, issue):
    owner = make_user()
    code = issue(owner)
    url = f"/staff/certificates/{code}/revoke"
    response = client.post(url, data={"reason": "I want to"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for role in ("learner", "member"):
        auth.login(make_user(role).email)
        assert client.post(url, data={"reason": "I want to"}).status_code == 403
        assert client.get(f"/staff/certificates/{code}").status_code == 403
        auth.logout()
    auth.login(owner.email)
    assert client.post(url, data={"reason": "Mine anyway"}).status_code == 403
    assert certificate(app, code).revoked_at is None
    # An admin holds every staff permission.
    auth.logout()
    auth.login(make_user("admin").email)
    assert client.post(url, data={"reason": "Duplicate record."}).status_code == 302
    assert certificate(app, code).revoked_at is not None
    assert client.post("/staff/certificates/AAAA-BBBB-CCCC-DDDD-EEEE/revoke").status_code == 404


def test_the_service_refuses_non_staff_blank_reasons_and_revoking_twice(app, make_user, issue):
    code = issue(make_user())
    learner, staff = make_user(), make_user("staff")
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.code == code))
        with pytest.raises(NotAllowed, match="Only scheme staff"):
            services.revoke_certificate(row, "Because", db.session.get(User, learner.id))
        staff_user = db.session.get(User, staff.id)
        with pytest.raises(DomainError) as refused:
            services.revoke_certificate(row, " \n ", staff_user)
        assert refused.value.field == "reason"
        with pytest.raises(DomainError):
            services.revoke_certificate(row, "x" * 501, staff_user)
        services.revoke_certificate(row, "Cheating.", staff_user)
        with pytest.raises(NotAllowed, match="already revoked"):
            services.revoke_certificate(row, "Again.", staff_user)
        db.session.commit()
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "certificate.revoked")
        ).all()
        assert len(events) == 1


def test_a_revoked_certificate_is_replaced_by_completing_again(app, make_user, issue):
    user, staff = make_user(), make_user("staff")
    code = issue(user)
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.code == code))
        services.revoke_certificate(row, "Exam rules broken.", db.session.get(User, staff.id))
        db.session.commit()
    assert issue(user) != code


def test_staff_find_certificates_by_code_name_or_email(client, auth, make_user, issue):
    holder = make_user(name="Mariana Gonçalves", email="mariana@example.org")
    code = issue(holder)
    other = issue(make_user(name="Someone Else"))
    auth.login(make_user("staff").email)
    for q in (code.replace("-", " ").lower(), "gonçalves", "MARIANA@example", "mariana"):
        page = client.get("/staff/certificates", query_string={"q": q}).get_data(as_text=True)
        assert code in page, q
        assert other not in page, q
    page = client.get("/staff/certificates", query_string={"q": "nobody-like-this"})
    assert "No certificate matches" in page.get_data(as_text=True)
    assert client.get("/staff/certificates").status_code == 200
