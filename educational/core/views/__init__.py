"""Pages that belong to no feature: home, language, health and audit checkpoint
(``public``), and the staff page (``staff``)."""

from flask import Blueprint

bp = Blueprint("core", __name__)

#: What ``init_app`` registers.
blueprints = (bp,)

# The modules add their routes to the blueprint above.
from . import public, staff  # noqa: E402, F401
