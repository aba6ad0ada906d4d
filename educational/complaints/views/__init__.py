"""The complaint pages: lodging and the status link (anyone), the subject's pages
(``public``), and the secretariat's workflow (``staff``)."""

from flask import Blueprint

#: Lodging, the status page, the subject's pages.
bp = Blueprint("complaints", __name__, url_prefix="/complaints")
#: The secretariat's queue and workflow.
staff_bp = Blueprint("complaints_staff", __name__, url_prefix="/staff/complaints")

#: What ``init_app`` registers.
blueprints = (bp, staff_bp)


@bp.context_processor
@staff_bp.context_processor
def _labels() -> dict:
    from ..models import OUTCOME_LABELS, STATUS_LABELS

    return {"status_labels": STATUS_LABELS, "outcome_labels": OUTCOME_LABELS}


# The modules add their routes to the blueprints above.
from . import public, staff  # noqa: E402, F401
