"""The catalogue's pages: the public catalogue and the learner's reading (``learner``), and
the staff's progress reports (``staff``)."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

#: What ``init_app`` registers.
blueprints = (bp,)

# The modules add their routes to the blueprint above.
from . import learner, staff  # noqa: E402, F401
