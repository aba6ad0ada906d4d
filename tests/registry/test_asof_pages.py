"""The person's page on a past day (``/registry/<id>?on=YYYY-MM-DD``): the status from the
history, the validity of a renewed accreditation from the grant and renewal events, the
date form (no JavaScript, filled in on an error), and no caching of today's answer."""

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, AccreditationScope, RegistryProfile
from educational.core import audit
from educational.core.audit import record_event
from educational.core.db import db
from tests.builders.registry import Person, days


def page(client, registry_id: str, on: str | None = None):
    query = f"?on={on}" if on is not None else ""
    return client.get(f"/registry/{registry_id}{query}")


@pytest.fixture
def suspended(registry):
    return registry.add(
        Person(
            "Olav Suspendert",
            status="suspended",
            valid_from=days(-200),
            changes=[("active", "suspended", days(-3))],
        )
    )


def record_at(monkeypatch, day, action, accreditation, **payload):
    """An audit event as if recorded on ``day`` (the chain takes the time when the event
    joins it, at the commit)."""
    moment = datetime.combine(day, time(9, 0), UTC)
    monkeypatch.setattr(audit, "utcnow", lambda: moment)
    record_event(action, accreditation, **payload)
    db.session.commit()
    monkeypatch.undo()


@pytest.fixture
def renewed(app, registry, monkeypatch):
    """Granted 800 days ago until 70 days ago with one scope, expired, renewed 10 days ago
    with another scope (the first lapsed then), as the workflow's events record it."""
    registry_id = registry.add(
        Person(
            "Rita Renewed",
            valid_from=days(-10),
            valid_until=days(900),
            scopes=[
                ("PS", "aluminium-smelting", "3"),
                ("PS", "casthouse", "2", "lapsed", days(-10)),
            ],
            changes=[("active", "expired", days(-69)), ("expired", "active", days(-10))],
        )
    )
    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == registry_id)
        )
        # The builder dates the creation at the current valid_from: move it to the grant.
        accreditation.changes[0].occurred_at = datetime.combine(days(-800), time(10), UTC)
        scope = {"standard": "PS", "status": "active"}
        record_at(
            monkeypatch,
            days(-800),
            "accreditation.granted",
            accreditation,
            valid_from=days(-800).isoformat(),
            valid_until=days(-70).isoformat(),
            scopes=[{**scope, "sector": "casthouse", "version": "2"}],
            countries=["NO"],
        )
        record_at(
            monkeypatch,
            days(-10),
            "accreditation.renewed",
            accreditation,
            valid_from=days(-10).isoformat(),
            valid_until=days(900).isoformat(),
            scopes=[
                {**scope, "sector": "aluminium-smelting", "version": "3"},
                {"standard": "PS", "sector": "casthouse", "version": "2", "status": "lapsed"},
            ],
            countries=["NO"],
        )
        db.session.commit()
        assert db.session.scalar(select(AccreditationScope.id).limit(1))
    return registry_id


def test_the_page_shows_the_status_on_the_day_asked(client, suspended):
    before = page(client, suspended, days(-4).isoformat())
    assert before.status_code == 200
    text = before.get_data(as_text=True)
    assert 'id="status-on-day"' in text
    assert "UTC" in text  # the end of the day, with its zone
    assert ">Active<" in text and ">Suspended<" not in text.split("Status history")[0]
    # The history shown stops at the day asked.
    assert text.count("<tr><td>") == 1
    on_the_day = page(client, suspended, days(-3).isoformat()).get_data(as_text=True)
    assert ">Suspended<" in on_the_day
    # Today, as before: no notice.
    today = page(client, suspended).get_data(as_text=True)
    assert 'id="status-on-day"' not in today and ">Suspended<" in today


def test_before_the_first_accreditation_the_person_was_not_accredited(client, suspended):
    text = page(client, suspended, days(-201).isoformat()).get_data(as_text=True)
    assert 'id="not-accredited"' in text
    assert "Not accredited on that day" in text
    assert 'class="card accreditation"' not in text


def test_a_renewed_accreditation_shows_the_period_of_the_day(client, renewed):
    old = page(client, renewed, days(-100).isoformat()).get_data(as_text=True)
    assert days(-70).isoformat() in old and days(900).isoformat() not in old
    assert "casthouse" in old.lower() and "aluminium" not in old.lower()
    assert ">Active<" in old
    lapsed = page(client, renewed, days(-50).isoformat()).get_data(as_text=True)
    assert ">Expired<" in lapsed
    now = page(client, renewed, days(-5).isoformat()).get_data(as_text=True)
    assert days(900).isoformat() in now and ">Active<" in now
    assert "aluminium" in now.lower()


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("2026-13-45", "is not a date"),
        ("yesterday", "is not a date"),
        ("9999-01-01", "in the future"),
    ],
)
def test_a_wrong_day_is_a_form_error_filled_in(client, suspended, asked, message):
    response = page(client, suspended, asked)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert f'value="{asked}"' in text
    assert 'aria-invalid="true"' in text
    # Today's entry is still shown under the form.
    assert "Olav Suspendert" in text and 'id="status-on-day"' not in text


def test_a_future_day_is_refused_and_today_is_accepted(client, suspended):
    assert page(client, suspended, days(1).isoformat()).status_code == 400
    assert page(client, suspended, days(0).isoformat()).status_code == 200


def test_a_person_not_in_the_public_registry_is_404_on_any_day(client, registry):
    hidden = registry.add(Person("Hidden Person", public=False))
    assert page(client, hidden, days(-5).isoformat()).status_code == 404
    assert page(client, hidden).status_code == 404
    assert page(client, "ASI-NOPE", days(-5).isoformat()).status_code == 404


def test_the_date_form_works_without_javascript(client, suspended):
    text = page(client, suspended).get_data(as_text=True)
    form = text.split('class="on-day"')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form
    assert f'action="/registry/{suspended}"' in form
    assert 'name="on"' in text and "Check the status on a date" in text


def test_a_dated_answer_is_never_todays_cached_one(client, suspended):
    """No ETag or shared cache serves today's page for a dated request, or the reverse."""
    today = page(client, suspended)
    dated = page(client, suspended, days(-4).isoformat())
    assert "ETag" not in today.headers and "ETag" not in dated.headers
    assert "public" not in dated.headers.get("Cache-Control", "")
    assert today.get_data() != dated.get_data()
    again = page(client, suspended)
    assert ">Suspended<" in again.get_data(as_text=True)


@pytest.mark.csrf
def test_the_date_form_needs_no_token_with_csrf_on(client, suspended):
    """A GET form that changes nothing: it works with CSRF protection on, as in production."""
    response = page(client, suspended, days(-4).isoformat())
    assert response.status_code == 200
    assert 'id="status-on-day"' in response.get_data(as_text=True)
    form = response.get_data(as_text=True).split('class="on-day"')[1].split("</form>")[0]
    assert 'name="on"' in form and 'name="csrf_token"' not in form
