"""Changes of name. ``User.name`` is the accepted name: the one place every page, export and
credential reads a person's name from (the registry pages, API and CSV, newly signed
credentials and certificates). Someone outside the registry changes it at once. Someone in
it (who holds or held an accreditation) only asks: the new name waits in a
``NameChangeRequest`` until a staff member other than themselves accepts it, so no one can
take another auditor's name in the registry unseen. Every step is an audit event.

Whether a person's change needs review is asked of the rules other features register with
``@name_review_rule`` (accreditation registers "is in the registry"), so accounts needs no
import of the features built on it."""

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.urls import external_url

from .models import NameChangeRequest, NameChangeStatus, User

#: The longest name the ``users.name`` column holds.
MAX_NAME_LENGTH = 200

ReviewRule = Callable[[User], bool]
_review_rules: dict[str, ReviewRule] = {}


def name_review_rule(name: str) -> Callable[[ReviewRule], ReviewRule]:
    """Register ``fn(user) -> bool``: True when ``user``'s changes of name need staff's
    review. Registering the same name again replaces the rule (apps made in tests)."""

    def register(fn: ReviewRule) -> ReviewRule:
        _review_rules[name] = fn
        return fn

    return register


def needs_review(user: User) -> bool:
    return any(rule(user) for rule in _review_rules.values())


def clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise DomainError(_("Enter your full name."), field="name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise DomainError(
            _("Shorten the name to %(n)d characters.", n=MAX_NAME_LENGTH), field="name"
        )
    return cleaned


def pending_request_of(user: User) -> NameChangeRequest | None:
    return db.session.scalar(
        select(NameChangeRequest).where(
            NameChangeRequest.user_id == user.id,
            NameChangeRequest.status == NameChangeStatus.PENDING,
        )
    )


def change_name(user: User, name: str) -> NameChangeRequest | None:
    """The person changes their name. Returns the pending request when the change waits for
    staff, None when it took effect (or nothing changed)."""
    new_name = clean_name(name)
    pending = pending_request_of(user)
    if pending is not None and pending.new_name == new_name:
        return pending
    if new_name == " ".join(user.name.split()):
        # The accepted name, unchanged (the form saved for another field): a pending
        # request stays as it is; withdrawing one is its own button.
        return pending
    if not needs_review(user):
        old_name, user.name = user.name, new_name
        record_event("account.name_changed", user, actor=user, old_name=old_name, new_name=new_name)
        return None
    if pending is not None:
        # A newer request replaces the one waiting: staff decide on what the person wants now.
        _withdraw(pending, user, replaced=True)
    change = NameChangeRequest(user_id=user.id, old_name=user.name, new_name=new_name)
    db.session.add(change)
    db.session.flush()
    record_event(
        "account.name_change_requested",
        change,
        actor=user,
        user_id=user.id,
        old_name=change.old_name,
        new_name=new_name,
    )
    return change


def withdraw_name_change(user: User) -> NameChangeRequest:
    """The person cancels their pending change of name."""
    pending = pending_request_of(user)
    if pending is None:
        raise DomainError(_("You have no change of name waiting for review."))
    _withdraw(pending, user, replaced=False)
    return pending


def _withdraw(change: NameChangeRequest, user: User, *, replaced: bool) -> None:
    change.withdraw(on=utcnow())
    db.session.flush()
    record_event(
        "account.name_change_withdrawn",
        change,
        actor=user,
        user_id=user.id,
        new_name=change.new_name,
        replaced=replaced,
    )


def decide_name_change(change: NameChangeRequest, staff: User, accept: bool, reason: str) -> None:
    """Staff accept (the new name becomes the accepted one everywhere) or reject it, with a
    reason the person reads; never their own (the model refuses)."""
    now = utcnow()
    if accept:
        change.accept(reason, actor_id=staff.id, on=now)
        change.user.name = change.new_name
    else:
        change.reject(reason, actor_id=staff.id, on=now)
    db.session.flush()
    record_event(
        "account.name_change_accepted" if accept else "account.name_change_rejected",
        change,
        actor=staff,
        user_id=change.user_id,
        old_name=change.old_name,
        new_name=change.new_name,
        reason=change.reason,
    )
    user = change.user
    queue_mail(
        user,
        _l("Your change of name is accepted")
        if accept
        else _l("Your change of name was not accepted"),
        "name_change_decided",
        user=user,
        change=change,
        accepted=accept,
        url=external_url("accounts.profile"),
    )


def pending_requests() -> list[NameChangeRequest]:
    """The queue, oldest first."""
    return list(
        db.session.scalars(
            select(NameChangeRequest)
            .where(NameChangeRequest.status == NameChangeStatus.PENDING)
            .order_by(NameChangeRequest.requested_at, NameChangeRequest.id)
        )
    )


def recent_decisions(limit: int = 20) -> list[NameChangeRequest]:
    return list(
        db.session.scalars(
            select(NameChangeRequest)
            .where(
                NameChangeRequest.status.in_((NameChangeStatus.ACCEPTED, NameChangeStatus.REJECTED))
            )
            .order_by(NameChangeRequest.decided_at.desc(), NameChangeRequest.id.desc())
            .limit(limit)
        )
    )


def namesakes(change: NameChangeRequest) -> list[User]:
    """Other accounts whose accepted name is the requested one (case and spaces aside): what
    staff should look at before accepting."""
    same = select(User).where(
        func.lower(User.name) == change.new_name.lower(), User.id != change.user_id
    )
    return list(db.session.scalars(same.order_by(User.id).limit(10)))
