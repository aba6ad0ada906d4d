"""The webhook outbox and the daily digest: ``flask watches deliver`` and ``digest``.

``fan_out`` reads the public change feed from its cursor and writes one delivery for each
active endpoint of each member watching the person by webhook (changes recorded after the
watch began). ``deliver_due`` sends what is due, signed (Standard Webhooks), and on failure
schedules the next attempt along ``RETRY_DELAYS``: exponential back-off over about 24 hours.
A delivery that fails on its last attempt gives up, and its endpoint is disabled with an
e-mail to the member. A redirect counts as a failure: webhooks are not followed elsewhere."""

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from educational.accounts.models import User
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.mail import queue_mail
from educational.core.urls import external_url
from educational.registry import queries

from . import signing
from .addresses import Refused, check_url
from .models import Delivery, Watch, WatchCursor, WebhookDelivery, WebhookEndpoint

#: The wait after each failed attempt: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and
#: 8 h (ten attempts over 23 h 42 min); after the last, the delivery gives up.
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)
)
FEED_CURSOR = "webhooks"
#: Why a change happened, as far as the public may know (reasons are not published).
REASON_CATEGORIES = {
    "new": "accreditation_granted",
    "suspended": "suspension",
    "reinstated": "reinstatement_or_renewal",
    "withdrawn": "withdrawal",
    "expired": "validity_ended",
}

#: ``post(url, body, headers, timeout) -> HTTP status``; raises OSError when no answer came.
Post = Callable[[str, bytes, dict[str, str], float], int]


@dataclass
class DeliveryReport:
    queued: int = 0
    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    disabled: list[str] = field(default_factory=list)


def payload(change: queries.Change) -> dict:
    return {
        "type": "accreditation.status_changed",
        "timestamp": change.occurred_at.isoformat(),
        "data": {
            "registry_id": change.registry_id,
            "role": change.role,
            "event": change.event,
            "old_status": change.from_status,
            "new_status": change.to_status,
            "date": change.occurred_on.isoformat(),
            "reason_category": REASON_CATEGORIES.get(change.event, "other"),
            "cursor": str(change.cursor),
        },
    }


def fan_out(report: DeliveryReport, batch: int = 500) -> None:
    cursor = db.session.get(WatchCursor, FEED_CURSOR)
    if cursor is None:
        # The first run starts now: history is in the change feed, not re-sent.
        cursor = WatchCursor(name=FEED_CURSOR, change_id=queries.last_change_id())
        db.session.add(cursor)
        return
    while True:
        feed = queries.changes(cursor.change_id, batch)
        ids = {change.registry_id for change in feed.items}
        watchers: dict[str, list[Watch]] = {}
        if ids:
            for found in db.session.scalars(
                select(Watch).where(Watch.registry_id.in_(ids), Watch.delivery == Delivery.WEBHOOK)
            ):
                watchers.setdefault(found.registry_id, []).append(found)
        endpoints = _active_endpoints({w.user_id for group in watchers.values() for w in group})
        now = utcnow()
        for change in feed.items:
            body = json.dumps(payload(change), sort_keys=True, separators=(",", ":"))
            for watch in watchers.get(change.registry_id, ()):
                if change.cursor <= watch.since_change_id:
                    continue
                for endpoint in endpoints.get(watch.user_id, ()):
                    db.session.add(
                        WebhookDelivery(
                            endpoint_id=endpoint.id,
                            change_id=change.cursor,
                            message_id="msg_" + secrets.token_urlsafe(18),
                            body=body,
                            next_attempt_at=now,
                        )
                    )
                    report.queued += 1
        cursor.change_id = feed.next_cursor
        if not feed.has_more:
            return


def _active_endpoints(user_ids: set[int]) -> dict[int, list[WebhookEndpoint]]:
    found: dict[int, list[WebhookEndpoint]] = {}
    if user_ids:
        for endpoint in db.session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.user_id.in_(user_ids), WebhookEndpoint.disabled_at.is_(None)
            )
        ):
            found.setdefault(endpoint.user_id, []).append(endpoint)
    return found


