"""Reasons in the reader's language: the one home where a checklist row's ``Reason`` (a
message id with values, from the rules engine) becomes a sentence with human names.

The rules engine stays pure and speaks in codes ("aluminium-smelting", "NO", ISO dates);
here the codes become the scheme's names in the reader's language
(``catalog.scheme.named``), course titles, country names and dates in the locale's medium
format: "3 of 4 verified audits since 26 Nov 2023 (2 more waiting for verification)".

``MESSAGES`` lists every message id with its renderer; ``examples()`` gives values for each,
so that the translation test renders every one in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.lists import format_list
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from educational.catalog.content import Scheme
from educational.catalog.scheme import named
from educational.core.i18n import format_date
from educational.core.names import country_name
from educational.experience.labels import QUALIFICATION_KIND_LABELS

#: Value keys that hold ISO dates.
DATE_KEYS = frozenset(
    {"completed_on", "expires_on", "revoked_on", "day", "last_day", "obtained", "expires"}
    | {"cycle_start", "year_start", "year_end"}
)


@dataclass(frozen=True)
class Names:
    """What a reason's codes are called for the reader: the scheme's names, course titles."""

    scheme: Scheme | None
    #: Course titles in the reader's language, by slug.
    courses: Mapping[str, str] = field(default_factory=dict)

    def course(self, slug: str | None) -> str:
        return self.courses.get(slug or "", slug or "…")

    def standard(self, code: str | None) -> str:
        return named(self.scheme, "standards", code) or "…"

    def sector(self, code: str | None) -> str:
        return named(self.scheme, "sectors", code) or "…"

    def area(self, code: str | None) -> str:
        return named(self.scheme, "specialist_areas", code) or "…"

    def role(self, code: str | None) -> str:
        return named(self.scheme, "roles", code) or "…"

    @staticmethod
    def country(code: str | None) -> str:
        return country_name(code) if code else "…"

    @staticmethod
    def kind(code: str | None) -> str:
        label = QUALIFICATION_KIND_LABELS.get(code or "")
        return str(label) if label is not None else (code or "…")

    @staticmethod
    def day(value: str | date | None) -> str:
        if not value:
            return "?"
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return format_date(day)

    @staticmethod
    def number(value: float | None) -> str:
        value = round(value or 0, 2)
        return format_decimal(int(value) if value == int(value) else value)


Renderer = Callable[[Mapping[str, Any], bool, Names], str]


def render(message: Mapping[str, Any] | None, met: bool, names: Names, fallback: str = "") -> str:
    """The sentence for ``message`` ({"id", "values"}, as ``Reason.as_json`` stores it);
    ``fallback`` (the stored English reason) for a row saved before reasons had ids."""
    if not message or message.get("id") not in MESSAGES:
        return fallback
    values = message.get("values") or {}
    text = MESSAGES[message["id"]](values, met, names)
    waiting = values.get("waiting") or 0
    if waiting and not met:
        text += " " + ngettext(
            "(%(num)d more waiting for verification)",
            "(%(num)d more waiting for verification)",
            waiting,
        )
    return text


def _and(parts: list[str]) -> str:
    return format_list(parts, locale=get_locale() or "en")


def _or(parts: list[str]) -> str:
    return format_list(parts, style="or", locale=get_locale() or "en")


def _sentence(text: str) -> str:
    """``text`` ended as a sentence ends in the reader's language ("." or "。")."""
    return _("%(sentence)s.", sentence=text)


def _since(text: str, values: Mapping[str, Any], names: Names) -> str:
    """``text`` with the window of the requirement: "... since 26 Nov 2023"."""
    start = values.get("window_start")
    if not start:
        return text
    return _("%(what)s since %(day)s", what=text, day=names.day(start))


# Training


def _course_valid(values, met, names):
    if values.get("expires_on"):
        return _(
            "Passed on %(completed_on)s; the certificate is valid until %(expires_on)s.",
            completed_on=names.day(values.get("completed_on")),
            expires_on=names.day(values.get("expires_on")),
        )
    return _("Passed on %(completed_on)s.", completed_on=names.day(values.get("completed_on")))


def _course_revoked(values, met, names):
    return _(
        "The certificate of %(course)s was revoked on %(revoked_on)s; take the course again.",
        course=names.course(values.get("course")),
        revoked_on=names.day(values.get("revoked_on")),
    )


