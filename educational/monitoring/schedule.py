"""When an auditor must next be witnessed at work, and why: a pure function (no Flask, no
database), table-tested in tests/monitoring/test_schedule.py.

The base interval is the role's ``witness_every_months`` (scheme.yml), counted from the last
counted witness assessment or, before the first, from the cycle start (the accreditation's
``valid_from``). The scheme's risk factors (``Scheme.cycle``) each set an earlier deadline:

- an upheld complaint about the person: its day + ``upheld_complaint_months``;
- major or minor concerns in the last witness assessment or the last report review: its day +
  ``major_concerns_months`` or ``minor_concerns_months``;
- a sector added to the scope: the day it was added + ``new_sector_months``.

The next witness is due on the earliest of these deadlines. A factor dated before the last
witness is already answered by it and is ignored; one on the day of the last witness counts
(the witness's own concerns, a complaint upheld that day). Overturned assessments
(``AssessmentRecord.counts`` False) count for nothing. Month arithmetic clamps to the
month's end (31 Aug + 6 months = 28 or 29 Feb).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from educational.accreditation.rules.periods import add_months
from educational.catalog.content.model import CycleRules
from educational.core.records import AssessmentRecord

#: Why a witness is due, most pressing first: the order breaks ties between equal dates.
FACTORS = (
    "upheld_complaint",
    "major_concerns",
    "minor_concerns",
    "new_sector",
    "interval",
    "cycle",
)


@dataclass(frozen=True)
class Deadline:
    """One factor and the date by which it wants the next witness."""

    #: One of ``FACTORS``: "interval" counts from the last witness, "cycle" from the cycle
    #: start (no witness yet).
    factor: str
    #: The day the factor arose (the complaint upheld, the assessment, the sector added,
    #: the last witness or the cycle start).
    since: date
    due: date
    #: The sector for "new_sector", the assessment's kind for concerns; "" otherwise.
    detail: str = ""


@dataclass(frozen=True)
class WitnessDue:
    """The next witness date, the factor that sets it, and every deadline considered."""

    due: date
    reason: Deadline
    #: The day of the last counted witness assessment; None: not witnessed yet.
    last_witness: date | None
    deadlines: tuple[Deadline, ...]

    def overdue(self, today: date) -> bool:
        return self.due < today

    def as_json(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "factor": self.reason.factor,
            "since": self.reason.since.isoformat(),
            "detail": self.reason.detail,
            "last_witness": self.last_witness.isoformat() if self.last_witness else None,
        }


def _latest(assessments: list[AssessmentRecord], kind: str) -> AssessmentRecord | None:
    found = [a for a in assessments if a.kind == kind]
    return max(found, key=lambda a: (a.day, a.assessment_id)) if found else None


def next_witness_date(
    *,
    cycle_start: date,
    every_months: int,
    rules: CycleRules,
    assessments: Iterable[AssessmentRecord] = (),
    upheld_complaints: Iterable[date] = (),
    new_sectors: Iterable[tuple[date, str]] = (),
) -> WitnessDue:
    """The next witness date of one auditor (see the module docstring).

    ``assessments``: their witness assessments and report reviews, in any order;
    ``upheld_complaints``: the days complaints about them were upheld; ``new_sectors``:
    (day added, sector code) for each sector added to their scope after the first grant."""
    if every_months <= 0:
        raise ValueError("every_months must be a positive number of months")
    counted = [a for a in assessments if a.counts]
    last = _latest(counted, "witness")
    last_day = last.day if last is not None else None
    if last_day is not None:
        deadlines = [Deadline("interval", last_day, add_months(last_day, every_months))]
    else:
        deadlines = [Deadline("cycle", cycle_start, add_months(cycle_start, every_months))]
    floor = last_day or date.min

    for day in upheld_complaints:
        if day >= floor:
            deadlines.append(
                Deadline("upheld_complaint", day, add_months(day, rules.upheld_complaint_months))
            )
    for kind in ("witness", "report_review"):
        latest = _latest(counted, kind)
        if latest is None or latest.day < floor:
            continue
        if latest.result == "major_concerns":
            months = rules.major_concerns_months
        elif latest.result == "minor_concerns":
            months = rules.minor_concerns_months
        else:
            continue
        deadlines.append(Deadline(latest.result, latest.day, add_months(latest.day, months), kind))
    for day, sector in new_sectors:
        if day >= floor:
            deadlines.append(
                Deadline("new_sector", day, add_months(day, rules.new_sector_months), sector)
            )

    ordered = tuple(sorted(deadlines, key=lambda d: (d.due, FACTORS.index(d.factor), d.since)))
    return WitnessDue(
        due=ordered[0].due, reason=ordered[0], last_witness=last_day, deadlines=ordered
    )
