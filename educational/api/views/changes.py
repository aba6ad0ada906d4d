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
The query is ``educational.registry.queries.changes``."""

from educational.core.permissions import public
from educational.registry import queries

from .. import params, schemas
from ..openapi import operation
from . import bp


@bp.get("/registry/changes")
@public
@operation(
    "listRegistryChanges",
    "Status changes of public accreditations, in recorded order.",
    query=[params.Changes()],
    responds=schemas.ChangePage,
    ok="Changes after the cursor.",
)
def registry_changes(asked):
    since, limit = asked
    return queries.changes(since, limit)
