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

    #: Years that what must stay verifiable of an erased person (their registry id's status
    #: history and the decisions on it) is kept after their last accreditation ended;
    #: ``flask data retention`` erases it afterwards.
    DATA_RETENTION_YEARS = 7

    #: Webhooks (member watch lists): the wait for an endpoint's answer, and whether private,
    #: loopback and link-local addresses may receive them (never in production: SSRF).
    WEBHOOKS_TIMEOUT_SECONDS = 10
    WEBHOOKS_ALLOW_PRIVATE = False

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
    #: Argon2 password hashing cost (time, memory in KiB); None: OWASP's server minimums
    #: (core/security.py SERVER_PARAMETERS: 2 passes, 19 MiB, 1 lane).
    ARGON2_TIME_COST: int | None = None
    ARGON2_MEMORY_COST: int | None = None

    #: While the database restarts (core/outage.py): seconds a GET waits before its one
    #: retry, and the Retry-After sent with a 503.
    DATABASE_RETRY_PAUSE = 0.5
    DATABASE_RETRY_AFTER = 5

    # Files of the app. A relative path is in the instance folder (create_app resolves
    # INSTANCE_PATHS); back them up with the database.
    #: The app's Ed25519 key (core/keys.py): signs credentials and audit checkpoints.
    CREDENTIAL_KEY_PATH = "credential-key.pem"
    #: The signed checkpoints of the audit chain (core/checkpoints.py): ship it elsewhere.
    AUDIT_CHECKPOINT_PATH = "audit-checkpoints.jsonl"
    #: Experience evidence. Outside the web root (static/): files are only ever served
    #: through the checked view.
    EVIDENCE_PATH = "evidence"
    #: The demo accounts' passwords, made once by ``flask demo load`` and kept (mode 0600).
    DEMO_PASSWORDS_PATH = "demo-passwords.json"

    #: The largest evidence file accepted.
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    #: Evidence one person may store in all (files of withdrawn entries included).
    EVIDENCE_QUOTA_BYTES = 200 * 1024 * 1024
    #: Entries one person may have in their log (withdrawn ones included).
    EXPERIENCE_MAX_ENTRIES = 500

    #: Seconds after a quiz's deadline during which answers are still accepted (the
    #: network's delay); the attempt is then submitted with what was saved.
    QUIZ_GRACE_SECONDS = 30
    #: The item analysis by language flags a question whose facility differs by more than
    #: this fraction between two languages, each with at least this many attempts that drew it
    #: (fewer are not compared).
    QUIZ_LANGUAGE_GAP = 0.20
    QUIZ_LANGUAGE_MIN_ATTEMPTS = 10

    #: Certificate PDF fonts (TrueType files): regular and bold, then fallbacks for scripts
    #: they lack. None: the first of the system fonts found (certificates/fonts.py).
    CERTIFICATE_FONT: str | None = None
    CERTIFICATE_FONT_BOLD: str | None = None
    CERTIFICATE_FALLBACK_FONTS: list[str] = []

    #: The registry's CSV export, per client address (visitors) or account.
    REGISTRY_CSV_LIMIT = "10 per minute"
    #: The registry's pages for visitors, one budget across them per client address.
    REGISTRY_PAGE_LIMIT = "120 per minute"
    #: Complaints lodged without an account, per client address.
    COMPLAINT_LIMIT = "5 per hour"
    #: How long the synced scheme (``catalog.scheme.current_scheme``, read by every feature)
    #: is used before its row is checked for a change, in seconds.
    REGISTRY_SCHEME_SECONDS = 30

    #: API requests without a token, per client address, and with a member's token.
    API_RATE_ANONYMOUS = "60 per minute"
    API_RATE_MEMBER = "600 per minute"
    #: How long a worker keeps a valid API token's look-up, in seconds (0: never). A
    #: revocation reaches the worker that made it at once, and every other worker and
    #: instance within this time; so does an account's loss of API access.
    API_TOKEN_CACHE_SECONDS = 5


#: Configuration keys naming files: a relative path is taken in the instance folder.
INSTANCE_PATHS = (
    "CREDENTIAL_KEY_PATH",
    "AUDIT_CHECKPOINT_PATH",
    "EVIDENCE_PATH",
    "DEMO_PASSWORDS_PATH",
)
