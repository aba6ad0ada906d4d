"""Read-only look-ups the accounts pages list: users by name or address, organisations."""

from sqlalchemy import Select, func, or_, select

from educational.core.db import db
from educational.core.waiting import Waiting, count_waiting

from .models import NameChangeRequest, NameChangeStatus, Organisation, User


def user_search(q: str = "") -> Select:
    """Users by name, those whose name or e-mail address contains ``q`` (any case)."""
    query = select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    return query


def organisations() -> list[Organisation]:
    """Every member organisation, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def find_organisation(organisation_id: str | int | None) -> Organisation | None:
    """The organisation a form's choice names (its id as text), or None for no choice."""
    return db.session.get(Organisation, int(organisation_id)) if organisation_id else None


def name_changes_waiting() -> Waiting:
    """Changes of name waiting for a decision, and since when the oldest has waited."""
    return count_waiting(
        select(func.count(), func.min(NameChangeRequest.requested_at)).where(
            NameChangeRequest.status == NameChangeStatus.PENDING
        )
    )
