"""Public verification: the /verify pages and GET /api/v1/certificates/{code}, for valid,
expired and revoked certificates, and unknown codes."""

from datetime import UTC, datetime

from markupsafe import escape
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.certificates import services
from educational.certificates.models import Certificate
from educational.core.db import db, utcnow

API_KEYS = {"code", "holder", "course", "version", "issued_on", "expires_on", "status"}


def _revoke(app, code: str, staff, reason: str) -> None:
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.code == code))
        services.revoke_certificate(row, reason, db.session.get(User, staff.id))
        db.session.commit()


def test_a_valid_certificate_shows_its_record(client, make_user, issue):
    code = issue(make_user(name="Zoë Ñúñez"), at=datetime(2026, 2, 3, 12, tzinfo=UTC))
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "genuine and valid today" in page
    assert str(escape("Zoë Ñúñez")) in page
    assert "ASI Auditor Course" in page and "2026.1" in page
    assert 'datetime="2026-02-03"' in page and 'datetime="2029-02-03"' in page
    assert code in page
    assert "Revoked" not in page

    response = client.get(f"/api/v1/certificates/{code}")
    assert response.status_code == 200
    assert response.json == {
        "code": code,
        "holder": "Zoë Ñúñez",
        "course": "ASI Auditor Course",
        "version": "2026.1",
        "issued_on": "2026-02-03",
        "expires_on": "2029-02-03",
        "status": "valid",
    }


def test_an_expired_certificate_says_so(client, make_user, issue):
    code = issue(make_user(), at=datetime(2020, 5, 1, tzinfo=UTC))
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "genuine but expired" in page
    assert 'datetime="2023-05-01"' in page
    body = client.get(f"/api/v1/certificates/{code}").json
    assert body["status"] == "expired"
    assert body["expires_on"] == "2023-05-01"


def test_a_revoked_certificate_shows_the_reason_and_date(app, client, make_user, issue):
    code = issue(make_user())
    _revoke(app, code, make_user("staff"), "Exam taken by someone else.")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "was revoked on" in page
    assert "Exam taken by someone else." in page
    assert f'datetime="{utcnow().date().isoformat()}"' in page
    body = client.get(f"/api/v1/certificates/{code}").json
    assert set(body) == API_KEYS
    assert body["status"] == "revoked"


def test_a_certificate_without_expiry_has_null_expires_on(app, client, make_user, issue):
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "asi-auditor"))
        course.certificate_validity_months = None
        db.session.commit()
    code = issue(make_user())
    body = client.get(f"/api/v1/certificates/{code}").json
    assert body["expires_on"] is None
    assert "Does not expire" in client.get(f"/verify/{code}").get_data(as_text=True)


def test_lookup_tolerates_case_spaces_and_dashes(client, make_user, issue):
    code = issue(make_user())
    typed = f"  {code.replace('-', ' ').lower()} "
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{code}")
    # A record URL written another way goes to the canonical one.
    response = client.get(f"/verify/{code.replace('-', '').lower()}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/verify/{code}")
    # The API accepts it as typed, too.
    assert client.get(f"/api/v1/certificates/{code.lower()}").json["code"] == code


def test_the_lookup_form_and_unknown_codes(client, synced_courses):
    page = client.get("/verify")
    assert page.status_code == 200
    assert 'name="code"' in page.get_data(as_text=True)
    for url in ("/verify?code=AAAA-BBBB-CCCC-DDDD-EEEE", "/verify/AAAA-BBBB-CCCC-DDDD-EEEE"):
        response = client.get(url)
        assert response.status_code == 404
        text = response.get_data(as_text=True)
        assert "No certificate has this code" in text
        assert 'aria-invalid="true"' in text
        assert 'value="AAAA-BBBB-CCCC-DDDD-EEEE"' in text


def test_the_api_answers_an_unknown_code_with_the_error_envelope(client, synced_courses):
    for code in ("AAAA-BBBB-CCCC-DDDD-EEEE", "not-a-code"):
        response = client.get(f"/api/v1/certificates/{code}")
        assert response.status_code == 404
        assert response.mimetype == "application/json"
        error = response.json["error"]
        assert error["code"] == "not_found"
        assert code in error["message"]
        assert "field" not in error


def test_my_certificates_lists_only_mine(client, auth, make_user, issue):
    me, other = make_user(), make_user()
    old = issue(me, at=datetime(2020, 1, 1, tzinfo=UTC))
    new = issue(me)
    theirs = issue(other)
    auth.login(me.email)
    page = client.get("/certificates").get_data(as_text=True)
    assert old in page and new in page and theirs not in page
    assert "Expired" in page and "Valid" in page
    assert f"/certificates/{new}/pdf" in page
    assert f"/certificates/{new}/credential" in page
    auth.logout()
    auth.login(make_user().email)
    assert "no certificates yet" in client.get("/certificates").get_data(as_text=True)