def _course_expired(values, met, names):
    return _(
        "The certificate of %(course)s expired on %(expires_on)s; take the course again.",
        course=names.course(values.get("course")),
        expires_on=names.day(values.get("expires_on")),
    )


def _course_missing(values, met, names):
    return _("%(course)s is not passed yet.", course=names.course(values.get("course")))


def _scope_none(values, met, names):
    return _("No standard and sector chosen: choose at least one above.")


def _standard_unknown(values, met, names):
    return _(
        "%(standard)s is not a standard of the scheme.", standard=values.get("standard") or "…"
    )


def _standard_no_version(values, met, names):
    return _(
        "%(standard)s has no version published on or before %(day)s.",
        standard=names.standard(values.get("standard")),
        day=names.day(values.get("day")),
    )


def _standard_course_valid(values, met, names):
    text = _(
        "%(course)s (version %(version)s) passed on %(completed_on)s.",
        course=names.course(values.get("course")),
        version=values.get("version") or "?",
        completed_on=names.day(values.get("completed_on")),
    )
    if values.get("last_day"):
        text += " " + _(
            "Accepted until %(last_day)s, during the transition to version %(current)s.",
            last_day=names.day(values.get("last_day")),
            current=values.get("current") or "?",
        )
    return text


def _standard_course_missing(values, met, names):
    standard = names.standard(values.get("standard"))
    if values.get("previous"):
        text = _(
            "No course passed for %(standard)s version %(current)s (or version %(previous)s "
            "until %(last_day)s).",
            standard=standard,
            current=values.get("current") or "?",
            previous=values["previous"],
            last_day=names.day(values.get("last_day")),
        )
    else:
        text = _(
            "No course passed for %(standard)s version %(current)s.",
            standard=standard,
            current=values.get("current") or "?",
        )
    lapsed, older = values.get("lapsed"), values.get("older")
    if lapsed:
        text += " " + render(lapsed, False, names)
    elif older:
        text += " " + _(
            "%(course)s is for version %(version)s, which no longer counts.",
            course=names.course(older.get("course")),
            version=older.get("version") or "?",
        )
    return text


def _qualification_valid(values, met, names):
    if values.get("expires"):
        return _(
            "%(kind)s obtained on %(obtained)s, valid until %(expires)s.",
            kind=names.kind(values.get("kind")),
            obtained=names.day(values.get("obtained")),
            expires=names.day(values.get("expires")),
        )
    return _(
        "%(kind)s obtained on %(obtained)s.",
        kind=names.kind(values.get("kind")),
        obtained=names.day(values.get("obtained")),
    )


def _qualification_missing(values, met, names):
    text = _(
        "No verified qualification of this kind valid on %(day)s.",
        day=names.day(values.get("day")),
    )
    if values.get("expires"):
        text += " " + _(
            "The last one expired on %(expires)s.", expires=names.day(values.get("expires"))
        )
    return text


# Experience


def _audits(values, met, names):
    count, minimum = values.get("audits", 0), values.get("min_audits", 0)
    days, min_days = values.get("days", 0), values.get("min_days", 0)
    if met:
        text = _and([_verified_audits(count), _audit_days(days)])
        if values.get("as_role") == "lead":
            text = _("%(what)s as lead auditor", what=text)
        return _sentence(_since(text, values, names))
    audits_text = ngettext(
        "%(count)s of %(num)d verified audit",
        "%(count)s of %(num)d verified audits",
        minimum,
        count=names.number(count),
    )
    days_text = ngettext(
        "%(days)s of %(num)d audit day",
        "%(days)s of %(num)d audit days",
        min_days,
        days=names.number(days),
    )
    text = _and([audits_text, days_text])
    if values.get("as_role") == "lead":
        text = _("%(what)s as lead auditor", what=text)
    return _sentence(_since(text, values, names))


def _verified_audits(count: int) -> str:
    return ngettext("%(num)d verified audit", "%(num)d verified audits", int(count))


def _audit_days(days: float) -> str:
    return ngettext("%(days)s audit day", "%(days)s audit days", int(days), days=Names.number(days))


def _sector_not_covered(values, met, names):
    return _(
        "%(standard)s does not cover %(sector)s; it covers: %(sectors)s.",
        standard=names.standard(values.get("standard")),
        sector=names.sector(values.get("sector")),
        sectors=_and([names.sector(code) for code in values.get("covers") or ()]),
    )


