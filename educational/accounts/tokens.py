"""Signed, expiring tokens for e-mailed links.

A reset token embeds a fingerprint of the current password hash, so it stops working as soon
as the password changes: it is single-use without a table of spent tokens."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"educational.{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_confirm_token(user: User) -> str:
    return _serializer("confirm").dumps({"uid": user.id, "email": user.email})


def make_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"uid": user.id, "fp": _fingerprint(user)})


def read_confirm_token(token: str) -> tuple[int, str] | None:
    hours = current_app.config["CONFIRM_TOKEN_HOURS"]
    try:
        data = _serializer("confirm").loads(token, max_age=hours * 3600)
    except (BadSignature, SignatureExpired):
        return None
    return data["uid"], data["email"]


def read_reset_token(token: str, load_user) -> User | None:
    hours = current_app.config["RESET_TOKEN_HOURS"]
    try:
        data = _serializer("reset").loads(token, max_age=hours * 3600)
    except (BadSignature, SignatureExpired):
        return None
    user = load_user(data["uid"])
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user
