"""Default configuration. Every key can be overridden from the environment with the
``EDUCATIONAL_`` prefix (``EDUCATIONAL_MAIL_SERVER=smtp.example.org``); values are parsed as
JSON where they can be (``EDUCATIONAL_FOUR_EYES=true``)."""

from datetime import timedelta


class DefaultConfig:
    #: development, production or testing. Production is the default so that a forgotten
    #: setting fails closed: it demands a SECRET_KEY and secure cookies.
    ENV = "production"
    SECRET_KEY: str | None = None
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
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    #: memory:// keeps limits per process; use redis://127.0.0.1:6379/0 with several instances.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT = "5 per minute"
    ACCOUNT_LIMIT = "10 per hour"

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
