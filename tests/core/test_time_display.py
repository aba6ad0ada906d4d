"""Every time in the reader's zone, with the zone named; every date in the locale's medium
format; the exam's deadline with its zone and the time left, without JavaScript."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import select

from educational.accounts.models import User
from educational.core.db import db
from educational.core.i18n import reader
from educational.quizzes.models import Attempt
from tests.builders.people import logged_in, post
from tests.quizzes.helpers import COURSE, EXAM

#: 13:05 UTC on a winter day: 14:05 in Paris (CET), 22:05 in Tokyo (JST).
WINTER = datetime(2026, 12, 6, 13, 5, tzinfo=UTC)


def shown(app, template: str, *, cookie: str | None = None, **values) -> str:
    headers = {"Cookie": f"tz={cookie}"} if cookie else {}
    with app.test_request_context(headers=headers):
        return render_template_string(template, **values)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Dec 6, 2026"),
        ("fr", "6 déc. 2026"),
        ("pt", "6 de dez. de 2026"),
        ("zh", "2026年12月6日"),
    ],
)
def test_dates_use_the_locales_medium_format_even_where_short_was_asked(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert (
            render_template_string("{{ d|dateformat('short') }}", d=date(2026, 12, 6)) == expected
        )
        assert render_template_string("{{ d|dateformat }}", d=date(2026, 12, 6)) == expected


def test_an_anonymous_visitor_sees_times_in_the_zone_their_browser_reported(app):
    template = "{{ t|datetimeformat('short') }}"
    assert shown(app, template, t=WINTER) == "Dec 6, 2026, 1:05\u202fPM UTC"
    assert shown(app, template, t=WINTER, cookie="Asia/Tokyo") == "Dec 6, 2026, 10:05\u202fPM JST"
    # Anything that is not a known IANA zone is ignored.
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "Europe/Pariss"):
        assert shown(app, template, t=WINTER, cookie=bad) == "Dec 6, 2026, 1:05\u202fPM UTC"
    # A zone without a short name is named by its offset; a naive datetime is UTC.
    assert shown(app, "{{ t|timeformat }}", t=WINTER, cookie="Asia/Dubai") == "5:05\u202fPM UTC+4"
    naive = WINTER.replace(tzinfo=None)
    assert shown(app, "{{ t|timeformat }}", t=naive, cookie="Europe/Paris") == "2:05\u202fPM CET"


def test_the_page_asks_the_browser_for_its_zone_only_for_anonymous_visitors(app, make_user):
    assert "js/timezone.js" in app.test_client().get("/login").get_data(as_text=True)
    client = logged_in(app, make_user())
    assert "js/timezone.js" not in client.get("/account").get_data(as_text=True)


@pytest.mark.csrf
def test_the_profile_zone_is_validated_and_used(app, make_user):
    user = make_user()
    client = logged_in(app, user)
    form = {"name": user.name, "timezone": "Nowhere/Atlantis", "locale": "en"}
    page = post(client, "/account", form).get_data(as_text=True)
    assert "Not a valid choice" in page and f'value="{user.name}"' in page
    with app.app_context():
        assert db.session.get(User, user.id).timezone == "UTC"

    response = post(client, "/account", {**form, "timezone": "Europe/Paris", "locale": "fr"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).timezone == "Europe/Paris"


def test_a_mail_recipients_zone_and_language_apply_inside_reader(app):
    with app.test_request_context():
        with reader("fr", "Europe/Paris"):
            assert render_template_string("{{ t|datetimeformat }}", t=WINTER) == (
                "6 déc. 2026, 14:05 CET"
            )
        with reader("zh", "Asia/Shanghai"):
            assert render_template_string("{{ t|datetimeformat }}", t=WINTER) == (
                "2026年12月6日 21:05 CST"
            )
        # Back to the request's own language and zone afterwards.
        assert render_template_string("{{ t|datetimeformat }}", t=WINTER) == (
            "Dec 6, 2026, 1:05\u202fPM UTC"
        )


def test_the_exam_deadline_shows_its_zone_and_the_time_left_without_javascript(
    app, make_user, synced_courses
):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        row.timezone, row.locale = "Europe/Paris", "fr"
        db.session.commit()
    client = logged_in(app, user)
    client.set_cookie("tz", "Asia/Tokyo")  # the browser's zone counts for anonymous visitors only
    client.post(f"/courses/{COURSE}/enrol")
    url = client.post(f"{EXAM}/start").headers["Location"]
    # Winter in Paris, far enough ahead that the attempt stays open.
    deadline = datetime(datetime.now(UTC).year + 2, 1, 15, 20, 59, tzinfo=UTC)
    with app.app_context():
        db.session.scalar(select(Attempt)).deadline_at = deadline
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    timer = re.search(r'<div class="timer".*?</div>', page, re.S).group(0)
    assert "21:59 CET" in timer
    left = int(re.search(r"21:59 CET \((\d+) [^()]+\)", timer).group(1))
    expected = (deadline - datetime.now(UTC)) / timedelta(minutes=1)
    assert expected - 1 <= left <= expected + 1


def test_a_new_account_starts_in_the_zone_the_browser_reported(app):
    client = app.test_client()
    client.set_cookie("tz", "America/Sao_Paulo")
    password = "a long enough password"
    response = client.post(
        "/register",
        data={
            "name": "Ana",
            "email": "ana@example.org",
            "password": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        assert user.timezone == "America/Sao_Paulo"
