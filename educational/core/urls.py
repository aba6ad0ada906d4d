"""Where the app is reached: its one public address, the hosts it answers for, and the proxy
in front of it.

Every absolute URL the app gives out (links in e-mail, credentials and their status list,
QR codes, OpenAPI's ``servers``) is built by ``external_url`` from ``PUBLIC_URL`` alone,
never from the request: the ``Host`` header is chosen by the client, and a reset link built
from it would carry a valid token to the attacker's server. Requests naming any other host
are refused with 400 (Flask's ``TRUSTED_HOSTS``: PUBLIC_URL's host plus the aliases in
``EDUCATIONAL_TRUSTED_HOSTS``).

``PROXY_FIX`` is the number of proxies in front of the app. With it, Werkzeug's ProxyFix
takes the client's address and scheme from ``X-Forwarded-For`` and ``X-Forwarded-Proto``,
so rate limits key on the real client. The ``Host`` header is the one the proxy passes on
(nginx: ``proxy_set_header Host $host``; Caddy does so by default), and the path prefix comes
from PUBLIC_URL, so ``X-Forwarded-Host`` and ``X-Forwarded-Prefix`` are never read: there
is nothing they could add but one more header to forge."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask.globals import request_ctx
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, NotFound, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import MapAdapter

from .errors import handle_http_exception

#: PUBLIC_URL where none is set; production has no default and refuses to start.
DEFAULT_PUBLIC_URL = {"development": "http://127.0.0.1:5000", "testing": "http://localhost"}


@dataclass(frozen=True)
class PublicURL:
    scheme: str
    #: host[:port], as in the URL.
    netloc: str
    #: The host name alone, as TRUSTED_HOSTS compares it (ports are ignored there).
    host: str
    #: "" or a path such as "/training", under which the app is served.
    prefix: str

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.prefix}"


def parse_public_url(value: object) -> PublicURL:
    """PUBLIC_URL checked and normalised; ValueError says what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("it is empty")
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        raise ValueError(f"{value!r} is not a URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{value!r} does not start with https:// or http://")
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host name")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{value!r} holds a user name or password")
    if parts.query or parts.fragment or value.strip().endswith(("?", "#")):
        raise ValueError(f"{value!r} has a query (?) or fragment (#)")
    if not parts.netloc.isascii():
        raise ValueError(f"{value!r} has a non-ASCII host name; write it in its xn-- form")
    if ":" in parts.hostname:
        # Werkzeug's check of trusted hosts cannot match an IPv6 address.
        raise ValueError(f"{value!r} names an IPv6 address; give a host name")
    return PublicURL(
        scheme=parts.scheme.lower(),
        netloc=parts.netloc.lower(),
        host=parts.hostname,
        prefix=parts.path.rstrip("/"),
    )


def configure(app: Flask, error: type[Exception]) -> None:
    """Check PUBLIC_URL, TRUSTED_HOSTS and PROXY_FIX; raises ``error`` with what to set."""
    env = app.config["ENV"]
    value = app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL.get(env)
    if not value:
        raise error(
            "EDUCATIONAL_PUBLIC_URL is not set. Set it to the address people use to reach the "
            "app, such as https://training.example.org: every link in e-mail and every "
            "credential is built from it, and requests for other host names are refused."
        )
    try:
        public = parse_public_url(value)
    except ValueError as reason:
        raise error(
            f"EDUCATIONAL_PUBLIC_URL is not usable: {reason}. Set it to the address people "
            "use to reach the app, such as https://training.example.org (a path such as "
            "/training may follow the host)."
        ) from None
    app.config["PUBLIC_URL"] = str(public)
    app.extensions["public_url"] = public
    hosts = [public.host, *_aliases(app.config.get("TRUSTED_HOSTS"), error)]
    if env == "development":
        # A developer types either; the links still say PUBLIC_URL.
        hosts += ["localhost", "127.0.0.1"]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))

    proxies = app.config["PROXY_FIX"]
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 10:
        raise error(
            f"EDUCATIONAL_PROXY_FIX is {proxies!r}; set it to the number of proxies in front "
            "of the app (0 when clients connect to it directly, 1 behind one nginx or Caddy)."
        )


def _aliases(value: object, error: type[Exception]) -> list[str]:
    """EDUCATIONAL_TRUSTED_HOSTS: a JSON list, or names separated by commas or spaces."""
    if value is None or value == "":
        return []
    names = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise error("EDUCATIONAL_TRUSTED_HOSTS must list host names, such as www.example.org.")
    for name in names:
        if not name or any(c in name for c in "/:@?# ") or not name.isascii():
            raise error(
                f"EDUCATIONAL_TRUSTED_HOSTS holds {name!r}; give host names only, such as "
                "www.example.org (no scheme, port or path; a leading dot allows subdomains)."
            )
    return [name.lower() for name in names]


def public_url(app: Flask | None = None) -> PublicURL:
    return (app or current_app).extensions["public_url"]


def public_adapter(app: Flask | None = None) -> MapAdapter:
    """A URL adapter bound to PUBLIC_URL, whatever request (or none) is being served."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    public = public_url(app)
    return app.url_map.bind(
        public.netloc, script_name=public.prefix or "/", url_scheme=public.scheme
    )


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under PUBLIC_URL, with or without a request (e-mail
    from the cron sweep, credentials, the CLI): ``external_url("accounts.confirm", token=t)``.
    """
    current_app.inject_url_defaults(endpoint, values)
    return public_adapter().build(endpoint, values, force_external=True)


class PrefixMount:
    """Serves the app under PUBLIC_URL's path: ``/training/login`` reaches ``/login`` with
    SCRIPT_NAME ``/training``, so the pages' own links keep the prefix. The proxy passes the
    path on unchanged; a server that already set SCRIPT_NAME (gunicorn's SCRIPT_NAME
    variable) is left alone. Anything outside the prefix is not this app's: 404."""

    def __init__(self, wsgi_app, prefix: str) -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        if environ.get("SCRIPT_NAME", "").rstrip("/") != self.prefix:
            path = environ.get("PATH_INFO", "")
            if path != self.prefix and not path.startswith(self.prefix + "/"):
                return NotFound()(environ, start_response)
            environ["SCRIPT_NAME"] = self.prefix
            environ["PATH_INFO"] = path[len(self.prefix) :]
        return self.wsgi_app(environ, start_response)


def refuse_other_host(error: SecurityError):
    """A request for a host that is not trusted: the app's 400 page (or the API's JSON
    error), with links built under PUBLIC_URL since the request's own host cannot be used."""
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = public_adapter()
    return handle_http_exception(
        BadRequest(_("This server answers only at %(url)s. Use that address.", url=public_url()))
    )


def init_app(app: Flask) -> None:
    public = public_url(app)
    if public.prefix:
        app.wsgi_app = PrefixMount(app.wsgi_app, public.prefix)
    proxies = app.config["PROXY_FIX"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0)
    app.register_error_handler(SecurityError, refuse_other_host)
