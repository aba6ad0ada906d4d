"""Appeals: lodging, reviewing, deciding (four-eyes), confirming, withdrawing. The views
call these; the rules they enforce are ``rules`` (pure). They take explicit objects, flush
and never commit (the request's transaction does, ``core.transaction``).

Every step is an audit event (``appeal.lodged``, ``appeal.review_started``,
``appeal.proposed``, ``appeal.sent_back``, ``appeal.decided``, ``appeal.withdrawn``); the
appellant is e-mailed, in their language, when the appeal is lodged and when it is decided.
An overturn applies its effect through the decision's kind (``AppealKind.overturn``), in the
same transaction, which writes its own events."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, BinaryIO

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from educational.accounts.models import User
from educational.catalog.content import CycleRules
from educational.catalog.scheme import current_scheme
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.permissions import has_role_permission, object_rule
from educational.core.urls import external_url
from educational.core.waiting import Waiting, count_waiting
from educational.experience import uploads

from . import rules
from .kinds import AppealKind, Decision, appeal_kinds
from .models import OPEN_STATUSES, Appeal, AppealEvidence, AppealOutcome, AppealStatus

MAX_GROUNDS = 10_000
MAX_REASONS = 5_000
MAX_FILES = 5

#: A refusal code of ``rules`` -> what the person reads.
REFUSALS = {
    "not_affected": _l("Only the person the decision is about can appeal against it."),
    "not_appealable": _l("This decision cannot be appealed."),
    "open_exists": _l(
        "An appeal against this decision is already open; follow it on your appeals page."
    ),
    "already_decided": _l(
        "An appeal against this decision was already decided; an appeal decision is final."
    ),
    "window_closed": _l("The time to appeal against this decision has ended."),
    "not_open_for_decision": _l("This appeal is not waiting for a decision."),
    "involved": _l(
        "You took part in the decision under appeal, or you are the appellant: a staff "
        "member who took no part in it must decide the appeal."
    ),
    "choose_outcome": _l("Choose whether the original decision is upheld or overturned."),
    "nothing_proposed": _l("No decision on this appeal is waiting to be confirmed."),
    "same_person": _l(
        "You proposed this decision; a different staff member must confirm it (four eyes)."
    ),
    "not_lodged": _l("The review of this appeal has already started, or the appeal is closed."),
    "not_appellant": _l("Only the appellant can withdraw this appeal."),
    "closed": _l("This appeal is already decided or withdrawn."),
}

STATUS_LABELS = {
    AppealStatus.LODGED: _l("Lodged"),
    AppealStatus.UNDER_REVIEW: _l("Under review"),
    AppealStatus.PROPOSED: _l("Decision proposed, awaiting a second reviewer"),
    AppealStatus.DECIDED: _l("Decided"),
    AppealStatus.WITHDRAWN: _l("Withdrawn by the appellant"),
}
OUTCOME_LABELS = {
    AppealOutcome.UPHELD: _l("Upheld: the original decision stands"),
    AppealOutcome.OVERTURNED: _l("Overturned: the original decision is set aside"),
}


def refuse(code: str | None, field: str | None = None) -> None:
    if code is not None:
        raise DomainError(str(REFUSALS[code]), field=field)


def cycle_rules() -> CycleRules:
    scheme = current_scheme()
    return scheme.cycle if scheme is not None else CycleRules()


def four_eyes() -> bool:
    scheme = current_scheme()
    return bool(scheme is not None and scheme.four_eyes)


# The interface other features use (see kinds.py)


def appeal_url(kind: str, subject_id: int) -> str:
    """The page where the affected person lodges an appeal against that decision."""
    return url_for("appeals.new", kind=kind, subject_id=subject_id)


def appeal_kind(kind: str) -> AppealKind | None:
    return appeal_kinds().get(kind)


def find_decision(kind: str, subject_id: int) -> Decision | None:
    found = appeal_kind(kind)
    return found.find(subject_id) if found is not None else None


def open_appeal(kind: str, subject_id: int) -> Appeal | None:
    """The appeal lodged against that decision and not yet decided or withdrawn."""
    return db.session.scalar(select(Appeal).where(Appeal.open_key == _open_key(kind, subject_id)))


def decided_appeal(kind: str, subject_id: int, decided_at: datetime | None = None) -> Appeal | None:
    """The decided appeal against that decision (against the decision of ``decided_at``,
    when given: a re-opened application rejected again is a new decision)."""
    query = select(Appeal).where(
        Appeal.kind == kind,
        Appeal.subject_id == subject_id,
        Appeal.status == AppealStatus.DECIDED,
    )
    if decided_at is not None:
        query = query.where(Appeal.decision_at >= decided_at)
    return db.session.scalar(query.order_by(Appeal.id.desc()).limit(1))


def latest_appeal(kind: str, subject_id: int) -> Appeal | None:
    return db.session.scalar(
        select(Appeal)
        .where(Appeal.kind == kind, Appeal.subject_id == subject_id)
        .order_by(Appeal.id.desc())
        .limit(1)
    )


def window_ends(decision: Decision) -> datetime:
    """decided_at + the scheme's appeal_window_days."""
    return rules.window_ends(decision.decided_at, cycle_rules().appeal_window_days)


