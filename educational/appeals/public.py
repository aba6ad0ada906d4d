"""What the registry may show about appeals (when ``scheme.cycle.publish_under_appeal`` is
on): which accreditations have an open appeal against a decision about them (a suspension,
a withdrawal, a complaint outcome...: every appeal lodged with the decision's
``accreditation_id``)."""

from collections.abc import Iterable

from sqlalchemy import select

from educational.core.db import db

from .models import OPEN_STATUSES, Appeal


def under_appeal(accreditation_ids: Iterable[int]) -> set[int]:
    """The ones among ``accreditation_ids`` with an open appeal against a decision about
    them. An application's rejection does not count: it is not on the public record."""
    ids = list(accreditation_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Appeal.accreditation_id)
            .where(
                Appeal.accreditation_id.in_(ids),
                Appeal.status.in_(OPEN_STATUSES),
                Appeal.kind != "application_rejection",
            )
            .distinct()
        )
    )
