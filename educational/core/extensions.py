"""Extension objects, created unbound and initialised in the app factory."""

from flask import Flask
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"
# Flask-Login flashes this when a page needs a login; str() translates it at that moment.
login_manager.login_message = _l("Please log in to access this page.")
login_manager.localize_callback = str
login_manager.session_protection = "basic"

csrf = CSRFProtect()
migrate = Migrate(render_as_batch=True, compare_type=True)
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


PER_PROCESS_WARNING = (
    "RATE LIMITS ARE KEPT PER PROCESS (RATELIMIT_STORAGE_URI is memory://): with more than "
    "one gunicorn worker or app instance, every process has its own budget, so the log-in "
    "limits are multiplied. Set EDUCATIONAL_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 "
    "(pip install '.[redis]'). gunicorn -c gunicorn.conf.py refuses to start more than one "
    "worker this way."
)


def init_limiter(app: Flask) -> None:
    limiter.init_app(app)
    if (
        app.config["ENV"] == "production"
        and app.config["RATELIMIT_ENABLED"]
        and limits_are_per_process(app.config)
    ):
        # The app cannot see how many workers serve it; gunicorn.conf.py can, and refuses.
        app.logger.warning(PER_PROCESS_WARNING)


def limits_are_per_process(config) -> bool:
    return str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")
