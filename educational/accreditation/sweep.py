"""The daily sweep (``flask accreditation sweep``, from cron): expiries, standard-transition
lapses and expiry reminders, as of a date. Idempotent: a second run on the same date, or
an earlier one, changes nothing and sends nothing.

1. Expiry: an active or suspended accreditation whose ``valid_until`` is before the date
   becomes expired. The status change is dated at the start of the day after its last valid
   day (or now, if that is later than now), so a sweep that skipped days still dates it right.
2. Scopes: a scope trained for an older version of its standard is brought up to the current
   version when the holder holds a valid course for it; otherwise, once the transition period
   has ended (the older version is no longer usable), the scope lapses. A lapsed scope comes
   back only through an approved renewal.
3. Reminders, at the scheme's ``reminder_days`` (90, 30, 7) before ``valid_until``, once per
   threshold and validity period (``ReminderSent``). When the sweep skipped days and several
   thresholds were crossed since the last run, only one reminder goes out: the one for the
   smallest threshold crossed, which matches the days actually left ("expires in 20 days",
   not a stale 90-day notice followed by a 30-day one the next day). Thresholds skipped that
   way are never sent later; a reminder already sent for a smaller threshold (a sweep run
   with a later ``--date`` before) stops any larger one.
4. CPD: when a cycle year of an active accreditation has ended short of the CPD hours its
   role needs per year, one reminder to the holder (``cpd.remind_short_years``; never twice
   per accreditation and year, ``CpdReminderSent``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from educational.catalog.content import Scheme
from educational.certificates.reminders import send_expiry_reminders
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.records import CourseRecord

from .checklist import courses_of
from .cpd import remind_short_years
from .models import (
    Accreditation,
    AccreditationScope,
    AccreditationStatus,
    RegistryProfile,
    ReminderSent,
    ScopeStatus,
)
from .rules.training import standard_course_on
from .rules.versions import versions_on
from .services import mail_holder, role_label

LIVE = (AccreditationStatus.ACTIVE, AccreditationStatus.SUSPENDED)


@dataclass
class SweepReport:
    on: date
    expired: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    lapsed: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    cpd_reminders: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"sweep as of {self.on.isoformat()}"]
        for title, items in (
            ("expired", self.expired),
            ("scope brought to the current version", self.updated),
            ("scope lapsed", self.lapsed),
            ("reminder queued", self.reminders),
            ("CPD reminder queued", self.cpd_reminders),
        ):
            out.extend(f"  {title}: {item}" for item in items)
        out.append(
            f"done: {len(self.expired)} expired, {len(self.updated)} scopes updated, "
            f"{len(self.lapsed)} scopes lapsed, {len(self.reminders)} reminders queued, "
            f"{len(self.cpd_reminders)} CPD reminders queued"
        )
        return out


def run_sweep(scheme: Scheme, on: date, *, now: datetime | None = None) -> SweepReport:
    """Everything due on ``on``; flushes, the caller commits."""
    now = now or utcnow()
    report = SweepReport(on)
    _expire(scheme, on, now, report)
    _scopes(scheme, on, now, report)
    _remind(scheme, on, now, report)
    # Training certificates: expiry reminders with a retake link (educational.certificates).
    report.reminders.extend(send_expiry_reminders(on, now=now))
    report.cpd_reminders.extend(remind_short_years(scheme, on, now))
    db.session.flush()
    return report


def _label(accreditation: Accreditation) -> str:
    return f"{accreditation.profile.registry_id} {accreditation.role}"


def _expire(scheme: Scheme, on: date, now: datetime, report: SweepReport) -> None:
    due = db.session.scalars(
        select(Accreditation)
        .where(Accreditation.status.in_(LIVE), Accreditation.valid_until < on)
        .options(selectinload(Accreditation.profile).selectinload(RegistryProfile.user))
        .order_by(Accreditation.id)
        # A second sweep running at the same moment waits, then finds them expired already.
        .with_for_update(of=Accreditation)
    ).all()
    for accreditation in due:
        first_day_after = datetime.combine(
            accreditation.valid_until + timedelta(days=1), time(), UTC
        )
        previous = accreditation.status
        accreditation.expire(on=min(now, first_day_after))
        record_event(
            "accreditation.expired",
            accreditation,
            registry_id=accreditation.profile.registry_id,
            role=accreditation.role,
            from_status=previous,
            valid_until=accreditation.valid_until.isoformat(),
            swept_as_of=on.isoformat(),
        )
        mail_holder(
            accreditation,
            _l("Your accreditation has expired"),
            "accreditation_expired",
            role=role_label(accreditation.role, scheme),
        )
        report.expired.append(f"{_label(accreditation)} (valid until {accreditation.valid_until})")


def _scopes(scheme: Scheme, on: date, now: datetime, report: SweepReport) -> None:
    scopes = db.session.scalars(
        select(AccreditationScope)
        .join(Accreditation)
        .where(AccreditationScope.status == ScopeStatus.ACTIVE, Accreditation.status.in_(LIVE))
        .order_by(AccreditationScope.id)
        .with_for_update(of=AccreditationScope)
    ).all()
    courses: dict[int, tuple[CourseRecord, ...]] = {}
    lapsed: dict[Accreditation, list[AccreditationScope]] = defaultdict(list)
    for scope in scopes:
        standard = scheme.standards.get(scope.standard)
        usable = versions_on(standard, on).usable if standard else ()
        if not usable or scope.version == usable[0]:
            continue
        accreditation = scope.accreditation
        user_id = accreditation.profile.user_id
        if user_id not in courses:
            courses[user_id] = courses_of(user_id)
        where = f"{_label(accreditation)} {scope.standard}/{scope.sector}"
        best = standard_course_on(standard, courses[user_id], on)
        if best is not None and best.version == usable[0]:
            old, scope.version = scope.version, usable[0]
            _record_scope("scope_updated", scope, from_version=old, to_version=scope.version)
            report.updated.append(f"{where} version {old} -> {scope.version}")
        elif scope.version not in usable:
            scope.status, scope.lapsed_at = ScopeStatus.LAPSED, now
            _record_scope(
                "scope_lapsed",
                scope,
                version=scope.version,
                current_version=usable[0],
                swept_as_of=on.isoformat(),
            )
            lapsed[accreditation].append(scope)
            report.lapsed.append(f"{where} (version {scope.version}; current {usable[0]})")
    for accreditation, items in lapsed.items():
        mail_holder(
            accreditation,
            _l("A scope of your accreditation has lapsed"),
            "accreditation_scope_lapsed",
            scopes=items,
            scheme=scheme,
        )


def _record_scope(action: str, scope: AccreditationScope, **payload) -> None:
    """Audit ``accreditation.<action>`` about ``scope``, on its accreditation."""
    accreditation = scope.accreditation
    record_event(
        f"accreditation.{action}",
        accreditation,
        registry_id=accreditation.profile.registry_id,
        standard=scope.standard,
        sector=scope.sector,
        **payload,
    )


def _remind(scheme: Scheme, on: date, now: datetime, report: SweepReport) -> None:
    thresholds = sorted({days for days in scheme.reminder_days if days >= 0})
    if not thresholds:
        return
    due = db.session.scalars(
        select(Accreditation)
        .where(
            Accreditation.shows(AccreditationStatus.ACTIVE, on),
            Accreditation.valid_until <= on + timedelta(days=thresholds[-1]),
        )
        .order_by(Accreditation.id)
    ).all()
    for accreditation in due:
        days_left = (accreditation.valid_until - on).days
        threshold = min(days for days in thresholds if days >= days_left)
        already = db.session.scalar(
            select(ReminderSent.id).where(
                ReminderSent.accreditation_id == accreditation.id,
                ReminderSent.valid_until == accreditation.valid_until,
                ReminderSent.days_before <= threshold,
            )
        )
        if already is not None:
            continue
        db.session.add(
            ReminderSent(
                accreditation_id=accreditation.id,
                valid_until=accreditation.valid_until,
                days_before=threshold,
                sent_at=now,
            )
        )
        mail_holder(
            accreditation,
            (
                lazy_ngettext(
                    "Your accreditation expires in %(num)d day",
                    "Your accreditation expires in %(num)d days",
                    days_left,
                )
                if days_left
                else _l("Your accreditation expires today")
            ),
            "accreditation_reminder",
            role=role_label(accreditation.role, scheme),
            days_left=days_left,
        )
        report.reminders.append(
            f"{_label(accreditation)} {threshold}-day reminder "
            f"(valid until {accreditation.valid_until}, {days_left} days left)"
        )