def _sector(values, met, names):
    sector = names.sector(values.get("sector"))
    min_audits, min_years = values.get("min_audits", 0), values.get("min_work_years", 0)
    if not min_audits and not min_years:
        return _("No experience required in %(sector)s.", sector=sector)
    audits = values.get("audits", 0)
    if met and min_audits and audits >= min_audits:
        text = _("%(what)s in %(sector)s", what=_verified_audits(audits), sector=sector)
        return _sentence(_since(text, values, names))
    if met:
        text = ngettext(
            "%(days)s day of verified work in %(sector)s",
            "%(days)s days of verified work in %(sector)s",
            int(values.get("work_days", 0)),
            days=names.number(values.get("work_days", 0)),
            sector=sector,
        )
        return _sentence(_since(text, values, names))
    routes = []
    if min_audits:
        routes.append(
            ngettext(
                "%(count)s of %(num)d verified audit",
                "%(count)s of %(num)d verified audits",
                min_audits,
                count=names.number(values.get("audits", 0)),
            )
        )
    if min_years:
        routes.append(
            ngettext(
                "%(days)s of %(need)s days of verified work (%(num)d year)",
                "%(days)s of %(need)s days of verified work (%(num)d years)",
                min_years,
                days=names.number(values.get("work_days", 0)),
                need=names.number(values.get("min_work_days", 0)),
            )
        )
    text = _("%(what)s in %(sector)s", what=_or(routes), sector=sector)
    return _sentence(_since(text, values, names))


def _country_none(values, met, names):
    return _("No country chosen: choose at least one above.")


def _country(values, met, names):
    country = names.country(values.get("country"))
    minimum = values.get("min_entries", 0)
    if not minimum:
        return _("No experience required in %(country)s.", country=country)
    entries = values.get("audits", 0) + values.get("work_entries", 0)
    if met:
        text = ngettext(
            "%(num)d verified audit or work entry in %(country)s",
            "%(num)d verified audits or work entries in %(country)s",
            int(entries),
            country=country,
        )
        return _sentence(_since(text, values, names))
    text = ngettext(
        "%(count)s of %(num)d verified audit or work entry in %(country)s",
        "%(count)s of %(num)d verified audits or work entries in %(country)s",
        minimum,
        count=names.number(entries),
        country=country,
    )
    return _sentence(_since(text, values, names))


def _area_none(values, met, names):
    return _("No specialist area chosen: choose at least one above.")


def _area_unknown(values, met, names):
    return _("%(area)s is not a specialist area of the scheme.", area=values.get("area") or "…")


def _area(values, met, names):
    count = values.get("evidence", 0)
    area = names.area(values.get("area"))
    if not count:
        return _("No verified evidence in %(area)s yet.", area=area)
    return ngettext(
        "%(num)d piece of verified evidence in %(area)s.",
        "%(num)d pieces of verified evidence in %(area)s.",
        count,
        area=area,
    )


# Conflicts of interest (members read these: the entity and the window only)


def _conflict_none(values, met, names):
    text = _("No declared link with %(entity)s", entity=values.get("entity") or "…")
    return _sentence(_since(text, values, names))


def _conflict_declared(values, met, names):
    text = _(
        "A link with %(entity)s is declared: a conflict of interest",
        entity=values.get("entity") or "…",
    )
    return _sentence(_since(text, values, names))


# The eligibility engine's checks (educational.registry.checks)


def _accreditation(values, names) -> str:
    """ "The ASI Accredited Lead Auditor accreditation (which includes ...)"."""
    held, role = values.get("held"), values.get("role")
    if role and held != role:
        return _(
            "The %(held)s accreditation (which includes %(role)s)",
            held=names.role(held),
            role=names.role(role),
        )
    return _("The %(held)s accreditation", held=names.role(held))


def _no_accreditation(values, met, names):
    return _("Holds no %(role)s accreditation.", role=names.role(values.get("role")))


def _no_scope(values, met, names):
    return _(
        "Holds no accreditation that could cover %(standard)s.",
        standard=names.standard(values.get("standard")),
    )


def _no_scope_version(values, met, names):
    return _(
        "No %(standard)s scope, so no version to check.",
        standard=names.standard(values.get("standard")),
    )


