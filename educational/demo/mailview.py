"""``/dev/mail``: the e-mail the app has sent or queued, readable in the browser, in
development only (``init_app`` registers this blueprint only when ``ENV`` is development; in
production and testing the route does not exist).

It reads the outbox (``core.mail``), the table the app writes every message to, and shows
each message as it goes out on the wire, then decoded: its headers, and its body with the
quoted-printable or base64 transfer encoding undone and its links clickable. So a new
account's confirmation link is one click away, with no SMTP server and no second command."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage

from flask import Blueprint, abort, render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from educational.core.db import db
from educational.core.mail import OutboxMessage
from educational.core.mail import _as_email as as_email  # the message exactly as it is sent
from educational.core.permissions import public

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")

#: The newest messages listed.
LISTED = 200
#: Headers shown above the body, in this order.
HEADERS = ("From", "To", "Subject", "Date", "Content-Type", "Content-Transfer-Encoding")
_LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def decoded(message: EmailMessage) -> tuple[list[tuple[str, str]], str, str]:
    """The message's headers, its body decoded (whatever its transfer encoding), and its
    source as it goes out."""
    source = message.as_bytes()
    parsed: EmailMessage = message_from_bytes(source, policy=policy.default)  # type: ignore[assignment]
    part = parsed.get_body(preferencelist=("plain", "html")) or parsed
    headers = [(name, str(parsed[name])) for name in HEADERS if parsed[name] is not None]
    return headers, part.get_content(), source.decode("utf-8", errors="replace")


def with_links(text: str) -> Markup:
    """``text`` escaped, its http(s) addresses made links."""
    pieces, end = [], 0
    for match in _LINK.finditer(text):
        url = match.group(0)
        pieces += [escape(text[end : match.start()]), Markup('<a href="%s">%s</a>') % (url, url)]
        end = match.end()
    pieces.append(escape(text[end:]))
    return Markup("").join(pieces)


@bp.get("")
@public
def index():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(LISTED)
    ).all()
    return render_template("dev/mail_index.html", messages=messages)


@bp.get("/<int:message_id>")
@public
def message(message_id: int):
    row = db.session.get(OutboxMessage, message_id) or abort(404)
    headers, body, source = decoded(as_email(row))
    return render_template(
        "dev/mail_message.html", row=row, headers=headers, body=with_links(body), source=source
    )
