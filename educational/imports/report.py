"""What an import did, or would do (``--dry-run``), and its audit events."""

from dataclasses import dataclass, field
from typing import Any

from educational.core.audit import record_events

#: The actor of every imported decision in the audit trail.
ACTOR = "import"


@dataclass
class ImportReport:
    #: The SHA-256 of the file, in every audit event, so each record traces back to it.
    file_sha256: str
    added_items: list[str] = field(default_factory=list)
    changed_items: list[str] = field(default_factory=list)
    unchanged: int = 0
    _events: list[tuple[str, Any, dict]] = field(default_factory=list)

    def added(self, kind: str, label: str, subject: Any, *, line: int, **details: Any) -> None:
        self.added_items.append(f"{kind} {label}")
        self._events.append((f"import.{kind}_added", subject, {"line": line, **details}))

    def changed(self, kind: str, label: str, subject: Any, changes: dict, *, line: int) -> None:
        self.changed_items.append(f"{kind} {label}: {', '.join(sorted(changes))}")
        self._events.append((f"import.{kind}_changed", subject, {"line": line, "changes": changes}))

    @property
    def count(self) -> int:
        return len(self.added_items) + len(self.changed_items)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added_items or self.changed_items)

    def record(self) -> None:
        """Write the audit events (after the records exist: they name their ids)."""
        record_events(
            [
                (action, subject, {**payload, "file_sha256": self.file_sha256})
                for action, subject, payload in self._events
            ],
            actor=ACTOR,
        )

    def summary(self) -> str:
        if not self.changed_anything:
            return f"nothing changed ({self.unchanged} unchanged)"
        return (
            f"added {len(self.added_items)}, changed {len(self.changed_items)}, "
            f"unchanged {self.unchanged}"
        )
