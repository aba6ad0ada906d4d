"""The JSON API v1 (see DESIGN.md): registry, eligibility, change feed, certificates, OpenAPI.

One blueprint, ``api`` (``views.bp``, under ``/api/v1``). Each resource is a module that adds
its routes to it and is imported in ``init_app`` before the blueprint is registered; errors
are raised as ``errors.ApiError`` (or ``DomainError``) and answered with the envelope
``{"error": {"code", "message", "field"}}``. ``auth`` identifies members by their bearer
token and applies the rate limits; ``account`` is the members' API tokens page."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav
    from educational.core.extensions import csrf

    # Each import adds its routes (and, for auth, the limits and hooks) to the blueprint.
    from . import (  # noqa: F401
        account,
        auth,
        certificates,
        changes,
        eligibility,
        openapi,
        registry,
    )
    from .tokens import PERMISSION
    from .views import bp

    app.config.setdefault("API_RATE_ANONYMOUS", "60 per minute")
    app.config.setdefault("API_RATE_MEMBER", "600 per minute")
    # Read-only GETs with bearer tokens: nothing a forged cross-site request could change.
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(account.bp)
    add_nav(app, "api_tokens.index", _l("API tokens"), PERMISSION)
