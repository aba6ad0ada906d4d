"""Shared data for the experience tests: valid entry fields and sample files."""

import io
from datetime import date

from PIL import Image

from educational.core.db import db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format=image_format)
    return out.getvalue()


def audit_form(**overrides) -> dict:
    """Form fields of a valid audit entry, as the browser posts them."""
    data = {
        "start_date": "2024-03-04",
        "end_date": "2024-03-07",
        "onsite_days": "3",
        "offsite_days": "1",
        "audit_role": "lead",
        "team_size": "2",
        "standard": "PS",
        "standard_version": "3",
        "sectors": ["aluminium-smelting", "casthouse"],
        "country": "DE",
        "entity": "Rheinwerk Aluminium GmbH",
        "audit_type": "certification",
        "reference_name": "Maria Lehmann",
        "reference_contact": "m.lehmann@cb.example.org",
        "notes": "Stage 2 audit.",
    }
    data.update(overrides)
    return data


def audit_data(**overrides) -> dict:
    """Service data of a valid audit entry."""
    data = {
        "start_date": date(2024, 3, 4),
        "end_date": date(2024, 3, 7),
        "onsite_days": 3.0,
        "offsite_days": 1.0,
        "audit_role": "lead",
        "team_size": 2,
        "standard": "PS",
        "standard_version": "3",
        "sectors": ["aluminium-smelting"],
        "country": "DE",
        "entity": "Rheinwerk Aluminium GmbH",
        "audit_type": "certification",
        "reference_name": "Maria Lehmann",
        "reference_contact": "+49 30 1234567",
        "notes": "",
    }
    data.update(overrides)
    return data


def upload(content: bytes, name: str):
    """A file field value for the test client."""
    return (io.BytesIO(content), name)


def files_in(path) -> list:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def load(model, entry_id: int):
    """A row by id, detached, for reading columns after a request."""
    row = db.session.get(model, entry_id)
    db.session.expunge(row)
    return row
