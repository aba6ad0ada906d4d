"""Experience entries: valid audits (service data and form fields), a qualification, and
evidence files."""

import io
from datetime import date, timedelta

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SMELTING = "aluminium-smelting"
#: When the audits below end unless told otherwise.
AUDIT_END = date(2024, 3, 7)

QUALIFICATION = {
    "title": "ISO 19011 lead auditor",
    "issuer": "IRCA",
    "qualification_kind": "management-system-auditor",
    "obtained_on": date(2019, 5, 2),
    "expires_on": None,
}


def audit_data(end: date = AUDIT_END, *, calendar_days: int = 4, **overrides) -> dict:
    """Service data of a valid audit entry: ``calendar_days`` days ending on ``end``, one
    of them off site; lead auditor of PS 3, aluminium smelting, in Germany."""
    data = {
        "start_date": end - timedelta(days=calendar_days - 1),
        "end_date": end,
        "onsite_days": float(calendar_days - 1),
        "offsite_days": 1.0,
        "audit_role": "lead",
        "team_size": 2,
        "standard": "PS",
        "standard_version": "3",
        "sectors": [SMELTING],
        "country": "DE",
        "entity": "Rheinwerk Aluminium GmbH",
        "audit_type": "certification",
        "reference_name": "Maria Lehmann",
        "reference_contact": "+49 30 1234567",
        "notes": "",
    }
    data.update(overrides)
    return data


def qualifying_audit(end: date, country: str = "NO") -> dict:
    """An audit the auditor role counts in full: five days (four such audits make the 20
    days the scheme asks for), in Norway unless told otherwise."""
    return audit_data(end, calendar_days=5, country=country)


def audit_form(end: date = AUDIT_END, *, calendar_days: int = 4, **overrides) -> dict:
    """Form fields of a valid audit entry, as the browser posts them (two sectors, an
    e-mail address as the reference, a note)."""
    data = {
        "start_date": (end - timedelta(days=calendar_days - 1)).isoformat(),
        "end_date": end.isoformat(),
        "onsite_days": str(calendar_days - 1),
        "offsite_days": "1",
        "audit_role": "lead",
        "team_size": "2",
        "standard": "PS",
        "standard_version": "3",
        "sectors": [SMELTING, "casthouse"],
        "country": "DE",
        "entity": "Rheinwerk Aluminium GmbH",
        "audit_type": "certification",
        "reference_name": "Maria Lehmann",
        "reference_contact": "m.lehmann@cb.example.org",
        "notes": "Stage 2 audit.",
    }
    data.update(overrides)
    return data


def image_bytes(image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format=image_format)
    return out.getvalue()


def upload(content: bytes, name: str):
    """A file field value for the test client."""
    return (io.BytesIO(content), name)


def files_in(path) -> list:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def cpd_data(day: date, hours: float = 20.0, category: str = "training", **overrides) -> dict:
    """Service data of a valid CPD activity on ``day``."""
    data = {
        "activity_date": day,
        "hours": hours,
        "category": category,
        "provider": "Aluminium Academy",
        "description": "Course on the Performance Standard's environmental principles.",
    }
    data.update(overrides)
    return data


def cpd_form(day: date, hours: str = "20", category: str = "training", **overrides) -> dict:
    """Form fields of a valid CPD activity, as the browser posts them."""
    data = {**cpd_data(day, category=category), "activity_date": day.isoformat(), "hours": hours}
    data.update(overrides)
    return data


def log_cpd_cycle(app, user_id: int, staff_id: int, on: date | None = None) -> list[int]:
    """Verified CPD enough for a renewal evaluated on ``on`` (default today): 20 hours in
    each of the three years before it, one category each (60 hours, no cap reached)."""
    from educational.accounts.models import User
    from educational.core.db import db, today
    from educational.experience import services

    on = on or today()
    ids = []
    with app.test_request_context():
        user, staff = db.session.get(User, user_id), db.session.get(User, staff_id)
        for days, category in ((100, "training"), (465, "conferences"), (830, "audits")):
            entry = services.create_entry(
                user, "cpd", cpd_data(on - timedelta(days=days), category=category), submit=True
            )
            entry.verify(staff)
            ids.append(entry.id)
        db.session.commit()
    return ids
