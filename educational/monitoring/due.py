"""Witnesses due: each active auditor's next witness date (``schedule.next_witness_date``)
from the facts in the database, the staff's list, and its count on the staff page."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from educational.accreditation.models import Accreditation, AccreditationStatus
from educational.accreditation.queries import accreditations_of
from educational.catalog.content import Scheme
from educational.catalog.scheme import current_scheme
from educational.complaints import facts
from educational.core.db import today
from educational.core.records import AssessmentRecord
from educational.core.waiting import Waiting

from . import services
from .schedule import WitnessDue, next_witness_date

#: The staff page counts the witnesses overdue and due within this many days.
SOON_DAYS = 30


@dataclass(frozen=True)
class WitnessFacts:
    """What the next witness dates are computed from, read for many auditors at once:
    three queries, whatever their number."""

    assessments: dict[int, tuple[AssessmentRecord, ...]]
    upheld_complaints: dict[int, list[date]]
    #: By accreditation id.
    new_sectors: dict[int, list[tuple[date, str]]]

    @classmethod
    def load(
        cls, accreditations: Collection[Accreditation], user_ids: Collection[int] | None
    ) -> "WitnessFacts":
        """The facts of ``accreditations``, held by ``user_ids`` (None: read everyone's)."""
        return cls(
            services.assessment_records_by_user(user_ids),
            facts.upheld_complaint_days_by_user(user_ids),
            services.new_sectors_by_accreditation(accreditations, user_ids),
        )

    def witness_due(self, scheme: Scheme, accreditation: Accreditation) -> WitnessDue | None:
        """When the holder must next be witnessed in this role, and why; None for a role
        that is not witnessed."""
        every = scheme.witness_every_months(accreditation.role)
        if not every:
            return None
        user_id = accreditation.profile.user_id
        return next_witness_date(
            cycle_start=accreditation.valid_from,
            every_months=every,
            rules=scheme.cycle,
            assessments=self.assessments.get(user_id, ()),
            upheld_complaints=self.upheld_complaints.get(user_id, ()),
            new_sectors=self.new_sectors.get(accreditation.id, ()),
        )


def witness_dues(user_id: int) -> list[tuple[Accreditation, WitnessDue]]:
    """(accreditation, next witness) for each of the person's active witnessed roles."""
    scheme = current_scheme()
    if scheme is None:
        return []
    active = [
        accreditation
        for accreditation in accreditations_of(user_id)
        if accreditation.shown_status(today()) == AccreditationStatus.ACTIVE
    ]
    if not active:
        return []
    known = WitnessFacts.load(active, [user_id])
    found = []
    for accreditation in active:
        witness = known.witness_due(scheme, accreditation)
        if witness is not None:
            found.append((accreditation, witness))
    return found


@dataclass(frozen=True)
class DueRow:
    """One line of the staff's list: an active auditor and their next witness."""

    accreditation: Accreditation
    due: WitnessDue
    overdue: bool
    #: Days until the due date (negative: overdue by that many).
    days_left: int


def due_rows(scheme: Scheme | None, within_days: int | None = None) -> list[DueRow]:
    """Every active accreditation of a witnessed role with its next witness, soonest first;
    with ``within_days``, only those due by then (the overdue included)."""
    if scheme is None:
        return []
    day = today()
    active = services.active_accreditations()
    known = WitnessFacts.load(active, None)
    rows = []
    for accreditation in active:
        due = known.witness_due(scheme, accreditation)
        if due is None:
            continue
        if within_days is not None and due.due > day + timedelta(days=within_days):
            continue
        rows.append(DueRow(accreditation, due, due.overdue(day), (due.due - day).days))
    rows.sort(key=lambda row: (row.due.due, row.accreditation.id))
    return rows


def witnesses_waiting() -> Waiting:
    """For the staff page: witnesses overdue or due within ``SOON_DAYS``, and since when the
    most overdue one has been due."""
    rows = due_rows(current_scheme(), SOON_DAYS)
    overdue = [row.due.due for row in rows if row.overdue]
    return Waiting(len(rows), _midnight(min(overdue)) if overdue else None)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)
