"""Helpers for the certificate tests: a signing key in the test's own folder, and issuing a
certificate of a synced starter course."""

from datetime import datetime

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog.models import Course
from educational.certificates import services
from educational.core.db import db, utcnow

SLUG = "asi-auditor"


@pytest.fixture(autouse=True)
def _signing_key_in_tmp(app, tmp_path):
    """Keep each test's key in its own folder, not in the project's instance folder."""
    app.config["CREDENTIAL_KEY_PATH"] = str(tmp_path / "keys" / "credential-key.pem")


@pytest.fixture
def issue(app, synced_courses):
    """``issue(user, slug=..., at=datetime)`` issues (or returns) a certificate; its code."""

    def issue(user, slug: str = SLUG, at: datetime | None = None) -> str:
        with app.app_context():
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            certificate = services.issue_certificate(
                db.session.get(User, user.id), course, issued_at=at or utcnow()
            )
            db.session.commit()
            return certificate.code

    return issue
