"""The statistics snapshot: the figures are computed off the visitors' path and stored, and
every request reads the stored figures (``latest_statistics``).

They are refreshed by ``flask registry statistics`` (cron; it does nothing when the
registry has not changed since, see ``change_marker``), and right after any transaction
that changed the registry's rows (a staff decision, the sweep, a holder's consent): a
listener notes such a flush and, once the transaction has committed, refreshes the figures
in a transaction of its own. A failed refresh there is logged and left to the next one:
the decision itself is already committed."""

from __future__ import annotations

import logging
from datetime import date, datetime
from itertools import chain

from flask import has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from educational.accreditation.models import (
    Accreditation,
    AccreditationScope,
    RegistryProfile,
    StatusChange,
)
from educational.core.db import db, today, utcnow

from .models import StatisticsSnapshot
from .statistics import RegistryStatistics, compute_statistics

log = logging.getLogger(__name__)

SNAPSHOT_ID = 1
#: Rows whose change can change a figure.
WATCHED = (RegistryProfile, Accreditation, AccreditationScope, StatusChange)
_CHANGED = "registry_statistics_stale"


def change_marker(session: Session, today: date) -> str:
    """What the figures depend on, in a few indexed aggregates: the day, the newest status
    change, accreditation update and consent change, and the number of accreditations,
    scopes (lapsed ones apart) and public profiles."""
    values = session.execute(
        select(
            select(func.max(StatusChange.id)).scalar_subquery(),
            select(func.count(Accreditation.id)).scalar_subquery(),
            select(func.max(Accreditation.updated_at)).scalar_subquery(),
            select(func.count(AccreditationScope.id)).scalar_subquery(),
            select(func.count(AccreditationScope.id))
            .where(AccreditationScope.status != "active")
            .scalar_subquery(),
            select(func.max(AccreditationScope.lapsed_at)).scalar_subquery(),
            select(func.count(RegistryProfile.id))
            .where(RegistryProfile.public.is_(True))
            .scalar_subquery(),
            select(func.max(RegistryProfile.consent_changed_at)).scalar_subquery(),
        )
    ).one()
    return "|".join([today.isoformat(), *(_plain(value) for value in values)])


def _plain(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def refresh_statistics(session: Session, today: date, *, force: bool = False) -> bool:
    """Compute and store the figures for ``today``, unless nothing changed since the last
    time (``force``: compute anyway). Flushes; the caller commits. True if computed."""
    marker = change_marker(session, today)
    snapshot = session.get(StatisticsSnapshot, SNAPSHOT_ID)
    if snapshot is not None and snapshot.marker == marker and not force:
        return False
    figures = compute_statistics(session, today).as_json()
    if snapshot is None:
        snapshot = StatisticsSnapshot(id=SNAPSHOT_ID)
        session.add(snapshot)
    snapshot.marker, snapshot.figures, snapshot.computed_at = marker, figures, utcnow()
    session.flush()
    return True


def latest_statistics() -> tuple[RegistryStatistics, datetime] | None:
    """The stored figures and when they were computed; None until the first refresh."""
    snapshot = db.session.get(StatisticsSnapshot, SNAPSHOT_ID)
    if snapshot is None:
        return None
    return RegistryStatistics.from_json(snapshot.figures), snapshot.computed_at


# Refreshing after a change


@event.listens_for(Session, "after_flush")
def _note_registry_change(session: Session, _flush_context) -> None:
    if any(isinstance(row, WATCHED) for row in chain(session.new, session.dirty, session.deleted)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_change(state) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete or state.is_insert) and (
        mapper is not None and mapper.class_ in WATCHED
    ):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_rollback")
def _forget_registry_change(session: Session) -> None:
    session.info.pop(_CHANGED, None)


@event.listens_for(Session, "after_commit")
def _refresh_after_change(session: Session) -> None:
    if not session.info.pop(_CHANGED, False) or not has_app_context():
        return
    # The committed session can run no more SQL; the refresh takes a transaction of its own.
    try:
        with Session(db.engine) as own, own.begin():
            refresh_statistics(own, today(), force=True)
    except Exception:  # the change is committed; the next refresh (cron) catches up
        log.exception("Refreshing the registry statistics after a change failed")
