"""The scheme's rules as last synced from ``courses/scheme.yml``, for the features that
apply them (experience forms, the accreditation rules, the registry and eligibility).

``current_scheme()`` is the one accessor: the scheme is parsed once per process and again
only when its row changes (a new ``content_hash``). Whether the row changed is asked at most
every ``REGISTRY_SCHEME_SECONDS`` (default 30, the name it had when only the registry cached
it): a ``flask courses sync`` run elsewhere reaches every page and the API within that time,
and a change written through this process (the sync, a test) at once."""

import time
from datetime import date

from flask import current_app, has_app_context
from flask_babel import get_locale
from sqlalchemy import event, select

from educational.core.db import db

from .content import (
    CpdCategory,
    CycleRules,
    Requirement,
    Role,
    Scheme,
    Sector,
    SpecialistArea,
    Standard,
    StandardVersion,
)
from .content.scheme import DEFAULT_CONFLICT_WINDOW_YEARS, SCOPED_KINDS
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
        conflict_window_years=data.get("conflict_window_years", DEFAULT_CONFLICT_WINDOW_YEARS),
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
                labels=_labels(s),
            )
            for code, s in data["standards"].items()
        },
        sectors={
            code: Sector(s["code"], s["name"], _labels(s)) for code, s in data["sectors"].items()
        },
        specialist_areas={
            code: SpecialistArea(a["code"], a["name"], _labels(a))
            for code, a in data["specialist_areas"].items()
        },
        roles={
            code: Role(
                code=r["code"],
                name=r["name"],
                includes=tuple(r["includes"]),
                requirements=tuple(Requirement(**req) for req in r["requirements"]),
                # Rows synced before scheme.yml had "scoped": a role is scoped when its
                # requirements name the standards or sectors in scope.
                scoped=r.get("scoped", _names_scopes(r["requirements"])),
                labels=_labels(r),
                renewal_requirements=tuple(
                    Requirement(**req) for req in r.get("renewal_requirements", ())
                ),
                witness_every_months=r.get("witness_every_months"),
            )
            for code, r in data["roles"].items()
        },
        cpd_categories={
            code: CpdCategory(c["code"], c["name"], c["max_hours_per_cycle"], _labels(c))
            for code, c in data.get("cpd_categories", {}).items()
        },
        cycle=_cycle(data.get("cycle", {})),
    )


def _cycle(data: dict) -> CycleRules:
    # Rows synced before scheme.yml had the cycle's sections get the defaults.
    values = dict(data)
    if "training_reminder_days" in values:
        values["training_reminder_days"] = tuple(values["training_reminder_days"])
    return CycleRules(**values)


def _names_scopes(requirements: list[dict]) -> bool:
    return any(req["kind"] in SCOPED_KINDS for req in requirements)


def _labels(data: dict) -> tuple[tuple[str, str], ...]:
    # Rows synced before scheme.yml had translated names have no "labels".
    return tuple((language, text) for language, text in data.get("labels", ()))


# Names in the reader's language


Named = Role | Standard | Sector | SpecialistArea | CpdCategory


def label(item: Named | None, language: str | None = None) -> str:
    """The name of a role, standard, sector, specialist area or CPD category in
    ``language`` (default: the reader's), or in the scheme's default language when it has
    none in that one; "" for None. The one helper behind every page, form and e-mail that
    names them."""
    if item is None:
        return ""
    if item.labels:
        wanted = language or reader_language()
        for code, text in item.labels:
            if code == wanted:
                return text
    return item.name


def reader_language() -> str:
    """The reader's language ("fr" for fr_FR), or "" outside a request."""
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else ""


def named(scheme: Scheme | None, kind: str, code: str | None, language: str | None = None) -> str:
    """The name of the ``kind`` ("roles", "standards", "sectors", "specialist_areas") ``code``
    of ``scheme`` in the reader's language; the code itself when the scheme does not have it."""
    if not code:
        return ""
    found = getattr(scheme, kind, {}).get(code) if scheme is not None else None
    return label(found, language) if found is not None else code


def scope_label(scheme: Scheme | None, standard: str, sector: str) -> str:
    """A scope as people read it: "Performance Standard: Aluminium smelting"."""
    return f"{named(scheme, 'standards', standard)}: {named(scheme, 'sectors', sector)}"


#: Where the parsed scheme is kept, in ``app.extensions``.
CACHE = "current_scheme"


def current_scheme() -> Scheme | None:
    """The synced scheme (the first, as one installation serves one scheme); None before
    the first ``flask courses sync``. Cached (see the module docstring): treat it as
    read-only."""
    cache = current_app.extensions.setdefault(CACHE, {})
    seconds = current_app.config["REGISTRY_SCHEME_SECONDS"]
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


def forget_scheme(*_args) -> None:
    """Drop the cached scheme, so the next ``current_scheme()`` reads the row again."""
    if has_app_context():
        current_app.extensions.pop(CACHE, None)


# Any change to the row through the ORM in this process (a sync; a test that edits the data
# without its hash) is seen at once.
for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(SchemeConfig, _event, forget_scheme)
