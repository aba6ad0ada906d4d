"""What the public registry may show about complaints: the number upheld per person, when
the scheme publishes it (``scheme.cycle.publish_upheld_complaints``; default: not shown)."""

from collections.abc import Iterable

from sqlalchemy import func, select

from educational.core.db import db

from .models import Complaint
from .services import rules


def upheld_counts(profile_ids: Iterable[int]) -> dict[int, int]:
    """Profile id -> complaints upheld and not overturned; {} when the scheme does not
    publish them (and for people with none)."""
    ids = list(profile_ids)
    if not ids or not rules().publish_upheld_complaints:
        return {}
    rows = db.session.execute(
        select(Complaint.profile_id, func.count().label("upheld"))
        .where(Complaint.profile_id.in_(ids), Complaint.upheld)
        .group_by(Complaint.profile_id)
    )
    return {row.profile_id: row.upheld for row in rows}
