"""The field types of the registry's parameters (``schemas``): each reads a value as typed
into a query string, where a missing parameter and an empty one are the same (the pages'
forms send an empty value for "any"). A wrong value raises ``ValidationError`` with a
message that says what to send instead. The OpenAPI document lists a ``Choice``'s codes
(``choices``) and reads the rest from each field's metadata."""

import re
from collections.abc import Collection
from datetime import date
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.names import COUNTRY_CODES, LANGUAGE_CODES
from educational.core.params import clean_text, parse_int

from .search import SORTS

#: Accreditation statuses, as the registry filters and shows them.
STATUSES = ("active", "suspended", "withdrawn", "expired")
#: The largest page the API serves, and its default size.
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Param(fields.String):
    """A parameter as typed: spaces trimmed; empty is missing. ``required`` refuses a missing
    one; else it is ``default`` (a value, or a function of none)."""

    def __init__(self, *, default: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default = default

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            if self.required:
                raise ValidationError(_("Give the %(field)s; it is required.", field=self.name))
            return self.default() if callable(self.default) else self.default
        return self.parse(text)

    def parse(self, text: str) -> Any:
        return text


class Text(Param):
    """Free text (``clean_text``), at most ``limit`` characters; ``upper`` for registry ids."""

    def __init__(self, limit: int = 200, *, upper: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit, self.upper = limit, upper

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):
        text = clean_text(value if isinstance(value, str) else "", self.limit)
        return super().deserialize(text.upper() if self.upper else text)


class Choice(Param):
    """One of the codes ``known()`` gives; ``refusal(value, known)`` says what to send
    instead. The OpenAPI document lists the codes known when it is asked for (``choices``)."""

    description = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata.setdefault("description", self.description)

    def known(self) -> Collection[str]:
        raise NotImplementedError

    def refusal(self, value: str, known: str) -> str:
        raise NotImplementedError

    def choices(self) -> list[str]:
        return sorted(self.known())

    def parse(self, text: str) -> str:
        known = self.known()
        if text not in known:
            listed = ", ".join(sorted(known)) or _("none (the scheme is not loaded yet)")
            raise ValidationError(self.refusal(text, listed))
        return text


class SchemeCode(Choice):
    """A code of the synced scheme's ``kind`` ("roles", ...); none is known before a sync."""

    kind = ""

    def known(self) -> Collection[str]:
        scheme = current_scheme()
        return getattr(scheme, self.kind) if scheme is not None else {}


class Role(SchemeCode):
    kind = "roles"
    description = "A role of the scheme; a role that includes it counts (lead_auditor for auditor)."

    def refusal(self, value: str, known: str) -> str:
        return _("Unknown role “%(value)s”; use one of: %(known)s.", value=value, known=known)


class Standard(SchemeCode):
    kind = "standards"
    description = "A standard code of the scheme."

    def refusal(self, value: str, known: str) -> str:
        return _("Unknown standard “%(value)s”; use one of: %(known)s.", value=value, known=known)


class Sector(SchemeCode):
    kind = "sectors"
    description = "A sector code of the scheme."

    def refusal(self, value: str, known: str) -> str:
        return _("Unknown sector “%(value)s”; use one of: %(known)s.", value=value, known=known)


class Country(Choice):
    description = "ISO 3166-1 alpha-2, in capitals."

    def known(self) -> Collection[str]:
        return COUNTRY_CODES

    def refusal(self, value: str, known: str) -> str:
        return _(
            "“%(value)s” is not a country code; use the ISO 3166-1 alpha-2 code in capitals, "
            "such as NO or BR.",
            value=value,
        )


class Language(Choice):
    description = "ISO 639-1, in small letters."

    def known(self) -> Collection[str]:
        return LANGUAGE_CODES

    def refusal(self, value: str, known: str) -> str:
        return _(
            "“%(value)s” is not a language code; use the ISO 639-1 code in small letters, "
            "such as fr or pt.",
            value=value,
        )


class Status(Choice):
    """One of ``STATUSES`` (default active); "any" (the pages' choice) for every status."""

    description = "The accreditation's status (default active); any: every status."

    def __init__(self) -> None:
        super().__init__(default="active", metadata={"default": "active"})

    def known(self) -> Collection[str]:
        return (*STATUSES, "any")

    def refusal(self, value: str, known: str) -> str:
        return _(
            "Unknown status “%(value)s”; use one of: %(known)s.",
            value=value,
            known=", ".join(STATUSES),
        )

    def parse(self, text: str) -> str | None:
        return None if super().parse(text) == "any" else text


class AuditDate(Param):
    """The day of the audit (default: today)."""

    def __init__(self) -> None:
        super().__init__(
            default=today,
            metadata={
                "format": "date",
                "description": "The day of the audit (default: today, UTC).",
            },
        )

    def parse(self, text: str) -> date:
        return parse_date(text)


def parse_date(text: str) -> date:
    """A day written YYYY-MM-DD; ``ValidationError`` for anything else."""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _(
                "“%(value)s” is not a date; write it as YYYY-MM-DD, such as 2026-03-31.",
                value=text,
            )
        ) from None


class Positive(Param):
    """A whole number from 1 (to ``maximum``): page numbers, page sizes, limits. With
    ``lenient``, a wrong one is the default instead of an error."""

    def __init__(
        self, *, default: int, maximum: int | None = None, lenient: bool = False, **kwargs: Any
    ) -> None:
        schema = {"type": "integer", "minimum": 1, "default": default}
        if maximum is not None:
            schema["maximum"] = maximum
        super().__init__(default=default, metadata={**schema, **kwargs.pop("metadata", {})})
        self.maximum, self.lenient = maximum, lenient

    def parse(self, text: str) -> int:
        # Unbounded above here: page numbers past the last page answer an empty page.
        number = parse_int(text, minimum=1, maximum=None)
        if number is not None and (self.maximum is None or number <= self.maximum):
            return number
        if self.lenient:
            return self.default
        if number is None:
            limit = f"1 to {self.maximum}" if self.maximum else "1 or more"
            raise ValidationError(
                _("%(field)s must be a whole number from %(limit)s.", field=self.name, limit=limit)
            )
        raise ValidationError(
            _("%(field)s can be at most %(maximum)d.", field=self.name, maximum=self.maximum)
        )


class Sort(Param):
    """An order the pages offer; anything else is by name."""

    def parse(self, text: str) -> str:
        return text if text in SORTS else "name"
