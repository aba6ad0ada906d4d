"""CPD for holders: their progress over the current cycle (the dashboard panel) and the
reminder when a cycle year ends short (the daily sweep). Both read the one CPD rule,
``rules.cpd.cpd_progress``, with the same year boundaries as the renewal check.

The holder's current cycle starts on the accreditation's ``valid_from`` (the day it was
granted or last renewed) and its years run from that day's anniversaries. At renewal the
engine reads the cycle that ends on the evaluation day (``valid_from`` again when the renewal
is decided on the anniversary); the years are cut the same way.

Reminder: once the daily sweep runs after a cycle year's last day, and that year (the most
recent one to have ended; older ones are not brought up again) has fewer verified hours
than the role needs per year, the holder gets one e-mail in their language, never twice for
the same accreditation and year (``CpdReminderSent``). Only active accreditations whose
role needs CPD hours per year are read.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from educational.catalog.content import Scheme
from educational.catalog.scheme import current_scheme
from educational.core.db import db, today
from educational.core.panels import Shown
from educational.core.records import CpdRecord
from educational.experience.services import cpd_of

from .models import Accreditation, AccreditationStatus, CpdReminderSent, RegistryProfile
from .queries import accreditations_of
from .rules.cpd import CpdProgress, cpd_progress
from .services import link, mail_holder, role_label


def cpd_requirement(scheme: Scheme, role: str) -> dict[str, Any] | None:
    """The CPD hours a holder of ``role`` needs (``hours_per_cycle``, ``hours_per_year``), from
    its renewal requirements (an included role's too; with several, the most of each); None
    when the role needs no CPD."""
    if role not in scheme.roles:
        return None
    found = [r.params for r in scheme.role_requirements(role, renewal=True) if r.kind == "cpd"]
    if not found:
        return None
    return {
        "hours_per_cycle": max(p.get("hours_per_cycle") or 0 for p in found),
        "hours_per_year": max(p.get("hours_per_year") or 0 for p in found),
    }


def holder_progress(
    scheme: Scheme,
    accreditation: Accreditation,
    params: Mapping[str, Any],
    records: tuple[CpdRecord, ...],
    on: date,
) -> CpdProgress:
    """``records`` counted over the accreditation's current cycle, up to ``on``."""
    return cpd_progress(records, params, scheme, accreditation.valid_from, on)


@dataclass(frozen=True)
class HolderCpd:
    """One accreditation's CPD, for the dashboard."""

    accreditation: Accreditation
    role: str
    progress: CpdProgress
    #: Hours submitted and waiting for verification, in the cycle.
    waiting: float


def cpd_panel(*, user) -> Shown | None:
    """The dashboard box "CPD this cycle": for each live accreditation whose role needs CPD,
    hours verified and needed this cycle and this year, per category with its cap, hours
    waiting for verification, and the link to log an activity."""
    scheme = current_scheme()
    if scheme is None:
        return None
    live = (AccreditationStatus.ACTIVE, AccreditationStatus.SUSPENDED)
    held = [
        (a, params)
        for a in accreditations_of(user.id)
        if a.status in live and (params := cpd_requirement(scheme, a.role))
    ]
    if not held:
        return None
    verified, waiting = cpd_of(user.id)
    on = today()
    rows = []
    for accreditation, params in held:
        progress = holder_progress(scheme, accreditation, params, verified, on)
        pending = sum(item.hours for item in waiting if accreditation.valid_from <= item.day <= on)
        rows.append(
            HolderCpd(accreditation, role_label(accreditation.role, scheme), progress, pending)
        )
    return Shown("accreditation/_cpd.html", {"rows": rows, "scheme": scheme})


def remind_short_years(scheme: Scheme, on: date, now: datetime) -> list[str]:
    """Queue the CPD reminders due on ``on`` (see the module's docstring); a line per
    reminder, for the sweep's report."""
    due = db.session.scalars(
        select(Accreditation)
        .where(Accreditation.shows(AccreditationStatus.ACTIVE, on))
        .options(selectinload(Accreditation.profile).selectinload(RegistryProfile.user))
        .order_by(Accreditation.id)
    ).all()
    # The reminders already sent to these holders, in one query.
    reminded = {
        (accreditation_id, year_end)
        for accreditation_id, year_end in db.session.execute(
            select(CpdReminderSent.accreditation_id, CpdReminderSent.year_end)
            .join(Accreditation, Accreditation.id == CpdReminderSent.accreditation_id)
            .where(Accreditation.shows(AccreditationStatus.ACTIVE, on))
        )
    }
    lines = []
    for accreditation in due:
        params = cpd_requirement(scheme, accreditation.role)
        if not params or not params["hours_per_year"]:
            continue
        records, _waiting = cpd_of(accreditation.profile.user_id)
        progress = holder_progress(scheme, accreditation, params, records, on)
        ended = [year for year in progress.years if year.end < on]
        if not ended or ended[-1].met:
            continue
        year = ended[-1]
        if (accreditation.id, year.end) in reminded:
            continue
        db.session.add(
            CpdReminderSent(
                accreditation_id=accreditation.id,
                year_end=year.end,
                hours=year.hours,
                needed=year.needed,
                sent_at=now,
            )
        )
        mail_holder(
            accreditation,
            _l("Your CPD hours fell short last year"),
            "cpd_year_short",
            role=role_label(accreditation.role, scheme),
            year=year,
            progress=progress,
            log_url=link("experience.create", kind="cpd"),
        )
        lines.append(
            f"{accreditation.profile.registry_id} {accreditation.role} CPD year "
            f"{year.start}..{year.end}: {year.hours:g} of {year.needed:g} hours"
        )
    return lines
