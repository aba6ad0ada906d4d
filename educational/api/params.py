"""The JSON API's own parameters (the registry's are ``educational.registry.schemas``,
shared with the pages) and the parser that reads them all for ``openapi.operation``.

``load_query`` reads a query: it refuses an empty value for any of ``VALUED`` first (the
pages' forms send empty for "any"; the API takes an absent parameter for that), then loads
the parameters the schema declares (others are ignored). ``parser`` (webargs) reads the
path and JSON bodies. Either way, the first parameter at fault, in the order declared, is
answered 400 with the envelope naming it."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load
from webargs.flaskparser import FlaskParser

from educational.core.params import parse_int
from educational.registry.fields import Positive, clean_text, parse_date
from educational.registry.schemas import REGISTRY_ID_PATTERN, first_error

from .errors import ApiError

#: Parameters that, when present, must hold a value (a code, a number, a date), whichever
#: endpoint they are sent to.
VALUED = (
    "role",
    "standard",
    "sector",
    "country",
    "language",
    "status",
    "page",
    "per_page",
    "date",
    "registry_id",
    "since",
    "limit",
    "as_of",
)
#: The change feed's pages.
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: The largest cursor read as one (a longer number is read as a date, and refused).
MAX_CURSOR = 10**18 - 1


def _bad_request(error: ValidationError) -> ApiError:
    message, field = first_error(error.messages)
    return ApiError(400, message, field=field)


def load_query(schema: Schema, args: Mapping[str, str]) -> Any:
    """``schema``'s parameters from the query string ``args`` (the first value of each),
    loaded; a bad one raises the 400 ``ApiError``. Reads the query directly: webargs'
    proxy cost twice the loading itself on the API's busiest endpoint."""
    try:
        for name in VALUED:
            value = args.get(name)
            if value is not None and not value.strip():
                message = _(
                    "%(name)s is empty: give a value, or leave the parameter out.", name=name
                )
                raise ValidationError({name: [message]})
        return schema.load(args, unknown=EXCLUDE)
    except ValidationError as error:
        raise _bad_request(error) from None


class Parser(FlaskParser):
    """webargs' parser (the path and JSON bodies), answering with the API's error
    envelope."""

    def handle_error(self, error: ValidationError, req, schema, **_kwargs: Any):
        raise _bad_request(error)


parser = Parser()


class PathSegment(fields.String):
    """A part of the path, as typed (``limit``: searched as free text)."""

    def __init__(self, limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(required=True, **kwargs)
        self.limit = limit

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):
        text = value if isinstance(value, str) else ""
        return clean_text(text, self.limit) if self.limit else text


class RegistryIdPath(Schema):
    registry_id = PathSegment(40, metadata={"pattern": REGISTRY_ID_PATTERN})


class CertificateCodePath(Schema):
    code = PathSegment(metadata={"minLength": 1})


class Since(fields.Field):
    """A cursor (digits) or a day, as free text; ``Changes`` tells which once every
    parameter is read."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):
        return clean_text(value if isinstance(value, str) else "", 40)


class Changes(Schema):
    since = Since(
        metadata={
            "description": "The next_cursor of the previous answer (changes recorded after it), "
            "or a date (changes on or after that day). Omit to start from the first change.",
            "anyOf": [
                {"type": "string", "pattern": "^[0-9]{1,18}$"},
                {"type": "string", "format": "date"},
            ],
        }
    )
    limit = Positive(
        default=DEFAULT_LIMIT, maximum=MAX_LIMIT, metadata={"description": "Changes per answer."}
    )

    @post_load
    def read_since(self, data: dict, **_kwargs: Any) -> tuple[int | date | None, int]:
        """(since: a cursor, a day or None; limit). Told apart once every field is read, so a
        wrong limit is named before a wrong since."""
        since = data["since"]
        if not since:
            return None, data["limit"]
        cursor = parse_int(since, minimum=0, maximum=MAX_CURSOR)
        if cursor is not None:
            return cursor, data["limit"]
        try:
            return parse_date(since), data["limit"]
        except ValidationError:
            raise ValidationError(
                _(
                    "“%(value)s” is neither a cursor nor a date: send the next_cursor of the "
                    "previous answer, or a date as YYYY-MM-DD.",
                    value=since,
                ),
                field_name="since",
            ) from None