def lodge_refusal(user, decision: Decision, now: datetime | None = None) -> str | None:
    """Why ``user`` may not appeal ``decision`` now (a code of ``REFUSALS``), or None."""
    return rules.lodge_refusal(
        person_id=decision.person_id,
        user_id=getattr(user, "id", None),
        appealable=decision.appealable,
        decided_at=decision.decided_at,
        window_days=cycle_rules().appeal_window_days,
        now=now or utcnow(),
        open_exists=open_appeal(decision.kind, decision.subject_id) is not None,
        decided_exists=decided_appeal(decision.kind, decision.subject_id, decision.decided_at)
        is not None,
    )


def may_appeal(user, decision: Decision, now: datetime | None = None) -> bool:
    return lodge_refusal(user, decision, now) is None


def _open_key(kind: str, subject_id: int) -> str:
    return f"{kind}:{subject_id}"


@object_rule("view_appeal")
def _may_view_appeal(user, appeal: Appeal) -> bool:
    return appeal.appellant_id == user.id or has_role_permission(user, "staff_area")


@object_rule("view_appeal_evidence")
def _may_view_evidence(user, item: AppealEvidence) -> bool:
    return _may_view_appeal(user, item.appeal)


# Lodging

Upload = tuple[BinaryIO, str]


def lodge(
    user,
    kind: str,
    subject_id: int,
    grounds: str | None,
    files: Iterable[Upload] = (),
    *,
    now: datetime | None = None,
) -> Appeal:
    """The affected person appeals against a decision, within the window, with their
    grounds and evidence files."""
    now = now or utcnow()
    decision = find_decision(kind, subject_id)
    if decision is None:
        raise DomainError(_("There is no such decision to appeal against."))
    refuse(lodge_refusal(user, decision, now))
    grounds = (grounds or "").strip()
    if not grounds:
        raise DomainError(
            _("Write your grounds: why the decision should be changed."), field="grounds"
        )
    if len(grounds) > MAX_GROUNDS:
        raise DomainError(
            _("Shorten your grounds to %(n)d characters.", n=MAX_GROUNDS), field="grounds"
        )
    files = list(files)
    if len(files) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)d files; combine some into one PDF.", n=MAX_FILES),
            field="evidence",
        )
    if files and not user.is_confirmed:
        raise DomainError(
            _("Confirm your e-mail address before you upload evidence."), field="evidence"
        )
    checked = [uploads.check_upload(stream, name) for stream, name in files]
    appeal = Appeal(
        kind=kind,
        subject_id=subject_id,
        open_key=_open_key(kind, subject_id),
        appellant_id=user.id,
        accreditation_id=decision.accreditation_id,
        summary=decision.summary[:300],
        decision_url=decision.url,
        decision_at=decision.decided_at,
        deciders=sorted(decision.deciders),
        grounds=grounds,
        status=AppealStatus.LODGED,
        lodged_at=now,
        due_at=rules.due_at(now, cycle_rules().appeal_decide_days),
    )
    db.session.add(appeal)
    for item in checked:
        appeal.evidence.append(
            AppealEvidence(
                **uploads.stored(item, db.session),
            )
        )
    db.session.flush()
    record_event(
        "appeal.lodged",
        appeal,
        actor=user,
        kind=kind,
        subject_id=subject_id,
        accreditation_id=decision.accreditation_id,
        deciders=sorted(decision.deciders),
        decision_at=decision.decided_at.isoformat(),
        due_at=appeal.due_at.isoformat(),
        evidence=[e.sha256 for e in appeal.evidence],
    )
    _mail(appeal, _l("We have received your appeal"), "appeal_lodged")
    return appeal


