"""The certificates' pages: the learner's certificates and downloads (``learner``), public
verification and the issuer's keys (``public``), and finding and revoking them (``staff``)."""

from flask import Blueprint, abort

from .. import services

bp = Blueprint("certificates", __name__)

#: What ``init_app`` registers.
blueprints = (bp,)


def certificate_or_404(code: str):
    return services.find_certificate(code) or abort(404)


# The modules add their routes to the blueprint above.
from . import learner, public, staff  # noqa: E402, F401
