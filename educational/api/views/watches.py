"""``/api/v1/watches``: a member's watch list by API. ``GET`` lists it, ``POST`` adds a
registry id (or changes its delivery), ``DELETE /watches/{registry_id}`` removes one.

The writes take a bearer token only, never the browser's session: a page of another site
could otherwise make a signed-in member's browser post here (the API is exempt from CSRF)."""

from functools import wraps

from flask import g
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from educational.accounts.models import User
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.permissions import has_role_permission
from educational.watches import services
from educational.watches.models import Delivery

from .. import params, schemas, tokens
from ..auth import api_user, bearer_token
from ..errors import ApiError, not_found
from ..openapi import operation
from . import bp

PERMISSION = "watch_registry"


class WatchRequest(Schema):
    registry_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"pattern": params.REGISTRY_ID_PATTERN},
    )
    delivery = fields.String(
        load_default=Delivery.EMAIL.value, validate=validate.OneOf([d.value for d in Delivery])
    )


def watch_list(*, write: bool):
    """Declare a watch-list endpoint: members only (``watch_registry``); ``write``: by
    token only, never the session (``token_only``, which the authorization matrix reads)."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            g.watcher = _watcher(write=write)
            return view(*args, **kwargs)

        wrapped.access = PERMISSION  # type: ignore[attr-defined]
        wrapped.token_only = write  # type: ignore[attr-defined]
        return wrapped

    return decorate


def _watcher(*, write: bool) -> User:
    """The member whose list it is."""
    user = api_user()
    if user is None:
        raise ApiError(401, _("Send “Authorization: Bearer <token>” with a member's API token."))
    if not has_role_permission(user, PERMISSION):
        raise ApiError(403, _("Only members may keep a watch list."))
    if write and bearer_token() is None:
        raise ApiError(
            401,
            _("Changes to the watch list take an API token: send “Authorization: Bearer <token>”."),
        )
    return db.session.get(User, user.user_id) if isinstance(user, tokens.Caller) else user


@bp.get("/watches")
@watch_list(write=False)
@operation(
    "listWatches",
    "The registry ids the member watches, and how each is delivered.",
    responds=schemas.WatchList,
    ok="The watch list.",
    errors=("401", "403", "429"),
)
def list_watches():
    return {"items": services.watches_of(g.watcher)}


@bp.post("/watches")
@watch_list(write=True)
@operation(
    "addWatch",
    "Watch a registry id (or change how its changes are delivered).",
    body=WatchRequest(),
    responds=schemas.Watch,
    ok="The watch.",
    status=201,
    errors=("400", "401", "403", "404", "429"),
)
def add_watch(asked):
    try:
        return services.watch(g.watcher, asked["registry_id"], asked["delivery"])
    except DomainError as error:
        # A registry id nobody has is a missing thing (404), as in /registry/{registry_id}.
        status = 404 if error.field == "registry_id" else 400
        raise ApiError(status, str(error.message), field=error.field) from None


@bp.delete("/watches/<registry_id>")
@watch_list(write=True)
@operation(
    "removeWatch",
    "Stop watching a registry id.",
    path=params.RegistryIdPath(),
    responds=None,
    ok="Removed.",
    status=204,
    errors=("400", "401", "403", "404", "429"),
)
def remove_watch(registry_id: str):
    if not services.unwatch(g.watcher, registry_id):
        raise not_found(_("You do not watch %(id)s.", id=registry_id))