# Staff


def excluded(appeal: Appeal) -> frozenset[int]:
    """Staff who may not decide ``appeal``: the original deciders (as recorded when it was
    lodged, and as the deciding feature describes them now) and the appellant."""
    deciders = set(appeal.deciders or ())
    decision = find_decision(appeal.kind, appeal.subject_id)
    if decision is not None:
        deciders |= set(decision.deciders)
    return rules.excluded_staff(deciders, appeal.appellant_id)


def excluded_people(ids: frozenset[int]) -> list[User]:
    """The staff of ``excluded(appeal)``, by name."""
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name)))


def start_review(appeal: Appeal, staff, *, now: datetime | None = None) -> None:
    refuse(rules.review_refusal(staff_id=staff.id, excluded=excluded(appeal), status=appeal.status))
    appeal.status = AppealStatus.UNDER_REVIEW
    appeal.reviewer_id, appeal.review_started_at = staff.id, now or utcnow()
    db.session.flush()
    record_event("appeal.review_started", appeal, actor=staff, kind=appeal.kind)


def _reasons(reasons: str | None) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise DomainError(
            _("Write the reasons for the decision; the appellant reads them."), field="reasons"
        )
    if len(reasons) > MAX_REASONS:
        raise DomainError(
            _("Shorten the reasons to %(n)d characters.", n=MAX_REASONS), field="reasons"
        )
    return reasons


def decide(appeal: Appeal, staff, outcome: str | None, reasons: str | None, *, now=None) -> str:
    """Uphold or overturn. With four-eyes the decision is proposed (returns "proposed") and
    takes effect when a second staff member confirms it; otherwise it takes effect now
    (returns "decided")."""
    refuse(
        rules.decide_refusal(
            staff_id=staff.id, excluded=excluded(appeal), status=appeal.status, outcome=outcome
        ),
        field="outcome",
    )
    reasons = _reasons(reasons)
    now = now or utcnow()
    if appeal.reviewer_id is None:
        appeal.reviewer_id, appeal.review_started_at = staff.id, now
    if four_eyes():
        appeal.status = AppealStatus.PROPOSED
        appeal.proposed_outcome, appeal.proposed_reasons = outcome, reasons
        appeal.proposed_by_id, appeal.proposed_at = staff.id, now
        db.session.flush()
        record_event(
            "appeal.proposed",
            appeal,
            actor=staff,
            kind=appeal.kind,
            outcome=outcome,
            reasons=reasons,
        )
        return "proposed"
    _take_effect(appeal, staff, outcome, reasons, now)
    return "decided"


def _refuse_confirm(appeal: Appeal, staff) -> None:
    """Confirming and sending back are open to the same staff (four-eyes)."""
    refuse(
        rules.confirm_refusal(
            staff_id=staff.id,
            excluded=excluded(appeal),
            status=appeal.status,
            proposed_by_id=appeal.proposed_by_id,
        )
    )


def confirm(appeal: Appeal, staff, *, now=None) -> None:
    """Four-eyes: a second, different uninvolved staff member confirms the proposal, which
    then takes effect."""
    _refuse_confirm(appeal, staff)
    _take_effect(appeal, staff, appeal.proposed_outcome, appeal.proposed_reasons, now or utcnow())


def send_back(appeal: Appeal, staff, comment: str | None) -> None:
    """Four-eyes: the second staff member does not confirm; the appeal goes back to review."""
    _refuse_confirm(appeal, staff)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Write why you do not confirm the proposed decision."), field="comment")
    previous = (appeal.proposed_outcome, appeal.proposed_by_id)
    appeal.status = AppealStatus.UNDER_REVIEW
    appeal.sent_back_comment = comment[:MAX_REASONS]
    appeal.proposed_outcome, appeal.proposed_reasons = None, ""
    appeal.proposed_by_id = appeal.proposed_at = None
    db.session.flush()
    record_event(
        "appeal.sent_back",
        appeal,
        actor=staff,
        kind=appeal.kind,
        proposed_outcome=previous[0],
        proposed_by_id=previous[1],
        comment=appeal.sent_back_comment,
    )