def deliver_due(report: DeliveryReport, post: Post | None = None, limit: int = 200) -> None:
    """Send the deliveries that are due (flushes; the caller commits)."""
    post = post or http_post
    config = current_app.config
    due = db.session.scalars(
        select(WebhookDelivery)
        .join(WebhookEndpoint)
        .where(
            WebhookDelivery.next_attempt_at <= utcnow(),
            WebhookEndpoint.disabled_at.is_(None),
        )
        .order_by(WebhookDelivery.id)
        .limit(limit)
    ).all()
    for delivery in due:
        endpoint = delivery.endpoint
        if not endpoint.active:  # disabled by an earlier delivery of this run
            continue
        now = utcnow()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            check_url(endpoint.url, allow_private=config["WEBHOOKS_ALLOW_PRIVATE"])
            timestamp = int(now.timestamp())
            status = post(
                endpoint.url,
                delivery.body.encode(),
                signing.headers(endpoint.secret, delivery.message_id, timestamp, delivery.body),
                config["WEBHOOKS_TIMEOUT_SECONDS"],
            )
            delivery.last_status, delivery.last_error = status, ""
        except Refused as refused:
            delivery.last_status, delivery.last_error = None, str(refused)
            _give_up(delivery, now, report)
            continue
        except OSError as error:
            delivery.last_status, delivery.last_error = (
                None,
                str(error)[:500] or type(error).__name__,
            )
            status = None
        if status is not None and 200 <= status < 300:
            delivery.delivered_at, delivery.next_attempt_at = now, None
            report.delivered += 1
        elif delivery.attempts > len(RETRY_DELAYS):
            _give_up(delivery, now, report)
        else:
            delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
            report.failed += 1
    db.session.flush()


def _give_up(delivery: WebhookDelivery, now: datetime, report: DeliveryReport) -> None:
    delivery.gave_up_at, delivery.next_attempt_at = now, None
    report.gave_up += 1
    endpoint = delivery.endpoint
    endpoint.disabled_at = now
    endpoint.disabled_reason = delivery.last_error or f"HTTP {delivery.last_status}"
    report.disabled.append(endpoint.url)
    record_event("webhook.endpoint_disabled", endpoint, reason=endpoint.disabled_reason)
    member = db.session.get(User, endpoint.user_id)
    queue_mail(
        member,
        _l("A webhook endpoint was disabled"),
        "webhook_disabled",
        user=member,
        endpoint=endpoint,
        attempts=delivery.attempts,
        url=external_url("watches.index"),
    )


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST without following redirects; the HTTP status (an error status too)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked: http(s) only)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send_digests(report: DeliveryReport) -> int:
    """One e-mail to each member with e-mail watches, listing the changes since their last
    digest; returns how many were sent."""
    by_user: dict[int, list[Watch]] = {}
    for found in db.session.scalars(select(Watch).where(Watch.delivery == Delivery.EMAIL)):
        by_user.setdefault(found.user_id, []).append(found)
    sent = 0
    for user_id, watches in by_user.items():
        name = f"digest:{user_id}"
        cursor = db.session.get(WatchCursor, name)
        start = min(w.since_change_id for w in watches)
        if cursor is None:
            cursor = WatchCursor(name=name, change_id=start)
            db.session.add(cursor)
        since = {w.registry_id: w.since_change_id for w in watches}
        found = [
            change
            for change in queries.changes_of(sorted(since), max(cursor.change_id, 0))
            if change.cursor > since[change.registry_id]
        ]
        if not found:
            continue
        cursor.change_id = found[-1].cursor
        member = db.session.get(User, user_id)
        queue_mail(
            member,
            _l("Changes in the registry you watch"),
            "watch_digest",
            user=member,
            changes=found,
            url=external_url("watches.index"),
        )
        sent += 1
    return sent
