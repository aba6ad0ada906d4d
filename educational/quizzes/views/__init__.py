"""The quiz pages: taking quizzes and reviewing attempts (``learner``), and the staff's
accommodations and statistics (``staff``)."""

from flask import Blueprint

#: Quizzes, attempts and their review.
bp = Blueprint("quizzes", __name__)
#: Staff reports on quizzes.
reports_bp = Blueprint("quiz_reports", __name__)

#: What ``init_app`` registers.
blueprints = (bp, reports_bp)

# The modules add their routes to the blueprints above.
from . import finishing, learner, staff  # noqa: E402, F401
