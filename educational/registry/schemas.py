"""The registry's parameters, declared once (marshmallow) for the pages, the CSV exports and
the JSON API, which also documents them from here in its OpenAPI document.

Each schema loads its question (``search.RegistryQuery``, ``queries.ScopeQuestion``, ...)
from a query string with the field types of ``fields``. A missing parameter and an empty one
are the same (the pages' forms send an empty value for "any"; the API refuses empty values
before it loads, see ``educational.api.params``). ``load`` turns the first error, in the
order the fields are declared, into ``DomainError(message, field)``: the pages show it beside
the field at fault (``form_errors``); the API answers it as a 400 envelope naming the
field."""

from collections.abc import Mapping
from typing import Any, NamedTuple

from marshmallow import EXCLUDE, Schema, ValidationError, post_load

from educational.core.errors import DomainError

from .fields import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    AuditDate,
    Country,
    Language,
    Positive,
    Role,
    Sector,
    Sort,
    Standard,
    Status,
    Text,
)
from .queries import EligibilityQuestion, ScopeQuestion
from .search import RegistryQuery


def load(schema: Schema, args: Mapping[str, str]) -> Any:
    """What ``schema`` declares, read from ``args``; ``DomainError`` for the first parameter
    at fault."""
    try:
        return schema.load(args, unknown=EXCLUDE)
    except ValidationError as error:
        raise DomainError(*first_error(error.messages)) from None


def first_error(messages: Any, field: str | None = None) -> tuple[str, str | None]:
    """(message, field) of the first error in marshmallow's (possibly nested) messages."""
    if isinstance(messages, Mapping):
        name, inner = next(iter(messages.items()))
        return first_error(inner, field if name in ("query", "view_args", "_schema") else name)
    if isinstance(messages, list | tuple):
        return first_error(messages[0], field)
    return str(messages), field


class RegistrySearch(Schema):
    """The registry's filter (``search.RegistryQuery``): the pages, the CSV export, the API."""

    q = Text(default="", metadata={"description": "Part of the name, or the registry id."})
    role = Role()
    standard = Standard()
    sector = Sector()
    country = Country()
    language = Language()
    status = Status()
    sort = Sort(default="name")

    @post_load
    def make_query(self, data: dict, **_kwargs: Any) -> RegistryQuery:
        return RegistryQuery(**data)


class PageNumber(Schema):
    """``page``, from 1; a wrong one is refused."""

    page = Positive(default=1, metadata={"description": "From 1."})

    @post_load
    def number(self, data: dict, **_kwargs: Any) -> int:
        return data["page"]


class LenientPageNumber(PageNumber):
    """``page`` where a wrong one shows the first page (the members' shortlist)."""

    page = Positive(default=1, lenient=True)


class Paging(NamedTuple):
    page: int
    per_page: int


class PageAndSize(PageNumber):
    """``page`` and ``per_page`` (1 to ``MAX_PER_PAGE``): the API's pages."""

    per_page = Positive(
        default=DEFAULT_PER_PAGE,
        maximum=MAX_PER_PAGE,
        metadata={"description": "Entries per page."},
    )

    @post_load
    def number(self, data: dict, **_kwargs: Any) -> Paging:  # type: ignore[override]
        return Paging(data["page"], data["per_page"])


class ScopeQuestionSchema(Schema):
    """Who may audit in a scope on a day: the shortlist and /api/v1/eligible."""

    role = Role(required=True)
    standard = Standard(required=True)
    sector = Sector(required=True)
    country = Country(required=True)
    date = AuditDate()

    @post_load
    def make_question(self, data: dict, **_kwargs: Any) -> ScopeQuestion:
        return ScopeQuestion(**data)


#: A registry id: the scheme's prefix and a number, e.g. "ASI-000123".
REGISTRY_ID_PATTERN = "^[A-Za-z0-9]+-[0-9]+$"


class EligibilityQuestionSchema(Schema):
    """The scope question about one holder, optionally for an entity. The fields are checked
    in the order declared: the first one at fault is named."""

    registry_id = Text(
        40,
        upper=True,
        required=True,
        metadata={"description": "The auditor's registry id.", "pattern": REGISTRY_ID_PATTERN},
    )
    role = Role(required=True)
    standard = Standard(required=True)
    sector = Sector(required=True)
    country = Country(required=True)
    date = AuditDate()
    entity = Text(
        metadata={
            "description": "The audited entity, to check for a declared conflict of interest "
            "in the last 3 years.",
            "maxLength": 200,
        }
    )

    @post_load
    def make_question(self, data: dict, **_kwargs: Any) -> EligibilityQuestion:
        return EligibilityQuestion(**data)