def _no_scope_sector(values, met, names):
    return _(
        "No %(standard)s scope covers %(sector)s.",
        standard=names.standard(values.get("standard")),
        sector=names.sector(values.get("sector")),
    )


def _no_country(values, met, names):
    return _("No accreditation covers %(country)s.", country=names.country(values.get("country")))


def _expired(values, met, names):
    what = _accreditation(values, names)
    if values.get("since"):
        return _(
            "%(what)s expired on %(since)s: it was valid until %(until)s.",
            what=what,
            since=names.day(values["since"]),
            until=names.day(values.get("valid_until")),
        )
    return _(
        "%(what)s expired: it was valid until %(until)s.",
        what=what,
        until=names.day(values.get("valid_until")),
    )


def _status(values, met, names):
    what = _accreditation(values, names)
    if values.get("status") == "withdrawn":
        if values.get("since"):
            return _(
                "%(what)s was withdrawn on %(since)s.", what=what, since=names.day(values["since"])
            )
        return _("%(what)s is withdrawn.", what=what)
    if values.get("since"):
        return _(
            "%(what)s was suspended on %(since)s.", what=what, since=names.day(values["since"])
        )
    return _("%(what)s is suspended.", what=what)


def _not_yet(values, met, names):
    return _(
        "%(what)s is valid only from %(valid_from)s.",
        what=_accreditation(values, names),
        valid_from=names.day(values.get("valid_from")),
    )


def _active(values, met, names):
    return _(
        "%(what)s is active, valid from %(valid_from)s until %(valid_until)s.",
        what=_accreditation(values, names),
        valid_from=names.day(values.get("valid_from")),
        valid_until=names.day(values.get("valid_until")),
    )


def _whole_scheme(values, met, names):
    return _(
        "%(role)s is registered for the whole scheme, not per standard and sector.",
        role=names.role(values.get("role")),
    )


def _covers_standard(values, met, names):
    return _(
        "The accreditation covers %(standard)s.", standard=names.standard(values.get("standard"))
    )


def _not_standard(values, met, names):
    standard = names.standard(values.get("standard"))
    covers = values.get("covers") or ()
    if not covers:
        return _(
            "The accreditation does not cover %(standard)s: it covers no standard.",
            standard=standard,
        )
    return _(
        "The accreditation does not cover %(standard)s; it covers %(standards)s.",
        standard=standard,
        standards=_and([names.standard(code) for code in covers]),
    )


def _not_sector(values, met, names):
    standard = names.standard(values.get("standard"))
    covers = values.get("covers") or ()
    if not covers:
        return _(
            "The accreditation does not cover %(sector)s: it has no active %(standard)s scope.",
            sector=names.sector(values.get("sector")),
            standard=standard,
        )
    return _(
        "The accreditation does not cover %(sector)s; its %(standard)s scope covers %(sectors)s.",
        sector=names.sector(values.get("sector")),
        standard=standard,
        sectors=_and([names.sector(code) for code in covers]),
    )


def _sector_lapsed(values, met, names):
    return _(
        "The %(standard)s scope for %(sector)s lapsed on %(day)s: the holder has not passed "
        "the current version's course.",
        standard=names.standard(values.get("standard")),
        sector=names.sector(values.get("sector")),
        day=names.day(values.get("day")),
    )


def _sector_ok(values, met, names):
    return _(
        "The %(standard)s scope covers %(sector)s.",
        standard=names.standard(values.get("standard")),
        sector=names.sector(values.get("sector")),
    )


def _version_current(values, met, names):
    return _(
        "The scope is for %(standard)s version %(version)s, the current version on %(day)s.",
        standard=names.standard(values.get("standard")),
        version=values.get("version") or "?",
        day=names.day(values.get("day")),
    )


def _version_transition(values, met, names):
    return _(
        "The scope is for %(standard)s version %(version)s, still usable until %(last_day)s "
        "during the transition to version %(current)s.",
        standard=names.standard(values.get("standard")),
        version=values.get("version") or "?",
        last_day=names.day(values.get("last_day")),
        current=values.get("current") or "?",
    )


