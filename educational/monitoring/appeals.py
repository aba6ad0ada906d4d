"""Appeals against an assessment: the appeal kind "witness_assessment" (see the appeals
interface, ``educational.appeals.kinds``), and what the person's page offers.

A witness assessment or report review with a result other than satisfactory may be
appealed by the person assessed, within the scheme's window (``cycle.appeal_window_days``)
from its recording. An overturn makes it count for nothing (``Assessment.overturned_at``):
it no longer brings the next witness forward, nor counts at renewal."""

from dataclasses import dataclass
from datetime import datetime

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from educational.appeals import rules as appeal_rules
from educational.appeals import services as appeal_services
from educational.appeals.kinds import AppealKind, Decision, register_appeal_kind
from educational.appeals.models import AppealStatus
from educational.core.db import db
from educational.core.errors import NotAllowed

from . import services
from .labels import KIND_LABELS, RESULT_LABELS
from .models import Assessment

KIND = "witness_assessment"


def find(subject_id: int) -> Decision | None:
    assessment = db.session.get(Assessment, subject_id)
    if assessment is None:
        return None
    return Decision(
        kind=KIND,
        subject_id=assessment.id,
        person_id=assessment.user_id,
        decided_at=assessment.created_at,
        deciders=frozenset({assessment.created_by_id}),
        summary=_(
            "%(kind)s of %(day)s: %(result)s",
            kind=KIND_LABELS[assessment.kind],
            day=assessment.assessed_on.isoformat(),
            result=RESULT_LABELS[assessment.result],
        ),
        url=url_for("monitoring_staff.person", user_id=assessment.user_id)
        + f"#assessment-{assessment.id}",
        appealable=assessment.appealable,
    )


def overturn(subject_id: int, staff, reasons: str) -> None:
    assessment = db.session.get(Assessment, subject_id)
    if assessment is None:
        raise NotAllowed(_l("This assessment no longer exists."))
    services.overturn(assessment, staff, reasons)


def register(app: Flask) -> None:
    register_appeal_kind(
        app, AppealKind(kind=KIND, label=_l("Witness assessment"), find=find, overturn=overturn)
    )


@dataclass(frozen=True)
class AppealOption:
    """What the person's page shows about appealing one assessment."""

    #: The page to lodge an appeal, while the window is open and none is lodged.
    url: str | None
    #: The last moment an appeal may be lodged.
    window_ends: datetime | None
    #: An appeal is lodged and not yet decided.
    pending: bool = False


def appeal_options(assessments: list[Assessment], now: datetime) -> dict[int, AppealOption]:
    """For each appealable assessment (not satisfactory, not overturned) by id: the appeal
    link while the window is open, or that an appeal is pending. The appeals are read in
    one query."""
    appealable = [assessment for assessment in assessments if assessment.appealable]
    latest = appeal_services.appeals_about(KIND, (assessment.id for assessment in appealable))
    days = appeal_services.cycle_rules().appeal_window_days
    options = {}
    for assessment in appealable:
        appeal = latest.get(assessment.id)
        pending = appeal is not None and appeal.is_open
        # Offered exactly when lodging would be accepted (the appeals' own rule).
        refusal = appeal_rules.lodge_refusal(
            person_id=assessment.user_id,
            user_id=assessment.user_id,
            appealable=True,
            decided_at=assessment.created_at,
            window_days=days,
            now=now,
            open_exists=pending,
            decided_exists=appeal is not None and appeal.status == AppealStatus.DECIDED,
        )
        url = appeal_services.appeal_url(KIND, assessment.id) if refusal is None else None
        ends = appeal_rules.window_ends(assessment.created_at, days)
        options[assessment.id] = AppealOption(url, ends, pending)
    return options
