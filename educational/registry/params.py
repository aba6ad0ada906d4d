"""The registry's parameters, checked the same way for the pages, the CSV exports and the
JSON API: each parser returns the clean value or raises ``DomainError(message, field)``,
whose message says what to send instead (the API answers it as a 400 envelope naming the
field; the pages show it beside the field)."""

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pycountry
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from educational.catalog.content.model import Scheme
from educational.catalog.models import SchemeConfig
from educational.catalog.scheme import scheme_from_json
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.params import parse_int

#: Accreditation statuses, as the registry filters and shows them.
STATUSES = ("active", "suspended", "withdrawn", "expired")
#: The largest page the API serves.
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20

COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)
LANGUAGE_CODES = frozenset(
    language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today() -> date:
    """The day statuses are computed for: the UTC date, as certificates use."""
    return utcnow().date()


def scheme_or_none() -> Scheme | None:
    """The synced scheme, parsed once per process and again only when its content changes.
    Whether it changed is asked at most every ``REGISTRY_SCHEME_SECONDS`` (default 30): a
    ``flask courses sync`` reaches the registry and the API within that time."""
    cache = current_app.extensions.setdefault("registry_scheme", {})
    seconds = current_app.config.get("REGISTRY_SCHEME_SECONDS", 30)
    if cache.get("scheme") is not None and time.monotonic() - cache["checked"] < seconds:
        return cache["scheme"]
    row = db.session.execute(
        select(SchemeConfig.id, SchemeConfig.content_hash).order_by(SchemeConfig.id).limit(1)
    ).first()
    if row is None:
        return None
    if cache.get("hash") != row.content_hash:
        data = db.session.scalar(select(SchemeConfig.data).where(SchemeConfig.id == row.id))
        cache.update(hash=row.content_hash, scheme=scheme_from_json(data))
    cache["checked"] = time.monotonic()
    return cache["scheme"]


def clean_text(value: str | None, limit: int = 200) -> str:
    """Free text as searched: control characters (NUL among them, which PostgreSQL refuses)
    dropped, spaces trimmed, at most ``limit`` characters."""
    text = "".join(ch for ch in (value or "") if ch >= " " and ch != "\x7f")
    return text.strip()[:limit]


def _known(scheme: Scheme | None, attribute: str) -> dict:
    return getattr(scheme, attribute) if scheme is not None else {}


def parse_role(value: str | None, scheme: Scheme | None, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        return _missing("role", required)
    roles = _known(scheme, "roles")
    if value not in roles:
        raise DomainError(
            _("Unknown role “%(value)s”; use one of: %(known)s.", value=value, known=_list(roles)),
            field="role",
        )
    return value


def parse_standard(
    value: str | None, scheme: Scheme | None, *, required: bool = False
) -> str | None:
    value = (value or "").strip()
    if not value:
        return _missing("standard", required)
    standards = _known(scheme, "standards")
    if value not in standards:
        raise DomainError(
            _(
                "Unknown standard “%(value)s”; use one of: %(known)s.",
                value=value,
                known=_list(standards),
            ),
            field="standard",
        )
    return value


def parse_sector(value: str | None, scheme: Scheme | None, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        return _missing("sector", required)
    sectors = _known(scheme, "sectors")
    if value not in sectors:
        raise DomainError(
            _(
                "Unknown sector “%(value)s”; use one of: %(known)s.",
                value=value,
                known=_list(sectors),
            ),
            field="sector",
        )
    return value


def parse_country(value: str | None, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        return _missing("country", required)
    if value not in COUNTRY_CODES:
        raise DomainError(
            _(
                "“%(value)s” is not a country code; use the ISO 3166-1 alpha-2 code in capitals, "
                "such as NO or BR.",
                value=value,
            ),
            field="country",
        )
    return value


def parse_language(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in LANGUAGE_CODES:
        raise DomainError(
            _(
                "“%(value)s” is not a language code; use the ISO 639-1 code in small letters, "
                "such as fr or pt.",
                value=value,
            ),
            field="language",
        )
    return value


def parse_status(value: str | None, *, default: str | None = "active") -> str | None:
    """One of ``STATUSES``; "any" (the pages' choice) for every status."""
    value = (value or "").strip()
    if not value:
        return default
    if value == "any":
        return None
    if value not in STATUSES:
        raise DomainError(
            _(
                "Unknown status “%(value)s”; use one of: %(known)s.",
                value=value,
                known=", ".join(STATUSES),
            ),
            field="status",
        )
    return value


def parse_date(value: str | None, field: str = "date", *, default: date | None = None) -> date:
    value = (value or "").strip()
    if not value:
        if default is None:
            raise DomainError(_("Give the %(field)s as YYYY-MM-DD.", field=field), field=field)
        return default
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            _(
                "“%(value)s” is not a date; write it as YYYY-MM-DD, such as 2026-03-31.",
                value=value,
            ),
            field=field,
        ) from None


def parse_positive(
    value: str | None, field: str, *, default: int, maximum: int | None = None
) -> int:
    """A whole number from 1 (to ``maximum``): page numbers and page sizes."""
    value = (value or "").strip()
    if not value:
        return default
    # Unbounded above here: page numbers past the last page answer an empty page.
    number = parse_int(value, minimum=1, maximum=None)
    if number is None:
        limit = f"1 to {maximum}" if maximum else "1 or more"
        raise DomainError(
            _("%(field)s must be a whole number from %(limit)s.", field=field, limit=limit),
            field=field,
        )
    if maximum is not None and number > maximum:
        raise DomainError(
            _("%(field)s can be at most %(maximum)d.", field=field, maximum=maximum), field=field
        )
    return number


def _missing(field: str, required: bool) -> None:
    if required:
        raise DomainError(_("Give the %(field)s; it is required.", field=field), field=field)
    return None


def _list(known) -> str:
    return ", ".join(sorted(known)) or _("none (the scheme is not loaded yet)")


@dataclass(frozen=True)
class ScopeQuestion:
    """Who may audit as ``role`` against ``standard`` in ``sector`` and ``country`` on
    ``date``: the question of the shortlist and of /api/v1/eligible."""

    role: str
    standard: str
    sector: str
    country: str
    date: date


@dataclass(frozen=True)
class EligibilityQuestion(ScopeQuestion):
    """The scope question about one holder, optionally for an entity."""

    registry_id: str = ""
    entity: str | None = None


def parse_scope_question(args: Mapping[str, str], scheme: Scheme | None) -> ScopeQuestion:
    return ScopeQuestion(**_scope_values(args, scheme))


def parse_eligibility_question(
    args: Mapping[str, str], scheme: Scheme | None
) -> EligibilityQuestion:
    """The fields are checked in the order registry_id, role, standard, sector, country,
    date: the first one at fault is named."""
    registry_id = clean_text(args.get("registry_id"), 40).upper()
    if not registry_id:
        _missing("registry_id", True)
    values = _scope_values(args, scheme)
    entity = clean_text(args.get("entity")) or None
    return EligibilityQuestion(**values, registry_id=registry_id, entity=entity)


def _scope_values(args: Mapping[str, str], scheme: Scheme | None) -> dict:
    return {
        "role": parse_role(args.get("role"), scheme, required=True),
        "standard": parse_standard(args.get("standard"), scheme, required=True),
        "sector": parse_sector(args.get("sector"), scheme, required=True),
        "country": parse_country(args.get("country"), required=True),
        "date": parse_date(args.get("date"), default=today()),
    }