def _version_outdated(values, met, names):
    return _(
        "The scope is for %(standard)s version %(version)s; version %(current)s is required "
        "on %(day)s.",
        standard=names.standard(values.get("standard")),
        version=values.get("version") or "?",
        current=values.get("current") or "?",
        day=names.day(values.get("day")),
    )


def _country_ok(values, met, names):
    return _("The accreditation covers %(country)s.", country=names.country(values.get("country")))


def _country_missing(values, met, names):
    country = names.country(values.get("country"))
    covers = values.get("covers") or ()
    if not covers:
        return _(
            "The accreditation does not cover %(country)s: it covers no country.", country=country
        )
    return _(
        "The accreditation does not cover %(country)s; it covers %(countries)s.",
        country=country,
        countries=_and([names.country(code) for code in covers]),
    )


def _role_unknown(values, met, names):
    return _("%(role)s is not a role of the scheme.", role=values.get("role") or "…")


def _no_course(values, met, names):
    return _("The %(role)s role requires no course.", role=names.role(values.get("role")))


def _eligibility_course_valid(values, met, names):
    if values.get("expires_on"):
        return _(
            "%(course)s passed on %(completed_on)s; the certificate is valid until %(expires_on)s.",
            course=names.course(values.get("course")),
            completed_on=names.day(values.get("completed_on")),
            expires_on=names.day(values.get("expires_on")),
        )
    return _(
        "%(course)s passed on %(completed_on)s.",
        course=names.course(values.get("course")),
        completed_on=names.day(values.get("completed_on")),
    )


def _training(values, met, names):
    parts = values.get("parts") or ()
    return " ".join(render(part, met, names) for part in parts)


# Witness assessments (renewal)


def _witness(values, met, names):
    needed = values.get("min_satisfactory") or 0
    text = ngettext(
        "%(count)s of %(num)d satisfactory witness assessment in the cycle",
        "%(count)s of %(num)d satisfactory witness assessments in the cycle",
        needed,
        count=values.get("satisfactory") or 0,
    )
    text = _since(text, values, names)
    if values.get("day"):
        text = _("%(what)s (the last on %(day)s)", what=text, day=names.day(values["day"]))
    return _sentence(text)


# Continuing professional development (renewal)


def _cpd_cycle(values, met, names):
    text = _(
        "%(hours)s of %(needed)s verified CPD hours in the cycle since %(day)s.",
        hours=names.number(values.get("hours")),
        needed=names.number(values.get("needed")),
        day=names.day(values.get("cycle_start")),
    )
    if values.get("capped"):
        text += " " + _(
            "%(hours)s more hours are over their category's cap and do not count.",
            hours=names.number(values.get("capped")),
        )
    return text


def _cpd_year(values, met, names):
    return _(
        "%(hours)s of %(needed)s verified CPD hours in the year from %(start)s to %(end)s.",
        hours=names.number(values.get("hours")),
        needed=names.number(values.get("needed")),
        start=names.day(values.get("year_start")),
        end=names.day(values.get("year_end")),
    )


MESSAGES: dict[str, Renderer] = {
    "course.valid": _course_valid,
    "course.revoked": _course_revoked,
    "course.expired": _course_expired,
    "course.missing": _course_missing,
    "scope.none": _scope_none,
    "standard.unknown": _standard_unknown,
    "standard.no_version": _standard_no_version,
    "standard_course.valid": _standard_course_valid,
    "standard_course.missing": _standard_course_missing,
    "qualification.valid": _qualification_valid,
    "qualification.missing": _qualification_missing,
    "audits": _audits,
    "sector.not_covered": _sector_not_covered,
    "sector": _sector,
    "country.none": _country_none,
    "country": _country,
    "area.none": _area_none,
    "area.unknown": _area_unknown,
    "area": _area,
    "conflict.none": _conflict_none,
    "conflict.declared": _conflict_declared,
    "eligibility.no_accreditation": _no_accreditation,
    "eligibility.no_scope": _no_scope,
    "eligibility.no_scope_version": _no_scope_version,
    "eligibility.no_scope_sector": _no_scope_sector,
    "eligibility.no_country": _no_country,
    "eligibility.expired": _expired,
    "eligibility.status": _status,
    "eligibility.not_yet": _not_yet,
    "eligibility.active": _active,
    "eligibility.whole_scheme": _whole_scheme,
    "eligibility.covers_standard": _covers_standard,
    "eligibility.not_standard": _not_standard,
    "eligibility.not_sector": _not_sector,
    "eligibility.sector_lapsed": _sector_lapsed,
    "eligibility.sector_ok": _sector_ok,
    "eligibility.version_current": _version_current,
    "eligibility.version_transition": _version_transition,
    "eligibility.version_outdated": _version_outdated,
    "eligibility.country_ok": _country_ok,
    "eligibility.country_missing": _country_missing,
    "eligibility.role_unknown": _role_unknown,
    "eligibility.no_course": _no_course,
    "eligibility.course_valid": _eligibility_course_valid,
    "eligibility.training": _training,
    "cpd.cycle": _cpd_cycle,
    "cpd.year": _cpd_year,
    "witness": _witness,
}


