"""E-mail goes out in the recipient's language (subject included) and time zone, whoever
caused it; its text survives the trip through SMTP with every link whole."""

from datetime import timedelta

import pytest
from babel.dates import format_date
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation.models import Accreditation
from educational.core.db import db, today
from educational.core.mail import _as_email
from educational.experience import services
from tests.builders.accreditation import apply, decide, qualify
from tests.builders.experience import audit_data
from tests.builders.people import logged_in, post
from tests.conftest import outbox_messages


def set_language(app, user_id: int, locale: str, zone: str = "UTC") -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        user.locale, user.timezone = locale, zone
        db.session.commit()


def translated(app, locale: str, message: str, **values) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values)


@pytest.mark.csrf
def test_a_french_staff_decision_mails_a_chinese_learner_in_chinese(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    set_language(app, learner.id, "zh", "Asia/Shanghai")
    set_language(app, staff.id, "fr", "Europe/Paris")
    with app.test_request_context():
        entry = services.create_entry(
            db.session.get(User, learner.id), "audit", audit_data(), submit=True
        )
        db.session.commit()
        entry_id = entry.id

    client = logged_in(app, staff)
    response = post(
        client,
        f"/staff/experience/{entry_id}/decide",
        {"decision": "verify", "revision": "1", "comment": ""},
        form_url=f"/staff/experience/{entry_id}",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert 'lang="fr"' in response.get_data(as_text=True)  # the staff member reads French

    [mail] = outbox_messages(app, "experience_verified")
    subject = translated(app, "zh", "Your experience entry is verified")
    assert subject != "Your experience entry is verified"
    assert mail.subject == subject
    assert translated(app, "zh", "Hello %(name)s,", name=learner.name) in mail.body
    assert "Hello" not in mail.body and "secretariat" not in mail.body


def test_the_sweeps_reminder_to_a_french_holder_is_in_french(app, make_user, synced_courses):
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    decide(app, apply(app, learner.id), staff.id)
    set_language(app, learner.id, "fr", "Europe/Paris")
    until = today() + timedelta(days=200)
    with app.app_context():
        db.session.scalar(select(Accreditation)).valid_until = until
        db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["accreditation", "sweep", "--date", (until - timedelta(days=90)).isoformat()]
    )
    assert result.exit_code == 0, result.output

    [mail] = outbox_messages(app, "accreditation_reminder")
    with app.test_request_context(), force_locale("fr"):
        subject = ngettext(
            "Your accreditation expires in %(num)d day",
            "Your accreditation expires in %(num)d days",
            90,
        )
    assert subject.startswith("Votre accréditation")
    assert mail.subject == subject
    assert format_date(until, "medium", locale="fr") in mail.body  # "24 juin 2027"
    assert "Your accreditation" not in mail.body


def test_the_confirmation_link_is_never_cut_across_lines(app, client):
    response = client.post(
        "/register",
        data={
            "name": "李华",
            "email": "li@example.org",
            "password": "a long enough password",
            "password2": "a long enough password",
        },
        headers={"Accept-Language": "zh"},
    )
    assert response.status_code in (200, 302)
    [row] = outbox_messages(app, "confirm_email")
    [link] = [line for line in row.body.splitlines() if "/confirm/" in line]
    assert row.subject == translated(app, "zh", "Confirm your e-mail address")
    with app.app_context():
        raw = _as_email(row).as_bytes().decode()
    assert "quoted-printable" not in raw
    assert link in raw.splitlines()  # whole, on a line of its own
