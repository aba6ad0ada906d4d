"""A person's registry entry as it was at the end of a past day (UTC): "was this auditor
accredited on the audit day?" (``GET /registry/<id>?on=`` and ``GET /api/v1/registry/<id>
?as_of=``).

Only what the registry published then is shown, read back from what it keeps:

- the status from the status history (``StatusChange``: every suspension, reinstatement,
  withdrawal, expiry and the creation); a change counts from the day it was made, as
  everywhere in the registry (``facts.status_on``);
- the validity dates from the grant and renewal events of the audit trail
  (``accreditation.granted`` / ``accreditation.renewed`` carry the dates and scopes they
  published). A renewal moves ``valid_from`` and ``valid_until``, so the row alone only
  knows the current period;
- the scopes from that period's event, with the lapses (``AccreditationScope.lapsed_at``)
  that had happened by the day;
- languages verified by that day, firms the person worked with on that day.

Limits (said on the page, and in the API's description): an accreditation created by a
registry import, or before the audit trail recorded the dates, has no recorded earlier
periods: its dates on a day before its last renewal are "not recorded" (None) and its
scopes are today's, with their lapses; a scope's own history before a renewal that
re-activated it is not kept. The status is always read from the history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy import select

from educational.accreditation.models import RegistryProfile
from educational.accreditation.rules.status import ACTIVE, shown_status
from educational.core.audit import AuditEvent
from educational.core.db import db, today
from educational.core.records import next_midnight, utc_day
from educational.experience.models import EntryStatus, LanguageSkill

from .entries import AccreditationEntry, Entry, ScopeEntry, load_entries
from .facts import ChangeFacts, ScopeFacts, status_from_history
from .fields import Param, parse_date

#: The status of an accreditation on a day before it was first held.
NOT_ACCREDITED = "not_accredited"
#: The audit events that publish a validity period.
PERIOD_ACTIONS = ("accreditation.granted", "accreditation.renewed")


#: One row of the status history, as the eligibility engine reads it.
Change = ChangeFacts


class Period(NamedTuple):
    """A validity period as a grant or a renewal published it."""

    #: The (UTC) day it was published: in effect from then until the next one.
    since: date
    valid_from: date
    valid_until: date
    #: (standard, sector, version) granted; None when the event did not say.
    scopes: tuple[tuple[str, str, str], ...] | None = None
    countries: tuple[str, ...] | None = None


class Validity(NamedTuple):
    """The validity in effect on a day; the dates are None when they are not recorded."""

    valid_from: date | None
    valid_until: date | None
    period: Period | None = None


# The rules (pure)


def status_on(
    changes: Sequence[Change],
    valid_from: date | None,
    valid_until: date | None,
    day: date,
    *,
    current: str | None = None,
) -> str:
    """The status an accreditation showed at the end of ``day``.

    ``changes``: its status history, oldest first. ``valid_from``/``valid_until``: the
    validity in effect on ``day`` (``validity_on``), None where not recorded.
    ``current``: its status now (default: the last change's). ``NOT_ACCREDITED`` before the
    first day it was held (its creation, or the first valid day if that came earlier, as
    for an imported record); an active one past its last valid day shows as expired, as
    the registry shows it (``shown_status``)."""
    created = next((c.occurred_on for c in changes if c.from_status is None), None)
    starts = [d for d in (created, valid_from) if d is not None]
    if starts and day < min(starts):
        return NOT_ACCREDITED
    # The engine's rule: the status now (``current``, else the last change's), unless a
    # change after ``day`` moved away from another. A record imported after ``day`` shows
    # the status it was created with.
    now = current or (changes[-1].to_status if changes else ACTIVE)
    status = status_from_history(changes, now, day)
    if valid_until is not None:
        status = shown_status(status, valid_until, day)
    return status


def validity_on(
    periods: Sequence[Period], valid_from: date, valid_until: date, day: date
) -> Validity:
    """The validity in effect on ``day``: the last period published by then (the current
    row's dates for the last one, which a correction may have changed since), the first
    one before any. With no periods recorded, the current dates, when the period had
    started by ``day``; otherwise not recorded."""
    if not periods:
        if valid_from <= day:
            return Validity(valid_from, valid_until)
        return Validity(None, None)
    published = [p for p in periods if p.since <= day]
    period = published[-1] if published else periods[0]
    if period is periods[-1]:
        return Validity(valid_from, valid_until, period)
    return Validity(period.valid_from, period.valid_until, period)


def scopes_on(current: Sequence[ScopeEntry], period: Period | None, day: date) -> list[ScopeEntry]:
    """The scopes on ``day``: those the period in effect granted (today's when it is not
    recorded), each lapsed if it had lapsed by the end of that day, by the engine's rule
    (``ScopeFacts.lapsed_by``: a lapse without a date counts on every day); a lapse dated
    before the period began belongs to an earlier period."""
    lapsed = {
        (s.standard, s.sector): ScopeFacts(s.standard, s.version, s.sector, s.status, s.lapsed_on)
        for s in current
        if s.status != ACTIVE
    }
    if period is not None and period.scopes is not None:
        granted = list(period.scopes)
    else:
        granted = [(s.standard, s.sector, s.version) for s in current]
    shown = []
    for standard, sector, version in granted:
        scope = lapsed.get((standard, sector))
        if (
            scope is not None
            and scope.lapsed_by(day)
            and (period is None or scope.lapsed_on is None or scope.lapsed_on >= period.since)
        ):
            shown.append(ScopeEntry(standard, version, sector, "lapsed", scope.lapsed_on))
        else:
            shown.append(ScopeEntry(standard, version, sector, ACTIVE))
    return shown


def period_from_event(occurred_on: date, data: dict[str, Any]) -> Period | None:
    """The period an audit event's payload published; None when it does not say (erased)."""
    try:
        valid_from = date.fromisoformat(data["valid_from"])
        valid_until = date.fromisoformat(data["valid_until"])
    except (KeyError, TypeError, ValueError):
        return None
    scopes = data.get("scopes")
    granted = None
    if isinstance(scopes, list):
        granted = tuple(
            (s["standard"], s["sector"], s["version"])
            for s in scopes
            if isinstance(s, dict) and s.get("status", "active") == "active"
        )
    countries = data.get("countries")
    return Period(
        occurred_on,
        valid_from,
        valid_until,
        granted,
        tuple(countries) if isinstance(countries, list) else None,
    )


# The day asked for


class PastDay(Param):
    """A day up to today (UTC), as YYYY-MM-DD; missing: today. A future day is refused:
    the registry does not know the status of a day to come."""

    def parse(self, text: str) -> date:
        day = parse_date(text)
        now = today()
        if day > now:
            raise ValidationError(
                _(
                    "%(day)s is in the future. The registry can show a status up to today "
                    "(%(today)s, UTC); give a past day or today.",
                    day=day.isoformat(),
                    today=now.isoformat(),
                )
            )
        return day


class AsOf(Schema):
    """The API's ``as_of``."""

    as_of = PastDay(
        metadata={
            "format": "date",
            "description": "Show the entry as it was at the end of this day (UTC), from the "
            "status history; default: today. A future day is refused (400). On a day before "
            "the person's first accreditation, accreditations is empty. Dates of a period "
            "that was not recorded (imported records, before their last renewal) are null.",
        }
    )


class OnDay(Schema):
    """The page's ``on``."""

    on = PastDay()


# From the database


def entry_on(registry_id: str, day: date) -> Entry | None:
    """The entry of the consenting person ``registry_id`` as it was at the end of ``day``;
    None for anyone who is not in the public registry now. Its accreditations are those
    held by then (with ``history`` up to that day)."""
    profile_id = db.session.scalar(
        select(RegistryProfile.id).where(
            RegistryProfile.registry_id == registry_id, RegistryProfile.public.is_(True)
        )
    )
    if profile_id is None:
        return None
    # Firms current on the day; statuses recomputed below.
    (entry,) = load_entries([profile_id], day, with_history=True)
    periods = _periods([a.id for a in entry.accreditations])
    held = []
    for accreditation in entry.accreditations:
        shown = accreditation_on(accreditation, periods.get(accreditation.id, []), day)
        if shown is not None:
            held.append(shown)
    entry.accreditations = held
    entry.languages = _languages_on(entry.user_id, day)
    return entry


def accreditation_on(
    accreditation: AccreditationEntry, periods: Sequence[Period], day: date
) -> AccreditationEntry | None:
    """``accreditation`` (as loaded with its full history) as it showed on ``day``; None
    before it was held."""
    changes = [Change(h.from_status, h.to_status, h.on) for h in accreditation.history]
    validity = validity_on(periods, accreditation.valid_from, accreditation.valid_until, day)
    status = status_on(changes, validity.valid_from, validity.valid_until, day)
    if status == NOT_ACCREDITED:
        return None
    period = validity.period
    countries = accreditation.countries
    if period is not None and period.countries is not None:
        countries = sorted(c.upper() for c in period.countries)
    return replace(
        accreditation,
        status=status,
        valid_from=validity.valid_from,
        valid_until=validity.valid_until,
        countries=countries,
        scopes=scopes_on(accreditation.scopes, period, day),
        history=[h for h in accreditation.history if h.on <= day],
    )


def _periods(accreditation_ids: Sequence[int]) -> dict[int, list[Period]]:
    """The periods the audit trail published for each accreditation, oldest first."""
    if not accreditation_ids:
        return {}
    rows = db.session.execute(
        select(AuditEvent.subject_id, AuditEvent.occurred_at, AuditEvent.payload)
        .where(
            AuditEvent.action.in_(PERIOD_ACTIONS),
            AuditEvent.subject_type == "accreditations",
            AuditEvent.subject_id.in_([str(i) for i in accreditation_ids]),
            AuditEvent.erased_at.is_(None),
        )
        .order_by(AuditEvent.id)
    )
    found: dict[int, list[Period]] = {}
    for subject_id, occurred_at, payload in rows:
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        period = period_from_event(utc_day(occurred_at), data) if isinstance(data, dict) else None
        if period is not None:
            found.setdefault(int(subject_id), []).append(period)
    return found


def _languages_on(user_id: int, day: date) -> list[str]:
    """The languages verified by the end of ``day`` and not withdrawn by then."""
    end = next_midnight(day)
    rows = db.session.execute(
        select(LanguageSkill.language, LanguageSkill.withdrawn_at).where(
            LanguageSkill.user_id == user_id,
            LanguageSkill.status == EntryStatus.VERIFIED,
            LanguageSkill.verified_at < end,
        )
    )
    return sorted({lang for lang, withdrawn in rows if withdrawn is None or withdrawn >= end})