def _take_effect(appeal: Appeal, staff, outcome: str, reasons: str, now: datetime) -> None:
    if outcome == AppealOutcome.OVERTURNED:
        found = appeal_kind(appeal.kind)
        if found is None:
            raise DomainError(
                _("This kind of decision is no longer known; it cannot be overturned.")
            )
        # The kind applies the effect and writes its own events; it refuses with NotAllowed
        # (a DomainError) when the effect cannot be applied, and nothing is kept.
        found.overturn(appeal.subject_id, staff, reasons)
    appeal.status = AppealStatus.DECIDED
    appeal.open_key = None
    appeal.outcome, appeal.reasons = outcome, reasons
    appeal.decided_by_id, appeal.decided_at = staff.id, now
    db.session.flush()
    record_event(
        "appeal.decided",
        appeal,
        actor=staff,
        kind=appeal.kind,
        subject_id=appeal.subject_id,
        outcome=outcome,
        reasons=reasons,
        proposed_by_id=appeal.proposed_by_id,
        accreditation_id=appeal.accreditation_id,
    )
    _mail(appeal, _l("Your appeal has been decided"), "appeal_decided")


def withdraw(appeal: Appeal, user, *, now=None) -> None:
    refuse(
        rules.withdraw_refusal(
            user_id=user.id, appellant_id=appeal.appellant_id, status=appeal.status
        )
    )
    appeal.status, appeal.withdrawn_at, appeal.open_key = (
        AppealStatus.WITHDRAWN,
        now or utcnow(),
        None,
    )
    db.session.flush()
    record_event("appeal.withdrawn", appeal, actor=user, kind=appeal.kind)


def _mail(appeal: Appeal, subject, template: str) -> None:
    appellant = appeal.appellant or db.session.get(User, appeal.appellant_id)
    found = appeal_kind(appeal.kind)
    queue_mail(
        appellant,
        subject,
        template,
        user=appellant,
        appeal=appeal,
        kind_label=found.label if found else appeal.kind,
        url=external_url("appeals.show", appeal_id=appeal.id),
    )


# Look-ups


def find_appeal(appeal_id: int) -> Appeal | None:
    return db.session.get(Appeal, appeal_id)


def appeals_of(user) -> list[Appeal]:
    return list(
        db.session.scalars(
            select(Appeal).where(Appeal.appellant_id == user.id).order_by(Appeal.id.desc())
        )
    )


QUEUE_FILTERS = ("open", "decided", "withdrawn", "all")


def queue(status: str = "open") -> list[Appeal]:
    # The page shows each appellant's name: load them with the appeals, not one by one.
    query = select(Appeal).options(selectinload(Appeal.appellant))
    if status == "open":
        query = query.where(Appeal.status.in_(OPEN_STATUSES)).order_by(Appeal.due_at, Appeal.id)
    else:
        if status in (AppealStatus.DECIDED, AppealStatus.WITHDRAWN):
            query = query.where(Appeal.status == status)
        query = query.order_by(Appeal.id.desc()).limit(500)
    return list(db.session.scalars(query))


def appeals_waiting() -> Waiting:
    """Open appeals, for the staff page: how many, and since when the oldest waits."""
    return count_waiting(
        select(func.count(Appeal.id), func.min(Appeal.lodged_at)).where(
            Appeal.status.in_(OPEN_STATUSES)
        )
    )


def appeals_about(kind: str, subject_ids: Iterable[int]) -> dict[int, Appeal]:
    """The latest appeal against each of these decisions."""
    ids = list(subject_ids)
    if not ids:
        return {}
    found: dict[int, Appeal] = {}
    for appeal in db.session.scalars(
        select(Appeal).where(Appeal.kind == kind, Appeal.subject_id.in_(ids)).order_by(Appeal.id)
    ):
        found[appeal.subject_id] = appeal
    return found


def appeals_of_accreditation(accreditation_id: int) -> list[Appeal]:
    """Every appeal against a decision about the accreditation, newest first."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.accreditation_id == accreditation_id)
            .order_by(Appeal.id.desc())
        )
    )


def describe(appeal: Appeal) -> dict[str, Any]:
    """The decision under appeal as its feature describes it now, in the reader's language
    (falls back on what was recorded when the appeal was lodged)."""
    decision = find_decision(appeal.kind, appeal.subject_id)
    found = appeal_kind(appeal.kind)
    return {
        "label": found.label if found else appeal.kind,
        "summary": decision.summary if decision else appeal.summary,
        "url": (decision.url if decision else None) or appeal.decision_url,
    }
