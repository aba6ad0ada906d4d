"""The API's web layer, one module per resource: ``registry``, ``eligibility``, ``changes``,
``certificates``, ``watches`` and ``document`` (the OpenAPI document) add their routes to ``bp``;
``tokens`` is the members' API tokens page, a page of the site."""

from flask import Blueprint

from ..auth import protect
from ..errors import register_handlers

#: The JSON API v1: identified by bearer tokens, exempt from CSRF (its only writes, the
#: watch list, take a token, never the session).
bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_handlers(bp)
protect(bp)
#: The members' API tokens page (with CSRF, as every page).
tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")

#: What ``init_app`` registers.
blueprints = (bp, tokens_bp)

# The modules add their routes to the blueprints above.
from . import certificates, changes, document, eligibility, registry, tokens, watches  # noqa: E402, F401
