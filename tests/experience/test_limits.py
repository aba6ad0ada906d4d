"""Limits on what one person may store (issue 10, finding 6): unconfirmed accounts upload
nothing, evidence has a quota per person, and the log a cap on entries. Each refusal comes
back on the form, filled in, through the real form with CSRF on."""

import pytest
from sqlalchemy import func, select

from educational.accounts import services as accounts
from educational.core.db import db
from educational.experience.models import Evidence, ExperienceEntry
from tests.builders.experience import PDF, audit_form, files_in, upload
from tests.conftest import PASSWORD, csrf_token

NEW_AUDIT = "/experience/new/audit"


def padded_pdf(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes."""
    return PDF + b"%" + b"x" * (size - len(PDF) - 2) + b"\n"


def post_audit(client, *files, entity="Rheinwerk Aluminium GmbH"):
    return client.post(
        NEW_AUDIT,
        data={
            **audit_form(entity=entity),
            "csrf_token": csrf_token(client, NEW_AUDIT),
            "evidence": list(files),
            "action": "save",
        },
        content_type="multipart/form-data",
    )


def counts(app) -> tuple[int, int]:
    """(entries, evidence rows)."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(ExperienceEntry)),
            db.session.scalar(select(func.count()).select_from(Evidence)),
        )


@pytest.fixture
def learner(client, auth, make_user, synced_courses):
    user = make_user("learner")
    auth.login(user.email, csrf=True)
    return user


@pytest.mark.csrf
def test_unconfirmed_account_cannot_upload_evidence(
    app, client, auth, synced_courses, evidence_dir
):
    with app.app_context():
        accounts.create_user("fresh@example.org", PASSWORD, "Fresh Account", confirmed=False)
        db.session.commit()
    auth.login("fresh@example.org", csrf=True)
    response = post_audit(client, upload(PDF, "certificate.pdf"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Confirm your e-mail address before you upload evidence" in page
    # The way to confirm is on the page, and the form comes back filled in.
    assert 'action="/confirm/resend"' in page
    assert 'value="Rheinwerk Aluminium GmbH"' in page
    assert counts(app) == (0, 0)
    assert files_in(evidence_dir) == []
    # Without files, the entry can still be saved.
    assert post_audit(client).status_code == 302
    assert counts(app) == (1, 0)


@pytest.mark.csrf
@pytest.mark.app_config(EVIDENCE_QUOTA_BYTES=3000)
def test_evidence_quota_counts_everything_the_person_stored(app, client, learner, evidence_dir):
    assert post_audit(client, upload(padded_pdf(1000), "one.pdf")).status_code == 302
    assert post_audit(client, upload(padded_pdf(1500), "two.pdf")).status_code == 302
    # 2,500 bytes stored: another 1,000 would pass the quota, even in a new entry.
    response = post_audit(client, upload(padded_pdf(1000), "three.pdf"), entity="Third GmbH")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "over its limit of" in page
    assert 'value="Third GmbH"' in page
    assert counts(app) == (2, 2)
    assert len(files_in(evidence_dir)) == 2
    # What still fits is accepted.
    assert post_audit(client, upload(padded_pdf(500), "small.pdf")).status_code == 302
    assert counts(app) == (3, 3)


@pytest.mark.csrf
@pytest.mark.app_config(EVIDENCE_QUOTA_BYTES=3000)
def test_evidence_quota_holds_when_files_are_added_to_an_entry(app, client, learner):
    assert post_audit(client, upload(padded_pdf(2000), "one.pdf")).status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(select(ExperienceEntry.id))
    url = f"/experience/entries/{entry_id}/edit"
    response = client.post(
        url,
        data={
            **audit_form(notes="With a second file."),
            "csrf_token": csrf_token(client, url),
            "evidence": [upload(padded_pdf(1500), "two.pdf")],
            "action": "save",
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "over its limit of" in page
    assert "With a second file." in page
    assert counts(app) == (1, 1)


@pytest.mark.csrf
@pytest.mark.app_config(EXPERIENCE_MAX_ENTRIES=2)
def test_experience_log_has_a_cap_on_entries(app, client, learner):
    assert post_audit(client, entity="First GmbH").status_code == 302
    assert post_audit(client, entity="Second GmbH").status_code == 302
    response = post_audit(client, entity="Third GmbH")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "reached its limit of 2 entries" in page
    assert 'value="Third GmbH"' in page
    assert counts(app) == (2, 0)


def test_default_limits(app):
    assert app.config["EVIDENCE_QUOTA_BYTES"] == 200 * 1024 * 1024
    assert app.config["EXPERIENCE_MAX_ENTRIES"] == 500
