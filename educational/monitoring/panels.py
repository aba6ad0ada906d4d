"""The dashboard box: the person's next witness date and a link to their assessments."""

from sqlalchemy import func, select

from educational.accreditation.services import role_label
from educational.core.db import db
from educational.core.panels import Shown

from .due import witness_dues
from .models import Assessment


def assessments_panel(*, user) -> Shown | None:
    """Shown to a person who has assessments or holds an active witnessed role."""
    count = db.session.scalar(
        select(func.count()).select_from(Assessment).where(Assessment.user_id == user.id)
    )
    dues = [(role_label(a.role), due) for a, due in witness_dues(user.id)]
    if not count and not dues:
        return None
    return Shown("monitoring/_panel.html", {"count": count, "dues": dues})
