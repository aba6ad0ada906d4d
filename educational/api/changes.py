"""``GET /api/v1/registry/changes``: the status changes of public accreditations, in the
order they were recorded, so that a member can keep a local copy of the registry in sync.

The cursor: every change has a number that grows in the order changes are recorded (the
row id); ``cursor`` in an item and ``next_cursor`` in the answer are that number as a
string of digits. Ask with ``since=<next_cursor>`` to get the changes recorded after it; a
page holds at most ``limit`` (1 to 500, default 100) and ``has_more`` says whether to ask
again at once. ``since`` may instead be a date (``YYYY-MM-DD``): the changes that occurred
on or after that day, then carry on with the cursor. Without ``since``, the feed starts at
the first change. When a page is empty, ``next_cursor`` is where to ask from next time.

Events: ``new`` (accredited), ``suspended``, ``reinstated`` (active again after a
suspension, or after an expiry by renewal), ``withdrawn``, ``expired``; ``from_status`` and
``to_status`` give the statuses themselves. Reasons are not published. Consent counts now:
a person who withdraws consent leaves the feed (and the registry) altogether.
"""

from datetime import UTC, datetime, time

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import BigInteger, Select, bindparam, func, select

from educational.accreditation.models import Accreditation, RegistryProfile, StatusChange
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.params import parse_int
from educational.core.permissions import public
from educational.registry import params
from educational.registry.entries import change_event

from .registry import refuse_empty
from .views import bp

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: The largest cursor read as one (a longer number is read as a date, and refused).
MAX_CURSOR = 10**18 - 1


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def change_json(change: StatusChange, registry_id: str, role: str) -> dict:
    return {
        "cursor": str(change.id),
        "registry_id": registry_id,
        "role": role,
        "event": change_event(change.from_status, change.to_status),
        "from_status": change.from_status,
        "to_status": change.to_status,
        "occurred_on": change.occurred_at.astimezone(UTC).date().isoformat(),
        "occurred_at": _timestamp(change.occurred_at),
    }


def _public(query: Select) -> Select:
    """``query`` over status changes, kept to people who consent to publication."""
    return (
        query.join(Accreditation, Accreditation.id == StatusChange.accreditation_id)
        .join(RegistryProfile, RegistryProfile.id == Accreditation.profile_id)
        .where(RegistryProfile.public.is_(True))
    )


@bp.get("/registry/changes")
@public
def registry_changes():
    refuse_empty(request.args)
    since = params.clean_text(request.args.get("since"), 40)
    limit = params.parse_positive(
        request.args.get("limit"), "limit", default=DEFAULT_LIMIT, maximum=MAX_LIMIT
    )
    query = _public(select(StatusChange, RegistryProfile.registry_id, Accreditation.role))
    query = query.order_by(StatusChange.id).limit(limit + 1)
    after = 0
    cursor = parse_int(since, minimum=0, maximum=MAX_CURSOR)
    if cursor is not None:
        after = cursor
        # A BIGINT parameter: PostgreSQL refuses a larger number as an INTEGER.
        query = query.where(StatusChange.id > bindparam("after", after, type_=BigInteger))
    elif since:
        try:
            day = params.parse_date(since, "since")
        except DomainError:
            raise DomainError(
                _(
                    "“%(value)s” is neither a cursor nor a date: send the next_cursor of the "
                    "previous answer, or a date as YYYY-MM-DD.",
                    value=since,
                ),
                field="since",
            ) from None
        query = query.where(StatusChange.occurred_at >= datetime.combine(day, time(), UTC))
    rows = db.session.execute(query).all()
    items = [change_json(change, registry_id, role) for change, registry_id, role in rows[:limit]]
    if items:
        next_cursor = items[-1]["cursor"]
    elif since and cursor is None:
        # Nothing since that day yet: carry on after every public change recorded so far.
        # Only public ones: a cursor that moved with a hidden person's change would tell
        # that someone outside the registry changed status.
        next_cursor = str(db.session.scalar(_public(select(func.max(StatusChange.id)))) or 0)
    else:
        next_cursor = str(after)
    return jsonify({"items": items, "next_cursor": next_cursor, "has_more": len(rows) > limit})
