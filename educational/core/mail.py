"""The mail outbox. Messages are rows written in the same transaction as the action that
causes them, so a rolled-back action sends nothing and a committed one is never forgotten.
``deliver_pending`` sends them later (``flask outbox send``, from cron); a failure leaves the
message queued with its error, to be tried again."""

import smtplib
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from flask import current_app, render_template
from flask_babel.speaklater import LazyString
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .db import UTCDateTime, db, utcnow
from .i18n import reader

#: RFC 5321: a line of a message may not be longer (998 characters and CRLF).
MAX_SMTP_LINE = 998


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: Template name, kept to find messages of a kind (tests, reminders' de-duplication).
    kind: Mapped[str] = mapped_column(String(80), index=True)
    #: queued or sent.
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Recipient(Protocol):
    """Who a message is for: a user (accounts' User has these columns)."""

    email: str
    locale: str
    timezone: str


#: A subject: a lazy string (``_l(...)``), or a function that builds it (for ``ngettext``
#: with values). It is made in the recipient's language, as the body is.
Subject = str | LazyString | Callable[[], str]


def queue_mail(to: Recipient | str, subject: Subject, template: str, **context) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` and its subject in the recipient's language
    and time zone, and queue it (flushed, not committed). Pass the recipient (a user), not
    their address: a bare address gets the language of whoever caused the message."""
    if isinstance(to, str):
        address, surroundings = to, nullcontext()
    else:
        address, surroundings = to.email, reader(to.locale, to.timezone)
    with surroundings:
        text = str(subject()) if callable(subject) else str(subject)
        body = render_template(f"email/{template}.txt", **context)
    message = OutboxMessage(recipient=address, subject=text, body=body, kind=template)
    db.session.add(message)
    db.session.flush()
    return message


def _smtp_sender() -> Callable[[EmailMessage], None]:
    config = current_app.config

    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)

    return send


def _as_email(row: OutboxMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message.set_content(row.body, cte=transfer_encoding(row.body))
    return message


def transfer_encoding(body: str) -> str:
    """7bit or 8bit, never quoted-printable: its soft line breaks cut long links in two for
    anyone reading the raw message. base64 only where a line is too long for SMTP."""
    if any(len(line.encode()) > MAX_SMTP_LINE for line in body.splitlines()):
        return "base64"
    return "7bit" if body.isascii() else "8bit"


def deliver_pending(
    send: Callable[[EmailMessage], None] | None = None, limit: int = 500
) -> tuple[int, int]:
    """Send queued messages; returns (sent, failed). Each message is committed on its own so
    one bad address does not hold back the rest."""
    if send is None:
        if not current_app.config["MAIL_SERVER"]:
            raise RuntimeError("no MAIL_SERVER configured")
        send = _smtp_sender()
    sent = failed = 0
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued")
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    for row in rows:
        row.attempts += 1
        try:
            send(_as_email(row))
        except (OSError, smtplib.SMTPException) as error:
            row.last_error = f"{type(error).__name__}: {error}"
            failed += 1
        else:
            row.status, row.sent_at, row.last_error = "sent", utcnow(), None
            sent += 1
        db.session.commit()
    return sent, failed
