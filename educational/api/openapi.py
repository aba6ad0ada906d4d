"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document of the whole API v1.

Built per request from the synced scheme, so the enumerations (roles, standards, sectors)
are the scheme's own; countries and languages are ISO 3166-1 alpha-2 and ISO 639-1 codes
(pycountry). The test suite validates it with openapi-spec-validator, checks that every
/api/v1 route is in it, and fuzzes the API against it with schemathesis."""

from flask import current_app, jsonify

from educational.core.permissions import public
from educational.registry import params
from educational.registry.eligibility import CHECK_CODES
from educational.registry.entries import EVENTS

from .changes import DEFAULT_LIMIT, MAX_LIMIT
from .views import bp

#: A registry id: the scheme's prefix and a number, e.g. "ASI-000123".
REGISTRY_ID_PATTERN = "^[A-Za-z0-9]+-[0-9]+$"

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


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _enum(values, **extra) -> dict:
    values = sorted(values)
    schema = {"type": "string", **extra}
    if values:
        schema["enum"] = values
    return schema


def _param(name: str, schema: dict, description: str, *, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _error(description: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }
    if headers:
        response["headers"] = headers
    return response


ERRORS = {
    "400": _error("A parameter is missing or wrong; `field` names it."),
    "401": _error(
        "The Authorization header does not hold a valid token, or a members' endpoint was "
        "called without one."
    ),
    "403": _error("The signed-in account is not a member's."),
    "404": _error("Not found."),
    "429": _error(
        "Too many requests.",
        {
            "Retry-After": {
                "description": "Seconds to wait before the next request.",
                "required": True,
                "schema": {"type": "string"},
            }
        },
    ),
}


def _responses(ok: str, description: str, *codes: str) -> dict:
    responses = {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": _ref(ok)}},
        }
    }
    for code in ("400", *codes, "429"):
        responses[code] = ERRORS[code]
    return responses


def _schemas(scheme) -> dict:
    status = _enum(params.STATUSES)
    countries = {"type": "array", "items": {"type": "string"}}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "examples": ["bad_request"]},
                        "message": {"type": "string"},
                        "field": {"type": "string"},
                    },
                }
            },
        },
        "Scope": {
            "type": "object",
            "required": ["standard", "version", "sector"],
            "properties": {
                "standard": {"type": "string"},
                "version": {"type": "string"},
                "sector": {"type": "string"},
            },
        },
        "Accreditation": {
            "type": "object",
            "required": [
                "role",
                "status",
                "valid_from",
                "valid_until",
                "scopes",
                "countries",
                "specialist_areas",
            ],
            "properties": {
                "role": {"type": "string"},
                "status": {
                    **status,
                    "description": "Past its last valid day, an active one shows as expired.",
                },
                "valid_from": {"type": "string", "format": "date"},
                "valid_until": {
                    "type": "string",
                    "format": "date",
                    "description": "The last valid day.",
                },
                "scopes": {
                    "type": "array",
                    "items": _ref("Scope"),
                    "description": "Active scopes (lapsed ones are left out).",
                },
                "countries": countries,
                "specialist_areas": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Entry": {
            "type": "object",
            "required": [
                "registry_id",
                "name",
                "countries",
                "languages",
                "firms",
                "accreditations",
                "url",
            ],
            "properties": {
                "registry_id": {"type": "string"},
                "name": {"type": "string"},
                "countries": {**countries, "description": "ISO 3166-1 alpha-2 codes."},
                "languages": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Verified languages, ISO 639-1 codes.",
                },
                "firms": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Names of the audit firms the person works with now.",
                },
                "accreditations": {"type": "array", "items": _ref("Accreditation")},
                "url": {"type": "string", "format": "uri", "description": "The public page."},
            },
        },
        "EntryPage": {
            "type": "object",
            "required": ["items", "total", "page", "per_page"],
            "properties": {
                "items": {"type": "array", "items": _ref("Entry")},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE},
            },
        },
        "Check": {
            "type": "object",
            "required": ["code", "passed", "message"],
            "properties": {
                "code": _enum(CHECK_CODES),
                "passed": {"type": "boolean"},
                "message": {"type": "string"},
            },
        },
        "Eligibility": {
            "type": "object",
            "required": ["registry_id", "eligible", "as_of", "checks"],
            "properties": {
                "registry_id": {"type": "string"},
                "eligible": {"type": "boolean"},
                "as_of": {"type": "string", "format": "date"},
                "checks": {"type": "array", "items": _ref("Check")},
            },
        },
        "Certificate": {
            "type": "object",
            "required": [
                "code",
                "holder",
                "course",
                "version",
                "issued_on",
                "expires_on",
                "status",
            ],
            "properties": {
                "code": {"type": "string"},
                "holder": {"type": "string"},
                "course": {"type": "string"},
                "version": {"type": "string"},
                "issued_on": {"type": "string", "format": "date"},
                "expires_on": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": "The first day it is no longer valid; null: never expires.",
                },
                "status": _enum(["valid", "expired", "revoked"]),
            },
        },
        "Change": {
            "type": "object",
            "required": [
                "cursor",
                "registry_id",
                "role",
                "event",
                "from_status",
                "to_status",
                "occurred_on",
                "occurred_at",
            ],
            "properties": {
                "cursor": {"type": "string", "pattern": "^[0-9]+$"},
                "registry_id": {"type": "string"},
                "role": {"type": "string"},
                "event": _enum(EVENTS),
                "from_status": {
                    "type": ["string", "null"],
                    "description": "null for a new accreditation.",
                },
                "to_status": status,
                "occurred_on": {"type": "string", "format": "date"},
                "occurred_at": {"type": "string", "format": "date-time"},
            },
        },
        "ChangePage": {
            "type": "object",
            "required": ["items", "next_cursor", "has_more"],
            "properties": {
                "items": {"type": "array", "items": _ref("Change")},
                "next_cursor": {"type": "string", "pattern": "^[0-9]+$"},
                "has_more": {"type": "boolean"},
            },
        },
    }


def _scope_params(scheme, *, required: bool) -> list[dict]:
    roles = scheme.roles if scheme else {}
    standards = scheme.standards if scheme else {}
    sectors = scheme.sectors if scheme else {}
    return [
        _param(
            "role",
            _enum(roles),
            "A role of the scheme; a role that includes it counts (lead_auditor for auditor).",
            required=required,
        ),
        _param("standard", _enum(standards), "A standard code of the scheme.", required=required),
        _param("sector", _enum(sectors), "A sector code of the scheme.", required=required),
        _param(
            "country",
            _enum(params.COUNTRY_CODES),
            "ISO 3166-1 alpha-2, in capitals.",
            required=required,
        ),
    ]


def _page_params() -> list[dict]:
    return [
        _param("page", {"type": "integer", "minimum": 1, "default": 1}, "From 1."),
        _param(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE, "default": 20},
            "Entries per page.",
        ),
    ]


DATE_PARAM = _param(
    "date", {"type": "string", "format": "date"}, "The day of the audit (default: today, UTC)."
)
PUBLIC = [{}, {"bearerAuth": []}]
MEMBERS = [{"bearerAuth": []}]


def openapi_document(scheme, server: str) -> dict:
    registry_params = [
        _param("q", {"type": "string"}, "Part of the name, or the registry id."),
        *_scope_params(scheme, required=False),
        _param("language", _enum(params.LANGUAGE_CODES), "ISO 639-1, in small letters."),
        _param(
            "status",
            _enum([*params.STATUSES, "any"], default="active"),
            "The accreditation's status (default active); any: every status.",
        ),
        *_page_params(),
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "educational JSON API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": server}],
        "security": PUBLIC,
        "paths": {
            "/registry": {
                "get": {
                    "operationId": "searchRegistry",
                    "summary": "Search the public registry, sorted by name.",
                    "description": "Everyone holding one accreditation that meets all the filters.",
                    "parameters": registry_params,
                    "security": PUBLIC,
                    "responses": _responses("EntryPage", "A page of entries.", "401"),
                }
            },
            "/registry/{registry_id}": {
                "get": {
                    "operationId": "getRegistryEntry",
                    "summary": "One person's registry entry.",
                    "parameters": [
                        {
                            "name": "registry_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": REGISTRY_ID_PATTERN},
                        }
                    ],
                    "security": PUBLIC,
                    "responses": _responses("Entry", "The entry.", "401", "404"),
                }
            },
            "/registry/changes": {
                "get": {
                    "operationId": "listRegistryChanges",
                    "summary": "Status changes of public accreditations, in recorded order.",
                    "parameters": [
                        _param(
                            "since",
                            {
                                "anyOf": [
                                    {"type": "string", "pattern": "^[0-9]{1,18}$"},
                                    {"type": "string", "format": "date"},
                                ]
                            },
                            "The next_cursor of the previous answer (changes recorded after "
                            "it), or a date (changes on or after that day). Omit to start "
                            "from the first change.",
                        ),
                        _param(
                            "limit",
                            {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIMIT,
                                "default": DEFAULT_LIMIT,
                            },
                            "Changes per answer.",
                        ),
                    ],
                    "security": PUBLIC,
                    "responses": _responses("ChangePage", "Changes after the cursor.", "401"),
                }
            },
            "/eligibility": {
                "get": {
                    "operationId": "checkEligibility",
                    "summary": "Whether one auditor may audit: every check with its reason.",
                    "parameters": [
                        _param(
                            "registry_id",
                            {"type": "string", "pattern": REGISTRY_ID_PATTERN},
                            "The auditor's registry id.",
                            required=True,
                        ),
                        *_scope_params(scheme, required=True),
                        DATE_PARAM,
                        _param(
                            "entity",
                            {"type": "string", "maxLength": 200},
                            "The audited entity, to check for a declared conflict of interest "
                            "in the last 3 years.",
                        ),
                    ],
                    "security": MEMBERS,
                    "responses": _responses(
                        "Eligibility", "The verdict and every check.", "401", "403", "404"
                    ),
                }
            },
            "/eligible": {
                "get": {
                    "operationId": "findEligible",
                    "summary": "Everyone who passes every check, sorted by name.",
                    "parameters": [
                        *_scope_params(scheme, required=True),
                        DATE_PARAM,
                        *_page_params(),
                    ],
                    "security": MEMBERS,
                    "responses": _responses("EntryPage", "A page of entries.", "401", "403"),
                }
            },
            "/certificates/{code}": {
                "get": {
                    "operationId": "getCertificate",
                    "summary": "A certificate's public record and status today.",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "security": PUBLIC,
                    "responses": _responses("Certificate", "The certificate.", "401", "404"),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document.",
                    "security": PUBLIC,
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": ERRORS["401"],
                        "429": ERRORS["429"],
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(scheme),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A member's API token, from the account page.",
                }
            },
        },
    }


@bp.get("/openapi.json")
@public
def openapi():
    server = current_app.config["PUBLIC_URL"] + bp.url_prefix
    response = jsonify(openapi_document(params.scheme_or_none(), server))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
