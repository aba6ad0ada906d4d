"""Account use cases. They take explicit arguments, flush, and leave the commit to the caller."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from educational.core.audit import record_event
from educational.core.db import db, reading, utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.permissions import Role
from educational.core.security import hash_password, needs_rehash, verify_password
from educational.core.urls import external_url

from .models import LoginSession, NameChangeRequest, Organisation, User
from .names import change_name
from .sessions import end_sessions
from .tokens import make_confirm_token, make_reset_token, read_confirm_token, read_reset_token

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("Choose a password of at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def create_user(
    email: str,
    password: str,
    name: str,
    *,
    role: Role = Role.LEARNER,
    confirmed: bool = False,
    actor: User | None = None,
) -> User:
    """Create an account. Raises DomainError when the e-mail is taken (callers facing the
    public must not reveal that; see ``register``)."""
    check_password_rules(password)
    if find_user_by_email(email):
        raise DomainError(_("An account with this e-mail address already exists."), "email")
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        name=name.strip(),
        role=role,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    record_event("account.created", user, actor=actor or user, role=str(role))
    return user


def register(
    email: str, password: str, name: str, *, locale: str = "en", timezone: str = "UTC"
) -> User | None:
    """Self-registration. When the address already has an account, its owner is told by
    e-mail instead, and the caller shows the same "check your e-mail" page either way, so the
    form cannot be used to find out who has an account."""
    check_password_rules(password)
    existing = find_user_by_email(email)
    if existing:
        # The same argon2 work as a new account's, so the answer's timing does not tell
        # whether the address has an account.
        hash_password(password)
        queue_mail(
            existing,
            _l("Someone tried to register with your address"),
            "account_exists",
            user=existing,
            login_url=external_url("accounts.login"),
            reset_url=external_url("accounts.reset_request"),
        )
        return None
    user = create_user(email, password, name)
    user.locale, user.timezone = locale, timezone
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    queue_mail(
        user,
        _l("Confirm your e-mail address"),
        "confirm_email",
        user=user,
        confirm_url=external_url("accounts.confirm", token=make_confirm_token(user)),
    )


def user_for_confirm_token(token: str) -> User | None:
    """The account whose address a confirmation token was made for; None if the token is bad
    or expired, or the account's address changed since. Reads only."""
    data = read_confirm_token(token)
    if data is None:
        return None
    user = db.session.get(User, data[0])
    if user is None or user.email != data[1]:
        return None
    return user


def confirm_email(token: str) -> User | None:
    """Confirm the address a token was made for; None if the token is bad or expired, or the
    account's address changed since."""
    user = user_for_confirm_token(token)
    if user is None:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        record_event("account.confirmed", user, actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right and the account active; None otherwise (which of the
    two is never said)."""
    # The password is checked (argon2: tens of milliseconds) on a read of its own, before
    # the request's transaction begins: on SQLite that one holds the write lock.
    with reading() as connection:
        stored = connection.scalar(
            select(User.password_hash).where(User.email == normalise_email(email))
        )
    if not verify_password(stored, password):
        return None
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    if user.password_hash != stored and not verify_password(user.password_hash, password):
        return None  # changed in between: the new password decides
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the account exists; silently nothing otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    queue_mail(
        user,
        _l("Reset your password"),
        "reset_password",
        user=user,
        reset_url=external_url("accounts.reset_password", token=make_reset_token(user)),
    )


def notify_login_blocked(user: User) -> None:
    """Tell the owner that log-ins to their account from unknown browsers are paused for the
    day because of failed attempts, in their own language (the request is the attacker's)."""
    queue_mail(
        user,
        _l("Log-in attempts to your account were blocked"),
        "login_blocked",
        user=user,
        reset_url=external_url("accounts.reset_request"),
    )


def user_for_reset_token(token: str) -> User | None:
    return read_reset_token(token, lambda uid: db.session.get(User, uid))


def set_password(
    user: User,
    password: str,
    *,
    actor: User | None = None,
    keep_session: LoginSession | None = None,
) -> None:
    """Set a new password and end every log-in session of the account but ``keep_session``
    (the one the change was made in)."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_sessions(user, keep=keep_session)
    record_event("account.password_changed", user, actor=actor or user)


def change_password(
    user: User,
    current_password: str,
    new_password: str,
    *,
    current_session: LoginSession | None = None,
) -> None:
    """Change the password from the account page; the session it is done in stays open."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_("The current password is not right."), field="current_password")
    set_password(user, new_password, keep_session=current_session)


def reset_password(user: User, new_password: str) -> None:
    """Set the password from an e-mailed link; every session of the account ends."""
    set_password(user, new_password)
    # Following the e-mailed link proves the address too.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


def update_profile(
    user: User, *, name: str, timezone: str, locale: str
) -> NameChangeRequest | None:
    """Save the profile. A new name takes effect at once, or waits for staff when the person
    is in the registry (``names.change_name``): then the pending request is returned."""
    user.timezone, user.locale = timezone, locale
    return change_name(user, name)


def set_role(
    user: User, role: Role, *, actor: User | None, organisation: Organisation | None = None
) -> None:
    """Change a user's role (and member organisation). Members must belong to one."""
    if role == Role.MEMBER and organisation is None:
        raise DomainError(
            _("Choose the member organisation this person works for."), "organisation"
        )
    if actor is not None and actor.id == user.id and role != user.role:
        raise DomainError(_("You cannot change your own role; ask another administrator."))
    new_org = organisation if role == Role.MEMBER else None
    if (user.role, user.organisation) == (role, new_org):
        return
    old_role = user.role
    user.role, user.organisation = role, new_org
    record_event(
        "account.role_changed",
        user,
        actor=actor,
        old_role=old_role,
        new_role=str(role),
        organisation_id=new_org.id if new_org else None,
    )


def set_active(user: User, active: bool, *, actor: User) -> None:
    if actor.id == user.id:
        raise DomainError(_("You cannot disable your own account."))
    if user.active != active:
        user.active = active
        if not active:
            end_sessions(user)
        record_event("account.enabled" if active else "account.disabled", user, actor=actor)


def create_organisation(
    name: str, membership_class: str, country: str | None, *, actor: User | None
) -> Organisation:
    taken = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    )
    if taken:
        raise DomainError(_("An organisation with this name already exists."), field="name")
    organisation = Organisation(
        name=name.strip(), membership_class=membership_class, country=country or None
    )
    db.session.add(organisation)
    db.session.flush()
    record_event("organisation.created", organisation, actor=actor, name=organisation.name)
    return organisation
