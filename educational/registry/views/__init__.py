"""The registry's web layer: the blueprints, and the names the registry's templates show.

- ``public.py``: the public registry (no log-in): search, CSV export, a person's page,
  firms, statistics. Only people who consented to publication appear on these pages.
- ``credentials.py``: the accreditation credentials: the holder's download and the public
  status list.
- ``members.py``: the members' pages: the eligibility check of one auditor, and "find
  eligible auditors" (a shortlist, also as CSV).

The views parse with ``..schemas``, read with ``..queries`` (as the JSON API does) and
render; the transaction boundary (``educational.core.transaction``) does the rest."""

from flask import Blueprint

from educational.accreditation.checklist import reason_renderer
from educational.catalog.content.model import Scheme
from educational.catalog.scheme import named
from educational.core.names import country_name, language_name

from ..forms import CHECK_LABELS, EVENT_LABELS, STATUS_LABELS

#: The public registry and the holders' credentials.
bp = Blueprint("registry", __name__)
#: The members' eligibility pages.
members_bp = Blueprint("members", __name__, url_prefix="/members")

#: What ``init_app`` registers.
blueprints = (bp, members_bp)


def template_labels(scheme: Scheme | None) -> dict:
    """Names for the codes the registry templates show."""
    return {
        "scheme": scheme,
        "country_name": country_name,
        "language_name": language_name,
        "status_labels": STATUS_LABELS,
        "event_labels": EVENT_LABELS,
        "check_labels": CHECK_LABELS,
        # Names in the reader's language (``educational.catalog.scheme.named``).
        "role_name": lambda code: named(scheme, "roles", code),
        "standard_name": lambda code: named(scheme, "standards", code),
        "sector_name": lambda code: named(scheme, "sectors", code),
        # A check's reason in the reader's language (the API keeps the English message).
        "check_reason": _check_reason(scheme),
    }


def _check_reason(scheme: Scheme | None):
    render = reason_renderer(scheme)
    return lambda check: render(check.reason, check.passed, check.message)


# The modules add their routes to the blueprints above.
from . import credentials, members, public  # noqa: E402, F401
