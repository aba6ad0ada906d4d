"""The experience log's pages: the learner's log (``learner``) and the secretariat's
verification (``staff``)."""

from flask import Blueprint

from ..labels import template_labels

#: The learner's experience log.
bp = Blueprint("experience", __name__, url_prefix="/experience")
#: Verification by staff.
staff_bp = Blueprint("experience_staff", __name__, url_prefix="/staff/experience")

#: What ``init_app`` registers.
blueprints = (bp, staff_bp)
for _blueprint in blueprints:
    _blueprint.context_processor(template_labels)

# The modules add their routes to the blueprints above.
from . import learner, staff  # noqa: E402, F401
