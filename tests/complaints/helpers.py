"""Lodging and handling complaints through the pages, as people do (CSRF tokens included),
for the complaint tests and for the lead's appeal tests to chain on."""

import re

from sqlalchemy import select

from educational.core.db import db
from tests.builders.people import csrf_token

REFERENCE = re.compile(r'id="complaint-reference">(C-\d{4}-\d{4,})<')
STATUS_LINK = re.compile(r'id="complaint-status-link" href="([^"]+)"')


def lodge(client, registry_id=None, firm_id=None, description="He signed a report.", **data):
    """Post the complaint form; returns the response."""
    query = f"registry_id={registry_id}" if registry_id else f"firm_id={firm_id}"
    url = f"/complaints/new?{query}"
    token = csrf_token(client, url)
    return client.post(
        url,
        data={"description": description, "csrf_token": token, **data},
        content_type="multipart/form-data",
    )


def lodged(response) -> tuple[str, str]:
    """(reference, status link path with its token) from the page shown after lodging."""
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    reference = REFERENCE.search(page).group(1)
    link = STATUS_LINK.search(page).group(1).replace("&amp;", "&")
    return reference, link.removeprefix("http://localhost")


def complaint_id(app, reference: str) -> int:
    from educational.complaints.models import Complaint

    with app.app_context():
        return db.session.scalar(select(Complaint.id).where(Complaint.reference == reference))


def staff_post(client, complaint: int, action: str, data: dict | None = None, **kwargs):
    """A staff action on the complaint's page (acknowledge, note, invite, decide, close)."""
    token = csrf_token(client, f"/staff/complaints/{complaint}")
    return client.post(
        f"/staff/complaints/{complaint}/{action}",
        data={**(data or {}), "csrf_token": token},
        **kwargs,
    )
