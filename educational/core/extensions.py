"""Extension objects, created unbound and initialised in the app factory."""

from flask import request
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


def form_field_key(name: str):
    """A rate-limit key from a posted field (an e-mail address), so that one account is
    protected even when the attempts come from many addresses."""

    def key() -> str:
        return f"{name}:{request.form.get(name, '').strip().lower()}"

    return key
