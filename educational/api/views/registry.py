"""``GET /api/v1/registry`` and ``GET /api/v1/registry/{registry_id}``: the public registry
(consenting people only), the same search and entries as the pages."""

from flask_babel import gettext as _

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.permissions import public
from educational.registry import queries
from educational.registry.asof import AsOf, entry_on
from educational.registry.schemas import PageAndSize, RegistrySearch

from .. import params, schemas
from ..errors import ApiError
from ..openapi import operation
from . import bp


def unknown_registry_id(registry_id: str) -> ApiError:
    return ApiError(
        404,
        _(
            "No one in the public registry has the registry id %(id)s. Check it, or search "
            "with GET /api/v1/registry?q=<name>.",
            id=registry_id,
        ),
        field="registry_id",
    )


@bp.get("/registry")
@public
@operation(
    "searchRegistry",
    "Search the public registry, sorted by name.",
    description="Everyone holding one accreditation that meets all the filters.",
    # The API always sorts by name.
    query=[RegistrySearch(exclude=("sort",)), PageAndSize()],
    responds=schemas.EntryPage,
    ok="A page of entries.",
)
def registry(query, paging):
    return queries.registry_page(query, current_scheme(), today(), *paging)


@bp.get("/registry/<registry_id>")
@public
@operation(
    "getRegistryEntry",
    "One person's registry entry, today or as it was on a past day.",
    description="With as_of, the roles, statuses, validity and scopes as the registry showed "
    "them at the end of that day (UTC), read from the status history: an auditee can check "
    "that the auditor was accredited on the audit day.",
    query=[AsOf()],
    path=params.RegistryIdPath(),
    responds=schemas.Entry,
    ok="The entry.",
    errors=("400", "401", "404", "429"),
)
def registry_entry(asked: dict, registry_id: str):
    day = asked.get("as_of")
    if day is not None:
        entry = entry_on(registry_id, day)
        if entry is None:
            raise unknown_registry_id(registry_id)
        return entry
    entry = queries.public_entry(registry_id, today())
    if entry is None:
        raise unknown_registry_id(registry_id)
    return entry
