"""Each API view is declared once with ``@operation``: its parameters and its answer are
marshmallow schemas (``params``, ``schemas``, ``educational.registry.schemas``), which
parse the request (webargs), serialise the answer, and make the OpenAPI 3.1 document
(apispec) that ``GET /api/v1/openapi.json`` serves.

The document is built per request, so the enumerations of the scheme (roles, standards,
sectors) are the synced scheme's own; countries and languages are ISO 3166-1 alpha-2 and
ISO 639-1 codes. The test suite validates it with openapi-spec-validator, checks that every
/api/v1 route is in it, and fuzzes the API against it with schemathesis."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, request
from marshmallow import Schema

from educational.catalog.scheme import current_scheme
from educational.core.permissions import PUBLIC
from educational.registry.fields import Choice

from .params import load_query, parser
from .schemas import COMPONENTS

DESCRIPTION = """\
The public registry of accredited auditors and registered specialists, eligibility checks
for members, the status-change feed and certificate verification.

**Format.** JSON in UTF-8; dates are `YYYY-MM-DD`, timestamps RFC 3339 in UTC. Only people
who consented to publication appear anywhere in this API.

**Errors.** Every error (400, 401, 403, 404, 405, 429) is
`{"error": {"code": "...", "message": "...", "field": "..."}}`; `field` names the query
parameter at fault, when one is; `message` says what to send instead.

**Authentication.** The registry, the change feed and the certificates are public: no token
is needed. The eligibility endpoints are for members: send `Authorization: Bearer <token>`
with a token created on your account page (API tokens). A header with an invalid, revoked
or unknown token is refused with 401 on every endpoint.

**Rate limits.** Per token for members (default 600 requests a minute), per client address
for anonymous use (default 60 a minute). Over the limit the answer is 429 with a
`Retry-After` header (seconds); every answer carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset`.

**Keeping a copy in sync.** Read `/registry?status=any` once, then poll
`/registry/changes?since=<next_cursor>`: the cursor is the number of the last change you
received (changes are numbered in the order they are recorded); `since` also accepts a date.
"""

#: Who may call: public operations take an optional token, members' ones need one.
ANYONE = [{}, {"bearerAuth": []}]
MEMBERS = [{"bearerAuth": []}]

#: Where the document last made is kept, in ``app.extensions``, with the scheme and the
#: server it was made for.
CACHE = "api_openapi"

ERRORS = {
    "400": "A parameter is missing or wrong; `field` names it.",
    "401": "The Authorization header does not hold a valid token, or a members' endpoint was "
    "called without one.",
    "403": "The signed-in account is not a member's.",
    "404": "Not found.",
    "429": "Too many requests.",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "required": True,
        "schema": {"type": "string"},
    }
}


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of a view; ``responds`` None: the view answers itself."""

    operation_id: str
    summary: str
    responds: type[Schema] | None
    ok: str
    query: Sequence[Schema] = ()
    path: Schema | None = None
    errors: Sequence[str] = ("400", "401", "429")
    description: str | None = None
    security: list = field(default_factory=lambda: ANYONE)
    #: A JSON request body (POST), and the status of success (201 created, 204 no content).
    body: Schema | None = None
    status: int = 200

    def document(self) -> dict:
        content = self.responds or {"type": "object"}
        success: dict[str, Any] = {"description": self.ok}
        if self.status != 204:
            success["content"] = {"application/json": {"schema": content}}
        responses: dict[str, Any] = {str(self.status): success}
        for status in self.errors:
            responses[status] = {
                "description": ERRORS[status],
                "content": {"application/json": {"schema": COMPONENTS["Error"]}},
            }
        responses["429"]["headers"] = RETRY_AFTER
        parameters = [{"in": "query", "schema": schema} for schema in self.query]
        if self.path is not None:
            parameters.insert(0, {"in": "path", "schema": self.path})
        described = {"description": self.description} if self.description else {}
        listed = {"parameters": parameters} if parameters else {}
        if self.body is not None:
            listed["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": self.body}},
            }
        return {
            "operationId": self.operation_id,
            "summary": self.summary,
            **described,
            **listed,
            "security": self.security,
            "responses": responses,
        }


def operation(
    operation_id: str,
    summary: str,
    *,
    responds: type[Schema] | None,
    ok: str,
    query: Sequence[Schema] = (),
    path: Schema | None = None,
    **extra: Any,
) -> Callable[[Callable], Callable]:
    """Declare an API view: the view gets each of ``query``'s loaded values, in order, and
    the path's (``path``) as keyword arguments; what it returns is dumped with ``responds``.
    Declare the view's access (``@public``, ``@members_only``) above this."""
    declared = Operation(operation_id, summary, responds, ok, query, path, **extra)
    # Made once: a schema holds no state between dumps, and making one costs more than
    # dumping a page with it.
    body = responds() if responds is not None else None

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(*args: Any, **kwargs: Any):
            if path is not None:
                kwargs.update(parser.parse(path, request, location="view_args"))
            loaded = [load_query(schema, request.args) for schema in query]
            if declared.body is not None:
                loaded.append(parser.parse(declared.body, request, location="json"))
            answer = view(*loaded, *args, **kwargs)
            if declared.status == 204:
                return "", 204
            return answer if body is None else (jsonify(body.dump(answer)), declared.status)

        run.operation = declared  # type: ignore[attr-defined]
        return run

    return decorate


def _choices(_converter: Any, field: Any, **_kwargs: Any) -> dict:
    """The codes a ``Choice`` parameter knows now (none listed before the scheme's sync)."""
    if isinstance(field, Choice):
        values = field.choices()
        return {"enum": values} if values else {}
    return {}


def openapi_document(server: str) -> dict:
    """The document of every route of the ``api`` blueprint, from its declarations. Made
    again only when the scheme changes (a sync) or the server's address does."""
    scheme = current_scheme()
    cached = current_app.extensions.get(CACHE)
    if cached is not None and cached[0] is scheme and cached[1] == server:
        return cached[2]
    document = _document(server)
    current_app.extensions[CACHE] = (scheme, server, document)
    return document


def _document(server: str) -> dict:
    # Nested bodies without a name of their own (the error's detail) are written inline.
    plugin = MarshmallowPlugin(schema_name_resolver=lambda _schema: None)
    spec = APISpec(
        title="educational JSON API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
        servers=[{"url": server}],
        security=ANYONE,
    )
    plugin.converter.add_attribute_function(_choices)  # type: ignore[union-attr]
    spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A member's API token, from the account page.",
        },
    )
    for name, schema in COMPONENTS.items():
        spec.components.schema(name, schema=schema)
    prefix = current_app.blueprints["api"].url_prefix or ""
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            view = current_app.view_functions[rule.endpoint]
            declared: Operation = view.operation
            if view.access != PUBLIC:
                declared = replace(declared, security=MEMBERS)
            path = rule.rule.removeprefix(prefix).replace("<", "{").replace(">", "}")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = declared.document()
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