def examples() -> list[tuple[dict[str, Any], bool]]:
    """Every message and every branch of its renderer, as (message, met): for the
    translation test, which renders each in every language."""
    course = {"course": "asi-auditor", "completed_on": "2024-01-15"}
    window = {"window_years": 3, "window_start": "2023-11-26", "waiting": 2}
    sector = {"standard": "PS", "sector": "casthouse", "min_audits": 1, "min_work_years": 2}
    country = {"country": "NO", "audits": 0, "work_entries": 0}
    found: list[tuple[str, dict[str, Any], bool]] = [
        ("course.valid", course | {"expires_on": "2027-01-15"}, True),
        ("course.valid", course | {"expires_on": None}, True),
        ("course.revoked", course | {"revoked_on": "2025-03-01"}, False),
        ("course.expired", course | {"expires_on": "2025-03-01"}, False),
        ("course.missing", {"course": "asi-auditor"}, False),
        ("scope.none", {}, False),
        ("standard.unknown", {"standard": "XX"}, False),
        ("standard.no_version", {"standard": "PS", "day": "2010-01-01"}, False),
        ("standard_course.valid", course | {"version": "3"}, True),
        (
            "standard_course.valid",
            course | {"version": "2", "last_day": "2023-05-18", "current": "3"},
            True,
        ),
        (
            "standard_course.missing",
            {
                "standard": "PS",
                "current": "3",
                "lapsed": {"id": "course.expired", "values": course | {"expires_on": "2025-01-01"}},
            },
            False,
        ),
        (
            "standard_course.missing",
            {
                "standard": "PS",
                "current": "3",
                "previous": "2",
                "last_day": "2023-05-18",
                "older": {"course": "asi-auditor", "version": "1"},
            },
            False,
        ),
        (
            "qualification.valid",
            {"kind": "management-system-auditor", "obtained": "2020-01-01", "expires": None},
            True,
        ),
        (
            "qualification.valid",
            {
                "kind": "management-system-auditor",
                "obtained": "2020-01-01",
                "expires": "2027-01-01",
            },
            True,
        ),
        ("qualification.missing", {"day": "2026-01-01", "expires": "2025-01-01"}, False),
        (
            "audits",
            window | {"audits": 3, "min_audits": 4, "days": 12.5, "min_days": 20},
            False,
        ),
        (
            "audits",
            window | {"audits": 1, "min_audits": 1, "days": 1, "min_days": 1, "as_role": "lead"},
            False,
        ),
        ("audits", window | {"audits": 5, "min_audits": 4, "days": 25, "min_days": 20}, True),
        ("sector", sector | {"audits": 2, "work_days": 0}, True),
        ("sector", sector | {"audits": 0, "work_days": 800, "min_work_days": 730}, True),
        ("country", country | {"min_entries": 1, "audits": 2, "work_entries": 1}, True),
        ("sector.not_covered", {**sector, "covers": ["casthouse", "alumina-refining"]}, False),
        ("sector", sector | {"min_audits": 0, "min_work_years": 0}, True),
        ("sector", sector | {"audits": 0, "work_days": 100, "min_work_days": 730}, False),
        ("sector", sector | window | {"min_audits": 1, "min_work_years": 1}, False),
        ("country.none", {}, False),
        ("country", country | {"min_entries": 0}, True),
        ("country", country | {"min_entries": 1, "waiting": 1}, False),
        ("country", country | {"min_entries": 3}, False),
        ("area.none", {}, False),
        ("area.unknown", {"area": "xx"}, False),
        ("area", {"area": "human-rights", "evidence": 0}, False),
        ("area", {"area": "human-rights", "evidence": 1}, True),
        ("area", {"area": "human-rights", "evidence": 2}, True),
        ("conflict.none", {"entity": "ACME Smelter", "window_start": "2023-11-26"}, True),
        ("conflict.none", {"entity": "ACME Smelter"}, True),
        ("conflict.declared", {"entity": "ACME Smelter", "window_start": "2023-11-26"}, False),
        *_eligibility_examples(course),
        (
            "cpd.cycle",
            {"hours": 42.5, "needed": 60, "capped": 0, "cycle_start": "2023-11-26"},
            False,
        ),
        (
            "cpd.cycle",
            {"hours": 60, "needed": 60, "capped": 12.5, "cycle_start": "2023-11-26"},
            True,
        ),
        (
            "cpd.year",
            {
                "hours": 10,
                "needed": 15,
                "year": 2,
                "year_start": "2024-11-26",
                "year_end": "2025-11-25",
            },
            False,
        ),
        (
            "witness",
            {
                "satisfactory": 1,
                "min_satisfactory": 1,
                "day": "2025-04-02",
                "window_start": "2023-11-26",
            },
            True,
        ),
        (
            "witness",
            {"satisfactory": 0, "min_satisfactory": 1, "window_start": "2023-11-26"},
            False,
        ),
        ("witness", {"satisfactory": 1, "min_satisfactory": 2}, False),
    ]
    return [({"id": id, "values": values}, met) for id, values, met in found]


