"""Look-ups of complaints: the staff queue, the staff home counts, a subject's list."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from educational.accreditation.models import RegistryProfile
from educational.core.db import db, utcnow
from educational.core.waiting import Waiting, count_waiting

from .models import OPEN_STATUSES, Complaint, ComplaintStatus
from .services import rules

QUEUE_FILTERS = ("open", "decided", "closed", "all")


def queue(which: str = "open") -> list[Complaint]:
    """Complaints, oldest first (open ones by default), with who each is about (the queue
    names them)."""
    query = (
        select(Complaint)
        .options(
            selectinload(Complaint.firm),
            selectinload(Complaint.profile).selectinload(RegistryProfile.user),
        )
        .order_by(Complaint.lodged_at, Complaint.id)
    )
    if which == "open":
        query = query.where(Complaint.status.in_(OPEN_STATUSES))
    elif which in ("decided", "closed"):
        query = query.where(Complaint.status == which)
    return list(db.session.scalars(query.limit(500)))


def by_reference(reference: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.reference == reference))


def about_user(user_id: int) -> list[Complaint]:
    """Complaints about ``user_id`` they have been brought into: invited to respond or
    decided (a complaint still being assessed is not shown to its subject: ``shown_to_subject``)."""
    return list(
        db.session.scalars(
            select(Complaint)
            .join(RegistryProfile, RegistryProfile.id == Complaint.profile_id)
            .where(
                RegistryProfile.user_id == user_id,
                Complaint.shown_to_subject,
            )
            .order_by(Complaint.id.desc())
        )
    )


def waiting_acknowledgement() -> Waiting:
    return count_waiting(
        select(func.count(), func.min(Complaint.lodged_at)).where(
            Complaint.status == ComplaintStatus.LODGED
        )
    )


def past_decide_deadline() -> Waiting:
    cutoff = utcnow() - timedelta(days=rules().complaint_decide_days)
    return count_waiting(
        select(func.count(), func.min(Complaint.acknowledged_at)).where(
            Complaint.status.in_(OPEN_STATUSES), Complaint.acknowledged_at < cutoff
        )
    )
