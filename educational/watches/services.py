"""Watching registry ids and managing webhook endpoints (flushed, never committed)."""

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.permissions import has_role_permission
from educational.registry import queries

from . import signing
from .addresses import Refused, check_url
from .models import Delivery, Watch, WebhookDelivery, WebhookEndpoint

#: The most watches a member may keep, and endpoints they may register.
MAX_WATCHES = 5000
MAX_ENDPOINTS = 5


def watches_of(user) -> list[Watch]:
    return list(
        db.session.scalars(
            select(Watch).where(Watch.user_id == user.id).order_by(Watch.registry_id)
        )
    )


def watching(registry_id: str) -> Watch | bool | None:
    """For the registry's pages: the signed-in member's watch of ``registry_id``, None if
    they do not watch it, False if they cannot keep a watch list."""
    if not has_role_permission(current_user, "watch_registry"):
        return False
    return find_watch(current_user, registry_id)


def find_watch(user, registry_id: str) -> Watch | None:
    return db.session.scalar(
        select(Watch).where(Watch.user_id == user.id, Watch.registry_id == registry_id)
    )


def watch(user, registry_id: str, delivery: str = Delivery.EMAIL) -> Watch:
    """Watch a person of the public registry (or change how an existing watch is delivered)."""
    if delivery not in set(Delivery):
        raise DomainError(_("Choose e-mail or webhook delivery."), field="delivery")
    if queries.public_profile_id(registry_id) is None:
        raise DomainError(
            _("No one in the public registry has the registry id %(id)s.", id=registry_id),
            field="registry_id",
        )
    found = find_watch(user, registry_id)
    if found is None:
        count = len(watches_of(user))
        if count >= MAX_WATCHES:
            raise DomainError(_("You watch %(n)d people already, the most there can be.", n=count))
        found = Watch(
            user_id=user.id,
            registry_id=registry_id,
            delivery=delivery,
            since_change_id=queries.last_change_id(),
        )
        db.session.add(found)
        record_event("watch.added", found, actor=user, registry_id=registry_id, delivery=delivery)
    elif found.delivery != delivery:
        found.delivery = delivery
        record_event("watch.changed", found, actor=user, registry_id=registry_id, delivery=delivery)
    return found


def unwatch(user, registry_id: str) -> bool:
    found = find_watch(user, registry_id)
    if found is None:
        return False
    record_event("watch.removed", found, actor=user, registry_id=registry_id)
    db.session.delete(found)
    return True


def endpoints_of(user) -> list[WebhookEndpoint]:
    return list(
        db.session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user.id)
            .order_by(WebhookEndpoint.id)
        )
    )


def add_endpoint(user, url: str) -> tuple[WebhookEndpoint, str]:
    """Register ``url``; returns the endpoint and its secret, to show once."""
    url = url.strip()
    if len(url) > 2000:
        raise DomainError(_("The address is too long."), field="url")
    try:
        check_url(url, allow_private=current_app.config["WEBHOOKS_ALLOW_PRIVATE"])
    except Refused as refused:
        raise DomainError(
            _("This address cannot receive webhooks: %(why)s", why=str(refused)), field="url"
        ) from None
    if len([e for e in endpoints_of(user) if e.active]) >= MAX_ENDPOINTS:
        raise DomainError(
            _("You have %(n)d active endpoints, the most there can be.", n=MAX_ENDPOINTS)
        )
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(user_id=user.id, url=url, secret=secret)
    db.session.add(endpoint)
    record_event("webhook.endpoint_added", endpoint, actor=user, url=url)
    return endpoint, secret


def disable_endpoint(user, endpoint: WebhookEndpoint) -> None:
    if endpoint.user_id != user.id:
        raise DomainError(_("This endpoint is not yours."))
    if endpoint.active:
        endpoint.disabled_at, endpoint.disabled_reason = utcnow(), "disabled by the member"
        record_event("webhook.endpoint_disabled", endpoint, actor=user)


def endpoint_of(user, endpoint_id: int) -> WebhookEndpoint | None:
    return db.session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.user_id == user.id
        )
    )


def deliveries_of(user, limit: int = 50) -> list[WebhookDelivery]:
    """The member's latest deliveries, newest first: the delivery log."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .join(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