def _eligibility_examples(course: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    held = {
        "held": "lead_auditor",
        "role": "auditor",
        "valid_from": "2024-01-01",
        "valid_until": "2027-01-01",
        "day": "2026-06-01",
    }
    scope = {"standard": "PS", "sector": "casthouse"}
    version = scope | {
        "version": "2",
        "current": "3",
        "day": "2023-01-01",
        "last_day": "2023-05-18",
    }
    return [
        ("eligibility.no_accreditation", {"role": "auditor"}, False),
        ("eligibility.no_scope", scope, False),
        ("eligibility.no_scope_version", scope, False),
        ("eligibility.no_scope_sector", scope, False),
        ("eligibility.no_country", {"country": "NO"}, False),
        ("eligibility.expired", held | {"since": "2027-01-02"}, False),
        ("eligibility.expired", held, False),
        ("eligibility.status", held | {"status": "suspended", "since": "2026-02-01"}, False),
        ("eligibility.status", held | {"status": "suspended"}, False),
        ("eligibility.status", held | {"status": "withdrawn", "since": "2026-02-01"}, False),
        ("eligibility.status", held | {"status": "withdrawn"}, False),
        ("eligibility.not_yet", held | {"role": "lead_auditor"}, False),
        ("eligibility.active", held, True),
        ("eligibility.whole_scheme", {"role": "specialist"}, True),
        ("eligibility.covers_standard", scope, True),
        ("eligibility.not_standard", scope | {"covers": ["COC"]}, False),
        ("eligibility.not_standard", scope | {"covers": []}, False),
        ("eligibility.not_sector", scope | {"covers": ["alumina-refining"]}, False),
        ("eligibility.not_sector", scope | {"covers": []}, False),
        ("eligibility.sector_lapsed", scope | {"day": "2023-05-19"}, False),
        ("eligibility.sector_ok", scope, True),
        ("eligibility.version_current", version | {"version": "3"}, True),
        ("eligibility.version_transition", version, True),
        ("eligibility.version_outdated", version | {"version": "1"}, False),
        ("eligibility.country_ok", {"country": "NO"}, True),
        ("eligibility.country_missing", {"country": "NO", "covers": ["DE", "FR"]}, False),
        ("eligibility.country_missing", {"country": "NO", "covers": []}, False),
        ("eligibility.role_unknown", {"role": "xx"}, False),
        ("eligibility.no_course", {"role": "specialist"}, True),
        ("eligibility.course_valid", course | {"expires_on": "2027-01-15"}, True),
        ("eligibility.course_valid", course | {"expires_on": None}, True),
        (
            "eligibility.training",
            {
                "parts": [
                    {"id": "eligibility.course_valid", "values": course},
                    {"id": "course.missing", "values": {"course": "ps-v3-auditors"}},
                ]
            },
            False,
        ),
    ]
