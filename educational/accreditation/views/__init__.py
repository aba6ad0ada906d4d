"""The accreditation pages: the applicant's (``learner``), the secretariat's (``staff``) and
the audit firms' pages for staff (``firms``)."""

from flask import Blueprint

from ..forms import template_labels

#: The applicant's accreditations and applications.
bp = Blueprint("accreditation", __name__, url_prefix="/accreditation")
#: The secretariat's queues, reviews, decisions and exports.
staff_bp = Blueprint("accreditation_staff", __name__, url_prefix="/staff/accreditation")
#: Audit firms and the people attached to them.
firms_bp = Blueprint("accreditation_firms", __name__, url_prefix="/staff/firms")

#: The audit-trail browser (every feature's events; here because it finds people by
#: e-mail and registry id).
audit_bp = Blueprint("audit_trail", __name__, url_prefix="/staff/audit")

#: What ``init_app`` registers.
blueprints = (bp, staff_bp, firms_bp, audit_bp)
for _blueprint in blueprints:
    _blueprint.context_processor(template_labels)

# The modules add their routes to the blueprints above.
from . import audit, firms, learner, staff  # noqa: E402, F401
