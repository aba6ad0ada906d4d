"""The JSON API v1 (see DESIGN.md): registry, eligibility, change feed, certificates, OpenAPI.

- ``views/``: the web layer, one module per resource, adding its routes to the blueprint
  ``api`` (``views.bp``, under ``/api/v1``); ``views/tokens.py`` is the members' API tokens
  page (``api_tokens``).
- ``openapi.py``: ``@operation`` declares a view's parameters and answer (the schemas of
  ``schemas.py`` and ``educational.registry.schemas``), parses and serialises with them, and
  generates the OpenAPI document from them.
- ``errors.py``: ``ApiError``, answered with the envelope ``{"error": {"code", "message",
  "field"}}``; a ``DomainError`` that a view lets through is answered 409 by the transaction
  boundary.
- ``auth.py`` identifies members by their bearer token and applies the rate limits;
  ``tokens.py`` and ``models.py`` are the tokens themselves."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.extensions import csrf
from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import views
    from .tokens import PERMISSION

    # Read-only GETs with bearer tokens: nothing a forged cross-site request could change.
    csrf.exempt(views.bp)
    register_feature(app, views)
    add_nav(app, "api_tokens.index", _l("API tokens"), PERMISSION)
