"""Facts about complaints for the features above (monitoring's witness risk factors)."""

from datetime import date

from sqlalchemy import select

from educational.accreditation.models import RegistryProfile
from educational.core.db import db

from .models import UPHELD_OUTCOMES, Complaint, ComplaintStatus


def upheld_complaint_days(user_id: int) -> list[date]:
    """The days complaints about ``user_id`` were upheld (founded with no action, warning,
    suspension, withdrawal) and not overturned on appeal, oldest first."""
    rows = db.session.scalars(
        select(Complaint.decided_at)
        .join(RegistryProfile, RegistryProfile.id == Complaint.profile_id)
        .where(
            RegistryProfile.user_id == user_id,
            Complaint.status == ComplaintStatus.DECIDED,
            Complaint.outcome.in_([str(o) for o in UPHELD_OUTCOMES]),
            Complaint.overturned_at.is_(None),
        )
        .order_by(Complaint.decided_at)
    )
    return [decided_at.date() for decided_at in rows if decided_at is not None]
