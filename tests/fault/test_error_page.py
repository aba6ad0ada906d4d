"""When the database fails mid-request (a restart, a lost connection), the learner gets the
app's error page, not a server's bare one: the page is rendered as to a visitor, which
needs no database."""

import pytest
from sqlalchemy.exc import OperationalError

from educational.core.extensions import login_manager


@pytest.mark.parametrize("url", ["/", "/dashboard"])
def test_error_page_needs_no_database(client, auth, make_user, monkeypatch, url):
    user = make_user()
    assert auth.login(user.email).status_code == 302

    def database_gone(session_token):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(login_manager, "_user_callback", database_gone)
    response = client.get(url)

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert 'class="skip-link"' in page
    assert "Error 500" in page
    assert "Traceback" not in page and "server closed" not in page
