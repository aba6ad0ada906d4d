"""What the registry keeps of its own: the statistics snapshot."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from educational.core.db import UTCDateTime, db


class StatisticsSnapshot(db.Model):
    """The registry statistics as last computed (one row, id 1): pages read it, and only
    ``flask registry statistics`` and changes to the registry write it (see
    ``snapshot``)."""

    __tablename__ = "registry_statistics"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the figures were computed from (``snapshot.change_marker``): a refresh that
    #: finds the same marker has nothing to do.
    marker: Mapped[str] = mapped_column(String(200))
    #: ``RegistryStatistics.as_json()``.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
