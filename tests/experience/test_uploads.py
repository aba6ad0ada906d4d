"""Upload attacks are refused with a form error, and nothing of them lands on disk; evidence is
served to its owner and staff only."""

import io

import pytest
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.core.db import db
from educational.core.errors import DomainError
from educational.experience import services, uploads
from educational.experience.models import Evidence, ExperienceEntry
from tests.builders.experience import PDF, audit_data, audit_form, files_in, image_bytes, upload
from tests.conftest import PASSWORD

PHP = b"<?php system($_GET['cmd']); ?>\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def post_audit(client, *files, **fields):
    return client.post(
        "/experience/new/audit",
        data={**audit_form(**fields), "evidence": list(files), "action": "submit"},
        content_type="multipart/form-data",
    )


def entry_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ExperienceEntry))


@pytest.fixture
def learner(client, auth, make_user, synced_courses):
    user = make_user("learner")
    auth.login(user.email)
    return user


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PHP, "invoice.pdf", "is not a PDF, PNG or JPEG file"),
        (HTML, "photo.png", "is not a PDF, PNG or JPEG file"),
        (b"\x89PNG\r\n\x1a\n" + HTML, "broken.png", "is not a PDF, PNG or JPEG file"),
        (image_bytes("GIF"), "animation.gif", "is not a PDF, PNG or JPEG file"),
        (b"", "empty.pdf", "is empty"),
        (PDF, "../../etc/passwd.pdf", "without slashes"),
    ],
    ids=["php-as-pdf", "html-as-png", "png-magic-then-html", "gif", "empty", "traversal"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    app, client, learner, evidence_dir, content, name, message
):
    response = post_audit(client, upload(content, name))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    # The form comes back filled in; only the file must be chosen again.
    assert 'value="Rheinwerk Aluminium GmbH"' in page
    assert "choose the files again" in page
    assert entry_count(app) == 0
    assert files_in(evidence_dir) == []


@pytest.mark.app_config(EVIDENCE_MAX_BYTES=1024)
def test_oversized_upload_is_refused(app, client, learner, evidence_dir):
    big = PDF + b"%" + b"x" * 2048 + b"\n"
    response = post_audit(client, upload(big, "scan.pdf"))
    assert "larger than" in response.get_data(as_text=True)
    assert entry_count(app) == 0
    assert files_in(evidence_dir) == []


def test_one_bad_file_stores_none_of_the_others(app, client, learner, evidence_dir):
    response = post_audit(client, upload(PDF, "good.pdf"), upload(PHP, "bad.pdf"))
    assert "bad.pdf is not a PDF" in response.get_data(as_text=True)
    assert entry_count(app) == 0
    assert files_in(evidence_dir) == []


def test_content_decides_the_type_not_the_name(app, client, learner, evidence_dir):
    response = post_audit(
        client, upload(image_bytes("PNG"), "scan.pdf"), upload(image_bytes("JPEG"), "photo")
    )
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Evidence).order_by(Evidence.id)).all()
        assert [(r.display_name, r.content_type) for r in rows] == [
            ("scan.png", "image/png"),
            ("photo.jpg", "image/jpeg"),
        ]
        stored = sorted(r.stored_name for r in rows)
    assert files_in(evidence_dir) == stored


def test_evidence_is_served_to_its_owner_and_staff_only(app, make_user, synced_courses):
    owner, other, staff, member = (
        make_user("learner"),
        make_user("learner"),
        make_user("staff"),
        make_user("member"),
    )
    with app.test_request_context():
        entry = services.create_entry(
            db.session.get(User, owner.id), "audit", audit_data(), [(io.BytesIO(PDF), "a.pdf")]
        )
        db.session.commit()
        evidence_id, entry_id = entry.evidence[0].id, entry.id
    url = f"/experience/evidence/{evidence_id}"

    def as_user(user):
        client = app.test_client()
        if user is not None:
            client.post("/login", data={"email": user.email, "password": PASSWORD})
        return client

    assert as_user(owner).get(url).status_code == 200
    assert as_user(staff).get(url).status_code == 200
    assert as_user(other).get(url).status_code == 403
    assert as_user(member).get(url).status_code == 403
    anonymous = as_user(None).get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert as_user(owner).get("/experience/evidence/999999").status_code == 404
    # Nor can another learner reach the entry or change its files.
    intruder = as_user(other)
    assert intruder.get(f"/experience/entries/{entry_id}").status_code == 403
    assert intruder.get(f"/experience/entries/{entry_id}/edit").status_code == 403
    assert intruder.post(f"/experience/entries/{entry_id}/delete").status_code == 403
    assert intruder.post(f"/experience/evidence/{evidence_id}/remove").status_code == 403
    with app.app_context():
        assert db.session.get(Evidence, evidence_id) is not None


def test_a_file_written_in_a_rolled_back_transaction_is_removed(
    app, make_user, synced_courses, evidence_dir
):
    owner = make_user("learner")
    with app.test_request_context():
        user = db.session.get(User, owner.id)
        services.create_entry(user, "audit", audit_data(), [(io.BytesIO(PDF), "a.pdf")])
        assert len(files_in(evidence_dir)) == 1
        db.session.rollback()
        assert files_in(evidence_dir) == []


def test_display_names_are_sanitised(app):
    with app.test_request_context():
        for name in ("../../etc/passwd.pdf", "..\\..\\win.ini.pdf", "/etc/passwd", "a\x00.pdf"):
            with pytest.raises(DomainError):
                uploads.display_name(name)
    assert uploads.display_name("Audit\u202ereport\x07.pdf") == "Auditreport.pdf"
    assert uploads.display_name("  .hidden.pdf ") == "hidden.pdf"
    assert uploads.display_name("") == "evidence"
    assert uploads.display_name("报告.pdf") == "报告.pdf"
    long = uploads.display_name("a" * 300 + ".pdf")
    assert len(long) == uploads.MAX_NAME_LENGTH and long.endswith(".pdf")
