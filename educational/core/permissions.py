"""Roles and named permissions, checked on the server.

Every view declares who may use it with exactly one of the decorators below. The declaration
is stored on the view function (``view.access``), so the test suite can walk ``app.url_map``
and check every endpoint for every role: a route without a declaration fails the suite.

Object permissions (an owner may see their own evidence) are registered by the features with
``object_rule`` and answered by the same ``can``, from views, services and templates."""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort, current_app
from flask_login import current_user


class Role(StrEnum):
    LEARNER = "learner"
    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


ALL_ROLES = frozenset(Role)

#: Named permissions and the roles that hold them. Admins hold every staff permission.
ROLE_PERMISSIONS: dict[str, frozenset[Role]] = {
    "staff_area": frozenset({Role.STAFF, Role.ADMIN}),
    #: Reading the whole audit trail (who did what to whom): the secretariat's auditors.
    "audit_trail": frozenset({Role.STAFF, Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
    "manage_organisations": frozenset({Role.ADMIN}),
    "check_eligibility": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    #: Watch lists and webhooks: a member company's.
    "watch_registry": frozenset({Role.MEMBER}),
    "learn": ALL_ROLES,
}

#: Permissions of the scheme's staff; their pages are listed on the staff page.
STAFF_PERMISSIONS = frozenset({"staff_area", "audit_trail", "manage_users", "manage_organisations"})

PUBLIC = "public"
AUTHENTICATED = "authenticated"

ObjectRule = Callable[[Any, Any], bool]
_object_rules: dict[str, ObjectRule] = {}


def object_rule(permission: str) -> Callable[[ObjectRule], ObjectRule]:
    """Register ``fn(user, obj) -> bool`` as the rule for ``permission`` on an object."""

    def register(fn: ObjectRule) -> ObjectRule:
        _object_rules[permission] = fn
        return fn

    return register


def has_role_permission(user, permission: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in ROLE_PERMISSIONS[permission]


def can(user, permission: str, obj: Any = None) -> bool:
    """May ``user`` do ``permission`` (to ``obj``)? Unknown permissions are a bug, not a no."""
    if obj is not None and permission in _object_rules:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return _object_rules[permission](user, obj)
    if permission not in ROLE_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return has_role_permission(user, permission)


def allowed_roles(access: str) -> frozenset[Role] | None:
    """The roles a view's declaration lets in; None means everyone, anonymous included."""
    if access == PUBLIC:
        return None
    if access == AUTHENTICATED:
        return ALL_ROLES
    return ROLE_PERMISSIONS[access]


def _declare(view: Callable, access: str) -> Callable:
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Anyone, logged in or not."""
    return _declare(view, PUBLIC)


def authenticated(view: Callable) -> Callable:
    """Any logged-in account."""
    return requires(AUTHENTICATED)(view)


def requires(permission: str) -> Callable[[Callable], Callable]:
    """Logged in and holding ``permission``: anonymous users go to the log-in page (API: 401),
    others get 403."""
    allowed_roles(permission)  # fail at import time on a misspelt permission

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            roles = allowed_roles(permission)
            if roles is not None and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapped, permission)

    return decorate


def require(user, permission: str, obj: Any = None) -> None:
    """For services and views: stop with 403 unless ``can(user, permission, obj)``."""
    if not can(user, permission, obj):
        abort(403)
