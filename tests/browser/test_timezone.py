"""static/js/timezone.js in a real browser: an anonymous visitor's browser tells the server
its time zone through the ``tz`` cookie, and a new account starts in that zone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import watch

pytestmark = pytest.mark.browser


def test_the_browsers_zone_reaches_the_server(server, browser):
    problems: list[str] = []
    context = browser.new_context(base_url=server.url, locale="en-GB", timezone_id="Asia/Tokyo")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page, problems)
    page.goto("/register")
    page.wait_for_function("document.cookie.indexOf('tz=Asia/Tokyo') !== -1")
    password = "a long enough password"
    page.fill("#name", "Tomo Zone")
    page.fill("#email", "tomo.zone@example.org")
    page.fill("#password", password)
    page.fill("#password2", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    context.close()
    assert problems == []

    from educational.accounts.models import User
    from educational.core.db import db

    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "tomo.zone@example.org"))
        assert user is not None and user.timezone == "Asia/Tokyo"
