"""The scheme's rules as last synced from ``courses/scheme.yml``, for the features that
apply them (experience forms, the accreditation rules, eligibility)."""

from datetime import date

from sqlalchemy import select

from educational.core.db import db

from .content import Requirement, Role, Scheme, Sector, SpecialistArea, Standard, StandardVersion
from .models import SchemeConfig


def scheme_from_json(data: dict) -> Scheme:
    """Rebuild the ``Scheme`` dataclass that ``scheme_to_json`` stored."""
    return Scheme(
        code=data["code"],
        name=data["name"],
        default_language=data["default_language"],
        languages=tuple(data["languages"]),
        validity_years=data["validity_years"],
        reminder_days=tuple(data["reminder_days"]),
        four_eyes=data["four_eyes"],
        standards={
            code: Standard(
                code=s["code"],
                name=s["name"],
                sectors=tuple(s["sectors"]),
                versions=tuple(
                    StandardVersion(
                        version=v["version"],
                        published=date.fromisoformat(v["published"]),
                        transition_months=v["transition_months"],
                    )
                    for v in s["versions"]
                ),
            )
            for code, s in data["standards"].items()
        },
        sectors={code: Sector(**s) for code, s in data["sectors"].items()},
        specialist_areas={
            code: SpecialistArea(**a) for code, a in data["specialist_areas"].items()
        },
        roles={
            code: Role(
                code=r["code"],
                name=r["name"],
                includes=tuple(r["includes"]),
                requirements=tuple(Requirement(**req) for req in r["requirements"]),
            )
            for code, r in data["roles"].items()
        },
    )


def current_scheme() -> Scheme | None:
    """The synced scheme (the first, as one installation serves one scheme); None before
    the first ``flask courses sync``."""
    row = db.session.scalar(select(SchemeConfig).order_by(SchemeConfig.id).limit(1))
    return scheme_from_json(row.data) if row else None
