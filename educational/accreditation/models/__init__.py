"""Applications, accreditations and audit firms (one module each, imported from here).

An accreditation's status changes only through its methods (``suspend``, ``reinstate``,
``withdraw``, ``expire``, ``renew``), which refuse transitions the scheme does not allow and
write a ``StatusChange`` row: the public status history and the change feed are read from
those rows, and every change is also an ``AuditEvent`` in the hash chain (written by the
services that call the methods)."""

from .accreditations import (
    RENEWABLE_STATUSES,
    TRANSITIONS,
    Accreditation,
    AccreditationScope,
    AccreditationStatus,
    RegistryProfile,
    RegistrySequence,
    ReminderSent,
    ScopeStatus,
    StatusChange,
)
from .applications import (
    AWAITING_DECISION_STATUSES,
    EDITABLE_APPLICATION_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
)
from .cpd import CpdReminderSent
from .firms import AuditFirm, FirmAffiliation, FirmStatus

__all__ = [
    "AWAITING_DECISION_STATUSES",
    "EDITABLE_APPLICATION_STATUSES",
    "OPEN_APPLICATION_STATUSES",
    "RENEWABLE_STATUSES",
    "TRANSITIONS",
    "Accreditation",
    "AccreditationScope",
    "AccreditationStatus",
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "AuditFirm",
    "CpdReminderSent",
    "FirmAffiliation",
    "FirmStatus",
    "RegistryProfile",
    "RegistrySequence",
    "ReminderSent",
    "ScopeStatus",
    "StatusChange",
]
