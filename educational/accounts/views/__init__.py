"""The accounts pages: a person's own account (``account``), the secretariat's review of
changes of name (``staff``) and the administration of users and organisations (``admin``)."""

from flask import Blueprint

#: Register, confirm, log in and out, reset, profile, password.
bp = Blueprint("accounts", __name__)
#: Changes of name: the holder withdraws theirs, staff decide on them.
names_bp = Blueprint("names", __name__)
#: Users, roles and member organisations.
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

#: What ``init_app`` registers.
blueprints = (bp, names_bp, admin_bp)

# The modules add their routes to the blueprints above.
from . import account, admin, staff  # noqa: E402, F401
