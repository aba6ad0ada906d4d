"""Default configuration. Every key can be overridden from the environment with the
``EDUCATIONAL_`` prefix (``EDUCATIONAL_MAIL_SERVER=smtp.example.org``); values are parsed as
JSON where they can be (``EDUCATIONAL_FOUR_EYES=true``)."""

from datetime import timedelta


class DefaultConfig:
    #: development, production or testing. Production is the default so that a forgotten
    #: setting fails closed: it demands a SECRET_KEY and secure cookies.
    ENV = "production"
    SECRET_KEY: str | None = None
    #: The address people reach the app at (https://training.example.org, a path may
    #: follow). Every absolute URL (e-mail, credentials, QR codes, OpenAPI) is built from it,
    #: never from the request's Host. Required in production; see core/urls.py.
    PUBLIC_URL: str | None = None
    #: Further host names the app answers for (aliases); PUBLIC_URL's host always is one.
    #: Any other Host header gets 400.
    TRUSTED_HOSTS: list[str] | None = None
    #: How many proxies in front of the app to believe about the client's address and
    #: scheme (X-Forwarded-For, X-Forwarded-Proto). 0: clients connect directly.
    PROXY_FIX = 0
    #: Overridden by DATABASE_URL; the default is a SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    #: Where `flask courses sync` reads content from when no path is given.
    COURSES_PATH: str | None = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    #: "Keep me logged in": the remember cookie and its log-in session end together, this
    #: long after the log-in (never extended: the cookie is not refreshed on use).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False
    #: A log-in session without the remember cookie ends this long after the log-in.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    #: How long a browser stays known to an account after logging in (its device cookie lets
    #: it past LOGIN_ACCOUNT_DAILY_LIMIT).
    DEVICE_COOKIE_DAYS = 180
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    #: memory:// keeps limits per process: with several gunicorn workers or instances each
    #: has its own budget, so production warns at start and gunicorn.conf.py refuses more than
    #: one worker. Use redis://127.0.0.1:6379/0 there.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Prefix of the limiter's keys, to share one Redis database between apps.
    RATELIMIT_KEY_PREFIX = ""
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    #: Failed log-ins per client address.
    LOGIN_LIMIT = "5 per minute"
    #: Registrations, reset requests and confirmation e-mails per address; failed log-ins per
    #: account from one address.
    ACCOUNT_LIMIT = "10 per hour"
    #: Failed log-ins per account over all addresses, from browsers it has not logged in
    #: from; reaching it e-mails the owner (once a day).
    LOGIN_ACCOUNT_DAILY_LIMIT = "100 per day"
    #: Wrong current passwords on the change-password form, per account.
    PASSWORD_CHANGE_LIMIT = "5 per 15 minutes"  # noqa: S105 (a rate, not a password)

    #: Hours an e-mailed link stays valid.
    CONFIRM_TOKEN_HOURS = 72
    RESET_TOKEN_HOURS = 2

    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "educational <no-reply@localhost>"

    LANGUAGES = ["en", "fr", "pt", "zh"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    #: Sent as Strict-Transport-Security when the request came over HTTPS.
    HSTS_SECONDS = 31536000
