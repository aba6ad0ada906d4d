"""Waiting work for the staff page: each feature registers, in its ``init_app``, a cheap
query (one COUNT and one MIN) saying how many items wait in one of its queues and since when
the oldest has waited; the staff page shows each with a link to its queue. Core imports no
feature: the features hand it their query functions, as they hand it their navigation."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import Select

from .db import db, utcnow
from .permissions import can


@dataclass(frozen=True)
class Waiting:
    """What one queue holds: how many items, and when the oldest began to wait."""

    count: int
    oldest: datetime | None


def count_waiting(query: Select) -> Waiting:
    """Run ``select(func.count(), func.min(<since column>))...`` and return it as Waiting."""
    count, oldest = db.session.execute(query).one()
    # SQLite returns min() of a timestamp column as text.
    if isinstance(oldest, str):
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    return Waiting(count or 0, oldest if count else None)


@dataclass(frozen=True)
class WaitingWork:
    """One line of the staff page: a queue, its count and the oldest item's age."""

    endpoint: str
    label: str
    count: int
    #: Whole days the oldest item has waited; None when nothing waits.
    oldest_days: int | None


def add_waiting(
    app: Flask,
    endpoint: str,
    label,
    counter: Callable[[], Waiting],
    permission: str = "staff_area",
) -> None:
    """Show ``counter()`` on the staff page to those holding ``permission``, linking to
    ``endpoint`` (the queue)."""
    app.extensions.setdefault("waiting", []).append((endpoint, label, counter, permission))


def waiting_work(entries: Iterable, user, now: datetime | None = None) -> list[WaitingWork]:
    """The queues ``user`` may work on, with their counts and ages. Read only."""
    now = now or utcnow()
    rows = []
    for endpoint, label, counter, permission in entries:
        if not can(user, permission):
            continue
        waiting = counter()
        days = max(0, (now - waiting.oldest).days) if waiting.oldest is not None else None
        rows.append(WaitingWork(endpoint, str(label), waiting.count, days))
    return rows
