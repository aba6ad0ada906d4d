"""Facts about complaints for the features above (monitoring's witness risk factors)."""

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import select

from educational.accreditation.models import RegistryProfile
from educational.core.db import db

from .models import Complaint


def upheld_complaint_days_by_user(
    user_ids: Collection[int] | None = None,
) -> dict[int, list[date]]:
    """The days complaints were upheld (founded with no action, warning, suspension,
    withdrawal) and not overturned on appeal, oldest first, by the subject's user id: of
    ``user_ids``, or of everyone (the staff's list of witnesses due), in one query."""
    query = (
        select(RegistryProfile.user_id, Complaint.decided_at)
        .join(RegistryProfile, RegistryProfile.id == Complaint.profile_id)
        .where(Complaint.upheld, Complaint.decided_at.is_not(None))
        .order_by(Complaint.decided_at, Complaint.id)
    )
    if user_ids is not None:
        query = query.where(RegistryProfile.user_id.in_(user_ids))
    days: dict[int, list[date]] = defaultdict(list)
    for user_id, decided_at in db.session.execute(query):
        days[user_id].append(decided_at.date())
    return dict(days)
