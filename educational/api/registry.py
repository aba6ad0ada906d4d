"""``GET /api/v1/registry`` and ``GET /api/v1/registry/{registry_id}``: the public registry
(consenting people only), the same search and entries as the pages."""

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from educational.accreditation.models import RegistryProfile
from educational.core.db import db
from educational.core.permissions import public
from educational.registry import params, search
from educational.registry.entries import entry_json, load_entries

from .errors import ApiError, bad_request
from .views import bp

#: Parameters that, when present, must hold a value (a code, a number, a date): the pages'
#: forms send an empty value for "any", the API takes an absent parameter for that.
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
)


def refuse_empty(args) -> None:
    for name in VALUED:
        if name in args and not args[name].strip():
            raise bad_request(
                _("%(name)s is empty: give a value, or leave the parameter out.", name=name),
                field=name,
            )


def page_params(args) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 100, default 20)."""
    page = params.parse_positive(args.get("page"), "page", default=1)
    per_page = params.parse_positive(
        args.get("per_page"),
        "per_page",
        default=params.DEFAULT_PER_PAGE,
        maximum=params.MAX_PER_PAGE,
    )
    return page, per_page


def page_json(items: list, total: int, page: int, per_page: int):
    return jsonify({"items": items, "total": total, "page": page, "per_page": per_page})


@bp.get("/registry")
@public
def registry():
    refuse_empty(request.args)
    scheme = params.scheme_or_none()
    query = search.parse_query(request.args, scheme)
    if query.sort != "name":
        query = search.RegistryQuery(**{**query.__dict__, "sort": "name"})
    page, per_page = page_params(request.args)
    today = params.today()
    ids, total = search.search(query, scheme, today, page=page, per_page=per_page)
    items = [entry_json(entry) for entry in load_entries(ids, today)]
    return page_json(items, total, page, per_page)


@bp.get("/registry/<registry_id>")
@public
def registry_entry(registry_id: str):
    wanted = params.clean_text(registry_id, 40)
    profile_id = db.session.scalar(
        select(RegistryProfile.id).where(
            RegistryProfile.registry_id == wanted, RegistryProfile.public.is_(True)
        )
    )
    entries = load_entries([profile_id], params.today()) if profile_id else []
    if not entries:
        raise ApiError(
            404,
            _(
                "No one in the public registry has the registry id %(id)s. Check it, or search "
                "with GET /api/v1/registry?q=<name>.",
                id=wanted,
            ),
            field="registry_id",
        )
    return jsonify(entry_json(entries[0]))
