"""What appeals adds to the accreditation pages (``educational.core.panels``): on a rejected
application's page, and on "My accreditation" for suspensions and withdrawals, the link to
appeal (while the window is open) or to the appeal already lodged. Read only."""

from flask import url_for

from educational.accreditation.models import AccreditationStatus
from educational.core.db import utcnow
from educational.core.panels import Shown

from . import builtin, services

TEMPLATE = "appeals/_panel.html"
KIND_OF_STATUS = {
    AccreditationStatus.SUSPENDED: "suspension",
    AccreditationStatus.WITHDRAWN: "withdrawal",
}


def _item(kind: str, subject_id: int, user) -> dict | None:
    decision = services.find_decision(kind, subject_id)
    if decision is None or decision.person_id != user.id:
        return None
    appeal = services.latest_appeal(kind, subject_id)
    refusal = services.lodge_refusal(user, decision)
    if appeal is None and refusal is not None:
        return None
    return {
        "summary": decision.summary,
        "window_ends": services.window_ends(decision),
        "appeal": appeal,
        "appeal_url": url_for("appeals.show", appeal_id=appeal.id) if appeal else None,
        "new_url": services.appeal_url(kind, subject_id) if refusal is None else None,
    }


def application_panel(application=None, user=None, **_context) -> Shown | None:
    if application is None or user is None or not user.is_authenticated:
        return None
    item = _item("application_rejection", application.id, user)
    return Shown(TEMPLATE, {"items": [item]}) if item else None


def accreditations_panel(accreditations=(), user=None, **_context) -> Shown | None:
    """Each accreditation's suspension or withdrawal by staff that is still in force."""
    if user is None or not user.is_authenticated:
        return None
    kinds = {
        accreditation.id: KIND_OF_STATUS[accreditation.status]
        for accreditation in accreditations
        if accreditation.status in KIND_OF_STATUS
    }
    last_changes = builtin.last_change_ids(list(kinds))
    items = []
    for accreditation_id, kind in kinds.items():
        change_id = last_changes.get(accreditation_id)
        item = _item(kind, change_id, user) if change_id else None
        if item:
            items.append(item)
    return Shown(TEMPLATE, {"items": items}) if items else None


# The staff pages of the original decisions

STAFF_TEMPLATE = "appeals/_staff_panel.html"


def _staff_shown(appeals: list) -> Shown | None:
    if not appeals:
        return None
    return Shown(
        STAFF_TEMPLATE,
        {
            "appeals": [(appeal, services.describe(appeal)) for appeal in appeals],
            "status_labels": services.STATUS_LABELS,
            "outcome_labels": services.OUTCOME_LABELS,
            "now": utcnow(),
        },
    )


def staff_accreditation_panel(accreditation=None, **_context) -> Shown | None:
    """Every appeal against a decision about this accreditation (suspension, withdrawal,
    complaint outcome...), newest first."""
    if accreditation is None:
        return None
    return _staff_shown(services.appeals_of_accreditation(accreditation.id))


def staff_application_panel(application=None, **_context) -> Shown | None:
    if application is None:
        return None
    found = services.appeals_about("application_rejection", [application.id])
    return _staff_shown(list(found.values()))
