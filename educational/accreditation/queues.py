"""What the staff pages list: the review queue with its filters, counts and ages, and the
accreditations with theirs. Queries only; the pages paginate them and the CSV exports
write them whole."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from educational.accounts.models import User
from educational.core.db import db, utcnow

from .models import (
    AWAITING_DECISION_STATUSES,
    Accreditation,
    AccreditationScope,
    AccreditationStatus,
    Application,
    ApplicationStatus,
    RegistryProfile,
)

#: The queue's status filter: "waiting" (submitted or first approval, the default), a
#: single status, or "all".
WAITING = "waiting"


@dataclass(frozen=True)
class QueueCount:
    status: str
    count: int
    #: Whole days the oldest one has waited since it was (re)submitted; None when none.
    oldest_days: int | None


def age_in_days(since: datetime | None, now: datetime | None = None) -> int:
    if since is None:
        return 0
    return max(0, ((now or utcnow()) - since).days)


def application_counts(now: datetime | None = None) -> list[QueueCount]:
    """Applications per open status, with the age of the oldest (from submission; drafts
    from creation)."""
    now = now or utcnow()
    since = func.coalesce(Application.submitted_at, Application.created_at)
    rows = db.session.execute(
        select(Application.status, func.count(), func.min(since)).group_by(Application.status)
    ).all()
    found = {status: (count, oldest) for status, count, oldest in rows}
    statuses = (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.FIRST_APPROVAL,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.DRAFT,
    )
    out = []
    for status in statuses:
        count, oldest = found.get(status, (0, None))
        # SQLite returns min() of a timestamp column as text.
        if isinstance(oldest, str):
            oldest = datetime.fromisoformat(oldest).replace(tzinfo=now.tzinfo)
        out.append(QueueCount(status, count, age_in_days(oldest, now) if count else None))
    return out


def application_query(
    *,
    status: str = WAITING,
    role: str = "",
    kind: str = "",
    flagged: bool = False,
    q: str = "",
) -> Select:
    """Applications for the staff queue, oldest submission first (drafts last)."""
    query = select(Application).join(User, Application.user_id == User.id)
    if status == WAITING:
        query = query.where(Application.status.in_(AWAITING_DECISION_STATUSES))
    elif status != "all":
        query = query.where(Application.status == status)
    if role:
        query = query.where(Application.role == role)
    if kind:
        query = query.where(Application.kind == kind)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(like), func.lower(User.email).like(like))
        )
    query = query.options(joinedload(Application.user)).order_by(
        Application.submitted_at.is_(None),
        Application.submitted_at,
        Application.id,
    )
    if flagged:
        # Whether a checklist has an unmet row is read from the JSON in Python (portable
        # across SQLite and PostgreSQL); the queue is small enough.
        ids = [
            app_id
            for app_id, rows in db.session.execute(
                query.with_only_columns(Application.id, Application.checklist)
            )
            if any(not row.get("met") for row in rows or ())
        ]
        query = query.where(Application.id.in_(ids))
    return query


def accreditation_query(
    *,
    status: str = "",
    role: str = "",
    standard: str = "",
    expiring_within: int | None = None,
    q: str = "",
    today: date | None = None,
) -> Select:
    """Accreditations for the staff list, by registry id."""
    query = (
        select(Accreditation)
        .join(RegistryProfile, Accreditation.profile_id == RegistryProfile.id)
        .join(User, RegistryProfile.user_id == User.id)
    )
    if status:
        query = query.where(Accreditation.status == status)
    if role:
        query = query.where(Accreditation.role == role)
    if standard:
        query = query.where(
            Accreditation.id.in_(
                select(AccreditationScope.accreditation_id).where(
                    AccreditationScope.standard == standard
                )
            )
        )
    if expiring_within is not None:
        today = today or utcnow().date()
        query = query.where(
            Accreditation.status == AccreditationStatus.ACTIVE,
            Accreditation.valid_until <= today + timedelta(days=expiring_within),
        )
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.name).like(like),
                func.lower(User.email).like(like),
                func.lower(RegistryProfile.registry_id).like(like),
            )
        )
    return query.options(
        joinedload(Accreditation.profile).joinedload(RegistryProfile.user),
        selectinload(Accreditation.scopes),
    ).order_by(RegistryProfile.registry_id, Accreditation.role)


def accreditation_counts(today: date | None = None, within: int = 90) -> dict[str, int]:
    """Accreditations per status, and the active ones expiring within ``within`` days."""
    today = today or utcnow().date()
    counts = dict(
        db.session.execute(
            select(Accreditation.status, func.count()).group_by(Accreditation.status)
        ).all()
    )
    counts = {status: counts.get(status, 0) for status in AccreditationStatus}
    counts["expiring"] = db.session.scalar(
        select(func.count()).where(
            Accreditation.status == AccreditationStatus.ACTIVE,
            Accreditation.valid_until <= today + timedelta(days=within),
        )
    )
    return counts
