"""The JSON API's bodies, declared once (marshmallow): ``openapi.operation`` serialises each
answer with them, and the OpenAPI document is generated from them (with the parameters of
``params`` and ``educational.registry.schemas``)."""

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from educational.core.db import today
from educational.registry.eligibility import CHECK_CODES
from educational.registry.entries import EVENTS, entry_url
from educational.registry.fields import MAX_PER_PAGE, STATUSES


class Body(Schema):
    class Meta:
        # Documented without "additionalProperties" (what is answered is exactly this).
        unknown = EXCLUDE


class Computed(fields.Method):
    """A value the body's method computes. Bodies are only ever answers, so it is documented
    as a plain property, not a read-only one (as marshmallow's ``Method`` would be)."""

    def __init__(self, method: str, **kwargs: Any) -> None:
        super().__init__(method, **kwargs)
        self.dump_only = False


def _enum(values, **extra: Any) -> dict:
    return {"enum": sorted(values), **extra}


class ErrorDetail(Body):
    code = fields.String(required=True, metadata={"examples": ["bad_request"]})
    message = fields.String(required=True)
    field = fields.String()


class Error(Body):
    """The envelope of every error (rendered by ``educational.core.errors.api_error``)."""

    error = fields.Nested(ErrorDetail, required=True)


class Scope(Body):
    standard = fields.String(required=True)
    version = fields.String(required=True)
    sector = fields.String(required=True)


class Accreditation(Body):
    role = fields.String(required=True)
    status = fields.String(
        required=True,
        metadata=_enum(
            STATUSES, description="Past its last valid day, an active one shows as expired."
        ),
    )
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True, metadata={"description": "The last valid day."})
    scopes = fields.List(
        fields.Nested(Scope),
        attribute="active_scopes",
        required=True,
        metadata={"description": "Active scopes (lapsed ones are left out)."},
    )
    countries = fields.List(fields.String(), required=True)
    specialist_areas = fields.List(fields.String(), required=True)


class FirmName(Body):
    name = fields.String()


class Entry(Body):
    """A person's public registry entry (``educational.registry.entries.Entry``)."""

    registry_id = fields.String(required=True)
    name = fields.String(required=True)
    countries = fields.List(
        fields.String(), required=True, metadata={"description": "ISO 3166-1 alpha-2 codes."}
    )
    languages = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Verified languages, ISO 639-1 codes."},
    )
    firms = fields.Pluck(
        FirmName,
        "name",
        many=True,
        required=True,
        metadata={"description": "Names of the audit firms the person works with now."},
    )
    accreditations = fields.List(fields.Nested(Accreditation), required=True)
    url = Computed(
        "public_page",
        required=True,
        metadata={"type": "string", "format": "uri", "description": "The public page."},
    )

    def public_page(self, entry) -> str:
        return entry_url(entry.registry_id)


class EntryPage(Body):
    """A ``educational.core.pagination.Page`` of entries."""

    items = fields.List(fields.Nested(Entry), required=True)
    total = fields.Integer(required=True, metadata={"minimum": 0})
    page = fields.Integer(required=True, metadata={"minimum": 1})
    per_page = fields.Integer(required=True, metadata={"minimum": 1, "maximum": MAX_PER_PAGE})


class Check(Body):
    code = fields.String(required=True, metadata=_enum(CHECK_CODES))
    passed = fields.Boolean(required=True)
    message = fields.String(required=True)


class Eligibility(Body):
    """The engine's answer about one holder (``educational.registry.queries.Answer``)."""

    registry_id = fields.String(required=True, attribute="holder.registry_id")
    eligible = fields.Boolean(required=True, attribute="verdict.eligible")
    as_of = fields.Date(required=True)
    checks = fields.List(fields.Nested(Check), required=True, attribute="verdict.checks")


class Certificate(Body):
    """A certificate's public record and its status on ``today``."""

    def __init__(self, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today

    code = fields.String(required=True)
    holder = fields.String(required=True, attribute="holder_name")
    course = fields.String(required=True, attribute="course_title")
    version = fields.String(required=True, attribute="course_version")
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "The first day it is no longer valid; null: never expires."},
    )
    status = Computed(
        "status_today",
        required=True,
        metadata={"type": "string", **_enum(["valid", "expired", "revoked"])},
    )

    def status_today(self, certificate) -> str:
        return str(certificate.status(self.today or today()))


class Timestamp(fields.DateTime):
    """RFC 3339 in UTC, with a Z."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


class Change(Body):
    """One status change of the feed (``educational.registry.queries.Change``)."""

    cursor = fields.String(required=True, metadata={"pattern": "^[0-9]+$"})
    registry_id = fields.String(required=True)
    role = fields.String(required=True)
    event = fields.String(required=True, metadata=_enum(EVENTS))
    from_status = fields.String(
        required=True, allow_none=True, metadata={"description": "null for a new accreditation."}
    )
    to_status = fields.String(required=True, metadata=_enum(STATUSES))
    occurred_on = fields.Date(required=True)
    occurred_at = Timestamp(required=True)


class ChangePage(Body):
    items = fields.List(fields.Nested(Change), required=True)
    next_cursor = fields.String(required=True, metadata={"pattern": "^[0-9]+$"})
    has_more = fields.Boolean(required=True)


class Watch(Body):
    """One registry id on a member's watch list."""

    registry_id = fields.String(required=True)
    delivery = fields.String(required=True, metadata=_enum(["email", "webhook"]))
    created_at = Timestamp(required=True)


class WatchList(Body):
    items = fields.List(fields.Nested(Watch), required=True)


#: The bodies, by the name the OpenAPI document gives them.
COMPONENTS = {
    "Error": Error,
    "Scope": Scope,
    "Accreditation": Accreditation,
    "Entry": Entry,
    "EntryPage": EntryPage,
    "Check": Check,
    "Eligibility": Eligibility,
    "Certificate": Certificate,
    "Change": Change,
    "ChangePage": ChangePage,
    "Watch": Watch,
    "WatchList": WatchList,
}
